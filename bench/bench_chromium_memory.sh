#!/bin/sh
# bench_chromium_memory.sh — the reference beside the console's memory (bench_console_memory):
# Debian's headless Chromium showing a static HTML page of the same N transcript lines (the
# same ~90-byte customer sentences, "i: sentence"), N = 10,000 and 100,000. Prints the sum of
# the PSS (and RSS) of all of Chromium's processes once the page has settled (two samples a
# second apart within 1%, at most 30 s). Chromium is started with the flags this machine needs
# (no sandbox as root, no GPU, no background networking) and a new empty profile.
# scripts/deps.sh tries to install the chromium package; when it could not, this prints
# "chromium: not installable here" and exits 0 (the figure is then not measured).
# BENCH_QUICK=1: 10,000 lines only. Run: `make bench` or `sh bench/bench_chromium_memory.sh`.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
if ! command -v chromium >/dev/null 2>&1; then
    echo "chromium: not installable here"
    exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/agentdesk-chromium-XXXXXX")
CPID=""
cleanup() {
    if [ -n "$CPID" ]; then kill -- "-$CPID" 2>/dev/null; wait "$CPID" 2>/dev/null; fi
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

page() {   # N -> $T/page-N.html
    awk -v n="$1" 'BEGIN {
        s[0] = "my order arrived late and the box was damaged, can you help me with a refund please"
        s[1] = "I was charged twice for the same subscription this month and I would like one charge back"
        s[2] = "the tracking page has said out for delivery since Monday and nobody has come to the door"
        s[3] = "can you change the delivery address on my order, I moved last week and forgot to update it"
        s[4] = "the replacement you sent is the wrong size again, this is the second time it has happened"
        s[5] = "I tried to reset my password but the email never arrives, not even in the spam folder"
        s[6] = "your colleague promised me a call back yesterday about the refund but nobody called me"
        s[7] = "is there any way to get the express shipping fee back since the parcel came four days late"
        print "<!doctype html><html><head><meta charset=\"utf-8\"><title>transcript</title></head><body><pre>"
        for (i = 1; i <= n; i++) print i ": " s[i % 8]
        print "</pre></body></html>"
    }' >"$T/page-$1.html"
}

# sum of a field (Pss or Rss, kB) of smaps_rollup over every process of process group $1
sum_kb() {
    local total=0 p v
    for p in $(ps -o pid= -g "$1"); do
        v=$(awk -v k="$2:" '$1 == k { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null)
        total=$((total + ${v:-0}))
    done
    echo "$total"
}

sizes="10000 100000"
[ "${BENCH_QUICK:-0}" = 1 ] && sizes="10000"
echo "bench_chromium_memory: $(chromium --version 2>/dev/null | head -n 1), headless, a static page of N lines in a <pre>"
for n in $sizes; do
    page "$n"
    rm -rf "$T/profile"
    setsid chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$T/profile" --remote-debugging-port=0 "file://$T/page-$n.html" >"$T/log" 2>&1 &
    CPID=$!
    prev=0; pss=0
    for _ in $(seq 1 30); do
        sleep 1
        pss=$(sum_kb "$CPID" Pss)
        if [ "$prev" -gt 0 ] && [ $((pss > prev ? pss - prev : prev - pss)) -le $((prev / 100)) ]; then break; fi
        prev=$pss
    done
    rss=$(sum_kb "$CPID" Rss)
    procs=$(ps -o pid= -g "$CPID" | wc -l)
    echo "chromium: $n lines: PSS $pss kB (sum over $procs processes), RSS sum $rss kB"
    kill -- "-$CPID" 2>/dev/null; wait "$CPID" 2>/dev/null; CPID=""
done
