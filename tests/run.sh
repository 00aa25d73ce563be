#!/bin/sh
# Runs every test layer against the binaries in $BUILD and prints one closing line:
# "N passed, N failed". Unit and screen tests are programs in $BUILD/tests/; end-to-end
# tests are tests/e2e/*.sh (real binaries, real hub, real websockets, tmux).
# Each prints its own "NAME: N passed, N failed" line; a crash counts as one failure.
BUILD=${BUILD:-build}
export BUILD
export AGENTDESK_BUILD="$(cd "$BUILD" && pwd)"
export AGENTDESK_ROOT="$(pwd)"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
passed=0; failed=0
log=$(mktemp)
run_one() {
    name=$1; shift
    "$@" >"$log" 2>&1
    rc=$?
    line=$(grep -E '^[A-Za-z0-9_./-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ -n "$line" ]; then
        p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
        f=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
    else
        p=0; f=1
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" -ne 0 ]; then
        echo "---- $name (exit $rc) ----"; tail -n 60 "$log"
    else
        echo "$name: $p passed"
    fi
}
for t in "$BUILD"/tests/unit/test_* "$BUILD"/tests/screen/test_*; do
    case "$t" in *.d|*'*'*) continue ;; esac
    [ -x "$t" ] || continue
    run_one "$(basename "$t")" "$t"
done
for t in tests/e2e/test_*.sh; do
    [ -f "$t" ] || continue
    run_one "$(basename "$t")" sh "$t"
done
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
