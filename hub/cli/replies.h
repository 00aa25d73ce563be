/* replies.h — `agentdesk-hub replies [--record-dir DIR] --since T [--rise X] [--turns N]
 * [--similar J]`: agent replies that worked, mined from the hub's recordings (recorder.h: one
 * JSONL file per interaction, a header line then its console events), written to stdout as
 * candidate knowledge-base articles in the `import kb` format with "status": "candidate"
 * (docs/DATA.md), for a knowledge editor to review.
 *
 * A reply worked when:
 *   - it is a final agent utterance after at least one scored customer utterance (the
 *     customer's trend before it is t0);
 *   - the customer's next scored utterance does not fall below t0, and within the next
 *     `turns` (default 2) scored customer utterances the trend reaches t0 + `rise` (0.2);
 *   - the interaction ended with a good outcome: the customer's last trend is not negative,
 *     the end reason is not a hang-up, an abandon, an escalation or a transfer, and the
 *     disposition (the wrap-up's, else the final summary's) is not ESCALATED or
 *     FRAUD_REPORTED.
 * Replies are grouped when their token sets (lower-cased letters and digits) overlap by
 * Jaccard `similar` (0.5) or more with the group's first reply. Each group is one article:
 * the reply (re-redacted; the customer's and the agent's first names become
 * {customer.first_name} and {agent.name}), the customer lines that came just before it as
 * examples, its queue as category, and a body saying how often it worked and where. Groups are
 * ordered by how many interactions they worked in, then by their mean rise. */
#ifndef AGENTDESK_HUB_CLI_REPLIES_H
#define AGENTDESK_HUB_CLI_REPLIES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    double rise;       /* the trend's rise that counts */
    int turns;         /* customer turns to wait for it */
    double similar;    /* Jaccard of a near-duplicate */
} replies_params;

typedef struct replies_miner replies_miner;

replies_miner *replies_new(const replies_params *p);
void replies_free(replies_miner *m);
/* Mine one recording file (the whole JSONL text). Recordings started before since_ms are
 * skipped. How many replies that worked it held, or -1 when it is not a recording. */
int replies_add_recording(replies_miner *m, const char *text, size_t len, int64_t since_ms);
/* The candidate articles, grouped and ordered (an array; the caller decrefs). */
json_t *replies_candidates(const replies_miner *m);

int replies_main(int argc, char **argv);

#endif
