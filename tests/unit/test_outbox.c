/* test_outbox.c — the persisted outbox: written before sending, reloaded after a restart,
 * removed on ack, unique ids, torn lines dropped, the file gone when empty. */
#include "tests/unit/check.h"
#include "agentdesk/outbox.h"
#include "agentdesk/state.h"
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

static void test_state_dir(void)
{
    char state[300], err[400];
    snprintf(state, sizeof state, "%s/state", dir);
    setenv("XDG_STATE_HOME", state, 1);
    char *d = state_dir(err, sizeof err);
    CHECK(d != NULL);
    char want[320];
    snprintf(want, sizeof want, "%s/agentdesk", state);
    CHECK(d && strcmp(d, want) == 0);
    struct stat st;
    CHECK(stat(want, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 077) == 0);
    free(d);
    rmdir(want);
    rmdir(state);
}

/* A state directory that cannot be made (its parent is a file: true even for root) is
 * said, with the reason, instead of a NULL path that later reads "kept in (null)". */
static void test_state_dir_unwritable(void)
{
    char file[300], state[320], err[400] = "";
    snprintf(file, sizeof file, "%s/a-file", dir);
    FILE *f = fopen(file, "w");
    fclose(f);
    snprintf(state, sizeof state, "%s/state", file);
    setenv("XDG_STATE_HOME", state, 1);
    CHECK(state_dir(err, sizeof err) == NULL);
    CHECK(strstr(err, "cannot create") != NULL);
    CHECK(strstr(err, "a-file/state/agentdesk") != NULL);
    CHECK(strstr(err, "Not a directory") != NULL);
    unlink(file);
}

/* One file per hub and identity: hub A as X, hub B as Y, hub A as Y are three files; the
 * same hub with a trailing slash is the same file; the token is not in the name; the name is
 * bounded for any URL. */
static void test_keyed_files(void)
{
    char *ax = state_file("/s", "outbox", "ws://hub-a:7300", "tok-agent-1");
    char *by = state_file("/s", "outbox", "ws://hub-b:7300", "tok-agent-2");
    char *ay = state_file("/s", "outbox", "ws://hub-a:7300", "tok-agent-2");
    char *ax2 = state_file("/s", "outbox", "ws://hub-a:7300/", "tok-agent-1");
    char *dx = state_file("/s", "drafts", "ws://hub-a:7300", "tok-agent-1");
    CHECK(strcmp(ax, by) != 0 && strcmp(ax, ay) != 0 && strcmp(by, ay) != 0);
    CHECK_STR(ax, ax2);
    CHECK(strncmp(ax, "/s/outbox-hub-a_7300-", 21) == 0);
    CHECK(strncmp(dx, "/s/drafts-hub-a_7300-", 21) == 0);
    CHECK(strstr(ax, "tok-agent") == NULL);
    char longurl[5000] = "ws://";
    for (int i = 5; i < 4990; i++) longurl[i] = i % 7 ? 'h' : '%';
    char *lp = state_file("/s", "outbox", longurl, "t");
    CHECK(strlen(lp) < 90 && strchr(lp + 3, '%') == NULL && strchr(lp + 3, '/') == NULL);
    free(ax); free(by); free(ay); free(ax2); free(dx); free(lp);
}

/* A note queued for hub A as X, then a run against hub B as Y: B's outbox is empty (nothing
 * of A's is there to send), A's file still holds the note for the next run against A. */
static void test_outbox_not_shared_between_hubs(void)
{
    char err[256];
    char *pa = state_file(dir, "outbox", "ws://127.0.0.1:7301", "tok-agent-1");
    char *pb = state_file(dir, "outbox", "ws://127.0.0.1:7302", "tok-agent-2");
    outbox a, b;
    CHECK(outbox_open(&a, pa, err, sizeof err));
    proto_event n = proto_new(EV_NOTE);
    proto_set_str(&n, "iid", "I-A");
    proto_set_str(&n, "text", "for hub A only");
    CHECK(outbox_add(&a, &n, err, sizeof err) != NULL);
    proto_free(&n);
    outbox_close(&a);
    CHECK(outbox_open(&b, pb, err, sizeof err));
    CHECK_INT(outbox_count(&b), 0);
    outbox_close(&b);
    CHECK(outbox_open(&a, pa, err, sizeof err));
    CHECK_INT(outbox_count(&a), 1);
    CHECK_STR(outbox_item_at(&a, 0)->text, "for hub A only");
    CHECK(outbox_remove(&a, outbox_item_at(&a, 0)->id, NULL, 0));
    outbox_close(&a);
    free(pa); free(pb);
}

/* A ping (or any frame that means nothing later) is never stored, neither by outbox_add nor
 * when read back from a file. */
static void test_ping_never_stored(void)
{
    unlink(path);
    outbox o;
    char err[256] = "";
    CHECK(outbox_open(&o, path, err, sizeof err));
    proto_event p = proto_new(EV_PING);
    proto_set_int(&p, "t", 1);
    CHECK(outbox_add(&o, &p, err, sizeof err) == NULL);
    CHECK(strstr(err, "ping") != NULL);
    proto_free(&p);
    proto_event s = proto_new(EV_SUMMARY_REQUEST);
    proto_set_str(&s, "iid", "I-1");
    CHECK(outbox_add(&o, &s, err, sizeof err) == NULL);
    proto_free(&s);
    CHECK_INT(outbox_count(&o), 0);
    CHECK(access(path, F_OK) != 0);
    outbox_close(&o);
    FILE *f = fopen(path, "w");
    fputs("{\"type\":\"ping\",\"id\":\"ping-1\",\"t\":5}\n", f);
    fclose(f);
    CHECK(outbox_open(&o, path, err, sizeof err));
    CHECK_INT(outbox_count(&o), 0);
    outbox_close(&o);
    CHECK(access(path, F_OK) != 0);
}

int main(void)
{
    if (!mkdtemp(dir)) return 1;
    snprintf(path, sizeof path, "%s/outbox-test.jsonl", dir);
    RUN(test_persist_reload_ack);
    RUN(test_torn_line_dropped);
    RUN(test_unique_ids);
    RUN(test_refused_by_encoder);
    RUN(test_state_dir);
    RUN(test_state_dir_unwritable);
    RUN(test_keyed_files);
    RUN(test_outbox_not_shared_between_hubs);
    RUN(test_ping_never_stored);
    unlink(path);
    rmdir(dir);
    return check_done("test_outbox");
}
