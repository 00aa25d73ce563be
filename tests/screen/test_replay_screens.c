/* test_replay_screens.c — golden screens of the trainer's replay (`agentdesk replay`), drawn
 * by the replay mode itself (replay_screen_attach: the agent's view filled by agent_sync from
 * the model the player moves, the timeline, hints and prompts) from a recording the demo hub
 * made (tests/screen/fixtures/replay_call.jsonl), into the headless curses screen of desk.h:
 * paused at 00:40 after `g 0:40` with one note, at 120x40, 80x24 and 40x12. Also: `]` lands
 * on the first flag, `g` refuses what is not a time, the notes list goes to a note, and help
 * lists the replay's keys. The score card (s) over the same recording at its end, with the
 * recording's suggestions, one answered, one confirmed and one commented, at 120x40 and 80x24.
 *
 * Updating the goldens: UPDATE_GOLDEN=1 build/tests/screen/test_replay_screens (see
 * test_screens.c), then review `git diff tests/screen/golden`. */
#include "tests/screen/desk.h"
#include "agentdesk/replay_keys.h"
#include "agentdesk/replay_screen.h"
#include "agentdesk/scorecard_evidence.h"

static recording rec;
static replay_timeline tl;
static replay_notes notes;
static keys_table rkeys;
static scorecard card;
static scorecard_answers answers;

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
    scorecard_answers_init(&answers, &card);
    model end;
    memset(&end, 0, sizeof end);
    replay_timeline_seek(&tl, &end, rec.n_events);
    scorecard_evidence_suggest(&answers, model_active(&end));
    model_free(&end);
    replay_screen_setup set = {&rec, &tl, &notes, "replay_call.jsonl", 1.0, NULL, &answers, NULL};
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
    scorecard_answers_free(&answers);
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

/* The card at the recording's end: y on the first item, Enter confirms the next (a
 * suggestion), a comment on the third, a 1-5 refused on a yes/no item. */
static void card_filled(int rows, int cols, const char *golden)
{
    replay_open(rows, cols);
    desk_key(WK_FN(KEY_END));
    desk_key('s');
    desk_key('y');
    CHECK_INT(answers.a[0].value, SC_YES);
    CHECK(answers.a[1].suggested);
    desk_key(WK_ENTER);
    CHECK(!answers.a[1].suggested);
    CHECK_INT(answers.a[1].value, SC_NO);
    desk_key('3');                            /* item 3 is yes/no */
    CHECK(answers.a[2].suggested);
    desk_key('c');
    desk_type("asked for the postcode only");
    desk_key(WK_ENTER);
    CHECK_STR(answers.a[2].comment, "asked for the postcode only");
    CHECK(notes.scorecard != NULL);           /* what the sidecar would be given */
    desk_wait(3000);                          /* the notices are gone */
    desk_render();
    char *text = capture();
    CHECK(golden_check(golden, text));
    CHECK(strstr(text, "Score card") != NULL);
    CHECK(strstr(text, "comment: asked for the postcode only") != NULL);
    free(text);
    desk_key(WK_ESC);                         /* closed: the player's keys again */
    desk_key(WK_FN(KEY_HOME));
    CHECK_INT(replay_screen_player(&the_desk.a)->pos, 0);
    replay_close();
}

static void test_card_120x40(void) { card_filled(40, 120, "scorecard_120x40"); }
static void test_card_80x24(void) { card_filled(24, 80, "scorecard_80x24"); }

int main(void)
{
    (void)desk_view;   /* the agent screen's; this program attaches the replay's */
    headless_open(40, 120);
    desk_init();
    keys_init_letters(&rkeys, replay_keys_actions, RK__COUNT);
    char err[400];
    if (!scorecard_load_file(&card, "data/scorecards/contact-centre-qa.json", err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    RUN(test_paused_120x40);
    RUN(test_paused_80x24);
    RUN(test_paused_40x12);
    RUN(test_keys_move_and_refuse);
    RUN(test_card_120x40);
    RUN(test_card_80x24);
    scorecard_free(&card);
    keys_free(&rkeys);
    desk_done();
    headless_close();
    return check_done("test_replay_screens");
}
