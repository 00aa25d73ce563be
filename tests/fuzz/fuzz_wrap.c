/* fuzz_wrap.c — libFuzzer target: wrap cleaned arbitrary text at several widths. Every
 * line fits (or holds one cluster when cols < 2), lines are in order and cover every
 * byte except the one space or newline that ended a line, wide characters and
 * combining marks are never split off, and the line count does not depend on `max`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/wrap.h"

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_wrap: %s:%d: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

static void one_width(const char *clean, size_t len, int cols)
{
    size_t n = text_wrap(clean, len, cols, NULL, 0);
    REQUIRE(n >= 1 && n <= len + 1);
    wrap_line *lines = malloc(n * sizeof *lines);
    REQUIRE(text_wrap(clean, len, cols, lines, n) == n);
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        const wrap_line *l = &lines[i];
        REQUIRE(l->start >= pos && l->start - pos <= 1);
        if (l->start > pos)
            REQUIRE(clean[pos] == ' ' || clean[pos] == '\n');
        REQUIRE(l->start + l->len <= len);
        REQUIRE(l->width == text_width(clean + l->start, l->len));
        REQUIRE(memchr(clean + l->start, '\n', l->len) == NULL);
        if (cols >= 2)
            REQUIRE(l->width <= cols);
        else
            REQUIRE(l->width <= 2);
        /* Never inside a UTF-8 sequence; a line does not start with a zero-width mark
         * unless the text or a hard line break put it there. */
        REQUIRE(((unsigned char)clean[l->start] & 0xC0) != 0x80 || l->start == len);
        if (l->len > 0 && i > 0 && clean[l->start - 1] != '\n' && clean[l->start - 1] != ' ') {
            uint32_t cp;
            int w;
            text_next(clean + l->start, len - l->start, &cp, &w);
            REQUIRE(w > 0);
        }
        if (i + 1 < n)
            REQUIRE(l->len > 0 || clean[l->start + l->len] == '\n');
        pos = l->start + l->len;
    }
    REQUIRE(len - pos <= 1);
    /* A partial buffer receives the same first lines (checked at one width: the
     * code path does not depend on cols). */
    if (n > 1 && cols == 13) {
        wrap_line first;
        REQUIRE(text_wrap(clean, len, cols, &first, 1) == n);
        REQUIRE(first.start == lines[0].start && first.len == lines[0].len);
    }
    free(lines);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    size_t len;
    char *clean = text_clean((const char *)data, size, TEXT_KEEP_NEWLINES, &len);
    static const int widths[] = { 0, 1, 2, 3, 13, 80 };
    for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
        one_width(clean, len, widths[i]);
    free(clean);
    return 0;
}
