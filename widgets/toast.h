/* toast.h — a one-row notice at the top right of the screen ("[!!] churn intent").
 * The app shows it, arms its own timer, and hides it when the timer fires; the widget keeps
 * no time. toast_place() sizes the window to the text for a screen of the given size.
 * Put it last in the render list: it overlays whatever is under it. It never takes keys. */
#ifndef AGENTDESK_WIDGETS_TOAST_H
#define AGENTDESK_WIDGETS_TOAST_H

#include "widgets/widget.h"
#include "widgets/theme.h"

enum { TOAST_TEXT_MAX = 256 };

typedef struct toast {
    widget base;
    char text[TOAST_TEXT_MAX];
    theme_item item;
    int screen_rows, screen_cols;
    int row;                       /* the screen row it shows on (0, the default: the top) */
} toast;

toast *toast_new(void);
static inline widget *toast_widget(toast *t) { return &t->base; }
/* Shows `clean` (cut to the screen width) and places the window at row `row` (usually 0),
 * right-aligned. */
void toast_show(toast *t, const char *clean, theme_item item);
/* The screen size changed (or first use): re-place the window. */
void toast_place(toast *t, int screen_rows, int screen_cols);
void toast_hide(toast *t);
/* Show on `row` instead of the top one (a screen whose first row must stay readable). */
void toast_set_row(toast *t, int row);
/* Pure: where a toast of `text_cols` columns goes on a screen of rows x cols. */
widget_rect toast_rect(int text_cols, int rows, int cols);

#endif
