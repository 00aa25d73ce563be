/* lexicon.c — the word table and the TSV line reader (see lexicon.h). */
#include "hub/assist/lexicon.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t hash;      /* 0 marks an empty slot (real hashes are forced non-zero) */
    uint32_t key_off;
    uint16_t key_len;
    double value;
} lexicon_slot;

struct lexicon {
    lexicon_slot *slots;
    size_t cap;         /* power of two */
    size_t count;
    char *arena;
    size_t arena_len, arena_cap;
};

static uint64_t hash_key(const char *key, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

lexicon *lexicon_new(void)
{
    lexicon *lx = calloc(1, sizeof *lx);
    if (!lx)
        return NULL;
    lx->cap = 1024;
    lx->slots = calloc(lx->cap, sizeof *lx->slots);
    if (!lx->slots) {
        free(lx);
        return NULL;
    }
    return lx;
}

void lexicon_free(lexicon *lx)
{
    if (!lx)
        return;
    free(lx->slots);
    free(lx->arena);
    free(lx);
}

size_t lexicon_count(const lexicon *lx)
{
    return lx ? lx->count : 0;
}

static lexicon_slot *find_slot(const lexicon *lx, const char *key, size_t len, uint64_t h)
{
    size_t mask = lx->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        lexicon_slot *s = &lx->slots[i];
        if (s->hash == 0)
            return s;
        if (s->hash == h && s->key_len == len && memcmp(lx->arena + s->key_off, key, len) == 0)
            return s;
    }
}

static int grow(lexicon *lx)
{
    size_t ncap = lx->cap * 2;
    lexicon_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < lx->cap; i++) {
        lexicon_slot *s = &lx->slots[i];
        if (s->hash == 0)
            continue;
        size_t j = s->hash & (ncap - 1);
        while (ns[j].hash)
            j = (j + 1) & (ncap - 1);
        ns[j] = *s;
    }
    free(lx->slots);
    lx->slots = ns;
    lx->cap = ncap;
    return 0;
}

static int store(lexicon *lx, const char *key, size_t len, double value, bool replace)
{
    if (len > LEXICON_MAX_KEY)
        return -1;
    if ((lx->count + 1) * 2 > lx->cap && grow(lx) != 0)
        return -1;
    uint64_t h = hash_key(key, len);
    lexicon_slot *s = find_slot(lx, key, len, h);
    if (s->hash) {
        if (replace)
            s->value = value;
        return 0;
    }
    if (lx->arena_len + len > lx->arena_cap) {
        size_t ncap = lx->arena_cap ? lx->arena_cap * 2 : 65536;
        while (ncap < lx->arena_len + len)
            ncap *= 2;
        char *na = realloc(lx->arena, ncap);
        if (!na)
            return -1;
        lx->arena = na;
        lx->arena_cap = ncap;
    }
    memcpy(lx->arena + lx->arena_len, key, len);
    s->hash = h;
    s->key_off = (uint32_t)lx->arena_len;
    s->key_len = (uint16_t)len;
    s->value = value;
    lx->arena_len += len;
    lx->count++;
    return 1;
}

int lexicon_put(lexicon *lx, const char *key, size_t len, double value)
{
    return store(lx, key, len, value, false);
}

int lexicon_set(lexicon *lx, const char *key, size_t len, double value)
{
    return store(lx, key, len, value, true) < 0 ? -1 : 0;
}

bool lexicon_get(const lexicon *lx, const char *key, size_t len, double *value)
{
    if (!lx || len > LEXICON_MAX_KEY)
        return false;
    const lexicon_slot *s = find_slot(lx, key, len, hash_key(key, len));
    if (!s->hash)
        return false;
    if (value)
        *value = s->value;
    return true;
}

int lexicon_read_tsv(const char *path, lexicon_line_fn fn, void *ctx, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read %s", path);
        return -1;
    }
    char line[4096];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            snprintf(err, errlen, "%s:%d: line too long", path, lineno);
            rc = -1;
            break;
        }
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (n == 0 || line[0] == '#')
            continue;
        char *fields[8];
        int nf = 0;
        char *p = line;
        fields[nf++] = p;
        while ((p = strchr(p, '\t')) && nf < 8) {
            *p++ = 0;
            fields[nf++] = p;
        }
        if (fn(ctx, fields, nf, lineno, err, errlen) != 0) {
            rc = -1;
            break;
        }
    }
    fclose(f);
    return rc;
}
