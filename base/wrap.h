/* wrap.h — line wrapping of cleaned text to a column count, by display width.
 * Breaks at spaces where it can; a word wider than the line is broken anywhere;
 * a wide character is never split; '\n' ends a line. Every produced line has
 * width <= cols (cols >= 2; with cols < 2 each line holds one character). */
#ifndef AGENTDESK_PROTO_WRAP_H
#define AGENTDESK_PROTO_WRAP_H

#include <stddef.h>

typedef struct {
    size_t start;   /* byte offset into the text */
    size_t len;     /* bytes, without the space or newline that ended it */
    int width;      /* display width */
} wrap_line;

/* Wrap `clean` (len bytes) to `cols`. Writes at most `max` lines into `out` (which may
 * be NULL when max is 0) and returns how many lines the whole text needs. Empty text
 * is one empty line. */
size_t text_wrap(const char *clean, size_t len, int cols, wrap_line *out, size_t max);

#endif
