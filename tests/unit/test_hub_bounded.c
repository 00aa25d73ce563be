/* test_hub_bounded.c — the hub's memory follows live state, not history (hub/core/live.h),
 * on the real hub: a chat of many more lines than a call holds keeps the frames held
 * (agentdesk_live_frames) under the bound as it grows, after its end and after a kill -9
 * and restart; and what a call no longer holds is read back from the event log, so a
 * console without keep_lines still gets every line exactly once in seq order, and one
 * whose keep_lines reaches past the held tail gets exactly its tail; a resume from before the
 * held tail is told apart (replay or fresh tail) by the lines in the log. A start reads
 * only what the calls hold (their live_held records), not their history. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"
#include "hub/core/live.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

enum { LINES = 3000, WINDOW = 250, SMALL_KEEP = 10, BIG_KEEP = 2000, MARK = 2500 };

/* A call holds its tail, half a tail more before a commit trims it, and its state frames
 * (start, customer, checklist, summary, sentiment, suggestions, flags, open partials). */
#define BOUND (LIVE_TAIL_FRAMES + LIVE_TAIL_FRAMES / 2 + LIVE_STATE_SUGGESTIONS + 60)

static hubproc H;
static wsc_ctx *X;
static wsc *ingest;

static bool ack(const char *id)
{
    json_t *a = wsc_recv_answer(ingest, id, 20000);
    bool ok = a && strcmp(wsc_type(a), "ack") == 0;
    json_decref(a);
    return ok;
}

/* Lines `from`..`from + n - 1` of chat-1, each with a partial before its final, and as
 * many finals of chat-2 between them (two histories interleaved in the log). */
static bool feed(int from, int n)
{
    for (int i = from; i < from + n; i++) {
        wsc_sendf(ingest,
                  "{\"type\":\"utterance\",\"iid\":\"chat-2\",\"uid\":\"v%d\",\"speaker\":\"customer\","
                  "\"text\":\"other line %d\",\"final\":true,\"offset_ms\":%d}", i, i, i * 10);
        wsc_sendf(ingest,
                  "{\"type\":\"utterance\",\"iid\":\"chat-1\",\"uid\":\"u%d\",\"speaker\":\"%s\","
                  "\"text\":\"line %d\",\"final\":false,\"offset_ms\":%d}",
                  i, i % 2 ? "agent" : "customer", i, i * 10);
        bool acked = (i - from) % WINDOW == WINDOW - 1 || i == from + n - 1;
        char id[32] = "";
        if (acked)
            snprintf(id, sizeof id, "\"id\":\"w%d\",", i);
        wsc_sendf(ingest,
                  "{\"type\":\"utterance\",%s\"iid\":\"chat-1\",\"uid\":\"u%d\",\"speaker\":\"%s\","
                  "\"text\":\"line %d of the chat, I was charged twice\",\"final\":true,\"offset_ms\":%d}",
                  id, i, i % 2 ? "agent" : "customer", i, i * 10);
        if (!acked)
            continue;
        snprintf(id, sizeof id, "w%d", i);
        if (!ack(id))
            return false;
    }
    return true;
}

static void connect_ingest(void)
{
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    CHECK(ingest != NULL);
    wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    json_decref(wsc_recv(ingest, 5000));
}

static double held(void)
{
    return hubproc_metric(&H, "agentdesk_live_frames");
}

static void test_memory_stays_bounded_as_the_chat_grows(void)
{
    connect_ingest();
    wsc_send(ingest, "{\"type\":\"start\",\"id\":\"s1\",\"iid\":\"chat-1\",\"channel\":\"chat\",\"queue\":\"billing\","
                     "\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}");
    CHECK(ack("s1"));
    wsc_send(ingest, "{\"type\":\"start\",\"id\":\"s2\",\"iid\":\"chat-2\",\"channel\":\"chat\",\"queue\":\"billing\","
                     "\"agent\":\"agent-1\",\"customer_id\":\"C-1002\"}");
    CHECK(ack("s2"));
    /* a line that never gets its final: held all along, ahead of everything dropped */
    wsc_send(ingest, "{\"type\":\"utterance\",\"id\":\"p0\",\"iid\":\"chat-1\",\"uid\":\"early\",\"speaker\":\"agent\","
                     "\"text\":\"hold on\",\"final\":false,\"offset_ms\":1}");
    CHECK(ack("p0"));
    double at[3];
    for (int k = 0; k < 3; k++) {
        CHECK(feed(k * LINES / 3, LINES / 3));
        at[k] = held();
    }
    /* each line is at least its final and a sentiment: without the bound, thousands */
    CHECK(at[0] > 0);
    for (int k = 0; k < 3; k++)
        CHECK(at[k] <= 2 * BOUND); /* two calls */
    CHECK(at[2] <= at[0] + LIVE_TAIL_FRAMES);
    CHECK(hubproc_metric(&H, "agentdesk_live_frame_bytes") > 0);
    /* the latest line is still being typed: held, and sent as it stands */
    wsc_send(ingest, "{\"type\":\"utterance\",\"id\":\"p1\",\"iid\":\"chat-1\",\"uid\":\"open\",\"speaker\":\"customer\","
                     "\"text\":\"still typing\",\"final\":false,\"offset_ms\":900000}");
    CHECK(ack("p1"));
}

typedef struct {
    int lines, partials, started, ended, sentiment;
    int other;           /* finals of chat-2 */
    int *seen;           /* finals of chat-1 per line number */
    bool ordered;
    int first_line;      /* number of the first final received, -1 none */
    int64_t mark_seq;    /* seq of the final of line MARK */
    char last_text[64];
} received;

/* Everything a console gets until the hub has been quiet for 1.5 s. */
static void drain(wsc *c, received *r)
{
    int *seen = r->seen;
    memset(seen, 0, LINES * sizeof *seen);
    memset(r, 0, sizeof *r);
    r->seen = seen;
    r->ordered = true;
    r->first_line = -1;
    int64_t last = 0;
    json_t *j;
    while ((j = wsc_recv(c, 1500))) {
        const char *type = wsc_type(j);
        if (strcmp(type, "agent.status") == 0) { /* not durable: no seq */
            json_decref(j);
            continue;
        }
        int64_t seq = json_integer_value(json_object_get(j, "seq"));
        r->ordered = r->ordered && seq > last;
        last = seq;
        const char *iid = json_string_value(json_object_get(j, "iid"));
        if (iid && strcmp(iid, "chat-2") == 0) {
            r->other += strcmp(type, "utterance") == 0;
        } else if (strcmp(type, "utterance") == 0) {
            const char *uid = json_string_value(json_object_get(j, "uid"));
            snprintf(r->last_text, sizeof r->last_text, "%s", json_string_value(json_object_get(j, "text")));
            if (!json_is_true(json_object_get(j, "final")))
                r->partials++;
            else if (uid && uid[0] == 'u') {
                int n = atoi(uid + 1);
                if (n >= 0 && n < LINES)
                    seen[n]++;
                if (r->first_line < 0)
                    r->first_line = n;
                if (n == MARK)
                    r->mark_seq = seq;
            }
            r->lines++;
        } else if (strcmp(type, "interaction.started") == 0)
            r->started++;
        else if (strcmp(type, "interaction.ended") == 0)
            r->ended++;
        else if (strcmp(type, "sentiment") == 0)
            r->sentiment++;
        json_decref(j);
    }
}

static wsc *join(const char *extra)
{
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    if (!c)
        return NULL;
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"test\"%s}", extra);
    json_t *w = wsc_recv(c, 5000);
    CHECK_STR(wsc_type(w), "welcome");
    json_decref(w);
    json_t *s = wsc_recv(c, 5000);
    CHECK_STR(wsc_type(s), "snapshot");
    CHECK_INT(json_array_size(json_object_get(s, "interactions")), 2);
    json_decref(s);
    return c;
}

/* Lines n..LINES-1 each exactly once, the ones before none. */
static bool exactly_from(const received *r, int n)
{
    for (int i = 0; i < LINES; i++)
        if (r->seen[i] != (i >= n ? 1 : 0))
            return false;
    return true;
}

static int seen_buf[LINES];
static int64_t mark_seq;

/* Without keep_lines: every line once, in seq order, the partials compacted away. */
static void check_full_join(int ended)
{
    received r = {.seen = seen_buf};
    wsc *c = join("");
    CHECK(c != NULL);
    drain(c, &r);
    CHECK(exactly_from(&r, 0));
    CHECK(r.ordered);
    CHECK_INT(r.started, 1);
    CHECK_INT(r.ended, ended);
    CHECK_INT(r.other, LINES); /* and every line of the other chat, merged in seq order */
    CHECK_INT(r.partials, 2); /* the open lines stay as they stood, after the end too */
    CHECK_INT(r.lines, LINES + 2);
    CHECK(r.sentiment > LINES / 10); /* every sentiment: the whole history, from the log */
    mark_seq = r.mark_seq;
    wsc_close(c);
}

/* keep_lines: the last `keep` lines (the open one last), or every line when it has fewer. */
static void check_tail_join(int keep)
{
    received r = {.seen = seen_buf};
    char extra[48];
    snprintf(extra, sizeof extra, ",\"keep_lines\":%d", keep);
    wsc *c = join(extra);
    CHECK(c != NULL);
    drain(c, &r);
    bool whole = keep >= LINES + 2;
    CHECK_INT(r.lines, whole ? LINES + 2 : keep);
    CHECK(exactly_from(&r, whole ? 0 : LINES - keep + 1)); /* and the open line */
    CHECK(r.ordered);
    CHECK_INT(r.started, 1);
    CHECK(r.sentiment <= 1);
    CHECK_INT(r.other, keep < LINES ? keep : LINES);
    CHECK_STR(r.last_text, "still typing");
    wsc_close(c);
}

static void test_a_console_without_keep_lines_gets_every_line_once(void)
{
    check_full_join(0);
    /* one that goes away mid-snapshot: its pages are freed (a leak fails the clean exit
     * under the sanitizers), and the hub serves the next one in full */
    wsc *c = join("");
    CHECK(c != NULL);
    json_decref(wsc_recv(c, 5000));
    wsc_close(c);
    check_full_join(0);
}

static void test_keep_lines_within_and_past_the_held_tail(void)
{
    check_tail_join(SMALL_KEEP); /* within what the call holds */
    check_tail_join(BIG_KEEP);   /* from the log, its start found backwards */
    check_tail_join(LINES + 2);  /* exactly every line */
    check_tail_join(LINES * 2);  /* more than it has */
}

/* A resume from before what the calls hold: its lines are counted in the log too. 500 lines
 * of each chat came after MARK: a replay with keep_lines 2,000, a fresh tail with 100. */
static void test_resume_counts_the_lines_in_the_log(void)
{
    CHECK(mark_seq > 0);
    char extra[96];
    snprintf(extra, sizeof extra, ",\"keep_lines\":%d,\"resume_after\":%lld", BIG_KEEP, (long long)mark_seq);
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    CHECK(c != NULL);
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"test\"%s}", extra);
    json_decref(wsc_recv(c, 5000)); /* welcome */
    received r = {.seen = seen_buf};
    drain(c, &r);
    CHECK(exactly_from(&r, MARK + 1)); /* a replay: no snapshot, the lines after MARK */
    wsc_close(c);
    snprintf(extra, sizeof extra, ",\"keep_lines\":100,\"resume_after\":%lld", (long long)mark_seq);
    c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    CHECK(c != NULL);
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"test\"%s}", extra);
    json_decref(wsc_recv(c, 5000));
    json_t *s = wsc_recv(c, 5000);
    CHECK_STR(wsc_type(s), "snapshot");
    CHECK(json_is_true(json_object_get(s, "fresh")));
    json_decref(s);
    drain(c, &r);
    CHECK_INT(r.lines, 100);
    wsc_close(c);
}

static void test_after_the_end_memory_stays_bounded(void)
{
    wsc_send(ingest, "{\"type\":\"end\",\"id\":\"e1\",\"iid\":\"chat-1\",\"reason\":\"resolved\"}");
    CHECK(ack("e1"));
    double h = held();
    CHECK(h > 0);
    CHECK(h <= 2 * BOUND);
    check_full_join(1);
    check_tail_join(BIG_KEEP);
}

/* The log rows a start may read for two calls: what each holds, a trim's worth the call's
 * live_held record may lag behind, and for the live one the log between its enrichment
 * checkpoint and what it holds (fewer than 64 finals, each with its partial and
 * enrichment). The chats' history is over 13,000 rows. */
#define START_ROWS_BOUND (2 * (BOUND + LIVE_TAIL_FRAMES) + 64 * 4)

static void restart_bounded(void)
{
    double h = held();
    CHECK(h > 0);
    CHECK(h <= 2 * BOUND);
    double rows = hubproc_metric(&H, "agentdesk_start_log_rows");
    CHECK(rows > 0);
    CHECK(rows <= START_ROWS_BOUND);
    CHECK(hubproc_metric(&H, "agentdesk_eventlog_length") > 4 * LINES);
    check_full_join(1);
    check_tail_join(BIG_KEEP);
    check_tail_join(SMALL_KEEP);
}

static void test_a_restart_loads_only_the_bounded_part(void)
{
    wsc_close(ingest);
    CHECK_INT(hubproc_stop(&H, SIGKILL), 128 + SIGKILL);
    CHECK_INT(hubproc_start(&H, NULL), 0);
    restart_bounded();
    /* and again from the records that start wrote */
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    CHECK_INT(hubproc_start(&H, NULL), 0);
    restart_bounded();
}

/* A damaged live_held record is refused: the call is read from its whole log, as before
 * records, and comes back the same. */
static void test_a_damaged_record_reads_the_whole_log(void)
{
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    sqlite3 *db;
    CHECK_INT(sqlite3_open(H.db, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "UPDATE live_held SET seqs = x'0102'", NULL, NULL, NULL), SQLITE_OK);
    CHECK(sqlite3_changes(db) > 0);
    sqlite3_close(db);
    CHECK_INT(hubproc_start(&H, NULL), 0);
    CHECK(hubproc_metric(&H, "agentdesk_start_log_rows") > 4 * LINES);
    double h = held();
    CHECK(h > 0);
    CHECK(h <= 2 * BOUND);
    check_full_join(1);
    check_tail_join(BIG_KEEP);
    check_tail_join(SMALL_KEEP);
    /* and that start wrote them again */
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    CHECK_INT(hubproc_start(&H, NULL), 0);
    restart_bounded();
}

static void test_clean_exit(void)
{
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
}

int main(void)
{
    char customers[700];
    const char *root = getenv("AGENTDESK_ROOT");
    snprintf(customers, sizeof customers, "%s/data/customers.json", root && *root ? root : ".");
    const char *args[] = {"import", "--db", H.db, "customers", customers, NULL};
    if (hubproc_setup(&H) != 0 || hubproc_run_tool(&H, args, NULL) != 0 || hubproc_start(&H, NULL) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    X = wsc_ctx_new();
    RUN(test_memory_stays_bounded_as_the_chat_grows);
    RUN(test_a_console_without_keep_lines_gets_every_line_once);
    RUN(test_keep_lines_within_and_past_the_held_tail);
    RUN(test_resume_counts_the_lines_in_the_log);
    RUN(test_after_the_end_memory_stays_bounded);
    RUN(test_a_restart_loads_only_the_bounded_part);
    RUN(test_a_damaged_record_reads_the_whole_log);
    wsc_ctx_free(X);
    RUN(test_clean_exit);
    hubproc_cleanup(&H);
    return check_done("test_hub_bounded");
}
