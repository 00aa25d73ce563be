/* suggest_rank.c — the ranking of suggestions: the intent model over the articles'
 * examples, bm25 over their text, the queue and the feedback boost (see suggest.h). The
 * articles are read once into memory (the model, bm25's postings, what a hit shows), when
 * the knowledge base changes, so ranking an utterance reads no database. */
#include "hub/assist/suggest_private.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/text.h"

/* Everything the ranking needs of an article, in one pass: the intent model's columns, the
 * body (bm25 reads title, body, tags), then what a hit shows (as articles_sql's) */
static const char examples_sql[] =
    "SELECT rowid, title, tags, examples, body, id, title, category, boost, reply FROM kb ORDER BY rowid";
static const char examples_sig_sql[] = "SELECT count(*), total(length(examples)), max(rowid) FROM kb";
/* what a hit shows and the boost, re-read after another connection's commit */
static const char articles_sql[] = "SELECT rowid, id, title, category, boost, reply FROM kb ORDER BY rowid";
static const char boost_of_sql[] = "SELECT boost FROM kb WHERE rowid = ?1";

const double suggest_rank_weights[SUGGEST_BM25_COLUMNS] = {10.0, 1.0, 5.0};
_Static_assert(2 * SUGGEST_QUERY_TERMS + SUGGEST_CONTEXT_TERMS <= SUGGEST_BM25_PHRASES,
               "a query's phrases fit bm25's");

/* Weights of the finals in the intent query, the newest first. */
static const float recent_weights[SUGGEST_RECENT] = {1.0f, 0.35f, 0.15f};

static bool prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK;
}

bool suggest_rank_prepare(suggest *s)
{
    return prepare(s->db, examples_sql, &s->examples) && prepare(s->db, examples_sig_sql, &s->examples_sig) &&
           prepare(s->db, articles_sql, &s->shown) && prepare(s->db, boost_of_sql, &s->boost_of);
}

void suggest_rank_free(suggest *s)
{
    sqlite3_finalize(s->examples);
    sqlite3_finalize(s->examples_sig);
    sqlite3_finalize(s->shown);
    sqlite3_finalize(s->boost_of);
    suggest_rank_load(s);
    suggest_synonyms_free(s->synonyms);
    wordvec_free(s->vectors);
    s->synonyms = NULL;
    s->vectors = NULL;
}

static void rank_build(suggest *s);

int suggest_use_synonyms(suggest *s, const char *path, char *err, size_t errlen)
{
    suggest_synonyms *syn = s ? suggest_synonyms_load(path, err, errlen) : NULL;
    if (!syn)
        return -1;
    /* the word vectors beside the table: none there keeps the model lexical, a file
     * that is there but refused is an error (a broken install should not pass quietly) */
    char vpath[4096];
    const char *slash = strrchr(path, '/');
    snprintf(vpath, sizeof vpath, "%.*s%s", slash ? (int)(slash - path + 1) : 0, path, SUGGEST_WORDVEC_FILE);
    bool missing = false;
    wordvec *wv = wordvec_load(vpath, &missing, err, errlen);
    if (!wv && !missing) {
        suggest_synonyms_free(syn);
        return -1;
    }
    /* the model borrows both: build the new one before the old ones go */
    suggest_synonyms *old = s->synonyms;
    wordvec *oldv = s->vectors;
    s->synonyms = syn;
    s->vectors = wv;
    rank_build(s);
    suggest_synonyms_free(old);
    wordvec_free(oldv);
    if (err && errlen)
        err[0] = 0;
    return 0;
}

bool suggest_rank_examples_changed(suggest *s)
{
    sqlite3_stmt *st = s->examples_sig;
    double sig[3] = {-1, -1, -1};
    if (sqlite3_step(st) == SQLITE_ROW)
        for (int i = 0; i < 3; i++)
            sig[i] = sqlite3_column_double(st, i);
    sqlite3_reset(st);
    bool changed = memcmp(sig, s->examples_state, sizeof sig) != 0;
    memcpy(s->examples_state, sig, sizeof sig);
    return changed;
}

void suggest_rank_load(suggest *s)
{
    suggest_intent_free(s->intent);
    suggest_bm25_free(s->text);
    free(s->kb);
    free(s->kb_pool);
    s->intent = NULL;
    s->text = NULL;
    s->kb = NULL;
    s->kb_pool = NULL;
    s->nkb = 0;
    s->unsettled = 0;
    s->intent_stale = true;
}

/* Builds the intent model now when it is stale. */
static void intent_ready(suggest *s)
{
    if (s->intent_stale)
        rank_build(s);
}

/* The strings of the articles, one after the other. */
typedef struct {
    char *p;
    size_t n, cap;
} text_pool;

/* Column col of st's row into the pool: its offset, KB_NULL for NULL. */
static size_t pool_add(text_pool *pl, sqlite3_stmt *st, int col)
{
    const unsigned char *v = sqlite3_column_text(st, col);   /* before _bytes, as SQLite asks */
    if (!v)
        return KB_NULL;
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    if (pl->n + n + 1 > pl->cap) {
        while (pl->n + n + 1 > pl->cap)
            pl->cap = pl->cap ? pl->cap * 2 : 65536;
        pl->p = mem_realloc(pl->p, pl->cap);
    }
    size_t at = pl->n;
    memcpy(pl->p + at, v, n);
    pl->p[at + n] = 0;
    pl->n += n + 1;
    return at;
}

/* What a hit shows of the article in st's row, and its boost, from columns id, title,
 * category, boost, reply at `first` on. */
static void read_shown(text_pool *pl, kb_article *a, sqlite3_stmt *st, int first)
{
    a->id = pool_add(pl, st, first);
    a->title = pool_add(pl, st, first + 1);
    a->category = pool_add(pl, st, first + 2);
    a->boost = sqlite3_column_double(st, first + 3);
    a->reply = pool_add(pl, st, first + 4);
    a->unsettled = false;
}

static const char *kb_str(const suggest *s, size_t at)
{
    return at == KB_NULL ? NULL : s->kb_pool + at;
}

typedef struct {
    suggest_bm25 *index;
    int column;
} text_ctx;

static int on_text_token(void *ctx, int flags, const char *token, int ntoken, int start, int end)
{
    text_ctx *t = ctx;
    (void)flags;
    (void)start;
    (void)end;
    suggest_bm25_token(t->index, t->column, token, ntoken);
    return SQLITE_OK;
}

/* The title, body and tags of st's row into bm25 as kb_fts indexed them: the same
 * tokenizer on the same bytes, column by column. */
static void index_text(suggest *s, suggest_bm25 *index, sqlite3_stmt *st)
{
    static const int columns[SUGGEST_BM25_COLUMNS] = {1, 4, 2};   /* examples_sql's title, body, tags */
    text_ctx t = {index, 0};
    for (int c = 0; c < SUGGEST_BM25_COLUMNS; c++) {
        const char *v = (const char *)sqlite3_column_text(st, columns[c]);
        int n = sqlite3_column_bytes(st, columns[c]);
        t.column = c;
        if (v && n > 0)
            s->tokenizer.xTokenize(s->porter, &t, FTS5_TOKENIZE_DOCUMENT, v, n, on_text_token);
    }
    suggest_bm25_end_doc(index);
}

static void rank_build(suggest *s)
{
    suggest_rank_load(s);
    s->intent_stale = false;
    if (s->articles <= 0)
        return;
    suggest_intent *m = suggest_intent_new(s->synonyms, s->vectors);
    suggest_bm25 *index = suggest_bm25_new();
    text_pool pl = {0};
    kb_article *kb = NULL;
    int n = 0, cap = 0;
    sqlite3_stmt *st = s->examples;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : s->articles;
            kb = mem_realloc(kb, (size_t)cap * sizeof *kb);
        }
        kb[n].rowid = sqlite3_column_int64(st, 0);
        /* the title and each tag are phrasings too: an article without examples still has
         * an intent, and one with examples keeps its name */
        suggest_intent_add(m, n, (const char *)sqlite3_column_text(st, 1));
        const char *tags = (const char *)sqlite3_column_text(st, 2);
        char tag[128];
        for (const char *p = tags ? tags : ""; *p;) {
            size_t len = strcspn(p, ",");
            snprintf(tag, sizeof tag, "%.*s", (int)(len < sizeof tag ? len : sizeof tag - 1), p);
            suggest_intent_add(m, n, tag);
            p += len + (p[len] == ',');
        }
        json_t *ex = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
        size_t i;
        json_t *e;
        json_array_foreach(ex, i, e)
            if (json_is_string(e))
                suggest_intent_add(m, n, json_string_value(e));
        json_decref(ex);
        index_text(s, index, st);
        read_shown(&pl, &kb[n], st, 5);
        n++;
    }
    sqlite3_reset(st);
    suggest_bm25_finish(index);
    if (n == 0) {
        suggest_intent_free(m);
        suggest_bm25_free(index);
        free(kb);
        free(pl.p);
        return;
    }
    if (suggest_intent_build(m, n) != 0)
        suggest_intent_free(m);   /* bm25 alone, then */
    else
        s->intent = m;
    s->kb = kb;
    s->nkb = n;
    s->kb_pool = pl.p;
    s->text = index;
    /* read inside a vote's transaction: the boosts are read again once it has ended */
    if (sqlite3_txn_state(s->db, "temp") == SQLITE_TXN_WRITE) {
        for (int i = 0; i < n; i++)
            kb[i].unsettled = true;
        s->unsettled = n;
    }
}

void suggest_rank_reread(suggest *s)
{
    if (s->intent_stale || !s->nkb)
        return;   /* read in full before the next use anyway */
    text_pool pl = {0};
    kb_article *kb = mem_alloc((size_t)s->nkb * sizeof *kb);
    int n = 0, rc;
    bool same = true;
    sqlite3_stmt *st = s->shown;
    while (same && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        same = n < s->nkb && sqlite3_column_int64(st, 0) == s->kb[n].rowid;
        if (same) {
            kb[n].rowid = s->kb[n].rowid;
            read_shown(&pl, &kb[n], st, 1);
            kb[n].unsettled = s->kb[n].unsettled;
            n++;
        }
    }
    sqlite3_reset(st);
    if (!same || rc != SQLITE_DONE || n != s->nkb) {
        /* other rows than the model's (or no answer): all of it again before its next use */
        free(kb);
        free(pl.p);
        suggest_rank_load(s);
        return;
    }
    free(s->kb);
    free(s->kb_pool);
    s->kb = kb;
    s->kb_pool = pl.p;
}

/* The article of kb.rowid `rowid`, or -1 (the articles are in rowid order). */
static int article_of(const suggest *s, sqlite3_int64 rowid)
{
    int lo = 0, hi = s->nkb;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (s->kb[mid].rowid < rowid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->nkb && s->kb[lo].rowid == rowid ? lo : -1;
}

void suggest_rank_boost_moved(suggest *s, sqlite3_int64 rowid, double boost)
{
    int i = article_of(s, rowid);
    if (i < 0)
        return;   /* not read yet: it will be */
    s->kb[i].boost = boost;
    if (!sqlite3_get_autocommit(s->db) && !s->kb[i].unsettled) {
        s->kb[i].unsettled = true;
        s->unsettled++;
    }
}

/* The boosts votes wrote inside a transaction, read again once it has ended: a rollback
 * took them back. The vote also wrote the temp database (suggest.c), whose transaction
 * state tells whether the one it wrote in is still open. */
static void settle_votes(suggest *s)
{
    if (!s->unsettled || sqlite3_txn_state(s->db, "temp") == SQLITE_TXN_WRITE)
        return;
    sqlite3_stmt *st = s->boost_of;
    for (int i = 0; i < s->nkb && s->unsettled; i++) {
        if (!s->kb[i].unsettled)
            continue;
        sqlite3_bind_int64(st, 1, s->kb[i].rowid);
        if (sqlite3_step(st) == SQLITE_ROW)
            s->kb[i].boost = sqlite3_column_double(st, 0);
        sqlite3_reset(st);
        s->kb[i].unsettled = false;
        s->unsettled--;
    }
}

/* ---- the query ---------------------------------------------------------------------------- */

/* The best `max` of the n candidates to the front, best first (n is small: a selection
 * sort), each filled in with its reply text (read with the articles, or for suggest_query's
 * from kb); ends the read transaction `own` opened. */
static int take_best(suggest *s, int n, int max, const suggest_fill *fill, bool own, suggest_hit *out)
{
    int got = n < max ? n : max;
    for (int i = 0; i < got; i++) {
        int best = i;
        for (int k = i + 1; k < n; k++)
            if (s->cands[k].score > s->cands[best].score)
                best = k;
        candidate tmp = s->cands[i];
        s->cands[i] = s->cands[best];
        s->cands[best] = tmp;
        suggest_hit *h = &out[i];
        memcpy(h->source, s->cands[i].source, sizeof h->source);
        memcpy(h->title, s->cands[i].title, sizeof h->title);
        h->score = s->cands[i].score;
        h->confidence = s->cands[i].intent > 1 ? 1 : s->cands[i].intent;
        if (s->cands[i].article >= 0) {
            suggest_fill_reply(kb_str(s, s->kb[s->cands[i].article].reply), fill, h->text, sizeof h->text);
            continue;
        }
        sqlite3_stmt *rp = s->reply;
        sqlite3_bind_int64(rp, 1, s->cands[i].rowid);
        const char *reply = sqlite3_step(rp) == SQLITE_ROW ? (const char *)sqlite3_column_text(rp, 0) : NULL;
        suggest_fill_reply(reply, fill, h->text, sizeof h->text);
        sqlite3_reset(rp);
    }
    if (own) {
        sqlite3_step(s->commit);
        sqlite3_reset(s->commit);
    }
    return got;
}

int suggest_query(suggest *s, const char *match, const char *queue, const char *const *skip, size_t nskip,
                  const suggest_fill *fill, suggest_hit *out, int max)
{
    if (!s || !match || !*match || max <= 0)
        return 0;
    size_t limit = (size_t)max + nskip + SUGGEST_CANDIDATES;
    if (limit > CANDIDATES_MAX)
        limit = CANDIDATES_MAX;
    /* one read transaction for the query and the replies, unless the caller has one open
     * (the hub's loop turn does): each statement would take and release the locks */
    bool own = sqlite3_get_autocommit(s->db) && sqlite3_step(s->begin) == SQLITE_DONE;
    sqlite3_reset(s->begin);
    sqlite3_stmt *st = s->query;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, (int)limit);
    int n = 0;
    while (n < CANDIDATES_MAX && sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 1);
        if (!id)
            continue;
        bool shown = false;
        for (size_t k = 0; k < nskip && !shown; k++)
            shown = skip[k] && strcmp(skip[k], id) == 0;
        if (shown)
            continue;
        candidate *c = &s->cands[n++];
        c->rowid = sqlite3_column_int64(st, 0);
        c->article = -1;
        c->intent = 0;      /* plain full-text search: no intent model score */
        suggest_copy_text(id, c->source, sizeof c->source);
        suggest_copy_text((const char *)sqlite3_column_text(st, 2), c->title, sizeof c->title);
        /* bm25 is negative, better when lower: -r is a positive relevance */
        c->score = -sqlite3_column_double(st, 5);
        if (queue && suggest_category_serves((const char *)sqlite3_column_text(st, 3), queue))
            c->score *= 1.0 + SUGGEST_QUEUE_BONUS;
        c->score += sqlite3_column_double(st, 4);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return take_best(s, n, max, fill, own, out);
}

typedef struct {
    const suggest_term *term;
    int df;
    int age;        /* 0: the newest final */
} pick;

bool suggest_rank_query_of(suggest *s, const suggest_recent *r, rank_query *q)
{
    /* no check_version: suggest_recent_add, called just before, did it */
    int common = (int)(s->articles * SUGGEST_COMMON_SHARE);
    if (common < SUGGEST_TOP * 2)
        common = SUGGEST_TOP * 2;
    /* every usable word once, the newest final's first, each final's rarest first */
    pick all[SUGGEST_RECENT * SUGGEST_MAX_TERMS];
    int na = 0;
    for (int u = 0; u < r->count && u < SUGGEST_RECENT; u++) {
        int n = r->nterms[u] < SUGGEST_MAX_TERMS ? r->nterms[u] : SUGGEST_MAX_TERMS;
        int first = na;
        for (int k = 0; k < n; k++) {
            const suggest_term *t = &r->terms[u][k];
            int d = suggest_lookup_df(s, t->stem);
            bool dup = d == 0 || d > common;
            for (int j = 0; j < na && !dup; j++)
                dup = !strcmp(all[j].term->stem, t->stem);
            if (dup)
                continue;
            int j = na++;
            for (; j > first && all[j - 1].df > d; j--)
                all[j] = all[j - 1];
            all[j] = (pick){t, d, u};
        }
    }
    /* the rows bm25 scores: those holding a word of the newest final that has usable ones,
     * within the row budget (which a knowledge base of a few times its size never reaches:
     * there every word leads); the other words only add to the score of those rows */
    int budget = s->articles <= 2 * SUGGEST_ROW_BUDGET ? s->articles * SUGGEST_QUERY_TERMS : SUGGEST_ROW_BUDGET;
    const suggest_term *lead[SUGGEST_QUERY_TERMS], *context[SUGGEST_CONTEXT_TERMS];
    int nl = 0, nc = 0, rows = 0, walked = 0;
    for (int i = 0; i < na; i++) {
        if (all[i].age == all[0].age && nl < SUGGEST_QUERY_TERMS && rows + all[i].df <= budget) {
            lead[nl++] = all[i].term;
            rows += all[i].df;
        } else if (nc < SUGGEST_CONTEXT_TERMS && walked + all[i].df <= SUGGEST_CONTEXT_BUDGET) {
            context[nc++] = all[i].term;
            walked += all[i].df;
        }
    }
    if (!nl)
        return false;
    /* (lead) AND (lead OR context): the lead words appear twice, which doubles their weight */
    q->n = 0;
    q->nlead = nl;
    for (int k = 0; k < nl; k++)
        q->phrase[q->n++] = lead[k];
    if (nc) {
        for (int k = 0; k < nl; k++)
            q->phrase[q->n++] = lead[k];
        for (int k = 0; k < nc; k++)
            q->phrase[q->n++] = context[k];
    }
    return true;
}

/* The newest finals as the intent model weighs them. */
static int intent_of(suggest *s, const suggest_recent *r, intent_hit *out, int max)
{
    const char *texts[SUGGEST_RECENT];
    int n = 0;
    for (int u = 0; u < r->count && u < SUGGEST_RECENT; u++)
        texts[n++] = r->text[u];
    return suggest_intent_query_many(s->intent, texts, recent_weights, n, out, max);
}

static int by_score(const void *a, const void *b)
{
    double x = ((const candidate *)a)->score, y = ((const candidate *)b)->score;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The candidate for article i, added when new; NULL when the table is full. */
static candidate *candidate_of(suggest *s, int *n, int i)
{
    for (int k = 0; k < *n; k++)
        if (s->cands[k].article == i)
            return &s->cands[k];
    if (*n == CANDIDATES_MAX)
        return NULL;
    candidate *c = &s->cands[(*n)++];
    memset(c, 0, sizeof *c);
    c->article = i;
    c->rowid = s->kb[i].rowid;
    return c;
}

bool suggest_recent_add(suggest *s, suggest_recent *r, const char *text)
{
    suggest_term fresh[SUGGEST_MAX_TERMS];
    int n = suggest_terms_of(s, text, fresh, SUGGEST_MAX_TERMS);
    bool news = false;
    for (int i = 0; i < n && !news; i++) {
        bool seen = false;
        for (int u = 0; u < r->count && !seen; u++)
            for (int k = 0; k < r->nterms[u] && !seen; k++)
                seen = !strcmp(r->terms[u][k].stem, fresh[i].stem);
        news = !seen;
    }
    if (s)
        intent_ready(s);
    if (!news && s && s->intent && n == 0) {
        intent_hit best;
        news = suggest_intent_query(s->intent, text, &best, 1) == 1 && best.score >= SUGGEST_TAKE_CONFIDENCE;
    }
    if (!news)
        return false;
    int keep = r->count < SUGGEST_RECENT ? r->count : SUGGEST_RECENT - 1;
    memmove(&r->terms[1], &r->terms[0], (size_t)keep * sizeof r->terms[0]);
    memmove(&r->nterms[1], &r->nterms[0], (size_t)keep * sizeof r->nterms[0]);
    memmove(&r->text[1], &r->text[0], (size_t)keep * sizeof r->text[0]);
    size_t len = strlen(text);
    if (len >= SUGGEST_KEEP_TEXT) {
        len = text_prefix_len(text, len, SUGGEST_KEEP_TEXT - 1);
        while (len > 0 && text[len] != ' ')   /* at a word: a cut word is another word */
            len--;
    }
    memcpy(r->text[0], text, len);
    r->text[0][len] = 0;
    memcpy(r->terms[0], fresh, (size_t)n * sizeof fresh[0]);
    r->nterms[0] = n;
    r->count = keep + 1;
    return true;
}


int suggest_rank_recent(suggest *s, const suggest_recent *r, const char *queue, const char *const *skip,
                        size_t nskip, const suggest_fill *fill, suggest_hit *out, int max)
{
    if (!s || !r || max <= 0 || r->count == 0)
        return 0;
    intent_ready(s);
    settle_votes(s);
    int n = 0;
    /* enough of the intent model's best that the shown ones cannot use them all up */
    intent_hit ih[INTENT_TOP_MAX];
    int want = max + (int)(nskip < INTENT_TOP_MAX ? nskip : INTENT_TOP_MAX) + SUGGEST_REORDER;
    int ni = s->intent ? intent_of(s, r, ih, want < INTENT_TOP_MAX ? want : INTENT_TOP_MAX) : 0;
    for (int i = 0; i < ni; i++) {
        candidate *c = ih[i].article >= 0 && ih[i].article < s->nkb ? candidate_of(s, &n, ih[i].article) : NULL;
        if (c)
            c->intent = ih[i].score;
    }
    /* bm25's best as ORDER BY bm25 LIMIT `want` gives them; past CANDIDATES_MAX + 1 none
     * would be read, as the table is full by then (it holds the intent model's ones besides) */
    rank_query q;
    double best_bm25 = 0;
    if (s->text && suggest_rank_query_of(s, r, &q)) {
        const char *phrases[SUGGEST_BM25_PHRASES];
        for (int i = 0; i < q.n; i++)
            phrases[i] = q.phrase[i]->stem;
        suggest_bm25_hit bh[CANDIDATES_MAX + 1];
        int nb = suggest_bm25_query(s->text, phrases, q.n, q.nlead, suggest_rank_weights, bh,
                                    want < CANDIDATES_MAX + 1 ? want : CANDIDATES_MAX + 1);
        for (int i = 0; i < nb; i++) {
            candidate *c = bh[i].doc < s->nkb ? candidate_of(s, &n, bh[i].doc) : NULL;
            if (!c)
                break;
            c->bm25 = bh[i].score;
            if (c->bm25 > best_bm25)
                best_bm25 = c->bm25;
        }
    }
    /* the text scores first, best first: down the list until max + SUGGEST_REORDER unshown
     * ones, as the queue bonus and the boost reorder only near neighbours; shown ones drop
     * out of the table */
    for (int i = 0; i < n; i++)
        s->cands[i].score = s->cands[i].intent + (best_bm25 > 0 ? SUGGEST_BM25_WEIGHT * s->cands[i].bm25 / best_bm25 : 0);
    qsort(s->cands, (size_t)n, sizeof s->cands[0], by_score);
    int kept = 0;
    for (int i = 0; i < n && kept < max + SUGGEST_REORDER; i++) {
        candidate c = s->cands[i];
        const kb_article *a = &s->kb[c.article];
        const char *id = kb_str(s, a->id);
        bool shown = !id;
        for (size_t k = 0; k < nskip && !shown; k++)
            shown = skip[k] && strcmp(skip[k], id) == 0;
        if (!shown) {
            suggest_copy_text(id, c.source, sizeof c.source);
            suggest_copy_text(kb_str(s, a->title), c.title, sizeof c.title);
            if (queue && suggest_category_serves(kb_str(s, a->category), queue))
                c.score *= 1.0 + SUGGEST_QUEUE_BONUS;
            c.score += SUGGEST_BOOST_WEIGHT * a->boost;
            s->cands[kept++] = c;
        }
    }
    return take_best(s, kept, max, fill, false, out);
}

int suggest_search_recent(suggest *s, const suggest_recent *r, const char *queue, const char *const *skip,
                          size_t nskip, const suggest_fill *fill, suggest_hit *out, int max)
{
    int n = suggest_rank_recent(s, r, queue, skip, nskip, fill, out, max), kept = 0;
    for (int i = 0; i < n; i++)
        if (out[i].confidence >= SUGGEST_MIN_CONFIDENCE)
            out[kept++] = out[i];
    return kept;
}

int suggest_for_text(suggest *s, const char *text, const suggest_fill *fill, suggest_hit *out, int max)
{
    suggest_recent r;
    r.count = 0;
    if (!suggest_recent_add(s, &r, text))
        return 0;
    return suggest_search_recent(s, &r, NULL, NULL, 0, fill, out, max);
}
