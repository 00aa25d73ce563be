/* bus_reader.h — on a shared bus (`--bus`), the hub's connection that waits on the stream
 * for what other hubs append and hands it to the pipeline (eventlog_redis.h). */
#ifndef AGENTDESK_HUB_ENDPOINTS_BUS_READER_H
#define AGENTDESK_HUB_ENDPOINTS_BUS_READER_H

#include "hub/core/eventlog_redis.h"

struct hub;
/* Registers the connection on the hub's transport (it connects once the loop starts, and
 * again after a failure). 0 or -1. */
int bus_reader_start(struct hub *h, const bus_config *cfg);
/* At close, after the transport: the relay sessions and the reader. */
void bus_reader_free(struct hub *h);

#endif
