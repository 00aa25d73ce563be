#!/bin/sh
# test_hub_cli.sh — the agentdesk-hub binary from the outside: options and exit codes,
# --demo seeding and simulating, /healthz, /metrics, 404, TLS, the analyze / import / feed
# subcommands, recordings on disk, and a clean stop on SIGTERM.
. "$(dirname "$0")/lib.sh"
HUB="$B/agentdesk-hub"
need curl ss sqlite3 openssl
tmp=$T

wait_up() { # port
    i=0
    while [ $i -lt 100 ]; do
        curl -s -k -o /dev/null "$2://127.0.0.1:$1/healthz" && return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}

# --- options ---
"$HUB" --help >"$tmp/help" 2>&1; rc=$?
check "--help exits 0" '[ $rc -eq 0 ]'
check "--help lists every option" '(for o in --listen --db --data --record-dir --tls-cert --tls-key --log --demo --idle-timeout --outbox-kib --flood --contactlens-agent; do grep -q -- "$o" "$tmp/help" || exit 1; done)'
check "--version" '"$HUB" --version | grep -q "^agentdesk-hub [0-9]"'
"$HUB" --bogus >"$tmp/out" 2>"$tmp/err"; rc=$?
check "unknown option exits 2" '[ $rc -eq 2 ]'
check "unknown option names it" 'grep -q -- "--bogus" "$tmp/err"'
check "nothing on stdout for a usage error" '[ ! -s "$tmp/out" ]'
"$HUB" --listen nonsense 2>/dev/null; rc=$?
check "bad --listen exits 2" '[ $rc -eq 2 ]'
"$HUB" --listen 192.0.2.1:7399 --db "$tmp/x.db" 2>"$tmp/err"; rc=$?
check "an address that is not ours is refused" '[ $rc -eq 1 ] && grep -q "not an address of this machine" "$tmp/err"'

# --- demo ---
port=$(free_port)
AGENTDESK_SIM_SPEED=20 "$HUB" --demo --listen "127.0.0.1:$port" --db "$tmp/demo.db" \
    --record-dir "$tmp/rec" --log "$tmp/hub.log" >"$tmp/demo.out" 2>&1 &
HUBPID=$!
check "demo hub answers /healthz" 'wait_up $port http'
check "--listen 127.0.0.1 listens on loopback only" 'ss -ltn | grep -q " 127.0.0.1:$port " && ! ss -ltn | grep -Eq " (\*|0\.0\.0\.0|\[::\]):$port "'
check "healthz is ok with enrichment on" 'curl -s "http://127.0.0.1:$port/healthz" | grep -q "\"status\":\"ok\".*\"assist\":true"'
sleep 2
committed=$(curl -s "http://127.0.0.1:$port/metrics" | sed -n 's/^agentdesk_events_committed_total //p')
check "the simulator's events are committed" '[ "${committed:-0}" -gt 10 ]'
check "metrics are Prometheus text" 'curl -s "http://127.0.0.1:$port/metrics" | grep -q "^# TYPE agentdesk_ingest_to_send_seconds histogram"'
code=$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$port/nope")
check "unknown path is 404" '[ "$code" = 404 ]'
check "demo users were seeded" '[ "$(sqlite3 "$tmp/demo.db" "SELECT count(*) FROM users")" -ge 11 ]'
printf 'demo-ingest\n' >"$tmp/tok"
cat >"$tmp/call.jsonl" <<'JSONL'
{"type":"start","iid":"e2e-1","channel":"chat","queue":"billing","agent":"agent-2","customer_id":"C-1001"}
{"type":"utterance","iid":"e2e-1","uid":"a","speaker":"customer","text":"my card 4111 1111 1111 1111 was charged twice","final":true,"offset_ms":100}
{"type":"end","iid":"e2e-1","reason":"resolved"}
JSONL
"$HUB" feed --url "ws://127.0.0.1:$port" --token-file "$tmp/tok" "$tmp/call.jsonl" 2>"$tmp/feed.err"; rc=$?
check "feed exits 0 once acked" '[ $rc -eq 0 ]'
check "the fed interaction was recorded" '[ -f "$tmp/rec/e2e-1.jsonl" ]'
check "recording header" 'head -n 1 "$tmp/rec/e2e-1.jsonl" | grep -q "\"format\":\"agentdesk.recording\",\"version\":1"'
check "recording has no card number" '! grep -q "4111 1111" "$tmp/rec/e2e-1.jsonl"'
check "recording ends with interaction.ended" 'tail -n 1 "$tmp/rec/e2e-1.jsonl" | grep -q "\"type\":\"interaction.ended\""'
kill -TERM "$HUBPID"; wait "$HUBPID"; rc=$?; HUBPID=""
check "SIGTERM stops with status 0" '[ $rc -eq 0 ]'
check "the demo says where it listens" 'grep -q "listening on ws://127.0.0.1:$port" "$tmp/demo.out"'
check "and which tokens it knows" 'grep -qE "^ +demo-agent-1 +agent +Ana Ruiz" "$tmp/demo.out" && grep -qE "^ +demo-ingest +ingest" "$tmp/demo.out"'
check "and nothing else (the log has the rest)" '[ "$(grep -cvE "^(agentdesk-hub --demo: listening|  database|  demo tokens|    demo-)" "$tmp/demo.out")" = 0 ]'
check "simulated calls ended with reason shutdown" 'grep -l "\"reason\":\"shutdown\"" "$tmp"/rec/sim-*.jsonl >/dev/null 2>&1'
users=$(sqlite3 "$tmp/demo.db" "SELECT count(*) FROM users")
port=$(free_port)
AGENTDESK_SIM_SPEED=20 "$HUB" --demo --listen "127.0.0.1:$port" --db "$tmp/demo.db" --record-dir "$tmp/rec" >/dev/null 2>&1 &
HUBPID=$!
check "a restarted demo hub comes up on the same db" 'wait_up $port http'
check "an existing db is not seeded again" '[ "$(sqlite3 "$tmp/demo.db" "SELECT count(*) FROM users")" = "$users" ]'
sleep 1
live=$(curl -s "http://127.0.0.1:$port/healthz" | sed -n 's/.*"live":\([0-9]*\).*/\1/p')
kill -KILL "$HUBPID"; wait "$HUBPID" 2>/dev/null; HUBPID=""
check "calls were live at the kill -9" '[ "${live:-0}" -gt 0 ]'
port=$(free_port)
"$HUB" --demo --listen "127.0.0.1:$port" --db "$tmp/demo.db" --record-dir "$tmp/rec" >/dev/null 2>&1 &
HUBPID=$!
check "the hub restarts after kill -9" 'wait_up $port http'
check "simulated calls orphaned by the kill are ended" 'grep -l "\"reason\":\"hub_restart\"" "$tmp"/rec/sim-*.jsonl >/dev/null 2>&1'
kill -TERM "$HUBPID"; wait "$HUBPID"; rc=$?; HUBPID=""
check "and stops cleanly" '[ $rc -eq 0 ]'
check "no interaction is left live in the database" '[ "$(sqlite3 "$tmp/demo.db" "SELECT count(*) FROM interactions WHERE ended_ms IS NULL")" = 0 ]'

# --- an idle hub sleeps: no live call, no connection, so no tick; a process that sleeps in
# poll counts one voluntary context switch per wake-up (the old once-a-second tick made 3+) ---
sleeps() { awk '/^voluntary_ctxt_switches/ {n += $2} END {print n + 0}' /proc/"$1"/task/*/status; }
port=$(free_port)
"$HUB" --listen "127.0.0.1:$port" --db "$tmp/idle.db" --record-dir "$tmp/rec3" >/dev/null 2>&1 &
HUBPID=$!
check "an idle hub comes up" 'wait_up $port http'
sleep 1.5   # past the first tick, which finds no work
s0=$(sleeps "$HUBPID"); sleep 3; s1=$(sleeps "$HUBPID")
check "an idle hub does not wake in 3 s (woke $((s1 - s0)) times)" '[ $((s1 - s0)) -le 1 ]'
kill -TERM "$HUBPID"; wait "$HUBPID"; HUBPID=""

# --- TLS ---
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
        -days 1 -subj "/CN=127.0.0.1" >"$tmp/openssl.out" 2>&1; then
    ok "openssl makes a certificate for the TLS check"
    port=$(free_port)
    "$HUB" --listen "127.0.0.1:$port" --db "$tmp/tls.db" --record-dir "$tmp/rec2" \
        --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" >/dev/null 2>&1 &
    HUBPID=$!
    check "https /healthz with --tls-cert" 'wait_up $port https'
    # Firehose delivers over HTTPS; an h2-capable client must still reach the access key
    # (the hub offers HTTP/1.1 only: lws does not pass an h2 request's own headers on)
    printf '[{"name":"connect","display_name":"c","role":"ingest","token":"tok-firehose"}]' >"$tmp/fh-users.json"
    "$HUB" import --db "$tmp/tls.db" users "$tmp/fh-users.json" >/dev/null 2>&1
    ev=$(printf '%s' '{"Version":"1.0.0","ContactId":"fh-tls","EventType":"STARTED"}' | base64 -w0)
    code=$(curl -sk --http2 -o "$tmp/fh.out" -w '%{http_code}' -H 'X-Amz-Firehose-Request-Id: tls-1' \
        -H 'X-Amz-Firehose-Access-Key: tok-firehose' --data "{\"requestId\":\"tls-1\",\"timestamp\":0,\"records\":[{\"data\":\"$ev\"}]}" \
        "https://127.0.0.1:$port/v1/firehose")
    check "POST /v1/firehose over https answers 200 with the request id" \
        '[ "$code" = 200 ] && grep -q "\"requestId\":\"tls-1\"" "$tmp/fh.out"'
    kill -TERM "$HUBPID"; wait "$HUBPID"; HUBPID=""
else
    bad "openssl makes a certificate for the TLS check: $(tail -n 3 "$tmp/openssl.out")"
fi
"$HUB" --tls-cert "$tmp/cert.pem" 2>/dev/null; rc=$?
check "--tls-cert without --tls-key is a usage error" '[ $rc -eq 2 ]'

# --- analyze and import ---
out=$(printf 'I want to cancel my account\nthanks, that sorted it\n' | "$HUB" analyze --db "$tmp/an.db")
check "analyze answers one JSON line per input line" '[ "$(printf "%s\n" "$out" | wc -l)" -eq 2 ]'
check "analyze gives sentiment" 'printf "%s\n" "$out" | head -n 1 | grep -q "\"sentiment\""'
printf '[{"name":"x","role":"wizard","token":"t"}]' >"$tmp/bad-users.json"
"$HUB" import --db "$tmp/imp.db" users "$tmp/bad-users.json" >/dev/null 2>"$tmp/imp.err"; rc=$?
check "import refuses a bad record" '[ $rc -ne 0 ] && [ -s "$tmp/imp.err" ]'

e2e_done
