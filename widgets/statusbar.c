/* statusbar.c — the header and the key-hint bar (see statusbar.h). */
#include "widgets/statusbar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "widgets/draw.h"
#include "base/mem.h"

static int seg_width(const statusbar *sb, int i)
{
    return text_width(sb->segs[i].text, strlen(sb->segs[i].text));
}

static attr_t seg_attr(const statusbar *sb, int i)
{
    theme_item it = sb->segs[i].item;
    return theme_attr(it == THEME_NORMAL ? sb->base_item : it);
}

/* Draws the segments of one alignment from x, two spaces apart; returns the end column. */
static int draw_group(statusbar *sb, statusbar_align align, int x, int limit)
{
    bool first = true;
    for (int i = 0; i < sb->nsegs; i++) {
        if (sb->segs[i].align != align || !sb->segs[i].text[0])
            continue;
        if (!first)
            x += 2;
        first = false;
        if (x >= limit)
            break;
        x += draw_text_ellipsis(sb->base.win, 0, x, sb->segs[i].text, strlen(sb->segs[i].text),
                                limit - x, seg_attr(sb, i));
    }
    return x;
}

static int group_width(const statusbar *sb, statusbar_align align)
{
    int w = 0, n = 0;
    for (int i = 0; i < sb->nsegs; i++)
        if (sb->segs[i].align == align && sb->segs[i].text[0]) {
            w += seg_width(sb, i);
            n++;
        }
    return n ? w + 2 * (n - 1) : 0;
}

static void draw_segments(statusbar *sb)
{
    int w = sb->base.rect.w;
    int rw = group_width(sb, STATUSBAR_RIGHT);
    int cw = group_width(sb, STATUSBAR_CENTER);
    int lw = group_width(sb, STATUSBAR_LEFT);
    /* one space of margin on each side, when there is room */
    int margin = w >= 20 ? 1 : 0;
    if (rw > w - 2 * margin)
        rw = 0;   /* right group alone does not fit: left text gets the row */
    int right_x = w - margin - rw;
    int left_end = draw_group(sb, STATUSBAR_LEFT, margin, rw ? right_x - (lw ? 1 : 0) : w - margin);
    if (cw > 0) {
        int cx = (w - cw) / 2;
        if (cx < left_end + 2)
            cx = left_end + 2;
        if (cx + cw <= (rw ? right_x - 2 : w - margin))
            draw_group(sb, STATUSBAR_CENTER, cx, cx + cw);
    }
    if (rw)
        draw_group(sb, STATUSBAR_RIGHT, right_x, w - margin);
}

static void draw_hints(statusbar *sb)
{
    int w = sb->base.rect.w, x = w >= 20 ? 1 : 0;
    static const char sep[] = " · ";
    int sepw = 3;
    for (int i = 0; i < sb->nhints; i++) {
        int kw = text_width(sb->hints[i].key, strlen(sb->hints[i].key));
        int lw = text_width(sb->hints[i].label, strlen(sb->hints[i].label));
        int need = (i ? sepw : 0) + kw + (lw ? 1 + lw : 0);
        if (x + need > w)
            break;
        if (i)
            x += draw_text(sb->base.win, 0, x, sep, strlen(sep), sepw, theme_attr(sb->base_item));
        x += draw_text(sb->base.win, 0, x, sb->hints[i].key, strlen(sb->hints[i].key), kw,
                       theme_attr(THEME_HINT_KEY));
        if (lw) {
            x++;
            x += draw_text(sb->base.win, 0, x, sb->hints[i].label, strlen(sb->hints[i].label), lw,
                           theme_attr(sb->base_item));
        }
    }
}

static void statusbar_draw(widget *w)
{
    statusbar *sb = (statusbar *)w;
    draw_clear(w->win, theme_attr(sb->base_item));
    if (sb->hints_mode)
        draw_hints(sb);
    else
        draw_segments(sb);
}

static const widget_class statusbar_class = {
    .name = "statusbar",
    .draw = statusbar_draw,
};

statusbar *statusbar_new(theme_item base_item)
{
    statusbar *sb = mem_zalloc(1, sizeof *sb);
    widget_init(&sb->base, &statusbar_class);
    sb->base_item = base_item;
    return sb;
}

void statusbar_set(statusbar *sb, const statusbar_seg *segs, int n)
{
    if (n > STATUSBAR_SEGS_MAX)
        n = STATUSBAR_SEGS_MAX;
    if (n < 0)
        n = 0;
    bool changed = sb->hints_mode || n != sb->nsegs;
    for (int i = 0; i < n; i++) {
        changed |= widget_copy_text(sb->segs[i].text, sizeof sb->segs[i].text, segs[i].text);
        changed |= sb->segs[i].item != segs[i].item || sb->segs[i].align != segs[i].align;
        sb->segs[i].item = segs[i].item;
        sb->segs[i].align = segs[i].align;
    }
    sb->nsegs = n;
    sb->hints_mode = false;
    if (changed)
        sb->base.dirty = true;
}

void statusbar_set_hints(statusbar *sb, const statusbar_hint *hints, int n)
{
    if (n > STATUSBAR_SEGS_MAX)
        n = STATUSBAR_SEGS_MAX;
    if (n < 0)
        n = 0;
    bool changed = !sb->hints_mode || n != sb->nhints;
    for (int i = 0; i < n; i++) {
        changed |= widget_copy_text(sb->hints[i].key, sizeof sb->hints[i].key, hints[i].key);
        changed |= widget_copy_text(sb->hints[i].label, sizeof sb->hints[i].label, hints[i].label);
    }
    sb->nhints = n;
    sb->hints_mode = true;
    if (changed)
        sb->base.dirty = true;
}
