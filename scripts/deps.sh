#!/bin/sh
# Installs the Debian packages that building, testing, fuzzing, benchmarking and the demo need.
# Non-interactive; skips what is installed; uses sudo when not root.
set -e
PKGS="build-essential pkg-config libwebsockets-dev libjansson-dev libncurses-dev libsqlite3-dev
      clang libclang-rt-14-dev tmux sqlite3 procps"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
