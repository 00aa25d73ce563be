/* test_console_drafts.c — a half-written line stays with its interaction: kept on leaving,
 * given back once on return, one per interaction, nothing kept for an empty line. */
#include "tests/unit/check.h"
#include "agentdesk/agent_drafts.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

/* Saved to a file and loaded by the next run; empty set: no file; bounded; a damaged line
 * is skipped, not fatal. */
static void test_saved_and_loaded(void)
{
    char dir[] = "/tmp/test_drafts_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[300], err[400] = "";
    snprintf(path, sizeof path, "%s/drafts-x.jsonl", dir);
    agent_drafts ds = {0};
    CHECK(agent_drafts_open(&ds, path, err, sizeof err));
    agent_drafts_put(&ds, "I-1", "half a reply \"quoted\"", false);
    agent_drafts_put(&ds, "I-2", "a note", true);
    CHECK(agent_drafts_save(&ds, err, sizeof err));
    agent_drafts_free(&ds);
    FILE *f = fopen(path, "a");
    fputs("{\"iid\":\"I-3\",\"te\n", f);               /* torn */
    fclose(f);
    agent_drafts back = {0};
    CHECK(agent_drafts_open(&back, path, err, sizeof err));
    CHECK_INT((int)back.n, 2);
    char *text = NULL;
    bool note = false;
    CHECK(agent_drafts_take(&back, "I-1", &text, &note));
    CHECK_STR(text, "half a reply \"quoted\"");
    CHECK(!note);
    free(text);
    CHECK(agent_drafts_take(&back, "I-2", &text, &note));
    CHECK(note);
    free(text);
    CHECK(agent_drafts_save(&back, err, sizeof err));
    CHECK(access(path, F_OK) != 0);                        /* nothing kept: no file */
    for (int i = 0; i < AGENT_DRAFTS_MAX + 10; i++) {
        char iid[32];
        snprintf(iid, sizeof iid, "I-%d", i);
        agent_drafts_put(&back, iid, "x", false);
    }
    CHECK_INT((int)back.n, AGENT_DRAFTS_MAX);
    CHECK(!agent_drafts_take(&back, "I-0", &text, &note));  /* the oldest went first */
    agent_drafts_free(&back);
    /* a file that cannot be written is said, with its name */
    agent_drafts bad = {0};
    char nowhere[320];
    snprintf(nowhere, sizeof nowhere, "%s/missing/drafts.jsonl", dir);
    CHECK(agent_drafts_open(&bad, nowhere, err, sizeof err));
    agent_drafts_put(&bad, "I-1", "lost?", false);
    CHECK(!agent_drafts_save(&bad, err, sizeof err));
    CHECK(strstr(err, nowhere) != NULL);
    agent_drafts_free(&bad);
    rmdir(dir);
}

int main(void)
{
    RUN(test_put_take);
    RUN(test_one_per_interaction);
    RUN(test_saved_and_loaded);
    return check_done("test_console_drafts");
}
