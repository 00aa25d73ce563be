/* redact.c — assist_redact(): replaces the spans redact_find() reports with their tags.
 * TAG mode is for recordings and trainers; MASK mode is what the live agent sees, where a
 * card of 12 digits or more keeps its last four so the agent can confirm it with the
 * customer. */
#include "hub/assist/assist.h"
#include "hub/assist/redact.h"

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
 * of 8 ("4111 1111") or one read out as words shows as "[CARD]". */
#define CARD_MASK_MIN_DIGITS 12

static int card_mask(const char *s, const redact_span *sp, char *out, size_t outlen)
{
    char last[5] = "";
    int n = 0, total = 0;
    for (size_t i = sp->end; i > sp->start; i--)
        if (s[i - 1] >= '0' && s[i - 1] <= '9') {
            if (n < 4)
                last[3 - n++] = s[i - 1];
            total++;
        }
    if (total < CARD_MASK_MIN_DIGITS)
        return snprintf(out, outlen, "[CARD]");
    return snprintf(out, outlen, "[CARD ****%s]", last);
}

char *assist_redact(const char *text, redact_mode mode)
{
    if (!text)
        text = "";
    size_t len = strlen(text);
    redact_span spans[REDACT_MAX_SPANS];
    size_t n = redact_find(text, len, spans, REDACT_MAX_SPANS);
    /* every replacement is at most 20 bytes */
    char *out = malloc(len + n * 20 + 1);
    if (!out) {
        fputs("agentdesk-hub: out of memory\n", stderr);
        abort();
    }
    size_t o = 0, pos = 0;
    for (size_t k = 0; k < n; k++) {
        memcpy(out + o, text + pos, spans[k].start - pos);
        o += spans[k].start - pos;
        if (mode == REDACT_MASK && spans[k].kind == REDACT_CARD)
            o += (size_t)card_mask(text, &spans[k], out + o, 20);
        else
            o += (size_t)sprintf(out + o, "[%s]", redact_kind_name(spans[k].kind));
        pos = spans[k].end;
    }
    memcpy(out + o, text + pos, len - pos);
    out[o + len - pos] = 0;
    return out;
}
