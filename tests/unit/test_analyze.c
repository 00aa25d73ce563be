/* test_analyze.c — the batch analyzer: one JSON object per input line, with sentiment,
 * flags, suggestions from the seeded KB and redacted text; long and hostile lines bounded. */
#include "tests/unit/check.h"
#include "hub/cli/analyze.h"
#include "hub/store/import.h"
#include "hub/store/store.h"

#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

/* Runs the analyzer over `input`; returns the output lines as a JSON array (parsed). */
static json_t *run(const char *db, const char *data_dir, const char *input, size_t len, int *rc)
{
    FILE *in = fmemopen((void *)input, len, "r");
    FILE *out = tmpfile();
    *rc = analyze_run(db, data_dir, in, out);
    fclose(in);
    rewind(out);
    json_t *lines = json_array();
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&buf, &cap, out)) > 0) {
        json_error_t je;
        json_t *o = json_loadb(buf, (size_t)n, 0, &je);
        CHECK(o != NULL);
        json_array_append_new(lines, o ? o : json_null());
    }
    free(buf);
    fclose(out);
    return lines;
}

static const char *redacted(json_t *lines, size_t i)
{
    return json_string_value(json_object_get(json_array_get(lines, i), "redacted"));
}

static void test_lines(void)
{
    const char input[] =
        "I was charged twice and I want a refund, card 4111 1111 1111 1111\n"
        "thanks, that sorted it!\r\n"
        "\n"
        "I want to speak to your manager\n"
        "no newline at the end";
    int rc;
    json_t *lines = run(NULL, "data", input, sizeof input - 1, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(json_array_size(lines), 5);
    json_t *first = json_array_get(lines, 0);
    json_t *sent = json_object_get(first, "sentiment");
    CHECK_STR(json_string_value(json_object_get(sent, "label")), "negative");
    CHECK(json_is_array(json_object_get(sent, "terms")));
    CHECK_STR(redacted(lines, 0), "I was charged twice and I want a refund, card [CARD]");
    json_t *flags = json_object_get(first, "flags");
    CHECK(json_array_size(flags) >= 1);
    for (size_t i = 0; i < json_array_size(flags); i++) {
        json_t *f = json_array_get(flags, i);
        CHECK(json_string_value(json_object_get(f, "rule")) != NULL);
        CHECK(json_integer_value(json_object_get(f, "severity")) >= 1);
        CHECK(strstr(json_string_value(json_object_get(f, "evidence")), "4111 1111") == NULL);
    }
    json_t *sug = json_object_get(first, "suggestions");
    CHECK(json_array_size(sug) >= 1 && json_array_size(sug) <= 3);
    CHECK_STR(json_string_value(json_object_get(json_array_get(sug, 0), "source")), "KB-001");
    CHECK(strstr(json_string_value(json_object_get(json_array_get(sug, 0), "text")), "{customer") == NULL);
    CHECK_STR(json_string_value(json_object_get(json_object_get(json_array_get(lines, 1), "sentiment"), "label")), "positive");
    CHECK_STR(redacted(lines, 1), "thanks, that sorted it!");
    CHECK_STR(redacted(lines, 2), "");
    CHECK(json_array_size(json_object_get(json_array_get(lines, 3), "flags")) >= 1);
    CHECK_STR(redacted(lines, 4), "no newline at the end");
    json_decref(lines);
}

static void test_long_and_hostile_lines(void)
{
    size_t big = 20000;
    char *input = malloc(big + 64);
    memset(input, 'a', big);
    /* a multibyte character straddles the cut */
    memcpy(input + ANALYZE_MAX_LINE - 1, "é", 2);
    strcpy(input + big, "\n\xff\xfe bad \x1b[31m bytes\nok\n");
    int rc;
    json_t *lines = run(NULL, "data", input, strlen(input), &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(json_array_size(lines), 3);
    CHECK(strlen(redacted(lines, 0)) == ANALYZE_MAX_LINE - 1);
    CHECK(strchr(redacted(lines, 1), 0x1b) == NULL);
    CHECK_STR(redacted(lines, 2), "ok");
    json_decref(lines);
    free(input);
}

static void test_db_path_and_errors(void)
{
    char dir[] = "/tmp/test_analyze.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char db[128];
    snprintf(db, sizeof db, "%s/a.db", dir);
    int rc;
    /* a database without a knowledge base: the shipped one is used */
    json_t *lines = run(db, "data", "I was charged twice, refund the duplicate charge\n", 49, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(json_array_size(lines), 1);
    CHECK(json_array_size(json_object_get(json_array_get(lines, 0), "suggestions")) >= 1);
    json_decref(lines);
    /* a database with its own knowledge base: that one is used */
    {
        char err[256];
        store *st = store_open(db, err, sizeof err);
        json_t *kb = json_loads("[{\"id\":\"MY-1\",\"title\":\"Refund duplicate charge\",\"category\":\"billing\","
                                "\"body\":\"refund\",\"reply\":\"Done.\",\"tags\":[]}]", 0, NULL);
        CHECK_INT(import_json(st, "kb", kb, "kb.json", err, sizeof err), 1);
        json_decref(kb);
        store_close(st);
    }
    lines = run(db, "data", "I was charged twice, refund the duplicate charge\n", 49, &rc);
    json_t *sug = json_object_get(json_array_get(lines, 0), "suggestions");
    CHECK_INT(json_array_size(sug), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(sug, 0), "source")), "MY-1");
    json_decref(lines);
    lines = run(NULL, "/nonexistent-data", "x\n", 2, &rc);
    CHECK_INT(rc, 1);
    CHECK_INT(json_array_size(lines), 0);
    json_decref(lines);
    char p[200];
    static const char *const files[] = {"a.db", "a.db-wal", "a.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

int main(void)
{
    RUN(test_lines);
    RUN(test_long_and_hostile_lines);
    RUN(test_db_path_and_errors);
    return check_done("test_analyze");
}
