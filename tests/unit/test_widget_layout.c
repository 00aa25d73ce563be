/* test_widget_layout.c — pane rectangles at 120x40, 80x24, 40x12 and every size down to 1x1:
 * inside the screen, never negative, never overlapping; plus the other pure geometry
 * (pane inner rectangles, toast and dialog placement). */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"
#include "widgets/dialog.h"
#include "widgets/layout.h"
#include "widgets/pane.h"
#include "widgets/toast.h"

#define RECT_EQ(r, Y, X, H, W) do { CHECK_INT((r).y, Y); CHECK_INT((r).x, X); \
    CHECK_INT((r).h, H); CHECK_INT((r).w, W); } while (0)

enum { NRECTS = 12 };

static void rects(layout *l, widget_rect **out)
{
    widget_rect *all[NRECTS] = { &l->header, &l->hints, &l->input, &l->list, &l->transcript,
                                 &l->sentiment, &l->customer, &l->flags, &l->suggestions,
                                 &l->checklist, &l->main, &l->strip };
    memcpy(out, all, sizeof all);
}

/* Every rectangle inside the screen, no negative sizes, no two sharing a cell, and (for
 * any size with a header) every cell covered. */
static void check_sane(layout *l, int rows, int cols)
{
    widget_rect *all[NRECTS];
    rects(l, all);
    size_t n = NRECTS;
    long cells = 0;
    for (size_t i = 0; i < n; i++) {
        widget_rect r = *all[i];
        CHECK(r.h >= 0 && r.w >= 0);
        if (layout_empty(r))
            continue;
        CHECK(r.y >= 0 && r.x >= 0 && r.y + r.h <= rows && r.x + r.w <= cols);
        cells += (long)r.h * r.w;
        for (size_t k = i + 1; k < n; k++)
            CHECK(!widget_rect_overlap(r, *all[k]));
    }
    CHECK_INT(cells, (long)rows * cols);
}

static void test_wide_120x40(void)
{
    layout l;
    layout_compute(&l, 40, 120);
    CHECK_INT(l.mode, LAYOUT_WIDE);
    RECT_EQ(l.header, 0, 0, 1, 120);
    RECT_EQ(l.input, 38, 0, 1, 120);
    RECT_EQ(l.hints, 39, 0, 1, 120);
    RECT_EQ(l.list, 1, 0, 37, 24);
    RECT_EQ(l.transcript, 1, 24, 31, 60);
    RECT_EQ(l.sentiment, 32, 24, 6, 60);
    RECT_EQ(l.customer, 1, 84, 11, 36);
    RECT_EQ(l.flags, 12, 84, 9, 36);
    RECT_EQ(l.suggestions, 21, 84, 9, 36);
    RECT_EQ(l.checklist, 30, 84, 8, 36);
    CHECK(layout_empty(l.main) && layout_empty(l.strip));
    check_sane(&l, 40, 120);
}

static void test_tabs_80x24(void)
{
    layout l;
    layout_compute(&l, 24, 80);
    CHECK_INT(l.mode, LAYOUT_TABS);
    RECT_EQ(l.header, 0, 0, 1, 80);
    RECT_EQ(l.main, 1, 0, 20, 80);
    RECT_EQ(l.strip, 21, 0, 1, 80);
    RECT_EQ(l.input, 22, 0, 1, 80);
    RECT_EQ(l.hints, 23, 0, 1, 80);
    CHECK(layout_empty(l.list) && layout_empty(l.transcript) && layout_empty(l.customer));
    check_sane(&l, 24, 80);
}

static void test_single_40x12(void)
{
    layout l;
    layout_compute(&l, 12, 40);
    CHECK_INT(l.mode, LAYOUT_SINGLE);
    RECT_EQ(l.header, 0, 0, 1, 40);
    RECT_EQ(l.main, 1, 0, 9, 40);
    RECT_EQ(l.input, 10, 0, 1, 40);
    RECT_EQ(l.hints, 11, 0, 1, 40);
    CHECK(layout_empty(l.strip));
    check_sane(&l, 12, 40);
}

static void test_tiny(void)
{
    layout l;
    layout_compute(&l, 1, 1);
    CHECK_INT(l.mode, LAYOUT_SINGLE);
    RECT_EQ(l.main, 0, 0, 1, 1);
    CHECK(layout_empty(l.header) && layout_empty(l.input) && layout_empty(l.hints));
    check_sane(&l, 1, 1);
    layout_compute(&l, 2, 5);
    RECT_EQ(l.main, 0, 0, 1, 5);
    RECT_EQ(l.input, 1, 0, 1, 5);
    layout_compute(&l, 0, 0);
    check_sane(&l, 0, 0);
    layout_compute(&l, -3, -7);
    CHECK_INT(l.rows, 0);
    check_sane(&l, 0, 0);
}

static void test_every_size(void)
{
    for (int rows = 1; rows <= 60; rows++)
        for (int cols = 1; cols <= 200; cols += (cols < 130 ? 1 : 7)) {
            layout l;
            layout_compute(&l, rows, cols);
            check_sane(&l, rows, cols);
            if (check_current_failed) {
                fprintf(stderr, "  at %dx%d\n", cols, rows);
                return;
            }
        }
    CHECK_INT(layout_mode_for(28, 110), LAYOUT_WIDE);
    CHECK_INT(layout_mode_for(27, 200), LAYOUT_TABS);
    CHECK_INT(layout_mode_for(16, 60), LAYOUT_TABS);
    CHECK_INT(layout_mode_for(15, 80), LAYOUT_SINGLE);
}

static void test_pane_geometry(void)
{
    widget_rect r = { 1, 24, 31, 60 };
    RECT_EQ(pane_inner_rect(PANE_BOX, r), 2, 26, 29, 56);
    RECT_EQ(pane_inner_rect(PANE_BOX, ((widget_rect){ 0, 0, 5, 11 })), 1, 1, 3, 9);
    RECT_EQ(pane_inner_rect(PANE_TABS, r), 2, 24, 30, 60);
    RECT_EQ(pane_inner_rect(PANE_BARE, r), 1, 24, 31, 60);
    widget_rect tiny = { 0, 0, 1, 1 };
    widget_rect in = pane_inner_rect(PANE_BOX, tiny);
    CHECK(in.h == 0 && in.w == 0);
    /* a pane gives its child the inner rectangle (no screen: rects only) */
    pane *p = pane_new(PANE_BOX, "Mine (3)");
    toast *child = toast_new();
    pane_set_child(p, toast_widget(child));
    pane_set_rect(p, r);
    RECT_EQ(toast_widget(child)->rect, 2, 26, 29, 56);
    pane_set_style(p, PANE_TABS);
    RECT_EQ(toast_widget(child)->rect, 2, 24, 30, 60);
    widget_destroy(toast_widget(child));
    widget_destroy(pane_widget(p));
}

static void test_overlay_geometry(void)
{
    RECT_EQ(toast_rect(20, 40, 120), 0, 98, 1, 22);
    RECT_EQ(toast_rect(200, 40, 120), 0, 0, 1, 120);
    widget_rect none = toast_rect(5, 0, 0);
    CHECK(layout_empty(none));
    RECT_EQ(dialog_rect(16, 72, 40, 120), 12, 24, 16, 72);
    RECT_EQ(dialog_rect(16, 72, 12, 40), 0, 0, 12, 40);
    widget_rect d = dialog_rect(16, 72, 1, 1);
    CHECK(d.h == 1 && d.w == 1 && d.y == 0 && d.x == 0);
}

int main(void)
{
    RUN(test_wide_120x40);
    RUN(test_tabs_80x24);
    RUN(test_single_40x12);
    RUN(test_tiny);
    RUN(test_every_size);
    RUN(test_pane_geometry);
    RUN(test_overlay_geometry);
    return check_done("test_widget_layout");
}
