/* lexicon.c — the word table and the TSV line reader (see lexicon.h). */
#include "hub/assist/lexicon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/strmap.h"

/* An entry holds its key, so the map's borrowed key lives exactly as long as the entry. */
typedef struct {
    double value;
    char key[];
} lexicon_entry;

struct lexicon {
    strmap *words;      /* key -> lexicon_entry */
};

lexicon *lexicon_new(void)
{
    lexicon *lx = mem_zalloc(1, sizeof *lx);
    lx->words = strmap_new();
    return lx;
}

static void free_entry(const char *key, void *value, void *ctx)
{
    (void)key;
    (void)ctx;
    free(value);
}

void lexicon_free(lexicon *lx)
{
    if (!lx)
        return;
    strmap_each(lx->words, free_entry, NULL);
    strmap_free(lx->words);
    free(lx);
}

size_t lexicon_count(const lexicon *lx)
{
    return lx ? strmap_count(lx->words) : 0;
}

/* 1: added; 0: was there (value replaced when `replace`); -1: key too long or holds a NUL. */
static int store(lexicon *lx, const char *key, size_t len, double value, bool replace)
{
    if (len > LEXICON_MAX_KEY || memchr(key, 0, len))
        return -1;
    lexicon_entry *e = strmap_getn(lx->words, key, len);
    if (e) {
        if (replace)
            e->value = value;
        return 0;
    }
    e = mem_alloc(sizeof *e + len + 1);
    e->value = value;
    memcpy(e->key, key, len);
    e->key[len] = 0;
    strmap_put(lx->words, e->key, e);
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
    const lexicon_entry *e = strmap_getn(lx->words, key, len);
    if (!e)
        return false;
    if (value)
        *value = e->value;
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
        char *fields[LEXICON_MAX_FIELDS];
        int nf = 0;
        char *p = line;
        fields[nf++] = p;
        while ((p = strchr(p, '\t')) && nf < LEXICON_MAX_FIELDS) {
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
