/* screen.c — curses setup and teardown shared by every mode's screen. */
#include "agentdesk/screen.h"
#include "agentdesk/keys.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static bool active;
static bool stopped;   /* endwin'd for Ctrl-Z */
static bool adopted;   /* the caller made the curses screen: its terminal and size are its own */

bool screen_start(const theme *t, char *err, size_t errlen)
{
    if (stdscr) {
        /* a screen the caller already made with newterm (the screen tests' headless one on
         * /dev/null): used as it is, the terminal's modes and size left to its maker */
        active = adopted = true;
        keypad(stdscr, TRUE);
        nodelay(stdscr, TRUE);
        curs_set(0);
        theme_activate(t);
        return true;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errlen, "standard input and output must be a terminal (or use --linear)");
        return false;
    }
    setlocale(LC_ALL, "");
    /* A machine where no locale was ever chosen (a fresh minimal Debian, a bare ssh or cron
     * environment) starts in "C", where ncursesw cannot draw the box lines and marks. Like
     * Python's PEP 538, coerce that default (and only it: never a locale the user set with
     * LC_ALL) to C.UTF-8, which glibc always has; terminals today are UTF-8. */
    const char *ctype = setlocale(LC_CTYPE, NULL);
    if (!getenv("LC_ALL") && ctype && (!strcmp(ctype, "C") || !strcmp(ctype, "POSIX")))
        setlocale(LC_CTYPE, "C.UTF-8");
    set_escdelay(25);
    if (!initscr()) { snprintf(err, errlen, "cannot start the terminal screen"); return false; }
    active = true;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    typeahead(-1);   /* doupdate need not poll the keyboard: the loop already does */
    meta(stdscr, TRUE);
    /* Ctrl-S / Ctrl-Q are keys here, not flow control */
    struct termios tio;
    if (tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
        tio.c_lflag &= ~(tcflag_t)IEXTEN;
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
    }
    curs_set(0);
    theme_activate(t);
    wnoutrefresh(stdscr);
    return true;
}

void screen_stop(void)
{
    if (!active) return;
    active = false;
    curs_set(1);
    endwin();
}

void screen_resize(void)
{
    if (!active) return;
    struct winsize ws;
    if (!adopted && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    clearok(curscr, TRUE);
}

void screen_suspend(void)
{
    if (!active || stopped) return;
    stopped = true;
    endwin();
}

void screen_resume(void)
{
    if (!active || !stopped) return;
    stopped = false;
    reset_prog_mode();
    screen_resize();
    refresh();
}

bool screen_read_key(widget_key *key)
{
    wint_t wch;
    int rc = wget_wch(stdscr, &wch);
    if (rc == ERR) return false;
    widget_key k = widget_key_from_wch(rc, wch);
    if (k == WK_ESC) {
        wint_t next;
        int rc2 = wget_wch(stdscr, &next);
        if (rc2 == OK && next >= 0x20 && next != 0x7f) k = KEYS_META | (widget_key)next;
        else if (rc2 == OK) unget_wch(next);
        else if (rc2 == KEY_CODE_YES) ungetch((int)next);   /* a function key: pushed back as one */
    }
    if (k == WK_FN(KEY_ENTER)) k = WK_ENTER;
    if (k == 8 || k == WK_FN(KEY_BACKSPACE)) k = WK_BACKSPACE;
    *key = k;
    return true;
}

size_t screen_render(widget *const *list, size_t n)
{
    if (!active || stopped) return 0;
    size_t drawn = widget_render(list, n);
    return drawn;
}
