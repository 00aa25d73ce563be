/* widget.h — the base "class" every widget embeds as its first member, and the render step.
 *
 * A widget owns one curses WINDOW covering its rectangle (NULL when the rectangle has zero
 * rows or columns: such a widget is never drawn). Its class is a table of functions filled
 * with designated initialisers (htop's PanelClass). Events only mark widgets dirty; the app's
 * render timer calls widget_render() over its widgets in stacking order (bottom first) and
 * then one doupdate().
 *
 * Invariants:
 *   - win != NULL  <=>  rect.h > 0 && rect.w > 0 (and the rectangle fits the screen when set)
 *   - a widget draws only inside its own window and never prints a byte < 0x20
 *   - widgets know nothing of the protocol: they are fed cleaned text (base/text.h) */
#ifndef AGENTDESK_WIDGETS_WIDGET_H
#define AGENTDESK_WIDGETS_WIDGET_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

typedef struct widget_rect {
    int y, x;   /* top-left corner, screen coordinates */
    int h, w;   /* rows, columns; 0 means "nothing to draw" */
} widget_rect;

/* A key as the app reads it with wget_wch: a character (its code point, control characters
 * included, e.g. Ctrl-A = 1) or a curses function key (KEY_*) with WIDGET_KEY_FN set. */
typedef int32_t widget_key;
#define WIDGET_KEY_FN 0x40000000
#define WK_FN(k) ((widget_key)(WIDGET_KEY_FN | (k)))
#define WK_CTRL(c) ((widget_key)((c) & 0x1f))
#define WK_ESC ((widget_key)27)
#define WK_TAB ((widget_key)9)
#define WK_ENTER ((widget_key)13)      /* the app may also pass 10 or WK_FN(KEY_ENTER) */
#define WK_BACKSPACE ((widget_key)127) /* also accepted: 8 and WK_FN(KEY_BACKSPACE) */

static inline widget_key widget_key_from_wch(int rc, wint_t wch)
{
    return rc == KEY_CODE_YES ? WK_FN((int)wch) : (widget_key)wch;
}

/* What handle_key did with a key. */
typedef enum widget_result {
    WIDGET_IGNORED = 0,  /* not for this widget: the app may try its own key table */
    WIDGET_HANDLED,      /* consumed (the widget marked itself dirty if it changed) */
    WIDGET_SUBMIT,       /* Enter on an input line, a list or a dialog: the app acts */
    WIDGET_CANCEL        /* Esc in a dialog / help view: the app closes it */
} widget_result;

typedef struct widget widget;

typedef struct widget_class {
    const char *name;
    void (*draw)(widget *w);                          /* draw the whole window (win != NULL) */
    widget_result (*handle_key)(widget *w, widget_key key);   /* may be NULL */
    void (*resize)(widget *w);                        /* after rect/win changed; may be NULL */
    void (*destroy)(widget *w);                       /* free the derived struct; NULL: free(w) */
} widget_class;

struct widget {
    const widget_class *cls;
    WINDOW *win;
    widget_rect rect;
    bool dirty;      /* needs draw before the next doupdate */
    bool focused;    /* drawn with the focus style */
    bool visible;    /* hidden widgets are skipped by widget_render (toast, dialog) */
    bool exposed;    /* hidden or moved since the last render: what was under it is redrawn */
    widget_rect exposed_rect;
};

void widget_init(widget *w, const widget_class *cls);
/* Move/resize: recreates the window (clamped to the screen), calls cls->resize, marks dirty. */
void widget_set_rect(widget *w, widget_rect r);
void widget_set_focus(widget *w, bool focused);
void widget_set_visible(widget *w, bool visible);
widget_result widget_handle_key(widget *w, widget_key key);
/* Frees the window and the widget (NULL is fine). */
void widget_destroy(widget *w);

/* Draws every visible dirty widget of `list` (bottom first) and wnoutrefresh'es it; a widget
 * later in the list that overlaps one refreshed before it is refreshed again (touchwin), so
 * panes' children, toasts and dialogs stay on top. A widget hidden or moved since the last
 * render has its old cells shown again from the widgets under it — so close an overlay by
 * hiding it while it is still in the list (or mark the widgets under it dirty). Returns how
 * many were drawn. The caller then calls doupdate() once. */
size_t widget_render(widget *const *list, size_t n);

/* Marks every widget of the list dirty (after resizeterm, SIGCONT, or a theme change). */
void widget_mark_all(widget *const *list, size_t n);

/* True when the rectangles share at least one cell. */
bool widget_rect_overlap(widget_rect a, widget_rect b);

/* Allocation for widgets: zeroed (n == 0 counts as 1) or a copy of `s` (NULL is ""); both
 * print "agentdesk: out of memory" and abort rather than return NULL. */

/* Sets a widget's fixed text field `dst` (cap bytes) to clean `src` (NULL is ""), cut on a
 * character boundary. Returns false when it already held that text (nothing to redraw). */
bool widget_copy_text(char *dst, size_t cap, const char *src);

#endif
