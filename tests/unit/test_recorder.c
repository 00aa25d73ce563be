/* test_recorder.c — recordings on disk: header line, lines in order, safe file names for
 * hostile iids, reopening after a restart without a second header, listing with duration. */
#include "tests/unit/check.h"
#include "hub/recorder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

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

static void test_header_and_lines(void)
{
    char err[200];
    recorder *r = recorder_open(dir, err, sizeof err);
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
    recorder_close(r);
}

static void test_hostile_iids(void)
{
    char err[200];
    recorder *r = recorder_open(dir, err, sizeof err);
    const char *iids[] = {"../../etc/passwd", ".hidden", "a/b", "a%2Fb", "sp ace\xff"};
    for (size_t i = 0; i < sizeof iids / sizeof iids[0]; i++) {
        char *p = recorder_path(r, iids[i]);
        CHECK(strncmp(p, dir, strlen(dir)) == 0);
        CHECK(strchr(p + strlen(dir) + 1, '/') == NULL);
        CHECK(p[strlen(dir) + 1] != '.');
        free(p);
        recorder_file *f = recorder_begin(r, iids[i], "chat", "q", "a", 5);
        CHECK(f != NULL);
        recorder_finish(r, f);
    }
    /* distinct iids never share a file */
    char *a = recorder_path(r, "a/b"), *b = recorder_path(r, "a%2Fb");
    CHECK(strcmp(a, b) != 0);
    free(a);
    free(b);
    recorder_close(r);
}

static void test_list(void)
{
    char err[200];
    recorder *r = recorder_open(dir, err, sizeof err);
    recorder_file *f = recorder_begin(r, "call-2", "chat", "sales", "agent-2", 5000);
    recorder_finish(r, f);
    json_t *items = recorder_list(r, 100, 9000);
    CHECK(json_array_size(items) >= 6); /* the iid with invalid UTF-8 gets no header (the codec never lets one through) */
    json_t *first = json_array_get(items, 0);
    CHECK_STR(json_string_value(json_object_get(first, "iid")), "call-2");
    CHECK_INT(json_integer_value(json_object_get(first, "duration_ms")), 4000);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) if (strcmp(json_string_value(json_object_get(it, "iid")), "call-1") == 0)
        CHECK_INT(json_integer_value(json_object_get(it, "duration_ms")), 60000);
    json_decref(items);
    items = recorder_list(r, 2, 9000);
    CHECK_INT(json_array_size(items), 2);
    json_decref(items);
    recorder_close(r);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/agentdesk-rec-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    RUN(test_header_and_lines);
    RUN(test_hostile_iids);
    RUN(test_list);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done("test_recorder");
}
