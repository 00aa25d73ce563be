/* audit_cmd.h — `agentdesk-hub audit [--db FILE] [--since T]`: the audit trail
 * (hub/store/audit.h) as a table, oldest first. */
#ifndef AGENTDESK_HUB_CLI_AUDIT_CMD_H
#define AGENTDESK_HUB_CLI_AUDIT_CMD_H

#include <stdbool.h>
#include <stdint.h>

int audit_main(int argc, char **argv);

/* A point in time as `--since` takes it, into ms since the epoch: an ISO 8601 date or
 * date and time in UTC (`2026-12-04`, `2026-12-04T15:00`, `2026-12-04T15:00:30Z`), a
 * duration back from `now_ms` (`90m`, `2h`, `7d`, `30s`), or plain milliseconds since the
 * epoch. false when it is none of these. */
bool audit_parse_since(const char *s, int64_t now_ms, int64_t *out_ms);

#endif
