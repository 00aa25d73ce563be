/* suggest.c — knowledge-base suggestions on SQLite FTS5 (see suggest.h). */
#include "hub/assist/suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Document frequency of query terms, cached: the knowledge base changes rarely and callers
 * reuse a small vocabulary. Cleared (and the article count re-read) when full. */
#define DF_SLOTS 8192
#define DF_REFRESH 100000
typedef struct {
    char term[SUGGEST_TERM_LEN];
    int df;
    bool used;
} df_slot;

struct suggest {
    sqlite3 *db;
    sqlite3_stmt *query, *feedback, *boost, *df, *total;
    df_slot *cache;
    size_t cached;
    unsigned long lookups;    /* since the cache was last cleared */
    int articles;
};

/* Title weighs most, then tags, then the body. FTS5 ranks alone (no join per match), then
 * the boost that feedback moves re-ranks the best ?3 candidates (lower rank is better). */
static const char query_sql[] =
    "SELECT kb.id, kb.title, kb.reply, c.r - kb.boost AS rank"
    " FROM (SELECT rowid, bm25(kb_fts, 4.0, 1.0, 2.0) AS r FROM kb_fts WHERE kb_fts MATCH ?1"
    "       ORDER BY r LIMIT ?3) AS c"
    " JOIN kb ON kb.rowid = c.rowid ORDER BY rank LIMIT ?2";
static const char feedback_sql[] =
    "INSERT INTO suggestion_feedback(sid, article_id, iid, user, action, ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char df_sql[] = "SELECT count(*) FROM kb_fts WHERE kb_fts MATCH ?1";
static const char total_sql[] = "SELECT count(*) FROM kb";
static const char boost_sql[] =
    "UPDATE kb SET boost = MAX(-?3, MIN(?3, boost + ?2)) WHERE id = ?1";

suggest *suggest_open(sqlite3 *db, char *err, size_t errlen)
{
    suggest *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "suggest: out of memory");
        return NULL;
    }
    s->db = db;
    if (sqlite3_prepare_v3(db, query_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->query, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db, feedback_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->feedback, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db, boost_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->boost, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db, df_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->df, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db, total_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->total, NULL) != SQLITE_OK ||
        !(s->cache = calloc(DF_SLOTS, sizeof *s->cache))) {
        snprintf(err, errlen, "suggest: %s", sqlite3_errmsg(db));
        suggest_close(s);
        return NULL;
    }
    return s;
}

void suggest_close(suggest *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->query);
    sqlite3_finalize(s->feedback);
    sqlite3_finalize(s->boost);
    sqlite3_finalize(s->df);
    sqlite3_finalize(s->total);
    free(s->cache);
    free(s);
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

/* Appends s[0..n) to out without splitting a UTF-8 sequence at the limit. */
static size_t append(char *out, size_t o, size_t outlen, const char *s, size_t n)
{
    if (o + n + 1 > outlen) {
        n = outlen - o - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
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

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
    const char *v = (const char *)sqlite3_column_text(st, col);
    size_t o = append(out, 0, outlen, v ? v : "", v ? strlen(v) : 0);
    out[o] = 0;
}

int suggest_query(suggest *s, const char *match, const char *const *skip, size_t nskip,
                  const suggest_fill *fill, suggest_hit *out, int max)
{
    int n = 0;
    if (!s || !match || !*match || max <= 0)
        return 0;
    sqlite3_stmt *st = s->query;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, max + (int)nskip);
    sqlite3_bind_int(st, 3, max + (int)nskip + SUGGEST_CANDIDATES);
    while (n < max && sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (!id)
            continue;
        bool shown = false;
        for (size_t k = 0; k < nskip && !shown; k++)
            shown = skip[k] && strcmp(skip[k], id) == 0;
        if (shown)
            continue;
        suggest_hit *h = &out[n++];
        copy_col(st, 0, h->source, sizeof h->source);
        copy_col(st, 1, h->title, sizeof h->title);
        const char *reply = (const char *)sqlite3_column_text(st, 2);
        suggest_fill_reply(reply, fill, h->text, sizeof h->text);
        h->score = -sqlite3_column_double(st, 3);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return n;
}

static int count_of(sqlite3_stmt *st)
{
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return n;
}

static int term_df(suggest *s, const char *term)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)term; *p; p++)
        h = (h ^ *p) * 16777619u;
    /* also cleared now and then: an import may change the knowledge base under a live hub */
    if (s->cached >= DF_SLOTS / 2 || s->articles == 0 || ++s->lookups > DF_REFRESH) {
        memset(s->cache, 0, DF_SLOTS * sizeof *s->cache);
        s->cached = 0;
        s->lookups = 0;
        s->articles = count_of(s->total);
    }
    size_t i = h % DF_SLOTS;
    while (s->cache[i].used) {
        if (!strcmp(s->cache[i].term, term))
            return s->cache[i].df;
        i = (i + 1) % DF_SLOTS;
    }
    char one[1][SUGGEST_TERM_LEN];
    char match[2 * SUGGEST_TERM_LEN + 8];
    memcpy(one[0], term, SUGGEST_TERM_LEN);
    int df = 0;
    if (suggest_match_expr(one, 1, match, sizeof match)) {
        sqlite3_bind_text(s->df, 1, match, -1, SQLITE_STATIC);
        df = count_of(s->df);
    }
    memcpy(s->cache[i].term, term, SUGGEST_TERM_LEN);
    s->cache[i].df = df;
    s->cache[i].used = true;
    s->cached++;
    return df;
}

int suggest_prune_terms(suggest *s, char terms[][SUGGEST_TERM_LEN], int nterms)
{
    if (!s || nterms <= 0)
        return 0;
    int df[SUGGEST_MAX_TERMS];
    if (nterms > SUGGEST_MAX_TERMS)
        nterms = SUGGEST_MAX_TERMS;
    for (int i = 0; i < nterms; i++)
        df[i] = term_df(s, terms[i]);
    int limit = (int)(s->articles * SUGGEST_COMMON_SHARE);
    if (limit < SUGGEST_TOP * 2)
        limit = SUGGEST_TOP * 2;
    /* rarest first (stable), then keep the rare ones, or the two rarest if all are common */
    for (int a = 1; a < nterms; a++)
        for (int b = a; b > 0 && df[b] < df[b - 1]; b--) {
            int t = df[b];
            df[b] = df[b - 1];
            df[b - 1] = t;
            char tmp[SUGGEST_TERM_LEN];
            memcpy(tmp, terms[b], SUGGEST_TERM_LEN);
            memcpy(terms[b], terms[b - 1], SUGGEST_TERM_LEN);
            memcpy(terms[b - 1], tmp, SUGGEST_TERM_LEN);
        }
    int first = 0;
    while (first < nterms && df[first] == 0)
        first++;
    int keep = 0;
    while (first + keep < nterms && keep < SUGGEST_QUERY_TERMS && df[first + keep] <= limit)
        keep++;
    if (keep == 0)
        keep = nterms - first < 2 ? nterms - first : 2;
    if (first)
        memmove(terms[0], terms[first], (size_t)keep * SUGGEST_TERM_LEN);
    return keep;
}

int suggest_search(suggest *s, char terms[][SUGGEST_TERM_LEN], int nterms, const char *const *skip,
                   size_t nskip, const suggest_fill *fill, suggest_hit *out, int max)
{
    char match[SUGGEST_MAX_TERMS * (2 * SUGGEST_TERM_LEN + 6) + 1];
    int n = suggest_prune_terms(s, terms, nterms);
    if (n <= 0)
        return 0;
    if (n >= 2) {
        /* rows holding the rarest term and another one, ranked by bm25 over every kept term:
         * bm25 (about a microsecond a row) then scores a few rows, not every row holding a
         * common word */
        char rare[2 * SUGGEST_TERM_LEN + 8], all[sizeof match];
        if (suggest_match_expr(terms, 1, rare, sizeof rare) && suggest_match_expr(terms + 1, n - 1, all, sizeof all) &&
            snprintf(match, sizeof match, "%s AND (%s)", rare, all) < (int)sizeof match) {
            int got = suggest_query(s, match, skip, nskip, fill, out, max);
            if (got >= max)
                return got;
        }
    }
    /* the rarest terms on their own: every row holding one of them is scored */
    int rare = 0;
    while (rare < n && rare < SUGGEST_FALLBACK_TERMS &&
           (rare == 0 || term_df(s, terms[rare]) <= s->articles * SUGGEST_FALLBACK_SHARE))
        rare++;
    if (!suggest_match_expr(terms, rare, match, sizeof match))
        return 0;
    return suggest_query(s, match, skip, nskip, fill, out, max);
}

int suggest_for_text(suggest *s, const char *text, const suggest_fill *fill, suggest_hit *out, int max)
{
    char terms[SUGGEST_MAX_TERMS][SUGGEST_TERM_LEN];
    int nt = suggest_words_content(text, terms, SUGGEST_MAX_TERMS);
    return suggest_search(s, terms, nt, NULL, 0, fill, out, max);
}

int suggest_feedback(suggest *s, const char *sid, const char *article_id, const char *iid,
                     const char *user, const char *action, int64_t ts_ms)
{
    double step;
    if (!strcmp(action, "used"))
        step = SUGGEST_FEEDBACK_STEP;
    else if (!strcmp(action, "dismissed"))
        step = -SUGGEST_FEEDBACK_STEP;
    else
        return -1;
    sqlite3_stmt *f = s->feedback;
    sqlite3_bind_text(f, 1, sid, -1, SQLITE_STATIC);
    sqlite3_bind_text(f, 2, article_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(f, 3, iid ? iid : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(f, 4, user ? user : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(f, 5, action, -1, SQLITE_STATIC);
    sqlite3_bind_int64(f, 6, ts_ms);
    int rc = sqlite3_step(f);
    sqlite3_reset(f);
    sqlite3_clear_bindings(f);
    if (rc != SQLITE_DONE)
        return -1;
    sqlite3_stmt *b = s->boost;
    sqlite3_bind_text(b, 1, article_id, -1, SQLITE_STATIC);
    sqlite3_bind_double(b, 2, step);
    sqlite3_bind_double(b, 3, SUGGEST_BOOST_LIMIT);
    rc = sqlite3_step(b);
    sqlite3_reset(b);
    sqlite3_clear_bindings(b);
    return rc == SQLITE_DONE ? 0 : -1;
}
