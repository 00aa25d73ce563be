/* test_replay_screens.c — golden screens of the trainer's replay (`agentdesk replay`), drawn
 * by the replay mode itself (replay_screen_attach: the agent's view filled by agent_sync from
 * the model the player moves, the timeline, hints and prompts) from a recording the demo hub
 * made (tests/screen/fixtures/replay_call.jsonl), into the headless curses screen of desk.h:
 * paused at 00:40 after `g 0:40` with one note, at 120x40, 80x24 and 40x12. Also: `]` lands
 * on the first flag, `g` refuses what is not a time, the notes list goes to a note, and help
 * lists the replay's keys.
 *
 * Updating the goldens: UPDATE_GOLDEN=1 build/tests/screen/test_replay_screens (see
 * test_screens.c), then review `git diff tests/screen/golden`. */
#include "tests/screen/desk.h"
#include "agentdesk/replay_keys.h"
#include "agentdesk/replay_screen.h"

static recording rec;
static replay_timeline tl;
static replay_notes notes;
static keys_table rkeys;

static char *capture(void)
{
    capture_stats st;
    char *text = headless_capture(&st);
    CHECK_INT(st.control_cells, 0);
    CHECK_INT(st.bad_rows, 0);
    return text;
}

static void replay_open(int rows, int cols)
{
    headless_resize(rows, cols);
    desk *d = &the_desk;
    memset(&d->a, 0, sizeof d->a);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    d->a.ctx = lws_create_context(&info);
    char err[256];
    CHECK(recording_open_file(&rec, "tests/screen/fixtures/replay_call.jsonl", NULL, err, sizeof err));
    replay_timeline_build(&tl, &rec, 2000, 0);
    CHECK(replay_notes_load(&notes, NULL, err, sizeof err));
    replay_notes_add(&notes, 20000, "a good apology, then the plan");
    replay_screen_setup set = {&rec, &tl, &notes, "replay_call.jsonl", 1.0, NULL};
    if (!d->a.ctx || !session_init(&d->s, &d->a, NULL, NULL, NULL, 2000, err, sizeof err) ||
        !replay_screen_attach(&d->a, &d->s, &rkeys, &d->th, &set, false, err, sizeof err)) {
        fprintf(stderr, "replay_open: %s\n", err);
        exit(2);
    }
}

static void replay_close(void)
{
    desk *d = &the_desk;
    replay_screen_free(&d->a);
    session_free(&d->s);
    lws_context_destroy(d->a.ctx);
    memset(&d->a, 0, sizeof d->a);
    replay_notes_free(&notes);
    replay_timeline_free(&tl);
    recording_free(&rec);
}

static void go_to(const char *when)
{
    desk_key('g');
    desk_type(when);
    desk_key(WK_ENTER);
    desk_wait(3000);   /* the notices are gone */
}

static void paused_at_40(int rows, int cols, const char *golden)
{
    replay_open(rows, cols);
    go_to("0:40");
    replay_player *p = replay_screen_player(&the_desk.a);
    CHECK_INT(p->cur_ms, 40000);
    CHECK(!p->playing);
    desk_render();
    char *text = capture();
    CHECK(golden_check(golden, text));
    CHECK(strstr(text, "00:40") != NULL);
    free(text);
    replay_close();
}

static void test_paused_120x40(void) { paused_at_40(40, 120, "replay_120x40"); }
static void test_paused_80x24(void) { paused_at_40(24, 80, "replay_80x24"); }
static void test_paused_40x12(void) { paused_at_40(12, 40, "replay_40x12"); }

static void test_keys_move_and_refuse(void)
{
    replay_open(24, 80);
    replay_player *p = replay_screen_player(&the_desk.a);
    desk_key(']');
    CHECK_INT(p->pos, tl.marks[0].event + 1);
    agent_view *v = replay_screen_view(&the_desk.a);
    CHECK_INT(model_active(&the_desk.s.model)->n_flags, 1);
    CHECK(list_count(v->l_flags) > 0);
    desk_key(WK_FN(KEY_RIGHT));
    CHECK_INT(p->pos, tl.marks[0].event + 2);
    desk_key(WK_FN(KEY_LEFT));
    desk_key(WK_FN(KEY_LEFT));
    CHECK_INT(p->pos, tl.marks[0].event);
    desk_key(WK_FN(KEY_END));
    CHECK_INT(p->pos, rec.n_events);
    desk_key('g');
    desk_type("soon");
    desk_key(WK_ENTER);
    desk_render();
    char *text = capture();
    CHECK(strstr(text, "go to: type mm:ss") != NULL);
    CHECK_INT(p->pos, rec.n_events);
    free(text);
    /* the note's row goes to its time */
    desk_key('n');
    desk_key(WK_ENTER);
    CHECK_INT(p->cur_ms, 20000);
    desk_key('+');
    desk_key('+');
    CHECK(p->speed == 4);
    desk_key(' ');
    CHECK(p->playing);
    desk_key('?');
    desk_render();
    text = capture();
    CHECK(strstr(text, "play or pause") != NULL);
    free(text);
    replay_close();
}

int main(void)
{
    (void)desk_view;   /* the agent screen's; this program attaches the replay's */
    headless_open(40, 120);
    desk_init();
    keys_init_letters(&rkeys, replay_keys_actions, RK__COUNT);
    RUN(test_paused_120x40);
    RUN(test_paused_80x24);
    RUN(test_paused_40x12);
    RUN(test_keys_move_and_refuse);
    keys_free(&rkeys);
    desk_done();
    headless_close();
    return check_done("test_replay_screens");
}
