/* outbox.c — the persisted queue of actions. Append + fsync on add; the file is rewritten
 * (temp file, fsync, rename) when an item leaves, and removed when the queue is empty. */
#include "agentdesk/outbox.h"
#include "base/fdio.h"
#include "base/mem.h"
#include "agentdesk/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static bool rewrite(outbox *o);

/* What waits for an ack and is sent again after a reconnect: the person's actions. A ping,
 * hello or summary request means nothing later and is never stored. */
static bool durable(proto_type t)
{
    return t == EV_REPLY || t == EV_NOTE || t == EV_WRAPUP || t == EV_HELP ||
           t == EV_SUGGESTION_FEEDBACK || t == EV_CHECKLIST_TICK || t == EV_WHISPER || t == EV_BARGE ||
           t == EV_LEAVE || t == EV_TAKEOVER || t == EV_ALERT_ACK || t == EV_STATUS;
}

static void item_free(outbox_item *it)
{
    free(it->id); free(it->type); free(it->iid); free(it->text); free(it->frame);
}

/* Takes ownership of `frame`. Fills the item's fields from the decoded frame. */
static bool push_frame(outbox *o, char *frame, size_t len)
{
    proto_event ev;
    proto_error perr;
    if (!proto_decode(frame, len, PROTO_TO_HUB, &ev, &perr)) { free(frame); return false; }
    const char *id = proto_str(&ev, "id");
    if (!id || !durable(ev.type)) { proto_free(&ev); free(frame); return false; }
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 16;
        o->items = mem_realloc(o->items, o->cap * sizeof *o->items);
    }
    outbox_item *it = &o->items[o->n++];
    memset(it, 0, sizeof *it);
    it->id = mem_strdup(id);
    it->type = mem_strdup(proto_spec(ev.type)->name);
    it->iid = proto_str(&ev, "iid") ? mem_strdup(proto_str(&ev, "iid")) : NULL;
    it->text = proto_str(&ev, "text") ? mem_strdup(proto_str(&ev, "text")) : NULL;
    it->frame = frame;
    it->frame_len = len;
    proto_free(&ev);
    o->version++;
    return true;
}

struct reading {
    outbox *o;
    size_t dropped;
};

/* a torn last line after a crash is not a frame: it is dropped, never sent half */
static void read_frame(void *ctx, char *text, size_t len)
{
    struct reading *r = ctx;
    if (!push_frame(r->o, mem_strndup(text, len), len)) r->dropped++;
}

bool outbox_open(outbox *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    if (!path) return true;
    o->path = mem_strdup(path);
    struct reading r = {.o = o};
    if (!state_read_lines(path, read_frame, &r, err, errlen)) return false;
    /* rewrite without the bad lines so they are not met again */
    if (r.dropped && !rewrite(o)) {
        snprintf(err, errlen, "%s: cannot rewrite: %s", path, strerror(errno));
        return false;
    }
    return true;
}

void outbox_close(outbox *o)
{
    for (size_t i = 0; i < o->n; i++) item_free(&o->items[i]);
    free(o->items);
    free(o->path);
    memset(o, 0, sizeof *o);
}

char *outbox_new_id(void)
{
    static unsigned long counter;
    unsigned char r[16];
    size_t got = 0;
    while (got < sizeof r) {
        ssize_t n = getrandom(r + got, sizeof r - got, 0);
        if (n < 0) { if (errno == EINTR) continue; break; }
        got += (size_t)n;
    }
    if (got < sizeof r) {
        /* no entropy source: time, pid and a counter still make it unique on this machine */
        unsigned long v = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 20) ^ ++counter;
        for (size_t i = got; i < sizeof r; i++) { r[i] = (unsigned char)v; v = v * 6364136223846793005UL + 1; }
    }
    char hex[2 * sizeof r + 1];
    for (size_t i = 0; i < sizeof r; i++) snprintf(hex + 2 * i, 3, "%02x", r[i]);
    return mem_printf("a-%s", hex);
}

static bool append_line(const char *path, const char *frame, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    bool ok = fd_write_all(fd, frame, len) == 0 && fd_write_all(fd, "\n", 1) == 0 && fsync(fd) == 0;
    close(fd);
    return ok;
}

static bool rewrite(outbox *o)
{
    if (!o->path) return true;
    size_t len = 0;
    for (size_t i = 0; i < o->n; i++) len += o->items[i].frame_len + 1;
    char *text = malloc(len + 1);
    if (!text) return false;
    size_t at = 0;
    for (size_t i = 0; i < o->n; i++) {
        memcpy(text + at, o->items[i].frame, o->items[i].frame_len);
        at += o->items[i].frame_len;
        text[at++] = '\n';
    }
    bool ok = state_replace(o->path, text, len);
    free(text);
    return ok;
}

const outbox_item *outbox_add(outbox *o, proto_event *ev, char *err, size_t errlen)
{
    if (!durable(ev->type)) {
        snprintf(err, errlen, "%s is not an action to keep", proto_spec(ev->type)->name);
        return NULL;
    }
    char *id = outbox_new_id();
    proto_set_str(ev, "id", id);
    free(id);
    proto_error perr;
    size_t len = 0;
    char *frame = proto_encode(ev, &len, &perr);
    if (!frame) { snprintf(err, errlen, "%s", perr.message); return NULL; }
    if (o->path && !append_line(o->path, frame, len)) {
        snprintf(err, errlen, "cannot save to %s: %s", o->path, strerror(errno));
        free(frame);
        return NULL;
    }
    char *own = mem_strndup(frame, len);
    free(frame);
    if (!push_frame(o, own, len)) { snprintf(err, errlen, "encoded frame does not decode"); return NULL; }
    return &o->items[o->n - 1];
}

bool outbox_remove(outbox *o, const char *id, char *type_out, size_t n)
{
    for (size_t i = 0; id && i < o->n; i++) {
        if (strcmp(o->items[i].id, id) != 0) continue;
        if (type_out && n) snprintf(type_out, n, "%s", o->items[i].type);
        item_free(&o->items[i]);
        memmove(&o->items[i], &o->items[i + 1], (o->n - i - 1) * sizeof *o->items);
        o->n--;
        o->version++;
        rewrite(o);
        return true;
    }
    return false;
}

outbox_item *outbox_next_unsent(outbox *o)
{
    for (size_t i = 0; i < o->n; i++) if (!o->items[i].sent) return &o->items[i];
    return NULL;
}

void outbox_mark_unsent(outbox *o)
{
    for (size_t i = 0; i < o->n; i++) o->items[i].sent = false;
}

size_t outbox_count(const outbox *o) { return o->n; }

const outbox_item *outbox_find(const outbox *o, const char *id)
{
    for (size_t i = 0; id && i < o->n; i++)
        if (strcmp(o->items[i].id, id) == 0) return &o->items[i];
    return NULL;
}

const outbox_item *outbox_item_at(const outbox *o, size_t i)
{
    return i < o->n ? &o->items[i] : NULL;
}
