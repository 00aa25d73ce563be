/* app.h — the one event loop (../shared/design/EVENT-LOOP.md): libwebsockets' poll is the
 * only place the program waits. Keyboard (a dup of stdin) and signals (a signalfd) are
 * adopted as raw files; the render, clock and other timers are lws sorted-usec lists; the
 * websocket client (net.c) lives in the same context.
 *
 * A front end (the curses screen of a mode, or --linear) plugs in through app_front; the
 * loop calls it and never draws itself. Every exit path goes through app_shutdown(), which
 * is idempotent: normal exit, atexit, out-of-memory and the crash handler all call it. */
#ifndef AGENTDESK_APP_H
#define AGENTDESK_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <libwebsockets.h>

typedef struct app app;

typedef struct app_front {
    const char *name;
    void (*on_input)(app *a);       /* stdin readable (read everything pending) */
    void (*on_input_closed)(app *a);/* stdin reached its end */
    void (*on_resize)(app *a);      /* SIGWINCH burst: size the screen once */
    void (*on_suspend)(app *a);     /* before stopping on SIGTSTP: leave the terminal */
    void (*on_continue)(app *a);    /* after SIGCONT: take the terminal back, redraw */
    void (*render)(app *a);         /* the render timer fired */
    void (*on_tick)(app *a);        /* the clock tick (each second or minute), when enabled */
    void (*restore)(app *a);        /* leave the terminal usable; idempotent */
    void (*save)(app *a);           /* keep what the person typed (drafts) before exit */
} app_front;

/* How often the clock ticks: on the wall-clock second while seconds are on screen (a
 * clock with seconds, a running duration, a retry countdown), else on the minute. */
typedef enum { APP_TICK_OFF, APP_TICK_SECOND, APP_TICK_MINUTE } app_tick;

/* Named one-shot timers a front or mode may arm (one of each at a time). */
typedef enum { APP_TIMER_TOAST, APP_TIMER_USER1, APP_TIMER_USER2, APP_TIMER_COUNT } app_timer;

struct app {
    struct lws_context *ctx;
    struct lws_vhost *vhost;
    const app_front *front;
    void *front_data;               /* the front end's state */
    void *mode_data;                /* the mode's session (model, outbox, net) */
    bool quit;
    int exit_code;
    bool stdin_adopted;
    bool stdin_eof;                 /* set by the front on end of input: stdin is dropped */
    bool stdin_tty;                 /* stdin is a terminal: its end is a hangup */
    bool hung_up;                   /* the terminal went away (SIGHUP, EOF/EIO/POLLHUP) */
    unsigned input_wakeups;         /* stdin wake-ups in the current second (spin guard) */
    int64_t input_second;
    int stdin_fd, sig_fd;
    int saved_stdin_flags;          /* fcntl flags of fd 0 at start, restored at exit */
    bool render_armed;
    app_tick tick;                  /* the clock's period; APP_TICK_OFF none */
    lws_sorted_usec_list_t render_sul, tick_sul;
    struct app_timer_slot {
        lws_sorted_usec_list_t sul;
        void (*fn)(app *a);
        app *owner;
    } timers[APP_TIMER_COUNT];
    uint64_t renders;               /* render callbacks so far (tests, bench) */
    int64_t last_render_us;         /* monotonic start of the last render callback */
    int64_t frame_tat_us;           /* the frame budget: when it is whole again (app_mark_dirty) */
    const char *ca_file;            /* extra CA certificates for wss:// (set before app_init) */
    pid_t child_pid;                /* the demo hub, killed at shutdown; 0 none */
    char *temp_dir;                 /* removed at shutdown (demo) */
};

/* Creates the lws context with the given client protocols (NULL-terminated array, the
 * raw-file protocol is added here), sends lws logs to $AGENTDESK_LOG or nowhere, blocks
 * the signals and adopts stdin (when `adopt_stdin`) and the signalfd. Installs the crash
 * handler and atexit hook. false with a message on failure. */
bool app_init(app *a, const struct lws_protocols *client_protocols, bool adopt_stdin,
              char *err, size_t errlen);
/* Runs until app_quit. Returns a->exit_code. */
int app_run(app *a);
/* Ask the loop to end (wakes it). */
void app_quit(app *a, int code);
/* The terminal went away (SIGHUP; or a terminal stdin at its end, in error, or hung up):
 * stop watching the keyboard and quit with 129. The usual exit path then saves drafts,
 * stops the demo hub and leaves; the outbox is on disk already. */
void app_hangup(app *a, const char *why);
/* Something changed on screen: render once the loop has handled this wake-up when no frame
 * was drawn in the last 16 ms, else at the next 16 ms frame boundary (one timer, armed once). */
void app_mark_dirty(app *a);
/* The clock tick's period. A tick renders in the same wake-up (no second wake for the
 * render timer), so an idle screen wakes once a second at most. */
void app_set_tick(app *a, app_tick period);
/* A one-shot timer in `ms` milliseconds (replaces one already armed in the slot). */
void app_timer_arm(app *a, app_timer slot, uint32_t ms, void (*fn)(app *a));
/* Disarm a slot (a front handing over to another: its timers must not fire on the next). */
void app_timer_cancel(app *a, app_timer slot);
/* Everything back as it was: the front's save, front restored (endwin), stdin flags, demo child stopped and
 * its temp dir removed, lws context destroyed when not inside a callback. Idempotent. */
void app_shutdown(void);
/* Make stdin non-blocking or put its flags back (around SIGTSTP). */
void app_stdin_restore_flags(app *a);
void app_stdin_nonblock(app *a);

#endif
