/* fuzz_text.c — libFuzzer target: text_clean's promises on arbitrary bytes, in both
 * modes: valid UTF-8, no control byte, no C1 or bidi control, idempotent, text_is_clean
 * agrees, and widths add up (text_width == sum of text_next widths, text_fit bounded). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_text: %s:%d: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

/* Independent strict decoder; checks every code point against the forbidden sets. */
static void require_valid_clean(const unsigned char *s, size_t n, int flags)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k;
        unsigned char b = s[i];
        if (b <= 0x7F) { cp = b; k = 1; }
        else if ((b & 0xE0) == 0xC0) { cp = b & 0x1F; k = 2; }
        else if ((b & 0xF0) == 0xE0) { cp = b & 0x0F; k = 3; }
        else if ((b & 0xF8) == 0xF0) { cp = b & 0x07; k = 4; }
        else { REQUIRE(!"bad lead byte"); return; }
        REQUIRE(i + k <= n);
        for (size_t j = 1; j < k; j++) {
            REQUIRE((s[i + j] & 0xC0) == 0x80);
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        static const uint32_t min_for_len[5] = { 0, 0, 0x80, 0x800, 0x10000 };
        REQUIRE(cp >= min_for_len[k] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
        REQUIRE(cp >= 0x20 || (cp == '\n' && flags == TEXT_KEEP_NEWLINES));
        REQUIRE(cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F));
        REQUIRE(!(cp >= 0x202A && cp <= 0x202E) && !(cp >= 0x2066 && cp <= 0x2069));
        REQUIRE(cp != 0x200E && cp != 0x200F && cp != 0x061C);
        i += k;
    }
}

static void one_mode(const char *in, size_t size, int flags)
{
    size_t len;
    char *out = text_clean(in, size, flags, &len);
    REQUIRE(out[len] == '\0' && strlen(out) == len);
    REQUIRE(len <= size * 3);
    require_valid_clean((const unsigned char *)out, len, flags);
    REQUIRE(text_is_clean(out, len, flags));
    REQUIRE(text_is_clean(in, size, flags) == (len == size && memcmp(in, out, size) == 0));
    size_t again_len;
    char *again = text_clean(out, len, flags, &again_len);
    REQUIRE(again_len == len && memcmp(again, out, len) == 0);
    free(again);

    long sum = 0;
    size_t pos = 0;
    while (pos < len) {
        uint32_t cp;
        int w;
        size_t used = text_next(out + pos, len - pos, &cp, &w);
        REQUIRE(used >= 1 && used <= 4 && pos + used <= len);
        REQUIRE(w >= 0 && w <= 2);
        REQUIRE(cp != '\n' || w == 0);
        sum += w;
        pos += used;
    }
    REQUIRE(text_width(out, len) == sum);
    for (int cols = 0; cols <= 9; cols += 3) {
        size_t fit = text_fit(out, len, cols);
        REQUIRE(fit <= len);
        REQUIRE(text_width(out, fit) <= cols);
        REQUIRE(fit == len || (((unsigned char)out[fit] & 0xC0) != 0x80));
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    one_mode((const char *)data, size, TEXT_SINGLE_LINE);
    one_mode((const char *)data, size, TEXT_KEEP_NEWLINES);
    return 0;
}
