/* draw.h — the one place widgets put text on a window.
 *
 * Text must be cleaned (base/text.h); still, any code point below 0x20, DEL or C1 that
 * reaches here is drawn as '?' (defensive: a bug elsewhere must not become an escape
 * sequence on the terminal). '\n' is drawn as a space. Wide characters are never split:
 * one that does not fit the remaining columns is left out (the cells are filled with ' '). */
#ifndef AGENTDESK_WIDGETS_DRAW_H
#define AGENTDESK_WIDGETS_DRAW_H

#include <curses.h>
#include <stddef.h>

/* Draws at most `cols` columns of `clean` (len bytes) at (y, x) with `attr`. Returns the
 * columns written. Nothing is drawn outside the window. */
int draw_text(WINDOW *win, int y, int x, const char *clean, size_t len, int cols, attr_t attr);

/* Like draw_text, but when the text is wider than `cols` it is cut and ends with "…". */
int draw_text_ellipsis(WINDOW *win, int y, int x, const char *clean, size_t len, int cols,
                       attr_t attr);

/* Fills `n` cells from (y, x) with spaces in `attr`. */
void draw_fill(WINDOW *win, int y, int x, int n, attr_t attr);

/* Fills the whole window with spaces in `attr` (werase keeps the background; this sets it). */
void draw_clear(WINDOW *win, attr_t attr);

/* Box-drawing border around the whole window, with `title` (clean) after the top-left corner
 * as "┌ Title ───┐". The title is cut with "…" to fit. */
void draw_box(WINDOW *win, const char *title, attr_t border, attr_t title_attr);
/* The same with the title cut (ellipsis) to at most title_room columns: room kept on the top
 * border for something drawn at its right end. */
void draw_box_room(WINDOW *win, const char *title, int title_room, attr_t border, attr_t title_attr);

/* A horizontal line of `n` "─" cells. */
void draw_hline(WINDOW *win, int y, int x, int n, attr_t attr);

#endif
