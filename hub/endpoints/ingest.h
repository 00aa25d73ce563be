/* ingest.h — the connector endpoint (agentdesk.ingest.v1): hello with an ingest token, then
 * start / utterance / end (acked once durable; a retried id is applied once) or Amazon
 * Connect Contact Lens segment events, unchanged (hub/contactlens.h). */
#ifndef AGENTDESK_HUB_INGEST_H
#define AGENTDESK_HUB_INGEST_H

#include <stddef.h>

struct session;

/* One complete text frame from a connector. */
void ingest_handle(struct session *s, const char *msg, size_t len);

#endif
