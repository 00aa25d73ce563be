/* server.c — the hub's one lws loop: vhost and protocols, HTTP /healthz and /metrics,
 * the end-of-turn group commit timer, the once-a-second enrichment tick, and signals
 * read from a signalfd inside the loop. */
#include "hub/net/server.h"
#include "hub/endpoints/console.h"
#include "hub/core/metrics.h"
#include "hub/store/seed.h"
#include "hub/cli/simulator.h"
#include "hub/assist/assist.h"
#include "base/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <netdb.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { SERVER_SNDBUF = 256 * 1024 };

typedef struct {
    char *body;
    size_t len;
    const char *type;
} http_reply;

static hub *hub_of(struct lws *wsi)
{
    return lws_context_user(lws_get_context(wsi));
}

/* ---- HTTP ---- */

/* `ok`, or `degraded` with the reason while commits fail (then HTTP 503: a load balancer
 * or probe stops sending writes here; reads are still served). */
static char *healthz(hub *h, size_t *len, bool *degraded)
{
    size_t conns = 0;
    for (session *s = h->all; s; s = s->next)
        conns++;
    const char *why = pipeline_degraded(h->pl);
    *degraded = why != NULL;
    char *reason = NULL;
    if (why) {
        json_t *j = json_string(why);
        reason = json_dumps(j, JSON_ENCODE_ANY);
        json_decref(j);
    }
    /* a recording that failed to write degrades the status too, but not the HTTP code: the
     * event log still takes writes, so a load balancer should keep sending them here */
    char *out, recordings[400];
    bool recording_ok = recorder_health(h->rec, recordings, sizeof recordings);
    int n = asprintf(&out, "{\"status\":\"%s\",%s%s%s\"hub_id\":\"%s\",\"seq\":%lld,\"live\":%zu,"
                           "\"connections\":%zu,\"assist\":%s,\"recordings\":%s}\n",
                     why || !recording_ok ? "degraded" : "ok", reason ? "\"reason\":" : "",
                     reason ? reason : "", reason ? "," : "", h->hub_id,
                     (long long)h->log->ops->last_seq(h->log), live_count(pipeline_live(h->pl)), conns,
                     h->as ? "true" : "false", recordings);
    free(reason);
    if (n < 0)
        abort();
    *len = (size_t)n;
    return out;
}

static int callback_http(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                         size_t len)
{
    http_reply *r = user;
    hub *h = hub_of(wsi);
    if (!r) /* a connection that never got as far as a request */
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    switch (reason) {
    case LWS_CALLBACK_HTTP: {
        const char *uri = in;
        bool degraded = false;
        if (strcmp(uri, "/healthz") == 0) {
            r->body = healthz(h, &r->len, &degraded);
            r->type = "application/json";
        } else if (strcmp(uri, "/metrics") == 0) {
            r->body = metrics_render(h->log->ops->count(h->log), &r->len);
            r->type = "text/plain; version=0.0.4";
        } else {
            if (lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL))
                return -1;
            return lws_http_transaction_completed(wsi) ? -1 : 0;
        }
        unsigned char hdr[LWS_PRE + 512], *start = hdr + LWS_PRE, *p = start, *end = hdr + sizeof hdr - 1;
        if (lws_add_http_common_headers(wsi, degraded ? HTTP_STATUS_SERVICE_UNAVAILABLE : HTTP_STATUS_OK, r->type, (lws_filepos_t)r->len, &p, end) ||
            lws_finalize_write_http_header(wsi, start, &p, end))
            return 1;
        lws_callback_on_writable(wsi);
        return 0;
    }
    case LWS_CALLBACK_HTTP_WRITEABLE: {
        if (!r->body)
            break;
        unsigned char *buf = mem_alloc(LWS_PRE + r->len);
        memcpy(buf + LWS_PRE, r->body, r->len);
        int n = lws_write(wsi, buf + LWS_PRE, r->len, LWS_WRITE_HTTP_FINAL);
        free(buf);
        free(r->body);
        r->body = NULL;
        if (n < 0)
            return -1;
        return lws_http_transaction_completed(wsi) ? -1 : 0;
    }
    case LWS_CALLBACK_CLOSED_HTTP:
        free(r->body);
        r->body = NULL;
        break;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* ---- websockets ---- */

static int callback_ws(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                       size_t len, session_kind kind)
{
    session **ps = user;
    switch (reason) {
    case LWS_CALLBACK_ESTABLISHED: {
        /* A fixed kernel send buffer: autotuning would let a stalled reader park megabytes
         * in the kernel before the outbox bound ever sees them. */
        int fd = (int)lws_get_socket_fd(wsi), sndbuf = SERVER_SNDBUF;
        if (fd >= 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
        *ps = session_new(hub_of(wsi), wsi, kind);
        break;
    }
    case LWS_CALLBACK_RECEIVE:
        if (!*ps)
            return -1;
        if (lws_frame_is_binary(wsi)) {
            session_fail(*ps, PROTO_ERR_BAD_JSON, "binary frames are not accepted",
                         LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE);
            return 0;
        }
        return session_receive(*ps, in, len, lws_is_first_fragment(wsi), lws_is_final_fragment(wsi));
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return *ps ? session_writeable(*ps) : -1;
    case LWS_CALLBACK_CLOSED:
        if (*ps) {
            session_free(*ps);
            *ps = NULL;
        }
        break;
    default:
        break;
    }
    return 0;
}

static int callback_console(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                            size_t len)
{
    return callback_ws(wsi, reason, user, in, len, SESSION_CONSOLE);
}

static int callback_ingest(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                           size_t len)
{
    return callback_ws(wsi, reason, user, in, len, SESSION_INGEST);
}

static int callback_signal(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                           size_t len)
{
    (void)user;
    (void)in;
    (void)len;
    if (reason == LWS_CALLBACK_RAW_RX_FILE) {
        hub *h = hub_of(wsi);
        struct signalfd_siginfo si;
        while (read(h->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
            if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM || si.ssi_signo == SIGHUP) {
                logfile_write("signal %u: shutting down", si.ssi_signo);
                h->quit = true;
                lws_cancel_service(lws_get_context(wsi));
            }
        }
    }
    return 0;
}

static const struct lws_protocols protocols[] = {
    {"http", callback_http, sizeof(http_reply), 0, 0, NULL, 0},
    {PROTO_SUBPROTOCOL, callback_console, sizeof(session *), 16384, 0, NULL, 0},
    {PROTO_INGEST_SUBPROTOCOL, callback_ingest, sizeof(session *), 65536, 0, NULL, 0},
    {"raw-signal", callback_signal, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/* ---- timers and pipeline hooks ---- */

static void flush_cb(lws_sorted_usec_list_t *sul)
{
    hub *h = lws_container_of(sul, hub, flush_sul);
    h->flush_armed = false;
    pipeline_flush(h->pl);
}

static void wake(void *ctx)
{
    hub *h = ctx;
    if (h->flush_armed || !h->ctx)
        return;
    h->flush_armed = true;
    lws_sul_schedule(h->ctx, 0, &h->flush_sul, flush_cb, 1);
}

static void tick_cb(lws_sorted_usec_list_t *sul)
{
    hub *h = lws_container_of(sul, hub, tick_sul);
    pipeline_tick(h->pl);
    lws_sul_schedule(h->ctx, 0, &h->tick_sul, tick_cb, LWS_US_PER_SEC);
}

/* ---- setup ---- */

static void load_hub_id(hub *h)
{
    sqlite3 *db = store_db(h->st);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='hub_id'", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            snprintf(h->hub_id, sizeof h->hub_id, "%s", (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    if (h->hub_id[0])
        return;
    /* random when /dev/urandom answers, else clock and pid: unique enough to tell hubs apart */
    unsigned long long rnd = (unsigned long long)time(NULL) << 20 ^ (unsigned long long)getpid();
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &rnd, sizeof rnd) != (ssize_t)sizeof rnd)
            rnd ^= (unsigned long long)getppid() << 40;
        close(fd);
    }
    snprintf(h->hub_id, sizeof h->hub_id, "hub-%016llx", rnd);
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES('hub_id', ?1)", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, h->hub_id, -1, SQLITE_STATIC);
        sqlite3_step(st);
        sqlite3_finalize(st);
    }
}

static bool db_has_users(store *st)
{
    sqlite3_stmt *q;
    bool any = false;
    if (sqlite3_prepare_v2(store_db(st), "SELECT 1 FROM users LIMIT 1", -1, &q, NULL) == SQLITE_OK) {
        any = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
    }
    return any;
}

static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static char demo_dir[64];

/* --demo without --db: everything in a temporary directory, removed at exit. */
static int demo_paths(hubcli_opts *o, char *err, size_t errlen)
{
    snprintf(demo_dir, sizeof demo_dir, "/tmp/agentdesk-demo-XXXXXX");
    if (!mkdtemp(demo_dir)) {
        snprintf(err, errlen, "cannot create a temporary directory: %s", strerror(errno));
        return -1;
    }
    if (asprintf(&o->db, "%s/hub.db", demo_dir) < 0)
        abort();
    if (!o->record_dir && asprintf(&o->record_dir, "%s/recordings", demo_dir) < 0)
        abort();
    o->db_is_temp = true;
    return 0;
}

static void remove_demo_dir(const hubcli_opts *o)
{
    if (!o->db_is_temp || !demo_dir[0])
        return;
    char path[512];
    const char *leaves[] = {"hub.db", "hub.db-wal", "hub.db-shm", "hub.db-journal"};
    for (size_t i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", demo_dir, leaves[i]);
        unlink(path);
    }
    char recdir[128];
    snprintf(recdir, sizeof recdir, "%s/recordings", demo_dir);
    if (o->record_dir && strcmp(o->record_dir, recdir) == 0) {
        DIR *d = opendir(recdir);
        struct dirent *de;
        while (d && (de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", recdir, de->d_name);
            unlink(path);
        }
        if (d)
            closedir(d);
        rmdir(recdir);
    }
    rmdir(demo_dir);
}

static int open_parts(hub *h, char *err, size_t errlen)
{
    hubcli_opts *o = h->opts;
    if (!o->db && o->demo && demo_paths(o, err, errlen) != 0)
        return -1;
    if (!o->db)
        o->db = store_default_path();
    if (!o->record_dir)
        o->record_dir = hubcli_default_record_dir();
    h->st = store_open(o->db, err, errlen);
    if (!h->st)
        return -1;
    if (o->demo && !db_has_users(h->st)) {
        if (seed_demo(h->st, o->data_dir, err, errlen) != 0)
            return -1;
        logfile_write("seeded %s from %s", o->db, o->data_dir);
    }
    load_hub_id(h);
    h->log = eventlog_sqlite_open(store_db(h->st), err, errlen);
    if (!h->log)
        return -1;
    char aerr[256] = "";
    h->as = assist_open(store_db(h->st), o->data_dir, aerr, sizeof aerr);
    if (!h->as)
        logfile_write("enrichment off: %s", aerr);
    h->rec = recorder_open(o->record_dir, store_db(h->st), err, errlen);
    if (!h->rec)
        return -1;
    pipeline_hooks hooks = {.ctx = h, .wake = wake, .deliver = session_deliver,
                            .committed = session_committed};
    h->pl = pipeline_open(h->st, h->log, h->as, h->rec, &hooks, err, errlen);
    return h->pl ? 0 : -1;
}

static void close_parts(hub *h)
{
    pipeline_close(h->pl);
    recorder_close(h->rec);
    if (h->as)
        assist_close(h->as);
    if (h->log)
        h->log->ops->close(h->log);
    store_close(h->st);
}

/* lws takes an interface name or a numeric address; a host name such as "localhost" would
 * make it retry forever (or fall back to every interface). Resolve it here. */
static int numeric_host(const char *host, char *out, size_t outlen, char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai = NULL;
    if (getaddrinfo(host, NULL, &hints, &ai) != 0 || !ai) {
        snprintf(err, errlen, "--listen: cannot resolve host '%.100s'", host);
        return -1;
    }
    int rc = getnameinfo(ai->ai_addr, ai->ai_addrlen, out, (socklen_t)outlen, NULL, 0, NI_NUMERICHOST);
    /* lws binds every interface when the address is not one of ours: refuse that here */
    int fd = rc == 0 ? socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0) : -1;
    bool ours = fd >= 0 && bind(fd, ai->ai_addr, ai->ai_addrlen) == 0;
    if (fd >= 0)
        close(fd);
    freeaddrinfo(ai);
    if (rc != 0 || !ours) {
        snprintf(err, errlen, "--listen: '%.100s' is not an address of this machine", host);
        return -1;
    }
    return 0;
}

static void stop_signals(sigset_t *mask)
{
    sigemptyset(mask);
    sigaddset(mask, SIGINT);
    sigaddset(mask, SIGTERM);
    sigaddset(mask, SIGHUP);
}

static int start_loop(hub *h, char *err, size_t errlen)
{
    hubcli_opts *o = h->opts;
    static lws_retry_bo_t idle;
    idle.secs_since_valid_ping = (uint16_t)(o->idle_secs / 2);
    idle.secs_since_valid_hangup = (uint16_t)o->idle_secs;

    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    static char iface[NI_MAXHOST];
    bool any = strcmp(o->host, "0.0.0.0") == 0 || strcmp(o->host, "::") == 0 || strcmp(o->host, "*") == 0;
    if (!any && numeric_host(o->host, iface, sizeof iface, err, errlen) != 0)
        return -1;
    info.port = o->port;
    info.iface = any ? NULL : iface;
    /* with IPv6 on, lws binds an IPv4 iface as [::] — every interface. Keep v4 as v4. */
    bool v6 = strchr(any ? o->host : iface, ':') != NULL;
    info.protocols = protocols;
    info.user = h;
    info.retry_and_idle_policy = &idle;
    /* no LWS_SERVER_OPTION_VALIDATE_UTF8: bad UTF-8 gets our error frame, not a bare close */
    info.options = LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
    if (!v6)
        info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    if (o->tls_cert) {
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        info.ssl_cert_filepath = o->tls_cert;
        info.ssl_private_key_filepath = o->tls_key;
    }
    info.timeout_secs = 20;
    info.fd_limit_per_thread = 0;
    h->ctx = lws_create_context(&info);
    if (!h->ctx) {
        snprintf(err, errlen, "cannot listen on %s:%d (in use, or bad TLS files?)", o->host, o->port);
        return -1;
    }
    h->vh = lws_get_vhost_by_name(h->ctx, "default");

    sigset_t mask;
    stop_signals(&mask);
    h->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    lws_sock_file_fd_type fd;
    fd.filefd = h->sigfd;
    if (h->sigfd < 0 || !h->vh ||
        !lws_adopt_descriptor_vhost(h->vh, LWS_ADOPT_RAW_FILE_DESC, fd, "raw-signal", NULL)) {
        snprintf(err, errlen, "cannot watch signals");
        return -1;
    }
    lws_sul_schedule(h->ctx, 0, &h->tick_sul, tick_cb, LWS_US_PER_SEC);
    if (pipeline_has_staged(h->pl))
        wake(h);
    return 0;
}

/* After a crash (kill -9) the simulator cannot continue the calls it was playing: end them,
 * so demo consoles do not keep silent calls forever. Connector interactions stay live. */
static void end_orphaned_simulations(hub *h)
{
    live *l = pipeline_live(h->pl);
    for (live_call *c = live_first(l), *n; c; c = n) {
        n = c->next;
        if (strncmp(c->iid, "sim-", 4) == 0) {
            logfile_write("ending %s: its simulator is gone", c->iid);
            pipeline_end(h->pl, c->iid, "hub_restart");
        }
    }
}

int server_run(hubcli_opts *o)
{
    char err[512] = "";
    hub h;
    memset(&h, 0, sizeof h);
    h.opts = o;
    h.sigfd = -1;
    signal(SIGPIPE, SIG_IGN);
    /* blocked from the start, read later from a signalfd in the loop: a stop request during
     * start-up waits for the loop instead of killing the hub half-open */
    sigset_t mask;
    stop_signals(&mask);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    raise_fd_limit();
    if (logfile_open(o->log_path) != 0) {
        fprintf(stderr, "agentdesk-hub: cannot open log %s: %s\n", o->log_path, strerror(errno));
        return 1;
    }
    lws_set_log_level(o->log_path ? (LLL_ERR | LLL_WARN | LLL_NOTICE) : 0,
                      o->log_path ? logfile_lws : NULL);
    int rc = 1;
    if (open_parts(&h, err, sizeof err) != 0 || start_loop(&h, err, sizeof err) != 0) {
        fprintf(stderr, "agentdesk-hub: %s\n", err);
        goto out;
    }
    if (o->demo) {
        end_orphaned_simulations(&h);
        h.sim = simulator_start(h.ctx, h.pl, o->data_dir, o->seed, err, sizeof err);
        if (!h.sim) {
            fprintf(stderr, "agentdesk-hub: demo: %s\n", err);
            goto out;
        }
    }
    logfile_write("listening on %s:%d, db %s, records %s", o->host, o->port, o->db, o->record_dir);
    while (!h.quit && lws_service(h.ctx, 0) >= 0)
        ;
    rc = 0;
    simulator_stop(h.sim);
    h.sim = NULL;
    pipeline_flush(h.pl);
out:
    simulator_stop(h.sim);
    if (h.ctx) {
        lws_sul_cancel(&h.flush_sul);
        lws_sul_cancel(&h.tick_sul);
        struct lws_context *ctx = h.ctx;
        lws_context_destroy(ctx);
        h.ctx = NULL;
    }
    if (h.sigfd >= 0)
        close(h.sigfd);
    close_parts(&h);
    remove_demo_dir(o);
    logfile_write("stopped");
    logfile_close();
    return rc;
}
