/* table.c — columns over get_count / get_cell callbacks (see table.h). */
#include "widgets/table.h"
#include "widgets/draw.h"
#include "base/mem.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

static size_t count(const table *t) { return t->src.get_count ? t->src.get_count(t->src.ctx) : 0; }

/* Which columns fit the width: drop the highest priority numbers first, then keep the
 * left-to-right order. */
static void fit_columns(table *t)
{
    int w = t->base.rect.w, limit = 0;
    for (int i = 0; i < t->ncols; i++)
        if (t->cols[i].priority > limit) limit = t->cols[i].priority;
    for (;; limit--) {
        int need = 0;
        t->nshown = 0;
        for (int i = 0; i < t->ncols; i++)
            if (t->cols[i].priority <= limit) {
                t->shown[t->nshown++] = i;
                need += t->cols[i].width + 1;
            }
        if (need - 1 <= w || limit <= 0) return;
    }
}

static size_t body_rows(const table *t) { return t->base.rect.h > 1 ? (size_t)t->base.rect.h - 1 : 0; }

static void keep_visible(table *t)
{
    size_t n = count(t), h = body_rows(t);
    if (!n) { t->top = t->selected = 0; return; }
    if (t->selected >= n) t->selected = n - 1;
    if (t->top + h > n) t->top = n > h ? n - h : 0;
    if (t->selected < t->top) t->top = t->selected;
    if (h && t->selected >= t->top + h) t->top = t->selected - h + 1;
}

static void draw_cells(table *t, int y, size_t row, bool selected, attr_t mark)
{
    WINDOW *win = t->base.win;
    attr_t sel = theme_attr(THEME_LIST_SELECTED);
    draw_fill(win, y, 0, t->base.rect.w, selected ? sel : mark ? mark : theme_attr(THEME_LIST));
    int x = 0;
    for (int k = 0; k < t->nshown && x < t->base.rect.w; k++) {
        const table_col *c = &t->cols[t->shown[k]];
        /* the last column takes what is left, unless it holds right-aligned figures */
        int cw = k == t->nshown - 1 && !c->right ? t->base.rect.w - x : c->width;
        if (cw > t->base.rect.w - x) cw = t->base.rect.w - x;
        table_cell cell = {0};
        if (row == (size_t)-1) cell.text = c->title, cell.item = THEME_PANE_TITLE;
        else t->src.get_cell(t->src.ctx, row, t->shown[k], &cell);
        if (cell.text && *cell.text) {
            attr_t a = selected ? sel : mark && !cell.item ? mark : theme_attr(cell.item ? cell.item : THEME_LIST);
            int tw = text_width(cell.text, strlen(cell.text));
            int at = c->right && tw < cw ? x + cw - tw : x;
            draw_text_ellipsis(win, y, at, cell.text, strlen(cell.text), cw - (at - x), a);
        }
        x += cw + 1;
    }
}

static void table_draw(widget *w)
{
    table *t = (table *)w;
    draw_clear(w->win, theme_attr(THEME_LIST));
    fit_columns(t);
    draw_cells(t, 0, (size_t)-1, false, 0);
    size_t n = count(t);
    if (!n) {
        if (t->empty_text[0] && w->rect.h > 1)
            draw_text_ellipsis(w->win, 1, 1, t->empty_text, strlen(t->empty_text), w->rect.w - 1,
                               theme_attr(THEME_LIST_DETAIL));
        return;
    }
    keep_visible(t);
    for (size_t i = t->top, y = 1; i < n && y < (size_t)w->rect.h; i++, y++) {
        theme_item mi;
        bool marked = t->src.get_row_mark && t->src.get_row_mark(t->src.ctx, i, &mi);
        draw_cells(t, (int)y, i, w->focused && i == t->selected, marked ? theme_attr(mi) : 0);
    }
}

static widget_result table_key(widget *w, widget_key key)
{
    table *t = (table *)w;
    size_t n = count(t), page = body_rows(t) > 1 ? body_rows(t) - 1 : 1;
    switch (key) {
    case WK_FN(KEY_UP): case 'k': table_select(t, t->selected ? t->selected - 1 : 0); return WIDGET_HANDLED;
    case WK_FN(KEY_DOWN): case 'j': table_select(t, t->selected + 1); return WIDGET_HANDLED;
    case WK_FN(KEY_PPAGE): table_select(t, t->selected > page ? t->selected - page : 0); return WIDGET_HANDLED;
    case WK_FN(KEY_NPAGE): table_select(t, t->selected + page); return WIDGET_HANDLED;
    case WK_FN(KEY_HOME): table_select(t, 0); return WIDGET_HANDLED;
    case WK_FN(KEY_END): table_select(t, n ? n - 1 : 0); return WIDGET_HANDLED;
    case WK_ENTER: case 10: case WK_FN(KEY_ENTER): return n ? WIDGET_SUBMIT : WIDGET_HANDLED;
    default: return WIDGET_IGNORED;
    }
}

static void table_resize(widget *w) { fit_columns((table *)w); keep_visible((table *)w); }

static const widget_class table_class = {
    .name = "table", .draw = table_draw, .handle_key = table_key, .resize = table_resize,
};

table *table_new(table_source src, const table_col *cols, int ncols)
{
    table *t = mem_zalloc(1, sizeof *t);
    widget_init(&t->base, &table_class);
    t->src = src;
    t->ncols = ncols > TABLE_MAX_COLS ? TABLE_MAX_COLS : ncols;
    memcpy(t->cols, cols, (size_t)t->ncols * sizeof *cols);
    return t;
}

void table_set_empty_text(table *t, const char *clean)
{
    if (widget_copy_text(t->empty_text, sizeof t->empty_text, clean)) t->base.dirty = true;
}

void table_changed(table *t)
{
    keep_visible(t);
    t->base.dirty = true;
}

size_t table_selected(const table *t) { return t->selected; }

void table_select(table *t, size_t i)
{
    size_t n = count(t);
    if (n && i >= n) i = n - 1;
    if (i != t->selected) t->base.dirty = true;
    t->selected = n ? i : 0;
    keep_visible(t);
}
