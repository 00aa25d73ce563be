#!/bin/sh
# bench/budget.sh — judges bench_console_instr's printed figures against the instruction budget:
#   * the console's instructions per utterance event with a long history over those with 100
#     lines must not pass 1.2 (the per-event cost is flat with history);
#   * the codec's instructions per frame must not grow more than 20% over the figure recorded in
#     docs/BENCHMARKS.md on its marked line "codec-instructions-per-frame-budget: N".
# Usage: budget.sh BENCH-OUTPUT-FILE [BENCHMARKS.md]. Prints one line per figure; exits 1 when
# one is over budget or missing. Instruction counts (callgrind) do not depend on the machine's
# load, so they can be held to a budget in `make test`; timings never are.
out=$1
doc=${2:-docs/BENCHMARKS.md}
ratio=$(sed -n 's/^console instructions per utterance event: .*ratio \([0-9.]*\).*/\1/p' "$out" | tail -n 1)
codec=$(sed -n 's/^codec instructions per frame: \([0-9]*\).*/\1/p' "$out" | tail -n 1)
recorded=$(sed -n 's/.*codec-instructions-per-frame-budget: \([0-9]*\).*/\1/p' "$doc" | head -n 1)
rc=0
if [ -z "$ratio" ]; then
    echo "budget: no history ratio in the output"; rc=1
elif awk -v r="$ratio" 'BEGIN { exit !(r <= 1.2) }'; then
    echo "budget: history ratio $ratio <= 1.2"
else
    echo "budget: OVER: history ratio $ratio > 1.2"; rc=1
fi
if [ -z "$codec" ] || [ -z "$recorded" ]; then
    echo "budget: no codec figure (printed '$codec', recorded in $doc '$recorded')"; rc=1
elif awk -v c="$codec" -v r="$recorded" 'BEGIN { exit !(c <= r * 1.2) }'; then
    echo "budget: codec $codec instructions per frame <= 1.2 x $recorded (docs/BENCHMARKS.md)"
else
    echo "budget: OVER: codec $codec instructions per frame > 1.2 x $recorded (docs/BENCHMARKS.md)"; rc=1
fi
exit $rc
