/* recorder_index.c — the `recordings` table: one row per recording, written when it is
 * opened and closed, paged for recordings.list; rebuilt from the files only at start. */
#include "hub/core/recorder_index.h"
#include "base/logfile.h"
#include "base/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SCAN_CHUNK = 65536, LINE_PARSE_MAX = 65536 };

static const char *const index_sql[RIX__COUNT] = {
    [RIX_PUT] =
        "INSERT INTO recordings(iid, file, channel, queue, agent, started_ms, ended_ms, events,"
        " bytes, complete, sent_first, sent_low, sent_last, flags, severe_flags)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, NULLIF(?7, 0), ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
        " ON CONFLICT(iid) DO UPDATE SET file = excluded.file, channel = excluded.channel,"
        " queue = excluded.queue, agent = excluded.agent, started_ms = excluded.started_ms,"
        " ended_ms = excluded.ended_ms, events = excluded.events, bytes = excluded.bytes,"
        " complete = excluded.complete, sent_first = excluded.sent_first, sent_low = excluded.sent_low,"
        " sent_last = excluded.sent_last, flags = excluded.flags, severe_flags = excluded.severe_flags",
    [RIX_UPDATE] = "UPDATE recordings SET ended_ms = NULLIF(?2, 0), events = ?3, bytes = ?4,"
                   " complete = ?5, sent_first = ?6, sent_low = ?7, sent_last = ?8, flags = ?9,"
                   " severe_flags = ?10 WHERE iid = ?1",
    [RIX_FIND] = "SELECT file, complete, bytes, events, sent_first, sent_low, sent_last, flags, severe_flags"
                 " FROM recordings WHERE iid = ?1",
    [RIX_PAGE] = "SELECT n, iid, channel, queue, agent, started_ms, ended_ms, events, bytes, complete"
                 " FROM recordings WHERE n < ?1 ORDER BY n DESC LIMIT ?2",
};

int recorder_index_open(recorder_index *x, sqlite3 *db, char *err, size_t errlen)
{
    memset(x, 0, sizeof *x);
    x->db = db;
    for (int i = 0; i < RIX__COUNT; i++)
        if (sqlite3_prepare_v3(db, index_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &x->st[i], NULL) != SQLITE_OK) {
            snprintf(err, errlen, "recordings index: %s", sqlite3_errmsg(db));
            return -1;
        }
    return 0;
}

void recorder_index_close(recorder_index *x)
{
    for (int i = 0; i < RIX__COUNT; i++)
        sqlite3_finalize(x->st[i]);
    memset(x->st, 0, sizeof x->st);
}

static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The outcome's five columns from `at`; the sentiments are NULL until one was scored. */
static void bind_outcome(sqlite3_stmt *st, int at, const recorder_outcome *o)
{
    if (o->scored) {
        sqlite3_bind_double(st, at, o->first);
        sqlite3_bind_double(st, at + 1, o->low);
        sqlite3_bind_double(st, at + 2, o->last);
    } else {
        for (int i = 0; i < 3; i++)
            sqlite3_bind_null(st, at + i);
    }
    sqlite3_bind_int64(st, at + 3, o->flags);
    sqlite3_bind_int64(st, at + 4, o->severe_flags);
}

int recorder_index_put(recorder_index *x, const recorder_row *row)
{
    sqlite3_stmt *st = x->st[RIX_PUT];
    const char *texts[] = {row->iid, row->file, row->channel, row->queue, row->agent};
    for (int i = 0; i < 5; i++)
        sqlite3_bind_text(st, i + 1, texts[i] ? texts[i] : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, row->started_ms);
    sqlite3_bind_int64(st, 7, row->ended_ms);
    sqlite3_bind_int64(st, 8, row->events);
    sqlite3_bind_int64(st, 9, row->bytes);
    sqlite3_bind_int(st, 10, row->complete);
    bind_outcome(st, 11, &row->outcome);
    return step_done(st);
}

int recorder_index_update(recorder_index *x, const recorder_row *row)
{
    sqlite3_stmt *st = x->st[RIX_UPDATE];
    sqlite3_bind_text(st, 1, row->iid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->ended_ms);
    sqlite3_bind_int64(st, 3, row->events);
    sqlite3_bind_int64(st, 4, row->bytes);
    sqlite3_bind_int(st, 5, row->complete);
    bind_outcome(st, 6, &row->outcome);
    return step_done(st);
}

/* The outcome's five columns from `at` (bind_outcome's inverse). */
static void column_outcome(sqlite3_stmt *st, int at, recorder_outcome *o)
{
    o->scored = sqlite3_column_type(st, at) != SQLITE_NULL;
    o->first = o->scored ? sqlite3_column_double(st, at) : 0;
    o->low = o->scored ? sqlite3_column_double(st, at + 1) : 0;
    o->last = o->scored ? sqlite3_column_double(st, at + 2) : 0;
    o->flags = sqlite3_column_int64(st, at + 3);
    o->severe_flags = sqlite3_column_int64(st, at + 4);
}

bool recorder_index_find(recorder_index *x, const char *iid, char **file, bool *complete,
                         recorder_counts *counts)
{
    sqlite3_stmt *st = x->st[RIX_FIND];
    sqlite3_bind_text(st, 1, iid, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        *file = mem_strdup((const char *)sqlite3_column_text(st, 0));
        *complete = sqlite3_column_int(st, 1) != 0;
        if (counts) {
            counts->bytes = sqlite3_column_int64(st, 2);
            counts->events = sqlite3_column_int64(st, 3);
            column_outcome(st, 4, &counts->outcome);
        }
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}

json_t *recorder_index_item(sqlite3_stmt *st, int64_t now_ms)
{
    int64_t started = sqlite3_column_int64(st, 5);
    bool ended = sqlite3_column_type(st, 6) != SQLITE_NULL;
    int64_t duration = (ended ? sqlite3_column_int64(st, 6) : now_ms) - started;
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:I, s:I, s:b}",
                     "iid", (const char *)sqlite3_column_text(st, 1),
                     "channel", (const char *)sqlite3_column_text(st, 2),
                     "queue", (const char *)sqlite3_column_text(st, 3),
                     "agent", (const char *)sqlite3_column_text(st, 4),
                     "started_ms", (json_int_t)started,
                     "duration_ms", (json_int_t)(duration < 0 ? 0 : duration),
                     "ended", ended,
                     "events", (json_int_t)sqlite3_column_int64(st, 7),
                     "bytes", (json_int_t)sqlite3_column_int64(st, 8),
                     "complete", sqlite3_column_int(st, 9) != 0);
}

bool recorder_index_fit(json_t *items, json_t *item, size_t *bytes, size_t max_bytes)
{
    char *text = json_dumps(item, JSON_COMPACT);
    size_t len = text ? strlen(text) + 1 : 0;
    free(text);
    if (json_array_size(items) > 0 && *bytes + len > max_bytes) {
        json_decref(item);
        return false;
    }
    *bytes += len;
    json_array_append_new(items, item);
    return true;
}

json_t *recorder_index_page(recorder_index *x, int64_t before, size_t limit, size_t max_bytes,
                            int64_t now_ms, int64_t *next)
{
    sqlite3_stmt *st = x->st[RIX_PAGE];
    sqlite3_bind_int64(st, 1, before > 0 ? before : INT64_MAX);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit + 1); /* one more tells whether a page follows */
    json_t *items = json_array();
    size_t bytes = 0;
    int64_t last = 0;
    *next = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t n = sqlite3_column_int64(st, 0);
        if (json_array_size(items) == limit) {
            *next = last;
            break;
        }
        json_t *item = recorder_index_item(st, now_ms);
        if (!item) /* text that is not UTF-8 (an index built from a foreign file) */
            continue;
        if (!recorder_index_fit(items, item, &bytes, max_bytes)) {
            *next = last;
            break;
        }
        last = n;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return items;
}

/* ---- scanning files (start only) ---- */

static json_t *parse_range(int fd, int64_t from, int64_t to)
{
    if (to <= from || to - from > LINE_PARSE_MAX)
        return NULL;
    size_t n = (size_t)(to - from);
    char *buf = mem_alloc(n);
    json_t *j = pread(fd, buf, n, from) == (ssize_t)n ? json_loadb(buf, n, 0, NULL) : NULL;
    free(buf);
    return j;
}

/* The line [from, to) of a file read in chunks, `buf` holding the bytes from `off`: its start
 * is looked at where it is (read again when it began in an earlier chunk), and the line read
 * whole only when it moves the outcome. */
static void note_outcome(int fd, const char *buf, int64_t off, int64_t from, int64_t to, recorder_outcome *o)
{
    char head[RECORDER_OUTCOME_PREFIX];
    size_t hn = (size_t)(to - from < RECORDER_OUTCOME_PREFIX ? to - from : RECORDER_OUTCOME_PREFIX);
    const char *start = head;
    if (from >= off)
        start = buf + (from - off);
    else if (pread(fd, head, hn, from) != (ssize_t)hn)
        return;
    if (!recorder_outcome_wants(start, hn) || to - from > LINE_PARSE_MAX)
        return;
    size_t n = (size_t)(to - from);
    char *line = mem_alloc(n);
    if (pread(fd, line, n, from) == (ssize_t)n)
        recorder_outcome_note(o, line, n);
    free(line);
}

int recorder_scan(int fd, recorder_scan_result *out)
{
    memset(out, 0, sizeof *out);
    char *buf = mem_alloc(SCAN_CHUNK);
    int64_t off = 0, first_nl = -1, last_nl = -1, prev_nl = -1;
    for (;;) {
        ssize_t got = pread(fd, buf, SCAN_CHUNK, off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            free(buf);
            return -1;
        }
        if (got == 0)
            break;
        for (char *p = buf, *end = buf + got; (p = memchr(p, '\n', (size_t)(end - p))); p++) {
            int64_t at = off + (p - buf);
            if (first_nl >= 0)
                note_outcome(fd, buf, off, last_nl + 1, at, &out->outcome);
            if (first_nl < 0)
                first_nl = at;
            prev_nl = last_nl;
            last_nl = at;
            out->lines++;
        }
        off += got;
    }
    free(buf);
    out->whole_bytes = last_nl + 1;
    out->torn = off > out->whole_bytes;
    if (first_nl >= 0)
        out->head = parse_range(fd, 0, first_nl);
    if (out->lines > 1) {
        json_t *last = parse_range(fd, prev_nl + 1, last_nl);
        const char *type = json_string_value(json_object_get(last, "type"));
        if (type && strcmp(type, "interaction.ended") == 0)
            out->ended_ms = json_integer_value(json_object_get(last, "ended_ms"));
        json_decref(last);
    }
    return 0;
}

typedef struct {
    char *iid, *file, *channel, *queue, *agent;
    recorder_scan_result sc;
    int64_t started_ms;
} found_file;

static int by_start(const void *a, const void *b)
{
    const found_file *x = a, *y = b;
    if (x->started_ms != y->started_ms)
        return x->started_ms < y->started_ms ? -1 : 1;
    return strcmp(x->iid, y->iid);
}

static char *head_str(json_t *head, const char *key)
{
    const char *v = json_string_value(json_object_get(head, key));
    return mem_strdup(v ? v : "");
}

/* A recording file of `dir`, read for the index; false when it is not one. */
static bool read_file(const char *dir, const char *name, found_file *out)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    memset(out, 0, sizeof *out);
    bool ok = recorder_scan(fd, &out->sc) == 0;
    close(fd);
    const char *fmt = json_string_value(json_object_get(out->sc.head, "format"));
    const char *iid = json_string_value(json_object_get(out->sc.head, "iid"));
    if (!ok || !fmt || strcmp(fmt, "agentdesk.recording") != 0 || !iid || !iid[0]) {
        json_decref(out->sc.head);
        return false;
    }
    out->iid = head_str(out->sc.head, "iid");
    out->channel = head_str(out->sc.head, "channel");
    out->queue = head_str(out->sc.head, "queue");
    out->agent = head_str(out->sc.head, "agent");
    out->started_ms = json_integer_value(json_object_get(out->sc.head, "started_ms"));
    out->file = mem_strdup(name);
    json_decref(out->sc.head);
    out->sc.head = NULL;
    return true;
}

static int exec(sqlite3 *db, const char *sql, const char *arg)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static char *indexed_dir(sqlite3 *db)
{
    sqlite3_stmt *st;
    char *v = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'recordings_dir'", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = mem_strdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    return v;
}

static void put_found(recorder_index *x, const found_file *f)
{
    recorder_row row = {.iid = f->iid, .file = f->file, .channel = f->channel, .queue = f->queue,
                        .agent = f->agent, .started_ms = f->started_ms, .ended_ms = f->sc.ended_ms,
                        .events = f->sc.lines > 0 ? f->sc.lines - 1 : 0,
                        .bytes = f->sc.whole_bytes, .complete = !f->sc.torn, .outcome = f->sc.outcome};
    if (recorder_index_put(x, &row) != 0)
        logfile_write("recordings index: %s: %s", f->file, sqlite3_errmsg(x->db));
}

static void free_found(found_file *f)
{
    free(f->iid);
    free(f->file);
    free(f->channel);
    free(f->queue);
    free(f->agent);
}

/* The recordings still open when the hub last stopped (kill -9 included): their rows were
 * written at open, so recount them from their files. */
/* Whether the recording `name` is what its unfinished row says, so a recount would write
 * the row again unchanged: the row is of a complete recording (a failed one's outcome counts
 * lines the file lost), the file is as long as the row's bytes (rows are written with the
 * counts of whole files, so appended lines or a torn tail make it longer), and its last line
 * is not an interaction's end (which a recount reads into ended_ms; a row written when a
 * file was reopened does not have it). Looking costs a stat and one read of the file's end,
 * where a recount reads all of it. */
static bool row_current(const char *dir, const char *name, int64_t bytes, bool complete)
{
    char path[PATH_MAX];
    if (!complete || bytes <= 0 || snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    char tail[4096];
    bool current = false;
    if (fstat(fd, &st) == 0 && st.st_size == bytes) {
        size_t n = bytes < (int64_t)sizeof tail ? (size_t)bytes : sizeof tail;
        if (pread(fd, tail, n, bytes - (int64_t)n) == (ssize_t)n && tail[n - 1] == '\n') {
            const char *start = memrchr(tail, '\n', n - 1);
            /* the last line whole in the tail (or the file's only line) */
            if (start || (int64_t)n == bytes) {
                start = start ? start + 1 : tail;
                static const char end_type[] = "interaction.ended";
                current = !memmem(start, (size_t)(tail + n - start), end_type, sizeof end_type - 1);
            }
        }
    }
    close(fd);
    return current;
}

static void refresh_unfinished(recorder_index *x, const char *dir)
{
    sqlite3_stmt *st, *u = NULL; /* `complete AND`: keep a write failure the row already says */
    if (sqlite3_prepare_v2(x->db, "SELECT file, bytes, complete FROM recordings WHERE ended_ms IS NULL", -1, &st,
                           NULL) != SQLITE_OK)
        return;
    if (sqlite3_prepare_v2(x->db, "UPDATE recordings SET ended_ms = NULLIF(?2, 0), events = ?3,"
                                  " bytes = ?4, complete = complete AND ?5, sent_first = ?6,"
                                  " sent_low = ?7, sent_last = ?8, flags = ?9, severe_flags = ?10"
                                  " WHERE iid = ?1",
                           -1, &u, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return;
    }
    /* one transaction: a row each would be a commit each */
    bool batch = exec(x->db, "BEGIN IMMEDIATE", NULL) == 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        found_file f;
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!name || row_current(dir, name, sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2) != 0) ||
            !read_file(dir, name, &f))
            continue;
        recorder_row row = {.iid = f.iid, .ended_ms = f.sc.ended_ms,
                            .events = f.sc.lines > 0 ? f.sc.lines - 1 : 0,
                            .bytes = f.sc.whole_bytes, .complete = !f.sc.torn, .outcome = f.sc.outcome};
        sqlite3_bind_text(u, 1, row.iid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(u, 2, row.ended_ms);
        sqlite3_bind_int64(u, 3, row.events);
        sqlite3_bind_int64(u, 4, row.bytes);
        sqlite3_bind_int(u, 5, row.complete);
        bind_outcome(u, 6, &row.outcome);
        step_done(u);
        free_found(&f);
    }
    sqlite3_finalize(u);
    sqlite3_finalize(st);
    if (batch && exec(x->db, "COMMIT", NULL) != 0) {
        logfile_write("recordings index: unfinished recordings not recounted: %s", sqlite3_errmsg(x->db));
        exec(x->db, "ROLLBACK", NULL);
    }
}

int recorder_index_sync_dir(recorder_index *x, const char *dir, char *err, size_t errlen)
{
    char real[PATH_MAX];
    if (!realpath(dir, real)) {
        snprintf(err, errlen, "record directory %.200s: %s", dir, strerror(errno));
        return -1;
    }
    char *was = indexed_dir(x->db);
    bool same = was && strcmp(was, real) == 0;
    free(was);
    if (same) {
        refresh_unfinished(x, real);
        return 0;
    }
    DIR *d = opendir(real);
    if (!d) {
        snprintf(err, errlen, "cannot read record directory %.200s: %s", real, strerror(errno));
        return -1;
    }
    found_file *files = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t nl = strlen(de->d_name);
        if (nl < 7 || strcmp(de->d_name + nl - 6, ".jsonl") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            files = mem_realloc(files, cap * sizeof *files);
        }
        if (read_file(real, de->d_name, &files[n]))
            n++;
    }
    closedir(d);
    /* the cursor follows insertion: the oldest recordings get the lowest */
    if (n)
        qsort(files, n, sizeof *files, by_start);
    int rc = exec(x->db, "BEGIN IMMEDIATE", NULL);
    if (rc == 0)
        rc = exec(x->db, "DELETE FROM recordings", NULL);
    for (size_t i = 0; rc == 0 && i < n; i++)
        put_found(x, &files[i]);
    if (rc == 0)
        rc = exec(x->db, "INSERT OR REPLACE INTO meta(key, value) VALUES('recordings_dir', ?1)", real);
    if (rc == 0)
        rc = exec(x->db, "COMMIT", NULL);
    if (rc != 0) {
        snprintf(err, errlen, "cannot index the record directory %.200s: %s", real, sqlite3_errmsg(x->db));
        exec(x->db, "ROLLBACK", NULL);
    } else if (n)
        logfile_write("indexed %zu recordings found in %s", n, real);
    for (size_t i = 0; i < n; i++)
        free_found(&files[i]);
    free(files);
    return rc;
}
