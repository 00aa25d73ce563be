/* redact.c — assist_redact(): replaces the spans redact_find() reports with their tags.
 * TAG mode is for recordings and trainers; MASK mode is what the live agent sees, where a
 * card of 12 digits or more keeps its last four so the agent can confirm it with the
 * customer.
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
#define TAG_MAX 20   /* bytes of the longest replacement */

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

/* The redaction of text; when max > 0 and it is longer than max bytes, cut as said above. */
static char *redact(const char *text, redact_mode mode, size_t max)
{
    if (!text)
        text = "";
    size_t len = strlen(text);
    redact_span spans[REDACT_MAX_SPANS];
    size_t n = redact_find(text, len, spans, REDACT_MAX_SPANS);
    char *out = mem_alloc(len + n * TAG_MAX + 4);
    size_t *tag_at = mem_alloc((n + 1) * sizeof *tag_at);   /* output offset of each tag */
    size_t o = 0, pos = 0;
    for (size_t k = 0; k < n; k++) {
        memcpy(out + o, text + pos, spans[k].start - pos);
        o += spans[k].start - pos;
        tag_at[k] = o;
        if (mode == REDACT_MASK && spans[k].kind == REDACT_CARD)
            o += (size_t)card_mask(text, &spans[k], out + o, TAG_MAX);
        else
            o += (size_t)snprintf(out + o, TAG_MAX, "[%s]", redact_kind_name(spans[k].kind));
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
        for (size_t k = n; k-- > 0;)     /* not inside a tag */
            if (tag_at[k] < keep) {
                size_t tag_end = tag_at[k] + strcspn(out + tag_at[k], "]") + 1;
                if (keep < tag_end)
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
