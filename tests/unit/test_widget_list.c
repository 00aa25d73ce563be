/* test_widget_list.c — the list reads its model only through callbacks: selection, keys,
 * clamping when the model shrinks, scrolling with two-row items. Pure: no screen. */
#include <stdio.h>
#include <string.h>

#include "tests/unit/check.h"
#include "widgets/list.h"

typedef struct model { size_t n; bool details; int gets; } model;

static size_t count(void *ctx) { return ((model *)ctx)->n; }

static void item(void *ctx, size_t i, list_item *out)
{
    model *m = ctx;
    static char text[32];
    snprintf(text, sizeof text, "item %zu", i);
    out->text = text;
    out->detail = m->details ? "detail" : NULL;
    m->gets++;
}

static void test_selection_keys(void)
{
    model m = { 10, false, 0 };
    list *l = list_new((list_source){ count, item, &m });
    widget_set_rect(list_widget(l), (widget_rect){ 0, 0, 4, 30 });
    CHECK_INT(list_count(l), 10);
    CHECK_INT(list_selected(l), 0);
    widget *w = list_widget(l);
    CHECK_INT(widget_handle_key(w, WK_FN(KEY_DOWN)), WIDGET_HANDLED);
    CHECK_INT(list_selected(l), 1);
    widget_handle_key(w, WK_FN(KEY_UP));
    widget_handle_key(w, WK_FN(KEY_UP));
    CHECK_INT(list_selected(l), 0);
    widget_handle_key(w, WK_FN(KEY_END));
    CHECK_INT(list_selected(l), 9);
    CHECK_INT(l->top, 6);               /* 4 rows: items 6..9 */
    widget_handle_key(w, WK_FN(KEY_PPAGE));
    CHECK_INT(list_selected(l), 7);
    widget_handle_key(w, WK_FN(KEY_HOME));
    CHECK_INT(list_selected(l), 0);
    CHECK_INT(l->top, 0);
    CHECK_INT(widget_handle_key(w, WK_ENTER), WIDGET_SUBMIT);
    CHECK_INT(widget_handle_key(w, 'x'), WIDGET_IGNORED);
    list_select(l, 100);
    CHECK_INT(list_selected(l), 9);
    m.n = 3;                            /* the model shrank */
    list_changed(l);
    CHECK_INT(list_selected(l), 2);
    CHECK_INT(l->top, 0);
    m.n = 0;
    list_changed(l);
    CHECK_INT(list_selected(l), 0);
    CHECK_INT(widget_handle_key(w, WK_ENTER), WIDGET_HANDLED);   /* nothing to submit */
    widget_destroy(w);
}

static void test_two_row_items(void)
{
    model m = { 10, true, 0 };
    list *l = list_new((list_source){ count, item, &m });
    widget_set_rect(list_widget(l), (widget_rect){ 0, 0, 5, 30 });
    list_select(l, 4);          /* items take 2 rows: 2 fit whole in 5 rows */
    CHECK_INT(l->top, 3);
    list_select(l, 1);
    CHECK_INT(l->top, 1);
    /* display-only lists scroll instead of selecting */
    list_set_show_selection(l, false, false);
    l->top = 0;
    widget_handle_key(list_widget(l), WK_FN(KEY_DOWN));
    CHECK_INT(l->top, 1);
    CHECK_INT(list_selected(l), 1);
    widget_destroy(list_widget(l));
}

int main(void)
{
    RUN(test_selection_keys);
    RUN(test_two_row_items);
    return check_done("test_widget_list");
}
