/* test_hub_handover.c — the bot-to-person handover card on the real hub: a chat that starts
 * with a bot, in which the customer gives a card number and an e-mail to the bot, is handed
 * to the agent: the agent's console gets one `handover` event, at the bot's passing sentence
 * (before the agent speaks), saying what the customer wants, what the bot asked and was
 * answered, why it handed over and the mood, with no personal data in clear; a console that
 * joins later with a short tail still gets the card. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static hubproc H;
static wsc_ctx *X;
static wsc *ingest, *agent;

static const char *const script[] = {
    "{\"type\":\"start\",\"id\":\"s1\",\"iid\":\"bot-1\",\"channel\":\"chat\",\"queue\":\"billing\","
    "\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}",
    "{\"type\":\"utterance\",\"id\":\"u1\",\"iid\":\"bot-1\",\"uid\":\"b1\",\"speaker\":\"bot\","
    "\"text\":\"Hi, I'm Ava, the virtual assistant. How can I help today?\",\"final\":true,\"offset_ms\":500}",
    "{\"type\":\"utterance\",\"id\":\"u2\",\"iid\":\"bot-1\",\"uid\":\"c1\",\"speaker\":\"customer\","
    "\"text\":\"I was charged twice for my broadband this month\",\"final\":true,\"offset_ms\":4000}",
    "{\"type\":\"utterance\",\"id\":\"u3\",\"iid\":\"bot-1\",\"uid\":\"b2\",\"speaker\":\"bot\","
    "\"text\":\"Sorry about that. Which card was charged?\",\"final\":true,\"offset_ms\":6000}",
    "{\"type\":\"utterance\",\"id\":\"u4\",\"iid\":\"bot-1\",\"uid\":\"c2\",\"speaker\":\"customer\","
    "\"text\":\"4111 1111 1111 1111, receipts to jo.smith@example.com\",\"final\":true,\"offset_ms\":9000}",
    "{\"type\":\"utterance\",\"id\":\"u5\",\"iid\":\"bot-1\",\"uid\":\"b3\",\"speaker\":\"bot\","
    "\"text\":\"Thanks. I'm passing you to one of our billing team who can refund it.\",\"final\":true,"
    "\"offset_ms\":11000}",
    NULL,
};

static const char *const agent_line =
    "{\"type\":\"utterance\",\"id\":\"u6\",\"iid\":\"bot-1\",\"uid\":\"a1\",\"speaker\":\"agent\","
    "\"text\":\"Hi, I'm Ana. I can see the double charge.\",\"final\":true,\"offset_ms\":15000}";

static bool send_acked(const char *frame, const char *id)
{
    wsc_send(ingest, frame);
    json_t *a = wsc_recv_answer(ingest, id, 5000);
    bool ok = a && strcmp(wsc_type(a), "ack") == 0;
    json_decref(a);
    return ok;
}

static wsc *console(const char *extra)
{
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    if (!c)
        return NULL;
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"test\"%s}", extra);
    json_t *w = wsc_recv(c, 5000);
    CHECK_STR(wsc_type(w), "welcome");
    json_decref(w);
    return c;
}

/* Handover events (and whether an agent utterance came before the first) until quiet. */
static int handovers(wsc *c, json_t **card, bool *agent_first)
{
    int n = 0;
    json_t *j;
    *agent_first = false;
    while ((j = wsc_recv(c, 1500))) {
        const char *type = wsc_type(j);
        if (strcmp(type, "utterance") == 0 && n == 0 &&
            strcmp(json_string_value(json_object_get(j, "speaker")), "agent") == 0)
            *agent_first = true;
        if (strcmp(type, "handover") == 0) {
            if (!n++ && card)
                *card = json_incref(j);
        }
        json_decref(j);
    }
    return n;
}

static void test_card_at_the_handover(void)
{
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    CHECK(ingest != NULL);
    wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    json_decref(wsc_recv(ingest, 5000));
    agent = console("");
    json_decref(wsc_recv(agent, 5000));   /* the empty snapshot */
    char id[8];
    for (int i = 0; script[i]; i++) {
        snprintf(id, sizeof id, i ? "u%d" : "s1", i);
        CHECK(send_acked(script[i], id));
    }
    CHECK(send_acked(agent_line, "u6"));
    json_t *card = NULL;
    bool agent_first;
    CHECK_INT(handovers(agent, &card, &agent_first), 1);
    CHECK(!agent_first);   /* the card came before the agent's first words */
    CHECK(card != NULL);
    if (!card)
        return;
    CHECK_STR(json_string_value(json_object_get(card, "wants")),
              "I was charged twice for my broadband this month");
    const char *asked = json_string_value(json_array_get(json_object_get(card, "done"), 0));
    CHECK(asked && strstr(asked, "asked: Which card was charged? → ") == asked);
    char *all = json_dumps(card, 0);
    CHECK(strstr(all, "4111 1111") == NULL && strstr(all, "1111 1111") == NULL);
    CHECK(strstr(all, "jo.smith") == NULL && strstr(all, "example.com") == NULL);
    CHECK(strstr(all, "[CARD]") != NULL && strstr(all, "[EMAIL]") != NULL);
    free(all);
    CHECK(strstr(json_string_value(json_object_get(card, "reason")), "passing you to one of our billing team"));
    CHECK_STR(json_string_value(json_object_get(card, "mood")), "neutral");   /* its last words: the card */
    json_decref(card);
}

static void test_late_console_gets_the_card(void)
{
    wsc *late = console(",\"keep_lines\":1");
    bool agent_first;
    CHECK_INT(handovers(late, NULL, &agent_first), 1);
    wsc_close(late);
}

static void test_clean_exit(void)
{
    wsc_close(agent);
    wsc_close(ingest);
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
}

int main(void)
{
    if (hubproc_setup(&H) != 0 || hubproc_start(&H, NULL) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    X = wsc_ctx_new();
    RUN(test_card_at_the_handover);
    RUN(test_late_console_gets_the_card);
    RUN(test_clean_exit);
    wsc_ctx_free(X);
    hubproc_cleanup(&H);
    return check_done("test_hub_handover");
}
