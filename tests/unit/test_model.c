/* test_model.c — the console model: partials replaced in place, finals, dedupe by seq,
 * bounded scrollback, unread counts and new flags, snapshot and reset. Events are real
 * frames decoded by proto_decode, as the net client does. */
#include "tests/unit/check.h"
#include "agentdesk/agent.h"
#include "agentdesk/model.h"
#include "proto/codec.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static model_delta last;   /* the change record of the last apply */

static unsigned apply(model *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static unsigned apply(model *m, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    proto_event ev;
    proto_error err;
    if (!proto_decode(buf, strlen(buf), PROTO_TO_CONSOLE, &ev, &err)) {
        fprintf(stderr, "  decode failed: %s: %s\n", err.message, buf);
        return 0xffffffffu;
    }
    last = model_apply(m, &ev);
    proto_free(&ev);
    return last.what;
}

static void start(model *m, int64_t seq, const char *iid, const char *channel)
{
    apply(m, "{\"type\":\"interaction.started\",\"seq\":%lld,\"ts\":1000,\"iid\":\"%s\",\"channel\":\"%s\","
             "\"queue\":\"billing\",\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"customer_id\":\"C-1\","
             "\"customer_name\":\"Maria Lopez\",\"started_ms\":1000}", (long long)seq, iid, channel);
}

static unsigned utt(model *m, int64_t seq, const char *iid, const char *uid, const char *text, bool final)
{
    return apply(m, "{\"type\":\"utterance\",\"seq\":%lld,\"ts\":2000,\"iid\":\"%s\",\"uid\":\"%s\","
                    "\"speaker\":\"customer\",\"text\":\"%s\",\"final\":%s,\"offset_ms\":9000}",
                 (long long)seq, iid, uid, text, final ? "true" : "false");
}

static void test_partials_replaced_in_place(void)
{
    model m;
    model_init(&m, 0);
    start(&m, 1, "I-1", "voice");
    model_ix *ix = model_find(&m, "I-1");
    CHECK(ix != NULL);
    utt(&m, 2, "I-1", "u-1", "I have", false);
    CHECK(last.line_added && !last.line_changed && last.line == ix->first_no && last.ix == ix);
    utt(&m, 3, "I-1", "u-1", "I have been charged", false);
    /* the change record names the line changed in place: nobody looks it up by uid again */
    CHECK(last.line_changed && !last.line_added && last.line == ix->first_no);
    CHECK_INT(last.type, EV_UTTERANCE);
    utt(&m, 4, "I-1", "u-2", "Hello", true);
    utt(&m, 5, "I-1", "u-1", "I have been charged twice.", true);
    CHECK_INT(ix->count, 2);
    const model_line *l = model_line_at(ix, ix->first_no);
    CHECK_STR(l->text, "I have been charged twice.");
    CHECK(l->final);
    CHECK_INT(l->seq, 5);
    CHECK_INT(l->version, 3);
    CHECK_STR(model_line_at(ix, ix->first_no + 1)->text, "Hello");
    /* a partial arriving after its final never undoes it */
    utt(&m, 6, "I-1", "u-1", "I have", false);
    CHECK_STR(model_line_at(ix, ix->first_no)->text, "I have been charged twice.");
    uint64_t no;
    CHECK(model_line_by_uid(ix, "u-2", &no) != NULL);
    CHECK_INT(no, ix->first_no + 1);
    model_free(&m);
}

/* Scrollback is a cap, not a preallocation: lines live in blocks that come as lines arrive
 * and go when their last line is dropped; a line's strings are one allocation. */
static void test_transcript_blocks(void)
{
    model m;
    model_init(&m, 100000);
    start(&m, 1, "I-1", "chat");
    model_ix *ix = model_find(&m, "I-1");
    size_t live = 0;
    for (size_t i = 0; i < ix->n_blocks; i++) live += ix->blocks[i] != NULL;
    CHECK_INT(live, 0);
    for (int i = 0; i < MODEL_LINE_BLOCK + 1; i++) {
        char uid[16];
        snprintf(uid, sizeof uid, "u-%d", i);
        utt(&m, 2 + i, "I-1", uid, "hello", true);
    }
    live = 0;
    for (size_t i = 0; i < ix->n_blocks; i++) live += ix->blocks[i] != NULL;
    CHECK_INT(live, 2);
    const model_line *l = model_line_by_uid(ix, "u-7", NULL);
    CHECK(l != NULL && strcmp(l->uid, "u-7") == 0 && l->uid > l->text);
    model_free(&m);

    model_init(&m, 300);
    start(&m, 1, "I-1", "chat");
    ix = model_find(&m, "I-1");
    for (int i = 0; i < 3000; i++) {
        char uid[16];
        snprintf(uid, sizeof uid, "u-%d", i);
        utt(&m, 2 + i, "I-1", uid, "hello", true);
    }
    live = 0;
    for (size_t i = 0; i < ix->n_blocks; i++) live += ix->blocks[i] != NULL;
    CHECK(live <= 300 / MODEL_LINE_BLOCK + 2);
    CHECK_INT(ix->count, 300);
    CHECK(model_line_by_uid(ix, "u-2699", NULL) == NULL);
    CHECK(model_line_by_uid(ix, "u-2700", NULL) != NULL);
    model_free(&m);
}

/* The customer event becomes typed structs: views never see its JSON. */
static void test_customer_typed(void)
{
    model m;
    model_init(&m, 0);
    start(&m, 1, "I-1", "chat");
    unsigned ch = apply(&m, "{\"type\":\"customer\",\"seq\":2,\"ts\":1,\"iid\":\"I-1\",\"customer\":{\"id\":\"C-1\","
                            "\"name\":\"Maria Lopez\",\"tier\":\"gold\",\"since\":\"2019\"},"
                            "\"history\":[{\"date\":\"2026-11-02\",\"channel\":\"voice\",\"reason\":\"refund\","
                            "\"outcome\":\"unresolved\",\"sentiment\":-0.5}],"
                            "\"orders\":[{\"id\":\"O-1\",\"item\":\"Smart watch\",\"status\":\"processing\","
                            "\"amount\":129.5,\"currency\":\"EUR\"},{\"id\":\"O-2\",\"item\":\"Strap\"}]}");
    CHECK(ch & MODEL_CH_CUSTOMER);
    model_ix *ix = model_find(&m, "I-1");
    CHECK(ix->has_customer);
    CHECK_STR(ix->customer.tier, "gold");
    CHECK_STR(ix->customer.email, "");
    CHECK_INT(ix->n_history, 1);
    CHECK_STR(ix->history[0].outcome, "unresolved");
    CHECK(ix->history[0].has_sentiment && ix->history[0].sentiment < -0.4);
    CHECK_INT(ix->n_orders, 2);
    CHECK(ix->orders[0].has_amount && ix->orders[0].amount > 129.4);
    CHECK(!ix->orders[1].has_amount);
    CHECK_STR(ix->orders[1].status, "");
    model_free(&m);
}

static void test_dedupe_by_seq(void)
{
    model m;
    model_init(&m, 0);
    start(&m, 10, "I-1", "chat");
    CHECK(utt(&m, 11, "I-1", "u-1", "one", true) & MODEL_CH_TRANSCRIPT);
    CHECK(utt(&m, 12, "I-1", "u-2", "two", true) & MODEL_CH_TRANSCRIPT);
    /* a resume replays what we already have: nothing changes */
    CHECK(utt(&m, 11, "I-1", "u-1", "one", true) & MODEL_CH_DUPLICATE);
    CHECK(utt(&m, 12, "I-1", "u-2", "two", true) & MODEL_CH_DUPLICATE);
    CHECK(utt(&m, 13, "I-1", "u-3", "three", true) & MODEL_CH_TRANSCRIPT);
    model_ix *ix = model_find(&m, "I-1");
    CHECK_INT(ix->count, 3);
    CHECK_INT(m.last_seq, 13);
    model_free(&m);
}

static void test_bounded_scrollback(void)
{
    model m;
    model_init(&m, 100);
    start(&m, 1, "I-1", "chat");
    for (int i = 0; i < 250; i++) {
        char uid[16], text[32];
        snprintf(uid, sizeof uid, "u-%d", i);
        snprintf(text, sizeof text, "line %d", i);
        utt(&m, 2 + i, "I-1", uid, text, true);
    }
    model_ix *ix = model_find(&m, "I-1");
    CHECK_INT(ix->count, 100);
    CHECK_INT(ix->first_no, 150);
    CHECK_STR(model_line_at(ix, 150)->text, "line 150");
    CHECK_STR(model_line_at(ix, 249)->text, "line 249");
    CHECK(model_line_at(ix, 149) == NULL);
    CHECK(model_line_at(ix, 250) == NULL);
    /* dropped uids are gone from the index; a kept one still updates in place */
    CHECK(model_line_by_uid(ix, "u-3", NULL) == NULL);
    utt(&m, 1000, "I-1", "u-200", "line 200 edited", true);
    CHECK_INT(ix->count, 100);
    /* the final of a kept uid is already final: an edit arrives as a new final and replaces */
    CHECK_STR(model_line_at(ix, 200)->text, "line 200 edited");
    model_free(&m);
}

static void test_unread_and_flags(void)
{
    model m;
    model_init(&m, 0);
    start(&m, 1, "I-1", "voice");
    start(&m, 2, "I-2", "chat");
    CHECK_INT(m.n_ix, 2);
    CHECK(model_active(&m) == model_find(&m, "I-1"));
    utt(&m, 3, "I-2", "u-1", "hello?", true);
    utt(&m, 4, "I-2", "u-2", "anyone?", true);
    model_ix *b = model_find(&m, "I-2");
    CHECK_INT(b->unread, 2);
    unsigned ch = apply(&m, "{\"type\":\"flag\",\"seq\":5,\"ts\":3000,\"iid\":\"I-2\",\"fid\":\"F-1\",\"kind\":\"churn\","
                            "\"severity\":3,\"text\":\"threatens to cancel\",\"rule\":\"churn-cancel\","
                            "\"evidence\":\"cancel my account\"}");
    CHECK(ch & MODEL_CH_FLAGS);
    CHECK_INT(b->n_flags, 1);
    CHECK(last.flag_added && last.flag == 0 && last.ix == b);   /* the record names the new flag */
    CHECK_INT(b->new_flags, 1);
    /* the same flag again (new seq) is not a second flag */
    apply(&m, "{\"type\":\"flag\",\"seq\":6,\"ts\":3000,\"iid\":\"I-2\",\"fid\":\"F-1\",\"kind\":\"churn\","
              "\"severity\":3,\"text\":\"x\",\"rule\":\"r\",\"evidence\":\"e\"}");
    CHECK_INT(b->n_flags, 1);
    CHECK(!last.flag_added);
    model_step_active(&m, 1);
    CHECK(model_active(&m) == b);
    CHECK_INT(b->unread, 0);
    CHECK_INT(b->new_flags, 0);
    model_free(&m);
}

static void test_enrichment(void)
{
    model m;
    model_init(&m, 0);
    start(&m, 1, "I-1", "voice");
    utt(&m, 2, "I-1", "u-1", "cancel my account", true);
    apply(&m, "{\"type\":\"sentiment\",\"seq\":3,\"ts\":1,\"iid\":\"I-1\",\"uid\":\"u-1\",\"score\":-0.6,"
              "\"label\":\"negative\",\"trend\":-0.4,\"slope\":-0.1,\"terms\":[\"cancel\"]}");
    model_ix *ix = model_find(&m, "I-1");
    CHECK_INT(model_line_at(ix, ix->first_no)->label, SENT_NEGATIVE);
    CHECK_INT(model_trend_count(ix), 1);
    CHECK(model_trend_at(ix, 0) < -0.39 && model_trend_at(ix, 0) > -0.41);
    /* two batches (one final's suggestions come best first in consecutive seqs): T0 T1, then
     * after another event T2 T3; the newest batch first, each best first */
    for (int i = 0; i < 4; i++)
        apply(&m, "{\"type\":\"suggestion\",\"seq\":%d,\"ts\":1,\"iid\":\"I-1\",\"sid\":\"S-%d\",\"title\":\"T%d\","
                  "\"text\":\"reply %d\",\"source\":\"KB-00%d\",\"score\":0.5}", 4 + i + (i >= 2), i, i, i, i);
    CHECK_INT(model_suggestion_count(ix), 4);
    CHECK_STR(model_suggestion_nth(ix, 0)->title, "T2");   /* the best of the newest */
    CHECK_STR(model_suggestion_nth(ix, 1)->title, "T3");
    CHECK_STR(model_suggestion_nth(ix, 2)->title, "T0");
    CHECK_STR(model_suggestion_nth(ix, 3)->title, "T1");
    CHECK(model_suggestion_nth(ix, 0)->confidence < 0);    /* none sent */
    model_suggestion_feedback(&m, ix, model_suggestion_nth(ix, 0), false);
    CHECK_STR(model_suggestion_nth(ix, 0)->title, "T3");
    apply(&m, "{\"type\":\"checklist\",\"seq\":20,\"ts\":1,\"iid\":\"I-1\",\"items\":[{\"id\":\"a\",\"label\":\"A\","
              "\"done\":true,\"by\":\"phrase\"},{\"id\":\"b\",\"label\":\"B\",\"done\":false,\"by\":\"\"}]}");
    CHECK_INT(ix->n_checks, 2);
    CHECK_INT(model_checks_done(ix), 1);
    apply(&m, "{\"type\":\"summary\",\"seq\":21,\"ts\":1,\"iid\":\"I-1\",\"text\":\"Customer wants\\nto cancel\","
              "\"disposition\":\"retention\",\"codes\":[\"retention\",\"resolved\"],\"final\":false}");
    CHECK_STR(ix->summary, "Customer wants\nto cancel");
    CHECK_INT(ix->n_codes, 2);
    CHECK_STR(ix->codes[1], "resolved");
    CHECK_STR(ix->disposition, "retention");
    CHECK_INT(model_agent_state_of(&m), AGENT_ON_INTERACTION);
    apply(&m, "{\"type\":\"interaction.ended\",\"seq\":22,\"ts\":5000,\"iid\":\"I-1\",\"reason\":\"hangup\",\"ended_ms\":5000}");
    CHECK_INT(ix->state, IX_ENDED);
    CHECK_INT(model_agent_state_of(&m), AGENT_WRAP_UP);
    apply(&m, "{\"type\":\"wrapup\",\"seq\":23,\"ts\":6000,\"iid\":\"I-1\",\"user\":\"agent-1\",\"code\":\"retention\","
              "\"summary\":\"s\",\"follow_up\":false}");
    CHECK_INT(ix->state, IX_WRAPPED);
    CHECK_INT(model_agent_state_of(&m), AGENT_AVAILABLE);
    /* the event line got its offset from the event's time */
    const model_line *last = model_line_at(ix, model_line_end(ix) - 1);
    CHECK_INT(last->kind, LINE_EVENT);
    CHECK_INT(last->offset_ms, 5000);
    /* a new interaction replaces a wrapped-up active one, which is pruned */
    start(&m, 24, "I-2", "chat");
    CHECK_INT(m.n_ix, 1);
    CHECK_STR(model_active(&m)->iid, "I-2");
    model_free(&m);
}

/* Contact Lens's sentiment and summary (source "contact-lens") sit beside the hub's: the
 * line and the interaction keep its label, our trend and draft do not move; an unassigned
 * interaction (agent "") is held like any, and its assignment names the source. */
static void test_contact_lens_second_opinion(void)
{
    model m;
    model_init(&m, 0);
    apply(&m, "{\"type\":\"interaction.started\",\"seq\":1,\"ts\":1000,\"iid\":\"I-1\",\"channel\":\"voice\","
              "\"queue\":\"connect\",\"agent\":\"\",\"agent_name\":\"\",\"customer_id\":\"\",\"customer_name\":\"\","
              "\"started_ms\":1000}");
    model_ix *ix = model_find(&m, "I-1");
    CHECK(ix != NULL);
    if (!ix)
        return;
    utt(&m, 2, "I-1", "u-1", "this is the third time", true);
    apply(&m, "{\"type\":\"sentiment\",\"seq\":3,\"ts\":1,\"iid\":\"I-1\",\"uid\":\"u-1\",\"score\":-0.5,"
              "\"label\":\"negative\",\"trend\":-0.3,\"slope\":-0.1,\"terms\":[\"third\"]}");
    CHECK(!last.second_opinion);
    apply(&m, "{\"type\":\"sentiment\",\"seq\":4,\"ts\":1,\"iid\":\"I-1\",\"uid\":\"u-1\",\"score\":1,"
              "\"label\":\"positive\",\"trend\":0,\"slope\":0,\"terms\":[],\"source\":\"contact-lens\"}");
    CHECK(last.second_opinion);
    const model_line *l = model_line_at(ix, ix->first_no);
    CHECK_INT(l->label, SENT_NEGATIVE);
    CHECK_INT(l->cl_label, SENT_POSITIVE);
    CHECK_INT(ix->cl_label, SENT_POSITIVE);
    CHECK_INT(model_trend_count(ix), 1);
    CHECK(ix->last_trend < -0.29 && ix->last_trend > -0.31);
    apply(&m, "{\"type\":\"summary\",\"seq\":5,\"ts\":1,\"iid\":\"I-1\",\"text\":\"Ours\",\"disposition\":\"d\","
              "\"codes\":[],\"final\":false}");
    apply(&m, "{\"type\":\"summary\",\"seq\":6,\"ts\":1,\"iid\":\"I-1\",\"text\":\"Theirs\",\"disposition\":\"\","
              "\"codes\":[],\"final\":true,\"source\":\"contact-lens\"}");
    CHECK_STR(ix->summary, "Ours");
    CHECK_STR(ix->cl_summary, "Theirs");
    const model_line *ev = model_line_at(ix, model_line_end(ix) - 1);
    CHECK_INT(ev->kind, LINE_EVENT);
    CHECK_STR(ev->text, "Contact Lens summary: Theirs");
    apply(&m, "{\"type\":\"interaction.assigned\",\"seq\":7,\"ts\":1,\"iid\":\"I-1\",\"agent\":\"agent-1\","
              "\"agent_name\":\"Ana Ruiz\",\"from\":\"\",\"from_name\":\"\",\"by\":\"\",\"by_name\":\"Amazon Connect\"}");
    ev = model_line_at(ix, model_line_end(ix) - 1);
    CHECK_STR(ev->text, "Amazon Connect assigned the interaction to Ana Ruiz");
    CHECK_STR(ix->agent, "agent-1");
    model_free(&m);
}

static void test_welcome_snapshot_reset(void)
{
    model m;
    model_init(&m, 0);
    apply(&m, "{\"type\":\"welcome\",\"user\":\"agent-1\",\"display_name\":\"Ana Ruiz\",\"role\":\"agent\","
              "\"hub_id\":\"H-1\",\"seq\":50,\"protocol\":1}");
    CHECK_STR(m.display_name, "Ana Ruiz");
    apply(&m, "{\"type\":\"snapshot\",\"seq\":50,\"interactions\":[{\"iid\":\"I-9\",\"channel\":\"chat\","
              "\"queue\":\"q\",\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"customer_id\":\"C-2\","
              "\"customer_name\":\"Tom\",\"started_ms\":1}],\"last\":true}");
    CHECK_INT(m.n_ix, 1);
    CHECK_STR(model_find(&m, "I-9")->customer_name, "Tom");
    /* the replay after the snapshot keeps its original (lower) seq and is applied */
    CHECK(utt(&m, 40, "I-9", "u-1", "hi", true) & MODEL_CH_TRANSCRIPT);
    CHECK_INT(model_find(&m, "I-9")->count, 1);
    /* until an event after the snapshot arrives, a reconnect asks for a snapshot again */
    CHECK_INT(model_resume_point(&m), 0);
    /* ... and a second snapshot's replay is deduplicated per interaction */
    CHECK(utt(&m, 40, "I-9", "u-1", "hi", true) & MODEL_CH_DUPLICATE);
    /* an event of an interaction we hold no start for is not shown */
    CHECK(utt(&m, 45, "I-gone", "u-9", "tail", true) & (MODEL_CH_IGNORED | MODEL_CH_DUPLICATE));
    CHECK(model_find(&m, "I-gone") == NULL);
    CHECK(utt(&m, 51, "I-9", "u-2", "live now", true) & MODEL_CH_TRANSCRIPT);
    CHECK_INT(model_resume_point(&m), 51);
    CHECK(utt(&m, 56, "I-gone", "u-9", "tail", true) & MODEL_CH_IGNORED);
    CHECK(model_find(&m, "I-gone") == NULL);
    /* the same hub again: kept */
    CHECK(!(apply(&m, "{\"type\":\"welcome\",\"user\":\"agent-1\",\"display_name\":\"Ana Ruiz\",\"role\":\"agent\","
                      "\"hub_id\":\"H-1\",\"seq\":60,\"protocol\":1}") & MODEL_CH_RESET));
    CHECK_INT(m.n_ix, 1);
    /* another hub: everything we held is not its history */
    CHECK(apply(&m, "{\"type\":\"welcome\",\"user\":\"agent-1\",\"display_name\":\"Ana Ruiz\",\"role\":\"agent\","
                    "\"hub_id\":\"H-2\",\"seq\":3,\"protocol\":1}") & MODEL_CH_RESET);
    CHECK_INT(m.n_ix, 0);
    CHECK_INT(m.last_seq, 0);
    model_free(&m);
}

/* A tail-only snapshot that answers our resume (fresh): what we held has a gap, so it is
 * forgotten and the snapshot's tail is the whole transcript; the next resume point is 0
 * until the tail's replay completes. */
static void test_fresh_snapshot_starts_over(void)
{
    model m;
    model_init(&m, 0);
    apply(&m, "{\"type\":\"welcome\",\"user\":\"agent-1\",\"display_name\":\"Ana Ruiz\",\"role\":\"agent\","
              "\"hub_id\":\"H-1\",\"seq\":10,\"protocol\":1}");
    start(&m, 1, "I-1", "chat");
    utt(&m, 2, "I-1", "u-1", "old line", true);
    CHECK_INT(model_resume_point(&m), 2);
    const char *snap = "{\"type\":\"snapshot\",\"seq\":900,%s\"interactions\":[{\"iid\":\"I-1\",\"channel\":\"chat\","
                       "\"queue\":\"q\",\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"customer_id\":\"C-2\","
                       "\"customer_name\":\"Tom\",\"started_ms\":1}],\"last\":true}";
    CHECK(apply(&m, snap, "\"fresh\":true,") & MODEL_CH_RESET);
    CHECK_INT(m.n_ix, 1);
    CHECK_INT(model_find(&m, "I-1")->count, 0);
    CHECK_INT(model_resume_point(&m), 0);
    start(&m, 1, "I-1", "chat");
    CHECK(utt(&m, 880, "I-1", "u-880", "tail line", true) & MODEL_CH_TRANSCRIPT);
    const model_ix *ix = model_find(&m, "I-1");
    CHECK_INT(ix->count, 1);
    CHECK_STR(model_line_at(ix, ix->first_no)->text, "tail line");
    /* a plain snapshot keeps what we hold */
    CHECK(!(apply(&m, snap, "") & MODEL_CH_RESET));
    CHECK_INT(model_find(&m, "I-1")->count, 1);
    model_free(&m);
}

static void test_whisper_note_hand(void)
{
    model m;
    model_init(&m, 0);
    start(&m, 1, "I-1", "chat");
    apply(&m, "{\"type\":\"whisper\",\"seq\":2,\"ts\":1,\"iid\":\"I-1\",\"from\":\"supervisor\",\"from_name\":\"Sam\",\"text\":\"offer credit\"}");
    apply(&m, "{\"type\":\"note\",\"seq\":3,\"ts\":1,\"iid\":\"I-1\",\"user\":\"agent-1\",\"text\":\"line one\\nline two\"}");
    apply(&m, "{\"type\":\"hand\",\"seq\":4,\"ts\":1,\"iid\":\"I-1\",\"agent\":\"agent-1\",\"agent_name\":\"Ana\",\"text\":\"help\"}");
    model_ix *ix = model_find(&m, "I-1");
    CHECK_INT(ix->count, 3);
    CHECK_INT(model_line_at(ix, 0)->kind, LINE_WHISPER);
    CHECK_STR(model_line_at(ix, 0)->who, "Sam");
    CHECK_STR(model_line_at(ix, 1)->text, "line one\nline two");
    CHECK(ix->hand_raised && !ix->hand_seen);
    /* outside text is clean in the model: an ESC sent as \u001b arrives as a control picture */
    utt(&m, 5, "I-1", "u-x", "evil \\u001b[2J text", true);
    const model_line *l = model_line_at(ix, 3);
    CHECK(strchr(l->text, 0x1b) == NULL);
    /* a supervisor answering the hand (a whisper, or joining) marks it seen; lowering clears */
    apply(&m, "{\"type\":\"whisper\",\"seq\":6,\"ts\":1,\"iid\":\"I-1\",\"from\":\"supervisor\",\"from_name\":\"Sam\",\"text\":\"on it\"}");
    CHECK(ix->hand_raised && ix->hand_seen);
    apply(&m, "{\"type\":\"hand\",\"seq\":7,\"ts\":1,\"iid\":\"I-1\",\"agent\":\"agent-1\",\"agent_name\":\"Ana\",\"text\":\"\",\"raised\":false}");
    CHECK(!ix->hand_raised && !ix->hand_seen);
    CHECK_STR(model_line_at(ix, ix->first_no + ix->count - 1)->text, "hand lowered");
    model_free(&m);
}

/* The alert (agent.c) rings for a contact that just arrived and a severe flag just raised,
 * live; never for what a snapshot replays at connect, nor for a lesser flag. */
static void test_alert_due(void)
{
    model m;
    model_init(&m, 0);
    apply(&m, "{\"type\":\"welcome\",\"user\":\"agent-1\",\"display_name\":\"Ana Ruiz\",\"role\":\"agent\","
              "\"hub_id\":\"H-1\",\"seq\":50,\"protocol\":1}");
    apply(&m, "{\"type\":\"snapshot\",\"seq\":50,\"interactions\":[],\"last\":true}");
    start(&m, 20, "I-old", "chat");                 /* replayed after the snapshot */
    CHECK(!agent_alert_due(&m, &last));
    start(&m, 51, "I-new", "voice");                /* live */
    CHECK(agent_alert_due(&m, &last));
    apply(&m, "{\"type\":\"flag\",\"seq\":52,\"ts\":3000,\"iid\":\"I-new\",\"fid\":\"F-1\",\"kind\":\"churn\","
              "\"severity\":2,\"text\":\"t\",\"rule\":\"r\",\"evidence\":\"e\",\"uid\":\"u\",\"offset_ms\":1}");
    CHECK(last.flag_added && !agent_alert_due(&m, &last));
    apply(&m, "{\"type\":\"flag\",\"seq\":53,\"ts\":3000,\"iid\":\"I-new\",\"fid\":\"F-2\",\"kind\":\"distress\","
              "\"severity\":3,\"text\":\"t\",\"rule\":\"r\",\"evidence\":\"e\",\"uid\":\"u\",\"offset_ms\":1}");
    CHECK(last.flag_added && agent_alert_due(&m, &last));
    utt(&m, 54, "I-new", "u-1", "hello", true);
    CHECK(!agent_alert_due(&m, &last));
    agent_alert how;
    CHECK(agent_alert_parse("flash", &how) && how == AGENT_ALERT_FLASH);
    CHECK(!agent_alert_parse("loud", &how));
    model_free(&m);
}

int main(void)
{
    RUN(test_partials_replaced_in_place);
    RUN(test_dedupe_by_seq);
    RUN(test_transcript_blocks);
    RUN(test_customer_typed);
    RUN(test_bounded_scrollback);
    RUN(test_unread_and_flags);
    RUN(test_enrichment);
    RUN(test_welcome_snapshot_reset);
    RUN(test_alert_due);
    RUN(test_fresh_snapshot_starts_over);
    RUN(test_whisper_note_hand);
    RUN(test_contact_lens_second_opinion);
    return check_done("test_model");
}
