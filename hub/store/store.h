/* store.h — the hub's SQLite database: open in WAL mode, schema versions with
 * migrations, and the handle that other hub modules prepare their statements on.
 *
 * Tables (schema v1, see store.c): meta, users, customers, contacts, orders, kb +
 * kb_fts (FTS5, porter), rules, interactions, events, actions, notes, wrapups,
 * suggestion_feedback, checklist_ticks. Tokens are stored only as their SHA-256 hex. */
#ifndef AGENTDESK_HUB_STORE_H
#define AGENTDESK_HUB_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <sqlite3.h>

/* schema version: store_schema_version() in store_schema.h */

typedef struct store store;

/* meta key of the event log's seq high-water mark (hub/eventlog.h). */
#define STORE_META_SEQ_HIGH "events_seq_high"

/* Open (creating and migrating as needed) the database at `path`. NULL with a message.
 * A damaged database is refused, the message naming the file and what to do: one that
 * fails PRAGMA quick_check, or whose events end below the recorded seq high-water mark
 * (events that were handed out are missing; their seqs would be handed out again). */
store *store_open(const char *path, char *err, size_t errlen);
/* The same for a hub that serves: everything but PRAGMA quick_check is checked before it
 * returns; quick_check, which reads the whole file (0.45 s for a million events), runs on
 * its own read-only connection in a thread, and when it finds damage the process says so
 * as store_open would (the file, the damage, what to do) and exits with status 1. A path
 * another connection cannot open (":memory:", a "file:" URI) is checked before it returns.
 * Its WAL checkpoints run on another connection in a thread too (store_wal.c: the loop's commits
 * never wait for a checkpoint's fsyncs). */
store *store_open_for_serving(const char *path, char *err, size_t errlen);
void store_close(store *s);
sqlite3 *store_db(store *s);

/* Default database path: $XDG_DATA_HOME/agentdesk/hub.db (or ~/.local/share/...). Creates
 * the directory. Returns a malloc'd string. */
char *store_default_path(void);

/* SHA-256 of `token` as 64 lowercase hex characters plus NUL. */
void store_token_hash(const char *token, char out[65]);

typedef enum { ROLE_NONE, ROLE_AGENT, ROLE_SUPERVISOR, ROLE_TRAINER, ROLE_INGEST } store_role;
const char *store_role_name(store_role r);
store_role store_role_parse(const char *name);

typedef struct {
    char name[128];
    char display_name[128];
    store_role role;
} store_user;

/* Look a user up by token (hashed here). true when found. */
bool store_user_by_token(store *s, const char *token, store_user *out);
/* Insert or replace a user with this token. 0 or -1. */
int store_user_put(store *s, const char *name, const char *display_name, store_role role, const char *token);

/* Applied actions: true if (user, id) was already applied; remember marks it (inside the
 * caller's transaction, so it is durable with the action's effects). */
bool store_action_seen(store *s, const char *user, const char *id);
int store_action_remember(store *s, const char *user, const char *id, const char *type, int64_t ts);

/* Transactions used by the server's group commit. */
int store_begin(store *s);
int store_commit(store *s);

#endif
