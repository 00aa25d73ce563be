/* timeline.c — a track with a position and marks, and a status at the right (timeline.h). */
#include "widgets/timeline.h"
#include "widgets/draw.h"
#include "base/mem.h"
#include "base/text.h"

#include <string.h>

static int cell_of(double at, int w)
{
    if (!(at >= 0)) at = 0;
    if (at > 1) at = 1;
    int c = (int)(at * (w - 1) + 0.5);
    return c < 0 ? 0 : c >= w ? w - 1 : c;
}

static void timeline_draw(widget *w)
{
    timeline *t = (timeline *)w;
    attr_t base = theme_attr(THEME_HINT);
    draw_clear(w->win, base);
    int cols = w->rect.w;
    int rw = text_width(t->right, strlen(t->right));
    if (rw > cols - 2) rw = cols - 2 > 0 ? cols - 2 : 0;
    if (rw > 0) draw_text(w->win, 0, cols - 1 - rw, t->right, strlen(t->right), rw, theme_attr(t->right_item));
    int track = cols - rw - 2 /* margins */ - 2 /* gap */ - 2 /* the ends */;
    if (track < 3) return;
    draw_text(w->win, 0, 1, "├", strlen("├"), 1, base);
    draw_hline(w->win, 0, 2, track, base);
    draw_text(w->win, 0, 2 + track, "┤", strlen("┤"), 1, base);
    for (size_t i = 0; i < t->nmarks; i++)
        draw_text(w->win, 0, 2 + cell_of(t->marks[i].at, track), t->marks[i].glyph,
                  strlen(t->marks[i].glyph), 1, theme_attr(t->marks[i].item));
    draw_text(w->win, 0, 2 + cell_of(t->pos, track), "●", strlen("●"), 1, theme_attr(THEME_HEADER_STATE));
}

static const widget_class timeline_class = {.name = "timeline", .draw = timeline_draw};

timeline *timeline_new(void)
{
    timeline *t = mem_zalloc(1, sizeof *t);
    widget_init(&t->base, &timeline_class);
    return t;
}

void timeline_set(timeline *t, double pos, const timeline_mark *marks, size_t n, const char *right,
                  theme_item right_item)
{
    if (n > TIMELINE_MARKS_MAX) n = TIMELINE_MARKS_MAX;
    t->pos = pos;
    memcpy(t->marks, marks, n * sizeof *marks);
    t->nmarks = n;
    widget_copy_text(t->right, sizeof t->right, right);
    t->right_item = right_item;
    t->base.dirty = true;
}
