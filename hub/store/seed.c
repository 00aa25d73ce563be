/* seed.c — the demo data set, imported from data/ with the same validation as `import`. */
#include "hub/store/seed.h"
#include "hub/store/import.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const seed_kinds[] = { "users", "customers", "kb", "rules" };

static int remember_seed(sqlite3 *db, const char *summary)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT INTO meta(key, value) VALUES ('demo_seed', ?1)"
                               " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, summary, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int seed_demo(store *s, const char *data_dir, char *err, size_t errlen)
{
    sqlite3 *db = store_db(s);
    bool own = sqlite3_get_autocommit(db) != 0;
    if (sqlite3_exec(db, own ? "BEGIN IMMEDIATE" : "SAVEPOINT seed", NULL, NULL, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "seed: cannot start a transaction: %s", sqlite3_errmsg(db));
        return -1;
    }
    char summary[256] = "";
    size_t used = 0;
    int ok = 1;
    for (size_t i = 0; ok && i < sizeof seed_kinds / sizeof seed_kinds[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.json", data_dir, seed_kinds[i]);
        int n = import_file(s, seed_kinds[i], path, err, errlen);
        if (n < 0) {
            ok = 0;
            break;
        }
        int w = snprintf(summary + used, sizeof summary - used, "%s%s=%d", used ? " " : "",
                         seed_kinds[i], n);
        if (w > 0 && (size_t)w < sizeof summary - used)
            used += (size_t)w;
    }
    if (ok && remember_seed(db, summary) != 0) {
        snprintf(err, errlen, "seed: %s", sqlite3_errmsg(db));
        ok = 0;
    }
    if (ok && sqlite3_exec(db, own ? "COMMIT" : "RELEASE seed", NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    if (ok)
        snprintf(err, errlen, "seed: cannot commit: %s", sqlite3_errmsg(db));
    if (own) {
        if (!sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    } else {
        sqlite3_exec(db, "ROLLBACK TO seed; RELEASE seed", NULL, NULL, NULL);
    }
    return -1;
}
