/* recorder.h — one JSONL recording per interaction in the record directory:
 *   line 1: {"format":"agentdesk.recording","version":1,"iid","channel","queue","agent","started_ms"}
 *   then every console-side durable event of the interaction, in seq order, PII redacted
 *   with REDACT_TAG (the pipeline hands over lines already redacted).
 * Lines are written after the group commit that made them durable and flushed once per
 * batch; the file is closed when the interaction ends. A file name is the iid with every
 * byte outside [A-Za-z0-9_-] (and a leading '.') written as %XX, plus ".jsonl". */
#ifndef AGENTDESK_HUB_RECORDER_H
#define AGENTDESK_HUB_RECORDER_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

typedef struct recorder recorder;
typedef struct recorder_file recorder_file;

/* Creates `dir` if needed. NULL with a message. */
recorder *recorder_open(const char *dir, char *err, size_t errlen);
void recorder_close(recorder *r);
const char *recorder_dir(const recorder *r);

/* Open (or, after a hub restart, reopen for appending) the recording of iid. The header is
 * written only to a new, empty file. NULL when the file cannot be opened. */
recorder_file *recorder_begin(recorder *r, const char *iid, const char *channel, const char *queue,
                              const char *agent, int64_t started_ms);
/* Append one line (no newline in `line`). */
void recorder_write(recorder *r, recorder_file *f, const char *line, size_t len);
/* Flush every file written since the last flush. */
void recorder_flush(recorder *r);
/* Flush and close. */
void recorder_finish(recorder *r, recorder_file *f);

/* The path of iid's recording (malloc'd). */
char *recorder_path(const recorder *r, const char *iid);

/* Up to `max` recordings, newest first: an array of {iid, channel, queue, agent,
 * started_ms, duration_ms}. New reference. */
json_t *recorder_list(const recorder *r, size_t max, int64_t now_ms);

/* Call fn for each line of iid's recording (without the newline). -1 if there is none. */
int recorder_read(const recorder *r, const char *iid,
                  int (*fn)(void *ctx, const char *line, size_t len), void *ctx);

#endif
