/* test_text.c — the sanitizer against hostile fixtures and hand-picked cases.
 * Checks use an independent UTF-8 validator and the C library's wcswidth(). */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <wchar.h>

#include "tests/unit/check.h"
#include "base/text.h"
#include "proto/codec.h"

/* Strict UTF-8 check written from RFC 3629's grammar, not from text.c. Each decoded
 * code point is passed to `visit` (when not NULL); returns false on any malformation. */
static bool utf8_valid(const unsigned char *s, size_t n, void (*visit)(uint32_t, void *), void *ctx)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k;
        unsigned char b = s[i];
        if (b <= 0x7F) { cp = b; k = 1; }
        else if ((b & 0xE0) == 0xC0) { cp = b & 0x1F; k = 2; }
        else if ((b & 0xF0) == 0xE0) { cp = b & 0x0F; k = 3; }
        else if ((b & 0xF8) == 0xF0) { cp = b & 0x07; k = 4; }
        else return false;
        if (i + k > n)
            return false;
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        static const uint32_t min_for_len[5] = { 0, 0, 0x80, 0x800, 0x10000 };
        if (cp < min_for_len[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        if (visit)
            visit(cp, ctx);
        i += k;
    }
    return true;
}

typedef struct { int bad; bool keep_nl; } forbidden_ctx;

static void forbid(uint32_t cp, void *p)
{
    forbidden_ctx *c = p;
    bool nl_ok = c->keep_nl && cp == '\n';
    if ((cp < 0x20 && !nl_ok) || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
        (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
        cp == 0x200E || cp == 0x200F || cp == 0x061C)
        c->bad++;
}

/* Width of a single-line UTF-8 string as the C library measures it. */
static int libc_width(const char *s)
{
    size_t n = mbstowcs(NULL, s, 0);
    if (n == (size_t)-1)
        return -2;
    wchar_t *w = malloc((n + 1) * sizeof *w);
    mbstowcs(w, s, n + 1);
    int width = wcswidth(w, n);
    free(w);
    return width;
}

static int lines_checked;

/* Every invariant text.h promises, for one input in one mode. */
static void check_invariants(const char *in, size_t len, int flags)
{
    size_t out_len = 0;
    char *out = text_clean(in, len, flags, &out_len);
    CHECK(out != NULL);
    CHECK_INT(strlen(out), out_len);
    forbidden_ctx fc = { 0, flags == TEXT_KEEP_NEWLINES };
    CHECK(utf8_valid((const unsigned char *)out, out_len, forbid, &fc));
    CHECK_INT(fc.bad, 0);
    CHECK(text_is_clean(out, out_len, flags));
    size_t again_len;
    char *again = text_clean(out, out_len, flags, &again_len);
    CHECK(again_len == out_len && memcmp(again, out, out_len) == 0);
    free(again);
    CHECK_INT(text_is_clean(in, len, flags), out_len == len && memcmp(in, out, len) == 0);
    if (flags == TEXT_SINGLE_LINE) {
        CHECK(memchr(out, '\n', out_len) == NULL);
        CHECK_INT(text_width(out, out_len), libc_width(out));
    }
    free(out);
}

static void check_file_lines(const char *path)
{
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    static char buf[1 << 17];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    CHECK(n > 1000);
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || buf[i] == '\n') {
            check_invariants(buf + start, i - start, TEXT_SINGLE_LINE);
            check_invariants(buf + start, i - start, TEXT_KEEP_NEWLINES);
            lines_checked++;
            start = i + 1;
        }
    }
    check_invariants(buf, n, TEXT_KEEP_NEWLINES);
    check_invariants(buf, n, TEXT_SINGLE_LINE);
}

static void test_blns(void)
{
    int before = lines_checked;
    check_file_lines("../shared/fixtures/blns.txt");
    CHECK(lines_checked - before > 700);
}

static void test_utf8_test_file(void)
{
    int before = lines_checked;
    check_file_lines("../shared/fixtures/UTF-8-test.txt");
    CHECK(lines_checked - before > 250);
}

static void expect_clean(const char *in, size_t len, int flags, const char *want)
{
    size_t out_len;
    char *out = text_clean(in, len, flags, &out_len);
    CHECK_STR(out, want);
    free(out);
}

#define FFFD "\xEF\xBF\xBD"

static void test_invalid_utf8(void)
{
    expect_clean("a\xC0\xAF" "b", 4, 0, "a" FFFD FFFD "b");       /* overlong '/' */
    expect_clean("\xE0\x80\xAF", 3, 0, FFFD FFFD FFFD);            /* 3-byte overlong */
    expect_clean("\xF0\x80\x80\xAF", 4, 0, FFFD FFFD FFFD FFFD);   /* 4-byte overlong */
    expect_clean("\xED\xA0\x80", 3, 0, FFFD FFFD FFFD);            /* high surrogate */
    expect_clean("\xED\xBF\xBF", 3, 0, FFFD FFFD FFFD);            /* low surrogate */
    expect_clean("x\xE2\x82", 3, 0, "x" FFFD);                     /* truncated at end */
    expect_clean("\xE2\x82x", 3, 0, FFFD "x");                     /* truncated mid */
    expect_clean("\xFF", 1, 0, FFFD);
    expect_clean("\xF5\x80\x80\x80", 4, 0, FFFD FFFD FFFD FFFD);
    expect_clean("\xF4\x90\x80\x80", 4, 0, FFFD FFFD FFFD FFFD);   /* above U+10FFFF */
    expect_clean("\x80", 1, 0, FFFD);                              /* lone continuation */
    expect_clean("\xC2\x9B" "31m", 5, 0, FFFD "31m");              /* C1 CSI */
    expect_clean("\xE2\x82\xAC", 3, 0, "\xE2\x82\xAC");            /* valid euro sign */
    expect_clean("\xF0\x9F\x98\x80", 4, 0, "\xF0\x9F\x98\x80");    /* valid emoji */
}

static void test_controls(void)
{
    expect_clean("a\x1b[31mb", 7, 0, "a\xE2\x90\x9B[31mb");       /* ESC -> U+241B */
    expect_clean("\x00", 1, 0, "\xE2\x90\x80");                    /* NUL -> U+2400 */
    expect_clean("\x7F", 1, 0, "\xE2\x90\xA1");                    /* DEL -> U+2421 */
    expect_clean("\x07", 1, 0, "\xE2\x90\x87");                    /* BEL */
    expect_clean("a\tb", 3, 0, "a b");
    expect_clean("a\r\nb\rc\nd", 8, TEXT_KEEP_NEWLINES, "a\nb\nc\nd");
    expect_clean("a\r\nb\rc\nd", 8, TEXT_SINGLE_LINE, "a b c d");
    expect_clean("", 0, 0, "");
}

static void test_bidi(void)
{
    expect_clean("a\xE2\x80\xAE" "b", 5, 0, "a" FFFD "b");         /* RLO U+202E */
    expect_clean("\xE2\x80\xAA", 3, 0, FFFD);                      /* LRE */
    expect_clean("\xE2\x81\xA6\xE2\x81\xA9", 6, 0, FFFD FFFD);     /* LRI, PDI */
    expect_clean("\xE2\x80\x8E\xE2\x80\x8F", 6, 0, FFFD FFFD);     /* LRM, RLM */
    expect_clean("\xD8\x9C", 2, 0, FFFD);                          /* ALM U+061C */
}

static void test_json_escape_is_caught(void)
{
    const char *frame = "{\"type\":\"note\",\"id\":\"a\",\"iid\":\"i\",\"text\":\"x\\u001b[2Jy\\u202e\"}";
    proto_event ev;
    proto_error err;
    CHECK(proto_decode(frame, strlen(frame), PROTO_TO_HUB, &ev, &err));
    CHECK_STR(proto_str(&ev, "text"), "x\xE2\x90\x9B[2Jy" FFFD);
    proto_free(&ev);
}

static void test_width(void)
{
    CHECK_INT(text_width("abc", 3), 3);
    CHECK_INT(text_width("\xE4\xB8\xAD\xE6\x96\x87", 6), 4);      /* CJK: 2 each */
    CHECK_INT(text_width("e\xCC\x81", 3), 1);                      /* e + combining acute */
    CHECK_INT(text_width("a\nb", 3), 2);
    CHECK_INT(text_width("\xF0\x9F\x98\x80", 4), libc_width("\xF0\x9F\x98\x80"));
    uint32_t cp;
    int w;
    CHECK_INT(text_next("\xE4\xB8\xAD", 3, &cp, &w), 3);
    CHECK_INT(cp, 0x4E2D);
    CHECK_INT(w, 2);
    CHECK_INT(text_next("\xCC\x81", 2, &cp, &w), 2);
    CHECK_INT(cp, 0x301);
    CHECK_INT(w, 0);
    CHECK_INT(text_next("A", 1, &cp, &w), 1);
    CHECK_INT(w, 1);
}

static void test_width_without_setlocale(void)
{
    /* The program's locale is "C" here: text.c must still measure in UTF-8. */
    setlocale(LC_ALL, "C");
    CHECK_INT(text_width("\xE4\xB8\xAD", 3), 2);
    size_t n;
    char *out = text_clean("\xE4\xB8\xAD", 3, 0, &n);
    CHECK_STR(out, "\xE4\xB8\xAD");
    free(out);
    setlocale(LC_ALL, "C.UTF-8");
}

static void test_fit(void)
{
    const char *s = "ab\xE4\xB8\xAD" "c";                          /* widths 1 1 2 1 */
    size_t len = strlen(s);
    CHECK_INT(text_fit(s, len, 0), 0);
    CHECK_INT(text_fit(s, len, 2), 2);
    CHECK_INT(text_fit(s, len, 3), 2);                             /* the wide char does not fit */
    CHECK_INT(text_fit(s, len, 4), 5);
    CHECK_INT(text_fit(s, len, 99), len);
    const char *comb = "e\xCC\x81x";
    CHECK_INT(text_fit(comb, 4, 1), 3);                            /* mark stays with e */
}

static void test_unassigned_and_private(void)
{
    /* U+0378 is unassigned: wcwidth -1 in glibc, so it becomes U+FFFD. */
    size_t n;
    char *out = text_clean("\xCD\xB8", 2, 0, &n);
    wchar_t wc = 0x378;
    if (wcwidth(wc) < 0)
        CHECK_STR(out, FFFD);
    free(out);
    check_invariants("\xEF\xBF\xBE\xEF\xBF\xBF", 6, 0);            /* noncharacters */
    check_invariants("\xE2\x80\xA8\xE2\x80\xA9", 6, 0);            /* LS, PS */
}

static void test_large_input(void)
{
    size_t len = 1 << 20;
    char *in = malloc(len);
    for (size_t i = 0; i < len; i++)
        in[i] = (char)(i * 7919 % 256);
    check_invariants(in, len, TEXT_SINGLE_LINE);
    check_invariants(in, len, TEXT_KEEP_NEWLINES);
    free(in);
}

int main(void)
{
    if (!setlocale(LC_ALL, "C.UTF-8")) {
        fprintf(stderr, "C.UTF-8 locale missing\n");
        return 1;
    }
    RUN(test_blns);
    RUN(test_utf8_test_file);
    RUN(test_invalid_utf8);
    RUN(test_controls);
    RUN(test_bidi);
    RUN(test_json_escape_is_caught);
    RUN(test_width);
    RUN(test_width_without_setlocale);
    RUN(test_fit);
    RUN(test_unassigned_and_private);
    RUN(test_large_input);
    return check_done("test_text");
}
