/* server_frame.c — reference-counted, lws-ready frames. */
#include "hub/net/server_frame.h"
#include "base/mem.h"

#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

server_frame *server_frame_new(const char *data, size_t len, int64_t seq)
{
    server_frame *f = mem_alloc(sizeof *f);
    unsigned char *buf = mem_alloc(LWS_PRE + len + 1);
    memcpy(buf + LWS_PRE, data, len);
    buf[LWS_PRE + len] = 0;
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
    return (char *)f->buf + LWS_PRE;
}
