#!/bin/sh
# Runs every benchmark — programs $BUILD/bench/bench_* and scripts bench/bench_*.sh — prints
# what each prints, then ONE table: each figure of the run beside the reference it is judged
# against (a goal of issue 11, or a ceiling measured in the same run), read from the lines the
# programs printed (bench/table.sh). A figure whose program is absent or printed nothing for it
# is "not measured". The table is also written to $BUILD/bench/table.md. `make bench` is the one command
# (`make bench-quick`, or BENCH_QUICK=1, for development: shorter phases, fewer sizes).
# bench_hub runs first: bench_fanout_ceiling is given its frame shape (frames per utterance,
# bytes per frame) so the ceiling fans out the same frames.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
BUILD=${BUILD:-build}
BENCH_QUICK=${BENCH_QUICK:-0}
export BUILD BENCH_QUICK AGENTDESK_BUILD="$(cd "$BUILD" && pwd)" AGENTDESK_ROOT="$(pwd)"
OUT="$BUILD/bench/out"
rm -rf "$OUT"; mkdir -p "$OUT"
LIMIT=${BENCH_LIMIT:-300}   # seconds any one program may take: the whole run stays bounded
rc=0
started=$(date +%s)

run() {   # NAME COMMAND... : prints and keeps the output in $OUT/NAME
    local name=$1 s; shift
    echo "== $name"
    s=$(date +%s)
    timeout "$LIMIT" "$@" 2>&1 | tee "$OUT/$name"
    local st=${PIPESTATUS[0]}
    [ "$st" -eq 124 ] && echo "$name: stopped after ${LIMIT} s"
    [ "$st" -ne 0 ] && rc=1
    echo "($name: $(( $(date +%s) - s )) s)"
}
q=""; [ "$BENCH_QUICK" = 1 ] && q="--quick"

run bench_hub "$BUILD/bench/bench_hub" $q
shape=$(sed -n 's/^frame shape: \([0-9.]*\) console frames per utterance, \([0-9]*\) B.*/--frames \1 --bytes \2/p' "$OUT/bench_hub")
run bench_fanout_ceiling "$BUILD/bench/bench_fanout_ceiling" $shape $q
for b in "$BUILD"/bench/bench_*; do
    case "$b" in *.d|*'*'*|*/bench_hub|*/bench_fanout_ceiling) continue ;; esac
    [ -x "$b" ] && [ -f "$b" ] || continue
    case "$(basename "$b")" in
        bench_console_instr) run "$(basename "$b")" "$b" $q ;;
        *) run "$(basename "$b")" "$b" ;;
    esac
done
for s in bench/bench_*.sh; do
    [ -f "$s" ] || continue
    run "$(basename "$s" .sh)" sh "$s"
done

echo
echo "== the table ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $( [ "$BENCH_QUICK" = 1 ] && echo quick || echo full) run, $(( $(date +%s) - started )) s)"
sh bench/table.sh "$OUT" docs/BENCHMARKS.md | tee "$BUILD/bench/table.md"
exit $rc
