/* test_console_view.c — the agent screen rendered into a headless curses screen (newterm
 * on /dev/null; the picture read back from curscr): what a person must see is there at
 * 120x40, 80x24 and 40x12, and a storm of sizes down to 1x1 neither crashes nor leaves
 * anything drawn outside the screen. Fed by real frames through proto_decode and the model. */
#include "tests/unit/check.h"
#include "agentdesk/agent.h"
#include "agentdesk/agent_sync.h"
#include "agentdesk/agent_view.h"
#include "agentdesk/app.h"
#include "agentdesk/session.h"
#include "base/clock.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

static app a;
static session s;
static agent_view v;

static void feed(const char *frame)
{
    proto_event ev;
    proto_error err;
    if (!proto_decode(frame, strlen(frame), PROTO_TO_CONSOLE, &ev, &err)) {
        fprintf(stderr, "  decode: %s\n", err.message);
        check_current_failed = 1;
        return;
    }
    model_delta d = model_apply(&s.model, &ev);
    agent_sync_change(&v, &s, &d);
    proto_free(&ev);
}

static void draw(int rows, int cols)
{
    resizeterm(rows, cols);
    agent_view_layout(&v);
    agent_sync_titles(&v, &s);
    agent_sync_header(&v, &s);
    widget_render(v.render, v.n_render);
    doupdate();
}

/* The whole screen as UTF-8 text, rows separated by '\n'. */
static char *screen_text(void)
{
    size_t cap = (size_t)LINES * (size_t)(COLS * 4 + 2) + 1, used = 0;
    char *out = malloc(cap);
    for (int y = 0; y < LINES; y++) {
        for (int x = 0; x < COLS; x++) {
            cchar_t cc;
            wchar_t wc[CCHARW_MAX + 1];
            attr_t at;
            short pair;
            if (mvwin_wch(curscr, y, x, &cc) == ERR) continue;
            getcchar(&cc, wc, &at, &pair, NULL);
            for (int i = 0; wc[i]; i++) {
                char mb[8];
                int n = wctomb(mb, wc[i]);
                if (n > 0 && used + (size_t)n < cap) { memcpy(out + used, mb, (size_t)n); used += (size_t)n; }
            }
        }
        out[used++] = '\n';
    }
    out[used] = 0;
    return out;
}

static char *last_text;

/* The screen text, kept until the next call (for negative checks: nothing printed). */
static const char *screen_text_once(void)
{
    free(last_text);
    last_text = screen_text();
    return last_text;
}

static bool shows(const char *text)
{
    char *scr = screen_text();
    bool found = strstr(scr, text) != NULL;
    if (!found) fprintf(stderr, "  not on the %dx%d screen: \"%s\"\n%s", COLS, LINES, text, scr);
    free(scr);
    return found;
}

static char frame[2048];

/* started_ms "now - ago" so durations look like a live call's */
static const char *started(const char *fmt, int64_t ago_ms)
{
    snprintf(frame, sizeof frame, fmt, (long long)(clock_wall_ms() - ago_ms));
    return frame;
}

/* One screen row holding both texts. */
static bool row_with(const char *a_text, const char *b_text)
{
    char *scr = screen_text();
    bool found = false;
    for (char *line = strtok(scr, "\n"); line && !found; line = strtok(NULL, "\n"))
        found = strstr(line, a_text) && strstr(line, b_text);
    free(scr);
    return found;
}

static void setup(void)
{
    feed("{\"type\":\"welcome\",\"user\":\"agent-1\",\"display_name\":\"Ana Ruiz\",\"role\":\"agent\",\"hub_id\":\"H\",\"seq\":1,\"protocol\":1}");
    feed(started("{\"type\":\"interaction.started\",\"seq\":2,\"ts\":1,\"iid\":\"I-1\",\"channel\":\"voice\",\"queue\":\"billing\","
                 "\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"customer_id\":\"C-1042\",\"customer_name\":\"Maria Lopez\","
                 "\"started_ms\":%lld}", 252000));
    feed(started("{\"type\":\"interaction.started\",\"seq\":3,\"ts\":1,\"iid\":\"I-2\",\"channel\":\"chat\",\"queue\":\"sales\","
                 "\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"customer_id\":\"C-7\",\"customer_name\":\"Tom Becker\","
                 "\"started_ms\":%lld}", 115000));
    feed("{\"type\":\"utterance\",\"seq\":4,\"ts\":1,\"iid\":\"I-1\",\"uid\":\"u1\",\"speaker\":\"customer\","
         "\"text\":\"I've been charged twice for March and this is the third time I'm calling\",\"final\":true,\"offset_ms\":9000}");
    feed("{\"type\":\"utterance\",\"seq\":5,\"ts\":1,\"iid\":\"I-1\",\"uid\":\"u2\",\"speaker\":\"customer\","
         "\"text\":\"Honestly I'm about to cancel\",\"final\":false,\"offset_ms\":21000}");
    feed("{\"type\":\"flag\",\"seq\":6,\"ts\":1,\"iid\":\"I-1\",\"fid\":\"F1\",\"kind\":\"churn_intent\",\"severity\":2,"
         "\"text\":\"Customer threatens to cancel\",\"rule\":\"r\",\"evidence\":\"cancel my account\",\"offset_ms\":21000}");
    feed("{\"type\":\"suggestion\",\"seq\":7,\"ts\":1,\"iid\":\"I-1\",\"sid\":\"S1\",\"title\":\"Duplicate charge refund\","
         "\"text\":\"I can see the two charges\",\"source\":\"KB-1\",\"score\":0.9}");
    feed("{\"type\":\"checklist\",\"seq\":8,\"ts\":1,\"iid\":\"I-1\",\"items\":[{\"id\":\"rec\",\"label\":\"Recording notice\",\"done\":true,\"by\":\"phrase\"},"
         "{\"id\":\"id\",\"label\":\"Verify identity\",\"done\":false,\"by\":\"\"}]}");
    feed("{\"type\":\"customer\",\"seq\":9,\"ts\":1,\"iid\":\"I-1\",\"customer\":{\"id\":\"C-1042\",\"name\":\"Maria Lopez\","
         "\"tier\":\"gold\",\"since\":\"2019-03-02\",\"plan\":\"Fibre 500\"},\"history\":[{\"date\":\"2026-11-02\",\"channel\":\"voice\","
         "\"reason\":\"billing\",\"outcome\":\"unresolved\",\"sentiment\":-0.4}],\"orders\":[{\"id\":\"#88231\",\"date\":\"2026-10-01\","
         "\"item\":\"Fibre 500\",\"amount\":49.99,\"currency\":\"EUR\",\"status\":\"paid\"}]}");
    feed("{\"type\":\"utterance\",\"seq\":10,\"ts\":1,\"iid\":\"I-1\",\"uid\":\"u3\",\"speaker\":\"customer\","
         "\"text\":\"evil \\u001b[2J\\u009b31m \\u202e reversed\",\"final\":true,\"offset_ms\":30000}");
}

static void test_wide(void)
{
    draw(40, 120);
    CHECK(shows("Ana Ruiz"));
    CHECK(shows("ON INTERACTION"));
    CHECK(shows("Mine (2)"));
    CHECK(shows("Tom Becker"));
    CHECK(shows("04:1"));              /* Maria's call has lasted 04:12 or so */
    CHECK(shows("00:09 customer"));
    CHECK(shows("[partial]"));
    CHECK(shows("Flags (1)"));
    CHECK(shows("churn intent"));
    CHECK(row_with("churn intent", "new"));     /* the new flag's row is marked while its toast shows */
    agent_sync_flash_done(&v, &s);
    widget_render(v.render, v.n_render);
    doupdate();
    CHECK(!row_with("churn intent", "new"));
    CHECK(shows("1 Duplicate charge refund"));
    CHECK(shows("Checklist (1/2)"));
    CHECK(shows("[x] Recording notice"));
    CHECK(shows("ID C-1042 · Fibre 500"));
    CHECK(shows("02 Nov V billing"));
    CHECK(shows("-> unresolved"));     /* the outcome has its own row, never cut off */
    CHECK(row_with("Fibre 500 · paid", "49.99 EUR"));
    CHECK(shows("note>"));
    /* the hostile line arrived cleaned: no ESC / CSI / bidi override on screen */
    char *scr = screen_text();
    CHECK(strchr(scr, 0x1b) == NULL);
    CHECK(strstr(scr, "\xc2\x9b") == NULL);
    CHECK(strstr(scr, "\xe2\x80\xae") == NULL);
    CHECK(strstr(scr, "reversed") != NULL);
    free(scr);
}

static void test_tabs_and_single(void)
{
    draw(24, 80);
    CHECK(shows("[Transcript]"));
    CHECK(shows("Flags 1"));
    CHECK(shows("Maria Lopez V"));
    CHECK(shows("[1 more]"));
    toast_hide(v.toast);   /* the flag's toast would overlay the header row checked below */
    draw(12, 40);
    CHECK(shows("Maria Lopez V"));
    CHECK(shows("connecting"));
    CHECK(!strstr(screen_text_once(), "Mine ("));
    v.tab = TAB_FLAGS;
    draw(12, 40);
    CHECK(shows("churn intent"));
    CHECK(row_with("Flags", "Maria"));   /* no tab bar at 40x12: the header names the pane */
    v.tab = TAB_TRANSCRIPT;
}

/* A flag's reason says what to do: at every size it is wrapped, not cut, and the evidence
 * that fired it is quoted under it. */
static void test_flag_reason_wrapped(void)
{
    feed("{\"type\":\"flag\",\"seq\":11,\"ts\":1,\"iid\":\"I-1\",\"fid\":\"F2\",\"kind\":\"fraud\",\"severity\":3,"
         "\"text\":\"Possible fraud: follow the fraud process; do not discuss the account until verified.\","
         "\"rule\":\"r2\",\"evidence\":\"didn't order\",\"offset_ms\":7000}");
    agent_sync_flash_done(&v, &s);
    toast_hide(v.toast);
    draw(40, 120);
    agent_sync_resized(&v, &s);
    draw(40, 120);
    CHECK(shows("Flags (2)"));
    CHECK(row_with("[!!!]", "fraud"));
    CHECK(shows("verified."));
    CHECK(shows("\"didn't order\""));
    v.tab = TAB_FLAGS;
    draw(24, 80);
    agent_sync_resized(&v, &s);
    draw(24, 80);
    CHECK(shows("account until"));
    CHECK(shows("verified."));
    v.tab = TAB_TRANSCRIPT;
    draw(40, 120);
    agent_sync_resized(&v, &s);
}

/* A notice in the header's toast sits left of the clock: the time stays readable. */
static void test_toast_keeps_clock(void)
{
    draw(40, 120);
    toast_show(v.toast, "wrap-up saved", THEME_STATUS_OK);
    draw(40, 120);
    char *scr = screen_text();
    char *nl = strchr(scr, '\n');
    if (nl) *nl = 0;
    CHECK(strstr(scr, "wrap-up saved") != NULL);
    char *help = strstr(scr, "? help");
    CHECK(help != NULL && help - scr >= 7);
    if (help && help - scr >= 7) {
        const char *c = help - 7;   /* "HH:MM  ? help": the clock to the minute */
        CHECK(c[2] == ':' && c[0] >= '0' && c[0] <= '9' && c[4] >= '0' && c[4] <= '9' && c[-1] == ' ');
    }
    if (!help) fprintf(stderr, "  header: %s\n", scr);
    free(scr);
    toast_hide(v.toast);
    draw(12, 40);
    toast_show(v.toast, "note kept: sent when connected", THEME_STATUS_WARN);
    draw(12, 40);
    char *small = screen_text();
    nl = strchr(small, '\n');
    if (nl) *nl = 0;
    /* 40 columns: "HH:MM" still ends the row */
    size_t len = strlen(small);
    while (len && small[len - 1] == ' ') small[--len] = 0;
    CHECK(len >= 5 && small[len - 3] == ':');
    free(small);
    toast_hide(v.toast);
    draw(40, 120);
}

/* A call that is over says what it needs where its time was, and keeps its name whole. */
static void test_ended_row(void)
{
    feed("{\"type\":\"utterance\",\"seq\":12,\"ts\":1,\"iid\":\"I-2\",\"uid\":\"t1\",\"speaker\":\"customer\","
         "\"text\":\"hello?\",\"final\":true,\"offset_ms\":1000}");
    draw(40, 120);
    CHECK(row_with("Tom Beck", "+1"));      /* an unread line on the other chat */
    feed("{\"type\":\"interaction.ended\",\"seq\":13,\"ts\":1,\"iid\":\"I-2\",\"reason\":\"customer_left\",\"ended_ms\":1}");
    draw(40, 120);
    CHECK(row_with("Tom Becker", "wrap up"));
}

/* The clock wakes the loop each second only while something on screen counts seconds. */
static void test_tick_period(void)
{
    model_ix live = {.state = IX_LIVE, .started_ms = 1}, ended = {.state = IX_ENDED, .started_ms = 1};
    model_ix *both[] = {&ended, &live};
    model none = {.n_ix = 0}, done = {.ix = both, .n_ix = 1}, one_live = {.ix = both, .n_ix = 2};
    CHECK_INT(agent_tick_period(NULL, false), APP_TICK_MINUTE);
    CHECK_INT(agent_tick_period(&none, false), APP_TICK_MINUTE);   /* the HH:MM clock alone */
    CHECK_INT(agent_tick_period(&done, false), APP_TICK_MINUTE);
    CHECK_INT(agent_tick_period(&one_live, false), APP_TICK_SECOND);   /* live, not active */
    CHECK_INT(agent_tick_period(&done, true), APP_TICK_SECOND);
}

static void test_size_storm(void)
{
    static const int sizes[][2] = {{1, 1}, {2, 5}, {5, 20}, {12, 40}, {3, 200}, {100, 300}, {24, 80},
                                   {16, 60}, {15, 59}, {28, 110}, {27, 109}, {40, 120}, {1, 120}, {60, 1}};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        draw(sizes[i][0], sizes[i][1]);
        for (size_t w = 0; w < v.n_render; w++) {
            widget_rect r = v.render[w]->rect;
            CHECK(r.y >= 0 && r.x >= 0 && r.y + r.h <= LINES && r.x + r.w <= COLS);
        }
    }
    draw(40, 120);
    CHECK(shows("Mine (2)"));
}

static void suggestion(int seq, const char *sid, const char *title, double confidence)
{
    snprintf(frame, sizeof frame,
             "{\"type\":\"suggestion\",\"seq\":%d,\"ts\":1,\"iid\":\"I-1\",\"sid\":\"%s\",\"title\":\"%s\","
             "\"text\":\"reply\",\"source\":\"KB-%s\",\"score\":1,\"confidence\":%.2f}",
             seq, sid, title, sid, confidence);
    feed(frame);
}

/* Key 1 is the best of the newest final's suggestions (the hub sends them best first), and
 * a new batch moves the rows without moving the selection off the one being read. */
static void test_suggestion_order(void)
{
    suggestion(101, "S2", "Refund policy", 0.8);
    suggestion(102, "S3", "Loyalty credit", 0.5);
    draw(40, 120);
    CHECK(shows("1 Refund policy"));
    CHECK(shows("2 Loyalty credit"));
    CHECK(shows("3 Duplicate charge refund"));
    list_select(v.l_sugg, 1);
    feed("{\"type\":\"utterance\",\"seq\":103,\"ts\":1,\"iid\":\"I-1\",\"uid\":\"u4\",\"speaker\":\"customer\","
         "\"text\":\"then I want to cancel\",\"final\":true,\"offset_ms\":40000}");
    suggestion(104, "S4", "Cancellation flow", 0.9);
    suggestion(105, "S5", "Early termination fee", 0.4);
    draw(40, 120);
    CHECK(shows("1 Cancellation flow"));
    CHECK(shows("2 Early termination fee"));
    CHECK(shows("3 Refund policy"));
    CHECK_INT((int)list_selected(v.l_sugg), 3);
    model_ix *ix = model_find(&s.model, "I-1");
    CHECK_STR(model_suggestion_nth(ix, 3)->title, "Loyalty credit");
    CHECK(model_suggestion_nth(ix, 0)->confidence > 0.89);
    /* the same suggestion again (a refresh) keeps its place */
    suggestion(106, "S2", "Refund policy", 0.7);
    CHECK_STR(model_suggestion_nth(ix, 2)->title, "Refund policy");
    CHECK_INT((int)list_selected(v.l_sugg), 3);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    if (!out || !in || !newterm("xterm", out, in)) { printf("test_console_view: 0 passed, 1 failed\n"); return 1; }
    lws_set_log_level(0, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    a.ctx = lws_create_context(&info);
    char err[256];
    if (!a.ctx || !session_init(&s, &a, "ws://127.0.0.1:9", "t", NULL, 1000, err, sizeof err)) return 1;
    agent_view_init(&v, 1000);
    agent_view_layout(&v);
    setup();
    RUN(test_wide);
    RUN(test_tabs_and_single);
    RUN(test_flag_reason_wrapped);
    RUN(test_toast_keeps_clock);
    RUN(test_ended_row);
    RUN(test_tick_period);
    RUN(test_size_storm);
    RUN(test_suggestion_order);
    endwin();
    free(last_text);
    agent_view_free(&v);
    session_free(&s);
    lws_context_destroy(a.ctx);
    delscreen(set_term(NULL));
    fclose(out);
    fclose(in);
    return check_done("test_console_view");
}
