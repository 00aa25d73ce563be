/* app.c — the one loop: lws context, stdin and signalfd adopted as raw files, timers,
 * and the single idempotent shutdown path. */
#include "agentdesk/app.h"
#include "base/logfile.h"
#include "base/mem.h"
#include "base/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define APP_RAW_PROTOCOL "agentdesk-raw-file"
/* one frame: at most ~60 draws a second however fast events come */
#define APP_FRAME_US (16 * LWS_US_PER_MS)
/* Frames that may be drawn back to back before the budget binds. 4, not 2: one utterance can
 * bring three draws within a few ms (its line, its enrichment, and the clock tick's), and with 2
 * the third waited for the frame boundary: bench_console.sh's paced console (an utterance each
 * 30 ms) had event -> screen p99 16 ms with 2, 4 ms with 4; a flood still draws about 60 a
 * second (bench_console_bytes.sh: at most 40 in one second). */
#define APP_FRAME_BURST 4

static app *the_app;          /* for atexit and signal handlers: one app per process */
static volatile sig_atomic_t shut_down;
static bool in_loop;          /* inside lws_service: the context must not be destroyed */

/* ---- logging: base/logfile.c, to $AGENTDESK_LOG only ---- */

static void log_open(void)
{
    logfile_open(getenv("AGENTDESK_LOG"));
    lws_set_log_level(logfile_enabled() ? (LLL_ERR | LLL_WARN) : 0, logfile_lws);
}

/* ---- shutdown ---- */

void app_stdin_restore_flags(app *a)
{
    if (a->saved_stdin_flags >= 0) fcntl(STDIN_FILENO, F_SETFL, a->saved_stdin_flags);
}

void app_stdin_nonblock(app *a)
{
    if (a->saved_stdin_flags >= 0) fcntl(STDIN_FILENO, F_SETFL, a->saved_stdin_flags | O_NONBLOCK);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static void stop_child(app *a)
{
    if (a->child_pid <= 0) return;
    kill(a->child_pid, SIGTERM);
    /* give it a moment to close its database cleanly, then insist */
    for (int i = 0; i < 50; i++) {
        if (waitpid(a->child_pid, NULL, WNOHANG) == a->child_pid) { a->child_pid = 0; return; }
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(a->child_pid, SIGKILL);
    waitpid(a->child_pid, NULL, 0);
    a->child_pid = 0;
}

void app_shutdown(void)
{
    app *a = the_app;
    if (shut_down || !a) return;
    shut_down = 1;
    if (a->front && a->front->save) a->front->save(a);
    if (a->front && a->front->restore) a->front->restore(a);
    app_stdin_restore_flags(a);
    stop_child(a);
    if (a->temp_dir) {
        nftw(a->temp_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(a->temp_dir);
        a->temp_dir = NULL;
    }
    if (a->ctx && !in_loop) {
        lws_context_destroy(a->ctx);
        a->ctx = NULL;
    }
    if (a->sig_fd >= 0) { close(a->sig_fd); a->sig_fd = -1; }
    logfile_close();
}

/* A crash: leave the terminal usable and stop the demo hub, then die of the same signal. */
static void crash_handler(int sig)
{
    app *a = the_app;
    if (a && !shut_down) {
        shut_down = 1;
        if (a->front && a->front->restore) a->front->restore(a);
        app_stdin_restore_flags(a);
        if (a->child_pid > 0) { kill(a->child_pid, SIGKILL); waitpid(a->child_pid, NULL, 0); }
        /* not async-signal-safe, but the process is dying anyway: a leftover demo
         * database in /tmp is worse than the small risk */
        if (a->temp_dir) nftw(a->temp_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_crash_handler(void)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = crash_handler;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* ---- raw files: keyboard and signals ---- */

static void read_signals(app *a)
{
    struct signalfd_siginfo si[16];
    bool winch = false;
    for (;;) {
        ssize_t n = read(a->sig_fd, si, sizeof si);
        if (n <= 0) break;
        for (size_t i = 0; i < (size_t)n / sizeof *si; i++) {
            switch (si[i].ssi_signo) {
            case SIGWINCH: winch = true; break;
            case SIGTSTP:
                if (a->front && a->front->on_suspend) a->front->on_suspend(a);
                app_stdin_restore_flags(a);
                raise(SIGSTOP);
                /* running again: SIGCONT is pending and handled below or next read */
                break;
            case SIGCONT:
                app_stdin_nonblock(a);
                if (a->front && a->front->on_continue) a->front->on_continue(a);
                app_mark_dirty(a);
                break;
            case SIGHUP:
                app_hangup(a, "SIGHUP");
                break;
            case SIGINT: case SIGTERM:
                logfile_write("signal %u: quitting", si[i].ssi_signo);
                app_quit(a, si[i].ssi_signo == SIGINT ? 130 : 0);
                break;
            default: break;
            }
        }
    }
    /* a burst of SIGWINCH becomes one resize */
    if (winch && a->front && a->front->on_resize) {
        a->front->on_resize(a);
        app_mark_dirty(a);
    }
}

/* A terminal on stdin is gone when poll says hung up or in error. When it still says
 * readable but no key comes out (EIO: the session lost its terminal), the front is woken in
 * a loop: more wake-ups in one second than any typist or paste makes means the same. */
#define APP_INPUT_WAKEUPS_MAX 2000

static bool terminal_gone(app *a)
{
    struct pollfd p = {.fd = a->stdin_fd, .events = POLLIN};
    if (poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL))) return true;
    int64_t now = clock_mono_ms() / 1000;
    if (now != a->input_second) { a->input_second = now; a->input_wakeups = 0; }
    return ++a->input_wakeups > APP_INPUT_WAKEUPS_MAX;
}

void app_hangup(app *a, const char *why)
{
    logfile_write("terminal gone (%s): saving and quitting", why);
    a->hung_up = true;
    a->stdin_eof = true;   /* stop watching it: a hung-up fd is readable forever */
    app_quit(a, 129);
}

static int raw_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                        void *in, size_t len)
{
    (void)user; (void)in; (void)len;
    app *a = lws_context_user(lws_get_context(wsi));
    if (!a) return 0;
    int fd = lws_get_socket_fd(wsi);
    switch (reason) {
    case LWS_CALLBACK_RAW_RX_FILE:
        if (fd == a->sig_fd) read_signals(a);
        else if (fd == a->stdin_fd && a->front && a->front->on_input) a->front->on_input(a);
        if (fd == a->stdin_fd && a->stdin_tty && !a->quit && terminal_gone(a))
            app_hangup(a, "the keyboard reached its end");
        /* the end of input: stop watching it, or poll would report it readable forever */
        if (fd == a->stdin_fd && a->stdin_eof) return -1;
        break;
    case LWS_CALLBACK_RAW_CLOSE_FILE:
        if (fd == a->stdin_fd && a->stdin_adopted) {
            a->stdin_adopted = false;
            if (!a->stdin_eof && a->front && a->front->on_input_closed) a->front->on_input_closed(a);
            a->stdin_eof = true;
        }
        break;
    default: break;
    }
    return 0;
}

static bool adopt(app *a, int fd)
{
    lws_sock_file_fd_type u;
    u.filefd = fd;
    return lws_adopt_descriptor_vhost(a->vhost, LWS_ADOPT_RAW_FILE_DESC, u, APP_RAW_PROTOCOL,
                                      NULL) != NULL;
}

/* ---- timers ---- */

static void render_cb(lws_sorted_usec_list_t *sul)
{
    app *a = lws_container_of(sul, app, render_sul);
    a->render_armed = false;
    a->renders++;
    a->last_render_us = clock_mono_us();
    /* a draw spends one frame of the budget (see app_mark_dirty); a draw outside it (the
     * clock tick's) cannot overdraw it beyond empty */
    int64_t now = a->last_render_us;
    int64_t tat = (a->frame_tat_us > now ? a->frame_tat_us : now) + APP_FRAME_US;
    a->frame_tat_us = tat < now + APP_FRAME_BURST * APP_FRAME_US ? tat : now + APP_FRAME_BURST * APP_FRAME_US;
    if (a->front && a->front->render) a->front->render(a);
}

/* Leading edge with a frame budget (GCRA, a token bucket of APP_FRAME_BURST frames refilled
 * at one frame each APP_FRAME_US): while the budget holds a frame, draw as soon as the loop
 * has handled what woke it (a zero timer: every frame read in this wake-up lands in the same
 * draw); else when it holds one again. A lone event is on screen at once, and so is the
 * enrichment frame the hub sends a few ms after it (which a plain "one frame each 16 ms"
 * would hold for the rest of the frame); a flood still draws at most one frame each
 * APP_FRAME_US on average, APP_FRAME_BURST - 1 more at its start. */
void app_mark_dirty(app *a)
{
    if (a->render_armed || !a->ctx) return;
    a->render_armed = true;
    const int64_t tolerance = (APP_FRAME_BURST - 1) * APP_FRAME_US;
    int64_t ahead = a->frame_tat_us - clock_mono_us();   /* how far the budget is spent ahead */
    lws_usec_t wait = a->renders == 0 || ahead <= tolerance ? 0 : (lws_usec_t)(ahead - tolerance);
    lws_sul_schedule(a->ctx, 0, &a->render_sul, render_cb, wait);
}

static void schedule_tick(app *a);

static void tick_cb(lws_sorted_usec_list_t *sul)
{
    app *a = lws_container_of(sul, app, tick_sul);
    if (a->tick == APP_TICK_OFF) return;
    if (a->front && a->front->on_tick) a->front->on_tick(a);
    /* draw now rather than wake again in 16 ms for what this tick marked */
    if (a->render_armed) {
        lws_sul_cancel(&a->render_sul);
        render_cb(&a->render_sul);
    }
    if (a->tick != APP_TICK_OFF) schedule_tick(a);
}

static void schedule_tick(app *a)
{
    /* wake on the next wall-clock second (or minute), so a shown clock ticks in step */
    int64_t period = a->tick == APP_TICK_MINUTE ? 60000 : 1000;
    int64_t ms = period - clock_wall_ms() % period;
    lws_sul_schedule(a->ctx, 0, &a->tick_sul, tick_cb, (lws_usec_t)ms * LWS_US_PER_MS + 2000);
}

void app_set_tick(app *a, app_tick period)
{
    if (period == a->tick || !a->ctx) return;
    a->tick = period;
    if (period != APP_TICK_OFF) schedule_tick(a);
    else lws_sul_cancel(&a->tick_sul);
}

static void timer_cb(lws_sorted_usec_list_t *sul)
{
    struct app_timer_slot *slot = lws_container_of(sul, struct app_timer_slot, sul);
    if (slot->fn) slot->fn(slot->owner);
}

void app_timer_arm(app *a, app_timer t, uint32_t ms, void (*fn)(app *a))
{
    a->timers[t].fn = fn;
    a->timers[t].owner = a;
    lws_sul_schedule(a->ctx, 0, &a->timers[t].sul, timer_cb, (lws_usec_t)ms * LWS_US_PER_MS);
}

void app_timer_cancel(app *a, app_timer t)
{
    lws_sul_cancel(&a->timers[t].sul);
    a->timers[t].fn = NULL;
}

/* ---- init / run ---- */

bool app_init(app *a, const struct lws_protocols *client_protocols, bool adopt_stdin,
              char *err, size_t errlen)
{
    a->stdin_fd = -1;
    a->sig_fd = -1;
    a->saved_stdin_flags = -1;
    the_app = a;
    log_open();
    install_crash_handler();
    atexit(app_shutdown);
    mem_set_fatal_hook(app_shutdown);

    sigset_t mask;
    sigemptyset(&mask);
    int sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaddset(&mask, sigs[i]);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0 ||
        (a->sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
        snprintf(err, errlen, "signalfd: %s", strerror(errno));
        return false;
    }

    static struct lws_protocols protocols[8];
    size_t np = 0;
    for (; client_protocols && client_protocols[np].name && np < 6; np++)
        protocols[np] = client_protocols[np];
    protocols[np++] = (struct lws_protocols){APP_RAW_PROTOCOL, raw_callback, 0, 0, 0, NULL, 0};
    protocols[np] = (struct lws_protocols){NULL, NULL, 0, 0, 0, NULL, 0};

    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.user = a;
    info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.client_ssl_ca_filepath = a->ca_file;
    info.gid = (gid_t)-1;
    info.uid = (uid_t)-1;
    a->ctx = lws_create_context(&info);
    if (!a->ctx) { snprintf(err, errlen, "cannot create the libwebsockets context"); return false; }
    a->vhost = lws_get_vhost_by_name(a->ctx, "default");
    if (!a->vhost) { snprintf(err, errlen, "no default vhost"); return false; }
    if (!adopt(a, a->sig_fd)) { snprintf(err, errlen, "cannot watch signals"); return false; }
    /* no standard input at all (a service, CI) is not an error: there are just no keys */
    if (adopt_stdin && fcntl(STDIN_FILENO, F_GETFL) >= 0) {
        a->saved_stdin_flags = fcntl(STDIN_FILENO, F_GETFL);
        a->stdin_tty = isatty(STDIN_FILENO);
        a->stdin_fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
        if (a->stdin_fd < 0 || !adopt(a, a->stdin_fd)) {
            snprintf(err, errlen, "cannot watch standard input");
            return false;
        }
        a->stdin_adopted = true;
    }
    return true;
}

void app_quit(app *a, int code)
{
    a->quit = true;
    a->exit_code = code;
    if (a->ctx) lws_cancel_service(a->ctx);
}

int app_run(app *a)
{
    in_loop = true;
    while (!a->quit && lws_service(a->ctx, 0) >= 0)
        ;
    in_loop = false;
    return a->exit_code;
}
