#!/bin/sh
# check-layers.sh — no file includes from a folder it may not. The allowed arrows are written
# once, in the ```layers block of docs/ARCHITECTURE.md: "folder: folders it may include ;
# library headers it may include". A folder may always include its own headers; a file belongs
# to the longest folder of the table that holds it. No modules may form a ring of includes
# (scripts/check-cycles.awk). Run by `make test`; exits 1 on a violation.
set -eu
cd "$(dirname "$0")/.."
table=$(mktemp); trap 'rm -f "$table"' EXIT
sed -n '/^```layers$/,/^```$/p' docs/ARCHITECTURE.md | sed '1d;$d' >"$table"
[ -s "$table" ] || { echo "check-layers: no \`\`\`layers block in docs/ARCHITECTURE.md" >&2; exit 1; }
# The library headers whose use is governed; any other system header is free.
governed='curses.h ncurses.h libwebsockets.h sqlite3.h jansson.h hiredis/hiredis.h
          phonenumbers/phonenumberutil.h phonenumbers/phonenumbermatcher.h phonenumbers/phonenumbermatch.h'
# The sources: every .c, .cc and .h under the project's folders (not build/, not .git). No git
# needed: `make test` also runs from a tarball, and on a fresh machine without git.
sources() {
    find . -path ./build -prune -o -path ./.git -prune -o -type f \( -name '*.c' -o -name '*.cc' -o -name '*.h' \) -print |
        sed 's|^\./||' | LC_ALL=C sort
}
all=$(sources)
[ -n "$all" ] || { echo "check-layers: no sources found" >&2; exit 1; }
bad=0
folder_of() {   # the longest table folder that is a prefix of path $1 (a file's folder)
    awk -F: -v p="$1" '{ f=$1; if (index(p, f "/") == 1 && length(f) > length(best)) best=f } END { print best }' "$table"
}
for file in $all; do
    from=$(folder_of "$file")
    if [ -z "$from" ]; then echo "check-layers: $file is in no folder of the layers table" >&2; bad=1; continue; fi
    rule=$(awk -F: -v f="$from" '$1 == f { sub(/^[^:]*:/, ""); print; exit }' "$table")
    folders=" ${rule%%;*} "; headers=" $(echo "$rule" | sed -n 's/.*;//p') "
    # "#include "x/y.h"" — project headers, named from the repository root
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file"); do
        case "$inc" in */*) ;; *) continue ;; esac   # a header beside the file (tests' own)
        to=$(folder_of "$inc")
        [ -z "$to" ] && { echo "check-layers: $file includes \"$inc\", which is in no folder of the table" >&2; bad=1; continue; }
        [ "$to" = "$from" ] && continue
        case "$folders" in *" * "*|*" $to "*) ;; *)
            echo "check-layers: $file ($from) may not include \"$inc\" ($to)" >&2; bad=1 ;; esac
    done
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$file"); do
        case " $governed " in *" $inc "*) ;; *) continue ;; esac
        case "$headers" in *" * "*|*" $inc "*) ;; *)
            echo "check-layers: $file ($from) may not include <$inc>" >&2; bad=1 ;; esac
    done
done
# No ring of modules (a.c uses b.h and b.c uses a.h), inside a folder as much as across.
for file in $(echo "$all" | grep -v '^tests/\|^bench/'); do
    sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\/[^"]*\)".*/\1/p' "$file" |
        while read -r inc; do echo "$file $inc"; done
done >"$table.edges"
echo "$all" | grep '\.c$' | grep -v '^tests/\|^bench/' | sed 's/^/C /' >>"$table.edges"
awk -f scripts/check-cycles.awk "$table.edges" || bad=1
rm -f "$table.edges"
[ "$bad" = 0 ] && echo "check-layers: every include follows the layers table, and no modules form a ring"
exit "$bad"
