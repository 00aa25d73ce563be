#!/bin/sh
# Runs every benchmark: programs $BUILD/bench/bench_* and scripts bench/bench_*.sh.
# Each prints its figures; `make bench` is the one command.
BUILD=${BUILD:-build}
export BUILD AGENTDESK_BUILD="$(cd "$BUILD" && pwd)" AGENTDESK_ROOT="$(pwd)"
rc=0
for b in "$BUILD"/bench/bench_*; do
    case "$b" in *.d|*'*'*) continue ;; esac
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"; "$b" || rc=1
done
for s in bench/bench_*.sh; do
    [ -f "$s" ] || continue
    echo "== $(basename "$s")"; sh "$s" || rc=1
done
exit $rc
