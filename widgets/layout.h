/* layout.h — pane rectangles of the agent screen for a terminal of rows x cols. Pure.
 *
 *   LAYOUT_WIDE   (cols >= 110 and rows >= 28; SCREENS.md "Agent, 120x40"): header row,
 *                 three columns of boxes — list | transcript over sentiment | customer,
 *                 flags, suggestions, checklist stacked — then the input row and hint row.
 *   LAYOUT_TABS   (cols >= 60 and rows >= 16; "Agent, 80x24"): header row, `main` (its
 *                 first row is the tab bar: use a PANE_TABS pane), a one-row `strip`
 *                 (sentiment + newest flag), input row, hint row.
 *   LAYOUT_SINGLE (smaller; 40x12): header row, `main` (the active tab only, no tab bar),
 *                 input row, hint row.
 * Every rectangle lies inside the screen and none overlap. Rectangles a mode does not use
 * are zero-size. Down to 1x1 nothing is negative: rows are given out in the order main,
 * input, header, hints, strip (so a 1-row terminal shows only `main`). */
#ifndef AGENTDESK_WIDGETS_LAYOUT_H
#define AGENTDESK_WIDGETS_LAYOUT_H

#include "widgets/widget.h"

typedef enum layout_mode { LAYOUT_WIDE, LAYOUT_TABS, LAYOUT_SINGLE } layout_mode;

typedef struct layout {
    layout_mode mode;
    int rows, cols;
    widget_rect header, hints, input;
    /* LAYOUT_WIDE only (box panes, borders included) */
    widget_rect list, transcript, sentiment, customer, flags, suggestions, checklist;
    /* LAYOUT_TABS / LAYOUT_SINGLE only */
    widget_rect main, strip;
} layout;

layout_mode layout_mode_for(int rows, int cols);
void layout_compute(layout *out, int rows, int cols);
/* The same with an input of up to input_rows rows (a composer that grows with its text); it
 * never takes more than a fifth of the screen, nor rows the body needs (1 row at 40x12). */
void layout_compute_input(layout *out, int rows, int cols, int input_rows);
/* True when r has no cells. */
static inline bool layout_empty(widget_rect r) { return r.h <= 0 || r.w <= 0; }

#endif
