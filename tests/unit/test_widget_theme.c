/* test_widget_theme.c — theme parsing (errors with line numbers), colour degradation,
 * the item table, and the shipped theme files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/check.h"
#include "widgets/theme.h"

static int parse(theme *t, const char *text, char *err, size_t errlen)
{
    return theme_parse(t, "dark.theme", text, strlen(text), err, errlen);
}

static void test_parse_ok(void)
{
    theme t;
    char err[256] = "";
    const char *text =
        "# a comment\n"
        "\n"
        "transcript.customer = cyan default bold\n"
        "header = 255 24   # trailing comment\n"
        "pane.focus = bright-yellow default bold,underline\n"
        "toast=#ff0000 black reverse\n"
        "hint = grey default\r\n";
    CHECK_INT(parse(&t, text, err, sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_INT(t.style[THEME_TRANSCRIPT_CUSTOMER].fg, 6);
    CHECK_INT(t.style[THEME_TRANSCRIPT_CUSTOMER].bg, THEME_COLOR_DEFAULT);
    CHECK(t.style[THEME_TRANSCRIPT_CUSTOMER].attrs == A_BOLD);
    CHECK_INT(t.style[THEME_HEADER].fg, 255);
    CHECK_INT(t.style[THEME_HEADER].bg, 24);
    CHECK(t.style[THEME_HEADER].attrs == A_NORMAL);
    CHECK_INT(t.style[THEME_PANE_FOCUS].fg, 11);
    CHECK(t.style[THEME_PANE_FOCUS].attrs == (A_BOLD | A_UNDERLINE));
    CHECK_INT(t.style[THEME_TOAST].fg, 196);   /* #ff0000 -> nearest of 256 */
    CHECK_INT(t.style[THEME_TOAST].bg, 0);
    CHECK_INT(t.style[THEME_HINT].fg, 8);
    /* items not named keep the built-in monochrome look */
    CHECK(t.style[THEME_LIST_SELECTED].attrs == A_REVERSE);
    CHECK_INT(t.style[THEME_LIST_SELECTED].fg, THEME_COLOR_DEFAULT);
    CHECK_STR(t.name, "dark");
}

struct bad_case { const char *text; const char *err; };

static void test_parse_errors(void)
{
    static const struct bad_case cases[] = {
        { "header = red default\n\n\n\n\n\n\n\n\n\n\ntranscript.agent = purpel default\n",
          "dark.theme:12: unknown colour \"purpel\"" },
        { "headr = red default\n", "dark.theme:1: unknown item \"headr\"" },
        { "header red default\n", "dark.theme:1: missing \"=\" after \"header\"" },
        { "header = red\n", "dark.theme:1: \"header\" needs a foreground and a background colour" },
        { "header = red blue bold\nheader = red blue\n", "dark.theme:2: item \"header\" set twice" },
        { "# ok\nheader = red blue blinky\n", "dark.theme:2: unknown attribute \"blinky\"" },
        { "header = 256 blue\n", "dark.theme:1: unknown colour \"256\"" },
        { "header = #12345g blue\n", "dark.theme:1: unknown item \"header\"" },
        { "header = red = blue\n", "dark.theme:1: unknown colour \"=\"" },
        { "header = red blue =\n", "dark.theme:1: unexpected \"=\"" },
        { "header = \x1b[31m blue\n", "dark.theme:1: unknown colour \"?[31m\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        theme t;
        char err[256] = "";
        int rc = parse(&t, cases[i].text, err, sizeof err);
        CHECK_INT(rc, -1);
        if (i == 7) {
            /* "#12345g" is not a colour, so it starts a comment: fg/bg missing */
            CHECK_STR(err, "dark.theme:1: \"header\" needs a foreground and a background colour");
            continue;
        }
        CHECK_STR(err, cases[i].err);
    }
}

static void test_parse_limits(void)
{
    theme t;
    char err[256] = "";
    char line[1200];
    memset(line, 'a', sizeof line - 1);
    line[sizeof line - 1] = '\0';
    CHECK_INT(parse(&t, line, err, sizeof err), -1);
    CHECK(strstr(err, "dark.theme:1: line longer than") == err);
    const char nul[] = "header = red blue\nhint\0 = red blue\n";
    CHECK_INT(theme_parse(&t, "x.theme", nul, sizeof nul - 1, err, sizeof err), -1);
    CHECK_STR(err, "x.theme:2: NUL byte in line");
    CHECK_INT(parse(&t, "", err, sizeof err), 0);
}

static void test_items_table(void)
{
    for (int i = 0; i < THEME_ITEM_COUNT; i++) {
        const char *name = theme_item_name((theme_item)i);
        CHECK(name != NULL);
        CHECK_INT(theme_item_lookup(name), i);
    }
    CHECK(theme_item_name(THEME_ITEM_COUNT) == NULL);
    CHECK_INT(theme_item_lookup("nope"), -1);
    CHECK_INT(theme_item_lookup("transcript.redacted"), THEME_TRANSCRIPT_REDACTED);
    CHECK_INT(theme_item_lookup("flag.3"), THEME_FLAG_3);
}

static void test_degrade(void)
{
    CHECK_INT(theme_color_degrade(196, 256), 196);
    CHECK_INT(theme_color_degrade(196, 16), 9);     /* ff0000 -> bright red */
    CHECK_INT(theme_color_degrade(196, 8), 1);      /* -> red */
    CHECK_INT(theme_color_degrade(231, 16), 15);
    CHECK_INT(theme_color_degrade(231, 8), 7);
    CHECK_INT(theme_color_degrade(16, 16), 0);
    CHECK_INT(theme_color_degrade(9, 16), 9);
    CHECK_INT(theme_color_degrade(9, 8), 1);
    CHECK_INT(theme_color_degrade(3, 8), 3);
    CHECK_INT(theme_color_degrade(THEME_COLOR_DEFAULT, 8), THEME_COLOR_DEFAULT);
    CHECK_INT(theme_color_degrade(21, 8), 4);       /* 0000ff -> blue */
    CHECK_INT(theme_color_degrade(244, 16), 8);     /* mid grey -> bright black */
    for (int c = 0; c < 256; c++) {
        short d16 = theme_color_degrade((short)c, 16), d8 = theme_color_degrade((short)c, 8);
        CHECK(d16 >= 0 && d16 < 16);
        CHECK(d8 >= 0 && d8 < 8);
    }
    short c;
    CHECK_INT(theme_color_parse("#000000", &c), 0);
    CHECK_INT(c, 16);   /* the cube's black: 0..15 are user-defined */
    CHECK_INT(theme_color_parse("BrightRed", &c), 0);
    CHECK_INT(c, 9);
    CHECK_INT(theme_color_parse("-1", &c), -1);
    CHECK_INT(theme_color_parse("12x", &c), -1);
}

static void test_attrs_only(void)
{
    /* without curses and colours every item is its attributes, no colour pair */
    theme t;
    theme_builtin(&t);
    theme_activate_with(&t, 0, false);
    CHECK(theme_attr(THEME_HEADER) == A_REVERSE);
    CHECK(theme_attr(THEME_LIST_SELECTED) == A_REVERSE);
    CHECK(theme_attr(THEME_TRANSCRIPT_PARTIAL) == A_DIM);
    for (int i = 0; i < THEME_ITEM_COUNT; i++)
        CHECK((theme_attr((theme_item)i) & A_COLOR) == 0);
    CHECK(theme_attr((theme_item)-1) == A_NORMAL);
    /* NO_COLOR before initscr: attributes only too */
    setenv("NO_COLOR", "1", 1);
    char err[256];
    CHECK_INT(theme_load_file(&t, "themes/dark.theme", err, sizeof err), 0);
    theme_activate(&t);
    CHECK(theme_attr(THEME_TRANSCRIPT_CUSTOMER) == A_BOLD);
    unsetenv("NO_COLOR");
}

/* Every shipped theme parses and names every item exactly once. */
static void test_shipped_themes(void)
{
    static const char *const names[] = { "dark", "light", "high-contrast", "monochrome" };
    const char *dirs[] = { "/nonexistent", "themes" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        theme t;
        char err[256] = "";
        int rc = theme_load_named(&t, names[i], dirs, 2, err, sizeof err);
        if (rc != 0)
            fprintf(stderr, "  %s: %s\n", names[i], err);
        CHECK_INT(rc, 0);
        CHECK_STR(t.name, names[i]);
        char path[128];
        snprintf(path, sizeof path, "themes/%s.theme", names[i]);
        FILE *f = fopen(path, "r");
        CHECK(f != NULL);
        if (!f)
            continue;
        int items = 0;
        char line[512];
        while (fgets(line, sizeof line, f))
            if (line[0] != '#' && line[0] != '\n')
                items++;
        fclose(f);
        CHECK_INT(items, THEME_ITEM_COUNT);
    }
    theme t;
    char err[256];
    CHECK_INT(theme_load_named(&t, "../etc/passwd", dirs, 2, err, sizeof err), -1);
    CHECK_INT(theme_load_named(&t, "nope", dirs, 2, err, sizeof err), -1);
    CHECK(strstr(err, "not found") != NULL);
    /* the monochrome theme has no colour at all */
    CHECK_INT(theme_load_named(&t, "monochrome", dirs, 2, err, sizeof err), 0);
    for (int i = 0; i < THEME_ITEM_COUNT; i++) {
        CHECK_INT(t.style[i].fg, THEME_COLOR_DEFAULT);
        CHECK_INT(t.style[i].bg, THEME_COLOR_DEFAULT);
    }
}

int main(void)
{
    RUN(test_parse_ok);
    RUN(test_parse_errors);
    RUN(test_parse_limits);
    RUN(test_items_table);
    RUN(test_degrade);
    RUN(test_attrs_only);
    RUN(test_shipped_themes);
    return check_done("test_widget_theme");
}
