/* suggest.c — knowledge-base suggestions on SQLite FTS5 (see suggest.h). */
#include "hub/assist/suggest_private.h"
#include "base/strhash.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

/* bm25 with the title weighing most, then tags, then the body, in the ORDER BY (not the
 * table's persistent rank setting). A plain join: a subquery would be materialized, which
 * costs more than joining the few rows the chosen terms match. */
static const char query_sql[] =
    "SELECT kb.rowid, kb.id, kb.title, kb.category, kb.boost, bm25(kb_fts, 10.0, 1.0, 5.0) AS r"
    " FROM kb_fts JOIN kb ON kb.rowid = kb_fts.rowid WHERE kb_fts MATCH ?1 ORDER BY r LIMIT ?2";
/* One b-tree for the whole index: FTS5 looks every query term up in each of its b-trees,
 * and an index built row by row (imports) has many. Invisible to readers. */
static const char optimize_sql[] = "INSERT INTO kb_fts(kb_fts) VALUES('optimize')";
static const char reply_sql[] = "SELECT reply FROM kb WHERE rowid = ?1";
/* One vote per user, interaction and article (a unique index): dismissing the same
 * article ten times on one call is one dismissal; changing one's mind replaces the vote. */
static const char prior_sql[] =
    "SELECT action FROM suggestion_feedback WHERE article_id = ?1 AND iid = ?2 AND user = ?3";
static const char feedback_sql[] =
    "INSERT INTO suggestion_feedback(sid, article_id, iid, user, action, ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT(article_id, iid, user) DO UPDATE SET sid = excluded.sid, action = excluded.action,"
    " ts = excluded.ts";
/* the new boost goes to the articles in memory (suggest_rank_boost_moved) */
static const char boost_sql[] =
    "UPDATE kb SET boost = MAX(-?3, MIN(?3, boost + ?2)) WHERE id = ?1 RETURNING rowid, boost";
/* A vote inside a transaction also writes the temp database, whose transaction state then
 * tells the ranking when that transaction has ended (suggest_rank.c, settle_votes). */
static const char votes_table_sql[] = "CREATE TEMP TABLE IF NOT EXISTS suggest_votes(k INTEGER PRIMARY KEY)";
static const char vote_mark_sql[] = "INSERT OR REPLACE INTO temp.suggest_votes(k) VALUES (1)";
/* a temp table: nothing is written to the hub's database */
static const char vocab_table_sql[] =
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.suggest_kb_vocab USING fts5vocab(main, kb_fts, row)";
static const char vocab_sql[] = "SELECT term, doc FROM temp.suggest_kb_vocab";
static const char total_sql[] = "SELECT count(*) FROM kb";
static const char data_version_sql[] = "PRAGMA data_version";
/* FTS5's record of the row count and token totals (row 1 of its %_data table): it changes
 * when the indexed text does, not when only kb.boost does */
static const char averages_sql[] = "SELECT block FROM kb_fts_data WHERE id = 1";
/* its structure record (row 10): every write to the index moves it, also one that keeps the
 * totals (a word replaced by another), which bm25 in memory must not miss */
static const char structure_sql[] = "SELECT block FROM kb_fts_data WHERE id = 10";

/* The kb.category values serving each queue besides the one named like it. */
static const struct {
    const char *queue;
    const char *categories[3];
} queue_categories[] = {
    {"billing", {"billing", "refunds"}},   {"tech", {"devices", "outages"}},
    {"sales", {"sales", "moving"}},        {"retention", {"retention", "complaints"}},
    {"fraud", {"fraud", "account"}},       {"delivery", {"delivery", "refunds"}},
};

bool suggest_category_serves(const char *category, const char *queue)
{
    if (!category || !queue || !*category || !*queue)
        return false;
    if (!strcmp(category, queue))
        return true;
    for (size_t i = 0; i < sizeof queue_categories / sizeof queue_categories[0]; i++) {
        if (strcmp(queue_categories[i].queue, queue))
            continue;
        for (size_t k = 0; k < 3 && queue_categories[i].categories[k]; k++)
            if (!strcmp(queue_categories[i].categories[k], category))
                return true;
    }
    return false;
}

/* ---- document frequencies ------------------------------------------------------------ */

int suggest_lookup_df(const suggest *s, const char *stem)
{
    if (!s->nslots)
        return 0;
    for (size_t i = strhash_fnv1a(stem) & (s->nslots - 1);; i = (i + 1) & (s->nslots - 1)) {
        if (!s->slots[i].stem)
            return 0;
        if (!strcmp(s->slots[i].stem, stem))
            return s->slots[i].df;
    }
}

/* A hash of the index's structure record; 0 when there is none. */
static uint64_t structure_of(suggest *s)
{
    sqlite3_stmt *st = s->structure_rec;
    uint64_t h = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const void *b = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        h = strhash_fnv1a64(STRHASH64_SEED, b ? b : "", b && n > 0 ? (size_t)n : 0);
    }
    sqlite3_reset(st);
    return h;
}

/* Reads fts5vocab twice: sizes, then the table. On failure the table is left empty (no
 * suggestions rather than wrong ones). */
static void load_vocab(suggest *s)
{
    /* the knowledge base is new or changed: a good time to make its index one b-tree (a
     * failure, e.g. a read-only db, only costs speed) */
    sqlite3_exec(s->db, optimize_sql, NULL, NULL, NULL);
    s->structure = structure_of(s);   /* what optimize made of it */
    free(s->slots);
    free(s->pool);
    s->slots = NULL;
    s->pool = NULL;
    s->nslots = 0;
    sqlite3_stmt *t = s->total;
    s->articles = sqlite3_step(t) == SQLITE_ROW ? sqlite3_column_int(t, 0) : 0;
    sqlite3_reset(t);
    size_t terms = 0, bytes = 0;
    sqlite3_stmt *v = s->vocab;
    while (sqlite3_step(v) == SQLITE_ROW) {
        int n = sqlite3_column_bytes(v, 0);
        if (n > 0 && n < SUGGEST_TERM_LEN) {
            terms++;
            bytes += (size_t)n + 1;
        }
    }
    sqlite3_reset(v);
    size_t nslots = 16;
    while (nslots < terms * 2)
        nslots *= 2;
    if (!(s->slots = calloc(nslots, sizeof *s->slots)) || !(s->pool = malloc(bytes + 1))) {
        free(s->slots);
        s->slots = NULL;
        return;
    }
    s->nslots = nslots;
    size_t used = 0, loaded = 0;
    while (sqlite3_step(v) == SQLITE_ROW && loaded < terms) {
        const char *term = (const char *)sqlite3_column_text(v, 0);
        int n = sqlite3_column_bytes(v, 0);
        if (!term || n <= 0 || n >= SUGGEST_TERM_LEN || used + (size_t)n + 1 > bytes)
            continue;
        char *stem = memcpy(s->pool + used, term, (size_t)n);
        stem[n] = 0;
        used += (size_t)n + 1;
        size_t i = strhash_fnv1a(stem) & (nslots - 1);
        while (s->slots[i].stem)
            i = (i + 1) & (nslots - 1);
        s->slots[i].stem = stem;
        s->slots[i].df = sqlite3_column_int(v, 1);
        loaded++;
    }
    sqlite3_reset(v);
    suggest_rank_load(s);
}

/* Has the indexed text changed since the table was built? Remembers the new state. */
static bool totals_changed(suggest *s)
{
    uint64_t structure = structure_of(s);
    bool moved = structure != s->structure;
    s->structure = structure;
    sqlite3_stmt *a = s->averages;
    int n = -1;
    bool changed = true;
    if (sqlite3_step(a) == SQLITE_ROW) {
        const void *b = sqlite3_column_blob(a, 0);   /* before _bytes, as SQLite asks */
        n = sqlite3_column_bytes(a, 0);
        if (n < 0 || n > (int)sizeof s->totals || (n && !b))
            n = -1;
        changed = n < 0 || n != s->ntotals || (n && memcmp(b, s->totals, (size_t)n) != 0);
        if (n > 0)
            memcpy(s->totals, b, (size_t)n);
    }
    sqlite3_reset(a);
    s->ntotals = n;
    return changed || moved;
}

/* Another connection's commit (an import while the hub runs) bumps data_version; the table
 * is rebuilt when that commit changed the indexed text. */
static void check_version(suggest *s)
{
    sqlite3_stmt *d = s->data_version;
    int version = sqlite3_step(d) == SQLITE_ROW ? sqlite3_column_int(d, 0) : 0;
    sqlite3_reset(d);
    if (version != s->version) {
        s->version = version;
        /* both checks run: each remembers the new state */
        bool text = totals_changed(s), examples = suggest_rank_examples_changed(s);
        if (text || examples)
            load_vocab(s);
        else
            suggest_rank_reread(s);   /* a reply, a category, a boost may have changed */
    }
}

void suggest_refresh(suggest *s)
{
    if (!s)
        return;
    totals_changed(s);
    suggest_rank_examples_changed(s);
    load_vocab(s);
}

int suggest_df(suggest *s, const char *stem)
{
    if (!s)
        return 0;
    check_version(s);
    return stem ? suggest_lookup_df(s, stem) : s->articles;
}

/* ---- open and close ------------------------------------------------------------------- */

static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

static bool prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK;
}

suggest *suggest_open(sqlite3 *db, char *err, size_t errlen)
{
    suggest *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "suggest: out of memory");
        return NULL;
    }
    s->db = db;
    fts5_api *api = fts5_api_of(db);
    void *porter_data = NULL;
    const char *porter_args[] = {"unicode61"};   /* as kb_fts: tokenize='porter unicode61' */
    if (!api || api->xFindTokenizer(api, "porter", &porter_data, &s->tokenizer) != SQLITE_OK ||
        s->tokenizer.xCreate(porter_data, porter_args, 1, &s->porter) != SQLITE_OK) {
        snprintf(err, errlen, "suggest: FTS5 porter tokenizer not available");
        s->porter = NULL;
        suggest_close(s);
        return NULL;
    }
    if (sqlite3_exec(db, vocab_table_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, votes_table_sql, NULL, NULL, NULL) != SQLITE_OK || !prepare(db, query_sql, &s->query) ||
        !prepare(db, reply_sql, &s->reply) || !prepare(db, prior_sql, &s->prior) ||
        !prepare(db, feedback_sql, &s->feedback) ||
        !prepare(db, boost_sql, &s->boost) || !prepare(db, vocab_sql, &s->vocab) ||
        !prepare(db, total_sql, &s->total) || !prepare(db, data_version_sql, &s->data_version) ||
        !prepare(db, averages_sql, &s->averages) || !prepare(db, structure_sql, &s->structure_rec) ||
        !prepare(db, vote_mark_sql, &s->vote_mark) || !prepare(db, "BEGIN", &s->begin) ||
        !prepare(db, "COMMIT", &s->commit) || !suggest_rank_prepare(s)) {
        snprintf(err, errlen, "suggest: %s", sqlite3_errmsg(db));
        suggest_close(s);
        return NULL;
    }
    s->ntotals = -1;
    s->version = -1;
    check_version(s);
    return s;
}

void suggest_close(suggest *s)
{
    if (!s)
        return;
    if (s->porter)
        s->tokenizer.xDelete(s->porter);
    sqlite3_finalize(s->query);
    sqlite3_finalize(s->reply);
    sqlite3_finalize(s->prior);
    sqlite3_finalize(s->feedback);
    sqlite3_finalize(s->boost);
    sqlite3_finalize(s->vocab);
    sqlite3_finalize(s->total);
    sqlite3_finalize(s->data_version);
    sqlite3_finalize(s->averages);
    sqlite3_finalize(s->structure_rec);
    sqlite3_finalize(s->vote_mark);
    sqlite3_finalize(s->begin);
    sqlite3_finalize(s->commit);
    suggest_rank_free(s);
    free(s->slots);
    free(s->pool);
    free(s);
}

/* ---- content words ---------------------------------------------------------------------- */

typedef struct {
    const suggest *s;
    const char *text;
    suggest_term *out;
    int n, max;
} token_ctx;

/* One token from the porter tokenizer: kept when it is a known, non-stop content word. */
static int on_token(void *ctx, int flags, const char *token, int ntoken, int start, int end)
{
    token_ctx *t = ctx;
    (void)flags;
    int len = end - start;
    if (t->n >= t->max || len < 2 || len >= SUGGEST_TERM_LEN || ntoken < 1 || ntoken >= SUGGEST_TERM_LEN)
        return SQLITE_OK;
    suggest_term *term = &t->out[t->n];
    bool letters = false;
    for (int i = 0; i < len; i++) {
        unsigned char c = (unsigned char)t->text[start + i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        letters = letters || (c >= 'a' && c <= 'z') || c >= 0x80;
        term->word[i] = (char)c;
    }
    term->word[len] = 0;
    memcpy(term->stem, token, (size_t)ntoken);
    term->stem[ntoken] = 0;
    /* the stem too: "sos" stems to "so" */
    if ((!letters && len < 3) || suggest_words_is_stop(term->word) || suggest_words_is_stop(term->stem) ||
        !suggest_lookup_df(t->s, term->stem))
        return SQLITE_OK;
    for (int k = 0; k < t->n; k++)
        if (!strcmp(t->out[k].stem, term->stem))
            return SQLITE_OK;
    t->n++;
    return SQLITE_OK;
}

static int terms_of(const suggest *s, const char *text, suggest_term *out, int max)
{
    if (!s->porter || !text || max <= 0)
        return 0;
    size_t len = strlen(text);
    token_ctx t = {s, text, out, 0, max};
    s->tokenizer.xTokenize(s->porter, &t, FTS5_TOKENIZE_DOCUMENT, text, len > INT_MAX ? INT_MAX : (int)len, on_token);
    return t.n;
}

int suggest_terms_of(suggest *s, const char *text, suggest_term *out, int max)
{
    if (!s)
        return 0;
    check_version(s);
    return terms_of(s, text, out, max);
}

bool suggest_match_expr(char terms[][SUGGEST_TERM_LEN], int nterms, char *out, size_t outlen)
{
    size_t o = 0;
    if (nterms <= 0 || outlen == 0)
        return false;
    for (int t = 0; t < nterms; t++) {
        /* worst case per term: " OR " + quotes + every byte doubled */
        if (o + 6 + 2 * strlen(terms[t]) + 1 > outlen)
            return false;
        if (t)
            o += (size_t)sprintf(out + o, " OR ");
        out[o++] = '"';
        for (const char *p = terms[t]; *p; p++) {
            if (*p == '"')
                out[o++] = '"';
            out[o++] = *p;
        }
        out[o++] = '"';
    }
    out[o] = 0;
    return true;
}

/* ---- replies ---------------------------------------------------------------------------- */

/* Appends s[0..n) to out without splitting a UTF-8 sequence at the limit. */
static size_t append(char *out, size_t o, size_t outlen, const char *s, size_t n)
{
    n = text_prefix_len(s, n, outlen - o - 1);
    memcpy(out + o, s, n);
    return o + n;
}

void suggest_fill_reply(const char *tmpl, const suggest_fill *fill, char *out, size_t outlen)
{
    static const char *const names[] = {
        "{customer.first_name}", "{customer.last_name}", "{customer.tier}", "{customer.plan}",
        "{agent.name}",
    };
    const char *values[] = {fill ? fill->first_name : NULL, fill ? fill->last_name : NULL,
                            fill ? fill->tier : NULL, fill ? fill->plan : NULL,
                            fill ? fill->agent_name : NULL};
    size_t o = 0;
    if (outlen == 0)
        return;
    const char *p = tmpl ? tmpl : "";
    while (*p && o + 1 < outlen) {
        const char *brace = strchr(p, '{');
        if (!brace) {
            o = append(out, o, outlen, p, strlen(p));
            break;
        }
        o = append(out, o, outlen, p, (size_t)(brace - p));
        size_t k, nl = 0;
        for (k = 0; k < sizeof names / sizeof names[0]; k++) {
            nl = strlen(names[k]);
            if (strncmp(brace, names[k], nl) == 0)
                break;
        }
        if (k == sizeof names / sizeof names[0]) {
            o = append(out, o, outlen, "{", 1);
            p = brace + 1;
            continue;
        }
        const char *v = values[k] ? values[k] : "";
        p = brace + nl;
        if (!*v) {
            /* "that, {customer.first_name}." -> "that." : drop the address, not the sentence */
            if (o > 0 && out[o - 1] == ' ')
                o--;
            if (o > 0 && out[o - 1] == ',' && (*p == '.' || *p == ',' || *p == '!' || *p == '?'))
                o--;
            continue;
        }
        o = append(out, o, outlen, v, strlen(v));
    }
    out[o] = 0;
}

void suggest_copy_text(const char *v, char *out, size_t outlen)
{
    size_t o = append(out, 0, outlen, v ? v : "", v ? strlen(v) : 0);
    out[o] = 0;
}

/* The boost step of one vote; 0 for anything but "used" and "dismissed". */
static double feedback_step(const char *action)
{
    if (action && !strcmp(action, "used"))
        return SUGGEST_FEEDBACK_STEP;
    if (action && !strcmp(action, "dismissed"))
        return -SUGGEST_FEEDBACK_STEP;
    return 0;
}

int suggest_feedback(suggest *s, const char *sid, const char *article_id, const char *iid,
                     const char *user, const char *action, int64_t ts_ms)
{
    double step = feedback_step(action);
    if (step == 0)
        return -1;
    iid = iid ? iid : "";
    user = user ? user : "";
    sqlite3_stmt *p = s->prior;
    sqlite3_bind_text(p, 1, article_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(p, 2, iid, -1, SQLITE_STATIC);
    sqlite3_bind_text(p, 3, user, -1, SQLITE_STATIC);
    int rc = sqlite3_step(p);
    double before = rc == SQLITE_ROW ? feedback_step((const char *)sqlite3_column_text(p, 0)) : 0;
    sqlite3_reset(p);
    sqlite3_clear_bindings(p);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    if (before == step)
        return 0; /* the same vote again: already counted */
    step -= before;
    sqlite3_stmt *f = s->feedback;
    sqlite3_bind_text(f, 1, sid, -1, SQLITE_STATIC);
    sqlite3_bind_text(f, 2, article_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(f, 3, iid, -1, SQLITE_STATIC);
    sqlite3_bind_text(f, 4, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(f, 5, action, -1, SQLITE_STATIC);
    sqlite3_bind_int64(f, 6, ts_ms);
    rc = sqlite3_step(f);
    sqlite3_reset(f);
    sqlite3_clear_bindings(f);
    if (rc != SQLITE_DONE)
        return -1;
    sqlite3_stmt *b = s->boost;
    sqlite3_bind_text(b, 1, article_id, -1, SQLITE_STATIC);
    sqlite3_bind_double(b, 2, step);
    sqlite3_bind_double(b, 3, SUGGEST_BOOST_LIMIT);
    while ((rc = sqlite3_step(b)) == SQLITE_ROW)
        suggest_rank_boost_moved(s, sqlite3_column_int64(b, 0), sqlite3_column_double(b, 1));
    sqlite3_reset(b);
    sqlite3_clear_bindings(b);
    if (rc != SQLITE_DONE)
        return -1;
    if (!sqlite3_get_autocommit(s->db)) {
        /* the vote is stored whatever this does: failing, it only lets the ranking re-read
         * the boost before the transaction ends, seeing the vote as now */
        sqlite3_step(s->vote_mark);
        sqlite3_reset(s->vote_mark);
    }
    return 0;
}
