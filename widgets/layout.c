/* layout.c — pane rectangles of the agent screen (see layout.h). */
#include "widgets/layout.h"

#include <string.h>

layout_mode layout_mode_for(int rows, int cols)
{
    if (cols >= 110 && rows >= 28)
        return LAYOUT_WIDE;
    if (cols >= 60 && rows >= 16)
        return LAYOUT_TABS;
    return LAYOUT_SINGLE;
}

static widget_rect rect(int y, int x, int h, int w)
{
    if (h <= 0 || w <= 0)
        return (widget_rect){ y, x, 0, 0 };
    return (widget_rect){ y, x, h, w };
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Stacks boxes of the given heights from y down; the last takes what is left of `total`. */
static void stack(widget_rect **out, const int *parts, int n, int y, int x, int w, int total)
{
    int left = total;
    for (int i = 0; i < n; i++) {
        int h = i == n - 1 ? left : clampi(parts[i], 0, left);
        *out[i] = rect(y, x, h, w);
        y += h;
        left -= h;
    }
}

static void wide(layout *l, int body_y, int body_h)
{
    int cols = l->cols;
    int list_w = clampi(cols / 5, 20, 34);
    int right_w = clampi(cols * 3 / 10, 30, 48);
    int mid_w = cols - list_w - right_w;
    l->list = rect(body_y, 0, body_h, list_w);
    int strip_h = clampi(body_h / 6, 4, 8);
    l->transcript = rect(body_y, list_w, body_h - strip_h, mid_w);
    l->sentiment = rect(body_y + body_h - strip_h, list_w, strip_h, mid_w);
    int parts[4] = { body_h * 3 / 10, body_h / 4, body_h / 4, 0 };
    widget_rect *outs[4] = { &l->customer, &l->flags, &l->suggestions, &l->checklist };
    stack(outs, parts, 4, body_y, list_w + mid_w, right_w, body_h);
}

void layout_compute(layout *l, int rows, int cols)
{
    layout_compute_input(l, rows, cols, 1);
}

void layout_compute_input(layout *l, int rows, int cols, int input_rows)
{
    memset(l, 0, sizeof *l);
    if (rows < 0) rows = 0;
    if (cols < 0) cols = 0;
    l->rows = rows;
    l->cols = cols;
    l->mode = layout_mode_for(rows, cols);
    if (rows == 0 || cols == 0)
        return;
    /* Rows go out in order of need: main, input, header, hints, strip. */
    bool input = rows >= 2, header = rows >= 3, hints = rows >= 4;
    bool strip = l->mode == LAYOUT_TABS;
    int in_rows = !input ? 0 : input_rows < 1 ? 1 : input_rows;
    if (in_rows > 1 && in_rows > rows / 5)
        in_rows = rows / 5 > 1 ? rows / 5 : 1;
    int fixed = in_rows + header + hints + strip;
    int body_y = header ? 1 : 0;
    int body_h = rows - fixed;
    if (header)
        l->header = rect(0, 0, 1, cols);
    if (hints)
        l->hints = rect(rows - 1, 0, 1, cols);
    if (input)
        l->input = rect(rows - in_rows - hints, 0, in_rows, cols);
    if (strip)
        l->strip = rect(body_y + body_h, 0, 1, cols);
    if (l->mode == LAYOUT_WIDE)
        wide(l, body_y, body_h);
    else
        l->main = rect(body_y, 0, body_h, cols);
}
