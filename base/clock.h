/* clock.h — the one clock of both programs. Monotonic time measures intervals and arms
 * timers; wall time stamps what a person or another machine reads (event ts, log lines). */
#ifndef AGENTDESK_BASE_CLOCK_H
#define AGENTDESK_BASE_CLOCK_H

#include <stdint.h>

int64_t clock_mono_us(void);
int64_t clock_mono_ms(void);
int64_t clock_wall_ms(void);   /* milliseconds since the Unix epoch */

#endif
