/* model.h — what the console knows: the interactions it can see and everything attached
 * to them, built only from decoded hub->console events (proto_event, already cleaned).
 * No curses, no sockets: views read it, the net client feeds it.
 *
 * Every event is parsed once, here, into typed structs: no JSON leaves the model, and views
 * (the agent screen, --linear, later the supervisor and trainer modes) read only these
 * structs and the change record model_apply returns. Views never write the model; what a
 * view has shown (a toast, a fed line) is the view's own state.
 *
 * Invariants:
 *  - every string in the model came through proto_decode and is clean (base/text.h);
 *  - a durable event whose seq is <= its interaction's last_seq is ignored (dedupe across a
 *    resume, a reconnect or a repeated snapshot); an event for an interaction we do not hold
 *    is ignored unless it starts one (or its seq is new and it is interaction.started);
 *  - model_resume_point() is what to send as resume_after: 0 (ask for a snapshot) until the
 *    replay after a snapshot is known complete, then the highest seq seen;
 *  - an interaction's transcript holds at most `scrollback` lines, oldest dropped first; it is
 *    stored in blocks of MODEL_LINE_BLOCK lines allocated as lines arrive (scrollback is a
 *    cap, not a preallocation), and it is the only copy: the transcript widget reads it
 *    through a textview_source;
 *    lines are addressed by a running number (`first_no` .. `first_no + count - 1`), so
 *    a view may cache per line number and the number of a line never changes;
 *  - a partial utterance and its final share one line (found by uid), replaced in place;
 *  - each line has a `version` bumped when its text or finality changes, so wrap caches
 *    know when to redo (a sentiment label does not change it). */
#ifndef AGENTDESK_MODEL_H
#define AGENTDESK_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "proto/codec.h"

#define MODEL_DEFAULT_SCROLLBACK 10000
#define MODEL_TREND_POINTS 256
#define MODEL_LINE_BLOCK 256

typedef enum {
    SPEAKER_CUSTOMER, SPEAKER_AGENT, SPEAKER_BOT, SPEAKER_SUPERVISOR, SPEAKER_SYSTEM
} model_speaker;

typedef enum {
    LINE_UTTERANCE,   /* customer / agent / bot speech or chat text */
    LINE_WHISPER,     /* supervisor to agent, never heard by the customer */
    LINE_NOTE,        /* a note written by the agent */
    LINE_EVENT,       /* hand raised, barge, wrap-up, ended: one plain sentence */
    LINE_HANDOVER     /* the card of a bot's handover: wants, done, why, mood (several lines) */
} model_line_kind;

typedef enum { SENT_NONE, SENT_NEGATIVE, SENT_NEUTRAL, SENT_POSITIVE } model_sentiment_label;

/* One transcript line. Its strings live in one allocation (text, then uid, then who), so a
 * line costs its struct and one block; the small fields are bytes (kind, speaker, label). */
typedef struct {
    char *text;                 /* cleaned; may contain '\n' in notes; owns uid and who */
    const char *uid;            /* utterance id, NULL for lines without one */
    const char *who;            /* display name of the speaker (whisper/note author), may be NULL */
    int64_t seq;                /* seq of the event that last changed this line */
    int64_t offset_ms;          /* from the interaction's start; -1 if unknown */
    double score;
    unsigned version;           /* bumped when its text or finality changes (wraps redo) */
    uint8_t kind;               /* model_line_kind */
    uint8_t speaker;            /* model_speaker */
    uint8_t label;              /* model_sentiment_label */
    uint8_t cl_label;           /* model_sentiment_label by Contact Lens (sentiment source
                                   "contact-lens"), a second opinion beside `label` */
    bool final;
    bool cut;                   /* a partial that will not be finished: the interaction ended or
                                   the link dropped (until its uid is heard again) */
    bool simulated;             /* a demo's script said it for the speaker (utterance.simulated) */
} model_line;

typedef struct {
    char *fid, *kind, *text, *rule, *evidence, *uid;
    int severity;               /* 1..3 */
    int64_t offset_ms;          /* -1 if unknown */
    int64_t seq;                /* of its flag event: what alert.ack names */
    char acked_by[64];          /* the supervisor who acknowledged it ("" not yet) */
} model_flag;

typedef struct {
    char *sid, *title, *text, *source;
    double score;
    double confidence;          /* 0..1; -1 when the hub sent none */
    bool dismissed, used;
} model_suggestion;

typedef struct {
    char *id, *label, *by;
    bool done;
} model_check_item;

/* The customer event, typed. Strings are never NULL ("" when the hub left them out). */
typedef struct {
    char *id, *name, *tier, *since, *plan, *email, *phone;
} model_customer;

typedef struct {                 /* one past contact */
    char *date, *channel, *reason, *outcome;
    double sentiment;
    bool has_sentiment;
} model_contact;

typedef struct {
    char *id, *item, *status, *currency;
    double amount;
    bool has_amount;
} model_order;

/* The latest sentiment event of an interaction, whoever spoke. emotion and cues are empty
 * from a hub that predates them; direction is 0 unless the hub found the slope significant. */
#define MODEL_EMOTION_LEN 16
#define MODEL_CUES_LEN 96
typedef struct {
    model_sentiment_label label;
    double score, trend, slope;
    bool has_trend;
    int direction;                       /* -1 worsening, 0 steady or unclear, 1 improving */
    char emotion[MODEL_EMOTION_LEN];     /* "anger", ... ("" none) */
    char cues[MODEL_CUES_LEN];           /* the words that carry it, ", "-joined */
} model_sentiment;

typedef enum { IX_LIVE, IX_ENDED, IX_WRAPPED } model_ix_state;

typedef struct model_ix {
    char *iid, *channel, *queue, *agent, *agent_name, *customer_id, *customer_name;
    int64_t started_ms, ended_ms;   /* wall clock ms; ended_ms 0 while live */
    char *end_reason;
    model_ix_state state;

    /* transcript: lines first_no .. first_no + count - 1, in blocks (model.c private) */
    model_line **blocks;        /* ring of block pointers, n_blocks long */
    size_t n_blocks, count;
    uint64_t first_no;          /* running number of the oldest line */
    struct strmap *uid_index;   /* uid -> line number + 1 */
    unsigned transcript_version; /* bumped on any transcript change */

    /* enrichment */
    model_flag *flags; size_t n_flags;
    /* the newest batch first (one batch: the suggestions of one customer final, in
     * consecutive seqs), each batch in the hub's order, best first: key 1 is the best */
    model_suggestion *sugg; size_t n_sugg;
    int64_t sugg_last_seq;      /* seq of the last suggestion added */
    size_t sugg_batch;          /* suggestions of the newest batch (at the front) */
    model_check_item *checks; size_t n_checks;
    bool has_customer;
    model_customer customer;
    model_contact *history; size_t n_history;
    model_order *orders; size_t n_orders;
    char *summary, *disposition;             /* latest summary */
    char *cl_summary;                        /* Contact Lens's post-contact summary, beside ours */
    char **codes; size_t n_codes;            /* disposition codes offered with the summary */
    bool summary_final;
    model_sentiment sentiment;               /* the latest sentiment event */
    double trend[MODEL_TREND_POINTS];        /* customer trend after each scored utterance */
    size_t n_trend;                          /* total pushed; ring of MODEL_TREND_POINTS */
    double last_score, last_trend, last_slope;
    int last_direction;                       /* of the customer's trend, as the hub judged it */
    char last_emotion[MODEL_EMOTION_LEN];     /* the customer's latest emotion and its words */
    char last_cues[MODEL_CUES_LEN];
    bool has_sentiment;
    model_sentiment_label cl_label;           /* the customer's latest by Contact Lens, SENT_NONE: none */
    char *wrap_code;                          /* set once the wrapup event arrived */
    bool follow_up;                           /* the wrap-up asked for a follow-up */
    /* who has spoken, for the supervisor's stage column: a bot alone, a person, both */
    bool bot_spoke, agent_spoke;
    bool handed_over;                         /* a bot handed it over (it could not finish) */
    unsigned transfers;                       /* moved to another agent (interaction.assigned) */
    bool hand_raised;
    int64_t hand_ms;                          /* when it was raised (the event's ts), 0 unknown */
    int64_t hand_seq;                         /* seq of the raising event: what alert.ack names */
    char hand_acked_by[64];                   /* the supervisor who acknowledged it ("" not yet) */
    bool joined;                              /* we (a supervisor) barged in and have not left */
    bool hand_seen;                           /* a supervisor whispered or barged in since */
    char *hand_text;                          /* what the last raised hand said, or NULL */
    unsigned snapshot_gen;                    /* = model.snapshot_gen when the last snapshot listed it */
    int64_t last_seq;                         /* highest seq applied to this interaction */
    unsigned unread;                          /* lines added while not active */
    unsigned new_flags;                       /* flags added while not active */
    unsigned version;                         /* bumped on any change of this interaction */
} model_ix;

/* An agent's state as the hub last said (agent.status; not durable: current, not history). */
typedef struct {
    char *agent, *name;
    char state[12];             /* available, busy, acw, break, offline */
    int64_t since_ms;           /* wall clock: in this state since */
    unsigned live, acw_count, handled_today;
} model_agent_status;

/* One row of the floor's figures (floor.metrics): a queue, an agent, or all. An average or
 * share the hub left out (nothing counted for it) is NAN. */
typedef struct {
    char *key;                  /* queue name or agent user name ("" for all); clean */
    long interactions, ended, waited, scored, with_customer;
    double handle_ms, wait_ms;  /* averages */
    double uplift;              /* customer sentiment at the end minus at the start, averaged */
    double negative_share, repeat_share;   /* 0..1 */
} model_metrics_row;

/* The hub's latest floor.metrics (supervisors): the last hour, replaced whole each time. */
typedef struct {
    bool has;                   /* one has arrived */
    int64_t since_ms, until_ms; /* the window, wall clock */
    model_metrics_row total;
    model_metrics_row *queues; size_t n_queues;   /* in the hub's order (by name) */
    model_metrics_row *agents; size_t n_agents;
} model_metrics;

typedef struct {
    model_ix **ix; size_t n_ix, cap_ix;
    model_agent_status *agents; size_t n_agents;   /* by agent.status, in arrival order */
    model_metrics metrics;      /* the floor's figures (floor.metrics) */
    size_t active;              /* index into ix, or (size_t)-1 when none */
    int64_t last_seq;           /* highest durable seq seen */
    int64_t snap_seq;           /* seq of the last snapshot, until an event after it arrives */
    unsigned snapshot_gen;      /* bumped by every snapshot */
    char *user, *display_name, *role, *hub_id;
    size_t scrollback;
    unsigned version;           /* bumped on any change */
    unsigned list_version;      /* bumped when the interaction list changes */
    int64_t cur_ts;             /* ts of the event being applied (private to model.c) */
} model;

/* What applying an event changed, for views and the linear printer. */
typedef enum {
    MODEL_CH_NONE = 0,
    MODEL_CH_LIST = 1 << 0,        /* interactions added/removed/state */
    MODEL_CH_TRANSCRIPT = 1 << 1,
    MODEL_CH_SENTIMENT = 1 << 2,
    MODEL_CH_FLAGS = 1 << 3,
    MODEL_CH_SUGGESTIONS = 1 << 4,
    MODEL_CH_CUSTOMER = 1 << 5,
    MODEL_CH_CHECKLIST = 1 << 6,
    MODEL_CH_SUMMARY = 1 << 7,
    MODEL_CH_HEADER = 1 << 8,
    MODEL_CH_DUPLICATE = 1 << 9,   /* dropped: seq already seen */
    MODEL_CH_RESET = 1 << 10,      /* everything forgotten: another hub (welcome), or a fresh
                                    * snapshot instead of our resume */
    MODEL_CH_IGNORED = 1 << 11,    /* dropped: about an interaction we do not hold */
    MODEL_CH_AGENTS = 1 << 12,     /* an agent's status changed (model.agents) */
    MODEL_CH_METRICS = 1 << 13     /* new floor figures (model.metrics) */
} model_change;

/* The change record: what one event did to the model, so a view updates exactly that and
 * never re-derives it (nor reads the event). */
typedef struct {
    unsigned what;              /* mask of model_change */
    proto_type type;            /* the kind of event applied */
    model_ix *ix;               /* the interaction it touched, or NULL */
    bool line_added;            /* a transcript line was appended: number `line` */
    bool line_changed;          /* line `line`'s text changed in place (a partial, its final) */
    uint64_t line;
    bool flag_added;            /* ix->flags[flag] is new */
    size_t flag;
    bool sugg_touched;          /* ix->sugg[sugg] is new or was refreshed */
    size_t sugg;
    bool second_opinion;        /* the sentiment or summary was Contact Lens's (ix->cl_label,
                                   ix->cl_summary), not the hub's */
} model_delta;

void model_init(model *m, size_t scrollback);
void model_free(model *m);
/* Forget every interaction and the seq (the hub's log is not the one we knew). */
void model_reset(model *m);

/* Apply one decoded hub->console event and say what it changed. */
model_delta model_apply(model *m, const proto_event *ev);

/* resume_after for the next hello: 0 while a snapshot's replay may be incomplete. */
int64_t model_resume_point(const model *m);

model_ix *model_find(const model *m, const char *iid);
model_ix *model_active(const model *m);
/* Make interaction `i` the active one; clears its unread and new-flag counts. */
void model_set_active(model *m, size_t i);
/* Move the active interaction by `delta` (wraps). */
void model_step_active(model *m, int delta);
/* Drop wrapped-up interactions other than the active one. */
void model_prune(model *m);

/* Mark the unfinished partials of ix (all interactions when ix is NULL) as cut off: its end
 * came, or the link dropped. Looks at the newest MODEL_CUT_REACH lines only (partials are
 * recent), so it costs the same at any history. True when a line changed. */
#define MODEL_CUT_REACH 256
bool model_cut_partials(model *m, model_ix *ix);

/* Transcript access by running line number; NULL when out of range (dropped or future). */
const model_line *model_line_at(const model_ix *ix, uint64_t no);
uint64_t model_line_end(const model_ix *ix);     /* first_no + count */
/* The line holding utterance `uid`, and its number in *no; NULL when not held. */
const model_line *model_line_by_uid(const model_ix *ix, const char *uid, uint64_t *no);

/* Agent state shown in the header. */
typedef enum { AGENT_AVAILABLE, AGENT_ON_INTERACTION, AGENT_WRAP_UP, AGENT_BREAK } model_agent_state;
/* The signed-in agent's state: a break the hub reports (agent.status) wins, as on the hub;
 * else what the interactions held say. */
model_agent_state model_agent_state_of(const model *m);
const char *model_agent_state_name(model_agent_state s);

/* Visible suggestions (not dismissed), the newest batch first, best first within a batch;
 * the n-th (0-based) or NULL. */
model_suggestion *model_suggestion_nth(model_ix *ix, size_t n);
size_t model_suggestion_count(const model_ix *ix);
/* The agent's own feedback on a suggestion: used (kept, marked "used") or dismissed
 * (hidden). The actions in agent.c call it; views only read. */
void model_suggestion_feedback(model *m, model_ix *ix, model_suggestion *sg, bool used);
/* The status of `agent`, or NULL when the hub has said none. */
const model_agent_status *model_agent_status_of(const model *m, const char *agent);

/* The figures' row of `key` in rows (queues or agents), or NULL. */
const model_metrics_row *model_metrics_find(const model_metrics_row *rows, size_t n, const char *key);

/* Checklist progress. */
size_t model_checks_done(const model_ix *ix);

const char *model_speaker_name(model_speaker s);
/* The label of an utterance: its speaker's name, marked when a demo's script said it
 * ("agent (simulated)"; `narrow`: within the transcript's 10 label columns, "sim agent"). */
const char *model_line_speaker_label(const model_line *l, bool narrow);
/* "negative", "neutral", "positive"; "?" for none. */
const char *model_label_name(model_sentiment_label l);
/* The customer's latest score, its trend, or 0 when none yet. */
double model_trend_at(const model_ix *ix, size_t i_from_oldest);
size_t model_trend_count(const model_ix *ix);

#endif
