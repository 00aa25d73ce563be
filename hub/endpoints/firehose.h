/* firehose.h — Amazon Data Firehose HTTP endpoint delivery: POST /v1/firehose carries
 * Contact Lens real-time segment events from Amazon Connect (Connect -> Kinesis data stream
 * -> Firehose stream -> here), as Amazon specifies the request and response
 * (docs.aws.amazon.com/firehose/latest/dev/httpdeliveryrequestresponse.html):
 *
 *   request   headers X-Amz-Firehose-Request-Id, X-Amz-Firehose-Access-Key (the token of a
 *             user with role ingest), Content-Type application/json, Content-Encoding none,
 *             identity or gzip (inflated to at most --firehose-max-bytes);
 *             body {"requestId", "timestamp", "records": [{"data": base64}, ...]}; a record's
 *             data is one Contact Lens event (or Connect agent or contact event:
 *             connect_events.h), or several separated by newlines
 *   response  application/json {"requestId", "timestamp"} (+ "errorMessage" on failure):
 *             200  every event of the request is durable (answered after the turn's commit)
 *             400  not a Firehose request (not JSON, no records, data not base64, another
 *                  encoding, gzip that is not valid or inflates past --firehose-max-bytes)
 *             401  no access key or an unknown one; 403 a key whose user is not ingest
 *             413  body over --firehose-max-bytes (the rest is not read; the connection ends)
 *             (a body that has not arrived whole within --idle-timeout: the connection ends)
 *             503  storage degraded (commits failing): retried by Firehose, stored once back
 *             500  the turn could not be committed for another reason
 * A redelivered request (Firehose keeps the request id across attempts) is remembered by
 * (user, "firehose:" + request id) in the same transaction as its events, so it is applied
 * once and answered 200 again. An event that is not a Contact Lens event, does not parse,
 * or is refused by the adapter (unknown EventType, a bound passed, ...) is skipped, logged
 * with the request id and record number, and counted
 * (agentdesk_firehose_events_skipped_total): the request still succeeds, because Firehose
 * would retry a failed request whole for its retry duration and then put every record of it,
 * good ones too, in its S3 backup — a poisoned record must not hold up a contact. */
#ifndef AGENTDESK_HUB_ENDPOINTS_FIREHOSE_H
#define AGENTDESK_HUB_ENDPOINTS_FIREHOSE_H

#include <stdbool.h>
#include "hub/net/server.h"

enum {
    FIREHOSE_MAX_REQUEST_ID = 128,      /* bytes of a request id (Firehose's are GUIDs) */
    FIREHOSE_MAX_ACCESS_KEY = 4096      /* Firehose's own bound on the key */
};
#define FIREHOSE_DEFAULT_MAX_BYTES (16u * 1024u * 1024u)

/* The route's handlers (registered in http.c's table; ctx is the hub). */
void firehose_post(void *ctx, net_http *req, const char *body, size_t len, bool too_large);
void firehose_gone(void *ctx, net_http *req);
size_t firehose_max_body(void *ctx);
/* The data of a Firehose or Kinesis record: strict base64 (padded, no white space) decoded
 * into a NUL-terminated malloc'd buffer of *out_len bytes, or NULL when it is not base64. */
char *firehose_decode_data(const char *in, size_t in_len, size_t *out_len);
/* After each group commit (ctx is the hub): answer the requests of the turn. */
void firehose_committed(void *ctx, bool ok);

#endif
