#!/bin/sh
# Runs each libFuzzer target given for FUZZ_SECONDS on a scratch copy of its seed corpus.
# A crash, leak or sanitizer report in any target fails the run.
secs=${FUZZ_SECONDS:-30}
rc_all=0
for bin in "$@"; do
    name=$(basename "$bin")
    seeds=tests/fuzz/corpus/$name
    work=$(mktemp -d)
    log=$(mktemp)
    [ -d "$seeds" ] && cp -R "$seeds"/. "$work"/
    echo "fuzz: $name for ${secs}s"
    status=0
    "$bin" -max_total_time="$secs" -max_len=70000 -print_final_stats=1 -artifact_prefix="build/fuzz/$name-" \
        "$work" >"$log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec)' "$log" | sed 's/^/  /'
    if [ "$status" -ne 0 ]; then
        echo "fuzz: $name FAILED (exit $status)"; tail -n 40 "$log"; rc_all=1
    fi
    rm -rf "$work" "$log"
done
exit $rc_all
