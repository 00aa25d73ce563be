/* test_screens.c — golden screens of the console's real agent screen. Each is drawn by the
 * agent mode itself (agent_screen_attach: agent_view's layout, agent_sync from the model,
 * agent_screen's hints, prompt, dialogs and help) from fixture frames in
 * tests/screen/fixtures/NAME.jsonl that go through proto_decode and the session (desk.h), into
 * a headless curses screen at 120x40, 80x24 and 40x12, and is compared with
 * tests/screen/golden/NAME.txt. Also: a live resize looks exactly like the fresh screens, a
 * toast that goes away leaves nothing behind, the wrap-up and quit dialogs, a scrolled
 * transcript with its marker, the help view, semantic styles, the partial tag.
 *
 * Updating the goldens: run from the repo root with UPDATE_GOLDEN=1
 *     UPDATE_GOLDEN=1 build/tests/screen/test_screens
 * which rewrites every golden this program checks; review `git diff tests/screen/golden`
 * line by line before committing. Without it, a difference fails the test, names the first
 * differing row and writes the screen drawn to build/NAME.actual.txt. */
#include "tests/screen/desk.h"

#define TOAST_GONE_MS 4100   /* agent_screen.c shows a toast for 4 s */

static bool find_text(const char *needle, int *fy, int *fx);

static char *capture(void)
{
    capture_stats st;
    char *text = headless_capture(&st);
    CHECK_INT(st.control_cells, 0);
    CHECK_INT(st.bad_rows, 0);
    return text;
}

static bool render_check(const char *golden)
{
    desk_render();
    char *text = capture();
    bool ok = golden_check(golden, text);
    CHECK(ok);
    free(text);
    return ok;
}

/* The agent at work: Maria's call fed, a note half written and left (Esc), toasts gone. */
static void desk_at_work(int rows, int cols)
{
    desk_open(rows, cols, 1000);
    CHECK(desk_feed("call"));
    desk_key(WK_ENTER);   /* start the line (letters would start it too) */
    desk_type("Customer double-charged in March; refund raised");
    desk_key(WK_ESC);
    desk_wait(TOAST_GONE_MS);
}

static void fresh(int rows, int cols, const char *golden)
{
    desk_at_work(rows, cols);
    render_check(golden);
    desk_close();
}

static void test_agent_120x40(void) { fresh(40, 120, "agent_120x40"); }
static void test_agent_80x24(void) { fresh(24, 80, "agent_80x24"); }
static void test_agent_40x12(void) { fresh(12, 40, "agent_40x12"); }

/* One console resized through every mode looks exactly like a fresh one at each size. */
static void test_live_resize(void)
{
    desk_at_work(40, 120);
    static const struct { int rows, cols; const char *golden; } steps[] = {
        { 40, 120, "agent_120x40" }, { 24, 80, "agent_80x24" }, { 12, 40, "agent_40x12" },
        { 24, 80, "agent_80x24" }, { 40, 120, "agent_120x40" },
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        desk_resize(steps[i].rows, steps[i].cols);
        if (!render_check(steps[i].golden))
            fprintf(stderr, "  after resize step %zu\n", i);
    }
    desk_close();
}

/* The newest flag's toast overlays the top right (its row marked "new"); a partial turning
 * final under it redraws the transcript only; when the toast goes, the screen is exactly
 * what a console that never showed it draws. */
static void test_toast(void)
{
    desk_open(40, 120, 1000);
    CHECK(desk_feed("call"));
    desk_key(WK_ENTER);   /* start the line (letters would start it too) */
    desk_type("Customer double-charged in March; refund raised");
    desk_key(WK_ESC);
    render_check("toast_120x40");
    CHECK(desk_feed("final"));
    agent_view *v = desk_view();
    /* the transcript is redrawn and nothing else: not the interaction list (a line of the
     * active interaction changes no unread badge), not the toast above */
    CHECK(textview_widget(v->tv)->dirty);
    for (size_t i = 0; i < v->n_render; i++)
        if (v->render[i] != textview_widget(v->tv))
            CHECK(!v->render[i]->dirty);
    size_t drawn = widget_render(v->render, v->n_render);
    CHECK_INT(drawn, 1);
    render_check("final_120x40");
    desk_wait(TOAST_GONE_MS);
    desk_render();
    char *after = capture();
    desk_close();

    desk_at_work(40, 120);
    CHECK(desk_feed("final"));
    desk_render();
    char *never = capture();
    CHECK_STR(after, never);
    free(after);
    free(never);
    desk_close();
}

/* The call ended and the hub drafted the summary: w opens the wrap-up dialog with the draft,
 * the hub's codes with its proposal chosen, and the follow-up toggle. */
static void test_wrapup_80x24(void)
{
    desk_open(24, 80, 1000);
    CHECK(desk_feed("call"));
    CHECK(desk_feed("final"));
    CHECK(desk_feed("end"));
    desk_wait(TOAST_GONE_MS);
    desk_key(WK_CTRL('w'));
    render_check("wrapup_80x24");
    /* shrinking under the open dialog and growing back leaves it as it was */
    desk_resize(12, 40);
    desk_render();
    desk_resize(24, 80);
    render_check("wrapup_80x24");
    /* typing lands in the summary, Tab moves on, the choice keeps its place */
    dialog *d = desk_view()->dlg;
    desk_key(WK_FN(KEY_DOWN));   /* the draft opens at its start: down past the reason's */
    desk_key(WK_FN(KEY_DOWN));   /* two rows to what was done */
    desk_key(WK_FN(KEY_END));
    desk_key('!');
    CHECK(strstr(dialog_text(d, 0), "second charge.!") != NULL);
    desk_key(WK_TAB);
    desk_key(WK_FN(KEY_DOWN));
    CHECK_STR(dialog_choice_text(d, 1), "resolved");
    desk_render();
    int y, x;
    CHECK(find_text("(*) resolved", &y, &x));
    desk_close();
}

/* A drafted summary longer than its box opens at its first row, the cursor there, also when
 * the hub's new draft replaces the one shown while the agent has not edited it. */
static void test_wrapup_draft_start(void)
{
    desk_open(24, 80, 1000);
    CHECK(desk_feed("call"));
    CHECK(desk_feed("end"));
    desk_wait(TOAST_GONE_MS);
    desk_key(WK_CTRL('w'));
    CHECK(desk_feed("long_summary"));
    desk_render();
    int cy, cx;
    getyx(curscr, cy, cx);   /* the terminal's cursor, read before reading cells moves it */
    int y, x;
    CHECK(find_text("First row of the draft.", &y, &x));
    CHECK_INT(cy, y);
    CHECK_INT(cx, x);
    CHECK(find_text("Second row.", &y, &x));
    CHECK(!find_text("Last row of the draft.", &y, &x));
    desk_close();
}

/* The dialog widget alone: dialog_set_text opens at the end (where the agent types on). */
static void test_dialog_set_text_at_end(void)
{
    headless_resize(24, 80);
    werase(stdscr);
    wnoutrefresh(stdscr);
    dialog *d = dialog_new("Wrap up");
    int sum = dialog_add_text(d, "Summary", 2, 32768);
    dialog_set_text(d, sum,
                    "First row of the draft.\nSecond row.\nThird row.\nLast row of the draft.");
    dialog_place(d, 24, 80);
    widget *w = dialog_widget(d);
    widget_render(&w, 1);
    doupdate();
    int y, x;
    CHECK(find_text("Last row of the draft.", &y, &x));
    CHECK(!find_text("First row of the draft.", &y, &x));
    widget_destroy(w);
}

/* q with an action not yet sent asks; the choice has an empty label, so it takes no label
 * row: its first option is right under the title, and the box is one row shorter. */
static void test_quit_dialog_no_blank_row(void)
{
    static const struct { int rows, cols; } sizes[] = { { 24, 80 }, { 12, 40 } };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        desk_open(sizes[i].rows, sizes[i].cols, 1000);
        CHECK(desk_feed("call"));
        desk_wait(TOAST_GONE_MS);
        desk_key(WK_ENTER);   /* start the line (letters would start it too) */
        desk_type("call back at five");
        desk_key(WK_ENTER);   /* a note, kept in the outbox: there is no hub to take it */
        desk_key(WK_ESC);
        CHECK_INT(session_unsent(&the_desk.s), 1);
        desk_key(WK_CTRL('q'));
        desk_render();
        int ty, tx, y, x;
        CHECK(find_text("Quit? 1 unsent", &ty, &tx));
        CHECK(find_text("(*) Stay", &y, &x));
        CHECK_INT(y, ty + 1);
        CHECK(find_text("( ) Quit: lose what is not saved", &y, &x));
        CHECK_INT(y, ty + 2);
        CHECK(find_text("Enter choose", &y, &x));
        CHECK_INT(y, ty + 3);
        dialog *d = desk_view()->dlg;
        CHECK_INT(dialog_widget(d)->rect.h, 5);   /* border, 2 options, footer, border */
        desk_key(WK_FN(KEY_DOWN));
        CHECK_INT(dialog_choice(d, 0), 1);
        desk_key(WK_ESC);                           /* stay */
        CHECK(!the_desk.a.quit);
        desk_close();
    }
}

/* 60 more lines; a search for "refund" and n to the older match scroll back; lines that
 * arrive meanwhile are counted under the view; End follows again. */
static void test_scrolled_80x24(void)
{
    desk_at_work(24, 80);
    char frame[512];
    int seq = 300;
    for (int i = 0; i < 60; i++) {
        int off = 60000 + i * 1000;
        snprintf(frame, sizeof frame,
                 "{\"type\":\"utterance\",\"seq\":%d,\"ts\":%lld,\"iid\":\"I-1\",\"uid\":\"s%d\","
                 "\"speaker\":\"%s\",\"text\":\"line %d of the call, nothing charged here%s\","
                 "\"final\":true,\"offset_ms\":%d}",
                 seq++, DESK_NOW_MS - 252000 + off, i, i % 2 ? "agent" : "customer", i,
                 i % 10 == 0 ? " but a refund" : "", off);
        CHECK(desk_frame(frame, strlen(frame)));
    }
    desk_render();
    desk_key('/');
    desk_type("refund");
    desk_key(WK_ENTER);
    desk_key(WK_FN(KEY_F(3)));
    for (int i = 0; i < 3; i++) {
        snprintf(frame, sizeof frame,
                 "{\"type\":\"utterance\",\"seq\":%d,\"ts\":%lld,\"iid\":\"I-1\",\"uid\":\"w%d\","
                 "\"speaker\":\"customer\",\"text\":\"new while scrolled\",\"final\":true,"
                 "\"offset_ms\":120000}", seq++, DESK_NOW_MS - 132000, i);
        CHECK(desk_frame(frame, strlen(frame)));
    }
    textview *tv = desk_view()->tv;
    CHECK_INT(textview_new_lines(tv), 3);
    render_check("scrolled_80x24");
    desk_key(WK_FN(KEY_END));
    CHECK(textview_following(tv));
    desk_close();
}

/* Whether `needle` (UTF-8) appears in the captured screen's rows from..to (inclusive). */
static bool rows_have(const char *needle, int from, int to)
{
    capture_stats st;
    char *text = headless_capture(&st), *line = text;
    bool found = false;
    for (int y = 0; line && y <= to && !found; y++) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        found = y >= from && strstr(line, needle) != NULL;
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return found;
}

static bool screen_has(const char *needle) { return rows_have(needle, 0, LINES - 1); }

/* ? opens the key table's help (full screen below 60x16). At 40 columns the long
 * descriptions wrap under themselves, after the key column, instead of being cut with "…";
 * scrolling counts the wrapped rows; q closes it and leaves the screen as it was. */
static void test_help_40x12(void)
{
    desk_at_work(12, 40);
    desk_key('?');
    render_check("help_40x12");
    CHECK(!screen_has("…"));
    int y, x, cy, cx;
    CHECK(find_text("send the line: a reply in", &y, &x));   /* beside "Enter ^J" */
    CHECK(find_text("a chat, a note in a call", &cy, &cx));
    CHECK_INT(cy, y + 1);
    CHECK_INT(cx, x);                                         /* indented under the text */
    CHECK(find_text("Enter ^J", &cy, &cx));
    CHECK_INT(cy, y);
    /* the rows the help has: from its "1-10/N" (the key table and the marks grow it) */
    int total = 0;
    capture_stats st;
    char *text = headless_capture(&st);
    const char *at = text ? strstr(text, " 1-10/") : NULL;
    if (at) total = atoi(at + 6);
    free(text);
    CHECK(total > 10);
    char want[32];
    desk_key(WK_FN(KEY_END));
    desk_render();
    snprintf(want, sizeof want, " %d-%d/%d ", total - 9, total, total);
    CHECK(screen_has(want));
    CHECK(screen_has("customer on"));
    CHECK(!screen_has("…"));
    desk_key(WK_FN(KEY_UP));
    desk_render();
    snprintf(want, sizeof want, " %d-%d/%d ", total - 10, total - 1, total);
    CHECK(screen_has(want));
    CHECK(!screen_has("customer on"));
    desk_key(WK_FN(KEY_HOME));
    desk_render();
    snprintf(want, sizeof want, " 1-10/%d ", total);
    CHECK(screen_has(want));
    desk_key(WK_FN(KEY_NPAGE));
    desk_render();
    CHECK(!screen_has(want));
    desk_key('q');
    render_check("agent_40x12");
    /* narrower than key column + 12: the keys get a row, the description goes under them */
    desk_key('?');
    desk_resize(12, 24);
    desk_render();
    CHECK(!screen_has("…"));
    CHECK(find_text("Enter ^J", &y, &x));
    CHECK(find_text("send the line", &cy, &cx));
    CHECK_INT(cy, y + 1);
    CHECK_INT(cx, x + 2);
    desk_close();
}

/* Where the ASCII text `needle` starts on the screen (first match, row by row). */
static bool find_text(const char *needle, int *fy, int *fx)
{
    size_t n = strlen(needle);
    for (int y = 0; y < LINES; y++)
        for (int x = 0; x + (int)n <= COLS; x++) {
            size_t k = 0;
            for (; k < n; k++) {
                cchar_t cc;
                wchar_t wch[CCHARW_MAX + 1] = { 0 };
                attr_t a;
                short pair;
                mvwin_wch(curscr, y, x + (int)k, &cc);
                getcchar(&cc, wch, &a, &pair, NULL);
                if (wch[0] != (wchar_t)(unsigned char)needle[k])
                    break;
            }
            if (k == n) {
                *fy = y;
                *fx = x;
                return true;
            }
        }
    return false;
}

/* The cell at the start of `needle` is drawn with exactly the theme's attribute for item. */
static bool styled(const char *needle, int skip, theme_item item)
{
    int y, x;
    if (!find_text(needle, &y, &x)) {
        fprintf(stderr, "  \"%s\" not on screen\n", needle);
        return false;
    }
    cchar_t cc;
    wchar_t wch[CCHARW_MAX + 1];
    attr_t a;
    short pair;
    mvwin_wch(curscr, y, x + skip, &cc);
    getcchar(&cc, wch, &a, &pair, NULL);
    attr_t want = theme_attr(item);
    bool ok = pair == (short)PAIR_NUMBER(want) && (a & ~A_COLOR) == (want & ~A_COLOR);
    if (!ok)
        fprintf(stderr, "  \"%s\": pair %d attrs %#lx, want %s pair %d attrs %#lx\n", needle,
                pair, (unsigned long)(a & ~A_COLOR), theme_item_name(item),
                (int)PAIR_NUMBER(want), (unsigned long)(want & ~A_COLOR));
    return ok;
}

/* Semantic styles reach the cells: speakers, whisper, the partial tag, redaction, selection, focus,
 * flags, header state, prompt, hints, search matches. */
static void test_styles_120x40(void)
{
    desk_at_work(40, 120);
    desk_render();
    CHECK(styled("00:09 customer", 6, THEME_TRANSCRIPT_CUSTOMER));
    CHECK(styled("00:09 customer", 0, THEME_TRANSCRIPT_OFFSET));
    CHECK(styled("00:03 bot", 6, THEME_TRANSCRIPT_BOT));
    CHECK(styled("00:18 whisper", 6, THEME_TRANSCRIPT_WHISPER));
    CHECK(styled("Sam Ortiz: offer", 0, THEME_TRANSCRIPT_WHISPER));
    CHECK(styled("Honestly", 0, THEME_TRANSCRIPT_TEXT));   /* a partial: its tag marks it */
    CHECK(styled("[partial]", 0, THEME_TRANSCRIPT_PARTIAL));
    CHECK(styled("[CARD ****1234]", 0, THEME_TRANSCRIPT_REDACTED));
    CHECK(styled("[CARD ****1234]", 14, THEME_TRANSCRIPT_REDACTED));
    CHECK(styled("[CARD ****1234] and", 15, THEME_TRANSCRIPT_TEXT));
    CHECK(styled("V Maria", 2, THEME_LIST_SELECTED));
    CHECK(styled("C Tom", 2, THEME_LIST));
    CHECK(styled("Maria Lopez", 0, THEME_PANE_FOCUS));   /* the focused pane's title, row 1 */
    CHECK(styled("Mine (3)", 0, THEME_PANE_TITLE));
    CHECK(styled("[!!]  churn intent", 0, THEME_FLAG_2));
    CHECK(styled("[!!]  churn intent", 6, THEME_FLAG_2));
    CHECK(styled("ON INTERACTION", 0, THEME_HEADER_STATE));
    CHECK(styled("no hub", 0, THEME_STATUS_WARN));
    CHECK(styled("note>", 0, THEME_INPUT_PROMPT));
    CHECK(styled("Enter type", 0, THEME_HINT_KEY));
    desk_key('/');
    desk_type("TWICE");
    desk_key(WK_ENTER);
    desk_render();
    CHECK(styled("twice", 0, THEME_TRANSCRIPT_SEARCH));
    CHECK(styled("twice for", 5, THEME_TRANSCRIPT_TEXT));
    desk_close();
}

/* A partial whose last wrapped row is full still shows its "[partial]" tag, on a row of its
 * own (80x24: "…if nobody fixes" fills 55 of 63 text columns; 40x12: 28 of 29). */
static void test_partial_tag_narrow(void)
{
    static const struct { int rows, cols; } sizes[] = { { 24, 80 }, { 12, 40 } };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        desk_at_work(sizes[i].rows, sizes[i].cols);
        desk_render();
        int py, px, ty, tx;
        CHECK(find_text("my account if nobody fixes", &py, &px) ||
              find_text("Honestly I'm about to cancel my account if nobody fixes", &py, &px));
        CHECK(find_text("[partial]", &ty, &tx));
        CHECK_INT(ty, py + 1);
        CHECK_INT(tx, sizes[i].cols - 9);
        CHECK(styled("[partial]", 0, THEME_TRANSCRIPT_PARTIAL));
        desk_close();
    }
}

/* An interaction that ends while a partial is open: the partial is tagged "[cut off]", not
 * left as "[partial]" for good (issue 13: "seven seven [partial]" stayed after the hub died). */
static void test_partial_cut_off_at_end(void)
{
    desk_at_work(40, 120);
    desk_render();
    CHECK(screen_has("[partial]"));
    CHECK(desk_feed("end"));   /* Maria's call ends before her last words were final */
    desk_render();
    CHECK(screen_has("[cut off]"));
    CHECK(!screen_has("[partial]"));
    CHECK(styled("[cut off]", 0, THEME_TRANSCRIPT_PARTIAL));
    desk_close();
}

/* The status at the right of the transcript's box title ("ended: ^W wrap up", "hand up")
 * shows even where the whole title does not fit beside it: the title is cut for it (the e2e
 * demo once missed a raised hand in the title of a caller with a long name). */
static void test_title_status_kept(void)
{
    desk_at_work(40, 120);
    CHECK(desk_feed("end"));
    desk_render();
    int y, x;
    CHECK(find_text("ended: ", &y, &x));
    CHECK_INT(y, 1);
    char *text = capture();   /* the title, cut with "…", before it on the same row */
    const char *row1 = strchr(text, '\n') + 1, *title = strstr(row1, "┌ Maria Lopez · voice");
    CHECK(title && title < strchr(row1, '\n') && strstr(title, "… ") < strstr(title, "ended: "));
    free(text);
    desk_close();
}

/* Up brings back the lines sent in this interaction only (issue 13: another customer's note
 * came back in a chat). */
static void test_history_per_interaction(void)
{
    desk_at_work(40, 120);
    desk_key(WK_CTRL('u'));       /* the line was left with a draft: clear it */
    desk_key(WK_ENTER);
    desk_key(WK_CTRL('u'));
    desk_type("sent to maria only");
    desk_key(WK_ENTER);           /* queued: no hub here */
    desk_key(WK_ESC);
    desk_key(']');                /* the next interaction */
    desk_key(WK_ENTER);
    desk_key(WK_FN(KEY_UP));
    desk_render();
    CHECK(!screen_has("sent to maria only"));
    desk_key(WK_ESC);
    desk_key('[');                /* back to Maria */
    desk_key(WK_ENTER);
    desk_key(WK_FN(KEY_UP));
    desk_render();
    CHECK(screen_has("sent to maria only"));
    desk_close();
}

/* The checklist cursor belongs to its interaction (issue 13: Space ticked a row on the wrong
 * call): moved on one call, it is at the first row of another, and back where it was. */
static void test_checklist_cursor_per_interaction(void)
{
    desk_at_work(40, 120);
    list *check = desk_view()->l_check;
    CHECK(list_count(check) >= 2);
    list_select(check, 1);
    desk_key(']');
    CHECK_INT(list_selected(check), 0);
    desk_key('[');
    CHECK_INT(list_selected(check), 1);
    desk_close();
}

/* A long reply wraps over up to three rows, so it is read in full before it is sent (issue
 * 13: only its end was visible); the transcript gives the rows back once it is sent. */
static void test_composer_wraps(void)
{
    desk_at_work(40, 120);
    desk_key(WK_ENTER);
    desk_key(WK_CTRL('u'));
    desk_type("Thanks for waiting, Maria. I have refunded the duplicate charge of 49.99 euros "
              "for March; it reaches your card in three to five working days, and I have "
              "noted that this was your third call so it gets looked at.");
    desk_render();
    int y1, x1, y2, x2;
    CHECK(find_text("Thanks for waiting, Maria.", &y1, &x1));
    CHECK(find_text("so it gets looked at.", &y2, &x2));
    CHECK(y2 > y1 && y2 - y1 <= 2);
    desk_key(WK_ENTER);   /* sent: queued, there is no hub here */
    desk_render();
    CHECK_INT(desk_view()->lay.input.h, 1);
    /* the agent's own words end the transcript, tagged until the hub has them (issue 13:
     * sent replies show their state) */
    CHECK(find_text("Thanks for waiting, Maria.", &y1, &x1));
    CHECK(find_text("[queued]", &y2, &x2));
    CHECK(y2 >= y1 && y2 < LINES - 2);
    desk_close();
}

/* The selected suggestion's whole text shows under the list, wrapped, so a long reply is read
 * in full before it is used (issue 13 item 7: the pane showed a title and ~25 characters).
 * At 80x24 all of it fits; at 40x12 the list keeps its top rows and the preview says "…"
 * where the rest does not fit. Moving the selection changes what the preview shows. */
static const char long_reply[] =
    "{\"type\":\"suggestion\",\"seq\":130,\"ts\":1793629699000,\"iid\":\"I-1\",\"sid\":\"S-9\","
    "\"title\":\"Refund timing\",\"text\":\"I have refunded the duplicate March charge of 49.99 EUR "
    "today. It reaches your card in three to five working days, depending on your bank; you will "
    "see it as a separate credit line, not as a change to the original charge. If it is not "
    "there by Friday, reply to this chat and I will chase it myself.\","
    "\"source\":\"KB-031\",\"score\":0.9}";

static void suggestion_preview(int rows, int cols, const char *golden)
{
    desk_at_work(rows, cols);
    CHECK(desk_frame(long_reply, sizeof long_reply - 1));
    while (desk_view()->tab != TAB_SUGGEST)
        desk_key('\t');
    list_select(desk_view()->l_sugg, 0);
    desk_key(WK_FN(KEY_HOME));   /* moved by its own key: the preview follows */
    render_check(golden);
    int y, x;
    CHECK(find_text("I have refunded the duplicate", &y, &x));
    CHECK(find_text(" 1 Refund timing ", &y, &x));   /* on the preview's rule */
    CHECK(find_text("I will chase it myself.", &y, &x) == (cols >= 80));
    desk_key(WK_FN(KEY_DOWN));
    desk_render();
    CHECK(find_text(" 2 Duplicate charge refund ", &y, &x));
    CHECK(find_text("I can see the two charges for March and I have refunded one.", &y, &x) ||
          cols < 80);
    desk_close();
}

static void test_suggestion_preview_80x24(void) { suggestion_preview(24, 80, "suggest_80x24"); }
static void test_suggestion_preview_40x12(void) { suggestion_preview(12, 40, "suggest_40x12"); }

/* A line a demo's script said for the agent is labelled so (issue 13 item 20), from the
 * hub's `simulated` field; the agent's own lines are not. */
static void test_simulated_agent_line_labelled(void)
{
    desk_at_work(40, 120);
    static const char said[] =
        "{\"type\":\"utterance\",\"seq\":131,\"ts\":1793629699500,\"iid\":\"I-1\",\"uid\":\"u-sim\","
        "\"speaker\":\"agent\",\"text\":\"Let me look into that charge for you.\",\"final\":true,"
        "\"offset_ms\":260000,\"simulated\":true}";
    CHECK(desk_frame(said, sizeof said - 1));
    desk_render();
    int y, x, y2, x2;
    CHECK(find_text("Let me look into that charge for you.", &y, &x));
    CHECK(find_text("sim agent", &y2, &x2) && y2 == y && x2 < x);
    desk_close();
}

/* ^R asks the hub for a masked value in clear (issue 13 item 19): without a hub it says it
 * cannot; the hub's answer shows in a toast that goes away and leaves nothing behind (not in
 * the line, not on screen). */
static void test_reveal_shows_for_a_moment(void)
{
    desk_at_work(40, 120);
    desk_key(WK_CTRL('r'));
    desk_render();
    int y, x;
    CHECK(find_text("not connected to the hub", &y, &x));
    desk_wait(TOAST_GONE_MS);
    static const char revealed[] =
        "{\"type\":\"revealed\",\"id\":\"r-1\",\"iid\":\"I-1\",\"uid\":\"u-1\",\"index\":0,"
        "\"count\":2,\"kind\":\"email\",\"value\":\"jane.doe@example.com\"}";
    CHECK(desk_frame(revealed, sizeof revealed - 1));
    desk_render();
    CHECK(find_text("email 1 of 2 in the line: jane.doe@example.com", &y, &x));
    desk_wait(TOAST_GONE_MS);
    desk_render();
    CHECK(!find_text("jane.doe", &y, &x));
    CHECK(!strstr(inputline_text(desk_view()->input), "jane.doe"));
    desk_close();
}

/* Search says how many lines match and which is shown, and goes both ways (issue 13). */
static void test_search_count_both_ways(void)
{
    desk_at_work(40, 120);
    desk_key('/');
    desk_type("I");
    desk_key(WK_ENTER);
    desk_render();
    int y, x;
    CHECK(find_text("match 1 of ", &y, &x));
    desk_key(WK_FN(KEY_F(3)));   /* older */
    desk_render();
    CHECK(find_text("match 2 of ", &y, &x));
    desk_key(WK_FN(KEY_F(4)));   /* newer */
    desk_render();
    CHECK(find_text("match 1 of ", &y, &x));
    desk_key(WK_FN(KEY_F(4)));   /* nothing newer */
    desk_render();
    CHECK(find_text("no more: match 1 of ", &y, &x));
    desk_close();
}

/* Colour pairs on a 256-colour terminal, degraded on an 8-colour one, none under NO_COLOR;
 * the dark theme is put back afterwards for the other tests. */
static void test_theme_colours(void)
{
    theme t;
    char err[256];
    const char *dirs[] = { "themes" };
    CHECK_INT(theme_load_named(&t, "dark", dirs, 1, err, sizeof err), 0);
    theme_activate(&t);
    CHECK(has_colors());
    attr_t a = theme_attr(THEME_TRANSCRIPT_CUSTOMER);
    CHECK(PAIR_NUMBER(a) != 0);
    CHECK(a & A_BOLD);
    short fg, bg;
    pair_content((short)PAIR_NUMBER(theme_attr(THEME_HEADER)), &fg, &bg);
    CHECK_INT(fg, 255);
    CHECK_INT(bg, 24);
    theme_activate_with(&t, 8, true);
    pair_content((short)PAIR_NUMBER(theme_attr(THEME_HEADER)), &fg, &bg);
    CHECK(fg >= 0 && fg < 8 && bg >= 0 && bg < 8);
    CHECK_INT(fg, 7);                                 /* 255 (grey 238) -> white */
    pair_content((short)PAIR_NUMBER(theme_attr(THEME_HEADER_STATE)), &fg, &bg);
    CHECK_INT(fg, 3);                                 /* bright yellow -> yellow + bold */
    CHECK(theme_attr(THEME_HEADER_STATE) & A_BOLD);
    CHECK(theme_attr(THEME_TRANSCRIPT_PARTIAL) & A_DIM);
    theme_activate_with(&t, 16, false);               /* no default colours: filled in */
    pair_content((short)PAIR_NUMBER(theme_attr(THEME_TRANSCRIPT_CUSTOMER)), &fg, &bg);
    CHECK_INT(fg, 6);
    CHECK_INT(bg, 0);
    setenv("NO_COLOR", "1", 1);
    theme_activate(&t);
    for (int i = 0; i < THEME_ITEM_COUNT; i++)
        CHECK(PAIR_NUMBER(theme_attr((theme_item)i)) == 0);
    CHECK(theme_attr(THEME_TRANSCRIPT_CUSTOMER) == A_BOLD);
    /* what only a background colour showed stays visible by attribute (issue 13: under
     * NO_COLOR the selected row could not be seen) */
    CHECK(theme_attr(THEME_LIST_SELECTED) & A_REVERSE);
    CHECK(theme_attr(THEME_HEADER) & A_REVERSE);
    CHECK(theme_attr(THEME_TAB_ACTIVE) & A_REVERSE);
    unsetenv("NO_COLOR");
    CHECK_INT(theme_load_named(&t, "monochrome", dirs, 1, err, sizeof err), 0);
    theme_activate(&t);
    CHECK(theme_attr(THEME_LIST_SELECTED) == A_REVERSE);
    CHECK_INT(theme_load_named(&t, "dark", dirs, 1, err, sizeof err), 0);
    theme_activate(&t);
}

int main(void)
{
    headless_open(40, 120);
    desk_init();
    RUN(test_agent_120x40);
    RUN(test_agent_80x24);
    RUN(test_agent_40x12);
    RUN(test_live_resize);
    RUN(test_toast);
    RUN(test_wrapup_80x24);
    RUN(test_wrapup_draft_start);
    RUN(test_dialog_set_text_at_end);
    RUN(test_quit_dialog_no_blank_row);
    RUN(test_scrolled_80x24);
    RUN(test_help_40x12);
    RUN(test_styles_120x40);
    RUN(test_partial_tag_narrow);
    RUN(test_partial_cut_off_at_end);
    RUN(test_title_status_kept);
    RUN(test_history_per_interaction);
    RUN(test_checklist_cursor_per_interaction);
    RUN(test_search_count_both_ways);
    RUN(test_suggestion_preview_80x24);
    RUN(test_simulated_agent_line_labelled);
    RUN(test_reveal_shows_for_a_moment);
    RUN(test_suggestion_preview_40x12);
    RUN(test_composer_wraps);
    RUN(test_theme_colours);
    desk_done();
    headless_close();
    return check_done("test_screens");
}
