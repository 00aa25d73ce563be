/* store.c — the hub's SQLite database: opening, migrations, users, applied actions.
 *
 * Durability choice: WAL with synchronous=NORMAL. In WAL mode a COMMIT appends to the
 * WAL file with write(2) before it returns, so a committed transaction survives the hub
 * process being killed at any instant (kill -9 included): the kernel holds the pages.
 * Only an operating-system crash or power cut may lose the last commits (the WAL is
 * fsynced at checkpoints, not at every commit); the database is never corrupted either
 * way. synchronous=FULL would fsync every commit and, with group commit, cost one fsync
 * per loop turn; bench/bench_eventlog measures both. We take NORMAL: "committed before
 * sent" holds against process crashes, which is what resume-after-kill relies on. */
#include "hub/store/store.h"
#include "hub/store/store_schema.h"
#include "hub/store/store_wal.h"
#include "base/text.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
    STMT_USER_BY_TOKEN,
    STMT_USER_PUT,
    STMT_ACTION_SEEN,
    STMT_ACTION_REMEMBER,
    STMT_BEGIN,
    STMT_COMMIT,
    STMT__COUNT
};

/* Prepared once at open, reset after each use. */
static const char *const statement_sql[STMT__COUNT] = {
    [STMT_USER_BY_TOKEN] = "SELECT name, display_name, role FROM users WHERE token_hash = ?1",
    [STMT_USER_PUT] =
        "INSERT INTO users(name, display_name, role, token_hash) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT(name) DO UPDATE SET display_name = excluded.display_name,"
        " role = excluded.role, token_hash = excluded.token_hash",
    [STMT_ACTION_SEEN] = "SELECT 1 FROM actions WHERE user = ?1 AND id = ?2",
    [STMT_ACTION_REMEMBER] =
        "INSERT OR IGNORE INTO actions(user, id, type, ts) VALUES (?1, ?2, ?3, ?4)",
    /* IMMEDIATE: take the write lock now, so a read before the first write cannot make
     * the later upgrade fail with SQLITE_BUSY_SNAPSHOT when an import runs alongside.
     * Prepared once: each turn begins and commits, and sqlite3_exec parsed both every time. */
    [STMT_BEGIN] = "BEGIN IMMEDIATE",
    [STMT_COMMIT] = "COMMIT",
};

/* Runs a prepared statement that returns no rows; its result code. */
static int step_once(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc;
}

struct store {
    sqlite3 *db;
    sqlite3_stmt *stmt[STMT__COUNT];
    /* the quick_check of store_open_for_serving, on its own connection */
    sqlite3 *check_db;
    pthread_t checker;
    bool checking;
    atomic_bool closing;       /* store_close interrupted the check: not damage */
    char check_path[4096];
    store_wal *wal;            /* its checkpoints, when serving (store_wal.c) */
};

/* ---- SHA-256 (FIPS 180-4), small and self-contained: no OpenSSL dependency ---- */

typedef struct {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t used;
} sha256_ctx;

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(sha256_ctx *c, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
    uint32_t e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
                      sha256_k[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
        h = g; g = f; f = e; e = d + t1;
        d = cc; cc = b; b = a; a = t1 + t2;
    }
    c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
    c->h[4] += e; c->h[5] += f; c->h[6] += g; c->h[7] += h;
}

static void sha256_init(sha256_ctx *c)
{
    static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    memcpy(c->h, iv, sizeof iv);
    c->bytes = 0;
    c->used = 0;
}

static void sha256_update(sha256_ctx *c, const unsigned char *p, size_t n)
{
    c->bytes += n;
    while (n > 0) {
        size_t take = 64 - c->used < n ? 64 - c->used : n;
        memcpy(c->block + c->used, p, take);
        c->used += take;
        p += take;
        n -= take;
        if (c->used == 64) {
            sha256_block(c, c->block);
            c->used = 0;
        }
    }
}

static void sha256_final(sha256_ctx *c, unsigned char out[32])
{
    uint64_t bits = c->bytes * 8;
    unsigned char pad = 0x80, zero = 0, len[8];
    sha256_update(c, &pad, 1);
    while (c->used != 56)
        sha256_update(c, &zero, 1);
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(c, len, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
}

void store_token_hash(const char *token, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    sha256_ctx c;
    unsigned char digest[32];
    sha256_init(&c);
    sha256_update(&c, (const unsigned char *)token, strlen(token));
    sha256_final(&c, digest);
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
}

/* ---- roles ---- */

static const char *const role_names[] = {
    [ROLE_NONE] = "none", [ROLE_AGENT] = "agent", [ROLE_SUPERVISOR] = "supervisor",
    [ROLE_TRAINER] = "trainer", [ROLE_INGEST] = "ingest",
};

const char *store_role_name(store_role r)
{
    if ((int)r < 0 || (size_t)r >= sizeof role_names / sizeof role_names[0])
        return "none";
    return role_names[r];
}

store_role store_role_parse(const char *name)
{
    if (!name)
        return ROLE_NONE;
    for (size_t i = ROLE_AGENT; i < sizeof role_names / sizeof role_names[0]; i++)
        if (strcmp(name, role_names[i]) == 0)
            return (store_role)i;
    return ROLE_NONE;
}

/* ---- paths ---- */

/* mkdir -p of every directory above the last '/' of path. 0 or -1 (errno set). */
static int make_parent_dirs(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    char *slash = strrchr(copy, '/');
    if (!slash || slash == copy) {
        free(copy);
        return 0;
    }
    *slash = '\0';
    for (char *p = copy + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(copy, 0700) == 0) {
                chmod(copy, 0700);   /* ours alone whatever the umask */
            } else if (errno != EEXIST) {
                free(copy);
                return -1;
            }
            *p = saved;
            if (saved == '\0')
                break;
        }
    }
    free(copy);
    return 0;
}

char *store_default_path(void)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    char *path = NULL;
    if (xdg && xdg[0] == '/') {
        if (asprintf(&path, "%s/agentdesk/hub.db", xdg) < 0)
            return NULL;
    } else {
        if (!home || home[0] != '/') {
            struct passwd *pw = getpwuid(getuid());
            home = pw && pw->pw_dir ? pw->pw_dir : "/tmp";
        }
        if (asprintf(&path, "%s/.local/share/agentdesk/hub.db", home) < 0)
            return NULL;
    }
    make_parent_dirs(path);
    return path;
}

/* ---- open, migrate, close ---- */

/* What to do about a damaged database, said once for every refusal. */
#define STORE_DAMAGED_HELP "stop, restore it from a backup (or move it and its -wal file aside to start empty), then start again"

static int exec_sql(sqlite3 *db, const char *sql, char *err, size_t errlen, const char *what)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int primary = rc & 0xff;
        /* damaged pages of the schema fail the very first statement: said as damage */
        if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
            snprintf(err, errlen, "%s: the database is damaged (%s); %s", what, msg ? msg : sqlite3_errmsg(db),
                     STORE_DAMAGED_HELP);
        else
            snprintf(err, errlen, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int read_user_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Each missing migration in its own transaction, together with its user_version bump, so a
 * crash mid-way leaves the database at a clean earlier version. */
static int migrate(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    int have = 0, want = store_schema_version();
    if (read_user_version(db, &have) != 0) {
        snprintf(err, errlen, "%s: cannot read the schema version: %s", path, sqlite3_errmsg(db));
        return -1;
    }
    if (have > want) {
        snprintf(err, errlen,
                 "%s: database schema version %d is newer than this agentdesk-hub knows (%d); "
                 "use a newer agentdesk-hub or another --db", path, have, want);
        return -1;
    }
    for (int v = have + 1; v <= want; v++) {
        char what[64], bump[64];
        snprintf(what, sizeof what, "schema migration %d", v);
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v);
        if (exec_sql(db, "BEGIN IMMEDIATE", err, errlen, what) != 0)
            return -1;
        if (exec_sql(db, store_schema_migration(v), err, errlen, what) != 0 ||
            exec_sql(db, bump, err, errlen, what) != 0 ||
            exec_sql(db, "COMMIT", err, errlen, what) != 0) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}

/* The database holds notes, wrap-ups and the event log: it is created 0600 whatever the
 * umask, and a file of it that others may read is made 0600. SQLite gives its -wal and -shm
 * the database file's mode when it creates them. A path SQLite reads otherwise (":memory:",
 * a "file:" URI) is left to it. */
static void make_private(const char *path)
{
    if (!strcmp(path, ":memory:") || !strncmp(path, "file:", 5))
        return;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) {
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0077))
            fchmod(fd, 0600);
        close(fd);
    }
    static const char *const suffixes[] = {"-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char side[4200];
        struct stat st;
        snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
        if (stat(side, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0077))
            chmod(side, 0600);
    }
}

/* The first problem PRAGMA quick_check reports, or "" when it reports none. */
static int quick_check(sqlite3 *db, char *problem, size_t len)
{
    sqlite3_stmt *st;
    problem[0] = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK) {
        snprintf(problem, len, "%s", sqlite3_errmsg(db));
        return -1;
    }
    int rc = sqlite3_step(st);
    const unsigned char *t = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    if (rc != SQLITE_ROW)
        snprintf(problem, len, "%s", sqlite3_errmsg(db));
    else if (!t || strcmp((const char *)t, "ok") != 0)
        snprintf(problem, len, "%s", t ? (const char *)t : "no answer");
    sqlite3_finalize(st);
    return problem[0] ? -1 : 0;
}

/* The integer `sql` gives, `missing` when it gives none; *failed (with the reason in
 * `why`) when it cannot be read at all, e.g. its pages are damaged. */
static int64_t query_int(sqlite3 *db, const char *sql, int64_t missing, bool *failed, char *why, size_t len)
{
    sqlite3_stmt *st;
    int64_t v = missing;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
            v = sqlite3_column_int64(st, 0);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE && !*failed) {
        *failed = true;
        snprintf(why, len, "%s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return v;
}

/* Refuse a damaged database rather than serve it (quick_check: unless it runs later). */
static int verify(sqlite3 *db, const char *path, bool quick, char *err, size_t errlen)
{
    char problem[200];
    if (quick && quick_check(db, problem, sizeof problem) != 0) {
        snprintf(err, errlen, "%s: the database is damaged (quick_check: %s); %s", path, problem,
                 STORE_DAMAGED_HELP);
        return -1;
    }
    bool failed = false;
    int64_t high = query_int(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = '" STORE_META_SEQ_HIGH "'", -1,
                             &failed, problem, sizeof problem);
    int64_t last = query_int(db, "SELECT MAX(seq) FROM events", 0, &failed, problem, sizeof problem);
    if (failed) { /* a log that cannot be read is no evidence of missing events: it is damaged */
        snprintf(err, errlen, "%s: the database is damaged (reading the event log: %s); %s", path, problem,
                 STORE_DAMAGED_HELP);
        return -1;
    }
    if (high > last) {
        snprintf(err, errlen, "%s: the event log ends at seq %lld but seqs up to %lld were handed out "
                              "(events are missing, and their seqs would be given to other events); %s",
                 path, (long long)last, (long long)high, STORE_DAMAGED_HELP);
        return -1;
    }
    return 0;
}

static store *open_store(const char *path, bool quick, char *err, size_t errlen)
{
    if (!path || !*path) {
        snprintf(err, errlen, "no database path");
        return NULL;
    }
    if (strcmp(path, ":memory:") != 0 && make_parent_dirs(path) != 0) {
        snprintf(err, errlen, "%s: cannot create its directory: %s", path, strerror(errno));
        return NULL;
    }
    make_private(path);
    store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        store_close(s);
        return NULL;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    /* Not a WAL file system (or :memory:) is fine: journal_mode then stays what it can be. */
    if (exec_sql(s->db, "PRAGMA journal_mode = WAL", err, errlen, path) != 0 ||
        exec_sql(s->db, "PRAGMA synchronous = NORMAL", err, errlen, path) != 0 ||
        exec_sql(s->db, "PRAGMA foreign_keys = ON", err, errlen, path) != 0 ||
        migrate(s->db, path, err, errlen) != 0 || verify(s->db, path, quick, err, errlen) != 0) {
        store_close(s);
        return NULL;
    }
    for (int i = 0; i < STMT__COUNT; i++) {
        if (sqlite3_prepare_v3(s->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &s->stmt[i], NULL) != SQLITE_OK) {
            snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(s->db));
            store_close(s);
            return NULL;
        }
    }
    return s;
}

store *store_open(const char *path, char *err, size_t errlen)
{
    return open_store(path, true, err, errlen);
}

static void *check_later(void *arg)
{
    store *s = arg;
    char problem[200];
    /* The check reads the whole file, so it grows with history: at the lowest priority
     * (this thread only) it takes the CPU the serving thread leaves, and never delays the
     * start or a turn on a busy machine.
     * Refused (a seccomp filter, say), it runs at the normal priority, as it did before. */
    (void)setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
    if (quick_check(s->check_db, problem, sizeof problem) != 0 && !atomic_load(&s->closing)) {
        /* what store_open says, then out: a damaged file is not served on */
        fprintf(stderr, "%s: the database is damaged (quick_check: %s); %s\n", s->check_path, problem,
                STORE_DAMAGED_HELP);
        fflush(stderr);
        _exit(1);
    }
    return NULL;
}

store *store_open_for_serving(const char *path, char *err, size_t errlen)
{
    bool separate = path && strcmp(path, ":memory:") != 0 && strncmp(path, "file:", 5) != 0;
    store *s = open_store(path, !separate, err, errlen);
    if (!s || !separate)
        return s;
    snprintf(s->check_path, sizeof s->check_path, "%s", path);
    s->wal = store_wal_start(s->db, path);   /* NULL: SQLite's automatic checkpoint stays */
    if (sqlite3_open_v2(path, &s->check_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        pthread_create(&s->checker, NULL, check_later, s) != 0) {
        /* no second connection or thread: check now, as store_open does */
        sqlite3_close(s->check_db);
        s->check_db = NULL;
        char problem[200];
        if (quick_check(s->db, problem, sizeof problem) != 0) {
            snprintf(err, errlen, "%s: the database is damaged (quick_check: %s); %s", path, problem,
                     STORE_DAMAGED_HELP);
            store_close(s);
            return NULL;
        }
        return s;
    }
    s->checking = true;
    return s;
}

void store_close(store *s)
{
    if (!s)
        return;
    store_wal_stop(s->wal);
    if (s->checking) {
        atomic_store(&s->closing, true);
        sqlite3_interrupt(s->check_db);
        pthread_join(s->checker, NULL);
        s->checking = false;
    }
    sqlite3_close(s->check_db);
    for (int i = 0; i < STMT__COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    /* close_v2: if a module (the event log) still holds statements, the connection closes
     * once they are finalized instead of failing with SQLITE_BUSY and leaking. */
    if (s->db)
        sqlite3_close_v2(s->db);
    free(s);
}

sqlite3 *store_db(store *s)
{
    return s->db;
}

/* ---- users ---- */

static void copy_column(char *dst, size_t size, sqlite3_stmt *st, int col)
{
    /* cut on a code point, so a long display name stays valid UTF-8 */
    text_copy(dst, size, (const char *)sqlite3_column_text(st, col));
}

bool store_user_by_token(store *s, const char *token, store_user *out)
{
    if (!token || !*token)
        return false;
    char hash[65];
    store_token_hash(token, hash);
    sqlite3_stmt *st = s->stmt[STMT_USER_BY_TOKEN];
    sqlite3_bind_text(st, 1, hash, 64, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found && out) {
        copy_column(out->name, sizeof out->name, st, 0);
        copy_column(out->display_name, sizeof out->display_name, st, 1);
        out->role = store_role_parse((const char *)sqlite3_column_text(st, 2));
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}

int store_user_put(store *s, const char *name, const char *display_name, store_role role,
                   const char *token)
{
    if (!name || !*name || !token || !*token || role == ROLE_NONE)
        return -1;
    char hash[65];
    store_token_hash(token, hash);
    sqlite3_stmt *st = s->stmt[STMT_USER_PUT];
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, display_name && *display_name ? display_name : name, -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 3, store_role_name(role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, hash, 64, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- applied actions ---- */

bool store_action_seen(store *s, const char *user, const char *id)
{
    sqlite3_stmt *st = s->stmt[STMT_ACTION_SEEN];
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    bool seen = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return seen;
}

int store_action_remember(store *s, const char *user, const char *id, const char *type,
                          int64_t ts)
{
    sqlite3_stmt *st = s->stmt[STMT_ACTION_REMEMBER];
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, type ? type : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, ts);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- transactions ----
 * Both are idempotent so that the server's group commit and the event log share one
 * transaction on the one connection: store_begin() inside an open transaction and
 * store_commit() with none open are no-ops. eventlog_sqlite.c begins lazily on its first
 * put and its commit() ends the same transaction. */

int store_begin(store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        return 0;
    return step_once(s->stmt[STMT_BEGIN]) == SQLITE_DONE ? 0 : -1;
}

int store_commit(store *s)
{
    if (sqlite3_get_autocommit(s->db))
        return 0;
    if (step_once(s->stmt[STMT_COMMIT]) == SQLITE_DONE)
        return 0;
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}
