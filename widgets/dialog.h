/* dialog.h — a modal dialog: a bordered box, centred, with fields stacked top to bottom:
 *   DIALOG_TEXT    a multi-line editable text area (the drafted wrap-up summary)
 *   DIALOG_CHOICE  a selectable list of options (disposition codes), Up/Down to choose
 *   DIALOG_TOGGLE  "[x] Follow-up", Space toggles
 * and a footer line (hints, or a state such as "sending…" / "saved (ack 1234)").
 * Keys: Tab / Shift-Tab move between fields; Esc -> WIDGET_CANCEL; Enter -> WIDGET_SUBMIT on
 * a choice or toggle field (in the text area Enter inserts a newline); Ctrl-D or F10 ->
 * WIDGET_SUBMIT from any field. The dialog does not close itself: the app hides it.
 * Put it last in the render list (after the toast or before, as the app prefers). */
#ifndef AGENTDESK_WIDGETS_DIALOG_H
#define AGENTDESK_WIDGETS_DIALOG_H

#include "widgets/widget.h"
#include "widgets/textarea.h"

enum { DIALOG_FIELDS_MAX = 6, DIALOG_OPTIONS_MAX = 64, DIALOG_LABEL_MAX = 64,
       DIALOG_OPTION_MAX = 96 };

typedef enum dialog_field_kind { DIALOG_TEXT, DIALOG_CHOICE, DIALOG_TOGGLE } dialog_field_kind;

typedef struct dialog_field {
    dialog_field_kind kind;
    char label[DIALOG_LABEL_MAX];
    int want_rows;                       /* text/choice: preferred visible rows */
    textarea text;                       /* DIALOG_TEXT */
    char options[DIALOG_OPTIONS_MAX][DIALOG_OPTION_MAX];   /* DIALOG_CHOICE */
    int noptions, choice, choice_top;
    bool on;                             /* DIALOG_TOGGLE */
} dialog_field;

typedef struct dialog {
    widget base;
    char title[DIALOG_LABEL_MAX];
    char footer[128];
    dialog_field fields[DIALOG_FIELDS_MAX];
    int nfields, focus;
    int cursor_y, cursor_x;              /* text cursor after draw, -1 when none */
} dialog;

dialog *dialog_new(const char *title);
static inline widget *dialog_widget(dialog *d) { return &d->base; }
/* Each returns the field's index, or -1 when full. Strings are clean and copied. */
int dialog_add_text(dialog *d, const char *label, int rows, size_t max_bytes);
int dialog_add_choice(dialog *d, const char *label, const char *const *options, int n, int rows);
int dialog_add_toggle(dialog *d, const char *label, bool on);
void dialog_set_text(dialog *d, int field, const char *clean);        /* cursor at the end */
/* Like dialog_set_text, with the cursor and the scroll at the start of the text. */
void dialog_set_text_at_start(dialog *d, int field, const char *clean);
const char *dialog_text(const dialog *d, int field);
void dialog_set_options(dialog *d, int field, const char *const *options, int n);
void dialog_set_choice(dialog *d, int field, int index);
int dialog_choice(const dialog *d, int field);               /* -1 when no options */
const char *dialog_choice_text(const dialog *d, int field);  /* NULL when no options */
bool dialog_toggle(const dialog *d, int field);
void dialog_set_footer(dialog *d, const char *clean);
int dialog_focused(const dialog *d);
/* Centres the dialog on a screen of rows x cols (its height from the fields' rows, width
 * up to 72 columns), shows it. */
void dialog_place(dialog *d, int screen_rows, int screen_cols);
/* Puts the terminal cursor in the focused text area (call after widget_render). */
void dialog_place_cursor(dialog *d);
/* Pure: the dialog's rectangle for a wanted size on a screen of rows x cols. */
widget_rect dialog_rect(int want_rows, int want_cols, int screen_rows, int screen_cols);

#endif
