/* test_phrasing.c — the example-phrasing model on its own: a rephrasing that keeps an
 * example's rare words scores high and one sharing only common words low, synonym classes,
 * negation both ways, counter-examples per rule, the matched span, and hostile input. */
#include <stdlib.h>
#include <string.h>

#include "hub/assist/flags.h"
#include "hub/assist/flags_rules.h"
#include "hub/assist/phrasing.h"
#include "tests/unit/check.h"

static phrasing *model;

static void add(size_t rule, bool counter, const char *text)
{
    char norm[512];
    flags_normalize(text, norm, sizeof norm);
    CHECK_INT(phrasing_add(model, rule, counter, norm), 0);
}

/* the best score of rule r for text, and its counter score */
static double score(const char *text, size_t r, double *counter, phrasing_hit *hit)
{
    char norm[2048];
    phrasing_hit best[3];
    double ctr[3];
    flags_normalize(text, norm, sizeof norm);
    phrasing_score(model, norm, best, ctr, 3);
    if (counter)
        *counter = ctr[r];
    if (hit)
        *hit = best[r];
    return best[r].score;
}

static void build(void)
{
    model = phrasing_new();
    CHECK_INT(phrasing_add_class(model, "senior", "supervisor"), 0);
    CHECK_INT(phrasing_add_class(model, "senior", "manager"), 0);
    CHECK_INT(phrasing_add_class(model, "competitor", "vodafone"), 0);
    /* rule 0: escalation; rule 1: churn; rule 2: distress */
    add(0, false, "can I speak to someone senior");
    add(0, false, "I want to speak to a {senior}");
    add(0, true, "my manager asked me to call");
    add(1, false, "I'm switching to {competitor}");
    add(1, false, "I want to cancel my contract");
    add(2, false, "I don't see the point any more");
    add(2, false, "nobody would miss me");
    phrasing_finish(model);
    CHECK_INT((long long)phrasing_count(model), 7);
}

static void test_rephrasing_and_classes(void)
{
    CHECK(score("Let me speak to your supervisor", 0, NULL, NULL) >= 0.6);   /* class */
    CHECK(score("I'm switching to Vodafone next week", 1, NULL, NULL) >= 0.6);
    CHECK(score("I want to pay my bill", 1, NULL, NULL) < 0.6);   /* only "want" shared */
    CHECK(score("hello there", 0, NULL, NULL) == 0);
}

static void test_negation_both_ways(void)
{
    double positive = score("I want to cancel my contract", 1, NULL, NULL);
    double negated = score("I don't want to cancel my contract", 1, NULL, NULL);
    CHECK(positive >= 0.99);
    CHECK(negated < 0.6);
    /* a negated example needs a negation: "I see the point" is not distress */
    CHECK(score("I can't see the point any more", 2, NULL, NULL) >= 0.6);
    CHECK(score("I see the point now", 2, NULL, NULL) < 0.6);
}

/* "no one" is a negator like "nobody"; an example about the speaker ("me") needs a speaker */
static void test_no_one_and_first_person(void)
{
    CHECK(score("no one would miss me", 2, NULL, NULL) >= 0.99);
    CHECK(score("I don't think anyone would miss me", 2, NULL, NULL) >= 0.6);
    CHECK(score("nobody missed the payment", 2, NULL, NULL) < 0.6);
    CHECK(score("nobody missed my payment", 2, NULL, NULL) >= 0.6);   /* first person: still heard */
    CHECK(score("no one will miss it", 2, NULL, NULL) < 0.6);
}

static void test_counter_examples_are_per_rule(void)
{
    double counter = 0;
    score("My manager asked me to call you", 0, &counter, NULL);
    CHECK(counter >= 0.9);
    score("My manager asked me to call you", 1, &counter, NULL);
    CHECK(counter == 0);
}

static void test_span(void)
{
    phrasing_hit hit;
    const char *text = "well honestly I'm switching to Vodafone, bye";
    char norm[256];
    flags_normalize(text, norm, sizeof norm);
    score(text, 1, NULL, &hit);
    CHECK(hit.example >= 0);
    CHECK(hit.to > hit.from);
    char span[64];
    snprintf(span, sizeof span, "%.*s", (int)(hit.to - hit.from), norm + hit.from);
    CHECK_STR(span, "switching to vodafone");
}

static void test_hostile_input(void)
{
    size_t n = 100000;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)("ab cd\xff\x01 "[i % 8]);
    big[n] = 0;
    score(big, 0, NULL, NULL);   /* bounded words, no crash */
    memset(big, 'x', n);         /* one huge word */
    score(big, 0, NULL, NULL);
    free(big);
    char norm[64];
    flags_normalize("the a to", norm, sizeof norm);
    CHECK_INT(phrasing_add(model, 0, false, norm), -1);   /* no content word */
    phrasing_score(NULL, " x ", NULL, NULL, 0);
}

int main(void)
{
    build();
    RUN(test_rephrasing_and_classes);
    RUN(test_negation_both_ways);
    RUN(test_no_one_and_first_person);
    RUN(test_counter_examples_are_per_rule);
    RUN(test_span);
    RUN(test_hostile_input);
    phrasing_free(model);
    return check_done("test_phrasing");
}
