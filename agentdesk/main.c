/* main.c — `agentdesk`: options, config, token, and the mode table. A mode is a front end
 * over the same app loop, session (model, outbox, net) and widgets: the agent console, and
 * the trainer's player (`replay`, its options its own, replay_main.c) and the supervisor's floor
 * (`monitor`). A new mode is one more row in `modes`. The role the hub's welcome names decides
 * too: a supervisor in plain `agentdesk` gets the floor, an agent asking for `monitor` is
 * refused. */
#include "agentdesk/agent_keys.h"
#include "agentdesk/agent_screen.h"
#include "agentdesk/app.h"
#include "agentdesk/config.h"
#include "agentdesk/demo.h"
#include "agentdesk/keys.h"
#include "agentdesk/linear.h"
#include "agentdesk/monitor_keys.h"
#include "agentdesk/monitor_linear.h"
#include "agentdesk/monitor_screen.h"
#include "agentdesk/options.h"
#include "base/logfile.h"
#include "base/mem.h"
#include "agentdesk/outbox.h"
#include "agentdesk/replay_main.h"
#include "agentdesk/session.h"
#include "agentdesk/state.h"
#include "proto/catalogue.h"
#include "base/text.h"
#include "widgets/theme.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define EXIT_NOT_SUPERVISOR 3   /* `monitor` with a token that is not a supervisor's */

typedef struct {
    const char *url, *token_file, *theme, *config_path, *ca_file, *alert;
    bool linear, demo;
    long scrollback;
} options;

typedef struct {
    const char *subcommand;    /* NULL: the default mode (no subcommand) */
    const char *summary;
    int (*run)(const options *o);
    int (*main)(int argc, char **argv, replay_theme_loader load_theme);   /* a mode with options of its own */
} mode_entry;

static int run_agent(const options *o);
static int run_monitor(const options *o);

static const mode_entry modes[] = {
    {NULL, "the agent console: live transcript, assist, reply, wrap-up", run_agent, NULL},
    {"monitor", "the supervisor's floor: every live interaction, worst first (supervisors)", run_monitor, NULL},
    {"replay", "the trainer's player: a recording's timeline, seek, flags, notes, export", NULL, replay_main},
};

static bool load_theme(const char *name, theme *t, char *err, size_t errlen);

/* What the welcome decides: which front the role gets. */
typedef struct {
    bool monitor;               /* the monitor mode was asked for */
    bool linear;
    bool switched;              /* the agent front handed over to the floor */
    const keys_table *mkeys;
    const theme *th;
    char refused[400];
} role_route;

static void route_role(session *s, void *ud)
{
    role_route *r = ud;
    const char *role = s->model.role ? s->model.role : "";
    bool supervisor = strcmp(role, "supervisor") == 0;
    if (r->monitor && !supervisor) {
        snprintf(r->refused, sizeof r->refused, "monitor is for supervisors: this token signs in "
                 "%s as %s; run agentdesk without \"monitor\" for the agent console",
                 s->model.user ? s->model.user : "?", *role ? role : "no role");
        /* nothing of what follows in this read is for this person's eyes */
        static const session_listener deaf = {0};
        session_set_listener(s, &deaf, NULL);
        app_quit(s->app, EXIT_NOT_SUPERVISOR);
        return;
    }
    if (r->monitor || !supervisor || r->switched) return;
    /* a supervisor in plain agentdesk: the floor, not "Mine" with an agent's powers */
    r->switched = true;
    char err[300];
    if (r->linear) {
        monitor_linear_attach(s->app, s);
        return;
    }
    agent_screen_free(s->app);
    if (!monitor_screen_attach(s->app, s, r->mkeys, r->th, true, err, sizeof err)) {
        snprintf(r->refused, sizeof r->refused, "%s", err);
        app_quit(s->app, 1);
    }
}

static int run_console(const options *o, bool monitor);

static int run_agent(const options *o) { return run_console(o, false); }
static int run_monitor(const options *o) { return run_console(o, true); }

static void usage(FILE *out)
{
    fprintf(out, "usage: agentdesk [OPTIONS]\n\n");
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++)
        fprintf(out, "  agentdesk%s%s  %s\n", modes[i].subcommand ? " " : "",
                modes[i].subcommand ? modes[i].subcommand : "", modes[i].summary);
    fprintf(out, "\noptions:\n");
    for (size_t i = 0; i < console_option_count; i++) {
        const console_option *opt = &console_options[i];
        char left[40];
        snprintf(left, sizeof left, "%s%s%s", opt->name, opt->arg ? " " : "", opt->arg ? opt->arg : "");
        fprintf(out, "  %-22s %s\n", left, opt->help);
    }
    fprintf(out, "\nenvironment: AGENTDESK_TOKEN, NO_COLOR, XDG_CONFIG_HOME, XDG_STATE_HOME,\n"
                 "AGENTDESK_LOG (log file). Keys: press ? in the console, or see agentdesk(1).\n");
}

static int usage_error(const char *fmt, const char *arg)
{
    char *clean = arg ? text_clean(arg, strlen(arg), 0, NULL) : NULL;
    fprintf(stderr, "agentdesk: ");
    fprintf(stderr, fmt, clean ? clean : "");
    fprintf(stderr, "\n(see agentdesk --help)\n");
    free(clean);
    return EXIT_USAGE;
}

/* 0 parsed, 1 help/version printed, or EXIT_USAGE (message printed). */
static int parse_options(int argc, char **argv, int start, options *o)
{
    for (int i = start; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) { usage(stdout); return 1; }
        if (strcmp(a, "--version") == 0) {
            printf("agentdesk %s (protocol %d)\n", AGENTDESK_VERSION, PROTO_VERSION);
            return 1;
        }
        if (strcmp(a, "--linear") == 0) { o->linear = true; continue; }
        if (strcmp(a, "--demo") == 0) { o->demo = true; continue; }
        if (strcmp(a, "--url") == 0) slot = &o->url;
        else if (strcmp(a, "--token-file") == 0) slot = &o->token_file;
        else if (strcmp(a, "--theme") == 0) slot = &o->theme;
        else if (strcmp(a, "--config") == 0) slot = &o->config_path;
        else if (strcmp(a, "--ca") == 0) slot = &o->ca_file;
        else if (strcmp(a, "--alert") == 0) slot = &o->alert;
        else if (strcmp(a, "--scrollback") == 0) {
            if (i + 1 >= argc) return usage_error("%s needs a value", a);
            char *end;
            o->scrollback = strtol(argv[++i], &end, 10);
            if (*end || o->scrollback < 100 || o->scrollback > 1000000)
                return usage_error("--scrollback: expected 100..1000000, got \"%s\"", argv[i]);
            continue;
        }
        else if (strcmp(a, "--token") == 0)
            return usage_error("%s: a token on the command line is visible to every user; use --token-file or AGENTDESK_TOKEN", a);
        else return usage_error("unknown option \"%s\"", a);
        if (i + 1 >= argc) return usage_error("%s needs a value", a);
        *slot = argv[++i];
    }
    return 0;
}

/* The token: --token-file, else $AGENTDESK_TOKEN, else the config's token_file. */
static char *load_token(const char *path, char *err, size_t errlen)
{
    if (path) return config_load_token(path, err, errlen);
    const char *env = getenv("AGENTDESK_TOKEN");
    if (!env || !*env) {
        snprintf(err, errlen, "no token: use --token-file FILE or set AGENTDESK_TOKEN");
        return NULL;
    }
    return config_token_ok(env, "AGENTDESK_TOKEN", err, errlen) ? mem_strdup(env) : NULL;
}

static bool load_theme(const char *name, theme *t, char *err, size_t errlen)
{
    char *self = demo_self_dir();
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char *user = xdg && *xdg ? mem_printf("%s/agentdesk/themes", xdg)
                             : mem_printf("%s/.config/agentdesk/themes", home ? home : "/nonexistent");
    char *build = mem_printf("%s/../themes", self ? self : ".");
    const char *dirs[] = {user, build, AGENTDESK_PREFIX "/share/agentdesk/themes", "themes"};
    bool ok = theme_load_named(t, name, dirs, sizeof dirs / sizeof *dirs, err, errlen) == 0;
    free(self); free(user); free(build);
    return ok;
}

static int fail(const char *what, const char *err)
{
    app_shutdown();
    fprintf(stderr, "agentdesk: %s%s%s\n", what ? what : "", what ? ": " : "", err);
    return 1;
}

/* A usage or config error before the loop: free what was read, exit 2. */
static int start_failed(config *cfg, char *cfg_path, keys_table *keys, keys_table *mkeys)
{
    if (keys) keys_free(keys);
    if (mkeys) keys_free(mkeys);
    config_free(cfg);
    free(cfg_path);
    return EXIT_USAGE;
}

/* The config's overrides (PREFIX NAME = KEYS lines) over a key table; false, said on stderr,
 * when one names no action or a key the notation does not know, or two actions share a key. */
static bool override_keys(keys_table *t, const config *cfg, const config_key *ks, size_t n, const char *prefix)
{
    for (size_t i = 0; i < n; i++) {
        char kerr[200];
        if (!keys_set(t, ks[i].action, ks[i].keys, kerr, sizeof kerr)) {
            fprintf(stderr, "agentdesk: %s:%d: %s%s: %s\n", cfg->source, ks[i].line, prefix, ks[i].action, kerr);
            return false;
        }
    }
    const char *other = NULL, *clash = keys_conflict(t, &other);
    if (clash)
        fprintf(stderr, "agentdesk: %s: %s%s and %s%s share a key\n", cfg->source ? cfg->source : "keys", prefix,
                clash, prefix, other);
    return !clash;
}

static int run_console(const options *o, bool monitor)
{
    char err[1024];
    config cfg;
    config_init(&cfg);
    char *cfg_path = o->config_path ? mem_strdup(o->config_path) : config_default_path();
    if (cfg_path && config_load(&cfg, cfg_path, o->config_path != NULL, err, sizeof err) != 0) {
        fprintf(stderr, "agentdesk: %s\n", err);
        return start_failed(&cfg, cfg_path, NULL, NULL);
    }
    /* the agent's keys and the floor's (a supervisor may be handed the floor at welcome,
     * whichever mode), each with the config's overrides */
    keys_table keys, mkeys;
    keys_init(&keys, agent_keys_actions, AK__COUNT);
    keys_init_letters(&mkeys, monitor_keys_actions, MK__COUNT);
    if (!override_keys(&keys, &cfg, cfg.keys, cfg.n_keys, "key.") ||
        !override_keys(&mkeys, &cfg, cfg.monitor_keys, cfg.n_monitor_keys, "monitor.key."))
        return start_failed(&cfg, cfg_path, &keys, &mkeys);
    theme th;
    theme_builtin(&th);
    const char *theme_name = o->theme ? o->theme : cfg.theme ? cfg.theme : "dark";
    if (!o->linear && !load_theme(theme_name, &th, err, sizeof err)) {
        /* a theme the user named must work; the default falls back to plain attributes */
        if (o->theme || cfg.theme) {
            fprintf(stderr, "agentdesk: theme: %s\n", err);
            return start_failed(&cfg, cfg_path, &keys, &mkeys);
        }
        logfile_write("default theme not loaded (%s): using the built-in one", err);
        theme_builtin(&th);
    }
    agent_alert alert = AGENT_ALERT_BELL;
    const char *alert_name = o->alert ? o->alert : cfg.alert;
    if (alert_name && !agent_alert_parse(alert_name, &alert)) {
        fprintf(stderr, "agentdesk: %s: expected bell, flash or off, got \"%s\"\n",
                o->alert ? "--alert" : "config alert", alert_name);
        return start_failed(&cfg, cfg_path, &keys, &mkeys);
    }
    char *token = NULL;
    if (o->demo) token = mem_strdup(monitor ? DEMO_SUPERVISOR_TOKEN : DEMO_TOKEN);
    else if (!(token = load_token(o->token_file ? o->token_file : getenv("AGENTDESK_TOKEN") ? NULL : cfg.token_file,
                                  err, sizeof err))) {
        fprintf(stderr, "agentdesk: %s\n", err);
        return start_failed(&cfg, cfg_path, &keys, &mkeys);
    }

    static app a;
    char *ca = o->ca_file ? mem_strdup(o->ca_file) : cfg.ca_file ? config_expand_home(cfg.ca_file) : NULL;
    a.ca_file = ca;
    if (!app_init(&a, net_protocols(), true, err, sizeof err)) return fail(NULL, err);
    char *url = mem_strdup(o->url ? o->url : cfg.url ? cfg.url : CONSOLE_DEFAULT_URL);
    /* the floor joins the demo hub `make demo` runs, when there is one */
    if (o->demo && monitor && demo_running(&url)) {
        /* url now names it */
    } else if (o->demo) {
        free(url);
        url = NULL;
        /* the demo's recordings outlive it, for `agentdesk replay` (README, agentdesk(1)) */
        char rec_err[300];
        char *sdir = state_dir(rec_err, sizeof rec_err);
        char *rec = sdir ? mem_printf("%s/demo-recordings", sdir) : NULL;
        free(sdir);
        bool started = demo_start(&a, rec, &url, err, sizeof err);
        free(rec);
        if (!started) return fail("--demo", err);
        if (!monitor) demo_publish(&a, url);
    }
    /* the outbox and drafts belong to this hub and this identity (state.h); every demo hub is
     * the same "demo" hub, whatever its port */
    char state_err[400] = "";
    char *dir = state_dir(state_err, sizeof state_err);
    char *outbox_path = dir ? state_file(dir, "outbox", o->demo ? "demo" : url, token) : NULL;
    char *drafts_path = dir ? state_file(dir, "drafts", o->demo ? "demo" : url, token) : NULL;
    char *legacy = NULL;
    size_t n_legacy = dir ? state_legacy_outbox(dir, &legacy) : 0;
    free(dir);
    static session s;
    size_t scrollback = o->scrollback > 0 ? (size_t)o->scrollback : MODEL_DEFAULT_SCROLLBACK;
    if (!session_init(&s, &a, url, token, outbox_path, scrollback, err, sizeof err)) return fail(NULL, err);
    if (!outbox_path) s.not_saved = mem_strdup(state_err);
    /* an older version's single outbox: which hub it was for is not known, so it is kept
     * and said, never sent to whichever hub this is */
    if (n_legacy)
        s.start_warning = mem_printf("%zu action(s) from an older version wait in %s: not sent "
                                     "(the hub they were for is not known)", n_legacy, legacy);
    free(legacy);
    explicit_bzero(token, strlen(token));
    free(token);
    static role_route route;
    route = (role_route){.monitor = monitor, .linear = o->linear, .mkeys = &mkeys, .th = &th};
    s.on_welcome = route_role;
    s.welcome_ud = &route;
    if (monitor && o->linear) {
        monitor_linear_attach(&a, &s);
    } else if (monitor) {
        if (!monitor_screen_attach(&a, &s, &mkeys, &th, false, err, sizeof err)) return fail(NULL, err);
    } else if (o->linear) {
        linear_attach(&a, &s);
        linear_set_bell(&a, o->alert && alert != AGENT_ALERT_OFF);   /* off unless asked */
        if (session_unsent(&s))
            printf("info: %zu action(s) from an earlier run will be sent\n", session_unsent(&s));
    } else if (!agent_screen_attach(&a, &s, &keys, &th, drafts_path, err, sizeof err)) {
        return fail(NULL, err);
    } else {
        agent_screen_set_alert(&a, alert);
    }
    session_start(&s);
    int rc = app_run(&a);
    session_stop(&s);
    app_shutdown();
    const char *stats = getenv("AGENTDESK_STATS");
    if (stats && *stats) session_write_stats(&s, stats);
    bool floor = monitor || route.switched;
    if (!o->linear && floor) monitor_screen_free(&a);
    else if (!o->linear) agent_screen_free(&a);
    if (route.refused[0]) fprintf(stderr, "agentdesk: %s\n", route.refused);
    /* said after the terminal is given back, so it stays on screen */
    if (a.hung_up) logfile_write("quit: the terminal went away");
    if (session_unsent(&s) && outbox_path)
        fprintf(stderr, "agentdesk: %zu action(s) not yet acknowledged are kept in %s\n",
                session_unsent(&s), outbox_path);
    else if (session_unsent(&s))
        fprintf(stderr, "agentdesk: %zu action(s) not yet acknowledged are lost: not saved: %s\n",
                session_unsent(&s), state_err);
    if (!outbox_path) fprintf(stderr, "agentdesk: not saved: %s\n", state_err);
    else if (!o->linear && !floor && *agent_screen_save_error(&a))
        fprintf(stderr, "agentdesk: drafts not saved: %s\n", agent_screen_save_error(&a));
    session_free(&s);
    keys_free(&keys);
    keys_free(&mkeys);
    config_free(&cfg);
    free(url);
    free(outbox_path);
    free(drafts_path);
    free(cfg_path);
    free(ca);
    return rc;
}

int main(int argc, char **argv)
{
    const char *sub = argc > 1 && argv[1][0] != '-' ? argv[1] : NULL;
    const mode_entry *mode = NULL;
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        const char *name = modes[i].subcommand;
        if ((!name && !sub) || (name && sub && strcmp(name, sub) == 0)) mode = &modes[i];
    }
    if (!mode) {
        fprintf(stderr, "agentdesk: unknown command \"%s\"\n", sub);
        usage(stderr);
        return EXIT_USAGE;
    }
    if (mode->main) return mode->main(argc - 1, argv + 1, load_theme);
    options o = {0};
    int rc = parse_options(argc, argv, sub ? 2 : 1, &o);
    if (rc) return rc == 1 ? 0 : rc;
    return mode->run(&o);
}
