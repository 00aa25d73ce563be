/* recorder.h — one JSONL recording per interaction in the record directory, and their index.
 *
 * A recording file:
 *   line 1: {"format":"agentdesk.recording","version":1,"iid","channel","queue","agent","started_ms"}
 *   then every console-side durable event of the interaction, in seq order, PII redacted
 *   with REDACT_TAG (the pipeline hands over lines already redacted), one per line.
 * Lines are written with write(2) after the group commit that made them durable, once per
 * batch; the file is closed when the interaction ends. The directory is 0700, files 0600.
 *
 * File names: an iid of at most 40 bytes of [A-Za-z0-9_.-] (not starting with '.') is its
 * own name, "IID.jsonl"; any other iid gets "PREFIX~HASH.jsonl": PREFIX is the iid with its
 * other bytes as '_', cut to 40 bytes, HASH 32 hex digits of the SHA-256 of the whole iid.
 * '~' is in no plain name, so two iids never share a file, and no name exceeds 80 bytes.
 *
 * Write errors (ENOSPC, EFBIG, EIO, ...): the file is cut back to its last whole line and
 * nothing more is written to it; the error is counted (agentdesk_recording_write_errors_total),
 * logged, reported by recorder_health() until a later write succeeds, and the index marks
 * the recording incomplete. A reader never returns a torn last line: it stops before it and
 * reports the recording incomplete.
 *
 * The index is the SQLite table `recordings` (schema migration 3) on the hub's database:
 * one row per recording, written when a recording is opened and when it is closed (or cut),
 * never by scanning the directory while serving. recordings.list pages through it. At open,
 * when the index was built for another directory (or never, e.g. after the upgrade that
 * added it), the directory is scanned once to rebuild it. */
#ifndef AGENTDESK_HUB_RECORDER_H
#define AGENTDESK_HUB_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <sqlite3.h>

#include "hub/core/recorder_outcome.h"

typedef struct recorder recorder;
typedef struct recorder_file recorder_file;
typedef struct recorder_reader recorder_reader;

enum { RECORDER_NAME_PREFIX = 40 };

/* Creates `dir` (0700) if needed, and indexes it once if the index in `db` is not for it.
 * NULL with a message. */
recorder *recorder_open(const char *dir, sqlite3 *db, char *err, size_t errlen);
void recorder_close(recorder *r);

/* Open (or, after a hub restart, reopen for appending) the recording of iid. The header is
 * written only to a new, empty file. Never NULL: a file that cannot be opened or written
 * is a failed recording whose later lines are counted as lost. */
recorder_file *recorder_begin(recorder *r, const char *iid, const char *channel, const char *queue,
                              const char *agent, int64_t started_ms);
/* Append one line (no newline in `line`). */
void recorder_write(recorder *r, recorder_file *f, const char *line, size_t len);
/* The same, given the event the line was written from: it is not parsed again. */
void recorder_write_event(recorder *r, recorder_file *f, const char *line, size_t len, const json_t *event);
/* Write every file appended to since the last flush. */
void recorder_flush(recorder *r);
/* Write, close, and update the index. */
void recorder_finish(recorder *r, recorder_file *f);

/* The file name (no directory) of iid's recording (malloc'd). */
char *recorder_file_name(const char *iid);
/* The path of iid's recording (malloc'd): the indexed file, else the name above. */
char *recorder_path(recorder *r, const char *iid);

/* True while writing works; false after a write error until a later write succeeds. `out`
 * gets a JSON object {"ok","write_errors","error"?} for /healthz. */
bool recorder_health(const recorder *r, char *out, size_t outlen);

/* One page of the index, newest first: recordings whose cursor is below `before` (0: from
 * the newest), at most `limit` of them and at most about `max_bytes` of JSON. Items are
 * {iid, channel, queue, agent, started_ms, duration_ms, ended, events, bytes, complete}.
 * *next is the cursor to ask for the next page, 0 when this is the last. New reference. */
json_t *recorder_list(recorder *r, int64_t before, size_t limit, size_t max_bytes, int64_t now_ms,
                      int64_t *next);

/* The trainer's list, sorted and filtered by outcome (recordings.list with `sort`, `queue`,
 * `agent` or `exemplars`). Items are those of recorder_list and, when known, the customer's
 * sentiment when first scored, at its lowest and at the end (`sentiment_first`, `_low`,
 * `_last`), `recovery` (last minus lowest), `flags` and `severe_flags`, the wrap-up's
 * `disposition`, and `exemplar`: "confirmed" or "rejected" (with `tags` and `comment`) as a
 * trainer said, else "proposed" when the recording is a strong recovery: the customer fell
 * to RECORDER_PROPOSE_LOW or below and ended at least RECORDER_PROPOSE_RISE higher and not
 * negative. Confirmed exemplars come first, then proposed ones, then the rest, each group
 * in the sort's order. Pages by offset: *next_offset is the offset of the next page, 0 at
 * the end. New reference. */
json_t *recorder_query_list(recorder *r, const recorder_query *q, size_t max_bytes, int64_t now_ms,
                            int64_t *next_offset);
/* A trainer's verdict on iid as an exemplar: state "confirmed" or "rejected" with tags and a
 * comment, or "cleared" to forget it. Written on the hub's database (in the caller's
 * transaction). 0; 1 when no recording of iid is indexed; -1 on a database error. */
int recorder_exemplar(recorder *r, const char *iid, const char *state, const char *tags, const char *comment,
                      const char *user, int64_t now_ms);

/* Read iid's recording as it is now, line by line. NULL when there is none. */
recorder_reader *recorder_reader_open(recorder *r, const char *iid);
/* The next whole line (without its newline; valid until the next call): 1, or 0 at the end.
 * A last line without its newline is torn and never returned. */
int recorder_reader_next(recorder_reader *rd, const char **line, size_t *len);
/* After the end: true when the recording holds every line the hub meant to write;
 * otherwise *reason is "write_failed" or "torn_tail". */
bool recorder_reader_complete(const recorder_reader *rd, const char **reason);
void recorder_reader_close(recorder_reader *rd);

/* Call fn for each line of iid's recording. -1 if there is none, 0 when complete, 1 when
 * it is not (a write failed or the tail is torn). */
int recorder_read(recorder *r, const char *iid,
                  int (*fn)(void *ctx, const char *line, size_t len), void *ctx);

#endif
