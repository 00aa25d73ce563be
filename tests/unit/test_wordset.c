/* test_wordset.c — the word filter phrase matching uses (hub/assist/wordset.h): it never
 * rules out a phrase the text holds (else a flag or a checklist tick would be lost), and
 * rules out most phrases it does not hold (else it saves nothing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/assist/flags_rules.h"
#include "hub/assist/wordset.h"
#include "tests/unit/check.h"

static bool holds(const char *norm, const char *phrase)
{
    wordset s;
    wordset_phrase p;
    wordset_fill(&s, norm);
    wordset_phrase_of(phrase, &p);
    return wordset_may_hold(&s, &p);
}

static void test_words(void)
{
    const char *text = " the card was charged twice and i want a refund ";
    CHECK(holds(text, " charged twice "));
    CHECK(holds(text, " refund "));
    CHECK(holds(text, " twice charged "));   /* order is strstr's business */
    CHECK(!holds(text, " cancel "));
    CHECK(!holds(text, " charged three times "));
    CHECK(!holds(text, " char "));            /* a word, not a piece of one */
    CHECK(!holds(" ", " refund "));
}

/* a phrase of more than WORDSET_PHRASE_WORDS words keeps its longest words */
static void test_long_phrase(void)
{
    wordset_phrase p;
    wordset_phrase_of(" a bb ccc dddd eeeee f ", &p);
    CHECK_INT(p.n, WORDSET_PHRASE_WORDS);
    CHECK(holds(" eeeee dddd ccc bb ", " a bb ccc dddd eeeee f "));
    CHECK(!holds(" a bb ccc dddd f ", " a bb ccc dddd eeeee f "));
}

static unsigned long long rng = 88172645463325252ULL;
static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

/* Random texts and phrases over one vocabulary: every phrase strstr finds passes the
 * filter, and of those it does not find with a word absent, almost all are ruled out. */
static void test_random(void)
{
    static const char *const vocab[] = {
        "card", "charged", "twice", "refund", "cancel", "lawyer", "account", "please", "not",
        "manager", "complaint", "my", "the", "you", "bill", "phone", "internet", "slow", "down",
        "again", "three", "days", "waiting", "on", "hold", "for", "an", "hour", "transfer", "me",
    };
    size_t nv = sizeof vocab / sizeof vocab[0];
    int found = 0, passed_found = 0, absent = 0, ruled_out = 0;
    for (int trial = 0; trial < 20000; trial++) {
        char text[1024] = " ", phrase[256] = " ";
        int tw = 1 + (int)(next_rand() % 60), pw = 1 + (int)(next_rand() % 3);
        for (int i = 0; i < tw; i++) {
            strcat(text, vocab[next_rand() % nv]);
            strcat(text, " ");
        }
        bool missing = false;
        for (int i = 0; i < pw; i++) {
            const char *w = vocab[next_rand() % nv];
            char framed[32];
            snprintf(framed, sizeof framed, " %s ", w);
            missing |= strstr(text, framed) == NULL;
            strcat(phrase, w);
            strcat(phrase, " ");
        }
        bool may = holds(text, phrase);
        if (strstr(text, phrase)) {
            found++;
            passed_found += may;
        } else if (missing) {
            absent++;
            ruled_out += !may;
        }
    }
    CHECK(found > 1000);
    CHECK_INT(passed_found, found);
    CHECK(absent > 1000);
    CHECK(ruled_out * 100 >= absent * 95);
}

/* A flag rule's phrases carry their words from loading on. */
static void test_rules_carry_words(void)
{
    char err[256];
    flag_rules *rules = flags_load(NULL, "data", err, sizeof err);
    CHECK(rules != NULL);
    if (!rules)
        return;
    int phrases = 0;
    for (size_t i = 0; i < rules->n; i++) {
        const flags_rule *r = &rules->rules[i];
        for (int k = 0; k < r->nphrases; k++, phrases++) {
            CHECK(r->phrase_words[k].n > 0);
            CHECK(holds(r->phrases[k], r->phrases[k]));
        }
    }
    CHECK(phrases > 20);
    flags_free(rules);
}

int main(void)
{
    RUN(test_words);
    RUN(test_long_phrase);
    RUN(test_random);
    RUN(test_rules_carry_words);
    return check_done("test_wordset");
}
