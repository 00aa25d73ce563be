/* lexicon.c — the word table and the TSV line reader (see lexicon.h). */
#include "hub/assist/lexicon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/strhash.h"

/* A slot holds the key's full hash, so a probe compares keys only on a hash match and
 * growing never hashes a key again; the key itself is at `key` in the arena. */
typedef struct {
    uint64_t hash;
    uint32_t key;       /* offset in arena; UINT32_MAX: empty */
    uint32_t len;
    double value;
} slot;

struct lexicon {
    slot *slots;
    size_t cap;         /* a power of two */
    size_t count;
    char *arena;        /* the keys, each NUL-terminated */
    size_t used, size;
};

enum { EMPTY = UINT32_MAX, FIRST_CAP = 64 };

static slot *new_slots(size_t cap)
{
    slot *s = mem_alloc(cap * sizeof *s);
    for (size_t i = 0; i < cap; i++)
        s[i].key = EMPTY;
    return s;
}

lexicon *lexicon_new(void)
{
    lexicon *lx = mem_zalloc(1, sizeof *lx);
    lx->cap = FIRST_CAP;
    lx->slots = new_slots(lx->cap);
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

/* The slot holding key[0..len) (hash h), or the empty slot where it would go. */
static size_t find(const lexicon *lx, uint64_t h, const char *key, size_t len)
{
    size_t mask = lx->cap - 1, i = (size_t)h & mask;
    for (;;) {
        const slot *s = &lx->slots[i];
        if (s->key == EMPTY ||
            (s->hash == h && s->len == len && memcmp(lx->arena + s->key, key, len) == 0))
            return i;
        i = (i + 1) & mask;
    }
}

static void grow(lexicon *lx)
{
    size_t cap = lx->cap * 2, mask = cap - 1;
    slot *bigger = new_slots(cap);
    for (size_t i = 0; i < lx->cap; i++) {
        if (lx->slots[i].key == EMPTY)
            continue;
        size_t j = (size_t)lx->slots[i].hash & mask;
        while (bigger[j].key != EMPTY)
            j = (j + 1) & mask;
        bigger[j] = lx->slots[i];
    }
    free(lx->slots);
    lx->slots = bigger;
    lx->cap = cap;
}

/* 1: added; 0: was there (value replaced when `replace`); -1: key too long or holds a NUL. */
static int store(lexicon *lx, const char *key, size_t len, double value, bool replace)
{
    if (len > LEXICON_MAX_KEY || memchr(key, 0, len))
        return -1;
    uint64_t h = strhash_fnv1a64(STRHASH64_SEED, key, len);
    slot *s = &lx->slots[find(lx, h, key, len)];
    if (s->key != EMPTY) {
        if (replace)
            s->value = value;
        return 0;
    }
    if (lx->used + len + 1 > lx->size) {
        size_t size = lx->size ? lx->size * 2 : 4096;
        while (size < lx->used + len + 1)
            size *= 2;
        if (size > UINT32_MAX)
            return -1;
        lx->arena = mem_realloc(lx->arena, size);
        lx->size = size;
    }
    memcpy(lx->arena + lx->used, key, len);
    lx->arena[lx->used + len] = 0;
    *s = (slot){.hash = h, .key = (uint32_t)lx->used, .len = (uint32_t)len, .value = value};
    lx->used += len + 1;
    /* grown at half load, after the insert: the slot found above stays valid until then */
    if (++lx->count * 2 > lx->cap)
        grow(lx);
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
    const slot *s = &lx->slots[find(lx, strhash_fnv1a64(STRHASH64_SEED, key, len), key, len)];
    if (s->key == EMPTY)
        return false;
    if (value)
        *value = s->value;
    return true;
}

void lexicon_each(const lexicon *lx, void (*fn)(void *ctx, const char *key, size_t len, double value),
                  void *ctx)
{
    for (size_t i = 0; lx && i < lx->cap; i++)
        if (lx->slots[i].key != EMPTY)
            fn(ctx, lx->arena + lx->slots[i].key, lx->slots[i].len, lx->slots[i].value);
}

/* The whole file, NUL-terminated, in one buffer (one read instead of a call per line);
 * NULL with errno set. */
static char *read_whole(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    size_t cap = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
    char *buf = mem_alloc(cap);
    for (;;) {
        if (n + 1 == cap) {
            cap *= 2;
            buf = mem_realloc(buf, cap);
        }
        ssize_t got = read(fd, buf + n, cap - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            close(fd);
            errno = e;
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    buf[n] = 0;
    *len = n;
    return buf;
}

int lexicon_read_tsv(const char *path, lexicon_line_fn fn, void *ctx, char *err, size_t errlen)
{
    size_t size;
    char *text = read_whole(path, &size);
    if (!text) {
        snprintf(err, errlen, "cannot read %s", path);
        return -1;
    }
    /* a line, its newline included, must fit the 4 KiB a line was always read into */
    enum { LINE_MAX_BYTES = 4095 };
    int lineno = 0, rc = 0;
    for (char *line = text, *end = text + size; line < end;) {
        lineno++;
        char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t n = nl ? (size_t)(nl - line) + 1 : (size_t)(end - line);
        if (n > LINE_MAX_BYTES || (n == LINE_MAX_BYTES && !nl)) {
            snprintf(err, errlen, "%s:%d: line too long", path, lineno);
            rc = -1;
            break;
        }
        char *next = line + n;
        /* a NUL inside the line ends it, as it did for a line read as a C string */
        size_t c = strnlen(line, n);
        if (c < n)
            n = c;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        line[n] = 0;
        if (n == 0 || line[0] == '#') {
            line = next;
            continue;
        }
        char *fields[LEXICON_MAX_FIELDS];
        int nf = 0;
        char *p = line, *stop = line + n;
        fields[nf++] = p;
        while (nf < LEXICON_MAX_FIELDS && (p = memchr(p, '\t', (size_t)(stop - p)))) {
            *p++ = 0;
            fields[nf++] = p;
        }
        if (fn(ctx, fields, nf, lineno, err, errlen) != 0) {
            rc = -1;
            break;
        }
        line = next;
    }
    free(text);
    return rc;
}
