/* frame.c — reference-counted frames with headroom for the transport. */
#include "hub/core/frame.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

server_frame *server_frame_new(const char *data, size_t len, int64_t seq)
{
    server_frame *f = mem_alloc(sizeof *f);
    unsigned char *buf = mem_alloc(FRAME_HEADROOM + len + 1);
    memcpy(buf + FRAME_HEADROOM, data, len);
    buf[FRAME_HEADROOM + len] = 0;
    f->refs = 1;
    f->seq = seq;
    f->ingest_us = 0;
    f->len = len;
    f->buf = buf;
    return f;
}

server_frame *server_frame_ref(server_frame *f)
{
    if (f)
        f->refs++;
    return f;
}

void server_frame_unref(server_frame *f)
{
    if (f && --f->refs == 0) {
        free(f->buf);
        free(f);
    }
}

char *server_frame_data(const server_frame *f)
{
    return (char *)f->buf + FRAME_HEADROOM;
}
