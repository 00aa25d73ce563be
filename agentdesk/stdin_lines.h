/* stdin_lines.h — the command lines of a --linear front: what stdin holds, cut at newlines,
 * each whole line handed to the front; a line longer than the buffer is dropped whole (the
 * front says so), never run in pieces. */
#ifndef AGENTDESK_STDIN_LINES_H
#define AGENTDESK_STDIN_LINES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct app app;

typedef struct {
    char *buf;          /* the caller's; cap bytes */
    size_t cap, len;
    bool overlong;      /* the line being read has outgrown buf */
} stdin_lines;

/* run(ud, line) for each whole line, run(ud, NULL) for a line that was too long. */
typedef void (*stdin_line_fn)(void *ud, char *line);

typedef enum {
    STDIN_LINES_WAIT,   /* everything pending was read */
    STDIN_LINES_END,    /* end of input (or a read error): the front decides what that means */
    STDIN_LINES_QUIT    /* a line made the app quit: stop reading */
} stdin_lines_result;

/* Reads everything pending on a->stdin_fd (non-blocking). */
stdin_lines_result stdin_lines_read(app *a, stdin_lines *in, stdin_line_fn run, void *ud);

/* The unfinished last line at the end of input, run once; false when there is none. */
bool stdin_lines_flush(stdin_lines *in, stdin_line_fn run, void *ud);

#endif
