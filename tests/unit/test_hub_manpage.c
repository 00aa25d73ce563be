/* test_hub_manpage.c — docs/agentdesk-hub.1 documents the hub's option table as it is. The
 * table is hub/cli/hubcli.c's, which parses the options and prints --help from the same rows;
 * this test reads the rows through that --help (hubcli_usage), so a row added there without
 * an entry under OPTIONS, or an entry left behind for a row that is gone, fails here. */
#include "tests/unit/check.h"
#include "tests/lib/manpage.h"
#include "hub/cli/hubcli.h"
#include "hub/cli/commands.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    char name[64];
    char arg[32];   /* "" for a flag */
} hub_option;

static hub_option table[64];
static size_t table_n;
static char *man;

/* The option rows of hubcli_usage: after "options:", lines "  --name ARG   help" (ARG only
 * for options with a value: capitals, digits, ':' and '_'). */
static void read_table(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) return;
    hubcli_usage(out);
    fclose(out);
    const char *p = strstr(text, "\noptions:\n");
    for (p = p ? strchr(p + 1, '\n') : NULL; p && *p; p = strchr(p + 1, '\n')) {
        const char *line = p + 1;
        if (strncmp(line, "  --", 4) != 0) continue;
        if (table_n == sizeof table / sizeof *table) break;
        hub_option *o = &table[table_n++];
        const char *name = line + 2;
        size_t n = strcspn(name, " \n");
        snprintf(o->name, sizeof o->name, "%.*s", (int)n, name);
        o->arg[0] = 0;
        const char *arg = name + n;
        if (arg[0] == ' ' && arg[1] != ' ') {
            size_t an = strspn(arg + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_");
            if (an > 0 && (arg[1 + an] == ' ' || arg[1 + an] == '\n'))
                snprintf(o->arg, sizeof o->arg, "%.*s", (int)an, arg + 1);
        }
    }
    free(text);
}

static const hub_option *table_option(const char *name)
{
    for (size_t i = 0; i < table_n; i++)
        if (strcmp(table[i].name, name) == 0) return &table[i];
    return NULL;
}

/* The reading of --help itself: the rows this test knows to be there, with their arguments. */
static void test_table_read_from_help(void)
{
    CHECK(table_n >= 10);
    const hub_option *o = table_option("--listen");
    CHECK(o && strcmp(o->arg, "HOST:PORT") == 0);
    o = table_option("--tls-key");
    CHECK(o && strcmp(o->arg, "FILE") == 0);
    o = table_option("--demo");
    CHECK(o && o->arg[0] == 0);
    o = table_option("--max-connections-per-token");
    CHECK(o && strcmp(o->arg, "N") == 0);
}

static void test_every_option_documented(void)
{
    CHECK(man != NULL);
    if (!man) return;
    manpage_option doc[64];
    size_t n = manpage_options(man, "OPTIONS", doc, 64);
    CHECK(n > 0 && n <= 64);
    if (n > 64) n = 64;
    for (size_t i = 0; i < table_n; i++) {
        const manpage_option *entry = NULL;
        for (size_t j = 0; j < n && !entry; j++)
            if (strcmp(doc[j].name, table[i].name) == 0) entry = &doc[j];
        if (!entry) { fprintf(stderr, "  %s has no entry under OPTIONS\n", table[i].name); CHECK(entry); continue; }
        if (table[i].arg[0] && !manpage_names_arg(entry, table[i].arg)) {
            fprintf(stderr, "  %s: the entry does not name %s: \"%s\"\n", table[i].name, table[i].arg, entry->after);
            CHECK(manpage_names_arg(entry, table[i].arg));
        }
        if (!table[i].arg[0]) CHECK(manpage_names_no_argument(entry));
    }
}

static void test_nothing_documented_that_is_not_an_option(void)
{
    CHECK(man != NULL);
    if (!man) return;
    manpage_option doc[64];
    size_t n = manpage_options(man, "OPTIONS", doc, 64);
    if (n > 64) n = 64;
    for (size_t j = 0; j < n; j++) {
        if (!table_option(doc[j].name)) fprintf(stderr, "  OPTIONS documents %s, not an option\n", doc[j].name);
        CHECK(table_option(doc[j].name) != NULL);
    }
}

/* Every subcommand of the table (hub/cli/commands.c) has its entry under SUBCOMMANDS (a
 * ".TP" head ".B NAME ...") and a line in the SYNOPSIS, and every entry is a subcommand. */
static void test_every_subcommand_documented(void)
{
    CHECK(man != NULL);
    if (!man) return;
    size_t len = 0, slen = 0;
    const char *sec = manpage_section(man, "SUBCOMMANDS", &len);
    const char *syn = manpage_section(man, "SYNOPSIS", &slen);
    CHECK(sec != NULL && syn != NULL);
    if (!sec || !syn) return;
    char *subs = strndup(sec, len), *synopsis = strndup(syn, slen);
    for (const hub_command *c = hub_commands; c->name; c++) {
        char head[96], line[96];
        snprintf(head, sizeof head, ".TP\n.B %s ", c->name);
        snprintf(line, sizeof line, ".B agentdesk-hub %s", c->name);
        if (!strstr(subs, head)) fprintf(stderr, "  subcommand %s has no entry under SUBCOMMANDS\n", c->name);
        if (!strstr(synopsis, line)) fprintf(stderr, "  subcommand %s is not in the SYNOPSIS\n", c->name);
        CHECK(strstr(subs, head) != NULL);
        CHECK(strstr(synopsis, line) != NULL);
    }
    for (const char *p = strstr(subs, ".TP\n.B "); p; p = strstr(p + 1, ".TP\n.B ")) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(p + 7, " \n"), p + 7);
        if (!hub_command_find(name)) fprintf(stderr, "  SUBCOMMANDS documents %s, not a subcommand\n", name);
        CHECK(hub_command_find(name) != NULL);
    }
    free(subs);
    free(synopsis);
}

int main(void)
{
    read_table();
    man = manpage_read("docs/agentdesk-hub.1");
    RUN(test_table_read_from_help);
    RUN(test_every_option_documented);
    RUN(test_nothing_documented_that_is_not_an_option);
    RUN(test_every_subcommand_documented);
    free(man);
    return check_done("test_hub_manpage");
}
