/* helpview.c — the scrollable key-binding list (see helpview.h). */
#include "widgets/helpview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/text.h"
#include "widgets/draw.h"
#include "widgets/theme.h"

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

static void clamp_top(helpview *h)
{
    size_t body = body_rows(h);
    size_t max_top = h->nrows > body ? h->nrows - body : 0;
    if (h->top > max_top)
        h->top = max_top;
}

static void helpview_draw(widget *w)
{
    helpview *h = (helpview *)w;
    draw_clear(w->win, theme_attr(THEME_NORMAL));
    draw_box(w->win, h->title, theme_attr(THEME_PANE_FOCUS), theme_attr(THEME_PANE_FOCUS));
    clamp_top(h);
    int inner = w->rect.w - 4;
    if (inner < 1)
        return;
    int kc = h->keys_cols < inner / 2 ? h->keys_cols : inner / 2;
    size_t body = body_rows(h);
    for (size_t i = 0; i < body && h->top + i < h->nrows; i++) {
        int y = 1 + (int)i;
        const char *keys = h->rows[h->top + i].keys, *desc = h->rows[h->top + i].desc;
        if (!keys[0]) {
            draw_text_ellipsis(w->win, y, 2, desc, strlen(desc), inner, theme_attr(THEME_PANE_TITLE));
            continue;
        }
        draw_text_ellipsis(w->win, y, 2, keys, strlen(keys), kc, theme_attr(THEME_HELP_KEY));
        draw_text_ellipsis(w->win, y, 2 + kc, desc, strlen(desc), inner - kc, theme_attr(THEME_NORMAL));
    }
    if (h->nrows > body && w->rect.h > 1 && w->rect.w > 12) {
        char pos[32];
        snprintf(pos, sizeof pos, " %zu-%zu/%zu ", h->top + 1,
                 h->top + body < h->nrows ? h->top + body : h->nrows, h->nrows);
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
        h->top = h->nrows;
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
    helpview *h = widget_xcalloc(1, sizeof *h);
    widget_init(&h->base, &helpview_class);
    snprintf(h->title, sizeof h->title, "%s", title ? title : "");
    return h;
}

void helpview_set_rows(helpview *h, const helpview_row *rows, size_t n)
{
    free_rows(h);
    h->rows = widget_xcalloc(n, sizeof *h->rows);
    h->keys_cols = 0;
    for (size_t i = 0; i < n; i++) {
        h->rows[i].keys = widget_xstrdup(rows[i].keys);
        h->rows[i].desc = widget_xstrdup(rows[i].desc);
        int kw = text_width(h->rows[i].keys, strlen(h->rows[i].keys)) + 2;
        if (kw > h->keys_cols)
            h->keys_cols = kw;
    }
    h->nrows = n;
    h->top = 0;
    h->base.dirty = true;
}
