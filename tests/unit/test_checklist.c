/* test_checklist.c — per-queue checklists: phrase ticks (case and punctuation tolerant, on
 * word boundaries), ticks by hand, the default queue, and the shipped data file. */
#include "tests/unit/check.h"
#include "hub/assist/checklist.h"

#include <stdlib.h>

static checklist_set *load_inline(void)
{
    const char *txt =
        "{\"billing\":[{\"id\":\"recording-notice\",\"label\":\"Recording notice\","
        "  \"phrases\":[\"this call is recorded\",\"calls are recorded\"]},"
        " {\"id\":\"verify-identity\",\"label\":\"Verify identity\",\"phrases\":[\"confirm your date of birth\"]},"
        " {\"id\":\"refund\",\"label\":\"Confirm refund\",\"phrases\":[\"I've refunded\"]}],"
        " \"default\":[{\"id\":\"anything-else\",\"label\":\"Anything else\",\"phrases\":[\"anything else\"]}]}";
    json_t *root = json_loads(txt, 0, NULL);
    char err[256];
    checklist_set *set = checklist_set_from_json(root, err, sizeof err);
    json_decref(root);
    CHECK(set != NULL);
    return set;
}

static void test_normalise(void)
{
    static const struct { const char *in, *out; } cases[] = {
        {"This call is RECORDED!", " this call is recorded "},
        {"  we're -- recording,,this ", " were recording this "},
        {"", " "},
        {"café: ok", " café ok "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[128];
        checklist_normalise(cases[i].in, out, sizeof out);
        CHECK_STR(out, cases[i].out);
    }
    char small[8];
    checklist_normalise("ééééé", small, sizeof small);
    CHECK_STR(small, " éé ");
}

static void test_phrase_ticks(void)
{
    checklist_set *set = load_inline();
    static const struct { const char *agent; const char *item; int done; bool changed; } cases[] = {
        {"Hello, I'm Ana.", "recording-notice", 0, false},
        {"Just so you know, THIS CALL... is recorded.", "recording-notice", 1, true},
        {"this call is recorded", "recording-notice", 1, false},         /* already done: no change */
        {"can you reconfirm your date of birthday", "verify-identity", 0, false}, /* word boundary */
        {"Could you confirm your date of birth?", "verify-identity", 1, true},
        {"Ive refunded it", "refund", 1, true},                          /* apostrophe-free */
    };
    checklist *c = checklist_new(set, "billing");
    CHECK_INT(checklist_count(c), 3);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool changed = checklist_on_agent(c, cases[i].agent);
        CHECK_INT(changed, cases[i].changed);
        CHECK_INT(checklist_state(c, cases[i].item, NULL), cases[i].done);
    }
    const char *by = NULL;
    CHECK_INT(checklist_state(c, "recording-notice", &by), 1);
    CHECK_STR(by, "phrase");
    CHECK_INT(checklist_state(c, "nope", NULL), -1);
    checklist_free(c);
    checklist_set_free(set);
}

static void test_hand_ticks_and_json(void)
{
    checklist_set *set = load_inline();
    checklist *c = checklist_new(set, "billing");
    CHECK(checklist_tick(c, "verify-identity", true));
    CHECK(!checklist_tick(c, "verify-identity", true));
    CHECK(!checklist_tick(c, "no-such-item", true));
    const char *by;
    CHECK_INT(checklist_state(c, "verify-identity", &by), 1);
    CHECK_STR(by, "hand");
    json_t *items = checklist_items_json(c);
    CHECK_INT(json_array_size(items), 3);
    json_t *second = json_array_get(items, 1);
    CHECK_STR(json_string_value(json_object_get(second, "id")), "verify-identity");
    CHECK(json_is_true(json_object_get(second, "done")));
    CHECK_STR(json_string_value(json_object_get(second, "by")), "hand");
    CHECK_STR(json_string_value(json_object_get(json_array_get(items, 0), "by")), "");
    json_decref(items);
    CHECK(checklist_tick(c, "verify-identity", false));
    CHECK_INT(checklist_state(c, "verify-identity", &by), 0);
    CHECK_STR(by, "");
    checklist_free(c);
    checklist_set_free(set);
}

static void test_default_queue(void)
{
    checklist_set *set = load_inline();
    checklist *c = checklist_new(set, "unknown-queue");
    CHECK_INT(checklist_count(c), 1);
    CHECK(checklist_on_agent(c, "Is there anything else?"));
    checklist_free(c);
    c = checklist_new(set, NULL);
    CHECK_INT(checklist_count(c), 1);
    checklist_free(c);
    checklist_set_free(set);
}

static void test_bad_files(void)
{
    static const char *const bad[] = {
        "[]", "{\"q\":{}}", "{\"q\":[{\"label\":\"x\",\"phrases\":[]}]}",
        "{\"q\":[{\"id\":\"a\",\"label\":\"x\",\"phrases\":\"nope\"}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *root = json_loads(bad[i], 0, NULL);
        char err[256] = "";
        checklist_set *set = checklist_set_from_json(root, err, sizeof err);
        CHECK(set == NULL);
        CHECK(strstr(err, "checklists.json") != NULL);
        json_decref(root);
    }
    char err[256];
    CHECK(checklist_set_load("/nonexistent/checklists.json", err, sizeof err) == NULL);
}

static void test_shipped_file(void)
{
    char err[256];
    checklist_set *set = checklist_set_load("data/checklists.json", err, sizeof err);
    CHECK(set != NULL);
    if (!set)
        return;
    static const char *const queues[] = {"billing", "tech", "sales", "retention", "fraud", "delivery", "default"};
    for (size_t q = 0; q < sizeof queues / sizeof queues[0]; q++) {
        checklist *c = checklist_new(set, queues[q]);
        CHECK(checklist_count(c) >= 4);
        CHECK(checklist_on_agent(c, "Hi, this call is recorded for quality and training."));
        CHECK_INT(checklist_state(c, "recording-notice", NULL), 1);
        checklist_free(c);
    }
    checklist_set_free(set);
}

int main(void)
{
    RUN(test_normalise);
    RUN(test_phrase_ticks);
    RUN(test_hand_ticks_and_json);
    RUN(test_default_queue);
    RUN(test_bad_files);
    RUN(test_shipped_file);
    return check_done("test_checklist");
}
