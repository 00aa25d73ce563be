/* firehose.c — POST /v1/firehose (contract in firehose.h): the request is checked whole
 * before anything of it is applied (key, size, JSON, every record's base64), its events go
 * through the Contact Lens adapter like websocket frames, and the answer waits for the
 * turn's group commit. */
#include "hub/endpoints/firehose.h"
#include "hub/endpoints/hub.h"
#include "hub/endpoints/contactlens.h"
#include "hub/endpoints/connect_events.h"
#include "hub/core/metrics.h"
#include "base/logfile.h"
#include "base/clock.h"
#include "base/mem.h"

#include <libwebsockets.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* A request whose events are staged, waiting for the commit of its turn. */
typedef struct firehose_wait {
    net_http *req;
    char request_id[FIREHOSE_MAX_REQUEST_ID + 1];
    size_t records, events, skipped;
    struct firehose_wait *next;
} firehose_wait;

typedef struct {
    char *data;
    size_t len;
} decoded;

char *firehose_decode_data(const char *in, size_t in_len, size_t *out_len)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /* lws's decoder passes over characters it does not know: check the text first, so
     * that damaged data is refused rather than decoded into something else */
    size_t pad = in_len >= 1 && in[in_len - 1] == '=' ? (in_len >= 2 && in[in_len - 2] == '=' ? 2 : 1) : 0;
    if (in_len % 4 != 0 || in_len > (size_t)INT32_MAX / 2 || strspn(in, alphabet) != in_len - pad)
        return NULL;
    size_t cap = in_len / 4 * 3 + 4;
    char *out = mem_alloc(cap);
    int got = in_len ? lws_b64_decode_string_len(in, (int)in_len, out, (int)cap) : 0;
    if (got < 0) {
        free(out);
        return NULL;
    }
    out[got] = '\0';
    *out_len = (size_t)got;
    return out;
}

static void answer(net_http *req, int status, const char *request_id, const char *error)
{
    json_t *o = json_pack("{s:s, s:I}", "requestId", request_id, "timestamp", (json_int_t)clock_wall_ms());
    if (error)
        json_object_set_new(o, "errorMessage", json_string(error));
    char *body = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    net_http_reply(req, status, "application/json", body, strlen(body));
}

static void refuse(net_http *req, int status, const char *request_id, const char *error)
{
    logfile_write("firehose request %s refused (%d): %s", request_id, status, error);
    metrics_firehose(false, 0, 0, 0);
    answer(req, status, request_id, error);
}

size_t firehose_max_body(void *ctx)
{
    hub *h = ctx;
    return h->firehose_max_bytes ? h->firehose_max_bytes : FIREHOSE_DEFAULT_MAX_BYTES;
}

/* The access key names a user with role ingest, as an ingest hello's token does. 0, or the
 * HTTP status with *why. */
static int check_key(hub *h, net_http *req, store_user *u, const char **why)
{
    char *key = mem_alloc(FIREHOSE_MAX_ACCESS_KEY + 1);
    int n = net_http_header(req, "x-amz-firehose-access-key", key, FIREHOSE_MAX_ACCESS_KEY + 1);
    int status = 0;
    if (n <= 0) {
        status = HTTP_STATUS_UNAUTHORIZED;
        *why = "X-Amz-Firehose-Access-Key missing: set the stream's access key to an ingest token";
    } else if (!store_user_by_token(h->st, key, u)) {
        status = HTTP_STATUS_UNAUTHORIZED;
        *why = "unknown access key";
    } else if (u->role != ROLE_INGEST) {
        status = HTTP_STATUS_FORBIDDEN;
        *why = "the access key's user is not an ingest user";
    }
    free(key);
    return status;
}

static void free_decoded(decoded *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(d[i].data);
    free(d);
}

/* Every record's data, decoded, or NULL with *why: a request with one bad record is not
 * Firehose's, so none of it is applied. */
static decoded *decode_records(json_t *records, const char **why)
{
    size_t n = json_array_size(records);
    decoded *d = mem_zalloc(n ? n : 1, sizeof *d);
    size_t i;
    json_t *rec;
    json_array_foreach(records, i, rec) {
        json_t *data = json_object_get(rec, "data");
        if (!json_is_string(data)) {
            *why = "a record without a string \"data\"";
            free_decoded(d, i);
            return NULL;
        }
        d[i].data = firehose_decode_data(json_string_value(data), json_string_length(data), &d[i].len);
        if (!d[i].data) {
            *why = "a record whose data is not base64";
            free_decoded(d, i);
            return NULL;
        }
    }
    return d;
}

/* One event of a record: applied, or skipped with a logged reason. true when applied. */
static bool apply_event(hub *h, const char *rid, size_t record, const char *text, size_t len)
{
    proto_error err = {0};
    json_t *frame = proto_parse(text, len, &err);
    if (frame && connect_events_detect(frame)) {
        metrics_event_in();
        if (connect_events_apply(h->pl, frame, h->cl.agent, &err) == 0) {
            json_decref(frame);
            return true;
        }
    } else if (frame && !contactlens_detect(frame)) {
        err.code = PROTO_ERR_BAD_FIELD;
        snprintf(err.message, sizeof err.message, "not a Contact Lens or Amazon Connect agent or contact event");
    } else if (frame) {
        metrics_event_in();
        if (contactlens_apply(h->pl, frame, &h->cl, &err) == 0) {
            json_decref(frame);
            return true;
        }
    }
    json_decref(frame);
    logfile_write("firehose request %s record %zu: event skipped: %s: %s", rid, record,
                  err.code ? err.code : "bad_field", err.message);
    return false;
}

/* Each newline-separated event of each record (blank lines are nothing). */
static void apply_records(hub *h, firehose_wait *w, const decoded *d, size_t n)
{
    pipeline_set_ingest_time(h->pl, clock_mono_us());
    for (size_t i = 0; i < n; i++) {
        const char *p = d[i].data, *end = d[i].data + d[i].len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *stop = nl ? nl : end;
            size_t len = (size_t)(stop - p);
            while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
                len--;
            size_t lead = strspn(p, " \t");
            if (lead < len) {
                if (apply_event(h, w->request_id, i, p + lead, len - lead))
                    w->events++;
                else
                    w->skipped++;
            }
            p = stop + 1;
        }
    }
    pipeline_set_ingest_time(h->pl, 0);
    w->records = n;
}

/* A gzip body (Content-Encoding: gzip) inflated, at most `max` bytes: the same bound as a
 * plain body, so a small bomb cannot grow past it. NULL with *why when it is not gzip or
 * inflates past the bound. */
static char *gunzip(const char *in, size_t len, size_t max, size_t *out_len, const char **why)
{
    z_stream z = {0};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {   /* 16: a gzip header, not zlib's */
        *why = "cannot inflate the body";
        return NULL;
    }
    size_t cap = len * 4 + 1024 < max ? len * 4 + 1024 : max;
    char *out = mem_alloc(cap + 1);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)len;
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (z.total_out == cap) {
            if (cap == max)
                break;
            cap = cap * 2 < max ? cap * 2 : max;
            out = mem_realloc(out, cap + 1);
        }
        z.next_out = (Bytef *)out + z.total_out;
        z.avail_out = (uInt)(cap - z.total_out);
        rc = inflate(&z, Z_NO_FLUSH);
    }
    size_t n = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        *why = rc == Z_OK ? "the gzip body inflates past --firehose-max-bytes: lower the stream's buffering size"
                          : "the body is not valid gzip";
        free(out);
        return NULL;
    }
    out[n] = 0;
    *out_len = n;
    return out;
}

static void wait_for_commit(hub *h, firehose_wait *w)
{
    w->next = h->firehose_waiting;
    h->firehose_waiting = w;
    pipeline_begin(h->pl); /* the turn ends with a flush, even with nothing staged */
}

void firehose_post(void *ctx, net_http *req, const char *body, size_t len, bool too_large)
{
    hub *h = ctx;
    char rid[FIREHOSE_MAX_REQUEST_ID + 1] = "";
    if (net_http_header(req, "x-amz-firehose-request-id", rid, sizeof rid) < 0)
        rid[0] = '\0';
    const char *why = NULL;
    store_user u;
    int status = check_key(h, req, &u, &why);
    if (status) {
        refuse(req, status, rid, why);
        return;
    }
    if (too_large) {
        char msg[160];
        snprintf(msg, sizeof msg, "request body over %zu bytes (the hub's --firehose-max-bytes): lower the "
                 "stream's buffering size", firehose_max_body(h));
        refuse(req, HTTP_STATUS_REQ_ENTITY_TOO_LARGE, rid, msg);
        return;
    }
    const char *degraded = pipeline_degraded(h->pl);
    if (degraded) {
        char msg[300];
        snprintf(msg, sizeof msg, "storage degraded (%s): retry later", degraded);
        refuse(req, HTTP_STATUS_SERVICE_UNAVAILABLE, rid, msg);
        return;
    }
    char enc[32];
    char *inflated = NULL;
    if (net_http_header(req, "content-encoding", enc, sizeof enc) > 0 && strcmp(enc, "identity") != 0) {
        if (strcmp(enc, "gzip") != 0) {
            refuse(req, HTTP_STATUS_BAD_REQUEST, rid, "Content-Encoding is neither gzip nor identity");
            return;
        }
        if (!(inflated = gunzip(body, len, firehose_max_body(h), &len, &why))) {
            refuse(req, HTTP_STATUS_BAD_REQUEST, rid, why);
            return;
        }
        body = inflated;
    }
    json_error_t jerr;
    json_t *o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    free(inflated);
    json_t *records = json_object_get(o, "records");
    json_t *body_rid = json_object_get(o, "requestId");
    if (!rid[0] && json_is_string(body_rid) && json_string_length(body_rid) <= FIREHOSE_MAX_REQUEST_ID)
        snprintf(rid, sizeof rid, "%s", json_string_value(body_rid));
    decoded *d = NULL;
    if (!json_is_object(o))
        why = "the body is not a JSON object";
    else if (!json_is_array(records))
        why = "the body has no \"records\" array";
    else if (!rid[0])
        why = "no request id (X-Amz-Firehose-Request-Id or requestId)";
    else
        d = decode_records(records, &why);
    if (!d) {
        json_decref(o);
        refuse(req, HTTP_STATUS_BAD_REQUEST, rid, why);
        return;
    }
    size_t n = json_array_size(records);
    json_decref(o);

    firehose_wait *w = mem_zalloc(1, sizeof *w);
    w->req = req;
    snprintf(w->request_id, sizeof w->request_id, "%s", rid);
    char key[FIREHOSE_MAX_REQUEST_ID + 16];
    snprintf(key, sizeof key, "firehose:%s", rid);
    if (store_action_seen(h->st, u.name, key)) {
        logfile_write("firehose request %s again: already stored", rid);
    } else if (pipeline_begin(h->pl) != 0) {
        free(w);
        refuse(req, HTTP_STATUS_SERVICE_UNAVAILABLE, rid, "storage unavailable: retry later");
        free_decoded(d, n);
        return;
    } else {
        apply_records(h, w, d, n);
        /* without its row a redelivery would apply it twice: the turn cannot commit */
        if (store_action_remember(h->st, u.name, key, "firehose", clock_wall_ms()) != 0)
            pipeline_fail_turn(h->pl, sqlite3_errmsg(store_db(h->st)));
    }
    free_decoded(d, n);
    wait_for_commit(h, w);
}

void firehose_committed(void *ctx, bool ok)
{
    hub *h = ctx;
    firehose_wait *w = h->firehose_waiting;
    h->firehose_waiting = NULL;
    while (w) {
        firehose_wait *next = w->next;
        if (ok) {
            /* Amazon asks endpoints to log every request id, answered or not */
            logfile_write("firehose request %s: %zu records, %zu events stored, %zu skipped", w->request_id,
                          w->records, w->events, w->skipped);
            metrics_firehose(true, w->records, w->events, w->skipped);
            answer(w->req, HTTP_STATUS_OK, w->request_id, NULL);
        } else {
            char msg[300];
            const char *why = pipeline_degraded(h->pl);
            snprintf(msg, sizeof msg, "not stored (%s): retry", why ? why : "commit failed");
            refuse(w->req, why ? HTTP_STATUS_SERVICE_UNAVAILABLE : HTTP_STATUS_INTERNAL_SERVER_ERROR,
                   w->request_id, msg);
        }
        free(w);
        w = next;
    }
}

void firehose_gone(void *ctx, net_http *req)
{
    hub *h = ctx;
    for (firehose_wait **pp = &h->firehose_waiting; *pp; pp = &(*pp)->next)
        if ((*pp)->req == req) {
            firehose_wait *w = *pp;
            *pp = w->next;
            logfile_write("firehose request %s: the connection closed before the answer", w->request_id);
            free(w);
            return;
        }
}
