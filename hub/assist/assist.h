/* assist.h — the enrichment stage: every utterance of a live interaction enriched as it
 * arrives. Pure C: no sockets, no event loop; the pipeline calls it and it answers by
 * emitting hub->console events through the callback given at start.
 *
 * Emitted bodies hold the event's fields (iid included) but not "type", "seq" or "ts":
 * the pipeline adds those when it logs the event. The callback takes ownership of `body`.
 * Text handed in is already cleaned (base/text.h) and NOT yet redacted. */
#ifndef AGENTDESK_HUB_ASSIST_H
#define AGENTDESK_HUB_ASSIST_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <jansson.h>
#include <sqlite3.h>
#include "hub/assist/redact.h"
#include "proto/catalogue.h"

typedef struct assist assist;            /* engine: lexicon, rules, kb access; one per hub */
typedef struct assist_call assist_call;  /* state of one live interaction */

typedef void (*assist_emit_fn)(void *ctx, proto_type type, json_t *body);

typedef struct {
    const char *iid, *channel, *queue, *agent, *agent_name, *customer_id;
    int64_t started_ms;
    bool quiet;              /* what the start emits is not wanted (a restore: the log holds
                              * it), so it is not built */
} assist_start_info;

typedef struct {
    const char *uid;
    const char *speaker;     /* customer | agent | bot | supervisor */
    const char *text;        /* cleaned, unredacted */
    bool final;
    int64_t offset_ms;
} assist_utterance_info;

/* Load lexicon, rules (from the db's rules table, else data_dir/rules.json), checklists and
 * dispositions from data_dir, and use db for customers, kb and feedback. NULL + message. */
assist *assist_open(sqlite3 *db, const char *data_dir, char *err, size_t errlen);
void assist_close(assist *a);

/* A new interaction: emits EV_CUSTOMER and EV_CHECKLIST (unless info->quiet). */
assist_call *assist_call_start(assist *a, const assist_start_info *info,
                               assist_emit_fn emit, void *ctx);
/* An utterance (partial or final): emits EV_SENTIMENT (finals), EV_FLAG (each condition
 * once), EV_SUGGESTION (new articles only), EV_CHECKLIST (on change). */
void assist_call_utterance(assist_call *c, const assist_utterance_info *u, int64_t now_ms);
/* The text of an utterance about to be shown and logged, with what a number begun in the
 * same speaker's previous final reveals in it tagged (redact.h: redact_carried); NULL when
 * it reveals nothing. Call it before assist_call_utterance() for the same utterance. */
char *assist_call_carried(assist_call *c, const char *speaker, const char *text, int64_t offset_ms);
/* Time passes (the pipeline calls it about once a second per live interaction): computed
 * rules such as long silence and compliance deadlines. */
void assist_call_tick(assist_call *c, int64_t now_ms);
/* The agent used or dismissed a suggestion: stored (shifts future ranking). */
void assist_call_feedback(assist_call *c, const char *sid, const char *action, const char *user,
                          int64_t now_ms);
/* A checklist item ticked or unticked by hand: emits EV_CHECKLIST. */
void assist_call_checklist_tick(assist_call *c, const char *item, bool done);
/* Draft summary now (on request): emits EV_SUMMARY with final=false. */
void assist_call_summary(assist_call *c);
/* The interaction ended: emits EV_SUMMARY with final=true. */
void assist_call_end(assist_call *c, const char *reason, int64_t now_ms);
void assist_call_free(assist_call *c);
/* `c` was rebuilt to replace `from` (a failed commit): its flag and suggestion ids go on
 * after the ones `from` handed out, so an id is never given to two events. */
void assist_call_continue_ids(assist_call *c, const assist_call *from);

/* A checkpoint: the whole enrichment state of `c` (sentiment trend, flags raised and every
 * rule's state, checklist, suggestions shown, customer, summary inputs, handover, the
 * redaction carry), malloc'd, *len bytes. Its size is bounded whatever the history: the
 * summary keeps SUMMARY_HEAD + SUMMARY_TAIL lines, suggestions at most SHOWN_MAX (the text of
 * only the newest ASSIST_SHOWN_TEXT_KEPT, which a later "used" puts in the summary). */
unsigned char *assist_call_save(const assist_call *c, size_t *len);
/* The interaction `info` names as a checkpoint left it, emitting nothing; NULL when the
 * checkpoint cannot be used (damaged, or written with other rules, checklists or a build
 * laid out otherwise): then the caller starts it afresh and replays its log. */
assist_call *assist_call_resume(assist *a, const assist_start_info *info, const void *bytes, size_t len,
                                assist_emit_fn emit, void *ctx);

#endif
