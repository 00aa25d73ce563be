/* helpview.h — a scrollable list of key bindings ("Tab   next pane"), given as rows by the
 * app's key table. Descriptions and headings are wrapped to the width, never cut: a
 * description's continuation rows are indented under its first row, after the key column;
 * when that leaves fewer than HELPVIEW_MIN_DESC_COLS columns, the keys get a row of their own
 * and the description goes under them. Scrolling counts these display rows.
 * Keys: Up/Down, PgUp/PgDn, Home/End scroll; Esc, 'q', '?' and Enter ->
 * WIDGET_CANCEL (the app closes it). Drawn as a box with a title over its whole rectangle. */
#ifndef AGENTDESK_WIDGETS_HELPVIEW_H
#define AGENTDESK_WIDGETS_HELPVIEW_H

#include "widgets/widget.h"

enum { HELPVIEW_MIN_DESC_COLS = 12 };

typedef struct helpview_row {
    const char *keys;      /* "^W", "PgUp/PgDn"; NULL or "" makes a section heading row */
    const char *desc;      /* "wrap up" (or the heading text) */
} helpview_row;

typedef struct helpview {
    widget base;
    char title[64];
    struct { char *keys; char *desc; } *rows;
    size_t nrows;
    size_t top;            /* first shown display row (a wrapped row, not an entry) */
    int keys_cols;         /* width of the key column (widest key + 2, at most half) */
} helpview;

helpview *helpview_new(const char *title);
static inline widget *helpview_widget(helpview *h) { return &h->base; }
void helpview_set_rows(helpview *h, const helpview_row *rows, size_t n);   /* copied */

#endif
