/* test_hub_restart_assist.c — a restart does not change what enrichment says next
 * (hub/assist/assist.h: checkpoints), on two real hubs fed the same interaction: hub A is
 * killed (kill -9) after the first part and started again, hub B runs through. The next
 * utterances then give the same sentiment (score, trend, level), the same flags (what was
 * raised before is not raised again; a computed rule goes on from its counts), the same
 * suggestions (none shown before is shown again, ids continuing), the same checklist, and
 * at the end the same summary. A's start read the interaction's checkpoint: replaying every
 * final is not what made them equal. A damaged checkpoint is refused and the interaction is
 * rebuilt from its log, with the same results. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"
#include "tests/lib/dbquery.h"

#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FIRST = 300, SECOND = 40, WINDOW = 50 };

static wsc_ctx *X;

/* What the customer and the agent say, in turn: complaints, a manager, cancelling, money
 * taken twice, thanks, and lines that move neither. */
static const char *const customer_lines[] = {
    "I was charged twice for my bill this month and I want a refund",
    "this is terrible, nobody ever calls me back",
    "okay",
    "I want to speak to a manager right now",
    "why is my bill higher than usual",
    "thank you, that is really helpful",
    "I will cancel my account if this is not fixed",
    "my direct debit payment failed again",
    "this is the third time im calling about this",
    "awful service, absolutely useless",
    "I want to make a complaint",
    "can I change my bank details for the payment",
};
/* ...and what only the second part brings up: articles not shown yet, a flag not raised. */
static const char *const later_lines[] = {
    "my discount ended and the price went up, I am not happy",
    "I am struggling to pay, can I get a payment arrangement",
    "can you stop the paper bill fee and switch me to online bills",
    "my husband passed away and the account was in his name",
};
static const char *const agent_lines[] = {
    "I am sorry to hear that, let me check your account",
    "I can see the two payments, I will raise a refund",
    "can you confirm your date of birth please",
    "let me look at your last bill",
    "is there anything else I can help you with",
};

static bool ack(wsc *in, const char *id)
{
    json_t *a = wsc_recv_answer(in, id, 20000);
    bool ok = a && strcmp(wsc_type(a), "ack") == 0;
    json_decref(a);
    return ok;
}

static wsc *connect_ingest(hubproc *h)
{
    wsc *in = wsc_connect(X, h->port, "agentdesk.ingest.v1", 5000);
    if (!in)
        return NULL;
    wsc_send(in, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    json_decref(wsc_recv(in, 5000));
    return in;
}

/* Finals from..to-1 of r-1: the customer's lines in an order that repeats itself slowly (from
 * FIRST on, every other one new), the agent's in between; every WINDOW-th acked (its turn
 * committed). */
static bool feed(wsc *in, int from, int to)
{
    for (int i = from; i < to; i++) {
        bool customer = i % 2 == 0;
        const char *text = !customer         ? agent_lines[(i / 2) % 5]
                           : i >= FIRST && i % 4 == 0 ? later_lines[(i / 4) % 4]
                                                      : customer_lines[(i / 2 * 7) % 12];
        bool acked = (i - from) % WINDOW == WINDOW - 1 || i == to - 1;
        char id[32] = "";
        if (acked)
            snprintf(id, sizeof id, "\"id\":\"w%d\",", i);
        wsc_sendf(in,
                  "{\"type\":\"utterance\",%s\"iid\":\"r-1\",\"uid\":\"u%d\",\"speaker\":\"%s\","
                  "\"text\":\"%s\",\"final\":true,\"offset_ms\":%d}",
                  id, i, customer ? "customer" : "agent", text, i * 3000);
        if (!acked)
            continue;
        snprintf(id, sizeof id, "w%d", i);
        if (!ack(in, id))
            return false;
    }
    return true;
}

static bool start_call(wsc *in)
{
    wsc_send(in, "{\"type\":\"start\",\"id\":\"s\",\"iid\":\"r-1\",\"channel\":\"voice\",\"queue\":\"billing\","
                 "\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}");
    return ack(in, "s");
}

static bool end_call(wsc *in)
{
    wsc_send(in, "{\"type\":\"end\",\"id\":\"e\",\"iid\":\"r-1\",\"reason\":\"resolved\"}");
    return ack(in, "e");
}

/* An id "<iid>-S<epoch>.N" as N: the epoch is each hub start's own. */
static void id_count(json_t *f, const char *key)
{
    const char *id = json_string_value(json_object_get(f, key));
    const char *dot = id ? strrchr(id, '.') : NULL;
    if (dot)
        json_object_set_new(f, key, json_string(dot + 1));
}

/* What enrichment said for r-1 after the first utterance of the second part, in order,
 * without seq, time and the epoch of ids. A flag a tick raised (no uid) is left out, and so
 * are flag ids: when a second passes is up to each machine, not to the utterances. */
static json_t *said_after(const hubproc *h, int *flags, int *suggestions, int *sentiments)
{
    sqlite3 *db = NULL;
    json_t *out = json_array();
    if (sqlite3_open_v2(h->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return out;
    }
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db, "SELECT frame FROM events WHERE iid = 'r-1' ORDER BY seq", -1, &st, NULL);
    char mark[16];
    snprintf(mark, sizeof mark, "u%d", FIRST);
    bool after = false;
    *flags = *suggestions = *sentiments = 0;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        json_t *f = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        const char *type = json_string_value(json_object_get(f, "type"));
        const char *uid = json_string_value(json_object_get(f, "uid"));
        if (type && !strcmp(type, "utterance") && uid && !strcmp(uid, mark))
            after = true;
        bool keep = after && type &&
                    (!strcmp(type, "sentiment") || !strcmp(type, "suggestion") || !strcmp(type, "checklist") ||
                     !strcmp(type, "summary") || (!strcmp(type, "flag") && uid));
        if (keep) {
            json_object_del(f, "seq");
            json_object_del(f, "ts");
            json_object_del(f, "fid");
            id_count(f, "sid");
            *flags += !strcmp(type, "flag");
            *suggestions += !strcmp(type, "suggestion");
            *sentiments += !strcmp(type, "sentiment");
            json_array_append(out, f);
        }
        json_decref(f);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static int64_t db_int(const hubproc *h, const char *sql)
{
    sqlite3 *db = NULL;
    int64_t v = -1;
    if (sqlite3_open_v2(h->db, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK)
        v = dbquery_int(db, sql);
    sqlite3_close(db);
    return v;
}

static bool log_says(const hubproc *h, const char *what)
{
    FILE *f = fopen(h->log, "r");
    char line[1024];
    bool found = false;
    while (f && !found && fgets(line, sizeof line, f))
        found = strstr(line, what) != NULL;
    if (f)
        fclose(f);
    return found;
}

static int db_exec(const hubproc *h, const char *sql)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(h->db, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static bool setup(hubproc *h)
{
    const char *root = getenv("AGENTDESK_ROOT");
    char customers[700], kb[700];
    snprintf(customers, sizeof customers, "%s/data/customers.json", root && *root ? root : ".");
    snprintf(kb, sizeof kb, "%s/data/kb.json", root && *root ? root : ".");
    const char *c[] = {"import", "--db", h->db, "customers", customers, NULL};
    const char *k[] = {"import", "--db", h->db, "kb", kb, NULL};
    return hubproc_setup(h) == 0 && hubproc_run_tool(h, c, NULL) == 0 && hubproc_run_tool(h, k, NULL) == 0 &&
           hubproc_start(h, NULL) == 0;
}

/* A and B take the first part; A is killed and started again (after `damage`, run on its
 * database while it is down); both take the second part and the end. */
static void run(const char *damage)
{
    hubproc a, b;
    if (!setup(&a) || !setup(&b)) {
        CHECK(!"the hubs start");
        hubproc_cleanup(&a);
        hubproc_cleanup(&b);
        return;
    }
    wsc *ia = connect_ingest(&a), *ib = connect_ingest(&b);
    CHECK(ia && ib);
    CHECK(start_call(ia) && start_call(ib));
    CHECK(feed(ia, 0, FIRST) && feed(ib, 0, FIRST));
    /* the checkpoint A's start reads, written in a committed turn of the first part */
    CHECK(db_int(&a, "SELECT seq FROM assist_checkpoints WHERE iid = 'r-1'") > 0);
    wsc_close(ia);
    CHECK_INT(hubproc_stop(&a, SIGKILL), 128 + SIGKILL);
    if (damage)
        CHECK_INT(db_exec(&a, damage), SQLITE_OK);
    CHECK_INT(hubproc_start(&a, NULL), 0);
    /* a damaged one is said and not used */
    CHECK(log_says(&a, "enrichment checkpoint of r-1 unusable") == (damage != NULL));
    ia = connect_ingest(&a);
    CHECK(ia != NULL);
    CHECK(feed(ia, FIRST, FIRST + SECOND) && feed(ib, FIRST, FIRST + SECOND));
    CHECK(end_call(ia) && end_call(ib));
    int fa, sa, na, fb, sb, nb;
    json_t *said_a = said_after(&a, &fa, &sa, &na), *said_b = said_after(&b, &fb, &sb, &nb);
    char *ta = json_dumps(said_a, JSON_COMPACT | JSON_SORT_KEYS);
    char *tb = json_dumps(said_b, JSON_COMPACT | JSON_SORT_KEYS);
    CHECK_INT(na, SECOND);   /* every final of the second part scored */
    CHECK(fb > 0);           /* a flag and a suggestion came after the first part... */
    CHECK(sb > 0);
    CHECK_STR(ta, tb);       /* ...and the restarted hub said exactly the same */
    /* the end took the checkpoint away: nothing is enriched after it */
    CHECK_INT(db_int(&a, "SELECT count(*) FROM assist_checkpoints"), 0);
    free(ta);
    free(tb);
    json_decref(said_a);
    json_decref(said_b);
    wsc_close(ia);
    wsc_close(ib);
    CHECK_INT(hubproc_stop(&a, SIGTERM), 0);
    CHECK_INT(hubproc_stop(&b, SIGTERM), 0);
    hubproc_cleanup(&a);
    hubproc_cleanup(&b);
}

static void test_after_a_restart_enrichment_goes_on_as_without(void)
{
    run(NULL);
}

static void test_a_damaged_checkpoint_is_rebuilt_from_the_log(void)
{
    run("UPDATE assist_checkpoints SET state = substr(state, 1, length(state) / 2)");
}

int main(void)
{
    X = wsc_ctx_new();
    RUN(test_after_a_restart_enrichment_goes_on_as_without);
    RUN(test_a_damaged_checkpoint_is_rebuilt_from_the_log);
    wsc_ctx_free(X);
    return check_done("test_hub_restart_assist");
}
