/* http.h — the hub's HTTP routes, a table the composition registers with the hub as context:
 *   GET /healthz  {"status":"ok"|"degraded", "reason"?, hub_id, seq, live, connections,
 *                 assist, recordings}; HTTP 503 while commits fail (writes should go
 *                 elsewhere; reads are still served)
 *   GET /metrics  Prometheus text (hub/core/metrics.h)
 *   POST /v1/firehose  Amazon Data Firehose HTTP endpoint delivery (hub/endpoints/firehose.h) */
#ifndef AGENTDESK_HUB_ENDPOINTS_HTTP_H
#define AGENTDESK_HUB_ENDPOINTS_HTTP_H

#include "hub/net/server.h"

/* Ends with a row whose path is NULL. */
extern const net_route http_routes[];

#endif
