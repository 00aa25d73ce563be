/* recorder.c — JSONL recordings: one descriptor and one line buffer per live interaction,
 * written with write(2) so that every byte that reached the file is known, and a cut at the
 * last whole line when a write fails (see recorder.h). */
#include "hub/core/recorder.h"
#include "hub/core/recorder_index.h"
#include "base/fdio.h"
#include "hub/core/metrics.h"
#include "base/logfile.h"
#include "hub/store/store.h"
#include "base/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct recorder_file {
    int fd;                /* -1: could not be opened */
    char *iid, *name, *channel, *queue, *agent;
    int64_t started_ms;
    char *buf;             /* lines appended and not yet written */
    size_t len, cap;
    int64_t pending;       /* lines in buf */
    int64_t good;          /* bytes in the file, ending at a whole line */
    int64_t events;        /* lines after the header in the file */
    int64_t ended_ms;      /* set by the interaction.ended line */
    recorder_outcome outcome;
    bool complete;         /* no line was lost and no tail was torn */
    bool failed;           /* a write failed: nothing more is written */
    int64_t lost;          /* lines dropped since the failure */
    bool dirty;
    recorder_file *next_dirty;
};

struct recorder {
    char *dir;
    recorder_index index;
    recorder_file *dirty;
    uint64_t write_errors;
    bool failing;
    char last_error[256];
};

struct recorder_reader {
    FILE *fp;
    int64_t left;          /* bytes still to read: the file's size when opened */
    char *line;
    size_t cap;
    bool torn;
    bool complete;         /* the index's flag */
};

/* mkdir -p, each new folder 0700. 0 or -1 (errno set). */
static int make_dirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

recorder *recorder_open(const char *dir, sqlite3 *db, char *err, size_t errlen)
{
    if (make_dirs(dir) != 0) {
        snprintf(err, errlen, "cannot create record directory %.200s: %s", dir, strerror(errno));
        return NULL;
    }
    /* recordings hold customers' words: only the hub's user may list or read them */
    struct stat st;
    if (stat(dir, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 077) && chmod(dir, 0700) != 0)
        logfile_write("cannot make %s private (0700): %s", dir, strerror(errno));
    recorder *r = mem_zalloc(1, sizeof *r);
    r->dir = mem_strdup(dir);
    if (recorder_index_open(&r->index, db, err, errlen) != 0 ||
        recorder_index_sync_dir(&r->index, dir, err, errlen) != 0) {
        recorder_index_close(&r->index);
        free(r->dir);
        free(r);
        return NULL;
    }
    return r;
}

void recorder_close(recorder *r)
{
    if (!r)
        return;
    recorder_flush(r);
    recorder_index_close(&r->index);
    free(r->dir);
    free(r);
}

/* ---- names ---- */

static bool name_byte(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-' || ch == '.';
}

char *recorder_file_name(const char *iid)
{
    size_t n = strlen(iid);
    bool plain = n > 0 && n <= RECORDER_NAME_PREFIX && iid[0] != '.';
    for (size_t i = 0; plain && i < n; i++)
        plain = name_byte((unsigned char)iid[i]);
    char *out = mem_alloc(RECORDER_NAME_PREFIX + 1 + 32 + sizeof ".jsonl");
    if (plain) {
        snprintf(out, RECORDER_NAME_PREFIX + sizeof ".jsonl", "%s.jsonl", iid);
        return out;
    }
    size_t o = 0;
    for (size_t i = 0; i < n && o < RECORDER_NAME_PREFIX; i++) {
        unsigned char ch = (unsigned char)iid[i];
        char c = name_byte(ch) && !(o == 0 && ch == '.') ? (char)ch : '_';
        if (c == '_' && o > 0 && out[o - 1] == '_')
            continue; /* a run of punctuation reads as one '_' */
        out[o++] = c;
    }
    char hash[65];
    store_token_hash(iid, hash); /* SHA-256 as hex: the same function that hashes tokens */
    snprintf(out + o, 1 + 32 + sizeof ".jsonl", "~%.32s.jsonl", hash);
    return out;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = mem_alloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *recorder_path(recorder *r, const char *iid)
{
    char *file = NULL;
    bool complete;
    if (!recorder_index_find(&r->index, iid, &file, &complete, NULL))
        file = recorder_file_name(iid);
    char *p = join(r->dir, file);
    free(file);
    return p;
}

/* ---- writing ---- */

static void index_row(const recorder_file *f, recorder_row *row)
{
    *row = (recorder_row){.iid = f->iid, .file = f->name, .channel = f->channel, .queue = f->queue,
                          .agent = f->agent, .started_ms = f->started_ms, .ended_ms = f->ended_ms,
                          .events = f->events, .bytes = f->good, .complete = f->complete,
                          .outcome = f->outcome};
}

static void update_index(recorder *r, const recorder_file *f)
{
    recorder_row row;
    index_row(f, &row);
    if (recorder_index_update(&r->index, &row) != 0)
        logfile_write("recording %s: cannot update the index: %s", f->name, sqlite3_errmsg(r->index.db));
}

static void write_failed(recorder *r, recorder_file *f, const char *what, int err)
{
    r->write_errors++;
    r->failing = true;
    metrics_recording_write_error();
    snprintf(r->last_error, sizeof r->last_error, "%s %.120s: %s", what, f->name, strerror(err));
    logfile_write("recording %s: %s failed: %s; the recording stops at its last whole line (%lld bytes)",
               f->name, what, strerror(err), (long long)f->good);
    /* take back a partly written line, so the file ends at a whole line */
    if (f->fd >= 0 && ftruncate(f->fd, f->good) != 0)
        logfile_write("recording %s: cannot cut the torn tail: %s", f->name, strerror(errno));
    f->failed = true;
    f->complete = false;
    f->lost += f->pending;
    f->pending = 0;
    f->len = 0;
    update_index(r, f);
}

static void write_buffer(recorder *r, recorder_file *f)
{
    if (f->failed || f->len == 0)
        return;
    if (fd_write_all(f->fd, f->buf, f->len) != 0) {
        write_failed(r, f, "write", errno);
        return;
    }
    f->good += (int64_t)f->len;
    f->events += f->pending;
    f->pending = 0;
    f->len = 0;
    r->failing = false;
}

static void append(recorder_file *f, const char *line, size_t len)
{
    if (f->len + len + 1 > f->cap) {
        f->cap = (f->len + len + 1) * 2;
        f->buf = mem_realloc(f->buf, f->cap);
    }
    memcpy(f->buf + f->len, line, len);
    f->buf[f->len + len] = '\n';
    f->len += len + 1;
}

/* A file that is already there (a restart, or an index built from old files): count what
 * it holds, and cut a torn tail left by a crash or a failed write. */
static void adopt_existing(recorder *r, recorder_file *f, bool indexed_complete)
{
    recorder_scan_result sc;
    if (recorder_scan(f->fd, &sc) != 0) {
        write_failed(r, f, "read", errno);
        return;
    }
    json_decref(sc.head);
    f->outcome = sc.outcome;
    f->good = sc.whole_bytes;
    f->events = sc.lines > 0 ? sc.lines - 1 : 0;
    f->complete = indexed_complete && !sc.torn;
    if (sc.torn) {
        logfile_write("recording %s: cut a torn last line (%lld bytes kept)", f->name, (long long)f->good);
        if (ftruncate(f->fd, f->good) != 0)
            write_failed(r, f, "cut", errno);
    }
}

recorder_file *recorder_begin(recorder *r, const char *iid, const char *channel, const char *queue,
                              const char *agent, int64_t started_ms)
{
    recorder_file *f = mem_zalloc(1, sizeof *f);
    f->iid = mem_strdup(iid);
    f->channel = mem_strdup(channel);
    f->queue = mem_strdup(queue);
    f->agent = mem_strdup(agent);
    f->started_ms = started_ms;
    f->complete = true;
    bool indexed_complete = true, indexed = true;
    recorder_counts counts;
    if (!recorder_index_find(&r->index, iid, &f->name, &indexed_complete, &counts)) {
        f->name = recorder_file_name(iid);
        indexed = false;
    }
    char *path = join(r->dir, f->name);
    f->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600); /* read too: a reopened file is recounted */
    free(path);
    struct stat st;
    if (f->fd < 0) {
        write_failed(r, f, "open", errno);
    } else if (fstat(f->fd, &st) != 0) {
        write_failed(r, f, "stat", errno);
    } else {
        if ((st.st_mode & 0777) != 0600 && fchmod(f->fd, 0600) != 0)
            logfile_write("recording %s: cannot make it private (0600): %s", f->name, strerror(errno));
        /* a reopened file as long as its row says (a restart after a clean stop) is what
         * the row counted; a row of a failed recording is not trusted (its outcome counts
         * lines the file lost) */
        if (st.st_size > 0 && indexed && indexed_complete && counts.bytes == (int64_t)st.st_size) {
            f->good = counts.bytes;
            f->events = counts.events;
            f->outcome = counts.outcome;
        } else if (st.st_size > 0) {
            adopt_existing(r, f, indexed_complete);
        }
        if (!f->failed && f->good == 0) {
            json_t *h = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:I}", "format", "agentdesk.recording",
                                  "version", 1, "iid", iid, "channel", channel, "queue", queue,
                                  "agent", agent, "started_ms", (json_int_t)started_ms);
            char *line = h ? json_dumps(h, JSON_COMPACT) : NULL;
            json_decref(h);
            if (line) {
                append(f, line, strlen(line));
                f->pending = 0; /* the header is no event */
                write_buffer(r, f);
                free(line);
            }
        }
    }
    recorder_row row;
    index_row(f, &row);
    if (recorder_index_put(&r->index, &row) != 0)
        logfile_write("recording %s: cannot index it: %s", f->name, sqlite3_errmsg(r->index.db));
    return f;
}

/* The ending of an interaction, read from its last line (the pipeline writes "type" first). */
static void note_end(recorder_file *f, const char *line, size_t len, const json_t *event)
{
    static const char prefix[] = "{\"type\":\"interaction.ended\"";
    if (len < sizeof prefix - 1 || memcmp(line, prefix, sizeof prefix - 1) != 0)
        return;
    json_t *j = event ? NULL : json_loadb(line, len, 0, NULL);
    f->ended_ms = json_integer_value(json_object_get(event ? event : j, "ended_ms"));
    json_decref(j);
}

void recorder_write(recorder *r, recorder_file *f, const char *line, size_t len)
{
    recorder_write_event(r, f, line, len, NULL);
}

void recorder_write_event(recorder *r, recorder_file *f, const char *line, size_t len, const json_t *event)
{
    if (!f)
        return;
    note_end(f, line, len, event);
    /* noted even after a write failure: the interaction's outcome is not the file's */
    if (event)
        recorder_outcome_note_event(&f->outcome, event);
    else
        recorder_outcome_note(&f->outcome, line, len);
    if (f->failed) {
        f->lost++;
        return;
    }
    append(f, line, len);
    f->pending++;
    if (!f->dirty) {
        f->dirty = true;
        f->next_dirty = r->dirty;
        r->dirty = f;
    }
}

void recorder_flush(recorder *r)
{
    for (recorder_file *f = r->dirty; f; f = f->next_dirty) {
        write_buffer(r, f);
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
    write_buffer(r, f);
    /* no fsync: like the database (synchronous=NORMAL), a recording survives the hub being
     * killed, not a power cut; close still reports a deferred write error */
    if (f->fd >= 0 && close(f->fd) != 0 && !f->failed)
        write_failed(r, f, "close", errno);
    f->fd = -1;
    if (f->lost)
        logfile_write("recording %s: %lld lines not written after a write error", f->name, (long long)f->lost);
    update_index(r, f);
    free(f->iid);
    free(f->name);
    free(f->channel);
    free(f->queue);
    free(f->agent);
    free(f->buf);
    free(f);
}

bool recorder_health(const recorder *r, char *out, size_t outlen)
{
    json_t *j = json_pack("{s:b, s:I}", "ok", !r->failing, "write_errors", (json_int_t)r->write_errors);
    if (r->write_errors)
        json_object_set_new(j, "error", json_string(r->last_error));
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    snprintf(out, outlen, "%s", s ? s : "{}");
    free(s);
    return !r->failing;
}

json_t *recorder_list(recorder *r, int64_t before, size_t limit, size_t max_bytes, int64_t now_ms,
                      int64_t *next)
{
    return recorder_index_page(&r->index, before, limit, max_bytes, now_ms, next);
}

json_t *recorder_query_list(recorder *r, const recorder_query *q, size_t max_bytes, int64_t now_ms,
                            int64_t *next_offset)
{
    return recorder_index_query(&r->index, q, max_bytes, now_ms, next_offset);
}

int recorder_exemplar(recorder *r, const char *iid, const char *state, const char *tags, const char *comment,
                      const char *user, int64_t now_ms)
{
    return recorder_index_exemplar(&r->index, iid, state, tags, comment, user, now_ms);
}

/* ---- reading ---- */

recorder_reader *recorder_reader_open(recorder *r, const char *iid)
{
    char *file = NULL;
    bool complete = true;
    if (!recorder_index_find(&r->index, iid, &file, &complete, NULL))
        return NULL;
    char *path = join(r->dir, file);
    free(file);
    FILE *fp = fopen(path, "re");
    free(path);
    struct stat st;
    if (!fp && !complete) /* indexed, never written: an empty, incomplete recording */
        fp = fopen("/dev/null", "re");
    if (!fp || fstat(fileno(fp), &st) != 0) {
        if (fp)
            fclose(fp);
        return NULL;
    }
    recorder_reader *rd = mem_zalloc(1, sizeof *rd);
    rd->fp = fp;
    rd->left = st.st_size;
    rd->complete = complete;
    return rd;
}

int recorder_reader_next(recorder_reader *rd, const char **line, size_t *len)
{
    while (rd->left > 0) {
        ssize_t got = getline(&rd->line, &rd->cap, rd->fp);
        if (got <= 0)
            break;
        if (got > rd->left)
            got = (ssize_t)rd->left; /* appended after the open: not ours */
        rd->left -= got;
        if (rd->line[got - 1] != '\n') {
            rd->torn = true;
            rd->left = 0;
            break;
        }
        rd->line[--got] = 0;
        if (got == 0)
            continue;
        *line = rd->line;
        *len = (size_t)got;
        return 1;
    }
    return 0;
}

bool recorder_reader_complete(const recorder_reader *rd, const char **reason)
{
    if (rd->torn)
        *reason = "torn_tail";
    else if (!rd->complete)
        *reason = "write_failed";
    return rd->complete && !rd->torn;
}

void recorder_reader_close(recorder_reader *rd)
{
    if (!rd)
        return;
    fclose(rd->fp);
    free(rd->line);
    free(rd);
}

int recorder_read(recorder *r, const char *iid,
                  int (*fn)(void *ctx, const char *line, size_t len), void *ctx)
{
    recorder_reader *rd = recorder_reader_open(r, iid);
    if (!rd)
        return -1;
    const char *line, *reason;
    size_t len;
    while (recorder_reader_next(rd, &line, &len) == 1)
        if (fn(ctx, line, len) != 0)
            break;
    int rc = recorder_reader_complete(rd, &reason) ? 0 : 1;
    recorder_reader_close(rd);
    return rc;
}
