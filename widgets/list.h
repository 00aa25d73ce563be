/* list.h — a selectable, scrolling list that reads its data only through callbacks
 * (cmus window.h style): the list never knows the model's structure.
 *
 * An item is one row — [mark] text [badge] ........ right — plus an optional, indented
 * second row (`detail`, list.detail). The selected item is drawn with list.selected when the
 * list is focused (or always, with list_set_always_show_selection). The selection is an
 * index; call list_changed() when the model's items change (it clamps the selection and
 * marks dirty). Pointers in a filled list_item must stay valid until the next get_item. */
#ifndef AGENTDESK_WIDGETS_LIST_H
#define AGENTDESK_WIDGETS_LIST_H

#include "widgets/widget.h"
#include "widgets/theme.h"

typedef struct list_item {
    const char *mark;   theme_item mark_item;    /* leading column: "V", "[!!]", "1", "[x]" */
    const char *text;   theme_item text_item;    /* main text, cut with "…" */
    const char *badge;  theme_item badge_item;   /* after the text: "2 new", "H" */
    const char *right;  theme_item right_item;   /* right-aligned: "04:12" */
    const char *detail;                          /* optional second row, indented */
} list_item;

typedef struct list_source {
    size_t (*get_count)(void *ctx);
    /* Fill *out for index i (< count); out is zeroed before the call (items 0 = normal). */
    void (*get_item)(void *ctx, size_t i, list_item *out);
    void *ctx;
} list_source;

typedef struct list {
    widget base;
    list_source src;
    size_t selected;        /* index, < count when count > 0 */
    size_t top;             /* first item drawn */
    int mark_cols;          /* mark column incl. the space after it: "[!!]" needs 5; 0 = none */
    bool always_show_selection;
    bool show_selection;    /* false: a plain display list (flags, checklist) */
    bool hide_detail;       /* items take one row: their detail is shown elsewhere (a preview) */
    char empty_text[96];    /* drawn dim when there are no items */
} list;

list *list_new(list_source src);
static inline widget *list_widget(list *l) { return &l->base; }
/* The mark column's width including one space after the mark ("[x]" -> 4, "[!!]" -> 5);
 * marks wider than cols - 1 are cut. */
void list_set_mark_cols(list *l, int cols);
void list_set_show_selection(list *l, bool show, bool even_unfocused);
/* false: items' detail rows are left out (something beside the list shows them). */
void list_set_show_detail(list *l, bool show);
void list_set_empty_text(list *l, const char *clean);
/* Model changed: clamp the selection, keep it visible, mark dirty. */
void list_changed(list *l);
size_t list_count(const list *l);
size_t list_selected(const list *l);
void list_select(list *l, size_t index);     /* clamped; scrolls to keep it visible */
/* Keys: Up/Down, PgUp/PgDn, Home/End, 'k'/'j'; Enter -> WIDGET_SUBMIT. */

#endif
