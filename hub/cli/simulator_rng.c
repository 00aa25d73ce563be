/* simulator_rng.c — splitmix64: tiny, fast, and good enough for picking scenarios and
 * pacing; never used for anything secret. */
#include "hub/cli/simulator_rng.h"

void simulator_rng_seed(simulator_rng *r, uint64_t seed)
{
    r->state = seed;
}

uint64_t simulator_rng_next(simulator_rng *r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int64_t simulator_rng_range(simulator_rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int64_t)(simulator_rng_next(r) % span);
}
