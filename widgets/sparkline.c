/* sparkline.c — values -1..1 as bars, then coloured per-item marks (see sparkline.h). */
#include "widgets/sparkline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "widgets/draw.h"
#include "base/mem.h"

static const char *const bars[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };

int sparkline_level(float v)
{
    if (isnan(v))
        v = 0;
    if (v < -1) v = -1;
    if (v > 1) v = 1;
    int level = (int)lroundf((v + 1.0f) * 3.5f);
    return level < 0 ? 0 : level > 7 ? 7 : level;
}

const char *sparkline_glyph(float v)
{
    return bars[sparkline_level(v)];
}

int sparkline_render(const float *values, size_t n, int cols, char *buf, size_t bufsize)
{
    if (!buf || bufsize == 0)
        return 0;
    buf[0] = '\0';
    if (cols <= 0)
        return 0;
    size_t show = n < (size_t)cols ? n : (size_t)cols;
    if (show > (bufsize - 1) / 3)
        show = (bufsize - 1) / 3;
    size_t pos = 0;
    for (size_t i = n - show; i < n; i++) {
        memcpy(buf + pos, sparkline_glyph(values[i]), 3);
        pos += 3;
    }
    buf[pos] = '\0';
    return (int)show;
}

static void sparkline_draw(widget *w)
{
    sparkline *s = (sparkline *)w;
    draw_clear(w->win, theme_attr(THEME_NORMAL));
    int cols = w->rect.w, x = 0;
    if (s->label[0]) {
        x = draw_text(w->win, 0, 0, s->label, strlen(s->label), cols, theme_attr(s->label_item));
        if (x > 0 && x < cols)
            x++;
    }
    bool marks_below = w->rect.h >= 2;
    /* bars take what is left, leaving room for marks on the same row when they share it */
    int bar_room = cols - x;
    if (!marks_below && s->nmarks > 0)
        bar_room = (cols - x) / 2;
    if (bar_room > 0 && s->nvalues > 0) {
        char buf[SPARKLINE_MAX * 3 + 1];
        int n = sparkline_render(s->values, s->nvalues, bar_room, buf, sizeof buf);
        draw_text(w->win, 0, x, buf, strlen(buf), bar_room, theme_attr(THEME_SPARKLINE));
        x += n + 2;
    }
    int my = marks_below ? 1 : 0, mx = marks_below ? 0 : x;
    if (mx >= cols || s->nmarks == 0)
        return;
    /* newest marks that fit, one column and a space each */
    size_t fit = (size_t)((cols - mx + 1) / 2);
    size_t first = s->nmarks > fit ? s->nmarks - fit : 0;
    for (size_t i = first; i < s->nmarks && mx < cols; i++) {
        mx += draw_text(w->win, my, mx, s->marks[i].glyph, strlen(s->marks[i].glyph), 1,
                        theme_attr(s->marks[i].item));
        mx++;
    }
}

static const widget_class sparkline_class = {
    .name = "sparkline",
    .draw = sparkline_draw,
};

sparkline *sparkline_new(void)
{
    sparkline *s = mem_zalloc(1, sizeof *s);
    widget_init(&s->base, &sparkline_class);
    return s;
}

void sparkline_set_label(sparkline *s, const char *clean, theme_item item)
{
    text_copy(s->label, sizeof s->label, clean);
    s->label_item = item;
    s->base.dirty = true;
}

void sparkline_set_values(sparkline *s, const float *values, size_t n)
{
    size_t first = n > SPARKLINE_MAX ? n - SPARKLINE_MAX : 0;
    s->nvalues = n - first;
    for (size_t i = 0; i < s->nvalues; i++) {
        float v = values[first + i];
        if (isnan(v)) v = 0;
        if (v < -1) v = -1;
        if (v > 1) v = 1;
        s->values[i] = v;
    }
    s->base.dirty = true;
}

void sparkline_set_marks(sparkline *s, const sparkline_mark *marks, size_t n)
{
    size_t first = n > SPARKLINE_MAX ? n - SPARKLINE_MAX : 0;
    s->nmarks = n - first;
    memcpy(s->marks, marks + first, s->nmarks * sizeof *marks);
    for (size_t i = 0; i < s->nmarks; i++)
        s->marks[i].glyph[sizeof s->marks[i].glyph - 1] = '\0';
    s->base.dirty = true;
}
