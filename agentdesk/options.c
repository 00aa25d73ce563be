/* options.c — the console's option table (see options.h). */
#include "agentdesk/options.h"

const console_option console_options[] = {
    {"--url", "URL", "hub address, ws://HOST:PORT or wss://HOST:PORT (default " CONSOLE_DEFAULT_URL ")"},
    {"--token-file", "FILE", "read the access token from FILE (else $AGENTDESK_TOKEN)"},
    {"--theme", "NAME", "colour theme: dark (default), light, high-contrast, monochrome"},
    {"--ca", "FILE", "trust the CA certificates in FILE for wss:// (e.g. a private hub)"},
    {"--config", "FILE", "config file (default $XDG_CONFIG_HOME/agentdesk/config)"},
    {"--scrollback", "N", "transcript lines kept per interaction (default 10000)"},
    {"--alert", "HOW", "a new contact or a severe flag: bell (default), flash, or off (--linear: off unless given)"},
    {"--linear", NULL, "no screen: one plain line per event, commands on stdin"},
    {"--demo", NULL, "start agentdesk-hub --demo on a free port and connect to it"},
    {"--help", NULL, "print this help and exit"},
    {"--version", NULL, "print the version and exit"},
};

const size_t console_option_count = sizeof console_options / sizeof *console_options;
