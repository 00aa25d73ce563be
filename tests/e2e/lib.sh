# tests/e2e/lib.sh — helpers shared by the end-to-end scripts, sourced first thing by each:
#     . "$(dirname "$0")/lib.sh"
# Not named test_*.sh, so tests/run.sh does not run it on its own.
# Gives: $NAME (the script's name for the closing line), $B (build dir), $T (temp dir, kept
# when KEEP is set), pass/fail counters with ok/bad/check, a cleanup on exit, free_port,
# start_hub/feed (a hub on $PORT, its pid in $HUBPID), and screen/wait_for/wait_re for a
# console in tmux on socket $SOCK, window "ad" (set SOCK after sourcing), and a --linear
# console on a fifo (console/say/wait_out/wait_exit).
# A script may define cleanup() for children of its own; it runs at exit, after the tmux
# server on $SOCK is killed and before the hub in $HUBPID is stopped.
# The scripts are started with `sh`; everything here needs bash, so re-exec under it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
NAME=$(basename "$0")
B=${AGENTDESK_BUILD:-$(pwd)/build}
T=$(mktemp -d "${TMPDIR:-/tmp}/agentdesk-e2e-XXXXXX")
SOCK=""; HUBPID=""
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() {
    fail=$((fail + 1)); echo "FAIL - $1"
    if [ -n "$SOCK" ]; then
        echo "---- screen ----"; tmux -L "$SOCK" capture-pane -p -t ad 2>/dev/null; echo "----"
    fi
}
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
# need TOOL...: a tool a script calls. A missing one is a failure, never a skip: scripts/deps.sh
# installs every tool the tests call, so a missing tool is a missing install step.
need() {
    local t
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || bad "the tool '$t' is installed (scripts/deps.sh installs it)"
    done
}
# The closing line tests/run.sh reads; the script's last command, so its status is the exit.
e2e_done() {
    echo "$NAME: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
e2e_exit() {
    [ -n "$SOCK" ] && tmux -L "$SOCK" kill-server 2>/dev/null
    declare -F cleanup >/dev/null && cleanup
    if [ -n "$HUBPID" ]; then kill "$HUBPID" 2>/dev/null; wait "$HUBPID" 2>/dev/null; fi
    [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap e2e_exit EXIT
trap 'exit 1' INT TERM
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
}
start_hub() {
    "$B/agentdesk-hub" --listen "127.0.0.1:$PORT" --db "$T/hub.db" --record-dir "$T/rec" \
        --log "$T/hub.log" >>"$T/hub.out" 2>&1 &
    HUBPID=$!
    local i
    for i in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
feed() { "$B/agentdesk-hub" feed --url "ws://127.0.0.1:$PORT" --token-file "$T/ingest.tok" "$1" >>"$T/feed.out" 2>&1; }
screen() { tmux -L "$SOCK" capture-pane -p -t ad; }
stop_hub() { kill "$HUBPID"; wait "$HUBPID" 2>/dev/null; HUBPID=""; }
# A --linear console reading commands from a fifo (fd 7 here: `say` writes a line to it),
# writing to OUT (its stderr to OUT.err, its log to OUT.log); its pid in $CPID.
console() {   # OUT [URL] [TOKEN-FILE] [STATE-DIR]
    rm -f "$T/in"; mkfifo "$T/in"
    env XDG_STATE_HOME="${4:-$T/state}" XDG_CONFIG_HOME="$T/cfg" AGENTDESK_LOG="$1.log" \
        "$B/agentdesk" --linear --url "${2:-ws://127.0.0.1:$PORT}" --token-file "${3:-$T/agent.tok}" \
        <"$T/in" >"$1" 2>"$1.err" &
    CPID=$!
    exec 7>"$T/in"
}
# A console that has already exited (the first /quit of two was enough) leaves no reader on
# the FIFO; writing then must be a failed say, not a SIGPIPE that kills the whole test script.
say() { ( trap '' PIPE; echo "$1" >&7 ) 2>/dev/null; }
wait_out() {   # FILE TEXT SECONDS
    local i
    for i in $(seq 1 $(($3 * 10))); do
        grep -qF -- "$2" "$1" && return 0
        sleep 0.1
    done
    return 1
}
wait_exit() {   # the console in $CPID has exited (within 5 s); its status in $RC
    local i
    for i in $(seq 1 50); do kill -0 "$CPID" 2>/dev/null || { wait "$CPID"; RC=$?; CPID=""; return 0; }; sleep 0.1; done
    return 1
}
screen_wait() {   # GREP-MODE(F|E) PATTERN SECONDS
    local i
    for i in $(seq 1 $(($3 * 10))); do
        screen | grep -q"$1" -- "$2" && return 0
        sleep 0.1
    done
    return 1
}
wait_for() { screen_wait F "$1" "$2"; }   # TEXT SECONDS
wait_re() { screen_wait E "$1" "$2"; }    # REGEX SECONDS
