/* test_wrap.c — wrapping by display width: long words, wide characters, marks, newlines. */
#include <locale.h>
#include <stdlib.h>

#include "tests/unit/check.h"
#include "base/text.h"
#include "base/wrap.h"

#define MAX_LINES 4096
static wrap_line lines[MAX_LINES];

/* Lines in order, inside the text, each no wider than cols, width as text_width says,
 * and between two lines at most one byte: the space or newline that ended the first. */
static size_t wrap_checked(const char *s, int cols)
{
    size_t len = strlen(s);
    size_t n = text_wrap(s, len, cols, lines, MAX_LINES);
    CHECK(n >= 1 && n <= MAX_LINES);
    size_t pos = 0;
    for (size_t i = 0; i < n && i < MAX_LINES; i++) {
        CHECK(lines[i].start >= pos);
        CHECK(lines[i].start - pos <= 1);
        if (lines[i].start > pos)
            CHECK(s[pos] == ' ' || s[pos] == '\n');
        CHECK(lines[i].start + lines[i].len <= len);
        CHECK(lines[i].width <= (cols < 2 ? 2 : cols));
        CHECK_INT(lines[i].width, text_width(s + lines[i].start, lines[i].len));
        pos = lines[i].start + lines[i].len;
    }
    CHECK(len - pos <= 1);
    return n;
}

static void test_long_word(void)
{
    size_t len = 10000;
    char *word = malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        word[i] = (char)('a' + i % 26);
    word[len] = '\0';
    size_t n = wrap_checked(word, 37);
    CHECK_INT(n, (len + 36) / 37);
    char *joined = malloc(len + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK(lines[i].width <= 37);
        memcpy(joined + j, word + lines[i].start, lines[i].len);
        j += lines[i].len;
    }
    joined[j] = '\0';
    CHECK_INT(j, len);
    CHECK(strcmp(joined, word) == 0);
    free(word);
    free(joined);
}

static void test_words(void)
{
    const char *s = "the quick brown fox jumps over the lazy dog";
    size_t n = wrap_checked(s, 10);
    CHECK_INT(n, 5);
    CHECK_INT(lines[0].len, 9);      /* "the quick" */
    CHECK_INT(lines[1].start, 10);   /* "brown fox" */
    CHECK_INT(lines[1].len, 9);
    CHECK_INT(lines[2].len, 10);     /* "jumps over" fills the line exactly */
    CHECK(strncmp(s + lines[4].start, "dog", lines[4].len) == 0);
}

static void test_cjk_never_split(void)
{
    /* 20 CJK characters, 3 bytes and 2 columns each. */
    char s[61];
    for (int i = 0; i < 20; i++)
        memcpy(s + i * 3, "\xE4\xB8\xAD", 3);
    s[60] = '\0';
    for (int cols = 1; cols <= 9; cols++) {
        size_t n = wrap_checked(s, cols);
        int per_line = cols < 2 ? 1 : cols / 2;
        CHECK_INT(n, (20 + per_line - 1) / per_line);
        for (size_t i = 0; i < n; i++) {
            CHECK_INT(lines[i].start % 3, 0);
            CHECK_INT(lines[i].len % 3, 0);
            CHECK(lines[i].len > 0);
        }
    }
}

static void test_odd_width_cjk(void)
{
    /* "a" + CJK: at 2 columns the wide char moves to the next line whole. */
    const char *s = "a\xE4\xB8\xAD" "b";
    size_t n = wrap_checked(s, 2);
    CHECK_INT(n, 3);
    CHECK_INT(lines[0].len, 1);
    CHECK_INT(lines[1].len, 3);
    CHECK_INT(lines[1].width, 2);
}

static void test_combining_stays(void)
{
    /* "e" + U+0301 repeated: a mark never starts a line. */
    char s[64];
    size_t len = 0;
    for (int i = 0; i < 10; i++) {
        memcpy(s + len, "e\xCC\x81", 3);
        len += 3;
    }
    s[len] = '\0';
    size_t n = wrap_checked(s, 4);
    CHECK_INT(n, 3);
    for (size_t i = 0; i < n; i++)
        CHECK(s[lines[i].start] == 'e');
}

static void test_newlines(void)
{
    const char *s = "one\n\ntwo three\n";
    size_t n = wrap_checked(s, 80);
    CHECK_INT(n, 4);
    CHECK_INT(lines[0].len, 3);
    CHECK_INT(lines[1].len, 0);
    CHECK_INT(lines[2].len, 9);
    CHECK_INT(lines[3].len, 0);
}

static void test_empty_and_counts(void)
{
    CHECK_INT(text_wrap("", 0, 10, lines, MAX_LINES), 1);
    CHECK_INT(lines[0].len, 0);
    CHECK_INT(lines[0].width, 0);
    /* max 0: only counts. */
    CHECK_INT(text_wrap("aaaa bbbb cccc", 14, 4, NULL, 0), 3);
    /* A trailing space that ends a full line leaves no empty line. */
    CHECK_INT(wrap_checked("abcd ", 4), 1);
    /* Exactly fitting text is one line. */
    CHECK_INT(wrap_checked("abcd", 4), 1);
}

static void test_narrow(void)
{
    CHECK_INT(wrap_checked("abc", 1), 3);
    CHECK_INT(wrap_checked("abc", 0), 3);
    CHECK_INT(wrap_checked("a b", 1), 2);
}

static void test_hostile_cleaned(void)
{
    FILE *f = fopen("../shared/fixtures/blns.txt", "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    static char buf[1 << 17];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    size_t clean_len;
    char *clean = text_clean(buf, n, TEXT_KEEP_NEWLINES, &clean_len);
    static wrap_line big[1 << 16];
    for (int cols = 1; cols <= 81; cols += 8) {
        size_t lines_needed = text_wrap(clean, clean_len, cols, big, 1 << 16);
        CHECK(lines_needed <= (1 << 16));
        size_t pos = 0;
        for (size_t i = 0; i < lines_needed; i++) {
            CHECK(big[i].width <= (cols < 2 ? 2 : cols));
            CHECK(big[i].start >= pos && big[i].start - pos <= 1);
            pos = big[i].start + big[i].len;
        }
        CHECK(clean_len - pos <= 1);
    }
    free(clean);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    RUN(test_long_word);
    RUN(test_words);
    RUN(test_cjk_never_split);
    RUN(test_odd_width_cjk);
    RUN(test_combining_stays);
    RUN(test_newlines);
    RUN(test_empty_and_counts);
    RUN(test_narrow);
    RUN(test_hostile_cleaned);
    return check_done("test_wrap");
}
