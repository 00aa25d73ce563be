#!/bin/sh
# test_console_hangup.sh — the console's terminal goes away (an SSH drop, a closed window):
# it saves the draft being typed, stops its demo hub and exits within seconds, never
# spinning. Three ways the terminal goes:
#   * the tmux server is killed under `agentdesk --demo` (the console leads the session:
#     the kernel's SIGHUP);
#   * the tmux server is killed under `make demo` (make leads the session and dies; the
#     console only sees its keyboard hang up: EOF/EIO/POLLHUP);
#   * SIGHUP alone, the terminal still there (exit status 129, the terminal given back).
. "$(dirname "$0")/lib.sh"
ROOT=${AGENTDESK_ROOT:-$(pwd)}
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    for p in $(pgrep -f "agentdesk-hub --demo --listen 127.0.0.1:[0-9]* --db $T/" 2>/dev/null); do kill "$p"; done
    for p in $(pgrep -x agentdesk 2>/dev/null); do
        grep -qzF "TMPDIR=$T/" "/proc/$p/environ" 2>/dev/null && kill -9 "$p"
    done
}
keys() { tmux -L "$SOCK" send-keys -t ad "$@"; }
# The console started with TMPDIR=$1 (other tests run consoles too).
console_pid() {
    local p
    for p in $(pgrep -x agentdesk 2>/dev/null); do
        grep -qzxF "TMPDIR=$1" "/proc/$p/environ" 2>/dev/null && { echo "$p"; return; }
    done
}
hub_pids() { pgrep -f "agentdesk-hub --demo --listen 127.0.0.1:[0-9]* --db $1/" 2>/dev/null; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }
# PID gone within SECONDS; if it is not, say how much CPU it burns over one second
gone_within() {
    local i t0 t1
    for i in $(seq 1 $(($2 * 10))); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
    t0=$(ticks "$1"); sleep 1; t1=$(ticks "$1")
    echo "still running after $2 s, $((t1 - t0)) CPU ticks in 1 s"
    return 1
}
draft_saved() {   # STATE-DIR TEXT
    grep -qF -- "$2" "$1"/agentdesk/drafts-demo-*.jsonl 2>/dev/null
}
# Start CMD in a fresh tmux server, wait for a demo call, type TEXT into the reply line.
start_and_type() {   # NAME CMD TEXT
    SOCK="agentdesk-e2e-$$-$1"
    tmux -L "$SOCK" new-session -d -s ad -x 120 -y 40 "$2"
    check "$1: demo hub connected" 'wait_for "connected" 60'
    check "$1: a demo call appears" 'wait_re "Mine \([1-9]" 30'
    DRAFT=$3   # letters start the line by themselves
    keys "$DRAFT"
    check "$1: the draft is in the reply line" 'wait_for "$DRAFT" 5'
}
demo_env() { echo "env TMPDIR='$T/$1' XDG_STATE_HOME='$T/$1-state' XDG_CONFIG_HOME='$T/cfg' AGENTDESK_LOG='$T/$1.log'"; }

# 1. agentdesk --demo, tmux server killed
mkdir -p "$T/direct"
start_and_type direct "exec $(demo_env direct) '$B/agentdesk' --demo" "hangup-draft-direct"
CPID=$(console_pid "$T/direct")
check "direct: the console is found" '[ -n "$CPID" ]'
check "direct: its demo hub runs" '[ -n "$(hub_pids "$T/direct")" ]'
tmux -L "$SOCK" kill-server
check "direct: the console exits within 5 s, not spinning" 'gone_within "$CPID" 5'
check "direct: its demo hub is stopped" 'sleep 0.5; [ -z "$(hub_pids "$T/direct")" ]'
check "direct: the draft is saved" 'draft_saved "$T/direct-state" "hangup-draft-direct"'
check "direct: the demo temp dir is removed" '[ -z "$(ls -A "$T/direct")" ]'

# 2. make demo (make leads the session), tmux server killed
mkdir -p "$T/make"
start_and_type make "exec $(demo_env make) make -C '$ROOT' demo BUILD='$B' SANITIZE='${SANITIZE:-0}'" "hangup-draft-make"
CPID=$(console_pid "$T/make")
check "make demo: the console is found" '[ -n "$CPID" ]'
check "make demo: it is not the session leader (make is)" '[ -n "$CPID" ] && [ "$(ps -o sid= -p "$CPID" | tr -d " ")" != "$CPID" ]'
tmux -L "$SOCK" kill-server
check "make demo: the console exits within 5 s, not spinning" 'gone_within "$CPID" 5'
check "make demo: its demo hub is stopped" 'sleep 0.5; [ -z "$(hub_pids "$T/make")" ]'
check "make demo: the draft is saved" 'draft_saved "$T/make-state" "hangup-draft-make"'

# 3. SIGHUP alone: saved, exit 129, the terminal given back; the next run offers the draft
mkdir -p "$T/hup"
start_and_type hup "$(demo_env hup) '$B/agentdesk' --demo; echo EXITED \$?; sleep 30" "hangup-draft-hup"
CPID=$(console_pid "$T/hup")
kill -HUP "$CPID"
check "SIGHUP: exits with 129" 'wait_for "EXITED 129" 10'
check "SIGHUP: its demo hub is stopped" '[ -z "$(hub_pids "$T/hup")" ]'
check "SIGHUP: the draft is saved" 'draft_saved "$T/hup-state" "hangup-draft-hup"'
tmux -L "$SOCK" kill-server

e2e_done
