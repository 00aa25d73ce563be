/* test_strmap.c — the one string map: get/put/replace, lookups by length, and removal by
 * backward shift checked against a plain array model through many grows and removals (a wrong
 * shift loses keys that sit after the hole in a probe run). */
#include "tests/unit/check.h"
#include "base/strhash.h"
#include "base/strmap.h"

#include <stdio.h>
#include <stdlib.h>

static void test_put_get_replace(void)
{
    strmap *m = strmap_new();
    int a = 1, b = 2;
    CHECK(strmap_get(m, "x") == NULL);
    CHECK(strmap_put(m, "x", &a) == NULL);
    CHECK(strmap_get(m, "x") == &a);
    CHECK(strmap_put(m, "x", &b) == &a);
    CHECK(strmap_get(m, "x") == &b);
    CHECK_INT(strmap_count(m), 1);
    CHECK(strmap_getn(m, "xyz", 1) == &b);      /* "x" of "xyz" */
    CHECK(strmap_getn(m, "xyz", 2) == NULL);
    CHECK(strmap_remove(m, "x") == &b);
    CHECK(strmap_remove(m, "x") == NULL);
    CHECK_INT(strmap_count(m), 0);
    CHECK(strmap_get(NULL, "x") == NULL);
    CHECK_INT(strmap_count(NULL), 0);
    strmap_free(m);
    strmap_free(NULL);
}

enum { N = 20000 };
static char keys[N][16];

static void count_each(const char *key, void *value, void *ctx)
{
    (void)key;
    (void)value;
    (*(int *)ctx)++;
}

static void test_removal_keeps_every_other_key(void)
{
    strmap *m = strmap_new();
    char present[N] = { 0 };
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "iid-%d", i);
        strmap_put(m, keys[i], keys[i]);
        present[i] = 1;
    }
    /* remove a pseudo-random half, then check every key against the model */
    unsigned r = 12345;
    for (int k = 0; k < N; k++) {
        r = r * 1103515245u + 12345u;
        int i = (int)((r >> 8) % N);
        void *got = strmap_remove(m, keys[i]);
        CHECK(got == (present[i] ? keys[i] : NULL));
        present[i] = 0;
    }
    int live = 0, wrong = 0;
    for (int i = 0; i < N; i++) {
        live += present[i];
        wrong += strmap_get(m, keys[i]) != (present[i] ? keys[i] : NULL);
    }
    CHECK_INT(wrong, 0);
    CHECK_INT(strmap_count(m), live);
    int walked = 0;
    strmap_each(m, count_each, &walked);
    CHECK_INT(walked, live);
    strmap_free(m);
}

static void test_hash_is_stable(void)
{
    /* state file names and derived ids depend on these values */
    CHECK(strhash_fnv1a("") == 2166136261u);
    CHECK(strhash_fnv1a("a") == 0xe40c292cu);
    CHECK(strhash_fnv1a64(STRHASH64_SEED, "a", 1) == 0xaf63dc4c8601ec8cULL);
    uint64_t whole = strhash_fnv1a64(STRHASH64_SEED, "ab", 2);
    CHECK(strhash_fnv1a64(strhash_fnv1a64(STRHASH64_SEED, "a", 1), "b", 1) == whole);
}

int main(void)
{
    RUN(test_put_get_replace);
    RUN(test_removal_keeps_every_other_key);
    RUN(test_hash_is_stable);
    return check_done("test_strmap");
}
