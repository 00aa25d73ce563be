/* commands.c — the subcommand table, and `analyze`'s own arguments. */
#include "hub/cli/commands.h"
#include "hub/cli/analyze.h"
#include "hub/cli/audit_cmd.h"
#include "hub/cli/feed.h"
#include "hub/cli/paths.h"
#include "hub/cli/replies.h"
#include "hub/cli/report.h"
#include "hub/store/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* `agentdesk-hub analyze [--db FILE] [--data DIR]`: one utterance a line in, one JSON out. */
static int analyze_main(int argc, char **argv)
{
    char *db = NULL, *data = NULL;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--data") == 0) && i + 1 < argc) {
            char **slot = argv[i][2] == 'd' && argv[i][3] == 'b' ? &db : &data;
            free(*slot);
            *slot = strdup(argv[++i]);
        } else if (strcmp(argv[i], "--help") == 0) {
            printf("usage: agentdesk-hub analyze [--db FILE] [--data DIR]\n"
                   "stdin: one utterance a line; stdout: one JSON object a line\n");
            free(db);
            free(data);
            return 0;
        } else {
            fprintf(stderr, "agentdesk-hub analyze: unknown argument '%.100s'\n", argv[i]);
            free(db);
            free(data);
            return 2;
        }
    }
    /* without --db the analyzer uses an in-memory database seeded from the data directory */
    if (!data)
        data = paths_default_data_dir();
    int rc = analyze_run(db, data, stdin, stdout);
    free(db);
    free(data);
    return rc;
}

const hub_command hub_commands[] = {
    {.name = "analyze", .run = analyze_main, .summary = "[--db FILE] [--data DIR]"},
    {.name = "import", .run = import_main, .summary = "--db FILE customers|kb|users|rules FILE.json"},
    {.name = "feed", .run = feed_main, .summary = "[--url URL] [--token-file F] [--realtime] FILE|-"},
    {.name = "audit", .run = audit_main, .summary = "[--db FILE] [--since T]"},
    {.name = "report", .run = report_main,
     .summary = "--db FILE --since T [--until T] [--by queue|agent] [--format table|csv|json]"},
    {.name = "replies", .run = replies_main,
     .summary = "[--record-dir DIR] --since T [--rise X] [--turns N] [--similar J]"},
    {.name = NULL},
};

const hub_command *hub_command_find(const char *name)
{
    for (const hub_command *c = hub_commands; name && c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}
