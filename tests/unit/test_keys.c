/* test_keys.c — key notation, the agent key table, overrides and conflicts. */
#include "tests/unit/check.h"
#include "agentdesk/agent_keys.h"
#include "agentdesk/keys.h"

static void test_notation_round_trip(void)
{
    static const char *names[] = {"q", "/", "?", "^N", "^W", "^J", "Enter", "Tab", "S-Tab", "Esc",
                                  "Space", "BSpace", "PgUp", "PgDn", "Home", "End", "Up", "Down",
                                  "Left", "Right", "Del", "Ins", "F1", "F12", "M-1", "M-n", "é", "^?"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        widget_key k;
        CHECK(keys_parse(names[i], &k));
        char back[32];
        keys_name(k, back, sizeof back);
        if (strcmp(names[i], "^?") == 0) CHECK_STR(back, "BSpace");
        else CHECK_STR(back, names[i]);
    }
    widget_key k;
    CHECK(keys_parse("^n", &k) && k == 14);
    CHECK(keys_parse("Enter", &k) && k == WK_ENTER);
    CHECK(keys_parse("PgDn", &k) && k == WK_FN(KEY_NPAGE));
    CHECK(keys_parse("M-1", &k) && k == (KEYS_META | '1'));
    static const char *bad[] = {"", "Ctrl-X", "^1", "F0", "F13", "M-", "M-F1", "ab", "\x1b", "M-M-x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) CHECK(!keys_parse(bad[i], &k));
}

static void test_agent_table(void)
{
    keys_table t;
    keys_init(&t, agent_keys_actions, AK__COUNT);
    const char *other = NULL;
    CHECK(keys_conflict(&t, &other) == NULL);
    /* letters always write: none is a command (issue 13: "hello" raised a hand) */
    for (widget_key c = 'a'; c <= 'z'; c++) {
        CHECK_INT(keys_lookup(&t, c, KEYS_COMMAND), -1);
        CHECK_INT(keys_lookup(&t, c - 'a' + 'A', KEYS_COMMAND), -1);
    }
    CHECK_INT(keys_lookup(&t, WK_CTRL('q'), KEYS_COMMAND), AK_QUIT);
    CHECK_INT(keys_lookup(&t, WK_CTRL('g'), KEYS_TYPING), AK_HAND);
    CHECK_INT(keys_lookup(&t, '1', KEYS_COMMAND), AK_USE1);
    CHECK_INT(keys_lookup(&t, KEYS_META | '2', KEYS_TYPING), AK_USE2);
    CHECK_INT(keys_lookup(&t, WK_ENTER, KEYS_COMMAND), AK_TYPE);
    CHECK_INT(keys_lookup(&t, WK_ENTER, KEYS_TYPING), AK_SEND);
    CHECK_INT(keys_lookup(&t, WK_CTRL('w'), KEYS_COMMAND), AK_WRAPUP);
    /* in the line, Ctrl-W deletes a word (readline): no action takes it */
    CHECK_INT(keys_lookup(&t, WK_CTRL('w'), KEYS_TYPING), -1);
    CHECK_INT(keys_lookup(&t, WK_FN(KEY_END), KEYS_TYPING), -1);
    CHECK_INT(keys_lookup(&t, WK_FN(KEY_PPAGE), KEYS_TYPING), AK_SCROLL_UP);
    CHECK_INT(keys_lookup(&t, 'Z', KEYS_COMMAND), -1);
    char buf[64];
    keys_describe(&t, (size_t)keys_index_of(&t, AK_QUIT), " ", buf, sizeof buf);
    CHECK_STR(buf, "^Q");
    for (size_t i = 0; i < t.n; i++) {
        CHECK(t.actions[i].help && *t.actions[i].help);
        CHECK(t.bind[i].n >= 1);
    }
    keys_free(&t);
}

static void test_overrides(void)
{
    keys_table t;
    keys_init(&t, agent_keys_actions, AK__COUNT);
    char err[128];
    CHECK(keys_set(&t, "send", "^J", err, sizeof err));
    CHECK_INT(keys_lookup(&t, WK_CTRL('j'), KEYS_TYPING), AK_SEND);
    CHECK_INT(keys_lookup(&t, WK_ENTER, KEYS_TYPING), -1);
    CHECK(!keys_set(&t, "sned", "^J", err, sizeof err));
    CHECK_STR(err, "unknown action \"sned\"");
    CHECK(!keys_set(&t, "quit", "Ctrl-Q", err, sizeof err));
    CHECK_STR(err, "unknown key \"Ctrl-Q\"");
    CHECK(!keys_set(&t, "quit", "F1 F2 F3 F4 F5", err, sizeof err));
    CHECK_STR(err, "too many keys (at most 4)");
    /* a letter cannot become a command */
    CHECK(!keys_set(&t, "hand", "h", err, sizeof err));
    CHECK(strstr(err, "letters always write") != NULL);
    CHECK(keys_set(&t, "hand", "M-h ^G", err, sizeof err));
    /* a clash in a shared context is found */
    CHECK(keys_set(&t, "hand", "^Q", err, sizeof err));
    const char *other = NULL;
    const char *a = keys_conflict(&t, &other);
    CHECK(a != NULL && other != NULL);
    CHECK_STR(a, "hand");
    CHECK_STR(other, "quit");
    keys_free(&t);
}

int main(void)
{
    RUN(test_notation_round_trip);
    RUN(test_agent_table);
    RUN(test_overrides);
    return check_done("test_keys");
}
