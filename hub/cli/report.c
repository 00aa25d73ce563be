/* report.c — `agentdesk-hub report --db FILE --since T [--until T] [--by queue|agent]
 * [--format table|csv|json]`: how customers fared over a period, per queue or agent, for
 * managers (the figures: report_data.h). The database is opened read-only, so a running hub
 * may keep writing it. Queue and agent names come from connectors: each is cleaned
 * (text_clean) before it is printed, so no control sequence in them reaches a terminal. */
#include "hub/cli/report.h"
#include "hub/store/report_data.h"
#include "base/clock.h"
#include "base/mem.h"
#include "base/text.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON } report_format;

typedef struct {
    const char *db, *since, *until;
    report_by by;
    report_format format;
} report_args;

static int usage(FILE *to, int rc)
{
    fprintf(to, "usage: agentdesk-hub report --db FILE --since T [--until T] [--by queue|agent]"
                " [--format table|csv|json]\n"
                "T: 2026-12-01, 2026-12-01T09:30[:00][Z|+01:00] (UTC unless an offset is given),"
                " or back from now: 90m, 1h, 7d, 2w\n");
    return rc;
}

/* 0, 1 after --help, or 2 (said on stderr). */
static int parse_args(int argc, char **argv, report_args *a)
{
    *a = (report_args){.by = REPORT_BY_QUEUE, .format = FORMAT_TABLE};
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--help"))
            return usage(stdout, 0), 1;
        if (!v) {
            fprintf(stderr, "agentdesk-hub report: unknown argument or missing value '%.100s'\n", o);
            return 2;
        }
        i++;
        if (!strcmp(o, "--db"))
            a->db = v;
        else if (!strcmp(o, "--since"))
            a->since = v;
        else if (!strcmp(o, "--until"))
            a->until = v;
        else if (!strcmp(o, "--by") && (!strcmp(v, "queue") || !strcmp(v, "agent")))
            a->by = v[0] == 'a' ? REPORT_BY_AGENT : REPORT_BY_QUEUE;
        else if (!strcmp(o, "--format") && !strcmp(v, "table"))
            a->format = FORMAT_TABLE;
        else if (!strcmp(o, "--format") && !strcmp(v, "csv"))
            a->format = FORMAT_CSV;
        else if (!strcmp(o, "--format") && !strcmp(v, "json"))
            a->format = FORMAT_JSON;
        else {
            fprintf(stderr, "agentdesk-hub report: bad argument '%.100s %.100s'\n", o, v);
            return 2;
        }
    }
    if (!a->db || !a->since) {
        fprintf(stderr, "agentdesk-hub report: --db and --since are required\n");
        return usage(stderr, 2);
    }
    return 0;
}

/* ---- figures as printed ------------------------------------------------------------------ */

typedef struct {
    char *name;                /* cleaned */
    const report_row *r;
} shown_row;

static double avg(double sum, long n)
{
    return n ? sum / (double)n : NAN;
}

/* "m:ss" or "h:mm:ss", "-" for none */
static void fmt_duration(double ms, char *out, size_t len)
{
    if (isnan(ms)) {
        snprintf(out, len, "-");
        return;
    }
    long long s = llround(ms / 1000);
    if (s >= 3600)
        snprintf(out, len, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, len, "%lld:%02lld", s / 60, s % 60);
}

static void fmt_share(long part, long of, char *out, size_t len)
{
    if (!of)
        snprintf(out, len, "-");
    else
        snprintf(out, len, "%.0f%%", 100.0 * (double)part / (double)of);
}

static void fmt_time(int64_t ms, char *out, size_t len)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* ---- table ------------------------------------------------------------------------------------ */

#define TABLE_COLS 8

static void table_cells(const shown_row *s, char cells[TABLE_COLS][48])
{
    const report_row *r = s->r;
    snprintf(cells[0], 48, "%ld", r->interactions);
    snprintf(cells[1], 48, "%ld", r->ended);
    fmt_duration(avg(r->handle_ms, r->ended), cells[2], 48);
    fmt_duration(avg(r->wait_ms, r->waited), cells[3], 48);
    if (r->scored)
        snprintf(cells[4], 48, "%+.2f", r->uplift / (double)r->scored);
    else
        snprintf(cells[4], 48, "-");
    fmt_share(r->negative, r->scored, cells[5], 48);
    snprintf(cells[6], 48, "%ld", r->repeats);
    fmt_share(r->repeats, r->with_customer, cells[7], 48);
}

static void print_table(const report_args *a, int64_t since, int64_t until, const shown_row *rows, size_t n)
{
    static const char *const heads[TABLE_COLS] = {"INTERACTIONS", "ENDED", "HANDLE", "WAIT", "UPLIFT",
                                                  "ENDING NEG", "REPEAT 7D", "REPEAT %"};
    const char *first = a->by == REPORT_BY_AGENT ? "AGENT" : "QUEUE";
    char from[40], to[40];
    fmt_time(since, from, sizeof from);
    fmt_time(until, to, sizeof to);
    printf("interactions started %s to %s, by %s\n", from, to, a->by == REPORT_BY_AGENT ? "agent" : "queue");
    int w0 = (int)strlen(first), w[TABLE_COLS];
    char cells[TABLE_COLS][48];
    for (int c = 0; c < TABLE_COLS; c++)
        w[c] = (int)strlen(heads[c]);
    for (size_t i = 0; i < n; i++) {
        int nw = text_width(rows[i].name, strlen(rows[i].name));
        w0 = nw > w0 ? nw : w0;
        table_cells(&rows[i], cells);
        for (int c = 0; c < TABLE_COLS; c++)
            w[c] = (int)strlen(cells[c]) > w[c] ? (int)strlen(cells[c]) : w[c];
    }
    printf("%-*s", w0, first);
    for (int c = 0; c < TABLE_COLS; c++)
        printf("  %*s", w[c], heads[c]);
    printf("\n");
    for (size_t i = 0; i < n; i++) {
        /* padded by display width: a name with wide characters keeps the columns straight */
        int nw = text_width(rows[i].name, strlen(rows[i].name));
        printf("%s%*s", rows[i].name, w0 - nw, "");
        table_cells(&rows[i], cells);
        for (int c = 0; c < TABLE_COLS; c++)
            printf("  %*s", w[c], cells[c]);
        printf("\n");
    }
}

/* ---- CSV (RFC 4180) ------------------------------------------------------------------------- */

/* A field quoted when it holds a comma, a quote, a line break or spaces at its ends; a quote
 * inside is doubled. */
static void csv_field(const char *s)
{
    size_t n = strlen(s);
    bool quote = strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static void csv_number(double v, const char *fmt)
{
    if (!isnan(v))
        printf(fmt, v);
}

static void print_csv(const report_args *a, const shown_row *rows, size_t n)
{
    printf("%s,interactions,ended,avg_handle_s,avg_wait_s,sentiment_uplift,ending_negative_share,"
           "repeat_7d,repeat_7d_share\n", a->by == REPORT_BY_AGENT ? "agent" : "queue");
    for (size_t i = 0; i < n; i++) {
        const report_row *r = rows[i].r;
        csv_field(rows[i].name);
        printf(",%ld,%ld,", r->interactions, r->ended);
        csv_number(avg(r->handle_ms, r->ended) / 1000, "%.3f");
        putchar(',');
        csv_number(avg(r->wait_ms, r->waited) / 1000, "%.3f");
        putchar(',');
        csv_number(avg(r->uplift, r->scored), "%.4f");
        putchar(',');
        csv_number(avg((double)r->negative, r->scored), "%.4f");
        printf(",%ld,", r->repeats);
        csv_number(avg((double)r->repeats, r->with_customer), "%.4f");
        putchar('\n');
    }
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static json_t *real_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

static json_t *json_row(const shown_row *s, const char *key_name)
{
    const report_row *r = s->r;
    json_t *o = json_object();
    if (key_name)
        json_object_set_new(o, key_name, json_string(s->name));
    json_object_set_new(o, "interactions", json_integer(r->interactions));
    json_object_set_new(o, "ended", json_integer(r->ended));
    json_object_set_new(o, "avg_handle_s", real_or_null(avg(r->handle_ms, r->ended) / 1000));
    json_object_set_new(o, "waited", json_integer(r->waited));
    json_object_set_new(o, "avg_wait_s", real_or_null(avg(r->wait_ms, r->waited) / 1000));
    json_object_set_new(o, "scored", json_integer(r->scored));
    json_object_set_new(o, "sentiment_uplift", real_or_null(avg(r->uplift, r->scored)));
    json_object_set_new(o, "ending_negative", json_integer(r->negative));
    json_object_set_new(o, "ending_negative_share", real_or_null(avg((double)r->negative, r->scored)));
    json_object_set_new(o, "with_customer", json_integer(r->with_customer));
    json_object_set_new(o, "repeat_7d", json_integer(r->repeats));
    json_object_set_new(o, "repeat_7d_share", real_or_null(avg((double)r->repeats, r->with_customer)));
    return o;
}

static void print_json(const report_args *a, int64_t since, int64_t until, const shown_row *rows, size_t n)
{
    const char *key = a->by == REPORT_BY_AGENT ? "agent" : "queue";
    json_t *groups = json_array();
    for (size_t i = 0; i + 1 < n; i++)
        json_array_append_new(groups, json_row(&rows[i], key));
    json_t *root = json_pack("{s:I, s:I, s:s, s:o, s:o}", "since_ms", (json_int_t)since, "until_ms",
                             (json_int_t)until, "by", key, "groups", groups, "total", json_row(&rows[n - 1], NULL));
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    if (text)
        printf("%s\n", text);
    free(text);
    json_decref(root);
}

/* ---- main ----------------------------------------------------------------------------------- */

int report_main(int argc, char **argv)
{
    report_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc == 1 ? 0 : rc;
    int64_t now = clock_wall_ms(), since, until = now;
    if (!report_parse_time(a.since, now, &since) || (a.until && !report_parse_time(a.until, now, &until))) {
        fprintf(stderr, "agentdesk-hub report: cannot read the time '%.100s'\n",
                report_parse_time(a.since, now, &since) ? a.until : a.since);
        return usage(stderr, 2);
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(a.db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "agentdesk-hub report: %s: %s\n", a.db, sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    sqlite3_busy_timeout(db, 5000);
    report r;
    char err[300];
    if (report_compute(db, since, until, a.by, &r, err, sizeof err) != 0) {
        fprintf(stderr, "agentdesk-hub report: %s: %s\n", a.db, err);
        sqlite3_close(db);
        return 1;
    }
    sqlite3_close(db);
    /* every group, then the total: names cleaned once, here */
    size_t n = r.n + 1;
    shown_row *rows = mem_zalloc(n, sizeof *rows);
    for (size_t i = 0; i < r.n; i++)
        rows[i] = (shown_row){text_clean(r.rows[i].key, strlen(r.rows[i].key), 0, NULL), &r.rows[i]};
    rows[r.n] = (shown_row){text_clean("all", 3, 0, NULL), &r.total};
    if (a.format == FORMAT_JSON)
        print_json(&a, since, until, rows, n);
    else if (a.format == FORMAT_CSV)
        print_csv(&a, rows, n);
    else
        print_table(&a, since, until, rows, n);
    for (size_t i = 0; i < n; i++)
        free(rows[i].name);
    free(rows);
    report_free(&r);
    return fflush(stdout) == 0 ? 0 : 1;
}
