/* test_summary.c — structured summaries: reason in the third person, what was done,
 * follow-ups with their times, the customer's state at the end, outcome and disposition, used
 * suggestions only when sent mostly as shown, no PII, disposition scoring, bounded log; and
 * whole scenarios of data/scenarios read back as an experienced agent would write them. */
#include "tests/unit/check.h"
#include "hub/assist/summary.h"
#include "proto/codec.h"

#include <stdlib.h>
#include <string.h>

static bool valid(json_t *body)
{
    proto_event ev = proto_new(EV_SUMMARY);
    json_object_update(ev.body, body);
    proto_set_int(&ev, "seq", 1);
    proto_set_int(&ev, "ts", 1);
    proto_error err;
    char *frame = proto_encode(&ev, NULL, &err);
    if (!frame)
        fprintf(stderr, "  invalid summary: %s\n", err.message);
    free(frame);
    proto_free(&ev);
    return frame != NULL;
}

static summary_codes *codes(void)
{
    char err[256];
    summary_codes *c = summary_codes_load("data/dispositions.json", err, sizeof err);
    if (!c)
        fprintf(stderr, "%s\n", err);
    CHECK(c != NULL);
    return c;
}

typedef struct { bool customer; const char *text; } turn;

static summary_log *play(const turn *t, size_t n)
{
    summary_log *log = summary_log_new();
    for (size_t i = 0; i < n; i++)
        summary_log_final(log, t[i].customer, t[i].text);
    return log;
}

static const char *text_of(json_t *body) { return json_string_value(json_object_get(body, "text")); }
static const char *disp_of(json_t *body) { return json_string_value(json_object_get(body, "disposition")); }

static void test_refund_call(void)
{
    static const turn t[] = {
        {false, "Hello, this call is recorded. How can I help?"},
        {true, "Hi."},
        {true, "I've been charged twice for my March bill on card 4111 1111 1111 1111."},
        {false, "Let me look. I can see the duplicate charge."},
        {false, "I've refunded the second charge of 49.99 now."},
        {false, "You'll see it within 5 working days, and I'll email you a confirmation."},
        {true, "Great, thanks, that's sorted then."},
    };
    summary_codes *c = codes();
    summary_log *log = play(t, sizeof t / sizeof t[0]);
    summary_log_flag(log, "complaint");
    json_t *body = summary_body(log, c, "I-1", "resolved", true);
    const char *txt = text_of(body);
    CHECK(strstr(txt, "Reason: customer says they've been charged twice for their March bill on card [CARD]; they made a complaint.\n") != NULL);
    CHECK(strstr(txt, "keywords") == NULL);
    CHECK(strstr(txt, "Done: refunded the second charge of 49.99 now.\n") != NULL);
    CHECK(strstr(txt, "Follow-ups: they'll see it within 5 working days; "
                      "agent to email them a confirmation (no time given).\n") != NULL);
    CHECK(strstr(txt, "Customer at the end: not known.\n") != NULL);
    CHECK(strstr(txt, "Outcome: Refund issued (ended: resolved); suggested disposition REFUND_ISSUED.") != NULL);
    CHECK(strstr(txt, "Suggestions used") == NULL);   /* none was used */
    CHECK(strstr(txt, "4111") == NULL);
    CHECK_STR(disp_of(body), "REFUND_ISSUED");
    json_t *list = json_object_get(body, "codes");
    CHECK_INT(json_array_size(list), summary_codes_count(c));
    CHECK_STR(json_string_value(json_array_get(list, 0)), "REFUND_ISSUED");
    CHECK(json_is_true(json_object_get(body, "final")));
    CHECK(valid(body));
    json_decref(body);
    summary_log_free(log);
    summary_codes_free(c);
}

/* A card said twice, in the ways people say it: no digit group of it in the summary, and the
 * masks are no keywords either. */
static void test_card_said_twice(void)
{
    static const turn t[] = {
        {false, "Thanks for calling, how can I help?"},
        {true, "I want to pay my bill with my card, the number is 4539 1488 0343 6467."},
        {false, "Could you repeat the card number please?"},
        {true, "Yes, pay with card 4539-1488-0343-6467, that is 4539 1488 0343 6467 to pay."},
        {true, "Or 4539.1488.0343.6467 if you write it with dots, pay it now."},
        {false, "I've processed the payment."},
    };
    summary_codes *c = codes();
    summary_log *log = play(t, sizeof t / sizeof t[0]);
    json_t *body = summary_body(log, c, "I-4", "resolved", true);
    const char *txt = text_of(body);
    static const char *const groups[] = {"4539", "1488", "0343", "6467"};
    for (size_t g = 0; g < 4; g++)
        CHECK(strstr(txt, groups[g]) == NULL);
    CHECK(strstr(txt, "Reason: customer says they want to pay their bill with their card, the number is [CARD].") != NULL);
    CHECK(strstr(txt, "Done: processed the payment.") != NULL);
    CHECK(valid(body));
    json_decref(body);
    summary_log_free(log);
    summary_codes_free(c);
}

static void test_dispositions_table(void)
{
    static const struct { turn t[3]; const char *flag, *reason, *code; } cases[] = {
        {{{true, "Someone used my card, I didn't make this payment"}, {false, "I've blocked your card now."}, {true, "ok"}}, "fraud", NULL, "FRAUD_REPORTED"},
        {{{true, "I want to cancel my broadband"}, {false, "I've processed the cancellation, your account is closed."}, {true, "fine"}}, "churn", NULL, "CANCELLED"},
        {{{true, "I want to leave"}, {false, "I can offer a discount, I've applied the discount."}, {true, "Ok, I'll stay then."}}, NULL, NULL, "RETAINED"},
        {{{true, "The app is down"}, {false, "I'll call you back tomorrow when the team knows more."}, {true, "ok"}}, NULL, NULL, "CALLBACK"},
        {{{true, "I want a manager"}, {false, "I've escalated this to my supervisor."}, {true, "ok"}}, "escalation", NULL, "ESCALATED"},
        {{{true, "Wifi drops"}, {false, "Restart it"}, {true, "That fixed it, it works now."}}, NULL, "resolved", "RESOLVED"},
        {{{true, "Hello"}, {false, "Hi"}, {true, "Bye"}}, NULL, NULL, "INFO_ONLY"},
        {{{true, "I'd like faster broadband"}, {false, "That's ten pounds more on a new twenty four month contract."}, {true, "Great"}}, NULL, "resolved", "SALE"},
        {{{true, "I can't pay my bill"}, {false, "I can spread the 32 pounds over the next four months."}, {true, "Thank you"}}, NULL, "resolved", "PAYMENT_PLAN"},
        {{{true, "Where is my parcel?"}, {false, "I've opened a claim with the courier."}, {true, "ok"}}, NULL, "claim-opened", "CALLBACK"},
    };
    summary_codes *c = codes();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        summary_log *log = play(cases[i].t, 3);
        if (cases[i].flag)
            summary_log_flag(log, cases[i].flag);
        json_t *body = summary_body(log, c, "I-2", cases[i].reason, false);
        CHECK_STR(disp_of(body), cases[i].code);
        CHECK(json_is_false(json_object_get(body, "final")));
        CHECK(strstr(text_of(body), "(in progress)") != NULL);
        CHECK(valid(body));
        json_decref(body);
        summary_log_free(log);
    }
    summary_codes_free(c);
}

static void test_empty_and_bounded(void)
{
    summary_codes *c = codes();
    summary_log *log = summary_log_new();
    json_t *body = summary_body(log, c, "I-3", NULL, true);
    CHECK(strstr(text_of(body), "Reason: not stated.\nDone: no action recorded.\nFollow-ups: none.\n") != NULL);
    CHECK(valid(body));
    json_decref(body);
    /* far more lines than the log keeps, each longer than a line may be */
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    for (int i = 0; i < 5000; i++)
        summary_log_final(log, i % 2 == 0, i == 4999 ? "I've refunded it all." : big);
    body = summary_body(log, c, "I-3", "resolved", true);
    CHECK(strlen(text_of(body)) < 8192);
    CHECK(strstr(text_of(body), "Done: refunded it all.") != NULL);
    CHECK(valid(body));
    json_decref(body);
    summary_log_free(log);
    summary_codes_free(c);
}

static void test_bad_dispositions(void)
{
    static const char *const bad[] = {"{}", "[]", "[{\"label\":\"x\"}]", "[{\"code\":\"\",\"label\":\"x\"}]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *root = json_loads(bad[i], 0, NULL);
        char err[256] = "";
        CHECK(summary_codes_from_json(root, err, sizeof err) == NULL);
        CHECK(strstr(err, "dispositions.json") != NULL);
        json_decref(root);
    }
}

/* An end reason cut to fit the summary is cut on a code point: the text stays valid. */
static void test_end_reason_cut_on_code_point(void)
{
    summary_codes *c = codes();
    summary_log *log = summary_log_new();
    char reason[200];
    memset(reason, 'r', 119);
    strcpy(reason + 119, "\xc3\xa9\xc3\xa9 tail");
    json_t *body = summary_body(log, c, "I-4", reason, true);
    CHECK(valid(body));
    CHECK(text_of(body) && strstr(text_of(body), "rrr)") != NULL);
    json_decref(body);
    summary_log_free(log);
    summary_codes_free(c);
}

/* A suggestion counts as used only when what the agent sent is mostly that suggestion. */
static void test_used_only_when_sent(void)
{
    static const char shown[] = "I can see the two charges, Maria. I've refunded the second one.";
    summary_codes *c = codes();
    /* sent as shown, with a word changed: used */
    summary_log *log = summary_log_new();
    summary_log_final(log, true, "I was charged twice.");
    summary_log_used(log, "Duplicate charge refund", shown);
    summary_log_final(log, false, "I can see the two charges, Maria. I've refunded the second payment.");
    json_t *body = summary_body(log, c, "I-5", "resolved", true);
    CHECK(strstr(text_of(body), "\nSuggestions used: Duplicate charge refund.") != NULL);
    json_decref(body);
    summary_log_free(log);
    /* put in the line, then rewritten in the agent's own words: not used */
    log = summary_log_new();
    summary_log_final(log, true, "I was charged twice.");
    summary_log_used(log, "Duplicate charge refund", shown);
    summary_log_final(log, false, "Sorry about that, a refund for the extra payment is on its way to you.");
    body = summary_body(log, c, "I-5", "resolved", true);
    CHECK(strstr(text_of(body), "Suggestions used") == NULL);
    json_decref(body);
    /* said before it was used does not count either */
    summary_log_free(log);
    log = summary_log_new();
    summary_log_final(log, false, "I can see the two charges, Maria. I've refunded the second one.");
    summary_log_used(log, "Duplicate charge refund", shown);
    body = summary_body(log, c, "I-5", "resolved", true);
    CHECK(strstr(text_of(body), "Suggestions used") == NULL);
    json_decref(body);
    summary_log_free(log);
    summary_codes_free(c);
}

/* The actions and commitments the issue names, as agents say them. */
static void test_actions_and_commitments(void)
{
    static const turn t[] = {
        {true, "My broadband has been dead since Tuesday and I work from home."},
        {false, "I'm sorry. Your refund for the days without service has been issued."},
        {false, "I've booked an engineer for Thursday morning."},
        {false, "I'll call you back tomorrow before 12 to confirm the slot."},
        {false, "We'll send you a letter with the details."},
        {false, "I'll just check one thing."},
        {false, "We will never ask for your password."},
        {true, "Thanks, that's great."},
    };
    summary_codes *c = codes();
    summary_log *log = play(t, sizeof t / sizeof t[0]);
    json_t *body = summary_body(log, c, "I-8", "resolved", true);
    const char *txt = text_of(body);
    CHECK(strstr(txt, "Reason: customer says their broadband has been dead since Tuesday.\n") != NULL);
    CHECK(strstr(txt, "Done: their refund for the days without service has been issued; booked an engineer for Thursday morning.\n") != NULL);
    CHECK(strstr(txt, "Follow-ups: agent to call them back tomorrow before 12 to confirm the slot; "
                      "agent to send them a letter with the details (no time given).\n") != NULL);
    CHECK(strstr(txt, "check one thing") == NULL && strstr(txt, "password") == NULL);
    CHECK(valid(body));
    json_decref(body);
    summary_log_free(log);
    summary_codes_free(c);
}

/* The customer's state at the end from the sentiment of their finals. */
static void test_customer_state(void)
{
    summary_codes *c = codes();
    summary_log *log = summary_log_new();
    static const double scores[] = {-0.8, -0.7, -0.4, 0.1, 0.5, 0.6};
    for (size_t i = 0; i < 6; i++)
        summary_log_sentiment(log, scores[i]);
    json_t *body = summary_body(log, c, "I-6", NULL, false);
    CHECK(strstr(text_of(body), "Customer at the end: satisfied, calmer than at the start.\n") != NULL);
    json_decref(body);
    summary_log_free(log);
    log = summary_log_new();
    summary_log_sentiment(log, 0.2);
    summary_log_sentiment(log, -0.5);
    summary_log_sentiment(log, -0.7);
    body = summary_body(log, c, "I-6", NULL, false);
    CHECK(strstr(text_of(body), "Customer at the end: angry or very upset, more upset than at the start.\n") != NULL);
    json_decref(body);
    summary_log_free(log);
    summary_codes_free(c);
}

/* A scenario of data/scenarios (the demo's calls, written as real ones go), bot lines left
 * out as the hub's summary log leaves them; its summary text. */
static char *scenario_summary(const char *name, const char **disposition)
{
    char path[256];
    snprintf(path, sizeof path, "data/scenarios/%s.json", name);
    json_error_t e;
    json_t *root = json_load_file(path, 0, &e);
    CHECK(root != NULL);
    if (!root)
        return strdup("");
    summary_codes *c = codes();
    summary_log *log = summary_log_new();
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(root, "lines"), i, l) {
        const char *who = json_string_value(json_object_get(l, "speaker"));
        if (strcmp(who, "bot") != 0)
            summary_log_final(log, !strcmp(who, "customer"), json_string_value(json_object_get(l, "text")));
    }
    json_t *body = summary_body(log, c, "I-7", json_string_value(json_object_get(root, "end_reason")), true);
    CHECK(valid(body));
    char *txt = strdup(text_of(body));
    static char disp[64];
    snprintf(disp, sizeof disp, "%s", disp_of(body));
    *disposition = disp;
    json_decref(body);
    summary_log_free(log);
    summary_codes_free(c);
    json_decref(root);
    return txt;
}

static void test_scenarios(void)
{
    static const struct { const char *name, *want[4], *code; } cases[] = {
        {"angry-double-charge",
         {"Reason: customer says they've been charged twice this month.\n",
          "Done: processed a refund of forty five pounds to their card just now; added a ten pound credit for the trouble; put a note on the account.\n",
          "agent to email them the refund reference (no time given)",
          "agent to check next month's collection personally"},
         "REFUND_ISSUED"},
        /* the "no action recorded" after a free extender was sent */
        {"quick-thanks",
         {"Done: sent a mesh extender.\n",
          "it will arrive within 2 working days with a card showing how to set it up",
          "Reason: customer asks: also quick question, does their plan include the Wi-Fi extender or do they pay for it?", NULL},
         "RESOLVED"},
        /* the "none" when a letter was promised */
        {"bereavement-account",
         {"agent to send them a letter explaining the next steps (no time given)",
          "Reason: customer says they're calling because their husband passed away last month", NULL, NULL},
         "REFUND_ISSUED"},
        {"area-outage",
         {"they'll get that text as soon as it's fixed",
          "Reason: customer says their internet has been down since this morning.\n", NULL, NULL},
         "INFO_ONLY"},
        {"cant-afford-bill",
         {"Done: paused late fees on their account; spread the 32 pounds over the next four months.\n", NULL, NULL, NULL},
         "PAYMENT_PLAN"},
        {"missing-parcel",
         {"agent to send a replacement within 5 working days", NULL, NULL, NULL},
         "RESOLVED"},
        {"sim-swap-fraud", {"our team will call them tomorrow", NULL, NULL, NULL}, "FRAUD_REPORTED"},
        {"legal-threat",
         {"Done: flagged the account for our specialist team; paused any collection of the fee.\n", NULL, NULL, NULL},
         "ESCALATED"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *disp = NULL;
        char *txt = scenario_summary(cases[i].name, &disp);
        for (size_t w = 0; w < 4 && cases[i].want[w]; w++)
            if (!strstr(txt, cases[i].want[w])) {
                fprintf(stderr, "  %s: \"%s\" not in:\n%s\n", cases[i].name, cases[i].want[w], txt);
                CHECK(false);
            }
        CHECK_STR(disp, cases[i].code);
        /* no name, number or address of the scenario's customer reaches the summary */
        CHECK(strstr(txt, "Whitaker") == NULL && strstr(txt, "BS7") == NULL);
        free(txt);
    }
}

int main(void)
{
    RUN(test_refund_call);
    RUN(test_used_only_when_sent);
    RUN(test_actions_and_commitments);
    RUN(test_customer_state);
    RUN(test_scenarios);
    RUN(test_card_said_twice);
    RUN(test_dispositions_table);
    RUN(test_empty_and_bounded);
    RUN(test_bad_dispositions);
    RUN(test_end_reason_cut_on_code_point);
    return check_done("test_summary");
}
