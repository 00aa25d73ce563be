/* test_suggest_bm25.c — bm25 in memory (hub/assist/suggest_bm25.h) against SQLite FTS5's own
 * bm25() on the same knowledge base: the same rows, in the same order, with the same scores,
 * for random MATCH expressions of the ranking's shape and for the ones the ranking builds
 * from utterances; and the articles in memory following votes (committed or rolled back)
 * and other connections' changes. */
#include "tests/unit/check.h"
#include "hub/assist/suggest_private.h"
#include "hub/store/import.h"
#include "hub/store/store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static unsigned next_rand(unsigned below)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % below);
}

static const char bm25_sql[] =
    "SELECT rowid, bm25(kb_fts, 10.0, 1.0, 5.0) AS r FROM kb_fts WHERE kb_fts MATCH ?1 ORDER BY r LIMIT ?2";

typedef struct {
    int queries, rows, exact;
    double worst;   /* largest relative difference of a score */
} tally;

/* The MATCH expression the ranking's query stands for, from the words as said (what the
 * suggester quoted when SQLite ran it): lead words alone, or (lead) AND (lead OR context). */
static bool match_of(const rank_query *q, char *out, size_t outlen)
{
    char words[2 * SUGGEST_QUERY_TERMS + SUGGEST_CONTEXT_TERMS][SUGGEST_TERM_LEN];
    for (int i = 0; i < q->n; i++)
        memcpy(words[i], q->phrase[i]->word, SUGGEST_TERM_LEN);
    char lead[1024], all[2048];
    if (!suggest_match_expr(words, q->nlead, lead, sizeof lead))
        return false;
    if (q->n == q->nlead)
        return snprintf(out, outlen, "%s", lead) < (int)outlen;
    if (!suggest_match_expr(words + q->nlead, q->n - q->nlead, all, sizeof all))
        return false;
    return snprintf(out, outlen, "(%s) AND (%s)", lead, all) < (int)outlen;
}

/* One query both ways, `limit` rows: every row the same, in the same order, the score within
 * 1e-9 of SQLite's (counted when bit for bit). */
static void compare(suggest *sg, const rank_query *q, int limit, tally *t)
{
    char match[4096];
    CHECK(match_of(q, match, sizeof match));
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(sg->db, bm25_sql, -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    const char *phrases[SUGGEST_BM25_PHRASES];
    for (int i = 0; i < q->n; i++)
        phrases[i] = q->phrase[i]->stem;
    suggest_bm25_hit *hits = calloc((size_t)limit, sizeof *hits);
    int n = suggest_bm25_query(sg->text, phrases, q->n, q->nlead, suggest_rank_weights, hits, limit);
    int k = 0;
    bool same = true;
    while (sqlite3_step(st) == SQLITE_ROW) {
        double want = -sqlite3_column_double(st, 1);
        if (k >= n || sg->kb[hits[k].doc].rowid != sqlite3_column_int64(st, 0)) {
            same = false;
            break;
        }
        double rel = fabs(hits[k].score - want) / fabs(want);
        if (rel > t->worst)
            t->worst = rel;
        t->exact += hits[k].score == want;
        k++;
    }
    if (!same || k != n)
        fprintf(stderr, "  differs at row %d of %d (%d in memory): %s LIMIT %d\n", k, n, n, match, limit);
    CHECK(same && k == n);
    sqlite3_finalize(st);
    free(hits);
    t->queries++;
    t->rows += k;
}

/* ---- a knowledge base like a real one ------------------------------------------------------ */

/* data/kb.json, variants of its articles drawn from their own words (as bench_assist grows it,
 * so words recur across many articles of a category), and a few odd ones: a word in every
 * column, non-ASCII words, no tags, a long body. */
static store *open_kb(const char *path, int variants)
{
    char err[256];
    store *s = store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return NULL;
    CHECK(import_file(s, "kb", "data/kb.json", err, sizeof err) > 0);
    sqlite3 *db = store_db(s);
    sqlite3_stmt *rd, *wr;
    CHECK(sqlite3_prepare_v2(db, "SELECT title, body, category, tags FROM kb ORDER BY rowid", -1, &rd, NULL) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db, "INSERT INTO kb(id, title, category, body, reply, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             -1, &wr, NULL) == SQLITE_OK);
    enum { REAL = 93 };
    char *title[REAL], *body[REAL], *category[REAL], *tags[REAL];
    int nreal = 0;
    while (nreal < REAL && sqlite3_step(rd) == SQLITE_ROW) {
        title[nreal] = strdup((const char *)sqlite3_column_text(rd, 0));
        body[nreal] = strdup((const char *)sqlite3_column_text(rd, 1));
        category[nreal] = strdup((const char *)sqlite3_column_text(rd, 2));
        tags[nreal] = strdup((const char *)sqlite3_column_text(rd, 3));
        nreal++;
    }
    sqlite3_finalize(rd);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (int i = 0; i < variants && nreal; i++) {
        int a = (int)next_rand((unsigned)nreal), b = (int)next_rand((unsigned)nreal);
        /* words of two articles, cut at random points */
        char t[256], bd[4096], id[32], reply[400];
        size_t la = strlen(body[a]), lb = strlen(body[b]);
        snprintf(t, sizeof t, "%.*s %s", (int)(strlen(title[a]) / 2 + 1), title[a], title[b]);
        snprintf(bd, sizeof bd, "%.*s %.*s %s", (int)next_rand((unsigned)la + 1), body[a], (int)next_rand((unsigned)lb + 1),
                 body[b], title[a]);
        snprintf(id, sizeof id, "VAR-%04d", i);
        snprintf(reply, sizeof reply, "About %s, {customer.first_name}: here is what I can do.", t);
        sqlite3_bind_text(wr, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(wr, 2, t, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(wr, 3, category[a], -1, SQLITE_STATIC);
        sqlite3_bind_text(wr, 4, bd, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(wr, 5, reply, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(wr, 6, next_rand(4) ? tags[b] : "", -1, SQLITE_STATIC);
        CHECK(sqlite3_step(wr) == SQLITE_DONE);
        sqlite3_reset(wr);
    }
    static const char *const odd[][4] = {
        {"Refund refund REFUND", "refund refunds refunded refunding, refund.", "refund,refunds", "ODD-1"},
        {"Ünïcode wörds: café crème", "Straße, naïve façade, résumé; café crème brûlée.", "café", "ODD-2"},
        {"Router", "router", "", "ODD-3"},
    };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        sqlite3_bind_text(wr, 1, odd[i][3], -1, SQLITE_STATIC);
        sqlite3_bind_text(wr, 2, odd[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(wr, 3, "billing", -1, SQLITE_STATIC);
        sqlite3_bind_text(wr, 4, odd[i][1], -1, SQLITE_STATIC);
        sqlite3_bind_text(wr, 5, "r", -1, SQLITE_STATIC);
        sqlite3_bind_text(wr, 6, odd[i][2], -1, SQLITE_STATIC);
        CHECK(sqlite3_step(wr) == SQLITE_DONE);
        sqlite3_reset(wr);
    }
    char longbody[20000] = "";
    for (int i = 0; i < 900; i++)
        strcat(longbody, i % 3 ? "broadband " : "line speed ");
    sqlite3_bind_text(wr, 1, "ODD-LONG", -1, SQLITE_STATIC);
    sqlite3_bind_text(wr, 2, "Broadband speed", -1, SQLITE_STATIC);
    sqlite3_bind_text(wr, 3, "devices", -1, SQLITE_STATIC);
    sqlite3_bind_text(wr, 4, longbody, -1, SQLITE_STATIC);
    sqlite3_bind_text(wr, 5, "r", -1, SQLITE_STATIC);
    sqlite3_bind_text(wr, 6, "broadband,speed", -1, SQLITE_STATIC);
    CHECK(sqlite3_step(wr) == SQLITE_DONE);
    sqlite3_finalize(wr);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    for (int i = 0; i < nreal; i++) {
        free(title[i]);
        free(body[i]);
        free(category[i]);
        free(tags[i]);
    }
    return s;
}

static suggest *open_suggest(store *s)
{
    char err[256];
    suggest *sg = suggest_open(store_db(s), err, sizeof err);
    CHECK(sg != NULL);
    if (!sg)
        return NULL;
    suggest_refresh(sg);   /* the variants were written on this connection */
    suggest_recent r = {0};
    suggest_recent_add(sg, &r, "refund");   /* builds the articles in memory */
    CHECK(sg->text != NULL && sg->nkb > 0);
    return sg;
}

/* Every content word of the articles' text, as said and as stemmed. */
static int word_pool(suggest *sg, suggest_term *pool, int max)
{
    sqlite3_stmt *st;
    int n = 0;
    CHECK(sqlite3_prepare_v2(sg->db, "SELECT title || ' ' || body || ' ' || tags FROM kb", -1, &st, NULL) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW && n < max) {
        suggest_term t[SUGGEST_MAX_TERMS];
        int k = suggest_terms_of(sg, (const char *)sqlite3_column_text(st, 0), t, SUGGEST_MAX_TERMS);
        for (int i = 0; i < k && n < max; i++) {
            bool seen = false;
            for (int j = 0; j < n && !seen; j++)
                seen = !strcmp(pool[j].stem, t[i].stem);
            if (!seen)
                pool[n++] = t[i];
        }
    }
    sqlite3_finalize(st);
    return n;
}

static void test_random_queries(void)
{
    store *s = open_kb(":memory:", 600);
    suggest *sg = open_suggest(s);
    if (!sg)
        return;
    CHECK_INT(sg->nkb, suggest_df(sg, NULL));
    CHECK_INT(suggest_bm25_docs(sg->text), sg->nkb);
    static suggest_term pool[3000];
    int np = word_pool(sg, pool, 3000);
    CHECK(np > 500);
    /* the document frequencies are FTS5's (fts5vocab's) */
    for (int i = 0; i < np; i++)
        if (suggest_bm25_df(sg->text, pool[i].stem) != suggest_df(sg, pool[i].stem)) {
            fprintf(stderr, "  df of %s: %d in memory, %d in fts5vocab\n", pool[i].stem,
                    suggest_bm25_df(sg->text, pool[i].stem), suggest_df(sg, pool[i].stem));
            CHECK(false);
            break;
        }
    tally t = {0};
    for (int k = 0; k < 3000; k++) {
        /* the ranking's shape: up to 6 lead words, twice when there are up to 6 others */
        rank_query q = {.n = 0};
        const suggest_term *lead[SUGGEST_QUERY_TERMS], *ctx[SUGGEST_CONTEXT_TERMS];
        int nl = 1 + (int)next_rand(SUGGEST_QUERY_TERMS), nc = (int)next_rand(SUGGEST_CONTEXT_TERMS + 1);
        for (int i = 0; i < nl + nc; i++) {
            const suggest_term *w = &pool[next_rand((unsigned)np)];
            bool dup = false;
            for (int j = 0; j < i && !dup; j++)
                dup = !strcmp((j < nl ? lead[j] : ctx[j - nl])->stem, w->stem);
            if (dup) {
                i--;
                continue;
            }
            if (i < nl)
                lead[i] = w;
            else
                ctx[i - nl] = w;
        }
        q.nlead = nl;
        for (int i = 0; i < nl; i++)
            q.phrase[q.n++] = lead[i];
        if (nc) {
            for (int i = 0; i < nl; i++)
                q.phrase[q.n++] = lead[i];
            for (int i = 0; i < nc; i++)
                q.phrase[q.n++] = ctx[i];
        }
        /* a short list as the ranking reads, and now and then every row */
        compare(sg, &q, k % 10 ? 1 + (int)next_rand(70) : sg->nkb, &t);
    }
    printf("  random queries: %d, %d rows compared, %d scores bit for bit, largest relative difference %.3g\n",
           t.queries, t.rows, t.exact, t.worst);
    CHECK(t.rows > 10000);
    CHECK(t.worst <= 1e-9);
    suggest_close(sg);
    store_close(s);
}

/* The queries the ranking itself builds from what customers say. */
static void test_ranking_queries(void)
{
    store *s = open_kb(":memory:", 300);
    suggest *sg = open_suggest(s);
    if (!sg)
        return;
    static const char *const calls[][3] = {
        {"I've been charged twice this month", "I want a refund for the duplicate charge", "and the bill is wrong"},
        {"my router keeps dropping the connection", "the lights are flashing orange", "I restarted it twice"},
        {"someone swapped my SIM card", "my phone just says SOS only", "the bank emailed about a new payee"},
        {"I'm moving house next month", "can I take my broadband with me", "the new address is in Leeds"},
        {"my parcel never arrived", "the tracking says delivered", "I want my money back"},
        {"I want to cancel my contract", "the price went up again", "what's the early termination fee"},
        {"café crème", "refund refund refund", "broadband speed on my line"},
    };
    tally t = {0};
    for (size_t c = 0; c < sizeof calls / sizeof calls[0]; c++) {
        suggest_recent r = {0};
        for (int u = 0; u < 3; u++) {
            if (!suggest_recent_add(sg, &r, calls[c][u]))
                continue;
            rank_query q;
            if (!suggest_rank_query_of(sg, &r, &q))
                continue;
            compare(sg, &q, SUGGEST_TOP + SUGGEST_REORDER, &t);
            compare(sg, &q, sg->nkb, &t);
        }
    }
    /* every article's title as an utterance */
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(sg->db, "SELECT title FROM kb", -1, &st, NULL) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        suggest_recent r = {0};
        rank_query q;
        if (suggest_recent_add(sg, &r, (const char *)sqlite3_column_text(st, 0)) && suggest_rank_query_of(sg, &r, &q))
            compare(sg, &q, SUGGEST_TOP + SUGGEST_REORDER, &t);
    }
    sqlite3_finalize(st);
    printf("  ranking's queries: %d, %d rows compared, %d scores bit for bit, largest relative difference %.3g\n",
           t.queries, t.rows, t.exact, t.worst);
    CHECK(t.queries > 300);
    CHECK(t.worst <= 1e-9);
    suggest_close(sg);
    store_close(s);
}

/* Hostile or odd queries cost nothing and find nothing wrong. */
static void test_query_bounds(void)
{
    suggest_bm25 *b = suggest_bm25_new();
    suggest_bm25_token(b, 0, "refund", 6);
    suggest_bm25_token(b, 1, "charg", 5);
    suggest_bm25_token(b, 7, "ignored", 7);    /* no such column */
    suggest_bm25_token(b, -1, "ignored", 7);
    suggest_bm25_end_doc(b);
    suggest_bm25_token(b, 1, "router", 6);
    suggest_bm25_end_doc(b);
    suggest_bm25_hit out[4];
    const char *p[SUGGEST_BM25_PHRASES + 1];
    for (int i = 0; i <= SUGGEST_BM25_PHRASES; i++)
        p[i] = "refund";
    CHECK_INT(suggest_bm25_query(b, p, 1, 1, suggest_rank_weights, out, 4), 0);   /* not finished */
    suggest_bm25_finish(b);
    CHECK_INT(suggest_bm25_docs(b), 2);
    CHECK_INT(suggest_bm25_df(b, "ignored"), 0);
    CHECK_INT(suggest_bm25_query(b, p, 1, 1, suggest_rank_weights, out, 4), 1);
    CHECK_INT(out[0].doc, 0);
    CHECK_INT(suggest_bm25_query(b, p, SUGGEST_BM25_PHRASES + 1, 1, suggest_rank_weights, out, 4), 0);
    CHECK_INT(suggest_bm25_query(b, p, 2, 0, suggest_rank_weights, out, 4), 0);
    CHECK_INT(suggest_bm25_query(b, p, 2, 3, suggest_rank_weights, out, 4), 0);
    CHECK_INT(suggest_bm25_query(b, p, 1, 1, suggest_rank_weights, out, 0), 0);
    const char *unknown[] = {"xylophon", ""};
    CHECK_INT(suggest_bm25_query(b, unknown, 2, 2, suggest_rank_weights, out, 4), 0);
    suggest_bm25_free(b);
}

/* ---- the articles in memory follow the database ---------------------------------------------- */

static int rank(suggest *sg, const char *text, suggest_hit *hits)
{
    suggest_recent r = {0};
    if (!suggest_recent_add(sg, &r, text))
        return 0;
    return suggest_rank_recent(sg, &r, "billing", NULL, 0, NULL, hits, SUGGEST_TOP);
}

static void remove_db(const char *path)
{
    char side[64];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* The score of article `id` among the hits, or -1. */
static double score_of(const suggest_hit *hits, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(hits[i].source, id))
            return hits[i].score;
    return -1;
}

static void vote_down(suggest *sg, const char *id)
{
    for (int i = 0; i < 10; i++) {   /* ten calls: the boost at its limit */
        char iid[16];
        snprintf(iid, sizeof iid, "I-%d", i);
        CHECK_INT(suggest_feedback(sg, "S", id, iid, "agent-1", "dismissed", 1000 + i), 0);
    }
}

static void test_votes_and_rollback(void)
{
    store *s = open_kb(":memory:", 0);
    suggest *sg = open_suggest(s);
    if (!sg)
        return;
    sqlite3 *db = store_db(s);
    static const char said[] = "I was charged twice on my bill";
    suggest_hit before[SUGGEST_TOP], hits[SUGGEST_TOP];
    int n = rank(sg, said, before);
    CHECK(n >= 2);
    if (n < 2)
        return;
    const char *id = before[0].source;
    double lower = before[0].score - SUGGEST_BOOST_WEIGHT * SUGGEST_BOOST_LIMIT;
    /* inside a transaction: seen within it, gone with its rollback */
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    vote_down(sg, id);
    CHECK_INT(sg->unsettled, 1);
    int k = rank(sg, said, hits);
    double within = score_of(hits, k, id);
    CHECK(within < 0 || fabs(within - lower) < 1e-12);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    CHECK_INT(rank(sg, said, hits), n);
    CHECK_INT(sg->unsettled, 0);
    for (int i = 0; i < n; i++) {
        CHECK_STR(hits[i].source, before[i].source);
        CHECK(hits[i].score == before[i].score);
    }
    /* the articles read again inside the vote's transaction (the knowledge base changed):
     * the rollback still takes the vote back */
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    vote_down(sg, id);
    suggest_refresh(sg);
    k = rank(sg, said, hits);
    within = score_of(hits, k, id);
    CHECK(within < 0 || fabs(within - lower) < 1e-12);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    CHECK_INT(rank(sg, said, hits), n);
    for (int i = 0; i < n; i++) {
        CHECK_STR(hits[i].source, before[i].source);
        CHECK(hits[i].score == before[i].score);
    }
    /* committed, it stays */
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    vote_down(sg, id);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    k = rank(sg, said, hits);
    double after = score_of(hits, k, id);
    CHECK(after < 0 || fabs(after - lower) < 1e-12);
    CHECK_INT(sg->unsettled, 0);
    /* a vote outside any transaction is stored at once: nothing to settle */
    CHECK_INT(suggest_feedback(sg, "S", id, "I-x", "agent-1", "used", 2000), 0);
    CHECK_INT(sg->unsettled, 0);
    suggest_close(sg);
    store_close(s);
}

/* Another connection changes what a hit shows, a boost, a word of the text (keeping the token
 * totals), the set of articles: the next ranking sees each, and bm25 stays FTS5's. */
static void test_other_connection(void)
{
    char err[256], path[] = "/tmp/test_suggest_bm25.XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    store *s = open_kb(path, 50);
    suggest *sg = open_suggest(s);
    if (!sg) {
        remove_db(path);
        return;
    }
    suggest_hit hits[SUGGEST_TOP];
    int n = rank(sg, "my router keeps dropping", hits);
    CHECK(n >= 1);
    char top[SUGGEST_SOURCE_LEN];
    snprintf(top, sizeof top, "%s", hits[0].source);
    store *other = store_open(path, err, sizeof err);
    CHECK(other != NULL);
    sqlite3 *odb = store_db(other);
    char sql[512];
    snprintf(sql, sizeof sql, "UPDATE kb SET reply = 'A new reply, {customer.first_name}.' WHERE id = '%s'", top);
    CHECK(sqlite3_exec(odb, sql, NULL, NULL, NULL) == SQLITE_OK);
    suggest_fill fill = {"Maria", NULL, NULL, NULL, NULL};
    suggest_recent r = {0};
    CHECK(suggest_recent_add(sg, &r, "my router keeps dropping"));
    CHECK(suggest_rank_recent(sg, &r, NULL, NULL, 0, &fill, hits, SUGGEST_TOP) >= 1);
    CHECK_STR(hits[0].source, top);
    CHECK_STR(hits[0].text, "A new reply, Maria.");
    /* a boost far down */
    snprintf(sql, sizeof sql, "UPDATE kb SET boost = -10 WHERE id = '%s'", top);
    CHECK(sqlite3_exec(odb, sql, NULL, NULL, NULL) == SQLITE_OK);
    CHECK(rank(sg, "my router keeps dropping", hits) >= 1);
    CHECK(strcmp(hits[0].source, top) != 0);
    /* one word of a body for another: the token totals stay, the index does not */
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(odb, "SELECT block FROM kb_fts_data WHERE id = 1", -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    unsigned char totals[256];
    int ntotals = sqlite3_column_bytes(st, 0);
    CHECK(ntotals > 0 && ntotals <= (int)sizeof totals);
    memcpy(totals, sqlite3_column_blob(st, 0), (size_t)ntotals);
    sqlite3_reset(st);
    CHECK(sqlite3_exec(odb, "UPDATE kb SET body = replace(body, 'router', 'gateway') WHERE rowid IN "
                            "(SELECT rowid FROM kb WHERE body LIKE '%router%' LIMIT 3)", NULL, NULL, NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_bytes(st, 0) == ntotals && !memcmp(sqlite3_column_blob(st, 0), totals, (size_t)ntotals));
    sqlite3_finalize(st);
    tally t = {0};
    static const char *const said[] = {"my router keeps dropping", "the gateway lights", "router router"};
    for (size_t i = 0; i < sizeof said / sizeof said[0]; i++) {
        suggest_recent rr = {0};
        rank_query q;
        if (suggest_recent_add(sg, &rr, said[i]) && suggest_rank_query_of(sg, &rr, &q)) {
            CHECK(sg->text != NULL);
            compare(sg, &q, sg->nkb, &t);
        }
    }
    CHECK(t.queries >= 2);
    CHECK(t.worst <= 1e-9);
    /* an article gone */
    n = rank(sg, "router", hits);
    CHECK(n >= 1 && score_of(hits, n, "ODD-3") > 0);
    CHECK(sqlite3_exec(odb, "DELETE FROM kb WHERE id = 'ODD-3'", NULL, NULL, NULL) == SQLITE_OK);
    n = rank(sg, "router", hits);
    CHECK(n >= 1 && score_of(hits, n, "ODD-3") < 0);
    store_close(other);
    suggest_close(sg);
    store_close(s);
    remove_db(path);
}

int main(void)
{
    RUN(test_random_queries);
    RUN(test_ranking_queries);
    RUN(test_query_bounds);
    RUN(test_votes_and_rollback);
    RUN(test_other_connection);
    return check_done("test_suggest_bm25");
}
