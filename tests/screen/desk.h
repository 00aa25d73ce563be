/* desk.h — the console's real agent screen, headless, fed from fixture frames. Nothing is
 * drawn by a copy: frames (JSON lines in tests/screen/fixtures/NAME.jsonl, or built by a test)
 * go through proto_decode and session_apply into the session's model, the agent mode's own
 * front (agent_screen_attach: agent_sync fills agent_view's widgets, agent_screen routes keys,
 * opens dialogs and help) draws them into the headless curses screen of headless.h, and keys
 * are pushed into curses' input queue and read by the front's own on_input. There is no hub
 * (session with no url: the header says "no hub"); the lws context only runs the app's timers.
 *
 * The wall clock is pinned to DESK_NOW_MS (2026-11-02 14:32:07 UTC, TZ=UTC) so the header
 * clock, call durations and "customer for N years" are the same on every run: this program
 * defines time() and clock_gettime(), which the console's code (and lws) call instead of
 * libc's. The monotonic clock runs, shifted by desk_wait(), which lets the app's timers (the
 * toast's 4 s, the clock tick) fire through the lws loop without the test waiting for them;
 * desk_freeze_clock() stops its running, for tests that count what happens within a frame.
 * Header-only (static functions) like check.h; each tests/screen/test_*.c is one program. */
#ifndef AGENTDESK_TESTS_SCREEN_DESK_H
#define AGENTDESK_TESTS_SCREEN_DESK_H

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "agentdesk/agent_keys.h"
#include "agentdesk/agent_screen.h"
#include "agentdesk/agent_view.h"
#include "agentdesk/app.h"
#include "agentdesk/session.h"
#include "tests/screen/headless.h"

#define DESK_NOW_MS 1793629927000LL   /* 2026-11-02 14:32:07 UTC, as the fixtures assume */

static int64_t desk_mono_shift_ns;
static int64_t desk_mono_frozen_ns;   /* non-zero: the monotonic clock stands here (+ shifts) */

int clock_gettime(clockid_t id, struct timespec *ts)
{
    if (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE) {
        ts->tv_sec = (time_t)(DESK_NOW_MS / 1000);
        ts->tv_nsec = (long)(DESK_NOW_MS % 1000) * 1000000L;
        return 0;
    }
    bool mono = id == CLOCK_MONOTONIC || id == CLOCK_MONOTONIC_RAW || id == CLOCK_MONOTONIC_COARSE ||
                id == CLOCK_BOOTTIME;
    if (mono && desk_mono_frozen_ns) {
        int64_t ns = desk_mono_frozen_ns + desk_mono_shift_ns;
        ts->tv_sec = (time_t)(ns / 1000000000LL);
        ts->tv_nsec = (long)(ns % 1000000000LL);
        return 0;
    }
    long rc = syscall(SYS_clock_gettime, id, ts);
    if (rc == 0) {
        int64_t ns = (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec + desk_mono_shift_ns;
        ts->tv_sec = (time_t)(ns / 1000000000LL);
        ts->tv_nsec = (long)(ns % 1000000000LL);
    }
    return (int)rc;
}

time_t time(time_t *out)
{
    time_t now = (time_t)(DESK_NOW_MS / 1000);
    if (out)
        *out = now;
    return now;
}

typedef struct desk {
    app a;
    session s;
    keys_table keys;
    theme th;
    bool keys_made;
} desk;

static desk the_desk;

/* Once, after headless_open: the agent mode's key table and the dark theme. */
static inline void desk_init(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    lws_set_log_level(0, NULL);
    keys_init(&the_desk.keys, agent_keys_actions, AK__COUNT);
    the_desk.keys_made = true;
    char err[256];
    const char *dirs[] = { "themes" };
    if (theme_load_named(&the_desk.th, "dark", dirs, 1, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        exit(2);
    }
}

/* A fresh console at rows x cols: session without a hub, the agent screen attached. */
static inline void desk_open(int rows, int cols, size_t scrollback)
{
    headless_resize(rows, cols);
    desk *d = &the_desk;
    memset(&d->a, 0, sizeof d->a);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    d->a.ctx = lws_create_context(&info);
    char err[256];
    if (!d->a.ctx || !session_init(&d->s, &d->a, NULL, NULL, NULL, scrollback, err, sizeof err) ||
        !agent_screen_attach(&d->a, &d->s, &d->keys, &d->th, NULL, err, sizeof err)) {
        fprintf(stderr, "desk_open: %s\n", d->a.ctx ? err : "no lws context");
        exit(2);
    }
}

static inline void desk_close(void)
{
    desk *d = &the_desk;
    agent_screen_free(&d->a);
    session_free(&d->s);
    lws_context_destroy(d->a.ctx);
    memset(&d->a, 0, sizeof d->a);
}

static inline void desk_done(void)
{
    if (the_desk.keys_made)
        keys_free(&the_desk.keys);
}

static inline agent_view *desk_view(void) { return agent_screen_view(&the_desk.a); }

/* One hub->console frame, as the net client would hand it over. */
static inline bool desk_frame(const char *json, size_t len)
{
    proto_event ev;
    proto_error err;
    if (!proto_decode(json, len, PROTO_TO_CONSOLE, &ev, &err)) {
        fprintf(stderr, "  frame refused: %s: %.*s\n", err.message,
                (int)(len > 200 ? 200 : len), json);
        return false;
    }
    session_apply(&the_desk.s, &ev);
    proto_free(&ev);
    return true;
}

/* Every frame of tests/screen/fixtures/NAME.jsonl in order ('#' lines and blank lines are
 * comments). false (and a message) when the file is missing or a frame is refused. */
static inline bool desk_feed(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "tests/screen/fixtures/%s.jsonl", name);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "  cannot open %s (run from the repo root)\n", path);
        return false;
    }
    bool ok = true;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        ok = desk_frame(line, (size_t)n) && ok;
    }
    free(line);
    fclose(f);
    return ok;
}

/* One key, read by the front's on_input the way a terminal's would be. */
static inline void desk_key(widget_key k)
{
    if (k & WIDGET_KEY_FN)
        ungetch(k & ~WIDGET_KEY_FN);
    else
        unget_wch((wchar_t)k);
    the_desk.a.front->on_input(&the_desk.a);
}

/* Typed text (UTF-8), one character at a time. */
static inline void desk_type(const char *text)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t len = strlen(text);
    while (len) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, text, len, &st);
        if (n == 0 || n == (size_t)-1 || n == (size_t)-2)
            break;
        desk_key((widget_key)wc);
        text += n;
        len -= n;
    }
}

/* The front's render step: dirty widgets drawn, cursor placed, doupdate. */
static inline void desk_render(void) { the_desk.a.front->render(&the_desk.a); }

/* The terminal changed size: the front's SIGWINCH path. */
static inline void desk_resize(int rows, int cols)
{
    headless_resize(rows, cols);
    the_desk.a.front->on_resize(&the_desk.a);
}

/* From now on the monotonic clock moves only by desk_wait (and desk_mono_shift_ns): a test
 * that counts what happens within a frame time does not depend on how fast it runs. */
static inline void desk_freeze_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    desk_mono_frozen_ns = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec - desk_mono_shift_ns;
}

/* Let `ms` pass on the monotonic clock and run the loop once: timers now due fire. */
static inline void desk_wait(int ms)
{
    desk_mono_shift_ns += (int64_t)ms * 1000000LL;
    lws_service(the_desk.a.ctx, -1);
}

#endif
