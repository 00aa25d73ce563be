/* test_config.c — strict parsing of the console config, errors with line numbers. */
#include "tests/unit/check.h"
#include "agentdesk/config.h"

#include <stdlib.h>
#include <sys/stat.h>
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

/* monitor.key.NAME lines are the floor's, apart from the agent console's key.NAME */
static void test_floor_keys(void)
{
    config c;
    char err[256];
    CHECK_INT(parse(&c, "key.quit = ^Q\nmonitor.key.metrics = M F5\nmonitor.key.quit = ^Q\n", err, sizeof err), 0);
    CHECK_INT(c.n_keys, 1);
    CHECK_INT(c.n_monitor_keys, 2);
    CHECK_STR(c.monitor_keys[0].action, "metrics");
    CHECK_STR(c.monitor_keys[0].keys, "M F5");
    CHECK_INT(c.monitor_keys[0].line, 2);
    CHECK_STR(c.monitor_keys[1].action, "quit");
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
        {"monitor.key.ack = a\nmonitor.key.ack = b\n", "config:2: \"monitor.key.ack\" is set twice"},
        {"monitor.key. = a\n", "config:1: unknown setting \"monitor.key.\""},
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

static char tdir[] = "/tmp/test_config_dir_XXXXXX";

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* --config DIR is an error naming the directory, not an empty config. */
static void test_config_directory(void)
{
    config c;
    config_init(&c);
    char err[512] = "";
    CHECK_INT(config_load(&c, tdir, true, err, sizeof err), -1);
    CHECK(strstr(err, tdir) != NULL && strstr(err, "a directory") != NULL);
    CHECK_INT(config_load(&c, tdir, false, err, sizeof err), -1);   /* the default path too */
    config_free(&c);
}

/* A FIFO as the config or the token file fails at once (no writer: it would hang). */
static void test_fifo_refused(void)
{
    char fifo[300], err[512] = "";
    snprintf(fifo, sizeof fifo, "%s/fifo", tdir);
    CHECK(mkfifo(fifo, 0600) == 0);
    config c;
    config_init(&c);
    alarm(5);   /* a hang fails the test instead of blocking the run */
    CHECK_INT(config_load(&c, fifo, true, err, sizeof err), -1);
    CHECK(strstr(err, "a FIFO") != NULL);
    CHECK(config_load_token(fifo, err, sizeof err) == NULL);
    CHECK(strstr(err, "a FIFO") != NULL);
    alarm(0);
    config_free(&c);
    unlink(fifo);
}

static void test_token_file(void)
{
    char path[300], err[512] = "";
    snprintf(path, sizeof path, "%s/tok", tdir);
    write_file(path, "tok-agent-1\n");
    char *t = config_load_token(path, err, sizeof err);
    CHECK_STR(t, "tok-agent-1");
    free(t);
    char big[301];
    memset(big, 'x', 300);
    big[300] = 0;
    write_file(path, big);                                  /* 300 bytes: over the limit */
    CHECK(config_load_token(path, err, sizeof err) == NULL);
    CHECK(strstr(err, "128") != NULL && strstr(err, path) != NULL);
    big[129] = 0;                                           /* 129: one over */
    write_file(path, big);
    CHECK(config_load_token(path, err, sizeof err) == NULL);
    big[128] = 0;                                           /* 128: the limit itself */
    write_file(path, big);
    t = config_load_token(path, err, sizeof err);
    CHECK(t && strlen(t) == 128);
    free(t);
    write_file(path, "two\nlines\n");
    CHECK(config_load_token(path, err, sizeof err) == NULL);
    write_file(path, "\n");
    CHECK(config_load_token(path, err, sizeof err) == NULL);
    CHECK(config_load_token(tdir, err, sizeof err) == NULL);   /* a directory */
    CHECK(strstr(err, "a directory") != NULL);
    /* the same limit for $AGENTDESK_TOKEN */
    big[128] = 'x';
    CHECK(!config_token_ok(big, "AGENTDESK_TOKEN", err, sizeof err));
    CHECK(strstr(err, "AGENTDESK_TOKEN") != NULL && strstr(err, "128") != NULL);
    CHECK(config_token_ok("tok-agent-1", "AGENTDESK_TOKEN", err, sizeof err));
    CHECK(!config_token_ok("bad\x01tok", "AGENTDESK_TOKEN", err, sizeof err));
    unlink(path);
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
    RUN(test_floor_keys);
    RUN(test_errors);
    RUN(test_load_file);
    RUN(test_paths);
    if (!mkdtemp(tdir)) return 1;
    RUN(test_config_directory);
    RUN(test_fifo_refused);
    RUN(test_token_file);
    rmdir(tdir);
    return check_done("test_config");
}
