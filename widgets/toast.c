/* toast.c — the one-row notice at the top right (see toast.h). */
#include "widgets/toast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "widgets/draw.h"
#include "base/mem.h"

widget_rect toast_rect(int text_cols, int rows, int cols)
{
    int w = text_cols + 2;
    if (w > cols)
        w = cols;
    if (rows <= 0 || w <= 0)
        return (widget_rect){ 0, 0, 0, 0 };
    return (widget_rect){ 0, cols - w, 1, w };
}

static void toast_draw(widget *w)
{
    toast *t = (toast *)w;
    attr_t a = theme_attr(t->item);
    draw_clear(w->win, a);
    draw_text_ellipsis(w->win, 0, w->rect.w > 2 ? 1 : 0, t->text, strlen(t->text),
                       w->rect.w > 2 ? w->rect.w - 2 : w->rect.w, a);
}

static const widget_class toast_class = {
    .name = "toast",
    .draw = toast_draw,
};

toast *toast_new(void)
{
    toast *t = mem_zalloc(1, sizeof *t);
    widget_init(&t->base, &toast_class);
    t->base.visible = false;
    t->item = THEME_TOAST;
    return t;
}

void toast_place(toast *t, int screen_rows, int screen_cols)
{
    t->screen_rows = screen_rows;
    t->screen_cols = screen_cols;
    widget_rect r = toast_rect(text_width(t->text, strlen(t->text)), screen_rows, screen_cols);
    if (t->row > 0 && t->row < screen_rows) r.y = t->row;
    widget_set_rect(&t->base, r);
}

void toast_set_row(toast *t, int row)
{
    t->row = row;
}

void toast_show(toast *t, const char *clean, theme_item item)
{
    text_copy(t->text, sizeof t->text, clean);
    t->item = item;
    toast_place(t, t->screen_rows, t->screen_cols);
    widget_set_visible(&t->base, true);
    t->base.dirty = true;
}

void toast_hide(toast *t)
{
    widget_set_visible(&t->base, false);
}
