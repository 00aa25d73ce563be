/* bench_relevance.c — suggestion relevance on CLINC150 (data/eval/clinc150, CC BY 3.0), a
 * public intent data set nobody here wrote: 150 intents of a virtual assistant's users.
 *
 * A knowledge base is built from the training split alone: one article per intent, titled
 * with the intent's name, its body the phrasings joined, its examples the same phrasings.
 * Twice: with the first 10 phrasings of each intent, and with all 100. Every utterance of
 * the evaluation split is then one customer final on a fresh conversation:
 *   * top-1: how often the first article of our ranker (suggest_rank_recent: the intent
 *     model with bm25, no threshold) is the utterance's intent, beside plain FTS5 bm25 over
 *     the same articles (the utterance's words ORed, default column weights) in the same run;
 *   * in scope shown: how often the stage shows (confidence >= SUGGEST_MIN_CONFIDENCE) the
 *     right article first;
 *   * out-of-scope rejection: how often an out-of-scope utterance gets no suggestion at all
 *     (suggest_search_recent returns nothing).
 * The evaluation split is `val` (+ oos_val), on which the weights and the threshold were
 * tuned; `--test` evaluates `test` (+ oos_test) instead, for the final figure only.
 * `--sweep` prints rejection and in-scope shown rate by threshold (for tuning, on val).
 * Speed: a 1,050-article knowledge base (each intent's 100 training phrasings cut into 7
 * articles of 14 examples: many articles sharing words, the worst case for the postings),
 * every val utterance through suggest_recent_add + suggest_search_recent, CPU time per
 * utterance (a loaded machine shows in it; callgrind's instruction count does not).
 * `--speed` runs the speed part alone (for callgrind: --toggle-collect=suggest_recent_add
 * --toggle-collect=suggest_search_recent counts the step's instructions).
 * Run from the repository root: build/bench/bench_relevance [--test] [--sweep] [--speed] */
#include "hub/assist/suggest.h"
#include "hub/assist/suggest_words.h"
#include "hub/store/import.h"
#include "hub/store/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DATA "data/eval/clinc150/data_full.json"
#define INTENTS_MAX 200
#define SWEEP 10

typedef struct {
    const char *name[INTENTS_MAX];
    json_t *phrases[INTENTS_MAX];   /* borrowed from the training array: strings */
    int n;
} intents;

static int intent_index(intents *in, const char *name)
{
    for (int i = 0; i < in->n; i++)
        if (!strcmp(in->name[i], name))
            return i;
    if (in->n == INTENTS_MAX)
        return -1;
    in->name[in->n] = name;
    in->phrases[in->n] = json_array();
    return in->n++;
}

/* The knowledge base of `per` phrasings an intent (0: all) as an import array. */
static json_t *kb_of(const intents *in, int per)
{
    json_t *kb = json_array();
    for (int i = 0; i < in->n; i++) {
        json_t *ex = json_array();
        size_t k;
        json_t *p;
        size_t body_len = 0;
        char *body = NULL;
        json_array_foreach(in->phrases[i], k, p) {
            if (per && (int)k >= per)
                break;
            json_array_append(ex, p);
            const char *t = json_string_value(p);
            size_t n = strlen(t);
            body = realloc(body, body_len + n + 3);
            if (!body)
                abort();
            memcpy(body + body_len, t, n);
            memcpy(body + body_len + n, ". ", 3);
            body_len += n + 2;
        }
        char title[128];
        snprintf(title, sizeof title, "%s", in->name[i]);
        for (char *c = title; *c; c++)
            if (*c == '_')
                *c = ' ';
        json_array_append_new(kb, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "id", in->name[i], "title", title,
                                            "category", "clinc", "body", body ? body : title, "reply",
                                            "(the intent's answer)", "examples", ex));
        free(body);
    }
    return kb;
}

/* Plain FTS5 bm25: the utterance's content words ORed, default weights; the best id. */
static bool bm25_top(sqlite3 *db, sqlite3_stmt *st, const char *text, char *out, size_t outlen)
{
    char terms[SUGGEST_MAX_TERMS * 2][SUGGEST_TERM_LEN], match[2048];
    int n = suggest_words_content(text, terms, SUGGEST_MAX_TERMS * 2);
    out[0] = 0;
    if (!n || !suggest_match_expr(terms, n, match, sizeof match))
        return false;
    (void)db;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return out[0] != 0;
}

typedef struct {
    int total, ours, bm25, shown;
    int oos_total, oos_rejected;
    int sweep_shown[SWEEP], sweep_rejected[SWEEP];
} figures;

static double sweep_threshold(int i)
{
    return 0.15 + 0.03 * i;
}

static double cpu_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double wall_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

#define SPEED_SPLIT 7

/* The CPU time of the stage's suggestion step per utterance on a 1,050-article base. */
static void speed(const intents *in, json_t *eval)
{
    char dir[] = "/tmp/bench_relevance.XXXXXX", path[128], err[512] = "";
    if (!mkdtemp(dir))
        return;
    snprintf(path, sizeof path, "%s/hub.db", dir);
    store *s = store_open(path, err, sizeof err);
    json_t *kb = json_array();
    for (int i = 0; i < in->n; i++) {
        size_t total = json_array_size(in->phrases[i]);
        for (int part = 0; part < SPEED_SPLIT; part++) {
            json_t *ex = json_array();
            for (size_t k = (size_t)part; k < total; k += SPEED_SPLIT)
                json_array_append(ex, json_array_get(in->phrases[i], k));
            char id[160], title[160];
            snprintf(id, sizeof id, "%s-%d", in->name[i], part);
            snprintf(title, sizeof title, "%s part %d", in->name[i], part);
            json_array_append_new(kb, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "id", id, "title", title, "category",
                                                "clinc", "body", title, "reply", "r", "examples", ex));
        }
    }
    if (!s || import_json(s, "kb", kb, "clinc150", err, sizeof err) < 0) {
        fprintf(stderr, "bench_relevance: %s\n", err);
        exit(1);
    }
    json_decref(kb);
    /* the start cost: suggest_use_synonyms builds the intent model (suggest_open leaves it
     * to that or to the first query) */
    double w0 = wall_ms();
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    double w1 = wall_ms();
    if (!sg || suggest_use_synonyms(sg, "data/synonyms.tsv", err, sizeof err) != 0) {
        fprintf(stderr, "bench_relevance: %s\n", err);
        exit(1);
    }
    double w2 = wall_ms();
    size_t n = json_array_size(eval), i;
    double *t = malloc(n * sizeof *t);
    json_t *item;
    json_array_foreach(eval, i, item) {
        suggest_recent r;
        r.count = 0;
        suggest_hit h[SUGGEST_TOP];
        double c0 = cpu_us();
        if (suggest_recent_add(sg, &r, json_string_value(json_array_get(item, 0))))
            suggest_search_recent(sg, &r, NULL, NULL, 0, NULL, h, SUGGEST_TOP);
        t[i] = cpu_us() - c0;
    }
    qsort(t, n, sizeof *t, by_double);
    printf("suggestion step, %d-article KB (%d examples each), per utterance, CPU: p50 %.1f us  p99 %.1f us"
           "  max %.1f us  (n=%zu)\n", suggest_df(sg, NULL), 100 / SPEED_SPLIT, t[n / 2], t[n * 99 / 100], t[n - 1], n);
    printf("suggester start, same KB, wall: suggest_open %.0f ms, suggest_use_synonyms (builds the intent model)"
           " %.0f ms\n", w1 - w0, w2 - w1);
    free(t);
    suggest_close(sg);
    store_close(s);
    unlink(path);
    char side[160];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    rmdir(dir);
}

static void run(const char *label, const intents *in, int per, json_t *eval, json_t *oos, bool sweep)
{
    char dir[] = "/tmp/bench_relevance.XXXXXX", path[128], err[512] = "";
    if (!mkdtemp(dir))
        return;
    snprintf(path, sizeof path, "%s/hub.db", dir);
    store *s = store_open(path, err, sizeof err);
    json_t *kb = kb_of(in, per);
    if (!s || import_json(s, "kb", kb, "clinc150", err, sizeof err) < 0) {
        fprintf(stderr, "bench_relevance: %s\n", err);
        exit(1);
    }
    json_decref(kb);
    sqlite3 *db = store_db(s);
    suggest *sg = suggest_open(db, err, sizeof err);
    sqlite3_stmt *st = NULL;
    if (!sg || suggest_use_synonyms(sg, "data/synonyms.tsv", err, sizeof err) != 0 || sqlite3_prepare_v2(db,
                                  "SELECT kb.id FROM kb_fts JOIN kb ON kb.rowid = kb_fts.rowid WHERE kb_fts MATCH ?1"
                                  " ORDER BY bm25(kb_fts) LIMIT 1",
                                  -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_relevance: %s\n", err[0] ? err : sqlite3_errmsg(db));
        exit(1);
    }
    figures f = {0};
    size_t i;
    json_t *item;
    json_array_foreach(eval, i, item) {
        const char *text = json_string_value(json_array_get(item, 0));
        const char *want = json_string_value(json_array_get(item, 1));
        char top[SUGGEST_SOURCE_LEN];
        f.total++;
        if (bm25_top(db, st, text, top, sizeof top) && !strcmp(top, want))
            f.bm25++;
        suggest_recent r;
        r.count = 0;
        suggest_hit h;
        if (!suggest_recent_add(sg, &r, text) || suggest_rank_recent(sg, &r, NULL, NULL, 0, NULL, &h, 1) != 1)
            continue;
        bool right = !strcmp(h.source, want);
        f.ours += right;
        f.shown += right && h.confidence >= SUGGEST_MIN_CONFIDENCE;
        for (int k = 0; k < SWEEP; k++)
            f.sweep_shown[k] += right && h.confidence >= sweep_threshold(k);
    }
    json_array_foreach(oos, i, item) {
        const char *text = json_string_value(json_array_get(item, 0));
        f.oos_total++;
        suggest_recent r;
        r.count = 0;
        suggest_hit h;
        bool added = suggest_recent_add(sg, &r, text);
        f.oos_rejected += !added || suggest_search_recent(sg, &r, NULL, NULL, 0, NULL, &h, 1) == 0;
        double conf = added && suggest_rank_recent(sg, &r, NULL, NULL, 0, NULL, &h, 1) == 1 ? h.confidence : 0;
        for (int k = 0; k < SWEEP; k++)
            f.sweep_rejected[k] += conf < sweep_threshold(k);
    }
    double ours = (double)f.ours / f.total, bm25 = (double)f.bm25 / f.total;
    printf("relevance %s: top-1 %.3f, plain BM25 %.3f (%+.3f), %d utterances; in scope shown right %.3f;"
           " out-of-scope rejected %.3f (%d/%d) at confidence %.2f\n",
           label, ours, bm25, ours - bm25, f.total, (double)f.shown / f.total,
           (double)f.oos_rejected / f.oos_total, f.oos_rejected, f.oos_total, SUGGEST_MIN_CONFIDENCE);
    if (sweep)
        for (int k = 0; k < SWEEP; k++)
            printf("  threshold %.2f: in scope shown right %.3f, out-of-scope rejected %.3f\n", sweep_threshold(k),
                   (double)f.sweep_shown[k] / f.total, (double)f.sweep_rejected[k] / f.oos_total);
    sqlite3_finalize(st);
    suggest_close(sg);
    store_close(s);
    unlink(path);
    char side[160];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    bool test = false, sweep = false, speed_only = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--test"))
            test = true;
        else if (!strcmp(argv[i], "--sweep"))
            sweep = true;
        else if (!strcmp(argv[i], "--speed"))
            speed_only = true;
        else if (strcmp(argv[i], "--quick")) {
            fprintf(stderr, "usage: bench_relevance [--test] [--sweep] [--speed]\n");
            return 2;
        }
    }
    json_error_t je;
    json_t *data = json_load_file(DATA, 0, &je);
    if (!data) {
        fprintf(stderr, "bench_relevance: %s: %s (run from the repository root)\n", DATA, je.text);
        return 1;
    }
    intents in = {0};
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(data, "train"), i, item) {
        int k = intent_index(&in, json_string_value(json_array_get(item, 1)));
        if (k >= 0)
            json_array_append(in.phrases[k], json_array_get(item, 0));
    }
    json_t *eval = json_object_get(data, test ? "test" : "val");
    json_t *oos = json_object_get(data, test ? "oos_test" : "oos_val");
    const char *split = test ? "test" : "val";
    char label[64];
    if (!speed_only) {
        snprintf(label, sizeof label, "CLINC150 %s, 10 phrasings an article", split);
        run(label, &in, 10, eval, oos, sweep);
        snprintf(label, sizeof label, "CLINC150 %s, all phrasings (100) an article", split);
        run(label, &in, 0, eval, oos, sweep);
    }
    if (!test)
        speed(&in, eval);
    for (int k = 0; k < in.n; k++)
        json_decref(in.phrases[k]);
    json_decref(data);
    return 0;
}
