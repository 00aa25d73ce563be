/* wordvec.c — loading and looking up pre-trained word vectors (see wordvec.h). */
#include "hub/assist/wordvec.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define MAGIC "ADWVEC1\n"
#define HEADER (8 + 3 * 4)
#define WORD_MAX 32          /* with the NUL, as the intent model's words */

struct wordvec {
    unsigned char *file;     /* the whole file */
    const char **word;       /* into file, sorted */
    const int8_t *vec;       /* count x dims */
    float *inv_norm;         /* 1 / length of each quantised vector; 0 for a zero vector */
    size_t count;
    int dims;
};

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The whole file (at most WORDVEC_FILE_MAX bytes) into *out; its size, or -1 with err set. */
static long read_all(const char *path, unsigned char **out, bool *missing, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (missing)
            *missing = errno == ENOENT;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 20, n = 0;
    unsigned char *buf = mem_alloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap >= WORDVEC_FILE_MAX) {
                snprintf(err, errlen, "%s: larger than %u bytes", path, WORDVEC_FILE_MAX);
                goto fail;
            }
            cap *= 2;
            buf = mem_realloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error", path);
        goto fail;
    }
    fclose(f);
    *out = buf;
    return (long)n;
fail:
    fclose(f);
    free(buf);
    return -1;
}

wordvec *wordvec_load(const char *path, bool *missing, char *err, size_t errlen)
{
    if (missing)
        *missing = false;
    unsigned char *file = NULL;
    long size = read_all(path, &file, missing, err, errlen);
    if (size < 0)
        return NULL;
    wordvec *wv = mem_zalloc(1, sizeof *wv);
    wv->file = file;
    if ((size_t)size < HEADER || memcmp(file, MAGIC, 8) != 0) {
        snprintf(err, errlen, "%s: not a word vectors file (no \"ADWVEC1\" header)", path);
        goto fail;
    }
    uint32_t count = le32(file + 8), dims = le32(file + 12), wbytes = le32(file + 16);
    size_t rest = (size_t)size - HEADER;
    /* count x dims cannot overflow: both are bounded before the product */
    if (count == 0 || dims == 0 || dims > WORDVEC_DIMS_MAX || count > WORDVEC_FILE_MAX / dims ||
        wbytes > rest || rest - wbytes != (size_t)count * dims) {
        snprintf(err, errlen, "%s: header says %u words of %u dimensions in %u bytes of words, which does not fit"
                 " the file's %ld bytes", path, count, dims, wbytes, size);
        goto fail;
    }
    wv->count = count;
    wv->dims = (int)dims;
    wv->word = mem_alloc(count * sizeof *wv->word);
    const char *p = (const char *)file + HEADER, *end = p + wbytes;
    for (size_t i = 0; i < count; i++) {
        const char *nul = memchr(p, 0, (size_t)(end - p));
        size_t len = nul ? (size_t)(nul - p) : 0;
        bool ok = nul && len > 0 && len < WORD_MAX;
        for (size_t k = 0; k < len && ok; k++)
            ok = p[k] >= 'a' && p[k] <= 'z';
        if (!ok || (i && strcmp(wv->word[i - 1], p) >= 0)) {
            snprintf(err, errlen, "%s: word %zu of %u: %s", path, i + 1, count,
                     !nul ? "the word list ends early"
                     : !ok ? "not 1 to 31 lowercase letters" : "out of order or repeated");
            goto fail;
        }
        wv->word[i] = p;
        p = nul + 1;
    }
    if (p != end) {
        snprintf(err, errlen, "%s: %zu bytes left after the %u words", path, (size_t)(end - p), count);
        goto fail;
    }
    wv->vec = (const int8_t *)end;
    wv->inv_norm = mem_alloc(count * sizeof *wv->inv_norm);
    for (size_t i = 0; i < count; i++) {
        const int8_t *v = wv->vec + i * dims;
        double sq = 0;
        for (uint32_t d = 0; d < dims; d++)
            sq += (double)v[d] * v[d];
        wv->inv_norm[i] = sq > 0 ? (float)(1 / sqrt(sq)) : 0;
    }
    return wv;
fail:
    wordvec_free(wv);
    return NULL;
}

void wordvec_free(wordvec *wv)
{
    if (!wv)
        return;
    free(wv->file);
    free(wv->word);
    free(wv->inv_norm);
    free(wv);
}

int wordvec_dims(const wordvec *wv)
{
    return wv ? wv->dims : 0;
}

size_t wordvec_count(const wordvec *wv)
{
    return wv ? wv->count : 0;
}

int wordvec_find(const wordvec *wv, const char *word)
{
    if (!wv || !word)
        return -1;
    size_t lo = 0, hi = wv->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(wv->word[mid], word);
        if (!c)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

void wordvec_add(const wordvec *wv, int i, float weight, float *acc)
{
    if (!wv || i < 0 || (size_t)i >= wv->count)
        return;
    const int8_t *v = wv->vec + (size_t)i * (size_t)wv->dims;
    float k = weight * wv->inv_norm[i];
    for (int d = 0; d < wv->dims; d++)
        acc[d] += k * v[d];
}
