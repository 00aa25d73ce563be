/* edit.h — pure editing of a UTF-8 buffer by character and display width, shared by the
 * input line and the text area. A "character" is a code point plus the zero-width code
 * points (combining marks) that follow it, so the cursor never lands inside one.
 * Buffers hold clean text (no byte < 0x20 except '\n' in text areas). */
#ifndef AGENTDESK_WIDGETS_EDIT_H
#define AGENTDESK_WIDGETS_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct edit_buf {
    char *s;          /* NUL-terminated */
    size_t len;       /* bytes */
    size_t cap;       /* allocated */
    size_t max;       /* byte limit of the content */
    size_t cur;       /* cursor byte offset, always at a character boundary */
} edit_buf;

void edit_init(edit_buf *b, size_t max_bytes);
void edit_free(edit_buf *b);
/* Replaces the content, passed through text_clean (TEXT_KEEP_NEWLINES when allow_newline,
 * else newlines become spaces), cursor at the end. Cut at max bytes on a character boundary. */
void edit_set(edit_buf *b, const char *text, bool allow_newline);
/* Inserts one code point at the cursor; false when refused: anything text_clean would
 * replace (controls, bidi overrides, invalid), or the buffer is full. */
bool edit_insert_cp(edit_buf *b, uint32_t cp, bool allow_newline);
/* Inserts text (a paste, a suggestion) through text_clean; false when cut short. */
bool edit_insert(edit_buf *b, const char *text, bool allow_newline);
size_t edit_prev(const edit_buf *b, size_t pos);   /* start of the character before pos */
size_t edit_next(const edit_buf *b, size_t pos);   /* end of the character at pos */
bool edit_backspace(edit_buf *b);
bool edit_delete(edit_buf *b);
bool edit_left(edit_buf *b);
bool edit_right(edit_buf *b);
void edit_home(edit_buf *b);                        /* start of the current line */
void edit_end(edit_buf *b);                         /* end of the current line */
bool edit_kill_word_back(edit_buf *b);              /* Ctrl-W: spaces then a word */
bool edit_kill_to_start(edit_buf *b);               /* Ctrl-U (current line) */
bool edit_kill_to_end(edit_buf *b);                 /* Ctrl-K (current line) */
/* Display width of bytes [from, to). */
int edit_width(const edit_buf *b, size_t from, size_t to);

#endif
