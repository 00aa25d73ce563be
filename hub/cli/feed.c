/* feed.c — the ingest feeder (contract in feed.h): one lws client connection on its own
 * loop, one frame per writeable callback, a pacing timer for --realtime and a watchdog. */
#include "hub/cli/feed.h"
#include "hub/endpoints/firehose.h"
#include "hub/core/pipeline.h"
#include "base/mem.h"
#include "proto/catalogue.h"
#include "base/clock.h"

#include <ctype.h>
#include <jansson.h>
#include <libwebsockets.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { STALL_SECS = 30 };

typedef struct {
    char iid[PROTO_MAX_ID + 1];
    int64_t start_ms;
} feed_start;

typedef struct {
    char **lines;
    size_t *lineno;
    size_t n, cap, next;
    size_t expected, answered;
    bool welcomed, finished, done, realtime;
    int status;
    const char *token;
    feed_start *starts;
    size_t nstarts, capstarts;
    struct lws_context *ctx;
    struct lws *wsi;
    lws_sorted_usec_list_t pace_sul, watchdog_sul;
    int64_t last_progress_ms;
    char *out;
    size_t out_len;
    char *rx;
    size_t rx_len, rx_cap;
    char run[24];   /* makes generated ids unique per run: the hub dedupes ids per user */
} feed;

static feed F;

char *feed_read_token(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    char buf[512];
    char *line = fgets(buf, sizeof buf, fp);
    fclose(fp);
    if (!line)
        return NULL;
    char *b = buf;
    while (*b && isspace((unsigned char)*b))
        b++;
    size_t l = strlen(b);
    while (l && isspace((unsigned char)b[l - 1]))
        b[--l] = 0;
    return l ? strdup(b) : NULL;
}

static void finish(int status, const char *fmt, const char *a, const char *b)
{
    if (status) {
        fprintf(stderr, "agentdesk-hub feed: ");
        fprintf(stderr, fmt, a, b);
        fputc('\n', stderr);
        F.status = status;
    }
    F.done = true;
    if (F.ctx)
        lws_cancel_service(F.ctx);
}

static int64_t start_of(const char *iid)
{
    for (size_t i = 0; i < F.nstarts; i++)
        if (strcmp(F.starts[i].iid, iid) == 0)
            return F.starts[i].start_ms;
    return -1;
}

static void note_start(const char *iid)
{
    if (F.nstarts == F.capstarts) {
        F.capstarts = F.capstarts ? F.capstarts * 2 : 16;
        F.starts = mem_realloc(F.starts, F.capstarts * sizeof *F.starts);
    }
    snprintf(F.starts[F.nstarts].iid, sizeof F.starts[0].iid, "%s", iid);
    F.starts[F.nstarts++].start_ms = clock_mono_ms();
}

static void pace_cb(lws_sorted_usec_list_t *sul)
{
    (void)sul;
    if (F.wsi)
        lws_callback_on_writable(F.wsi);
}

static void watchdog_cb(lws_sorted_usec_list_t *sul)
{
    (void)sul;
    if (F.done)
        return;
    bool pacing = F.realtime && F.next < F.n;
    if (!pacing && clock_mono_ms() - F.last_progress_ms > STALL_SECS * 1000) {
        char n[32];
        snprintf(n, sizeof n, "%zu", F.expected - F.answered);
        finish(1, "no answer for %s s; %s acks missing", "30", n);
        return;
    }
    lws_sul_schedule(F.ctx, 0, &F.watchdog_sul, watchdog_cb, LWS_US_PER_SEC);
}

/* The next frame to send, or NULL when it is not due yet (a timer is armed) or none is left. */
static char *next_frame(size_t *len)
{
    while (F.next < F.n) {
        size_t i = F.next;
        json_error_t jerr;
        json_t *o = json_loads(F.lines[i], 0, &jerr);
        if (!json_is_object(o)) {
            json_decref(o);
            char ln[32];
            snprintf(ln, sizeof ln, "%zu", F.lineno[i]);
            finish(1, "line %s: not a JSON object%s", ln, "");
            return NULL;
        }
        const char *type = json_string_value(json_object_get(o, "type"));
        const char *iid = json_string_value(json_object_get(o, "iid"));
        if (F.realtime && type && iid && strcmp(type, "utterance") == 0) {
            int64_t st = start_of(iid);
            json_t *off = json_object_get(o, "offset_ms");
            if (st >= 0 && json_is_integer(off)) {
                int64_t due = st + json_integer_value(off), now = clock_mono_ms();
                if (due > now) {
                    json_decref(o);
                    lws_sul_schedule(F.ctx, 0, &F.pace_sul, pace_cb, (lws_usec_t)(due - now) * 1000);
                    return NULL;
                }
            }
        }
        if (type && iid && strcmp(type, "start") == 0)
            note_start(iid);
        if (type) {
            if (!json_object_get(o, "id")) {
                char id[40];
                snprintf(id, sizeof id, "feed-%s-%zu", F.run, F.lineno[i]);
                json_object_set_new(o, "id", json_string(id));
            }
            F.expected++;
        }
        char *text = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        F.next++;
        if (text) {
            *len = strlen(text);
            return text;
        }
    }
    return NULL;
}

static void check_finished(void)
{
    if (F.welcomed && F.next == F.n && F.answered >= F.expected && !F.finished) {
        F.finished = true;
        if (F.wsi)
            lws_callback_on_writable(F.wsi);
    }
}

static int write_frame(struct lws *wsi, const char *text, size_t len)
{
    unsigned char *buf = mem_alloc(LWS_PRE + len);
    memcpy(buf + LWS_PRE, text, len);
    int n = lws_write(wsi, buf + LWS_PRE, len, LWS_WRITE_TEXT);
    free(buf);
    return n < (int)len ? -1 : 0;
}

static void on_message(const char *msg, size_t len)
{
    json_t *o = json_loadb(msg, len, 0, NULL);
    const char *type = json_string_value(json_object_get(o, "type"));
    F.last_progress_ms = clock_mono_ms();
    if (type && strcmp(type, "welcome") == 0) {
        F.welcomed = true;
        lws_callback_on_writable(F.wsi);
    } else if (type && strcmp(type, "ack") == 0) {
        F.answered++;
    } else if (type && strcmp(type, "error") == 0) {
        const char *ref = json_string_value(json_object_get(o, "ref"));
        const char *code = json_string_value(json_object_get(o, "code"));
        const char *m = json_string_value(json_object_get(o, "message"));
        char what[300];
        char prefix[40];
        int plen = snprintf(prefix, sizeof prefix, "feed-%s-", F.run);
        if (ref && strncmp(ref, prefix, (size_t)plen) == 0)
            snprintf(what, sizeof what, "line %s: %s", ref + plen, code ? code : "error");
        else
            snprintf(what, sizeof what, "%s%s%s", ref ? ref : "", ref ? ": " : "", code ? code : "error");
        fprintf(stderr, "agentdesk-hub feed: %s: %s\n", what, m ? m : "");
        F.status = 1;
        if (ref)
            F.answered++;
        else if (!F.welcomed)
            finish(1, "%s%s", "the hub refused the connection", "");
    }
    json_decref(o);
    check_finished();
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    (void)user;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        F.wsi = NULL;
        finish(1, "cannot connect: %s%s", in ? (const char *)in : "refused", "");
        break;
    case LWS_CALLBACK_CLIENT_ESTABLISHED: {
        F.last_progress_ms = clock_mono_ms();
        json_t *h = json_pack("{s:s, s:s, s:s}", "type", "hello", "token", F.token, "client",
                              "agentdesk-hub feed");
        F.out = json_dumps(h, JSON_COMPACT);
        F.out_len = strlen(F.out);
        json_decref(h);
        lws_callback_on_writable(wsi);
        break;
    }
    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (F.rx_len + len > PROTO_MAX_FRAME) {
            finish(1, "%s%s", "oversized frame from the hub", "");
            return -1;
        }
        if (F.rx_len + len + 1 > F.rx_cap) {
            F.rx_cap = F.rx_len + len + 1024;
            F.rx = mem_realloc(F.rx, F.rx_cap);
        }
        memcpy(F.rx + F.rx_len, in, len);
        F.rx_len += len;
        if (lws_is_final_fragment(wsi)) {
            on_message(F.rx, F.rx_len);
            F.rx_len = 0;
        }
        break;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        if (F.done)
            return -1;
        if (F.out) {
            int rc = write_frame(wsi, F.out, F.out_len);
            free(F.out);
            F.out = NULL;
            if (rc)
                return -1;
            lws_callback_on_writable(wsi);
            break;
        }
        if (F.finished) {
            lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"done", 4);
            F.done = true;
            lws_cancel_service(F.ctx);
            return -1;
        }
        if (!F.welcomed)
            break;
        F.out = next_frame(&F.out_len);
        if (F.out)
            lws_callback_on_writable(wsi);
        check_finished();
        break;
    case LWS_CALLBACK_CLIENT_CLOSED:
        F.wsi = NULL;
        if (!F.done)
            finish(1, "%s%s", "the hub closed the connection before every event was acked", "");
        break;
    default:
        break;
    }
    return 0;
}

static const struct lws_protocols protocols[] = {
    {PROTO_INGEST_SUBPROTOCOL, callback, 0, 16384, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void add_line(const char *p, size_t len, size_t no)
{
    while (len && isspace((unsigned char)*p)) {
        p++;
        len--;
    }
    while (len && isspace((unsigned char)p[len - 1]))
        len--;
    if (!len)
        return;
    if (F.n == F.cap) {
        F.cap = F.cap ? F.cap * 2 : 256;
        F.lines = mem_realloc(F.lines, F.cap * sizeof *F.lines);
        F.lineno = mem_realloc(F.lineno, F.cap * sizeof *F.lineno);
    }
    F.lines[F.n] = strndup(p, len);
    F.lineno[F.n++] = no;
}

/* A Kinesis record's Data: its events, one a line (a producer may put several in one). */
static int add_record(json_t *rec, size_t no)
{
    json_t *data = json_object_get(rec, "Data");
    size_t len;
    char *text = json_is_string(data) ? firehose_decode_data(json_string_value(data), json_string_length(data), &len)
                                      : NULL;
    if (!text) {
        fprintf(stderr, "agentdesk-hub feed: line %zu: a Kinesis record whose Data is not base64\n", no);
        return -1;
    }
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        add_line(p, (size_t)(stop - p), no);
        p = stop + 1;
    }
    free(text);
    return 0;
}

/* A line as it is (a native or Contact Lens event), or expanded when it is a Kinesis record
 * {"Data", "PartitionKey", "SequenceNumber"} or get-records' {"Records": [...]}. */
static int add_source_line(const char *p, size_t len, size_t no)
{
    json_t *o = json_loadb(p, len, 0, NULL);
    json_t *records = json_object_get(o, "Records");
    int rc = 0;
    if (json_is_array(records)) {
        size_t i;
        json_t *rec;
        json_array_foreach(records, i, rec) {
            if ((rc = add_record(rec, no)) != 0)
                break;
        }
    } else if (json_is_string(json_object_get(o, "Data")) && !json_object_get(o, "type") &&
               !json_object_get(o, "EventType")) {
        rc = add_record(o, no);
    } else {
        add_line(p, len, no);
    }
    json_decref(o);
    return rc;
}

/* JSONL, or one JSON document (`aws kinesis get-records` prints {"Records": [...]} over
 * many lines). */
static int load_lines(FILE *in)
{
    char *all = NULL;
    size_t len = 0, cap = 0, got;
    char buf[65536];
    while ((got = fread(buf, 1, sizeof buf, in)) > 0) {
        if (len + got + 1 > cap) {
            cap = (len + got + 1) * 2;
            all = mem_realloc(all, cap);
        }
        memcpy(all + len, buf, got);
        len += got;
    }
    if (!all)
        return 0;
    all[len] = '\0';
    int rc = 0;
    json_t *whole = json_loadb(all, len, 0, NULL);
    if (json_is_array(json_object_get(whole, "Records"))) {
        rc = add_source_line(all, len, 1);
    } else {
        size_t no = 0;
        for (const char *p = all, *end = all + len; p < end && rc == 0;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *stop = nl ? nl : end;
            rc = add_source_line(p, (size_t)(stop - p), ++no);
            p = stop + 1;
        }
    }
    json_decref(whole);
    free(all);
    return rc;
}

static int usage(void)
{
    fprintf(stderr, "usage: agentdesk-hub feed [--url ws://HOST:PORT] [--token-file F] [--realtime] FILE|-\n"
                    "token: --token-file F or AGENTDESK_TOKEN\n");
    return 2;
}

int feed_main(int argc, char **argv)
{
    const char *url = "ws://127.0.0.1:7300", *token_file = NULL, *path = NULL;
    memset(&F, 0, sizeof F);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--url") == 0 && i + 1 < argc)
            url = argv[++i];
        else if (strcmp(argv[i], "--token-file") == 0 && i + 1 < argc)
            token_file = argv[++i];
        else if (strcmp(argv[i], "--realtime") == 0)
            F.realtime = true;
        else if (strcmp(argv[i], "--help") == 0) {
            usage();
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1])
            return usage();
        else if (!path)
            path = argv[i];
        else
            return usage();
    }
    if (!path)
        return usage();
    char *token = token_file ? feed_read_token(token_file) : (getenv("AGENTDESK_TOKEN") ? strdup(getenv("AGENTDESK_TOKEN")) : NULL);
    if (!token || !*token) {
        fprintf(stderr, "agentdesk-hub feed: no token (--token-file F or AGENTDESK_TOKEN)\n");
        free(token);
        return 1;
    }
    F.token = token;
    snprintf(F.run, sizeof F.run, "%lx%x", (unsigned long)time(NULL), (unsigned)getpid());
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!in) {
        fprintf(stderr, "agentdesk-hub feed: cannot open %s\n", path);
        free(token);
        return 1;
    }
    int loaded = load_lines(in);
    if (in != stdin)
        fclose(in);
    if (loaded != 0) {
        free(token);
        return 1;
    }

    char urlbuf[512];
    snprintf(urlbuf, sizeof urlbuf, "%s", url);
    const char *scheme, *host, *upath;
    int port;
    if (lws_parse_uri(urlbuf, &scheme, &host, &port, &upath)) {
        fprintf(stderr, "agentdesk-hub feed: bad --url %s\n", url);
        free(token);
        return 2;
    }
    lws_set_log_level(0, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    bool tls = strcmp(scheme, "wss") == 0;
    if (tls)
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    F.ctx = lws_create_context(&info);
    if (!F.ctx) {
        fprintf(stderr, "agentdesk-hub feed: cannot create the lws context\n");
        free(token);
        return 1;
    }
    char pathbuf[512];
    snprintf(pathbuf, sizeof pathbuf, "/%s", upath);
    struct lws_client_connect_info cc;
    memset(&cc, 0, sizeof cc);
    cc.context = F.ctx;
    cc.address = host;
    cc.port = port;
    cc.path = pathbuf;
    cc.host = host;
    cc.origin = host;
    cc.protocol = PROTO_INGEST_SUBPROTOCOL;
    cc.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
    cc.pwsi = &F.wsi;
    F.last_progress_ms = clock_mono_ms();
    lws_sul_schedule(F.ctx, 0, &F.watchdog_sul, watchdog_cb, LWS_US_PER_SEC);
    if (!lws_client_connect_via_info(&cc))
        finish(1, "cannot connect to %s%s", url, "");
    while (!F.done && lws_service(F.ctx, 0) >= 0)
        ;
    lws_sul_cancel(&F.pace_sul);
    lws_sul_cancel(&F.watchdog_sul);
    lws_context_destroy(F.ctx);
    for (size_t i = 0; i < F.n; i++)
        free(F.lines[i]);
    free(F.lines);
    free(F.lineno);
    free(F.starts);
    free(F.out);
    free(F.rx);
    free(token);
    return F.status;
}
