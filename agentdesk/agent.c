/* agent.c — agent actions and shared wording. */
#include "agentdesk/agent.h"
#include "base/mem.h"

#include <stdio.h>
#include <string.h>

static model_ix *active_or_err(session *s, char *err, size_t errlen)
{
    model_ix *ix = model_active(&s->model);
    if (!ix) snprintf(err, errlen, "no interaction is open");
    return ix;
}

const char *agent_use_suggestion(session *s, int n, char *err, size_t errlen)
{
    model_ix *ix = active_or_err(s, err, errlen);
    if (!ix) return NULL;
    model_suggestion *sg = n >= 1 ? model_suggestion_nth(ix, (size_t)(n - 1)) : NULL;
    if (!sg) { snprintf(err, errlen, "no suggestion %d", n); return NULL; }
    if (!sg->used) {
        model_suggestion_feedback(&s->model, ix, sg, true);
        if (!session_feedback(s, ix->iid, sg->sid, true, err, errlen)) return NULL;
    }
    return sg->text;
}

bool agent_dismiss_suggestion(session *s, int n, char *err, size_t errlen)
{
    model_ix *ix = active_or_err(s, err, errlen);
    if (!ix) return false;
    model_suggestion *sg = n >= 1 ? model_suggestion_nth(ix, (size_t)(n - 1)) : NULL;
    if (!sg) { snprintf(err, errlen, "no suggestion %d", n); return false; }
    model_suggestion_feedback(&s->model, ix, sg, false);
    return session_feedback(s, ix->iid, sg->sid, false, err, errlen);
}

bool agent_line_is_note(const model_ix *ix)
{
    return !ix || !ix->channel || strcmp(ix->channel, "chat") != 0 || ix->state != IX_LIVE;
}

bool agent_send_line(session *s, const char *text, bool as_note, char *err, size_t errlen)
{
    model_ix *ix = active_or_err(s, err, errlen);
    if (!ix) return false;
    if (!text || !*text) { snprintf(err, errlen, "nothing to send"); return false; }
    if (as_note || agent_line_is_note(ix)) return session_note(s, ix->iid, text, err, errlen);
    return session_reply(s, ix->iid, text, err, errlen);
}

bool agent_toggle_hand(session *s, const char *text, bool *raised, char *err, size_t errlen)
{
    model_ix *ix = active_or_err(s, err, errlen);
    if (!ix) return false;
    if (ix->state != IX_LIVE) {
        snprintf(err, errlen, "the interaction has ended: no hand to raise on it");
        return false;
    }
    for (size_t i = 0; i < outbox_count(&s->outbox); i++) {
        const outbox_item *it = outbox_item_at(&s->outbox, i);
        if (!strcmp(it->type, "help") && it->iid && !strcmp(it->iid, ix->iid)) {
            snprintf(err, errlen, "your last hand is still on its way to the hub");
            return false;
        }
    }
    *raised = !ix->hand_raised;
    return session_help(s, ix->iid, text, !*raised, err, errlen);
}

bool agent_toggle_break(session *s, bool *on_break, char *err, size_t errlen)
{
    for (size_t i = 0; i < outbox_count(&s->outbox); i++)
        if (!strcmp(outbox_item_at(&s->outbox, i)->type, "status")) {
            snprintf(err, errlen, "your last status change is still on its way to the hub");
            return false;
        }
    *on_break = model_agent_state_of(&s->model) != AGENT_BREAK;
    return session_status(s, *on_break ? "break" : "available", err, errlen);
}

app_tick agent_tick_period(const model *m, bool countdown)
{
    bool running = false;
    for (size_t i = 0; m && i < m->n_ix && !running; i++)
        running = m->ix[i]->state == IX_LIVE && m->ix[i]->started_ms > 0;
    return countdown || running ? APP_TICK_SECOND : APP_TICK_MINUTE;
}

size_t agent_wrapup_codes(const model_ix *ix, const char **out, size_t max, size_t *preselect)
{
    static const char *builtin[] = {"resolved", "follow-up", "escalated", "callback", "other"};
    size_t n = 0;
    *preselect = 0;
    for (size_t i = 0; ix && i < ix->n_codes; i++)
        if (*ix->codes[i] && n < max) out[n++] = ix->codes[i];
    if (n == 0)
        for (size_t i = 0; i < sizeof builtin / sizeof *builtin && n < max; i++) out[n++] = builtin[i];
    for (size_t i = 0; ix && ix->disposition && i < n; i++)
        if (strcmp(out[i], ix->disposition) == 0) *preselect = i;
    return n;
}

void agent_fmt_clock(int64_t ms, char *buf, size_t n)
{
    if (ms < 0) { snprintf(buf, n, "--:--"); return; }
    long long s = ms / 1000;
    /* past four days the clocks disagree more than the call lasted: keep the column narrow */
    if (s >= 100LL * 3600) snprintf(buf, n, ">99h");
    else if (s >= 3600) snprintf(buf, n, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else snprintf(buf, n, "%02lld:%02lld", s / 60, s % 60);
}

bool agent_alert_parse(const char *s, agent_alert *out)
{
    static const char *const names[] = {[AGENT_ALERT_BELL] = "bell", [AGENT_ALERT_FLASH] = "flash",
                                        [AGENT_ALERT_OFF] = "off"};
    for (size_t i = 0; s && i < sizeof names / sizeof *names; i++)
        if (!strcmp(s, names[i])) { *out = (agent_alert)i; return true; }
    return false;
}

bool agent_alert_due(const model *m, const model_delta *d)
{
    if (m->snap_seq || !d->ix || (d->what & (MODEL_CH_DUPLICATE | MODEL_CH_IGNORED | MODEL_CH_RESET)))
        return false;
    if (d->type == EV_INTERACTION_STARTED && d->ix->state == IX_LIVE) return true;
    return d->flag_added && d->flag < d->ix->n_flags && d->ix->flags[d->flag].severity >= 3;
}

const char *agent_trend_arrow(int direction)
{
    if (direction > 0) return "↑";
    if (direction < 0) return "↓";
    return "";
}

const char *agent_trend_level(double trend)
{
    if (trend <= -0.5) return "hostile";
    if (trend <= -0.15) return "negative";
    if (trend >= 0.15) return "positive";
    return "neutral";
}

const char *agent_channel_mark(const char *channel)
{
    if (channel && strcmp(channel, "voice") == 0) return "V";
    if (channel && strcmp(channel, "chat") == 0) return "C";
    return "?";
}

const char *agent_severity_mark(int severity)
{
    return severity >= 3 ? "!!!" : severity == 2 ? "!!" : "!";
}

const char *agent_customer_name(const model_ix *ix)
{
    if (ix->customer_name && *ix->customer_name) return ix->customer_name;
    if (ix->customer_id && *ix->customer_id) return ix->customer_id;
    return "customer";
}
