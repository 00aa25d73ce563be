/* test_widget_inputline.c — readline-like editing by character and display width:
 * insert, Backspace/Delete, arrows, Home/End, Ctrl-A/E/W/U/K, history, horizontal scroll
 * (wide characters and combining marks included). Pure: no curses screen. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"
#include "base/text.h"
#include "widgets/inputline.h"

static widget_result key(inputline *il, widget_key k)
{
    return widget_handle_key(inputline_widget(il), k);
}

static void type(inputline *il, const char *utf8)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    const char *p = utf8;
    size_t len = strlen(utf8);
    while (len > 0) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, p, len, &st);
        if (n == 0 || n > len)
            break;
        key(il, (widget_key)wc);
        p += n;
        len -= n;
    }
}

static inputline *make(int width)
{
    inputline *il = inputline_new("> ", 0);
    widget_set_rect(inputline_widget(il), (widget_rect){ 0, 0, 1, width });
    return il;
}

static void test_insert_and_move(void)
{
    inputline *il = make(40);
    type(il, "hello world");
    CHECK_STR(inputline_text(il), "hello world");
    CHECK_INT(inputline_cursor_col(il), 11);
    key(il, WK_FN(KEY_LEFT));
    key(il, WK_FN(KEY_LEFT));
    type(il, "X");
    CHECK_STR(inputline_text(il), "hello worXld");
    key(il, WK_CTRL('a'));
    CHECK_INT(inputline_cursor_col(il), 0);
    key(il, WK_FN(KEY_DC));
    CHECK_STR(inputline_text(il), "ello worXld");
    key(il, WK_CTRL('e'));
    key(il, WK_BACKSPACE);
    key(il, 8);
    key(il, WK_FN(KEY_BACKSPACE));
    CHECK_STR(inputline_text(il), "ello wor");
    key(il, WK_FN(KEY_HOME));
    key(il, WK_FN(KEY_RIGHT));
    key(il, WK_CTRL('k'));
    CHECK_STR(inputline_text(il), "e");
    key(il, WK_FN(KEY_END));
    key(il, WK_FN(KEY_RIGHT));     /* at the end: stays */
    CHECK_INT(inputline_cursor_col(il), 1);
    CHECK_INT(key(il, WK_ENTER), WIDGET_SUBMIT);
    CHECK_INT(key(il, 10), WIDGET_SUBMIT);
    CHECK_INT(key(il, WK_TAB), WIDGET_IGNORED);
    CHECK_INT(key(il, WK_ESC), WIDGET_IGNORED);
    CHECK_INT(key(il, WK_CTRL('x')), WIDGET_IGNORED);
    CHECK_INT(key(il, WK_FN(KEY_F(5))), WIDGET_IGNORED);
    CHECK_STR(inputline_text(il), "e");
    widget_destroy(inputline_widget(il));
}

static void test_kill_keys(void)
{
    inputline *il = make(40);
    type(il, "refund the  double charge");
    key(il, WK_CTRL('w'));
    CHECK_STR(inputline_text(il), "refund the  double ");
    key(il, WK_CTRL('w'));
    CHECK_STR(inputline_text(il), "refund the  ");
    key(il, WK_FN(KEY_LEFT));
    key(il, WK_FN(KEY_LEFT));
    key(il, WK_FN(KEY_LEFT));
    key(il, WK_CTRL('u'));
    CHECK_STR(inputline_text(il), "e  ");
    CHECK_INT(inputline_cursor_col(il), 0);
    key(il, WK_CTRL('w'));      /* nothing before the cursor */
    CHECK_STR(inputline_text(il), "e  ");
    widget_destroy(inputline_widget(il));
}

static void test_wide_and_combining(void)
{
    inputline *il = make(40);
    type(il, "日本x");
    CHECK_INT(inputline_cursor_col(il), 5);
    key(il, WK_FN(KEY_LEFT));
    CHECK_INT(inputline_cursor_col(il), 4);
    key(il, WK_FN(KEY_LEFT));
    CHECK_INT(inputline_cursor_col(il), 2);
    key(il, WK_BACKSPACE);
    CHECK_STR(inputline_text(il), "本x");
    CHECK_INT(inputline_cursor_col(il), 0);
    inputline_clear(il);
    /* e + combining acute is one character: one Left, one Backspace */
    type(il, "cafe\xcc\x81!");
    CHECK_INT(inputline_cursor_col(il), 5);
    key(il, WK_FN(KEY_LEFT));
    key(il, WK_FN(KEY_LEFT));
    CHECK_INT(inputline_cursor_col(il), 3);
    key(il, WK_FN(KEY_DC));
    CHECK_STR(inputline_text(il), "caf!");
    inputline_set_text(il, "cafe\xcc\x81");
    key(il, WK_BACKSPACE);
    CHECK_STR(inputline_text(il), "caf");
    /* controls from a paste never get in raw */
    inputline_set_text(il, "a\x1b[31mb\nc\td");
    CHECK_STR(inputline_text(il), "a␛[31mb c d");   /* as text_clean shows it */
    widget_destroy(inputline_widget(il));
}

static void test_set_text_cursor_end(void)
{
    inputline *il = make(40);
    type(il, "draft");
    inputline_set_text(il, "I can see the two charges");
    CHECK_STR(inputline_text(il), "I can see the two charges");
    CHECK_INT(inputline_cursor_col(il), 25);
    type(il, ".");
    CHECK_STR(inputline_text(il), "I can see the two charges.");
    CHECK(!inputline_empty(il));
    inputline_clear(il);
    CHECK(inputline_empty(il));
    widget_destroy(inputline_widget(il));
}

static void test_history(void)
{
    inputline *il = make(40);
    inputline_history_add(il, "first");
    inputline_history_add(il, "second");
    inputline_history_add(il, "second");   /* repeated: kept once */
    inputline_history_add(il, "");
    CHECK_INT(il->nhistory, 2);
    type(il, "dra");
    key(il, WK_FN(KEY_UP));
    CHECK_STR(inputline_text(il), "second");
    key(il, WK_FN(KEY_UP));
    CHECK_STR(inputline_text(il), "first");
    key(il, WK_FN(KEY_UP));
    CHECK_STR(inputline_text(il), "first");
    key(il, WK_FN(KEY_DOWN));
    CHECK_STR(inputline_text(il), "second");
    key(il, WK_FN(KEY_DOWN));
    CHECK_STR(inputline_text(il), "dra");     /* the draft comes back */
    key(il, WK_FN(KEY_DOWN));
    CHECK_STR(inputline_text(il), "dra");
    for (int i = 0; i < INPUTLINE_HISTORY_MAX + 20; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "line %d", i);
        inputline_history_add(il, buf);
    }
    CHECK_INT(il->nhistory, INPUTLINE_HISTORY_MAX);
    CHECK_STR(il->history[INPUTLINE_HISTORY_MAX - 1], "line 119");
    CHECK_STR(il->history[0], "line 20");
    widget_destroy(inputline_widget(il));
}

/* The cursor stays inside the window however long the line, wide characters included. */
static void test_horizontal_scroll(void)
{
    inputline *il = make(12);   /* "> " + 10 text columns */
    type(il, "abcdefghijklmnopqrst");
    CHECK_INT(inputline_cursor_col(il), 20);
    int x = inputline_cursor_x(il);
    CHECK(x >= 2 && x <= 11);
    CHECK_INT(x, 11);
    CHECK_INT(il->scroll, 11);
    key(il, WK_FN(KEY_HOME));
    CHECK_INT(inputline_cursor_x(il), 2);
    CHECK_INT(il->scroll, 0);
    key(il, WK_FN(KEY_END));
    for (int i = 0; i < 15; i++) {
        key(il, WK_FN(KEY_LEFT));
        int cx = inputline_cursor_x(il);
        CHECK(cx >= 2 && cx <= 11);
    }
    inputline_set_text(il, "日本語のテキストをここに");
    for (int i = 0; i < 14; i++) {
        int cx = inputline_cursor_x(il);
        CHECK(cx >= 2 && cx <= 11);
        key(il, WK_FN(KEY_LEFT));
    }
    /* a window narrower than the prompt still answers */
    widget_set_rect(inputline_widget(il), (widget_rect){ 0, 0, 1, 1 });
    CHECK_INT(inputline_cursor_x(il), 0);
    widget_destroy(inputline_widget(il));
}

static void test_byte_limit(void)
{
    inputline *il = inputline_new("note> ", 8);
    type(il, "abcdefghij");
    CHECK_STR(inputline_text(il), "abcdefgh");
    inputline_set_text(il, "abcdef日本");   /* 6 + 3 fits, the last does not */
    CHECK_STR(inputline_text(il), "abcdef");
    widget_destroy(inputline_widget(il));
}

/* Thousands of random keys (fixed seed): the text stays clean UTF-8, the cursor stays on a
 * character boundary and inside the window. */
static void test_random_keys(void)
{
    static const widget_key keys[] = {
        'a', 'Z', ' ', 0xE9, 0x65E5, 0x301, 0x1F600, 0x200B, WK_BACKSPACE, WK_FN(KEY_DC),
        WK_FN(KEY_LEFT), WK_FN(KEY_RIGHT), WK_FN(KEY_HOME), WK_FN(KEY_END), WK_CTRL('w'),
        WK_CTRL('u'), WK_CTRL('k'), WK_FN(KEY_UP), WK_FN(KEY_DOWN), 0x1B, 0x85, 0xD800, 0x110000,
        0x202E, 7,
    };
    inputline *il = inputline_new("> ", 64);
    widget_set_rect(inputline_widget(il), (widget_rect){ 0, 0, 1, 9 });
    inputline_history_add(il, "older line with 日本");
    unsigned seed = 7;
    for (int i = 0; i < 20000 && !check_current_failed; i++) {
        seed = seed * 1103515245u + 12345u;
        key(il, keys[(seed >> 16) % (sizeof keys / sizeof keys[0])]);
        const char *t = inputline_text(il);
        size_t len = strlen(t);
        CHECK(text_is_clean(t, len, TEXT_SINGLE_LINE));
        CHECK(len <= 64);
        size_t cur = il->buf.cur;
        CHECK(cur <= len);
        CHECK(cur == len || ((unsigned char)t[cur] & 0xC0) != 0x80);
        int x = inputline_cursor_x(il);
        CHECK(x >= 0 && x < 9);
    }
    widget_destroy(inputline_widget(il));
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    RUN(test_insert_and_move);
    RUN(test_kill_keys);
    RUN(test_wide_and_combining);
    RUN(test_set_text_cursor_end);
    RUN(test_history);
    RUN(test_horizontal_scroll);
    RUN(test_byte_limit);
    RUN(test_random_keys);
    return check_done("test_widget_inputline");
}
