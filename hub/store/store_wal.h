/* store_wal.h — a serving store's WAL checkpoints, off the serving thread: a thread with a
 * connection of its own copies the WAL into the database behind the loop's commits, so a
 * commit never waits for a whole checkpoint's fsyncs (store_wal.c says how the WAL still
 * starts over). Used by store_open_for_serving. */
#ifndef AGENTDESK_HUB_STORE_WAL_H
#define AGENTDESK_HUB_STORE_WAL_H

#include <sqlite3.h>

typedef struct store_wal store_wal;

/* Opens a second connection to `path` and starts the thread; from then on `serving`'s
 * commits feed it (its wal hook, which replaces SQLite's automatic checkpoint). NULL when
 * there is no second connection or thread: the automatic checkpoint then stays. */
store_wal *store_wal_start(sqlite3 *serving, const char *path);
/* Unhooks `serving`, stops and joins the thread, closes its connection. NULL is fine. */
void store_wal_stop(store_wal *w);

#endif
