/* redact.c — assist_redact(): replaces the spans redact_find() reports with their tags.
 * TAG mode is for recordings and trainers; MASK mode is what live consoles see, where a
 * value keeps just enough for the agent to confirm it with the customer: a card of 12 digits
 * or more its last four, an e-mail its first character and its domain, a phone number of 7
 * digits or more its last four, a postcode its outward part (a ZIP code its first three).
 *
 * A tag can be longer than what it replaces ("a@b.co" -> "[EMAIL]"), so a text at its
 * field's limit could come out over it: assist_redact_within() cuts such a text on a
 * character boundary, never inside a tag, and ends it with "…" (docs/PROTOCOL.md).
 *
 * The carry (redact_carry_keep / redact_carried) lets a number read out over two
 * utterances of one speaker be seen whole: the second is read after the end of the first. */
#include "hub/assist/redact.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[REDACT__KINDS] = {
    [REDACT_CARD] = "CARD", [REDACT_CVV] = "CVV", [REDACT_EMAIL] = "EMAIL",
    [REDACT_PHONE] = "PHONE", [REDACT_IBAN] = "IBAN", [REDACT_SSN] = "SSN",
    [REDACT_NINO] = "NINO", [REDACT_DOB] = "DOB", [REDACT_ADDRESS] = "ADDRESS",
};

const char *redact_kind_name(redact_kind kind)
{
    return (unsigned)kind < REDACT__KINDS ? kind_names[kind] : "PII";
}

/* "[CARD ****1234]": the last four digits of the span, kept only when the span holds at
 * least 12 digits, so that what the agent sees never adds up to much of the card: a partial
 * of 8 ("4111 1111") or one read out as words shows as "[CARD]". Digits are counted in the
 * normalised span, so "４１１１…" keeps its last four as ASCII. */
#define CARD_MASK_MIN_DIGITS 12
#define PHONE_MASK_MIN_DIGITS 7
#define TAG_MAX 20   /* bytes of the longest tag ("[CARD ****1234]") */
#define HIDDEN "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"   /* "•••": characters left out */

static int card_mask(const char *s, const redact_span *sp, char *out, size_t outlen)
{
    size_t len = sp->end - sp->start;
    char *norm = mem_alloc(2 * len + 1);
    size_t nl = redact_normalise(s + sp->start, len, norm, 2 * len + 1);
    char last[5] = "";
    int n = 0, total = 0;
    for (size_t i = nl; i > 0; i--)
        if (norm[i - 1] >= '0' && norm[i - 1] <= '9') {
            if (n < 4)
                last[3 - n++] = norm[i - 1];
            total++;
        }
    free(norm);
    if (total < CARD_MASK_MIN_DIGITS)
        return snprintf(out, outlen, "[CARD]");
    return snprintf(out, outlen, "[CARD ****%s]", last);
}

/* The digits of the normalised span, at most cap - 1, NUL-terminated; returns how many. */
static size_t span_digits(const char *s, const redact_span *sp, char *out, size_t cap)
{
    size_t len = sp->end - sp->start, n = 0;
    char *norm = mem_alloc(2 * len + 1);
    size_t nl = redact_normalise(s + sp->start, len, norm, 2 * len + 1);
    for (size_t i = 0; i < nl && n + 1 < cap; i++)
        if (norm[i] >= '0' && norm[i] <= '9')
            out[n++] = norm[i];
    out[n] = 0;
    free(norm);
    return n;
}

/* "j•••@example.com": the first character and the domain. 0 when there is no '@'. */
static int email_mask(const char *s, const redact_span *sp, char *out, size_t outlen)
{
    const char *b = s + sp->start, *at = memchr(b, '@', sp->end - sp->start);
    if (!at || at == b)
        return 0;
    size_t first = 1;
    while (b + first < at && ((unsigned char)b[first] & 0xC0) == 0x80)
        first++;
    return snprintf(out, outlen, "%.*s" HIDDEN "@%.*s", (int)first, b,
                    (int)(s + sp->end - at - 1), at + 1);
}

/* "•• •• 0958": the last four digits of a number of 7 or more (the length is not told). */
static int phone_mask(const char *s, const redact_span *sp, char *out, size_t outlen)
{
    char d[64];
    size_t n = span_digits(s, sp, d, sizeof d);
    if (n < PHONE_MASK_MIN_DIGITS)
        return 0;
    return snprintf(out, outlen, "\xe2\x80\xa2\xe2\x80\xa2 \xe2\x80\xa2\xe2\x80\xa2 %s", d + n - 4);
}

static bool up_alpha(char c) { return c >= 'A' && c <= 'Z'; }
static bool digit(char c) { return c >= '0' && c <= '9'; }

/* A UK postcode at the end of the span keeps its outward code ("••• SW1A •••", the street
 * before it hidden too); a ZIP code its first three digits ("941••"). 0 for other addresses. */
static int address_mask(const char *s, const redact_span *sp, char *out, size_t outlen)
{
    size_t len = sp->end - sp->start;
    char *u = mem_alloc(2 * len + 1);
    size_t n = redact_normalise(s + sp->start, len, u, 2 * len + 1);
    for (size_t i = 0; i < n; i++)
        if (u[i] >= 'a' && u[i] <= 'z')
            u[i] = (char)(u[i] - 'a' + 'A');
    while (n > 0 && (u[n - 1] == ' ' || u[n - 1] == '.' || u[n - 1] == ','))
        n--;
    int w = 0;
    if (n >= 5 && digit(u[n - 3]) && up_alpha(u[n - 2]) && up_alpha(u[n - 1])) {
        size_t e = n - 3;                           /* end of the outward code */
        if (e > 0 && u[e - 1] == ' ')
            e--;
        size_t b = e;
        while (b > 0 && (up_alpha(u[b - 1]) || digit(u[b - 1])))
            b--;
        if (e - b >= 2 && e - b <= 4 && up_alpha(u[b]))
            w = snprintf(out, outlen, "%s%.*s " HIDDEN, b > 0 ? HIDDEN " " : "", (int)(e - b), u + b);
    } else if (n >= 5 && digit(u[n - 1])) {
        size_t b = n;
        while (b > 0 && (digit(u[b - 1]) || u[b - 1] == '-'))
            b--;
        if ((n - b == 5 || n - b == 10) && digit(u[b]) && digit(u[b + 2]))
            w = snprintf(out, outlen, "%s%.3s\xe2\x80\xa2\xe2\x80\xa2", b > 0 ? HIDDEN " " : "", u + b);
    }
    free(u);
    return w;
}

/* What live consoles see of a span: its partly masked form, or its tag. */
static int masked(const char *text, const redact_span *sp, char *out, size_t outlen)
{
    int w = 0;
    switch (sp->kind) {
    case REDACT_CARD: return card_mask(text, sp, out, outlen);
    case REDACT_EMAIL: w = email_mask(text, sp, out, outlen); break;
    case REDACT_PHONE: w = phone_mask(text, sp, out, outlen); break;
    case REDACT_ADDRESS: w = address_mask(text, sp, out, outlen); break;
    default: break;
    }
    return w > 0 ? w : snprintf(out, outlen, "[%s]", redact_kind_name(sp->kind));
}

char *redact_partial(const char *clear, redact_kind kind)
{
    size_t len = clear ? strlen(clear) : 0, cap = 3 * len + TAG_MAX + 32;
    char *out = mem_alloc(cap);
    redact_span sp = {0, len, kind};
    masked(clear ? clear : "", &sp, out, cap);
    return out;
}

/* The redaction of text; when max > 0 and it is longer than max bytes, cut as said above. */
static char *redact(const char *text, redact_mode mode, size_t max)
{
    if (!text)
        text = "";
    size_t len = strlen(text);
    redact_span spans[REDACT_MAX_SPANS];
    size_t n = redact_find(text, len, spans, REDACT_MAX_SPANS);
    /* a partly masked value is at most three times its span (a character left out becomes
     * "•••"), and a tag TAG_MAX bytes */
    size_t cap = 3 * len + n * (TAG_MAX + 32) + 4;
    char *out = mem_alloc(cap);
    size_t *tag_at = mem_alloc((n + 1) * sizeof *tag_at);   /* output offset of each mask */
    size_t *tag_end = mem_alloc((n + 1) * sizeof *tag_end);
    size_t o = 0, pos = 0;
    for (size_t k = 0; k < n; k++) {
        memcpy(out + o, text + pos, spans[k].start - pos);
        o += spans[k].start - pos;
        tag_at[k] = o;
        if (mode == REDACT_MASK)
            o += (size_t)masked(text, &spans[k], out + o, cap - o);
        else
            o += (size_t)snprintf(out + o, TAG_MAX, "[%s]", redact_kind_name(spans[k].kind));
        tag_end[k] = o;
        pos = spans[k].end;
    }
    memcpy(out + o, text + pos, len - pos);
    o += len - pos;
    out[o] = 0;
    if (max > 0 && o > max) {
        static const char cut_mark[] = "…";
        size_t keep = max > sizeof cut_mark - 1 ? max - (sizeof cut_mark - 1) : max;
        while (keep > 0 && ((unsigned char)out[keep] & 0xC0) == 0x80)
            keep--;                      /* not inside a UTF-8 sequence */
        for (size_t k = n; k-- > 0;)     /* not inside a mask */
            if (tag_at[k] < keep) {
                if (keep < tag_end[k])
                    keep = tag_at[k];
                break;
            }
        o = keep;
        if (max > sizeof cut_mark - 1) {
            memcpy(out + o, cut_mark, sizeof cut_mark - 1);
            o += sizeof cut_mark - 1;
        }
        out[o] = 0;
    }
    free(tag_at);
    free(tag_end);
    return out;
}

char *assist_redact(const char *text, redact_mode mode)
{
    return redact(text, mode, 0);
}

char *assist_redact_within(const char *text, redact_mode mode, size_t max)
{
    return redact(text, mode, max);
}

/* ---- numbers read out over two utterances ------------------------------------------------ */

void redact_carry_keep(redact_carry *c, const char *text, int64_t offset_ms)
{
    size_t len = text ? strlen(text) : 0;
    size_t from = len > REDACT_CARRY_BYTES ? len - REDACT_CARRY_BYTES : 0;
    if (from > 0) {                      /* start on a word: after a space, if there is one */
        const char *sp = memchr(text + from, ' ', len - from);
        from = sp ? (size_t)(sp - text) + 1 : from;
        while (from < len && ((unsigned char)text[from] & 0xC0) == 0x80)
            from++;
    }
    memcpy(c->tail, text ? text + from : "", len - from);
    c->tail[len - from] = 0;
    c->offset_ms = offset_ms;
    c->set = len > from;
}

static bool overlaps_any(const redact_span *sp, size_t n, size_t start, size_t end)
{
    for (size_t k = 0; k < n; k++)
        if (start < sp[k].end && sp[k].start < end)
            return true;
    return false;
}

char *redact_carried(const redact_carry *c, const char *text, int64_t offset_ms, redact_span *in_tail)
{
    if (in_tail)
        *in_tail = (redact_span){0, 0, REDACT_CARD};
    if (!c || !c->set || !text || offset_ms - c->offset_ms > REDACT_CARRY_WINDOW_MS)
        return NULL;
    size_t tl = strlen(c->tail), len = strlen(text), join = tl + 1;
    char *joined = mem_alloc(join + len + 1);
    memcpy(joined, c->tail, tl);
    joined[tl] = ' ';
    memcpy(joined + join, text, len + 1);
    redact_span both[REDACT_MAX_SPANS], alone[REDACT_MAX_SPANS], add[REDACT_MAX_SPANS];
    size_t nb = redact_find(joined, join + len, both, REDACT_MAX_SPANS);
    size_t na = redact_find(text, len, alone, REDACT_MAX_SPANS), nadd = 0;
    free(joined);
    /* what the carried words add: a span that runs on from them, or one they gave the
     * context for; what the text shows alone is left to the ordinary redaction */
    for (size_t k = 0; k < nb; k++) {
        if (both[k].end <= join)
            continue;
        size_t s = both[k].start > join ? both[k].start - join : 0, e = both[k].end - join;
        if (both[k].start < tl && in_tail)
            *in_tail = (redact_span){both[k].start, tl, both[k].kind};
        if (both[k].start < join || !overlaps_any(alone, na, s, e))
            add[nadd++] = (redact_span){s, e, both[k].kind};
    }
    if (nadd == 0)
        return NULL;
    char *out = mem_alloc(len + nadd * TAG_MAX + 1);
    size_t o = 0, pos = 0;
    for (size_t k = 0; k < nadd; k++) {
        memcpy(out + o, text + pos, add[k].start - pos);
        o += add[k].start - pos;
        o += (size_t)snprintf(out + o, TAG_MAX, "[%s]", redact_kind_name(add[k].kind));
        pos = add[k].end;
    }
    memcpy(out + o, text + pos, len - pos + 1);
    return out;
}
