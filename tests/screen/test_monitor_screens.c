/* test_monitor_screens.c — the supervisor's floor (`agentdesk monitor`) headless, fed from
 * tests/screen/fixtures/floor.jsonl through the real session and the monitor's own front:
 * the grid at 120x40, 80x24 and 40x12 (golden files), the Agents and Alerts views, sort and
 * filter keeping the selected interaction, Enter opening it read-only and Esc coming back to
 * the same row, the whisper prompt queueing a whisper action, the hands a console replays on
 * connecting (fixtures/floor_hands.jsonl) and the last hour's figures (floor.metrics). */
#include "tests/unit/check.h"
#include "tests/screen/desk.h"
#include "agentdesk/monitor_keys.h"
#include "agentdesk/monitor_screen.h"
#include "agentdesk/monitor_view.h"

#include <math.h>

static keys_table mkeys;

/* The floor fed from fixtures/NAME.jsonl, no time passing. */
static void floor_start(int rows, int cols, const char *name)
{
    headless_resize(rows, cols);
    desk *d = &the_desk;
    memset(&d->a, 0, sizeof d->a);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    d->a.ctx = lws_create_context(&info);
    char err[256];
    if (!d->a.ctx || !session_init(&d->s, &d->a, NULL, NULL, NULL, 1000, err, sizeof err) ||
        !monitor_screen_attach(&d->a, &d->s, &mkeys, &d->th, false, err, sizeof err)) {
        fprintf(stderr, "floor_open: %s\n", d->a.ctx ? err : "no lws context");
        exit(2);
    }
    CHECK(desk_feed(name));
}

static void floor_open(int rows, int cols)
{
    floor_start(rows, cols, "floor");
    desk_wait(4100);   /* a toast of the tests' own would be gone */
}

static void floor_close(void)
{
    desk *d = &the_desk;
    monitor_screen_free(&d->a);
    session_free(&d->s);
    lws_context_destroy(d->a.ctx);
    memset(&d->a, 0, sizeof d->a);
}

static monitor_view *view(void) { return monitor_screen_view(&the_desk.a); }

static char *shot(void)
{
    desk_render();
    capture_stats st;
    char *text = headless_capture(&st);
    CHECK_INT(st.control_cells, 0);
    CHECK_INT(st.bad_rows, 0);
    return text;
}

static void golden(const char *name)
{
    char *text = shot();
    CHECK(golden_check(name, text));
    free(text);
}

static bool has(const char *needle)
{
    char *text = shot();
    bool ok = strstr(text, needle) != NULL;
    if (!ok) fprintf(stderr, "  screen lacks \"%s\":\n%s\n", needle, text);
    free(text);
    return ok;
}

static bool lacks(const char *needle)
{
    char *text = shot();
    bool ok = strstr(text, needle) == NULL;
    free(text);
    return ok;
}

static const char *selected_iid(void)
{
    model_ix *ix = monitor_view_selected(view());
    return ix ? ix->iid : "";
}

static void test_grid_120x40(void) { floor_open(40, 120); golden("floor_120x40"); floor_close(); }
static void test_grid_80x24(void) { floor_open(24, 80); golden("floor_80x24"); floor_close(); }
static void test_grid_40x12(void) { floor_open(12, 40); golden("floor_40x12"); floor_close(); }

/* worst first: the raised hand, then the unacknowledged severe flag, the acknowledged one,
 * and the bot-held frustrated customer is said to need a person */
static void test_order_and_marks(void)
{
    floor_open(40, 120);
    const monitor_floor *f = &view()->floor;
    CHECK_INT(f->n_order, 6);
    CHECK_STR(monitor_floor_at(f, 0)->ix->iid, "I-1");
    CHECK_STR(monitor_floor_at(f, 1)->ix->iid, "I-2");
    CHECK_INT(f->hands, 1);
    CHECK_INT(f->live, 5);
    CHECK(has("live 5 · waiting 1 · negative 3 · hands 1"));
    CHECK(has("needs a person"));
    floor_close();
}

/* the selection stays on its interaction when the sort changes, and comes back after Esc */
static void test_selection_keeps_identity(void)
{
    floor_open(40, 120);
    desk_key('j');
    desk_key('j');
    char was[32];
    snprintf(was, sizeof was, "%s", selected_iid());
    CHECK(strcmp(was, "I-1") != 0);
    desk_key('s');   /* by time */
    desk_render();
    CHECK_STR(selected_iid(), was);
    CHECK(has("sort: time"));
    desk_key(WK_ENTER);
    CHECK(view()->open);
    CHECK(has("read-only: what"));
    CHECK(lacks("reply>"));
    desk_key(WK_ESC);
    CHECK(!view()->open);
    CHECK_STR(selected_iid(), was);
    floor_close();
}

static void test_filter(void)
{
    floor_open(40, 120);
    desk_key('/');
    desk_type("tech");
    desk_render();
    CHECK_INT(view()->floor.n_order, 2);
    desk_key(WK_ENTER);
    CHECK(has("filter: tech"));
    desk_key('/');
    desk_key(WK_ESC);   /* Esc puts the filter back as it was */
    CHECK_INT(view()->floor.n_order, 2);
    floor_close();
}

static void test_agents_and_alerts(void)
{
    floor_open(24, 80);
    desk_key(WK_TAB);
    golden("floor_agents_80x24");
    CHECK(has("break 05:00"));
    CHECK(has("after-call work 00:10"));
    desk_key(WK_TAB);
    golden("floor_alerts_80x24");
    CHECK(lacks("Omar Haddad"));   /* his fraud flag was acknowledged: it waits for nobody */
    CHECK(has("hand raised: Customer wants a manager"));
    CHECK(has("Alerts 2]"));       /* the hand and Maria's churn flag are not acknowledged */
    size_t before = session_unsent(&the_desk.s);
    desk_key('a');                 /* acknowledge the selected one (the hand first) */
    CHECK_INT(session_unsent(&the_desk.s), before + 1);
    floor_close();
}

/* The history replayed on connecting raises no toast, and only what still waits for a
 * supervisor is an alert: not a hand lowered again, nor one acknowledged, nor one of an
 * interaction that has ended; a hand raised live after the replay is announced. */
static void test_replayed_hands_are_history(void)
{
    floor_start(24, 80, "floor_hands");
    CHECK(lacks("raised a hand"));
    CHECK(lacks("!! threat ·"));   /* the toast, not the grid's flag column */
    desk_key(WK_TAB);
    desk_key(WK_TAB);
    CHECK(has("Alerts 1]"));
    CHECK(has("hand raised: Wants a manager"));
    CHECK(lacks("Need a refund approval"));   /* H-1: lowered */
    CHECK(lacks("Fraud ring?"));              /* H-2: acknowledged */
    CHECK(lacks("Customer is shouting"));     /* H-3: the call ended */
    CHECK(lacks("Threat of legal action"));   /* H-4's flag: acknowledged */
    static const char live[] = "{\"type\":\"hand\",\"iid\":\"H-1\",\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\","
                               "\"text\":\"Refund over the limit\",\"seq\":61,\"ts\":1793629900000}";
    CHECK(desk_frame(live, strlen(live)));
    CHECK(has("H Ana Ruiz raised a hand · Maria Lopez"));
    desk_wait(4100);   /* the toast covers the views' row while it shows */
    CHECK(has("Alerts 2]"));
    CHECK(has("hand raised: Refund over the limit"));
    floor_close();
}

/* The last hour's figures: a line under the views, and the Metrics view (m, or Tab) with a
 * row for all, each queue and each agent (by the name their status gave), as the hub sent. */
static void test_metrics(void)
{
    floor_open(40, 120);
    CHECK(has("last hour (24): handle 4:12 · wait 0:09 · sentiment uplift +0.18 · ending negative 25%"
              " · repeat in 7 days 13%"));
    desk_key('m');
    CHECK(view()->tab == MV_METRICS);
    golden("floor_metrics_120x40");
    CHECK(has("[Metrics]"));
    CHECK(has("Zoe Li"));          /* agent-9, named by its agent.status */
    CHECK(has("agent-2"));         /* no status: its user name */
    const model_metrics *mm = &the_desk.s.model.metrics;
    CHECK_INT(mm->n_queues, 4);
    CHECK_INT(mm->n_agents, 4);
    const model_metrics_row *sales = model_metrics_find(mm->queues, mm->n_queues, "sales");
    CHECK(sales && sales->interactions == 5 && isnan(sales->wait_ms) && sales->handle_ms == 142000);
    const model_metrics_row *fraud = model_metrics_find(mm->queues, mm->n_queues, "fraud");
    CHECK(fraud && fraud->uplift == -0.12 && fraud->negative_share == 0.67);
    desk_key('m');
    CHECK(view()->tab == MV_INTERACTIONS);
    floor_close();
    floor_open(24, 80);
    desk_key('m');
    golden("floor_metrics_80x24");
    floor_close();
    floor_open(12, 40);
    desk_key('m');
    golden("floor_metrics_40x12");
    floor_close();
}

static void test_whisper_prompt(void)
{
    floor_open(40, 120);
    desk_key('w');
    CHECK(has("whisper Ana>"));
    desk_type("Offer the loyalty credit");
    desk_key(WK_ENTER);
    CHECK_INT(session_unsent(&the_desk.s), 1);
    const outbox_item *it = outbox_next_unsent(&the_desk.s.outbox);
    CHECK(it && strcmp(it->type, "whisper") == 0 && strcmp(it->iid, "I-1") == 0);
    floor_close();
}

/* take over to oneself (Enter) or to an agent named as the floor shows them; leave only
 * after a barge */
static void test_takeover_and_leave(void)
{
    floor_open(40, 120);
    desk_key('l');
    CHECK(has("you have not barged into this one"));
    CHECK_INT(session_unsent(&the_desk.s), 0);
    desk_key('t');
    CHECK(has("take over to>"));
    desk_key(WK_ENTER);
    CHECK_INT(session_unsent(&the_desk.s), 1);
    const outbox_item *it = outbox_next_unsent(&the_desk.s.outbox);
    CHECK(it && !strcmp(it->type, "takeover") && !strstr(it->frame, "\"to\""));
    desk_key('t');
    desk_type("Lee");
    desk_key(WK_ENTER);
    CHECK_INT(session_unsent(&the_desk.s), 2);
    it = &the_desk.s.outbox.items[the_desk.s.outbox.n - 1];   /* the newest */
    CHECK(it && !strcmp(it->type, "takeover") && strstr(it->frame, "\"to\":\"agent-2\""));
    floor_close();
}

/* a bot-held interaction whose customer turns hostile is announced as needing a person */
static void test_bot_crosses_to_people_first(void)
{
    floor_open(40, 120);
    static const char *frames[] = {
        "{\"type\":\"interaction.started\",\"seq\":400,\"ts\":1793629920000,\"iid\":\"I-7\",\"channel\":\"chat\",\"queue\":\"sales\","
        "\"agent\":\"agent-4\",\"agent_name\":\"Tom Ng\",\"customer_id\":\"C-7\",\"customer_name\":\"Lea Roth\",\"started_ms\":1793629920000}",
        "{\"type\":\"utterance\",\"seq\":401,\"ts\":1793629921000,\"iid\":\"I-7\",\"uid\":\"b1\",\"speaker\":\"bot\",\"text\":\"Hello!\",\"final\":true,\"offset_ms\":1000}",
        "{\"type\":\"utterance\",\"seq\":402,\"ts\":1793629922000,\"iid\":\"I-7\",\"uid\":\"c1\",\"speaker\":\"customer\",\"text\":\"Hi\",\"final\":true,\"offset_ms\":2000}",
        "{\"type\":\"sentiment\",\"seq\":403,\"ts\":1793629922001,\"iid\":\"I-7\",\"uid\":\"c1\",\"score\":0.1,\"label\":\"neutral\",\"trend\":0.1,\"slope\":0,"
        "\"terms\":[],\"emotion\":\"neutral\",\"cues\":[],\"level\":\"neutral\",\"direction\":0}",
    };
    for (size_t i = 0; i < sizeof frames / sizeof *frames; i++) CHECK(desk_frame(frames[i], strlen(frames[i])));
    CHECK(lacks("Lea Roth needs a person"));
    static const char hostile[] =
        "{\"type\":\"sentiment\",\"seq\":404,\"ts\":1793629923001,\"iid\":\"I-7\",\"uid\":\"c1\",\"score\":-0.8,\"label\":\"negative\",\"trend\":-0.5,\"slope\":-0.3,"
        "\"terms\":[],\"emotion\":\"anger\",\"cues\":[],\"level\":\"negative\",\"direction\":-1}";
    CHECK(desk_frame(hostile, strlen(hostile)));
    desk_render();   /* the refresh notices it; the notice shows in the next frame */
    CHECK(has("→ Lea Roth needs a person (a bot holds it, sales)"));
    floor_close();
}

int main(void)
{
    headless_open(40, 120);
    desk_init();
    keys_init_letters(&mkeys, monitor_keys_actions, MK__COUNT);
    RUN(test_grid_120x40);
    RUN(test_grid_80x24);
    RUN(test_grid_40x12);
    RUN(test_order_and_marks);
    RUN(test_selection_keeps_identity);
    RUN(test_filter);
    RUN(test_agents_and_alerts);
    RUN(test_replayed_hands_are_history);
    RUN(test_metrics);
    RUN(test_whisper_prompt);
    RUN(test_takeover_and_leave);
    RUN(test_bot_crosses_to_people_first);
    keys_free(&mkeys);
    desk_done();
    headless_close();
    return check_done("test_monitor_screens");
}
