/* audit.h — the hub's audit trail: who did which supervisor action (open, whisper, barge,
 * leave, takeover, alert.ack) or revealed a masked value, on which interaction, and when.
 *
 * A row is written inside the caller's open transaction, so it commits with the action it
 * records (and a retried action id, applied once, is recorded once). `detail` says what
 * was done in words and ids (the agent a takeover went to, the alert acknowledged, the kind
 * of value revealed), never the content: it is redacted with tags before it is stored, so
 * personal data given by mistake is not kept in clear. */
#ifndef AGENTDESK_HUB_STORE_AUDIT_H
#define AGENTDESK_HUB_STORE_AUDIT_H

#include <stdint.h>
#include <stdio.h>
#include "hub/store/store.h"

/* The longest detail kept, in bytes (longer ones are cut on a character boundary). */
enum { AUDIT_MAX_DETAIL = 256 };

/* Record `action` by `user` on interaction `iid` ("" or NULL: none) now. 0 or -1. */
int audit_record(store *st, const char *user, const char *action, const char *iid, const char *detail);
/* The same at a given time (ms since the epoch): imports and tests. */
int audit_record_at(store *st, int64_t ts_ms, const char *user, const char *action, const char *iid,
                    const char *detail);

typedef struct {
    int64_t id, ts_ms;
    const char *user, *action, *iid, *detail;
} audit_row;

/* Call fn for each row with ts_ms >= since_ms, oldest first (id breaks ties). Returns the
 * number of rows, or -1 when the table cannot be read. fn's strings live until it returns. */
int64_t audit_scan(store *st, int64_t since_ms, void (*fn)(void *ctx, const audit_row *row), void *ctx);

/* The rows as `audit_scan` gives them, as a table: a header line, then one line a row:
 * time (UTC, ISO 8601 to the second), user, action, interaction ("-" for none), detail.
 * Returns the number of rows, or -1. */
int64_t audit_print(store *st, int64_t since_ms, FILE *out);

#endif
