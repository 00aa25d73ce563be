/* preview.c — the wrapped read-only text block under a rule (see preview.h). */
#include "widgets/preview.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/wrap.h"
#include "widgets/draw.h"
#include "widgets/theme.h"

static void preview_draw(widget *w)
{
    preview *p = (preview *)w;
    preview_text pt = p->source ? p->source(p->ctx) : (preview_text){0};
    attr_t a = theme_attr(THEME_LIST_DETAIL);
    draw_clear(w->win, a);
    int rows = w->rect.h, cols = w->rect.w;
    if (rows <= 0 || cols <= 0)
        return;
    if (!pt.text || !*pt.text)
        return;                          /* nothing selected: no rule over nothing */
    attr_t rule = theme_attr(THEME_PANE_BORDER);
    draw_hline(w->win, 0, 0, cols, rule);
    if (pt.label && *pt.label && cols > 4)
        draw_text_ellipsis(w->win, 0, 1, pt.label, strlen(pt.label), cols - 2, theme_attr(THEME_PANE_TITLE));
    const char *t = pt.text ? pt.text : "";
    size_t len = strlen(t);
    if (rows < 2)
        return;
    int body = rows - 1;
    wrap_line *lines = mem_alloc((size_t)body * sizeof *lines);
    size_t n = text_wrap(t, len, cols, lines, (size_t)body);
    size_t shown = n < (size_t)body ? n : (size_t)body;
    for (size_t i = 0; i < shown; i++) {
        if (i + 1 == shown && n > shown)   /* the rest does not fit: the last row says so */
            draw_text_ellipsis(w->win, (int)i + 1, 0, t + lines[i].start, len - lines[i].start, cols, a);
        else
            draw_text(w->win, (int)i + 1, 0, t + lines[i].start, lines[i].len, cols, a);
    }
    free(lines);
}

static const widget_class preview_class = {
    .name = "preview",
    .draw = preview_draw,
};

preview *preview_new(preview_text (*source)(void *ctx), void *ctx)
{
    preview *p = mem_zalloc(1, sizeof *p);
    widget_init(&p->base, &preview_class);
    p->source = source;
    p->ctx = ctx;
    return p;
}

void preview_changed(preview *p)
{
    p->base.dirty = true;
}
