/* test_console_manpage.c — docs/agentdesk.1 documents the key table as it is: every action
 * with its config name and its default keys, and every option of --help. */
#include "tests/unit/check.h"
#include "agentdesk/agent_keys.h"

#include <stdio.h>
#include <stdlib.h>

static char *man;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    static char buf[200000];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

static void test_every_action_documented(void)
{
    CHECK(man != NULL);
    if (!man) return;
    keys_table t;
    keys_init(&t, agent_keys_actions, AK__COUNT);
    for (size_t i = 0; i < t.n; i++) {
        char want[128], keys[64];
        snprintf(want, sizeof want, "\\fBkey.%s\\fR", t.actions[i].name);
        if (!strstr(man, want)) { fprintf(stderr, "  missing %s\n", want); CHECK(strstr(man, want)); }
        keys_describe(&t, i, ", ", keys, sizeof keys);
        snprintf(want, sizeof want, ".B %s\n%s\n", keys, t.actions[i].help);
        if (!strstr(man, want)) { fprintf(stderr, "  missing keys/help of %s\n", t.actions[i].name); CHECK(strstr(man, want)); }
    }
    keys_free(&t);
}

static void test_options_documented(void)
{
    static const char *opts[] = {"\\-\\-url", "\\-\\-token\\-file", "\\-\\-theme", "\\-\\-config",
                                 "\\-\\-scrollback", "\\-\\-linear", "\\-\\-demo", "\\-\\-help",
                                 "\\-\\-version", "AGENTDESK_TOKEN", "NO_COLOR", "/reply", "/wrapup"};
    for (size_t i = 0; man && i < sizeof opts / sizeof *opts; i++) CHECK(strstr(man, opts[i]) != NULL);
}

int main(void)
{
    man = slurp("docs/agentdesk.1");
    RUN(test_every_action_documented);
    RUN(test_options_documented);
    return check_done("test_console_manpage");
}
