/* replay_main.c — `agentdesk replay` (see replay_main.h and agentdesk(1), REPLAY). */
#include "agentdesk/replay_main.h"
#include "agentdesk/app.h"
#include "agentdesk/config.h"
#include "agentdesk/demo.h"
#include "agentdesk/net.h"
#include "agentdesk/recording.h"
#include "agentdesk/replay_hub.h"
#include "agentdesk/replay_keys.h"
#include "agentdesk/replay_notes.h"
#include "agentdesk/replay_screen.h"
#include "agentdesk/replay_text.h"
#include "agentdesk/replay_timeline.h"
#include "agentdesk/scorecard.h"
#include "agentdesk/scorecard_evidence.h"
#include "agentdesk/session.h"
#include "agentdesk/state.h"
#include "base/mem.h"
#include "base/text.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_USAGE 2
#define REPLAY_DEFAULT_SCROLLBACK 2000
#define REPLAY_DEFAULT_CARD "contact-centre-qa"

typedef struct {
    const char *file, *theme, *export_fmt, *scorecard;
    const char *url, *token_file, *sort, *queue, *agent, *iid, *verdict, *tags, *comment;
    bool list, exemplars;
    bool demo, linear, play;
    double speed;
    bool speed_set;
    long scrollback;
} replay_options;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: agentdesk replay FILE [OPTIONS]   play a hub recording (JSONL), no hub needed\n"
            "       agentdesk replay --demo [OPTIONS] play a recording made by `agentdesk --demo`\n"
            "       agentdesk replay --url URL --list [--sort recent|recovery|handle|flags]\n"
            "                        [--queue Q] [--agent A] [--exemplars]   the hub's recordings by outcome,\n"
            "                        exemplars first; pick one to play (a trainer's token)\n"
            "       agentdesk replay --url URL --iid IID [OPTIONS]           play one of the hub's recordings\n"
            "       agentdesk replay --url URL --confirm|--reject|--clear IID [--tags T] [--comment C]\n"
            "                                                              a verdict on an exemplar\n\n"
            "options:\n"
            "  --token-file FILE    the trainer's token (else $AGENTDESK_TOKEN)\n"
            "  --speed X            0.25 to 16 (default 1); with --linear, 0 prints at once\n"
            "  --play               start playing (default: paused at the start)\n"
            "  --linear             print the timeline as lines at the chosen speed\n"
            "  --export md|json     write transcript, flags, notes and score card to stdout\n"
            "  --scorecard FILE     the score card form (default: data/scorecards/%s.json)\n"
            "  --theme NAME         the screen's theme\n"
            "  --scrollback N       transcript lines kept (100..100000, default %d)\n\n"
            "Notes are kept beside the recording in FILE.notes.json. Keys: press ? in the player,\n"
            "or see agentdesk(1), REPLAY.\n", REPLAY_DEFAULT_CARD, REPLAY_DEFAULT_SCROLLBACK);
}

static int usage_error(const char *fmt, const char *arg)
{
    char *clean = text_clean(arg ? arg : "", strlen(arg ? arg : ""), TEXT_SINGLE_LINE, NULL);
    fprintf(stderr, "agentdesk replay: ");
    fprintf(stderr, fmt, clean);
    fprintf(stderr, "\n(see agentdesk replay --help)\n");
    free(clean);
    return EXIT_USAGE;
}

static bool hub_option(const char *a)
{
    static const char *const names[] = {"--url", "--token-file", "--sort", "--queue", "--agent", "--iid",
                                        "--confirm", "--reject", "--clear", "--tags", "--comment"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(a, names[i])) return true;
    return false;
}

/* false only for a --sort the hub does not know */
static bool set_hub_option(replay_options *o, const char *a, const char *val)
{
    if (!strcmp(a, "--url")) o->url = val;
    else if (!strcmp(a, "--token-file")) o->token_file = val;
    else if (!strcmp(a, "--queue")) o->queue = val;
    else if (!strcmp(a, "--agent")) o->agent = val;
    else if (!strcmp(a, "--iid")) o->iid = val;
    else if (!strcmp(a, "--tags")) o->tags = val;
    else if (!strcmp(a, "--comment")) o->comment = val;
    else if (!strcmp(a, "--sort")) {
        if (strcmp(val, "recent") && strcmp(val, "recovery") && strcmp(val, "handle") && strcmp(val, "flags"))
            return false;
        o->sort = val;
    } else {
        o->iid = val;
        o->verdict = a[3] == 'o' ? "confirmed" : a[3] == 'e' ? "rejected" : "cleared";
    }
    return true;
}

/* --url: the list, a download, or a verdict. The recording's path (malloc'd) to play; NULL
 * with *rc set when there is nothing to play. */
static char *from_hub(const replay_options *o, bool ask, int *rc)
{
    char err[1024];
    const char *env = getenv("AGENTDESK_TOKEN");
    char *token = o->token_file ? config_load_token(o->token_file, err, sizeof err)
                  : env && *env && config_token_ok(env, "AGENTDESK_TOKEN", err, sizeof err) ? mem_strdup(env) : NULL;
    if (!token && !o->token_file && !(env && *env))
        snprintf(err, sizeof err, "no token: use --token-file FILE or set AGENTDESK_TOKEN (a trainer's)");
    *rc = 1;
    if (!token) { fprintf(stderr, "agentdesk replay: %s\n", err); return NULL; }
    replay_hub_request rq = {.url = o->url, .token = token, .sort = o->sort, .queue = o->queue, .agent = o->agent,
                             .exemplars = o->exemplars, .iid = o->iid, .verdict = o->verdict, .tags = o->tags,
                             .comment = o->comment, .ask = ask};
    char *path = NULL;
    if (o->verdict) {
        if (replay_hub_verdict(&rq, err, sizeof err)) {
            printf("%s: %s\n", o->iid, o->verdict);
            *rc = 0;
        } else fprintf(stderr, "agentdesk replay: %s\n", err);
    } else if (!(path = replay_hub_fetch(&rq, err, sizeof err))) {
        if (*err) fprintf(stderr, "agentdesk replay: %s\n", err);
        else *rc = 0;   /* listed, nothing to play */
    }
    free(token);
    return path;
}

/* 0 parsed, 1 help printed, or EXIT_USAGE. */
static int parse(int argc, char **argv, replay_options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) { usage(stdout); return 1; }
        else if (strcmp(a, "--demo") == 0) o->demo = true;
        else if (strcmp(a, "--linear") == 0) o->linear = true;
        else if (strcmp(a, "--play") == 0) o->play = true;
        else if (strcmp(a, "--list") == 0) o->list = true;
        else if (strcmp(a, "--exemplars") == 0) o->exemplars = true;
        else if (hub_option(a)) {
            if (!val) return usage_error("%s needs a value", a);
            i++;
            if (!set_hub_option(o, a, val)) return usage_error("--sort: expected recent, recovery, handle or flags, got \"%s\"", val);
        }
        else if (strcmp(a, "--speed") == 0 || strcmp(a, "--export") == 0 || strcmp(a, "--theme") == 0 ||
                 strcmp(a, "--scrollback") == 0 || strcmp(a, "--scorecard") == 0) {
            if (!val) return usage_error("%s needs a value", a);
            i++;
            if (strcmp(a, "--scorecard") == 0) { o->scorecard = val; continue; }
            char *end;
            if (a[2] == 's' && a[3] == 'p') {
                o->speed = strtod(val, &end);
                o->speed_set = true;
                if (end == val || *end) return usage_error("--speed: expected a number, got \"%s\"", val);
            } else if (a[2] == 'e') {
                if (strcmp(val, "md") != 0 && strcmp(val, "json") != 0)
                    return usage_error("--export: expected md or json, got \"%s\"", val);
                o->export_fmt = val;
            } else if (a[2] == 't') {
                o->theme = val;
            } else {
                o->scrollback = strtol(val, &end, 10);
                if (*end || o->scrollback < 100 || o->scrollback > 100000)
                    return usage_error("--scrollback: expected 100..100000, got \"%s\"", val);
            }
        } else if (a[0] == '-') return usage_error("unknown option \"%s\"", a);
        else if (o->file) return usage_error("one recording at a time (\"%s\" is a second)", a);
        else o->file = a;
    }
    bool hub = o->url != NULL;
    if ((o->list || o->iid || o->verdict) && !hub) return usage_error("%s--list, --iid and verdicts need --url", "");
    if (hub && !o->list && !o->iid && !o->verdict) return usage_error("%swith --url: --list, --iid IID, or --confirm IID", "");
    if (hub && (o->file || o->demo)) return usage_error("%sa FILE, --demo or --url, one of them", "");
    if (!o->file && !o->demo && !hub) return usage_error("%sname a recording FILE, --demo, or --url URL --list", "");
    if (o->file && o->demo) return usage_error("%sa FILE or --demo, not both", "");
    double lo = o->linear ? 0 : 0.25;
    if (o->speed_set && !(o->speed >= lo && o->speed <= 16)) {
        char v[32];
        snprintf(v, sizeof v, "%g", o->speed);
        return usage_error(o->linear ? "--speed: expected 0 to 16, got %s" : "--speed: expected 0.25 to 16, got %s", v);
    }
    if (!o->speed_set) o->speed = 1;
    return 0;
}

typedef struct { char *path; time_t mtime; } demo_file;

static int newest_first(const void *a, const void *b)
{
    const demo_file *x = a, *y = b;
    return x->mtime < y->mtime ? 1 : x->mtime > y->mtime ? -1 : strcmp(x->path, y->path);
}

/* The demo's recordings, newest first (paths malloc'd); how many in *n. */
static demo_file *demo_files(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return NULL;
    demo_file *v = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 7 || strcmp(e->d_name + len - 6, ".jsonl") != 0) continue;
        char *p = mem_printf("%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) { free(p); continue; }
        if (*n == cap) { cap = cap ? cap * 2 : 16; v = mem_realloc(v, cap * sizeof *v); }
        v[(*n)++] = (demo_file){p, st.st_mtime};
    }
    closedir(d);
    if (*n) qsort(v, *n, sizeof *v, newest_first);
    return v;
}

/* --demo: the newest recording, or the one picked from the list when there are several and
 * a person is at the keyboard. NULL with a message. */
static char *pick_demo(bool ask, char *err, size_t errlen)
{
    char serr[300];
    char *sdir = state_dir(serr, sizeof serr);
    if (!sdir) { snprintf(err, errlen, "no state directory: %s", serr); return NULL; }
    char *dir = mem_printf("%s/demo-recordings", sdir);
    free(sdir);
    size_t n;
    demo_file *v = demo_files(dir, &n);
    char *chosen = NULL;
    if (n == 0) {
        snprintf(err, errlen, "no demo recording in %s: run `agentdesk --demo` first (its calls are "
                 "recorded there)", dir);
    } else {
        size_t pick = 0;
        if (ask && n > 1) {
            printf("demo recordings in %s, newest first:\n", dir);
            for (size_t i = 0; i < n && i < 20; i++) {
                char when[32];
                strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime(&v[i].mtime));
                const char *base = strrchr(v[i].path, '/');
                printf("  %2zu  %s  %s\n", i + 1, when, base ? base + 1 : v[i].path);
            }
            printf("play which? [1] ");
            fflush(stdout);
            char line[32];
            if (fgets(line, sizeof line, stdin) && line[0] != '\n') {
                char *end;
                long k = strtol(line, &end, 10);
                if (k >= 1 && (size_t)k <= n && (size_t)k <= 20) pick = (size_t)k - 1;
                else { snprintf(err, errlen, "no recording numbered \"%.10s\"", line); pick = n; }
            }
        }
        if (pick < n) chosen = mem_strdup(v[pick].path);
    }
    for (size_t i = 0; i < n; i++) free(v[i].path);
    free(v);
    free(dir);
    return chosen;
}

/* The default card: beside our binary in the tree (build/ and build/san/), else installed. */
static char *default_card_path(void)
{
    char *self = demo_self_dir();
    const char *ups[] = {"/../data/scorecards/", "/../../data/scorecards/"};
    for (size_t i = 0; self && i < 2; i++) {
        char *p = mem_printf("%s%s%s.json", self, ups[i], REPLAY_DEFAULT_CARD);
        if (access(p, R_OK) == 0) { free(self); return p; }
        free(p);
    }
    free(self);
    return mem_printf("%s/share/agentdesk/data/scorecards/%s.json", AGENTDESK_PREFIX, REPLAY_DEFAULT_CARD);
}

/* Load the card, take back the trainer's kept answers, and suggest the rest from the state at
 * the recording's end. false with a message (the replay goes on without a card). */
static bool card_prepare(const replay_options *o, const replay_timeline *tl, replay_notes *notes,
                         scorecard *card, scorecard_answers *as, char *err, size_t errlen)
{
    char *path = o->scorecard ? mem_strdup(o->scorecard) : default_card_path();
    bool ok = scorecard_load_file(card, path, err, errlen);
    free(path);
    if (!ok) return false;
    scorecard_answers_init(as, card);
    if (notes->scorecard) {
        size_t dropped = 0;
        char why[300];
        if (!scorecard_answers_from_json(as, notes->scorecard, &dropped, why, sizeof why)) {
            /* answers to another card stay in the sidecar until this card's are saved over them */
            snprintf(err, errlen, "%s: they are not shown, and saving this card's answers replaces them", why);
            ok = false;
        } else if (dropped) {
            snprintf(err, errlen, "%zu kept score card answer(s) no longer fit the card and were left out", dropped);
            ok = false;
        }
    }
    model end;
    memset(&end, 0, sizeof end);
    replay_timeline_seek(tl, &end, tl->rec->n_events);
    scorecard_evidence_suggest(as, model_active(&end));
    model_free(&end);
    return ok;
}

static int play_screen(const replay_options *o, const recording *rec, const replay_timeline *tl,
                       replay_notes *notes, const char *path, const char *notice,
                       scorecard_answers *card, const char *card_problem, replay_theme_loader load_theme)
{
    char err[1024];
    theme th;
    theme_builtin(&th);
    if (!load_theme(o->theme ? o->theme : "dark", &th, err, sizeof err)) {
        if (o->theme) { fprintf(stderr, "agentdesk replay: theme: %s\n", err); return EXIT_USAGE; }
        theme_builtin(&th);
    }
    keys_table keys;
    keys_init_letters(&keys, replay_keys_actions, RK__COUNT);
    static app a;
    static session s;
    int rc = 1;
    if (!app_init(&a, net_protocols(), true, err, sizeof err) ||
        !session_init(&s, &a, NULL, NULL, NULL, tl->scrollback, err, sizeof err)) {
        app_shutdown();
        fprintf(stderr, "agentdesk replay: %s\n", err);
        keys_free(&keys);
        return 1;
    }
    const char *base = strrchr(path, '/');
    replay_screen_setup setup = {rec, tl, notes, base ? base + 1 : path, o->speed, notice, card, card_problem};
    if (!replay_screen_attach(&a, &s, &keys, &th, &setup, o->play, err, sizeof err)) {
        app_shutdown();
        fprintf(stderr, "agentdesk replay: %s\n", err);
    } else {
        rc = app_run(&a);
        app_shutdown();
    }
    replay_screen_free(&a);
    session_free(&s);
    keys_free(&keys);
    return rc;
}

int replay_main(int argc, char **argv, replay_theme_loader load_theme)
{
    replay_options o = {0};
    int rc = parse(argc, argv, &o);
    if (rc) return rc == 1 ? 0 : rc;
    char err[1024];
    bool ask = isatty(STDIN_FILENO) && !o.linear && !o.export_fmt;
    char *path;
    if (o.url) {
        if (!(path = from_hub(&o, ask, &rc))) return rc;
    } else {
        path = o.demo ? pick_demo(ask, err, sizeof err) : mem_strdup(o.file);
        if (!path) { fprintf(stderr, "agentdesk replay: %s\n", err); return 1; }
    }
    recording rec;
    replay_timeline tl;
    /* one pass: the timeline is built from each line as it is decoded */
    recording_reader rd = replay_timeline_reader(&tl, &rec, o.scrollback ? (size_t)o.scrollback
                                                                        : REPLAY_DEFAULT_SCROLLBACK, 0);
    if (!recording_open_file(&rec, path, &rd, err, sizeof err)) {
        fprintf(stderr, "agentdesk replay: %s\n", err);
        free(path);
        recording_free(&rec);
        return 1;
    }
    replay_timeline_finish(&tl);
    char *notes_path = replay_notes_path(path);
    replay_notes notes;
    char nerr[700] = "";
    bool notes_ok = replay_notes_load(&notes, notes_path, nerr, sizeof nerr);
    free(notes_path);
    char problems[600];
    recording_problems(&rec, problems, sizeof problems);
    scorecard card;
    scorecard_answers answers = {0};
    char cerr[700] = "";
    bool card_ok = card_prepare(&o, &tl, &notes, &card, &answers, cerr, sizeof cerr);
    scorecard_answers *as = answers.card ? &answers : NULL;
    if (o.export_fmt || o.linear) {
        if (!notes_ok) fprintf(stderr, "agentdesk replay: %s\n", nerr);
        if (*problems) fprintf(stderr, "agentdesk replay: %s\n", problems);
        if (!card_ok && o.export_fmt) fprintf(stderr, "agentdesk replay: %s\n", cerr);
        const char *base = strrchr(path, '/');
        rc = o.export_fmt ? (replay_export(stdout, o.export_fmt, &tl, &notes, as, base ? base + 1 : path) &&
                             fflush(stdout) == 0 ? 0 : 1)
                          : replay_linear(stdout, &tl, &notes, o.speed);
    } else {
        const char *notice = !notes_ok ? nerr : !card_ok && as ? cerr : NULL;
        rc = play_screen(&o, &rec, &tl, &notes, path, notice, as, card_ok || as ? NULL : cerr, load_theme);
        if (!notes_ok) fprintf(stderr, "agentdesk replay: %s\n", nerr);
        if (!card_ok) fprintf(stderr, "agentdesk replay: %s\n", cerr);
    }
    if (as) scorecard_answers_free(as);
    scorecard_free(&card);
    replay_notes_free(&notes);
    replay_timeline_free(&tl);
    recording_free(&rec);
    free(path);
    return rc;
}
