/* line_history.c — per-interaction histories of the input line (see line_history.h). */
#include "agentdesk/line_history.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

static void clear_slot(struct line_history_slot *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->lines[i]);
    free(s->iid);
    memset(s, 0, sizeof *s);
}

static struct line_history_slot *find(line_history *h, const char *iid)
{
    for (size_t i = 0; i < LINE_HISTORY_IIDS; i++)
        if (h->slot[i].iid && strcmp(h->slot[i].iid, iid) == 0)
            return &h->slot[i];
    return NULL;
}

void line_history_stash(line_history *h, const char *iid, inputline *il)
{
    char *lines[INPUTLINE_HISTORY_MAX];
    size_t n = inputline_history_take(il, lines, INPUTLINE_HISTORY_MAX);
    if (!iid || n == 0) {
        for (size_t i = 0; i < n; i++)
            free(lines[i]);
        return;
    }
    struct line_history_slot *s = find(h, iid);
    if (!s) {   /* a free slot, else the least recently stashed */
        s = &h->slot[0];
        for (size_t i = 0; i < LINE_HISTORY_IIDS && s->iid; i++)
            if (!h->slot[i].iid || h->slot[i].used < s->used)
                s = &h->slot[i];
    }
    clear_slot(s);
    s->iid = mem_strdup(iid);
    memcpy(s->lines, lines, n * sizeof *lines);
    s->n = n;
    s->used = ++h->clock;
}

void line_history_load(line_history *h, const char *iid, inputline *il)
{
    struct line_history_slot *s = iid ? find(h, iid) : NULL;
    if (!s) {
        inputline_history_give(il, NULL, 0);
        return;
    }
    inputline_history_give(il, s->lines, s->n);
    s->n = 0;   /* the line owns them now */
    clear_slot(s);
}

void line_history_free(line_history *h)
{
    for (size_t i = 0; i < LINE_HISTORY_IIDS; i++)
        clear_slot(&h->slot[i]);
}
