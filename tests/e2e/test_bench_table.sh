#!/bin/sh
# test_bench_table.sh — bench/table.sh, the one table `make bench` ends with: figures are read
# from the lines the benchmark programs print and set beside their references (the ceiling's
# ratio computed), a program that is absent leaves its rows "not measured", and a program added
# later (bench_hub_history, a console bytes/wakes bench, bench_bus) fills its rows by its printed lines.
# The program outputs here are lines in the programs' own formats, written by hand.
. "$(dirname "$0")/lib.sh"
need awk sed grep paste
ROOT=${AGENTDESK_ROOT:-$(pwd)}
O="$T/out"; mkdir -p "$O"
printf 'x codec-instructions-per-frame-budget: 1000 x\n' >"$T/doc.md"
cat >"$O/bench_hub" <<'X'
hub throughput: 3000 utterances/s ingested, enriched, committed and delivered (1000 consoles, 10 supervisors)
frame shape: 2.10 console frames per utterance, 200 B per console frame
latency at 5000 utterances/s (goal rate) for 6 s (30000 measured, connector send -> console receive): p50 2 ms, p99 9 ms, p99.9 12 ms, max 15 ms
latency at 1500 utterances/s (50% of throughput) for 6 s (9000 measured, connector send -> console receive): p50 1 ms, p99 4 ms, p99.9 5 ms, max 6 ms
X
echo "ceiling: 6000 utterances/s delivered, 12600 frames/s to 1000 consoles and 126000 to 10 supervisors (30000 utterances in 5.00 s)" >"$O/bench_fanout_ceiling"
echo "console instructions per utterance event: 100 lines 1000, 100000 lines 1010, ratio 1.010" >"$O/bench_console_instr"
echo "codec instructions per frame: 990 (decode 600 + encode 390)" >>"$O/bench_console_instr"
echo "chromium: not installable here" >"$O/bench_chromium_memory"

tab=$(sh "$ROOT/bench/table.sh" "$O" "$T/doc.md"); rc=$?
echo "$tab"
check "the table prints" '[ $rc -eq 0 ] && echo "$tab" | grep -q "^| figure | measured in this run | judged against |$"'
check "throughput beside the ceiling with the ratio" \
    'echo "$tab" | grep -q "| 3000 /s | ceiling: bare libwebsockets fan-out of the same frames, 6000 /s; ratio 0.50 |"'
check "latency at the goal rate" 'echo "$tab" | grep -q "at 5000 utterances/s (goal rate).*| p50 2 ms, p99 9 ms, p99.9 12 ms | goal: p99 ≤ 10 ms"'
check "latency at 90% of throughput, not printed, is not measured" \
    'echo "$tab" | grep -q "(90% of throughput).*| not measured |"'
check "the instruction ratio beside its goal" 'echo "$tab" | grep -q "ratio 1.010 | goal: ratio ≤ 1.2 |"'
check "the codec beside the recorded budget" 'echo "$tab" | grep -q "| 990 (decode 600 + encode 390) | budget: ≤ 1.2 × 1000 recorded"'
check "chromium not installable is said so" 'echo "$tab" | grep -q "same lines: chromium: not installable here"'
check "no bench_hub_history: its rows are not measured" \
    'echo "$tab" | grep -q "^| hub start time with 1,000,000 events | not measured | goal: ≤ 300 ms |$"'
check "no bench_bus: its row is not measured" \
    'echo "$tab" | grep -q "^| hubs on one Redis Streams bus .* | not measured | the same load on 1 hub without the bus: not measured;"'
check "no bytes/wakes bench: not measured" 'echo "$tab" | grep -q "^| wake-ups in 10 idle seconds, console and hub | not measured |"'

# programs added later fill their rows by their printed lines
echo "hub start with 1000000 events: 210 ms" >"$O/bench_hub_history"
echo "hub RSS after 10000 events 40 MB, after 1000000 events 42 MB" >>"$O/bench_hub_history"
echo "idle 10 s: console 10 wake-ups, hub 10 wake-ups" >"$O/bench_console_bytes"
cat >"$O/bench_bus" <<'X'
bus throughput, 1 hub without the bus (SQLite): 2100 utterances/s ingested, enriched, committed and delivered to their agents' consoles (30000 of 30000 in 14.28 s; 120 interactions, 121 consoles; supervisors had 22014 by then)
bus latency, 1 hub without the bus (SQLite), at 1000 utterances/s for 5 s (5000 measured, connector send -> agent console): p50 4 ms, p99 30 ms, max 40 ms
bus throughput, 1 hub on one bus: 1400 utterances/s ingested, enriched, committed and delivered to their agents' consoles (30000 of 30000 in 21.43 s; 120 interactions, 121 consoles; supervisors had 22014 by then)
  on the bus: 60765 entries appended, the append lock found busy 0 times (all hubs, since start)
bus latency, 1 hub on one bus, at 1000 utterances/s for 5 s (5000 measured, connector send -> agent console): p50 19 ms, p99 209 ms, max 239 ms
bus throughput, 3 hubs on one bus: 1050 utterances/s ingested, enriched, committed and delivered to their agents' consoles (30000 of 30000 in 28.57 s; 120 interactions, 123 consoles, each on the hub after its call's; supervisors had 41051 by then)
bus latency, 3 hubs on one bus, at 1000 utterances/s for 5 s (5000 measured, connector send -> agent console): p50 480 ms, p99 966 ms, max 1080 ms
X
tab=$(sh "$ROOT/bench/table.sh" "$O" "$T/doc.md")
check "bench_bus fills the bus row: 1 and 3 hubs, their latency, beside 1 hub without the bus" \
    'echo "$tab" | grep -q "| 1 hub 1400 /s, 3 hubs 1050 /s; latency 1 hub p50 19 ms, p99 209 ms, 3 hubs p50 480 ms, p99 966 ms | the same load on 1 hub without the bus: 2100 /s;"'
check "bench_hub_history's start line fills the start row" \
    'echo "$tab" | grep -q "^| hub start time with 1,000,000 events | hub start with 1000000 events: 210 ms | goal: ≤ 300 ms |$"'
check "its RSS line fills the RSS row" 'echo "$tab" | grep -q "| hub RSS after 10000 events 40 MB, after 1000000 events 42 MB | goal: the same within 10% |"'
check "a wake-up line fills the wake-up row" 'echo "$tab" | grep -q "| idle 10 s: console 10 wake-ups, hub 10 wake-ups | goal: only the websocket ping |"'
check "the goal rate within the ceiling: no remark" \
    'echo "$tab" | grep "(goal rate)" | grep -qv "above this machine"'

# a machine whose bare fan-out delivers less than the goal rate: the table says so
echo "ceiling: 2700 utterances/s delivered, 5670 frames/s to 1000 consoles and 56700 to 10 supervisors (30000 utterances in 11.11 s)" >"$O/bench_fanout_ceiling"
tab=$(sh "$ROOT/bench/table.sh" "$O" "$T/doc.md")
check "the goal rate above the ceiling is said to measure the queue" \
    'echo "$tab" | grep -q "(goal rate).* | goal: p99 ≤ 10 ms at 5,000 /s; above this machine.s ceiling (2700 /s): the figure is the queue.s |$"'

# two programs' lines for one row: each is kept, separated (the paced console's figure was
# once swallowed by the flood's line before it)
echo "  console: events 20 lines 10 renders 5 event_to_screen_us p50 15000 p99 16000 max 17000 rss_kb 9000" >"$O/bench_console"
echo "single events (30, 300 ms apart): event -> screen p50 169 us, p99 732 us" >>"$O/bench_console_bytes"
tab=$(sh "$ROOT/bench/table.sh" "$O" "$T/doc.md")
check "the screen row keeps both programs' figures" \
    'echo "$tab" | grep "ingest → screen" | grep -q "flood: event → screen p50 15000 µs, p99 16000 µs; single events (30, 300 ms apart): event -> screen p50 169 us, p99 732 us"'
e2e_done
