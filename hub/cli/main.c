/* main.c — agentdesk-hub: a subcommand of the table (commands.h), else the server. */
#include "hub/cli/commands.h"
#include "hub/cli/hubcli.h"
#include "hub/cli/serve.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    const hub_command *cmd = argc > 1 ? hub_command_find(argv[1]) : NULL;
    if (cmd)
        return cmd->run(argc - 1, argv + 1);
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
