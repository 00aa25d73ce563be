/* test_console_manpage.c — docs/agentdesk.1 documents the key table as it is (every action
 * with its config name and its default keys) and the option table as it is (agentdesk/options.c:
 * each row under OPTIONS and in the SYNOPSIS, nothing there that is not a row). */
#include "tests/unit/check.h"
#include "tests/lib/manpage.h"
#include "agentdesk/agent_keys.h"
#include "agentdesk/monitor_keys.h"
#include "agentdesk/options.h"
#include "agentdesk/replay_keys.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

static char *man;

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

/* A mode's key table is listed in its own section as it is: each action's keys and help. */
static void check_keys_in_section(const char *section, const keys_action *actions, size_t n)
{
    CHECK(man != NULL);
    if (!man) return;
    size_t len = 0;
    const char *sec = manpage_section(man, section, &len);
    if (!sec) fprintf(stderr, "  no section %s\n", section);
    CHECK(sec != NULL);
    if (!sec) return;
    char *text = strndup(sec, len);
    keys_table t;
    keys_init_letters(&t, actions, n);
    for (size_t i = 0; i < t.n; i++) {
        char want[256], keys[64];
        keys_describe(&t, i, ", ", keys, sizeof keys);
        snprintf(want, sizeof want, ".B %s\n%s\n", keys, t.actions[i].help);
        if (!strstr(text, want)) { fprintf(stderr, "  %s: missing keys/help of %s\n", section, t.actions[i].name); CHECK(strstr(text, want)); }
    }
    keys_free(&t);
    free(text);
}

static void test_replay_keys_documented(void)
{
    check_keys_in_section("REPLAY", replay_keys_actions, RK__COUNT);
}

static void test_monitor_keys_documented(void)
{
    check_keys_in_section("SUPERVISOR: agentdesk monitor", monitor_keys_actions, MK__COUNT);
}

static const console_option *table_option(const char *name)
{
    for (size_t i = 0; i < console_option_count; i++)
        if (strcmp(console_options[i].name, name) == 0) return &console_options[i];
    return NULL;
}

/* Every row of the option table has its entry under OPTIONS, naming its argument (a flag
 * names none), and every entry there is a row of the table: --ca was missing from the old
 * hand-kept list of this test. */
static void test_options_match_the_table(void)
{
    CHECK(man != NULL);
    if (!man) return;
    manpage_option doc[64];
    size_t n = manpage_options(man, "OPTIONS", doc, 64);
    CHECK(n > 0 && n <= 64);
    if (n > 64) n = 64;
    for (size_t i = 0; i < console_option_count; i++) {
        const console_option *opt = &console_options[i];
        const manpage_option *entry = NULL;
        for (size_t j = 0; j < n && !entry; j++)
            if (strcmp(doc[j].name, opt->name) == 0) entry = &doc[j];
        if (!entry) { fprintf(stderr, "  %s has no entry under OPTIONS\n", opt->name); CHECK(entry); continue; }
        if (opt->arg && !manpage_names_arg(entry, opt->arg)) {
            fprintf(stderr, "  %s: the entry does not name %s: \"%s\"\n", opt->name, opt->arg, entry->after);
            CHECK(manpage_names_arg(entry, opt->arg));
        }
        if (!opt->arg) CHECK(manpage_names_no_argument(entry));
    }
    for (size_t j = 0; j < n; j++) {
        if (!table_option(doc[j].name)) fprintf(stderr, "  OPTIONS documents %s, not an option\n", doc[j].name);
        CHECK(table_option(doc[j].name) != NULL);
    }
}

/* The SYNOPSIS names every option of the table, and none that is not. */
static void test_synopsis_matches_the_table(void)
{
    CHECK(man != NULL);
    if (!man) return;
    size_t len = 0;
    const char *synopsis = manpage_section(man, "SYNOPSIS", &len);
    CHECK(synopsis != NULL);
    if (!synopsis) return;
    char names[64][64];
    size_t n = manpage_names_in(synopsis, len, names, 64);
    CHECK(n <= 64);
    if (n > 64) n = 64;
    for (size_t i = 0; i < console_option_count; i++) {
        bool found = false;
        for (size_t j = 0; j < n; j++) found = found || strcmp(names[j], console_options[i].name) == 0;
        if (!found) fprintf(stderr, "  SYNOPSIS lacks %s\n", console_options[i].name);
        CHECK(found);
    }
    for (size_t j = 0; j < n; j++) CHECK(table_option(names[j]) != NULL);
}

/* The parser knows every row: an option that takes a value, given none, is "needs a value"
 * (an option the parser lacks would be "unknown option"); --help and --version exit 0. The
 * real binary, $AGENTDESK_BUILD/agentdesk (else $BUILD/, else build/). */
static int run_console(const char *arg, char *out, size_t size)
{
    const char *dir = getenv("AGENTDESK_BUILD");
    if (!dir || !*dir) dir = getenv("BUILD");
    if (!dir || !*dir) dir = "build";
    char cmd[600];
    snprintf(cmd, sizeof cmd, "'%s/agentdesk' %s 2>&1 </dev/null", dir, arg);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t got = fread(out, 1, size - 1, p);
    out[got] = 0;
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_parser_knows_every_option(void)
{
    char out[4096];
    for (size_t i = 0; i < console_option_count; i++) {
        const console_option *opt = &console_options[i];
        if (opt->arg) {
            CHECK_INT(run_console(opt->name, out, sizeof out), 2);
            if (!strstr(out, "needs a value")) fprintf(stderr, "  %s alone: %s\n", opt->name, out);
            CHECK(strstr(out, "needs a value") != NULL);
        }
    }
    CHECK_INT(run_console("--help", out, sizeof out), 0);
    for (size_t i = 0; i < console_option_count; i++) CHECK(strstr(out, console_options[i].name) != NULL);
    CHECK_INT(run_console("--version", out, sizeof out), 0);
    CHECK_INT(run_console("--no-such-option", out, sizeof out), 2);
    CHECK(strstr(out, "unknown option") != NULL);
}

/* What is not an option but must be in the page: the environment and the linear commands. */
static void test_environment_and_commands_documented(void)
{
    static const char *words[] = {"AGENTDESK_TOKEN", "NO_COLOR", "/reply", "/wrapup"};
    for (size_t i = 0; man && i < sizeof words / sizeof *words; i++) CHECK(strstr(man, words[i]) != NULL);
}

int main(void)
{
    man = manpage_read("docs/agentdesk.1");
    RUN(test_every_action_documented);
    RUN(test_replay_keys_documented);
    RUN(test_monitor_keys_documented);
    RUN(test_options_match_the_table);
    RUN(test_synopsis_matches_the_table);
    RUN(test_parser_knows_every_option);
    RUN(test_environment_and_commands_documented);
    free(man);
    return check_done("test_console_manpage");
}
