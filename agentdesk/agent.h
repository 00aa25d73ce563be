/* agent.h — the agent mode's actions and wording, shared by its curses screen and by
 * --linear: what "use suggestion 2" or "wrap up" means in terms of the model and the
 * session, and how times, customers and flags are put into words. No curses here. */
#ifndef AGENTDESK_AGENT_H
#define AGENTDESK_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include "agentdesk/app.h"
#include "agentdesk/session.h"

/* The visible suggestion n (1-based) of the active interaction: records "used" with the
 * hub and returns its reply text (owned by the model), or NULL with a message. */
const char *agent_use_suggestion(session *s, int n, char *err, size_t errlen);
/* Dismiss visible suggestion n (1-based). */
bool agent_dismiss_suggestion(session *s, int n, char *err, size_t errlen);
/* Reply in a chat, note in a call: what the bottom line sends for the active interaction. */
bool agent_line_is_note(const model_ix *ix);
/* Send `text` from the bottom line: a reply in chats, a note in calls (or when as_note). */
bool agent_send_line(session *s, const char *text, bool as_note, char *err, size_t errlen);
/* The hand key: raises the hand on the active live interaction, or lowers it when it is up.
 * Refused (err) on an ended interaction and while the last press is not yet acknowledged, so
 * pressing twice never sends two. *raised says which it did. */
bool agent_toggle_hand(session *s, const char *text, bool *raised, char *err, size_t errlen);
/* A break (no new contact is offered) or available again, whichever the agent is not: the hub
 * keeps it and tells the supervisors (agent.status). on_break: what was asked for. */
bool agent_toggle_break(session *s, bool *on_break, char *err, size_t errlen);
/* The disposition codes to offer (the hub's, else a built-in list) and the preselected one. */
size_t agent_wrapup_codes(const model_ix *ix, const char **out, size_t max, size_t *preselect);

/* How often the screen's clock must tick: each second while something on screen counts
 * seconds (the running time of a live interaction, in the list and the transcript's title;
 * a reconnect countdown); else each minute, for the header's HH:MM clock. */
app_tick agent_tick_period(const model *m, bool countdown);

/* "04:12" from milliseconds (hours shown past 59:59); "--:--" when negative. */
void agent_fmt_clock(int64_t ms, char *buf, size_t n);
/* How a new contact or a severe flag makes itself noticed. */
typedef enum { AGENT_ALERT_BELL, AGENT_ALERT_FLASH, AGENT_ALERT_OFF } agent_alert;
/* "bell", "flash", "off"; false for anything else. */
bool agent_alert_parse(const char *s, agent_alert *out);
/* Does this change call for the alert: a contact that just arrived or a severe (3) flag just
 * raised, live — never an event a snapshot replays at connect. */
bool agent_alert_due(const model *m, const model_delta *d);
/* Arrow for the trend's direction as the hub judged it (only a significant slope has one):
 * "↑", "↓", or "" when steady or unclear, so a hostile plateau never reads as improving. */
const char *agent_trend_arrow(int direction);
/* The smoothed level in words, the hub's thresholds: hostile, negative, neutral, positive. */
const char *agent_trend_level(double trend);
/* Channel letter: "V" voice, "C" chat, "?" other. */
const char *agent_channel_mark(const char *channel);
/* Severity marks "[! ]", "[!!]", "[!!!]" style: "!", "!!", "!!!". */
const char *agent_severity_mark(int severity);
/* Customer's display name for an interaction (never NULL). */
const char *agent_customer_name(const model_ix *ix);

#endif
