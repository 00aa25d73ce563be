/* text.c — the text sanitizer (see text.h for the rules it enforces).
 *
 * Width comes from the C library's wcwidth() in a UTF-8 locale of our own
 * (newlocale + uselocale), so the result does not depend on whether the program
 * called setlocale(). Widths of the Basic Multilingual Plane are looked up once
 * into a table; other planes ask wcwidth() each time. ASCII never leaves the
 * fast paths. */
#include "base/text.h"
#include "base/mem.h"

#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define REPLACEMENT 0xFFFDu

static signed char bmp_width[0x10000];
static locale_t utf8_locale = (locale_t)0;
static pthread_once_t width_once = PTHREAD_ONCE_INIT;

/* Width without a UTF-8 locale: printable code points count one column. Only used
 * on systems that have no C.UTF-8 (or similar) locale installed. */
static int fallback_width(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return -1;
    return 1;
}

static int locale_width(uint32_t cp)
{
    if (utf8_locale == (locale_t)0)
        return fallback_width(cp);
    locale_t old = uselocale(utf8_locale);
    int w = wcwidth((wchar_t)cp);
    uselocale(old);
    return w;
}

static void width_init(void)
{
    static const char *const names[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8", "en_US.utf8" };
    for (size_t i = 0; i < sizeof names / sizeof names[0] && utf8_locale == (locale_t)0; i++)
        utf8_locale = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
    locale_t old = (locale_t)0;
    if (utf8_locale != (locale_t)0)
        old = uselocale(utf8_locale);
    for (uint32_t cp = 0; cp < 0x10000; cp++) {
        int w;
        if (cp >= 0xD800 && cp <= 0xDFFF)
            w = -1;
        else if (utf8_locale != (locale_t)0)
            w = wcwidth((wchar_t)cp);
        else
            w = fallback_width(cp);
        bmp_width[cp] = (signed char)(w > 2 ? 2 : w);
    }
    if (utf8_locale != (locale_t)0)
        uselocale(old);
}

/* wcwidth of a valid scalar value: -1, 0, 1 or 2. */
static int cp_width(uint32_t cp)
{
    pthread_once(&width_once, width_init);
    if (cp < 0x10000)
        return bmp_width[cp];
    int w = locale_width(cp);
    return w > 2 ? 2 : w;
}

static bool is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

/* Decode one UTF-8 sequence at s (n >= 1 bytes). Returns the bytes consumed (>= 1);
 * *cp is the code point, or REPLACEMENT with *valid false for an invalid sequence.
 * An invalid sequence consumes its maximal well-formed prefix (Unicode's "maximal
 * subpart" practice), so one bad sequence becomes exactly one U+FFFD. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, bool *valid)
{
    unsigned char b = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    uint32_t v;

    *valid = false;
    *cp = REPLACEMENT;
    if (b < 0x80) {
        *cp = b;
        *valid = true;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        need = 1; v = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2; v = b & 0x0F;
        if (b == 0xE0) lo = 0xA0;          /* overlong */
        else if (b == 0xED) hi = 0x9F;     /* surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3; v = b & 0x07;
        if (b == 0xF0) lo = 0x90;          /* overlong */
        else if (b == 0xF4) hi = 0x8F;     /* above U+10FFFF */
    } else {
        return 1;                          /* continuation byte, C0, C1, F5..FF */
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= n)
            return i;
        unsigned char c = s[i];
        if (i == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF))
            return i;
        v = (v << 6) | (c & 0x3F);
    }
    *cp = v;
    *valid = true;
    return i;
}

/* What cleaning does to a valid code point other than tab and newlines. */
static bool cp_needs_replacement(uint32_t cp)
{
    if (cp >= 0x80 && cp <= 0x9F)
        return true;
    if (is_bidi_control(cp))
        return true;
    return cp_width(cp) < 0;
}

static size_t utf8_put(char *out, uint32_t cp)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

char *text_clean(const char *in, size_t len, int flags, size_t *out_len)
{
    const unsigned char *s = (const unsigned char *)in;
    bool keep_nl = (flags & TEXT_KEEP_NEWLINES) != 0;
    /* Every input byte yields at most 3 output bytes (a control picture or U+FFFD). */
    if (len > (SIZE_MAX - 1) / 3) {
        fprintf(stderr, "text_clean: input too large\n");
        abort();
    }
    char *out = mem_alloc(len * 3 + 1);
    size_t o = 0, i = 0;
    while (i < len) {
        unsigned char b = s[i];
        if (b >= 0x20 && b < 0x7F) {
            out[o++] = (char)b;
            i++;
            continue;
        }
        if (b == '\t') {
            out[o++] = ' ';
            i++;
        } else if (b == '\r' || b == '\n') {
            out[o++] = keep_nl ? '\n' : ' ';
            i += (b == '\r' && i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
        } else if (b < 0x20) {
            o += utf8_put(out + o, 0x2400u + b);
            i++;
        } else if (b == 0x7F) {
            o += utf8_put(out + o, 0x2421u);
            i++;
        } else {
            uint32_t cp;
            bool valid;
            size_t used = utf8_decode(s + i, len - i, &cp, &valid);
            if (!valid || cp_needs_replacement(cp)) {
                o += utf8_put(out + o, REPLACEMENT);
            } else {
                memcpy(out + o, s + i, used);
                o += used;
            }
            i += used;
        }
    }
    out[o] = '\0';
    if (out_len)
        *out_len = o;
    return out;
}

bool text_is_clean(const char *str, size_t len, int flags)
{
    const unsigned char *s = (const unsigned char *)str;
    bool keep_nl = (flags & TEXT_KEEP_NEWLINES) != 0;
    size_t i = 0;
    while (i < len) {
        unsigned char b = s[i];
        if (b >= 0x20 && b < 0x7F) {
            i++;
            continue;
        }
        if (b == '\n' && keep_nl) {
            i++;
            continue;
        }
        if (b < 0x80)
            return false;
        uint32_t cp;
        bool valid;
        size_t used = utf8_decode(s + i, len - i, &cp, &valid);
        if (!valid || cp_needs_replacement(cp))
            return false;
        i += used;
    }
    return true;
}

size_t text_next(const char *str, size_t len, uint32_t *cp, int *width)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0) {
        *cp = 0;
        *width = 0;
        return 0;
    }
    if (s[0] < 0x80) {
        *cp = s[0];
        *width = (s[0] >= 0x20 && s[0] < 0x7F) ? 1 : 0;
        return 1;
    }
    bool valid;
    size_t used = utf8_decode(s, len, cp, &valid);
    int w = valid ? cp_width(*cp) : 1;
    /* Defensive: unclean input is measured as if it had been cleaned to U+FFFD. */
    if (w < 0) {
        *cp = REPLACEMENT;
        w = 1;
    }
    *width = w;
    return used;
}

int text_width(const char *clean, size_t len)
{
    const unsigned char *s = (const unsigned char *)clean;
    long total = 0;
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            total += (s[i] >= 0x20 && s[i] < 0x7F);
            i++;
            continue;
        }
        uint32_t cp;
        int w;
        i += text_next(clean + i, len - i, &cp, &w);
        total += w;
    }
    return total > 0x7FFFFFFF ? 0x7FFFFFFF : (int)total;
}

size_t text_fit(const char *clean, size_t len, int cols)
{
    int used_cols = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        int w;
        size_t n = text_next(clean + i, len - i, &cp, &w);
        if (used_cols + w > cols)
            break;
        used_cols += w;
        i += n;
    }
    return i;
}

size_t text_prefix_len(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

size_t text_complete_len(const char *s, size_t len)
{
    size_t j = len;
    while (j > 0 && ((unsigned char)s[j - 1] & 0xC0) == 0x80)
        j--;
    if (j == 0 || (unsigned char)s[j - 1] < 0xC0)
        return len;
    unsigned char lead = (unsigned char)s[j - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    return len - (j - 1) < need ? j - 1 : len;
}

size_t text_copy(char *dst, size_t cap, const char *src)
{
    const char *s = src ? src : "";
    size_t n = text_prefix_len(s, strlen(s), cap - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
    return n;
}
