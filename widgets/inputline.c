/* inputline.c — the one-row, readline-like editor (see inputline.h). */
#include "widgets/inputline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/wrap.h"
#include "widgets/draw.h"
#include "widgets/theme.h"
#include "base/mem.h"

static int prompt_cols(const inputline *il, int w)
{
    int p = text_width(il->prompt, strlen(il->prompt));
    return p < w ? p : w;
}

/* Keeps the cursor inside the visible text columns; returns those columns. */
static int update_scroll(inputline *il)
{
    int w = il->base.rect.w;
    int avail = w - prompt_cols(il, w);
    if (avail < 1)
        return 0;
    int c = inputline_cursor_col(il);
    int total = edit_width(&il->buf, 0, il->buf.len);
    if (total < avail)
        il->scroll = 0;
    if (c < il->scroll)
        il->scroll = c - avail / 4 > 0 ? c - avail / 4 : 0;
    if (c >= il->scroll + avail)
        il->scroll = c - avail + 1;
    if (il->scroll < 0)
        il->scroll = 0;
    return avail;
}

/* ---- several rows: the prompt and the text wrapped at words, as a small composer ---- */

enum { WRAP_ROWS_MAX = 64 };   /* rows measured; a text needing more scrolls by rows */

/* The prompt and the text as one display string (prompt bytes first), wrapped at w. */
typedef struct {
    char *s;
    size_t plen;
    wrap_line rows[WRAP_ROWS_MAX];
    size_t n;
} wrapped;

static void wrap_all(const inputline *il, int w, wrapped *out)
{
    out->plen = strlen(il->prompt);
    out->s = mem_printf("%s%s", il->prompt, il->buf.s);
    size_t need = text_wrap(out->s, out->plen + il->buf.len, w, out->rows, WRAP_ROWS_MAX);
    out->n = need < WRAP_ROWS_MAX ? need : WRAP_ROWS_MAX;
}

/* The cursor's row and column in a wrapped display (the space a wrap ate counts as the end
 * of its row). */
static void wrapped_cursor(const wrapped *wr, size_t cur, int *row, int *col)
{
    size_t off = wr->plen + cur;
    size_t r = 0;
    while (r + 1 < wr->n && off >= wr->rows[r + 1].start)
        r++;
    size_t end = wr->rows[r].start + wr->rows[r].len;
    if (off > end)
        off = end;
    *row = (int)r;
    *col = text_width(wr->s + wr->rows[r].start, off - wr->rows[r].start);
}

int inputline_rows_wanted(const inputline *il, int w, int max_rows)
{
    if (w < 2 || max_rows <= 1)
        return 1;
    wrapped wr;
    wrap_all(il, w, &wr);
    free(wr.s);
    return (int)wr.n < max_rows ? (int)wr.n : max_rows;
}

/* The first wrapped row shown, so the cursor's row is on screen. When the text does not fit,
 * the top row keeps the prompt ("note> …": whether this goes to the customer must never
 * scroll away) and the rows under it end at the cursor's: 0 means no scrolling. */
static int first_row(int cursor_row, int h)
{
    return cursor_row >= h ? cursor_row - (h - 2) : 0;
}

static void draw_rows(inputline *il, attr_t base)
{
    widget *w = &il->base;
    wrapped wr;
    wrap_all(il, w->rect.w, &wr);
    int crow, ccol;
    wrapped_cursor(&wr, il->buf.cur, &crow, &ccol);
    int top = first_row(crow, w->rect.h), y0 = 0;
    if (top > 0) {   /* the prompt stays; the text above the cursor's rows is left out */
        int pw = prompt_cols(il, w->rect.w);
        draw_text(w->win, 0, 0, il->prompt, strlen(il->prompt), pw, theme_attr(THEME_INPUT_PROMPT));
        draw_text(w->win, 0, pw, "…", strlen("…"), w->rect.w - pw, theme_attr(THEME_INPUT_PROMPT));
        y0 = 1;
    }
    for (int y = y0; y < w->rect.h && top + y - y0 < (int)wr.n; y++) {
        const wrap_line *r = &wr.rows[top + y - y0];
        size_t from = r->start, to = r->start + r->len;
        if (from < wr.plen) {   /* the prompt, in its own colour */
            size_t pend = to < wr.plen ? to : wr.plen;
            draw_text(w->win, y, 0, wr.s + from, pend - from, w->rect.w, theme_attr(THEME_INPUT_PROMPT));
            int px = text_width(wr.s + from, pend - from);
            draw_text(w->win, y, px, wr.s + pend, to - pend, w->rect.w - px, base);
        } else {
            draw_text(w->win, y, 0, wr.s + from, to - from, w->rect.w, base);
        }
    }
    free(wr.s);
}

static void inputline_draw(widget *w)
{
    inputline *il = (inputline *)w;
    attr_t base = theme_attr(THEME_INPUT);
    draw_clear(w->win, base);
    if (w->rect.h > 1 && w->rect.w >= 2) {
        draw_rows(il, base);
        return;
    }
    int pw = prompt_cols(il, w->rect.w);
    draw_text(w->win, 0, 0, il->prompt, strlen(il->prompt), pw, theme_attr(THEME_INPUT_PROMPT));
    int avail = update_scroll(il);
    if (avail < 1)
        return;
    /* Walk characters; skip the ones left of the scroll column, pad a wide one cut by it. */
    const char *s = il->buf.s;
    size_t len = il->buf.len, i = 0;
    int col = 0, x = pw;
    while (i < len && col < il->scroll) {
        uint32_t cp;
        int cw;
        i += text_next(s + i, len - i, &cp, &cw);
        col += cw;
    }
    while (i < len && i > 0) {   /* marks of a character already skipped */
        uint32_t cp;
        int cw;
        size_t n = text_next(s + i, len - i, &cp, &cw);
        if (cw != 0)
            break;
        i += n;
    }
    if (col > il->scroll)
        x += col - il->scroll;
    draw_text(w->win, 0, x, s + i, len - i, pw + avail - x, base);
}

static void set_and_mark(inputline *il)
{
    il->base.dirty = true;
}

static void history_browse(inputline *il, int dir)
{
    if (dir < 0) {
        if (il->hist_pos == 0)
            return;
        if (il->hist_pos == il->nhistory) {
            free(il->draft);
            il->draft = mem_strdup(il->buf.s);
        }
        il->hist_pos--;
        edit_set(&il->buf, il->history[il->hist_pos], false);
    } else {
        if (il->hist_pos >= il->nhistory)
            return;
        il->hist_pos++;
        if (il->hist_pos == il->nhistory) {
            edit_set(&il->buf, il->draft ? il->draft : "", false);
            free(il->draft);
            il->draft = NULL;
        } else {
            edit_set(&il->buf, il->history[il->hist_pos], false);
        }
    }
    set_and_mark(il);
}

static widget_result inputline_key(widget *w, widget_key key)
{
    inputline *il = (inputline *)w;
    edit_buf *b = &il->buf;
    bool changed = false;
    switch (key) {
    case WK_ENTER: case 10: case WK_FN(KEY_ENTER):
        return WIDGET_SUBMIT;
    case WK_BACKSPACE: case 8: case WK_FN(KEY_BACKSPACE):
        changed = edit_backspace(b); break;
    case WK_FN(KEY_DC):
        changed = edit_delete(b); break;
    case WK_FN(KEY_LEFT): case WK_CTRL('b'):
        changed = edit_left(b); break;
    case WK_FN(KEY_RIGHT): case WK_CTRL('f'):
        changed = edit_right(b); break;
    case WK_FN(KEY_HOME): case WK_CTRL('a'):
        edit_home(b); changed = true; break;
    case WK_FN(KEY_END): case WK_CTRL('e'):
        edit_end(b); changed = true; break;
    case WK_CTRL('w'):
        changed = edit_kill_word_back(b); break;
    case WK_CTRL('u'):
        changed = edit_kill_to_start(b); break;
    case WK_CTRL('k'):
        changed = edit_kill_to_end(b); break;
    case WK_FN(KEY_UP): case WK_CTRL('p'):
        history_browse(il, -1); return WIDGET_HANDLED;
    case WK_FN(KEY_DOWN): case WK_CTRL('n'):
        history_browse(il, +1); return WIDGET_HANDLED;
    default:
        if (key & WIDGET_KEY_FN || key < 0x20 || key == 0x7F)
            return WIDGET_IGNORED;
        edit_insert_cp(b, (uint32_t)key, false);
        changed = true;
        break;
    }
    if (changed)
        set_and_mark(il);
    return WIDGET_HANDLED;
}

static void inputline_free(widget *w)
{
    inputline *il = (inputline *)w;
    edit_free(&il->buf);
    for (size_t i = 0; i < il->nhistory; i++)
        free(il->history[i]);
    free(il->draft);
    free(il);
}

static const widget_class inputline_class = {
    .name = "inputline",
    .draw = inputline_draw,
    .handle_key = inputline_key,
    .destroy = inputline_free,
};

inputline *inputline_new(const char *prompt, size_t max_bytes)
{
    inputline *il = mem_zalloc(1, sizeof *il);
    widget_init(&il->base, &inputline_class);
    edit_init(&il->buf, max_bytes ? max_bytes : INPUTLINE_DEFAULT_MAX);
    inputline_set_prompt(il, prompt);
    return il;
}

void inputline_set_prompt(inputline *il, const char *clean)
{
    const char *p = clean ? clean : "";
    size_t n = text_fit(p, strlen(p), INPUTLINE_PROMPT_MAX / 4);
    if (n >= INPUTLINE_PROMPT_MAX)
        n = INPUTLINE_PROMPT_MAX - 1;
    if (strncmp(il->prompt, p, n) == 0 && il->prompt[n] == '\0')
        return;
    memcpy(il->prompt, p, n);
    il->prompt[n] = '\0';
    set_and_mark(il);
}

const char *inputline_text(const inputline *il)
{
    return il->buf.s;
}

void inputline_set_text(inputline *il, const char *clean)
{
    edit_set(&il->buf, clean, false);
    il->hist_pos = il->nhistory;
    set_and_mark(il);
}

void inputline_clear(inputline *il)
{
    inputline_set_text(il, "");
    il->scroll = 0;
}

bool inputline_empty(const inputline *il)
{
    return il->buf.len == 0;
}

void inputline_history_add(inputline *il, const char *clean)
{
    if (!clean || !*clean)
        return;
    if (il->nhistory > 0 && strcmp(il->history[il->nhistory - 1], clean) == 0) {
        il->hist_pos = il->nhistory;
        return;
    }
    if (il->nhistory == INPUTLINE_HISTORY_MAX) {
        free(il->history[0]);
        memmove(il->history, il->history + 1, (INPUTLINE_HISTORY_MAX - 1) * sizeof il->history[0]);
        il->nhistory--;
    }
    il->history[il->nhistory++] = mem_strdup(clean);
    il->hist_pos = il->nhistory;
    free(il->draft);
    il->draft = NULL;
}

size_t inputline_history_take(inputline *il, char **out, size_t max)
{
    size_t n = il->nhistory < max ? il->nhistory : max;
    size_t skip = il->nhistory - n;   /* too many for out: the oldest go */
    for (size_t i = 0; i < skip; i++)
        free(il->history[i]);
    memcpy(out, il->history + skip, n * sizeof *out);
    il->nhistory = 0;
    il->hist_pos = 0;
    free(il->draft);
    il->draft = NULL;
    return n;
}

void inputline_history_give(inputline *il, char **lines, size_t n)
{
    for (size_t i = 0; i < il->nhistory; i++)
        free(il->history[i]);
    il->nhistory = 0;
    size_t skip = n > INPUTLINE_HISTORY_MAX ? n - INPUTLINE_HISTORY_MAX : 0;
    for (size_t i = 0; i < skip; i++)
        free(lines[i]);
    for (size_t i = skip; i < n; i++)
        il->history[il->nhistory++] = lines[i];
    il->hist_pos = il->nhistory;
    free(il->draft);
    il->draft = NULL;
}

void inputline_insert(inputline *il, const char *clean)
{
    edit_insert(&il->buf, clean, false);
    il->hist_pos = il->nhistory;
    set_and_mark(il);
}

size_t inputline_cursor(const inputline *il)
{
    return il->buf.cur;
}

void inputline_restore(inputline *il, const char *clean, size_t cursor)
{
    edit_set(&il->buf, clean, false);
    if (cursor == 0 ||
        (cursor <= il->buf.len && edit_next(&il->buf, edit_prev(&il->buf, cursor)) == cursor))
        il->buf.cur = cursor;   /* only onto a character boundary */
    il->hist_pos = il->nhistory;
    set_and_mark(il);
}

int inputline_cursor_col(const inputline *il)
{
    return edit_width(&il->buf, 0, il->buf.cur);
}

int inputline_cursor_x(inputline *il)
{
    int w = il->base.rect.w;
    int pw = prompt_cols(il, w);
    update_scroll(il);
    int x = pw + inputline_cursor_col(il) - il->scroll;
    if (x > w - 1)
        x = w - 1;
    return x < 0 ? 0 : x;
}

void inputline_place_cursor(inputline *il)
{
    if (!il->base.win || !il->base.visible)
        return;
    leaveok(il->base.win, FALSE);
    if (il->base.rect.h > 1 && il->base.rect.w >= 2) {
        wrapped wr;
        wrap_all(il, il->base.rect.w, &wr);
        int row, col;
        wrapped_cursor(&wr, il->buf.cur, &row, &col);
        free(wr.s);
        int top = first_row(row, il->base.rect.h);
        row = top > 0 ? row - top + 1 : row;
        wmove(il->base.win, row, col < il->base.rect.w ? col : il->base.rect.w - 1);
    } else {
        wmove(il->base.win, 0, inputline_cursor_x(il));
    }
    wnoutrefresh(il->base.win);
}
