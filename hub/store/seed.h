/* seed.h — fill a database with the demo data set (agentdesk-hub --demo). */
#ifndef AGENTDESK_HUB_SEED_H
#define AGENTDESK_HUB_SEED_H

#include <stddef.h>

#include "hub/store/store.h"

/* Import DATA_DIR/users.json, customers.json, kb.json and rules.json (in that order) in one
 * transaction: all four or nothing. Every file must exist. Re-seeding upserts, so it is
 * safe on a database seeded before. Records the seed in meta ("demo_seed"). 0, or -1 with a
 * message naming the file and record. */
int seed_demo(store *s, const char *data_dir, char *err, size_t errlen);

#endif
