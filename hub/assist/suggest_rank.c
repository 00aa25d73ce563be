/* suggest_rank.c — the ranking of suggestions: the intent model over the articles'
 * examples, bm25 over their text, the queue and the feedback boost (see suggest.h). */
#include "hub/assist/suggest_private.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/text.h"

/* bm25 alone for the candidates: the rest of an article is read only for those ranked */
static const char bm25_sql[] =
    "SELECT rowid, bm25(kb_fts, 10.0, 1.0, 5.0) AS r FROM kb_fts WHERE kb_fts MATCH ?1 ORDER BY r LIMIT ?2";
static const char article_sql[] = "SELECT id, title, category, boost FROM kb WHERE rowid = ?1";
static const char examples_sql[] = "SELECT rowid, title, tags, examples FROM kb ORDER BY rowid";
static const char examples_sig_sql[] = "SELECT count(*), total(length(examples)), max(rowid) FROM kb";

/* Weights of the finals in the intent query, the newest first. */
static const float recent_weights[SUGGEST_RECENT] = {1.0f, 0.35f, 0.15f};

bool suggest_rank_prepare(suggest *s)
{
    return sqlite3_prepare_v3(s->db, bm25_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->bm25, NULL) == SQLITE_OK &&
           sqlite3_prepare_v3(s->db, article_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->article, NULL) == SQLITE_OK &&
           sqlite3_prepare_v3(s->db, examples_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->examples, NULL) == SQLITE_OK &&
           sqlite3_prepare_v3(s->db, examples_sig_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->examples_sig, NULL) ==
               SQLITE_OK;
}

void suggest_rank_free(suggest *s)
{
    sqlite3_finalize(s->bm25);
    sqlite3_finalize(s->article);
    sqlite3_finalize(s->examples);
    sqlite3_finalize(s->examples_sig);
    suggest_intent_free(s->intent);
    suggest_synonyms_free(s->synonyms);
    wordvec_free(s->vectors);
    free(s->intent_rowid);
    s->intent = NULL;
    s->synonyms = NULL;
    s->vectors = NULL;
    s->intent_rowid = NULL;
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
    free(s->intent_rowid);
    s->intent = NULL;
    s->intent_rowid = NULL;
    s->intent_stale = true;
}

/* Builds the intent model now when it is stale. */
static void intent_ready(suggest *s)
{
    if (s->intent_stale)
        rank_build(s);
}

static void rank_build(suggest *s)
{
    suggest_rank_load(s);
    s->intent_stale = false;
    if (s->articles <= 0)
        return;
    suggest_intent *m = suggest_intent_new(s->synonyms, s->vectors);
    sqlite3_int64 *rowids = mem_alloc((size_t)s->articles * sizeof *rowids);
    sqlite3_stmt *st = s->examples;
    int n = 0;
    while (n < s->articles && sqlite3_step(st) == SQLITE_ROW) {
        rowids[n] = sqlite3_column_int64(st, 0);
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
        n++;
    }
    sqlite3_reset(st);
    if (n == 0 || suggest_intent_build(m, n) != 0) {
        suggest_intent_free(m);
        free(rowids);
        return;
    }
    s->intent = m;
    s->intent_rowid = rowids;
}

/* ---- the query ---------------------------------------------------------------------------- */

/* The best `max` of the n candidates to the front, best first (n is small: a selection
 * sort), each filled in with its reply text; ends the read transaction `own` opened. */
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

static bool group_expr(const pick *const *g, int n, char *out, size_t outlen)
{
    char words[SUGGEST_QUERY_TERMS + SUGGEST_CONTEXT_TERMS][SUGGEST_TERM_LEN];
    for (int k = 0; k < n; k++)
        memcpy(words[k], g[k]->term->word, SUGGEST_TERM_LEN);
    return suggest_match_expr(words, n, out, outlen);
}

/* The MATCH expression for r's finals: (lead) AND (lead OR context). False when no word
 * of theirs is usable. */
static bool build_match(suggest *s, const suggest_recent *r, char *match, size_t matchlen)
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
    const pick *lead[SUGGEST_QUERY_TERMS], *context[SUGGEST_CONTEXT_TERMS];
    int nl = 0, nc = 0, rows = 0, walked = 0;
    for (int i = 0; i < na; i++) {
        if (all[i].age == all[0].age && nl < SUGGEST_QUERY_TERMS && rows + all[i].df <= budget) {
            lead[nl++] = &all[i];
            rows += all[i].df;
        } else if (nc < SUGGEST_CONTEXT_TERMS && walked + all[i].df <= SUGGEST_CONTEXT_BUDGET) {
            context[nc++] = &all[i];
            walked += all[i].df;
        }
    }
    if (!nl)
        return false;
    /* (lead) AND (lead OR context): the lead words appear twice, which doubles their weight */
    char lead_expr[SUGGEST_QUERY_TERMS * (2 * SUGGEST_TERM_LEN + 6) + 1];
    char all_expr[(SUGGEST_QUERY_TERMS + SUGGEST_CONTEXT_TERMS) * (2 * SUGGEST_TERM_LEN + 6) + 1];
    if (!group_expr(lead, nl, lead_expr, sizeof lead_expr))
        return false;
    if (nc) {
        const pick *both[SUGGEST_QUERY_TERMS + SUGGEST_CONTEXT_TERMS];
        int nb = 0;
        for (int k = 0; k < nl; k++)
            both[nb++] = lead[k];
        for (int k = 0; k < nc && nb < SUGGEST_QUERY_TERMS + SUGGEST_CONTEXT_TERMS; k++)
            both[nb++] = context[k];
        if (!group_expr(both, nb, all_expr, sizeof all_expr))
            return false;
        snprintf(match, matchlen, "(%s) AND (%s)", lead_expr, all_expr);
    } else {
        snprintf(match, matchlen, "%s", lead_expr);
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

/* The candidate for rowid, added when new; NULL when the table is full. */
static candidate *candidate_of(suggest *s, int *n, sqlite3_int64 rowid)
{
    for (int i = 0; i < *n; i++)
        if (s->cands[i].rowid == rowid)
            return &s->cands[i];
    if (*n == CANDIDATES_MAX)
        return NULL;
    candidate *c = &s->cands[(*n)++];
    memset(c, 0, sizeof *c);
    c->rowid = rowid;
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
        news = suggest_intent_query(s->intent, text, &best, 1) == 1 && best.score >= SUGGEST_MIN_CONFIDENCE;
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
    bool own = sqlite3_get_autocommit(s->db) && sqlite3_step(s->begin) == SQLITE_DONE;
    sqlite3_reset(s->begin);
    int n = 0;
    /* enough of the intent model's best that the shown ones cannot use them all up */
    intent_hit ih[INTENT_TOP_MAX];
    int want = max + (int)(nskip < INTENT_TOP_MAX ? nskip : INTENT_TOP_MAX) + SUGGEST_REORDER;
    int ni = s->intent ? intent_of(s, r, ih, want < INTENT_TOP_MAX ? want : INTENT_TOP_MAX) : 0;
    for (int i = 0; i < ni; i++) {
        candidate *c = candidate_of(s, &n, s->intent_rowid[ih[i].article]);
        if (c)
            c->intent = ih[i].score;
    }
    char match[(2 * SUGGEST_QUERY_TERMS + SUGGEST_CONTEXT_TERMS) * (2 * SUGGEST_TERM_LEN + 6) + 32];
    double best_bm25 = 0;
    if (build_match(s, r, match, sizeof match)) {
        sqlite3_stmt *st = s->bm25;
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, max + (int)(nskip < INTENT_TOP_MAX ? nskip : INTENT_TOP_MAX) + SUGGEST_REORDER);
        while (sqlite3_step(st) == SQLITE_ROW) {
            candidate *c = candidate_of(s, &n, sqlite3_column_int64(st, 0));
            if (!c)
                break;
            c->bm25 = -sqlite3_column_double(st, 1);
            if (c->bm25 > best_bm25)
                best_bm25 = c->bm25;
        }
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    /* the text scores first, best first: the article rows (id, category, boost) are read
     * only down the list until max + SUGGEST_REORDER unshown ones, as the queue bonus and the
     * boost reorder only near neighbours; shown ones drop out of the table */
    for (int i = 0; i < n; i++)
        s->cands[i].score = s->cands[i].intent + (best_bm25 > 0 ? SUGGEST_BM25_WEIGHT * s->cands[i].bm25 / best_bm25 : 0);
    qsort(s->cands, (size_t)n, sizeof s->cands[0], by_score);
    int kept = 0;
    for (int i = 0; i < n && kept < max + SUGGEST_REORDER; i++) {
        candidate c = s->cands[i];
        sqlite3_stmt *a = s->article;
        sqlite3_bind_int64(a, 1, c.rowid);
        if (sqlite3_step(a) != SQLITE_ROW) {
            sqlite3_reset(a);
            continue;
        }
        const char *id = (const char *)sqlite3_column_text(a, 0);
        bool shown = !id;
        for (size_t k = 0; k < nskip && !shown; k++)
            shown = skip[k] && strcmp(skip[k], id) == 0;
        if (!shown) {
            suggest_copy_text(id, c.source, sizeof c.source);
            suggest_copy_text((const char *)sqlite3_column_text(a, 1), c.title, sizeof c.title);
            if (queue && suggest_category_serves((const char *)sqlite3_column_text(a, 2), queue))
                c.score *= 1.0 + SUGGEST_QUEUE_BONUS;
            c.score += SUGGEST_BOOST_WEIGHT * sqlite3_column_double(a, 3);
            s->cands[kept++] = c;
        }
        sqlite3_reset(a);
    }
    return take_best(s, kept, max, fill, own, out);
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
