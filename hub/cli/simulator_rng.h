/* simulator_rng.h — the simulator's small seeded PRNG (splitmix64), so a demo run and
 * every test that plans a scenario are reproducible from one number. */
#ifndef AGENTDESK_HUB_SIMULATOR_RNG_H
#define AGENTDESK_HUB_SIMULATOR_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t state;
} simulator_rng;

void simulator_rng_seed(simulator_rng *r, uint64_t seed);
uint64_t simulator_rng_next(simulator_rng *r);
/* Uniform in [lo, hi] (inclusive); lo when hi <= lo. */
int64_t simulator_rng_range(simulator_rng *r, int64_t lo, int64_t hi);

#endif
