/* recording.h — a hub recording (hub/core/recorder.h) read for replay: the whole JSONL
 * file in memory, one entry per line, every line decoded through the same codec as the
 * network (proto_decode: validated, every string cleaned), so hostile text in a recording
 * is cleaned like any other outside text.
 *
 * A recording that is damaged still plays: a line that does not decode (corrupt JSON, an
 * unknown or invalid event, an event that is not a hub->console durable one) is marked
 * bad, counted and skipped; a last line without its newline is torn and skipped; a header
 * of a newer format version is said (recording_problems) and what can be read is read.
 *
 * Invariants: events[] holds only the good lines, in file order, with `t_ms` (time from
 * the recording's start) never decreasing: an event stamped before the one it follows is
 * shown at the earlier one's time. The file stays in `data` and events point into it. */
#ifndef AGENTDESK_RECORDING_H
#define AGENTDESK_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto/codec.h"

#define RECORDING_VERSION 1
#define RECORDING_MAX_BYTES ((size_t)1 << 30)   /* a bigger file is refused, not read */
#define RECORDING_BAD_KEPT 64                     /* line numbers of bad lines remembered */

typedef struct {
    size_t off;            /* into data */
    uint32_t len;
    uint32_t line;         /* 1-based line number in the file */
    int64_t t_ms;          /* from the recording's start */
    uint8_t type;          /* proto_type */
} recording_event;

typedef struct {
    char *data;
    size_t len;
    char *iid, *channel, *queue, *agent;   /* from the header, cleaned ("" when absent) */
    int64_t started_ms;                    /* the header's, else the first event's ts */
    int version;                           /* the header's format version; 0 no header */
    recording_event *events;
    size_t n_events, cap_events;
    size_t n_lines;                        /* lines in the file, the header and bad ones included */
    size_t n_bad;                          /* lines that did not decode */
    uint32_t bad_lines[RECORDING_BAD_KEPT];/* the first of them, 1-based */
    char bad_first[200];                   /* why the first bad line was refused */
    bool torn;                             /* the file ends inside a line */
    bool no_header;
} recording;

/* Called for each good event as it is read (its index, the decoded event, valid during the
 * call), so a reader can build on the decode instead of decoding again. `lines` in
 * recording_open_*_each is told first: how many lines the file has (at least the events). */
typedef struct {
    void (*begin)(void *ctx, const recording *r, size_t lines);
    void (*event)(void *ctx, const recording *r, size_t i, const proto_event *ev);
    void *ctx;
} recording_reader;

/* Read the file at `path`. false with a message when it cannot be read at all (missing,
 * unreadable, too big, not a file); a damaged recording is still true. `each` may be NULL. */
bool recording_open_file(recording *r, const char *path, const recording_reader *each,
                         char *err, size_t errlen);
/* The same over bytes in memory (copied). Never fails: damage is recorded. */
void recording_open_mem(recording *r, const char *data, size_t len, const recording_reader *each);
void recording_free(recording *r);

/* Decode event i again (the model takes events one at a time; the file keeps them):
 * true and *out to free with proto_free. */
bool recording_event_decode(const recording *r, size_t i, proto_event *out);
/* The recording's length in ms (the last event's t_ms). */
int64_t recording_duration(const recording *r);
/* The first event at or after t_ms (n_events when none). */
size_t recording_event_at(const recording *r, int64_t t_ms);
/* One sentence on what is wrong with it ("" when nothing): newer version, no header, bad
 * lines (how many and which), a torn end. */
void recording_problems(const recording *r, char *out, size_t outlen);

#endif
