/* config.h — the console's config file, $XDG_CONFIG_HOME/agentdesk/config
 * (~/.config/agentdesk/config when unset). One setting a line:
 *     url = ws://127.0.0.1:7300
 *     theme = dark
 *     token_file = ~/.config/agentdesk/token
 *     ca_file = ~/hub-ca.pem   # extra CA certificates for wss://
 *     alert = bell             # a new contact or a severe flag: bell, flash or off
 *     key.send = ^J            # key overrides, see keys.h for the notation
 *     monitor.key.ack = A      # the supervisor floor's (agentdesk monitor), the same way
 * '#' starts a comment (outside quotes); values may be "double-quoted". Parsing is strict:
 * an unknown setting, a missing '=', an empty value or a repeated setting is an error
 * naming the file and line ("config:3: unknown setting \"colour\""). Key overrides are
 * checked against the key table by the caller, with the line kept here. */
#ifndef AGENTDESK_CONFIG_H
#define AGENTDESK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *action;     /* after "key." */
    char *keys;
    int line;
} config_key;

typedef struct {
    char *source;     /* the name used in errors */
    char *url, *theme, *token_file, *ca_file, *alert;
    config_key *keys;           /* key.NAME: the agent console's */
    size_t n_keys;
    config_key *monitor_keys;   /* monitor.key.NAME: the floor's */
    size_t n_monitor_keys;
} config;

void config_init(config *c);
void config_free(config *c);

/* Parse `len` bytes of text over c; 0, or -1 with "SOURCE:LINE: message" in err. */
int config_parse(config *c, const char *source, const char *text, size_t len,
                 char *err, size_t errlen);
/* Load the file at path. A missing file is fine unless must_exist. 0 or -1 with err. */
int config_load(config *c, const char *path, bool must_exist, char *err, size_t errlen);
/* Read a whole regular file of at most `max` bytes into *out (malloc'd, NUL-terminated,
 * length in *len). A directory, FIFO or device is refused at once (opened without blocking,
 * so a FIFO with no writer cannot hang the start). 0, or -1 with "PATH: reason" in err;
 * errno ENOENT tells a missing file. */
int config_read_file(const char *path, size_t max, char **out, size_t *len, char *err, size_t errlen);
/* The access token in the file at `path` ("~/" expanded): one line, 1..PROTO_MAX_ID bytes
 * of clean text. malloc'd, or NULL with a message naming the file and the limit. */
char *config_load_token(const char *path, char *err, size_t errlen);
/* The same checks for a token from elsewhere ($AGENTDESK_TOKEN, named `source`). */
bool config_token_ok(const char *token, const char *source, char *err, size_t errlen);
/* The default path (malloc'd), or NULL without a home directory. */
char *config_default_path(void);
/* "~/x" -> "$HOME/x"; anything else copied. malloc'd. */
char *config_expand_home(const char *path);

#endif
