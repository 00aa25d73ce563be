/* replies.c — replies that worked, from the recordings, as candidate KB articles (replies.h). */
#include "hub/cli/replies.h"
#include "hub/cli/audit_cmd.h"
#include "hub/cli/paths.h"
#include "hub/assist/redact.h"
#include "base/clock.h"
#include "base/mem.h"
#include "base/strhash.h"
#include "base/text.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_EXAMPLES 20          /* customer lines kept per article */
#define MAX_SEEN_IN 10           /* interactions named in an article's body */
#define RECORDING_MAX (256u << 20)

typedef struct {
    char *text;                  /* the reply, redacted, names as placeholders */
    char **tokens;               /* sorted, distinct */
    size_t n_tokens;
    char *before;                /* the customer's line just before it, redacted */
    char *iid, *queue;
    double rise;
} good_reply;

typedef struct {
    size_t first;                /* the reply that started it (its text is the article's) */
    size_t *members, n;
} reply_group;

struct replies_miner {
    replies_params p;
    good_reply *r;
    size_t n, cap;
};

/* ---- one recording ---- */

typedef struct {
    char speaker;                /* 'c' customer, 'a' agent, 'o' other */
    const char *uid, *text;
    double trend;
    bool scored;
} turn;

static bool negative_end(const char *reason, const char *disposition)
{
    static const char *const reasons[] = {"hangup", "abandoned", "escalated", "escalated-legal",
                                          "escalated-fraud", "transferred", "dropped", NULL};
    for (size_t i = 0; reason && reasons[i]; i++)
        if (strcmp(reason, reasons[i]) == 0) return true;
    return disposition && (strcasecmp(disposition, "ESCALATED") == 0 || strcasecmp(disposition, "FRAUD_REPORTED") == 0);
}

/* Whole-word, case-sensitive replacement of `name` (a first name) by `with`. */
static char *replace_word(char *s, const char *name, const char *with)
{
    size_t nl = name ? strlen(name) : 0;
    if (nl < 2) return s;
    char *p = s;
    while ((p = strstr(p, name)) != NULL) {
        bool start = p == s || !isalnum((unsigned char)p[-1]);
        bool end = !isalnum((unsigned char)p[nl]);
        if (!start || !end) { p += nl; continue; }
        size_t at = (size_t)(p - s);
        char *n = mem_printf("%.*s%s%s", (int)at, s, with, p + nl);
        free(s);
        s = n;
        p = s + at + strlen(with);
    }
    return s;
}

static char *first_word(const char *s)
{
    if (!s) return NULL;
    size_t n = strcspn(s, " ");
    return n ? mem_strndup(s, n) : NULL;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Lower-cased runs of letters and digits, sorted, distinct. Placeholders' words count too. */
static void tokenise(good_reply *g)
{
    size_t cap = 16;
    g->tokens = mem_zalloc(cap, sizeof *g->tokens);
    for (const char *p = g->text; *p;) {
        while (*p && !isalnum((unsigned char)*p)) p++;
        const char *w = p;
        while (*p && isalnum((unsigned char)*p)) p++;
        if (p == w) continue;
        if (g->n_tokens == cap) g->tokens = mem_realloc(g->tokens, (cap *= 2) * sizeof *g->tokens);
        char *t = mem_strndup(w, (size_t)(p - w));
        for (char *q = t; *q; q++) *q = (char)tolower((unsigned char)*q);
        g->tokens[g->n_tokens++] = t;
    }
    if (!g->n_tokens) return;
    qsort(g->tokens, g->n_tokens, sizeof *g->tokens, cmp_str);
    size_t k = 1;
    for (size_t i = 1; i < g->n_tokens; i++) {
        if (strcmp(g->tokens[i], g->tokens[k - 1]) == 0) free(g->tokens[i]);
        else g->tokens[k++] = g->tokens[i];
    }
    g->n_tokens = k;
}

static double jaccard(const good_reply *a, const good_reply *b)
{
    size_t i = 0, j = 0, both = 0;
    while (i < a->n_tokens && j < b->n_tokens) {
        int c = strcmp(a->tokens[i], b->tokens[j]);
        if (c == 0) { both++; i++; j++; }
        else if (c < 0) i++;
        else j++;
    }
    size_t all = a->n_tokens + b->n_tokens - both;
    return all ? (double)both / (double)all : 0;
}

static char *redacted(const char *text, const char *customer, const char *agent)
{
    char *r = assist_redact_within(text, REDACT_TAG, 8192);
    r = replace_word(r, customer, "{customer.first_name}");
    return replace_word(r, agent, "{agent.name}");
}

static void add_reply(replies_miner *m, const turn *t, const turn *before, double rise, const char *iid,
                      const char *queue, const char *customer, const char *agent)
{
    if (m->n == m->cap) m->r = mem_realloc(m->r, (m->cap = m->cap ? m->cap * 2 : 32) * sizeof *m->r);
    good_reply *g = &m->r[m->n++];
    memset(g, 0, sizeof *g);
    g->text = redacted(t->text, customer, agent);
    g->before = before ? redacted(before->text, customer, agent) : NULL;
    g->iid = mem_strdup(iid);
    g->queue = mem_strdup(queue && *queue ? queue : "general");
    g->rise = rise;
    tokenise(g);
}

int replies_add_recording(replies_miner *m, const char *text, size_t len, int64_t since_ms)
{
    const char *nl = memchr(text, '\n', len);
    json_t *head = json_loadb(text, nl ? (size_t)(nl - text) : len, 0, NULL);
    const char *fmt = json_string_value(json_object_get(head, "format"));
    if (!fmt || strcmp(fmt, "agentdesk.recording") != 0) { json_decref(head); return -1; }
    if (json_integer_value(json_object_get(head, "started_ms")) < since_ms) { json_decref(head); return 0; }
    /* every line kept parsed until the end: turns point into them */
    json_t *lines = json_array();
    turn *turns = NULL;
    size_t n = 0, cap = 0;
    const char *reason = NULL, *wrap = NULL, *drafted = NULL, *customer = NULL, *agent = NULL;
    bool ended = false;
    for (const char *p = nl ? nl + 1 : text + len; p < text + len;) {
        const char *e = memchr(p, '\n', (size_t)(text + len - p));
        if (!e) break;                                  /* a torn last line is not read */
        json_t *ev = json_loadb(p, (size_t)(e - p), JSON_REJECT_DUPLICATES, NULL);
        p = e + 1;
        const char *type = json_string_value(json_object_get(ev, "type"));
        if (!type) { json_decref(ev); continue; }        /* a damaged line: skipped */
        json_array_append_new(lines, ev);
        if (strcmp(type, "utterance") == 0 && json_is_true(json_object_get(ev, "final"))) {
            const char *sp = json_string_value(json_object_get(ev, "speaker"));
            const char *uid = json_string_value(json_object_get(ev, "uid"));
            const char *tx = json_string_value(json_object_get(ev, "text"));
            if (!sp || !uid || !tx) continue;
            if (n == cap) turns = mem_realloc(turns, (cap = cap ? cap * 2 : 64) * sizeof *turns);
            turns[n++] = (turn){strcmp(sp, "customer") == 0 ? 'c' : strcmp(sp, "agent") == 0 ? 'a' : 'o', uid, tx, 0, false};
        } else if (strcmp(type, "sentiment") == 0) {
            const char *uid = json_string_value(json_object_get(ev, "uid"));
            for (size_t i = n; uid && i-- > 0;)
                if (turns[i].speaker == 'c' && strcmp(turns[i].uid, uid) == 0) {
                    turns[i].trend = json_number_value(json_object_get(ev, "trend"));
                    turns[i].scored = true;
                    break;
                }
        } else if (strcmp(type, "interaction.started") == 0) {
            agent = json_string_value(json_object_get(ev, "agent_name"));
        } else if (strcmp(type, "customer") == 0) {
            customer = json_string_value(json_object_get(json_object_get(ev, "customer"), "first_name"));
        } else if (strcmp(type, "summary") == 0 && json_is_true(json_object_get(ev, "final"))) {
            drafted = json_string_value(json_object_get(ev, "disposition"));
        } else if (strcmp(type, "wrapup") == 0) {
            wrap = json_string_value(json_object_get(ev, "code"));
        } else if (strcmp(type, "interaction.ended") == 0) {
            reason = json_string_value(json_object_get(ev, "reason"));
            ended = true;
        }
    }
    double last = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++)
        if (turns[i].scored) { last = turns[i].trend; any = true; }
    int found = 0;
    char *cust = customer ? mem_strdup(customer) : NULL, *ag = first_word(agent);
    if (ended && any && last >= 0 && !negative_end(reason, wrap ? wrap : drafted)) {
        const char *iid = json_string_value(json_object_get(head, "iid"));
        const char *queue = json_string_value(json_object_get(head, "queue"));
        for (size_t k = 0; k < n; k++) {
            if (turns[k].speaker != 'a') continue;
            const turn *before = NULL;
            for (size_t i = k; i-- > 0 && !before;)
                if (turns[i].speaker == 'c' && turns[i].scored) before = &turns[i];
            if (!before) continue;
            double t0 = before->trend, best = -2;
            int seen = 0;
            bool fell = false;
            for (size_t i = k + 1; i < n && seen < m->p.turns; i++) {
                if (turns[i].speaker != 'c' || !turns[i].scored) continue;
                if (seen == 0 && turns[i].trend < t0) fell = true;
                if (turns[i].trend > best) best = turns[i].trend;
                seen++;
            }
            if (!seen || fell || best - t0 < m->p.rise) continue;
            add_reply(m, &turns[k], before, best - t0, iid ? iid : "", queue, cust, ag);
            found++;
        }
    }
    free(cust);
    free(ag);
    free(turns);
    json_decref(lines);
    json_decref(head);
    return found;
}

/* ---- groups and articles ---- */

replies_miner *replies_new(const replies_params *p)
{
    replies_miner *m = mem_zalloc(1, sizeof *m);
    m->p = *p;
    return m;
}

void replies_free(replies_miner *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        good_reply *g = &m->r[i];
        for (size_t k = 0; k < g->n_tokens; k++) free(g->tokens[k]);
        free(g->tokens); free(g->text); free(g->before); free(g->iid); free(g->queue);
    }
    free(m->r);
    free(m);
}

static size_t interactions_of(const replies_miner *m, const reply_group *g)
{
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++) {
        bool again = false;
        for (size_t j = 0; j < i && !again; j++) again = strcmp(m->r[g->members[i]].iid, m->r[g->members[j]].iid) == 0;
        k += !again;
    }
    return k;
}

static double mean_rise(const replies_miner *m, const reply_group *g)
{
    double s = 0;
    for (size_t i = 0; i < g->n; i++) s += m->r[g->members[i]].rise;
    return g->n ? s / (double)g->n : 0;
}

static const replies_miner *sort_m;

static int by_weight(const void *a, const void *b)
{
    const reply_group *x = a, *y = b;
    size_t ix = interactions_of(sort_m, x), iy = interactions_of(sort_m, y);
    if (ix != iy) return ix < iy ? 1 : -1;
    double rx = mean_rise(sort_m, x), ry = mean_rise(sort_m, y);
    if (rx != ry) return rx < ry ? 1 : -1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static json_t *article(const replies_miner *m, const reply_group *g)
{
    const good_reply *r = &m->r[g->first];
    size_t inter = interactions_of(m, g);
    /* a stable id: the same reply gets the same id on every run, so a re-import updates it */
    char id[32], title[256], *seen = mem_strdup("");
    snprintf(id, sizeof id, "CAND-%08x", strhash_fnv1a(r->text));
    size_t cut = text_prefix_len(r->text, strlen(r->text), 90);
    snprintf(title, sizeof title, "Reply that worked (%s): %.*s%s", r->queue, (int)cut, r->text,
             r->text[cut] ? "…" : "");
    for (size_t i = 0, named = 0; i < g->n && named < MAX_SEEN_IN; i++) {
        const char *iid = m->r[g->members[i]].iid;
        if (strstr(seen, iid)) continue;
        char *s = mem_printf("%s%s%s", seen, *seen ? ", " : "", iid);
        free(seen);
        seen = s;
        named++;
    }
    char *body = mem_printf("Candidate, not reviewed: an agent reply found by `agentdesk-hub replies`. It was said "
                            "%zu time%s in %zu interaction%s, and each time the customer's sentiment rose by "
                            "%.2f on average within the next customer turns, in an interaction that ended well. "
                            "Seen in: %s. Review the wording, write the guidance for the agent here, then set "
                            "\"status\" to \"published\" (or remove it) and import it.",
                            g->n, g->n == 1 ? "" : "s", inter, inter == 1 ? "" : "s", mean_rise(m, g), seen);
    free(seen);
    json_t *examples = json_array();
    for (size_t i = 0; i < g->n && json_array_size(examples) < MAX_EXAMPLES; i++) {
        const char *b = m->r[g->members[i]].before;
        if (!b || !*b || strlen(b) > 512) continue;
        bool again = false;
        size_t k;
        json_t *e;
        json_array_foreach(examples, k, e) again |= strcmp(json_string_value(e), b) == 0;
        if (!again) json_array_append_new(examples, json_string(b));
    }
    json_t *a = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s,s], s:o, s:s}", "id", id, "title", title,
                          "category", r->queue, "body", body, "reply", r->text, "tags", "candidate", r->queue,
                          "examples", examples, "status", "candidate");
    free(body);
    return a;
}

json_t *replies_candidates(const replies_miner *m)
{
    reply_group *g = mem_zalloc(m->n ? m->n : 1, sizeof *g);
    size_t ng = 0;
    for (size_t i = 0; i < m->n; i++) {
        size_t k = 0;
        while (k < ng && jaccard(&m->r[g[k].first], &m->r[i]) < m->p.similar) k++;
        if (k == ng) { g[ng].first = i; g[ng].members = mem_zalloc(m->n, sizeof *g[ng].members); ng++; }
        g[k].members[g[k].n++] = i;
    }
    sort_m = m;
    qsort(g, ng, sizeof *g, by_weight);
    json_t *out = json_array();
    for (size_t k = 0; k < ng; k++) {
        json_array_append_new(out, article(m, &g[k]));
        free(g[k].members);
    }
    free(g);
    return out;
}

/* ---- the command ---- */

static int usage(FILE *to)
{
    fputs("usage: agentdesk-hub replies [--record-dir DIR] --since T [--rise X] [--turns N] [--similar J]\n"
          "  Agent replies followed by a rise of the customer's sentiment, in interactions that ended well,\n"
          "  grouped, as candidate KB articles (the `import kb` format, \"status\": \"candidate\") on stdout.\n"
          "  T: 2026-12-04, 2026-12-04T15:00[:SS][Z] (UTC), 90m / 2h / 7d back from now, or ms since the epoch\n"
          "  --rise 0.2 (0.05..2)  --turns 2 (1..10)  --similar 0.5 (0.1..1)\n", to);
    return to == stdout ? 0 : 2;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > RECORDING_MAX) { fclose(f); return NULL; }
    char *buf = mem_alloc((size_t)st.st_size + 1);
    *len = fread(buf, 1, (size_t)st.st_size, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

static bool number_arg(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= lo && v <= hi)) return false;
    *out = v;
    return true;
}

int replies_main(int argc, char **argv)
{
    const char *dir = NULL, *since = NULL;
    replies_params p = {0.2, 2, 0.5};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        double d;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout);
        if (!v) return usage(stderr);
        if (!strcmp(a, "--record-dir")) dir = v;
        else if (!strcmp(a, "--since")) since = v;
        else if (!strcmp(a, "--rise") && number_arg(v, 0.05, 2, &d)) p.rise = d;
        else if (!strcmp(a, "--turns") && number_arg(v, 1, 10, &d) && d == (int)d) p.turns = (int)d;
        else if (!strcmp(a, "--similar") && number_arg(v, 0.1, 1, &d)) p.similar = d;
        else {
            fprintf(stderr, "agentdesk-hub replies: bad argument \"%.64s\"%s\n", a,
                    a[0] == '-' && a[1] == '-' ? " or its value" : "");
            return usage(stderr);
        }
        i++;
    }
    int64_t since_ms;
    if (!since) { fprintf(stderr, "agentdesk-hub replies: --since is required\n"); return usage(stderr); }
    if (!audit_parse_since(since, clock_wall_ms(), &since_ms)) {
        fprintf(stderr, "agentdesk-hub replies: --since: not a time: \"%.64s\"\n", since);
        return 2;
    }
    char *d = dir ? mem_strdup(dir) : paths_default_record_dir();
    DIR *dh = opendir(d);
    if (!dh) {
        fprintf(stderr, "agentdesk-hub replies: %s: cannot read the directory\n", d);
        free(d);
        return 1;
    }
    replies_miner *m = replies_new(&p);
    size_t files = 0, skipped = 0, found = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (nl < 7 || strcmp(e->d_name + nl - 6, ".jsonl") != 0) continue;
        char *path = mem_printf("%s/%s", d, e->d_name);
        size_t len = 0;
        char *text = read_all(path, &len);
        int k = text ? replies_add_recording(m, text, len, since_ms) : -1;
        if (k < 0) skipped++;
        else { files++; found += (size_t)k; }
        free(text);
        free(path);
    }
    closedir(dh);
    json_t *out = replies_candidates(m);
    fprintf(stderr, "agentdesk-hub replies: %zu recording%s read in %s (%zu not recordings), %zu replies that "
            "worked, %zu candidate%s\n", files, files == 1 ? "" : "s", d, skipped, found, json_array_size(out),
            json_array_size(out) == 1 ? "" : "s");
    int rc = json_dumpf(out, stdout, JSON_INDENT(2)) == 0 && fputc('\n', stdout) != EOF && fflush(stdout) == 0 ? 0 : 1;
    json_decref(out);
    replies_free(m);
    free(d);
    return rc;
}
