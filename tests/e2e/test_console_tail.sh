#!/bin/sh
# test_console_tail.sh — a tail-only join with the real console: a chat of 20,000 lines is on
# the hub when `agentdesk --linear --scrollback 1000` signs in; the console says keep_lines
# 1000, gets and shows the latest 1000 lines (the last one included, the first ones not)
# and the interaction's state (its customer, its latest sentiment), not the whole history.
. "$(dirname "$0")/lib.sh"
CPID=""
cleanup() {
    exec 7>&- 2>/dev/null
    [ -n "$CPID" ] && kill "$CPID" 2>/dev/null
}

for k in users customers kb rules; do
    "$B/agentdesk-hub" import --db "$T/hub.db" "$k" "data/$k.json" >>"$T/import.out" 2>&1
done
echo demo-ingest >"$T/ingest.tok"
echo demo-agent-1 >"$T/agent.tok"
PORT=$(free_port)
start_hub || bad "hub starts"

{
    echo '{"type":"start","id":"t-start","iid":"TAIL-1","channel":"chat","queue":"billing","agent":"agent-1","customer_id":"C-1001"}'
    awk 'BEGIN { for (i = 0; i < 20000; i++)
        printf "{\"type\":\"utterance\",\"id\":\"t-%d\",\"iid\":\"TAIL-1\",\"uid\":\"u%d\",\"speaker\":\"%s\",\"text\":\"tail-line-%05d\",\"final\":true,\"offset_ms\":%d}\n",
               i, i, (i % 2 ? "agent" : "customer"), i, i * 10 }'
} >"$T/long.jsonl"
feed "$T/long.jsonl" && ok "20,000 lines fed" || { bad "20,000 lines fed"; tail -3 "$T/feed.out"; }

O="$T/out"
rm -f "$T/in"; mkfifo "$T/in"
env XDG_STATE_HOME="$T/state" XDG_CONFIG_HOME="$T/cfg" AGENTDESK_LOG="$O.log" \
    "$B/agentdesk" --linear --scrollback 1000 --url "ws://127.0.0.1:$PORT" --token-file "$T/agent.tok" \
    <"$T/in" >"$O" 2>"$O.err" &
CPID=$!
exec 7>"$T/in"
check "the latest line is shown" 'wait_out "$O" "tail-line-19999" 20'
sleep 1
lines=$(grep -c "tail-line-" "$O")
check "at most 1000 lines came (got $lines)" '[ "$lines" -le 1000 ] && [ "$lines" -ge 999 ]'
check "the first line of the tail is shown" 'grep -q "tail-line-19000" "$O"'
check "lines before the tail are not" '! grep -q "tail-line-18999" "$O" && ! grep -q "tail-line-00000" "$O"'
check "the customer is shown" 'grep -q "\[TAIL-1\] customer " "$O"'
check "one sentiment, the latest" '[ "$(grep -c "\[TAIL-1\] sentiment" "$O")" -eq 1 ]'
check "the console said keep_lines" 'grep -q "hello sent (resume_after 0, keep_lines 1000)" "$O.log"'
say "/quit"
wait_exit || bad "console quits"
e2e_done
