/* list.c — selectable list over get_count / get_item callbacks (see list.h). */
#include "widgets/list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "widgets/draw.h"
#include "base/mem.h"

static size_t item_rows(const list *l, size_t i)
{
    list_item it;
    memset(&it, 0, sizeof it);
    l->src.get_item(l->src.ctx, i, &it);
    return it.detail && !l->hide_detail ? 2 : 1;
}

size_t list_count(const list *l)
{
    return l->src.get_count ? l->src.get_count(l->src.ctx) : 0;
}

size_t list_selected(const list *l)
{
    return l->selected;
}

/* Scrolls so the selected item is whole on screen. */
static void keep_visible(list *l)
{
    size_t n = list_count(l);
    size_t h = l->base.rect.h > 0 ? (size_t)l->base.rect.h : 0;
    if (n == 0) {
        l->top = 0;
        return;
    }
    if (l->top >= n)
        l->top = n - 1;
    /* no blank rows at the bottom while items above are hidden */
    size_t below = 0;
    for (size_t i = l->top; i < n && below <= h; i++)
        below += item_rows(l, i);
    while (l->top > 0 && below + item_rows(l, l->top - 1) <= h)
        below += item_rows(l, --l->top);
    if (!l->show_selection)
        return;
    if (l->selected < l->top)
        l->top = l->selected;
    for (;;) {
        size_t rows = 0;
        for (size_t i = l->top; i <= l->selected; i++)
            rows += item_rows(l, i);
        if (rows <= h || l->top == l->selected)
            break;
        l->top++;
    }
}

void list_changed(list *l)
{
    size_t n = list_count(l);
    if (l->selected >= n)
        l->selected = n ? n - 1 : 0;
    keep_visible(l);
    l->base.dirty = true;
}

void list_select(list *l, size_t index)
{
    size_t n = list_count(l);
    if (n == 0)
        index = 0;
    else if (index >= n)
        index = n - 1;
    if (index != l->selected)
        l->base.dirty = true;
    l->selected = index;
    keep_visible(l);
}

static void draw_item(list *l, const list_item *it, int y, bool selected)
{
    WINDOW *win = l->base.win;
    int w = l->base.rect.w;
    attr_t sel = theme_attr(THEME_LIST_SELECTED);
    attr_t base = selected ? sel : theme_attr(THEME_LIST);
    draw_fill(win, y, 0, w, base);
    int x = 0;
    if (l->mark_cols > 0) {
        if (it->mark)
            draw_text(win, y, 0, it->mark, strlen(it->mark), l->mark_cols - 1,
                      selected ? sel : theme_attr(it->mark_item));
        x = l->mark_cols;
    }
    int rw = it->right ? text_width(it->right, strlen(it->right)) : 0;
    int bw = it->badge ? text_width(it->badge, strlen(it->badge)) : 0;
    int room = w - x - (rw ? rw + 1 : 0);
    if (bw && bw + 1 < room - 3)
        room -= bw + 1;
    else
        bw = 0;
    if (rw && w - x - rw - 1 < 4) {   /* too narrow: text first */
        rw = 0;
        room = w - x - (bw ? bw + 1 : 0);
    }
    int used = 0;
    if (it->text && room > 0)
        used = draw_text_ellipsis(win, y, x, it->text, strlen(it->text), room,
                                  selected ? sel : theme_attr(it->text_item ? it->text_item : THEME_LIST));
    if (bw)
        draw_text(win, y, x + used + 1, it->badge, strlen(it->badge), bw,
                  selected ? sel : theme_attr(it->badge_item ? it->badge_item : THEME_LIST_BADGE));
    if (rw)
        draw_text(win, y, w - rw, it->right, strlen(it->right), rw,
                  selected ? sel : theme_attr(it->right_item ? it->right_item : THEME_LIST));
}

static void list_draw(widget *w)
{
    list *l = (list *)w;
    draw_clear(w->win, theme_attr(THEME_LIST));
    size_t n = list_count(l);
    if (n == 0) {
        if (l->empty_text[0])
            draw_text_ellipsis(w->win, 0, 1, l->empty_text, strlen(l->empty_text), w->rect.w - 1,
                               theme_attr(THEME_LIST_DETAIL));
        return;
    }
    keep_visible(l);
    bool show = l->show_selection && (w->focused || l->always_show_selection);
    int y = 0;
    for (size_t i = l->top; i < n && y < w->rect.h; i++) {
        list_item it;
        memset(&it, 0, sizeof it);
        l->src.get_item(l->src.ctx, i, &it);
        draw_item(l, &it, y++, show && i == l->selected);
        if (it.detail && !l->hide_detail && y < w->rect.h) {
            int indent = l->mark_cols > 0 ? l->mark_cols : 2;
            draw_text_ellipsis(w->win, y++, indent, it.detail, strlen(it.detail),
                               w->rect.w - indent, theme_attr(THEME_LIST_DETAIL));
        }
    }
}

static widget_result list_key(widget *w, widget_key key)
{
    list *l = (list *)w;
    size_t n = list_count(l);
    size_t page = l->base.rect.h > 2 ? (size_t)l->base.rect.h / 2 : 1;
    if (!l->show_selection) {
        /* display-only: keys scroll */
        switch (key) {
        case WK_FN(KEY_UP): case 'k':
            if (l->top > 0) { l->top--; w->dirty = true; }
            return WIDGET_HANDLED;
        case WK_FN(KEY_DOWN): case 'j':
            if (l->top + 1 < n) { l->top++; w->dirty = true; }
            return WIDGET_HANDLED;
        default:
            return WIDGET_IGNORED;
        }
    }
    switch (key) {
    case WK_FN(KEY_UP): case 'k':
        list_select(l, l->selected > 0 ? l->selected - 1 : 0);
        return WIDGET_HANDLED;
    case WK_FN(KEY_DOWN): case 'j':
        list_select(l, l->selected + 1);
        return WIDGET_HANDLED;
    case WK_FN(KEY_PPAGE):
        list_select(l, l->selected > page ? l->selected - page : 0);
        return WIDGET_HANDLED;
    case WK_FN(KEY_NPAGE):
        list_select(l, l->selected + page);
        return WIDGET_HANDLED;
    case WK_FN(KEY_HOME):
        list_select(l, 0);
        return WIDGET_HANDLED;
    case WK_FN(KEY_END):
        list_select(l, n ? n - 1 : 0);
        return WIDGET_HANDLED;
    case WK_ENTER: case 10: case WK_FN(KEY_ENTER):
        return n ? WIDGET_SUBMIT : WIDGET_HANDLED;
    default:
        return WIDGET_IGNORED;
    }
}

static void list_resize(widget *w)
{
    keep_visible((list *)w);
}

static const widget_class list_class = {
    .name = "list",
    .draw = list_draw,
    .handle_key = list_key,
    .resize = list_resize,
};

list *list_new(list_source src)
{
    list *l = mem_zalloc(1, sizeof *l);
    widget_init(&l->base, &list_class);
    l->src = src;
    l->show_selection = true;
    return l;
}

void list_set_mark_cols(list *l, int cols)
{
    l->mark_cols = cols < 0 ? 0 : cols;
    l->base.dirty = true;
}

void list_set_show_detail(list *l, bool show)
{
    if (l->hide_detail == !show)
        return;
    l->hide_detail = !show;
    l->base.dirty = true;
}

void list_set_show_selection(list *l, bool show, bool even_unfocused)
{
    l->show_selection = show;
    l->always_show_selection = even_unfocused;
    l->base.dirty = true;
}

void list_set_empty_text(list *l, const char *clean)
{
    if (strcmp(l->empty_text, clean ? clean : "") == 0)
        return;   /* unchanged: nothing to redraw */
    snprintf(l->empty_text, sizeof l->empty_text, "%s", clean ? clean : "");
    l->base.dirty = true;
}
