/* check.h — the tiny unit-test harness shared by tests/unit and tests/screen.
 * Each test program defines test functions, lists them in main with RUN(fn),
 * and ends with `return check_done("name");`, which prints "name: N passed, N failed".
 * A test fails if any CHECK inside it fails; the message names file, line and expression. */
#ifndef AGENTDESK_CHECK_H
#define AGENTDESK_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed, check_current_failed;

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
    check_current_failed = 1; } } while (0)

#define CHECK_STR(a, b) do { const char *check_a_ = (a), *check_b_ = (b); \
    if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) { \
    fprintf(stderr, "  %s:%d: %s == %s failed:\n    got      \"%s\"\n    expected \"%s\"\n", \
            __FILE__, __LINE__, #a, #b, check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); \
    check_current_failed = 1; } } while (0)

#define CHECK_INT(a, b) do { long long check_a_ = (long long)(a), check_b_ = (long long)(b); \
    if (check_a_ != check_b_) { \
    fprintf(stderr, "  %s:%d: %s == %s failed: got %lld, expected %lld\n", \
            __FILE__, __LINE__, #a, #b, check_a_, check_b_); \
    check_current_failed = 1; } } while (0)

#define RUN(fn) do { check_current_failed = 0; fn(); \
    if (check_current_failed) { check_failed++; fprintf(stderr, "FAIL %s\n", #fn); } \
    else { check_passed++; } } while (0)

static inline int check_done(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
