/* test_handover.c — the bot-to-person handover card: drafted from the demo's bot scenario
 * (what the customer wants, the bot's question with the customer's answer, what it said,
 * why it handed over, the mood), ready once; a card without a handover sentence when a
 * person simply takes over; no card without a bot; bounded on hostile input. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hub/assist/handover.h"
#include "tests/unit/check.h"

static json_t *scenario_lines(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "data/scenarios/%s.json", name);
    json_t *root = json_load_file(path, 0, NULL);
    CHECK(root != NULL);
    return root;
}

static void test_demo_bot_handover(void)
{
    json_t *root = scenario_lines("bot-handover-delivery");
    json_t *lines = json_object_get(root, "lines"), *l;
    size_t i;
    handover *h = handover_new();
    int ready = 0;
    size_t ready_at = 0;
    json_array_foreach(lines, i, l) {
        if (handover_final(h, json_string_value(json_object_get(l, "speaker")),
                           json_string_value(json_object_get(l, "text")), 0.0)) {
            ready++;
            ready_at = i;
        }
    }
    CHECK_INT(ready, 1);
    CHECK_INT(ready_at, 4);   /* the bot's "I'm passing you to a member of our delivery team" */
    json_t *body = handover_body(h, "I-1");
    CHECK_STR(json_string_value(json_object_get(body, "wants")), "where is my order");
    json_t *done = json_object_get(body, "done");
    CHECK_INT((long long)json_array_size(done), 2);
    CHECK_STR(json_string_value(json_array_get(done, 0)),
              "asked: Could you tell me your order number? → #89214");
    CHECK_STR(json_string_value(json_array_get(done, 1)),
              "said: Your order #89214 was dispatched on 16 November.");
    CHECK(strstr(json_string_value(json_object_get(body, "reason")), "passing you to a member") != NULL);
    CHECK_STR(json_string_value(json_object_get(body, "mood")), "neutral");
    CHECK_INT(json_integer_value(json_object_get(body, "turns")), 6);   /* the whole bot part */
    json_decref(body);
    handover_free(h);
    json_decref(root);
}

static void test_person_takes_over_without_a_reason(void)
{
    handover *h = handover_new();
    CHECK(!handover_final(h, "bot", "Hello! What can I help you with today?", 0));
    CHECK(!handover_final(h, "customer", "my bill is wrong and I want a real person", -0.4));
    CHECK(!handover_final(h, "bot", "I can help with billing. Is it about your latest bill?", 0));
    CHECK(!handover_final(h, "customer", "just get me an agent", -0.6));
    CHECK(handover_final(h, "agent", "Hi, I'm Sam, I'll take it from here.", 0));
    CHECK(!handover_final(h, "customer", "finally", 0));   /* once */
    json_t *body = handover_body(h, "I-2");
    CHECK_STR(json_string_value(json_object_get(body, "wants")), "my bill is wrong and I want a real person");
    CHECK_STR(json_string_value(json_object_get(body, "reason")), "The customer asked for a person.");
    CHECK_STR(json_string_value(json_object_get(body, "mood")), "negative");
    CHECK_STR(json_string_value(json_array_get(json_object_get(body, "done"), 0)),
              "asked: Is it about your latest bill? → just get me an agent");
    json_decref(body);
    handover_free(h);
}

static void test_announcement_bot_no_card(void)
{
    handover *h = handover_new();
    CHECK(!handover_final(h, "bot", "Welcome to technical support. This call is recorded. "
                                    "Please hold while we connect you.", 0));
    CHECK(!handover_final(h, "agent", "Hello, you're through to technical support.", 0));
    CHECK(handover_body(h, "I-5") == NULL);
    handover_free(h);
}

static void test_no_bot_no_card(void)
{
    handover *h = handover_new();
    CHECK(!handover_final(h, "customer", "hello, my internet is down", -0.2));
    CHECK(!handover_final(h, "agent", "Sorry to hear that, let me check.", 0));
    CHECK(handover_body(h, "I-3") == NULL);
    handover_free(h);
}

static void test_hostile_input_bounded(void)
{
    handover *h = handover_new();
    size_t n = 200000;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = "é? x. "[i % 7];
    big[n] = 0;
    for (int k = 0; k < 50; k++) {
        handover_final(h, "bot", big, 0);
        handover_final(h, "customer", big, 0);
    }
    CHECK(handover_final(h, "agent", "hi", 0));
    json_t *body = handover_body(h, "I-4");
    CHECK(body != NULL);
    CHECK(strlen(json_string_value(json_object_get(body, "wants"))) < 300);
    CHECK(json_array_size(json_object_get(body, "done")) <= 8);
    char *dump = json_dumps(body, 0);
    CHECK(dump && strlen(dump) < 4096);
    free(dump);
    json_decref(body);
    free(big);
    CHECK(!handover_final(NULL, "bot", "x", 0));
    handover_free(h);
}

int main(void)
{
    RUN(test_demo_bot_handover);
    RUN(test_person_takes_over_without_a_reason);
    RUN(test_no_bot_no_card);
    RUN(test_announcement_bot_no_card);
    RUN(test_hostile_input_bounded);
    return check_done("test_handover");
}
