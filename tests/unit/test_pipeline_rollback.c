/* test_pipeline_rollback.c — the pipeline in process on a real SQLite file whose growth is
 * stopped with PRAGMA max_page_count, so a write fails deterministically mid-turn: the turn
 * is rolled back in memory as in the database (a start never happened, an end did not
 * happen, a replaced partial is back, no seq taken), its acks fail, and the same events
 * succeed once the database may grow again; a call that no longer holds its early frames
 * (hub/core/live.h) gets its enrichment rebuilt from its checkpoint and the log as well. */
#include "tests/unit/check.h"
#include "tests/lib/pipefix.h"
#include "tests/lib/dbquery.h"
#include "hub/core/live.h"
#include "hub/core/pipeline_internal.h"
#include "hub/endpoints/contactlens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int committed_ok, committed_failed, delivered;

static void on_deliver(void *ctx, const pipeline_entry *e)
{
    (void)ctx;
    (void)e;
    delivered++;
}

static void on_committed(void *ctx, bool ok)
{
    (void)ctx;
    if (ok)
        committed_ok++;
    else
        committed_failed++;
}

static char big[6001];

static void utter(pipeline *p, const char *iid, const char *uid, bool final, bool large)
{
    char frame[8192];
    snprintf(frame, sizeof frame,
             "{\"type\":\"utterance\",\"iid\":\"%s\",\"uid\":\"%s\",\"speaker\":\"customer\",\"text\":\"%s\","
             "\"final\":%s,\"offset_ms\":1}", iid, uid, large ? big : "hello", final ? "true" : "false");
    pipefix_ingest(p, frame);
}

static size_t frames_of(pipeline *p, const char *iid, bool ended)
{
    live *l = ended ? pipeline_ended(p) : pipeline_live(p);
    for (live_call *c = live_first(l); c; c = c->next)
        if (strcmp(c->iid, iid) == 0) {
            size_t n = 0;
            for (size_t i = 0; i < c->nframes; i++)
                n += c->frames[i] != NULL;
            return n;
        }
    return 0;
}

/* A pipeline on a fresh SQLite file, with agent-1. */
typedef struct {
    char path[64];
    store *st;
    eventlog *log;
    pipeline *p;
} fixture;

static bool fixture_open(fixture *f)
{
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/agentdesk-rollback-XXXXXX");
    int fd = mkstemp(f->path);
    CHECK(fd >= 0);
    close(fd);
    unlink(f->path);
    char err[300];
    f->st = store_open(f->path, err, sizeof err);
    CHECK(f->st != NULL);
    if (!f->st)
        return false;
    CHECK_INT(store_user_put(f->st, "agent-1", "Agent One", ROLE_AGENT, "tok-agent-1"), 0);
    f->log = eventlog_sqlite_open(store_db(f->st), err, sizeof err);
    pipeline_hooks hooks = {.deliver = on_deliver, .committed = on_committed};
    f->p = pipeline_open(f->st, f->log, NULL, NULL, &hooks, err, sizeof err);
    CHECK(f->p != NULL);
    return f->p != NULL;
}

static void fixture_close(fixture *f)
{
    pipeline_close(f->p);
    f->log->ops->close(f->log);
    store_close(f->st);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char path[80];
        snprintf(path, sizeof path, "%s%s", f->path, suffixes[i]);
        unlink(path);
    }
}

static void test_failed_write_rolls_back(void)
{
    memset(big, 'b', sizeof big - 1);
    fixture f;
    if (!fixture_open(&f))
        return;
    pipeline *p = f.p;
    store *st = f.st;
    eventlog *log = f.log;

    CHECK_INT(pipefix_ingest(p, "{\"type\":\"start\",\"iid\":\"r-1\",\"channel\":\"chat\",\"queue\":\"billing\",\"agent\":\"agent-1\",\"customer_id\":\"C-1\"}"), 0);
    utter(p, "r-1", "x", false, false);
    CHECK(pipeline_flush(p) > 0);
    int64_t seq = log->ops->last_seq(log);
    size_t before = frames_of(p, "r-1", false);
    CHECK_INT(before, 2); /* started, the partial */

    /* the database may not grow: the big utterance cannot be stored */
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
             (long long)dbquery_int(store_db(st), "PRAGMA page_count"));
    CHECK_INT(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
    int failed_before = committed_failed;
    pipefix_ingest(p, "{\"type\":\"start\",\"iid\":\"r-2\",\"channel\":\"chat\",\"queue\":\"billing\",\"agent\":\"agent-1\",\"customer_id\":\"C-1\"}");
    utter(p, "r-1", "x", true, true); /* replaces the partial */
    pipefix_ingest(p, "{\"type\":\"end\",\"iid\":\"r-1\"}");
    CHECK_INT(pipeline_flush(p), -1);
    CHECK_INT(committed_failed, failed_before + 1);
    CHECK(pipeline_degraded(p) != NULL);
    CHECK_INT(log->ops->last_seq(log), seq);
    CHECK(!pipeline_is_live(p, "r-2"));
    CHECK(pipeline_is_live(p, "r-1"));
    CHECK_INT(frames_of(p, "r-1", false), before);
    CHECK_INT(live_count(pipeline_ended(p)), 0);
    CHECK_INT(dbquery_int(store_db(st), "SELECT COUNT(*) FROM interactions WHERE iid='r-2'"), 0);

    /* room again: the same events go through, with the next seqs */
    CHECK_INT(sqlite3_exec(store_db(st), "PRAGMA max_page_count = 1000000", NULL, NULL, NULL), SQLITE_OK);
    int delivered_before = delivered;
    CHECK_INT(pipefix_ingest(p, "{\"type\":\"start\",\"iid\":\"r-2\",\"channel\":\"chat\",\"queue\":\"billing\",\"agent\":\"agent-1\",\"customer_id\":\"C-1\"}"), 0);
    utter(p, "r-1", "x", true, true);
    CHECK_INT(pipefix_ingest(p, "{\"type\":\"end\",\"iid\":\"r-1\"}"), 0);
    CHECK(pipeline_flush(p) > 0);
    CHECK(pipeline_degraded(p) == NULL);
    CHECK(pipeline_is_live(p, "r-2"));
    CHECK(!pipeline_is_live(p, "r-1"));
    CHECK_INT(frames_of(p, "r-1", true), 3); /* started, the final, ended */
    CHECK_INT(dbquery_int(store_db(st), "SELECT MIN(seq) FROM events WHERE seq > 0 AND iid='r-2'"), seq + 1);
    CHECK_INT(delivered - delivered_before, log->ops->last_seq(log) - seq);

    fixture_close(&f);
}

static int contact_lens(pipeline *p, const char *frame)
{
    json_t *j = json_loads(frame, 0, NULL);
    contactlens_defaults d = {.agent = "agent-1", .queue = "contactlens", .customer_id = "C-1"};
    proto_error err;
    int rc = j ? contactlens_apply(p, j, &d, &err) : -2;
    json_decref(j);
    return rc;
}

static int category_flags(sqlite3 *db, const char *iid)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM events WHERE iid='%s' AND frame LIKE '%%\"contactlens-category\"%%'", iid);
    return (int)dbquery_int(db, sql);
}

/* A Contact Lens category flagged in a turn whose commit fails is not "already flagged"
 * afterwards: the same category, sent again, is flagged once; sent a third time, not again. */
static void test_category_flag_rolled_back(void)
{
    fixture f;
    if (!fixture_open(&f))
        return;
    pipeline *p = f.p;
    store *st = f.st;
    CHECK_INT(contact_lens(p, "{\"Version\":\"1.0.0\",\"Channel\":\"VOICE\",\"ContactId\":\"cl-rb\",\"EventType\":\"STARTED\"}"), 0);
    CHECK(pipeline_flush(p) > 0);
    const char *churn = "{\"Version\":\"1.0.0\",\"Channel\":\"VOICE\",\"ContactId\":\"cl-rb\",\"EventType\":\"SEGMENTS\","
                        "\"Segments\":[{\"Categories\":{\"MatchedCategories\":[\"churn\"],\"MatchedDetails\":{}}}]}";
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
             (long long)dbquery_int(store_db(st), "PRAGMA page_count"));
    CHECK_INT(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
    memset(big, 'b', sizeof big - 1);
    contact_lens(p, churn);
    utter(p, "cl-rb", "big", true, true); /* fills the database: the turn fails */
    CHECK_INT(pipeline_flush(p), -1);
    CHECK_INT(category_flags(store_db(st), "cl-rb"), 0);

    CHECK_INT(sqlite3_exec(store_db(st), "PRAGMA max_page_count = 1000000", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(contact_lens(p, churn), 0);
    CHECK(pipeline_flush(p) > 0);
    CHECK_INT(category_flags(store_db(st), "cl-rb"), 1);
    CHECK_INT(contact_lens(p, churn), 0);
    pipeline_flush(p);
    CHECK_INT(category_flags(store_db(st), "cl-rb"), 1);

    fixture_close(&f);
}

/* A long chat, in turns of ten lines: its first lines say what the customer wants. */
static void long_chat(pipefix *f)
{
    pipefix_ingest(f->p, "{\"type\":\"start\",\"iid\":\"t-1\",\"channel\":\"chat\",\"queue\":\"billing\","
                         "\"agent\":\"agent-1\",\"customer_id\":\"C-1\"}");
    for (int i = 0; i < 400; i++) {
        char frame[512];
        snprintf(frame, sizeof frame,
                 "{\"type\":\"utterance\",\"iid\":\"t-1\",\"uid\":\"u%d\",\"speaker\":\"%s\",\"text\":\"%s\","
                 "\"final\":true,\"offset_ms\":%d}", i, i % 2 ? "agent" : "customer",
                 i < 4 ? "I was charged twice for my bill, this is terrible and I want a refund"
                       : "okay, let me check that for you",
                 i * 1000);
        pipefix_ingest(f->p, frame);
        if (i % 10 == 9)
            pipefix_flush(f);
    }
}

/* The frames of `type` for t-1 after the first `from`, without their seq and time. */
static char *tail_of(pipefix *f, const char *type, size_t from)
{
    json_t *all = pipefix_frames(f, type, "t-1"), *out = json_array();
    for (size_t i = from; i < json_array_size(all); i++) {
        json_t *c = json_deep_copy(json_array_get(all, i));
        json_object_del(c, "seq");
        json_object_del(c, "ts");
        json_array_append_new(out, c);
    }
    char *text = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(all);
    json_decref(out);
    return text;
}

/* A failed turn on a call that dropped its early frames from memory: its enrichment is
 * rebuilt from its committed checkpoint and the finals after it, in the log and in memory, so what follows is what a run without the failure
 * gives (the summary of the whole chat, the sentiment after it). */
static void test_trimmed_call_rebuilt_from_the_log(void)
{
    pipefix a, b;
    if (!pipefix_open(&a, true) || !pipefix_open(&b, true))
        return;
    long_chat(&a);
    long_chat(&b);
    live_call *c = live_find(pipeline_live(a.p), "t-1");
    CHECK(c && c->dropped_upto > 0);
    /* its rebuild starts from a committed checkpoint and replays the finals after it */
    int64_t ckpt = dbquery_int(store_db(a.st), "SELECT seq FROM assist_checkpoints WHERE iid = 't-1'");
    CHECK(ckpt > 0 && c->finals_unsaved > 0);
    json_t *before = pipefix_frames(&a, "sentiment", "t-1");
    size_t sentiments = json_array_size(before);
    json_decref(before);
    before = pipefix_frames(&a, "summary", "t-1");
    size_t summaries = json_array_size(before);
    json_decref(before);
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
             (long long)dbquery_int(store_db(a.st), "PRAGMA page_count"));
    CHECK_INT(sqlite3_exec(store_db(a.st), sql, NULL, NULL, NULL), SQLITE_OK);
    memset(big, 'b', sizeof big - 1);
    utter(a.p, "t-1", "small", true, false); /* the call is touched in the failing turn */
    utter(a.p, "t-1", "big", true, true);
    CHECK_INT(pipefix_flush(&a), -1);
    CHECK_INT(sqlite3_exec(store_db(a.st), "PRAGMA max_page_count = 1000000", NULL, NULL, NULL), SQLITE_OK);
    for (pipefix *f = &a; f; f = f == &a ? &b : NULL) {
        pipefix_ingest(f->p, "{\"type\":\"utterance\",\"iid\":\"t-1\",\"uid\":\"last\",\"speaker\":\"customer\","
                             "\"text\":\"still charged twice, terrible\",\"final\":true,\"offset_ms\":500000}");
        pipefix_ingest(f->p, "{\"type\":\"end\",\"iid\":\"t-1\"}");
        CHECK(pipefix_flush(f) > 0);
    }
    char *sa = tail_of(&a, "summary", summaries), *sb = tail_of(&b, "summary", summaries);
    CHECK(strlen(sa) > 2);
    CHECK_STR(sa, sb);
    free(sa);
    free(sb);
    sa = tail_of(&a, "sentiment", sentiments);
    sb = tail_of(&b, "sentiment", sentiments);
    CHECK(strlen(sa) > 2);
    CHECK_STR(sa, sb);
    free(sa);
    free(sb);
    pipefix_close(&a);
    pipefix_close(&b);
}

int main(void)
{
    RUN(test_failed_write_rolls_back);
    RUN(test_category_flag_rolled_back);
    RUN(test_trimmed_call_rebuilt_from_the_log);
    return check_done("test_pipeline_rollback");
}
