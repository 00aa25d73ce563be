/* test_widget_textview.c — the transcript widget over a line source (a textlines list here;
 * the console's is the model): ring bound and keyed replace in the list, the bounded wrap
 * cache (work per event does not grow with history), follow / scroll arithmetic with the
 * "new lines" count, search. Pure: no curses screen. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"
#include "widgets/textlines.h"
#include "widgets/textview.h"

/* A textview reading its own textlines list (the list is the source's context). */
static textview *make(size_t cap, int h, int w)
{
    textview *tv = textview_new(textlines_source(textlines_new(cap)));
    widget_set_rect(textview_widget(tv), (widget_rect){ 0, 0, h, w });
    return tv;
}

static textlines *lines_of(textview *tv) { return tv->src.ctx; }

static void done(textview *tv)
{
    textlines *tl = lines_of(tv);
    widget_destroy(textview_widget(tv));
    textlines_free(tl);
}

/* What an owner does: store the line, then tell the view. */
static uint64_t put_line(textview *tv, const textview_line *l)
{
    uint64_t seq = textlines_put(lines_of(tv), l);
    textview_changed(tv);
    textview_line_changed(tv, seq);
    return seq;
}

static uint64_t put(textview *tv, const char *key, const char *text, unsigned flags)
{
    textview_line l = { .key = key, .offset = "00:01", .label = "customer",
                        .label_item = THEME_TRANSCRIPT_CUSTOMER, .text = text, .flags = flags };
    return put_line(tv, &l);
}

static uint64_t put_plain(textview *tv, const char *text)
{
    textview_line l = { .text = text };
    return put_line(tv, &l);
}

static void test_ring_bound(void)
{
    textview *tv = make(100, 10, 80);
    CHECK_INT(textview_count(tv), 0);
    for (int i = 0; i < 250; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "line %d", i);
        CHECK_INT(put(tv, NULL, buf, 0), i);
    }
    CHECK_INT(textview_count(tv), 100);
    CHECK_INT(textview_first_seq(tv), 150);
    CHECK_INT(textview_end_seq(tv), 250);
    CHECK(textlines_get(lines_of(tv), 149) == NULL);
    CHECK_STR(textlines_get(lines_of(tv), 150)->text, "line 150");
    CHECK_STR(textlines_get(lines_of(tv), 249)->text, "line 249");
    CHECK(textlines_get(lines_of(tv), 250) == NULL);
    textlines_clear(lines_of(tv));
    textview_reset(tv);
    CHECK_INT(textview_count(tv), 0);
    CHECK_INT(put(tv, NULL, "after", 0), 250);
    done(tv);
}

static void test_keyed_replace(void)
{
    textview *tv = make(100, 10, 80);
    put(tv, NULL, "bot line", 0);
    uint64_t s = put(tv, "u-7", "I've been", TEXTVIEW_PARTIAL);
    put(tv, "u-8", "other speaker", TEXTVIEW_PARTIAL);
    CHECK_INT(put(tv, "u-7", "I've been charged", TEXTVIEW_PARTIAL), s);
    CHECK_INT(put(tv, "u-7", "I've been charged twice.", 0), s);
    CHECK_INT(textview_count(tv), 3);
    const textview_line *e = textlines_get(lines_of(tv), s);
    CHECK_STR(e->text, "I've been charged twice.");
    CHECK_INT(e->flags, 0);
    uint64_t found = 0;
    CHECK(textlines_find_key(lines_of(tv), "u-8", &found) != NULL);
    CHECK_INT(found, s + 1);
    CHECK(textlines_find_key(lines_of(tv), "u-9", NULL) == NULL);
    done(tv);
}

/* Keys of evicted lines leave the index; the index stays bounded over a long call. */
static void test_key_index_churn(void)
{
    textview *tv = make(50, 10, 80);
    for (int i = 0; i < 20000; i++) {
        char key[32], text[32];
        snprintf(key, sizeof key, "uid-%d", i);
        snprintf(text, sizeof text, "partial %d", i);
        uint64_t a = put(tv, key, text, TEXTVIEW_PARTIAL);
        snprintf(text, sizeof text, "final %d", i);
        uint64_t b = put(tv, key, text, 0);
        CHECK(a == b);
    }
    CHECK_INT(textview_count(tv), 50);
    CHECK(textlines_find_key(lines_of(tv), "uid-0", NULL) == NULL);
    CHECK(textlines_find_key(lines_of(tv), "uid-19949", NULL) == NULL);
    uint64_t seq;
    const textview_line *e = textlines_find_key(lines_of(tv), "uid-19950", &seq);
    CHECK(e != NULL);
    if (e)
        CHECK_STR(e->text, "final 19950");
    /* a key put again after its line was evicted is a new line */
    uint64_t again = put(tv, "uid-0", "back", 0);
    CHECK_INT(again, textview_end_seq(tv) - 1);
    done(tv);
}

/* Width 40 with the 17-column prefix leaves 23 columns for text. */
static void test_wrap_rows(void)
{
    textview *tv = make(100, 10, 40);
    uint64_t s = put(tv, NULL, "I've been charged twice for March and this is the third time", 0);
    CHECK_INT(textview_line_rows(tv, s), 3);
    uint64_t p = put_plain(tv, "call ended");
    CHECK_INT(textview_line_rows(tv, p), 1);
    uint64_t nl = put(tv, NULL, "one\ntwo\nthree", 0);
    CHECK_INT(textview_line_rows(tv, nl), 3);
    /* below 48 columns the offset leaves the prefix: 11 label columns, 19 for text */
    widget_set_rect(textview_widget(tv), (widget_rect){ 0, 0, 10, 30 });
    CHECK_INT(textview_line_rows(tv, s), 4);
    CHECK_INT(textview_line_rows(tv, nl), 3);
    /* narrower than twice the prefix: the prefix takes a row of its own */
    widget_set_rect(textview_widget(tv), (widget_rect){ 0, 0, 10, 20 });
    CHECK_INT(textview_line_rows(tv, nl), 4);
    CHECK_INT(textview_line_rows(tv, p), 1);
    done(tv);
}

/* A partial always shows its "[partial]" tag: a last row without room for it gives the tag
 * a row of its own; partials wrap like finals, and turning final re-wraps without that row. */
static void test_partial_tag_row(void)
{
    textview *tv = make(100, 10, 40);   /* 29 text columns; the tag needs 9 + a 2-column gap */
    const char *full = "I've been charged twice for March and this is the third time "
                       "I am calling you";
    uint64_t f = put(tv, NULL, full, 0);
    uint64_t p = put(tv, "u1", full, TEXTVIEW_PARTIAL);   /* last row "time I am calling you" */
    CHECK_INT(textview_line_rows(tv, f), 3);
    CHECK_INT(textview_line_rows(tv, p), 4);
    CHECK_INT(textview_wraps(tv, p)->nwraps, 3);            /* same wraps as the final */
    uint64_t before = tv->rewraps;
    CHECK_INT(put(tv, "u1", "I've been charged twice for March", TEXTVIEW_PARTIAL), p);
    CHECK_INT(textview_line_rows(tv, p), 2);               /* "March" leaves room */
    CHECK_INT(tv->rewraps - before, 1);
    put(tv, "u1", full, TEXTVIEW_PARTIAL);
    CHECK_INT(textview_line_rows(tv, p), 4);
    before = tv->rewraps;
    put(tv, "u1", full, 0);                                /* final: re-wrapped, no tag row */
    CHECK_INT(textview_line_rows(tv, p), 3);
    CHECK_INT(tv->rewraps - before, 1);
    CHECK_INT(textview_line_rows(tv, f), 3);               /* the other final: cached */
    CHECK_INT(tv->rewraps - before, 1);
    /* too narrow for the tag beside any text: the tag row is there, and scrolling counts it */
    put(tv, "u2", "x", TEXTVIEW_PARTIAL);
    widget_set_rect(textview_widget(tv), (widget_rect){ 0, 0, 10, 8 });
    CHECK_INT(textview_line_rows(tv, textview_end_seq(tv) - 1), 3);   /* prefix, "x", tag */
    done(tv);
}

/* Only lines that get laid out are wrapped; a resize re-wraps only those. */
static void test_wrap_cache_cost(void)
{
    textview *tv = make(10000, 20, 80);
    for (int i = 0; i < 10000; i++)
        put(tv, NULL, "a line of transcript that is long enough to wrap at forty columns", 0);
    CHECK_INT(tv->rewraps, 0);
    textview_scroll(tv, -1);            /* lays out one screen from the bottom */
    uint64_t after_first = tv->rewraps;
    CHECK(after_first > 0 && after_first <= 21);
    textview_scroll(tv, -1);
    CHECK(tv->rewraps - after_first <= 1);
    uint64_t before = tv->rewraps;
    widget_set_rect(textview_widget(tv), (widget_rect){ 0, 0, 20, 40 });
    textview_follow(tv);
    textview_scroll(tv, -1);
    CHECK(tv->rewraps - before <= 21);
    /* a replaced line re-wraps alone */
    before = tv->rewraps;
    textview_line l = { .key = NULL, .text = "short" };
    for (int i = 0; i < 100; i++)
        put_line(tv, &l);
    textview_follow(tv);
    textview_scroll(tv, -1);
    CHECK(tv->rewraps - before <= 21);
    /* the cache holds TEXTVIEW_WRAP_CACHE recent lines, not the history: paged up to the
     * top, the bottom's wraps have made room for the lines passed on the way */
    while (tv->follow || tv->top_seq > textview_first_seq(tv) || tv->top_row > 0)
        textview_page(tv, -1);
    CHECK(textview_wraps(tv, textview_end_seq(tv) - 1) == NULL);
    CHECK(textview_wraps(tv, textview_first_seq(tv)) != NULL);
    done(tv);
}

static void test_follow_and_scroll(void)
{
    textview *tv = make(1000, 10, 80);
    for (int i = 0; i < 100; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "line %d", i);
        put(tv, NULL, buf, 0);
    }
    CHECK(textview_following(tv));
    textview_scroll(tv, +3);                 /* down while following: nothing */
    CHECK(textview_following(tv));
    textview_scroll(tv, -5);
    CHECK(!textview_following(tv));
    CHECK_INT(tv->top_seq, 85);
    CHECK_INT(tv->top_row, 0);
    put(tv, NULL, "new 1", 0);
    put(tv, NULL, "new 2", 0);
    CHECK_INT(textview_new_lines(tv), 2);
    CHECK_INT(tv->top_seq, 85);              /* the view does not move */
    textview_page(tv, -1);                   /* a page is height - 1 rows */
    CHECK_INT(tv->top_seq, 76);
    textview_top(tv);
    CHECK_INT(tv->top_seq, 0);
    textview_scroll(tv, -3);
    CHECK_INT(tv->top_seq, 0);
    textview_page(tv, +1);
    CHECK_INT(tv->top_seq, 9);
    for (int i = 0; i < 20; i++)
        textview_page(tv, +1);
    CHECK(textview_following(tv));           /* reaching the end follows again */
    CHECK_INT(textview_new_lines(tv), 0);
    textview_scroll(tv, -1);
    CHECK(!textview_following(tv));
    CHECK_INT(widget_handle_key(textview_widget(tv), WK_FN(KEY_END)), WIDGET_HANDLED);
    CHECK(textview_following(tv));
    CHECK_INT(widget_handle_key(textview_widget(tv), WK_FN(KEY_PPAGE)), WIDGET_HANDLED);
    CHECK(!textview_following(tv));
    CHECK_INT(widget_handle_key(textview_widget(tv), 'x'), WIDGET_IGNORED);
    done(tv);
}

/* Scrolling counts rows, across lines that wrap to several. */
static void test_scroll_multirow(void)
{
    textview *tv = make(100, 4, 40);
    for (int i = 0; i < 6; i++)   /* 3 rows each at 23 text columns */
        put(tv, NULL, "I've been charged twice for March and this is the third time", 0);
    textview_scroll(tv, -1);      /* bottom view starts at row 2 of line 4 */
    CHECK_INT(tv->top_seq, 4);
    CHECK_INT(tv->top_row, 1);
    textview_scroll(tv, -2);
    CHECK_INT(tv->top_seq, 3);
    CHECK_INT(tv->top_row, 2);
    textview_scroll(tv, +4);
    CHECK_INT(tv->top_seq, 5);
    CHECK_INT(tv->top_row, 0);
    CHECK(textview_following(tv));   /* 3 rows left fit the view */
    /* content shorter than the view: nothing to scroll */
    textview *small = make(100, 10, 40);
    put(small, NULL, "one", 0);
    textview_scroll(small, -1);
    CHECK(textview_following(small));
    done(small);
    done(tv);
}

/* Evicting lines while scrolled keeps the anchor on a held line. */
static void test_scrolled_eviction(void)
{
    textview *tv = make(20, 5, 80);
    for (int i = 0; i < 20; i++)
        put(tv, NULL, "x", 0);
    textview_top(tv);
    CHECK_INT(tv->top_seq, 0);
    for (int i = 0; i < 30; i++)
        put(tv, NULL, "y", 0);
    CHECK_INT(textview_first_seq(tv), 30);
    CHECK_INT(tv->top_seq, 30);
    CHECK_INT(textview_new_lines(tv), 30);
    done(tv);
}

static void test_search(void)
{
    textview *tv = make(100, 5, 80);
    for (int i = 0; i < 50; i++) {
        char buf[64];
        if (i == 10 || i == 30 || i == 45)
            snprintf(buf, sizeof buf, "line %d about a Refund", i);
        else
            snprintf(buf, sizeof buf, "line %d", i);
        put(tv, NULL, buf, 0);
    }
    CHECK(textview_search(tv, "REFUND"));
    CHECK_INT(tv->match_seq, 45);
    CHECK(textview_search_next(tv, -1));
    CHECK_INT(tv->match_seq, 30);
    CHECK(!textview_following(tv));
    CHECK_INT(widget_handle_key(textview_widget(tv), 'n'), WIDGET_HANDLED);
    CHECK_INT(tv->match_seq, 10);
    CHECK(!textview_search_next(tv, -1));
    CHECK_INT(tv->match_seq, 10);
    CHECK(textview_search_next(tv, +1));
    CHECK_INT(tv->match_seq, 30);
    CHECK(!textview_search(tv, "chargeback"));
    CHECK(textview_search(tv, ""));
    CHECK(!textview_search_next(tv, -1));
    done(tv);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    RUN(test_ring_bound);
    RUN(test_keyed_replace);
    RUN(test_key_index_churn);
    RUN(test_wrap_rows);
    RUN(test_partial_tag_row);
    RUN(test_wrap_cache_cost);
    RUN(test_follow_and_scroll);
    RUN(test_scroll_multirow);
    RUN(test_scrolled_eviction);
    RUN(test_search);
    return check_done("test_widget_textview");
}
