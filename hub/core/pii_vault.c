/* pii_vault.c — clear values behind a call's masks, in memory only (see pii_vault.h). */
#include "hub/core/pii_vault.h"
#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *uid, *clear;
    unsigned index;
    redact_kind kind;
} pii_value;

struct pii_vault {
    pii_value *v;   /* oldest first */
    size_t n, cap;
};

/* Clear memory before it is freed: a value given back to the allocator is not left readable. */
static void forget(pii_value *x)
{
    memset(x->clear, 0, strlen(x->clear));
    free(x->clear);
    free(x->uid);
}

static void drop_line(pii_vault *v, const char *uid)
{
    size_t k = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (strcmp(v->v[i].uid, uid) == 0)
            forget(&v->v[i]);
        else
            v->v[k++] = v->v[i];
    }
    v->n = k;
}

void pii_vault_note(pii_vault **vp, const char *uid, const char *text)
{
    if (!uid || !text)
        return;
    if (*vp)
        drop_line(*vp, uid);
    size_t len = strlen(text);
    redact_span spans[REDACT_MAX_SPANS];
    size_t n = redact_find(text, len, spans, REDACT_MAX_SPANS);
    if (n == 0)
        return;
    if (!*vp)
        *vp = mem_zalloc(1, sizeof **vp);
    pii_vault *v = *vp;
    for (size_t k = 0; k < n; k++) {
        if (v->n == PII_VAULT_MAX) {
            forget(&v->v[0]);
            memmove(v->v, v->v + 1, (v->n - 1) * sizeof *v->v);
            v->n--;
        }
        if (v->n == v->cap) {
            v->cap = v->cap ? v->cap * 2 : 8;
            v->v = mem_realloc(v->v, v->cap * sizeof *v->v);
        }
        v->v[v->n++] = (pii_value){mem_strdup(uid), mem_strndup(text + spans[k].start, spans[k].end - spans[k].start),
                                   (unsigned)k, spans[k].kind};
    }
}

const char *pii_vault_get(const pii_vault *v, const char *uid, unsigned index, unsigned *count,
                          redact_kind *kind)
{
    const char *found = NULL;
    *count = 0;
    for (size_t i = 0; v && uid && i < v->n; i++) {
        if (strcmp(v->v[i].uid, uid) != 0)
            continue;
        (*count)++;
        if (v->v[i].index == index) {
            found = v->v[i].clear;
            *kind = v->v[i].kind;
        }
    }
    return found;
}

void pii_vault_free(pii_vault *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++)
        forget(&v->v[i]);
    free(v->v);
    free(v);
}
