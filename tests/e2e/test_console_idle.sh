#!/bin/sh
# test_console_idle.sh — a connected console with no live call, in tmux (120x40) against a real
# hub, is quiet: its HH:MM clock ticks each minute and its ping each 10 s (a send and the
# pong), so at most 3 of its sleeps end in 5 s (the seconds clock it had woke it 5+ times). The
# hub serving it has no live call either: only the ping wakes it. A process that sleeps in
# poll counts one voluntary context switch per wake-up (/proc/PID/task/*/status).
. "$(dirname "$0")/lib.sh"
need tmux
need pgrep
SOCK="agentdesk-e2e-$$-idle"
sleeps() { awk '/^voluntary_ctxt_switches/ {n += $2} END {print n + 0}' /proc/"$1"/task/*/status; }

for k in users customers kb rules; do
    "$B/agentdesk-hub" import --db "$T/hub.db" "$k" "data/$k.json" >>"$T/import.out" 2>&1 ||
        { echo "import $k failed"; cat "$T/import.out"; }
done
echo demo-agent-1 >"$T/agent.tok"
PORT=$(free_port)
start_hub || bad "hub starts"
tmux -L "$SOCK" new-session -d -s ad -x 120 -y 40 \
    "env XDG_STATE_HOME='$T/state' XDG_CONFIG_HOME='$T/cfg' \
     '$B/agentdesk' --url ws://127.0.0.1:$PORT --token-file '$T/agent.tok'; sleep 30"
wait_for "connected" 10 && ok "console connects" || bad "console connects"
cpid=$(pgrep -P "$(tmux -L "$SOCK" list-panes -t ad -F '#{pane_pid}')" -x agentdesk)
check "the console's process is found" '[ -n "$cpid" ]'
sleep 1.5   # past the hub's first tick, which finds no work
c0=$(sleeps "$cpid"); h0=$(sleeps "$HUBPID")
sleep 5
c1=$(sleeps "$cpid"); h1=$(sleeps "$HUBPID")
check "an idle console wakes only for the ping and the minute (woke $((c1 - c0)) times in 5 s)" \
    '[ $((c1 - c0)) -le 3 ]'
check "its idle hub wakes only for the ping (woke $((h1 - h0)) times in 5 s)" '[ $((h1 - h0)) -le 2 ]'
check "the clock shows hours and minutes" 'screen | sed -n 1p | grep -qE " [0-9]{2}:[0-9]{2}  \? help"'
e2e_done
