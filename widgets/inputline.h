/* inputline.h — a readline-like editor: "note> Customer double-charged_". On one row it
 * scrolls sideways; given several rows (inputline_rows_wanted) it wraps at words, so a long
 * reply is read in full before it is sent.
 * Edits by character and display width (wide characters and combining marks included):
 * printable keys insert; Backspace, Delete, Left/Right, Home/End, Ctrl-A/E (home/end),
 * Ctrl-W (word back), Ctrl-U (to start), Ctrl-K (to end), Up/Down (history), Enter ->
 * WIDGET_SUBMIT (the app reads the text, sends it, calls inputline_history_add and
 * inputline_clear). When the text is wider than the window it scrolls horizontally to keep
 * the cursor visible. After widget_render, call inputline_place_cursor so the terminal cursor
 * sits in the line (with curs_set(1)). */
#ifndef AGENTDESK_WIDGETS_INPUTLINE_H
#define AGENTDESK_WIDGETS_INPUTLINE_H

#include "widgets/widget.h"
#include "widgets/edit.h"

enum { INPUTLINE_PROMPT_MAX = 64, INPUTLINE_HISTORY_MAX = 100, INPUTLINE_DEFAULT_MAX = 8192 };

typedef struct inputline {
    widget base;
    char prompt[INPUTLINE_PROMPT_MAX];   /* clean, drawn with input.prompt */
    edit_buf buf;
    int scroll;                          /* display column of the first shown cell */
    char *history[INPUTLINE_HISTORY_MAX];/* oldest first */
    size_t nhistory;
    size_t hist_pos;                     /* == nhistory when editing a new line */
    char *draft;                         /* the unsent line saved while browsing history */
} inputline;

inputline *inputline_new(const char *prompt, size_t max_bytes);  /* 0 = default */
static inline widget *inputline_widget(inputline *il) { return &il->base; }
void inputline_set_prompt(inputline *il, const char *clean);
const char *inputline_text(const inputline *il);
/* Replaces the text (e.g. a suggestion's reply); the cursor goes to the end. */
void inputline_set_text(inputline *il, const char *clean);
void inputline_clear(inputline *il);
bool inputline_empty(const inputline *il);
void inputline_history_add(inputline *il, const char *clean);
/* Moves the history out (oldest first, at most max lines; the caller owns them) and leaves
 * the line with none; gives a history back (takes ownership of the n lines). So each
 * interaction keeps its own history (agentdesk/line_history.c). */
size_t inputline_history_take(inputline *il, char **out, size_t max);
void inputline_history_give(inputline *il, char **lines, size_t n);
/* Inserts text at the cursor (a suggestion into a draft), the cursor after it. */
void inputline_insert(inputline *il, const char *clean);
/* The cursor as a byte offset; text and cursor put back as they were (an undo). */
size_t inputline_cursor(const inputline *il);
void inputline_restore(inputline *il, const char *clean, size_t cursor);
/* Rows the prompt and text need at width w, at most max_rows (1 when max_rows <= 1). */
int inputline_rows_wanted(const inputline *il, int w, int max_rows);
/* Cursor as a display column within the text (0 = before the first character). */
int inputline_cursor_col(const inputline *il);
/* The screen column of the cursor relative to the window, after scrolling. */
int inputline_cursor_x(inputline *il);
/* Moves the window's cursor to the editing position and wnoutrefresh'es it. */
void inputline_place_cursor(inputline *il);

#endif
