/* agent_drafts.c — half-written lines kept per interaction, and their file. */
#include "agentdesk/agent_drafts.h"
#include "base/mem.h"
#include "agentdesk/state.h"
#include "proto/catalogue.h"
#include "base/text.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void drop(agent_drafts *ds, size_t i)
{
    free(ds->d[i].iid);
    free(ds->d[i].text);
    /* keep the order: the oldest is first, and goes first when the set is full */
    memmove(&ds->d[i], &ds->d[i + 1], (ds->n - i - 1) * sizeof *ds->d);
    ds->n--;
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
    if (ds->n >= AGENT_DRAFTS_MAX) drop(ds, 0);
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
    free(ds->path);
    ds->d = NULL;
    ds->path = NULL;
}

/* our own file, but read back as any input is: clean, bounded text only */
static void read_draft(void *ctx, char *line, size_t len)
{
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
    const char *iid = json_string_value(json_object_get(o, "iid"));
    const char *text = json_string_value(json_object_get(o, "text"));
    if (iid && text && strlen(iid) <= PROTO_MAX_ID && text_is_clean(iid, strlen(iid), 0) &&
        strlen(text) <= PROTO_MAX_LONGTEXT && text_is_clean(text, strlen(text), 0))
        agent_drafts_put(ctx, iid, text, json_is_true(json_object_get(o, "note")));
    json_decref(o);
}

bool agent_drafts_open(agent_drafts *ds, const char *path, char *err, size_t errlen)
{
    free(ds->path);
    ds->path = path ? mem_strdup(path) : NULL;
    return !path || state_read_lines(path, read_draft, ds, err, errlen);
}

bool agent_drafts_save(const agent_drafts *ds, char *err, size_t errlen)
{
    if (!ds->path) return true;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    bool ok = f != NULL;
    for (size_t i = 0; ok && i < ds->n; i++) {
        json_t *o = json_pack("{s:s, s:s, s:b}", "iid", ds->d[i].iid, "text", ds->d[i].text,
                              "note", ds->d[i].note);
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        ok = s && fprintf(f, "%s\n", s) > 0;
        free(s);
        json_decref(o);
    }
    if (f) ok = fclose(f) == 0 && ok;
    if (!ok) errno = ENOMEM;
    ok = ok && state_replace(ds->path, text, len);
    if (!ok) snprintf(err, errlen, "%s: %s", ds->path, strerror(errno));
    free(text);
    return ok;
}
