/* textarea.c — the multi-line editor inside dialogs (see textarea.h). The text is re-wrapped
 * on each key and draw: it is bounded (a wrap-up summary, at most 32 KiB). */
#include "widgets/textarea.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/wrap.h"
#include "widgets/draw.h"
#include "base/mem.h"

void textarea_init(textarea *ta, size_t max_bytes)
{
    memset(ta, 0, sizeof *ta);
    edit_init(&ta->buf, max_bytes);
    ta->cols = 40;
    ta->rows = 4;
    ta->goal_col = -1;
}

void textarea_free(textarea *ta)
{
    edit_free(&ta->buf);
}

void textarea_set_text(textarea *ta, const char *clean)
{
    edit_set(&ta->buf, clean, true);
    ta->goal_col = -1;
}

void textarea_set_text_at_start(textarea *ta, const char *clean)
{
    textarea_set_text(ta, clean);
    ta->buf.cur = 0;
    ta->top = 0;
}

const char *textarea_text(const textarea *ta)
{
    return ta->buf.s;
}

void textarea_set_size(textarea *ta, int rows, int cols)
{
    ta->rows = rows > 0 ? rows : 1;
    ta->cols = cols > 0 ? cols : 1;
}

/* The wrapped rows of the whole text (malloc'd) and their count. */
static wrap_line *layout(const textarea *ta, size_t *n)
{
    size_t count = text_wrap(ta->buf.s, ta->buf.len, ta->cols, NULL, 0);
    wrap_line *w = mem_zalloc(count, sizeof *w);
    *n = text_wrap(ta->buf.s, ta->buf.len, ta->cols, w, count);
    return w;
}

static size_t row_of(const wrap_line *w, size_t n, size_t cur)
{
    size_t r = 0;
    while (r + 1 < n && w[r + 1].start <= cur)
        r++;
    return r;
}

static int col_in_row(const textarea *ta, const wrap_line *wl, size_t cur)
{
    size_t end = wl->start + wl->len;
    return text_width(ta->buf.s + wl->start, (cur < end ? cur : end) - wl->start);
}

void textarea_cursor(const textarea *ta, size_t *row, int *col)
{
    size_t n;
    wrap_line *w = layout(ta, &n);
    size_t r = row_of(w, n, ta->buf.cur);
    if (row)
        *row = r;
    if (col)
        *col = col_in_row(ta, &w[r], ta->buf.cur);
    free(w);
}

/* Moves the cursor `delta` display rows, keeping the goal column. */
static bool move_rows(textarea *ta, long delta)
{
    size_t n;
    wrap_line *w = layout(ta, &n);
    size_t r = row_of(w, n, ta->buf.cur);
    if (ta->goal_col < 0)
        ta->goal_col = col_in_row(ta, &w[r], ta->buf.cur);
    long target = (long)r + delta;
    if (target < 0)
        target = 0;
    if (target >= (long)n)
        target = (long)n - 1;
    bool moved = (size_t)target != r;
    const wrap_line *t = &w[target];
    ta->buf.cur = t->start + text_fit(ta->buf.s + t->start, t->len, ta->goal_col);
    free(w);
    return moved;
}

static void row_edge(textarea *ta, bool end)
{
    size_t n;
    wrap_line *w = layout(ta, &n);
    size_t r = row_of(w, n, ta->buf.cur);
    ta->buf.cur = end ? w[r].start + w[r].len : w[r].start;
    free(w);
}

widget_result textarea_handle_key(textarea *ta, widget_key key)
{
    edit_buf *b = &ta->buf;
    bool keep_goal = false;
    widget_result res = WIDGET_HANDLED;
    switch (key) {
    case WK_ENTER: case 10: case WK_FN(KEY_ENTER):
        edit_insert_cp(b, '\n', true); break;
    case WK_BACKSPACE: case 8: case WK_FN(KEY_BACKSPACE):
        edit_backspace(b); break;
    case WK_FN(KEY_DC):
        edit_delete(b); break;
    case WK_FN(KEY_LEFT): case WK_CTRL('b'):
        edit_left(b); break;
    case WK_FN(KEY_RIGHT): case WK_CTRL('f'):
        edit_right(b); break;
    case WK_FN(KEY_UP): case WK_CTRL('p'):
        move_rows(ta, -1); keep_goal = true; break;
    case WK_FN(KEY_DOWN): case WK_CTRL('n'):
        move_rows(ta, +1); keep_goal = true; break;
    case WK_FN(KEY_PPAGE):
        move_rows(ta, -(long)(ta->rows > 1 ? ta->rows - 1 : 1)); keep_goal = true; break;
    case WK_FN(KEY_NPAGE):
        move_rows(ta, ta->rows > 1 ? ta->rows - 1 : 1); keep_goal = true; break;
    case WK_FN(KEY_HOME): case WK_CTRL('a'):
        row_edge(ta, false); break;
    case WK_FN(KEY_END): case WK_CTRL('e'):
        row_edge(ta, true); break;
    case WK_CTRL('w'):
        edit_kill_word_back(b); break;
    case WK_CTRL('u'):
        edit_kill_to_start(b); break;
    case WK_CTRL('k'):
        edit_kill_to_end(b); break;
    default:
        if (key & WIDGET_KEY_FN || key < 0x20 || key == 0x7F)
            return WIDGET_IGNORED;
        edit_insert_cp(b, (uint32_t)key, true);
        break;
    }
    if (!keep_goal)
        ta->goal_col = -1;
    return res;
}

void textarea_draw(textarea *ta, WINDOW *win, int y, int x, int h, int w, attr_t attr,
                   int *cy, int *cx)
{
    if (h <= 0 || w <= 0)
        return;
    textarea_set_size(ta, h, w);
    size_t n;
    wrap_line *wl = layout(ta, &n);
    size_t r = row_of(wl, n, ta->buf.cur);
    if (r < ta->top)
        ta->top = r;
    if (r >= ta->top + (size_t)h)
        ta->top = r - (size_t)h + 1;
    if (n - ta->top < (size_t)h)   /* grown back: fill the area from the top again */
        ta->top = n > (size_t)h ? n - (size_t)h : 0;
    for (int i = 0; i < h; i++) {
        draw_fill(win, y + i, x, w, attr);
        size_t row = ta->top + (size_t)i;
        if (row < n)
            draw_text(win, y + i, x, ta->buf.s + wl[row].start, wl[row].len, w, attr);
    }
    int col = col_in_row(ta, &wl[r], ta->buf.cur);
    if (col > w - 1)
        col = w - 1;
    if (cy)
        *cy = y + (int)(r - ta->top);
    if (cx)
        *cx = x + col;
    free(wl);
}
