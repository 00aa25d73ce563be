/* table.h — a selectable, scrolling table of columns over callbacks: the table never knows
 * the data, it asks for each visible cell (cmus window.h style, like list.h). Row 0 of the
 * window is the column titles; the rows below scroll. Columns are given widths; the last
 * one takes what is left (unless
 * it is right-aligned). Columns whose `priority` is above the table's shown level are
 * left out, so a narrow screen keeps the columns that matter most (0 = always shown).
 * Only the visible rows are asked for; curses sends only the cells that changed. */
#ifndef AGENTDESK_WIDGETS_TABLE_H
#define AGENTDESK_WIDGETS_TABLE_H

#include "widgets/widget.h"
#include "widgets/theme.h"

enum { TABLE_MAX_COLS = 16 };

typedef struct table_col {
    const char *title;      /* clean */
    int width;              /* columns, not counting the one space after it */
    int priority;           /* 0 always; higher ones go first when room is short */
    bool right;             /* right-aligned (numbers, times) */
} table_col;

typedef struct table_cell {
    const char *text;       /* clean; NULL or "" empty */
    theme_item item;        /* 0: THEME_LIST */
} table_cell;

typedef struct table_source {
    size_t (*get_count)(void *ctx);
    /* Fill *out for row i, column col (the column's index in the table's column array). */
    void (*get_cell)(void *ctx, size_t i, int col, table_cell *out);
    /* A row marked briefly (it worsened): drawn in `item`; false for none. May be NULL. */
    bool (*get_row_mark)(void *ctx, size_t i, theme_item *item);
    void *ctx;
} table_source;

typedef struct table {
    widget base;
    table_source src;
    table_col cols[TABLE_MAX_COLS];
    int ncols;
    int shown[TABLE_MAX_COLS];   /* indexes of the columns that fit, left to right */
    int nshown;
    size_t selected, top;
    char empty_text[96];
} table;

table *table_new(table_source src, const table_col *cols, int ncols);
static inline widget *table_widget(table *t) { return &t->base; }
void table_set_empty_text(table *t, const char *clean);
/* Data changed: clamp the selection, keep it visible, mark dirty. */
void table_changed(table *t);
size_t table_selected(const table *t);
void table_select(table *t, size_t i);     /* clamped; scrolls to keep it visible */
/* Keys: Up/Down/j/k, PgUp/PgDn, Home/End; Enter -> WIDGET_SUBMIT. */

#endif
