/* audit_cmd.c — `agentdesk-hub audit` (see audit_cmd.h). */
#include "hub/cli/audit_cmd.h"
#include "hub/store/audit.h"
#include "hub/store/store.h"
#include "base/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

bool audit_parse_since(const char *s, int64_t now_ms, int64_t *out_ms)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 32)
        return false;
    if (all_digits(s, n)) {
        *out_ms = strtoll(s, NULL, 10);
        return true;
    }
    static const struct { char unit; int64_t ms; } units[] = {
        {'s', 1000}, {'m', 60 * 1000}, {'h', 3600 * 1000}, {'d', 86400 * 1000LL}};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
        if (s[n - 1] == units[u].unit && all_digits(s, n - 1) && n - 1 <= 9) {
            *out_ms = now_ms - strtoll(s, NULL, 10) * units[u].ms;
            return true;
        }
    struct tm tm = {0};
    int y, mo, d, h = 0, mi = 0, sec = 0, used = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10)
        return false;
    const char *rest = s + used;
    if (*rest == 'T' || *rest == ' ') {
        int more = 0;
        if (sscanf(rest + 1, "%2d:%2d%n", &h, &mi, &more) != 2 || more != 5)
            return false;
        rest += 1 + more;
        if (*rest == ':') {
            if (sscanf(rest + 1, "%2d%n", &sec, &more) != 1 || more != 2)
                return false;
            rest += 1 + more;
        }
    }
    if (*rest == 'Z')
        rest++;
    if (*rest || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    *out_ms = (int64_t)timegm(&tm) * 1000;
    return true;
}

static int usage(FILE *out)
{
    fputs("usage: agentdesk-hub audit [--db FILE] [--since T]\n"
          "  Lists the audit trail, oldest first: who opened, whispered, barged, left, took over,\n"
          "  acknowledged or revealed what, and when (UTC).\n"
          "  T: 2026-12-04, 2026-12-04T15:00[:SS][Z] (UTC), 90m / 2h / 7d back from now, or ms since the epoch\n",
          out);
    return out == stdout ? 0 : 2;
}

int audit_main(int argc, char **argv)
{
    const char *db = NULL, *since = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(stdout);
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--since") == 0 && i + 1 < argc)
            since = argv[++i];
        else
            return usage(stderr);
    }
    int64_t since_ms = 0;
    if (since && !audit_parse_since(since, clock_wall_ms(), &since_ms)) {
        fprintf(stderr, "agentdesk-hub audit: --since: not a time: \"%.64s\"\n", since);
        return 2;
    }
    char *default_db = db ? NULL : store_default_path();
    char err[1024] = "no database path";
    store *st = db || default_db ? store_open(db ? db : default_db, err, sizeof err) : NULL;
    free(default_db);
    if (!st) {
        fprintf(stderr, "agentdesk-hub audit: %s\n", err);
        return 1;
    }
    int64_t n = audit_print(st, since_ms, stdout);
    store_close(st);
    if (n < 0) {
        fputs("agentdesk-hub audit: the audit table cannot be read\n", stderr);
        return 1;
    }
    return 0;
}
