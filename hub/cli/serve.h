/* serve.h — `agentdesk-hub` serving: the composition of the hub. */
#ifndef AGENTDESK_HUB_CLI_SERVE_H
#define AGENTDESK_HUB_CLI_SERVE_H

#include "hub/cli/hubcli.h"

/* Open the store, event log, assist stage, recorder and pipeline; register the endpoints
 * and routes with the transport; with --demo start the simulator; serve until SIGINT,
 * SIGTERM or SIGHUP. Returns the process exit status. */
int serve_run(hubcli_opts *o);

#endif
