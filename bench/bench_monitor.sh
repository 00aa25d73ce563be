#!/bin/sh
# bench_monitor.sh — the supervisor's floor with 500 live interactions: a real hub (demo data
# imported), the real `agentdesk monitor` in tmux at 120x40, 500 chats started through the hub's
# ingest endpoint and then BENCH_SECONDS (30) of customer lines paced in real time (each chat
# speaks every 10 s: 50 utterances a second over the floor, each enriched by the hub into
# sentiment, flags and suggestions), while the supervisor sorts, pages and filters the grid.
# Printed: CPU time each process used over the paced window (utime + stime from /proc, as a
# share of one core; CPU time used, not wall time, so it moves little with other load), their
# RSS at the end, and the console's event->screen and render times (AGENTDESK_STATS).
# Run from the repo root: `sh bench/bench_monitor.sh`.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
N=${BENCH_INTERACTIONS:-500}
SECS=${BENCH_SECONDS:-30}
TAG=bench-monitor
. "$(dirname "$0")/tmux_hub.sh"

start_hub
echo demo-supervisor >"$T/sup.tok"
chmod 600 "$T/sup.tok" "$T/ingest.tok"

awk -v n="$N" 'BEGIN {
    split("billing fraud tech sales delivery retention", q, " ")
    for (i = 1; i <= n; i++)
        printf "{\"type\":\"start\",\"id\":\"s-%d\",\"iid\":\"FLOOR-%d\",\"channel\":\"chat\",\"queue\":\"%s\",\"agent\":\"agent-%d\",\"customer_id\":\"C-%d\"}\n", i, i, q[i % 6 + 1], i % 8 + 1, 1001 + i % 60
}' >"$T/starts.jsonl"
awk -v n="$N" -v secs="$SECS" 'BEGIN {
    split("I was charged twice and nobody helps|thanks, that fixed it|this is the third time I am calling about my router|I want to cancel my account now|where is my parcel, it is late again|can you check my last bill please", t, "|")
    k = 0
    for (ms = 1000; ms <= secs * 1000; ms += 20) {   # one line every 20 ms over the floor
        i = (k % n) + 1; k++
        printf "{\"type\":\"utterance\",\"id\":\"u-%d\",\"iid\":\"FLOOR-%d\",\"uid\":\"u%d\",\"speaker\":\"customer\",\"text\":\"%s\",\"final\":true,\"offset_ms\":%d}\n", k, i, k, t[k % 6 + 1], ms
    }
}' >"$T/lines.jsonl"

"$B/agentdesk-hub" feed --url "ws://127.0.0.1:$PORT" --token-file "$T/ingest.tok" "$T/starts.jsonl" >"$T/feed0.out" 2>&1 ||
    { echo "starts: feed failed:"; tail -3 "$T/feed0.out"; exit 1; }
tmux -L "$SOCK" new-session -d -s b -x 120 -y 40 \
    "exec env XDG_STATE_HOME='$T/state' XDG_CONFIG_HOME='$T/cfg' AGENTDESK_STATS='$T/mon.stats' \
     '$B/agentdesk' monitor --url ws://127.0.0.1:$PORT --token-file '$T/sup.tok'"
wait_for "[Interactions $N]" 60 || { echo "the floor did not show $N interactions"; screen; exit 1; }
CPID=$(tmux -L "$SOCK" list-panes -t b -F '#{pane_pid}')
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
h0=$(cpu "$HUBPID"); c0=$(cpu "$CPID"); t0=$(date +%s%N)
"$B/agentdesk-hub" feed --realtime --url "ws://127.0.0.1:$PORT" --token-file "$T/ingest.tok" "$T/lines.jsonl" >"$T/feed1.out" 2>&1 &
FEED=$!
# the supervisor at work meanwhile: sort keys, pages, a filter typed and cleared
for r in $(seq 1 $((SECS / 3))); do
    tmux -L "$SOCK" send-keys -t b s PgDn PgDn Down Down PgUp
    sleep 1
    tmux -L "$SOCK" send-keys -t b / b i l l Enter
    sleep 1
    tmux -L "$SOCK" send-keys -t b / C-u Enter
    sleep 1
done
wait "$FEED" || { echo "lines: feed failed:"; tail -3 "$T/feed1.out"; }
t1=$(date +%s%N); h1=$(cpu "$HUBPID"); c1=$(cpu "$CPID")
wall=$(( (t1 - t0) / 1000000 ))
hr=$(rss "$HUBPID"); cr=$(rss "$CPID")
screen | head -4
tmux -L "$SOCK" send-keys -t b q
for i in $(seq 1 50); do kill -0 "$CPID" 2>/dev/null || break; sleep 0.1; done
lines=$(wc -l <"$T/lines.jsonl")
echo "floor: $N live chats, $lines customer lines over ${wall} ms (paced), the supervisor sorting, paging, filtering"
awk -v h=$((h1 - h0)) -v c=$((c1 - c0)) -v hz="$hz" -v w="$wall" -v hr="$hr" -v cr="$cr" 'BEGIN {
    printf "  hub:     CPU %.1f%% of a core (%.2f s), RSS %d kB\n", 100 * h / hz / (w / 1000), h / hz, hr
    printf "  monitor: CPU %.1f%% of a core (%.2f s), RSS %d kB\n", 100 * c / hz / (w / 1000), c / hz, cr }'
echo "  monitor: $(cat "$T/mon.stats" 2>/dev/null)"
