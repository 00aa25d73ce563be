/* test_console_drafts.c — a half-written line stays with its interaction: kept on leaving,
 * given back once on return, one per interaction, nothing kept for an empty line. */
#include "tests/unit/check.h"
#include "agentdesk/agent_drafts.h"

#include <stdlib.h>

static void test_put_take(void)
{
    agent_drafts ds = {0};
    agent_drafts_put(&ds, "I-1", "Hello Maria, I can see", false);
    agent_drafts_put(&ds, "I-2", "checked the router", true);
    char *text = NULL;
    bool note = true;
    CHECK(agent_drafts_take(&ds, "I-1", &text, &note));
    CHECK_STR(text, "Hello Maria, I can see");
    CHECK(!note);
    free(text);
    CHECK(!agent_drafts_take(&ds, "I-1", &text, &note));   /* given back once */
    CHECK(agent_drafts_take(&ds, "I-2", &text, &note));
    CHECK_STR(text, "checked the router");
    CHECK(note);
    free(text);
    CHECK_INT((int)ds.n, 0);
    agent_drafts_free(&ds);
}

static void test_one_per_interaction(void)
{
    agent_drafts ds = {0};
    agent_drafts_put(&ds, "I-1", "first", false);
    agent_drafts_put(&ds, "I-1", "second", false);
    CHECK_INT((int)ds.n, 1);
    agent_drafts_put(&ds, "I-1", "", false);            /* an emptied line keeps nothing */
    CHECK_INT((int)ds.n, 0);
    char *text = NULL;
    bool note = false;
    CHECK(!agent_drafts_take(&ds, "I-1", &text, &note));
    CHECK(!agent_drafts_take(&ds, NULL, &text, &note));
    agent_drafts_put(&ds, NULL, "no interaction", false);
    CHECK_INT((int)ds.n, 0);
    agent_drafts_put(&ds, "I-3", "日本語テキスト", false);
    CHECK(agent_drafts_take(&ds, "I-3", &text, &note));
    CHECK_STR(text, "日本語テキスト");
    free(text);
    agent_drafts_put(&ds, "I-4", "left behind", false);
    agent_drafts_free(&ds);                             /* frees what is still kept */
    CHECK(ds.d == NULL);
}

int main(void)
{
    RUN(test_put_take);
    RUN(test_one_per_interaction);
    return check_done("test_console_drafts");
}
