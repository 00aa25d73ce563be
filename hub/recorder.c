/* recorder.c — JSONL recordings, one open FILE per live interaction. */
#include "hub/recorder.h"
#include "hub/hubcli.h"
#include "hub/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct recorder_file {
    FILE *fp;
    bool dirty;
    recorder_file *next_dirty;
};

struct recorder {
    char *dir;
    recorder_file *dirty;
};

recorder *recorder_open(const char *dir, char *err, size_t errlen)
{
    if (hubcli_mkdirs(dir) != 0) {
        snprintf(err, errlen, "cannot create record directory %.200s: %s", dir, strerror(errno));
        return NULL;
    }
    recorder *r = xalloc_calloc(1, sizeof *r);
    r->dir = xalloc_strdup(dir);
    return r;
}

void recorder_close(recorder *r)
{
    if (!r)
        return;
    recorder_flush(r);
    free(r->dir);
    free(r);
}

const char *recorder_dir(const recorder *r)
{
    return r->dir;
}

char *recorder_path(const recorder *r, const char *iid)
{
    size_t n = strlen(r->dir) + 3 * strlen(iid) + 16;
    char *p = xalloc_malloc(n);
    size_t o = (size_t)snprintf(p, n, "%s/", r->dir);
    for (size_t i = 0; iid[i]; i++) {
        unsigned char ch = (unsigned char)iid[i];
        bool safe = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || (ch == '.' && i > 0);
        if (safe)
            p[o++] = (char)ch;
        else
            o += (size_t)snprintf(p + o, n - o, "%%%02X", ch);
    }
    snprintf(p + o, n - o, ".jsonl");
    return p;
}

recorder_file *recorder_begin(recorder *r, const char *iid, const char *channel, const char *queue,
                              const char *agent, int64_t started_ms)
{
    char *path = recorder_path(r, iid);
    FILE *fp = fopen(path, "a");
    free(path);
    if (!fp)
        return NULL;
    recorder_file *f = xalloc_calloc(1, sizeof *f);
    f->fp = fp;
    if (ftell(fp) == 0) {
        json_t *h = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:I}", "format", "agentdesk.recording",
                              "version", 1, "iid", iid, "channel", channel, "queue", queue,
                              "agent", agent, "started_ms", (json_int_t)started_ms);
        char *line = h ? json_dumps(h, JSON_COMPACT) : NULL;
        if (line) {
            fputs(line, fp);
            fputc('\n', fp);
            free(line);
        }
        json_decref(h);
        fflush(fp);
    }
    return f;
}

void recorder_write(recorder *r, recorder_file *f, const char *line, size_t len)
{
    if (!f)
        return;
    fwrite(line, 1, len, f->fp);
    fputc('\n', f->fp);
    if (!f->dirty) {
        f->dirty = true;
        f->next_dirty = r->dirty;
        r->dirty = f;
    }
}

void recorder_flush(recorder *r)
{
    for (recorder_file *f = r->dirty; f; f = f->next_dirty) {
        fflush(f->fp);
        f->dirty = false;
    }
    r->dirty = NULL;
}

void recorder_finish(recorder *r, recorder_file *f)
{
    if (!f)
        return;
    if (f->dirty) {
        recorder_file **pp = &r->dirty;
        while (*pp && *pp != f)
            pp = &(*pp)->next_dirty;
        if (*pp)
            *pp = f->next_dirty;
    }
    fclose(f->fp);
    free(f);
}

/* The last line of fp (at most the last 64 KiB), parsed; NULL if it is not JSON. */
static json_t *last_line(FILE *fp)
{
    if (fseek(fp, 0, SEEK_END) != 0)
        return NULL;
    long size = ftell(fp);
    long from = size > 65536 ? size - 65536 : 0;
    if (fseek(fp, from, SEEK_SET) != 0)
        return NULL;
    size_t want = (size_t)(size - from);
    char *buf = xalloc_malloc(want + 1);
    size_t got = fread(buf, 1, want, fp);
    buf[got] = 0;
    while (got > 0 && buf[got - 1] == '\n')
        buf[--got] = 0;
    char *nl = strrchr(buf, '\n');
    json_t *j = json_loads(nl ? nl + 1 : buf, 0, NULL);
    free(buf);
    return j;
}

static int by_start_desc(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "started_ms"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "started_ms"));
    return x < y ? 1 : x > y ? -1 : 0;
}

json_t *recorder_list(const recorder *r, size_t max, int64_t now_ms)
{
    json_t *all = json_array();
    DIR *d = opendir(r->dir);
    if (!d)
        return all;
    struct dirent *de;
    size_t n = 0, cap = 0;
    json_t **items = NULL;
    while ((de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        if (nl < 7 || strcmp(de->d_name + nl - 6, ".jsonl") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", r->dir, de->d_name);
        FILE *fp = fopen(path, "r");
        if (!fp)
            continue;
        char head[4096];
        json_t *h = fgets(head, sizeof head, fp) ? json_loads(head, 0, NULL) : NULL;
        const char *fmt = json_string_value(json_object_get(h, "format"));
        if (!h || !fmt || strcmp(fmt, "agentdesk.recording") != 0) {
            json_decref(h);
            fclose(fp);
            continue;
        }
        int64_t started = json_integer_value(json_object_get(h, "started_ms"));
        int64_t duration = now_ms - started;
        json_t *last = last_line(fp);
        const char *type = json_string_value(json_object_get(last, "type"));
        if (type && strcmp(type, "interaction.ended") == 0)
            duration = json_integer_value(json_object_get(last, "ended_ms")) - started;
        json_decref(last);
        fclose(fp);
        json_t *item = json_pack("{s:O, s:O, s:O, s:O, s:I, s:I}", "iid", json_object_get(h, "iid"),
                                 "channel", json_object_get(h, "channel"), "queue",
                                 json_object_get(h, "queue"), "agent", json_object_get(h, "agent"),
                                 "started_ms", (json_int_t)started, "duration_ms",
                                 (json_int_t)(duration < 0 ? 0 : duration));
        json_decref(h);
        if (!item)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            items = xalloc_realloc(items, cap * sizeof *items);
        }
        items[n++] = item;
    }
    closedir(d);
    if (n)
        qsort(items, n, sizeof *items, by_start_desc);
    for (size_t i = 0; i < n; i++) {
        if (i < max)
            json_array_append(all, items[i]);
        json_decref(items[i]);
    }
    free(items);
    return all;
}

int recorder_read(const recorder *r, const char *iid,
                  int (*fn)(void *ctx, const char *line, size_t len), void *ctx)
{
    char *path = recorder_path(r, iid);
    FILE *fp = fopen(path, "r");
    free(path);
    if (!fp)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int rc = 0;
    while ((got = getline(&line, &cap, fp)) >= 0) {
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = 0;
        if (got == 0)
            continue;
        if ((rc = fn(ctx, line, (size_t)got)) != 0)
            break;
    }
    free(line);
    fclose(fp);
    return rc < 0 ? rc : 0;
}
