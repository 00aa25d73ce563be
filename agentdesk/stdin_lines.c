/* stdin_lines.c — see stdin_lines.h. */
#include "agentdesk/stdin_lines.h"
#include "agentdesk/app.h"

#include <errno.h>
#include <unistd.h>

stdin_lines_result stdin_lines_read(app *a, stdin_lines *in, stdin_line_fn run, void *ud)
{
    char chunk[4096];
    for (;;) {
        ssize_t r = read(a->stdin_fd, chunk, sizeof chunk);
        if (r == 0) return STDIN_LINES_END;
        if (r < 0) {
            if (errno == EINTR) continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? STDIN_LINES_WAIT : STDIN_LINES_END;
        }
        for (ssize_t i = 0; i < r; i++) {
            if (chunk[i] == '\n') {
                in->buf[in->len] = 0;
                run(ud, in->overlong ? NULL : in->buf);
                in->len = 0;
                in->overlong = false;
                if (a->quit) return STDIN_LINES_QUIT;
            } else if (in->len + 1 < in->cap) {
                in->buf[in->len++] = chunk[i];
            } else {
                in->overlong = true;
            }
        }
    }
}

bool stdin_lines_flush(stdin_lines *in, stdin_line_fn run, void *ud)
{
    if (!in->len || in->overlong) return false;
    in->buf[in->len] = 0;
    in->len = 0;
    run(ud, in->buf);
    return true;
}
