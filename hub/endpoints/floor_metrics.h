/* floor_metrics.h — the supervisor floor's holistic figures (docs/PROTOCOL.md,
 * "floor.metrics"): how customers fared over the last hour, in all, per queue and per agent,
 * computed from the database by report_data.h (the same figures `agentdesk-hub report`
 * prints for a period) and sent to every supervisor console that is live.
 *
 * floor.metrics is not durable: it is the figures now. A supervisor gets the latest after
 * its snapshot or resume replay (computed afresh when older than FLOOR_METRICS_EVERY_MS);
 * then, while any supervisor is signed in, every FLOOR_METRICS_EVERY_MS, and within
 * FLOOR_METRICS_SOON_MS of an interaction's end, but never sooner than FLOOR_METRICS_GAP_MS
 * after the last computation. A computation reads the log only of the interactions it has
 * not seen (all of the hour's the first time): later events reach it through
 * floor_metrics_note as they are committed, so its cost is that of the hour's interactions,
 * not of their events.
 * With no supervisor nothing is computed. */
#ifndef AGENTDESK_HUB_ENDPOINTS_FLOOR_METRICS_H
#define AGENTDESK_HUB_ENDPOINTS_FLOOR_METRICS_H

#include <stdint.h>
#include "hub/endpoints/session.h"

#define FLOOR_METRICS_WINDOW_MS (3600LL * 1000)
#define FLOOR_METRICS_EVERY_MS 15000
#define FLOOR_METRICS_SOON_MS 2000
#define FLOOR_METRICS_GAP_MS 5000
#define FLOOR_METRICS_MAX_ROWS 100   /* queues, and agents: the busiest, as the catalogue allows */

/* A console went live after its hello: a supervisor's gets the figures. */
void floor_metrics_hello(session *s);
/* A committed event: the figures' tallies follow it (from the first computation on). */
void floor_metrics_note(hub *h, const pipeline_entry *e);
/* An interaction ended in the turn being committed: the figures change soon. */
void floor_metrics_ended(hub *h);
/* From the hub's tick: compute and send when due. Milliseconds until it is due again, 0
 * while no supervisor is signed in (nothing to do until one is). */
int64_t floor_metrics_tick(hub *h);
void floor_metrics_free(hub *h);

#endif
