/* draw.c — putting clean text on a window, defensively (see draw.h). */
#include "widgets/draw.h"

#include <limits.h>

#include <string.h>
#include <wchar.h>

#include "base/text.h"

enum { DRAW_CHUNK = 256, DRAW_MAX_MARKS = 2 };

/* A code point that must never reach the terminal as itself. */
static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

static void put_chunk(WINDOW *win, const wchar_t *buf, int n)
{
    if (n > 0)
        waddnwstr(win, buf, n);
}

int draw_text(WINDOW *win, int y, int x, const char *clean, size_t len, int cols, attr_t attr)
{
    if (!win || !clean || cols <= 0)
        return 0;
    int maxy = getmaxy(win), maxx = getmaxx(win);
    if (y < 0 || y >= maxy || x < 0 || x >= maxx)
        return 0;
    if (cols > maxx - x)
        cols = maxx - x;
    wmove(win, y, x);
    wattr_set(win, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
    wchar_t buf[DRAW_CHUNK];
    int nbuf = 0, used = 0, marks = 0;
    bool have_base = false;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        int w;
        size_t n = text_next(clean + i, len - i, &cp, &w);
        if (n == 0)
            break;
        i += n;
        if (cp == '\n') {
            cp = ' ';
            w = 1;
        } else if (is_control(cp)) {
            cp = '?';
            w = 1;
        }
        if (w == 0) {
            /* A combining mark rides on the cell before it; a few at most, never alone. */
            if (!have_base || marks >= DRAW_MAX_MARKS)
                continue;
            marks++;
        } else {
            if (used + w > cols)
                break;
            used += w;
            have_base = true;
            marks = 0;
        }
        if (nbuf >= DRAW_CHUNK - 1) {
            put_chunk(win, buf, nbuf);
            nbuf = 0;
        }
        buf[nbuf++] = (wchar_t)cp;
    }
    put_chunk(win, buf, nbuf);
    wattr_set(win, A_NORMAL, 0, NULL);
    return used;
}

int draw_text_ellipsis(WINDOW *win, int y, int x, const char *clean, size_t len, int cols,
                       attr_t attr)
{
    if (!clean || cols <= 0)
        return 0;
    if (text_width(clean, len) <= cols)
        return draw_text(win, y, x, clean, len, cols, attr);
    size_t fit = text_fit(clean, len, cols - 1);
    int used = draw_text(win, y, x, clean, fit, cols - 1, attr);
    return used + draw_text(win, y, x + used, "…", strlen("…"), 1, attr);
}

void draw_fill(WINDOW *win, int y, int x, int n, attr_t attr)
{
    if (!win || n <= 0 || y < 0 || y >= getmaxy(win) || x < 0 || x >= getmaxx(win))
        return;
    if (n > getmaxx(win) - x)
        n = getmaxx(win) - x;
    cchar_t c;
    setcchar(&c, L" ", attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
    mvwhline_set(win, y, x, &c, n);
}

void draw_clear(WINDOW *win, attr_t attr)
{
    if (!win)
        return;
    cchar_t c;
    setcchar(&c, L" ", attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
    wbkgrndset(win, &c);
    werase(win);
}

static void put_cell(WINDOW *win, int y, int x, const wchar_t *ch, attr_t attr)
{
    cchar_t c;
    setcchar(&c, ch, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
    mvwadd_wch(win, y, x, &c);
}

void draw_hline(WINDOW *win, int y, int x, int n, attr_t attr)
{
    if (!win || n <= 0 || y < 0 || y >= getmaxy(win) || x < 0 || x >= getmaxx(win))
        return;
    if (n > getmaxx(win) - x)
        n = getmaxx(win) - x;
    cchar_t c;
    setcchar(&c, L"─", attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL);
    mvwhline_set(win, y, x, &c, n);
}

void draw_box(WINDOW *win, const char *title, attr_t border, attr_t title_attr)
{
    draw_box_room(win, title, INT_MAX, border, title_attr);
}

void draw_box_room(WINDOW *win, const char *title, int title_room, attr_t border, attr_t title_attr)
{
    if (!win)
        return;
    int h = getmaxy(win), w = getmaxx(win);
    if (h <= 0 || w <= 0)
        return;
    if (h == 1 || w == 1) {
        /* No room for a box: a title row at most. */
        draw_hline(win, 0, 0, w, border);
        if (title && w > 2)
            draw_text_ellipsis(win, 0, 0, title, strlen(title), w, title_attr);
        return;
    }
    draw_hline(win, 0, 1, w - 2, border);
    draw_hline(win, h - 1, 1, w - 2, border);
    cchar_t v;
    setcchar(&v, L"│", border & ~A_COLOR, (short)PAIR_NUMBER(border), NULL);
    if (h > 2) {
        mvwvline_set(win, 1, 0, &v, h - 2);
        mvwvline_set(win, 1, w - 1, &v, h - 2);
    }
    put_cell(win, 0, 0, L"┌", border);
    put_cell(win, 0, w - 1, L"┐", border);
    put_cell(win, h - 1, 0, L"└", border);
    put_cell(win, h - 1, w - 1, L"┘", border);
    if (title && *title && w >= 6) {
        /* "┌ Title ─┐": one space each side, at least one line cell before the corner. */
        int room = w - 5 < title_room ? w - 5 : title_room;
        draw_fill(win, 0, 1, 1, border);
        int used = draw_text_ellipsis(win, 0, 2, title, strlen(title), room, title_attr);
        draw_fill(win, 0, 2 + used, 1, border);
    }
    wattr_set(win, A_NORMAL, 0, NULL);
}
