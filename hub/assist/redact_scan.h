/* redact_scan.h — the scanner the PII detectors share (redact_detect.c, redact_places.c):
 * the text with an ASCII-lowercased copy for keyword search, the spans found so far, and
 * small byte-class and keyword helpers. Internal to the redactor.
 *
 * Invariant: spans[0..n) never overlap; add_span() drops a span overlapping an earlier one,
 * so detectors run in priority order. */
#ifndef AGENTDESK_HUB_ASSIST_REDACT_SCAN_H
#define AGENTDESK_HUB_ASSIST_REDACT_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "hub/assist/redact.h"

enum { SCAN_PAIR_BITS = 1024 };

typedef struct redact_scan {
    const char *s;      /* the text */
    char *low;          /* ASCII-lowercased copy, for keyword search */
    size_t len;
    redact_span *spans;
    size_t n, max;
    unsigned opts;      /* REDACT_* options of redact_find_opts() */
    /* which letter pairs of `low` occur, hashed (scan_note_pairs; all clear: not noted): a
     * keyword whose first pair is absent is not searched for. Some forty keywords are
     * looked for in every text, and most are absent. */
    unsigned long long pairs[SCAN_PAIR_BITS / 64];
    bool pairs_noted;
} scan;

static inline unsigned scan_pair_bit(unsigned char a, unsigned char b)
{
    return ((unsigned)a * 31u + b) % SCAN_PAIR_BITS;
}

/* Notes the letter pairs of sc->low (once it is lowercased). */
static inline void scan_note_pairs(scan *sc)
{
    memset(sc->pairs, 0, sizeof sc->pairs);
    for (size_t i = 0; i + 1 < sc->len; i++) {
        unsigned bit = scan_pair_bit((unsigned char)sc->low[i], (unsigned char)sc->low[i + 1]);
        sc->pairs[bit / 64] |= 1ull << (bit % 64);
    }
    sc->pairs_noted = true;
}

/* false only when `kw` (two bytes or more) cannot occur in sc->low */
static inline bool scan_may_hold(const scan *sc, const char *kw, size_t kl)
{
    if (!sc->pairs_noted || kl < 2)
        return true;
    unsigned bit = scan_pair_bit((unsigned char)kw[0], (unsigned char)kw[1]);
    return (sc->pairs[bit / 64] >> (bit % 64)) & 1;
}

static inline bool is_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline bool is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static inline bool is_alnum(int c) { return is_digit(c) || is_alpha(c); }
static inline int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

static inline int at(const scan *sc, size_t i) { return i < sc->len ? (unsigned char)sc->s[i] : 0; }
static inline bool word_start(const scan *sc, size_t i) { return i == 0 || !is_alnum((unsigned char)sc->s[i - 1]); }
static inline bool word_end(const scan *sc, size_t i) { return i >= sc->len || !is_alnum((unsigned char)sc->s[i]); }

/* A number glued to a symbol that makes it an order number or an amount is never PII. */
static inline bool number_start_ok(const scan *sc, size_t i)
{
    if (!word_start(sc, i))
        return false;
    if (i == 0)
        return true;
    int p = (unsigned char)sc->s[i - 1];
    if (p == '#' || p == '$' || p == '.' || p == ',' || p == '/' || p == ':')
        return false;
    /* € £ ¥ end in these bytes: E2 82 AC, C2 A3, C2 A5 */
    if (p == 0xAC || p == 0xA3 || p == 0xA5)
        return false;
    return true;
}

static inline bool overlaps(const scan *sc, size_t start, size_t end)
{
    for (size_t k = 0; k < sc->n; k++)
        if (start < sc->spans[k].end && sc->spans[k].start < end)
            return true;
    return false;
}

static inline void add_span(scan *sc, size_t start, size_t end, redact_kind kind)
{
    if (end <= start || sc->n >= sc->max || overlaps(sc, start, end))
        return;
    sc->spans[sc->n++] = (redact_span){start, end, kind};
}

/* Is the word [ws, we) one of `list`? */
static inline bool word_among(const scan *sc, size_t ws, size_t we, const char *const *list)
{
    for (const char *const *w = list; *w; w++)
        if (strlen(*w) == we - ws && memcmp(sc->low + ws, *w, we - ws) == 0)
            return true;
    return false;
}

/* Position just after keyword `kw` found at or after `from` on word boundaries, with its
 * start in *kw_start; 0 when absent. */
static inline size_t find_kw(const scan *sc, const char *kw, size_t from, size_t *kw_start)
{
    size_t kl = strlen(kw);
    if (!scan_may_hold(sc, kw, kl))
        return 0;
    while (from + kl <= sc->len) {
        const char *p = memmem(sc->low + from, sc->len - from, kw, kl);
        if (!p)
            return 0;
        size_t pos = (size_t)(p - sc->low);
        if (word_start(sc, pos) && word_end(sc, pos + kl)) {
            if (kw_start)
                *kw_start = pos;
            return pos + kl;
        }
        from = pos + 1;
    }
    return 0;
}

/* Is one of `kws` within `window` bytes before position i? */
static inline bool context_before(const scan *sc, const char *const *kws, size_t i, size_t window)
{
    size_t from = i > window ? i - window : 0, ks;
    for (const char *const *k = kws; *k; k++)
        if (find_kw(sc, *k, from, &ks) && ks < i)
            return true;
    return false;
}

static inline size_t skip_spaces(const scan *sc, size_t i)
{
    while (i < sc->len && (sc->s[i] == ' ' || sc->s[i] == ',' || sc->s[i] == ':' || sc->s[i] == '-'))
        i++;
    return i;
}

/* Skips up to `max` filler words ("is", "my", …) and punctuation after i. */
static inline size_t skip_fillers(const scan *sc, size_t i, const char *const *fillers, int max)
{
    for (int k = 0; k <= max; k++) {
        i = skip_spaces(sc, i);
        if (k == max)
            break;
        bool skipped = false;
        for (const char *const *f = fillers; *f; f++) {
            size_t fl = strlen(*f);
            if (i + fl <= sc->len && memcmp(sc->low + i, *f, fl) == 0 && word_end(sc, i + fl)) {
                i += fl;
                skipped = true;
                break;
            }
        }
        if (!skipped)
            break;
    }
    return i;
}


static inline size_t digits_at(const scan *sc, size_t i, size_t maxd)
{
    size_t k = 0;
    while (k < maxd && is_digit(at(sc, i + k)))
        k++;
    return is_digit(at(sc, i + k)) ? 0 : k;
}

static inline int num_at(const scan *sc, size_t i, size_t n)
{
    int v = 0;
    for (size_t k = 0; k < n; k++)
        v = v * 10 + (at(sc, i + k) - '0');
    return v;
}

/* Runs every detector, in priority order, over sc (redact_detect.c); redact_find()
 * (redact_norm.c) hands it the normalised copy of the text. */
void redact_detect(scan *sc);

/* Phones found by libphonenumber, then by the hand rules (redact_phones.c). */
void redact_phones_matched(scan *sc);
void redact_phones_by_shape(scan *sc);

/* Detectors of dates of birth and of dictated addresses (redact_places.c). */
void redact_places_dobs(scan *sc);
void redact_places_addresses(scan *sc);

#endif
