/* pii_vault.h — the clear values behind the masks of one interaction's lines, kept in the
 * hub's memory only so that the agent who owns the interaction can reveal one (the console's
 * `reveal`). Never written to the event log, the database, a recording or the log file; it
 * goes with its live_call, that is at the wrap-up, and a restarted hub starts without it.
 *
 * A line's values are numbered in the order of the masks live consoles see in it (the k-th
 * mask of the shown text is value k: both come from redact_find over the same text). A later
 * partial or final of the same uid replaces that line's values. At most PII_VAULT_MAX values
 * a call: the oldest go first. */
#ifndef AGENTDESK_HUB_PII_VAULT_H
#define AGENTDESK_HUB_PII_VAULT_H

#include "hub/assist/redact.h"

enum { PII_VAULT_MAX = 256 };

typedef struct pii_vault pii_vault;

/* Note the values in `text` (the line as masked for consoles, before masking) of line uid;
 * *vp is created on the first value. */
void pii_vault_note(pii_vault **vp, const char *uid, const char *text);
/* Value `index` of line uid (NULL when unknown); *count: how many values the line has. */
const char *pii_vault_get(const pii_vault *v, const char *uid, unsigned index, unsigned *count,
                          redact_kind *kind);
void pii_vault_free(pii_vault *v);

#endif
