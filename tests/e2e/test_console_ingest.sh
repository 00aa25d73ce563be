#!/bin/sh
# test_console_ingest.sh — the agent console in tmux (120x40) against a real hub fed through
# its ingest endpoint (`agentdesk-hub feed`):
#   * every line of ../shared/fixtures/blns.txt reaches the screen cleaned: no raw control
#     byte on screen and the box layout intact;
#   * the hub killed with kill -9 and restarted mid-call: the console says it is offline,
#     reconnects and resumes, and the transcript is complete and not doubled.
. "$(dirname "$0")/lib.sh"
need tmux
SOCK="agentdesk-e2e-$$-ingest"
# JSON string of one raw line: backslash, quote and every control byte escaped.
json_str() {
    LC_ALL=C awk 'BEGIN { for (i = 1; i < 32; i++) esc[sprintf("%c", i)] = sprintf("\\u%04x", i);
                          esc[sprintf("%c", 127)] = "\\u007f"; esc["\\"] = "\\\\"; esc["\""] = "\\\"" }
        { out = ""; n = length($0)
          for (i = 1; i <= n; i++) { c = substr($0, i, 1); out = out ((c in esc) ? esc[c] : c) }
          print out }'
}
# The screen's rows 2..38 are the three boxes: each starts and ends with a border cell.
# Bytes, not characters (LC_ALL=C): the same with mawk and with gawk in a UTF-8 locale.
layout_intact() {
    screen | LC_ALL=C awk 'NR >= 2 && NR <= 38 {
            if (substr($0, 1, 3) != "\342\224\202" && substr($0, 1, 3) != "\342\224\214" &&
                substr($0, 1, 3) != "\342\224\224") { print "row " NR ": " $0; bad = 1 } }
        END { exit bad }'
}

for k in users customers kb rules; do
    "$B/agentdesk-hub" import --db "$T/hub.db" "$k" "data/$k.json" >>"$T/import.out" 2>&1 ||
        { echo "import $k failed"; cat "$T/import.out"; }
done
echo demo-ingest >"$T/ingest.tok"
echo demo-agent-1 >"$T/agent.tok"
PORT=$(free_port)
start_hub || bad "hub starts"

tmux -L "$SOCK" new-session -d -s ad -x 120 -y 40 \
    "env XDG_STATE_HOME='$T/state' XDG_CONFIG_HOME='$T/cfg' AGENTDESK_LOG='$T/console.log' \
     '$B/agentdesk' --url ws://127.0.0.1:$PORT --token-file '$T/agent.tok'; sleep 30"
wait_for "connected" 10 && ok "console connects" || bad "console connects"

# ---- blns through ingest ----
{
    echo '{"type":"start","id":"b-start","iid":"E2E-B","channel":"chat","queue":"billing","agent":"agent-1","customer_id":"C-1001"}'
    n=0
    json_str <../shared/fixtures/blns.txt | while IFS= read -r s; do
        n=$((n + 1))
        printf '{"type":"utterance","id":"b-%d","iid":"E2E-B","uid":"b%d","speaker":"customer","text":"%s","final":true,"offset_ms":%d}\n' \
            "$n" "$n" "$s" "$((n * 100))"
    done
    printf '{"type":"utterance","id":"b-last","iid":"E2E-B","uid":"b-last","speaker":"customer","text":"%s","final":true,"offset_ms":99000}\n' \
        "blns-finished marker"
} >"$T/blns.jsonl"
feed "$T/blns.jsonl" && ok "blns fed through ingest" || { bad "blns fed through ingest"; tail -3 "$T/feed.out"; }
wait_for "blns-finished marker" 20 && ok "blns lines reached the screen" || bad "blns lines reached the screen"
if screen | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')"; then
    bad "no raw control byte on screen"
else
    ok "no raw control byte on screen"
fi
layout_intact && ok "layout intact after blns" || bad "layout intact after blns"
# scroll back through the whole blns transcript: every page keeps the layout
tmux -L "$SOCK" send-keys -t ad Escape
broken=0
for i in $(seq 1 40); do
    tmux -L "$SOCK" send-keys -t ad PPage
    sleep 0.05
    layout_intact >/dev/null || broken=1
    screen | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" && broken=1
done
[ $broken -eq 0 ] && ok "layout intact on every page of blns" || bad "layout intact on every page of blns"
tmux -L "$SOCK" send-keys -t ad End

# ---- kill -9 mid-call ----
utterance() {
    printf '{"type":"utterance","id":"k-%s","iid":"E2E-K","uid":"k%s","speaker":"customer","text":"resume-line-%s","final":true,"offset_ms":%d}\n' \
        "$1" "$1" "$1" "$((10#$1 * 1000))"
}
{
    echo '{"type":"start","id":"k-start","iid":"E2E-K","channel":"chat","queue":"billing","agent":"agent-1","customer_id":"C-1002"}'
    for i in 01 02 03 04 05; do utterance "$i"; done
} >"$T/k1.jsonl"
feed "$T/k1.jsonl" || bad "first half fed"
# make the new interaction the active one
tmux -L "$SOCK" send-keys -t ad Escape
for i in 1 2 3; do
    screen | grep -q "resume-line-05" && break
    tmux -L "$SOCK" send-keys -t ad ']'
    sleep 0.5
done
wait_for "resume-line-05" 10 && ok "first half on screen" || bad "first half on screen"
# a half-written reply stays with its customer: ] shows the other chat with an empty line,
# [ brings the draft back (Enter there would otherwise send it to the wrong customer)
line() { screen | sed -n 39p; }
tmux -L "$SOCK" send-keys -t ad "draft-for-K"
sleep 0.3
tmux -L "$SOCK" send-keys -t ad Escape
sleep 0.3
tmux -L "$SOCK" send-keys -t ad ']'
sleep 0.5
line | grep -q "draft-for-K" && bad "switching interaction leaves the draft behind" ||
    ok "switching interaction leaves the draft behind"
tmux -L "$SOCK" send-keys -t ad '['
sleep 0.5
if screen | grep -q "resume-line-05" && line | grep -q "draft-for-K"; then
    ok "switching back brings the draft back"
else
    bad "switching back brings the draft back"
fi
tmux -L "$SOCK" send-keys -t ad Enter C-u Escape
sleep 0.3
# the customer is half-way through a sentence when the hub dies
echo '{"type":"utterance","id":"k-part","iid":"E2E-K","uid":"kpart","speaker":"customer","text":"seven seven","final":false,"offset_ms":6000}' >"$T/kp.jsonl"
feed "$T/kp.jsonl" || bad "partial fed"
wait_for "[partial]" 5 && ok "the open partial is shown" || bad "the open partial is shown"
kill -9 "$HUBPID"
wait "$HUBPID" 2>/dev/null
HUBPID=""
wait_for "offline" 10 && ok "console shows the hub is offline" || bad "console shows the hub is offline"
wait_for "[cut off]" 5 && ! screen | grep -qF "[partial]" && ok "the partial nobody will finish says so" ||
    bad "the partial nobody will finish says so"
# a reply written while offline waits in the outbox; q asks before quitting
tmux -L "$SOCK" send-keys -t ad "written-offline-reply" Enter
sleep 0.3
tmux -L "$SOCK" send-keys -t ad Escape
sleep 0.3
wait_for "1 unsent" 5 && ok "the header counts the unsent reply" || bad "the header counts the unsent reply"
tmux -L "$SOCK" send-keys -t ad C-q
wait_for "Quit? 1 unsent" 5 && ok "^Q asks first when something is unsent" || bad "^Q asks first when something is unsent"
screen | sed -n 40p | grep -q "Esc stay" && ok "the hint bar speaks for the quit question" ||
    bad "the hint bar speaks for the quit question"
tmux -L "$SOCK" send-keys -t ad Escape
sleep 0.5
screen | grep -qF "Quit?" && bad "Esc keeps the console running" || ok "Esc keeps the console running"
start_hub && ok "hub restarted on the same database" || bad "hub restarted on the same database"
wait_for "connected" 20 && ok "console reconnects" || bad "console reconnects"
{
    for i in 06 07 08 09 10; do utterance "$i"; done
} >"$T/k2.jsonl"
feed "$T/k2.jsonl" || { bad "second half fed"; tail -3 "$T/feed.out"; }
wait_for "resume-line-10" 15 && ok "second half on screen" || bad "second half on screen"
sleep 1
counts=$(screen | grep -o 'resume-line-[0-9][0-9]' | sort | uniq -c | awk '{print $1}' | sort -u | tr '\n' ' ')
lines=$(screen | grep -o 'resume-line-[0-9][0-9]' | sort -u | wc -l)
replies=$(screen | grep -c 'written-offline-reply')
[ "$replies" -eq 1 ] && ok "the offline reply was sent after the restart, once" ||
    bad "the offline reply was sent after the restart, once ($replies on screen)"
if [ "$lines" -eq 10 ] && [ "$counts" = "1 " ]; then
    ok "transcript complete and not doubled after the restart"
else
    bad "transcript complete and not doubled after the restart ($lines distinct, counts: $counts)"
    screen
fi
layout_intact && ok "layout intact after the restart" || bad "layout intact after the restart"

# ---- an ended call not yet wrapped up survives a console restart ----
echo '{"type":"end","id":"k-end","iid":"E2E-K","reason":"resolved"}' >"$T/k3.jsonl"
feed "$T/k3.jsonl" && ok "end fed" || bad "end fed"
tmux -L "$SOCK" send-keys -t ad C-q
wait_for "1 to wrap up" 5 && ok "^Q asks first when an ended call awaits its wrap-up" ||
    bad "^Q asks first when an ended call awaits its wrap-up"
tmux -L "$SOCK" send-keys -t ad Down Enter
gone=1
for i in $(seq 1 50); do screen | grep -qF "Edith Pem" || { gone=0; break; }; sleep 0.1; done
[ $gone -eq 0 ] && ok "the first console quits" || bad "the first console quits"
# the same pane, a new console with a fresh state directory: it says a plain hello
tmux -L "$SOCK" respawn-pane -k -t ad \
    "env XDG_STATE_HOME='$T/state2' XDG_CONFIG_HOME='$T/cfg' AGENTDESK_LOG='$T/console2.log' \
     '$B/agentdesk' --url ws://127.0.0.1:$PORT --token-file '$T/agent.tok'; sleep 30"
wait_for "connected" 10 && ok "a new console connects" || bad "a new console connects"
# its list row says "wrap up" once the replay has reached its interaction.ended (after
# the whole blns chat, which is slow under the sanitizers)
awaits=1
for i in $(seq 1 300); do
    screen | grep -F "Edith Pem" | grep -qF "wrap up" && { awaits=0; break; }
    sleep 0.1
done
if [ $awaits -eq 0 ]; then
    ok "the ended call awaits its wrap-up in a new console"
else
    bad "the ended call awaits its wrap-up in a new console"
fi

tmux -L "$SOCK" send-keys -t ad C-q
sleep 0.5
e2e_done
