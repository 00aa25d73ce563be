/* test_screen_hostile.c — hostile text on the real screen path: every line of
 * ../shared/fixtures/blns.txt, cleaned with text_clean, fed to the transcript, the lists, the
 * header, the input line and the toast; the screen read back must hold no control character,
 * every row must add up to the screen width, and every pane border must be where the layout
 * put it — paging through the whole transcript, at 120x40, 80x24 and 40x12, through a
 * deterministic resize storm and at every small size down to 1x1. Text that skipped the
 * cleaner (a bug elsewhere) must still not reach the terminal raw. */
#include "base/text.h"
#include "tests/screen/headless.h"
#include "tests/screen/scene.h"

enum { HOSTILE_MAX = 1024 };

static char *lines[HOSTILE_MAX];
static size_t nlines;

static void load_blns(void)
{
    FILE *f = fopen("../shared/fixtures/blns.txt", "rb");
    if (!f) {
        fprintf(stderr, "cannot open ../shared/fixtures/blns.txt (run from the repo root)\n");
        exit(2);
    }
    char buf[8192];
    while (nlines < HOSTILE_MAX && fgets(buf, sizeof buf, f)) {
        size_t n = strlen(buf);
        if (n && buf[n - 1] == '\n')
            buf[--n] = '\0';
        if (n == 0 || buf[0] == '#')
            continue;
        lines[nlines++] = text_clean(buf, n, TEXT_SINGLE_LINE, NULL);
    }
    fclose(f);
    /* and a few written here, escape sequences that would repaint or retitle a terminal */
    static const char *const raw[] = {
        "\x1b[2J\x1b[H\x1b[31mscreen cleared?", "\x1b]0;owned\x07 title", "\x9b" "31m C1 CSI",
        "bell\x07\x07 and backspace\x08\x08", "carriage\rreturn", "\xe2\x80\xae" "evil RTL",
        "bad utf8 \xff\xfe\xc0\xaf\xed\xa0\x80 end", "tab\there", "nul-free \x7f DEL",
    };
    for (size_t i = 0; i < sizeof raw / sizeof raw[0] && nlines < HOSTILE_MAX; i++)
        lines[nlines++] = text_clean(raw[i], strlen(raw[i]), TEXT_SINGLE_LINE, NULL);
}

static wchar_t cell(int y, int x)
{
    cchar_t cc;
    wchar_t wch[CCHARW_MAX + 1] = { 0 };
    attr_t a;
    short pair;
    if (mvwin_wch(curscr, y, x, &cc) == ERR || getcchar(&cc, wch, &a, &pair, NULL) == ERR)
        return 0;
    return wch[0];
}

/* The four corners and both side borders of a box pane. */
static bool box_intact(widget_rect r)
{
    if (layout_empty(r))
        return true;
    bool ok = cell(r.y, r.x) == L'┌' && cell(r.y, r.x + r.w - 1) == L'┐' &&
              cell(r.y + r.h - 1, r.x) == L'└' && cell(r.y + r.h - 1, r.x + r.w - 1) == L'┘';
    for (int y = r.y + 1; ok && y < r.y + r.h - 1; y++)
        ok = cell(y, r.x) == L'│' && cell(y, r.x + r.w - 1) == L'│';
    if (!ok)
        fprintf(stderr, "  box at %d,%d %dx%d broken\n", r.y, r.x, r.w, r.h);
    return ok;
}

/* Is r under a visible overlay (toast, dialog, help)? Its cells are rightly hidden then. */
static bool covered(scene *s, widget_rect r)
{
    widget *overlays[] = { toast_widget(s->toast), dialog_widget(s->dialog),
                           helpview_widget(s->help) };
    for (size_t k = 0; k < 3; k++)
        if (overlays[k]->visible && overlays[k]->win && (k != 2 || s->help_open) &&
            widget_rect_overlap(r, overlays[k]->rect))
            return true;
    return false;
}

static void check_screen(scene *s)
{
    scene_render(s);
    capture_stats st;
    char *text = headless_capture(&st);
    CHECK_INT(st.control_cells, 0);
    CHECK_INT(st.bad_rows, 0);
    if (s->lay.mode == LAYOUT_WIDE) {
        widget_rect boxes[] = { s->lay.list, s->lay.transcript, s->lay.sentiment, s->lay.customer,
                                s->lay.flags, s->lay.suggestions, s->lay.checklist };
        for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++)
            if (!covered(s, boxes[i]))
                CHECK(box_intact(boxes[i]));
    }
    widget_rect prompt = { s->lay.input.y, 0, 1, 1 };
    if (!layout_empty(s->lay.input) && !covered(s, prompt))
        CHECK(cell(s->lay.input.y, 0) == L'n');
    if (check_current_failed)
        fprintf(stderr, "%s", text);
    free(text);
}

/* Hostile text everywhere a model string can go. */
static void fill_hostile(scene *s)
{
    for (size_t i = 0; i < nlines; i++) {
        char key[32];
        snprintf(key, sizeof key, "h%zu", i);
        textview_line l = { .key = key, .offset = "00:00", .label = lines[(i + 7) % nlines],
                            .label_item = THEME_TRANSCRIPT_CUSTOMER, .text = lines[i],
                            .flags = i % 5 == 0 ? TEXTVIEW_PARTIAL : 0 };
        scene_put(s->transcript, &l);
    }
    for (size_t i = 0; i < s->interaction_rows.n; i++) {
        s->interaction_rows.rows[i].text = lines[(i * 37 + 3) % nlines];
        s->interaction_rows.rows[i].right = lines[(i * 11 + 5) % nlines];
    }
    for (size_t i = 0; i < s->flag_rows.n; i++)
        s->flag_rows.rows[i].detail = lines[(i * 53 + 9) % nlines];
    for (size_t i = 0; i < s->customer_rows.n; i++)
        s->customer_rows.rows[i].text = lines[(i * 29 + 1) % nlines];
    statusbar_seg segs[] = {
        { lines[nlines - 1], THEME_HEADER_STATE, STATUSBAR_LEFT },
        { lines[nlines / 2], THEME_NORMAL, STATUSBAR_CENTER },
        { lines[nlines / 3], THEME_NORMAL, STATUSBAR_RIGHT },
    };
    statusbar_set(s->header, segs, 3);
    pane_set_title(s->transcript_pane, lines[nlines / 4]);
    inputline_set_text(s->input, lines[nlines / 5]);
    list_changed(s->interactions);
}

static void test_blns_pages(void)
{
    static const int sizes[][2] = { { 40, 120 }, { 24, 80 }, { 12, 40 } };
    for (size_t k = 0; k < 3; k++) {
        int rows = sizes[k][0], cols = sizes[k][1];
        headless_resize(rows, cols);
        scene s;
        scene_init(&s);
        fill_hostile(&s);
        scene_layout(&s, rows, cols);
        toast_show(s.toast, lines[42 % nlines], THEME_TOAST);
        check_screen(&s);
        /* page through the whole transcript, with a search highlight on the way */
        textview_search(s.transcript, "script");
        bool reached_top = false;
        int pages = 0;
        for (; pages < 2000 && !check_current_failed && !reached_top; pages++) {
            textview_page(s.transcript, -1);
            check_screen(&s);
            reached_top = s.transcript->top_seq == textview_first_seq(s.transcript) &&
                          s.transcript->top_row == 0;
        }
        CHECK(reached_top);
        CHECK(pages > 10);
        scene_free(&s);
    }
}

/* Text that never went through text_clean: drawing still replaces every control. */
static void test_uncleaned_defence(void)
{
    headless_resize(24, 80);
    scene s;
    scene_init(&s);
    textview_line l = { .offset = "00:00\x1b[2J", .label = "evil\x9b", .text =
                        "raw \x1b[31mred\x1b[0m \x07 bell \x08 bs \x7f del \r cr \x85 nel" };
    scene_put(s.transcript, &l);
    static const char *const tabs[] = { "Trans\x1b" "cript", "\x07" };
    pane_set_tabs(s.main_pane, tabs, 2, 0);
    statusbar_seg seg = { "head\x1b]0;x\x07" "er", THEME_NORMAL, STATUSBAR_LEFT };
    statusbar_set(s.header, &seg, 1);
    scene_layout(&s, 24, 80);
    check_screen(&s);
    /* each control became one '?' (curses alone would have shown "^[" or "~E") */
    capture_stats st;
    char *text = headless_capture(&st);
    CHECK(strstr(text, "raw ?[31mred?[0m ? bell ? bs ? del ? cr") != NULL);
    CHECK(strstr(text, "head?]0;x?er") != NULL);
    CHECK(strstr(text, "[Trans?cript]") != NULL);
    CHECK(strstr(text, "^[") == NULL && strstr(text, "^G") == NULL);
    if (check_current_failed)
        fprintf(stderr, "%s", text);
    free(text);
    scene_free(&s);
}

/* The overlays (dialog, help, toast) with text that never went through text_clean: their
 * titles, labels, options, footer, wrapped help rows and text area replace every control. */
static void test_uncleaned_overlays(void)
{
    static const struct { int rows, cols; } sizes[] = { { 24, 80 }, { 12, 40 }, { 8, 20 } };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int rows = sizes[k].rows, cols = sizes[k].cols;
        headless_resize(rows, cols);
        scene s;
        scene_init(&s);
        widget_destroy(dialog_widget(s.dialog));
        s.dialog = dialog_new("Wrap\x1b[2J up\x07");
        static const char *const opts[] = { "ok\x1b]0;t\x07", "\x9b" "1m", "tab\there" };
        int sum = dialog_add_text(s.dialog, "Sum\x1bmary", 2, 1024);
        dialog_add_choice(s.dialog, "\x08", opts, 3, 2);
        dialog_add_toggle(s.dialog, "fol\rlow", true);
        dialog_set_footer(s.dialog, "foot\x1b[Ker");
        dialog_set_text_at_start(s.dialog, sum, "line\x1b[31m one\nline two\x07");
        dialog_place(s.dialog, rows, cols);
        toast_show(s.toast, "toast\x1b[5m\x07", THEME_TOAST);
        scene_layout(&s, rows, cols);
        check_screen(&s);
        widget_set_visible(dialog_widget(s.dialog), false);
        helpview_row help[] = {
            { NULL, "Head\x1b[2Jing with a long text that wraps\x07 at narrow widths" },
            { "k\x1b", "desc\x1b[31m that is long enough\tto wrap \x85 under itself\r ok" },
            { "\x07\x08", "x\ny\x7f" },
        };
        helpview_set_rows(s.help, help, 3);
        s.help_open = true;
        scene_layout(&s, rows, cols);
        check_screen(&s);
        widget_handle_key(helpview_widget(s.help), WK_FN(KEY_END));
        check_screen(&s);
        capture_stats st;
        char *text = headless_capture(&st);
        CHECK(strstr(text, "^[") == NULL && strstr(text, "^G") == NULL);
        free(text);
        scene_free(&s);
    }
}

/* Every size from 1x1 up, and a deterministic storm of resizes on one live scene. */
static void test_sizes_and_storm(void)
{
    scene s;
    headless_resize(40, 120);
    scene_init(&s);
    fill_hostile(&s);
    toast_show(s.toast, lines[3], THEME_TOAST);
    for (int rows = 1; rows <= 30 && !check_current_failed; rows++)
        for (int cols = 1; cols <= 130 && !check_current_failed; cols += rows < 5 ? 1 : 3) {
            headless_resize(rows, cols);
            scene_layout(&s, rows, cols);
            check_screen(&s);
        }
    /* the storm runs with the wrap-up dialog, then the help view, open over hostile text */
    int sum = dialog_add_text(s.dialog, lines[10], 5, 32768);
    dialog_add_choice(s.dialog, lines[20], (const char *const *)lines, 40, 3);
    dialog_add_toggle(s.dialog, lines[30], true);
    dialog_set_text(s.dialog, sum, lines[nlines - 2]);
    widget_set_visible(dialog_widget(s.dialog), true);
    helpview_row help[] = { { lines[5], lines[6] }, { NULL, lines[7] }, { lines[8], lines[9] } };
    helpview_set_rows(s.help, help, 3);
    unsigned seed = 12345;
    for (int i = 0; i < 300 && !check_current_failed; i++) {
        if (i == 150) {
            widget_set_visible(dialog_widget(s.dialog), false);
            s.help_open = true;
        }
        seed = seed * 1103515245u + 12345u;
        int rows = 1 + (int)((seed >> 16) % 60);
        seed = seed * 1103515245u + 12345u;
        int cols = 1 + (int)((seed >> 16) % 200);
        headless_resize(rows, cols);
        scene_layout(&s, rows, cols);
        if (i % 7 == 0)
            textview_page(s.transcript, -1);
        check_screen(&s);
    }
    scene_free(&s);
}

int main(void)
{
    load_blns();
    headless_open(40, 120);
    RUN(test_blns_pages);
    RUN(test_uncleaned_defence);
    RUN(test_uncleaned_overlays);
    RUN(test_sizes_and_storm);
    headless_close();
    for (size_t i = 0; i < nlines; i++)
        free(lines[i]);
    return check_done("test_screen_hostile");
}
