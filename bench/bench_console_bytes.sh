#!/bin/sh
# bench_console_bytes.sh — what the console costs the terminal and the machine between events,
# measured end to end: a real hub (imported demo data), the real console in tmux at 120x40, its
# terminal output counted by tmux (pipe-pane: every byte the console writes), events fed
# through the hub's ingest endpoint.
#   1. idle: connected, no live interaction, 10 s: bytes written to the terminal, and wake-ups
#      of the console and of the hub (voluntary context switches of all their threads,
#      /proc/PID/task/*/status: a process that sleeps in poll switches once per wake-up);
#   2. partial updates: a customer partial grows by one word up to 24 times; each is fed just
#      after a second (the duration clocks of a live call tick on the second) and its bytes
#      counted until it is on screen, when no tick came in between (up to 20 such): bytes per
#      partial (median) beside the new text's bytes;
#   3. full redraw (^L, the console repaints every cell): bytes (median of 3);
#   4. single events: 30 final utterances 300 ms apart: event -> screen (receipt of the frame to
#      the end of the doupdate that shows it, AGENTDESK_STATS) p50 / p99;
#   5. flood: 3,000 utterances as fast as the hub takes them: the most frames drawn in any
#      one second (the frame limit is ~60) and event -> screen p50 / p99.
# Run: `make bench` or `sh bench/bench_console_bytes.sh` from the repo root.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
TAG=bytes
. "$(dirname "$0")/tmux_hub.sh"
term_bytes() { stat -c %s "$T/term.out"; }
# voluntary context switches (sleeps) of every thread of a process so far
switches() {
    cat /proc/"$1"/task/*/status 2>/dev/null |
        awk '/^voluntary_ctxt_switches/ {n += $2} END {print n + 0}'
}
# sleep until the wall clock is $1 ms past a second
at_ms() {
    local now=$(( $(date +%s%N) / 1000000 % 1000 ))
    local wait=$(( ($1 - now + 1000) % 1000 ))
    sleep "$(printf '0.%03d' "$wait")"
}
median() { sort -n | awk '{v[NR] = $1} END {print NR ? v[int((NR + 1) / 2)] : 0}'; }
feed() { "$B/agentdesk-hub" feed --url "ws://127.0.0.1:$PORT" --token-file "$T/ingest.tok" "$@" >>"$T/feed.out" 2>&1; }

start_hub

: >"$T/term.out"
tmux -L "$SOCK" new-session -d -s b -x 120 -y 40 \
    "exec env XDG_STATE_HOME='$T/state' XDG_CONFIG_HOME='$T/cfg' AGENTDESK_STATS='$T/stats' \
     '$B/agentdesk' --url ws://127.0.0.1:$PORT --token-file '$T/agent.tok'"
tmux -L "$SOCK" pipe-pane -t b -o "cat >>'$T/term.out'"
wait_for "connected" 10 || { echo "console did not connect"; exit 1; }
CPID=$(tmux -L "$SOCK" list-panes -t b -F '#{pane_pid}')

# ---- 1. idle ----
sleep 2
b0=$(term_bytes); c0=$(switches "$CPID"); h0=$(switches "$HUBPID")
sleep 10
b1=$(term_bytes); c1=$(switches "$CPID"); h1=$(switches "$HUBPID")
echo "idle 10 s (connected, no live interaction): console wake-ups $((c1 - c0)), hub wake-ups $((h1 - h0)), bytes to the terminal $((b1 - b0))"

# ---- 2. partial updates ----
pj() {   # final text
    printf '{"type":"utterance","id":"b-%s","iid":"BYTES-1","uid":"p1","speaker":"customer","text":"%s","final":%s,"offset_ms":%d}\n' \
        "$RANDOM$RANDOM" "$1" "$2" "$3"
}
printf '{"type":"start","id":"b-start","iid":"BYTES-1","channel":"voice","queue":"billing","agent":"agent-1","customer_id":"C-1001"}\n' >"$T/start.jsonl"
feed "$T/start.jsonl"
sleep 0.5
sleep 1.5
words="I have been waiting on the phone for almost an hour and nobody can tell me why my internet keeps dropping every single evening"
text="Hello"
pj "$text" false 1000 >"$T/p.jsonl"; feed "$T/p.jsonl"; sleep 1
: >"$T/partial.bytes"; : >"$T/partial.text"
n=0; kept=0
for w in $words; do
    n=$((n + 1)); [ $kept -ge 20 ] && break
    text="$text $w"
    pj "$text" false $((1000 + n * 300)) >"$T/p.jsonl"
    # from just after a clock tick until the word is drawn, kept only when no tick came
    # in between (the same wall second at both ends): a window that caught the duration
    # clocks' tick, and not the word, was counted as a partial update before
    at_ms 50
    s0=$(date +%s); x0=$(term_bytes)
    feed "$T/p.jsonl"
    # the screen changes only for the word in that window: wait for the terminal's bytes to
    # grow, then for the rest of that write
    x1=$x0
    for i in $(seq 1 40); do x1=$(term_bytes); [ "$x1" -gt "$x0" ] && break; sleep 0.02; done
    sleep 0.1
    x1=$(term_bytes); s1=$(date +%s)
    [ "$x1" -gt "$x0" ] || continue
    [ "$s0" = "$s1" ] || continue
    kept=$((kept + 1))
    echo $((x1 - x0)) >>"$T/partial.bytes"
    echo $((${#w} + 1)) >>"$T/partial.text"
done
pb=$(median <"$T/partial.bytes"); pt=$(median <"$T/partial.text")
wait_for "$(echo "$text" | awk '{print $NF}')" 5 >/dev/null || echo "  the last partial did not reach the screen"

# ---- 3. full redraw ----
: >"$T/full.bytes"
for i in 1 2 3; do
    at_ms 250
    x0=$(term_bytes)
    tmux -L "$SOCK" send-keys -t b C-l
    at_ms 900
    x1=$(term_bytes)
    echo $((x1 - x0)) >>"$T/full.bytes"
done
fb=$(median <"$T/full.bytes")
echo "bytes to the terminal: $pb per partial update (median of $kept; new text $pt B), $fb per full redraw (120x40)"

# ---- idle with a live call: the running time ticks each second ----
sleep 1
b0=$(term_bytes); c0=$(switches "$CPID"); h0=$(switches "$HUBPID")
sleep 10
b1=$(term_bytes); c1=$(switches "$CPID"); h1=$(switches "$HUBPID")
echo "quiet 10 s with one live call (its mm:ss ticks): console wake-ups $((c1 - c0)), hub wake-ups $((h1 - h0)), bytes to the terminal $((b1 - b0))"

# ---- 4 and 5: event -> screen, from the console's own records ----
quit_console() {
    tmux -L "$SOCK" send-keys -t b C-q
    for i in $(seq 1 50); do kill -0 "$CPID" 2>/dev/null || break; sleep 0.1; done
}
restart_console() {   # STATS_FILE
    tmux -L "$SOCK" kill-server 2>/dev/null
    tmux -L "$SOCK" new-session -d -s b -x 120 -y 40 \
        "exec env XDG_STATE_HOME='$T/state' XDG_CONFIG_HOME='$T/cfg' AGENTDESK_STATS='$1' \
         '$B/agentdesk' --url ws://127.0.0.1:$PORT --token-file '$T/agent.tok'"
    wait_for "connected" 10 || { echo "console did not connect"; exit 1; }
    CPID=$(tmux -L "$SOCK" list-panes -t b -F '#{pane_pid}')
    sleep 1
}
field() { tr ' ' '\n' <"$1" | awk -v k="$2" -v nth="$3" '$0 == k {c++; if (c == nth) {getline; print; exit}}'; }
quit_console
restart_console "$T/single.stats"
# its own interaction, started in the same file: feed --realtime paces by offset from the start
awk 'BEGIN {
    print "{\"type\":\"start\",\"id\":\"s-start\",\"iid\":\"BYTES-2\",\"channel\":\"chat\",\"queue\":\"billing\",\"agent\":\"agent-1\",\"customer_id\":\"C-1002\"}"
    for (i = 1; i <= 30; i++)
        printf "{\"type\":\"utterance\",\"id\":\"s-%d\",\"iid\":\"BYTES-2\",\"uid\":\"s%d\",\"speaker\":\"customer\",\"text\":\"single %d: still dropping\",\"final\":true,\"offset_ms\":%d}\n", i, i, i, 500 + i * 300
}' >"$T/single.jsonl"
feed --realtime "$T/single.jsonl"
sleep 0.5
quit_console
echo "single events (30, 300 ms apart): event -> screen p50 $(field "$T/single.stats" p50 1) us, p99 $(field "$T/single.stats" p99 1) us"

restart_console "$T/flood.stats"
awk 'BEGIN {
    for (i = 1; i <= 3000; i++)
        printf "{\"type\":\"utterance\",\"id\":\"f-%d\",\"iid\":\"BYTES-1\",\"uid\":\"f%d\",\"speaker\":\"customer\",\"text\":\"flood %d: the router keeps dropping the connection\",\"final\":true,\"offset_ms\":%d}\n", i, i, i, 40000 + i
}' >"$T/flood.jsonl"
feed "$T/flood.jsonl"
wait_for "flood 3000:" 60 >/dev/null || echo "  the last flood line did not reach the screen"
quit_console
echo "flood (3,000 utterances at full speed): at most $(field "$T/flood.stats" max_draws_per_s 1) frames in one second, $(field "$T/flood.stats" draws 1) frames in all; event -> screen p50 $(field "$T/flood.stats" p50 1) us, p99 $(field "$T/flood.stats" p99 1) us"
