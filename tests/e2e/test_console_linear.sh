#!/bin/sh
# test_console_linear.sh — `agentdesk --linear` against a real hub: plain lines for events,
# commands from stdin (/reply, /use, /note, /hand, /wrapup — refused while the chat is live,
# applied after its end — /quit), and the outbox: a reply
# written while the hub is down is kept on disk, survives quitting, and is sent exactly once
# by the next run.
. "$(dirname "$0")/lib.sh"
need openssl
need sqlite3
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

O1="$T/out1"
console "$O1"
check "signed in" 'wait_out "$O1" "signed in as agent-1 (Ana Ruiz), role agent" 10'
cat >"$T/l1.jsonl" <<'J'
{"type":"start","id":"l-start","iid":"LIN-1","channel":"chat","queue":"billing","agent":"agent-1","customer_id":"C-1001"}
{"type":"utterance","id":"l-1","iid":"LIN-1","uid":"c1","speaker":"customer","text":"I was charged twice for March","final":false,"offset_ms":1000}
{"type":"utterance","id":"l-2","iid":"LIN-1","uid":"c1","speaker":"customer","text":"I was charged twice for March and I want a refund","final":true,"offset_ms":1000}
J
feed "$T/l1.jsonl" || bad "fed"
check "interaction started line" 'wait_out "$O1" "[LIN-1] started chat billing: Daniel Whitaker (C-1001)" 10'
check "final utterance line" 'wait_out "$O1" "[LIN-1] 00:01 customer: I was charged twice for March and I want a refund" 10'
check "the partial is not printed" '! grep -q "customer: I was charged twice for March$" "$O1"'
check "a suggestion is offered" 'wait_out "$O1" "suggestion (/use 1)" 10'
say "/reply hello from the linear console"
check "my reply comes back as the agent's line" 'wait_out "$O1" "agent: hello from the linear console" 10'
say "/use 1"
check "/use 1 sends the suggestion" 'wait_re_count=$(grep -c "\[LIN-1\] [0-9:]* agent: " "$O1"); sleep 2; [ $(grep -c "\[LIN-1\] [0-9:]* agent: " "$O1") -ge 2 ]'
say "/note customer double charged"
check "/note is saved" 'wait_out "$O1" "note by agent-1: customer double charged" 10'
say "/hand"
check "/hand raises a hand" 'wait_out "$O1" "hand raised by" 10'
say "/break"
check "/break: the hub has the agent on a break (agent.status)" 'wait_out "$O1" "status: ON BREAK" 10'
check "the break is kept by the hub" '[ "$(sqlite3 "$T/hub.db" "SELECT state FROM agent_status WHERE agent='"'"'agent-1'"'"'")" = break ]'
say "/break"
check "/break again: available" 'wait_out "$O1" "status: AVAILABLE" 10'
say "/bogus"
check "an unknown command says so" 'wait_out "$O1" "error: unknown command /bogus" 5'
# a wrap-up is after-contact work: refused by the hub while the customer is still there
say "/wrapup resolved Refunded the duplicate charge"
check "/wrapup of a live chat is refused" 'wait_out "$O1" "error: wrap-up refused: the interaction is still live" 10'
say "/reply still with you"
check "the chat stays open after the refused wrap-up" 'wait_out "$O1" "agent: still with you" 10'
check "nothing claimed a wrap-up" '! grep -qF -e "wrap-up saved" -e "[LIN-1] wrapped up" "$O1"'
echo '{"type":"end","id":"l-end","iid":"LIN-1","reason":"resolved"}' >"$T/l1end.jsonl"
feed "$T/l1end.jsonl" || bad "fed the end of LIN-1"
check "the chat ends" 'wait_out "$O1" "[LIN-1] ended: resolved" 10'
say "/wrapup resolved Refunded the duplicate charge"
check "/wrapup after the end is applied" 'wait_out "$O1" "[LIN-1] wrapped up: resolved" 10'
say "/quit"
check "/quit exits 0 with nothing unsent" 'wait_exit && [ "$RC" -eq 0 ]'
exec 7>&-
check "no reply doubled" '[ $(grep -c "agent: hello from the linear console" "$O1") -eq 1 ]'
check "no control byte in the output" '! LC_ALL=C grep -q "$(printf "[\001-\010\013-\037\177]")" "$O1"'

# ---- the outbox across a hub outage and a restart of the console ----
cat >"$T/l2.jsonl" <<'J'
{"type":"start","id":"m-start","iid":"LIN-2","channel":"chat","queue":"billing","agent":"agent-1","customer_id":"C-1002"}
{"type":"utterance","id":"m-1","iid":"LIN-2","uid":"m1","speaker":"customer","text":"are you there?","final":true,"offset_ms":1000}
J
feed "$T/l2.jsonl" || bad "fed LIN-2"
O2="$T/out2"
console "$O2"
check "second run sees LIN-2" 'wait_out "$O2" "[LIN-2] 00:01 customer: are you there?" 10'
stop_hub
check "the console notices the hub is gone" 'wait_out "$O2" "connection: lost" 10'
say "/reply written while the hub was down"
sleep 0.5
check "the reply is on disk before it is sent" 'grep -q "written while the hub was down" "$T"/state/agentdesk/outbox-*.jsonl'
say "/quit"
check "/quit asks first when something is unsent" 'wait_out "$O2" "not yet acknowledged by the hub" 5'
say "/quit"
check "the second /quit exits" 'wait_exit'
exec 7>&-
start_hub || bad "hub restarts"
O3="$T/out3"
console "$O3"
check "the next run announces the kept reply" 'wait_out "$O3" "1 action(s) from an earlier run will be sent" 5'
check "the kept reply reaches the hub and comes back" 'wait_out "$O3" "agent: written while the hub was down" 15'
sleep 1
check "it was applied once" '[ $(grep -c "agent: written while the hub was down" "$O3") -eq 1 ]'
check "the outbox file is gone once acked" '! ls "$T"/state/agentdesk/outbox-*.jsonl >/dev/null 2>&1'
say "/quit"
wait_exit
exec 7>&-

# ---- wss:// with a private CA (the openssl tool makes the certificate) ----
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 2 \
       -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >"$T/openssl.out" 2>&1; then
    ok "openssl makes a certificate for the TLS checks"
    stop_hub
    PORT=$(free_port)
    "$B/agentdesk-hub" --listen "127.0.0.1:$PORT" --db "$T/hub.db" --record-dir "$T/rec" \
        --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" >>"$T/hub.out" 2>&1 &
    HUBPID=$!
    for i in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
    O4="$T/out4"
    env XDG_STATE_HOME="$T/state" "$B/agentdesk" --linear --url "wss://127.0.0.1:$PORT" --ca "$T/cert.pem" \
        --token-file "$T/agent.tok" </dev/null >"$O4" 2>&1 &
    CPID=$!
    check "wss:// with --ca signs in" 'wait_out "$O4" "connected to wss://127.0.0.1:$PORT" 10'
    kill "$CPID"; wait "$CPID" 2>/dev/null
    O5="$T/out5"
    env XDG_STATE_HOME="$T/state" "$B/agentdesk" --linear --url "wss://127.0.0.1:$PORT" \
        --token-file "$T/agent.tok" </dev/null >"$O5" 2>&1 &
    CPID=$!
    check "wss:// refuses an unknown certificate" 'wait_out "$O5" "SSL" 10 && ! grep -q "signed in" "$O5"'
    kill "$CPID"; wait "$CPID" 2>/dev/null
    CPID=""
else
    bad "openssl makes a certificate for the TLS checks: $(tail -n 3 "$T/openssl.out")"
fi
e2e_done
