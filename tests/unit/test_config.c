/* test_config.c — strict parsing of the console config, errors with line numbers. */
#include "tests/unit/check.h"
#include "agentdesk/config.h"

#include <stdlib.h>
#include <unistd.h>

static int parse(config *c, const char *text, char *err, size_t n)
{
    config_init(c);
    return config_parse(c, "config", text, strlen(text), err, n);
}

static void test_valid(void)
{
    config c;
    char err[256];
    CHECK_INT(parse(&c, "# agentdesk\n\nurl = ws://hub:7300   # comment\n"
                        "theme=light\ntoken_file = \"~/my token#1\"\nkey.send = ^J\nkey.quit = q ^Q\n",
                    err, sizeof err), 0);
    CHECK_STR(c.url, "ws://hub:7300");
    CHECK_STR(c.theme, "light");
    CHECK_STR(c.token_file, "~/my token#1");
    CHECK_INT(c.n_keys, 2);
    CHECK_STR(c.keys[0].action, "send");
    CHECK_STR(c.keys[0].keys, "^J");
    CHECK_INT(c.keys[0].line, 6);
    CHECK_STR(c.keys[1].keys, "q ^Q");
    config_free(&c);
}

static void test_errors(void)
{
    static const struct { const char *text, *err; } cases[] = {
        {"url = ws://a\ncolour = red\n", "config:2: unknown setting \"colour\""},
        {"\n\ntheme dark\n", "config:3: expected NAME = VALUE"},
        {"theme = dark\ntheme = light\n", "config:2: \"theme\" is set twice"},
        {"url =\n", "config:1: empty value for \"url\""},
        {"token_file = \"unterminated\n", "config:1: unterminated quote"},
        {"key.send = a\nkey.send = b\n", "config:2: \"key.send\" is set twice"},
        {"= x\n", "config:1: missing setting name"},
        {"theme = \"a\" b\n", "config:1: text after the closing quote"},
        {"url = ws://a\n\x1b[31m = x\n", "config:1: not clean UTF-8 text (control bytes or bad encoding)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        config c;
        char err[256] = "";
        CHECK_INT(parse(&c, cases[i].text, err, sizeof err), -1);
        CHECK_STR(err, cases[i].err);
        config_free(&c);
    }
}

static void test_load_file(void)
{
    char path[] = "/tmp/test_config_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    const char *text = "url = wss://example:443\nbogus = 1\n";
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    config c;
    config_init(&c);
    char err[512];
    CHECK_INT(config_load(&c, path, true, err, sizeof err), -1);
    char want[600];
    snprintf(want, sizeof want, "%s:2: unknown setting \"bogus\"", path);
    CHECK_STR(err, want);
    config_free(&c);
    unlink(path);
    config_init(&c);
    CHECK_INT(config_load(&c, "/nonexistent/agentdesk/config", false, err, sizeof err), 0);
    CHECK_INT(config_load(&c, "/nonexistent/agentdesk/config", true, err, sizeof err), -1);
    config_free(&c);
}

static void test_paths(void)
{
    setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
    char *p = config_default_path();
    CHECK_STR(p, "/x/cfg/agentdesk/config");
    free(p);
    setenv("HOME", "/home/ana", 1);
    p = config_expand_home("~/tok");
    CHECK_STR(p, "/home/ana/tok");
    free(p);
    p = config_expand_home("/abs/tok");
    CHECK_STR(p, "/abs/tok");
    free(p);
}

int main(void)
{
    RUN(test_valid);
    RUN(test_errors);
    RUN(test_load_file);
    RUN(test_paths);
    return check_done("test_config");
}
