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

#include <stdbool.h>
#include <stddef.h>

/* The state directory, created (0700) and proved writable. malloc'd, or NULL with the
 * reason in err ("cannot create /x/agentdesk: Read-only file system"). */
char *state_dir(char *err, size_t errlen);
/* The file of `kind` ("outbox", "drafts") for this hub URL and token, in `dir`. malloc'd. */
char *state_file(const char *dir, const char *kind, const char *url, const char *token);

/* Each line of a state file, without its line end (empty lines skipped), to `line`. A
 * missing file has none. false with the reason in err when it cannot be read. */
bool state_read_lines(const char *path, void (*line)(void *ctx, char *text, size_t len), void *ctx,
                      char *err, size_t errlen);
/* Replace a state file at once with `text` (its lines): written 0600 to PATH.tmp, fsynced and
 * renamed over it, so a crash leaves the old file or the new, never half; an empty text
 * removes the file. false, errno set, when it cannot. */
bool state_replace(const char *path, const char *text, size_t len);

/* The single outbox file of versions before the keying (outbox-LOGIN.jsonl): its hub is not
 * known, so it is never sent; how many actions wait in it (0 when none), path in *path
 * (malloc'd, NULL when none). */
size_t state_legacy_outbox(const char *dir, char **path);

#endif
