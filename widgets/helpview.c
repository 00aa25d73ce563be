/* helpview.c — the scrollable key-binding list, wrapped to its width (see helpview.h). The
 * rows are re-wrapped on each draw and key: a help table is a few dozen short lines. */
#include "widgets/helpview.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/wrap.h"
#include "widgets/draw.h"
#include "widgets/theme.h"
#include "base/mem.h"

static void free_rows(helpview *h)
{
    for (size_t i = 0; i < h->nrows; i++) {
        free(h->rows[i].keys);
        free(h->rows[i].desc);
    }
    free(h->rows);
    h->rows = NULL;
    h->nrows = 0;
}

static size_t body_rows(const helpview *h)
{
    return h->base.rect.h > 2 ? (size_t)h->base.rect.h - 2 : 0;
}

/* Where things go at the current width: the key column, and the description's column and
 * width (beside the keys, or under them when `stacked`). */
typedef struct help_geom {
    int inner;       /* columns inside the box, after a one-column margin each side */
    int kc;          /* key column width */
    int dx, dc;      /* description: first column, width */
    bool stacked;    /* keys on a row of their own */
} help_geom;

static help_geom geometry(const helpview *h)
{
    help_geom g;
    g.inner = h->base.rect.w - 4;
    if (g.inner < 1)
        g.inner = 1;
    g.kc = h->keys_cols < g.inner / 2 ? h->keys_cols : g.inner / 2;
    g.stacked = g.inner - g.kc < HELPVIEW_MIN_DESC_COLS;
    if (g.stacked) {
        g.kc = g.inner;
        g.dx = g.inner > 4 ? 4 : 2;
        g.dc = g.inner - (g.dx - 2);
    } else {
        g.dx = 2 + g.kc;
        g.dc = g.inner - g.kc;
    }
    return g;
}

/* The wrapped rows of `text` at `cols` (malloc'd, at least one) and their count. */
static wrap_line *wrap(const char *text, int cols, size_t *n)
{
    size_t len = strlen(text), count = text_wrap(text, len, cols, NULL, 0);
    wrap_line *w = mem_zalloc(count, sizeof *w);
    *n = text_wrap(text, len, cols, w, count);
    return w;
}

static bool is_heading(const helpview *h, size_t i)
{
    return !h->rows[i].keys[0];
}

/* Display rows entry i takes at geometry g. */
static size_t entry_rows(const helpview *h, size_t i, const help_geom *g)
{
    const char *desc = h->rows[i].desc;
    size_t len = strlen(desc);
    if (is_heading(h, i))
        return text_wrap(desc, len, g->inner, NULL, 0);
    return text_wrap(desc, len, g->dc, NULL, 0) + (g->stacked ? 1 : 0);
}

static size_t total_rows(const helpview *h)
{
    help_geom g = geometry(h);
    size_t total = 0;
    for (size_t i = 0; i < h->nrows; i++)
        total += entry_rows(h, i, &g);
    return total;
}

static void clamp_top(helpview *h)
{
    size_t body = body_rows(h), total = total_rows(h);
    size_t max_top = total > body ? total - body : 0;
    if (h->top > max_top)
        h->top = max_top;
}

/* Draws entry i's rows whose display row numbers fall in [h->top, h->top + body); `row` is
 * the display row of its first row. */
static void draw_entry(helpview *h, size_t i, size_t row, const help_geom *g, size_t body)
{
    WINDOW *win = h->base.win;
    const char *keys = h->rows[i].keys, *desc = h->rows[i].desc;
    bool heading = is_heading(h, i);
    size_t n;
    wrap_line *wl = wrap(desc, heading ? g->inner : g->dc, &n);
    size_t first = heading || !g->stacked ? 0 : 1;   /* display row of the first desc row */
    for (size_t r = 0; r < n + first; r++) {
        size_t at = row + r;
        if (at < h->top || at >= h->top + body)
            continue;
        int y = 1 + (int)(at - h->top);
        if (heading) {
            draw_text(win, y, 2, desc + wl[r].start, wl[r].len, g->inner,
                      theme_attr(THEME_PANE_TITLE));
            continue;
        }
        if (r == 0)
            draw_text_ellipsis(win, y, 2, keys, strlen(keys), g->kc, theme_attr(THEME_HELP_KEY));
        if (r >= first)
            draw_text(win, y, g->dx, desc + wl[r - first].start, wl[r - first].len, g->dc,
                      theme_attr(THEME_NORMAL));
    }
    free(wl);
}

static void helpview_draw(widget *w)
{
    helpview *h = (helpview *)w;
    draw_clear(w->win, theme_attr(THEME_NORMAL));
    draw_box(w->win, h->title, theme_attr(THEME_PANE_FOCUS), theme_attr(THEME_PANE_FOCUS));
    if (w->rect.w - 4 < 1)
        return;
    clamp_top(h);
    help_geom g = geometry(h);
    size_t body = body_rows(h), row = 0, total = 0;
    for (size_t i = 0; i < h->nrows; i++) {
        size_t rows = entry_rows(h, i, &g);
        if (row + rows > h->top && row < h->top + body)
            draw_entry(h, i, row, &g, body);
        row += rows;
    }
    total = row;
    if (total > body && w->rect.h > 1 && w->rect.w > 12) {
        char pos[48];
        snprintf(pos, sizeof pos, " %zu-%zu/%zu ", h->top + 1,
                 h->top + body < total ? h->top + body : total, total);
        int pw = (int)strlen(pos);
        if (pw + 2 < w->rect.w)
            draw_text(w->win, w->rect.h - 1, w->rect.w - pw - 2, pos, strlen(pos), pw,
                      theme_attr(THEME_PANE_FOCUS));
    }
}

static widget_result helpview_key(widget *w, widget_key key)
{
    helpview *h = (helpview *)w;
    size_t page = body_rows(h) > 1 ? body_rows(h) - 1 : 1;
    switch (key) {
    case WK_ESC: case 'q': case '?': case WK_ENTER: case 10: case WK_FN(KEY_ENTER):
        return WIDGET_CANCEL;
    case WK_FN(KEY_UP): case 'k':
        if (h->top > 0) h->top--;
        break;
    case WK_FN(KEY_DOWN): case 'j':
        h->top++;
        break;
    case WK_FN(KEY_PPAGE):
        h->top = h->top > page ? h->top - page : 0;
        break;
    case WK_FN(KEY_NPAGE): case ' ':
        h->top += page;
        break;
    case WK_FN(KEY_HOME):
        h->top = 0;
        break;
    case WK_FN(KEY_END):
        h->top = SIZE_MAX;   /* clamp_top brings it to the last page */
        break;
    default:
        return WIDGET_IGNORED;
    }
    clamp_top(h);
    w->dirty = true;
    return WIDGET_HANDLED;
}

static void helpview_destroy(widget *w)
{
    free_rows((helpview *)w);
    free(w);
}

static const widget_class helpview_class = {
    .name = "helpview",
    .draw = helpview_draw,
    .handle_key = helpview_key,
    .destroy = helpview_destroy,
};

helpview *helpview_new(const char *title)
{
    helpview *h = mem_zalloc(1, sizeof *h);
    widget_init(&h->base, &helpview_class);
    snprintf(h->title, sizeof h->title, "%s", title ? title : "");
    return h;
}

void helpview_set_rows(helpview *h, const helpview_row *rows, size_t n)
{
    free_rows(h);
    h->rows = mem_zalloc(n, sizeof *h->rows);
    h->keys_cols = 0;
    for (size_t i = 0; i < n; i++) {
        h->rows[i].keys = mem_strdup(rows[i].keys);
        h->rows[i].desc = mem_strdup(rows[i].desc);
        int kw = text_width(h->rows[i].keys, strlen(h->rows[i].keys)) + 2;
        if (kw > h->keys_cols)
            h->keys_cols = kw;
    }
    h->nrows = n;
    h->top = 0;
    h->base.dirty = true;
}
