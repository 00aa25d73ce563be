/* test_hub_full_disk.c — the real hub with its database on a small tmpfs (in a private
 * mount namespace: `unshare` of the mount namespace as root, of a user namespace too
 * otherwise) that fills up mid-ingest and is then freed. A failed group commit must be a
 * full rollback: every acked event present once after a restart, every refused one retried
 * into place with the same id (a start is not "already live", an end not "no live
 * interaction"), no snapshot serving rolled-back frames, no seq given to two events, and
 * /healthz degraded while writes fail. Also: a damaged database is refused at start. */
#include "tests/unit/check.h"
#include "tests/lib/dbquery.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_IDS = 4000 };

static hubproc H;
static wsc_ctx *X;
static wsc *ingest, *watch;
static char fsdir[300], filler[340];

/* every durable event the watching supervisor received: seq -> frame */
static json_t *received;
static int64_t last_received;
static bool received_in_order = true;

static const char *str(json_t *j, const char *k)
{
    return json_string_value(json_object_get(j, k));
}

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A mount namespace of our own (the hub we start inherits it), so the tmpfs is seen by no
 * one else and goes away with us. */
static int private_mounts(void)
{
    if (geteuid() == 0) {
        if (unshare(CLONE_NEWNS) != 0)
            return -1;
    } else {
        uid_t uid = geteuid();
        gid_t gid = getegid();
        char map[64];
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
            return -1;
        write_text("/proc/self/setgroups", "deny");
        snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
        if (write_text("/proc/self/uid_map", map) != 0)
            return -1;
        snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
        if (write_text("/proc/self/gid_map", map) != 0)
            return -1;
    }
    return mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return errno == ENOENT ? 0 : -1;
    FILE *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    int rc = out ? 0 : -1;
    while (out && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            rc = -1;
    fclose(in);
    if (out && fclose(out) != 0)
        rc = -1;
    return rc;
}

/* Take every byte the tmpfs has left. Returns the bytes written. */
static long long fill_disk(void)
{
    int fd = open(filler, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0)
        return -1;
    static char block[65536];
    memset(block, 'x', sizeof block);
    long long total = 0;
    for (size_t chunk = sizeof block; chunk >= 1; chunk /= 2) {
        ssize_t n;
        while ((n = write(fd, block, chunk)) > 0)
            total += n;
    }
    fsync(fd);
    close(fd);
    return total;
}

/* Every durable event the watcher has been sent so far goes into `received`. */
static void drain_watch(int quiet_ms)
{
    json_t *j;
    while ((j = wsc_recv(watch, quiet_ms)) != NULL) {
        json_t *seqv = json_object_get(j, "seq");
        const char *t = wsc_type(j);
        if (json_is_integer(seqv) && t && strcmp(t, "snapshot") != 0 && strcmp(t, "welcome") != 0) {
            int64_t seq = json_integer_value(seqv);
            if (seq <= last_received)
                received_in_order = false;
            last_received = seq;
            char key[32];
            snprintf(key, sizeof key, "%lld", (long long)seq);
            if (json_object_get(received, key))
                received_in_order = false; /* one seq delivered twice */
            json_object_set(received, key, j);
        }
        json_decref(j);
    }
}

/* Send an ingest frame with id `id` and return the answer's type and error code in `code`
 * ("ack", or the error code). */
static const char *ingest_send(const char *id, char *code, size_t codelen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static const char *ingest_send(const char *id, char *code, size_t codelen, const char *fmt, ...)
{
    static char frame[16384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(frame, sizeof frame, fmt, ap);
    va_end(ap);
    wsc_send(ingest, frame);
    json_t *a = wsc_recv_answer(ingest, id, 10000);
    snprintf(code, codelen, "%s", !a ? "timeout" : strcmp(wsc_type(a), "ack") == 0 ? "ack"
                                  : str(a, "code") ? str(a, "code") : "?");
    json_decref(a);
    return code;
}

static char padding[4001];

static const char *utter(const char *id, const char *iid, int mark, bool big)
{
    static char code[64];
    return ingest_send(id, code, sizeof code,
                       "{\"type\":\"utterance\",\"id\":\"%s\",\"iid\":\"%s\",\"uid\":\"%s\",\"speaker\":\"customer\","
                       "\"text\":\"mark-%d %s\",\"final\":true,\"offset_ms\":%d}",
                       id, iid, id, mark, big ? padding : "thanks", mark * 100);
}

static const char *start(const char *id, const char *iid)
{
    static char code[64];
    return ingest_send(id, code, sizeof code,
                       "{\"type\":\"start\",\"id\":\"%s\",\"iid\":\"%s\",\"channel\":\"voice\",\"queue\":\"billing\","
                       "\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}", id, iid);
}

static const char *end(const char *id, const char *iid)
{
    static char code[64];
    return ingest_send(id, code, sizeof code, "{\"type\":\"end\",\"id\":\"%s\",\"iid\":\"%s\",\"reason\":\"resolved\"}",
                       id, iid);
}

static int64_t db_int(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int64_t db_int(const char *fmt, ...)
{
    char sql[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    sqlite3 *db;
    int64_t v = -1;
    if (sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        v = dbquery_int(db, sql);
    sqlite3_close(db);
    return v;
}

static wsc *console_hello(const char *extra)
{
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    if (!c)
        return NULL;
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"tok-supervisor\",\"client\":\"test\"%s}", extra);
    json_t *w = wsc_recv_type(c, "welcome", 5000);
    bool ok = w != NULL;
    json_decref(w);
    return ok ? c : NULL;
}

/* A note on `iid` from console `c`: "ack" or the error's code. */
static const char *note(wsc *c, const char *id, const char *iid, const char *text)
{
    static char code[64];
    wsc_sendf(c, "{\"type\":\"note\",\"id\":\"%s\",\"iid\":\"%s\",\"text\":\"%s\"}", id, iid, text);
    json_t *a = wsc_recv_answer(c, id, 10000);
    snprintf(code, sizeof code, "%s", !a ? "timeout" : strcmp(wsc_type(a), "ack") == 0 ? "ack"
                                  : str(a, "code") ? str(a, "code") : "?");
    json_decref(a);
    return code;
}

/* A plain hello's snapshot and replay: every frame is the log's event under its seq, and
 * no utterance text comes twice. Returns the frames that are not. */
static int snapshot_mismatches(void)
{
    wsc *c = console_hello("");
    if (!c)
        return -1;
    sqlite3 *db;
    if (sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return -1;
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT frame FROM events WHERE seq = ?1", -1, &st, NULL);
    json_t *texts = json_object();
    int bad = 0;
    json_t *j;
    while ((j = wsc_recv(c, 800)) != NULL) {
        const char *t = wsc_type(j);
        json_t *seqv = json_object_get(j, "seq");
        if (t && strcmp(t, "snapshot") != 0 && json_is_integer(seqv)) {
            sqlite3_bind_int64(st, 1, json_integer_value(seqv));
            json_t *stored = NULL;
            if (sqlite3_step(st) == SQLITE_ROW)
                stored = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
            sqlite3_reset(st);
            if (!stored || !json_equal(stored, j)) {
                fprintf(stderr, "  snapshot frame seq %lld is not the log's\n", (long long)json_integer_value(seqv));
                bad++;
            }
            json_decref(stored);
            const char *text = strcmp(t, "utterance") == 0 ? str(j, "text") : NULL;
            if (text) {
                if (json_object_get(texts, text))
                    bad++;
                json_object_set_new(texts, text, json_true());
            }
        }
        json_decref(j);
    }
    json_decref(texts);
    sqlite3_finalize(st);
    sqlite3_close(db);
    wsc_close(c);
    return bad;
}

/* the marks of the utterances acked, and of those refused (retried later) */
static int acked[MAX_IDS], nacked, refused[MAX_IDS], nrefused;
static int mark_next = 1;

static void test_full_disk_rolls_back(void)
{
    CHECK_STR(start("s-a", "fd-a"), "ack");
    for (int i = 0; i < 5; i++) {
        char id[32];
        int m = mark_next++;
        snprintf(id, sizeof id, "u-%d", m);
        if (strcmp(utter(id, "fd-a", m, true), "ack") == 0)
            acked[nacked++] = m;
    }
    CHECK_INT(nacked, 5);
    drain_watch(300);
    wsc *noter = console_hello("");
    CHECK(noter != NULL);

    CHECK(fill_disk() >= 0);
    /* big utterances until the first is refused, then small ones until one is: the space
     * left inside the database's files is then smaller than any write below needs */
    for (int pass = 0; pass < 2; pass++) {
        bool refused_one = false;
        for (int i = 0; i < 3000 && !refused_one; i++) {
            char id[32];
            int m = mark_next++;
            snprintf(id, sizeof id, "u-%d", m);
            const char *code = utter(id, "fd-a", m, pass == 0);
            if (strcmp(code, "ack") == 0)
                acked[nacked++] = m;
            else {
                CHECK_STR(code, "unavailable");
                refused[nrefused++] = m;
                refused_one = true;
            }
        }
        CHECK(refused_one);
    }
    /* while writes fail: a start and an end are refused as retryable, and nothing of them
     * stays behind: an utterance on the refused start finds no interaction */
    CHECK_STR(start("s-b", "fd-b"), "unavailable");
    CHECK_STR(utter("ub-0", "fd-b", 0, false), "not_found");
    CHECK_STR(end("e-a", "fd-a"), "unavailable");
    /* a console action whose own row cannot be stored is retryable too, not lost */
    if (noter)
        CHECK_STR(note(noter, "n-full", "fd-a", "noted while the disk was full"), "unavailable");

    char *health = hubproc_http_raw(&H, "/healthz");
    CHECK(health && strstr(health, " 503 ") && strstr(health, "\"status\":\"degraded\"") &&
          strstr(health, "\"reason\":\""));
    free(health);
    CHECK(hubproc_metric(&H, "agentdesk_storage_degraded") == 1);
    CHECK(hubproc_metric(&H, "agentdesk_commit_failures_total") >= 4);

    /* reads go on: a fresh snapshot lists fd-a live (its end was rolled back), not fd-b,
     * and replays none of the refused utterances */
    wsc *snap = console_hello("");
    CHECK(snap != NULL);
    bool listed_a = false, listed_b = false, rolled_back_frame = false, ended_a = false;
    int64_t snap_seq = -1;
    json_t *j;
    while (snap && (j = wsc_recv(snap, 800)) != NULL) {
        const char *t = wsc_type(j);
        if (t && strcmp(t, "snapshot") == 0) {
            snap_seq = json_integer_value(json_object_get(j, "seq"));
            size_t i;
            json_t *it;
            json_array_foreach(json_object_get(j, "interactions"), i, it) {
                listed_a = listed_a || strcmp(str(it, "iid"), "fd-a") == 0;
                listed_b = listed_b || strcmp(str(it, "iid"), "fd-b") == 0;
            }
        } else if (t) {
            const char *text = str(j, "text");
            for (int r = 0; text && r < nrefused; r++) {
                char m[32];
                snprintf(m, sizeof m, "mark-%d ", refused[r]);
                rolled_back_frame = rolled_back_frame || strncmp(text, m, strlen(m)) == 0;
            }
            ended_a = ended_a || (strcmp(t, "interaction.ended") == 0 && strcmp(str(j, "iid"), "fd-a") == 0);
            if (json_integer_value(json_object_get(j, "seq")) > snap_seq)
                rolled_back_frame = true;
        }
        json_decref(j);
    }
    CHECK(listed_a);
    CHECK(!listed_b);
    CHECK(!ended_a);
    CHECK(!rolled_back_frame);
    if (snap)
        wsc_close(snap);

    /* space comes back: the same ids go through, each into its place */
    CHECK_INT(unlink(filler), 0);
    for (int r = 0; r < nrefused; r++) {
        char id[32];
        snprintf(id, sizeof id, "u-%d", refused[r]);
        CHECK_STR(utter(id, "fd-a", refused[r], true), "ack");
    }
    CHECK_STR(start("s-b", "fd-b"), "ack");
    CHECK_STR(utter("ub-1", "fd-b", 100000, false), "ack");
    if (noter) {
        CHECK_STR(note(noter, "n-full", "fd-a", "noted while the disk was full"), "ack");
        wsc_close(noter);
    }
    CHECK_STR(end("e-a", "fd-a"), "ack");
    CHECK_STR(end("e-b", "fd-b"), "ack");
    CHECK_INT(db_int("SELECT count(*) FROM notes WHERE text = 'noted while the disk was full'"), 1);
    /* the rolled-back frames' seqs went to other events: no snapshot serves the old ones */
    CHECK_INT(snapshot_mismatches(), 0);
    /* a retried id that did go through is applied once */
    char id0[32];
    snprintf(id0, sizeof id0, "u-%d", acked[0]);
    CHECK_STR(utter(id0, "fd-a", acked[0], true), "ack");

    health = hubproc_http_raw(&H, "/healthz");
    CHECK(health && strstr(health, " 200 ") && strstr(health, "\"status\":\"ok\""));
    free(health);
    CHECK(hubproc_metric(&H, "agentdesk_storage_degraded") == 0);
    drain_watch(800);
    CHECK(received_in_order);
}

/* After a restart the database holds each acked and retried utterance once, every seq the
 * watcher got is the database's event, and new seqs go on above the old ones. */
static void test_after_restart(void)
{
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    CHECK_INT(hubproc_start(&H, NULL), 0);
    for (int i = 0; i < nacked + nrefused; i++) {
        int m = i < nacked ? acked[i] : refused[i - nacked];
        int64_t n = db_int("SELECT COUNT(*) FROM events WHERE frame LIKE '%%\"text\":\"mark-%d %%'", m);
        if (n != 1) {
            fprintf(stderr, "  mark-%d stored %lld times\n", m, (long long)n);
            CHECK(0);
        }
    }
    CHECK_INT(db_int("SELECT COUNT(*) FROM interactions WHERE iid IN ('fd-a','fd-b') AND ended_ms IS NOT NULL"), 2);
    CHECK_INT(db_int("SELECT COUNT(*) FROM events WHERE iid='fd-a' AND frame LIKE '{\"type\":\"interaction.ended\"%%'"), 1);
    CHECK_INT(db_int("SELECT COUNT(*) FROM events WHERE iid='fd-b' AND frame LIKE '{\"type\":\"interaction.started\"%%'"), 1);

    /* what the watcher was sent is what the log holds under each seq */
    sqlite3 *db;
    CHECK_INT(sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT frame FROM events WHERE seq = ?1", -1, &st, NULL), SQLITE_OK);
    const char *key;
    json_t *frame;
    size_t mismatched = 0;
    json_object_foreach(received, key, frame) {
        sqlite3_bind_int64(st, 1, atoll(key));
        json_t *stored = NULL;
        if (sqlite3_step(st) == SQLITE_ROW)
            stored = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        if (!stored || !json_equal(stored, frame))
            mismatched++;
        json_decref(stored);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    CHECK_INT(mismatched, 0);
    CHECK(json_object_size(received) > (size_t)(nacked + nrefused));

    int64_t before = db_int("SELECT MAX(seq) FROM events");
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    CHECK(ingest != NULL);
    if (!ingest)
        return;
    wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    json_decref(wsc_recv_type(ingest, "welcome", 5000));
    CHECK_STR(start("s-c", "fd-c"), "ack");
    CHECK(db_int("SELECT MIN(seq) FROM events WHERE iid='fd-c'") > before);
}

static int db_exec(const char *sql)
{
    sqlite3 *db;
    int rc = sqlite3_open(H.db, &db);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    sqlite3_close(db);
    return rc;
}

/* A console action whose own row (a note) cannot be written after its event was staged
 * fails the whole turn: the console is told to retry (`unavailable`), the event is not
 * sent or stored half, and the retry with the same id stores it once. A trigger makes the
 * row fail whatever the disk says. */
static void test_action_row_failure_rolls_back(void)
{
    wsc *c = console_hello("");
    CHECK(c != NULL);
    if (!c)
        return;
    CHECK_INT(db_exec("CREATE TRIGGER notes_fail BEFORE INSERT ON notes BEGIN SELECT RAISE(FAIL, 'no room'); END;"),
              SQLITE_OK);
    CHECK_STR(note(c, "n-row", "fd-c", "a note whose row fails"), "unavailable");
    CHECK_INT(db_int("SELECT count(*) FROM events WHERE frame LIKE '%%a note whose row fails%%'"), 0);
    CHECK_INT(db_exec("DROP TRIGGER notes_fail;"), SQLITE_OK);
    CHECK_STR(note(c, "n-row", "fd-c", "a note whose row fails"), "ack");
    CHECK_INT(db_int("SELECT count(*) FROM events WHERE frame LIKE '%%a note whose row fails%%'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM notes WHERE text = 'a note whose row fails'"), 1);
    wsc_close(c);
}

/* Overwrite `len` bytes at `offset` of the database file. */
static int damage(const char *path, long offset, size_t len)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0)
        return -1;
    static char junk[65536];
    memset(junk, 0xA5, sizeof junk);
    int rc = pwrite(fd, junk, len, offset) == (ssize_t)len ? 0 : -1;
    close(fd);
    return rc;
}

/* Start the hub on its database and expect it to refuse, at once, naming the file. A hub
 * that starts instead is stopped after a few seconds: that is a failure too. */
static bool refused_at_start(const char *expect)
{
    char listen[64], out[400];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", hubproc_free_port());
    snprintf(out, sizeof out, "%s/start.out", H.dir);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execl(H.bin, H.bin, "--listen", listen, "--db", H.db, "--record-dir", H.records, "--data", H.data,
              (char *)NULL);
        _exit(127);
    }
    int status = -1;
    int64_t deadline = wsc_now_ms() + 8000;
    while (pid > 0 && waitpid(pid, &status, WNOHANG) == 0) {
        if (wsc_now_ms() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            status = -1;
            break;
        }
        usleep(20000);
    }
    char said[4096] = "";
    FILE *fp = fopen(out, "r");
    if (fp) {
        size_t n = fread(said, 1, sizeof said - 1, fp);
        said[n] = 0;
        fclose(fp);
    }
    bool ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) != 0 && strstr(said, H.db) &&
              strstr(said, expect) && strstr(said, "backup");
    if (!ok)
        fprintf(stderr, "  start (status %d) said: %s\n", status, said);
    return ok;
}

static void test_damaged_database_refused(void)
{
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    char saved[440];
    snprintf(saved, sizeof saved, "%s.good", H.db);
    CHECK_INT(copy_file(H.db, saved), 0);

    /* the events table lost its newest rows: their seqs would be handed out again */
    sqlite3 *db;
    CHECK_INT(sqlite3_open(H.db, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "DELETE FROM events WHERE seq > (SELECT MAX(seq) - 3 FROM events)", NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    CHECK(refused_at_start("seq"));

    /* bytes overwritten in the middle of the file */
    CHECK_INT(copy_file(saved, H.db), 0);
    struct stat sb;
    CHECK_INT(stat(H.db, &sb), 0);
    long pages = (long)(sb.st_size / 4096);
    for (long pg = pages / 3; pg < pages / 3 + 6 && pg < pages; pg++)
        CHECK_INT(damage(H.db, pg * 4096, 4096), 0);
    CHECK(refused_at_start("damaged"));

    /* the good copy starts */
    CHECK_INT(copy_file(saved, H.db), 0);
    CHECK_INT(hubproc_start(&H, NULL), 0);
}

int main(void)
{
    memset(padding, 'a', sizeof padding - 1);
    for (size_t i = 5; i < sizeof padding - 1; i += 6)
        padding[i] = ' ';
    if (private_mounts() != 0) {
        fprintf(stderr, "test_hub_full_disk: cannot make a private mount namespace: %s\n", strerror(errno));
        return 1;
    }
    if (hubproc_setup(&H) != 0) {
        fprintf(stderr, "test_hub_full_disk: setup failed\n");
        return 1;
    }
    snprintf(fsdir, sizeof fsdir, "%.250s/fs", H.dir);
    snprintf(filler, sizeof filler, "%s/filler", fsdir);
    char db[sizeof H.db], wal[440];
    snprintf(db, sizeof db, "%.300s/hub.db", fsdir);
    if (mkdir(fsdir, 0700) != 0 || mount("tmpfs", fsdir, "tmpfs", 0, "size=6m,mode=0700") != 0 ||
        copy_file(H.db, db) != 0) {
        fprintf(stderr, "test_hub_full_disk: cannot mount a tmpfs on %s: %s\n", fsdir, strerror(errno));
        hubproc_cleanup(&H);
        return 1;
    }
    snprintf(wal, sizeof wal, "%s-wal", H.db);
    char wal_to[440];
    snprintf(wal_to, sizeof wal_to, "%s-wal", db);
    copy_file(wal, wal_to);
    snprintf(H.db, sizeof H.db, "%s", db);
    X = wsc_ctx_new();
    received = json_object();
    if (hubproc_start(&H, NULL) != 0) {
        fprintf(stderr, "test_hub_full_disk: the hub did not start\n");
        return 1;
    }
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    watch = console_hello(",\"resume_after\":0");
    if (!ingest || !watch) {
        fprintf(stderr, "test_hub_full_disk: cannot connect\n");
        return 1;
    }
    wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    json_decref(wsc_recv_type(ingest, "welcome", 5000));

    RUN(test_full_disk_rolls_back);
    wsc_ctx_free(X);
    X = wsc_ctx_new();
    RUN(test_after_restart);
    RUN(test_action_row_failure_rolls_back);
    RUN(test_damaged_database_refused);
    wsc_ctx_free(X);
    json_decref(received);
    hubproc_stop(&H, SIGTERM);
    umount2(fsdir, MNT_DETACH);
    hubproc_cleanup(&H);
    return check_done("test_hub_full_disk");
}
