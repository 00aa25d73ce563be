/* agent_drafts.c — half-written lines kept per interaction. */
#include "agentdesk/agent_drafts.h"
#include "agentdesk/mem.h"

#include <stdlib.h>
#include <string.h>

static void drop(agent_drafts *ds, size_t i)
{
    free(ds->d[i].iid);
    free(ds->d[i].text);
    ds->d[i] = ds->d[--ds->n];
}

static size_t find(const agent_drafts *ds, const char *iid)
{
    for (size_t i = 0; i < ds->n; i++)
        if (strcmp(ds->d[i].iid, iid) == 0) return i;
    return ds->n;
}

void agent_drafts_put(agent_drafts *ds, const char *iid, const char *text, bool note)
{
    if (!iid) return;
    size_t i = find(ds, iid);
    if (i < ds->n) drop(ds, i);
    if (!text || !*text) return;
    ds->d = mem_realloc(ds->d, (ds->n + 1) * sizeof *ds->d);
    ds->d[ds->n++] = (struct agent_draft){mem_strdup(iid), mem_strdup(text), note};
}

bool agent_drafts_take(agent_drafts *ds, const char *iid, char **text, bool *note)
{
    size_t i = iid ? find(ds, iid) : ds->n;
    if (i == ds->n) return false;
    *text = ds->d[i].text;
    *note = ds->d[i].note;
    ds->d[i].text = NULL;
    drop(ds, i);
    return true;
}

void agent_drafts_free(agent_drafts *ds)
{
    while (ds->n) drop(ds, ds->n - 1);
    free(ds->d);
    ds->d = NULL;
}
