/* ingest.h — the connector endpoint (agentdesk.ingest.v1): hello with an ingest token, then
 * start / utterance / end (acked once durable; a retried id is applied once) or Amazon
 * Connect Contact Lens segment events, unchanged (hub/endpoints/contactlens.h). */
#ifndef AGENTDESK_HUB_ENDPOINTS_INGEST_H
#define AGENTDESK_HUB_ENDPOINTS_INGEST_H

#include "hub/net/server.h"

/* Registered by the composition with the hub as its context. */
extern const net_endpoint ingest_endpoint;

#endif
