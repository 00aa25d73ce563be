/* test_summary.c — extractive summaries: reason, actions, outcome, follow-ups, flags, used
 * suggestions, redaction of quoted sentences, disposition scoring, bounded log. */
#include "tests/unit/check.h"
#include "hub/assist/summary.h"
#include "proto/codec.h"

#include <stdlib.h>

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
    summary_log_used(log, "Duplicate charge refund");
    summary_log_used(log, "Duplicate charge refund");
    summary_log_flag(log, "complaint");
    json_t *body = summary_body(log, c, "I-1", "resolved", true);
    const char *txt = text_of(body);
    CHECK(strstr(txt, "Reason for contact: I've been charged twice for my March bill on card [CARD].") != NULL);
    CHECK(strstr(txt, "keywords: charged") != NULL);
    CHECK(strstr(txt, "What was done: I've refunded the second charge of 49.99 now.") != NULL);
    CHECK(strstr(txt, "Suggestions used: Duplicate charge refund.") != NULL);
    CHECK(strstr(txt, "Follow-ups: You'll see it within 5 working days") != NULL);
    CHECK(strstr(txt, "Flags: complaint") != NULL);
    CHECK(strstr(txt, "(ended: resolved)") != NULL);
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
    const char *kw = strstr(txt, "(keywords: ");
    CHECK(kw != NULL);
    CHECK(kw && strstr(kw, "pay") != NULL);
    /* a tag is not a keyword: "card" is said by the customer once outside the masks */
    CHECK(kw && strncmp(kw, "(keywords: card", 15) != 0);
    CHECK(strstr(txt, "[CARD]") != NULL);
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
    CHECK(strstr(text_of(body), "Reason for contact: not stated") != NULL);
    CHECK(strstr(text_of(body), "Follow-ups: none") != NULL);
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
    CHECK(strstr(text_of(body), "I've refunded it all.") != NULL);
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

int main(void)
{
    RUN(test_refund_call);
    RUN(test_card_said_twice);
    RUN(test_dispositions_table);
    RUN(test_empty_and_bounded);
    RUN(test_bad_dispositions);
    RUN(test_end_reason_cut_on_code_point);
    return check_done("test_summary");
}
