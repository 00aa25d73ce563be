#!/bin/sh
# test_layers.sh — scripts/check-layers.sh, the include arrows of docs/ARCHITECTURE.md:
# this tree follows them, and a copy of the tree with one forbidden include fails (so the
# check can fail, and `make test`, which runs it first, fails with it), as does an include
# of a governed library header a folder may not use.
. "$(dirname "$0")/lib.sh"
ROOT=${AGENTDESK_ROOT:-$(pwd)}

out=$(sh "$ROOT/scripts/check-layers.sh" 2>&1); rc=$?
check "this tree follows the layers table" '[ $rc -eq 0 ]'
check "it says so" 'echo "$out" | grep -q "every include follows"'

# A small tree with the real script and table: the transport may not include the core.
mk_tree() {
    rm -rf "$T/tree"; mkdir -p "$T/tree/scripts" "$T/tree/docs" "$T/tree/hub/net" "$T/tree/hub/core"
    cp "$ROOT/scripts/check-layers.sh" "$ROOT/scripts/check-cycles.awk" "$T/tree/scripts/"
    cp "$ROOT/docs/ARCHITECTURE.md" "$T/tree/docs/"
    printf '#include "hub/core/live.h"\n' >"$T/tree/hub/core/pipeline.c"
    printf '/* live */\n' >"$T/tree/hub/core/live.h"
}
mk_tree
out=$(sh "$T/tree/scripts/check-layers.sh" 2>&1); rc=$?
check "a clean small tree passes" '[ $rc -eq 0 ]'

printf '#include "hub/core/live.h"\n' >"$T/tree/hub/net/conn.c"
out=$(sh "$T/tree/scripts/check-layers.sh" 2>&1); rc=$?
check "net including core fails" '[ $rc -eq 1 ]'
check "the failure names the file and the include" 'echo "$out" | grep -q "hub/net/conn.c (hub/net) may not include \"hub/core/live.h\""'

mk_tree
printf '#include <sqlite3.h>\n' >"$T/tree/hub/net/conn.c"
out=$(sh "$T/tree/scripts/check-layers.sh" 2>&1); rc=$?
check "net including sqlite3.h fails" '[ $rc -eq 1 ] && echo "$out" | grep -q "may not include <sqlite3.h>"'

# A ring of modules inside one folder: pipeline.c uses live.h and live.c uses pipeline.h,
# here through a header-only interface.
mk_tree
printf '/* live */\n' >"$T/tree/hub/core/pipeline.h"
printf '#include "hub/core/pipeline_api.h"\n' >"$T/tree/hub/core/live.c"
printf '#include "hub/core/pipeline.h"\n' >"$T/tree/hub/core/pipeline_api.h"
out=$(sh "$T/tree/scripts/check-layers.sh" 2>&1); rc=$?
check "a ring of modules fails" '[ $rc -eq 1 ] && echo "$out" | grep -q "include ring: hub/core/.* -> hub/core/.* -> hub/core/"'
# files that share a *_private.h are one module, split for size: no ring between them
mk_tree
printf '#include "hub/core/live_private.h"\n' >"$T/tree/hub/core/live.c"
printf '#include "hub/core/live_private.h"\n' >"$T/tree/hub/core/live_draw.c"
printf '#include "hub/core/live.h"\n#include "hub/core/live_draw.h"\n' >"$T/tree/hub/core/live_private.h"
printf '/* */\n' >"$T/tree/hub/core/live_draw.h"
out=$(sh "$T/tree/scripts/check-layers.sh" 2>&1); rc=$?
check "one module in two files sharing a private header passes" '[ $rc -eq 0 ]'

check "make test-run runs the check before the tests" \
    'sed -n "/^test-run:/,/^$/p" "$ROOT/Makefile" | grep -q "scripts/check-layers.sh"'
e2e_done
