/* report_data.c — the report's figures (report_data.h): one pass over the period's
 * interactions, each one's events read through the log's index by interaction
 * (events_by_iid), and the repeat contacts found from the customers' interactions sorted by
 * customer and start. */
#include "hub/store/report_data.h"
#include "base/mem.h"
#include "base/strmap.h"
#include "base/strset.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- times ------------------------------------------------------------------------------ */

static bool parse_span(const char *s, int64_t now_ms, int64_t *out)
{
    char *end;
    long long n = strtoll(s, &end, 10);
    if (end == s || n < 0 || !*end || end[1] || !isdigit((unsigned char)*s))
        return false;
    int64_t unit;
    switch (*end) {
    case 's': unit = 1000; break;
    case 'm': unit = 60 * 1000; break;
    case 'h': unit = 3600 * 1000; break;
    case 'd': unit = 24LL * 3600 * 1000; break;
    case 'w': unit = 7LL * 24 * 3600 * 1000; break;
    default: return false;
    }
    if (n > now_ms / unit)
        return false;
    *out = now_ms - n * unit;
    return true;
}

/* "Z", "+01:00", "-0500" or nothing: the offset east of UTC in seconds. */
static bool parse_zone(const char *s, long *east)
{
    *east = 0;
    if (!*s || (s[0] == 'Z' && !s[1]))
        return true;
    int hh, mm, used = 0;
    if ((s[0] != '+' && s[0] != '-') ||
        (sscanf(s + 1, "%2d:%2d%n", &hh, &mm, &used) != 2 && sscanf(s + 1, "%2d%2d%n", &hh, &mm, &used) != 2) ||
        s[1 + used] || hh > 23 || mm > 59)
        return false;
    *east = (s[0] == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
    return true;
}

bool report_parse_time(const char *s, int64_t now_ms, int64_t *out)
{
    if (!s || !*s)
        return false;
    if (parse_span(s, now_ms, out))
        return true;
    int y, mo, d, h = 0, mi = 0, sec = 0, used = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
        return false;
    const char *rest = s + used;
    if (*rest == 'T' || *rest == ' ') {
        int n2 = 0;
        if (sscanf(rest + 1, "%2d:%2d%n", &h, &mi, &n2) != 2 || n2 != 5)
            return false;
        rest += 1 + n2;
        if (*rest == ':') {
            if (sscanf(rest + 1, "%2d%n", &sec, &n2) != 1 || n2 != 2)
                return false;
            rest += 3;
        }
    }
    long east;
    if (!parse_zone(rest, &east) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 ||
        y < 1970)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    time_t t = timegm(&tm);
    if (t == (time_t)-1 || tm.tm_mday != d) /* timegm moves 2026-02-30 to March */
        return false;
    *out = ((int64_t)t - east) * 1000;
    return true;
}

/* ---- per interaction ---------------------------------------------------------------------- */

typedef struct {
    bool waited, scored, negative;
    double wait_ms, uplift;
} call_figures;

/* The customer's scores: the first two and a ring of the last two. */
typedef struct {
    double first[2], last[2];
    int n;
} scores;

/* What an interaction's events said so far, event by event. */
typedef struct {
    char *iid;                 /* the tallies' key (owned) */
    strset *customer;          /* uids of the customer's utterances */
    scores sc;
    char level[16];
    bool waited;
    double wait_ms;
    int64_t read_upto;         /* its events up to this seq came from the log */
    unsigned gen;              /* the computation that last found it in the period */
} call_tally;

static double mean_of(const double *v, int n)
{
    return n == 1 ? v[0] : (v[0] + v[1]) / 2;
}

static void tally_init(call_tally *t, const char *iid)
{
    memset(t, 0, sizeof *t);
    t->iid = mem_strdup(iid);
    t->customer = strset_new();
}

static void tally_clear(call_tally *t)
{
    strset_free(t->customer);
    free(t->iid);
}

static void tally_event(call_tally *t, const report_event *ev)
{
    if (ev->kind == REPORT_EV_UTTERANCE && ev->uid) {
        if (ev->speaker && !strcmp(ev->speaker, "customer"))
            strset_add(t->customer, ev->uid);
        else if (ev->speaker && !strcmp(ev->speaker, "agent") && !t->waited) {
            t->waited = true;
            t->wait_ms = (double)ev->offset_ms;
        }
    } else if (ev->kind == REPORT_EV_SENTIMENT && ev->uid && ev->scored && strset_has(t->customer, ev->uid)) {
        if (t->sc.n < 2)
            t->sc.first[t->sc.n] = ev->score;
        t->sc.last[t->sc.n % 2] = ev->score;
        t->sc.n++;
        snprintf(t->level, sizeof t->level, "%s", ev->level ? ev->level : "");
    }
}

static void tally_figures(const call_tally *t, call_figures *f)
{
    memset(f, 0, sizeof *f);
    f->waited = t->waited;
    f->wait_ms = t->wait_ms;
    if (t->sc.n > 0) {
        f->scored = true;
        /* the ring's two in either order: their mean is the same */
        f->uplift = mean_of(t->sc.last, t->sc.n < 2 ? 1 : 2) - mean_of(t->sc.first, t->sc.n < 2 ? 1 : 2);
        f->negative = !strcmp(t->level, "negative") || !strcmp(t->level, "hostile");
    }
}

/* Every event of iid from the log into t. */
static int read_call(sqlite3_stmt *ev, const char *iid, call_tally *t)
{
    sqlite3_bind_text(ev, 1, iid, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(ev)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(ev, 0);
        report_event e = {.kind = REPORT_EV_OTHER,
                          .speaker = (const char *)sqlite3_column_text(ev, 1),
                          .uid = (const char *)sqlite3_column_text(ev, 2),
                          .offset_ms = sqlite3_column_int64(ev, 3),
                          .scored = sqlite3_column_type(ev, 4) != SQLITE_NULL,
                          .score = sqlite3_column_double(ev, 4),
                          .level = (const char *)sqlite3_column_text(ev, 5)};
        if (type && !strcmp(type, "utterance"))
            e.kind = REPORT_EV_UTTERANCE;
        else if (type && !strcmp(type, "sentiment"))
            e.kind = REPORT_EV_SENTIMENT;
        tally_event(t, &e);
        int64_t seq = sqlite3_column_int64(ev, 6);
        if (seq > t->read_upto)
            t->read_upto = seq;
    }
    sqlite3_reset(ev);
    sqlite3_clear_bindings(ev);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- tallies kept between computations ------------------------------------------------------ */

struct report_tallies {
    strmap *calls;   /* iid -> call_tally */
    unsigned gen;
};

report_tallies *report_tallies_new(void)
{
    report_tallies *t = mem_zalloc(1, sizeof *t);
    t->calls = strmap_new();
    return t;
}

static void free_tally(const char *key, void *value, void *ctx)
{
    (void)key;
    (void)ctx;
    tally_clear(value);
    free(value);
}

void report_tallies_free(report_tallies *t)
{
    if (!t)
        return;
    strmap_each(t->calls, free_tally, NULL);
    strmap_free(t->calls);
    free(t);
}

void report_tallies_note(report_tallies *t, const char *iid, const report_event *ev)
{
    call_tally *c = strmap_get(t->calls, iid);
    if (ev->kind == REPORT_EV_STARTED && !c) {
        /* a call that starts now: every event it will have comes through here */
        c = mem_alloc(sizeof *c);
        tally_init(c, iid);
        c->gen = t->gen;
        strmap_put(t->calls, c->iid, c);
        return;
    }
    if (!c || ev->seq <= c->read_upto)   /* not tracked, or already read from the log */
        return;
    if (ev->unknown) {   /* read it from the log again at the next computation */
        free_tally(iid, strmap_remove(t->calls, iid), NULL);
        return;
    }
    tally_event(c, ev);
}

typedef struct {
    unsigned gen;
    char **gone;
    size_t n;
} sweep;

static void find_gone(const char *key, void *value, void *ctx)
{
    sweep *w = ctx;
    if (((call_tally *)value)->gen != w->gen) {
        w->gone = mem_realloc(w->gone, (w->n + 1) * sizeof *w->gone);
        w->gone[w->n++] = mem_strdup(key);   /* the key is the tally's: copied before it goes */
    }
}

/* The tallies of interactions this computation did not find in the period go. */
static void sweep_tallies(report_tallies *t)
{
    sweep w = {.gen = t->gen};
    strmap_each(t->calls, find_gone, &w);
    for (size_t i = 0; i < w.n; i++) {
        free_tally(w.gone[i], strmap_remove(t->calls, w.gone[i]), NULL);
        free(w.gone[i]);
    }
    free(w.gone);
}

/* ---- repeat contacts ------------------------------------------------------------------------ */

/* The iids (started in [since, until)) of a customer who had another interaction starting in
 * the 7 days before theirs. */
static int find_repeats(sqlite3 *db, int64_t since, int64_t until, strset *out, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT customer_id, started_ms, iid FROM interactions WHERE customer_id <> ''"
                           " AND started_ms >= ?1 AND started_ms < ?2 ORDER BY customer_id, started_ms, iid",
                           -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_bind_int64(st, 1, since - REPORT_REPEAT_WINDOW_MS);
    sqlite3_bind_int64(st, 2, until);
    char *prev_customer = NULL;
    int64_t prev_start = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *customer = (const char *)sqlite3_column_text(st, 0);
        int64_t start = sqlite3_column_int64(st, 1);
        const char *iid = (const char *)sqlite3_column_text(st, 2);
        if (!customer || !iid)
            continue;
        if (prev_customer && !strcmp(prev_customer, customer) && start - prev_start <= REPORT_REPEAT_WINDOW_MS &&
            start >= since)
            strset_add(out, iid);
        free(prev_customer);
        prev_customer = mem_strdup(customer);
        prev_start = start;
    }
    free(prev_customer);
    if (rc != SQLITE_DONE)
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- the report ------------------------------------------------------------------------------ */

static void add(report_row *r, const call_figures *f, bool ended, double handle_ms, bool customer, bool repeat)
{
    r->interactions++;
    if (ended) {
        r->ended++;
        r->handle_ms += handle_ms;
    }
    if (f->waited) {
        r->waited++;
        r->wait_ms += f->wait_ms;
    }
    if (f->scored) {
        r->scored++;
        r->uplift += f->uplift;
        r->negative += f->negative;
    }
    r->with_customer += customer;
    r->repeats += repeat;
}

static report_row *row_for(report *out, strmap *index, const char *key)
{
    size_t *slot = strmap_get(index, key);
    if (slot)
        return &out->rows[*slot];
    out->rows = mem_realloc(out->rows, (out->n + 1) * sizeof *out->rows);
    out->rows[out->n] = (report_row){.key = mem_strdup(key)};
    slot = mem_alloc(sizeof *slot);
    *slot = out->n++;
    strmap_put(index, out->rows[*slot].key, slot); /* the map keeps the row's copy of the key */
    return &out->rows[*slot];
}

static void free_slot(const char *key, void *value, void *ctx)
{
    (void)key;
    (void)ctx;
    free(value);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const report_row *)a)->key, ((const report_row *)b)->key);
}

/* One pass over the period's interactions fills each of the `n` reports, grouped by its
 * own `by`. */
static int compute(sqlite3 *db, int64_t since_ms, int64_t until_ms, report_tallies *kept, const report_by *by,
                   report **out, size_t n, char *err, size_t errlen)
{
    strmap *index[2] = {NULL, NULL};
    for (size_t k = 0; k < n; k++) {
        memset(out[k], 0, sizeof *out[k]);
        out[k]->total.key = mem_strdup("");
        index[k] = strmap_new();
    }
    sqlite3_stmt *calls = NULL, *ev = NULL;
    strset *repeats = strset_new();
    int rc = -1;
    if (sqlite3_prepare_v2(db, "SELECT iid, queue, agent, customer_id, started_ms, ended_ms FROM interactions"
                               " WHERE started_ms >= ?1 AND started_ms < ?2", -1, &calls, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT json_extract(frame, '$.type'), json_extract(frame, '$.speaker'),"
                               " json_extract(frame, '$.uid'), json_extract(frame, '$.offset_ms'),"
                               " json_extract(frame, '$.score'), json_extract(frame, '$.level'), seq"
                               " FROM events WHERE iid = ?1 ORDER BY seq", -1, &ev, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "not a hub database? %s", sqlite3_errmsg(db));
        goto done;
    }
    if (find_repeats(db, since_ms, until_ms, repeats, err, errlen) != 0)
        goto done;
    sqlite3_bind_int64(calls, 1, since_ms);
    sqlite3_bind_int64(calls, 2, until_ms);
    if (kept)
        kept->gen++;
    int step;
    while ((step = sqlite3_step(calls)) == SQLITE_ROW) {
        const char *iid = (const char *)sqlite3_column_text(calls, 0);
        const char *customer = (const char *)sqlite3_column_text(calls, 3);
        if (!iid)
            continue;
        /* the kept tally, or the interaction's events read now (and kept, when tallying) */
        call_tally once, *t = kept ? strmap_get(kept->calls, iid) : NULL;
        if (!t) {
            tally_init(&once, iid);
            if (read_call(ev, iid, &once) != 0) {
                snprintf(err, errlen, "reading the events of %s: %s", iid, sqlite3_errmsg(db));
                tally_clear(&once);
                goto done;
            }
            t = &once;
            if (kept) {
                t = mem_alloc(sizeof *t);
                *t = once;
                strmap_put(kept->calls, t->iid, t);
            }
        }
        call_figures f;
        tally_figures(t, &f);
        if (kept)
            t->gen = kept->gen;
        else
            tally_clear(&once);
        bool ended = sqlite3_column_type(calls, 5) != SQLITE_NULL;
        double handle = ended ? (double)(sqlite3_column_int64(calls, 5) - sqlite3_column_int64(calls, 4)) : 0;
        bool has_customer = customer && *customer;
        bool repeat = strset_has(repeats, iid);
        for (size_t k = 0; k < n; k++) {
            const char *key = (const char *)sqlite3_column_text(calls, by[k] == REPORT_BY_AGENT ? 2 : 1);
            add(row_for(out[k], index[k], key ? key : ""), &f, ended, handle, has_customer, repeat);
            add(&out[k]->total, &f, ended, handle, has_customer, repeat);
        }
    }
    if (step != SQLITE_DONE) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        goto done;
    }
    for (size_t k = 0; k < n; k++)
        if (out[k]->n)
            qsort(out[k]->rows, out[k]->n, sizeof *out[k]->rows, by_key);
    if (kept)
        sweep_tallies(kept);
    rc = 0;
done:
    sqlite3_finalize(calls);
    sqlite3_finalize(ev);
    strset_free(repeats);
    for (size_t k = 0; k < n; k++) {
        strmap_each(index[k], free_slot, NULL);
        strmap_free(index[k]);
        if (rc != 0)
            report_free(out[k]);
    }
    return rc;
}

int report_compute(sqlite3 *db, int64_t since_ms, int64_t until_ms, report_by by, report *out,
                   char *err, size_t errlen)
{
    return compute(db, since_ms, until_ms, NULL, &by, &out, 1, err, errlen);
}

int report_compute_both(sqlite3 *db, int64_t since_ms, int64_t until_ms, report *by_queue, report *by_agent,
                        char *err, size_t errlen)
{
    return report_compute_tallied(db, since_ms, until_ms, NULL, by_queue, by_agent, err, errlen);
}

int report_compute_tallied(sqlite3 *db, int64_t since_ms, int64_t until_ms, report_tallies *t,
                           report *by_queue, report *by_agent, char *err, size_t errlen)
{
    static const report_by by[2] = {REPORT_BY_QUEUE, REPORT_BY_AGENT};
    report *out[2] = {by_queue, by_agent};
    return compute(db, since_ms, until_ms, t, by, out, 2, err, errlen);
}

void report_free(report *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->rows[i].key);
    free(r->rows);
    free(r->total.key);
    memset(r, 0, sizeof *r);
}
