/* test_hub_pii.c — no personal data in clear, through the real hub, real websockets and real
 * SQLite: notes and wrap-ups are stored redacted; the database, its -wal and -shm are 0600
 * and the directories the hub makes for it 0700 even with umask 000; a card read out over
 * two utterances is masked in both, in what the console gets, in the event log and in the
 * drafted summary; and a text at its field's limit whose masks are longer than what they
 * hide (an e-mail) is still accepted, acked once and stored once. */
#include "tests/unit/check.h"
#include "tests/lib/dbquery.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CARD "4539 1488 0343 6467"
#define EMAIL "maria.lopez@example.com"
#define PHONE "+44 20 7946 0958"

static hubproc H;
static wsc_ctx *X;
static wsc *ingest, *agent;
static char private_dir[280];

static int64_t db_int(const char *sql)
{
    sqlite3 *db;
    int64_t n = -1;
    if (sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        n = dbquery_int(db, sql);
    sqlite3_close(db);
    return n;
}

/* An answer (ack or error) to `id` on c; true for an ack. */
static bool acked(wsc *c, const char *id)
{
    json_t *a = wsc_recv_answer(c, id, 5000);
    bool ok = a && !strcmp(wsc_type(a), "ack");
    if (a && !ok)
        fprintf(stderr, "  %s: %s: %s\n", id, json_string_value(json_object_get(a, "code")),
                json_string_value(json_object_get(a, "message")));
    if (!a)
        fprintf(stderr, "  %s: no answer\n", id);
    json_decref(a);
    return ok;
}

/* Sends a frame built from a JSON object (texts of any size). */
static void send_json(wsc *c, json_t *frame)
{
    char *s = json_dumps(frame, JSON_COMPACT);
    wsc_send(c, s);
    free(s);
    json_decref(frame);
}

static void start(const char *iid)
{
    wsc_sendf(ingest, "{\"type\":\"start\",\"id\":\"st-%s\",\"iid\":\"%s\",\"channel\":\"voice\","
                      "\"queue\":\"billing\",\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}", iid, iid);
    char id[64];
    snprintf(id, sizeof id, "st-%s", iid);
    CHECK(acked(ingest, id));
}

static void say(const char *iid, const char *id, const char *text, int64_t offset_ms)
{
    send_json(ingest, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I}", "type", "utterance", "id", id,
                                "iid", iid, "uid", id, "speaker", "customer", "text", text, "final", 1,
                                "offset_ms", (json_int_t)offset_ms));
    CHECK(acked(ingest, id));
}

/* A text of exactly `len` bytes: `pii` at its start, then words. */
static char *text_of(size_t len, const char *pii)
{
    char *t = malloc(len + 1);
    size_t o = strlen(pii);
    memcpy(t, pii, o);
    while (o < len) {
        static const char word[] = " billing";
        size_t n = len - o < sizeof word - 1 ? len - o : sizeof word - 1;
        memcpy(t + o, word, n);
        o += n;
    }
    t[len] = 0;
    return t;
}

static void test_connect(void)
{
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    CHECK(ingest != NULL);
    wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    json_t *w = wsc_recv_type(ingest, "welcome", 5000);
    CHECK(w != NULL);
    json_decref(w);
    agent = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    CHECK(agent != NULL);
    wsc_send(agent, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"test\"}");
    json_t *s = wsc_recv_type(agent, "snapshot", 5000);
    CHECK(s != NULL);
    json_decref(s);
}

static void test_note_and_wrapup_stored_masked(void)
{
    start("pii-1");
    wsc_send(agent, "{\"type\":\"note\",\"id\":\"n-pii\",\"iid\":\"pii-1\",\"text\":\"card " CARD
                    ", mail " EMAIL ", call " PHONE "\"}");
    CHECK(acked(agent, "n-pii"));
    wsc_send(ingest, "{\"type\":\"end\",\"id\":\"end-pii-1\",\"iid\":\"pii-1\",\"reason\":\"sent to " EMAIL "\"}");
    CHECK(acked(ingest, "end-pii-1"));
    wsc_send(agent, "{\"type\":\"wrapup\",\"id\":\"w-pii\",\"iid\":\"pii-1\",\"code\":\"billing\",\"summary\":"
                    "\"paid by " CARD ", receipt to " EMAIL ", call back on " PHONE "\",\"follow_up\":true}");
    CHECK(acked(agent, "w-pii"));
    CHECK_INT(db_int("SELECT count(*) FROM notes WHERE iid='pii-1'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM notes WHERE iid='pii-1' AND text = "
                     "'card [CARD], mail [EMAIL], call [PHONE]'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM wrapups WHERE iid='pii-1'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM wrapups WHERE iid='pii-1' AND summary = "
                     "'paid by [CARD], receipt to [EMAIL], call back on [PHONE]'"), 1);
    /* nothing stored anywhere holds them in clear */
    static const char *const tables[][2] = {{"notes", "text"}, {"wrapups", "summary"}, {"events", "frame"},
                                            {"interactions", "end_reason"}};
    for (size_t i = 0; i < 4; i++) {
        char sql[300];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE instr(%s, '0343') OR instr(%s, 'maria.lopez')"
                 " OR instr(%s, '7946')", tables[i][0], tables[i][1], tables[i][1], tables[i][1]);
        /* an event's text values only: its ts and times are numbers whose digits can hold
         * '0343' or '7946' now and then (this check failed once in CI that way) */
        CHECK_INT(db_int(strcmp(tables[i][0], "events") ? sql :
                         "SELECT count(DISTINCT e.seq) FROM events e, json_tree(e.frame) j WHERE j.type = 'text'"
                         " AND (instr(j.value, '0343') OR instr(j.value, 'maria.lopez') OR instr(j.value, '7946'))"), 0);
    }
}

/* The customer reads the card out over two utterances: the first names it, the second
 * finishes it and alone would be an ordinary number. */
static void test_card_over_two_utterances(void)
{
    start("pii-2");
    say("pii-2", "u-2a", "my card number is 4539 1488", 1000);
    say("pii-2", "u-2b", "0343 6467", 4000);
    say("pii-2", "u-2c", "and again it is " CARD ", to pay the bill", 9000);
    int seen = 0;
    json_t *u;
    while (seen < 3 && (u = wsc_recv_type(agent, "utterance", 5000))) {
        const char *t = json_string_value(json_object_get(u, "text"));
        CHECK(t && !strstr(t, "1488") && !strstr(t, "0343") && !strstr(t, "6467 "));
        if (seen == 1)
            CHECK_STR(t, "[CARD]");
        seen++;
        json_decref(u);
    }
    CHECK_INT(seen, 3);
    wsc_send(agent, "{\"type\":\"summary.request\",\"id\":\"sr-pii\",\"iid\":\"pii-2\"}");
    json_t *s = wsc_recv_type(agent, "summary", 5000);
    const char *text = s ? json_string_value(json_object_get(s, "text")) : NULL;
    CHECK(text != NULL);
    static const char *const groups[] = {"4539", "1488", "0343", "6467"};
    for (size_t g = 0; text && g < 4; g++)
        CHECK(strstr(text, groups[g]) == NULL);
    json_decref(s);
    CHECK_INT(db_int("SELECT count(DISTINCT e.seq) FROM events e, json_tree(e.frame) j WHERE e.iid='pii-2'"
                     " AND j.type = 'text' AND (instr(j.value, '1488') OR instr(j.value, '0343') OR"
                     " instr(j.value, '4539'))"), 0);
}

/* The first part alone is an ordinary number and has gone out as it is; once the second
 * shows it to be a card, the second is masked and the summary quotes neither. */
static void test_card_begun_without_card_words(void)
{
    start("pii-4");
    say("pii-4", "u-4a", "I want to pay the bill with 4539 1488", 1000);
    say("pii-4", "u-4b", "0343 6467 is the rest", 3000);
    json_t *u = wsc_recv_type(agent, "utterance", 5000);
    json_decref(u);
    u = wsc_recv_type(agent, "utterance", 5000);
    CHECK_STR(u ? json_string_value(json_object_get(u, "text")) : NULL, "[CARD] is the rest");
    json_decref(u);
    wsc_send(agent, "{\"type\":\"summary.request\",\"id\":\"sr-pii-4\",\"iid\":\"pii-4\"}");
    json_t *s = wsc_recv_type(agent, "summary", 5000);
    const char *text = s ? json_string_value(json_object_get(s, "text")) : NULL;
    CHECK(text != NULL);
    static const char *const groups[] = {"4539", "1488", "0343", "6467"};
    for (size_t g = 0; text && g < 4; g++)
        CHECK(strstr(text, groups[g]) == NULL);
    CHECK(text && strstr(text, "Reason: customer says they want to pay the bill with [CARD].") != NULL);
    json_decref(s);
}

/* Three e-mails of 6 bytes become masks of 12 ("a•••@b.co"): an utterance of 8,190 bytes would come out at
 * 8,193, over the 8,192 of its field. It is accepted, acked once, logged once, and the text
 * the console gets fits. A retry of the same id is acked without a second event. */
static void test_long_utterance_with_email(void)
{
    start("pii-3");
    char *t = text_of(8190, "a@b.co c@d.co e@f.co");
    say("pii-3", "u-long", t, 1000);
    json_t *u = wsc_recv_type(agent, "utterance", 5000);
    const char *shown = u ? json_string_value(json_object_get(u, "text")) : NULL;
    CHECK(shown && strlen(shown) <= 8192);
    static const char masked[] = "a\u2022\u2022\u2022@b.co c\u2022\u2022\u2022@d.co e\u2022\u2022\u2022@f.co billing";
    CHECK(shown && !strncmp(shown, masked, sizeof masked - 1));
    json_decref(u);
    say("pii-3", "u-long", t, 1000);   /* a retry */
    free(t);
    CHECK_INT(db_int("SELECT count(*) FROM events WHERE iid='pii-3' AND instr(frame, '\"type\":\"utterance\"')"), 1);
}

/* A note of 8,190 bytes with e-mails: acked, stored once, and its retry stores nothing. */
static void test_note_near_limit(void)
{
    char *t = text_of(8190, "write to a@b.co or c@d.co or e@f.co");
    for (int attempt = 0; attempt < 2; attempt++) {
        send_json(agent, json_pack("{s:s, s:s, s:s, s:s}", "type", "note", "id", "n-long", "iid", "pii-3",
                                   "text", t));
        CHECK(acked(agent, "n-long"));
    }
    free(t);
    CHECK_INT(db_int("SELECT count(*) FROM notes WHERE iid='pii-3'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM notes WHERE iid='pii-3' AND instr(text, 'a@b.co') = 0"
                     " AND length(CAST(text AS BLOB)) <= 8192"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM events WHERE iid='pii-3' AND instr(frame, '\"type\":\"note\"')"), 1);
}

static int mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1;
}

/* Made with umask 000: the hub's database files are still its own alone. */
static void test_db_files_private(void)
{
    char path[600];
    CHECK_INT(mode_of(H.db), 0600);
    snprintf(path, sizeof path, "%s-wal", H.db);
    CHECK_INT(mode_of(path), 0600);
    snprintf(path, sizeof path, "%s-shm", H.db);
    CHECK_INT(mode_of(path), 0600);
    CHECK_INT(mode_of(private_dir), 0700);
    snprintf(path, sizeof path, "%s/state", private_dir);
    CHECK_INT(mode_of(path), 0700);
}

int main(void)
{
    umask(0);
    if (hubproc_setup(&H) != 0) {
        fprintf(stderr, "cannot set up the hub\n");
        return 1;
    }
    /* a database in directories the hub makes itself */
    snprintf(private_dir, sizeof private_dir, "%.250s/private", H.dir);
    snprintf(H.db, sizeof H.db, "%.280s/state/hub.db", private_dir);
    static const char *const users[][3] = {{"agent-1", "agent", "tok-agent-1"}, {"ingest", "ingest", "tok-ingest"}};
    if (hubproc_import_users(&H, users, 2) != 0 || hubproc_start(&H, NULL) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    X = wsc_ctx_new();
    RUN(test_connect);
    RUN(test_note_and_wrapup_stored_masked);
    RUN(test_card_over_two_utterances);
    RUN(test_card_begun_without_card_words);
    RUN(test_long_utterance_with_email);
    RUN(test_note_near_limit);
    RUN(test_db_files_private);
    wsc_ctx_free(X);
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    hubproc_cleanup(&H);
    return check_done("test_hub_pii");
}
