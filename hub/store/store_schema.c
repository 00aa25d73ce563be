/* store_schema.c — the database schema as an ordered list of migrations.
 * Migration N takes the database from user_version N-1 to N; store_open() applies the
 * missing ones in one transaction each. Never edit a released migration: append one. */
#include "hub/store/store_schema.h"

static const char *const migrations[] = {
    /* 1: the first schema */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE users(name TEXT PRIMARY KEY, display_name TEXT NOT NULL,"
    "  role TEXT NOT NULL CHECK(role IN ('agent','supervisor','trainer','ingest')),"
    "  token_hash TEXT NOT NULL UNIQUE);"
    "CREATE TABLE customers(id TEXT PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL,"
    "  tier TEXT NOT NULL DEFAULT 'standard', since TEXT, email TEXT, phone TEXT,"
    "  address TEXT, plan TEXT, language TEXT, notes TEXT);"
    "CREATE TABLE contacts(id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(id),"
    "  date TEXT NOT NULL, channel TEXT NOT NULL, reason TEXT NOT NULL, outcome TEXT NOT NULL,"
    "  sentiment REAL NOT NULL DEFAULT 0);"
    "CREATE INDEX contacts_by_customer ON contacts(customer_id, date);"
    "CREATE TABLE orders(id TEXT PRIMARY KEY, customer_id TEXT NOT NULL REFERENCES customers(id),"
    "  date TEXT NOT NULL, item TEXT NOT NULL, amount REAL NOT NULL, currency TEXT NOT NULL DEFAULT 'EUR',"
    "  status TEXT NOT NULL);"
    "CREATE INDEX orders_by_customer ON orders(customer_id, date);"
    "CREATE TABLE kb(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT NOT NULL,"
    "  category TEXT NOT NULL, body TEXT NOT NULL, reply TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '',"
    "  boost REAL NOT NULL DEFAULT 0);"
    "CREATE VIRTUAL TABLE kb_fts USING fts5(title, body, tags, content='kb', content_rowid='rowid',"
    "  tokenize='porter unicode61');"
    "CREATE TRIGGER kb_ai AFTER INSERT ON kb BEGIN"
    "  INSERT INTO kb_fts(rowid, title, body, tags) VALUES (new.rowid, new.title, new.body, new.tags); END;"
    "CREATE TRIGGER kb_ad AFTER DELETE ON kb BEGIN"
    "  INSERT INTO kb_fts(kb_fts, rowid, title, body, tags) VALUES('delete', old.rowid, old.title, old.body, old.tags); END;"
    "CREATE TRIGGER kb_au AFTER UPDATE ON kb BEGIN"
    "  INSERT INTO kb_fts(kb_fts, rowid, title, body, tags) VALUES('delete', old.rowid, old.title, old.body, old.tags);"
    "  INSERT INTO kb_fts(rowid, title, body, tags) VALUES (new.rowid, new.title, new.body, new.tags); END;"
    "CREATE TABLE rules(id TEXT PRIMARY KEY, kind TEXT NOT NULL, severity INTEGER NOT NULL,"
    "  match TEXT NOT NULL CHECK(match IN ('phrase','regex','computed')),"
    "  pattern TEXT NOT NULL DEFAULT '', params TEXT NOT NULL DEFAULT '{}', reason TEXT NOT NULL,"
    "  speaker TEXT NOT NULL DEFAULT 'customer');"
    "CREATE TABLE interactions(iid TEXT PRIMARY KEY, channel TEXT NOT NULL, queue TEXT NOT NULL,"
    "  agent TEXT NOT NULL, customer_id TEXT NOT NULL, started_ms INTEGER NOT NULL,"
    "  ended_ms INTEGER, end_reason TEXT);"
    "CREATE TABLE events(seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, iid TEXT NOT NULL,"
    "  agent TEXT NOT NULL, audience TEXT NOT NULL, frame TEXT NOT NULL);"
    "CREATE TABLE actions(user TEXT NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,"
    "  ts INTEGER NOT NULL, PRIMARY KEY(user, id));"
    "CREATE TABLE notes(id INTEGER PRIMARY KEY, iid TEXT NOT NULL, user TEXT NOT NULL,"
    "  ts INTEGER NOT NULL, text TEXT NOT NULL);"
    "CREATE TABLE wrapups(iid TEXT NOT NULL, user TEXT NOT NULL, ts INTEGER NOT NULL,"
    "  code TEXT NOT NULL, summary TEXT NOT NULL, follow_up INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY(iid, user));"
    "CREATE TABLE suggestion_feedback(id INTEGER PRIMARY KEY, sid TEXT NOT NULL, article_id TEXT NOT NULL,"
    "  iid TEXT NOT NULL, user TEXT NOT NULL, action TEXT NOT NULL CHECK(action IN ('used','dismissed')),"
    "  ts INTEGER NOT NULL);"
    "CREATE INDEX feedback_by_article ON suggestion_feedback(article_id);"
    "CREATE TABLE checklist_ticks(iid TEXT NOT NULL, item TEXT NOT NULL, user TEXT NOT NULL,"
    "  ts INTEGER NOT NULL, PRIMARY KEY(iid, item));",
    /* 2: re-index an article only when its indexed text changes, not on every feedback that
     *    moves kb.boost (each re-index adds an FTS5 b-tree and slows every later query). */
    "DROP TRIGGER kb_au;"
    "CREATE TRIGGER kb_au AFTER UPDATE OF title, body, tags ON kb BEGIN"
    "  INSERT INTO kb_fts(kb_fts, rowid, title, body, tags) VALUES('delete', old.rowid, old.title, old.body, old.tags);"
    "  INSERT INTO kb_fts(rowid, title, body, tags) VALUES (new.rowid, new.title, new.body, new.tags); END;",
    /* 3: the index of recordings (hub/recorder.h), so recordings.list never reads the
     *    record directory; `n` is the paging cursor, in the order recordings were opened.
     *    Filled from the files once at the first start (recorder_index_sync_dir). */
    "CREATE TABLE recordings(n INTEGER PRIMARY KEY, iid TEXT NOT NULL UNIQUE, file TEXT NOT NULL UNIQUE,"
    "  channel TEXT NOT NULL, queue TEXT NOT NULL, agent TEXT NOT NULL, started_ms INTEGER NOT NULL,"
    "  ended_ms INTEGER, events INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,"
    "  complete INTEGER NOT NULL DEFAULT 1);",
    /* 4: feedback counts once per user, interaction and article. Repeated votes stored
     *    before this keep only the latest; the boosts they moved are left as they are. */
    "DELETE FROM suggestion_feedback WHERE id NOT IN (SELECT max(id) FROM suggestion_feedback"
    "  GROUP BY article_id, iid, user);"
    "CREATE UNIQUE INDEX feedback_once ON suggestion_feedback(article_id, iid, user);",
    /* 5: the events of one interaction, in order, without reading the rest of the log: a
     *    start restores the live and unwrapped interactions through it, whatever the size
     *    of the history (eventlog_ops.scan_interaction). */
    "CREATE INDEX events_by_iid ON events(iid, seq);",
    /* 6: an article's examples, customer phrasings that should bring it up (a JSON array of
     *    strings): the suggestion ranker's intent model learns from them (hub/assist/suggest.h). */
    "ALTER TABLE kb ADD COLUMN examples TEXT NOT NULL DEFAULT '[]';",
    /* 7: the audit trail of supervisor actions and reveals (hub/store/audit.h): who, when,
     *    which interaction, what (never the content), listed by `agentdesk-hub audit`. */
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, user TEXT NOT NULL,"
    "  action TEXT NOT NULL, iid TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX audit_by_ts ON audit(ts);",
    /* 8: the supervisor's floor. The status an agent chose (available or break; busy and
     *    after-call work are derived), kept across restarts; wrap-ups by user and time for
     *    the handled-today count; the alerts acknowledged (once each); who is barged in. */
    "CREATE TABLE agent_status(agent TEXT PRIMARY KEY, state TEXT NOT NULL"
    "  CHECK(state IN ('available','break')), since_ms INTEGER NOT NULL);"
    "CREATE INDEX wrapups_by_user ON wrapups(user, ts);"
    "CREATE TABLE alert_acks(iid TEXT NOT NULL, alert INTEGER NOT NULL, user TEXT NOT NULL,"
    "  ts INTEGER NOT NULL, PRIMARY KEY(iid, alert));"
    "CREATE TABLE barges(iid TEXT NOT NULL, user TEXT NOT NULL, ts INTEGER NOT NULL,"
    "  PRIMARY KEY(iid, user));",
    /* 9: a live interaction's enrichment state as it stood after the final numbered `seq`
     *    (hub/assist/assist.h: assist_call_save), so a start or a failed commit rebuilds it
     *    from there and the finals after it, not from every final of its history. */
    "CREATE TABLE assist_checkpoints(iid TEXT PRIMARY KEY, seq INTEGER NOT NULL, state BLOB NOT NULL);",
    /* 10: the trainer's list by outcome (hub/core/recorder.h: recorder_query_list): how the
     *     customer fared in each recording, and the exemplars trainers confirmed or rejected.
     *     Forgetting the indexed directory makes the next start re-read the recordings once,
     *     so the ones made before this get their outcome too. */
    "ALTER TABLE recordings ADD COLUMN sent_first REAL;"
    "ALTER TABLE recordings ADD COLUMN sent_low REAL;"
    "ALTER TABLE recordings ADD COLUMN sent_last REAL;"
    "ALTER TABLE recordings ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE recordings ADD COLUMN severe_flags INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE exemplars(iid TEXT PRIMARY KEY, state TEXT NOT NULL CHECK(state IN ('confirmed','rejected')),"
    "  tags TEXT NOT NULL DEFAULT '', comment TEXT NOT NULL DEFAULT '', user TEXT NOT NULL, ts INTEGER NOT NULL);"
    "DELETE FROM meta WHERE key = 'recordings_dir';",
    /* 11: Amazon Connect's agents (docs/CONNECT.md): the agentdesk user of each Connect user
     *     id (`agentdesk-hub import agents`), and the agent Connect gave a contact before its
     *     Contact Lens segments started it there (kept a day), so a later start is assigned. */
    "CREATE TABLE connect_agents(connect_id TEXT PRIMARY KEY, user TEXT NOT NULL);"
    "CREATE TABLE connect_contacts(iid TEXT PRIMARY KEY, agent TEXT NOT NULL, ts INTEGER NOT NULL);"
    "CREATE INDEX connect_contacts_by_ts ON connect_contacts(ts);",
    /* 12: what a live or un-wrapped interaction holds in memory from before its tail
     *    (hub/core/live.h): the seqs of those frames (int64 little-endian each, ascending),
     *    all at or below `dropped_upto`, and the lines dropped, so a start reads those frames
     *    by seq and the log only after dropped_upto, not the interaction's whole history. */
    "CREATE TABLE live_held(iid TEXT PRIMARY KEY, dropped_upto INTEGER NOT NULL,"
    "  dropped_lines INTEGER NOT NULL, seqs BLOB NOT NULL);",
};

int store_schema_version(void)
{
    return (int)(sizeof migrations / sizeof migrations[0]);
}

const char *store_schema_migration(int version)
{
    if (version < 1 || version > store_schema_version())
        return 0;
    return migrations[version - 1];
}
