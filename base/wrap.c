/* wrap.c — greedy line wrapping of cleaned text by display width (see wrap.h).
 *
 * The unit that is never split is a cluster: one code point followed by every
 * zero-width code point after it (combining marks, joiners), so a mark stays with
 * its base and a wide character is placed whole. A break at a space consumes that
 * one space; a word wider than the line is broken between clusters; a '\n' ends
 * the line and is consumed. */
#include "base/wrap.h"

#include <stdbool.h>
#include <stdint.h>
#include "base/text.h"

/* Length and width of the cluster at s (n >= 1 bytes, s[0] != '\n'). */
static size_t cluster_at(const char *s, size_t n, int *width)
{
    uint32_t cp;
    int w;
    size_t used = text_next(s, n, &cp, &w);
    *width = w;
    /* Cleaned ASCII is never zero-width, so only a non-ASCII byte can extend the cluster. */
    while (used < n && (unsigned char)s[used] >= 0x80) {
        int w2;
        size_t more = text_next(s + used, n - used, &cp, &w2);
        if (w2 != 0)
            break;
        used += more;
    }
    return used;
}

static void emit(wrap_line *out, size_t max, size_t count, size_t start, size_t len, int width)
{
    if (count < max) {
        out[count].start = start;
        out[count].len = len;
        out[count].width = width;
    }
}

size_t text_wrap(const char *clean, size_t len, int cols, wrap_line *out, size_t max)
{
    if (cols < 1)
        cols = 1;
    size_t count = 0;
    size_t start = 0;
    for (;;) {
        size_t pos = start;
        int width = 0;
        /* The last space in this line that a break could use (with text before it). */
        bool have_break = false;
        size_t break_at = 0;
        int break_width = 0;
        size_t next_start = len;
        bool line_done = false;
        bool ended_by_newline = false;

        while (pos < len) {
            if (clean[pos] == '\n') {
                emit(out, max, count++, start, pos - start, width);
                next_start = pos + 1;
                line_done = true;
                ended_by_newline = true;
                break;
            }
            int cw;
            size_t cl = cluster_at(clean + pos, len - pos, &cw);
            if (width + cw <= cols) {
                if (clean[pos] == ' ' && pos > start) {
                    have_break = true;
                    break_at = pos;
                    break_width = width;
                }
                width += cw;
                pos += cl;
                continue;
            }
            if (clean[pos] == ' ') {
                emit(out, max, count++, start, pos - start, width);
                next_start = pos + 1;
            } else if (have_break) {
                emit(out, max, count++, start, break_at - start, break_width);
                next_start = break_at + 1;
            } else if (pos == start) {
                /* A cluster wider than the whole line still gets a line of its own. */
                emit(out, max, count++, start, cl, cw);
                next_start = pos + cl;
            } else {
                emit(out, max, count++, start, pos - start, width);
                next_start = pos;
            }
            line_done = true;
            break;
        }
        if (!line_done) {
            emit(out, max, count++, start, len - start, width);
            return count;
        }
        /* A soft break that used up the text leaves no empty line behind; a
         * newline at the very end does (the text ends with an empty line). */
        if (next_start >= len && !ended_by_newline)
            return count;
        start = next_start;
    }
}
