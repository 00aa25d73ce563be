/* state.h — where the console keeps what must outlive it (the outbox, the drafts):
 * $XDG_STATE_HOME/agentdesk (~/.local/state/agentdesk when unset), mode 0700.
 *
 * Every file there belongs to one hub and one signed-in identity: its name is
 * KIND-HOSTPORT-HASH.jsonl, where HASH is a 64-bit FNV-1a hash of the hub URL and the token
 * (never the token itself) and HOSTPORT a short readable prefix. So what was written for hub
 * A as agent X is only ever sent to hub A as agent X; the name is bounded (under 80 bytes)
 * whatever the URL. */
#ifndef AGENTDESK_STATE_H
#define AGENTDESK_STATE_H

#include <stddef.h>

/* The state directory, created (0700) and proved writable. malloc'd, or NULL with the
 * reason in err ("cannot create /x/agentdesk: Read-only file system"). */
char *state_dir(char *err, size_t errlen);
/* The file of `kind` ("outbox", "drafts") for this hub URL and token, in `dir`. malloc'd. */
char *state_file(const char *dir, const char *kind, const char *url, const char *token);

/* The single outbox file of versions before the keying (outbox-LOGIN.jsonl): its hub is not
 * known, so it is never sent; how many actions wait in it (0 when none), path in *path
 * (malloc'd, NULL when none). */
size_t state_legacy_outbox(const char *dir, char **path);

#endif
