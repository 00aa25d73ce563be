/* helpview.h — a scrollable list of key bindings ("Tab   next pane"), given as rows by the
 * app's key table. Keys: Up/Down, PgUp/PgDn, Home/End scroll; Esc, 'q', '?' and Enter ->
 * WIDGET_CANCEL (the app closes it). Drawn as a box with a title over its whole rectangle. */
#ifndef AGENTDESK_WIDGETS_HELPVIEW_H
#define AGENTDESK_WIDGETS_HELPVIEW_H

#include "widgets/widget.h"

typedef struct helpview_row {
    const char *keys;      /* "^W", "PgUp/PgDn"; NULL or "" makes a section heading row */
    const char *desc;      /* "wrap up" (or the heading text) */
} helpview_row;

typedef struct helpview {
    widget base;
    char title[64];
    struct { char *keys; char *desc; } *rows;
    size_t nrows;
    size_t top;
    int keys_cols;         /* width of the key column (widest key + 2, at most half) */
} helpview;

helpview *helpview_new(const char *title);
static inline widget *helpview_widget(helpview *h) { return &h->base; }
void helpview_set_rows(helpview *h, const helpview_row *rows, size_t n);   /* copied */

#endif
