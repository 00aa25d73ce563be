/* edit.c — pure UTF-8 buffer editing by character (see edit.h). */
#include "widgets/edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/mem.h"

void edit_init(edit_buf *b, size_t max_bytes)
{
    b->cap = 64;
    b->s = mem_realloc(NULL, b->cap);
    b->s[0] = '\0';
    b->len = 0;
    b->cur = 0;
    b->max = max_bytes ? max_bytes : 8192;
}

void edit_free(edit_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = b->cur = 0;
}

static void reserve(edit_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->s = mem_realloc(b->s, cap);
    b->cap = cap;
}

static size_t utf8_encode(char *out, uint32_t cp)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

bool edit_insert_cp(edit_buf *b, uint32_t cp, bool allow_newline)
{
    if (cp == '\r' || cp == '\t')
        cp = cp == '\t' ? ' ' : '\n';
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return false;
    char enc[4];
    size_t n = utf8_encode(enc, cp);
    /* the buffer only ever holds what text_clean would let through (keys bring controls,
     * bidi overrides and unassigned code points too) */
    if (!text_is_clean(enc, n, allow_newline ? TEXT_KEEP_NEWLINES : TEXT_SINGLE_LINE))
        return false;
    if (b->len + n > b->max)
        return false;
    reserve(b, n);
    memmove(b->s + b->cur + n, b->s + b->cur, b->len - b->cur + 1);
    memcpy(b->s + b->cur, enc, n);
    b->len += n;
    b->cur += n;
    return true;
}

bool edit_insert(edit_buf *b, const char *text, bool allow_newline)
{
    /* clean first, so even unclean text (a bug elsewhere) enters as text_clean makes it */
    size_t len;
    char *clean = text_clean(text, strlen(text), allow_newline ? TEXT_KEEP_NEWLINES
                                                              : TEXT_SINGLE_LINE, &len);
    size_t i = 0;
    bool all = true;
    while (i < len) {
        uint32_t cp;
        int w;
        size_t n = text_next(clean + i, len - i, &cp, &w);
        if (n == 0)
            break;
        i += n;
        if (!edit_insert_cp(b, cp, allow_newline)) {
            all = false;
            if (b->len + 4 > b->max)
                break;
        }
    }
    free(clean);
    return all;
}

void edit_set(edit_buf *b, const char *text, bool allow_newline)
{
    b->len = 0;
    b->cur = 0;
    b->s[0] = '\0';
    if (text)
        edit_insert(b, text, allow_newline);
    b->cur = b->len;
}

/* Width of the code point starting at pos. */
static int width_at(const edit_buf *b, size_t pos, size_t *used)
{
    uint32_t cp;
    int w;
    *used = text_next(b->s + pos, b->len - pos, &cp, &w);
    return cp == '\n' ? 1 : w;
}

size_t edit_next(const edit_buf *b, size_t pos)
{
    if (pos >= b->len)
        return b->len;
    size_t used;
    width_at(b, pos, &used);
    pos += used;
    /* combining marks ride with the character before them */
    while (pos < b->len && b->s[pos] != '\n') {
        int w = width_at(b, pos, &used);
        if (w != 0)
            break;
        pos += used;
    }
    return pos;
}

size_t edit_prev(const edit_buf *b, size_t pos)
{
    if (pos == 0)
        return 0;
    for (;;) {
        do
            pos--;
        while (pos > 0 && ((unsigned char)b->s[pos] & 0xC0) == 0x80);
        size_t used;
        if (pos == 0 || b->s[pos] == '\n' || width_at(b, pos, &used) != 0)
            return pos;
    }
}

static void erase(edit_buf *b, size_t from, size_t to)
{
    memmove(b->s + from, b->s + to, b->len - to + 1);
    b->len -= to - from;
    if (b->cur >= to)
        b->cur -= to - from;
    else if (b->cur > from)
        b->cur = from;
}

bool edit_backspace(edit_buf *b)
{
    if (b->cur == 0)
        return false;
    erase(b, edit_prev(b, b->cur), b->cur);
    return true;
}

bool edit_delete(edit_buf *b)
{
    if (b->cur >= b->len)
        return false;
    erase(b, b->cur, edit_next(b, b->cur));
    return true;
}

bool edit_left(edit_buf *b)
{
    if (b->cur == 0)
        return false;
    b->cur = edit_prev(b, b->cur);
    return true;
}

bool edit_right(edit_buf *b)
{
    if (b->cur >= b->len)
        return false;
    b->cur = edit_next(b, b->cur);
    return true;
}

static size_t line_start(const edit_buf *b, size_t pos)
{
    while (pos > 0 && b->s[pos - 1] != '\n')
        pos--;
    return pos;
}

static size_t line_end(const edit_buf *b, size_t pos)
{
    while (pos < b->len && b->s[pos] != '\n')
        pos++;
    return pos;
}

void edit_home(edit_buf *b)
{
    b->cur = line_start(b, b->cur);
}

void edit_end(edit_buf *b)
{
    b->cur = line_end(b, b->cur);
}

bool edit_kill_word_back(edit_buf *b)
{
    size_t start = line_start(b, b->cur), pos = b->cur;
    while (pos > start && b->s[pos - 1] == ' ')
        pos--;
    while (pos > start && b->s[pos - 1] != ' ')
        pos = edit_prev(b, pos);
    if (pos == b->cur)
        return false;
    erase(b, pos, b->cur);
    return true;
}

bool edit_kill_to_start(edit_buf *b)
{
    size_t start = line_start(b, b->cur);
    if (start == b->cur)
        return false;
    erase(b, start, b->cur);
    return true;
}

bool edit_kill_to_end(edit_buf *b)
{
    size_t end = line_end(b, b->cur);
    if (end == b->cur)
        return false;
    erase(b, b->cur, end);
    return true;
}

int edit_width(const edit_buf *b, size_t from, size_t to)
{
    if (to > b->len)
        to = b->len;
    return from < to ? text_width(b->s + from, to - from) : 0;
}
