/* recmake.h — a recording made by the real hub, for the replay tests: start agentdesk-hub
 * (hubproc), play one scripted call through the ingest endpoint (partials then finals, a
 * phrase that raises a flag, a turn for the worse and a recovery, hostile text), end it,
 * stop the hub, and hand back the path of its JSONL recording. */
#ifndef AGENTDESK_TESTS_RECMAKE_H
#define AGENTDESK_TESTS_RECMAKE_H

#include "tests/lib/hubproc.h"

/* The recording's path (malloc'd) in h->records, or NULL with a message on stderr. The hub
 * is stopped; call hubproc_cleanup(h) when done with the file. */
char *recmake_call(hubproc *h, const char *iid);

#endif
