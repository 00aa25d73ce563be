/* pane.h — a bordered box with a title ("┌ Mine (3) ───┐"), or, for small terminals, a
 * one-row tab bar (" [Transcript] Customer  Flags 2 "), or nothing at all (bare).
 * A pane may hold one child widget: pane_set_rect() then gives the child the inner
 * rectangle. Render the pane before its child (widget_render keeps the child on top).
 * The border takes pane.focus when the pane is focused, pane.border otherwise. */
#ifndef AGENTDESK_WIDGETS_PANE_H
#define AGENTDESK_WIDGETS_PANE_H

#include "widgets/widget.h"

typedef enum pane_style {
    PANE_BOX,    /* border on all four sides, title in the top border; the child gets one
                    column of air inside each side when the box is 12+ columns wide */
    PANE_TABS,   /* first row is a tab bar, no border */
    PANE_BARE    /* no decoration: the child gets the whole rectangle */
} pane_style;

enum { PANE_TITLE_MAX = 256, PANE_TABS_MAX = 12, PANE_TAB_MAX = 48 };

typedef struct pane {
    widget base;
    pane_style style;
    char title[PANE_TITLE_MAX];          /* clean text */
    char right[PANE_TITLE_MAX];          /* optional text at the right end of the top border */
    bool right_first;                    /* the title is cut for it (else it shows when it fits) */
    char tabs[PANE_TABS_MAX][PANE_TAB_MAX];
    int ntabs, active_tab;
    widget *child;                       /* not owned */
} pane;

pane *pane_new(pane_style style, const char *title);
static inline widget *pane_widget(pane *p) { return &p->base; }
void pane_set_style(pane *p, pane_style style);
/* Title and right-hand text (clean; cut to fit when drawn). Marks dirty when changed. */
void pane_set_title(pane *p, const char *title);
void pane_set_right(pane *p, const char *right);
/* A right-hand status that matters more than the end of the title (a raised hand, "ended"):
 * the title is cut to leave it room. */
void pane_set_right_first(pane *p, const char *right);
/* Tab labels (clean) for PANE_TABS; `active` is highlighted with tab.active. */
void pane_set_tabs(pane *p, const char *const *labels, int n, int active);
void pane_set_active_tab(pane *p, int active);
void pane_set_child(pane *p, widget *child);
/* Sets the pane's rectangle and the child's (inner) rectangle. */
void pane_set_rect(pane *p, widget_rect r);
/* The content rectangle inside a pane of this style at `r` (zero-size when too small). */
widget_rect pane_inner_rect(pane_style style, widget_rect r);

#endif
