#!/bin/sh
# bench_console.sh — the agent console's memory and event->screen time, measured end to end:
# a real hub (imported demo data), the real console in tmux at 120x40 (ncursesw drawing into a
# real terminal), events fed through the hub's ingest endpoint.
#   1. flood: 10,000 customer utterances into one chat as fast as `agentdesk-hub feed` sends
#      them; then the console's VmRSS (10,000 transcript lines held, scrollback 10,000) and the
#      event->screen times under that load;
#   2. paced: 300 utterances 30 ms apart (--realtime) into a second chat: event->screen time
#      of a console that is keeping up.
# event->screen = from the receipt of the oldest event not yet on screen (decoded frame) to the
# end of the doupdate() that shows it: at once when nothing was drawn in the last 16 ms, else at
# the next 16 ms frame (app_mark_dirty), so a flood shows the frame time.
# render = drawing the dirty widgets plus doupdate(). Printed by the console on exit
# (AGENTDESK_STATS). Run: `make bench` or `sh bench/bench_console.sh` from the repo root.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
N=${BENCH_LINES:-10000}
TAG=bench
. "$(dirname "$0")/tmux_hub.sh"

start_hub

run_console() {   # STATS_FILE [TOKEN_FILE]
    tmux -L "$SOCK" new-session -d -s b -x 120 -y 40 \
        "exec env XDG_STATE_HOME='$T/state' XDG_CONFIG_HOME='$T/cfg' AGENTDESK_STATS='$1' \
         '$B/agentdesk' --url ws://127.0.0.1:$PORT --token-file '${2:-$T/agent.tok}' --scrollback 10000"
    wait_for "connected" 10 || { echo "console did not connect"; exit 1; }
    CPID=$(tmux -L "$SOCK" list-panes -t b -F '#{pane_pid}')
}
quit_console() {
    tmux -L "$SOCK" send-keys -t b C-q
    # up to 20 s: on a loaded machine a console holding 10,000 lines took more than 5 s to
    # save and exit, was killed, and wrote no stats
    for i in $(seq 1 200); do kill -0 "$CPID" 2>/dev/null || break; sleep 0.1; done
    tmux -L "$SOCK" kill-server 2>/dev/null
}
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# ---- 1. flood ----
awk -v n="$N" 'BEGIN {
    print "{\"type\":\"start\",\"id\":\"f-start\",\"iid\":\"BENCH-F\",\"channel\":\"chat\",\"queue\":\"billing\",\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}"
    for (i = 1; i <= n; i++)
        printf "{\"type\":\"utterance\",\"id\":\"f-%d\",\"iid\":\"BENCH-F\",\"uid\":\"f%d\",\"speaker\":\"customer\",\"text\":\"line %d: my order arrived late and the box was damaged, can you help me with a refund please\",\"final\":true,\"offset_ms\":%d}\n", i, i, i, i * 10
}' >"$T/flood.jsonl"
# ended afterwards; the paced run is another agent's, whose snapshot does not offer this one
# for wrap-up (agent-1's would replay its 10,000 lines, and their time to the screen would be
# most of the paced figure)
echo '{"type":"end","id":"f-end","iid":"BENCH-F","reason":"bench"}' >"$T/flood-end.jsonl"
run_console "$T/flood.stats"
rss0=$(rss "$CPID")
t0=$(date +%s%N)
"$B/agentdesk-hub" feed --url "ws://127.0.0.1:$PORT" --token-file "$T/ingest.tok" "$T/flood.jsonl" >"$T/feed.out" 2>&1 ||
    { echo "feed failed:"; tail -3 "$T/feed.out"; }
wait_for "line $N:" 120 || echo "the last line did not reach the screen"
t1=$(date +%s%N)
sleep 1
rss1=$(rss "$CPID")
quit_console
"$B/agentdesk-hub" feed --url "ws://127.0.0.1:$PORT" --token-file "$T/ingest.tok" "$T/flood-end.jsonl" >>"$T/feed.out" 2>&1
echo "flood: $N utterances through ingest -> console (120x40): $(( (t1 - t0) / 1000000 )) ms until the last is on screen"
echo "  console RSS: ${rss0} kB connected and empty, ${rss1} kB holding $N transcript lines"
echo "  console: $(cat "$T/flood.stats")"

# ---- 2. paced ----
awk 'BEGIN {
    print "{\"type\":\"start\",\"id\":\"p-start\",\"iid\":\"BENCH-P\",\"channel\":\"chat\",\"queue\":\"billing\",\"agent\":\"agent-2\",\"customer_id\":\"C-1002\"}"
    for (i = 1; i <= 300; i++)
        printf "{\"type\":\"utterance\",\"id\":\"p-%d\",\"iid\":\"BENCH-P\",\"uid\":\"p%d\",\"speaker\":\"customer\",\"text\":\"paced %d: the router keeps dropping the connection every evening\",\"final\":true,\"offset_ms\":%d}\n", i, i, i, i * 30
}' >"$T/paced.jsonl"
echo demo-agent-2 >"$T/agent2.tok"
run_console "$T/paced.stats" "$T/agent2.tok"
tmux -L "$SOCK" send-keys -t b ']'
"$B/agentdesk-hub" feed --realtime --url "ws://127.0.0.1:$PORT" --token-file "$T/ingest.tok" "$T/paced.jsonl" >"$T/feed2.out" 2>&1 ||
    { echo "paced feed failed:"; tail -3 "$T/feed2.out"; }
sleep 0.5
quit_console
echo "paced: 300 utterances 30 ms apart: console: $(cat "$T/paced.stats")"
