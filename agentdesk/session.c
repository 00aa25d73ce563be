/* session.c — model + outbox + net: events in, actions out. */
#include "agentdesk/session.h"
#include "base/logfile.h"
#include "base/mem.h"
#include "base/clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

static void notice(session *s, session_notice_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void notice(session *s, session_notice_level lvl, const char *fmt, ...)
{
    if (!s->listener.on_notice) return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    s->listener.on_notice(s->listener_ud, lvl, buf);
}

static void outbox_changed(session *s)
{
    if (s->listener.on_outbox) s->listener.on_outbox(s->listener_ud);
}

/* Send every item not yet on this connection, in order. */
static void flush_outbox(session *s)
{
    bool any = false;
    outbox_item *it;
    while (s->net && (it = outbox_next_unsent(&s->outbox)) != NULL) {
        if (!net_send(s->net, it->frame, it->frame_len)) break;
        it->sent = true;
        any = true;
    }
    if (any) outbox_changed(s);
}

static const struct action_words { const char *type, *label, *acked; } action_words[] = {
    {"reply", "reply", NULL}, {"note", "note", "note saved"}, {"wrapup", "wrap-up", "wrap-up saved"},
    {"help", "raised hand", "hand raised: supervisors see it"},
    {"whisper", "whisper", "whispered: only the agent sees it"}, {"barge", "barge", "joined the interaction"},
    {"leave", "leave", "left the interaction"}, {"takeover", "take-over", "taken over"},
    {"alert.ack", "acknowledgement", "acknowledged: the agent sees help is coming"},
    {"suggestion.feedback", "suggestion feedback", NULL}, {"checklist.tick", "checklist tick", NULL},
};

static const struct action_words *words_of(const char *type)
{
    for (size_t i = 0; i < sizeof action_words / sizeof *action_words; i++)
        if (strcmp(action_words[i].type, type) == 0) return &action_words[i];
    return NULL;
}

static const char *action_label(const char *type)
{
    const struct action_words *w = words_of(type);
    return w ? w->label : type;
}

/* Errors that will not go away by sending again: the item is dropped. */
static bool permanent_error(const char *code)
{
    static const char *codes[] = {PROTO_ERR_BAD_FIELD, PROTO_ERR_FORBIDDEN, PROTO_ERR_NOT_FOUND,
                                  PROTO_ERR_UNKNOWN_TYPE, PROTO_ERR_BAD_JSON, PROTO_ERR_TOO_BIG};
    for (size_t i = 0; code && i < sizeof codes / sizeof *codes; i++)
        if (strcmp(codes[i], code) == 0) return true;
    return false;
}

static void on_event(void *ud, const proto_event *ev)
{
    session *s = ud;
    s->events_in++;
    if (!s->first_rx_us) s->first_rx_us = clock_mono_us();
    if (ev->type == EV_ACK) {
        char type[64];
        if (outbox_remove(&s->outbox, proto_str(ev, "id"), type, sizeof type)) {
            const struct action_words *w = words_of(type);
            if (w && w->acked) notice(s, NOTICE_OK, "%s", w->acked);
            outbox_changed(s);
        }
        if (s->listener.on_ack) s->listener.on_ack(s->listener_ud, proto_str(ev, "id"));
        return;
    }
    if (ev->type == EV_ERROR) {
        const char *ref = proto_str(ev, "ref"), *code = proto_str(ev, "code");
        const char *msg = proto_str(ev, "message");
        char type[64] = "", text[200] = "";
        const outbox_item *it = outbox_find(&s->outbox, ref);
        bool ours = it != NULL;
        if (it) {
            snprintf(type, sizeof type, "%s", it->type);
            /* the words go with the refusal, so what the agent wrote is never just gone */
            if (it->text) {
                int cut = (int)strlen(it->text);
                if (cut > 150) for (cut = 150; cut > 0 && (it->text[cut] & 0xC0) == 0x80; cut--) {}
                snprintf(text, sizeof text, " (\"%.*s%s\")", cut, it->text, it->text[cut] ? "…" : "");
            }
        }
        if (ours && permanent_error(code)) {
            logfile_write("action %s refused: %s", ref, code ? code : "?");
            outbox_remove(&s->outbox, ref, NULL, 0);
            outbox_changed(s);
            notice(s, NOTICE_ERROR, "%s refused: %s%s", action_label(type), msg ? msg : code, text);
        } else {
            notice(s, NOTICE_ERROR, "hub: %s%s%s", code ? code : "error", msg ? ": " : "",
                   msg ? msg : "");
        }
        return;
    }
    if (ev->type == EV_REVEALED) {   /* never into the model: shown, then gone */
        if (s->listener.on_revealed) s->listener.on_revealed(s->listener_ud, ev);
        return;
    }
    model_delta d = model_apply(&s->model, ev);
    if (d.type == EV_WELCOME && s->on_welcome) s->on_welcome(s, s->welcome_ud);
    if ((d.what & MODEL_CH_RESET) && d.type == EV_WELCOME) {
        /* this hub does not know our seq: start over with a snapshot */
        notice(s, NOTICE_WARN, "the hub's history changed: reloading");
        if (s->net) net_restart(s->net);
    }
    if (s->listener.on_change) s->listener.on_change(s->listener_ud, &d);
}

static void on_ready(void *ud)
{
    session *s = ud;
    outbox_mark_unsent(&s->outbox);
    flush_outbox(s);
}

static void on_state(void *ud)
{
    session *s = ud;
    int status;
    if (s->app->child_pid > 0 && net_get_state(s->net) == NET_WAITING &&
        waitpid(s->app->child_pid, &status, WNOHANG) == s->app->child_pid) {
        s->app->child_pid = 0;
        notice(s, NOTICE_ERROR, "the demo hub stopped (%s %d)",
               WIFSIGNALED(status) ? "signal" : "status",
               WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }
    if (net_get_state(s->net) != NET_READY) {
        outbox_mark_unsent(&s->outbox);
        /* nobody will finish a partial we cannot hear: say so until its uid is heard again */
        model_cut_partials(&s->model, NULL);
    }
    if (s->listener.on_net) s->listener.on_net(s->listener_ud);
}

static void on_bad_frame(void *ud, const char *msg)
{
    notice(ud, NOTICE_WARN, "bad frame from the hub: %s", msg);
}

static int64_t resume_after(void *ud)
{
    session *s = ud;
    return model_resume_point(&s->model);
}

static int64_t keep_lines(void *ud)
{
    session *s = ud;
    return (int64_t)s->model.scrollback;
}

bool session_init(session *s, app *a, const char *url, const char *token,
                  const char *outbox_path, size_t scrollback, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->app = a;
    model_init(&s->model, scrollback);
    if (!outbox_open(&s->outbox, outbox_path, err, errlen)) return false;
    static const net_hooks hooks = {
        .on_event = on_event, .on_ready = on_ready, .on_state = on_state,
        .on_bad_frame = on_bad_frame, .resume_after = resume_after,
        .keep_lines = keep_lines,
    };
    if (!url) return true;
    s->net = net_new(a->ctx, url, token, "agentdesk/" AGENTDESK_VERSION, &hooks, s, err, errlen);
    return s->net != NULL;
}

void session_set_listener(session *s, const session_listener *l, void *ud)
{
    s->listener = *l;
    s->listener_ud = ud;
}

void session_start(session *s)
{
    if (s->not_saved)
        notice(s, NOTICE_WARN, "not saved: %s; actions waiting for the hub and drafts are lost on quit",
               s->not_saved);
    if (s->start_warning) notice(s, NOTICE_WARN, "%s", s->start_warning);
    if (s->net) net_start(s->net);
}

void session_apply(session *s, const proto_event *ev)
{
    on_event(s, ev);
}

void session_stop(session *s)
{
    net_stop(s->net);
}

void session_free(session *s)
{
    net_free(s->net);
    free(s->lat_us);
    free(s->draw_us);
    outbox_close(&s->outbox);
    model_free(&s->model);
    free(s->not_saved);
    free(s->start_warning);
    memset(s, 0, sizeof *s);
}

static bool submit(session *s, proto_event *ev, char *err, size_t errlen)
{
    const outbox_item *it = outbox_add(&s->outbox, ev, err, errlen);
    proto_free(ev);
    if (!it) return false;
    outbox_changed(s);
    flush_outbox(s);
    return true;
}

static proto_event action(proto_type type, const char *iid)
{
    proto_event ev = proto_new(type);
    if (iid) proto_set_str(&ev, "iid", iid);
    return ev;
}

bool session_reply(session *s, const char *iid, const char *text, char *err, size_t errlen)
{
    proto_event ev = action(EV_REPLY, iid);
    proto_set_str(&ev, "text", text);
    return submit(s, &ev, err, errlen);
}

bool session_note(session *s, const char *iid, const char *text, char *err, size_t errlen)
{
    proto_event ev = action(EV_NOTE, iid);
    proto_set_str(&ev, "text", text);
    return submit(s, &ev, err, errlen);
}

bool session_help(session *s, const char *iid, const char *text, bool lower, char *err, size_t errlen)
{
    proto_event ev = action(EV_HELP, iid);
    if (text && *text) proto_set_str(&ev, "text", text);
    if (lower) proto_set_bool(&ev, "lower", true);
    return submit(s, &ev, err, errlen);
}

bool session_feedback(session *s, const char *iid, const char *sid, bool used,
                      char *err, size_t errlen)
{
    proto_event ev = action(EV_SUGGESTION_FEEDBACK, iid);
    proto_set_str(&ev, "sid", sid);
    proto_set_str(&ev, "action", used ? "used" : "dismissed");
    return submit(s, &ev, err, errlen);
}

bool session_wrapup(session *s, const char *iid, const char *code, const char *summary,
                    bool follow_up, char *err, size_t errlen)
{
    proto_event ev = action(EV_WRAPUP, iid);
    proto_set_str(&ev, "code", code);
    proto_set_str(&ev, "summary", summary ? summary : "");
    proto_set_bool(&ev, "follow_up", follow_up);
    return submit(s, &ev, err, errlen);
}

bool session_check_tick(session *s, const char *iid, const char *item, bool done,
                        char *err, size_t errlen)
{
    proto_event ev = action(EV_CHECKLIST_TICK, iid);
    proto_set_str(&ev, "item", item);
    proto_set_bool(&ev, "done", done);
    return submit(s, &ev, err, errlen);
}

bool session_whisper(session *s, const char *iid, const char *text, char *err, size_t errlen)
{
    proto_event ev = action(EV_WHISPER, iid);
    proto_set_str(&ev, "text", text);
    return submit(s, &ev, err, errlen);
}

bool session_barge(session *s, const char *iid, char *err, size_t errlen)
{
    proto_event ev = action(EV_BARGE, iid);
    return submit(s, &ev, err, errlen);
}

bool session_status(session *s, const char *state, char *err, size_t errlen)
{
    proto_event ev = action(EV_STATUS, NULL);
    proto_set_str(&ev, "state", state);
    return submit(s, &ev, err, errlen);
}

bool session_leave(session *s, const char *iid, char *err, size_t errlen)
{
    proto_event ev = action(EV_LEAVE, iid);
    return submit(s, &ev, err, errlen);
}

bool session_takeover(session *s, const char *iid, const char *to, char *err, size_t errlen)
{
    proto_event ev = action(EV_TAKEOVER, iid);
    if (to && *to) proto_set_str(&ev, "to", to);
    return submit(s, &ev, err, errlen);
}

bool session_alert_ack(session *s, const char *iid, int64_t alert, char *err, size_t errlen)
{
    proto_event ev = action(EV_ALERT_ACK, iid);
    proto_set_int(&ev, "alert", alert);
    return submit(s, &ev, err, errlen);
}

/* An event sent once on this connection, not kept in the outbox (with an id when its
 * type has one). */
static void send_now(session *s, proto_event *ev, bool with_id)
{
    if (with_id) {
        char *id = outbox_new_id();
        proto_set_str(ev, "id", id);
        free(id);
    }
    size_t len;
    proto_error perr;
    char *f = proto_encode(ev, &len, &perr);
    proto_free(ev);
    if (f && s->net) net_send(s->net, f, len);
    free(f);
}

void session_follow(session *s, const char *iid, bool on)
{
    proto_event ev = proto_new(on ? EV_SUBSCRIBE : EV_UNSUBSCRIBE);
    proto_set_str(&ev, "iid", iid);
    send_now(s, &ev, false);
}

void session_subscribe_all(session *s)
{
    proto_event ev = proto_new(EV_SUBSCRIBE);
    proto_set_str(&ev, "scope", "all");
    send_now(s, &ev, false);
}

void session_summary_request(session *s, const char *iid)
{
    proto_event ev = action(EV_SUMMARY_REQUEST, iid);
    send_now(s, &ev, true);
}

bool session_reveal(session *s, const char *iid, const char *uid, const char *field, unsigned index,
                    char *id, size_t cap)
{
    if (!s->net || net_get_state(s->net) != NET_READY) return false;
    proto_event ev = action(EV_REVEAL, iid);
    char *nid = outbox_new_id();
    proto_set_str(&ev, "id", nid);
    snprintf(id, cap, "%s", nid);
    free(nid);
    if (uid) {
        proto_set_str(&ev, "uid", uid);
        proto_set_int(&ev, "index", index);
    } else {
        proto_set_str(&ev, "field", field);
    }
    size_t len;
    proto_error perr;
    char *f = proto_encode(&ev, &len, &perr);
    proto_free(&ev);
    bool ok = f && net_send(s->net, f, len);
    free(f);
    return ok;
}

/* Bounded: a long session keeps its first million samples. */
static void sample(uint32_t **arr, size_t *n, size_t *cap, int64_t us)
{
    if (*n == *cap) {
        if (*cap >= 1000000) return;
        *cap = *cap ? *cap * 2 : 1024;
        *arr = mem_realloc(*arr, *cap * sizeof **arr);
    }
    (*arr)[(*n)++] = us < 0 ? 0 : us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

void session_shown(session *s)
{
    if (!s->first_rx_us) return;
    int64_t d = clock_mono_us() - s->first_rx_us;
    s->first_rx_us = 0;
    sample(&s->lat_us, &s->n_lat, &s->cap_lat, d);
}

void session_drawn(session *s, int64_t us)
{
    sample(&s->draw_us, &s->n_draw, &s->cap_draw, us);
    int64_t second = clock_mono_ms() / 1000;
    if (second != s->draw_second) { s->draw_second = second; s->draws_this_second = 0; }
    if (++s->draws_this_second > s->max_draws_per_second) s->max_draws_per_second = s->draws_this_second;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
    fclose(f);
    return kb;
}

/* p50, p99 and max of n samples into out[3]. */
static void percentiles(const uint32_t *v, size_t n, uint32_t out[3])
{
    out[0] = out[1] = out[2] = 0;
    if (!n) return;
    uint32_t *sorted = mem_alloc(n * sizeof *sorted);
    memcpy(sorted, v, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_u32);
    out[0] = sorted[n / 2];
    out[1] = sorted[(n * 99) / 100];
    out[2] = sorted[n - 1];
    free(sorted);
}

void session_write_stats(const session *s, const char *path)
{
    FILE *f = fopen(path, "a");
    if (!f) return;
    uint32_t lat[3], draw[3];
    percentiles(s->lat_us, s->n_lat, lat);
    percentiles(s->draw_us, s->n_draw, draw);
    size_t lines = 0;
    for (size_t i = 0; i < s->model.n_ix; i++) lines += s->model.ix[i]->count;
    fprintf(f, "events %llu lines %zu renders %zu event_to_screen_us p50 %u p99 %u max %u "
               "render_us p50 %u p99 %u max %u draws %zu max_draws_per_s %u rss_kb %ld\n",
            (unsigned long long)s->events_in, lines, s->n_lat, lat[0], lat[1], lat[2],
            draw[0], draw[1], draw[2], s->n_draw, s->max_draws_per_second, rss_kb());
    fclose(f);
}

size_t session_unsent(const session *s)
{
    return outbox_count(&s->outbox);
}
