#!/bin/sh
# test_hub_bus_tls.sh — two hubs on one bus over TLS (rediss://): a private Redis serving only
# TLS with a certificate of a CA made here, both hubs checking it with --bus-ca-file; an
# interaction started on hub A reaches an agent's console on hub B, whose reply (forwarded to
# A over the bus) is in the stream; a hub refuses, naming why, a Redis whose certificate it
# cannot trust (no CA given), one that does not name the host asked for, and a plain
# connection to the TLS port.
. "$(dirname "$0")/lib.sh"
need openssl redis-cli curl
REDIS_BIN=${AGENTDESK_REDIS:-/usr/bin/redis-check-rdb}
[ -x "$REDIS_BIN" ] || bad "redis-check-rdb is installed (redis-tools, scripts/deps.sh)"

# a CA and Redis's certificate for 127.0.0.1
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/ca.key" -out "$T/ca.crt" -days 2 -subj "/CN=agentdesk test CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$T/redis.key" -out "$T/redis.csr" -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$T/ext.cnf"
openssl x509 -req -in "$T/redis.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -CAcreateserial -out "$T/redis.crt" \
    -days 2 -extfile "$T/ext.cnf" 2>/dev/null
check "the test's certificates are made" '[ -s "$T/redis.crt" ]'

RPORT=$(free_port)
ln -s "$REDIS_BIN" "$T/redis-server"
"$T/redis-server" --port 0 --tls-port "$RPORT" --bind 127.0.0.1 127.0.0.2 --tls-cert-file "$T/redis.crt" \
    --tls-key-file "$T/redis.key" --tls-ca-cert-file "$T/ca.crt" --tls-auth-clients no --dir "$T" \
    --appendonly yes --appendfsync always --save '' >"$T/redis.log" 2>&1 &
RPID=$!
HUBS=""
cleanup() {
    for p in $HUBS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    kill "$RPID" 2>/dev/null; wait "$RPID" 2>/dev/null
    [ -n "${RPID2:-}" ] && { kill "$RPID2" 2>/dev/null; wait "$RPID2" 2>/dev/null; }
}
rcli() { redis-cli --tls --cacert "$T/ca.crt" -h 127.0.0.1 -p "$RPORT" "$@"; }
for i in $(seq 1 50); do rcli ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
check "Redis serves TLS" 'rcli ping 2>/dev/null | grep -q PONG'

for x in a b; do
    "$B/agentdesk-hub" import --db "$T/$x.db" users "${AGENTDESK_ROOT:-.}/data/users.json" >/dev/null 2>&1
done
PA=$(free_port); PB=$(free_port)
URL="rediss://127.0.0.1:$RPORT/tls"
hub() { # NAME PORT [more options]
    local n=$1 p=$2; shift 2
    "$B/agentdesk-hub" --listen "127.0.0.1:$p" --db "$T/$n.db" --record-dir "$T/rec-$n" --log "$T/$n.log" \
        --bus "$URL" --hub-name "$n" "$@" >>"$T/$n.out" 2>&1 &
    local pid=$!
    HUBS="$HUBS $pid"
    # up to 30 s: a hub's first start in a fresh root, beside the rest of `make test`, once
    # took over 10 s (or died: what it said is shown); a healthy one answers at once
    for i in $(seq 1 300); do
        curl -s -o /dev/null "http://127.0.0.1:$p/healthz" && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "hub $n did not start; it said:" >&2
    tail -n 20 "$T/$n.out" "$T/$n.log" >&2 2>/dev/null
    return 1
}
check "hub A starts on rediss:// with the CA" 'hub a "$PA" --bus-ca-file "$T/ca.crt"'
check "hub B starts on rediss:// with the CA" 'hub b "$PB" --bus-ca-file "$T/ca.crt"'
check "both report the bus up" 'curl -s "http://127.0.0.1:$PA/metrics" | grep -q "^agentdesk_bus_up 1" && curl -s "http://127.0.0.1:$PB/metrics" | grep -q "^agentdesk_bus_up 1"'

echo demo-ingest >"$T/ingest.tok"
echo demo-agent-1 >"$T/agent.tok"
cat >"$T/start.jsonl" <<'JSON'
{"type":"start","id":"s1","iid":"TLS-1","channel":"chat","agent":"agent-1","queue":"billing","customer_id":"C-1001"}
{"type":"utterance","id":"u1","iid":"TLS-1","uid":"c1","speaker":"customer","text":"my bill is wrong this month","final":true,"offset_ms":1000}
JSON
check "ingest on hub A is acknowledged" '"$B/agentdesk-hub" feed --url "ws://127.0.0.1:$PA" --token-file "$T/ingest.tok" "$T/start.jsonl" >>"$T/feed.out" 2>&1'
console "$T/agent.out" "ws://127.0.0.1:$PB" "$T/agent.tok"
check "the agent's console on hub B shows A's customer line" 'wait_out "$T/agent.out" "my bill is wrong this month" 10'
say "let me look at the bill for you"
check "the reply is on the console" 'wait_out "$T/agent.out" "let me look at the bill for you" 10'
check "the reply is in the stream (appended by A, the owner)" 'rcli xrange agentdesk:tls:events - + | grep -q "let me look at the bill for you"'
check "A appended it: the entry names hub a" 'rcli xrange agentdesk:tls:events - + | grep -B 20 "let me look at the bill" | grep -qx "a"'
say "/quit"
wait_exit >/dev/null

"$B/agentdesk-hub" --listen "127.0.0.1:$(free_port)" --db "$T/c.db" --bus "$URL" >"$T/c.out" 2>&1; rc=$?
check "without the CA: refused at start" '[ $rc -ne 0 ] && grep -q "certificate" "$T/c.out"'
# 127.0.0.2 is this machine too (all of 127/8), but the certificate names 127.0.0.1 only
"$B/agentdesk-hub" --listen "127.0.0.1:$(free_port)" --db "$T/c.db" --bus "rediss://127.0.0.2:$RPORT/tls" \
    --bus-ca-file "$T/ca.crt" >"$T/c.out" 2>&1; rc=$?
check "a certificate for another address: refused, saying so" '[ $rc -ne 0 ] && grep -q "mismatch" "$T/c.out"'
"$B/agentdesk-hub" --listen "127.0.0.1:$(free_port)" --db "$T/c.db" --bus "redis://127.0.0.1:$RPORT/tls" \
    >"$T/c.out" 2>&1; rc=$?
check "plain redis:// to the TLS port: refused" '[ $rc -ne 0 ] && grep -q "bus unreachable" "$T/c.out"'

# a Redis that asks for a client certificate: without one the hub is refused, with one it works
openssl req -newkey rsa:2048 -nodes -keyout "$T/hub.key" -out "$T/hub.csr" -subj "/CN=hub" 2>/dev/null
openssl x509 -req -in "$T/hub.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -CAcreateserial -out "$T/hub.crt" -days 2 2>/dev/null
RPORT2=$(free_port)
"$T/redis-server" --port 0 --tls-port "$RPORT2" --bind 127.0.0.1 --tls-cert-file "$T/redis.crt" \
    --tls-key-file "$T/redis.key" --tls-ca-cert-file "$T/ca.crt" --tls-auth-clients yes --dir "$T" \
    --dbfilename dump2.rdb --save '' >"$T/redis2.log" 2>&1 &
RPID2=$!
for i in $(seq 1 50); do
    redis-cli --tls --cacert "$T/ca.crt" --cert "$T/hub.crt" --key "$T/hub.key" -h 127.0.0.1 -p "$RPORT2" ping 2>/dev/null |
        grep -q PONG && break
    sleep 0.1
done
"$B/agentdesk-hub" --listen "127.0.0.1:$(free_port)" --db "$T/d.db" --bus "rediss://127.0.0.1:$RPORT2/mtls" \
    --bus-ca-file "$T/ca.crt" >"$T/d.out" 2>&1; rc=$?
check "Redis asking for a client certificate: refused without one" '[ $rc -ne 0 ] && grep -q "bus unreachable" "$T/d.out"'
PD=$(free_port)
"$B/agentdesk-hub" --listen "127.0.0.1:$PD" --db "$T/d.db" --bus "rediss://127.0.0.1:$RPORT2/mtls" \
    --bus-ca-file "$T/ca.crt" --bus-cert "$T/hub.crt" --bus-key "$T/hub.key" >"$T/d.out" 2>&1 &
HUBS="$HUBS $!"
up=1
for i in $(seq 1 300); do curl -s "http://127.0.0.1:$PD/metrics" | grep -q "^agentdesk_bus_up 1" && { up=0; break; }; sleep 0.1; done
check "with --bus-cert and --bus-key: on the bus" '[ $up -eq 0 ]'
kill "$RPID2" 2>/dev/null
e2e_done
