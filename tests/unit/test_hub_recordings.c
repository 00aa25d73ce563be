/* test_hub_recordings.c — recordings through the real hub, websockets and SQLite, with the
 * record directory on a small tmpfs of its own (a private mount namespace): iids that make
 * no valid file name are recorded and listed, the directory and files are private under
 * umask 000, recordings.list pages through the index, a recording far bigger than the
 * outbox bound reaches a trainer who reads slowly, and a full disk is counted, logged,
 * shown on /healthz, and cuts the recording at a whole line that is served as incomplete. */
#include "tests/unit/check.h"
#include "tests/lib/dbquery.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static hubproc H;
static wsc_ctx *X;
static wsc *ingest;
static int acks;

/* A mount namespace of our own (as root, or as a user through a user namespace), so the
 * hub's record directory can be a small tmpfs that really fills up. */
static int private_tmpfs(const char *at, const char *size)
{
    if (geteuid() == 0) {
        if (unshare(CLONE_NEWNS) != 0)
            return -1;
    } else {
        char map[64];
        uid_t u = geteuid();
        gid_t g = getegid();
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
            return -1;
        int fd = open("/proc/self/setgroups", O_WRONLY);
        if (fd < 0 || write(fd, "deny", 4) != 4)
            return -1;
        close(fd);
        int n = snprintf(map, sizeof map, "0 %u 1", (unsigned)u);
        if ((fd = open("/proc/self/uid_map", O_WRONLY)) < 0 || write(fd, map, (size_t)n) != n)
            return -1;
        close(fd);
        n = snprintf(map, sizeof map, "0 %u 1", (unsigned)g);
        if ((fd = open("/proc/self/gid_map", O_WRONLY)) < 0 || write(fd, map, (size_t)n) != n)
            return -1;
        close(fd);
    }
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        return -1;
    if (mkdir(at, 0777) != 0 && errno != EEXIST)
        return -1;
    char opts[64];
    snprintf(opts, sizeof opts, "size=%s,mode=0777", size);
    return mount("tmpfs", at, "tmpfs", 0, opts);
}

static wsc *console(const char *token)
{
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    if (!c)
        return NULL;
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"test\"}", token);
    json_decref(wsc_recv(c, 5000));
    return c;
}

static void send_json(wsc *c, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    wsc_send(c, s);
    free(s);
    json_decref(j);
}

/* Send an ingest event with a fresh id and wait for its ack. */
static bool ingest_acked(json_t *ev)
{
    char id[32];
    snprintf(id, sizeof id, "a-%d", ++acks);
    json_object_set_new(ev, "id", json_string(id));
    send_json(ingest, ev);
    json_t *a = wsc_recv_answer(ingest, id, 10000);
    bool ok = a && strcmp(wsc_type(a), "ack") == 0;
    if (!ok)
        fprintf(stderr, "  no ack for %s: %s\n", id, a ? json_string_value(json_object_get(a, "message")) : "timeout");
    json_decref(a);
    return ok;
}

static bool start(const char *iid)
{
    return ingest_acked(json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "start", "iid", iid,
                                  "channel", "chat", "queue", "q", "agent", "agent-2", "customer_id", "C-1001"));
}

static bool say(const char *iid, int n, const char *text)
{
    char uid[32];
    snprintf(uid, sizeof uid, "u%d", n);
    return ingest_acked(json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:i}", "type", "utterance", "iid", iid,
                                  "uid", uid, "speaker", "customer", "text", text, "final", 1,
                                  "offset_ms", n * 100));
}

static bool end(const char *iid)
{
    return ingest_acked(json_pack("{s:s, s:s, s:s}", "type", "end", "iid", iid, "reason", "resolved"));
}

/* Every part of the answer to recording.get `id`; NULL on an error or a timeout. The last
 * part is returned in *last. `pause_ms` between parts makes a slow reader. */
static json_t *fetch(wsc *t, const char *iid, const char *id, int pause_ms, json_t **last)
{
    send_json(t, json_pack("{s:s, s:s, s:s}", "type", "recording.get", "id", id, "iid", iid));
    json_t *lines = json_array();
    *last = NULL;
    for (int part = 0;; part++) {
        json_t *r = wsc_recv_answer(t, id, 10000);
        if (!r || strcmp(wsc_type(r), "recording") != 0 ||
            json_integer_value(json_object_get(r, "part")) != part) {
            if (r)
                fprintf(stderr, "  recording.get %s: %s\n", id, json_string_value(json_object_get(r, "message")));
            json_decref(r);
            json_decref(lines);
            return NULL;
        }
        json_array_extend(lines, json_object_get(r, "lines"));
        if (json_is_true(json_object_get(r, "last"))) {
            *last = r;
            return lines;
        }
        json_decref(r);
        if (pause_ms)
            usleep((useconds_t)pause_ms * 1000);
    }
}

static json_t *list_page(wsc *t, int64_t before, int limit)
{
    static int n;
    char id[32];
    snprintf(id, sizeof id, "l-%d", ++n);
    json_t *req = json_pack("{s:s, s:s, s:i}", "type", "recordings.list", "id", id, "limit", limit);
    if (before)
        json_object_set_new(req, "before", json_integer(before));
    send_json(t, req);
    return wsc_recv_answer(t, id, 5000);
}

static bool listed(wsc *t, const char *iid, json_t **item)
{
    int64_t before = 0;
    for (int pages = 0; pages < 50; pages++) {
        json_t *l = list_page(t, before, 200);
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(l, "items"), i, it) if (strcmp(json_string_value(json_object_get(it, "iid")), iid) == 0) {
            if (item)
                *item = json_incref(it);
            json_decref(l);
            return true;
        }
        before = json_integer_value(json_object_get(l, "next"));
        json_decref(l);
        if (!before)
            break;
    }
    return false;
}

static int64_t events_of(const char *iid)
{
    sqlite3 *db;
    int64_t n = -1;
    char sql[600];
    char *q = sqlite3_mprintf("%q", iid);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE iid='%s'", q);
    sqlite3_free(q);
    if (sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        n = dbquery_int(db, sql);
    sqlite3_close(db);
    return n;
}

static bool all_json(json_t *lines)
{
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) {
        json_t *j = json_loads(json_string_value(l), 0, NULL);
        if (!j)
            return false;
        json_decref(j);
    }
    return true;
}

static void test_hostile_iids_recorded_and_listed(void)
{
    char punct[101], kanji[42 * 3 + 1];
    static const char marks[] = "!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~";
    for (int i = 0; i < 100; i++)
        punct[i] = marks[i % (int)(sizeof marks - 1)];
    punct[100] = 0;
    for (int i = 0; i < 42; i++)
        memcpy(kanji + 3 * i, "\xe9\x8c\xb2", 3); /* 録: 126 bytes, the longest iid the protocol takes */
    kanji[126] = 0;
    const char *iids[] = {punct, kanji};
    wsc *t = console("tok-trainer");
    for (int k = 0; k < 2; k++) {
        CHECK(start(iids[k]));
        CHECK(say(iids[k], 1, "hello there"));
        CHECK(end(iids[k]));
        json_t *item = NULL;
        CHECK(listed(t, iids[k], &item));
        CHECK(json_is_true(json_object_get(item, "complete")));
        CHECK(json_is_true(json_object_get(item, "ended")));
        json_decref(item);
        json_t *last, *lines = fetch(t, iids[k], k ? "g-kanji" : "g-punct", 0, &last);
        CHECK(lines != NULL);
        CHECK(json_is_true(json_object_get(last, "complete")));
        CHECK_INT(json_array_size(lines), 1 + events_of(iids[k]));
        json_t *head = json_loads(json_string_value(json_array_get(lines, 0)), 0, NULL);
        CHECK_STR(json_string_value(json_object_get(head, "iid")), iids[k]);
        json_decref(head);
        json_decref(lines);
        json_decref(last);
    }
    /* every file name in the directory is short */
    DIR *d = opendir(H.records);
    struct dirent *de;
    int files = 0;
    while (d && (de = readdir(d)))
        if (de->d_name[0] != '.') {
            files++;
            CHECK(strlen(de->d_name) <= 80);
        }
    if (d)
        closedir(d);
    CHECK(files >= 2);
    wsc_close(t);
}

/* The hub was started with umask 000 and the tmpfs root is 0777. */
static void test_private_modes(void)
{
    struct stat sb;
    CHECK(stat(H.records, &sb) == 0);
    CHECK_INT(sb.st_mode & 0777, 0700);
    DIR *d = opendir(H.records);
    struct dirent *de;
    int files = 0;
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[700];
        snprintf(path, sizeof path, "%s/%s", H.records, de->d_name);
        CHECK(stat(path, &sb) == 0);
        CHECK_INT(sb.st_mode & 0777, 0600);
        files++;
    }
    if (d)
        closedir(d);
    CHECK(files > 0);
}

static void test_list_pages_through_index(void)
{
    enum { MANY = 250 };
    for (int i = 0; i < MANY; i++) {
        char iid[32];
        snprintf(iid, sizeof iid, "page-%03d", i);
        send_json(ingest, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "start", "iid", iid,
                                    "channel", "voice", "queue", "q", "agent", "agent-1", "customer_id", "C-1001"));
        send_json(ingest, json_pack("{s:s, s:s, s:s}", "type", "end", "iid", iid, "reason", "resolved"));
    }
    CHECK(start("page-sync"));
    wsc *t = console("tok-trainer");
    int64_t before = 0;
    int pages = 0, expect = MANY - 1, seen = 0;
    bool ordered = true, bounded = true;
    for (;;) {
        json_t *l = list_page(t, before, 100);
        CHECK_STR(wsc_type(l), "recordings");
        pages++;
        size_t i;
        json_t *it;
        bounded = bounded && json_array_size(json_object_get(l, "items")) <= 100;
        json_array_foreach(json_object_get(l, "items"), i, it) {
            const char *iid = json_string_value(json_object_get(it, "iid"));
            if (strncmp(iid, "page-", 5) != 0 || strcmp(iid, "page-sync") == 0)
                continue;
            char want[32];
            snprintf(want, sizeof want, "page-%03d", expect--);
            ordered = ordered && strcmp(iid, want) == 0;
            seen++;
        }
        before = json_integer_value(json_object_get(l, "next"));
        json_decref(l);
        if (!before || pages > 10)
            break;
    }
    CHECK_INT(seen, MANY);
    CHECK(ordered);
    CHECK(bounded);
    CHECK(pages >= 3);
    CHECK(end("page-sync"));
    wsc_close(t);
}

/* 400 KiB of recording against a 64 KiB outbox, read by a trainer that first stalls and
 * then takes its parts slowly. */
static void test_big_recording_slow_reader(void)
{
    char text[2001];
    for (int i = 0; i < 2000; i++)
        text[i] = "lorem ipsum dolor "[i % 18];
    text[2000] = 0;
    CHECK(start("big-1"));
    for (int i = 0; i < 200; i++)
        if (!say("big-1", i, text))
            break;
    CHECK(end("big-1"));
    wsc *t = console("tok-trainer");
    wsc_set_rcvbuf(t, 4096);
    wsc_set_reading(t, false);
    send_json(t, json_pack("{s:s, s:s, s:s}", "type", "recording.get", "id", "g-stall", "iid", "big-1"));
    wsc_service(X, 1500); /* the hub meets a full socket */
    wsc_set_reading(t, true);
    json_t *lines = json_array(), *last = NULL;
    int parts = 0;
    for (;;) {
        json_t *r = wsc_recv_answer(t, "g-stall", 10000);
        if (!r || strcmp(wsc_type(r), "recording") != 0) {
            if (r)
                fprintf(stderr, "  got %s: %s\n", wsc_type(r), json_string_value(json_object_get(r, "message")));
            json_decref(r);
            break;
        }
        CHECK_INT(json_integer_value(json_object_get(r, "part")), parts);
        parts++;
        json_array_extend(lines, json_object_get(r, "lines"));
        if (json_is_true(json_object_get(r, "last"))) {
            last = r;
            break;
        }
        json_decref(r);
        usleep(20000);
    }
    CHECK(last != NULL);
    CHECK(parts > 8);
    CHECK(json_is_true(json_object_get(last, "complete")));
    CHECK_INT(json_array_size(lines), 1 + events_of("big-1"));
    CHECK(all_json(lines));
    CHECK(!wsc_is_closed(t));
    json_decref(last);
    json_decref(lines);
    wsc_close(t);
    /* eight answers at once are sent whole, one after the other; a ninth request is refused */
    wsc *many = console("tok-trainer");
    wsc_set_reading(many, false);
    for (int i = 0; i < 9; i++) {
        char id[16];
        snprintf(id, sizeof id, "m%d", i);
        send_json(many, json_pack("{s:s, s:s, s:s}", "type", "recording.get", "id", id, "iid", "big-1"));
    }
    wsc_service(X, 300);
    wsc_set_reading(many, true);
    int done[9] = {0}, refused = -1, partials = 0;
    json_t *r;
    while ((r = wsc_recv(many, 5000))) {
        const char *id = json_string_value(json_object_get(r, strcmp(wsc_type(r), "error") == 0 ? "ref" : "id"));
        int k = id && id[0] == 'm' ? id[1] - '0' : -1;
        if (k >= 0 && k < 9 && strcmp(wsc_type(r), "error") == 0)
            refused = k;
        else if (k >= 0 && k < 9 && json_is_true(json_object_get(r, "last")))
            done[k] = json_is_true(json_object_get(r, "complete"));
        else
            partials++;
        json_decref(r);
        int finished = 0;
        for (int i = 0; i < 8; i++)
            finished += done[i];
        if (finished == 8 && refused >= 0)
            break;
    }
    for (int i = 0; i < 8; i++)
        CHECK(done[i]);
    CHECK_INT(refused, 8);
    CHECK(partials > 8 * 8);
    wsc_close(many);
    /* a trainer who leaves in the middle: the hub drops the answer (a leak shows at exit) */
    wsc *gone = console("tok-trainer");
    wsc_set_reading(gone, false);
    send_json(gone, json_pack("{s:s, s:s, s:s}", "type", "recording.get", "id", "g-gone", "iid", "big-1"));
    wsc_service(X, 300);
    wsc_close(gone);
    wsc_service(X, 300);
}

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, fp);
    buf[got] = 0;
    fclose(fp);
    return buf;
}

/* Fill the tmpfs to the last byte. */
static void fill(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    static char block[65536];
    memset(block, 'x', sizeof block);
    for (size_t sz = sizeof block; sz > 0; sz /= 2)
        while (write(fd, block, sz) == (ssize_t)sz)
            ;
    close(fd);
}

static void test_full_disk_counted_reported_and_cut(void)
{
    char filler[400];
    snprintf(filler, sizeof filler, "%s/.filler", H.records);
    CHECK(hubproc_metric(&H, "agentdesk_recording_write_errors_total") == 0);
    CHECK(start("full-1"));
    CHECK(say("full-1", 1, "before the disk filled up"));
    fill(filler);
    char text[6001];
    for (int i = 0; i < 6000; i++)
        text[i] = "the disk is full now "[i % 21];
    text[6000] = 0;
    CHECK(say("full-1", 2, text));
    CHECK(say("full-1", 3, "and one more line"));
    CHECK(end("full-1"));

    CHECK(hubproc_metric(&H, "agentdesk_recording_write_errors_total") >= 1);
    char *health = hubproc_http_get(&H, "/healthz");
    CHECK(health && strstr(health, "\"status\":\"degraded\""));
    CHECK(health && strstr(health, "\"recordings\":{\"ok\":false"));
    CHECK(health && strstr(health, "No space left on device"));
    free(health);
    char *log = read_all(H.log);
    CHECK(log && strstr(log, "write failed: No space left on device"));
    free(log);

    /* the file ends at a whole line */
    char *path = NULL;
    DIR *d = opendir(H.records);
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (strcmp(de->d_name, "full-1.jsonl") == 0 && asprintf(&path, "%s/%s", H.records, de->d_name) < 0)
            path = NULL;
    if (d)
        closedir(d);
    char *body = path ? read_all(path) : NULL;
    CHECK(body && body[0] && body[strlen(body) - 1] == '\n');
    free(body);
    free(path);

    /* served as incomplete, every line whole, the lines after the failure absent */
    wsc *t = console("tok-trainer");
    json_t *last, *lines = fetch(t, "full-1", "g-full", 0, &last);
    CHECK(lines != NULL);
    CHECK(json_is_false(json_object_get(last, "complete")));
    CHECK_STR(json_string_value(json_object_get(last, "reason")), "write_failed");
    CHECK(all_json(lines));
    CHECK(json_array_size(lines) >= 2);
    CHECK((int64_t)json_array_size(lines) < 1 + events_of("full-1"));
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) CHECK(!strstr(json_string_value(l), "disk is full now"));
    json_decref(lines);
    json_decref(last);
    json_t *item = NULL;
    CHECK(listed(t, "full-1", &item));
    CHECK(json_is_false(json_object_get(item, "complete")));
    json_decref(item);

    /* space again: the next recording is written whole and /healthz is ok */
    unlink(filler);
    CHECK(start("after-1"));
    CHECK(say("after-1", 1, "space again"));
    CHECK(end("after-1"));
    health = hubproc_http_get(&H, "/healthz");
    CHECK(health && strstr(health, "\"status\":\"ok\""));
    free(health);
    lines = fetch(t, "after-1", "g-after", 0, &last);
    CHECK(lines && json_is_true(json_object_get(last, "complete")));
    json_decref(lines);
    json_decref(last);
    wsc_close(t);
}

/* SIGTERM: a clean exit, status 0 (under ASan also no leak) */
static void test_clean_exit(void)
{
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
}

int main(void)
{
    if (hubproc_setup(&H) != 0) {
        fprintf(stderr, "cannot set up the hub\n");
        return 1;
    }
    if (private_tmpfs(H.records, "8m") != 0) {
        fprintf(stderr, "cannot mount a tmpfs on %s in a private mount namespace: %s\n", H.records, strerror(errno));
        hubproc_cleanup(&H);
        return 1;
    }
    umask(0);
    static const char *const extra[] = {"--outbox-kib", "64", NULL};
    if (hubproc_start(&H, extra) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        umount(H.records);
        hubproc_cleanup(&H);
        return 1;
    }
    umask(022);
    X = wsc_ctx_new();
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    json_decref(wsc_recv(ingest, 5000));
    RUN(test_hostile_iids_recorded_and_listed);
    RUN(test_private_modes);
    RUN(test_list_pages_through_index);
    RUN(test_big_recording_slow_reader);
    RUN(test_full_disk_counted_reported_and_cut);
    wsc_ctx_free(X);
    RUN(test_clean_exit);
    umount(H.records);
    hubproc_cleanup(&H);
    return check_done("test_hub_recordings");
}
