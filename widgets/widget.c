/* widget.c — the base class: window management, focus, visibility and the render step. */
#include "widgets/widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

bool widget_copy_text(char *dst, size_t cap, const char *src)
{
    const char *s = src ? src : "";
    size_t n = text_prefix_len(s, strlen(s), cap - 1);
    if (strncmp(dst, s, n) == 0 && dst[n] == '\0')
        return false;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return true;
}

void widget_init(widget *w, const widget_class *cls)
{
    w->cls = cls;
    w->win = NULL;
    w->rect = (widget_rect){ 0, 0, 0, 0 };
    w->dirty = true;
    w->focused = false;
    w->visible = true;
    w->exposed = false;
    w->exposed_rect = w->rect;
}

static widget_rect rect_union(widget_rect a, widget_rect b)
{
    if (a.h <= 0 || a.w <= 0)
        return b;
    if (b.h <= 0 || b.w <= 0)
        return a;
    int y0 = a.y < b.y ? a.y : b.y, x0 = a.x < b.x ? a.x : b.x;
    int y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
    int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
    return (widget_rect){ y0, x0, y1 - y0, x1 - x0 };
}

/* Remember that the cells under the widget's current window need to be shown again. */
static void expose(widget *w)
{
    if (!w->win || !w->visible)
        return;
    w->exposed_rect = w->exposed ? rect_union(w->exposed_rect, w->rect) : w->rect;
    w->exposed = true;
}

/* Clamp a rectangle to the screen; before initscr there is no screen to clamp to. */
static widget_rect clamp_rect(widget_rect r)
{
    if (r.h < 0) r.h = 0;
    if (r.w < 0) r.w = 0;
    if (r.y < 0) { r.h += r.y; r.y = 0; }
    if (r.x < 0) { r.w += r.x; r.x = 0; }
    if (stdscr) {
        if (r.y >= LINES) r.h = 0;
        if (r.x >= COLS) r.w = 0;
        if (r.h > LINES - r.y) r.h = LINES - r.y;
        if (r.w > COLS - r.x) r.w = COLS - r.x;
    }
    if (r.h < 0) r.h = 0;
    if (r.w < 0) r.w = 0;
    return r;
}

void widget_set_rect(widget *w, widget_rect r)
{
    r = clamp_rect(r);
    bool same = r.y == w->rect.y && r.x == w->rect.x && r.h == w->rect.h && r.w == w->rect.w;
    if (same && w->win) {
        /* resizeterm shrinks and moves windows that stopped fitting: trust the window only
         * when it still matches the rectangle */
        same = getbegy(w->win) == r.y && getbegx(w->win) == r.x &&
               getmaxy(w->win) == r.h && getmaxx(w->win) == r.w;
    }
    if (same && (w->win != NULL) == (stdscr != NULL && r.h > 0 && r.w > 0))
        return;
    expose(w);
    if (w->win) {
        delwin(w->win);
        w->win = NULL;
    }
    w->rect = r;
    if (stdscr && r.h > 0 && r.w > 0) {
        w->win = newwin(r.h, r.w, r.y, r.x);
        if (w->win)
            leaveok(w->win, TRUE);
    }
    if (w->cls->resize)
        w->cls->resize(w);
    w->dirty = true;
}

void widget_set_focus(widget *w, bool focused)
{
    if (w->focused != focused) {
        w->focused = focused;
        w->dirty = true;
    }
}

void widget_set_visible(widget *w, bool visible)
{
    if (w->visible == visible)
        return;
    if (!visible)
        expose(w);
    w->visible = visible;
    w->dirty = true;
}

widget_result widget_handle_key(widget *w, widget_key key)
{
    if (!w || !w->cls->handle_key)
        return WIDGET_IGNORED;
    return w->cls->handle_key(w, key);
}

void widget_destroy(widget *w)
{
    if (!w)
        return;
    if (w->win) {
        delwin(w->win);
        w->win = NULL;
    }
    if (w->cls->destroy)
        w->cls->destroy(w);
    else
        free(w);
}

bool widget_rect_overlap(widget_rect a, widget_rect b)
{
    if (a.h <= 0 || a.w <= 0 || b.h <= 0 || b.w <= 0)
        return false;
    return a.y < b.y + b.h && b.y < a.y + a.h && a.x < b.x + b.w && b.x < a.x + a.w;
}

enum { RENDER_MAX_SHOWN = 64 };

size_t widget_render(widget *const *list, size_t n)
{
    /* Rectangles already put on the virtual screen this step: a later widget over one of
     * them must be put again so the stacking order holds. Exposed rectangles (a toast that
     * went away) count the same way for every widget. */
    widget_rect shown[RENDER_MAX_SHOWN];
    size_t nshown = 0;
    for (size_t i = 0; i < n && nshown < RENDER_MAX_SHOWN; i++) {
        widget *w = list[i];
        if (w && w->exposed) {
            shown[nshown++] = w->exposed_rect;
            w->exposed = false;
        }
    }
    size_t drawn = 0;
    for (size_t i = 0; i < n; i++) {
        widget *w = list[i];
        if (!w || !w->visible || !w->win)
            continue;
        bool under = false;
        for (size_t k = 0; k < nshown && !under; k++)
            under = widget_rect_overlap(w->rect, shown[k]);
        if (w->dirty) {
            w->cls->draw(w);
            w->dirty = false;
            drawn++;
        } else if (under) {
            touchwin(w->win);
        } else {
            continue;
        }
        wnoutrefresh(w->win);
        if (nshown < RENDER_MAX_SHOWN)
            shown[nshown++] = w->rect;
    }
    return drawn;
}

void widget_mark_all(widget *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i])
            list[i]->dirty = true;
}
