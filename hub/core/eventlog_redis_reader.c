/* eventlog_redis_reader.c — what the reading connection of a shared bus brings (its socket is
 * bus_reader.c's, on the loop): the stream's entries, queued for the next turn, and the
 * actions and answers streams, by which a console's action on another hub's interaction
 * reaches its owner and the owner's answer comes back. */
#include "hub/core/eventlog_redis_private.h"
#include "base/clock.h"
#include "base/logfile.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int format(char **out, size_t *len, int argc, const char **argv)
{
    int n = redisFormatCommandArgv(out, argc, argv, NULL);
    if (n < 0)
        return -1;
    *len = (size_t)n;
    return 0;
}

static void push_msg(redis_log *l, bool answer, const char *origin, const char *user, const char *display,
                     const char *role, const char *frame, size_t len)
{
    bus_msg m = {.answer = answer, .len = len};
    const char *in[] = {origin, user, display, role, frame};
    size_t lens[] = {strlen(origin), strlen(user), strlen(display), strlen(role), len};
    char *out[5];
    bus_pack_strings(5, in, lens, out);
    m.origin = out[0];
    m.user = out[1];
    m.display_name = out[2];
    m.role = out[3];
    m.frame = out[4];
    if (l->nmsgs == l->capmsgs) {
        l->capmsgs = l->capmsgs ? l->capmsgs * 2 : 16;
        l->msgs = mem_realloc(l->msgs, l->capmsgs * sizeof *l->msgs);
    }
    l->msgs[l->nmsgs++] = m;
}

/* Entries of the actions or answers stream: every action (its owner is whoever holds the
 * interaction), the answers addressed to this hub. */
static void take_messages(redis_log *l, const char *key, const redisReply *entries)
{
    bool answers = strcmp(key, l->answers_key) == 0;
    if ((!answers && strcmp(key, l->actions_key) != 0) || entries->type != REDIS_REPLY_ARRAY)
        return;
    for (size_t i = 0; i < entries->elements; i++) {
        const redisReply *e = entries->element[i];
        if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 || e->element[0]->type != REDIS_REPLY_STRING ||
            e->element[1]->type != REDIS_REPLY_ARRAY)
            continue;
        snprintf(answers ? l->answers_last : l->actions_last, sizeof l->actions_last, "%.46s", e->element[0]->str);
        size_t flen = 0;
        const char *origin = bus_field(e->element[1], "o", NULL), *user = bus_field(e->element[1], "u", NULL);
        const char *frame = bus_field(e->element[1], "f", &flen);
        const char *display = bus_field(e->element[1], "d", NULL), *role = bus_field(e->element[1], "r", NULL);
        if (!origin || !user || !frame || memchr(frame, 0, flen) || strlen(user) >= 128 || strlen(origin) >= 64)
            continue;
        if (answers && strcmp(origin, l->cfg.hub) != 0)
            continue;
        if (!answers && (!display || !role || strcmp(origin, l->cfg.hub) == 0 || strlen(display) >= 128))
            continue;
        push_msg(l, answers, origin, user, answers ? "" : display, answers ? "" : role, frame, flen);
    }
}

void eventlog_redis_drain(eventlog *log, void (*on_action)(void *ctx, const bus_action *a),
                          void (*on_answer)(void *ctx, const bus_answer *a), void *ctx)
{
    redis_log *l = from(log);
    /* taken first: a handler may append (an answer) and so read nothing new into the list */
    bus_msg *msgs = l->msgs;
    size_t n = l->nmsgs;
    l->msgs = NULL;
    l->nmsgs = l->capmsgs = 0;
    for (size_t i = 0; i < n; i++) {
        bus_msg *m = &msgs[i];
        if (m->answer) {
            bus_answer a = {.user = m->user, .frame = m->frame, .len = m->len};
            on_answer(ctx, &a);
        } else {
            bus_action a = {.origin = m->origin, .user = m->user, .display_name = m->display_name,
                            .role = m->role, .frame = m->frame, .len = m->len};
            on_action(ctx, &a);
        }
        free(m->origin);
    }
    free(msgs);
}

static int append_message(redis_log *l, const char *key, const char *const *fields, const size_t *lens, int nfields)
{
    if (!bus_connected(l))
        return -1;
    const char *argv[16];
    size_t argl[16];
    int argc = 0;
    const char *head[] = {"XADD", key, "MAXLEN", "~", "100000", "*"};
    for (size_t i = 0; i < 6; i++) {
        argv[argc] = head[i];
        argl[argc++] = strlen(head[i]);
    }
    for (int i = 0; i < nfields && argc < 16; i++) {
        argv[argc] = fields[i];
        argl[argc++] = lens[i];
    }
    redisReply *r = bus_command(l, argc, argv, argl);
    int rc = r && r->type == REDIS_REPLY_STRING ? 0 : -1;
    if (r)
        freeReplyObject(r);
    return rc;
}

int eventlog_redis_forward(eventlog *log, const char *user, const char *display_name, const char *role,
                           const char *frame, size_t len)
{
    redis_log *l = from(log);
    const char *f[] = {"o", l->cfg.hub, "u", user, "d", display_name, "r", role, "f", frame};
    size_t fl[10];
    for (int i = 0; i < 10; i++)
        fl[i] = i == 9 ? len : strlen(f[i]);
    int rc = append_message(l, l->actions_key, f, fl, 10);
    if (rc == 0)
        l->stats.forwarded++;
    return rc;
}

int eventlog_redis_answer(eventlog *log, const char *origin, const char *user, const char *frame, size_t len)
{
    redis_log *l = from(log);
    const char *f[] = {"o", origin, "u", user, "f", frame};
    size_t fl[6];
    for (int i = 0; i < 6; i++)
        fl[i] = i == 5 ? len : strlen(f[i]);
    int rc = append_message(l, l->answers_key, f, fl, 6);
    if (rc == 0)
        l->stats.relayed++;
    return rc;
}

int eventlog_redis_reader_next(eventlog *log, char **out, size_t *len)
{
    redis_log *l = from(log);
    char id[32];
    snprintf(id, sizeof id, "%lld-0", (long long)bus_highest_known(l));
    const char *argv[] = {"XREAD", "COUNT", "1024", "BLOCK", "0", "STREAMS", l->stream_key,
                          l->actions_key, l->answers_key, id, l->actions_last, l->answers_last};
    return format(out, len, 12, argv);
}

int eventlog_redis_reader_hello(eventlog *log, char **out, size_t *len)
{
    redis_log *l = from(log);
    if (l->reader)
        redisReaderFree(l->reader);
    l->reader = bus_reader_create();
    if (!l->cfg.password[0])
        return eventlog_redis_reader_next(log, out, len);
    const char *argv[] = {"AUTH", l->cfg.password};
    return format(out, len, 2, argv);
}

int eventlog_redis_reader_feed(eventlog *log, const char *data, size_t len)
{
    redis_log *l = from(log);
    if (!l->reader || redisReaderFeed(l->reader, data, len) != REDIS_OK)
        return -1;
    int answers = 0;
    for (;;) {
        void *reply = NULL;
        if (redisReaderGetReply(l->reader, &reply) != REDIS_OK) {
            snprintf(l->reader_why, sizeof l->reader_why, "bus reader: the server's answer could not be read");
            return -1;
        }
        if (!reply)
            return answers;
        redisReply *r = reply;
        if (r->type == REDIS_REPLY_ERROR) {
            snprintf(l->reader_why, sizeof l->reader_why, "bus reader: %.140s", r->str);
            logfile_write("%s", l->reader_why);
            freeReplyObject(r);
            return -1;
        }
        /* XREAD: [[stream, [entries]]] */
        if (r->type == REDIS_REPLY_ARRAY)
            for (size_t i = 0; i < r->elements; i++) {
                const redisReply *s = r->element[i];
                if (s->type != REDIS_REPLY_ARRAY || s->elements != 2 || s->element[0]->type != REDIS_REPLY_STRING)
                    continue;
                if (strcmp(s->element[0]->str, l->stream_key) == 0)
                    bus_take_stream_entries(l, s->element[1]);
                else
                    take_messages(l, s->element[0]->str, s->element[1]);
            }
        freeReplyObject(r);
        answers++;
    }
}

void eventlog_redis_reader_state(eventlog *log, bool up, const char *why)
{
    redis_log *l = from(log);
    if (up != l->reader_up)
        logfile_write("bus reader: %s", up ? "connected" : why);
    l->reader_up = up;
    if (up)
        l->retry_at_ms = 0;   /* Redis answers again: the appending side need not wait its backoff */
    if (!up)
        snprintf(l->reader_why, sizeof l->reader_why, "bus reader: %s", why ? why : "down");
    else
        l->reader_why[0] = 0;
}

size_t eventlog_redis_pending(eventlog *log)
{
    return from(log)->pending.n;
}
