/* recording.c — a hub recording read for replay (see recording.h). */
#include "agentdesk/recording.h"
#include "base/mem.h"
#include "base/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *clean_str(json_t *v)
{
    const char *s = json_string_value(v);
    return s ? text_clean(s, strlen(s), TEXT_SINGLE_LINE, NULL) : mem_strdup("");
}

/* The first line, when it is a header: {"format":"agentdesk.recording","version":N,...}. */
static bool read_header(recording *r, const char *line, size_t len)
{
    proto_error perr;
    json_t *j = proto_parse(line, len, &perr);
    const char *fmt = json_string_value(json_object_get(j, "format"));
    if (!json_is_object(j) || !fmt || strcmp(fmt, "agentdesk.recording") != 0) {
        json_decref(j);
        return false;
    }
    json_t *ver = json_object_get(j, "version");
    json_int_t v = json_is_integer(ver) ? json_integer_value(ver) : 0;
    r->version = v < 1 ? 0 : v > 1000000 ? 1000000 : (int)v;
    free(r->iid); free(r->channel); free(r->queue); free(r->agent);
    r->iid = clean_str(json_object_get(j, "iid"));
    r->channel = clean_str(json_object_get(j, "channel"));
    r->queue = clean_str(json_object_get(j, "queue"));
    r->agent = clean_str(json_object_get(j, "agent"));
    json_t *st = json_object_get(j, "started_ms");
    if (json_is_integer(st) && json_integer_value(st) > 0) r->started_ms = json_integer_value(st);
    json_decref(j);
    return true;
}

static void bad_line(recording *r, uint32_t line, const char *why)
{
    if (r->n_bad < RECORDING_BAD_KEPT) r->bad_lines[r->n_bad] = line;
    if (r->n_bad == 0) {
        char *c = text_clean(why, strlen(why), TEXT_SINGLE_LINE, NULL);
        snprintf(r->bad_first, sizeof r->bad_first, "%s", c);
        free(c);
    }
    r->n_bad++;
}

static void add_line(recording *r, size_t off, size_t len, uint32_t no, int64_t *last_ts,
                     const recording_reader *each)
{
    const char *line = r->data + off;
    if (no == 1 && read_header(r, line, len)) return;
    if (no == 1) r->no_header = true;
    proto_event ev;
    proto_error perr;
    if (len > UINT32_MAX || !proto_decode(line, len, PROTO_TO_CONSOLE, &ev, &perr)) {
        bad_line(r, no, len > UINT32_MAX ? "line too long" : perr.message);
        return;
    }
    const proto_event_spec *spec = proto_spec(ev.type);
    int64_t ts = proto_int(&ev, "ts", 0);
    if (!spec || !spec->durable) {
        proto_free(&ev);
        bad_line(r, no, "not an event of an interaction");
        return;
    }
    if (r->started_ms <= 0 && ts > 0) r->started_ms = ts;
    if (ts < *last_ts) ts = *last_ts;   /* time never runs backwards on the timeline */
    *last_ts = ts;
    if (r->n_events == r->cap_events) {
        r->cap_events = r->cap_events ? r->cap_events * 2 : 256;
        r->events = mem_realloc(r->events, r->cap_events * sizeof *r->events);
    }
    int64_t t = r->started_ms > 0 && ts > r->started_ms ? ts - r->started_ms : 0;
    if (r->n_events && t < r->events[r->n_events - 1].t_ms) t = r->events[r->n_events - 1].t_ms;
    r->events[r->n_events++] = (recording_event){off, (uint32_t)len, no, t, (uint8_t)ev.type};
    if (each && each->event) each->event(each->ctx, r, r->n_events - 1, &ev);
    proto_free(&ev);
}

static void index_lines(recording *r, const recording_reader *each)
{
    int64_t last_ts = 0;
    if (each && each->begin) {
        size_t lines = 0;
        for (const char *p = r->data; (p = memchr(p, '\n', r->len - (size_t)(p - r->data))) != NULL; p++) lines++;
        each->begin(each->ctx, r, lines + 1);
    }
    size_t start = 0;
    uint32_t no = 0;
    while (start < r->len) {
        const char *nl = memchr(r->data + start, '\n', r->len - start);
        no++;
        if (!nl) {   /* a last line without its newline: torn, never shown */
            r->torn = true;
            break;
        }
        size_t len = (size_t)(nl - (r->data + start));
        if (len > 0) add_line(r, start, len, no, &last_ts, each);
        start += len + 1;
    }
    r->n_lines = no;
}

static void init(recording *r)
{
    memset(r, 0, sizeof *r);
    r->iid = mem_strdup(""); r->channel = mem_strdup(""); r->queue = mem_strdup("");
    r->agent = mem_strdup("");
}

void recording_open_mem(recording *r, const char *data, size_t len, const recording_reader *each)
{
    init(r);
    if (len > RECORDING_MAX_BYTES) len = RECORDING_MAX_BYTES;
    r->data = mem_alloc(len + 1);
    if (len) memcpy(r->data, data, len);
    r->data[len] = 0;
    r->len = len;
    index_lines(r, each);
}

bool recording_open_file(recording *r, const char *path, const recording_reader *each,
                         char *err, size_t errlen)
{
    init(r);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
        return false;
    }
    if (!S_ISREG(st.st_mode) || (size_t)st.st_size > RECORDING_MAX_BYTES) {
        snprintf(err, errlen, "%s: %s", path, !S_ISREG(st.st_mode) ? "not a file"
                 : "bigger than 1 GiB: not read");
        close(fd);
        return false;
    }
    size_t cap = (size_t)st.st_size, len = 0;
    r->data = mem_alloc(cap + 1);
    while (len < cap) {   /* a file that grows while read is taken as it was at the open */
        ssize_t got = read(fd, r->data + len, cap - len);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            close(fd);
            return false;
        }
        if (got == 0) break;
        len += (size_t)got;
    }
    close(fd);
    r->data[len] = 0;
    r->len = len;
    index_lines(r, each);
    return true;
}

void recording_free(recording *r)
{
    free(r->data);
    free(r->events);
    free(r->iid); free(r->channel); free(r->queue); free(r->agent);
    memset(r, 0, sizeof *r);
}

bool recording_event_decode(const recording *r, size_t i, proto_event *out)
{
    if (i >= r->n_events) return false;
    proto_error perr;
    return proto_decode(r->data + r->events[i].off, r->events[i].len, PROTO_TO_CONSOLE, out, &perr);
}

int64_t recording_duration(const recording *r)
{
    return r->n_events ? r->events[r->n_events - 1].t_ms : 0;
}

size_t recording_event_at(const recording *r, int64_t t_ms)
{
    size_t lo = 0, hi = r->n_events;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->events[mid].t_ms < t_ms) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

void recording_problems(const recording *r, char *out, size_t outlen)
{
    size_t n = 0;
    out[0] = 0;
#define SAY(...) do { if (n < outlen) n += (size_t)snprintf(out + n, outlen - n, __VA_ARGS__); } while (0)
    if (r->version > RECORDING_VERSION)
        SAY("format version %d is newer than this agentdesk reads (%d): showing what it can. ",
            r->version, RECORDING_VERSION);
    if (r->no_header && r->n_lines) SAY("no recording header on line 1. ");
    if (r->n_bad) {
        SAY("%zu damaged line%s skipped (line", r->n_bad, r->n_bad == 1 ? "" : "s");
        for (size_t i = 0; i < r->n_bad && i < 5; i++) SAY("%s %u", i ? "," : "", r->bad_lines[i]);
        SAY("%s: %s). ", r->n_bad > 5 ? ", …" : "", r->bad_first);
    }
    if (r->torn) SAY("the last line is cut off (line %zu): not shown. ", r->n_lines);
    if (r->n_lines && !r->n_events) SAY("no event to play. ");
#undef SAY
    if (n >= outlen) n = outlen - 1;
    while (n > 0 && out[n - 1] == ' ') out[--n] = 0;
}
