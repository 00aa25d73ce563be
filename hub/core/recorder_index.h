/* recorder_index.h — inside the recorder: the `recordings` table (see recorder.h) and the
 * file scan that rebuilds it or recounts a recording reopened after a restart. */
#ifndef AGENTDESK_HUB_RECORDER_INDEX_H
#define AGENTDESK_HUB_RECORDER_INDEX_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include <sqlite3.h>

#include "hub/core/recorder_outcome.h"

enum {
    RIX_PUT,
    RIX_UPDATE,
    RIX_FIND,
    RIX_PAGE,
    RIX__COUNT
};

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *st[RIX__COUNT];
} recorder_index;

typedef struct {
    const char *iid, *file, *channel, *queue, *agent;
    int64_t started_ms;
    int64_t ended_ms;   /* 0 while live */
    int64_t events;     /* lines after the header */
    int64_t bytes;
    bool complete;
    recorder_outcome outcome;
} recorder_row;

/* What a recording file holds, read to its end. */
typedef struct {
    int64_t lines;        /* whole lines, header included */
    int64_t whole_bytes;  /* bytes up to the end of the last whole line */
    bool torn;            /* bytes after the last newline */
    json_t *head;         /* the parsed first line, NULL if it is not JSON */
    int64_t ended_ms;     /* from a last line of type interaction.ended, else 0 */
    recorder_outcome outcome;
} recorder_scan_result;

/* Read the open file `fd` from its start. 0 or -1 (errno). Free out->head with json_decref. */
int recorder_scan(int fd, recorder_scan_result *out);

int recorder_index_open(recorder_index *x, sqlite3 *db, char *err, size_t errlen);
void recorder_index_close(recorder_index *x);
/* Insert or refresh the row of a recording just opened; `complete` is ANDed with the
 * row's. 0 or -1. */
int recorder_index_put(recorder_index *x, const recorder_row *row);
/* The counts of a recording closed or cut. 0 or -1. */
int recorder_index_update(recorder_index *x, const recorder_row *row);
/* What a row says its file holds. A row is written with the counts of whole lines in its
 * file (at open after reading it, at close, after a failed write), so while the file is
 * as long as `bytes` the counts are the file's and it need not be read again. */
typedef struct {
    int64_t bytes, events;
    recorder_outcome outcome;
} recorder_counts;

/* iid's file name (malloc'd) and complete flag, and its counts when `counts` is not NULL;
 * false when not indexed. */
bool recorder_index_find(recorder_index *x, const char *iid, char **file, bool *complete,
                         recorder_counts *counts);
/* The item of a row whose columns 0..9 are n, iid, channel, queue, agent, started_ms, ended_ms,
 * events, bytes, complete (see recorder_list); NULL for text that is not UTF-8. */
json_t *recorder_index_item(sqlite3_stmt *st, int64_t now_ms);
/* Append `item` (taken) to `items` unless that passes max_bytes of JSON (the first item
 * always fits); false, and `item` freed, when it does not. */
bool recorder_index_fit(json_t *items, json_t *item, size_t *bytes, size_t max_bytes);
/* See recorder_list. */
json_t *recorder_index_page(recorder_index *x, int64_t before, size_t limit, size_t max_bytes,
                            int64_t now_ms, int64_t *next);
/* See recorder_query. */
json_t *recorder_index_query(recorder_index *x, const recorder_query *q, size_t max_bytes, int64_t now_ms,
                             int64_t *next_offset);
/* See recorder_exemplar. */
int recorder_index_exemplar(recorder_index *x, const char *iid, const char *state, const char *tags,
                            const char *comment, const char *user, int64_t now_ms);
/* When the index was built for another directory (or never): rebuild it from the files of
 * `dir`, once. 0 or -1 with a message. */
int recorder_index_sync_dir(recorder_index *x, const char *dir, char *err, size_t errlen);

#endif
