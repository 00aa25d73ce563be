/* textarea.h — a multi-line editable text area (the wrap-up summary), drawn wrapped by
 * display width into a region of a window. Not a widget on its own: the dialog owns it.
 * Keys: printable keys insert, Enter inserts a newline, Backspace/Delete, Left/Right,
 * Up/Down by display row (keeping the column), Home/End and Ctrl-A/E (row start/end),
 * Ctrl-W/U/K, PgUp/PgDn. The view scrolls to keep the cursor's row visible. */
#ifndef AGENTDESK_WIDGETS_TEXTAREA_H
#define AGENTDESK_WIDGETS_TEXTAREA_H

#include "widgets/widget.h"
#include "widgets/edit.h"

typedef struct textarea {
    edit_buf buf;
    int cols;           /* width last laid out for (set by draw or textarea_set_cols) */
    int rows;           /* visible rows */
    size_t top;         /* first visible wrapped row */
    int goal_col;       /* column kept by Up/Down; -1 none */
} textarea;

void textarea_init(textarea *ta, size_t max_bytes);
void textarea_free(textarea *ta);
void textarea_set_text(textarea *ta, const char *clean);   /* cursor at the end */
/* Like textarea_set_text, but the cursor and the view at the start: a drafted text longer
 * than the area opens readable from its first row. */
void textarea_set_text_at_start(textarea *ta, const char *clean);
const char *textarea_text(const textarea *ta);
/* Width and height used by the key handling (Up/Down, PgUp/PgDn) and the scroll. */
void textarea_set_size(textarea *ta, int rows, int cols);
widget_result textarea_handle_key(textarea *ta, widget_key key);
/* Cursor as (wrapped row, display column) at the current width. */
void textarea_cursor(const textarea *ta, size_t *row, int *col);
/* Draws into win at (y, x), h rows x w columns; returns the cursor's window position in
 * *cy, *cx (may be NULL). */
void textarea_draw(textarea *ta, WINDOW *win, int y, int x, int h, int w, attr_t attr,
                   int *cy, int *cx);

#endif
