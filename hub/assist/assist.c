/* assist.c — the enrichment stage (assist.h): composes sentiment, flags, suggestions,
 * customer history, checklist and summary for every live interaction.
 *
 * Per utterance the work is flat: the utterance itself is scored, matched and queried; the
 * transcript is only appended to (bounded, summary.h) and read back once, for a summary.
 * Suggestions are queried at most once per customer final, and not at all when its content
 * words add nothing to the previous query. */
#include "hub/assist/assist.h"
#include "hub/assist/checklist.h"
#include "hub/assist/customer.h"
#include "hub/assist/flags.h"
#include "hub/assist/handover.h"
#include "hub/assist/redact.h"
#include "hub/assist/sentiment.h"
#include "hub/assist/suggest.h"
#include "hub/assist/summary.h"
#include "hub/assist/snap.h"
#include "base/clock.h"
#include "base/mem.h"
#include "base/text.h"
#include "base/strhash.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_HITS 8
#define SHOWN_MAX 1000      /* suggestions kept per interaction (for no-repeat and feedback) */
#define ASSIST_SHOWN_TEXT_KEPT 64 /* a checkpoint keeps the text of the newest ones only */
#define CHECKPOINT_MAGIC 0x61646b7032ULL /* "adkp2": this layout of assist_call_save */
#define CLOCK_SKEW_MS (24LL * 3600 * 1000)

struct assist {
    sqlite3 *db;
    sentiment_lexicon *lexicon;
    flag_rules *rules;
    checklist_set *checklists;
    summary_codes *codes;
    suggest *suggest;
    customer_db *customers;
    sqlite3_stmt *tick_put, *tick_del;
    char epoch[16];           /* this engine's start, in ids: a restarted hub never reuses one */
};

typedef struct {
    char sid[PROTO_MAX_ID + 1];
    char source[SUGGEST_SOURCE_LEN];
    char title[SUGGEST_TITLE_LEN];
    char *text;               /* the reply as shown: the summary claims it only if it was sent */
} shown_article;

struct assist_call {
    assist *a;
    char *iid, *channel, *queue, *agent, *agent_name;
    int64_t base_ms;          /* wall time of offset 0 (re-synced by each utterance) */
    int64_t last_now;
    bool synced;
    assist_emit_fn emit;
    void *ctx;
    customer_profile profile;
    sentiment_trend trend;
    bool trend_started;
    flag_state *flags;
    checklist *checklist;
    summary_log *log;
    handover *handover;       /* the bot-to-person card, until a person spoke */
    shown_article *shown;
    size_t nshown, cap_shown;
    const char **skip;        /* shown[].source, for the query */
    suggest_recent recent;    /* the latest customer finals' content words (zeroed by calloc) */
    unsigned long next_flag, next_suggestion;
    redact_carry carry[4];    /* per speaker (speaker_slot): the end of their last final */
    size_t last_line[4];      /* per speaker: the summary line of that final */
    bool has_line[4];
    bool ended;
};

/* customer, agent, bot, supervisor */
static int speaker_slot(const char *speaker)
{
    static const char *const names[] = {"customer", "agent", "bot", "supervisor"};
    for (int i = 0; i < 4; i++)
        if (speaker && !strcmp(speaker, names[i]))
            return i;
    return 0;
}

char *assist_call_carried(assist_call *c, const char *speaker, const char *text, int64_t offset_ms)
{
    if (!c || !text)
        return NULL;
    return redact_carried(&c->carry[speaker_slot(speaker)], text, offset_ms < 0 ? 0 : offset_ms, NULL);
}

void assist_close(assist *a)
{
    if (!a)
        return;
    sentiment_free(a->lexicon);
    flags_free(a->rules);
    checklist_set_free(a->checklists);
    summary_codes_free(a->codes);
    suggest_close(a->suggest);
    customer_close(a->customers);
    sqlite3_finalize(a->tick_put);
    sqlite3_finalize(a->tick_del);
    free(a);
}

assist *assist_open(sqlite3 *db, const char *data_dir, char *err, size_t errlen)
{
    assist *a = mem_zalloc(1, sizeof *a);
    char path[4096];
    a->db = db;
    unsigned long long ms = (unsigned long long)clock_wall_ms();
    char *e = a->epoch + sizeof a->epoch - 1;
    *e = 0;
    do {
        *--e = "0123456789abcdefghijklmnopqrstuvwxyz"[ms % 36];
        ms /= 36;
    } while (ms && e > a->epoch);
    memmove(a->epoch, e, strlen(e) + 1);
    if (!(a->lexicon = sentiment_load(data_dir, err, errlen)) ||
        !(a->rules = flags_load(db, data_dir, err, errlen)))
        goto fail;
    snprintf(path, sizeof path, "%s/checklists.json", data_dir);
    if (!(a->checklists = checklist_set_load(path, err, errlen)))
        goto fail;
    snprintf(path, sizeof path, "%s/dispositions.json", data_dir);
    if (!(a->codes = summary_codes_load(path, err, errlen)))
        goto fail;
    if (db) {
        snprintf(path, sizeof path, "%s/synonyms.tsv", data_dir);
        if (!(a->suggest = suggest_open(db, err, errlen)) || suggest_use_synonyms(a->suggest, path, err, errlen) != 0 ||
            !(a->customers = customer_open(db, err, errlen)))
            goto fail;
        if (sqlite3_prepare_v3(db, "INSERT OR REPLACE INTO checklist_ticks(iid, item, user, ts) VALUES (?1, ?2, ?3, ?4)",
                               -1, SQLITE_PREPARE_PERSISTENT, &a->tick_put, NULL) != SQLITE_OK ||
            sqlite3_prepare_v3(db, "DELETE FROM checklist_ticks WHERE iid = ?1 AND item = ?2",
                               -1, SQLITE_PREPARE_PERSISTENT, &a->tick_del, NULL) != SQLITE_OK) {
            snprintf(err, errlen, "assist: %s", sqlite3_errmsg(db));
            goto fail;
        }
    }
    return a;
fail:
    assist_close(a);
    return NULL;
}

/* ---- ids and emitting --------------------------------------------------------------- */

/* "<iid>-F<epoch>.3" / "<iid>-S<epoch>.12": unique per hub while iids are, and across hub
 * restarts (the epoch); a very long iid is cut and hashed. */
static void make_id(const assist_call *c, char kind, unsigned long n, char *out, size_t outlen)
{
    if (strlen(c->iid) <= 96) {
        snprintf(out, outlen, "%s-%c%s.%lu", c->iid, kind, c->a->epoch, n);
        return;
    }
    uint64_t h = strhash_fnv1a64(STRHASH64_SEED, c->iid, strlen(c->iid));
    snprintf(out, outlen, "%.*s~%016llx-%c%s.%lu", (int)text_prefix_len(c->iid, strlen(c->iid), 60),
             c->iid, (unsigned long long)h, kind, c->a->epoch, n); /* cut on a code point */
}

static void emit(assist_call *c, proto_type type, json_t *body)
{
    if (body)
        c->emit(c->ctx, type, body);
}

/* An event body built key by key, for the events of every final: json_pack parses its format
 * on each call (the sentiment event's json_pack was an eighth of the enrichment). As with
 * json_pack, a value that cannot be made (a string that is not UTF-8, a NaN) loses the whole
 * body, and a value given is the body's or released. */
typedef struct {
    json_t *obj;
    bool bad;
} body_builder;

static void put(body_builder *b, const char *key, json_t *value)
{
    if (!b->obj || !value) {
        json_decref(value);
        b->bad = true;
    } else if (json_object_set_new_nocheck(b->obj, key, value) != 0) {
        b->bad = true;      /* the value was released */
    }
}

static json_t *body_done(body_builder *b)
{
    if (!b->bad)
        return b->obj;
    json_decref(b->obj);
    return NULL;
}

static void emit_checklist(assist_call *c)
{
    body_builder b = {json_object(), false};
    put(&b, "iid", json_string(c->iid));
    put(&b, "items", checklist_items_json(c->checklist));
    emit(c, EV_CHECKLIST, body_done(&b));
}

static double clamp(double v, double lo, double hi)
{
    if (isnan(v))
        return 0;
    return v < lo ? lo : v > hi ? hi : v;
}

/* ---- interactions --------------------------------------------------------------------- */

assist_call *assist_call_start(assist *a, const assist_start_info *info, assist_emit_fn emit_fn, void *ctx)
{
    assist_call *c = mem_zalloc(1, sizeof *c);
    c->a = a;
    c->iid = mem_strdup(info->iid);
    c->channel = mem_strdup(info->channel && *info->channel ? info->channel : "voice");
    c->queue = mem_strdup(info->queue);
    c->agent = mem_strdup(info->agent);
    c->agent_name = mem_strdup(info->agent_name);
    c->base_ms = info->started_ms;
    c->emit = emit_fn;
    c->ctx = ctx;
    sentiment_trend_init(&c->trend, 0);
    c->flags = flags_state_new(a->rules, c->channel);
    c->checklist = checklist_new(a->checklists, c->queue);
    c->log = summary_log_new();
    c->handover = handover_new();
    if (a->customers) {
        json_t *body = customer_body(a->customers, c->iid, info->customer_id, &c->profile);
        if (info->quiet)
            json_decref(body); /* the profile is kept; the frame is not wanted */
        else
            emit(c, EV_CUSTOMER, body);
    } else if (info->quiet) {
        snprintf(c->profile.name, sizeof c->profile.name, "%s", CUSTOMER_UNKNOWN_NAME);
    } else {
        snprintf(c->profile.name, sizeof c->profile.name, "%s", CUSTOMER_UNKNOWN_NAME);
        emit(c, EV_CUSTOMER, json_pack("{s:s, s:{s:s, s:s}, s:[], s:[]}", "iid", c->iid, "customer",
                                       "id", info->customer_id ? info->customer_id : "",
                                       "name", CUSTOMER_UNKNOWN_NAME, "history", "orders"));
    }
    if (!info->quiet)
        emit_checklist(c);
    return c;
}

void assist_call_free(assist_call *c)
{
    if (!c)
        return;
    flags_state_free(c->flags);
    checklist_free(c->checklist);
    summary_log_free(c->log);
    handover_free(c->handover);
    for (size_t i = 0; i < c->nshown; i++)
        free(c->shown[i].text);
    free(c->shown);
    free(c->skip);
    free(c->iid);
    free(c->channel);
    free(c->queue);
    free(c->agent);
    free(c->agent_name);
    free(c);
}

void assist_call_continue_ids(assist_call *c, const assist_call *from)
{
    if (c->next_flag < from->next_flag)
        c->next_flag = from->next_flag;
    if (c->next_suggestion < from->next_suggestion)
        c->next_suggestion = from->next_suggestion;
}

/* A flag's evidence, redacted. Words quoted from an utterance in which the redaction (with the
 * whole utterance for context, and remembered from the pipeline's own pass) found nothing
 * carry nothing to redact, and are not read again on their own; anything else is. */
static char *evidence_redacted(const char *evidence, const char *text, int *text_clean)
{
    if (text && *text_clean < 0) {
        redact_span spans[REDACT_MAX_SPANS];
        *text_clean = redact_find(text, strlen(text), spans, REDACT_MAX_SPANS) == 0;
    }
    if (text && *text_clean == 1 && *evidence && strstr(text, evidence))
        return mem_strdup(evidence);
    return assist_redact(evidence, REDACT_TAG);
}

/* text: the utterance the hits are about, NULL for a timer's */
static void emit_flags(assist_call *c, const flag_hit *hits, int n, const char *uid, int64_t offset_ms,
                       const char *text)
{
    int text_clean = -1;   /* not looked at yet */
    for (int i = 0; i < n; i++) {
        char fid[PROTO_MAX_ID + 1];
        make_id(c, 'F', ++c->next_flag, fid, sizeof fid);
        char *evidence = evidence_redacted(hits[i].evidence, text, &text_clean);
        body_builder b = {json_object(), false};
        put(&b, "iid", json_string(c->iid));
        put(&b, "fid", json_string(fid));
        put(&b, "kind", json_string(*hits[i].kind ? hits[i].kind : "flag"));
        put(&b, "severity", json_integer(hits[i].severity < 1 ? 1 : hits[i].severity > 3 ? 3 : hits[i].severity));
        put(&b, "text", json_string(hits[i].reason));
        put(&b, "rule", json_string(*hits[i].rule ? hits[i].rule : "rule"));
        put(&b, "evidence", json_string(evidence));
        put(&b, "offset_ms", json_integer((json_int_t)(offset_ms < 0 ? 0 : offset_ms)));
        json_t *body = body_done(&b);
        free(evidence);
        if (body && uid && *uid)
            json_object_set_new(body, "uid", json_string(uid));
        summary_log_flag(c->log, hits[i].kind);
        emit(c, EV_FLAG, body);
    }
}

static void emit_sentiment(assist_call *c, const char *uid, const sentiment_result *r, bool customer)
{
    if (customer) {
        sentiment_trend_add(&c->trend, r->score);
        c->trend_started = true;
    }
    json_t *terms = json_array();
    for (int i = 0; i < r->nterms && i < SENTIMENT_MAX_TERMS; i++)
        json_array_append_new(terms, json_string(r->terms[i]));
    json_t *cues = json_array();
    for (int i = 0; i < r->ncues && i < SENTIMENT_MAX_CUES; i++)
        json_array_append_new(cues, json_string(r->cues[i]));
    double score = clamp(r->score, -1, 1);
    double level = c->trend_started ? clamp(c->trend.ewma, -1, 1) : 0.0;
    body_builder b = {json_object(), false};
    put(&b, "iid", json_string(c->iid));
    put(&b, "uid", json_string(uid));
    put(&b, "score", json_real(score));
    put(&b, "label", json_string(sentiment_label_name(sentiment_label_of(score))));
    put(&b, "trend", json_real(level));
    put(&b, "slope", json_real(c->trend_started ? clamp(c->trend.slope, -1000, 1000) : 0.0));
    put(&b, "terms", terms);
    put(&b, "emotion", json_string(sentiment_emotion_name(r->emotion)));
    put(&b, "cues", cues);
    put(&b, "level", json_string(sentiment_level_name(level)));
    put(&b, "direction", json_integer(c->trend_started ? c->trend.direction : 0));
    emit(c, EV_SENTIMENT, body_done(&b));
}

static void remember_shown(assist_call *c, const suggest_hit *h, const char sid[PROTO_MAX_ID + 1])
{
    if (c->nshown == c->cap_shown) {
        size_t cap = c->cap_shown ? c->cap_shown * 2 : 16;
        c->shown = mem_realloc(c->shown, cap * sizeof *c->shown);
        c->skip = mem_realloc(c->skip, cap * sizeof *c->skip);
        c->cap_shown = cap;
        for (size_t i = 0; i < c->nshown; i++)   /* realloc may have moved the sources */
            c->skip[i] = c->shown[i].source;
    }
    shown_article *s = &c->shown[c->nshown];
    memcpy(s->sid, sid, sizeof s->sid);
    memcpy(s->source, h->source, sizeof s->source);
    memcpy(s->title, h->title, sizeof s->title);
    s->text = mem_strdup(h->text);
    c->skip[c->nshown] = s->source;
    c->nshown++;
}

/* The customer's latest finals, the newest weighing most, articles serving the queue
 * favoured; no query when the final adds no content word the knowledge base knows. */
static void suggest_for_final(assist_call *c, const char *text)
{
    if (!c->a->suggest || c->nshown >= SHOWN_MAX || !suggest_recent_add(c->a->suggest, &c->recent, text))
        return;
    suggest_fill fill = {c->profile.first_name, c->profile.last_name, c->profile.tier, c->profile.plan,
                         c->agent_name};
    suggest_hit hits[SUGGEST_TOP];
    int got = suggest_search_recent(c->a->suggest, &c->recent, c->queue, c->skip, c->nshown, &fill, hits,
                                    SUGGEST_TOP);
    for (int i = 0; i < got; i++) {
        char sid[PROTO_MAX_ID + 1];
        make_id(c, 'S', ++c->next_suggestion, sid, sizeof sid);
        remember_shown(c, &hits[i], sid);
        emit(c, EV_SUGGESTION, json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:f}", "iid", c->iid, "sid", sid,
                                         "title", hits[i].title, "text", hits[i].text,
                                         "source", hits[i].source, "score", clamp(hits[i].score, -1e9, 1e9),
                                         "confidence", clamp(hits[i].confidence, 0, 1)));
    }
}

static void store_tick(assist_call *c, const char *item, bool done)
{
    assist *a = c->a;
    sqlite3_stmt *st = done ? a->tick_put : a->tick_del;
    if (!st)
        return;
    sqlite3_bind_text(st, 1, c->iid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC);
    if (done) {
        sqlite3_bind_text(st, 3, c->agent, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, c->last_now);
    }
    sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* An agent final: ticks by phrase, each new tick stored, one checklist event if any. */
static void checklist_on_final(assist_call *c, const char *text)
{
    size_t n = checklist_count(c->checklist);
    bool before[128] = {false};
    for (size_t i = 0; i < n && i < 128; i++)
        before[i] = checklist_state(c->checklist, checklist_item_id(c->checklist, i), NULL) == 1;
    if (!checklist_on_agent(c->checklist, text))
        return;
    for (size_t i = 0; i < n && i < 128; i++) {
        const char *id = checklist_item_id(c->checklist, i);
        if (!before[i] && checklist_state(c->checklist, id, NULL) == 1)
            store_tick(c, id, true);
    }
    emit_checklist(c);
}

void assist_call_utterance(assist_call *c, const assist_utterance_info *u, int64_t now_ms)
{
    if (!c || !u || !u->text || c->ended)
        return;
    const char *speaker = u->speaker ? u->speaker : "customer";
    const char *uid = u->uid && *u->uid ? u->uid : "u";
    bool customer = !strcmp(speaker, "customer");
    bool agent = !strcmp(speaker, "agent");
    int64_t offset = u->offset_ms < 0 ? 0 : u->offset_ms;
    c->base_ms = now_ms - offset;
    c->synced = true;
    c->last_now = now_ms;

    sentiment_result r = {0};
    if (u->final)
        sentiment_score(c->a->lexicon, u->text, &r);
    flag_hit hits[MAX_HITS];
    int n = flags_state_utterance(c->flags, speaker, u->text, u->final, offset,
                               u->final && customer ? r.score : 0, hits, MAX_HITS);
    if (u->final) {
        emit_sentiment(c, uid, &r, customer);
        if (customer)
            summary_log_sentiment(c->log, r.score);
        int slot = speaker_slot(speaker);
        redact_carry *carry = &c->carry[slot];
        if (c->handover) {
            char *carried = redact_carried(carry, u->text, offset, NULL);
            char *masked = assist_redact(carried ? carried : u->text, REDACT_TAG);
            if (handover_final(c->handover, speaker, masked ? masked : "", r.score))
                emit(c, EV_HANDOVER, handover_body(c->handover, c->iid));
            free(masked);
            free(carried);
        }
        if (customer || agent || !strcmp(speaker, "supervisor")) {
            /* the summary log redacts; the carry adds what the previous final began, and
             * masks its beginning in the previous line too (the summary is built later) */
            redact_span in_tail;
            char *carried = redact_carried(carry, u->text, offset, &in_tail);
            if (in_tail.end > in_tail.start && c->has_line[slot]) {
                char tag[24];
                snprintf(tag, sizeof tag, "[%s]", redact_kind_name(in_tail.kind));
                summary_log_mask_end(c->log, c->last_line[slot], carry->tail + in_tail.start,
                                     in_tail.end - in_tail.start, tag);
            }
            c->last_line[slot] = summary_log_final(c->log, customer, carried ? carried : u->text);
            c->has_line[slot] = true;
            free(carried);
        }
        redact_carry_keep(carry, u->text, offset);
    }
    emit_flags(c, hits, n, uid, offset, u->text);
    if (!u->final)
        return;
    if (customer)
        suggest_for_final(c, u->text);
    else if (agent)
        checklist_on_final(c, u->text);
}

void assist_call_tick(assist_call *c, int64_t now_ms)
{
    if (!c || c->ended)
        return;
    /* the start time may be on another clock than now (a connector's started_ms) */
    if (!c->synced && (now_ms < c->base_ms || now_ms - c->base_ms > CLOCK_SKEW_MS))
        c->base_ms = now_ms;
    c->synced = true;
    c->last_now = now_ms;
    flag_hit hits[MAX_HITS];
    int64_t offset = now_ms - c->base_ms;
    int n = flags_state_tick(c->flags, offset < 0 ? 0 : offset, hits, MAX_HITS);
    emit_flags(c, hits, n, NULL, offset, NULL);
}

void assist_call_feedback(assist_call *c, const char *sid, const char *action, const char *user,
                          int64_t now_ms)
{
    if (!c || !sid || !action)
        return;
    for (size_t i = 0; i < c->nshown; i++) {
        if (strcmp(c->shown[i].sid, sid) != 0)
            continue;
        if (c->a->suggest)
            suggest_feedback(c->a->suggest, sid, c->shown[i].source, c->iid, user, action, now_ms);
        if (!strcmp(action, "used"))
            summary_log_used(c->log, c->shown[i].title, c->shown[i].text);
        return;
    }
}

void assist_call_checklist_tick(assist_call *c, const char *item, bool done)
{
    if (!c || !checklist_tick(c->checklist, item, done))
        return;
    store_tick(c, item, done);
    emit_checklist(c);
}

void assist_call_summary(assist_call *c)
{
    if (!c)
        return;
    emit(c, EV_SUMMARY, summary_body(c->log, c->a->codes, c->iid, NULL, false));
}

void assist_call_end(assist_call *c, const char *reason, int64_t now_ms)
{
    if (!c || c->ended)
        return;
    c->last_now = now_ms;
    emit(c, EV_SUMMARY, summary_body(c->log, c->a->codes, c->iid, reason, true));
    c->ended = true;
}

/* ---- checkpoints ---------------------------------------------------------------------- */

unsigned char *assist_call_save(const assist_call *c, size_t *len)
{
    snap_w w = {0};
    snap_put_u64(&w, CHECKPOINT_MAGIC);
    snap_put_u64(&w, sizeof c->profile + sizeof c->trend + sizeof c->recent + sizeof c->carry);
    snap_put(&w, &c->base_ms, sizeof c->base_ms);
    snap_put(&w, &c->last_now, sizeof c->last_now);
    snap_put(&w, &c->synced, sizeof c->synced);
    snap_put(&w, &c->profile, sizeof c->profile);
    snap_put(&w, &c->trend, sizeof c->trend);
    snap_put(&w, &c->trend_started, sizeof c->trend_started);
    snap_put(&w, &c->recent, sizeof c->recent);
    snap_put(&w, c->carry, sizeof c->carry);
    snap_put(&w, c->last_line, sizeof c->last_line);
    snap_put(&w, c->has_line, sizeof c->has_line);
    snap_put_u64(&w, c->next_flag);
    snap_put_u64(&w, c->next_suggestion);
    flags_state_save(c->flags, &w);
    checklist_save(c->checklist, &w);
    summary_log_save(c->log, &w);
    snap_put_u64(&w, c->handover != NULL);
    if (c->handover)
        handover_save(c->handover, &w);
    snap_put_u64(&w, c->nshown);
    for (size_t i = 0; i < c->nshown; i++) {
        const shown_article *s = &c->shown[i];
        snap_put_str(&w, s->sid);
        snap_put_str(&w, s->source);
        snap_put_str(&w, s->title);
        snap_put_str(&w, c->nshown - i <= ASSIST_SHOWN_TEXT_KEPT ? s->text : NULL);
    }
    *len = w.len;
    return w.p;
}

static bool load_shown(assist_call *c, snap_r *r)
{
    uint64_t n = snap_get_u64(r);
    if (r->bad || n > SHOWN_MAX)
        return false;
    for (uint64_t i = 0; i < n && !r->bad; i++) {
        suggest_hit h;
        char sid[PROTO_MAX_ID + 1];
        char *id = snap_get_str(r), *source = snap_get_str(r), *title = snap_get_str(r);
        text_copy(sid, sizeof sid, id ? id : "");
        text_copy(h.source, sizeof h.source, source ? source : "");
        text_copy(h.title, sizeof h.title, title ? title : "");
        free(id);
        free(source);
        free(title);
        char *text = snap_get_str(r);
        h.text[0] = 0;
        remember_shown(c, &h, sid);
        free(c->shown[c->nshown - 1].text);
        c->shown[c->nshown - 1].text = text;
    }
    return !r->bad;
}

assist_call *assist_call_resume(assist *a, const assist_start_info *info, const void *bytes, size_t len,
                                assist_emit_fn emit_fn, void *ctx)
{
    snap_r r = {.p = bytes, .len = len};
    if (!snap_expect(&r, CHECKPOINT_MAGIC))
        return NULL;
    assist_call *c = mem_zalloc(1, sizeof *c);
    c->a = a;
    c->iid = mem_strdup(info->iid);
    c->channel = mem_strdup(info->channel && *info->channel ? info->channel : "voice");
    c->queue = mem_strdup(info->queue);
    c->agent = mem_strdup(info->agent);
    c->agent_name = mem_strdup(info->agent_name);
    c->emit = emit_fn;
    c->ctx = ctx;
    c->flags = flags_state_new(a->rules, c->channel);
    c->checklist = checklist_new(a->checklists, c->queue);
    c->log = summary_log_new();
    snap_expect(&r, sizeof c->profile + sizeof c->trend + sizeof c->recent + sizeof c->carry);
    snap_get(&r, &c->base_ms, sizeof c->base_ms);
    snap_get(&r, &c->last_now, sizeof c->last_now);
    snap_get(&r, &c->synced, sizeof c->synced);
    snap_get(&r, &c->profile, sizeof c->profile);
    snap_get(&r, &c->trend, sizeof c->trend);
    snap_get(&r, &c->trend_started, sizeof c->trend_started);
    snap_get(&r, &c->recent, sizeof c->recent);
    snap_get(&r, c->carry, sizeof c->carry);
    snap_get(&r, c->last_line, sizeof c->last_line);
    snap_get(&r, c->has_line, sizeof c->has_line);
    c->next_flag = snap_get_u64(&r);
    c->next_suggestion = snap_get_u64(&r);
    bool ok = !r.bad && c->flags && flags_state_load(c->flags, &r) && checklist_load(c->checklist, &r) &&
              summary_log_load(c->log, &r);
    if (ok && snap_get_u64(&r)) {
        c->handover = handover_new();
        ok = handover_load(c->handover, &r);
    }
    ok = ok && load_shown(c, &r) && r.at == r.len;
    if (!ok) {
        assist_call_free(c);
        return NULL;
    }
    return c;
}
