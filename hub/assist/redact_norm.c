/* redact_norm.c — the normalised copy the PII detectors read, and redact_find() on it.
 *
 * People and their software write the same number in many ways: "４５３９" (fullwidth),
 * "4539\u200B1488" (a zero-width space pasted in), "4539..1488", "4539   1488",
 * "john＠example.com". The detectors (redact_detect.c, redact_places.c) know ASCII only, so
 * they read a copy where
 *   - compatibility forms are folded: fullwidth ASCII U+FF01..FF5E, other decimal digit sets
 *     (Arabic-Indic, Devanagari, …, mathematical digits), super/subscript and circled digits,
 *     mathematical alphanumeric letters, Unicode spaces, dashes, full stops and "@" forms;
 *   - format characters (category Cf: soft hyphen, zero-width space/joiners, word joiner,
 *     BOM, invisible operators, tags) and variation selectors are removed; between a letter
 *     and a digit one becomes a space, so that it still separates a word from a number;
 *   - whitespace runs become one space, and a run of separators between two digits
 *     ("4539 . 1488", "4539 / 1488", "4539__1488") becomes one ("4539.1488"), or one space
 *     when it mixes kinds.
 * Every byte of the copy knows the original bytes it came from, so a span found in the copy
 * is masked over the original, on character boundaries. */
#include "hub/assist/phone.h"
#include "hub/assist/redact_scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- decoding and folding -------------------------------------------------------------- */

/* One code point at s (n bytes left): its length, or 0 when the bytes are not valid UTF-8
 * (then the byte is copied as it is). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len = s[0] >= 0xF5 ? 0 : s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (len == 0 || len > n)
        return 0;
    uint32_t c = s[0] & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[k] & 0x3F);
    }
    bool overlong = (len == 3 && c < 0x800) || (len == 4 && c < 0x10000);
    if (overlong || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* The first code point of each run of ten decimal digits (Unicode category Nd) outside
 * ASCII that is cheap to know: scripts people type numbers in, and the mathematical sets. */
static const uint32_t digit_zeros[] = {
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
    0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
    0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1FBF0,
};

static int digit_value(uint32_t cp)
{
    for (size_t k = 0; k < sizeof digit_zeros / sizeof digit_zeros[0]; k++)
        if (cp >= digit_zeros[k] && cp < digit_zeros[k] + 10)
            return (int)(cp - digit_zeros[k]);
    if (cp == 0xB9)
        return 1;
    if (cp == 0xB2 || cp == 0xB3)
        return (int)(cp - 0xB0);
    if (cp == 0x2070 || (cp >= 0x2074 && cp <= 0x2079))
        return (int)(cp - 0x2070);
    if (cp >= 0x2080 && cp <= 0x2089)
        return (int)(cp - 0x2080);
    if (cp >= 0x2460 && cp <= 0x2468)      /* circled ① … ⑨ */
        return (int)(cp - 0x2460 + 1);
    if (cp >= 0x2776 && cp <= 0x2793) {    /* dingbat circled 1 … 10, three sets */
        int k = (int)((cp - 0x2776) % 10);
        return k == 9 ? -1 : k + 1;
    }
    return -1;
}

/* Format characters (Cf) and other invisible marks that only change how text looks. */
static bool is_format(uint32_t cp)
{
    if (cp < 0xAD)   /* ASCII, most of what is searched, in one test */
        return false;
    return cp == 0x00AD || cp == 0x034F || (cp >= 0x0600 && cp <= 0x0605) || cp == 0x061C ||
           cp == 0x06DD || cp == 0x070F || cp == 0x08E2 || cp == 0x180E ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x206F) || cp == 0x20E3 ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
           cp == 0x110BD || cp == 0x110CD || (cp >= 0x13430 && cp <= 0x1343F) ||
           (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A) || cp == 0xE0001 ||
           (cp >= 0xE0020 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* U+FFFD stands for a control or a broken byte the cleaner replaced: a separator. */
static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFFFD;
}

/* The ASCII (or short UTF-8) form of cp in out; its length, 0 to keep cp as it is. */
static size_t fold(uint32_t cp, char out[4])
{
    if (cp < 0x80)   /* ASCII stays: without this test each byte ran the digit table */
        return 0;
    int d = digit_value(cp);
    if (d >= 0) {
        out[0] = (char)('0' + d);
        return 1;
    }
    if (cp >= 0xFF01 && cp <= 0xFF5E) {               /* fullwidth ASCII */
        out[0] = (char)(cp - 0xFEE0);
        return 1;
    }
    if (cp >= 0x1D400 && cp <= 0x1D6A3) {             /* mathematical letters, 52 a set */
        uint32_t k = (cp - 0x1D400) % 52;
        out[0] = (char)(k < 26 ? 'A' + k : 'a' + k - 26);
        return 1;
    }
    if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 || cp == 0xFE63) {
        out[0] = '-';
        return 1;
    }
    if (cp == 0x3002 || cp == 0xFF61 || cp == 0xFE52 || cp == 0x2024) {
        out[0] = '.';
        return 1;
    }
    if (cp == 0xFE6B) {
        out[0] = '@';
        return 1;
    }
    if (cp == 0xFE69) {
        out[0] = '$';
        return 1;
    }
    if (cp == 0xFFE1 || cp == 0xFFE5) {               /* fullwidth £ ¥: as the narrow ones */
        out[0] = (char)0xC2;
        out[1] = (char)(cp == 0xFFE1 ? 0xA3 : 0xA5);
        return 2;
    }
    return 0;
}

/* ---- the copy --------------------------------------------------------------------------- */

typedef struct {
    char *s;
    size_t *from, *to;   /* byte i of s came from original bytes [from[i], to[i]) */
    size_t len;
    char *low;           /* room for a lower-case copy of s */
    void *heap;          /* the one allocation behind the arrays, NULL when on the stack */
} norm;

/* Room for the copy of a text of up to NORM_ROOM bytes, on the caller's stack (about 9 KB):
 * an utterance is searched three or four times, and four allocations a search were a tenth
 * of the malloc calls of the hub's enrichment. Longer texts get one allocation. */
#define NORM_ROOM 256
typedef struct {
    size_t from[2 * NORM_ROOM + 1], to[2 * NORM_ROOM + 1];
    char s[2 * NORM_ROOM + 1], low[2 * NORM_ROOM + 1];
} norm_room;

static void put(norm *n, char c, size_t from, size_t to)
{
    n->s[n->len] = c;
    n->from[n->len] = from;
    n->to[n->len] = to;
    n->len++;
}

/* Pass 1: fold, drop format characters, collapse whitespace. Output is never longer than
 * twice the input (a 3-byte fullwidth sign may become 2 bytes; nothing grows more). */
static void fold_pass(norm *n, const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text;
    bool dropped = false;   /* a format character since the last byte written */
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t l = utf8_decode(t + i, len - i, &cp);
        if (l == 0) {
            put(n, (char)t[i], i, i + 1);
            i++;
            dropped = false;
            continue;
        }
        if (is_format(cp)) {
            dropped = true;
            if (n->len)
                n->to[n->len - 1] = i + l;   /* absorbed by what came before */
            i += l;
            continue;
        }
        if (is_space(cp)) {
            if (n->len && n->s[n->len - 1] == ' ')
                n->to[n->len - 1] = i + l;
            else
                put(n, ' ', i, i + l);
            i += l;
            dropped = false;
            continue;
        }
        char f[4];
        size_t fl = fold(cp, f);
        if (fl == 0) {
            memcpy(f, t + i, l);
            fl = l;
        }
        if (dropped && n->len) {
            int p = (unsigned char)n->s[n->len - 1], c = (unsigned char)f[0];
            if ((is_digit(p) && is_alpha(c)) || (is_alpha(p) && is_digit(c)))
                put(n, ' ', n->to[n->len - 1], i);
        }
        dropped = false;
        for (size_t k = 0; k < fl; k++)
            put(n, f[k], i, i + l);
        i += l;
    }
}

static bool is_number_sep(int c)
{
    return c == ' ' || c == '.' || c == '/' || c == '_' || c == '-';
}

/* Pass 2: a run of two or more separators between two digits becomes one. */
static void collapse_pass(norm *n)
{
    size_t o = 0;
    for (size_t i = 0; i < n->len;) {
        if (i > 0 && is_digit((unsigned char)n->s[i - 1]) && is_number_sep((unsigned char)n->s[i])) {
            size_t j = i;
            int kind = 0;
            bool mixed = false;
            while (j < n->len && is_number_sep((unsigned char)n->s[j])) {
                int c = (unsigned char)n->s[j];
                if (c != ' ') {
                    if (kind && kind != c)
                        mixed = true;
                    kind = c;
                }
                j++;
            }
            if (j - i >= 2 && j < n->len && is_digit((unsigned char)n->s[j])) {
                n->s[o] = (char)(mixed || !kind ? ' ' : kind);
                n->from[o] = n->from[i];
                n->to[o] = n->to[j - 1];
                o++;
                i = j;
                continue;
            }
            while (i < j) {
                n->s[o] = n->s[i];
                n->from[o] = n->from[i];
                n->to[o] = n->to[i];
                o++;
                i++;
            }
            continue;
        }
        n->s[o] = n->s[i];
        n->from[o] = n->from[i];
        n->to[o] = n->to[i];
        o++;
        i++;
    }
    n->len = o;
}

static int norm_build(norm *n, norm_room *room, const char *text, size_t len)
{
    size_t cap = 2 * len + 1;
    n->len = 0;
    n->heap = NULL;
    if (len <= NORM_ROOM) {
        n->from = room->from;
        n->to = room->to;
        n->s = room->s;
        n->low = room->low;
    } else {
        if (cap > SIZE_MAX / (2 * sizeof(size_t) + 2))
            return -1;
        n->heap = malloc(cap * 2 * sizeof(size_t) + 2 * cap);
        if (!n->heap)
            return -1;
        n->from = n->heap;
        n->to = n->from + cap;
        n->s = (char *)(n->to + cap);
        n->low = n->s + cap;
    }
    fold_pass(n, text, len);
    collapse_pass(n);
    n->s[n->len] = 0;
    return 0;
}

static void norm_free(norm *n)
{
    free(n->heap);
}

size_t redact_normalise(const char *text, size_t len, char *out, size_t outlen)
{
    norm n;
    norm_room room;
    size_t w = 0;
    if (norm_build(&n, &room, text, len) == 0 && outlen > 0) {
        w = n.len < outlen - 1 ? n.len : outlen - 1;
        memcpy(out, n.s, w);
        out[w] = 0;
    }
    norm_free(&n);
    return w;
}

/* ---- redact_find ----------------------------------------------------------------------- */

static int span_cmp(const void *a, const void *b)
{
    const redact_span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

size_t redact_find(const char *text, size_t len, redact_span *spans, size_t max)
{
    return redact_find_opts(text, len, spans, max, 0);
}

static size_t find_uncached(const char *text, size_t len, redact_span *spans, size_t max, unsigned opts)
{
    norm n;
    norm_room room;
    size_t found = 0;
    if (norm_build(&n, &room, text, len) != 0)
        goto out;
    char *low = n.low;
    for (size_t i = 0; i < n.len; i++)
        low[i] = (char)lower((unsigned char)n.s[i]);
    low[n.len] = 0;
    scan sc = {.s = n.s, .low = low, .len = n.len, .spans = spans, .max = max, .opts = opts};
    scan_note_pairs(&sc);
    redact_detect(&sc);
    qsort(spans, sc.n, sizeof *spans, span_cmp);
    for (size_t k = 0; k < sc.n; k++) {
        spans[k].end = n.to[spans[k].end - 1];
        spans[k].start = n.from[spans[k].start];
    }
    found = sc.n;
out:
    norm_free(&n);
    return found;
}

/* One utterance is searched several times over: the pipeline's carry (the text alone and
 * joined to the previous final's tail), the agent's mask, the recording's tags, then the
 * enrichment's carry and summary, with the sentiment event's terms and cues (three to six
 * short strings) tagged for the recording in between. The last few texts' spans are kept,
 * per thread: enough for one utterance's passes (six slots were not: the cues pushed the
 * utterance out before the enrichment read it again; under bench_hub 5.25 searches an
 * utterance with six, 4.25 with sixteen) and too few to outlive it by much. Long texts and texts with many spans are
 * searched each time (fixed slots: nothing to free when a thread ends). */
#define REMEMBERED 16
#define REMEMBERED_TEXT 1024
#define REMEMBERED_SPANS 16

typedef struct {
    char text[REMEMBERED_TEXT];
    size_t len, nspans;
    unsigned opts;
    unsigned long regions;   /* phone_regions_version() when found */
    unsigned long long used;   /* when last read: the oldest is replaced */
    bool valid;
    redact_span spans[REMEMBERED_SPANS];
} remembered;

size_t redact_find_opts(const char *text, size_t len, redact_span *spans, size_t max, unsigned opts)
{
    static _Thread_local remembered slot[REMEMBERED];
    static _Thread_local unsigned long long clock;
    if (!text)
        text = "", len = 0;
    if (len > REMEMBERED_TEXT || max < REMEMBERED_SPANS)
        return find_uncached(text, len, spans, max, opts);
    unsigned long regions = phone_regions_version();
    remembered *oldest = &slot[0];
    for (size_t i = 0; i < REMEMBERED; i++) {
        remembered *r = &slot[i];
        if (r->valid && r->len == len && r->opts == opts && r->regions == regions && memcmp(r->text, text, len) == 0) {
            r->used = ++clock;
            memcpy(spans, r->spans, r->nspans * sizeof *spans);
            return r->nspans;
        }
        if (oldest->valid && (!r->valid || r->used < oldest->used))
            oldest = r;   /* an empty slot first, else the least recently read */
    }
    size_t found = find_uncached(text, len, spans, max, opts);
    oldest->valid = found <= REMEMBERED_SPANS && found < max;   /* all there were, not a cut */
    if (oldest->valid) {
        memcpy(oldest->text, text, len);
        oldest->len = len;
        oldest->opts = opts;
        oldest->regions = regions;
        oldest->nspans = found;
        oldest->used = ++clock;
        memcpy(oldest->spans, spans, found * sizeof *spans);
    }
    return found;
}
