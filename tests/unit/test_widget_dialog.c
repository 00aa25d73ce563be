/* test_widget_dialog.c — the wrap-up dialog's fields and key semantics (Tab, Enter, Esc,
 * Ctrl-D), and the multi-line text area's editing by display row. Pure: no screen. */
#include <locale.h>
#include <string.h>

#include "tests/unit/check.h"
#include "base/text.h"
#include "widgets/dialog.h"

static widget_result key(dialog *d, widget_key k)
{
    return widget_handle_key(dialog_widget(d), k);
}

static void test_fields_and_keys(void)
{
    static const char *const codes[] = { "resolved", "refund-issued", "escalated", "callback" };
    dialog *d = dialog_new("Wrap up");
    int sum = dialog_add_text(d, "Summary", 5, 32768);
    int code = dialog_add_choice(d, "Disposition", codes, 4, 3);
    int fu = dialog_add_toggle(d, "Follow-up", false);
    CHECK_INT(sum, 0);
    CHECK_INT(code, 1);
    CHECK_INT(fu, 2);
    dialog_set_text(d, sum, "Customer double-charged");
    CHECK_INT(dialog_focused(d), 0);
    /* Enter in the text area is a newline, not a submit */
    CHECK_INT(key(d, WK_ENTER), WIDGET_HANDLED);
    key(d, 'O');
    key(d, 'K');
    CHECK_STR(dialog_text(d, sum), "Customer double-charged\nOK");
    CHECK_INT(key(d, WK_TAB), WIDGET_HANDLED);
    CHECK_INT(dialog_focused(d), 1);
    CHECK_STR(dialog_choice_text(d, code), "resolved");
    key(d, WK_FN(KEY_DOWN));
    key(d, WK_FN(KEY_DOWN));
    CHECK_INT(dialog_choice(d, code), 2);
    key(d, WK_FN(KEY_END));
    key(d, WK_FN(KEY_DOWN));
    CHECK_STR(dialog_choice_text(d, code), "callback");
    CHECK_INT(key(d, WK_ENTER), WIDGET_SUBMIT);
    key(d, WK_TAB);
    CHECK_INT(dialog_focused(d), 2);
    CHECK(!dialog_toggle(d, fu));
    key(d, ' ');
    CHECK(dialog_toggle(d, fu));
    key(d, WK_TAB);
    CHECK_INT(dialog_focused(d), 0);   /* Tab wraps */
    key(d, WK_FN(KEY_BTAB));
    CHECK_INT(dialog_focused(d), 2);
    CHECK_INT(key(d, WK_CTRL('d')), WIDGET_SUBMIT);
    CHECK_INT(key(d, WK_FN(KEY_F(10))), WIDGET_SUBMIT);
    CHECK_INT(key(d, WK_ESC), WIDGET_CANCEL);
    /* wrong-kind accessors answer safely */
    CHECK(dialog_text(d, code) == NULL);
    CHECK_INT(dialog_choice(d, sum), -1);
    CHECK(!dialog_toggle(d, 99));
    dialog_set_options(d, code, NULL, 0);
    CHECK(dialog_choice_text(d, code) == NULL);
    widget_destroy(dialog_widget(d));
}

static void test_textarea_rows(void)
{
    textarea ta;
    textarea_init(&ta, 1024);
    textarea_set_size(&ta, 3, 10);
    textarea_set_text(&ta, "hello world again\nshort");
    size_t row;
    int col;
    textarea_cursor(&ta, &row, &col);   /* rows: "hello", "world", "again", "short" */
    CHECK_INT(row, 3);
    CHECK_INT(col, 5);
    textarea_handle_key(&ta, WK_FN(KEY_UP));
    textarea_cursor(&ta, &row, &col);
    CHECK_INT(row, 2);
    CHECK_INT(col, 5);
    textarea_handle_key(&ta, WK_FN(KEY_UP));
    textarea_handle_key(&ta, WK_FN(KEY_HOME));
    textarea_cursor(&ta, &row, &col);
    CHECK_INT(row, 1);
    CHECK_INT(col, 0);
    textarea_handle_key(&ta, WK_CTRL('k'));
    CHECK_STR(textarea_text(&ta), "hello \nshort");   /* to the end of the line */
    textarea_handle_key(&ta, WK_FN(KEY_PPAGE));
    textarea_cursor(&ta, &row, &col);
    CHECK_INT(row, 0);
    /* wide characters keep whole cells */
    textarea_set_text(&ta, "日本語日本語日本語");
    textarea_cursor(&ta, &row, &col);
    CHECK_INT(row, 1);
    CHECK_INT(col, 8);
    textarea_handle_key(&ta, WK_FN(KEY_UP));
    textarea_cursor(&ta, &row, &col);
    CHECK_INT(row, 0);
    CHECK_INT(col, 8);
    CHECK_INT(textarea_handle_key(&ta, WK_ESC), WIDGET_IGNORED);
    textarea_free(&ta);
}

/* A drafted text opens at its start (cursor and scroll); dialog_set_text keeps the cursor at
 * the end, as before. */
static void test_set_text_at_start(void)
{
    static const char draft[] = "Customer reported a duplicate charge for March.\n"
                                "Refund raised.\nCallback booked.\nSurvey offered.\nDone.";
    dialog *d = dialog_new("Wrap up");
    int sum = dialog_add_text(d, "Summary", 2, 32768);
    textarea *ta = &d->fields[sum].text;
    textarea_set_size(ta, 2, 20);
    ta->top = 4;                              /* as a previous, scrolled draw left it */
    dialog_set_text_at_start(d, sum, draft);
    CHECK_STR(dialog_text(d, sum), draft);
    size_t row;
    int col;
    textarea_cursor(ta, &row, &col);
    CHECK_INT(row, 0);
    CHECK_INT(col, 0);
    CHECK_INT(ta->top, 0);
    CHECK_INT(ta->goal_col, -1);
    key(d, '>');                              /* typing lands at the start */
    CHECK(strncmp(dialog_text(d, sum), ">Customer", 9) == 0);
    key(d, WK_FN(KEY_DOWN));
    textarea_cursor(ta, &row, &col);
    CHECK_INT(row, 1);
    dialog_set_text(d, sum, draft);           /* unchanged: cursor at the end */
    CHECK_INT(ta->buf.cur, strlen(draft));
    dialog_set_text_at_start(d, 99, "ignored");   /* not a text field: nothing happens */
    CHECK_STR(dialog_text(d, sum), draft);
    widget_destroy(dialog_widget(d));
}

/* Random keys (fixed seed) keep the text clean, the cursor on a boundary and on screen. */
static void test_textarea_random(void)
{
    static const widget_key keys[] = {
        'a', ' ', ' ', 0x65E5, 0x301, WK_ENTER, WK_BACKSPACE, WK_FN(KEY_DC), WK_FN(KEY_LEFT),
        WK_FN(KEY_RIGHT), WK_FN(KEY_UP), WK_FN(KEY_DOWN), WK_FN(KEY_HOME), WK_FN(KEY_END),
        WK_FN(KEY_PPAGE), WK_FN(KEY_NPAGE), WK_CTRL('w'), WK_CTRL('u'), WK_CTRL('k'), 0x1B,
        0x202E, 0x9B,
    };
    textarea ta;
    textarea_init(&ta, 200);
    textarea_set_size(&ta, 3, 7);
    unsigned seed = 99;
    for (int i = 0; i < 20000 && !check_current_failed; i++) {
        seed = seed * 1103515245u + 12345u;
        textarea_handle_key(&ta, keys[(seed >> 16) % (sizeof keys / sizeof keys[0])]);
        const char *t = textarea_text(&ta);
        size_t len = strlen(t), cur = ta.buf.cur;
        CHECK(len <= 200);
        CHECK(text_is_clean(t, len, TEXT_KEEP_NEWLINES));
        CHECK(cur <= len && (cur == len || ((unsigned char)t[cur] & 0xC0) != 0x80));
        size_t row;
        int col;
        textarea_cursor(&ta, &row, &col);
        CHECK(col >= 0 && col <= 7);
    }
    textarea_free(&ta);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    RUN(test_fields_and_keys);
    RUN(test_textarea_rows);
    RUN(test_set_text_at_start);
    RUN(test_textarea_random);
    return check_done("test_widget_dialog");
}
