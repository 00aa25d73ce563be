#!/bin/sh
# make test-fresh — proves the two commands on a really fresh machine: builds a minimal
# Debian 12 root (debootstrap --variant=minbase bookworm, plus make and nothing else), copies
# a clean clone of HEAD (committed work only) and ../shared into it, and runs `make test`
# there as root, in a private mount namespace so nothing it mounts outlives it.
# The bare root is cached as build/fresh/bookworm-minbase-make.tar; delete it to rebuild.
# Needs root (re-runs itself through sudo) and Debian's archive (DEBIAN_MIRROR to override).
set -eu
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then exec sudo -E sh "$0" "$@"; fi
SRC=$(pwd)
[ -d ../shared ] || { echo "test-fresh: ../shared is missing beside $SRC" >&2; exit 1; }
SHARED=$(cd ../shared && pwd)
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
FRESH=$SRC/build/fresh
CACHE=$FRESH/bookworm-minbase-make.tar
ROOT=$FRESH/root
scripts/deps.sh debootstrap
mkdir -p "$FRESH"

if [ ! -f "$CACHE" ]; then
    echo "test-fresh: debootstrap --variant=minbase bookworm (cached afterwards in $CACHE)"
    rm -rf "$FRESH/base"
    debootstrap --variant=minbase bookworm "$FRESH/base" "$MIRROR" >"$FRESH/debootstrap.log" 2>&1 ||
        { tail -n 30 "$FRESH/debootstrap.log"; exit 1; }
    cp /etc/resolv.conf "$FRESH/base/etc/resolv.conf"
    chroot "$FRESH/base" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends make && apt-get clean' \
        >>"$FRESH/debootstrap.log" 2>&1 || { tail -n 30 "$FRESH/debootstrap.log"; exit 1; }
    tar -C "$FRESH/base" -cf "$CACHE.tmp" . && mv "$CACHE.tmp" "$CACHE"
    rm -rf "$FRESH/base"
fi

rm -rf "$ROOT"
mkdir -p "$ROOT"
tar -C "$ROOT" -xf "$CACHE"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
mkdir -p "$ROOT/work"
git clone -q --no-local "$SRC" "$ROOT/work/main"
cp -R "$SHARED" "$ROOT/work/shared"
echo "test-fresh: make test in a fresh Debian 12 root at $ROOT (HEAD $(git rev-parse --short HEAD))"

# A private mount namespace: /proc, /sys and /dev for the chroot vanish with it. The
# environment is emptied too: no locale, no TERM, only PATH and HOME, as on a new machine.
status=0
unshare -m --propagation private sh -c '
    set -e
    R=$1
    # the root of a real machine is a mount point; tests that make their own mount
    # namespace (the full-disk tests) need / to be one inside the chroot too
    mount --bind "$R" "$R"
    mount -t proc proc "$R/proc"
    mount -t sysfs sysfs "$R/sys"
    mount --rbind /dev "$R/dev"
    mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
    exec chroot "$R" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root sh -c "cd /work/main && make test"
' sh "$ROOT" || status=$?
if [ "$status" -eq 0 ]; then
    echo "test-fresh: make test passed on a fresh Debian 12"
    rm -rf "$ROOT"
else
    echo "test-fresh: make test FAILED on a fresh Debian 12 (exit $status; the root is kept at $ROOT)"
fi
exit "$status"
