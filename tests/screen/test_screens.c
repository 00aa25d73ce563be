/* test_screens.c — golden screens: the representative agent screen composed from widgets
 * with fixed sample data, rendered into a headless curses screen at 120x40, 80x24 and 40x12
 * and compared with tests/screen/golden/NAME.txt (UPDATE_GOLDEN=1 regenerates them). Also: a
 * live resize re-lays out to exactly the fresh screens, a hidden toast leaves nothing behind,
 * the wrap-up dialog, a scrolled transcript with its marker, and the help view. */
#include "tests/screen/headless.h"
#include "tests/screen/scene.h"

static bool find_text(const char *needle, int *fy, int *fx);

static bool render_check(scene *s, const char *golden)
{
    scene_render(s);
    capture_stats st;
    char *text = headless_capture(&st);
    CHECK_INT(st.control_cells, 0);
    CHECK_INT(st.bad_rows, 0);
    bool ok = golden_check(golden, text);
    CHECK(ok);
    free(text);
    return ok;
}

static void fresh(int rows, int cols, const char *golden)
{
    headless_resize(rows, cols);
    scene s;
    scene_init(&s);
    scene_layout(&s, rows, cols);
    render_check(&s, golden);
    scene_free(&s);
}

static void test_agent_120x40(void) { fresh(40, 120, "agent_120x40"); }
static void test_agent_80x24(void) { fresh(24, 80, "agent_80x24"); }
static void test_agent_40x12(void) { fresh(12, 40, "agent_40x12"); }

/* One scene resized through every mode looks exactly like a fresh one at each size. */
static void test_live_resize(void)
{
    scene s;
    headless_resize(40, 120);
    scene_init(&s);
    static const struct { int rows, cols; const char *golden; } steps[] = {
        { 40, 120, "agent_120x40" }, { 24, 80, "agent_80x24" }, { 12, 40, "agent_40x12" },
        { 24, 80, "agent_80x24" }, { 40, 120, "agent_120x40" },
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        headless_resize(steps[i].rows, steps[i].cols);
        scene_layout(&s, steps[i].rows, steps[i].cols);
        if (!render_check(&s, steps[i].golden))
            fprintf(stderr, "  after resize step %zu\n", i);
    }
    scene_free(&s);
}

/* The toast overlays the top right; hiding it restores what was under it, with only the
 * toast's own exposure driving the redraw (nothing else marked dirty). */
static void test_toast(void)
{
    headless_resize(40, 120);
    scene s;
    scene_init(&s);
    scene_layout(&s, 40, 120);
    scene_render(&s);
    toast_show(s.toast, "[!!] churn intent: \"cancel my account\"", THEME_FLAG_3);
    render_check(&s, "toast_120x40");
    toast_hide(s.toast);
    render_check(&s, "agent_120x40");
    /* a partial turning final redraws the transcript only, under a shown toast */
    toast_show(s.toast, "[!!] churn intent: \"cancel my account\"", THEME_FLAG_3);
    scene_render(&s);
    textview_line fin = { .key = "u5", .offset = "00:21", .label = "customer",
                          .label_item = THEME_TRANSCRIPT_CUSTOMER,
                          .text = "Honestly I'm about to cancel my account if nobody fixes this." };
    scene_put(s.transcript, &fin);
    size_t drawn = widget_render(s.order, s.norder);
    doupdate();
    CHECK_INT(drawn, 1);
    render_check(&s, "final_120x40");
    scene_free(&s);
}

static void test_wrapup_80x24(void)
{
    headless_resize(24, 80);
    scene s;
    scene_init(&s);
    static const char *const codes[] = { "resolved", "refund-issued", "escalated", "callback",
                                         "no-action" };
    int sum = dialog_add_text(s.dialog, "Summary (drafted, editable)", 5, 32768);
    int code = dialog_add_choice(s.dialog, "Disposition", codes, 5, 3);
    dialog_add_toggle(s.dialog, "Follow-up needed", true);
    dialog_set_text(s.dialog, sum,
                    "Customer Maria Lopez reported a duplicate charge for March (third contact).\n"
                    "Refund of 49.99 EUR raised for the second charge.");
    dialog_set_choice(s.dialog, code, 1);
    dialog_place(s.dialog, 24, 80);
    scene_layout(&s, 24, 80);
    render_check(&s, "wrapup_80x24");
    /* typing lands in the summary, Tab moves on, the choice keeps its place */
    /* shrinking under the open dialog and growing back leaves it as it was */
    headless_resize(12, 40);
    scene_layout(&s, 12, 40);
    scene_render(&s);
    headless_resize(24, 80);
    scene_layout(&s, 24, 80);
    render_check(&s, "wrapup_80x24");
    widget_handle_key(dialog_widget(s.dialog), WK_FN(KEY_DOWN));
    widget_handle_key(dialog_widget(s.dialog), '!');
    CHECK(strstr(dialog_text(s.dialog, sum), "charge.!") != NULL);
    widget_handle_key(dialog_widget(s.dialog), WK_TAB);
    widget_handle_key(dialog_widget(s.dialog), WK_FN(KEY_DOWN));
    CHECK_STR(dialog_choice_text(s.dialog, code), "escalated");
    scene_free(&s);
}

/* A drafted summary longer than its box opens at its first row, the cursor there. */
static void test_wrapup_draft_start(void)
{
    headless_resize(24, 80);
    scene s;
    scene_init(&s);
    int sum = dialog_add_text(s.dialog, "Summary", 2, 32768);
    dialog_set_text_at_start(s.dialog, sum, "First row of the draft.\nSecond row.\nThird row.\n"
                                            "Last row of the draft.");
    dialog_place(s.dialog, 24, 80);
    scene_layout(&s, 24, 80);
    scene_render(&s);
    int y, x;
    CHECK(find_text("First row of the draft.", &y, &x));
    CHECK(find_text("Second row.", &y, &x));
    CHECK(!find_text("Last row of the draft.", &y, &x));
    CHECK(find_text("First row", &y, &x));
    dialog *d = s.dialog;
    CHECK_INT(d->cursor_y + d->base.rect.y, y);
    CHECK_INT(d->cursor_x + d->base.rect.x, x);
    /* dialog_set_text keeps opening at the end */
    dialog_set_text(s.dialog, sum, "First row of the draft.\nSecond row.\nThird row.\n"
                                   "Last row of the draft.");
    scene_render(&s);
    CHECK(find_text("Last row of the draft.", &y, &x));
    CHECK(!find_text("First row of the draft.", &y, &x));
    scene_free(&s);
}

/* A choice with an empty label (the quit dialog) takes no label row: its first option is
 * right under the title, and the box is one row shorter. */
static void test_quit_dialog_no_blank_row(void)
{
    static const struct { int rows, cols; } sizes[] = { { 24, 80 }, { 12, 40 } };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        headless_resize(sizes[i].rows, sizes[i].cols);
        scene s;
        scene_init(&s);
        static const char *const opts[] = { "Stay", "Quit: keep it for next time" };
        dialog *d = dialog_new("Quit? 1 action not yet sent");
        int q = dialog_add_choice(d, "", opts, 2, 2);
        dialog_set_footer(d, "Enter choose · Esc stay");
        widget_destroy(dialog_widget(s.dialog));
        s.dialog = d;
        dialog_place(d, sizes[i].rows, sizes[i].cols);
        scene_layout(&s, sizes[i].rows, sizes[i].cols);
        scene_render(&s);
        int ty, tx, y, x;
        CHECK(find_text("Quit? 1 action", &ty, &tx));
        CHECK(find_text("(*) Stay", &y, &x));
        CHECK_INT(y, ty + 1);
        CHECK(find_text("( ) Quit: keep it", &y, &x));
        CHECK_INT(y, ty + 2);
        CHECK(find_text("Enter choose", &y, &x));
        CHECK_INT(y, ty + 3);
        CHECK_INT(d->base.rect.h, 5);   /* border, 2 options, footer, border */
        CHECK_INT(widget_handle_key(dialog_widget(d), WK_FN(KEY_DOWN)), WIDGET_HANDLED);
        CHECK_INT(dialog_choice(d, q), 1);
        scene_free(&s);
    }
}

static void test_scrolled_80x24(void)
{
    headless_resize(24, 80);
    scene s;
    scene_init(&s);
    for (int i = 0; i < 60; i++) {
        char text[96], off[16];
        snprintf(off, sizeof off, "%02d:%02d", 1 + i / 60, i % 60);
        snprintf(text, sizeof text, "line %d of the call, nothing charged here %s", i,
                 i % 10 == 0 ? "but a refund" : "");
        textview_line l = { .offset = off, .label = i % 2 ? "agent" : "customer",
                            .label_item = i % 2 ? THEME_TRANSCRIPT_AGENT : THEME_TRANSCRIPT_CUSTOMER,
                            .text = text };
        scene_put(s.transcript, &l);
    }
    scene_layout(&s, 24, 80);
    scene_render(&s);
    CHECK(textview_search(s.transcript, "refund"));
    CHECK(textview_search_next(s.transcript, -1));
    for (int i = 0; i < 3; i++) {
        textview_line l = { .offset = "02:00", .label = "customer",
                            .label_item = THEME_TRANSCRIPT_CUSTOMER, .text = "new while scrolled" };
        scene_put(s.transcript, &l);
    }
    CHECK_INT(textview_new_lines(s.transcript), 3);
    render_check(&s, "scrolled_80x24");
    widget_handle_key(textview_widget(s.transcript), WK_FN(KEY_END));
    CHECK(textview_following(s.transcript));
    scene_free(&s);
}

static void test_help_40x12(void)
{
    headless_resize(12, 40);
    scene s;
    scene_init(&s);
    helpview_row rows[] = {
        { NULL, "Interaction" }, { "Tab", "next pane" }, { "PgUp/PgDn", "scroll transcript" },
        { "End", "follow newest line" }, { "1-3", "use suggestion" }, { "Enter", "send" },
        { NULL, "Call" }, { "^N", "note" }, { "^R", "raise hand" }, { "^W", "wrap up" },
        { "/  n", "search, next match" }, { "q", "quit" },
    };
    helpview_set_rows(s.help, rows, sizeof rows / sizeof rows[0]);
    s.help_open = true;
    scene_layout(&s, 12, 40);
    render_check(&s, "help_40x12");
    CHECK_INT(widget_handle_key(helpview_widget(s.help), WK_FN(KEY_NPAGE)), WIDGET_HANDLED);
    CHECK_INT(widget_handle_key(helpview_widget(s.help), 'q'), WIDGET_CANCEL);
    scene_free(&s);
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

/* At 40 columns the console's long key descriptions wrap under themselves, after the key
 * column, instead of being cut with "…"; scrolling counts the wrapped rows. */
static void test_help_wrap_40x12(void)
{
    headless_resize(12, 40);
    scene s;
    scene_init(&s);
    helpview_row rows[] = {
        { NULL, "Keys (change with key.NAME = KEYS in the config)" },
        { "1 M-1", "put suggestion 1 into the line" },
        { "Enter i", "start writing in the reply/note line (on Suggestions or Checklist: "
                     "use or tick the selected row)" },
        { "x", "dismiss the selected (else the first) suggestion" },
        { "q ^Q", "quit (asks when something is not yet sent)" },
    };
    helpview_set_rows(s.help, rows, sizeof rows / sizeof rows[0]);
    s.help_open = true;
    scene_layout(&s, 12, 40);
    render_check(&s, "help_wrap_40x12");
    CHECK(!screen_has("…"));
    int y, x, cy, cx;
    CHECK(find_text("put suggestion 1 into the", &y, &x));   /* 24 columns beside "1 M-1" */
    CHECK(find_text("line", &cy, &cx));
    CHECK_INT(cy, y + 1);
    CHECK_INT(cx, x);                                         /* indented under the text */
    CHECK(find_text("1 M-1", &cy, &cx));
    CHECK_INT(cy, y);
    /* 2 + 1 + 5 + 3 + 2 display rows, 7 shown: End shows the last row, Home the first */
    CHECK(screen_has(" 1-7/13 "));
    CHECK_INT(widget_handle_key(helpview_widget(s.help), WK_FN(KEY_END)), WIDGET_HANDLED);
    scene_render(&s);
    CHECK(screen_has(" 7-13/13 "));
    CHECK(screen_has("not yet sent)"));
    CHECK(!screen_has("…"));
    widget_handle_key(helpview_widget(s.help), WK_FN(KEY_UP));
    scene_render(&s);
    CHECK(screen_has(" 6-12/13 "));
    CHECK(!screen_has("not yet sent)"));
    widget_handle_key(helpview_widget(s.help), WK_FN(KEY_HOME));
    scene_render(&s);
    CHECK(screen_has(" 1-7/13 "));
    /* narrower than key column + 12: the keys get a row, the description goes under them */
    headless_resize(12, 24);
    scene_layout(&s, 12, 24);
    scene_render(&s);
    CHECK(!rows_have("…", 1, 9));   /* the help box (the bars below are cut at 24 columns) */
    CHECK(find_text("1 M-1", &y, &x));
    CHECK(find_text("put suggestion 1", &cy, &cx));
    CHECK_INT(cy, y + 1);
    CHECK_INT(cx, x + 2);
    scene_free(&s);
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

/* Semantic styles reach the cells: speakers, whisper, partial, redaction, selection, focus,
 * search matches. */
static void test_styles_120x40(void)
{
    headless_resize(40, 120);
    scene s;
    scene_init(&s);
    scene_layout(&s, 40, 120);
    scene_render(&s);
    CHECK(styled("00:09 customer", 6, THEME_TRANSCRIPT_CUSTOMER));
    CHECK(styled("00:09 customer", 0, THEME_TRANSCRIPT_OFFSET));
    CHECK(styled("00:18 supervisor", 6, THEME_TRANSCRIPT_SUPERVISOR));
    CHECK(styled("offer the loyalty", 0, THEME_TRANSCRIPT_WHISPER));
    CHECK(styled("Honestly", 0, THEME_TRANSCRIPT_PARTIAL));
    CHECK(styled("[partial]", 0, THEME_TRANSCRIPT_PARTIAL));
    CHECK(styled("[CARD ****1234]", 0, THEME_TRANSCRIPT_REDACTED));
    CHECK(styled("[CARD ****1234]", 14, THEME_TRANSCRIPT_REDACTED));
    CHECK(styled("[CARD ****1234] and", 15, THEME_TRANSCRIPT_TEXT));
    CHECK(styled("V Maria", 2, THEME_LIST_SELECTED));
    CHECK(styled("C Tom", 2, THEME_LIST));
    CHECK(styled("Maria Lopez", 0, THEME_PANE_FOCUS));   /* the focused pane title, row 1 */
    CHECK(styled("Mine (3)", 0, THEME_PANE_TITLE));
    CHECK(styled("[!!] churn", 0, THEME_FLAG_2));
    CHECK(styled("ON INTERACTION", 0, THEME_HEADER_STATE));
    CHECK(styled("connected", 0, THEME_STATUS_OK));
    CHECK(styled("note>", 0, THEME_INPUT_PROMPT));
    CHECK(styled("Tab next", 0, THEME_HINT_KEY));
    CHECK(textview_search(s.transcript, "TWICE"));
    scene_render(&s);
    CHECK(styled("twice", 0, THEME_TRANSCRIPT_SEARCH));
    CHECK(styled("twice for", 5, THEME_TRANSCRIPT_TEXT));
    scene_free(&s);
}

/* A partial whose last wrapped row is full still shows its "[partial]" tag, on a row of its
 * own (80x24: "…if nobody fixes" fills 55 of 63 text columns; 40x12: 28 of 29). */
static void test_partial_tag_narrow(void)
{
    static const struct { int rows, cols; } sizes[] = { { 24, 80 }, { 12, 40 } };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        headless_resize(sizes[i].rows, sizes[i].cols);
        scene s;
        scene_init(&s);
        scene_layout(&s, sizes[i].rows, sizes[i].cols);
        scene_render(&s);
        int py, px, ty, tx;
        CHECK(find_text("my account if nobody fixes", &py, &px) ||
              find_text("Honestly I'm about to cancel my account if nobody fixes", &py, &px));
        CHECK(find_text("[partial]", &ty, &tx));
        CHECK_INT(ty, py + 1);
        CHECK_INT(tx, sizes[i].cols - 9);
        CHECK(styled("[partial]", 0, THEME_TRANSCRIPT_PARTIAL));
        scene_free(&s);
    }
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
    RUN(test_agent_120x40);
    RUN(test_agent_80x24);
    RUN(test_agent_40x12);
    RUN(test_live_resize);
    RUN(test_toast);
    RUN(test_wrapup_80x24);
    RUN(test_wrapup_draft_start);
    RUN(test_quit_dialog_no_blank_row);
    RUN(test_scrolled_80x24);
    RUN(test_help_40x12);
    RUN(test_help_wrap_40x12);
    RUN(test_styles_120x40);
    RUN(test_partial_tag_narrow);
    RUN(test_theme_colours);
    headless_close();
    return check_done("test_screens");
}
