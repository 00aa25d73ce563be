/* test_store.c — the hub database on real SQLite files in a temp dir: migrations,
 * reopen, a too-new schema, the default path, SHA-256 vectors, users by token (never
 * the token itself), applied-action dedupe and shared transactions. */
#include "hub/store/store.h"
#include "hub/store/store_schema.h"
#include "tests/lib/dbquery.h"
#include "tests/unit/check.h"

#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[256];

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/agentdesk-test-store-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        exit(2);
    }
}

static char *tmp_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static void query_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
    sqlite3_stmt *st;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static void test_token_hash_vectors(void)
{
    char out[65];
    store_token_hash("abc", out);
    CHECK_STR(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    store_token_hash("", out);
    CHECK_STR(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    store_token_hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", out);
    CHECK_STR(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000001);
    memset(million, 'a', 1000000);
    million[1000000] = '\0';
    store_token_hash(million, out);
    CHECK_STR(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
    /* 55, 56 and 64 bytes: the padding edge cases around one block */
    store_token_hash("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out);
    CHECK_STR(out, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    store_token_hash("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out);
    CHECK_STR(out, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    store_token_hash("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out);
    CHECK_STR(out, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

static void test_fresh_database_is_migrated(void)
{
    char err[256] = "";
    store *s = store_open(tmp_path("fresh/nested/dir/hub.db"), err, sizeof err);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "  %s\n", err);
        return;
    }
    sqlite3 *db = store_db(s);
    CHECK_INT(dbquery_int(db, "PRAGMA user_version"), store_schema_version());
    char mode[32];
    query_text(db, "PRAGMA journal_mode", mode, sizeof mode);
    CHECK_STR(mode, "wal");
    CHECK_INT(dbquery_int(db, "PRAGMA foreign_keys"), 1);
    CHECK_INT(dbquery_int(db, "PRAGMA synchronous"), 1); /* NORMAL, see store.c */
    static const char *const tables[] = { "meta", "users", "customers", "contacts", "orders",
        "kb", "kb_fts", "rules", "interactions", "events", "actions", "notes", "wrapups",
        "suggestion_feedback", "checklist_ticks" };
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE name = '%s'", tables[i]);
        CHECK_INT(dbquery_int(db, sql), 1);
    }
    store_close(s);
}

static void test_reopen_keeps_data_and_version(void)
{
    char err[256] = "";
    const char *path = tmp_path("reopen.db");
    store *s = store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT(store_user_put(s, "agent-1", "Ana Ruiz", ROLE_AGENT, "demo-agent-1"), 0);
    store_close(s);
    s = store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_INT(dbquery_int(store_db(s), "PRAGMA user_version"), store_schema_version());
    store_user u;
    CHECK(store_user_by_token(s, "demo-agent-1", &u));
    CHECK_STR(u.name, "agent-1");
    store_close(s);
}

static void test_newer_schema_is_refused(void)
{
    char err[256] = "";
    const char *path = tmp_path("future.db");
    store *s = store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_schema_version() + 5);
    CHECK_INT(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
    store_close(s);
    err[0] = '\0';
    s = store_open(path, err, sizeof err);
    CHECK(s == NULL);
    CHECK(strstr(err, "is newer than this agentdesk-hub knows") != NULL);
    CHECK(strstr(err, path) != NULL);
    store_close(s);
}

static void test_unopenable_path_gives_message(void)
{
    char err[256] = "";
    /* a regular file where a directory is needed */
    FILE *f = fopen(tmp_path("plainfile"), "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    store *s = store_open(tmp_path("plainfile/sub/hub.db"), err, sizeof err);
    CHECK(s == NULL);
    CHECK(strstr(err, "cannot create its directory") != NULL);
    s = store_open("", err, sizeof err);
    CHECK(s == NULL);
    CHECK_STR(err, "no database path");
}

static void test_default_path(void)
{
    char *saved_xdg = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
    char *saved_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    char expect[600];
    struct stat st;

    setenv("XDG_DATA_HOME", tmp_path("xdg"), 1);
    char *p = store_default_path();
    snprintf(expect, sizeof expect, "%s/xdg/agentdesk/hub.db", tmpdir);
    CHECK_STR(p, expect);
    snprintf(expect, sizeof expect, "%s/xdg/agentdesk", tmpdir);
    CHECK(stat(expect, &st) == 0 && S_ISDIR(st.st_mode));
    free(p);

    unsetenv("XDG_DATA_HOME");
    setenv("HOME", tmp_path("home"), 1);
    p = store_default_path();
    snprintf(expect, sizeof expect, "%s/home/.local/share/agentdesk/hub.db", tmpdir);
    CHECK_STR(p, expect);
    snprintf(expect, sizeof expect, "%s/home/.local/share/agentdesk", tmpdir);
    CHECK(stat(expect, &st) == 0 && S_ISDIR(st.st_mode));
    free(p);

    if (saved_xdg) setenv("XDG_DATA_HOME", saved_xdg, 1);
    if (saved_home) setenv("HOME", saved_home, 1); else unsetenv("HOME");
    free(saved_xdg);
    free(saved_home);
}

static void test_roles(void)
{
    CHECK_INT(store_role_parse("agent"), ROLE_AGENT);
    CHECK_INT(store_role_parse("supervisor"), ROLE_SUPERVISOR);
    CHECK_INT(store_role_parse("trainer"), ROLE_TRAINER);
    CHECK_INT(store_role_parse("ingest"), ROLE_INGEST);
    CHECK_INT(store_role_parse("root"), ROLE_NONE);
    CHECK_INT(store_role_parse("none"), ROLE_NONE);
    CHECK_INT(store_role_parse(NULL), ROLE_NONE);
    CHECK_STR(store_role_name(ROLE_SUPERVISOR), "supervisor");
    CHECK_STR(store_role_name(ROLE_NONE), "none");
    CHECK_STR(store_role_name((store_role)42), "none");
}

static void test_users_by_token_never_store_token(void)
{
    char err[256] = "";
    store *s = store_open(tmp_path("users.db"), err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    sqlite3 *db = store_db(s);
    CHECK_INT(store_user_put(s, "agent-1", "Ana Ruiz", ROLE_AGENT, "secret-token-one"), 0);
    CHECK_INT(store_user_put(s, "supervisor", "", ROLE_SUPERVISOR, "secret-token-two"), 0);
    store_user u;
    memset(&u, 0, sizeof u);
    CHECK(store_user_by_token(s, "secret-token-one", &u));
    CHECK_STR(u.name, "agent-1");
    CHECK_STR(u.display_name, "Ana Ruiz");
    CHECK_INT(u.role, ROLE_AGENT);
    CHECK(store_user_by_token(s, "secret-token-two", &u));
    CHECK_STR(u.display_name, "supervisor"); /* empty display name falls back to the name */
    CHECK_INT(u.role, ROLE_SUPERVISOR);
    CHECK(!store_user_by_token(s, "secret-token-on", &u));
    CHECK(!store_user_by_token(s, "", &u));
    CHECK(!store_user_by_token(s, NULL, &u));

    /* no column of any row holds the plaintext, and the stored hash is the SHA-256 hex */
    CHECK_INT(dbquery_int(db, "SELECT count(*) FROM users WHERE instr(name || display_name ||"
                            " role || token_hash, 'secret-token') > 0"), 0);
    char hash[65], stored[80];
    store_token_hash("secret-token-one", hash);
    query_text(db, "SELECT token_hash FROM users WHERE name = 'agent-1'", stored, sizeof stored);
    CHECK_STR(stored, hash);

    /* re-put replaces the token: the old one stops working */
    CHECK_INT(store_user_put(s, "agent-1", "Ana R.", ROLE_AGENT, "rotated-token"), 0);
    CHECK(!store_user_by_token(s, "secret-token-one", &u));
    CHECK(store_user_by_token(s, "rotated-token", &u));
    CHECK_STR(u.display_name, "Ana R.");
    CHECK_INT(dbquery_int(db, "SELECT count(*) FROM users"), 2);

    /* a token already held by another user is refused, not silently stolen */
    CHECK_INT(store_user_put(s, "agent-2", "Bo", ROLE_AGENT, "secret-token-two"), -1);
    CHECK(store_user_by_token(s, "secret-token-two", &u));
    CHECK_STR(u.name, "supervisor");
    CHECK_INT(store_user_put(s, "x", "X", ROLE_NONE, "t"), -1);
    CHECK_INT(store_user_put(s, "", "X", ROLE_AGENT, "t"), -1);
    store_close(s);
}

static void test_action_dedupe(void)
{
    char err[256] = "";
    const char *path = tmp_path("actions.db");
    store *s = store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK(!store_action_seen(s, "agent-1", "a-1"));
    CHECK_INT(store_begin(s), 0);
    CHECK_INT(store_action_remember(s, "agent-1", "a-1", "reply", 1000), 0);
    CHECK(store_action_seen(s, "agent-1", "a-1"));
    CHECK_INT(store_commit(s), 0);
    /* remembering again is harmless and keeps one row */
    CHECK_INT(store_action_remember(s, "agent-1", "a-1", "reply", 2000), 0);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM actions"), 1);
    CHECK_INT(dbquery_int(store_db(s), "SELECT ts FROM actions"), 1000);
    /* ids are per user */
    CHECK(!store_action_seen(s, "agent-2", "a-1"));
    store_close(s);

    s = store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK(store_action_seen(s, "agent-1", "a-1"));
    store_close(s);
}

static void test_transactions_are_shared_and_idempotent(void)
{
    char err[256] = "";
    const char *path = tmp_path("tx.db");
    store *s = store_open(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    sqlite3 *db = store_db(s);
    CHECK_INT(store_commit(s), 0); /* nothing open: no-op */
    CHECK_INT(store_begin(s), 0);
    CHECK_INT(store_begin(s), 0); /* already open: no-op */
    CHECK_INT(store_action_remember(s, "u", "1", "note", 1), 0);
    /* another connection does not see it before the commit */
    sqlite3 *other;
    CHECK_INT(sqlite3_open(path, &other), SQLITE_OK);
    CHECK_INT(dbquery_int(other, "SELECT count(*) FROM actions"), 0);
    CHECK_INT(store_commit(s), 0);
    CHECK_INT(dbquery_int(other, "SELECT count(*) FROM actions"), 1);
    CHECK(sqlite3_get_autocommit(db));
    sqlite3_close(other);
    store_close(s);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* A serving store's commits never checkpoint: its thread copies the WAL into the database
 * file behind them (the file grows while nothing but commits runs here), and a hub that
 * pauses gets its WAL started over. */
static void test_serving_checkpoints_in_its_thread(void)
{
    char err[256] = "", wal[600];
    const char *path = tmp_path("ckpt.db");
    snprintf(wal, sizeof wal, "%s-wal", path);
    store *s = store_open_for_serving(path, err, sizeof err);
    CHECK(s != NULL);
    if (!s)
        return;
    sqlite3 *db = store_db(s);
    CHECK_INT(sqlite3_exec(db, "CREATE TABLE filler(x BLOB)", NULL, NULL, NULL), SQLITE_OK);
    long before = file_size(path);
    /* 10,000 pages, two or three WAL frames each (the page, page 1, an interior page): past
     * the 8,000 frames that ask for a checkpoint. How much of it is copied by the end depends
     * on where the WAL last started over (the pages after that stay in it, under the size),
     * so the check is that the thread copied thousands of pages, not how many */
    for (int i = 0; i < 10000; i++)
        CHECK_INT(sqlite3_exec(db, "INSERT INTO filler VALUES (zeroblob(3500))", NULL, NULL, NULL), SQLITE_OK);
    long grown = before;
    for (int waited = 0; waited < 5000 && grown <= before + 2000 * 4096L; waited += 50) {
        usleep(50 * 1000);
        grown = file_size(path);
    }
    CHECK(grown > before + 2000 * 4096L);
    /* idle: the thread has copied everything, and the next commit starts the WAL over */
    long wal_size = file_size(wal);
    usleep(600 * 1000);
    for (int i = 0; i < 50; i++)
        CHECK_INT(sqlite3_exec(db, "INSERT INTO filler VALUES (zeroblob(3500))", NULL, NULL, NULL), SQLITE_OK);
    CHECK(file_size(wal) == wal_size);   /* written over from the start, not appended */
    CHECK_INT(dbquery_int(db, "SELECT count(*) FROM filler"), 10050);
    store_close(s);
}

int main(void)
{
    make_tmpdir();
    RUN(test_token_hash_vectors);
    RUN(test_fresh_database_is_migrated);
    RUN(test_reopen_keeps_data_and_version);
    RUN(test_newer_schema_is_refused);
    RUN(test_unopenable_path_gives_message);
    RUN(test_default_path);
    RUN(test_roles);
    RUN(test_users_by_token_never_store_token);
    RUN(test_action_dedupe);
    RUN(test_transactions_are_shared_and_idempotent);
    RUN(test_serving_checkpoints_in_its_thread);
    nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return check_done("test_store");
}
