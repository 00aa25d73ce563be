/* audit.c — the audit trail's table (see audit.h). */
#include "hub/store/audit.h"
#include "hub/assist/redact.h"
#include "base/clock.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int audit_record_at(store *st, int64_t ts_ms, const char *user, const char *action, const char *iid,
                    const char *detail)
{
    if (!st || !user || !action)
        return -1;
    char *safe = assist_redact_within(detail ? detail : "", REDACT_TAG, AUDIT_MAX_DETAIL);
    sqlite3_stmt *q;
    int rc = -1;
    if (sqlite3_prepare_v2(store_db(st),
                           "INSERT INTO audit(ts, user, action, iid, detail) VALUES(?1, ?2, ?3, ?4, ?5)", -1,
                           &q, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, ts_ms);
        sqlite3_bind_text(q, 2, user, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, action, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, iid ? iid : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, safe ? safe : "", -1, SQLITE_STATIC);
        rc = sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(q);
    free(safe);
    return rc;
}

int audit_record(store *st, const char *user, const char *action, const char *iid, const char *detail)
{
    return audit_record_at(st, clock_wall_ms(), user, action, iid, detail);
}

static const char *col(sqlite3_stmt *q, int i)
{
    const unsigned char *s = sqlite3_column_text(q, i);
    return s ? (const char *)s : "";
}

int64_t audit_scan(store *st, int64_t since_ms, void (*fn)(void *ctx, const audit_row *row), void *ctx)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(store_db(st),
                           "SELECT id, ts, user, action, iid, detail FROM audit WHERE ts >= ?1"
                           " ORDER BY ts, id",
                           -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(q, 1, since_ms);
    int64_t n = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        audit_row r = {.id = sqlite3_column_int64(q, 0), .ts_ms = sqlite3_column_int64(q, 1),
                       .user = col(q, 2), .action = col(q, 3), .iid = col(q, 4), .detail = col(q, 5)};
        fn(ctx, &r);
        n++;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? n : -1;
}

/* A stored string printed as one line of clean text (a database edited by hand may hold
 * anything). */
static void put_clean(FILE *out, const char *s, int width)
{
    char *c = text_clean(s, strlen(s), TEXT_SINGLE_LINE, NULL);
    fprintf(out, "%-*s", width, c ? c : "");
    free(c);
}

static void print_row(void *ctx, const audit_row *r)
{
    FILE *out = ctx;
    time_t secs = (time_t)(r->ts_ms / 1000);
    struct tm tm;
    char when[32];
    gmtime_r(&secs, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(out, "%-21s", when);
    put_clean(out, r->user, 16);
    fputc(' ', out);
    put_clean(out, r->action, 10);
    fputc(' ', out);
    put_clean(out, r->iid[0] ? r->iid : "-", 20);
    fputc(' ', out);
    put_clean(out, r->detail, 0);
    fputc('\n', out);
}

int64_t audit_print(store *st, int64_t since_ms, FILE *out)
{
    fprintf(out, "%-21s%-16s %-10s %-20s %s\n", "TIME", "USER", "ACTION", "INTERACTION", "DETAIL");
    return audit_scan(st, since_ms, print_row, out);
}
