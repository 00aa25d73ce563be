/* analyze.c — the batch analyzer (see analyze.h). */
#include "hub/cli/analyze.h"
#include "hub/assist/assist.h"
#include "hub/assist/flags.h"
#include "hub/assist/sentiment.h"
#include "hub/assist/suggest.h"
#include "hub/store/import.h"
#include "hub/store/store.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    store *st;
    sentiment_lexicon *lexicon;
    flag_rules *rules;
    suggest *suggest;
} engine;

static void engine_close(engine *e)
{
    suggest_close(e->suggest);
    flags_free(e->rules);
    sentiment_free(e->lexicon);
    store_close(e->st);
}

static bool kb_empty(sqlite3 *db)
{
    sqlite3_stmt *st;
    bool empty = true;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM kb LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
        empty = sqlite3_step(st) != SQLITE_ROW;
        sqlite3_finalize(st);
    }
    return empty;
}

static int engine_open(engine *e, const char *db_path, const char *data_dir)
{
    char err[512], path[4096];
    memset(e, 0, sizeof *e);
    if (!(e->st = store_open(db_path ? db_path : ":memory:", err, sizeof err)))
        goto fail;
    if (db_path && kb_empty(store_db(e->st))) {
        /* nobody imported a knowledge base into this db: use the shipped one */
        store_close(e->st);
        db_path = NULL;
        if (!(e->st = store_open(":memory:", err, sizeof err)))
            goto fail;
    }
    if (!db_path) {
        snprintf(path, sizeof path, "%s/kb.json", data_dir);
        if (import_file(e->st, "kb", path, err, sizeof err) < 0)
            goto fail;
    }
    if (!(e->lexicon = sentiment_load(data_dir, err, sizeof err)) ||
        !(e->rules = flags_load(store_db(e->st), data_dir, err, sizeof err)) ||
        !(e->suggest = suggest_open(store_db(e->st), err, sizeof err)))
        goto fail;
    snprintf(path, sizeof path, "%s/synonyms.tsv", data_dir);
    if (suggest_use_synonyms(e->suggest, path, err, sizeof err) != 0)
        goto fail;
    return 0;
fail:
    fprintf(stderr, "agentdesk-hub analyze: %s\n", err);
    engine_close(e);
    return -1;
}

/* Reads one line, at most ANALYZE_MAX_LINE bytes of it (cut on a UTF-8 boundary); the rest
 * of a longer line is discarded. false at end of input. */
static bool read_line(FILE *in, char *buf, size_t *len)
{
    size_t n = 0;
    int c;
    bool any = false, cut = false;
    while ((c = getc(in)) != EOF) {
        any = true;
        if (c == '\n')
            break;
        if (n < ANALYZE_MAX_LINE)
            buf[n++] = (char)c;
        else
            cut = true;
    }
    if (!any)
        return false;
    if (n > 0 && buf[n - 1] == '\r' && !cut)
        n--;
    if (cut)
        n = text_complete_len(buf, n);
    *len = n;
    return true;
}

static json_t *analyze_line(engine *e, const char *text)
{
    sentiment_result r;
    sentiment_score(e->lexicon, text, &r);
    json_t *terms = json_array();
    for (int i = 0; i < r.nterms && i < SENTIMENT_MAX_TERMS; i++)
        json_array_append_new(terms, json_string(r.terms[i]));
    json_t *cues = json_array();
    for (int i = 0; i < r.ncues && i < SENTIMENT_MAX_CUES; i++)
        json_array_append_new(cues, json_string(r.cues[i]));
    json_t *sentiment = json_pack("{s:f, s:s, s:o, s:s, s:o}", "score", r.score,
                                  "label", sentiment_label_name(r.label), "terms", terms,
                                  "emotion", sentiment_emotion_name(r.emotion), "cues", cues);

    json_t *flags = json_array();
    flag_state *fs = flags_state_new(e->rules, "voice");
    flag_hit hits[8];
    int n = flags_state_utterance(fs, "customer", text, true, 0, r.score, hits, 8);
    for (int i = 0; i < n; i++) {
        char *evidence = assist_redact(hits[i].evidence, REDACT_TAG);
        json_array_append_new(flags, json_pack("{s:s, s:s, s:i, s:s, s:s}", "rule", hits[i].rule,
                                               "kind", hits[i].kind, "severity", hits[i].severity,
                                               "reason", hits[i].reason, "evidence", evidence));
        free(evidence);
    }
    flags_state_free(fs);

    json_t *suggestions = json_array();
    static suggest_hit sh[SUGGEST_TOP];
    n = suggest_for_text(e->suggest, text, NULL, sh, SUGGEST_TOP);
    for (int i = 0; i < n; i++)
        json_array_append_new(suggestions, json_pack("{s:s, s:s, s:s, s:f, s:f}", "title", sh[i].title,
                                                     "text", sh[i].text, "source", sh[i].source,
                                                     "score", sh[i].score, "confidence", sh[i].confidence));
    char *redacted = assist_redact(text, REDACT_TAG);
    json_t *o = json_pack("{s:o, s:o, s:o, s:s}", "sentiment", sentiment, "flags", flags,
                          "suggestions", suggestions, "redacted", redacted);
    free(redacted);
    return o;
}

int analyze_run(const char *db_path, const char *data_dir, FILE *in, FILE *out)
{
    engine e;
    if (engine_open(&e, db_path, data_dir ? data_dir : "data") != 0)
        return 1;
    char *buf = malloc(ANALYZE_MAX_LINE + 1);
    if (!buf) {
        engine_close(&e);
        return 1;
    }
    size_t len;
    int rc = 0;
    while (read_line(in, buf, &len)) {
        char *text = text_clean(buf, len, TEXT_SINGLE_LINE, NULL);
        json_t *o = analyze_line(&e, text);
        free(text);
        char *line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) : NULL;
        json_decref(o);
        if (!line || fprintf(out, "%s\n", line) < 0 || fflush(out) != 0) {
            free(line);
            rc = 1;
            break;
        }
        free(line);
    }
    free(buf);
    engine_close(&e);
    return rc;
}
