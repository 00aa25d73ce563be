/* pipeline_db.h — the pipeline's prepared statements: agents and customers by id, and the
 * interactions table (written at start and end, read for role checks after the end and to
 * restore live interactions after a restart), and the ended interactions still awaiting a
 * wrap-up (an interaction is wrapped up once the wrapups table has a row for it). */
#ifndef AGENTDESK_HUB_PIPELINE_DB_H
#define AGENTDESK_HUB_PIPELINE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include "hub/core/live.h"

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *agent, *customer, *insert, *end, *get, *wrapped, *reassign, *on_break, *ckpt_get, *ckpt_put,
        *ckpt_del, *connect_user, *pending_get, *pending_put, *pending_prune,
        *held_get, *held_put, *held_del;
} pipeline_db;

int pipeline_db_open(pipeline_db *d, sqlite3 *db, char *err, size_t errlen);
void pipeline_db_close(pipeline_db *d);
/* An agent or supervisor named `name`: true and its display name. */
bool pipeline_db_agent(pipeline_db *d, const char *name, char *display, size_t len);
/* "First Last" of customer `id`, or "" when unknown. */
void pipeline_db_customer_name(pipeline_db *d, const char *id, char *out, size_t len);
int pipeline_db_insert_interaction(pipeline_db *d, const live_call *c);
int pipeline_db_end_interaction(pipeline_db *d, const char *iid, int64_t ended_ms, const char *reason);
bool pipeline_db_interaction(pipeline_db *d, const char *iid, char *agent, size_t alen,
                             char *channel, size_t clen, int64_t *started_ms);
/* Add every interaction not ended to `l` and call fn on each. */
void pipeline_db_restore(pipeline_db *d, live *l, void (*fn)(void *ctx, live_call *c), void *ctx);
/* The interaction's owner is now `agent` (a takeover; in the turn's transaction). 0 or -1. */
int pipeline_db_reassign(pipeline_db *d, const char *iid, const char *agent);
/* Did `agent` choose a break (the agent_status table)? */
bool pipeline_db_on_break(pipeline_db *d, const char *agent);
/* Has a wrap-up been stored for iid (this transaction's included)? */
bool pipeline_db_wrapped_up(pipeline_db *d, const char *iid);
/* Add to `l`, oldest end first, the interactions ended at or after `since_ms` without a
 * wrap-up, the newest `per_agent` of each agent, with ended_ms set; fn on each. */
void pipeline_db_restore_unwrapped(pipeline_db *d, live *l, int64_t since_ms, int per_agent,
                                   void (*fn)(void *ctx, live_call *c), void *ctx);

/* The enrichment checkpoint of iid (assist_checkpoints): its state, malloc'd, *len bytes,
 * and the seq of the last final it holds; NULL when there is none. */
unsigned char *pipeline_db_checkpoint(pipeline_db *d, const char *iid, int64_t *seq, size_t *len);
int pipeline_db_checkpoint_put(pipeline_db *d, const char *iid, int64_t seq, const void *state, size_t len);
int pipeline_db_checkpoint_del(pipeline_db *d, const char *iid);

/* Amazon Connect (migration 11): the agentdesk user mapped to Connect user id `connect_id`
 * (true, in `user`); the agent Connect gave contact iid before it was live here (true, in
 * `agent`); remember one (in the turn's transaction; entries over a day old are dropped).
 * 0 or -1. */
bool pipeline_db_connect_user(pipeline_db *d, const char *connect_id, char *user, size_t len);
bool pipeline_db_pending_agent(pipeline_db *d, const char *iid, char *agent, size_t len);
int pipeline_db_pending_put(pipeline_db *d, const char *iid, const char *agent, int64_t now_ms);

/* What a call holds from before its tail, as its last trim left it (live_held): read at a
 * start so that only those frames and the log after `dropped_upto` are read. */
typedef struct {
    int64_t dropped_upto;
    size_t dropped_lines;
    int64_t *seqs;        /* malloc'd, ascending, each <= dropped_upto */
    size_t nseqs;
} pipeline_held;

/* iid's record: true and *h filled (free h->seqs), false when it has none or a damaged one. */
bool pipeline_db_held(pipeline_db *d, const char *iid, pipeline_held *h);
/* Write c's record as it stands: its dropped_upto, dropped_lines and the seqs of the frames
 * it holds at or below dropped_upto (its state frames). 0 or -1. */
int pipeline_db_held_put(pipeline_db *d, const live_call *c);
/* Delete the records of interactions in neither set (wrapped up, or no longer offered for
 * a wrap-up): called once the start has restored them. 0 or -1. */
int pipeline_db_held_prune(pipeline_db *d, live *a, live *b);

#endif
