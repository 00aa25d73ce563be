/* snap.c — checkpoint bytes (snap.h). */
#include "hub/assist/snap.h"
#include "base/mem.h"

#include <string.h>

#define NULL_STR UINT64_MAX

void snap_put(snap_w *w, const void *v, size_t n)
{
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 1024;
        while (cap < w->len + n)
            cap *= 2;
        w->p = mem_realloc(w->p, cap);
        w->cap = cap;
    }
    memcpy(w->p + w->len, v, n);
    w->len += n;
}

void snap_put_u64(snap_w *w, uint64_t v)
{
    snap_put(w, &v, sizeof v);
}

void snap_put_str(snap_w *w, const char *s)
{
    if (!s) {
        snap_put_u64(w, NULL_STR);
        return;
    }
    size_t n = strlen(s);
    snap_put_u64(w, n);
    snap_put(w, s, n);
}

bool snap_get(snap_r *r, void *v, size_t n)
{
    if (r->bad || n > r->len - r->at) {
        r->bad = true;
        memset(v, 0, n);
        return false;
    }
    memcpy(v, r->p + r->at, n);
    r->at += n;
    return true;
}

uint64_t snap_get_u64(snap_r *r)
{
    uint64_t v = 0;
    snap_get(r, &v, sizeof v);
    return v;
}

bool snap_expect(snap_r *r, uint64_t want)
{
    if (snap_get_u64(r) != want)
        r->bad = true;
    return !r->bad;
}

char *snap_get_str(snap_r *r)
{
    uint64_t n = snap_get_u64(r);
    if (r->bad || n == NULL_STR)
        return NULL;
    if (n > r->len - r->at) {
        r->bad = true;
        return NULL;
    }
    char *s = mem_alloc((size_t)n + 1);
    memcpy(s, r->p + r->at, (size_t)n);
    s[n] = 0;
    r->at += (size_t)n;
    return s;
}
