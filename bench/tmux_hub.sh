# tmux_hub.sh — sourced by the console benchmarks (bash): a temp dir, a private tmux server
# and a hub process, all cleaned up on exit, and the helpers to find a port and read the
# screen, and start_hub: the demo data imported, tokens for demo-ingest and demo-agent-1, the
# hub listening on $PORT (pid $HUBPID). The caller sets TAG (names the temp dir and tmux socket) before sourcing.
B=${AGENTDESK_BUILD:-$(pwd)/build}
T=$(mktemp -d "${TMPDIR:-/tmp}/agentdesk-$TAG-XXXXXX")
SOCK="agentdesk-$TAG-$$"
HUBPID=""
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    if [ -n "$HUBPID" ]; then kill "$HUBPID" 2>/dev/null; wait "$HUBPID" 2>/dev/null; fi
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
free_port() {
    while :; do
        p=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
}
screen() { tmux -L "$SOCK" capture-pane -p -t b; }
wait_for() {
    local i
    for i in $(seq 1 $(($2 * 10))); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done
    return 1
}
start_hub() {
    for k in users customers kb rules; do
        "$B/agentdesk-hub" import --db "$T/hub.db" "$k" "data/$k.json" >/dev/null 2>&1 || { echo "import $k failed"; exit 1; }
    done
    echo demo-ingest >"$T/ingest.tok"
    echo demo-agent-1 >"$T/agent.tok"
    PORT=$(free_port)
    "$B/agentdesk-hub" --listen "127.0.0.1:$PORT" --db "$T/hub.db" --record-dir "$T/rec" \
        --ingest-flood 1000000 >"$T/hub.out" 2>&1 &
    HUBPID=$!
    for i in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
}
