/* test_screen_frames.c — when the console draws and what a draw costs, on the real agent
 * screen (desk.h) driven through the real app loop (app_mark_dirty, the lws timers):
 *   - a lone event is drawn in the same turn of the loop, not a frame later;
 *   - a flood of events inside one frame time (16 ms) is drawn at most five times (the
 *     budget of four back-to-back frames, then the frame boundary);
 *   - a growing partial writes to the terminal about its new text and a cursor move, and the
 *     interaction list, the clock and the other panes are not redrawn.
 * Draws are counted (app.renders) and bytes are counted (the curses screen writes into a
 * temporary file instead of /dev/null); no assertion is about elapsed time. */
#include <sys/stat.h>

#include "tests/screen/desk.h"

#define SETTLE_MS 5000   /* past the toasts and the first tick */

static long term_bytes(void)
{
    fflush(headless_out);
    struct stat st;
    return fstat(fileno(headless_out), &st) == 0 ? (long)st.st_size : -1;
}

static int64_t next_seq = 1000;

static void utterance(const char *iid, const char *uid, const char *text, bool final)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf,
                     "{\"type\":\"utterance\",\"seq\":%lld,\"ts\":1793629900000,\"iid\":\"%s\",\"uid\":\"%s\","
                     "\"speaker\":\"customer\",\"text\":\"%s\",\"final\":%s,\"offset_ms\":30000}",
                     (long long)next_seq++, iid, uid, text, final ? "true" : "false");
    CHECK(desk_frame(buf, (size_t)n));
}

/* Maria's call on screen, everything drawn and every timer that the feed armed run. */
static void settled_desk(void)
{
    desk_open(40, 120, 1000);
    CHECK(desk_feed("call"));
    desk_wait(SETTLE_MS);
    desk_wait(SETTLE_MS);
    desk_render();
    desk_wait(20);   /* no frame drawn in the last frame time */
}

static bool on_screen(const char *needle)
{
    capture_stats st;
    char *text = headless_capture(&st);
    bool found = strstr(text, needle) != NULL;
    free(text);
    return found;
}

static void test_lone_event_draws_at_once(void)
{
    settled_desk();
    uint64_t r0 = the_desk.a.renders;
    utterance("I-1", "lone-1", "is anyone there", true);
    desk_wait(0);   /* the same turn of the loop: no time passes */
    CHECK_INT(the_desk.a.renders - r0, 1);
    CHECK(on_screen("is anyone there"));
    desk_close();
}

/* The hub sends an utterance's enrichment a few ms after it, and the clock may tick in
 * between: the second and third frames are drawn at once too (the frame budget holds four),
 * not held for the rest of the frame. */
static void test_follow_up_draws_at_once(void)
{
    settled_desk();
    desk_wait(4 * 16);   /* quiet for four frames: the budget is whole */
    uint64_t r0 = the_desk.a.renders;
    utterance("I-1", "lone-2", "first of three", true);
    desk_wait(0);
    desk_mono_shift_ns += 3000000;   /* 3 ms later */
    utterance("I-1", "lone-3", "second of three", true);
    desk_wait(0);
    desk_mono_shift_ns += 2000000;   /* 2 ms later */
    utterance("I-1", "lone-4", "third of three", true);
    desk_wait(0);
    CHECK_INT(the_desk.a.renders - r0, 3);
    CHECK(on_screen("third of three"));
    desk_close();
}

/* A flood in one frame: the budget's four frames, then the next frame boundary. */
static void test_flood_in_one_frame_draws_at_most_five_times(void)
{
    settled_desk();
    uint64_t r0 = the_desk.a.renders;
    char uid[32], text[64];
    for (int i = 0; i < 100; i++) {   /* 100 events, 0.1 ms apart, each in its own wake-up */
        snprintf(uid, sizeof uid, "flood-%d", i);
        snprintf(text, sizeof text, "flood line %d", i);
        utterance("I-1", uid, text, true);
        desk_mono_shift_ns += 100000;
        desk_wait(0);
    }
    desk_wait(16);   /* the next frame boundary */
    uint64_t draws = the_desk.a.renders - r0;
    CHECK(draws >= 1 && draws <= 5);
    if (draws > 5) fprintf(stderr, "  %llu draws for one frame's flood\n", (unsigned long long)draws);
    CHECK(on_screen("flood line 99"));
    desk_close();
}

/* A flood of one second, an event each millisecond: one frame each 16 ms (62.5 a second)
 * plus the budget's three more at its start, and the boundaries either end: at most 68. */
static void test_flood_of_a_second_draws_at_most_68(void)
{
    settled_desk();
    uint64_t r0 = the_desk.a.renders;
    char uid[32], text[64];
    for (int i = 0; i < 1000; i++) {
        snprintf(uid, sizeof uid, "second-%d", i);
        snprintf(text, sizeof text, "second line %d", i);
        utterance("I-1", uid, text, true);
        desk_mono_shift_ns += 1000000;
        desk_wait(0);
    }
    desk_wait(16);
    uint64_t draws = the_desk.a.renders - r0;
    CHECK(draws >= 50 && draws <= 68);
    if (check_current_failed) fprintf(stderr, "  %llu draws in a second's flood\n", (unsigned long long)draws);
    CHECK(on_screen("second line 999"));
    desk_close();
}

/* A growing customer partial: its new words, a cursor move and an attribute or two. */
static void test_partial_writes_its_new_text(void)
{
    settled_desk();
    utterance("I-1", "u5", "Honestly I'm about to cancel my account if nobody fixes this", false);
    desk_wait(SETTLE_MS);
    desk_wait(20);
    long b0 = term_bytes();
    unsigned list_v = the_desk.s.model.list_version;
    const char *added = " today";
    utterance("I-1", "u5", "Honestly I'm about to cancel my account if nobody fixes this today", false);
    CHECK_INT(the_desk.s.model.list_version, list_v);   /* the list did not change */
    desk_wait(0);
    long bytes = term_bytes() - b0;
    /* twice the text, plus a cursor move (~10 B) and the partial's colour set and reset (~30 B) */
    long budget = 2 * (long)strlen(added) + 40;
    if (bytes > budget) {
        fprintf(stderr, "  a %zu-byte partial wrote %ld bytes:\n  ", strlen(added), bytes);
        fseek(headless_out, b0, SEEK_SET);
        for (int c; (c = fgetc(headless_out)) != EOF;) fprintf(stderr, c < 32 ? "^%c" : "%c", c < 32 ? c + 64 : c);
        fputc('\n', stderr);
    }
    CHECK(bytes > 0 && bytes <= budget);
    CHECK(on_screen("fixes this today"));
    utterance("I-2", "t9", "hello again", true);   /* another's line: its unread badge moves */
    CHECK(the_desk.s.model.list_version != list_v);
    CHECK(desk_view() != NULL);
    desk_close();
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    /* headless_open, but into a file whose size is the bytes written to the terminal */
    headless_open(40, 120);
    endwin();
    delscreen(headless_screen);
    fclose(headless_out);
    headless_out = tmpfile();
    if (!headless_out) { perror("tmpfile"); return 2; }
    headless_screen = newterm("xterm-256color", headless_out, headless_in);
    if (!headless_screen) { fprintf(stderr, "newterm failed\n"); return 2; }
    set_term(headless_screen);
    resize_term(40, 120);
    desk_init();
    desk_freeze_clock();
    RUN(test_lone_event_draws_at_once);
    RUN(test_follow_up_draws_at_once);
    RUN(test_flood_in_one_frame_draws_at_most_five_times);
    RUN(test_flood_of_a_second_draws_at_most_68);
    RUN(test_partial_writes_its_new_text);
    desk_done();
    headless_close();
    return check_done("test_screen_frames");
}
