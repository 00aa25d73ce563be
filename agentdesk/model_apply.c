/* model_apply.c — each hub event parsed once into the model's typed structs, one handler
 * per event type (table below). Every handler fills the change record it is given, so views
 * learn exactly what changed without reading the event. */
#include "agentdesk/model.h"
#include "agentdesk/model_internal.h"
#include "base/mem.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_str(char **dst, const char *src)
{
    if (!src) return;
    if (*dst && strcmp(*dst, src) == 0) return;
    free(*dst);
    *dst = mem_strdup(src);
}

static char *dup_or(const char *s, const char *def)
{
    return mem_strdup(s ? s : def);
}

/* A string member of a JSON object from the (already cleaned) event, "" when absent. */
static char *js_dup(json_t *obj, const char *key)
{
    return dup_or(json_string_value(json_object_get(obj, key)), "");
}

static model_speaker speaker_of(const char *s)
{
    static const struct { const char *name; model_speaker sp; } table[] = {
        {"customer", SPEAKER_CUSTOMER}, {"agent", SPEAKER_AGENT}, {"bot", SPEAKER_BOT},
        {"supervisor", SPEAKER_SUPERVISOR},
    };
    for (size_t i = 0; s && i < sizeof table / sizeof *table; i++)
        if (strcmp(table[i].name, s) == 0) return table[i].sp;
    return SPEAKER_SYSTEM;
}

static model_sentiment_label label_of(const char *s)
{
    if (!s) return SENT_NONE;
    if (strcmp(s, "negative") == 0) return SENT_NEGATIVE;
    if (strcmp(s, "positive") == 0) return SENT_POSITIVE;
    return SENT_NEUTRAL;
}

/* ---- event handlers ---- */

typedef void (*apply_fn)(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d);

/* A new line changes the interaction list only through the unread badge, which counts
 * lines of the interactions the agent is not looking at: a line of the active one leaves
 * the list as it was (and so does not redraw it). */
static void line_added(const model *m, model_ix *ix, model_delta *d, uint64_t no)
{
    ix->transcript_version++;
    d->what |= MODEL_CH_TRANSCRIPT;
    if (model_active(m) != ix) d->what |= MODEL_CH_LIST;
    d->line_added = true;
    d->line = no;
}

/* A line an event makes (a whisper, a note, a hand, the handover card), placed by the
 * event's time; a uid lets a later event find it again (the handover card is replaced). */
static void line_event_uid(model *m, model_ix *ix, model_line_kind kind, model_speaker sp,
                           const char *who, const char *text, const char *uid, int64_t seq,
                           model_delta *d)
{
    uint64_t no;
    model_line *l = model_line_append(m, ix, &no);
    l->kind = (uint8_t)kind;
    l->speaker = (uint8_t)sp;
    model_line_set_strings(ix, l, no, text, uid, who);
    l->final = true;
    l->seq = seq;
    l->version = 1;
    /* lines without an offset of their own are placed by the event's time */
    if (m->cur_ts > 0 && ix->started_ms > 0 && m->cur_ts >= ix->started_ms)
        l->offset_ms = m->cur_ts - ix->started_ms;
    line_added(m, ix, d, no);
}

static void line_event(model *m, model_ix *ix, model_line_kind kind, model_speaker sp,
                       const char *who, const char *text, int64_t seq, model_delta *d)
{
    line_event_uid(m, ix, kind, sp, who, text, NULL, seq, d);
}

static void copy_ix_fields(model_ix *ix, const proto_event *ev)
{
    set_str(&ix->channel, proto_str(ev, "channel"));
    set_str(&ix->queue, proto_str(ev, "queue"));
    set_str(&ix->agent, proto_str(ev, "agent"));
    set_str(&ix->agent_name, proto_str(ev, "agent_name"));
    set_str(&ix->customer_id, proto_str(ev, "customer_id"));
    set_str(&ix->customer_name, proto_str(ev, "customer_name"));
    int64_t st = proto_int(ev, "started_ms", 0);
    if (st) ix->started_ms = st;
}

static void on_started(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    (void)m; (void)seq;
    copy_ix_fields(ix, ev);
    d->what |= MODEL_CH_LIST | MODEL_CH_HEADER;
}

static void on_utterance(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    const char *uid = proto_str(ev, "uid");
    const char *text = proto_str(ev, "text");
    bool final = proto_bool(ev, "final", false);
    uint64_t no;
    model_line *l = uid ? model_line_by_uid_mut(ix, uid, &no) : NULL;
    if (l) {
        /* a late partial never undoes the final already shown */
        if (l->final && !final) return;
        model_line_set_strings(ix, l, no, text, l->uid, l->who);
        l->final = final;
        l->cut = false;   /* heard again: it goes on */
        l->seq = seq;
        l->version++;
        ix->transcript_version++;
        d->what |= MODEL_CH_TRANSCRIPT;   /* the same line grew: nothing in the list moved */
        d->line_changed = true;
        d->line = no;
        return;
    }
    l = model_line_append(m, ix, &no);
    l->kind = LINE_UTTERANCE;
    model_line_set_strings(ix, l, no, text, uid, NULL);
    l->speaker = (uint8_t)speaker_of(proto_str(ev, "speaker"));
    l->simulated = proto_bool(ev, "simulated", false);
    if (l->speaker == SPEAKER_BOT) ix->bot_spoke = true;
    else if (l->speaker == SPEAKER_AGENT || l->speaker == SPEAKER_SUPERVISOR) ix->agent_spoke = true;
    l->final = final;
    l->seq = seq;
    l->offset_ms = proto_int(ev, "offset_ms", -1);
    l->version = 1;
    line_added(m, ix, d, no);
}

/* The cue strings, ", "-joined, cut at a whole cue when they do not fit. */
static void join_cues(const json_t *arr, char *buf, size_t cap)
{
    size_t len = 0, i;
    json_t *v;
    buf[0] = 0;
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v);
        if (!s || !*s) continue;
        size_t need = strlen(s) + (len ? 2 : 0);
        if (len + need >= cap) break;
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", s);
    }
}

static void on_sentiment(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    (void)m; (void)seq;
    const char *uid = proto_str(ev, "uid");
    uint64_t no;
    model_line *l = uid ? model_line_by_uid_mut(ix, uid, &no) : NULL;
    double score = proto_num(ev, "score", 0);
    model_sentiment_label label = label_of(proto_str(ev, "label"));
    if (proto_str(ev, "source")) {
        /* Contact Lens's label: beside ours, never in our trend */
        if (l) {
            l->cl_label = (uint8_t)label;
            ix->transcript_version++;
        }
        if (!l || l->speaker == SPEAKER_CUSTOMER) ix->cl_label = label;
        d->second_opinion = true;
        d->what |= MODEL_CH_SENTIMENT;
        return;
    }
    if (l) {
        /* the label and score change, not the text: the line's version (what wraps and
         * the transcript's drawing depend on) stays, and no line is reported changed */
        l->label = (uint8_t)label;
        l->score = score;
        ix->transcript_version++;
    }
    ix->sentiment = (model_sentiment){
        .label = label, .score = score, .trend = proto_num(ev, "trend", 0),
        .slope = proto_num(ev, "slope", 0), .has_trend = proto_json(ev, "trend") != NULL,
        .direction = (int)proto_int(ev, "direction", 0),
    };
    const char *emotion = proto_str(ev, "emotion");
    snprintf(ix->sentiment.emotion, sizeof ix->sentiment.emotion, "%s", emotion ? emotion : "");
    join_cues(proto_json(ev, "cues"), ix->sentiment.cues, sizeof ix->sentiment.cues);
    d->what |= MODEL_CH_SENTIMENT | MODEL_CH_TRANSCRIPT;
    if (!l || l->speaker == SPEAKER_CUSTOMER) {
        double trend = proto_num(ev, "trend", score);
        /* the list row is coloured by the customer's trend */
        if (!ix->has_sentiment || trend != ix->last_trend) d->what |= MODEL_CH_LIST;
        ix->trend[ix->n_trend % MODEL_TREND_POINTS] = trend;
        ix->n_trend++;
        ix->last_score = score;
        ix->last_trend = trend;
        ix->last_slope = proto_num(ev, "slope", 0);
        ix->last_direction = ix->sentiment.direction;
        memcpy(ix->last_emotion, ix->sentiment.emotion, sizeof ix->last_emotion);
        memcpy(ix->last_cues, ix->sentiment.cues, sizeof ix->last_cues);
        ix->has_sentiment = true;
    }
}

static void on_flag(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    const char *fid = proto_str(ev, "fid");
    for (size_t i = 0; fid && i < ix->n_flags; i++)
        if (strcmp(ix->flags[i].fid, fid) == 0) return;
    ix->flags = mem_realloc(ix->flags, (ix->n_flags + 1) * sizeof *ix->flags);
    model_flag *f = &ix->flags[ix->n_flags];
    memset(f, 0, sizeof *f);
    f->fid = dup_or(fid, "");
    f->kind = dup_or(proto_str(ev, "kind"), "flag");
    f->text = dup_or(proto_str(ev, "text"), "");
    f->rule = dup_or(proto_str(ev, "rule"), "");
    f->evidence = dup_or(proto_str(ev, "evidence"), "");
    f->uid = proto_str(ev, "uid") ? mem_strdup(proto_str(ev, "uid")) : NULL;
    f->severity = (int)proto_int(ev, "severity", 1);
    f->offset_ms = proto_int(ev, "offset_ms", -1);
    f->seq = seq;
    d->flag_added = true;
    d->flag = ix->n_flags++;
    if (model_active(m) != ix) ix->new_flags++;
    d->what |= MODEL_CH_FLAGS | MODEL_CH_LIST;
}

#define MODEL_MAX_SUGGESTIONS 32

static void on_suggestion(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    (void)m;
    const char *sid = proto_str(ev, "sid");
    if (!sid) return;
    d->what |= MODEL_CH_SUGGESTIONS;
    d->sugg_touched = true;
    for (size_t i = 0; i < ix->n_sugg; i++) {
        if (strcmp(ix->sugg[i].sid, sid) == 0) {
            /* the same article again: refresh its text, keep the agent's dismissal and its place */
            set_str(&ix->sugg[i].title, proto_str(ev, "title"));
            set_str(&ix->sugg[i].text, proto_str(ev, "text"));
            ix->sugg[i].score = proto_num(ev, "score", 0);
            ix->sugg[i].confidence = proto_num(ev, "confidence", -1);
            d->sugg = i;
            return;
        }
    }
    /* the hub sends one final's suggestions best first in consecutive seqs: the next of a
     * batch goes after the batch's earlier ones, a new batch to the front */
    bool same_batch = seq > 0 && seq == ix->sugg_last_seq + 1 && ix->sugg_batch > 0;
    if (ix->n_sugg == MODEL_MAX_SUGGESTIONS) model_sugg_clear(&ix->sugg[--ix->n_sugg]);
    size_t at = same_batch && ix->sugg_batch < ix->n_sugg ? ix->sugg_batch : same_batch ? ix->n_sugg : 0;
    ix->sugg = mem_realloc(ix->sugg, (ix->n_sugg + 1) * sizeof *ix->sugg);
    memmove(&ix->sugg[at + 1], &ix->sugg[at], (ix->n_sugg - at) * sizeof *ix->sugg);
    model_suggestion *s = &ix->sugg[at];
    memset(s, 0, sizeof *s);
    s->sid = mem_strdup(sid);
    s->title = dup_or(proto_str(ev, "title"), "");
    s->text = dup_or(proto_str(ev, "text"), "");
    s->source = dup_or(proto_str(ev, "source"), "");
    s->score = proto_num(ev, "score", 0);
    s->confidence = proto_num(ev, "confidence", -1);
    ix->n_sugg++;
    ix->sugg_batch = at + 1;
    ix->sugg_last_seq = seq;
    d->sugg = at;
}

static void on_customer(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    (void)m; (void)seq;
    model_customer_clear(ix);
    json_t *c = proto_json(ev, "customer");
    if (c) {
        ix->has_customer = true;
        ix->customer = (model_customer){
            .id = js_dup(c, "id"), .name = js_dup(c, "name"), .tier = js_dup(c, "tier"),
            .since = js_dup(c, "since"), .plan = js_dup(c, "plan"), .email = js_dup(c, "email"),
            .phone = js_dup(c, "phone"),
        };
        if (!ix->customer_name && *ix->customer.name) ix->customer_name = mem_strdup(ix->customer.name);
    }
    json_t *h = proto_json(ev, "history"), *o = proto_json(ev, "orders"), *e;
    size_t i;
    ix->n_history = json_array_size(h);
    ix->history = ix->n_history ? mem_zalloc(ix->n_history, sizeof *ix->history) : NULL;
    json_array_foreach(h, i, e) {
        json_t *sv = json_object_get(e, "sentiment");
        ix->history[i] = (model_contact){
            .date = js_dup(e, "date"), .channel = js_dup(e, "channel"), .reason = js_dup(e, "reason"),
            .outcome = js_dup(e, "outcome"), .sentiment = json_number_value(sv),
            .has_sentiment = json_is_number(sv),
        };
    }
    ix->n_orders = json_array_size(o);
    ix->orders = ix->n_orders ? mem_zalloc(ix->n_orders, sizeof *ix->orders) : NULL;
    json_array_foreach(o, i, e) {
        json_t *amt = json_object_get(e, "amount");
        ix->orders[i] = (model_order){
            .id = js_dup(e, "id"), .item = js_dup(e, "item"), .status = js_dup(e, "status"),
            .currency = js_dup(e, "currency"), .amount = json_number_value(amt),
            .has_amount = json_is_number(amt),
        };
    }
    d->what |= MODEL_CH_CUSTOMER | MODEL_CH_LIST;
}

static void on_checklist(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    (void)m; (void)seq;
    json_t *items = proto_json(ev, "items");
    for (size_t i = 0; i < ix->n_checks; i++) {
        free(ix->checks[i].id); free(ix->checks[i].label); free(ix->checks[i].by);
    }
    size_t n = json_is_array(items) ? json_array_size(items) : 0;
    ix->checks = mem_realloc(ix->checks, (n ? n : 1) * sizeof *ix->checks);
    ix->n_checks = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(items, i);
        const char *id = json_string_value(json_object_get(it, "id"));
        const char *label = json_string_value(json_object_get(it, "label"));
        const char *by = json_string_value(json_object_get(it, "by"));
        if (!id) continue;
        model_check_item *c = &ix->checks[ix->n_checks++];
        c->id = mem_strdup(id);
        c->label = mem_strdup(label ? label : id);
        c->by = dup_or(by, "");
        c->done = json_is_true(json_object_get(it, "done"));
    }
    d->what |= MODEL_CH_CHECKLIST;
}

static void on_summary(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    if (proto_str(ev, "source")) {
        /* Contact Lens's own summary: kept and shown in the transcript, never the draft the
         * wrap-up starts from */
        set_str(&ix->cl_summary, proto_str(ev, "text"));
        char *buf = mem_printf("Contact Lens summary: %s", ix->cl_summary ? ix->cl_summary : "");
        line_event(m, ix, LINE_EVENT, SPEAKER_SYSTEM, "Contact Lens", buf, seq, d);
        free(buf);
        d->second_opinion = true;
        return;
    }
    set_str(&ix->summary, proto_str(ev, "text"));
    set_str(&ix->disposition, proto_str(ev, "disposition"));
    model_codes_clear(ix);
    json_t *codes = proto_json(ev, "codes"), *c;
    size_t i;
    if (json_is_array(codes)) {
        ix->codes = mem_zalloc(json_array_size(codes) + 1, sizeof *ix->codes);
        json_array_foreach(codes, i, c)
            if (json_string_value(c)) ix->codes[ix->n_codes++] = mem_strdup(json_string_value(c));
    }
    ix->summary_final = proto_bool(ev, "final", false);
    d->what |= MODEL_CH_SUMMARY;
}

static void on_whisper(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    const char *who = proto_str(ev, "from_name") ? proto_str(ev, "from_name") : proto_str(ev, "from");
    line_event(m, ix, LINE_WHISPER, SPEAKER_SUPERVISOR, who, proto_str(ev, "text"), seq, d);
    if (ix->hand_raised) { ix->hand_seen = true; d->what |= MODEL_CH_HEADER; }   /* they answered */
}

static void on_barge(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    const char *who = proto_str(ev, "from_name") ? proto_str(ev, "from_name") : proto_str(ev, "from");
    bool left = proto_bool(ev, "left", false);
    char buf[PROTO_MAX_SHORT + 64];
    snprintf(buf, sizeof buf, "%s %s the interaction", who ? who : "a supervisor", left ? "left" : "joined");
    line_event(m, ix, LINE_EVENT, SPEAKER_SYSTEM, who, buf, seq, d);
    const char *from = proto_str(ev, "from");
    if (m->user && from && strcmp(m->user, from) == 0) ix->joined = !left;
    if (!left && ix->hand_raised) { ix->hand_seen = true; d->what |= MODEL_CH_HEADER; }
    d->what |= MODEL_CH_LIST;
}

/* A supervisor moved the interaction: its owner changes; a console whose agent lost it
 * says so and lets it go (the hub sends it nothing more of it), without a wrap-up. */
static void on_assigned(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    const char *to = proto_str(ev, "agent_name"), *from = proto_str(ev, "from_name");
    const char *by = proto_str(ev, "by_name");
    char buf[3 * PROTO_MAX_SHORT + 64];
    if (from && !*from)   /* unassigned until its source (Amazon Connect, a connector) named the agent */
        snprintf(buf, sizeof buf, "%s assigned the interaction to %s", by && *by ? by : "the source",
                 to ? to : "?");
    else
        snprintf(buf, sizeof buf, "%s moved the interaction from %s to %s", by ? by : "a supervisor",
                 from ? from : "?", to ? to : "?");
    line_event(m, ix, LINE_EVENT, SPEAKER_SYSTEM, by, buf, seq, d);
    set_str(&ix->agent, proto_str(ev, "agent"));
    set_str(&ix->agent_name, to);
    ix->transfers++;
    const char *prev = proto_str(ev, "from");
    bool mine_before = m->user && prev && strcmp(prev, m->user) == 0;
    if (mine_before && m->role && strcmp(m->role, "agent") == 0) {
        ix->state = IX_WRAPPED;   /* gone from this agent: nothing left to wrap up */
        if (!ix->ended_ms) ix->ended_ms = m->cur_ts;
    }
    d->what |= MODEL_CH_LIST | MODEL_CH_HEADER;
}

/* Something in the contact that is no line of its transcript (Contact Lens: a participant
 * joined, a file was attached): an event line. */
static void on_contact_event(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    line_event(m, ix, LINE_EVENT, SPEAKER_SYSTEM, NULL, proto_str(ev, "text"), seq, d);
}

/* A supervisor acknowledged a raised hand or a flag: help is coming. */
static void on_alert_acked(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    int64_t alert = proto_int(ev, "alert", 0);
    const char *by = proto_str(ev, "by_name") ? proto_str(ev, "by_name") : proto_str(ev, "by");
    const char *what = NULL;
    if (alert && alert == ix->hand_seq) {
        snprintf(ix->hand_acked_by, sizeof ix->hand_acked_by, "%s", by ? by : "a supervisor");
        ix->hand_seen = true;
        what = "your raised hand";
    }
    for (size_t i = 0; alert && i < ix->n_flags; i++)
        if (ix->flags[i].seq == alert) {
            snprintf(ix->flags[i].acked_by, sizeof ix->flags[i].acked_by, "%s", by ? by : "a supervisor");
            what = "the flag";
            d->what |= MODEL_CH_FLAGS;
        }
    char buf[PROTO_MAX_SHORT + 80];
    snprintf(buf, sizeof buf, "help is coming: %s saw %s", by ? by : "a supervisor", what ? what : "the alert");
    line_event(m, ix, LINE_EVENT, SPEAKER_SYSTEM, by, buf, seq, d);
    d->what |= MODEL_CH_HEADER | MODEL_CH_LIST;
}

static void on_hand(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    const char *text = proto_str(ev, "text");
    bool raised = proto_bool(ev, "raised", true);
    char *buf = raised ? mem_printf("hand raised%s%s", text && *text ? ": " : "", text ? text : "")
                       : mem_strdup("hand lowered");
    line_event(m, ix, LINE_EVENT, SPEAKER_SYSTEM, proto_str(ev, "agent_name"), buf, seq, d);
    free(buf);
    ix->hand_raised = raised;
    ix->hand_ms = raised ? m->cur_ts : 0;
    ix->hand_seq = raised ? seq : 0;
    ix->hand_acked_by[0] = 0;
    ix->hand_seen = false;
    free(ix->hand_text);
    ix->hand_text = raised && text ? mem_strdup(text) : NULL;
    d->what |= MODEL_CH_HEADER;
}

static void on_note(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    line_event(m, ix, LINE_NOTE, SPEAKER_AGENT, proto_str(ev, "user"), proto_str(ev, "text"), seq, d);
    d->what &= ~(unsigned)MODEL_CH_LIST;   /* a note is the agent's own: no unread badge change */
}

static void on_wrapup(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    set_str(&ix->wrap_code, proto_str(ev, "code") ? proto_str(ev, "code") : "");
    ix->follow_up = proto_bool(ev, "follow_up", false);
    ix->state = IX_WRAPPED;
    char *buf = mem_printf("wrapped up: %s%s", ix->wrap_code, ix->follow_up ? " (follow-up)" : "");
    line_event(m, ix, LINE_EVENT, SPEAKER_SYSTEM, proto_str(ev, "user"), buf, seq, d);
    free(buf);
    d->what |= MODEL_CH_HEADER;
}

static void on_ended(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    if (ix->state == IX_LIVE) ix->state = IX_ENDED;
    ix->ended_ms = proto_int(ev, "ended_ms", 0);
    model_cut_partials(m, ix);   /* nobody finishes a sentence after the end */
    set_str(&ix->end_reason, proto_str(ev, "reason") ? proto_str(ev, "reason") : "");
    char *buf = mem_printf("interaction ended%s%s", *ix->end_reason ? ": " : "", ix->end_reason);
    for (char *p = buf; *p; p++) if (*p == '_') *p = ' ';   /* "hub_restart" -> "hub restart" */
    line_event(m, ix, LINE_EVENT, SPEAKER_SYSTEM, NULL, buf, seq, d);
    free(buf);
    d->what |= MODEL_CH_HEADER;
}

static const char *empty_if_null(const char *s)
{
    return s ? s : "";
}

/* The handover card, one transcript line at the point of handover (after the bot's part,
 * before the person's first words); a repeat of the event replaces it. */
static void on_handover(model *m, model_ix *ix, const proto_event *ev, int64_t seq, model_delta *d)
{
    size_t cap = 2 * PROTO_MAX_TEXT + 4096, used = 0;
    char *text = mem_alloc(cap);
    long long turns = (long long)proto_int(ev, "turns", 0);
    used += (size_t)snprintf(text, cap, "from the assistant, %lld turn%s\nwants: %s", turns,
                             turns == 1 ? "" : "s", empty_if_null(proto_str(ev, "wants")));
    json_t *done = proto_json(ev, "done"), *item;
    size_t i;
    json_array_foreach(done, i, item)
        if (json_is_string(item) && used < cap)
            used += (size_t)snprintf(text + used, cap - used, "\n%s", json_string_value(item));
    if (used < cap)
        snprintf(text + used, cap - used, "\nwhy: %s\nmood now: %s", empty_if_null(proto_str(ev, "reason")),
                 empty_if_null(proto_str(ev, "mood")));
    ix->handed_over = true;
    uint64_t no;
    model_line *l = model_line_by_uid_mut(ix, "handover", &no);
    if (l) {
        model_line_set_strings(ix, l, no, text, l->uid, NULL);
        l->seq = seq;
        l->version++;
        ix->transcript_version++;
        d->what |= MODEL_CH_TRANSCRIPT;
        d->line_changed = true;
        d->line = no;
    } else {
        line_event_uid(m, ix, LINE_HANDOVER, SPEAKER_BOT, NULL, text, "handover", seq, d);
    }
    free(text);
}

static const struct { proto_type type; apply_fn fn; } apply_table[] = {
    {EV_INTERACTION_STARTED, on_started}, {EV_UTTERANCE, on_utterance},
    {EV_SENTIMENT, on_sentiment},         {EV_FLAG, on_flag},
    {EV_SUGGESTION, on_suggestion},       {EV_CUSTOMER, on_customer},
    {EV_CHECKLIST, on_checklist},         {EV_SUMMARY, on_summary},
    {EV_HANDOVER, on_handover},
    {EV_WHISPERED, on_whisper},           {EV_BARGED, on_barge},
    {EV_HAND_RAISED, on_hand},            {EV_NOTED, on_note},
    {EV_WRAPPED_UP, on_wrapup},           {EV_INTERACTION_ENDED, on_ended},
    {EV_ASSIGNED, on_assigned},           {EV_ALERT_ACKED, on_alert_acked},
    {EV_CONTACT_EVENT, on_contact_event},
};

/* agent.status: the agent's current state, replacing what we held of it. */
static unsigned apply_agent_status(model *m, const proto_event *ev)
{
    const char *agent = proto_str(ev, "agent");
    if (!agent) return MODEL_CH_NONE;
    model_agent_status *a = (model_agent_status *)model_agent_status_of(m, agent);
    if (!a) {
        m->agents = mem_realloc(m->agents, (m->n_agents + 1) * sizeof *m->agents);
        a = &m->agents[m->n_agents++];
        memset(a, 0, sizeof *a);
        a->agent = mem_strdup(agent);
    }
    set_str(&a->name, proto_str(ev, "agent_name"));
    snprintf(a->state, sizeof a->state, "%s", proto_str(ev, "state") ? proto_str(ev, "state") : "");
    a->since_ms = proto_int(ev, "since_ms", 0);
    a->live = (unsigned)proto_int(ev, "live", 0);
    a->acw_count = (unsigned)proto_int(ev, "acw_count", 0);
    a->handled_today = (unsigned)proto_int(ev, "handled_today", 0);
    /* our own state is in the agent's header */
    return MODEL_CH_AGENTS | (m->user && !strcmp(m->user, agent) ? MODEL_CH_HEADER : MODEL_CH_NONE);
}

static unsigned apply_welcome(model *m, const proto_event *ev)
{
    unsigned ch = MODEL_CH_HEADER;
    const char *hub = proto_str(ev, "hub_id");
    int64_t hub_seq = proto_int(ev, "seq", 0);
    /* Another hub, or one whose log is behind what we saw: what we hold is not its history. */
    if ((m->hub_id && hub && strcmp(m->hub_id, hub) != 0) || hub_seq < m->last_seq) {
        model_reset(m);
        ch |= MODEL_CH_RESET | MODEL_CH_LIST;
    }
    set_str(&m->hub_id, hub);
    set_str(&m->user, proto_str(ev, "user"));
    set_str(&m->display_name, proto_str(ev, "display_name"));
    set_str(&m->role, proto_str(ev, "role"));
    return ch;
}

static unsigned apply_snapshot(model *m, const proto_event *ev)
{
    unsigned ch = MODEL_CH_NONE;
    /* the hub answered our resume with a tail-only snapshot: what we hold has a gap */
    if (proto_bool(ev, "fresh", false)) {
        model_reset(m);
        ch |= MODEL_CH_RESET | MODEL_CH_LIST;
    }
    /* the frames that follow replay these interactions with their own (older) seqs */
    int64_t seq = proto_int(ev, "seq", 0);
    if (seq > 0) {
        m->snap_seq = seq;
        if (seq > m->last_seq) m->last_seq = seq;
    }
    m->snapshot_gen++;
    json_t *arr = proto_json(ev, "interactions");
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) {
        const char *iid = json_string_value(json_object_get(it, "iid"));
        if (!iid) continue;
        proto_event one = {EV_INTERACTION_STARTED, it};
        model_ix *ix = model_ix_get(m, iid, &ch);
        copy_ix_fields(ix, &one);
        ix->snapshot_gen = m->snapshot_gen;
        ix->version++;
        ch |= MODEL_CH_LIST;
    }
    return ch;
}

model_delta model_apply(model *m, const proto_event *ev)
{
    model_delta d = {.type = ev->type};
    if (ev->type == EV_WELCOME) { m->version++; d.what = apply_welcome(m, ev); return d; }
    if (ev->type == EV_SNAPSHOT) { m->version++; d.what = apply_snapshot(m, ev); return d; }
    if (ev->type == EV_AGENT_STATUS) { m->version++; d.what = apply_agent_status(m, ev); return d; }
    if (ev->type == EV_FLOOR_METRICS) { m->version++; d.what = model_metrics_apply(m, ev); return d; }
    const proto_event_spec *spec = proto_spec(ev->type);
    if (!spec || !spec->durable) return d;
    int64_t seq = proto_int(ev, "seq", 0);
    const char *iid = proto_str(ev, "iid");
    model_ix *known = model_find(m, iid);
    if (known ? seq <= known->last_seq : seq <= m->last_seq) { d.what = MODEL_CH_DUPLICATE; return d; }
    if (seq > m->last_seq) m->last_seq = seq;
    if (m->snap_seq && seq > m->snap_seq) m->snap_seq = 0;   /* the replay is complete */
    /* the tail of an interaction we never saw start (or already pruned) is not shown */
    if (!known && ev->type != EV_INTERACTION_STARTED) { d.what = MODEL_CH_IGNORED; return d; }
    m->cur_ts = proto_int(ev, "ts", 0);
    for (size_t i = 0; i < sizeof apply_table / sizeof *apply_table; i++) {
        if (apply_table[i].type != ev->type) continue;
        model_ix *ix = model_ix_get(m, iid, &d.what);
        if (!ix) return d;
        ix->last_seq = seq;
        apply_table[i].fn(m, ix, ev, seq, &d);
        if (d.what) { ix->version++; m->version++; }
        if (d.what & MODEL_CH_LIST) m->list_version++;
        d.ix = ix;
        return d;
    }
    return d;
}
