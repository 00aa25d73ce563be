/* pane.c — box, tab bar or bare frame around one child widget (see pane.h). */
#include "widgets/pane.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "widgets/draw.h"
#include "widgets/theme.h"
#include "base/mem.h"

/* Columns a box title keeps when it is cut for the status at the right end. */
#define TITLE_MIN 8

widget_rect pane_inner_rect(pane_style style, widget_rect r)
{
    switch (style) {
    case PANE_BOX:
        /* one column of air inside each side border, when the box is wide enough */
        r.y += 1; r.h -= 2;
        if (r.w >= 12) { r.x += 2; r.w -= 4; } else { r.x += 1; r.w -= 2; }
        break;
    case PANE_TABS:
        r.y += 1; r.h -= 1;
        break;
    case PANE_BARE:
        break;
    }
    if (r.h < 0) r.h = 0;
    if (r.w < 0) r.w = 0;
    return r;
}

static void draw_tabs(pane *p)
{
    WINDOW *win = p->base.win;
    int w = p->base.rect.w, x = 1;
    draw_fill(win, 0, 0, w, theme_attr(THEME_TAB));
    for (int i = 0; i < p->ntabs && x < w; i++) {
        bool active = i == p->active_tab;
        char label[PANE_TAB_MAX + 4];
        snprintf(label, sizeof label, active ? "[%s]" : " %s ", p->tabs[i]);
        int lw = text_width(label, strlen(label));
        if (x + lw > w && i > 0)
            break;   /* a cut tab reads as a different word: leave it out */
        x += draw_text_ellipsis(win, 0, x, label, strlen(label), w - x,
                                theme_attr(active ? THEME_TAB_ACTIVE : THEME_TAB));
        x += 1;
    }
}

static void pane_draw(widget *w)
{
    pane *p = (pane *)w;
    draw_clear(w->win, theme_attr(THEME_NORMAL));
    switch (p->style) {
    case PANE_BOX: {
        attr_t border = theme_attr(w->focused ? THEME_PANE_FOCUS : THEME_PANE_BORDER);
        attr_t title = theme_attr(w->focused ? THEME_PANE_FOCUS : THEME_PANE_TITLE);
        /* "┌ Title ─ right ─┐": the right-hand text shows when it fits beside the title, or,
         * when it matters more (right_first), with the title cut down to TITLE_MIN columns */
        int rw = p->right[0] && w->rect.h > 1 ? text_width(p->right, strlen(p->right)) + 2 : 0;
        int title_room = w->rect.w - rw - 7;   /* a line cell or two between them */
        int title_w = p->title[0] ? text_width(p->title, strlen(p->title)) : 0;
        bool right = rw > 0 && title_room >= (p->right_first ? (title_w < TITLE_MIN ? title_w : TITLE_MIN) : title_w);
        draw_box_room(w->win, p->title, right ? title_room : INT_MAX, border, title);
        if (right) {
            int x = w->rect.w - 1 - rw - 1;
            draw_fill(w->win, 0, x, 1, border);
            draw_text(w->win, 0, x + 1, p->right, strlen(p->right), rw - 2, title);
            draw_fill(w->win, 0, x + rw - 1, 1, border);
        }
        break;
    }
    case PANE_TABS:
        draw_tabs(p);
        break;
    case PANE_BARE:
        break;
    }
}

static void pane_resize(widget *w)
{
    pane *p = (pane *)w;
    if (p->child)
        widget_set_rect(p->child, pane_inner_rect(p->style, w->rect));
}

static const widget_class pane_class = {
    .name = "pane",
    .draw = pane_draw,
    .resize = pane_resize,
};

pane *pane_new(pane_style style, const char *title)
{
    pane *p = mem_zalloc(1, sizeof *p);
    widget_init(&p->base, &pane_class);
    p->style = style;
    widget_copy_text(p->title, sizeof p->title, title);
    return p;
}

void pane_set_style(pane *p, pane_style style)
{
    if (p->style == style)
        return;
    p->style = style;
    pane_resize(&p->base);
    p->base.dirty = true;
}

void pane_set_title(pane *p, const char *title)
{
    if (widget_copy_text(p->title, sizeof p->title, title))
        p->base.dirty = true;
}

void pane_set_right(pane *p, const char *right)
{
    if (widget_copy_text(p->right, sizeof p->right, right) || p->right_first)
        p->base.dirty = true;
    p->right_first = false;
}

void pane_set_right_first(pane *p, const char *right)
{
    if (widget_copy_text(p->right, sizeof p->right, right) || !p->right_first)
        p->base.dirty = true;
    p->right_first = true;
}

void pane_set_tabs(pane *p, const char *const *labels, int n, int active)
{
    if (n > PANE_TABS_MAX)
        n = PANE_TABS_MAX;
    if (n < 0)
        n = 0;
    bool changed = n != p->ntabs;
    for (int i = 0; i < n; i++)
        changed |= widget_copy_text(p->tabs[i], sizeof p->tabs[i], labels[i]);
    p->ntabs = n;
    if (changed)
        p->base.dirty = true;
    pane_set_active_tab(p, active);
}

void pane_set_active_tab(pane *p, int active)
{
    if (active < 0 || active >= p->ntabs)
        active = p->ntabs > 0 ? 0 : -1;
    if (active != p->active_tab) {
        p->active_tab = active;
        p->base.dirty = true;
    }
}

void pane_set_child(pane *p, widget *child)
{
    p->child = child;
    pane_resize(&p->base);
}

void pane_set_rect(pane *p, widget_rect r)
{
    widget_set_rect(&p->base, r);
    pane_resize(&p->base);
}
