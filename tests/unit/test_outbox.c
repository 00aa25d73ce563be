/* test_outbox.c — the persisted outbox: written before sending, reloaded after a restart,
 * removed on ack, unique ids, torn lines dropped, the file gone when empty. */
#include "tests/unit/check.h"
#include "agentdesk/outbox.h"
#include "proto/codec.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/test_outbox_XXXXXX";
static char path[256];

static proto_event reply(const char *iid, const char *text)
{
    proto_event ev = proto_new(EV_REPLY);
    proto_set_str(&ev, "iid", iid);
    proto_set_str(&ev, "text", text);
    return ev;
}

static size_t file_lines(void)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = 0;
    int c;
    while ((c = fgetc(f)) != EOF) n += c == '\n';
    fclose(f);
    return n;
}

static void test_persist_reload_ack(void)
{
    unlink(path);
    outbox o;
    char err[256];
    CHECK(outbox_open(&o, path, err, sizeof err));
    proto_event a = reply("I-1", "hello"), b = reply("I-1", "second");
    proto_event c = proto_new(EV_WRAPUP);
    proto_set_str(&c, "iid", "I-1");
    proto_set_str(&c, "code", "resolved");
    proto_set_str(&c, "summary", "two\nlines");
    const outbox_item *ia = outbox_add(&o, &a, err, sizeof err);
    CHECK(ia != NULL);
    char *id_a = strdup(ia->id);
    CHECK(outbox_add(&o, &b, err, sizeof err) != NULL);
    CHECK(outbox_add(&o, &c, err, sizeof err) != NULL);
    char *id_c = strdup(outbox_item_at(&o, 2)->id);
    proto_free(&a); proto_free(&b); proto_free(&c);
    CHECK_INT(outbox_count(&o), 3);
    CHECK_INT(file_lines(), 3);              /* on disk before anything was sent */
    outbox_close(&o);

    /* a restart finds them again, in order, all to be sent */
    CHECK(outbox_open(&o, path, err, sizeof err));
    CHECK_INT(outbox_count(&o), 3);
    CHECK_STR(outbox_item_at(&o, 0)->id, id_a);
    CHECK_STR(outbox_item_at(&o, 0)->type, "reply");
    CHECK_STR(outbox_item_at(&o, 0)->text, "hello");
    CHECK_STR(outbox_item_at(&o, 2)->type, "wrapup");
    CHECK(outbox_next_unsent(&o) == &o.items[0]);
    o.items[0].sent = true;
    CHECK(outbox_next_unsent(&o) == &o.items[1]);
    outbox_mark_unsent(&o);
    CHECK(outbox_next_unsent(&o) == &o.items[0]);

    char type[32];
    CHECK(outbox_remove(&o, id_a, type, sizeof type));
    CHECK_STR(type, "reply");
    CHECK(!outbox_remove(&o, id_a, NULL, 0));   /* a second ack of the same id is not ours */
    CHECK(!outbox_remove(&o, "a-unknown", NULL, 0));
    CHECK_INT(file_lines(), 2);
    outbox_close(&o);
    CHECK(outbox_open(&o, path, err, sizeof err));
    CHECK_INT(outbox_count(&o), 2);
    CHECK_STR(outbox_item_at(&o, 1)->id, id_c);
    CHECK(outbox_remove(&o, outbox_item_at(&o, 0)->id, NULL, 0));
    CHECK(outbox_remove(&o, id_c, NULL, 0));
    CHECK_INT(outbox_count(&o), 0);
    CHECK(access(path, F_OK) != 0);           /* empty: no file left behind */
    outbox_close(&o);
    free(id_a);
    free(id_c);
}

static void test_torn_line_dropped(void)
{
    unlink(path);
    outbox o;
    char err[256];
    CHECK(outbox_open(&o, path, err, sizeof err));
    proto_event a = reply("I-1", "kept");
    CHECK(outbox_add(&o, &a, err, sizeof err) != NULL);
    proto_free(&a);
    outbox_close(&o);
    FILE *f = fopen(path, "a");
    fputs("{\"type\":\"reply\",\"id\":\"a-1\",\"iid\":\"I-1\",\"te", f);   /* a crash mid-write */
    fclose(f);
    CHECK(outbox_open(&o, path, err, sizeof err));
    CHECK_INT(outbox_count(&o), 1);
    CHECK_STR(outbox_item_at(&o, 0)->text, "kept");
    CHECK_INT(file_lines(), 1);
    outbox_close(&o);
    unlink(path);
}

static void test_unique_ids(void)
{
    char *ids[200];
    for (int i = 0; i < 200; i++) ids[i] = outbox_new_id();
    int dup = 0;
    for (int i = 0; i < 200; i++)
        for (int j = i + 1; j < 200; j++) dup += strcmp(ids[i], ids[j]) == 0;
    CHECK_INT(dup, 0);
    CHECK_INT(strlen(ids[0]), 34);
    CHECK(strncmp(ids[0], "a-", 2) == 0);
    for (int i = 0; i < 200; i++) free(ids[i]);
}

static void test_refused_by_encoder(void)
{
    outbox o;
    char err[256];
    CHECK(outbox_open(&o, NULL, err, sizeof err));   /* memory only */
    proto_event bad = proto_new(EV_REPLY);              /* no iid, no text */
    CHECK(outbox_add(&o, &bad, err, sizeof err) == NULL);
    CHECK(strlen(err) > 0);
    CHECK_INT(outbox_count(&o), 0);
    proto_free(&bad);
    outbox_close(&o);
}

static void test_default_path(void)
{
    char state[300];
    snprintf(state, sizeof state, "%s/state", dir);
    setenv("XDG_STATE_HOME", state, 1);
    char *p = outbox_default_path();
    CHECK(p != NULL);
    char want[320];
    snprintf(want, sizeof want, "%s/agentdesk/outbox-", state);
    CHECK(p && strncmp(p, want, strlen(want)) == 0);
    struct stat st;
    snprintf(want, sizeof want, "%s/agentdesk", state);
    CHECK(stat(want, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 077) == 0);
    free(p);
    rmdir(want);
    rmdir(state);
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    snprintf(path, sizeof path, "%s/outbox-test.jsonl", dir);
    RUN(test_persist_reload_ack);
    RUN(test_torn_line_dropped);
    RUN(test_unique_ids);
    RUN(test_refused_by_encoder);
    RUN(test_default_path);
    unlink(path);
    rmdir(dir);
    return check_done("test_outbox");
}
