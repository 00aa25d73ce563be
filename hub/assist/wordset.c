/* wordset.c — a normalised text's words as a Bloom filter (see wordset.h). */
#include "hub/assist/wordset.h"

#include <string.h>

/* FNV-1a over the word's bytes: inline, as it runs on every word of every utterance */
static uint32_t word_hash(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)w[i];
        h *= 16777619u;
    }
    return h;
}

/* the two bits of a word: as wordset_may_hold reads them */
static void bit_pair(uint32_t h, size_t *a, size_t *b)
{
    *a = h & (WORDSET_BITS - 1);
    *b = (h >> 16) & (WORDSET_BITS - 1);
}

void wordset_fill(wordset *s, const char *norm)
{
    memset(s, 0, sizeof *s);
    for (const char *p = norm; *p;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t a, b;
        bit_pair(word_hash(w, (size_t)(p - w)), &a, &b);
        s->bits[a / 64] |= 1ULL << (a % 64);
        s->bits[b / 64] |= 1ULL << (b % 64);
    }
}

void wordset_phrase_of(const char *norm, wordset_phrase *p)
{
    size_t len[WORDSET_PHRASE_WORDS];
    p->n = 0;
    for (const char *q = norm; *q;) {
        if (*q == ' ') {
            q++;
            continue;
        }
        const char *w = q;
        while (*q && *q != ' ')
            q++;
        size_t n = (size_t)(q - w);
        int at = p->n;
        if (at == WORDSET_PHRASE_WORDS) {
            if (n <= len[at - 1])
                continue;
            at--;
        } else {
            p->n++;
        }
        for (; at > 0 && len[at - 1] < n; at--) {
            len[at] = len[at - 1];
            p->hash[at] = p->hash[at - 1];
        }
        len[at] = n;
        p->hash[at] = word_hash(w, n);
    }
}
