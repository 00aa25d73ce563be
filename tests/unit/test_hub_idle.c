/* test_hub_idle.c — the hub's tick runs only while there is time-driven work (in process, on
 * real storage): pipeline_tick says how long until it has work again. Nothing live and
 * nothing awaiting wrap-up: no work (0), the hub's tick stops; a live call: each second
 * (silence checks); only an ended call awaiting wrap-up: not before its offer expires. */
#include "tests/unit/check.h"
#include "tests/lib/pipefix.h"

#include <stdio.h>
#include <string.h>

static void test_tick_only_with_work(void)
{
    pipefix f;
    if (!pipefix_open(&f, true)) {
        CHECK(!"pipefix_open");
        return;
    }
    CHECK_INT(pipeline_tick(f.p), 0);   /* an idle hub: no tick */
    CHECK_INT(pipefix_ingest(f.p, "{\"type\":\"start\",\"iid\":\"i-1\",\"channel\":\"voice\",\"queue\":\"billing\","
                          "\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}"), 0);
    pipefix_flush(&f);
    CHECK_INT(pipeline_tick(f.p), 1000);   /* a live call: silences are checked each second */
    CHECK_INT(pipefix_ingest(f.p, "{\"type\":\"end\",\"iid\":\"i-1\",\"reason\":\"hangup\"}"), 0);
    pipefix_flush(&f);
    /* ended, awaiting its wrap-up: the next work is when the offer expires, a day later */
    int64_t next = pipeline_tick(f.p);
    CHECK(next > 23 * 3600 * 1000LL && next <= 24 * 3600 * 1000LL);
    pipefix_close(&f);
}

int main(void)
{
    RUN(test_tick_only_with_work);
    return check_done("test_hub_idle");
}
