/* simulator.h — the demo's busy contact centre: plays the scripted calls and chats of
 * the DATA_DIR/scenarios/ files through the pipeline, concurrently and forever, on the hub's
 * own lws loop (one timer, no threads).
 *
 * Load varies: a target concurrency drifts between 3 and 12 over minutes and new
 * interactions start at random intervals while fewer are running. Agents are taken
 * round-robin from the agents of DATA_DIR/users.json (agent-1..agent-8 by default); the
 * first agent (agent-1, the demo console's login) gets the next start whenever it has no
 * live interaction. Voice lines arrive as partials growing word by word at speech pace,
 * then a final; chat lines arrive as one final after a typing delay.
 *
 * Choices come from two PRNG streams seeded with `seed`: the sequence of scenarios and
 * their partial chunking is reproducible exactly; load and agent choice depend on timing
 * as well. iids are "sim-<run>-<n>-<scenario>", <run> being the start time in base 36, so
 * a restarted hub never reuses an iid. A refused pipeline_ingest is logged and survived; an
 * interaction ended by someone else stops playing. */
#ifndef AGENTDESK_HUB_SIMULATOR_H
#define AGENTDESK_HUB_SIMULATOR_H

#include <stddef.h>
#include <libwebsockets.h>
#include "hub/core/pipeline.h"

typedef struct simulator simulator;

/* Load and validate every scenario (and check each customer_id against
 * DATA_DIR/customers.json when that file exists), end the "sim-" interactions a killed
 * hub left live (reason "abandoned"), then start playing on `ctx`.
 * Returns NULL with a message naming the file and the line index in `err` when any
 * scenario is invalid. The environment variable AGENTDESK_SIM_SPEED (a factor in
 * 0.1..100, default 1) speeds up the clock for tests and benchmarks. */
simulator *simulator_start(struct lws_context *ctx, pipeline *p, const char *data_dir,
                           unsigned seed, char *err, size_t errlen);

/* Cancel the timer and end every interaction still playing (reason "shutdown").
 * Call before destroying the pipeline or the lws context. NULL is a no-op. */
void simulator_stop(simulator *s);

#endif
