/* report_data.h — how customers fared over a period, computed from a hub database: its
 * interactions table and its event log. `agentdesk-hub report` prints them (hub/cli/report.c)
 * and the supervisor's floor gets them live for the last hour (hub/endpoints/floor_metrics.c).
 *
 * The interactions of a period are those that started in it [since, until). Per group (queue
 * or agent) and in all:
 *   - interactions, and how many of them have ended;
 *   - handle time: ended_ms - started_ms, averaged over the ended ones;
 *   - waiting time: the offset_ms of the agent's first utterance (partial or final), the time
 *     from the interaction's start until the agent first spoke or wrote, averaged over the
 *     interactions where the agent did;
 *   - sentiment uplift: over the interactions with a scored customer final, the mean score
 *     (the `sentiment` event's score) of the customer's last two finals minus that of their
 *     first two (one final: the same one, uplift 0), averaged;
 *   - ending negative: of those, the share whose last customer final left the customer's
 *     smoothed sentiment (`level`, as the console shows it) negative or hostile;
 *   - repeat contacts: of the interactions with a customer_id, those of a customer who had
 *     another interaction that started within the 7 days before (a first-contact-resolution
 *     proxy: the earlier contact did not settle it), and their share. */
#ifndef AGENTDESK_HUB_STORE_REPORT_DATA_H
#define AGENTDESK_HUB_STORE_REPORT_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#define REPORT_REPEAT_WINDOW_MS (7LL * 24 * 3600 * 1000)

typedef enum { REPORT_BY_QUEUE, REPORT_BY_AGENT } report_by;

typedef struct {
    char *key;                 /* the queue or agent as stored: not cleaned ("" for the total) */
    long interactions, ended, waited, scored, negative, with_customer, repeats;
    double handle_ms, wait_ms, uplift;   /* sums over ended, waited, scored */
} report_row;

typedef struct {
    report_row *rows;          /* by key, in byte order */
    size_t n;
    report_row total;
} report;

/* The figures of the interactions started in [since_ms, until_ms). 0, or -1 with a message
 * in err (not a hub database, or a query failed). */
int report_compute(sqlite3 *db, int64_t since_ms, int64_t until_ms, report_by by, report *out,
                   char *err, size_t errlen);
/* The same grouped by queue and by agent at once, reading the log once (the floor's). */
int report_compute_both(sqlite3 *db, int64_t since_ms, int64_t until_ms, report *by_queue, report *by_agent,
                        char *err, size_t errlen);
void report_free(report *r);

/* ---- the floor's figures, kept current between computations ----
 * Reading every event of the hour at each computation made its cost grow with the hour's
 * events (1,000 calls of 90 lines: 0.4 s with the loop stalled). A report_tallies keeps, per
 * interaction of the period, what its events said so far; the serving thread notes each
 * committed event, and a computation reads from the log only the interactions it has not
 * seen yet (started before the hub, or before a supervisor was there). */
typedef struct report_tallies report_tallies;

typedef enum { REPORT_EV_OTHER, REPORT_EV_STARTED, REPORT_EV_UTTERANCE, REPORT_EV_SENTIMENT } report_ev_kind;

/* What one committed event says for the figures (strings borrowed for the call). An event
 * of a kind that counts whose fields are not known (kind OTHER with `unknown`) makes the
 * interaction be read from the log again at the next computation. */
typedef struct {
    report_ev_kind kind;
    bool unknown;
    int64_t seq;
    const char *speaker, *uid, *level;   /* NULL: absent */
    int64_t offset_ms;
    bool scored;
    double score;
} report_event;

report_tallies *report_tallies_new(void);
void report_tallies_free(report_tallies *t);   /* NULL is fine */
void report_tallies_note(report_tallies *t, const char *iid, const report_event *ev);
/* report_compute_both, with the interactions' events from `t` (read from the log and kept
 * there the first time an interaction is seen); interactions no longer in the period go.
 * t NULL: report_compute_both. */
int report_compute_tallied(sqlite3 *db, int64_t since_ms, int64_t until_ms, report_tallies *t,
                           report *by_queue, report *by_agent, char *err, size_t errlen);

/* A time as --since takes it, into ms since the epoch: a date "2026-12-01" (its midnight), a
 * date and time "2026-12-01T10:00", "...T10:00:30", with ' ' for 'T' too, in UTC unless it
 * ends with "Z" or an offset "+01:00" / "-0500"; or a span back from now_ms: a number and
 * s, m, h, d or w ("90m", "1h", "7d"). false when it is none of these. */
bool report_parse_time(const char *s, int64_t now_ms, int64_t *out);

#endif
