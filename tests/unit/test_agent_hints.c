/* test_agent_hints.c — the hints line is computed from the key table and the screen's state:
 * a rebound key shows as bound, a printable key is never offered while typing (it would be
 * typed), the dialogs have their own hints, and a side list says what Enter does there. */
#include "tests/unit/check.h"
#include "agentdesk/agent_hints.h"

#include <string.h>

static const char *hint_key(const agent_hints *h, const char *label)
{
    for (int i = 0; i < h->n; i++)
        if (strcmp(h->h[i].label, label) == 0) return h->h[i].key;
    return NULL;
}

static void test_rebinding_shows(void)
{
    keys_table t;
    keys_init(&t, agent_keys_actions, AK__COUNT);
    agent_hints h;
    agent_hints_build(&h, &(agent_hints_state){ .wide = true }, &t);
    CHECK_STR(hint_key(&h, "wrap up"), "^W");
    char err[128];
    CHECK(keys_set(&t, "wrapup", "F5", err, sizeof err));
    agent_hints_build(&h, &(agent_hints_state){ .wide = true }, &t);
    CHECK_STR(hint_key(&h, "wrap up"), "F5");
    keys_free(&t);
}

static void test_typing_offers_no_printable_key(void)
{
    keys_table t;
    keys_init(&t, agent_keys_actions, AK__COUNT);
    agent_hints h;
    agent_hints_build(&h, &(agent_hints_state){ .typing = true, .wide = true }, &t);
    CHECK(h.n > 0);
    for (int i = 0; i < h.n; i++)
        CHECK(strlen(h.h[i].key) != 1 || h.h[i].key[0] < 0x20);
    CHECK(hint_key(&h, "send") != NULL);
    CHECK(hint_key(&h, "quit") == NULL);
    keys_free(&t);
}

static void test_dialogs_and_lists(void)
{
    keys_table t;
    keys_init(&t, agent_keys_actions, AK__COUNT);
    agent_hints h;
    agent_hints_build(&h, &(agent_hints_state){ .dialog = AGENT_HINTS_QUIT }, &t);
    CHECK_STR(hint_key(&h, "stay"), "Esc");
    CHECK_INT(h.n, 3);
    agent_hints_build(&h, &(agent_hints_state){ .dialog = AGENT_HINTS_WRAPUP }, &t);
    CHECK_STR(hint_key(&h, "submit"), "^D");
    agent_hints_build(&h, &(agent_hints_state){ .on_suggestions = true, .wide = true }, &t);
    CHECK_STR(h.h[0].key, "Enter");
    CHECK_STR(h.h[0].label, "use selected");
    CHECK(hint_key(&h, "dismiss") != NULL);
    /* narrow: help and panes stay in view, since the header has no "? help" */
    agent_hints_build(&h, &(agent_hints_state){ .wide = false }, &t);
    CHECK(hint_key(&h, "help") != NULL && hint_key(&h, "pane") != NULL);
    keys_free(&t);
}

int main(void)
{
    RUN(test_rebinding_shows);
    RUN(test_typing_offers_no_printable_key);
    RUN(test_dialogs_and_lists);
    return check_done("test_agent_hints");
}
