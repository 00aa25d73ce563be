/* model.h — what the console knows: the interactions it can see and everything attached
 * to them, built only from decoded hub->console events (proto_event, already cleaned).
 * No curses, no sockets: views read it, the net client feeds it.
 *
 * Invariants:
 *  - every string in the model came through proto_decode and is clean (proto/text.h);
 *  - a durable event whose seq is <= its interaction's last_seq is ignored (dedupe across a
 *    resume, a reconnect or a repeated snapshot); an event for an interaction we do not hold
 *    is ignored unless it starts one (or its seq is new and it is interaction.started);
 *  - model_resume_point() is what to send as resume_after: 0 (ask for a snapshot) until the
 *    replay after a snapshot is known complete, then the highest seq seen;
 *  - an interaction's transcript holds at most `scrollback` lines, oldest dropped first;
 *    lines are addressed by a running number (`first_no` .. `first_no + count - 1`), so
 *    a view may cache per line number and the number of a line never changes;
 *  - a partial utterance and its final share one line (found by uid), replaced in place;
 *  - each line has a `version` bumped on every change, so wrap caches know when to redo. */
#ifndef AGENTDESK_MODEL_H
#define AGENTDESK_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "proto/codec.h"

#define MODEL_DEFAULT_SCROLLBACK 10000
#define MODEL_TREND_POINTS 256

typedef enum {
    SPEAKER_CUSTOMER, SPEAKER_AGENT, SPEAKER_BOT, SPEAKER_SUPERVISOR, SPEAKER_SYSTEM
} model_speaker;

typedef enum {
    LINE_UTTERANCE,   /* customer / agent / bot speech or chat text */
    LINE_WHISPER,     /* supervisor to agent, never heard by the customer */
    LINE_NOTE,        /* a note written by the agent */
    LINE_EVENT        /* hand raised, barge, wrap-up, ended: one plain sentence */
} model_line_kind;

typedef enum { SENT_NONE, SENT_NEGATIVE, SENT_NEUTRAL, SENT_POSITIVE } model_sentiment_label;

typedef struct {
    char *uid;                  /* utterance id, NULL for lines without one */
    char *who;                  /* display name of the speaker (whisper/note author), may be NULL */
    char *text;                 /* cleaned; may contain '\n' in notes */
    int64_t seq;                /* seq of the event that last changed this line */
    int64_t offset_ms;          /* from the interaction's start; -1 if unknown */
    model_line_kind kind;
    model_speaker speaker;
    bool final;
    model_sentiment_label label;
    double score;
    unsigned version;
} model_line;

typedef struct {
    char *fid, *kind, *text, *rule, *evidence, *uid;
    int severity;               /* 1..3 */
    int64_t offset_ms;          /* -1 if unknown */
    bool is_new;                /* not yet shown as a toast */
} model_flag;

typedef struct {
    char *sid, *title, *text, *source;
    double score;
    bool dismissed, used;
} model_suggestion;

typedef struct {
    char *id, *label, *by;
    bool done;
} model_check_item;

typedef enum { IX_LIVE, IX_ENDED, IX_WRAPPED } model_ix_state;

typedef struct {
    char *iid, *channel, *queue, *agent, *agent_name, *customer_id, *customer_name;
    int64_t started_ms, ended_ms;   /* wall clock ms; ended_ms 0 while live */
    char *end_reason;
    model_ix_state state;

    /* transcript ring */
    model_line *lines;          /* capacity `cap` ring */
    size_t cap, head, count;    /* head: index of the oldest line */
    uint64_t first_no;          /* running number of the oldest line */
    void *uid_index;            /* uid -> line number (model.c private) */
    unsigned transcript_version; /* bumped on any transcript change */

    /* enrichment */
    model_flag *flags; size_t n_flags;
    model_suggestion *sugg; size_t n_sugg;   /* newest first */
    model_check_item *checks; size_t n_checks;
    json_t *customer, *history, *orders;     /* from the customer event, or NULL */
    char *summary, *disposition;             /* latest summary */
    json_t *codes;                           /* array of disposition codes, or NULL */
    bool summary_final;
    double trend[MODEL_TREND_POINTS];        /* customer trend after each scored utterance */
    size_t n_trend;                          /* total pushed; ring of MODEL_TREND_POINTS */
    double last_score, last_trend, last_slope;
    bool has_sentiment;
    char *wrap_code;                          /* set once the wrapup event arrived */
    bool hand_raised;
    int64_t last_seq;                         /* highest seq applied to this interaction */
    unsigned unread;                          /* lines added while not active */
    unsigned new_flags;                       /* flags added while not active */
    unsigned version;                         /* bumped on any change of this interaction */
} model_ix;

typedef struct {
    model_ix **ix; size_t n_ix, cap_ix;
    size_t active;              /* index into ix, or (size_t)-1 when none */
    int64_t last_seq;           /* highest durable seq seen */
    int64_t snap_seq;           /* seq of the last snapshot, until an event after it arrives */
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
    MODEL_CH_RESET = 1 << 10,      /* the hub is not the one we knew: everything forgotten */
    MODEL_CH_IGNORED = 1 << 11     /* dropped: about an interaction we do not hold */
} model_change;

void model_init(model *m, size_t scrollback);
void model_free(model *m);
/* Forget every interaction and the seq (the hub's log is not the one we knew). */
void model_reset(model *m);

/* Apply one decoded hub->console event. Returns a mask of model_change; `*ix_out` (if not
 * NULL) gets the interaction it touched, or NULL. */
unsigned model_apply(model *m, const proto_event *ev, model_ix **ix_out);

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

/* Transcript access by running line number; NULL when out of range (dropped or future). */
const model_line *model_line_at(const model_ix *ix, uint64_t no);
uint64_t model_line_end(const model_ix *ix);     /* first_no + count */
/* The line holding utterance `uid`, and its number in *no; NULL when not held. */
const model_line *model_line_by_uid(const model_ix *ix, const char *uid, uint64_t *no);

/* Agent state shown in the header. */
typedef enum { AGENT_AVAILABLE, AGENT_ON_INTERACTION, AGENT_WRAP_UP } model_agent_state;
model_agent_state model_agent_state_of(const model *m);
const char *model_agent_state_name(model_agent_state s);

/* Visible suggestions (not dismissed), newest first; the n-th (0-based) or NULL. */
model_suggestion *model_suggestion_nth(model_ix *ix, size_t n);
size_t model_suggestion_count(const model_ix *ix);
/* Checklist progress. */
size_t model_checks_done(const model_ix *ix);

const char *model_speaker_name(model_speaker s);
/* The customer's latest score, its trend, or 0 when none yet. */
double model_trend_at(const model_ix *ix, size_t i_from_oldest);
size_t model_trend_count(const model_ix *ix);

#endif
