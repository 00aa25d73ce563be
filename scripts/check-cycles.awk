# check-cycles.awk — no two compiled modules depend on each other, directly or around a ring.
# Input: lines "FROM TO" (FROM includes "TO", repository paths), then lines "C FILE" naming
# every .c file. A module is a .c file with its same-named header; a header without a .c
# (an interface or a module's private part) passes its includes on to whoever includes it;
# modules that share a *_private.h are one module (its files split for size).
# Prints each ring found and exits 1, or exits 0.
$1 == "C" { sub(/\.c$/, "", $2); unit[$2] = 1; next }
{ edge[$1, ++nedge[$1]] = $2 }
function base(p) { sub(/\.[ch]$/, "", p); return p }
function find(x) { while (parent[x] != "" && parent[x] != x) x = parent[x]; return x }
function module_of(file,   b) { b = base(file); return (b in unit) ? find(b) : "" }
# every module a file depends on, following header-only files
function collect(file, into,   i, to, m) {
    if ((file, into) in seen) return
    seen[file, into] = 1
    for (i = 1; i <= nedge[file]; i++) {
        to = edge[file, i]
        m = module_of(to)
        if (m != "") dep[into, m] = 1
        else collect(to, into)
    }
}
function visit(m,   k, parts, n, ring, j) {
    state[m] = 1; stack[++depth] = m
    for (k in dep) {
        split(k, parts, SUBSEP)
        if (parts[1] != m || parts[2] == m) continue
        n = parts[2]
        if (state[n] == 1) {
            ring = n
            for (j = depth; j >= 1 && stack[j] != n; j--) ring = stack[j] " -> " ring
            print "check-layers: include ring: " n " -> " ring > "/dev/stderr"
            bad = 1
        } else if (state[n] == 0) visit(n)
    }
    depth--; state[m] = 2
}
END {
    for (u in unit) parent[u] = u
    # modules whose files include the same *_private.h header are one module
    for (k in edge) {
        split(k, parts, SUBSEP)
        f = parts[1]; to = edge[k]
        if (to ~ /_private\.h$/ && !(base(to) in unit) && (base(f) in unit)) {
            if (owner[to] == "") owner[to] = find(base(f))
            else parent[find(base(f))] = find(owner[to])
        }
    }
    for (k in nedge) {
        m = module_of(k)
        if (m != "") collect(k, m)
    }
    for (u in unit) { m = find(u); if (!(m in state)) state[m] = 0 }
    for (m in state) if (state[m] == 0) visit(m)
    exit bad
}
