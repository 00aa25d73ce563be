/* paths.h — the hub's default directories, shared by the server options and the subcommands
 * (import, seed, analyze) that read the same data. */
#ifndef AGENTDESK_HUB_CLI_PATHS_H
#define AGENTDESK_HUB_CLI_PATHS_H

/* The data directory when --data is not given: <dir of the binary>/../data if it exists
 * (running from the build tree), else AGENTDESK_PREFIX/share/agentdesk/data. malloc'd. */
char *paths_default_data_dir(void);
/* $XDG_DATA_HOME/agentdesk/recordings (or ~/.local/share/...). malloc'd; not created. */
char *paths_default_record_dir(void);

#endif
