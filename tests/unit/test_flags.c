/* test_flags.c — the flag rules of data/rules.json from tables of cases: each phrase/regex
 * rule fires exactly once, near misses do not fire, partials, speakers and channels, the
 * computed rules with their re-arming, rule loading (JSON, sqlite, errors), Luhn, and the
 * hostile text files. Runs from the repo root. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/assist/flags.h"
#include "hub/store/store_schema.h"
#include "tests/unit/check.h"
#include "base/text.h"

#define MAXH 16

static flag_rules *rules;

/* Hits of one customer final on a fresh state. */
static int fire(flag_state *st, const char *speaker, const char *text, bool final,
                int64_t at, double score, flag_hit *hits)
{
    return flags_state_utterance(st, speaker, text, final, at, score, hits, MAXH);
}

static int count_rule(const flag_hit *hits, int n, const char *rule)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += strcmp(hits[i].rule, rule) == 0;
    return c;
}

typedef struct {
    const char *rule, *kind, *text, *evidence;
    int severity;
    const char *speaker;
} fire_case;

static const fire_case cases[] = {
    {"escalation-request", "escalation", "I want to speak to a manager now.", "speak to a manager", 2, "customer"},
    {"escalation-request", "escalation", "Get me your SUPERVISOR", "SUPERVISOR", 2, "customer"},
    {"churn-cancel", "churn", "Just cancel my account.", "cancel my account", 2, "customer"},
    {"churn-cancel", "churn", "I'm going to cancel, honestly", "I'm going to cancel", 2, "customer"},
    {"legal-threat", "legal", "My lawyer will hear about this", "lawyer", 3, "customer"},
    {"legal-threat", "legal", "I'm going to the ombudsman", "ombudsman", 3, "customer"},
    {"legal-threat", "legal", "I will sue you", "sue you", 3, "customer"},
    {"complaint", "complaint", "I want to make a complaint", "make a complaint", 1, "customer"},
    {"profanity", "profanity", "this is total bullshit", "bullshit", 1, "customer"},
    {"abuse-at-agent", "abuse", "you're useless", "you're useless", 3, "customer"},
    {"vulnerable-bereavement", "vulnerable", "my husband passed away last month", "passed away", 3, "customer"},
    {"vulnerable-health", "vulnerable", "I'm in hospital at the moment", "in hospital", 3, "customer"},
    {"vulnerable-financial", "vulnerable", "I really can’t afford this bill", "can’t afford", 3, "customer"},
    {"fraud", "fraud", "I didn't make this purchase", "didn't make this purchase", 3, "customer"},
    {"fraud", "fraud", "someone used my card", "someone used my card", 3, "customer"},
    {"fraud-phishing", "fraud", "I clicked the link in the text", "clicked the link", 2, "customer"},
    {"payment-card", "pci", "it's 4111 1111 1111 1111", "card number ending 1111: 16 digits, Luhn valid", 3, "customer"},
    {"payment-card", "pci", "card 5500-0000-0000-0004 exp 12/27", "card number ending 0004: 16 digits, Luhn valid", 3, "customer"},
    {"payment-card", "pci", "378282246310005", "card number ending 0005: 15 digits, Luhn valid", 3, "customer"},
    {"payment-card", "pci", "four one one one, one one one one, one one one one, one one one one",
     "card number ending 1111: 16 digits, Luhn valid", 3, "customer"},
    {"payment-card", "pci", "it's five five double oh, triple oh 0, 0000 oh oh oh four",
     "card number ending 0004: 16 digits, Luhn valid", 3, "customer"},
    {"repeat-contact", "repeat_contact", "This is the third time I'm calling", "third time I'm calling", 2, "customer"},
    {"repeat-contact", "repeat_contact", "it's still not fixed", "still not fixed", 2, "customer"},
    {"agent-profanity", "abuse", "oh shut up", "shut up", 3, "agent"},
    {"churn-cancel", "churn", "I want to CANCEL -- my -- ACCOUNT!", "CANCEL -- my -- ACCOUNT", 2, "customer"},
    /* example phrasings: rephrasings no fixed phrase holds (the cases issue 12 reported) */
    {"escalation-request", "escalation", "Put me through to someone senior", "Put me through to someone senior", 2, "customer"},
    {"churn-cancel", "churn", "I'm going to Vodafone", "going to Vodafone", 2, "customer"},
    {"vulnerable-bereavement", "vulnerable", "recently widowed and struggling to cope", "recently widowed", 3, "customer"},
    {"distress-self-harm", "distress", "I don't see the point in anything any more",
     "see the point in anything any more", 3, "customer"},
    {"fraud", "fraud", "I didn't order anything", "didn't order", 3, "customer"},
    {"abuse-at-agent", "abuse", "are you thick or what", "thick", 3, "customer"},
};

/* the computed rules have their own tests below */
static const char *const computed_tested[] = {
    "sentiment-drop", "sustained-negative", "long-silence", "agent-talk-ratio", "recording-notice",
};

static void test_every_rule_has_cases(void)
{
    for (size_t i = 0; i < flags_rule_count(rules); i++) {
        const char *id = flags_rule_id(rules, i);
        bool covered = false;
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
            covered |= strcmp(cases[k].rule, id) == 0;
        for (size_t k = 0; k < sizeof computed_tested / sizeof computed_tested[0]; k++)
            covered |= strcmp(computed_tested[k], id) == 0;
        if (!covered)
            fprintf(stderr, "  rule %s has no test case\n", id);
        CHECK(covered);
        CHECK(flags_rule_kind(rules, i) != NULL);
    }
    CHECK(flags_rule_id(rules, flags_rule_count(rules)) == NULL);
}

static void test_each_rule_fires_once(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const fire_case *c = &cases[i];
        flag_state *st = flags_state_new(rules, "voice");
        flag_hit h[MAXH];
        const char *speaker = c->speaker;
        int n = fire(st, speaker, c->text, true, 5000, 0, h);
        int found = -1;
        for (int k = 0; k < n; k++)
            if (strcmp(h[k].rule, c->rule) == 0)
                found = k;
        if (found < 0)
            fprintf(stderr, "  \"%s\" did not fire %s (%d hits)\n", c->text, c->rule, n);
        CHECK(found >= 0);
        CHECK_INT(count_rule(h, n, c->rule), 1);
        if (found >= 0) {
            CHECK_STR(h[found].kind, c->kind);
            CHECK_INT(h[found].severity, c->severity);
            CHECK_STR(h[found].evidence, c->evidence);
            CHECK(h[found].reason[0] != 0);
        }
        /* the same words again, and again later: raised once */
        n = fire(st, speaker, c->text, true, 9000, 0, h);
        CHECK_INT(count_rule(h, n, c->rule), 0);
        n = fire(st, speaker, c->text, true, 60000, 0, h);
        CHECK_INT(count_rule(h, n, c->rule), 0);
        flags_state_free(st);
    }
}

static void test_near_misses(void)
{
    static const char *const quiet[] = {
        "I won't cancel",
        "I don't want to cancel my account",
        "no, I'm not going to cancel my subscription",
        "my account manager set this up",
        "I'm not going to sue anyone",
        "it's not fraud, I just forgot the purchase",
        "my order number is 4111 1111 1111 1112",          /* fails Luhn */
        "order 1234567890123",                              /* 13 digits, fails Luhn */
        "call me on 07700 900461",                          /* 11 digits */
        "the reference is 12345678901234567890123",         /* 23 digits: too long for a card */
        "the superb visor works fine",                      /* word boundary: not supervisor */
        "I passed a way to fix it",
        "scampi and chips",                                 /* scam inside a word */
        "the crapper", /* word boundary: crap inside a word */
        "four one one one one one one one one one one one one one one two",   /* spoken, fails Luhn */
        "the code is four eight two nine one six",                          /* 6 spoken digits */
        /* counter-examples veto a phrase; negated examples and near rephrasings stay quiet */
        "My friend who is a lawyer recommended you",
        "I want to cancel the engineer visit",
        "What's the point of this charge on my bill",
        "I won't be around on Tuesday for the engineer",
        "That offer is killer, sign me up",
        "My manager asked me to ring about the business account",
        "Nobody missed the payment, it went out on the first",   /* "nobody would miss me": not the speaker */
        "",
    };
    for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++) {
        flag_state *st = flags_state_new(rules, "voice");
        flag_hit h[MAXH];
        int n = fire(st, "customer", quiet[i], true, 5000, 0, h);
        if (n)
            fprintf(stderr, "  \"%s\" fired %s (%s)\n", quiet[i], h[0].rule, h[0].evidence);
        CHECK_INT(n, 0);
        flags_state_free(st);
    }
}

static void test_partials(void)
{
    flag_state *st = flags_state_new(rules, "voice");
    flag_hit h[MAXH];
    /* phrase rules wait for the final: growing partials do not fire twice */
    CHECK_INT(fire(st, "customer", "I want to speak to a", false, 1000, 0, h), 0);
    CHECK_INT(fire(st, "customer", "I want to speak to a manager", false, 1500, 0, h), 0);
    int n = fire(st, "customer", "I want to speak to a manager please", true, 2000, 0, h);
    CHECK_INT(count_rule(h, n, "escalation-request"), 1);
    /* the card rule does not wait, and the final with the same number stays quiet */
    n = fire(st, "customer", "the card is 4111 1111 1111 1111", false, 3000, 0, h);
    CHECK_INT(count_rule(h, n, "payment-card"), 1);
    for (int k = 0; k < n; k++)
        CHECK(strstr(h[k].evidence, "4111 1111") == NULL);   /* never the full number */
    n = fire(st, "customer", "the card is 4111 1111 1111 1111 expiry", false, 3500, 0, h);
    CHECK_INT(count_rule(h, n, "payment-card"), 0);
    n = fire(st, "customer", "the card is 4111 1111 1111 1111 expiry nine", true, 4000, 0, h);
    CHECK_INT(count_rule(h, n, "payment-card"), 0);
    /* a different card is a new condition */
    n = fire(st, "customer", "or use 5500 0000 0000 0004", true, 5000, 0, h);
    CHECK_INT(count_rule(h, n, "payment-card"), 1);
    /* a card read right after other digits is still found */
    flags_state_free(st);
    st = flags_state_new(rules, "voice");
    n = fire(st, "customer", "ref 12 4111 1111 1111 1111", true, 1000, 0, h);
    CHECK_INT(count_rule(h, n, "payment-card"), 1);
    flags_state_free(st);
}

static void test_speakers_and_channels(void)
{
    flag_state *st = flags_state_new(rules, "voice");
    flag_hit h[MAXH];
    /* customer-only rules ignore the agent */
    CHECK_INT(fire(st, "agent", "would you like to speak to a manager?", true, 1000, 0, h), 0);
    CHECK_INT(fire(st, "bot", "to cancel my account say cancel", true, 1500, 0, h), 0);
    /* the agent rule ignores the customer, fires for the agent */
    int n = fire(st, "customer", "oh shut up", true, 2000, 0, h);
    CHECK_INT(count_rule(h, n, "agent-profanity"), 0);
    n = fire(st, "agent", "oh shut up", true, 2500, 0, h);
    CHECK_INT(count_rule(h, n, "agent-profanity"), 1);
    /* "any": the card rule hears the agent too */
    n = fire(st, "agent", "so that's 4111111111111111?", true, 3000, 0, h);
    CHECK_INT(count_rule(h, n, "payment-card"), 1);
    flags_state_free(st);

    /* voice-only rules never fire on chat */
    st = flags_state_new(rules, "chat");
    CHECK_INT(flags_state_tick(st, 120000, h, MAXH), 0);
    flags_state_free(st);
}

static void test_sentiment_drop(void)
{
    flag_state *st = flags_state_new(rules, "chat");
    flag_hit h[MAXH];
    int total = 0, n;
    /* params: drop 0.6 within 3 customer finals, new score <= -0.3 */
    static const struct { double score; int hits; } steps[] = {
        {0.5, 0}, {0.4, 0}, {-0.5, 1},      /* 0.5 -> -0.5: fires */
        {-0.6, 0}, {-0.4, 0}, {-0.5, 0},    /* still low, no new drop: quiet, re-armed */
        {0.6, 0}, {-0.2, 0},                /* fall of 0.8 but not below -0.3 */
        {-0.7, 1},                          /* 0.6 -> -0.7: fires again */
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        n = fire(st, "customer", "ok", true, (int64_t)i * 1000, steps[i].score, h);
        int c = count_rule(h, n, "sentiment-drop");
        if (c != steps[i].hits)
            fprintf(stderr, "  step %zu (score %.1f): %d hits\n", i, steps[i].score, c);
        CHECK_INT(c, steps[i].hits);
        total += c;
    }
    CHECK_INT(total, 2);
    /* agent finals do not count */
    flags_state_free(st);
    st = flags_state_new(rules, "chat");
    fire(st, "customer", "ok", true, 0, 0.8, h);
    n = fire(st, "agent", "ok", true, 1000, -0.9, h);
    CHECK_INT(count_rule(h, n, "sentiment-drop"), 0);
    /* partials do not count */
    n = fire(st, "customer", "ok", false, 1500, -0.9, h);
    CHECK_INT(count_rule(h, n, "sentiment-drop"), 0);
    n = fire(st, "customer", "ok", true, 2000, -0.9, h);
    CHECK_INT(count_rule(h, n, "sentiment-drop"), 1);
    CHECK(strstr(h[0].evidence, "0.80 -> -0.90") != NULL);
    flags_state_free(st);
}

static void test_sustained_negative(void)
{
    flag_state *st = flags_state_new(rules, "chat");
    flag_hit h[MAXH];
    static const struct { double score; int hits; } steps[] = {
        {-0.3, 0}, {-0.4, 0}, {-0.5, 1}, {-0.6, 0}, {-0.7, 0},   /* once per run */
        {0.2, 0},                                               /* clears: re-armed */
        {-0.3, 0}, {0.0, 0}, {-0.3, 0}, {-0.3, 0}, {-0.3, 1},   /* neutral breaks the run */
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        int n = fire(st, "customer", "hmm", true, (int64_t)i * 1000, steps[i].score, h);
        CHECK_INT(count_rule(h, n, "sustained-negative"), steps[i].hits);
    }
    flags_state_free(st);
}

static void test_long_silence(void)
{
    flag_state *st = flags_state_new(rules, "voice");
    flag_hit h[MAXH];
    fire(st, "agent", "this call is recorded, how can I help", true, 1000, 0, h);
    CHECK_INT(flags_state_tick(st, 10000, h, MAXH), 0);
    CHECK_INT(flags_state_tick(st, 20999, h, MAXH), 0);
    int n = flags_state_tick(st, 21000, h, MAXH);
    CHECK_INT(count_rule(h, n, "long-silence"), 1);
    CHECK_STR(h[0].evidence, "no speech for 20 s");
    CHECK_INT(flags_state_tick(st, 25000, h, MAXH), 0);     /* same silence: once */
    CHECK_INT(flags_state_tick(st, 60000, h, MAXH), 0);
    fire(st, "customer", "sorry, I'm back", false, 61000, 0, h);   /* a partial is speech */
    CHECK_INT(flags_state_tick(st, 70000, h, MAXH), 0);
    n = flags_state_tick(st, 81000, h, MAXH);
    CHECK_INT(count_rule(h, n, "long-silence"), 1);
    flags_state_free(st);

    /* a wait the agent announced: silence is expected up to wait_seconds (120) */
    st = flags_state_new(rules, "voice");
    fire(st, "agent", "This call is recorded. Please bear with me while I check the line.", true,
         1000, 0, h);
    CHECK_INT(flags_state_tick(st, 60000, h, MAXH), 0);
    CHECK_INT(flags_state_tick(st, 120999, h, MAXH), 0);
    n = flags_state_tick(st, 121000, h, MAXH);
    CHECK_INT(count_rule(h, n, "long-silence"), 1);
    /* anyone speaking ends the announced wait: the next silence has the usual limit */
    fire(st, "customer", "hello, are you still there?", true, 130000, 0, h);
    n = flags_state_tick(st, 150000, h, MAXH);
    CHECK_INT(count_rule(h, n, "long-silence"), 1);
    flags_state_free(st);
}

static void test_talk_ratio(void)
{
    flag_state *st = flags_state_new(rules, "chat");
    flag_hit h[MAXH];
    const char *long_agent =
        "so what I will do now is check the account and then look at the line and after that "
        "I will book the engineer and send you a text with the details and the time slot and "
        "then you will get a call on the day from the engineer who will come out and test the "
        "line at the box and also inside the house and then we can see what happens next ok "
        "and if that does not work we will send a new router by post within three days";
    fire(st, "customer", "my internet is down", true, 1000, 0, h);
    int n = fire(st, "agent", long_agent, true, 2000, 0, h);
    CHECK_INT(count_rule(h, n, "agent-talk-ratio"), 1);
    CHECK(strstr(h[0].evidence, "agent 9") == h[0].evidence);
    n = fire(st, "agent", long_agent, true, 3000, 0, h);
    CHECK_INT(count_rule(h, n, "agent-talk-ratio"), 0);        /* once */
    /* the customer talks: ratio falls under rearm_ratio (1.5), then the agent again */
    n = fire(st, "customer", long_agent, true, 4000, 0, h);
    n = fire(st, "customer", long_agent, true, 5000, 0, h);
    CHECK_INT(count_rule(h, n, "agent-talk-ratio"), 0);
    /* outside the 120 s window the old words no longer count */
    n = fire(st, "agent", long_agent, true, 200000, 0, h);
    CHECK_INT(count_rule(h, n, "agent-talk-ratio"), 1);
    flags_state_free(st);
}

static void test_compliance_deadline(void)
{
    flag_state *st = flags_state_new(rules, "voice");
    flag_hit h[MAXH];
    fire(st, "agent", "Hello, this call is recorded for training purposes", true, 8000, 0, h);
    CHECK_INT(count_rule(h, flags_state_tick(st, 31000, h, MAXH), "recording-notice"), 0);
    flags_state_free(st);

    st = flags_state_new(rules, "voice");
    fire(st, "agent", "Hello, how can I help?", true, 3000, 0, h);
    CHECK_INT(count_rule(h, flags_state_tick(st, 29999, h, MAXH), "recording-notice"), 0);
    int n = flags_state_tick(st, 30000, h, MAXH);
    CHECK_INT(count_rule(h, n, "recording-notice"), 1);
    for (int k = 0; k < n; k++)
        if (strcmp(h[k].rule, "recording-notice") == 0)
            CHECK_STR(h[k].evidence, "\"this call is recorded\" not said within 30 s");
    CHECK_INT(count_rule(h, flags_state_tick(st, 31000, h, MAXH), "recording-notice"), 0);
    flags_state_free(st);

    /* said late, before any tick after the deadline: still late */
    st = flags_state_new(rules, "voice");
    n = fire(st, "agent", "calls are recorded", true, 45000, 0, h);
    CHECK_INT(count_rule(h, n, "recording-notice"), 1);
    flags_state_free(st);

    /* chat has no recording-notice rule */
    st = flags_state_new(rules, "chat");
    CHECK_INT(count_rule(h, flags_state_tick(st, 31000, h, MAXH), "recording-notice"), 0);
    flags_state_free(st);
}

static void test_max_hits(void)
{
    flag_state *st = flags_state_new(rules, "voice");
    flag_hit h[MAXH];
    const char *text = "I want to speak to a manager or I cancel my account and call my lawyer";
    int n = flags_state_utterance(st, "customer", text, true, 1000, 0, h, 1);
    CHECK_INT(n, 1);
    /* the ones that did not fit are not lost */
    n = flags_state_utterance(st, "customer", text, true, 2000, 0, h, MAXH);
    CHECK_INT(n, 2);
    n = flags_state_utterance(st, "customer", text, true, 3000, 0, h, MAXH);
    CHECK_INT(n, 0);
    flags_state_free(st);
}

static void test_luhn(void)
{
    static const struct { const char *s; bool ok; } cases[] = {
        {"4111111111111111", true}, {"4111 1111 1111 1111", true}, {"4111-1111-1111-1112", false},
        {"79927398713", true}, {"79927398710", false}, {"0", false}, {"", false}, {"00", true},
        {"378282246310005", true}, {"6011111111111117", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_INT(flags_luhn_ok(cases[i].s, strlen(cases[i].s)), cases[i].ok);
}

static void test_load_errors(void)
{
    static const struct { const char *json, *needle; } cases[] = {
        {"{", "expected a JSON array"},
        {"{}", "expected a JSON array"},
        {"[{\"id\":\"a\",\"kind\":\"k\",\"severity\":4,\"match\":\"phrase\",\"pattern\":\"x\",\"reason\":\"r\"}]", "severity"},
        {"[{\"id\":\"a\",\"kind\":\"k\",\"severity\":1,\"match\":\"regex\",\"pattern\":\"(\",\"reason\":\"r\"}]", "bad regex"},
        {"[{\"id\":\"a\",\"kind\":\"k\",\"severity\":1,\"match\":\"computed\",\"pattern\":\"moon_phase\",\"reason\":\"r\"}]", "unknown computed"},
        {"[{\"id\":\"a\",\"kind\":\"k\",\"severity\":1,\"match\":\"phrase\",\"pattern\":\"||\",\"reason\":\"r\"}]", "no phrase"},
        {"[{\"id\":\"a\",\"kind\":\"k\",\"severity\":1,\"match\":\"phrase\",\"pattern\":\"x\",\"reason\":\"r\",\"speaker\":\"dog\"}]", "speaker"},
        {"[{\"id\":\"a\",\"kind\":\"k\",\"severity\":1,\"match\":\"phrase\",\"pattern\":\"x\",\"reason\":\"r\"},"
         "{\"id\":\"a\",\"kind\":\"k\",\"severity\":1,\"match\":\"phrase\",\"pattern\":\"y\",\"reason\":\"r\"}]", "twice"},
        {"[{\"id\":\"a\",\"kind\":\"k\",\"severity\":1,\"match\":\"computed\",\"pattern\":\"compliance_deadline\",\"reason\":\"r\"}]", "params.phrases"},
        {"[{\"id\":\"a\",\"kind\":\"k\",\"severity\":1,\"match\":\"computed\",\"pattern\":\"talk_ratio\",\"params\":{\"ratio\":0.5},\"reason\":\"r\"}]", "out of range"},
        {"[{\"kind\":\"k\",\"severity\":1,\"match\":\"phrase\",\"pattern\":\"x\",\"reason\":\"r\"}]", "no id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        flag_rules *fr = flags_load_json(cases[i].json, err, sizeof err);
        CHECK(fr == NULL);
        if (!strstr(err, cases[i].needle))
            fprintf(stderr, "  case %zu: \"%s\" lacks \"%s\"\n", i, err, cases[i].needle);
        CHECK(strstr(err, cases[i].needle) != NULL);
        flags_free(fr);
    }
    char err[256];
    CHECK(flags_load(NULL, "/nonexistent-dir", err, sizeof err) == NULL);
    CHECK(strstr(err, "/nonexistent-dir/rules.json") != NULL);
}

static void test_load_sqlite(void)
{
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    for (int v = 1; v <= store_schema_version(); v++)
        CHECK_INT(sqlite3_exec(db, store_schema_migration(v), NULL, NULL, NULL), SQLITE_OK);
    char err[256];
    /* an empty table: rules.json */
    flag_rules *fr = flags_load(db, "data", err, sizeof err);
    CHECK(fr != NULL);
    CHECK_INT(flags_rule_count(fr), flags_rule_count(rules));
    flags_free(fr);
    CHECK_INT(sqlite3_exec(db,
        "INSERT INTO rules(id, kind, severity, match, pattern, params, reason, speaker) VALUES"
        " ('db-rule', 'escalation', 2, 'phrase', 'head office', '{\"negation_guard\":false}',"
        "  'Asks for head office', 'customer'),"
        " ('db-silence', 'silence', 1, 'computed', 'long_silence', '{\"seconds\":5}', 'Quiet', 'any')",
        NULL, NULL, NULL), SQLITE_OK);
    fr = flags_load(db, "data", err, sizeof err);
    CHECK(fr != NULL);
    CHECK_INT(flags_rule_count(fr), 2);
    flag_state *st = flags_state_new(fr, "chat");
    flag_hit h[MAXH];
    int n = flags_state_utterance(st, "customer", "put me through to HEAD OFFICE", true, 0, 0, h, MAXH);
    CHECK_INT(n, 1);
    CHECK_STR(h[0].rule, "db-rule");
    CHECK_STR(h[0].evidence, "HEAD OFFICE");   /* as said */
    CHECK_INT(flags_state_tick(st, 5000, h, MAXH), 1);
    flags_state_free(st);
    flags_free(fr);
    /* a broken row is an error, not a silent fallback */
    CHECK_INT(sqlite3_exec(db, "UPDATE rules SET params = 'nope' WHERE id = 'db-rule'", NULL, NULL,
                           NULL), SQLITE_OK);
    fr = flags_load(db, "data", err, sizeof err);
    CHECK(fr == NULL);
    CHECK(strstr(err, "db-rule") != NULL);
    sqlite3_close(db);
}

/* hostile text: no crash, and every phrase rule still fires at most once per interaction */
static void run_file(const char *path)
{
    static const char *const once[] = {
        "escalation-request", "churn-cancel", "legal-threat", "complaint", "profanity",
        "abuse-at-agent", "agent-profanity", "vulnerable-bereavement", "vulnerable-health",
        "vulnerable-financial", "fraud", "fraud-phishing", "repeat-contact", "recording-notice",
    };
    int fired[sizeof once / sizeof once[0]] = {0};
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    flag_state *st = flags_state_new(rules, "voice");
    char line[65536];
    int64_t at = 0;
    while (fgets(line, sizeof line, f)) {
        flag_hit h[MAXH];
        at += 500;
        int n = flags_state_utterance(st, (at / 500) % 2 ? "customer" : "agent", line, true, at,
                                      -0.5, h, MAXH);
        n += flags_state_tick(st, at, h + n, MAXH - n);
        for (int k = 0; k < n; k++) {
            CHECK(h[k].severity >= 1 && h[k].severity <= 3);
            CHECK(memchr(h[k].evidence, 0, sizeof h[k].evidence) != NULL);
            for (size_t r = 0; r < sizeof once / sizeof once[0]; r++)
                fired[r] += strcmp(h[k].rule, once[r]) == 0;
        }
    }
    for (size_t r = 0; r < sizeof once / sizeof once[0]; r++)
        CHECK(fired[r] <= 1);
    flags_state_free(st);
    fclose(f);
}

static void test_hostile_files(void)
{
    run_file("../shared/fixtures/blns.txt");
    run_file("../shared/fixtures/UTF-8-test.txt");
}

/* A regex match cut to fit its evidence is cut on a code point, so the flag stays valid. */
static void test_regex_evidence_cut_on_code_point(void)
{
    char err[256] = "";
    flag_rules *fr = flags_load_json("[{\"id\":\"long\",\"kind\":\"k\",\"severity\":1,\"match\":\"regex\","
                                     "\"pattern\":\"x[^ ]+\",\"reason\":\"r\"}]", err, sizeof err);
    CHECK(fr != NULL);
    if (!fr)
        return;
    flag_state *st = flags_state_new(fr, "voice");
    char text[300] = "x";
    for (int i = 0; i < 100; i++)
        strcat(text, "\xc3\xa9");
    flag_hit hits[4];
    int n = flags_state_utterance(st, "customer", text, true, 0, 0, hits, 4);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK(text_is_clean(hits[0].evidence, strlen(hits[0].evidence), TEXT_SINGLE_LINE));
        CHECK_INT(strlen(hits[0].evidence), 119);
    }
    flags_state_free(st);
    flags_free(fr);
}

int main(void)
{
    char err[256];
    rules = flags_load(NULL, "data", err, sizeof err);
    if (!rules)
        fprintf(stderr, "flags_load: %s\n", err);
    CHECK(rules != NULL);
    if (rules) {
        RUN(test_every_rule_has_cases);
        RUN(test_each_rule_fires_once);
        RUN(test_near_misses);
        RUN(test_partials);
        RUN(test_speakers_and_channels);
        RUN(test_sentiment_drop);
        RUN(test_sustained_negative);
        RUN(test_long_silence);
        RUN(test_talk_ratio);
        RUN(test_compliance_deadline);
        RUN(test_max_hits);
        RUN(test_load_sqlite);
        RUN(test_hostile_files);
    }
    RUN(test_luhn);
    RUN(test_regex_evidence_cut_on_code_point);
    RUN(test_load_errors);
    flags_free(rules);
    return check_done("test_flags");
}
