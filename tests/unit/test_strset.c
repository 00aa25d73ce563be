/* test_strset.c — the string set behind per-interaction flag deduplication: membership,
 * growth past many resizes, and the per-call bound and forgetting in live.c. */
#include "tests/unit/check.h"
#include "hub/core/live.h"
#include "base/strset.h"

#include <stdio.h>

static void test_add_has_grow(void)
{
    strset *set = strset_new();
    CHECK_INT(strset_count(set), 0);
    CHECK(strset_add(set, "churn"));
    CHECK(!strset_add(set, "churn"));
    CHECK(strset_has(set, "churn"));
    CHECK(!strset_has(set, "angry"));
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        CHECK(strset_add(set, key));
    }
    CHECK_INT(strset_count(set), 5001);
    for (int i = 0; i < 5000; i += 499) {
        snprintf(key, sizeof key, "k%d", i);
        CHECK(strset_has(set, key));
        CHECK(!strset_add(set, key));
    }
    CHECK(!strset_has(set, "k5000"));
    CHECK_INT(strset_count(NULL), 0);
    CHECK(!strset_has(NULL, "x"));
    strset_free(set);
    strset_free(NULL);
}

static void test_live_call_flags(void)
{
    live *l = live_new();
    live_call *c = live_add(l, "I-1");
    CHECK(live_call_flag_once(c, "a", 2));
    CHECK(!live_call_flag_once(c, "a", 2));
    CHECK(live_call_flag_once(c, "b", 2));
    CHECK(!live_call_flag_once(c, "c", 2)); /* over the bound */
    live_call_forget_flags(c);
    CHECK(c->flagged == NULL);
    CHECK(live_call_flag_once(c, "a", 2)); /* forgotten: a new interaction state */
    live_free(l, NULL);                    /* and freed with the call (ASan checks) */
}

int main(void)
{
    RUN(test_add_has_grow);
    RUN(test_live_call_flags);
    return check_done("test_strset");
}
