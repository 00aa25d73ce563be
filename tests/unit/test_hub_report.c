/* test_hub_report.c — `agentdesk-hub report` against a database the real hub built: a known
 * set of interactions fed through its ingest endpoint (two queues and agents, customers
 * with earlier contacts 3 and 10 days back, an agent who never speaks, one interaction still
 * live, one without a customer), then the report's figures checked exactly against what the
 * test knows it fed (waiting times, which interactions are repeats, counts) and what the hub
 * stored (start and end times, each customer final's score and level). Then CSV quoting, the
 * table cleaning a name with an escape sequence, --by agent, and the time arguments. The same
 * figures reach a supervisor's console live over a websocket (floor.metrics), and follow an end. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"
#include "tests/lib/dbquery.h"
#include "hub/store/report_data.h"
#include "base/clock.h"

#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY_MS (24LL * 3600 * 1000)

static hubproc H;
static wsc_ctx *X;
static wsc *in;
static int64_t now_ms;

static bool send_acked(const char *id, const char *frame)
{
    wsc_send(in, frame);
    json_t *a = wsc_recv_answer(in, id, 20000);
    bool ok = a && strcmp(wsc_type(a), "ack") == 0;
    if (!ok)
        fprintf(stderr, "  %s not acked\n", id);
    json_decref(a);
    return ok;
}

static void start(const char *iid, const char *queue, const char *agent, const char *customer, int64_t started)
{
    char f[512], id[48];
    snprintf(id, sizeof id, "s-%s", iid);
    snprintf(f, sizeof f,
             "{\"type\":\"start\",\"id\":\"%s\",\"iid\":\"%s\",\"channel\":\"chat\",\"queue\":\"%s\","
             "\"agent\":\"%s\",\"customer_id\":\"%s\",\"started_ms\":%lld}",
             id, iid, queue, agent, customer, (long long)started);
    CHECK(send_acked(id, f));
}

static int sent;

/* Utterance `uid` ("IID-N") of iid. */
static void say(const char *iid, int uid, const char *speaker, const char *text, bool final, int offset)
{
    char f[512], id[48];
    snprintf(id, sizeof id, "u-%d", ++sent);
    snprintf(f, sizeof f,
             "{\"type\":\"utterance\",\"id\":\"%s\",\"iid\":\"%s\",\"uid\":\"%s-%d\",\"speaker\":\"%s\","
             "\"text\":\"%s\",\"final\":%s,\"offset_ms\":%d}",
             id, iid, iid, uid, speaker, text, final ? "true" : "false", offset);
    CHECK(send_acked(id, f));
}

static void end(const char *iid)
{
    char f[256], id[48];
    snprintf(id, sizeof id, "e-%s", iid);
    snprintf(f, sizeof f, "{\"type\":\"end\",\"id\":\"%s\",\"iid\":\"%s\",\"reason\":\"resolved\"}", id, iid);
    CHECK(send_acked(id, f));
}

static const char *const ANGRY = "this is terrible, I am furious and fed up";
static const char *const BROKEN = "still broken, awful, useless service";
static const char *const HAPPY = "great, that fixed it, thanks";
static const char *const THANKS = "thank you so much, that is brilliant";

/* The known history. Waiting (first agent utterance): i1 5 s, i2 12 s, i3 3 s (a partial),
 * i5 8 s; i4's agent never speaks. Repeats: i2 (C-1001 had i1 today), i4 (C-1003 had o2 three
 * days ago); not i3 (C-1002's o1 was ten days ago) nor i5 (no customer). */
static void build(void)
{
    start("o1", "tech", "agent-2", "C-1002", now_ms - 10 * DAY_MS);
    end("o1");
    start("o2", "tech", "agent-2", "C-1003", now_ms - 3 * DAY_MS);
    end("o2");
    start("i1", "billing", "agent-1", "C-1001", now_ms - 600000);
    say("i1", 1, "customer", ANGRY, true, 1000);
    say("i1", 2, "agent", "let me look into that", true, 5000);
    say("i1", 3, "customer", BROKEN, true, 9000);
    say("i1", 4, "customer", HAPPY, true, 20000);
    say("i1", 5, "customer", THANKS, true, 30000);
    end("i1");
    start("i2", "billing", "agent-1", "C-1001", now_ms - 300000);
    say("i2", 6, "customer", ANGRY, true, 2000);
    say("i2", 7, "agent", "I am sorry about that", true, 12000);
    say("i2", 8, "customer", BROKEN, true, 15000);
    end("i2");
    start("i3", "tech", "agent-2", "C-1002", now_ms - 200000);
    say("i3", 9, "agent", "hello, how can", false, 3000);
    say("i3", 9, "agent", "hello, how can I help", true, 4000);
    say("i3", 10, "customer", HAPPY, true, 6000);
    end("i3");
    start("i4", "tech", "agent-2", "C-1003", now_ms - 100000);
    say("i4", 11, "customer", BROKEN, true, 1000);
    end("i4");
    start("i5", "tech", "agent-2", "", now_ms - 50000);
    say("i5", 12, "agent", "one moment please", false, 8000);
}

/* ---- what the hub stored ---- */

static sqlite3 *db;

static double num(const char *sql_fmt, const char *a)
{
    char sql[512];
    snprintf(sql, sizeof sql, sql_fmt, a);
    sqlite3_stmt *st;
    double v = NAN;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return v;
}

static double handle_ms(const char *iid)
{
    return num("SELECT ended_ms - started_ms FROM interactions WHERE iid = '%s'", iid);
}

/* The score of the sentiment event for utterance `uid`. */
static double score(const char *uid)
{
    return num("SELECT json_extract(frame, '$.score') FROM events WHERE json_extract(frame, '$.type') = 'sentiment'"
               " AND json_extract(frame, '$.uid') = '%s'", uid);
}

static bool ends_negative(const char *uid)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT json_extract(frame, '$.level') IN ('negative', 'hostile') FROM events WHERE"
             " json_extract(frame, '$.type') = 'sentiment' AND json_extract(frame, '$.uid') = '%s'", uid);
    return dbquery_int(db, sql) == 1;
}

/* ---- running the report ---- */

static char *run_report(const char *args)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "'%s' report --db '%s' %s 2>&1", H.bin, H.db, args);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        fwrite(buf, 1, n, m);
    fclose(m);
    pclose(p);
    return out;
}

static bool near(json_t *o, const char *key, double want)
{
    json_t *v = json_object_get(o, key);
    bool ok = isnan(want) ? json_is_null(v) : json_is_number(v) && fabs(json_number_value(v) - want) < 1e-9;
    if (!ok)
        fprintf(stderr, "  %s: got %s, want %.12g\n", key, v ? json_dumps(v, JSON_ENCODE_ANY) : "nothing", want);
    return ok;
}

static long integer(json_t *o, const char *key)
{
    return (long)json_integer_value(json_object_get(o, key));
}

static json_t *group(json_t *report, const char *key, const char *name)
{
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(report, "groups"), i, g)
        if (!strcmp(json_string_value(json_object_get(g, key)), name))
            return g;
    return NULL;
}

static double mean2(double a, double b)
{
    return (a + b) / 2;
}

static void test_by_queue_json(void)
{
    char *out = run_report("--since 1d --format json");
    json_t *r = out ? json_loads(out, 0, NULL) : NULL;
    CHECK(r != NULL);
    if (!r) {
        fprintf(stderr, "%s\n", out ? out : "");
        free(out);
        return;
    }
    json_t *billing = group(r, "queue", "billing"), *tech = group(r, "queue", "tech");
    json_t *all = json_object_get(r, "total");
    CHECK(billing && tech && all);
    CHECK_INT(json_array_size(json_object_get(r, "groups")), 2);
    if (!billing || !tech || !all)
        goto done;
    /* customer finals: i1-1, i1-3, i1-4, i1-5; i2-6, i2-8; i3-10; i4-11 */
    double up1 = mean2(score("i1-4"), score("i1-5")) - mean2(score("i1-1"), score("i1-3"));
    double up2 = mean2(score("i2-6"), score("i2-8")) - mean2(score("i2-6"), score("i2-8"));
    CHECK(fabs(up1) > 0.5); /* angry to happy: a real uplift */
    CHECK_INT(integer(billing, "interactions"), 2);
    CHECK_INT(integer(billing, "ended"), 2);
    CHECK(near(billing, "avg_handle_s", (handle_ms("i1") + handle_ms("i2")) / 2 / 1000));
    CHECK(near(billing, "avg_wait_s", (5000 + 12000) / 2.0 / 1000));
    CHECK_INT(integer(billing, "scored"), 2);
    CHECK(near(billing, "sentiment_uplift", (up1 + up2) / 2));
    CHECK(!ends_negative("i1-5") && ends_negative("i2-8"));
    CHECK_INT(integer(billing, "ending_negative"), 1);
    CHECK(near(billing, "ending_negative_share", 0.5));
    CHECK_INT(integer(billing, "repeat_7d"), 1);
    CHECK(near(billing, "repeat_7d_share", 0.5));

    CHECK_INT(integer(tech, "interactions"), 3);  /* i3, i4, i5 (o1 and o2 before the period) */
    CHECK_INT(integer(tech, "ended"), 2);
    CHECK(near(tech, "avg_handle_s", (handle_ms("i3") + handle_ms("i4")) / 2 / 1000));
    CHECK_INT(integer(tech, "waited"), 2);
    CHECK(near(tech, "avg_wait_s", (3000 + 8000) / 2.0 / 1000));
    CHECK_INT(integer(tech, "scored"), 2);        /* one final each: uplift 0 */
    CHECK(near(tech, "sentiment_uplift", 0));
    int neg = ends_negative("i3-10") + ends_negative("i4-11");
    CHECK_INT(integer(tech, "ending_negative"), neg);
    CHECK_INT(integer(tech, "with_customer"), 2);
    CHECK_INT(integer(tech, "repeat_7d"), 1);

    CHECK_INT(integer(all, "interactions"), 5);
    CHECK_INT(integer(all, "repeat_7d"), 2);
    CHECK(near(all, "repeat_7d_share", 2.0 / 4));
    CHECK(near(all, "avg_wait_s", (5000 + 12000 + 3000 + 8000) / 4.0 / 1000));
    CHECK(near(all, "sentiment_uplift", (up1 + up2) / 4));
done:
    json_decref(r);
    free(out);
}

static void test_by_agent_and_period(void)
{
    char *out = run_report("--since 1d --by agent --format json");
    json_t *r = out ? json_loads(out, 0, NULL) : NULL;
    json_t *a1 = r ? group(r, "agent", "agent-1") : NULL, *a2 = r ? group(r, "agent", "agent-2") : NULL;
    CHECK(a1 && a2);
    if (a1 && a2) {
        CHECK_INT(integer(a1, "interactions"), 2);
        CHECK_INT(integer(a2, "interactions"), 3);
    }
    json_decref(r);
    free(out);
    /* 11 days back takes in o1 and o2: then i3 and i4 are not the only tech contacts */
    out = run_report("--since 11d --format json");
    r = out ? json_loads(out, 0, NULL) : NULL;
    json_t *tech = r ? group(r, "queue", "tech") : NULL;
    CHECK(tech != NULL);
    if (tech) {
        CHECK_INT(integer(tech, "interactions"), 5);
        CHECK_INT(integer(tech, "repeat_7d"), 1); /* o1 and o2 had none in the 7 days before */
    }
    json_decref(r);
    free(out);
    /* an absolute --until before everything of today: only o1 and o2 */
    char args[160], day[16];
    time_t t = (time_t)((now_ms - 2 * DAY_MS) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    snprintf(args, sizeof args, "--since 2w --until %sT00:00Z --format json", day);
    out = run_report(args);
    r = out ? json_loads(out, 0, NULL) : NULL;
    CHECK_INT(integer(json_object_get(r, "total"), "interactions"), 2);
    json_decref(r);
    free(out);
}

/* A queue name from elsewhere (written straight into the database) with a comma, a quote and
 * an escape sequence: CSV quotes it, the table prints it without the escape. */
static void test_csv_quoting_and_table_cleaning(void)
{
    sqlite3 *w = NULL;
    CHECK_INT(sqlite3_open(H.db, &w), SQLITE_OK);
    sqlite3_busy_timeout(w, 5000);
    char sql[400];
    snprintf(sql, sizeof sql,
             "INSERT INTO interactions(iid, channel, queue, agent, customer_id, started_ms) VALUES"
             " ('x1', 'chat', 'sales, \"new\"' || char(27) || '[31m', 'agent-3', '', %lld)", (long long)now_ms - 1000);
    CHECK_INT(sqlite3_exec(w, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(w);
    char *csv = run_report("--since 1d --format csv");
    CHECK(csv && !strncmp(csv, "queue,interactions,", 19));
    CHECK(csv && strstr(csv, "\n\"sales, \"\"new\"\"") != NULL);
    CHECK(csv && strchr(csv, 27) == NULL);
    char *table = run_report("--since 1d");
    CHECK(table && strstr(table, "sales, \"new\"") != NULL);
    CHECK(table && strchr(table, 27) == NULL);
    CHECK(table && strstr(table, "QUEUE") && strstr(table, "billing") && strstr(table, "\nall "));
    free(csv);
    free(table);
}

static void test_times(void)
{
    int64_t t, now = 1796428800000; /* 2026-12-05T00:00:00Z */
    CHECK(report_parse_time("2026-12-05", now, &t) && t == now);
    CHECK(report_parse_time("2026-12-04T23:30", now, &t) && t == now - 1800000);
    CHECK(report_parse_time("2026-12-04 23:30:15Z", now, &t) && t == now - 1785000);
    CHECK(report_parse_time("2026-12-05T01:00+01:00", now, &t) && t == now);
    CHECK(report_parse_time("2026-12-04T19:00-0500", now, &t) && t == now);
    CHECK(report_parse_time("90m", now, &t) && t == now - 5400000);
    CHECK(report_parse_time("7d", now, &t) && t == now - 7 * DAY_MS);
    CHECK(report_parse_time("1h", now, &t) && t == now - 3600000);
    CHECK(!report_parse_time("2026-02-30", now, &t));
    CHECK(!report_parse_time("7y", now, &t));
    CHECK(!report_parse_time("1h30m", now, &t));
    CHECK(!report_parse_time("2026-12-05T25:00", now, &t));
    CHECK(!report_parse_time("yesterday", now, &t));
    char *out = run_report("--since soon");
    CHECK(out && strstr(out, "cannot read the time 'soon'"));
    free(out);
}

/* ---- the same figures live, on the supervisor's floor (floor.metrics) ---- */

static json_t *row_of(json_t *rows, const char *key)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
        if (!strcmp(json_string_value(json_object_get(r, "key")), key))
            return r;
    return NULL;
}

static wsc *supervisor_floor(json_t **metrics)
{
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    if (!c)
        return NULL;
    wsc_send(c, "{\"type\":\"hello\",\"token\":\"tok-supervisor\",\"client\":\"test\"}");
    *metrics = wsc_recv_type(c, "floor.metrics", 10000);
    return c;
}

/* A supervisor that signs in gets the last hour's figures after its snapshot: i1..i5 (o1 and
 * o2 are days old), exactly the report's, per queue and per agent; when i5 ends, new figures
 * come within seconds without asking. An agent gets none. */
static void test_floor_metrics_live(void)
{
    json_t *m = NULL;
    wsc *sup = supervisor_floor(&m);
    CHECK(sup && m);
    if (!m)
        return;
    int64_t since = (int64_t)json_integer_value(json_object_get(m, "since_ms"));
    int64_t until = (int64_t)json_integer_value(json_object_get(m, "until_ms"));
    CHECK(until - since == 3600000 && until >= now_ms && until <= clock_wall_ms());
    json_t *billing = row_of(json_object_get(m, "queues"), "billing");
    json_t *tech = row_of(json_object_get(m, "queues"), "tech");
    json_t *a1 = row_of(json_object_get(m, "agents"), "agent-1");
    json_t *a2 = row_of(json_object_get(m, "agents"), "agent-2");
    json_t *all = json_object_get(m, "total");
    CHECK(billing && tech && a1 && a2 && all);
    CHECK_INT(json_array_size(json_object_get(m, "queues")), 2);
    if (!billing || !tech || !a1 || !a2 || !all)
        goto done;
    double up1 = mean2(score("i1-4"), score("i1-5")) - mean2(score("i1-1"), score("i1-3"));
    double up2 = mean2(score("i2-6"), score("i2-8")) - mean2(score("i2-6"), score("i2-8"));
    CHECK_INT(integer(billing, "interactions"), 2);
    CHECK_INT(integer(billing, "ended"), 2);
    CHECK(near(billing, "handle_ms", llround((handle_ms("i1") + handle_ms("i2")) / 2)));
    CHECK(near(billing, "wait_ms", 8500));
    CHECK(near(billing, "uplift", (up1 + up2) / 2));
    CHECK(near(billing, "negative_share", 0.5));
    CHECK(near(billing, "repeat_share", 0.5));
    CHECK_INT(integer(tech, "interactions"), 3);
    CHECK_INT(integer(tech, "ended"), 2);
    CHECK_INT(integer(tech, "waited"), 2);
    CHECK(near(tech, "wait_ms", 5500));
    CHECK(near(tech, "uplift", 0));
    CHECK(near(tech, "repeat_share", 0.5));
    CHECK(near(tech, "negative_share", (ends_negative("i3-10") + ends_negative("i4-11")) / 2.0));
    CHECK(near(a1, "uplift", (up1 + up2) / 2)); /* agent-1 has billing's two */
    CHECK_INT(integer(a2, "interactions"), 3);
    CHECK_INT(integer(all, "interactions"), 5);
    CHECK_INT(integer(all, "ended"), 4);
    CHECK(near(all, "wait_ms", 7000));
    CHECK(near(all, "repeat_share", 0.5));
    CHECK(near(all, "uplift", (up1 + up2) / 4));
    CHECK(!strcmp(json_string_value(json_object_get(all, "key")), ""));

    /* i5 ends: the figures follow without a request */
    wsc *feed = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    CHECK(feed != NULL);
    if (feed) {
        wsc_send(feed, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
        json_decref(wsc_recv(feed, 5000));
        wsc *keep = in;
        in = feed;
        /* i5 was read from the log for the first figures: what it says now reaches them
         * without the log being read again (checked against the whole log below) */
        say("i5", 17, "customer", ANGRY, true, 12000);
        int64_t t0 = clock_wall_ms();
        end("i5");
        in = keep;
        json_t *next = wsc_recv_type(sup, "floor.metrics", 8000);
        CHECK(next != NULL);
        CHECK(clock_wall_ms() - t0 < 8000);   /* soon after the end, not the 15 s refresh */
        json_t *t2 = next ? row_of(json_object_get(next, "queues"), "tech") : NULL;
        CHECK(t2 && integer(t2, "ended") == 3);
        CHECK(t2 && near(t2, "handle_ms", llround((handle_ms("i3") + handle_ms("i4") + handle_ms("i5")) / 3)));
        json_decref(next);

        /* i6 starts and speaks while the supervisor is here: its events reach the figures as
         * they are committed (the log is not read again), and the figures still equal a
         * reading of the whole log */
        in = feed;
        start("i6", "tech", "agent-2", "C-1002", now_ms - 1000);
        say("i6", 13, "customer", ANGRY, true, 1000);
        say("i6", 14, "agent", "I can fix that now", false, 4000);
        say("i6", 14, "agent", "I can fix that right now", true, 4500);
        say("i6", 15, "customer", HAPPY, true, 9000);
        say("i6", 16, "customer", "and one more", false, 9500);
        end("i6");
        in = keep;
        json_t *after = wsc_recv_type(sup, "floor.metrics", 12000);
        CHECK(after != NULL);
        json_t *t3 = after ? row_of(json_object_get(after, "queues"), "tech") : NULL;
        CHECK(t3 && integer(t3, "interactions") == 4 && integer(t3, "waited") == 3);
        if (t3) {
            report q, a;
            char err[200];
            int64_t since = (int64_t)json_integer_value(json_object_get(after, "since_ms"));
            int64_t until = (int64_t)json_integer_value(json_object_get(after, "until_ms"));
            CHECK_INT(report_compute_both(db, since, until + 1, &q, &a, err, sizeof err), 0);
            report_row *tech_row = NULL;
            for (size_t i = 0; i < q.n; i++)
                if (!strcmp(q.rows[i].key, "tech"))
                    tech_row = &q.rows[i];
            CHECK(tech_row != NULL);
            if (tech_row) {
                CHECK_INT(integer(t3, "scored"), tech_row->scored);
                CHECK(near(t3, "wait_ms", tech_row->wait_ms / (double)tech_row->waited));
                CHECK(near(t3, "uplift", tech_row->uplift / (double)tech_row->scored));
                CHECK(near(t3, "negative_share", (double)tech_row->negative / (double)tech_row->scored));
            }
            CHECK(near(json_object_get(after, "total"), "uplift", q.total.uplift / (double)q.total.scored));
            report_free(&q);
            report_free(&a);
        }
        json_decref(after);
        wsc_close(feed);
    }

    /* an agent's console gets no floor figures */
    wsc *agent = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    CHECK(agent != NULL);
    if (agent) {
        wsc_send(agent, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"test\"}");
        json_t *st = wsc_recv_type(agent, "agent.status", 5000);
        CHECK(st != NULL);
        json_decref(st);
        json_t *none = wsc_recv_type(agent, "floor.metrics", 1500);
        CHECK(none == NULL);
        json_decref(none);
        wsc_close(agent);
    }
done:
    json_decref(m);
    wsc_close(sup);
}

int main(void)
{
    if (hubproc_setup(&H) != 0 || hubproc_start(&H, NULL) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    X = wsc_ctx_new();
    in = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    CHECK(in != NULL);
    if (in) {
        wsc_send(in, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
        json_decref(wsc_recv(in, 5000));
        now_ms = clock_wall_ms();
        build();
        wsc_close(in);
    }
    CHECK_INT(sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    RUN(test_by_queue_json);
    RUN(test_by_agent_and_period);
    RUN(test_floor_metrics_live);
    RUN(test_csv_quoting_and_table_cleaning);
    RUN(test_times);
    sqlite3_close(db);
    wsc_ctx_free(X);
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    hubproc_cleanup(&H);
    return check_done("test_hub_report");
}
