/* test_recorder.c — recordings on disk and their index, on a real SQLite store: header line,
 * lines in order, bounded and distinct file names for any iid, reopening after a restart
 * without a second header, private modes whatever the umask, a torn tail never read as a
 * line, 2,000 recordings paged from the index with the directory gone, and the one-off
 * indexing of recordings written before the index existed. */
#include "tests/unit/check.h"
#include "tests/lib/dbquery.h"
#include "hub/core/recorder.h"
#include "hub/store/store.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[64], dir[128], dbpath[128];
static store *st;

typedef struct {
    int n;
    char lines[8][256];
} collected;

static int collect(void *ctx, const char *line, size_t len)
{
    collected *c = ctx;
    if (c->n < 8)
        snprintf(c->lines[c->n], sizeof c->lines[0], "%.*s", (int)len, line);
    c->n++;
    return 0;
}

static recorder *open_rec(void)
{
    char err[200] = "";
    recorder *r = recorder_open(dir, store_db(st), err, sizeof err);
    if (!r)
        fprintf(stderr, "  recorder_open: %s\n", err);
    return r;
}

static void test_header_and_lines(void)
{
    recorder *r = open_rec();
    CHECK(r != NULL);
    recorder_file *f = recorder_begin(r, "call-1", "voice", "billing", "agent-1", 1000);
    CHECK(f != NULL);
    const char *l1 = "{\"type\":\"utterance\",\"seq\":1}";
    recorder_write(r, f, l1, strlen(l1));
    recorder_flush(r);
    collected c = {0};
    CHECK_INT(recorder_read(r, "call-1", collect, &c), 0);
    CHECK_INT(c.n, 2);
    json_t *h = json_loads(c.lines[0], 0, NULL);
    CHECK_STR(json_string_value(json_object_get(h, "format")), "agentdesk.recording");
    CHECK_INT(json_integer_value(json_object_get(h, "version")), 1);
    CHECK_STR(json_string_value(json_object_get(h, "iid")), "call-1");
    CHECK_STR(json_string_value(json_object_get(h, "channel")), "voice");
    CHECK_STR(json_string_value(json_object_get(h, "queue")), "billing");
    CHECK_STR(json_string_value(json_object_get(h, "agent")), "agent-1");
    CHECK_INT(json_integer_value(json_object_get(h, "started_ms")), 1000);
    json_decref(h);
    CHECK_STR(c.lines[1], l1);
    recorder_finish(r, f);
    /* after a restart the same interaction appends, with no second header */
    f = recorder_begin(r, "call-1", "voice", "billing", "agent-1", 1000);
    const char *l2 = "{\"type\":\"interaction.ended\",\"iid\":\"call-1\",\"ended_ms\":61000,\"seq\":2}";
    recorder_write(r, f, l2, strlen(l2));
    recorder_finish(r, f);
    c.n = 0;
    recorder_read(r, "call-1", collect, &c);
    CHECK_INT(c.n, 3);
    CHECK_STR(c.lines[2], l2);
    CHECK(recorder_read(r, "no-such", collect, &c) < 0);
    /* the index has the counts of the closed recording */
    CHECK_INT(dbquery_int(store_db(st), "SELECT events FROM recordings WHERE iid='call-1'"), 2);
    CHECK_INT(dbquery_int(store_db(st), "SELECT ended_ms FROM recordings WHERE iid='call-1'"), 61000);
    CHECK_INT(dbquery_int(store_db(st), "SELECT complete FROM recordings WHERE iid='call-1'"), 1);
    recorder_close(r);
}

static void test_names_bounded_and_distinct(void)
{
    recorder *r = open_rec();
    char punct[121], mb[255 * 2 + 1], mb2[255 * 2 + 1];
    static const char marks[] = "!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~";
    for (int i = 0; i < 120; i++)
        punct[i] = marks[i % (int)(sizeof marks - 1)];
    punct[120] = 0;
    for (int i = 0; i < 255; i++) {
        memcpy(mb + 2 * i, "\xc3\xa9", 2);   /* é */
        memcpy(mb2 + 2 * i, "\xc3\xa9", 2);
    }
    mb[510] = mb2[510] = 0;
    mb2[508] = '\xc3', mb2[509] = '\xa8';     /* differs in the last character only */
    const char *iids[] = {"../../etc/passwd", ".hidden", "a/b", "a%2Fb", "a_b", "sp ace\xff", punct, mb, mb2,
                          "call-2~0123456789abcdef0123456789abcdef"};
    enum { N = sizeof iids / sizeof iids[0] };
    char *names[N];
    for (size_t i = 0; i < N; i++) {
        names[i] = recorder_file_name(iids[i]);
        CHECK(strlen(names[i]) <= 80);
        CHECK(strchr(names[i], '/') == NULL);
        CHECK(names[i][0] != '.');
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(names[i], names[j]) != 0);
        recorder_file *f = recorder_begin(r, iids[i], "chat", "q", "a", 5);
        const char *l = "{\"type\":\"utterance\",\"seq\":9}";
        recorder_write(r, f, l, strlen(l));
        recorder_finish(r, f);
        char *p = recorder_path(r, iids[i]);
        CHECK(access(p, F_OK) == 0);
        free(p);
        collected c = {0};
        CHECK(recorder_read(r, iids[i], collect, &c) >= 0);
        CHECK(c.n >= 1);
    }
    /* a readable prefix: the punctuation run reads as one '_', then the hash */
    CHECK(strncmp(names[N - 1], "call-2_0123456789abcdef", 23) == 0);
    for (size_t i = 0; i < N; i++)
        free(names[i]);
    CHECK_INT(dbquery_int(store_db(st), "SELECT count(*) FROM recordings WHERE iid IN ('a/b', 'a%2Fb', 'a_b')"), 3);
    recorder_close(r);
}

static void test_private_modes(void)
{
    mode_t old = umask(0);
    char sub[200];
    snprintf(sub, sizeof sub, "%s/modes/inner", base);
    char err[200];
    recorder *r = recorder_open(sub, store_db(st), err, sizeof err);
    CHECK(r != NULL);
    struct stat sb;
    CHECK(stat(sub, &sb) == 0 && (sb.st_mode & 0777) == 0700);
    recorder_file *f = recorder_begin(r, "mode-1", "chat", "q", "a", 1);
    recorder_finish(r, f);
    char *p = recorder_path(r, "mode-1");
    CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    /* an existing file and directory left open to others are made private */
    CHECK(chmod(p, 0644) == 0 && chmod(sub, 0755) == 0);
    recorder_close(r);
    r = recorder_open(sub, store_db(st), err, sizeof err);
    f = recorder_begin(r, "mode-1", "chat", "q", "a", 1);
    recorder_finish(r, f);
    CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    CHECK(stat(sub, &sb) == 0 && (sb.st_mode & 0777) == 0700);
    free(p);
    recorder_close(r);
    umask(old);
    /* back to the main directory for the tests that follow */
    r = open_rec();
    recorder_close(r);
}

static void test_torn_tail_never_read(void)
{
    recorder *r = open_rec();
    recorder_file *f = recorder_begin(r, "torn-1", "voice", "q", "a", 1);
    const char *l = "{\"type\":\"utterance\",\"seq\":1}";
    recorder_write(r, f, l, strlen(l));
    recorder_finish(r, f);
    /* a crash or a full disk in the middle of a line */
    char *p = recorder_path(r, "torn-1");
    FILE *fp = fopen(p, "a");
    fputs("{\"type\":\"utterance\",\"se", fp);
    fclose(fp);
    collected c = {0};
    CHECK_INT(recorder_read(r, "torn-1", collect, &c), 1);
    CHECK_INT(c.n, 2);
    for (int i = 0; i < c.n && i < 8; i++) {
        json_t *j = json_loads(c.lines[i], 0, NULL);
        CHECK(j != NULL);
        json_decref(j);
    }
    /* reopened (a restart), the torn tail is cut and the recording stays marked incomplete */
    f = recorder_begin(r, "torn-1", "voice", "q", "a", 1);
    recorder_write(r, f, l, strlen(l));
    recorder_finish(r, f);
    c.n = 0;
    CHECK_INT(recorder_read(r, "torn-1", collect, &c), 1);
    CHECK_INT(c.n, 3);
    CHECK_STR(c.lines[2], l);
    CHECK_INT(dbquery_int(store_db(st), "SELECT complete FROM recordings WHERE iid='torn-1'"), 0);
    free(p);
    recorder_close(r);
}

/* The index row is written at open and close; a hub killed in between recounts the
 * recording from its file at the next start. */
static void test_restart_recounts_unfinished(void)
{
    recorder *r = open_rec();
    recorder_file *f = recorder_begin(r, "crash-1", "voice", "q", "a", 1);
    const char *l = "{\"type\":\"utterance\",\"seq\":1}";
    for (int i = 0; i < 3; i++)
        recorder_write(r, f, l, strlen(l));
    recorder_flush(r);
    CHECK_INT(dbquery_int(store_db(st), "SELECT events FROM recordings WHERE iid='crash-1'"), 0);
    recorder *again = open_rec(); /* the restarted hub */
    CHECK_INT(dbquery_int(store_db(st), "SELECT events FROM recordings WHERE iid='crash-1'"), 3);
    CHECK(dbquery_int(store_db(st), "SELECT bytes FROM recordings WHERE iid='crash-1'") > 3 * (int64_t)strlen(l));
    recorder_close(again);
    recorder_finish(r, f);
    recorder_close(r);
}

/* A recording reopened after a clean stop (its file as long as its row says) takes its
 * counts and outcome from the row, not from reading the file again: a start reopens every
 * live interaction's recording, and reading each whole grew with its history. The file is
 * changed in place, keeping its length, so a reread would count otherwise. */
static void test_clean_reopen_takes_the_row(void)
{
    recorder *r = open_rec();
    recorder_file *f = recorder_begin(r, "clean-1", "voice", "q", "a", 1);
    const char *s1 = "{\"type\":\"sentiment\",\"iid\":\"clean-1\",\"trend\":-0.5,\"slope\":-0.1,\"seq\":1}";
    const char *l = "{\"type\":\"utterance\",\"text\":\"abc def\",\"seq\":2}";
    recorder_write(r, f, s1, strlen(s1));
    recorder_write(r, f, l, strlen(l));
    recorder_finish(r, f);
    CHECK_INT(dbquery_int(store_db(st), "SELECT events FROM recordings WHERE iid='clean-1'"), 2);
    char *p = recorder_path(r, "clean-1");
    FILE *fp = fopen(p, "r+");
    CHECK(fp != NULL);
    fseek(fp, -12, SEEK_END); /* inside the last line: one more newline, same length */
    fputc('\n', fp);
    fclose(fp);
    f = recorder_begin(r, "clean-1", "voice", "q", "a", 1);
    recorder_write(r, f, l, strlen(l));
    recorder_finish(r, f);
    CHECK_INT(dbquery_int(store_db(st), "SELECT events FROM recordings WHERE iid='clean-1'"), 3);
    CHECK(dbquery_int(store_db(st), "SELECT sent_low * 10 FROM recordings WHERE iid='clean-1'") == -5);
    /* a file longer than its row (lines after the row was written: a crash) is read again */
    fp = fopen(p, "a");
    fprintf(fp, "%s\n", l);
    fclose(fp);
    f = recorder_begin(r, "clean-1", "voice", "q", "a", 1);
    recorder_finish(r, f);
    CHECK_INT(dbquery_int(store_db(st), "SELECT events FROM recordings WHERE iid='clean-1'"), 5);
    free(p);
    recorder_close(r);
}

/* 2,000 recordings are listed newest first, page by page, from the index alone: the
 * directory is moved away before listing. */
static void test_list_2000_from_index(void)
{
    recorder *r = open_rec();
    enum { MANY = 2000 };
    for (int i = 0; i < MANY; i++) {
        char iid[32], line[160];
        snprintf(iid, sizeof iid, "many-%04d", i);
        recorder_file *f = recorder_begin(r, iid, i % 2 ? "voice" : "chat", "sales", "agent-2", 100000 + i);
        int n = snprintf(line, sizeof line, "{\"type\":\"interaction.ended\",\"iid\":\"%s\",\"reason\":\"x\",\"ended_ms\":%d,\"seq\":1}",
                         iid, 100000 + i + 5000);
        recorder_write(r, f, line, (size_t)n);
        recorder_flush(r);
        recorder_finish(r, f);
    }
    char moved[200];
    snprintf(moved, sizeof moved, "%s.moved", dir);
    CHECK(rename(dir, moved) == 0);
    int64_t before = 0, next = 0;
    int seen = 0, pages = 0, expect = MANY - 1;
    bool ordered = true, fields = true;
    do {
        json_t *items = recorder_list(r, before, 100, 56000, 0, &next);
        pages++;
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it) {
            const char *iid = json_string_value(json_object_get(it, "iid"));
            if (strncmp(iid, "many-", 5) != 0)
                continue; /* the earlier tests' recordings are older */
            char want[32];
            snprintf(want, sizeof want, "many-%04d", expect--);
            ordered = ordered && strcmp(iid, want) == 0;
            fields = fields && json_integer_value(json_object_get(it, "duration_ms")) == 5000 &&
                     json_is_true(json_object_get(it, "ended")) &&
                     json_is_true(json_object_get(it, "complete")) &&
                     json_integer_value(json_object_get(it, "events")) == 1 &&
                     json_integer_value(json_object_get(it, "bytes")) > 100;
            seen++;
        }
        CHECK(json_array_size(items) <= 100);
        json_decref(items);
        before = next;
    } while (next > 0 && pages < 100);
    CHECK_INT(seen, MANY);
    CHECK(ordered);
    CHECK(fields);
    CHECK(pages >= 20);
    CHECK(rename(moved, dir) == 0);
    /* a page holds what fits a frame even with long iids: limit is an upper bound */
    json_t *items = recorder_list(r, 0, 1000, 4000, 0, &next);
    CHECK(json_array_size(items) < 1000);
    CHECK(next > 0);
    json_decref(items);
    recorder_close(r);
}

/* Recordings written before the index (an upgrade): indexed once when the hub starts. */
static void test_upgrade_indexes_existing_files(void)
{
    char old[200], path[300];
    snprintf(old, sizeof old, "%s/old", base);
    mkdir(old, 0700);
    static const char *const files[][2] = {
        {"old-1.jsonl", "{\"format\":\"agentdesk.recording\",\"version\":1,\"iid\":\"old-1\",\"channel\":\"voice\",\"queue\":\"q\",\"agent\":\"agent-1\",\"started_ms\":10}\n"
                        "{\"type\":\"interaction.ended\",\"iid\":\"old-1\",\"reason\":\"x\",\"ended_ms\":70,\"seq\":3}\n"},
        {"a%2Fb.jsonl", "{\"format\":\"agentdesk.recording\",\"version\":1,\"iid\":\"a/b\",\"channel\":\"chat\",\"queue\":\"q\",\"agent\":\"agent-1\",\"started_ms\":20}\n"},
        {"notes.txt", "not a recording\n"},
    };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", old, files[i][0]);
        FILE *fp = fopen(path, "w");
        fputs(files[i][1], fp);
        fclose(fp);
    }
    char err[200];
    recorder *r = recorder_open(old, store_db(st), err, sizeof err);
    CHECK(r != NULL);
    int64_t next;
    json_t *items = recorder_list(r, 0, 10, 56000, 0, &next);
    CHECK_INT(json_array_size(items), 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(items, 0), "iid")), "a/b");
    json_t *o1 = json_array_get(items, 1);
    CHECK_STR(json_string_value(json_object_get(o1, "iid")), "old-1");
    CHECK_INT(json_integer_value(json_object_get(o1, "duration_ms")), 60);
    CHECK(json_is_true(json_object_get(o1, "ended")));
    json_decref(items);
    collected c = {0};
    CHECK_INT(recorder_read(r, "a/b", collect, &c), 0);
    CHECK_INT(c.n, 1);
    /* a restart of the old interaction appends to its old file */
    recorder_file *f = recorder_begin(r, "a/b", "chat", "q", "agent-1", 20);
    recorder_finish(r, f);
    snprintf(path, sizeof path, "%s/a%%2Fb.jsonl", old);
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && sb.st_size > 0);
    recorder_close(r);
}

int main(void)
{
    snprintf(base, sizeof base, "/tmp/agentdesk-rec-XXXXXX");
    if (!mkdtemp(base))
        return 1;
    snprintf(dir, sizeof dir, "%s/rec", base);
    snprintf(dbpath, sizeof dbpath, "%s/hub.db", base);
    char err[200];
    st = store_open(dbpath, err, sizeof err);
    if (!st) {
        fprintf(stderr, "store_open: %s\n", err);
        return 1;
    }
    RUN(test_header_and_lines);
    RUN(test_names_bounded_and_distinct);
    RUN(test_private_modes);
    RUN(test_torn_tail_never_read);
    RUN(test_restart_recounts_unfinished);
    RUN(test_clean_reopen_takes_the_row);
    RUN(test_list_2000_from_index);
    RUN(test_upgrade_indexes_existing_files);
    store_close(st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", base);
    return check_done("test_recorder");
}
