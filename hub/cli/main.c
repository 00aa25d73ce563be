/* main.c — agentdesk-hub: the server, or one of its subcommands (analyze, import, feed). */
#include "hub/cli/feed.h"
#include "hub/cli/hubcli.h"
#include "hub/store/import.h"
#include "hub/cli/serve.h"
#include "hub/cli/analyze.h"

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
        data = hubcli_default_data_dir();
    int rc = analyze_run(db, data, stdin, stdout);
    free(db);
    free(data);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "analyze") == 0)
        return analyze_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "import") == 0)
        return import_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "feed") == 0)
        return feed_main(argc - 1, argv + 1);
    hubcli_opts o;
    char err[300];
    int rc = hubcli_parse(argc, argv, &o, err, sizeof err);
    if (rc != 0) {
        if (rc < 0)
            fprintf(stderr, "agentdesk-hub: %s\n", err);
        hubcli_free(&o);
        return rc < 0 ? 2 : 0;
    }
    rc = serve_run(&o);
    hubcli_free(&o);
    return rc;
}
