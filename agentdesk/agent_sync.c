/* agent_sync.c — filling the agent screen's widgets from the model. */
#include "agentdesk/agent_sync.h"
#include "agentdesk/agent.h"
#include "agentdesk/agent_hints.h"
#include "agentdesk/app.h"
#include "base/mem.h"
#include "base/strhash.h"
#include "base/wrap.h"
#include "base/clock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static theme_item sentiment_item(double score)
{
    if (score <= -0.15) return THEME_SENTIMENT_NEGATIVE;
    if (score >= 0.15) return THEME_SENTIMENT_POSITIVE;
    return THEME_SENTIMENT_NEUTRAL;
}

static theme_item flag_item(int severity)
{
    return severity >= 3 ? THEME_FLAG_3 : severity == 2 ? THEME_FLAG_2 : THEME_FLAG_1;
}

static int64_t duration_ms(const model_ix *ix)
{
    if (!ix->started_ms) return -1;
    int64_t end = ix->ended_ms ? ix->ended_ms : clock_wall_ms();
    return end >= ix->started_ms ? end - ix->started_ms : 0;
}

/* A live interaction's running time; for one that is over, what it needs: "wrap up" or "done". */
static const char *ix_time(const model_ix *ix, char *buf, size_t n)
{
    if (ix->state == IX_ENDED) snprintf(buf, n, "wrap up");
    else if (ix->state == IX_WRAPPED) snprintf(buf, n, "done");
    else agent_fmt_clock(duration_ms(ix), buf, n);
    return buf;
}

/* "2026-11-02" -> "02 Nov"; anything else is kept as it is. */
static void short_date(const char *iso, char *out, size_t n)
{
    static const char *mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y, m, d;
    if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
        snprintf(out, n, "%02d %s", d, mon[m - 1]);
    else
        snprintf(out, n, "%s", iso);
}

/* ---- transcript ---- */

static theme_item speaker_item(const model_line *l)
{
    if (l->kind == LINE_WHISPER) return THEME_TRANSCRIPT_WHISPER;
    if (l->kind == LINE_EVENT || l->kind == LINE_HANDOVER) return THEME_TRANSCRIPT_SYSTEM;
    switch (l->speaker) {
    case SPEAKER_CUSTOMER: return THEME_TRANSCRIPT_CUSTOMER;
    case SPEAKER_AGENT: return THEME_TRANSCRIPT_AGENT;
    case SPEAKER_BOT: return THEME_TRANSCRIPT_BOT;
    case SPEAKER_SUPERVISOR: return THEME_TRANSCRIPT_SUPERVISOR;
    default: return THEME_TRANSCRIPT_SYSTEM;
    }
}

/* The interaction the textview shows, or NULL. */
static const model_ix *shown_ix(const agent_view *v)
{
    const model_ix *ix = v->model ? model_active(v->model) : NULL;
    return ix && v->fed_iid && strcmp(ix->iid, v->fed_iid) == 0 ? ix : NULL;
}

static uint64_t src_first(void *ctx)
{
    const model_ix *ix = shown_ix(ctx);
    return ix ? ix->first_no : 0;
}

/* The agent's own replies and notes still in the outbox for this interaction, in order:
 * shown after the transcript, tagged "[queued]" or "[sending]", until the hub's event for
 * them (after its ack) puts the real line in their place. */
static bool shows_pending(const outbox_item *it, const model_ix *ix)
{
    return it->iid && it->text && !strcmp(it->iid, ix->iid) &&
           (!strcmp(it->type, "reply") || !strcmp(it->type, "note"));
}

static const outbox_item *pending_at(const agent_view *v, const model_ix *ix, uint64_t k)
{
    for (size_t i = 0; v->outbox && i < outbox_count(v->outbox); i++) {
        const outbox_item *it = outbox_item_at(v->outbox, i);
        if (shows_pending(it, ix) && k-- == 0) return it;
    }
    return NULL;
}

static uint64_t pending_count(const agent_view *v, const model_ix *ix)
{
    uint64_t n = 0;
    for (size_t i = 0; v->outbox && i < outbox_count(v->outbox); i++)
        n += shows_pending(outbox_item_at(v->outbox, i), ix);
    return n;
}

static uint64_t src_end(void *ctx)
{
    const model_ix *ix = shown_ix(ctx);
    return ix ? model_line_end(ix) + pending_count(ctx, ix) : 0;
}

static bool pending_get(agent_view *v, const model_ix *ix, uint64_t k, textview_line *out)
{
    const outbox_item *it = pending_at(v, ix, k);
    if (!it) return false;
    bool note = !strcmp(it->type, "note");
    out->label = note ? "note" : "you";
    out->label_item = note ? THEME_TRANSCRIPT_SYSTEM : THEME_TRANSCRIPT_AGENT;
    out->offset = NULL;
    out->text = it->text;
    out->flags = TEXTVIEW_PENDING;
    out->tag = it->sent ? "[sending]" : "[queued]";
    /* a number the real line will take later: a version no model line has */
    out->version = 0x80000000u | (strhash_fnv1a(it->id) & 0x7ffffffeu) | (it->sent ? 1u : 0u);
    return true;
}

/* A model line as the transcript shows it: offset and speaker in the prefix, a whisper's
 * author before its text. Strings live in the view's scratch until the next call. */
static bool src_get(void *ctx, uint64_t no, textview_line *out)
{
    agent_view *v = ctx;
    const model_ix *ix = shown_ix(v);
    const model_line *l = ix ? model_line_at(ix, no) : NULL;
    if (!l) return ix && no >= model_line_end(ix) && pending_get(v, ix, no - model_line_end(ix), out);
    agent_fmt_clock(l->offset_ms, v->src_off, sizeof v->src_off);
    switch (l->kind) {
    case LINE_WHISPER: out->label = "whisper"; break;
    case LINE_NOTE: out->label = "note"; break;
    case LINE_EVENT: out->label = "--"; break;
    case LINE_HANDOVER: out->label = "handover"; break;
    default: out->label = model_line_speaker_label(l, true); break;
    }
    out->offset = l->offset_ms >= 0 ? v->src_off : NULL;
    out->label_item = speaker_item(l);
    out->flags = (l->final ? 0 : TEXTVIEW_PARTIAL) | (l->cut ? TEXTVIEW_CUT : 0) |
                 (l->kind == LINE_WHISPER ? TEXTVIEW_WHISPER : 0) |
                 (l->kind == LINE_EVENT ? TEXTVIEW_SYSTEM : 0);
    out->version = l->version;
    out->text = l->text;
    if (l->kind == LINE_WHISPER && l->who) {
        size_t need = strlen(l->who) + 2 + strlen(l->text) + 1;
        if (need > v->src_text_cap) {
            v->src_text = mem_realloc(v->src_text, need);
            v->src_text_cap = need;
        }
        snprintf(v->src_text, need, "%s: %s", l->who, l->text);
        out->text = v->src_text;
    }
    return true;
}

textview_source agent_view_transcript_source(agent_view *v)
{
    return (textview_source){ .first = src_first, .end = src_end, .get = src_get, .ctx = v };
}

void agent_sync_transcript(agent_view *v, session *s, bool full)
{
    v->model = &s->model;
    v->outbox = &s->outbox;
    model_ix *ix = model_active(&s->model);
    const char *iid = ix ? ix->iid : NULL;
    bool same = iid && v->fed_iid && strcmp(iid, v->fed_iid) == 0;
    if (full || !same) {
        free(v->fed_iid);
        v->fed_iid = iid ? mem_strdup(iid) : NULL;
        textview_reset(v->tv);
        return;
    }
    textview_changed(v->tv);
}

/* ---- side lists ---- */

static void section_row(view_rows *r, const char *title)
{
    struct view_row *row = agent_view_rows_add(r);
    row->text = mem_strdup(title);
    row->text_item = THEME_PANE_TITLE;
}

static void contact_row(struct view_row *row, const model_contact *h)
{
    char date[16];
    short_date(h->date, date, sizeof date);
    row->text = mem_printf(" %s %s %s", date, agent_channel_mark(h->channel), h->reason);
    row->text_item = h->has_sentiment ? sentiment_item(h->sentiment) : THEME_LIST;
    /* the outcome ("unresolved") is what matters: a row of its own, never cut away */
    row->detail = *h->outcome ? mem_printf("-> %s", h->outcome) : NULL;
}

static void order_row(struct view_row *row, const model_order *o)
{
    /* item and status first ("Smart watch · processing"): a cut takes the id */
    row->text = *o->status ? mem_printf(" %s · %s · %s", o->item, o->status, o->id)
                           : mem_printf(" %s · %s", o->item, o->id);
    row->right = o->has_amount ? mem_printf("%.2f %s", o->amount, o->currency) : NULL;
    row->right_item = THEME_LIST_DETAIL;
}

static void sync_customer(agent_view *v, const model_ix *ix)
{
    view_rows *r = &v->r_cust;
    agent_view_rows_clear(r);
    if (ix && ix->has_customer) {
        const model_customer *c = &ix->customer;
        struct view_row *row = agent_view_rows_add(r);
        row->text = mem_strdup(*c->name ? c->name : agent_customer_name(ix));
        int years = 0;
        if (strlen(c->since) >= 4) {
            time_t now = time(NULL);
            struct tm tm;
            gmtime_r(&now, &tm);
            years = tm.tm_year + 1900 - atoi(c->since);
        }
        char tier_cap[PROTO_MAX_SHORT];
        snprintf(tier_cap, sizeof tier_cap, "%s", *c->tier ? c->tier : "standard");
        if (tier_cap[0] >= 'a' && tier_cap[0] <= 'z') tier_cap[0] = (char)(tier_cap[0] - 'a' + 'A');
        row->right = years > 0 ? mem_printf("%s · %d yr%s", tier_cap, years, years == 1 ? "" : "s")
                               : mem_strdup(tier_cap);
        row->right_item = THEME_LIST_BADGE;
        row = agent_view_rows_add(r);
        row->text = *c->plan ? mem_printf("ID %s · %s", c->id, c->plan) : mem_printf("ID %s", c->id);
        row->text_item = THEME_LIST_DETAIL;
        /* email and phone share a row: redacted they are short, and rows are scarce here */
        if (*c->email || *c->phone) {
            row = agent_view_rows_add(r);
            row->text = *c->email && *c->phone ? mem_printf("%s · %s", c->email, c->phone)
                                               : mem_strdup(*c->email ? c->email : c->phone);
            row->text_item = THEME_LIST_DETAIL;
        }
    }
    if (ix && ix->n_history) {
        section_row(r, "Past contacts");
        for (size_t i = 0; i < ix->n_history; i++) contact_row(agent_view_rows_add(r), &ix->history[i]);
    }
    if (ix && ix->n_orders) {
        section_row(r, "Orders");
        for (size_t i = 0; i < ix->n_orders; i++) order_row(agent_view_rows_add(r), &ix->orders[i]);
    }
    list_changed(v->l_cust);
}

/* Flag rows wrap the reason (it says what to do, so it must not be cut) to the width the
 * list has, and quote the evidence on its own row. The newest flag gets the most rows. */
enum { FLAG_REASON_ROWS = 6, FLAG_OLDER_REASON_ROWS = 2 };

static void flag_text_rows(view_rows *r, const char *text, int cols, size_t max_rows)
{
    wrap_line lines[FLAG_REASON_ROWS];
    size_t n = text_wrap(text, strlen(text), cols, lines, max_rows);
    for (size_t i = 0; i < n && i < max_rows; i++) {
        struct view_row *row = agent_view_rows_add(r);
        /* the last row allowed takes the rest, and the list ends it with "…" */
        size_t len = i + 1 == max_rows && n > max_rows ? strlen(text) - lines[i].start : lines[i].len;
        row->text = mem_strndup(text + lines[i].start, len);
        row->text_item = THEME_LIST_DETAIL;
    }
}

static void sync_flags(agent_view *v, const model_ix *ix)
{
    view_rows *r = &v->r_flags;
    agent_view_rows_clear(r);
    /* the list's text column when on screen; else about what a tab would give it */
    int w = list_widget(v->l_flags)->rect.w;
    int cols = (w > 0 ? w : COLS - 2) - 6;
    if (cols < 10) cols = 10;
    /* newest first: the latest flag is what the agent needs to see */
    for (size_t k = 0; ix && k < ix->n_flags; k++) {
        const model_flag *f = &ix->flags[ix->n_flags - 1 - k];
        struct view_row *row = agent_view_rows_add(r);
        row->mark = mem_printf("[%s]", agent_severity_mark(f->severity));   /* "[!!!]" fits 6 columns */
        row->mark_item = flag_item(f->severity);
        row->text = mem_strdup(f->kind);
        for (char *p = row->text; *p; p++) if (*p == '_') *p = ' ';   /* "talk_ratio" -> "talk ratio" */
        row->text_item = flag_item(f->severity);
        if (v->flash_fid[0] && strcmp(v->flash_fid, f->fid) == 0) {
            row->badge = mem_strdup("new");
            row->badge_item = THEME_TOAST;
        }
        char off[16];
        agent_fmt_clock(f->offset_ms, off, sizeof off);
        row->right = f->offset_ms >= 0 ? mem_strdup(off) : NULL;
        row->right_item = THEME_TRANSCRIPT_OFFSET;
        if (*f->text) flag_text_rows(r, f->text, cols, k == 0 ? FLAG_REASON_ROWS : FLAG_OLDER_REASON_ROWS);
        if (*f->evidence) {
            char *quoted = mem_printf("\"%s\"", f->evidence);
            flag_text_rows(r, quoted, cols, 1);
            free(quoted);
        }
    }
    list_changed(v->l_flags);
}

/* A new batch goes to the front (key 1 is the newest best), so rows move down: the selected
 * row stays on the suggestion the agent was reading, never on whatever took its place. */
static void sync_suggestions(agent_view *v, model_ix *ix)
{
    view_rows *r = &v->r_sugg;
    size_t sel = list_selected(v->l_sugg);
    char *reading = sel < v->n_sugg_sids ? v->sugg_sids[sel] : NULL;
    for (size_t i = 0; i < v->n_sugg_sids; i++)
        if (v->sugg_sids[i] != reading) free(v->sugg_sids[i]);
    v->n_sugg_sids = 0;
    agent_view_rows_clear(r);
    model_suggestion *sg;
    size_t follow = SIZE_MAX;
    for (size_t i = 0; ix && (sg = model_suggestion_nth(ix, i)) != NULL; i++) {
        v->sugg_sids = mem_realloc(v->sugg_sids, (i + 1) * sizeof *v->sugg_sids);
        v->sugg_sids[v->n_sugg_sids++] = mem_strdup(sg->sid);
        if (reading && !strcmp(reading, sg->sid)) follow = i;
        struct view_row *row = agent_view_rows_add(r);
        row->mark = i < 9 ? mem_printf("%zu", i + 1) : mem_strdup(" ");
        row->mark_item = THEME_SUGGESTION_NUMBER;
        row->text = mem_strdup(sg->title);
        row->badge = sg->used ? mem_strdup("used") : NULL;
        row->badge_item = THEME_LIST_BADGE;
        size_t nl = strcspn(sg->text, "\n");
        char *first = mem_strndup(sg->text, nl);
        row->detail = mem_printf("\"%s\"", first);
        free(first);
        row->full = mem_strdup(sg->text);
    }
    free(reading);
    list_changed(v->l_sugg);
    if (follow != SIZE_MAX && follow != sel) list_select(v->l_sugg, follow);
    preview_changed(v->sugg_preview);
}

static void sync_checklist(agent_view *v, const model_ix *ix)
{
    view_rows *r = &v->r_check;
    agent_view_rows_clear(r);
    for (size_t i = 0; ix && i < ix->n_checks; i++) {
        const model_check_item *c = &ix->checks[i];
        struct view_row *row = agent_view_rows_add(r);
        row->mark = mem_strdup(c->done ? "[x]" : "[ ]");
        row->mark_item = c->done ? THEME_CHECKLIST_DONE : THEME_CHECKLIST_OPEN;
        row->text = mem_strdup(c->label);
        row->text_item = c->done ? THEME_CHECKLIST_DONE : THEME_CHECKLIST_OPEN;
        row->right = c->done && *c->by ? mem_strdup(strcmp(c->by, "phrase") == 0 ? "heard" : strcmp(c->by, "hand") == 0 ? "by you" : c->by) : NULL;
        row->right_item = THEME_LIST_DETAIL;
    }
    list_changed(v->l_check);
}

static void sync_sentiment(agent_view *v, const model_ix *ix)
{
    float vals[MODEL_TREND_POINTS] = {0};
    size_t n = ix ? model_trend_count(ix) : 0;
    for (size_t i = 0; i < n; i++) vals[i] = (float)model_trend_at(ix, i);
    sparkline_set_values(v->spark, vals, n);
    /* one mark per recent scored customer utterance, oldest first: the strip is the
     * customer's, and the agent's own lines would read as the customer's mood */
    sparkline_mark marks[64];
    size_t nm = 0;
    if (ix && ix->count) {
        uint64_t end = model_line_end(ix);
        uint64_t from = end > ix->first_no + 200 ? end - 200 : ix->first_no;
        for (uint64_t no = from; no < end; no++) {
            const model_line *l = model_line_at(ix, no);
            if (l->label == SENT_NONE || l->speaker != SPEAKER_CUSTOMER) continue;
            sparkline_mark *m = &marks[nm % 64];
            static const char *glyph[] = {"", "-", "0", "+"};
            static const theme_item item[] = {THEME_SENTIMENT_NEUTRAL, THEME_SENTIMENT_NEGATIVE,
                                              THEME_SENTIMENT_NEUTRAL, THEME_SENTIMENT_POSITIVE};
            snprintf(m->glyph, sizeof m->glyph, "%s", glyph[l->label]);
            m->item = item[l->label];
            nm++;
        }
    }
    sparkline_mark ordered[64];
    size_t count = nm < 64 ? nm : 64;
    for (size_t i = 0; i < count; i++) ordered[i] = marks[(nm - count + i) % 64];
    sparkline_set_marks(v->spark, ordered, count);
    char label[SPARKLINE_LABEL_MAX];
    /* the level in words and colour first, an arrow only for a significant change, then the
     * latest emotion with the words that carry it */
    if (ix && ix->has_sentiment) {
        /* the cue words quoted, as flags quote theirs: `frustration "no"`, not `frustration: no` */
        bool feels = *ix->last_emotion && strcmp(ix->last_emotion, "neutral") != 0;
        bool cues = feels && *ix->last_cues;
        snprintf(label, sizeof label, "customer %s %+.2f%s%s%s%.15s%s%.60s%s", agent_trend_level(ix->last_trend),
                 ix->last_trend, ix->last_direction ? " " : "", agent_trend_arrow(ix->last_direction),
                 feels ? " · " : "", feels ? ix->last_emotion : "", cues ? " \"" : "",
                 cues ? ix->last_cues : "", cues ? "\"" : "");
    } else {
        snprintf(label, sizeof label, "customer --");
    }
    if (ix && ix->cl_label != SENT_NONE) {   /* Contact Lens's opinion, modestly, after ours */
        size_t used = strlen(label);
        snprintf(label + used, sizeof label - used, " · Contact Lens: %s", model_label_name(ix->cl_label));
    }
    sparkline_set_label(v->spark, label, ix && ix->has_sentiment ? sentiment_item(ix->last_trend)
                                                                  : THEME_SENTIMENT_NEUTRAL);
}

/* ---- list, titles, header ---- */

void agent_sync_list(agent_view *v, session *s)
{
    model *m = &s->model;
    view_rows *r = &v->r_ix;
    agent_view_rows_clear(r);
    for (size_t i = 0; i < m->n_ix; i++) {
        model_ix *ix = m->ix[i];
        struct view_row *row = agent_view_rows_add(r);
        row->mark = mem_strdup(agent_channel_mark(ix->channel));
        row->mark_item = ix->has_sentiment ? sentiment_item(ix->last_trend) : THEME_LIST;
        row->text = mem_strdup(agent_customer_name(ix));
        /* the list is narrow and the name matters most: a call that is over shows what it
         * needs ("wrap up") where its running time was, and badges are short */
        if (ix->new_flags) { row->badge = mem_printf("!%u", ix->new_flags); row->badge_item = THEME_FLAG_2; }
        else if (ix->unread && ix->state == IX_LIVE) { row->badge = mem_printf("+%u", ix->unread); row->badge_item = THEME_LIST_BADGE; }
        char d[16];
        row->right = mem_strdup(ix_time(ix, d, sizeof d));
        row->right_item = ix->state == IX_ENDED ? THEME_STATUS_WARN
                        : ix->state == IX_WRAPPED ? THEME_LIST_DETAIL : THEME_LIST;
    }
    list_changed(v->l_ix);
    if (m->active < m->n_ix && list_selected(v->l_ix) != m->active) list_select(v->l_ix, m->active);
}

void agent_sync_titles(agent_view *v, session *s)
{
    model *m = &s->model;
    model_ix *ix = model_active(m);
    char buf[PANE_TITLE_MAX];
    snprintf(buf, sizeof buf, "Mine (%zu)", m->n_ix);
    pane_set_title(v->p_list, buf);
    if (ix) {
        char d[16];
        agent_fmt_clock(duration_ms(ix), d, sizeof d);
        snprintf(buf, sizeof buf, "%s · %s · %s · %s", agent_customer_name(ix),
                 ix->channel ? ix->channel : "?", ix->queue ? ix->queue : "?", d);
    } else {
        snprintf(buf, sizeof buf, "Transcript");
    }
    pane_set_title(v->p_tr, buf);
    char wrap_key[32] = "", ended[64];
    if (v->keys) agent_hints_first_key(v->keys, AK_WRAPUP, false, wrap_key, sizeof wrap_key);
    snprintf(ended, sizeof ended, "ended: %s%swrap up", wrap_key, *wrap_key ? " " : "");
    /* a raised hand stays in view until it is lowered, and says when a supervisor answered */
    pane_set_right_first(v->p_tr, !ix ? "" : ix->state == IX_ENDED ? ended
                                   : ix->state == IX_WRAPPED ? "wrapped up"
                                   : ix->hand_raised ? (ix->hand_seen ? "hand seen" : "hand up") : "");
    size_t nflags = ix ? ix->n_flags : 0, nsugg = ix ? model_suggestion_count(ix) : 0;
    size_t ndone = ix ? model_checks_done(ix) : 0, nchecks = ix ? ix->n_checks : 0;
    snprintf(buf, sizeof buf, "Flags (%zu)", nflags);
    pane_set_title(v->p_flags, buf);
    snprintf(buf, sizeof buf, "Suggestions (%zu)", nsugg);
    pane_set_title(v->p_sugg, buf);
    snprintf(buf, sizeof buf, "Checklist (%zu/%zu)", ndone, nchecks);
    pane_set_title(v->p_check, buf);
    pane_set_title(v->p_sent, "Sentiment");
    char labels[TAB_COUNT][PANE_TAB_MAX];
    snprintf(labels[TAB_TRANSCRIPT], PANE_TAB_MAX, "Transcript");
    snprintf(labels[TAB_MINE], PANE_TAB_MAX, "Mine %zu", s->model.n_ix);
    snprintf(labels[TAB_CUSTOMER], PANE_TAB_MAX, "Customer");
    snprintf(labels[TAB_FLAGS], PANE_TAB_MAX, "Flags %zu", nflags);
    snprintf(labels[TAB_SUGGEST], PANE_TAB_MAX, "Suggest %zu", nsugg);
    snprintf(labels[TAB_CHECKLIST], PANE_TAB_MAX, "Checklist %zu/%zu", ndone, nchecks);
    const char *lp[TAB_COUNT];
    for (int i = 0; i < TAB_COUNT; i++) lp[i] = labels[i];
    pane_set_tabs(v->p_main, lp, TAB_COUNT, (int)v->tab);
}

/* "ws://host:port/path" -> "host:port": what the agent needs to see of the URL */
static const char *hub_address(const char *url)
{
    const char *p = strstr(url ? url : "", "://");
    return p ? p + 3 : url ? url : "";
}

/* What the transcript says when it has nothing to show. */
static void sync_empty_text(agent_view *v, session *s)
{
    char text[256] = "";
    if (net_get_state(s->net) == NET_REFUSED)
        snprintf(text, sizeof text, "Signed out: %.120s. Check the token (--token-file or "
                 "AGENTDESK_TOKEN) and start agentdesk again.", net_last_error(s->net));
    else if (!model_active(&s->model) && net_get_state(s->net) == NET_READY)
        snprintf(text, sizeof text, "No interaction yet: a new contact shows here (and rings).");
    textview_set_empty_text(v->tv, text);
    list_set_empty_text(v->l_ix, net_get_state(s->net) == NET_REFUSED ? "signed out"
                                                                      : "waiting for an interaction");
}

void agent_sync_header(agent_view *v, session *s)
{
    sync_empty_text(v, s);
    model *m = &s->model;
    statusbar_seg seg[8];
    int n = 0;
    char who[PROTO_MAX_SHORT + 64], conn[200], clock[16], unsent[32], state[32];
    net_state ns = net_get_state(s->net);
    const char *name = m->display_name ? m->display_name : m->user ? m->user : "not signed in";
    model_ix *ix = model_active(m);
    bool single = v->lay.mode == LAYOUT_SINGLE;
    if (v->lay.mode == LAYOUT_WIDE) {
        seg[n++] = (statusbar_seg){"agentdesk", THEME_HEADER_STATE, STATUSBAR_LEFT};
        seg[n++] = (statusbar_seg){name, 0, STATUSBAR_LEFT};
    } else if (ix) {
        /* one pane at a time and no tab bar: the header names the pane when not the transcript */
        if (single && v->tab != TAB_TRANSCRIPT)
            seg[n++] = (statusbar_seg){agent_view_tab_name(v->tab), THEME_HEADER_STATE, STATUSBAR_LEFT};
        char d[16];
        ix_time(ix, d, sizeof d);
        /* one row of 40 columns: the customer first, the agent knows who they are */
        if (single && m->n_ix > 1)
            snprintf(who, sizeof who, "%s %s %s +%zu more", agent_customer_name(ix),
                     agent_channel_mark(ix->channel), d, m->n_ix - 1);
        else if (single)
            snprintf(who, sizeof who, "%s %s %s", agent_customer_name(ix), agent_channel_mark(ix->channel), d);
        else if (m->n_ix > 1)
            snprintf(who, sizeof who, "%s · %s %s %s [%zu more]", name, agent_customer_name(ix),
                     agent_channel_mark(ix->channel), d, m->n_ix - 1);
        else
            snprintf(who, sizeof who, "%s · %s %s %s", name, agent_customer_name(ix),
                     agent_channel_mark(ix->channel), d);
        seg[n++] = (statusbar_seg){who, 0, STATUSBAR_LEFT};
    } else {
        seg[n++] = (statusbar_seg){name, 0, STATUSBAR_LEFT};
    }
    /* refused, nothing of the desk works: never "AVAILABLE" */
    snprintf(state, sizeof state, "%s", ns == NET_REFUSED ? "SIGNED OUT" : !m->user ? "SIGNING IN"
                                        : model_agent_state_name(model_agent_state_of(m)));
    /* the agent's own state stays in view at 80x24 too (one pane at a time has no room) */
    if (!single || !ix) seg[n++] = (statusbar_seg){state, THEME_HEADER_STATE, STATUSBAR_LEFT};
    theme_item conn_item = THEME_STATUS_OK;
    const char *where = hub_address(net_url(s->net));
    int rtt = net_rtt_ms(s->net);
    switch (ns) {
    case NET_READY:
        /* one fixed word at 40 columns: a width that changes with the round trip would
         * shift the row */
        if (single) snprintf(conn, sizeof conn, "online");
        else if (rtt == 0) snprintf(conn, sizeof conn, "connected · <1 ms");
        else if (rtt > 0) snprintf(conn, sizeof conn, "connected · %d ms", rtt);
        else snprintf(conn, sizeof conn, "connected");
        break;
    case NET_WAITING:
        /* where it is trying, so a wrong --url shows */
        if (single) snprintf(conn, sizeof conn, "offline");
        else if (v->lay.mode == LAYOUT_WIDE)
            /* the reason is in the notice and the log: the address fits beside "N unsent" */
            snprintf(conn, sizeof conn, "offline · retrying %.40s in %ds", where,
                     (net_retry_in_ms(s->net) + 999) / 1000);
        else snprintf(conn, sizeof conn, "offline · %.40s in %ds", where,
                      (net_retry_in_ms(s->net) + 999) / 1000);
        conn_item = THEME_STATUS_WARN;
        break;
    case NET_REFUSED:
        if (single) snprintf(conn, sizeof conn, "refused");
        else snprintf(conn, sizeof conn, "refused: %.40s", net_last_error(s->net));
        conn_item = THEME_STATUS_BAD;
        break;
    default:
        /* not started yet, or a session without network (a file replay) */
        snprintf(conn, sizeof conn, s->net ? "connecting…" : "no hub");
        conn_item = THEME_STATUS_WARN;
        break;
    }
    /* the connection and the unsent count are always in view: a statusbar drops centre
     * segments first when the row is short, so below the wide layout they sit on the right
     * with the clock (the customer's name is cut instead) */
    statusbar_align keep = v->lay.mode == LAYOUT_WIDE ? STATUSBAR_CENTER : STATUSBAR_RIGHT;
    seg[n++] = (statusbar_seg){conn, conn_item, keep};
    size_t pending = session_unsent(s);
    if (pending) {
        snprintf(unsent, sizeof unsent, "%zu unsent", pending);
        seg[n++] = (statusbar_seg){unsent, THEME_STATUS_WARN, keep};
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    /* a desk's wall clock: to the minute, so an idle console wakes once a minute for it (the
     * seconds that matter, a call's running time, tick on their own) */
    strftime(clock, sizeof clock, "%H:%M", &tm);
    seg[n++] = (statusbar_seg){clock, 0, STATUSBAR_RIGHT};
    if (v->lay.mode == LAYOUT_WIDE) seg[n++] = (statusbar_seg){"? help", 0, STATUSBAR_RIGHT};
    statusbar_set(v->header, seg, n);
    agent_view_place_toast(v);
}

void agent_sync_flash_done(agent_view *v, session *s)
{
    if (!v->flash_fid[0]) return;
    v->flash_fid[0] = 0;
    sync_flags(v, model_active(&s->model));
}

void agent_sync_resized(agent_view *v, session *s)
{
    sync_flags(v, model_active(&s->model));
}

void agent_sync_all(agent_view *v, session *s)
{
    model_ix *ix = model_active(&s->model);
    agent_sync_list(v, s);
    agent_sync_transcript(v, s, true);
    sync_customer(v, ix);
    sync_flags(v, ix);
    sync_suggestions(v, ix);
    sync_checklist(v, ix);
    sync_sentiment(v, ix);
    agent_sync_titles(v, s);
    agent_sync_header(v, s);
}

/* A new flag: a toast, and its row marked "new" while the toast shows when it is on screen.
 * Which flags were toasted is the view's business: the change record names the new one. */
static bool toast_flag(agent_view *v, const model_ix *ix, const model_flag *f, bool active)
{
    char text[TOAST_TEXT_MAX];
    if (active) snprintf(text, sizeof text, "[%s] %s", agent_severity_mark(f->severity), f->kind);
    else snprintf(text, sizeof text, "[%s] %s · %s", agent_severity_mark(f->severity), f->kind,
                  agent_customer_name(ix));
    for (char *p = text; *p; p++) if (*p == '_') *p = ' ';
    toast_show(v->toast, text, flag_item(f->severity));
    if (active) {
        snprintf(v->flash_fid, sizeof v->flash_fid, "%s", f->fid);
        sync_flags(v, ix);
    }
    return true;
}

bool agent_sync_change(agent_view *v, session *s, const model_delta *d)
{
    model *m = &s->model;
    model_ix *act = model_active(m), *ix = d->ix;
    unsigned ch = d->what;
    bool toast = false;
    if (ch & (MODEL_CH_RESET | MODEL_CH_DUPLICATE | MODEL_CH_IGNORED)) {
        if (ch & MODEL_CH_RESET) agent_sync_all(v, s);
        return false;
    }
    /* the active interaction changed under us (first one, or a new one after wrap-up) */
    if (act && (!v->fed_iid || strcmp(v->fed_iid, act->iid) != 0)) {
        agent_sync_all(v, s);
        return false;
    }
    if (ch & MODEL_CH_LIST) agent_sync_list(v, s);
    if (ix && ix == act) {
        if (d->line_changed) textview_line_changed(v->tv, d->line);
        if (ch & MODEL_CH_TRANSCRIPT) agent_sync_transcript(v, s, false);
        if (ch & MODEL_CH_CUSTOMER) sync_customer(v, ix);
        if (ch & MODEL_CH_FLAGS) sync_flags(v, ix);
        if (ch & MODEL_CH_SUGGESTIONS) sync_suggestions(v, ix);
        if (ch & MODEL_CH_CHECKLIST) sync_checklist(v, ix);
        if (ch & MODEL_CH_SENTIMENT) sync_sentiment(v, ix);
    }
    if (ix && d->flag_added && d->flag < ix->n_flags)
        toast = toast_flag(v, ix, &ix->flags[d->flag], ix == act);
    if (ch & (MODEL_CH_LIST | MODEL_CH_FLAGS | MODEL_CH_SUGGESTIONS | MODEL_CH_CHECKLIST | MODEL_CH_HEADER))
        agent_sync_titles(v, s);
    if (ch & (MODEL_CH_HEADER | MODEL_CH_LIST)) agent_sync_header(v, s);
    return toast;
}
