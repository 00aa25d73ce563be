/* commands.h — agentdesk-hub's subcommands as one table: `agentdesk-hub NAME ARGS...` runs
 * the row named NAME with argv[0] = NAME; without a known NAME the hub serves (serve.h). */
#ifndef AGENTDESK_HUB_CLI_COMMANDS_H
#define AGENTDESK_HUB_CLI_COMMANDS_H

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);   /* the process exit status */
    const char *summary;                 /* its arguments, as --help shows them */
} hub_command;

/* Ends with a row whose name is NULL. */
extern const hub_command hub_commands[];

/* The row named `name`, or NULL. */
const hub_command *hub_command_find(const char *name);

#endif
