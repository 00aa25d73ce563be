#!/bin/sh
# test_replay.sh — `agentdesk replay` in tmux on recordings made by the real hub in --demo,
# kept where `agentdesk --demo` keeps them ($XDG_STATE_HOME/agentdesk/demo-recordings):
#   * --demo --linear --speed 0 prints the newest recording's timeline at once;
#   * the player at 120x40 opens paused, plays with Space, goes to a percent with g,
#     jumps to a flag with ], annotates with a (the sidecar holds the note), ends with End;
#   * it keeps its layout and timeline at 80x24 and 40x12, and q gives the terminal back;
#   * s opens the score card with the recording's suggestions: y answers, Enter confirms, c
#     comments, the total shows; the sidecar keeps the answers with the note;
#   * --export md|json holds the transcript, the flags, the note and the score card;
#   * a damaged copy (a corrupt line, a torn end) plays and says so.
. "$(dirname "$0")/lib.sh"
need tmux
SOCK="agentdesk-e2e-$$-replay"
keys() { tmux -L "$SOCK" send-keys -t ad "$@"; }
REC="$T/state/agentdesk/demo-recordings"
mkdir -p "$REC"
PORT=$(free_port)
"$B/agentdesk-hub" --demo --listen "127.0.0.1:$PORT" --db "$T/demo.db" --record-dir "$REC" \
    --log "$T/hub.log" >>"$T/hub.out" 2>&1 &
HUBPID=$!
# a finished call with a flag in it (the demo's scenarios raise some within a minute)
FILE=""
for i in $(seq 1 900); do
    FILE=$(grep -l '"interaction.ended"' "$REC"/*.jsonl 2>/dev/null | xargs -r grep -l '"type":"flag"' | head -n 1)
    [ -n "$FILE" ] && break
    sleep 0.2
done
stop_hub
check "the demo hub recorded a finished call with a flag" '[ -n "$FILE" ]'
[ -n "$FILE" ] || { e2e_done; exit 1; }

XDG_STATE_HOME="$T/state" "$B/agentdesk" replay --demo --linear --speed 0 >"$T/linear.out" 2>"$T/linear.err"
check "--demo --linear --speed 0 prints the timeline" 'grep -qE "^\[[0-9][0-9]:[0-9][0-9]\] .* started " "$T/linear.out"'
check "--linear ends with the call's end" 'grep -q "ended" "$T/linear.out"'

tmux -L "$SOCK" new-session -d -s ad -x 120 -y 40 \
    "env AGENTDESK_LOG='$T/console.log' '$B/agentdesk' replay '$FILE'; echo EXITED \$?; sleep 30"
check "opens paused at the start" 'wait_re "00:00 / [0-9][0-9]:[0-9][0-9]  1x  PAUSED" 10'
check "the timeline has its ends" 'wait_for "├" 2 && wait_for "┤" 2'
keys Space
check "Space plays" 'wait_for "PLAYING" 5'
check "the transcript fills as it plays" 'wait_re "[0-9][0-9]:[0-9][0-9] (customer|agent|bot) " 20'
keys Space
check "Space pauses" 'wait_for "PAUSED" 5'
keys g; sleep 0.2; keys "50%" Enter
check "g 50% goes half way" 'wait_re "PAUSED" 5 && screen | grep -E "├.*┤" | grep -qvE " 00:00 /"'
keys Home; sleep 0.2; keys ']'
check "] jumps to a flag: the flags pane has it" 'wait_re "Flags \([1-9]" 5'
keys a; sleep 0.2; keys "e2e note: escalation" Enter
check "the note is said" 'wait_for "note added" 5'
check "the note is kept beside the recording" 'grep -q "e2e note: escalation" "$FILE.notes.json"'
keys End
check "End goes to the end" 'wait_for "END" 5'
keys s
check "s opens the score card with its total" 'wait_re "Score card · Contact-centre quality review · ([0-9]+%|no score yet) · [0-9]+/15 answered" 5'
check "the recording suggests answers" 'wait_re "[0-9]+ suggested: Enter confirms" 5'
keys y
check "y answers the first criterion" 'wait_re "Score card .* [1-9][0-9]*/15 answered" 5 && screen | grep -qE "│ yes  Greeted the customer"'
keys c; sleep 0.2; keys "e2e comment: clear close" Enter
check "the answer and the comment are kept in the sidecar" 'wait_out "$FILE.notes.json" "e2e comment: clear close" 5 && grep -q "\"scorecard\"" "$FILE.notes.json" && grep -q "\"greeting\"" "$FILE.notes.json" && grep -q "e2e comment: clear close" "$FILE.notes.json"'
check "the sidecar is version 2" 'grep -q "\"version\": 2" "$FILE.notes.json"'
keys Escape
check "Esc closes the card" 'wait_for "[/] flags" 5'
tmux -L "$SOCK" resize-window -t ad -x 80 -y 24
check "80x24: tabs and the timeline" 'wait_for "[Transcript]" 5 && wait_for "├" 2'
tmux -L "$SOCK" resize-window -t ad -x 40 -y 12
check "40x12: the timeline and its clock" 'wait_re "├.*┤ +[0-9][0-9]:[0-9][0-9]/" 5'
keys q
check "q quits with status 0" 'wait_for "EXITED 0" 5'
tmux -L "$SOCK" kill-server 2>/dev/null

"$B/agentdesk" replay "$FILE" --export md >"$T/export.md"
check "--export md: transcript, flags and the note" 'grep -q "^## Timeline" "$T/export.md" && grep -q "^## Flags" "$T/export.md" && grep -q "e2e note: escalation" "$T/export.md"'
check "--export md: the score card, the answer and the comment" 'grep -q "^## Score card: Contact-centre quality review" "$T/export.md" && grep -q "Greeted the customer.*\*\*yes\*\* (weight" "$T/export.md" && grep -q "comment: e2e comment: clear close" "$T/export.md"'
"$B/agentdesk" replay "$FILE" --export json >"$T/export.json"
check "--export json: timeline, flags and the note" 'grep -q "\"timeline\": \[" "$T/export.json" && grep -q "\"kind\":" "$T/export.json" && grep -q "e2e note: escalation" "$T/export.json"'
check "--export json: the score card with its total" 'grep -q "\"scorecard\": {" "$T/export.json" && grep -q "\"percent\":" "$T/export.json" && grep -q "e2e comment: clear close" "$T/export.json"'

cp "$FILE" "$T/damaged.jsonl"
printf '{"type":"utterance","seq":\n{"type":"flag","seq":99999999,"ts":1,"iid":"x","fi' >>"$T/damaged.jsonl"
tmux -L "$SOCK" new-session -d -s ad -x 120 -y 40 "'$B/agentdesk' replay '$T/damaged.jsonl'; echo EXITED \$?; sleep 30"
check "a damaged recording plays and says so" 'wait_for "1 damaged line" 10'
keys End
check "and plays to its end" 'wait_for "END" 5'
keys q
check "q quits" 'wait_for "EXITED 0" 5'
"$B/agentdesk" replay "$T/nonexistent.jsonl" 2>"$T/missing.err"; rc=$?
check "a missing file is said, status 1" '[ $rc -eq 1 ] && grep -q "No such file" "$T/missing.err"'
e2e_done
