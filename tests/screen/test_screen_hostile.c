/* test_screen_hostile.c — hostile text on the console's real screen path: every line of
 * ../shared/fixtures/blns.txt sent as hub frames (utterances, partials, whispers, names, the
 * customer card, flags, suggestions, checklist, disposition codes) through proto_decode, the
 * session and the agent mode's own front (tests/screen/desk.h), and typed into the note line;
 * the screen read back must hold no control character, every row must add up to the screen
 * width, and every pane border must be where the layout put it — paging through the whole
 * transcript, at 120x40, 80x24 and 40x12, at every small size down to 1x1 and through a
 * deterministic resize storm with the wrap-up dialog, then the help, open. Text that skipped
 * the cleaner (a bug elsewhere) must still not reach the terminal raw: the widgets alone. */
#include <jansson.h>

#include "base/text.h"
#include "tests/screen/desk.h"
#include "widgets/layout.h"
#include "widgets/textlines.h"

enum { HOSTILE_MAX = 1024 };

static char *raw_lines[HOSTILE_MAX];   /* as in the file (may be invalid UTF-8) */
static char *lines[HOSTILE_MAX];       /* cleaned with text_clean */
static size_t nlines;

static void add_line(const char *raw, size_t n)
{
    raw_lines[nlines] = strndup(raw, n);
    lines[nlines] = text_clean(raw, n, TEXT_SINGLE_LINE, NULL);
    nlines++;
}

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
        add_line(buf, n);
    }
    fclose(f);
    /* and a few written here, escape sequences that would repaint or retitle a terminal */
    static const char *const raw[] = {
        "\x1b[2J\x1b[H\x1b[31mscreen cleared?", "\x1b]0;owned\x07 title", "\x9b" "31m C1 CSI",
        "bell\x07\x07 and backspace\x08\x08", "carriage\rreturn", "\xe2\x80\xae" "evil RTL",
        "bad utf8 \xff\xfe\xc0\xaf\xed\xa0\x80 end", "tab\there", "nul-free \x7f DEL",
    };
    for (size_t i = 0; i < sizeof raw / sizeof raw[0] && nlines < HOSTILE_MAX; i++)
        add_line(raw[i], strlen(raw[i]));
}

/* Line i as a JSON string a hub could send: the raw text when it is UTF-8 (controls
 * escaped, cleaned by the console's border), else its cleaned form; at most `max` bytes. */
static json_t *hostile(size_t i, size_t max)
{
    i %= nlines;
    const char *src = raw_lines[i];
    size_t n = text_prefix_len(src, strlen(src), max);
    json_t *js = json_stringn(src, n);
    if (!js) {
        src = lines[i];
        js = json_stringn(src, text_prefix_len(src, strlen(src), max));
    }
    return js ? js : json_string("?");
}

static int seq = 100;

static void send_frame(json_t *frame)
{
    char *text = json_dumps(frame, JSON_COMPACT);
    CHECK(text && desk_frame(text, strlen(text)));
    free(text);
    json_decref(frame);
}

static void send_event(const char *type, const char *iid, json_t *body)
{
    json_object_set_new(body, "type", json_string(type));
    json_object_set_new(body, "seq", json_integer(++seq));
    json_object_set_new(body, "ts", json_integer(DESK_NOW_MS - 60000));
    json_object_set_new(body, "iid", json_string(iid));
    send_frame(body);
}

/* Hostile text everywhere a hub frame can put a string the screen shows. */
static void feed_hostile(void)
{
    seq = 100;
    send_frame(json_pack("{s:s, s:s, s:o, s:s, s:s, s:i, s:i}", "type", "welcome",
                         "user", "agent-1",
                         "display_name", hostile(nlines - 1, 60), "role", "agent",
                         "hub_id", "hub-hostile", "seq", 10000, "protocol", 1));
    static const char *const iids[] = { "I-1", "I-2", "I-3" };
    json_t *ixs = json_array();
    for (size_t k = 0; k < 3; k++)
        json_array_append_new(ixs, json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:I}", "iid",
            iids[k], "channel", k ? "chat" : "voice", "queue", hostile(k * 11 + 5, 60),
            "agent", "agent-1", "agent_name", "Ana", "customer_id", "C-1",
            "customer_name", hostile(k * 37 + 3, 60), "started_ms",
            (json_int_t)(DESK_NOW_MS - 300000)));
    send_frame(json_pack("{s:s, s:i, s:o, s:b}", "type", "snapshot", "seq", 10000,
                         "interactions", ixs, "last", 1));
    json_t *history = json_array(), *orders = json_array(), *items = json_array();
    for (size_t k = 0; k < 3; k++) {
        json_array_append_new(history, json_pack("{s:o, s:s, s:o, s:o, s:f}", "date",
            hostile(k * 29 + 1, 60), "channel", "voice", "reason", hostile(k * 29 + 2, 60),
            "outcome", hostile(k * 29 + 3, 60), "sentiment", -0.5));
        json_array_append_new(orders, json_pack("{s:o, s:s, s:o, s:f, s:s, s:o}", "id",
            hostile(k * 31 + 4, 60), "date", "2026-10-01", "item", hostile(k * 31 + 5, 60),
            "amount", 9.5, "currency", "EUR", "status", hostile(k * 31 + 6, 60)));
        char id[16];
        snprintf(id, sizeof id, "c%zu", k);
        json_array_append_new(items, json_pack("{s:s, s:o, s:b, s:s}", "id", id, "label",
            hostile(k * 41 + 7, 60), "done", k == 0, "by", "phrase"));
    }
    send_event("customer", "I-1", json_pack("{s:{s:s, s:o, s:o, s:s, s:o, s:o, s:o}, s:o, s:o}",
        "customer", "id", "C-1", "name", hostile(13, 60), "tier", hostile(14, 60),
        "since", "2020-01-01", "email", hostile(15, 60), "phone", hostile(16, 60),
        "plan", hostile(17, 60), "history", history, "orders", orders));
    send_event("checklist", "I-1", json_pack("{s:o}", "items", items));
    for (size_t i = 0; i < nlines; i++) {
        char uid[32];
        snprintf(uid, sizeof uid, "h%zu", i);
        send_event("utterance", i % 3 == 2 ? iids[1 + i % 2] : "I-1",
                   json_pack("{s:s, s:s, s:o, s:b, s:I}", "uid", uid, "speaker",
                             i % 2 ? "agent" : "customer", "text", hostile(i, 4000),
                             "final", i % 5 != 0, "offset_ms", (json_int_t)(i * 1000)));
        if (i % 50 == 7)
            send_event("whisper", "I-1", json_pack("{s:s, s:o, s:o}", "from", "sup-1",
                       "from_name", hostile(i + 1, 60), "text", hostile(i + 2, 4000)));
    }
    for (size_t k = 0; k < 4; k++) {
        char fid[16], sid[16];
        snprintf(fid, sizeof fid, "F-%zu", k);
        snprintf(sid, sizeof sid, "S-%zu", k);
        send_event("suggestion", "I-1", json_pack("{s:s, s:o, s:o, s:s, s:f}", "sid", sid,
                   "title", hostile(k * 19 + 8, 60), "text", hostile(k * 19 + 9, 4000),
                   "source", "KB-1", "score", 0.5));
        send_event("flag", "I-1", json_pack("{s:s, s:o, s:i, s:o, s:s, s:o, s:I}", "fid", fid,
                   "kind", hostile(k * 53 + 9, 60), "severity", 1 + (int)k % 3,
                   "text", hostile(k * 53 + 10, 1000), "rule", "r", "evidence",
                   hostile(k * 53 + 11, 1000), "offset_ms", (json_int_t)(k * 1000)));
    }
    json_t *codes = json_array();
    for (size_t k = 0; k < 40; k++)
        json_array_append_new(codes, hostile(k * 7 + 20, 60));
    send_event("summary", "I-1", json_pack("{s:o, s:o, s:o, s:b}",
               "text", hostile(nlines - 2, 4000),
               "disposition", hostile(20, 60), "codes", codes, "final", 0));
    /* the note line: a hostile line typed in, then left */
    desk_key(WK_ENTER);   /* start the line (letters would start it too) */
    desk_type(lines[nlines / 5]);
    desk_key(WK_ESC);
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
static bool covered(agent_view *v, widget_rect r)
{
    widget *overlays[] = { toast_widget(v->toast), v->dlg ? dialog_widget(v->dlg) : NULL,
                           v->help ? helpview_widget(v->help) : NULL };
    for (size_t k = 0; k < 3; k++)
        if (overlays[k] && overlays[k]->visible && overlays[k]->win &&
            widget_rect_overlap(r, overlays[k]->rect))
            return true;
    return false;
}

/* Renders and checks the screen; returns what it shows (caller frees). */
static char *check_screen(void)
{
    desk_render();
    agent_view *v = desk_view();
    capture_stats st;
    char *text = headless_capture(&st);
    CHECK_INT(st.control_cells, 0);
    CHECK_INT(st.bad_rows, 0);
    if (v->lay.mode == LAYOUT_WIDE) {
        widget_rect boxes[] = { v->lay.list, v->lay.transcript, v->lay.sentiment, v->lay.customer,
                                v->lay.flags, v->lay.suggestions, v->lay.checklist };
        for (size_t i = 0; i < sizeof boxes / sizeof boxes[0]; i++)
            if (!covered(v, boxes[i]))
                CHECK(box_intact(boxes[i]));
    }
    widget_rect prompt = { v->lay.input.y, 0, 1, 1 };
    if (!layout_empty(v->lay.input) && !covered(v, prompt))
        CHECK(cell(v->lay.input.y, 0) == L'n');   /* "note> ": a voice call */
    if (check_current_failed)
        fprintf(stderr, "%s", text);
    return text;
}

static void test_blns_pages(void)
{
    static const int sizes[][2] = { { 40, 120 }, { 24, 80 }, { 12, 40 } };
    for (size_t k = 0; k < 3; k++) {
        desk_open(sizes[k][0], sizes[k][1], 2 * HOSTILE_MAX);
        feed_hostile();
        free(check_screen());
        /* page through the whole transcript, with a search highlight on the way */
        desk_key('/');
        desk_type("script");
        desk_key(WK_ENTER);
        char *before = check_screen();
        bool reached_top = false;
        int pages = 0;
        for (; pages < 2000 && !check_current_failed && !reached_top; pages++) {
            desk_key(WK_FN(KEY_PPAGE));
            char *now = check_screen();
            reached_top = strcmp(now, before) == 0;   /* PgUp moved nothing: the top */
            free(before);
            before = now;
        }
        free(before);
        CHECK(reached_top);
        CHECK(pages > 10);
        desk_close();
    }
}

/* Widgets alone (no console): drawn on a cleared screen, read back like the console. */
static void check_widgets(widget **ws, size_t n)
{
    widget_mark_all(ws, n);
    widget_render(ws, n);
    doupdate();
    capture_stats st;
    char *text = headless_capture(&st);
    CHECK_INT(st.control_cells, 0);
    CHECK_INT(st.bad_rows, 0);
    if (check_current_failed)
        fprintf(stderr, "%s", text);
    free(text);
}

/* Text that never went through text_clean: drawing still replaces every control. */
static void test_uncleaned_defence(void)
{
    headless_resize(24, 80);
    layout l;
    layout_compute(&l, 24, 80);
    statusbar *header = statusbar_new(THEME_HEADER);
    pane *main_pane = pane_new(PANE_TABS, NULL);
    textlines *lines = textlines_new(0);
    textview *tv = textview_new(textlines_source(lines));
    textview_line line = { .offset = "00:00\x1b[2J", .label = "evil\x9b", .text =
                           "raw \x1b[31mred\x1b[0m \x07 bell \x08 bs \x7f del \r cr \x85 nel" };
    textlines_put(lines, &line);
    textview_changed(tv);
    static const char *const tabs[] = { "Trans\x1b" "cript", "\x07" };
    pane_set_tabs(main_pane, tabs, 2, 0);
    pane_set_child(main_pane, textview_widget(tv));
    pane_set_rect(main_pane, l.main);
    statusbar_seg seg = { "head\x1b]0;x\x07" "er", THEME_NORMAL, STATUSBAR_LEFT };
    statusbar_set(header, &seg, 1);
    widget_set_rect(statusbar_widget(header), l.header);
    widget *ws[] = { statusbar_widget(header), pane_widget(main_pane), textview_widget(tv) };
    check_widgets(ws, 3);
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
    for (size_t i = 0; i < 3; i++)
        widget_destroy(ws[i]);
    textlines_free(lines);
}

/* The overlays (dialog, help, toast) with text that never went through text_clean: their
 * titles, labels, options, footer, wrapped help rows and text area replace every control. */
static void test_uncleaned_overlays(void)
{
    static const struct { int rows, cols; } sizes[] = { { 24, 80 }, { 12, 40 }, { 8, 20 } };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int rows = sizes[k].rows, cols = sizes[k].cols;
        headless_resize(rows, cols);
        dialog *d = dialog_new("Wrap\x1b[2J up\x07");
        static const char *const opts[] = { "ok\x1b]0;t\x07", "\x9b" "1m", "tab\there" };
        int sum = dialog_add_text(d, "Sum\x1bmary", 2, 1024);
        dialog_add_choice(d, "\x08", opts, 3, 2);
        dialog_add_toggle(d, "fol\rlow", true);
        dialog_set_footer(d, "foot\x1b[Ker");
        dialog_set_text_at_start(d, sum, "line\x1b[31m one\nline two\x07");
        dialog_place(d, rows, cols);
        toast *t = toast_new();
        toast_place(t, rows, cols);
        toast_show(t, "toast\x1b[5m\x07", THEME_TOAST);
        widget *ws[] = { toast_widget(t), dialog_widget(d) };
        check_widgets(ws, 2);
        widget_destroy(dialog_widget(d));
        helpview *h = helpview_new("Help\x1b");
        helpview_row help[] = {
            { NULL, "Head\x1b[2Jing with a long text that wraps\x07 at narrow widths" },
            { "k\x1b", "desc\x1b[31m that is long enough\tto wrap \x85 under itself\r ok" },
            { "\x07\x08", "x\ny\x7f" },
        };
        helpview_set_rows(h, help, 3);
        widget_set_rect(helpview_widget(h), (widget_rect){ 0, 0, rows, cols });
        widget *hs[] = { helpview_widget(h), toast_widget(t) };
        check_widgets(hs, 2);
        widget_handle_key(helpview_widget(h), WK_FN(KEY_END));
        check_widgets(hs, 2);
        capture_stats st;
        char *text = headless_capture(&st);
        CHECK(strstr(text, "^[") == NULL && strstr(text, "^G") == NULL);
        free(text);
        widget_destroy(helpview_widget(h));
        widget_destroy(toast_widget(t));
    }
}

/* Every size from 1x1 up, and a deterministic storm of resizes on one live console, with the
 * wrap-up dialog (the hostile disposition codes) and then the help open. */
static void test_sizes_and_storm(void)
{
    desk_open(40, 120, 2 * HOSTILE_MAX);
    feed_hostile();
    for (int rows = 1; rows <= 30 && !check_current_failed; rows++)
        for (int cols = 1; cols <= 130 && !check_current_failed; cols += rows < 5 ? 1 : 3) {
            desk_resize(rows, cols);
            free(check_screen());
        }
    desk_resize(40, 120);
    desk_key(WK_CTRL('w'));
    CHECK(desk_view()->dlg && dialog_widget(desk_view()->dlg)->visible);
    unsigned rng = 12345;
    for (int i = 0; i < 300 && !check_current_failed; i++) {
        if (i == 150) {
            desk_key(WK_ESC);   /* the dialog goes, the help comes */
            desk_key('?');
            CHECK(desk_view()->help != NULL);
        }
        rng = rng * 1103515245u + 12345u;
        int rows = 1 + (int)((rng >> 16) % 60);
        rng = rng * 1103515245u + 12345u;
        int cols = 1 + (int)((rng >> 16) % 200);
        desk_resize(rows, cols);
        if (i % 7 == 0)
            desk_key(WK_FN(KEY_PPAGE));
        free(check_screen());
    }
    desk_close();
}

int main(void)
{
    load_blns();
    headless_open(40, 120);
    desk_init();
    RUN(test_blns_pages);
    RUN(test_uncleaned_defence);
    RUN(test_uncleaned_overlays);
    RUN(test_sizes_and_storm);
    desk_done();
    headless_close();
    for (size_t i = 0; i < nlines; i++) {
        free(lines[i]);
        free(raw_lines[i]);
    }
    return check_done("test_screen_hostile");
}
