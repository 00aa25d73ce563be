/* pipefix.h — the hub's pipeline in the test's own process: a real store on a fresh SQLite
 * file with agent-1, the real SQLite event log and, when asked, the real assist stage on
 * data/. Every frame the pipeline delivers after a commit is kept exactly as the console
 * endpoint would send it, so a test reads what a console would receive. Header-only: the
 * test library links before the hub's (Makefile), so it may not call into it. */
#ifndef AGENTDESK_TESTS_PIPEFIX_H
#define AGENTDESK_TESTS_PIPEFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "hub/core/pipeline_internal.h"
#include "hub/assist/assist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char path[64];
    store *st;
    eventlog *log;
    struct assist *as;
    pipeline *p;
    json_t *delivered;    /* every delivered frame, parsed, in delivery order */
    json_t *arrivals;     /* each one's ingest arrival time (frame->ingest_us) */
} pipefix;

/* Decode one ingest frame and put it through the pipeline: pipeline_ingest's result, or -2
 * when the frame does not decode (said on stderr). */
static inline int pipefix_ingest(pipeline *p, const char *frame)
{
    proto_event ev;
    proto_error err;
    if (!proto_decode(frame, strlen(frame), PROTO_INGEST, &ev, &err)) {
        fprintf(stderr, "  decode: %s\n", err.message);
        return -2;
    }
    int rc = pipeline_ingest(p, &ev, &err);
    proto_free(&ev);
    return rc;
}

static inline void pipefix_on_deliver(void *ctx, const pipeline_entry *e)
{
    pipefix *f = ctx;
    json_t *frame = json_loadb(shared_frame_data(e->frame), e->frame->len, 0, NULL);
    json_array_append_new(f->delivered, frame ? frame : json_null());
    json_array_append_new(f->arrivals, json_integer(e->frame->ingest_us));
}

/* Open it; `with_assist`: the enrichment stage too (data/ under $AGENTDESK_ROOT or "."). */
static inline bool pipefix_open(pipefix *f, bool with_assist)
{
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/agentdesk-pipefix-XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0)
        return false;
    close(fd);
    unlink(f->path);
    char err[300];
    f->st = store_open(f->path, err, sizeof err);
    if (!f->st) {
        fprintf(stderr, "pipefix: %s\n", err);
        return false;
    }
    if (store_user_put(f->st, "agent-1", "Agent One", ROLE_AGENT, "tok-agent-1") != 0)
        return false;
    f->log = eventlog_sqlite_open(store_db(f->st), err, sizeof err);
    if (!f->log)
        return false;
    if (with_assist) {
        const char *root = getenv("AGENTDESK_ROOT");
        char data[512];
        snprintf(data, sizeof data, "%s/data", root && *root ? root : ".");
        f->as = assist_open(store_db(f->st), data, err, sizeof err);
        if (!f->as) {
            fprintf(stderr, "pipefix: assist: %s\n", err);
            return false;
        }
    }
    f->delivered = json_array();
    f->arrivals = json_array();
    pipeline_hooks hooks = {.ctx = f, .deliver = pipefix_on_deliver};
    f->p = pipeline_open(f->st, f->log, f->as, NULL, &hooks, err, sizeof err);
    if (!f->p)
        fprintf(stderr, "pipefix: %s\n", err);
    return f->p != NULL;
}

static inline void pipefix_close(pipefix *f)
{
    pipeline_close(f->p);
    if (f->as)
        assist_close(f->as);
    if (f->log)
        f->log->ops->close(f->log);
    store_close(f->st);
    json_decref(f->delivered);
    json_decref(f->arrivals);
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char path[80];
        snprintf(path, sizeof path, "%s%s", f->path, suffixes[i]);
        unlink(path);
    }
}

/* End the loop turn (pipeline_flush): its value. */
static inline int pipefix_flush(pipefix *f)
{
    return pipeline_flush(f->p);
}

static inline bool pipefix_matches(json_t *frame, const char *key, const char *want)
{
    return !want || (json_is_string(json_object_get(frame, key)) &&
                     strcmp(json_string_value(json_object_get(frame, key)), want) == 0);
}

/* The delivered frames of `type` ("utterance", ...; NULL: any) for interaction `iid`
 * (NULL: any), in order: a new array the caller frees. */
static inline json_t *pipefix_frames(const pipefix *f, const char *type, const char *iid)
{
    json_t *out = json_array();
    size_t i;
    json_t *frame;
    json_array_foreach(f->delivered, i, frame)
        if (pipefix_matches(frame, "type", type) && pipefix_matches(frame, "iid", iid))
            json_array_append(out, frame);
    return out;
}

#endif
