/* console_recording.c — a trainer's recordings.list (a page of the index) and recording.get
 * (the file sent in parts, pulled into the outbox as the socket drains; see console.h). */
#include "hub/endpoints/console.h"
#include "base/mem.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    RECORDING_PART_BYTES = 56000,  /* lines per part, escaped: the frame stays under 64 KiB */
    FRAME_OVERHEAD = 1024,         /* a part's fields besides its lines */
    RECORDING_STREAMS_MAX = 8,     /* recording.get answers in progress per session */
    LIST_DEFAULT = 100,
    LIST_BYTES = 56000,
};

typedef struct recording_stream {
    char id[PROTO_MAX_ID + 1];
    char iid[PROTO_MAX_ID + 1];
    recorder_reader *rd;
    int part;
    bool held;             /* the current line did not fit the last part: it opens the next */
    const char *line;
    size_t len;
    int64_t omitted;       /* lines too long for any frame */
    struct recording_stream *next;
} recording_stream;

static const char *const sort_names[] = {"recent", "recovery", "handle", "flags"};

/* The trainer's list by outcome (recorder_query_list), asked for with any of its fields. */
static bool by_outcome(session *s, const proto_event *ev)
{
    if (!proto_json(ev, "sort") && !proto_json(ev, "queue") && !proto_json(ev, "agent") &&
        !proto_json(ev, "exemplars") && !proto_json(ev, "offset"))
        return false;
    recorder_query q = {.queue = proto_str(ev, "queue"), .agent = proto_str(ev, "agent"),
                        .exemplars_only = proto_bool(ev, "exemplars", false),
                        .offset = proto_int(ev, "offset", 0),
                        .limit = (size_t)proto_int(ev, "limit", LIST_DEFAULT)};
    const char *sort = proto_str(ev, "sort");
    for (size_t i = 0; sort && i < sizeof sort_names / sizeof *sort_names; i++)
        if (!strcmp(sort, sort_names[i]))
            q.sort = (recorder_sort)i;
    int64_t next = 0;
    json_t *items = s->h->rec ? recorder_query_list(s->h->rec, &q, LIST_BYTES, clock_wall_ms(), &next) : json_array();
    proto_event r = proto_new(EV_RECORDINGS);
    proto_set_str(&r, "id", proto_str(ev, "id"));
    proto_set_json(&r, "items", items);
    if (next > 0)
        proto_set_int(&r, "next_offset", next);
    session_send_event(s, &r);
    return true;
}

void console_recordings_list(session *s, const proto_event *ev)
{
    if (by_outcome(s, ev))
        return;
    int64_t next = 0;
    json_t *items = s->h->rec ? recorder_list(s->h->rec, proto_int(ev, "before", 0),
                                              (size_t)proto_int(ev, "limit", LIST_DEFAULT), LIST_BYTES,
                                              clock_wall_ms(), &next)
                              : json_array();
    proto_event r = proto_new(EV_RECORDINGS);
    proto_set_str(&r, "id", proto_str(ev, "id"));
    proto_set_json(&r, "items", items);
    if (next > 0)
        proto_set_int(&r, "next", next);
    session_send_event(s, &r);
}

static void drop_first(session *s)
{
    recording_stream *st = s->streams;
    s->streams = st->next;
    s->nstreams--;
    recorder_reader_close(st->rd);
    free(st);
}

void console_recording_free(session *s)
{
    while (s->streams)
        drop_first(s);
}

void console_recording_get(session *s, const proto_event *ev)
{
    const char *id = proto_str(ev, "id"), *iid = proto_str(ev, "iid");
    if (s->nstreams >= RECORDING_STREAMS_MAX) {
        char msg[120];
        snprintf(msg, sizeof msg, "%d recordings are being sent already; ask again when one has ended",
                 RECORDING_STREAMS_MAX);
        session_send_error(s, PROTO_ERR_INTERNAL, msg, id);
        return;
    }
    recorder_reader *rd = s->h->rec && iid ? recorder_reader_open(s->h->rec, iid) : NULL;
    if (!rd) {
        session_send_error(s, PROTO_ERR_NOT_FOUND, "no recording of that interaction", id);
        return;
    }
    recording_stream *st = mem_zalloc(1, sizeof *st);
    snprintf(st->id, sizeof st->id, "%s", id);
    snprintf(st->iid, sizeof st->iid, "%s", iid);
    st->rd = rd;
    recording_stream **tail = &s->streams;
    while (*tail)
        tail = &(*tail)->next;
    *tail = st;
    s->nstreams++;
    console_recording_pump(s);
}

static size_t escaped_len(const char *line, size_t len)
{
    size_t n = len + 4; /* quotes and comma */
    for (size_t i = 0; i < len; i++)
        if (line[i] == '"' || line[i] == '\\')
            n++;
    return n;
}

/* Queue the next part of the oldest answer; the last one says whether it was complete. */
static void send_part(session *s, recording_stream *st, size_t budget)
{
    json_t *lines = json_array();
    size_t bytes = 0;
    bool done = false;
    for (;;) {
        if (!st->held && recorder_reader_next(st->rd, &st->line, &st->len) != 1) {
            done = true;
            break;
        }
        st->held = false;
        size_t esc = escaped_len(st->line, st->len);
        if (esc > budget || st->len > PROTO_MAX_LONGTEXT) {
            st->omitted++;
            continue;
        }
        if (bytes + esc > budget || json_array_size(lines) >= PROTO_MAX_ARRAY) {
            st->held = true;
            break;
        }
        json_t *str = json_stringn(st->line, st->len);
        if (!str) { /* not UTF-8: cannot travel */
            st->omitted++;
            continue;
        }
        json_array_append_new(lines, str);
        bytes += esc;
    }
    proto_event r = proto_new(EV_RECORDING);
    proto_set_str(&r, "id", st->id);
    proto_set_str(&r, "iid", st->iid);
    proto_set_int(&r, "part", st->part++);
    proto_set_bool(&r, "last", done);
    proto_set_json(&r, "lines", lines);
    if (done) {
        const char *reason = NULL;
        bool complete = recorder_reader_complete(st->rd, &reason);
        if (complete && st->omitted) {
            complete = false;
            reason = "line_too_long";
        }
        proto_set_bool(&r, "complete", complete);
        if (!complete)
            proto_set_str(&r, "reason", reason);
    }
    session_send_event(s, &r);
    if (done)
        drop_first(s);
}

void console_recording_pump(session *s)
{
    size_t max_bytes = net_conn_outbox(s->conn).max_bytes;
    size_t budget = max_bytes / 2 > FRAME_OVERHEAD + 256 ? max_bytes / 2 - FRAME_OVERHEAD : 256;
    if (budget > RECORDING_PART_BYTES)
        budget = RECORDING_PART_BYTES;
    /* at most two parts wait in the outbox: the next is made when the socket has taken one,
     * and a part is queued only where it fits under the outbox bound */
    while (s->streams && !session_closing(s)) {
        net_outbox o = net_conn_outbox(s->conn);
        bool room = o.frames == 0 ||
                    (o.bytes + 2 * (budget + FRAME_OVERHEAD) <= o.max_bytes &&
                     o.bytes < 2 * budget && o.frames + 2 <= o.max_frames);
        if (!room)
            break;
        send_part(s, s->streams, budget);
    }
}
