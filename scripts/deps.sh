#!/bin/sh
# Installs the Debian packages that building, testing, fuzzing, benchmarking and the demo need,
# and every tool a test, benchmark or the demo calls (a test never skips for a missing tool:
# it fails, so the tool must be listed here). Extra package names given as arguments are
# installed too (scripts/test-fresh.sh asks for debootstrap this way).
# Non-interactive; skips what is installed; uses sudo when not root.
# OPTIONAL_PKGS (make bench sets it to chromium, the reference beside the console's memory):
# tried after the others; when they cannot be installed this says so and goes on, and the
# benchmark that needs one prints that it is not installable here.
set -e
# build: compilers (gcc, and g++ for the hub's libphonenumber shim), pkg-config and the
# libraries, libphonenumber's headers with it (the hub's phone finder; libphonenumber8 is what
# a built hub runs on); fuzz: clang and its sanitizer runtime.
# tools the tests and benchmarks call: valgrind (callgrind: the instruction budget), tmux (console
# e2e), sqlite3 (database checks), procps (pgrep/ps), curl (/healthz and /metrics), openssl
# (certificates for the TLS checks), iproute2 (ss: what the hub listens on), util-linux
# (unshare/mount: full-disk tests on a private tmpfs), bsdutils (script),
# coreutils/findutils/mawk/sed/grep (the scripts themselves).
# the hubs' shared event log (--bus): libhiredis-dev (formats Redis commands, parses answers),
# libssl-dev (the hub's own TLS to Redis: rediss://; redis-cli --tls in its test) and redis-tools,
# whose /usr/bin/redis-check-rdb is the server itself when started under the name redis-server
# (tests/lib/redisproc.c links it so in a temp dir); not the package redis-server, which only
# adds that link and a system service that `make test` must not start.
PKGS="build-essential pkg-config libwebsockets-dev libwebsockets-evlib-ev libev-dev libjansson-dev libncurses-dev libsqlite3-dev
      libphonenumber-dev libphonenumber8 zlib1g-dev libhiredis-dev libssl-dev
      clang libclang-rt-14-dev
      valgrind tmux sqlite3 redis-tools procps curl openssl iproute2 util-linux bsdutils coreutils findutils mawk
      sed grep ca-certificates $*"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
optional=""
for p in ${OPTIONAL_PKGS:-}; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        optional="$optional $p"
    fi
done
[ -z "$missing" ] && [ -z "$optional" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi
if [ -n "$optional" ]; then
    echo "deps: trying the optional$optional"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $optional ||
        echo "deps: could not install$optional (the benchmarks that use them say so)"
fi
