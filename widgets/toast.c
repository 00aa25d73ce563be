/* toast.c — the one-row notice at the top right (see toast.h). */
#include "widgets/toast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/text.h"
#include "widgets/draw.h"

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

static void toast_destroy(widget *w)
{
    free(w);
}

static const widget_class toast_class = {
    .name = "toast",
    .draw = toast_draw,
    .destroy = toast_destroy,
};

toast *toast_new(void)
{
    toast *t = calloc(1, sizeof *t);
    if (!t) {
        fputs("agentdesk: out of memory\n", stderr);
        abort();
    }
    widget_init(&t->base, &toast_class);
    t->base.visible = false;
    t->item = THEME_TOAST;
    return t;
}

void toast_place(toast *t, int screen_rows, int screen_cols)
{
    t->screen_rows = screen_rows;
    t->screen_cols = screen_cols;
    widget_set_rect(&t->base, toast_rect(text_width(t->text, strlen(t->text)),
                                         screen_rows, screen_cols));
}

void toast_show(toast *t, const char *clean, theme_item item)
{
    const char *s = clean ? clean : "";
    size_t n = strlen(s);
    if (n >= sizeof t->text) {
        n = sizeof t->text - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(t->text, s, n);
    t->text[n] = '\0';
    t->item = item;
    toast_place(t, t->screen_rows, t->screen_cols);
    widget_set_visible(&t->base, true);
    t->base.dirty = true;
}

void toast_hide(toast *t)
{
    widget_set_visible(&t->base, false);
}

bool toast_visible(const toast *t)
{
    return t->base.visible;
}
