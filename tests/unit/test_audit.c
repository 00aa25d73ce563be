/* test_audit.c — the audit trail: rows written with audit_record, listed by audit_print and
 * by `agentdesk-hub audit --since T` against a known database, details redacted, and the
 * forms --since takes. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "hub/cli/audit_cmd.h"
#include "hub/store/audit.h"
#include "hub/store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2026-12-04T10:00:00Z and later times that day */
#define T10 1796378400000LL
#define MIN 60000LL

static const char *const expected_after_1030 =
    "TIME                 USER             ACTION     INTERACTION          DETAIL\n"
    "2026-12-04T10:31:00Z supervisor       barge      I-2                  agent agent-2\n"
    "2026-12-04T11:00:00Z supervisor       takeover   I-2                  to agent-3\n"
    "2026-12-04T11:05:00Z boss             alert.ack  I-1                  alert 57\n";

/* The known database: five actions of two supervisors between 10:00 and 11:05. */
static store *known_db(const char *path)
{
    char err[256];
    remove(path);
    store *st = store_open(path, err, sizeof err);
    CHECK(st != NULL);
    if (!st)
        return NULL;
    CHECK_INT(audit_record_at(st, T10, "supervisor", "open", "I-1", "agent agent-1"), 0);
    CHECK_INT(audit_record_at(st, T10 + 5 * MIN, "supervisor", "whisper", "I-1", "to agent-1"), 0);
    CHECK_INT(audit_record_at(st, T10 + 31 * MIN, "supervisor", "barge", "I-2", "agent agent-2"), 0);
    CHECK_INT(audit_record_at(st, T10 + 65 * MIN, "boss", "alert.ack", "I-1", "alert 57"), 0);
    CHECK_INT(audit_record_at(st, T10 + 60 * MIN, "supervisor", "takeover", "I-2", "to agent-3"), 0);
    return st;
}

static char *printed(store *st, int64_t since, int64_t *rows)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    *rows = audit_print(st, since, out);
    fclose(out);
    return text;
}

static void test_print_since(void)
{
    store *st = known_db("/tmp/agentdesk-test-audit.db");
    if (!st)
        return;
    int64_t rows;
    char *all = printed(st, 0, &rows);
    CHECK_INT(rows, 5);
    CHECK(strstr(all, "2026-12-04T10:00:00Z supervisor       open       I-1                  agent agent-1\n"));
    free(all);
    char *text = printed(st, T10 + 30 * MIN, &rows);
    CHECK_INT(rows, 3);
    CHECK_STR(text, expected_after_1030); /* oldest first, whatever the order written */
    free(text);
    text = printed(st, T10 + 66 * MIN, &rows);
    CHECK_INT(rows, 0);
    free(text);
    store_close(st);
    remove("/tmp/agentdesk-test-audit.db");
}

typedef struct {
    char detail[AUDIT_MAX_DETAIL * 2];
} last_detail;

static void keep_detail(void *ctx, const audit_row *r)
{
    snprintf(((last_detail *)ctx)->detail, sizeof ((last_detail *)ctx)->detail, "%s", r->detail);
}

/* A detail holding personal data by mistake is stored with tags, never in clear. */
static void test_detail_redacted(void)
{
    char err[256];
    store *st = store_open(":memory:", err, sizeof err);
    CHECK(st != NULL);
    if (!st)
        return;
    CHECK_INT(audit_record(st, "supervisor", "reveal", "I-9", "card 4539 1488 0343 6467 for maria@example.com"), 0);
    last_detail d = {{0}};
    CHECK_INT(audit_scan(st, 0, keep_detail, &d), 1);
    CHECK(strstr(d.detail, "4539") == NULL);
    CHECK(strstr(d.detail, "maria@example.com") == NULL);
    CHECK(strstr(d.detail, "[CARD]") != NULL);
    CHECK(strstr(d.detail, "[EMAIL]") != NULL);
    CHECK_INT(audit_record(st, "x", NULL, "", ""), -1);
    store_close(st);
}

static void test_parse_since(void)
{
    int64_t ms = 0, now = T10 + 12 * 3600 * 1000LL;
    CHECK(audit_parse_since("2026-12-04", now, &ms));
    CHECK_INT(ms, T10 - 10 * 3600 * 1000LL);
    CHECK(audit_parse_since("2026-12-04T10:00", now, &ms));
    CHECK_INT(ms, T10);
    CHECK(audit_parse_since("2026-12-04T10:30:15Z", now, &ms));
    CHECK_INT(ms, T10 + 30 * MIN + 15000);
    CHECK(audit_parse_since("90m", now, &ms));
    CHECK_INT(ms, now - 90 * MIN);
    CHECK(audit_parse_since("2h", now, &ms));
    CHECK_INT(ms, now - 120 * MIN);
    CHECK(audit_parse_since("7d", now, &ms));
    CHECK_INT(ms, now - 7 * 86400000LL);
    CHECK(audit_parse_since("1796378400000", now, &ms));
    CHECK_INT(ms, T10);
    const char *bad[] = {"", "yesterday", "2026-13-01", "2026-12-04T25:00", "2026-12-4", "h", "-5m",
                         "2026-12-04T10:00+01:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (audit_parse_since(bad[i], now, &ms))
            fprintf(stderr, "  accepted \"%s\"\n", bad[i]);
        CHECK(!audit_parse_since(bad[i], now, &ms));
    }
}

static char *run(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    char *text = calloc(1, 8192);
    size_t n = fread(text, 1, 8191, p);
    text[n] = 0;
    *status = pclose(p);
    return text;
}

/* The command line against the known database, as a manager would run it. */
static void test_command(void)
{
    hubproc h;
    CHECK_INT(hubproc_setup(&h), 0);
    store *st = known_db(h.db);
    if (!st) {
        hubproc_cleanup(&h);
        return;
    }
    store_close(st);
    char cmd[2048];
    int status = -1;
    snprintf(cmd, sizeof cmd, "%s audit --db %s --since 2026-12-04T10:30Z", h.bin, h.db);
    char *out = run(cmd, &status);
    CHECK_INT(status, 0);
    CHECK_STR(out, expected_after_1030);
    free(out);
    snprintf(cmd, sizeof cmd, "%s audit --db %s --since soon 2>&1", h.bin, h.db);
    out = run(cmd, &status);
    CHECK(status != 0);
    CHECK(out && strstr(out, "--since: not a time"));
    free(out);
    hubproc_cleanup(&h);
}

int main(void)
{
    RUN(test_print_since);
    RUN(test_detail_redacted);
    RUN(test_parse_since);
    RUN(test_command);
    return check_done("test_audit");
}
