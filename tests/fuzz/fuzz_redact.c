/* fuzz_redact.c — libFuzzer target: the redactor on arbitrary cleaned text, both modes.
 * Checks: output is still clean single-line UTF-8, spans are sorted, disjoint and inside the
 * text; a text kept within a limit is within it and clean; the first half carried into the
 * second (a number over two utterances) gives clean text. */
#include "hub/assist/assist.h"
#include "hub/assist/redact.h"
#include "base/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len;
    char *clean = text_clean((const char *)data, size, TEXT_SINGLE_LINE, &len);
    redact_span spans[REDACT_MAX_SPANS];
    size_t n = redact_find(clean, len, spans, REDACT_MAX_SPANS);
    for (size_t i = 0; i < n; i++) {
        if (spans[i].start >= spans[i].end || spans[i].end > len)
            abort();
        if (i > 0 && spans[i - 1].end > spans[i].start)
            abort();
    }
    for (int mode = 0; mode < 2; mode++) {
        char *r = assist_redact(clean, mode ? REDACT_MASK : REDACT_TAG);
        if (!text_is_clean(r, strlen(r), TEXT_SINGLE_LINE))
            abort();
        free(r);
        size_t max = len / 2 + 1;
        r = assist_redact_within(clean, mode ? REDACT_MASK : REDACT_TAG, max);
        if (strlen(r) > max || !text_is_clean(r, strlen(r), TEXT_SINGLE_LINE))
            abort();
        free(r);
    }
    /* the first half (cut on a character) said before the second */
    size_t half = text_prefix_len(clean, len, len / 2);
    char *first = strndup(clean, half);
    redact_carry carry = {0};
    redact_carry_keep(&carry, first, 0);
    if (strlen(carry.tail) > REDACT_CARRY_BYTES || !text_is_clean(carry.tail, strlen(carry.tail), TEXT_SINGLE_LINE))
        abort();
    redact_span in_tail;
    char *carried = redact_carried(&carry, clean + half, 1, &in_tail);
    if (in_tail.start > in_tail.end || in_tail.end > strlen(carry.tail))
        abort();
    if (carried && !text_is_clean(carried, strlen(carried), TEXT_SINGLE_LINE))
        abort();
    free(carried);
    free(first);
    free(clean);
    return 0;
}
