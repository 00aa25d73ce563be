/* frame.c — reference-counted frames with headroom for the transport. */
#include "hub/core/frame.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

shared_frame *shared_frame_new(const char *data, size_t len, int64_t seq)
{
    /* one allocation: a restart makes hundreds of thousands of them */
    shared_frame *f = mem_alloc(sizeof *f + FRAME_HEADROOM + len + 1);
    unsigned char *buf = (unsigned char *)(f + 1);
    memcpy(buf + FRAME_HEADROOM, data, len);
    buf[FRAME_HEADROOM + len] = 0;
    f->refs = 1;
    f->seq = seq;
    f->ingest_us = 0;
    f->len = len;
    f->kind = 0;
    f->buf = buf;
    return f;
}

shared_frame *shared_frame_ref(shared_frame *f)
{
    if (f)
        f->refs++;
    return f;
}

void shared_frame_unref(shared_frame *f)
{
    if (f && --f->refs == 0)
        free(f);
}

char *shared_frame_data(const shared_frame *f)
{
    return (char *)f->buf + FRAME_HEADROOM;
}
