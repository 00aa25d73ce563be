/* headless.h — a curses screen with no terminal behind it, for the screen tests: newterm on
 * /dev/null as an xterm-256color, sized with resize_term, read back cell by cell from curscr
 * after doupdate. Also the golden-file comparison (UPDATE_GOLDEN=1 rewrites the files).
 * Header-only (static functions) like tests/unit/check.h. */
#ifndef AGENTDESK_TESTS_SCREEN_HEADLESS_H
#define AGENTDESK_TESTS_SCREEN_HEADLESS_H

#include <curses.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tests/unit/check.h"
#include "widgets/theme.h"

static SCREEN *headless_screen;
static FILE *headless_out, *headless_in;

static inline void headless_open(int rows, int cols)
{
    setlocale(LC_ALL, "C.UTF-8");
    headless_out = fopen("/dev/null", "w");
    headless_in = fopen("/dev/null", "r");
    if (!headless_out || !headless_in) {
        fprintf(stderr, "cannot open /dev/null\n");
        exit(2);
    }
    headless_screen = newterm("xterm-256color", headless_out, headless_in);
    if (!headless_screen) {
        fprintf(stderr, "newterm(xterm-256color) failed: is ncurses-term/terminfo installed?\n");
        exit(2);
    }
    set_term(headless_screen);
    resize_term(rows, cols);
    theme t;
    char err[256];
    const char *dirs[] = { "themes" };
    if (theme_load_named(&t, "dark", dirs, 1, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        exit(2);
    }
    theme_activate(&t);
}

static inline void headless_resize(int rows, int cols)
{
    resize_term(rows, cols);
    werase(stdscr);
    wnoutrefresh(stdscr);
}

static inline void headless_close(void)
{
    endwin();
    delscreen(headless_screen);
    fclose(headless_out);
    fclose(headless_in);
}

typedef struct capture_stats {
    int control_cells;   /* cells holding a C0/C1 control or DEL: must stay 0 */
    int bad_rows;        /* rows whose cells do not add up to the screen width */
} capture_stats;

static inline bool headless_is_control(wchar_t c)
{
    return (c >= 0 && c < 0x20) || (c >= 0x7F && c < 0xA0);
}

/* The screen as UTF-8 text, one line per row, trailing spaces cut. */
static char *headless_capture(capture_stats *st)
{
    int rows = LINES, cols = COLS;
    size_t cap = (size_t)rows * ((size_t)cols * 16 + 2) + 1, len = 0;
    char *out = malloc(cap);
    if (!out)
        abort();
    memset(st, 0, sizeof *st);
    for (int y = 0; y < rows; y++) {
        size_t row_start = len;
        int width = 0;
        for (int x = 0; x < cols;) {
            cchar_t cc;
            wchar_t wch[CCHARW_MAX + 1];
            attr_t a;
            short pair;
            memset(wch, 0, sizeof wch);
            if (mvwin_wch(curscr, y, x, &cc) == ERR || getcchar(&cc, wch, &a, &pair, NULL) == ERR) {
                wch[0] = L' ';
                wch[1] = 0;
            }
            if (wch[0] == 0)
                wch[0] = L' ';
            int w = wcwidth(wch[0]);
            if (w < 1)
                w = 1;
            for (int k = 0; k < CCHARW_MAX && wch[k]; k++) {
                if (headless_is_control(wch[k]))
                    st->control_cells++;
                char mb[MB_LEN_MAX];
                mbstate_t ms;
                memset(&ms, 0, sizeof ms);
                size_t n = wcrtomb(mb, wch[k], &ms);
                if (n != (size_t)-1) {
                    memcpy(out + len, mb, n);
                    len += n;
                }
            }
            width += w;
            x += w;
        }
        if (width != cols)
            st->bad_rows++;
        while (len > row_start && out[len - 1] == ' ')
            len--;
        out[len++] = '\n';
    }
    out[len] = '\0';
    return out;
}

/* Compares `text` with tests/screen/golden/NAME.txt; UPDATE_GOLDEN=1 writes it instead.
 * On a difference the actual screen goes to build/NAME.actual.txt. */
static inline bool golden_check(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "tests/screen/golden/%s.txt", name);
    const char *update = getenv("UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        FILE *f = fopen(path, "w");
        if (!f) {
            fprintf(stderr, "  cannot write %s\n", path);
            return false;
        }
        fputs(text, f);
        fclose(f);
        fprintf(stderr, "  wrote %s\n", path);
        return true;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "  missing %s (run with UPDATE_GOLDEN=1 to create it)\n", path);
        return false;
    }
    size_t cap = strlen(text) + 4096, n = 0;
    char *want = malloc(cap + 1);
    if (!want)
        abort();
    n = fread(want, 1, cap, f);
    want[n] = '\0';
    fclose(f);
    bool same = strcmp(want, text) == 0;
    if (!same) {
        /* report the first differing row */
        const char *a = want, *b = text;
        int row = 0;
        for (;;) {
            const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
            size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
            if (la != lb || memcmp(a, b, la) != 0) {
                fprintf(stderr, "  %s differs at row %d:\n    want |%.*s|\n    got  |%.*s|\n",
                        path, row, (int)la, a, (int)lb, b);
                break;
            }
            if (!ea || !eb)
                break;
            a = ea + 1;
            b = eb + 1;
            row++;
        }
        char actual[256];
        snprintf(actual, sizeof actual, "build/%s.actual.txt", name);
        FILE *o = fopen(actual, "w");
        if (o) {
            fputs(text, o);
            fclose(o);
            fprintf(stderr, "  actual screen written to %s\n", actual);
        }
    }
    free(want);
    return same;
}

#endif
