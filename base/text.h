/* text.h — the text sanitizer: the single border where outside text is cleaned.
 *
 * Output of text_clean() is always valid UTF-8 with no byte < 0x20 (except '\n' when
 * TEXT_KEEP_NEWLINES), no DEL, no C1 control, no ESC and no bidi control, and every
 * code point in it has a known, non-negative display width.
 *   - invalid UTF-8 (overlong, surrogates, truncated, 0xF5..0xFF)  -> U+FFFD
 *   - C0 controls and DEL                       -> U+2400..U+241F / U+2421 (control pictures)
 *   - C1 controls, bidi controls (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C)
 *     and code points whose wcwidth() is -1     -> U+FFFD
 *   - tab -> one space; CR LF / CR -> LF when keeping newlines, else a space
 * Width is wcwidth() in a UTF-8 locale: wide = 2, combining = 0. */
#ifndef AGENTDESK_PROTO_TEXT_H
#define AGENTDESK_PROTO_TEXT_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

enum { TEXT_SINGLE_LINE = 0, TEXT_KEEP_NEWLINES = 1 };

/* Clean `len` bytes of `in`. Returns a malloc'd NUL-terminated string; its byte length
 * in *out_len if not NULL. Never fails (aborts on out-of-memory). */
char *text_clean(const char *in, size_t len, int flags, size_t *out_len);

/* True when `s` (len bytes) needs no cleaning: text_clean would return it unchanged. */
bool text_is_clean(const char *s, size_t len, int flags);

/* Display width of cleaned text (sum of wcwidth; '\n' counts 0). */
int text_width(const char *clean, size_t len);

/* Decode one code point of cleaned UTF-8 at s (len bytes left); returns bytes used
 * (>= 1) and the code point in *cp and its display width in *width. */
size_t text_next(const char *s, size_t len, uint32_t *cp, int *width);

/* The byte length of the longest prefix of `clean` whose width is <= cols. */
size_t text_fit(const char *clean, size_t len, int cols);

/* The byte length of the longest prefix of `s` (len bytes) of at most `max` bytes that does
 * not end inside a UTF-8 sequence; looks at s[max] when len > max. */
size_t text_prefix_len(const char *s, size_t len, size_t max);

/* The byte length of the longest prefix of `s` (len bytes, cut at len by its producer) that
 * does not end with an incomplete UTF-8 sequence. */
size_t text_complete_len(const char *s, size_t len);

/* Copies `src` (NULL is "") into `dst` of `cap` >= 1 bytes, NUL-terminated, cut by
 * text_prefix_len. Returns the bytes copied. */
size_t text_copy(char *dst, size_t cap, const char *src);

#endif
