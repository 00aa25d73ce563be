#!/bin/sh
# test_console_demo.sh — `agentdesk --demo` in tmux at 120x40, as a person would use it:
#   * the demo hub starts as a child; a simulated call appears and grows;
#   * a suggestion goes into the reply line with 1 and is sent with Enter: it appears in
#     the transcript as the agent's line;
#   * wrap-up: the dialog opens with a drafted summary, ^D submits; the hub refuses it while
#     the call is live (the dialog says so) and acks it once the call has ended;
#   * a resize storm (tmux resize-window, many sizes) does not crash it, and the layout
#     comes back at 120x40, 80x24 and 40x12;
#   * q quits: the terminal is given back, the demo hub is stopped, its temp dir removed.
. "$(dirname "$0")/lib.sh"
need tmux pgrep
SOCK="agentdesk-e2e-$$-demo"
SOCK2="agentdesk-e2e-$$-crash"
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    tmux -L "$SOCK2" kill-server 2>/dev/null
    # the console stops its hub; a hub left by a failed run is ours to stop too
    for p in $(pgrep -f "agentdesk-hub --demo --listen 127.0.0.1:[0-9]* --db $T/" 2>/dev/null); do kill "$p"; done
}
keys() { tmux -L "$SOCK" send-keys -t ad "$@"; }
# Columns of the wide layout: list ││ transcript ││ right column (box edges meet as "││").
# Column 2 is what lies between the first "││" and the next "│"; column 3 what follows the
# second "││" (rows where a box corner meets the border have no column 3).
column() {
    screen | awk -v c="$1" 'NR >= 3 && NR <= 37 {
        i = index($0, "││"); if (!i) next
        rest = substr($0, i + length("││"))
        if (c == 2) { j = index(rest, "│"); print (j ? substr(rest, 1, j - 1) : rest); next }
        j = index(rest, "││"); if (j) print substr(rest, j + length("││")) }'
}
# the composer: from its prompt row to the row above the hints (it grows to 5 rows), as one line
composer() { screen | sed -n '1,39p' | sed -n '/^\(reply\|note\|search\)>/,$p' | tr -s ' ' | tr '\n' ' ' | sed -E 's/ +$//'; }
# wait (at most 5 s, a loaded machine) until the composer matches an extended regex
composer_is() { local i; for i in $(seq 1 50); do composer | grep -qE "$1" && return 0; sleep 0.1; done; return 1; }
transcript_rows() { column 2 | grep -cE '[0-9][0-9]:[0-9][0-9] (customer|agent|bot) '; }

mkdir -p "$T/tmp"
tmux -L "$SOCK" new-session -d -s ad -x 120 -y 40 \
    "env TMPDIR='$T/tmp' XDG_STATE_HOME='$T/state' XDG_CONFIG_HOME='$T/cfg' AGENTDESK_LOG='$T/console.log' \
     '$B/agentdesk' --demo; echo EXITED \$?; sleep 30"
check "demo hub connected" 'wait_for "connected" 20'
check "a demo interaction appears" 'wait_re "Mine \([1-9]" 20'
check "its transcript shows lines" 'wait_re "[0-9][0-9]:[0-9][0-9] (customer|agent|bot) " 20'
# the agent answers (in a chat the demo customer waits for it; in a call it is a note)
n1=$(transcript_rows)
keys "Thanks for waiting, let me look at that" Enter
sleep 0.3
keys Escape
grown=0
for i in $(seq 1 150); do
    sleep 0.2
    n2=$(transcript_rows)
    [ "$n2" -gt "$n1" ] && { grown=1; break; }
done
check "the transcript grows ($n1 -> ${n2:-?} lines)" '[ $grown -eq 1 ]'
check "customer card filled" 'wait_re "ID C-[0-9]+" 10'
check "suggestions arrive" 'wait_re "Suggestions \([1-9]" 90'

# 1: suggestion 1 into the reply line, then edit-free send with Enter
# the first words of suggestion 1's reply: from the preview of the selected suggestion under
# the list ("─ 1 title─" then the text), else from its detail row when the pane is too short
# for a preview
sugg_start() {
    local text
    text=$(column 3 | awk '/─ 1 / { getline; print; exit }')
    [ -n "$text" ] || text=$(column 3 | awk '/^ 1 / { getline; print; exit }' | sed -E 's/^ +"//')
    echo "$text" | awk '{print $1, $2, $3}'
}
sent=$(sugg_start)
check "suggestion 1 has a reply text" '[ -n "$sent" ]'
keys 1
check "suggestion 1 is in the line" 'composer_is "^(reply|note)> ."'
keys Enter
sleep 0.3
check "the line is empty after sending" 'composer_is "^(reply|note)>$"'
# the hub echoes a reply as an agent utterance (a note in a call as a note line)
in_transcript() {
    local i
    for i in $(seq 1 100); do
        column 2 | grep -E "(agent|note) " | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}
check "the sent text appears in the transcript (\"$sent\")" 'in_transcript "$sent"'
in_transcript_as() {   # LABEL TEXT: a transcript row with that speaker label and text
    local i
    for i in $(seq 1 100); do
        column 2 | grep -F -- " $1 " | grep -qF -- "$2" && return 0
        sleep 0.1
    done
    return 1
}
keys Escape
sleep 0.3

# a note with ^N, then Esc back to commands
keys C-n
sleep 0.2
check "^N opens the notes line" 'composer_is "^note>"'
keys "e2e-note-text" Enter
check "the note comes back in the transcript" 'in_transcript_as note "e2e-note-text"'
keys Escape
sleep 0.3

# letters always write: a word typed while the keys are commands goes to the line, and
# raises no hand, quits nothing, opens no wrap-up (issue 13: "hello" raised a hand)
keys "hello quick wrap"
sleep 0.5
check "a word typed among the commands is written in the line" 'composer_is "hello quick wrap"'
check "it raised no hand" '! column 2 | grep -qF "hand raised"'
check "it opened no wrap-up and did not quit" '! screen | grep -qF "Wrap up ·" && ! screen | grep -q EXITED'
# a suggestion goes in at the cursor, the draft around it kept (in the line a digit is a
# digit: Alt-1); Alt-u takes it back
check "a suggestion is there to use (the demo call goes on until one is)" 'wait_re "Suggestions \([1-9]" 90'
keys M-1
sleep 0.5
check "a suggestion is inserted into the draft, not over it" 'composer_is "hello quick wrap .{8}"'
keys M-u
sleep 0.5
check "M-u takes the suggestion back" 'composer_is "^(reply|note)> hello quick wrap$"'
keys C-u Escape
sleep 0.3

# a search does not eat a half-written line: / ... Enter, and the draft is back
keys "draft-kept-over-search"
sleep 0.2
keys Escape
sleep 0.3
keys /
sleep 0.2
keys "zzqq-not-there" Enter
sleep 0.3
check "a search puts the half-written line back" 'composer_is "draft-kept-over-search"'
keys Enter C-u Escape
sleep 0.3

# raise a hand
keys C-g
check "^G raises a hand (the hub's event in the transcript)" 'in_transcript_as -- "hand raised"'
# a notice in the title bar may cover it for a few seconds: waited out
check "the title says the hand is up, the hints how to lower it" 'wait_for "hand up" 12 && screen | sed -n 40p | grep -q "lower hand"'
keys C-g
check "^G again lowers it" 'in_transcript_as -- "hand lowered"'
check "and the title no longer says it" '! { sleep 1; screen | grep -qF "hand up"; }'

# Tab to Suggestions (transcript, Mine, Customer, Flags, Suggestions): Enter puts the
# selected one into the line, the hint bar says so
check "a suggestion is there to select" 'wait_re "Suggestions \([1-9]" 90'
keys Tab Tab Tab Tab
sleep 0.3
check "on Suggestions the hints say what Enter does" 'screen | sed -n 40p | grep -q "Enter use selected"'
keys Down Enter
sleep 0.3
check "Enter on Suggestions puts the selected suggestion in the line" \
    'composer_is "^(note|reply)> .{12}" && screen | sed -n 40p | grep -q "Esc commands"'
keys C-u Escape
sleep 0.3

# dismiss the first suggestion: the count goes down
count_sugg() { screen | grep -oE 'Suggestions \([0-9]+' | grep -oE '[0-9]+$'; }
before=$(count_sugg)
keys C-x
sleep 0.5
after=$(count_sugg)
check "^X dismisses a suggestion ($before -> $after)" '[ -n "$before" ] && [ -n "$after" ] && [ "$after" -eq $((before - 1)) ]'

# tick a checklist item by hand: Tab to the checklist, Space
done_before=$(screen | grep -oE 'Checklist \([0-9]+' | grep -oE '[0-9]+$')
keys Tab
sleep 0.2
keys Space
check "Space ticks the selected checklist item" \
    'for i in $(seq 1 50); do d=$(screen | grep -oE "Checklist \([0-9]+" | grep -oE "[0-9]+\$"); [ "$d" != "$done_before" ] && break; sleep 0.1; done; [ "$d" != "$done_before" ]'
keys Tab
sleep 0.2

# wrap-up
keys C-w
check "wrap-up dialog opens" 'wait_for "Wrap up ·" 5'
check "it offers dispositions" 'wait_re "\((\*| )\) " 5'
check "a drafted summary is filled in" 'wait_re "Summary" 3'
# the hub takes a wrap-up only after the call has ended: on a live call the dialog says it
# was refused and the call stays on the desk
live_at_wrapup=0
screen | grep -qF "call still live" && live_at_wrapup=1
keys C-d
if [ $live_at_wrapup -eq 1 ]; then
    check "a wrap-up of the live call is refused, in the dialog" 'wait_re "wrap-up refused: .*still live" 10'
    check "the notice leaves the clock readable" 'screen | sed -n 1p | grep -qE " [0-9]{2}:[0-9]{2}  \? help"'
    keys Escape
    check "the dialog closes" '! { sleep 2; screen | grep -qF "Wrap up ·"; }'
    check "the live call is not wrapped up" '! screen | grep -qE "wrapped up|wrap-up saved"'
else
    check "wrap-up acknowledged" 'wait_re "saved|wrapped up" 10'
    check "the notice leaves the clock readable" 'screen | sed -n 1p | grep -qE " [0-9]{2}:[0-9]{2}  \? help"'
    check "the dialog closes" '! { sleep 2; screen | grep -qF "Wrap up ·"; }'
    check "the interaction says wrapped up" 'wait_for "wrapped up" 5'
fi

# resize storm
for s in 80x24 40x12 200x60 20x5 1x1 119x39 60x16 100x30 30x8 120x40 81x25 45x13 10x3 150x50 80x24; do
    tmux -L "$SOCK" resize-window -t ad -x "${s%x*}" -y "${s#*x}"
    sleep 0.03
done
for s in 120x40 80x24 40x12 120x40; do
    tmux -L "$SOCK" resize-window -t ad -x "${s%x*}" -y "${s#*x}"
    sleep 0.4
    case $s in
    120x40) check "wide layout at 120x40 after the storm" 'wait_re "┌ Mine \(" 3 && screen | sed -n 40p | grep -q "help"' ;;
    80x24)  check "tabs at 80x24" 'wait_for "[Transcript]" 3' ;;
    40x12)  check "one pane at 40x12" 'screen | wc -l | grep -qx 12 && ! screen | grep -qF "┌ Mine"' ;;
    esac
done
check "still running after the storm" '! screen | grep -q EXITED'

keys C-q
# work left (an ended call to wrap up, a kept draft) is asked about first: choose Quit
sleep 0.5
screen | grep -qF "Quit?" && keys Down Enter
check "^Q quits cleanly" 'wait_for "EXITED 0" 10'
check "the demo hub is stopped" '! pgrep -f "agentdesk-hub --demo --listen 127.0.0.1:[0-9]* --db $T/" >/dev/null'
check "the demo temp dir is removed" '[ -z "$(ls -A "$T/tmp")" ]'
check "its recordings are kept for the trainer's replay" 'ls "$T/state/agentdesk/demo-recordings/"*.jsonl >/dev/null 2>&1'
check "stdin flags restored (no O_NONBLOCK left for the shell)" 'keys "echo shell-ok" Enter; wait_for "shell-ok" 3'

# a crash: the terminal, the demo hub and the temp dir are cleaned up by the crash handler
tmux -L "$SOCK" kill-server 2>/dev/null
SOCK="$SOCK2"
tmux -L "$SOCK" new-session -d -s ad -x 100 -y 30 \
    "env TMPDIR='$T/tmp' XDG_STATE_HOME='$T/state' XDG_CONFIG_HOME='$T/cfg' '$B/agentdesk' --demo; \
     echo EXITED \$?; stty -a | tr ' ' '\n' | grep -x -e echo -e icanon | tr '\n' ' '; echo; sleep 30"
check "second demo connected" 'wait_for "connected" 20'
# our console: the child of this tmux pane's shell (other tests may run consoles too)
CPID=$(pgrep -P "$(tmux -L "$SOCK" list-panes -t ad -F '#{pane_pid}')" -f "agentdesk --demo" | head -1)
kill -SEGV "$CPID"
check "a crash exits by its signal" 'wait_for "EXITED 139" 10'
check "the terminal is back in its normal modes (icanon, echo)" 'wait_for "icanon echo" 5'
check "the demo hub is stopped after the crash" '! pgrep -f "agentdesk-hub --demo --listen 127.0.0.1:[0-9]* --db $T/" >/dev/null'
check "the demo temp dir is removed after the crash" '[ -z "$(ls -A "$T/tmp")" ]'

e2e_done
