/* session.h — one signed-in connection's state, shared by every mode and front end: the
 * model (what the hub told us), the outbox (what we asked the hub to do) and the net
 * client, glued together. Fronts (curses views, --linear) listen for changes and call the
 * action functions; they never touch the network or the outbox file themselves. */
#ifndef AGENTDESK_SESSION_H
#define AGENTDESK_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include "agentdesk/app.h"
#include "agentdesk/model.h"
#include "agentdesk/net.h"
#include "agentdesk/outbox.h"

typedef enum { NOTICE_INFO, NOTICE_OK, NOTICE_WARN, NOTICE_ERROR } session_notice_level;

typedef struct {
    /* an event was applied to the model: what it changed (may be a duplicate: what has
     * MODEL_CH_DUPLICATE); views read the model, never the event */
    void (*on_change)(void *ud, const model_delta *d);
    /* the hub acknowledged our action `id` (already out of the outbox) */
    void (*on_ack)(void *ud, const char *id);
    /* a short message for the user (ack, refusal, bad frame); cleaned */
    void (*on_notice)(void *ud, session_notice_level level, const char *text);
    void (*on_net)(void *ud);                  /* connection state or RTT changed */
    void (*on_outbox)(void *ud);               /* an item was added, sent or acked */
    /* the hub's answer to our reveal: a value in clear, to show for a moment and keep
     * nowhere (the event lives until the call returns) */
    void (*on_revealed)(void *ud, const proto_event *ev);
} session_listener;

typedef struct session {
    app *app;
    model model;
    outbox outbox;
    net *net;
    session_listener listener;
    void *listener_ud;
    int64_t first_rx_us;        /* receipt time of the oldest event not yet on screen, 0 none */
    uint64_t events_in;         /* decoded events received */
    uint32_t *lat_us;           /* event->screen latencies recorded by session_shown */
    size_t n_lat, cap_lat;
    uint32_t *draw_us;          /* render step durations (draw + doupdate) */
    size_t n_draw, cap_draw;
    int64_t draw_second;        /* the monotonic second of the last draw */
    unsigned draws_this_second, max_draws_per_second;   /* the frame rate's peak */
    /* called when the hub's welcome said who we are (model.role is set), before the
     * listener hears of it: main decides the mode by role here */
    void (*on_welcome)(struct session *s, void *ud);
    void *welcome_ud;
    char *not_saved;            /* why nothing is kept on disk (malloc'd), NULL when it is */
    char *start_warning;        /* said once at start (malloc'd), NULL none */
} session;

/* Opens the outbox at outbox_path (NULL: memory only), creates the net client (not started)
 * for `url`; with url NULL there is no network at all (a file replay, tests) and events come
 * in through session_apply. false with a message. */
bool session_init(session *s, app *a, const char *url, const char *token,
                  const char *outbox_path, size_t scrollback, char *err, size_t errlen);
void session_set_listener(session *s, const session_listener *l, void *ud);
/* Ask for one masked value in clear (`reveal`): value `index` of line `uid`, or the customer
 * card's `field` when uid is NULL. Sent now or never (not through the outbox: it is no work
 * to keep, and nothing about it is written to disk); the id it used goes to id (cap bytes).
 * False when there is no connection. */
bool session_reveal(session *s, const char *iid, const char *uid, const char *field, unsigned index,
                    char *id, size_t cap);
/* Connect. When not_saved or start_warning is set (after session_init), says so first. */
void session_start(session *s);
/* Take one decoded hub->console event as if it had arrived from the hub. */
void session_apply(session *s, const proto_event *ev);
/* Detach from the network before the lws context is destroyed (app_shutdown). */
void session_stop(session *s);
void session_free(session *s);

/* Actions on interaction `iid`. Each is persisted in the outbox before it is sent, carries
 * its own id, and is applied once by the hub. false with a message (e.g. too long). */
bool session_reply(session *s, const char *iid, const char *text, char *err, size_t errlen);
bool session_note(session *s, const char *iid, const char *text, char *err, size_t errlen);
bool session_help(session *s, const char *iid, const char *text, bool lower, char *err, size_t errlen);
bool session_feedback(session *s, const char *iid, const char *sid, bool used,
                      char *err, size_t errlen);
bool session_wrapup(session *s, const char *iid, const char *code, const char *summary,
                    bool follow_up, char *err, size_t errlen);
bool session_check_tick(session *s, const char *iid, const char *item, bool done,
                        char *err, size_t errlen);
/* Supervisor actions: a line only the agent sees; join the interaction. */
bool session_whisper(session *s, const char *iid, const char *text, char *err, size_t errlen);
bool session_barge(session *s, const char *iid, char *err, size_t errlen);
/* Leave an interaction we barged into. */
/* The agent's own status: "available" or "break" (the hub offers no new contact on a break). */
bool session_status(session *s, const char *state, char *err, size_t errlen);
bool session_leave(session *s, const char *iid, char *err, size_t errlen);
/* Move it to `to` (an agent's user name), or to ourselves when `to` is NULL or "". */
bool session_takeover(session *s, const char *iid, const char *to, char *err, size_t errlen);
/* Acknowledge the alert whose hand or flag event had seq `alert`. */
bool session_alert_ack(session *s, const char *iid, int64_t alert, char *err, size_t errlen);
/* Not durable (no outbox): follow one interaction by iid, or stop (a supervisor opening one:
 * the hub records the open in its audit). */
void session_follow(session *s, const char *iid, bool on);
/* Not durable (no outbox): follow every interaction the role may see (scope "all"). */
void session_subscribe_all(session *s);
/* Not durable (no outbox): ask the hub for a drafted summary now. */
void session_summary_request(session *s, const char *iid);

/* The front end has put everything received so far on screen (after doupdate, or after
 * printing in --linear): records the time since the oldest event not yet shown. */
void session_shown(session *s);
/* The front end's render step took `us` microseconds (draw dirty widgets + doupdate). */
void session_drawn(session *s, int64_t us);
/* Append one line of figures to `path`: events received, lines held, event->screen
 * latency (p50/p99/max), render step time (p50/p99/max), RSS. */
void session_write_stats(const session *s, const char *path);

/* Items waiting for an ack. */
size_t session_unsent(const session *s);
/* Monotonic microseconds. */

#endif
