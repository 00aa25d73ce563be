/* serve.c — the hub, composed: the parts opened in order (store, seed for --demo, event
 * log, assist stage, recorder, pipeline), the endpoints and HTTP routes registered with the
 * transport as a table, the pipeline's end of turn and tick on the transport's timers, the
 * simulator on its loop for --demo; then the loop until a stop signal, and everything
 * closed in reverse. */
#include "hub/cli/paths.h"
#include "hub/cli/serve.h"
#include "hub/cli/simulator.h"
#include "hub/core/eventlog_redis.h"
#include "hub/endpoints/agent_status.h"
#include "hub/endpoints/bus_reader.h"
#include "hub/endpoints/console.h"
#include "hub/endpoints/firehose.h"
#include "hub/endpoints/floor_metrics.h"
#include "hub/endpoints/http.h"
#include "hub/endpoints/hub.h"
#include "hub/endpoints/ingest.h"
#include "hub/endpoints/session.h"
#include "hub/net/server.h"
#include "hub/store/seed.h"
#include "hub/assist/assist.h"
#include "base/logfile.h"

#include <dirent.h>
#include <jansson.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

enum { SIGN_IN_SECS = 10 };

/* The pipeline's hooks and timers, on the transport's loop. */
static void wake(void *ctx)
{
    hub *h = ctx;
    net_server_end_turn_soon(h->net);
}

/* A turn may have started a call (silence checks) or ended one (its wrap-up offer expires):
 * the tick comes back within a second and says how long until it has work again. */
static void end_turn(void *ctx)
{
    hub *h = ctx;
    pipeline_flush(h->pl);
    net_server_tick_soon(h->net);
}

/* The sooner of the pipeline's and the floor figures' next work (0: none). */
static int64_t tick(void *ctx)
{
    hub *h = ctx;
    int64_t a = pipeline_tick(h->pl), b = floor_metrics_tick(h);
    return !a ? b : !b ? a : a < b ? a : b;
}

static void *frame_retain(void *frame)
{
    return shared_frame_ref(frame);
}

static void frame_release(void *frame)
{
    shared_frame_unref(frame);
}

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

/* --demo says where it listens and which tokens it knows (the seed's users, whose tokens the
 * database keeps only as hashes), so a person can connect a console or a connector. */
static void print_demo_banner(const hubcli_opts *o)
{
    printf("agentdesk-hub --demo: listening on ws://%s:%d (the console: agentdesk --url "
           "ws://%s:%d --token-file FILE)\n  database %s, recordings %s\n", o->host, o->port,
           o->host, o->port, o->db, o->record_dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/users.json", o->data_dir);
    json_t *users = json_load_file(path, 0, NULL), *u;
    size_t i;
    if (json_is_array(users))
        printf("  demo tokens (from %s; put one in a file for --token-file):\n", path);
    json_array_foreach(users, i, u) {
        const char *token = json_string_value(json_object_get(u, "token"));
        if (!token) continue;
        const char *role = json_string_value(json_object_get(u, "role"));
        const char *name = json_string_value(json_object_get(u, "display_name"));
        if (!name) name = json_string_value(json_object_get(u, "name"));
        printf("    %-16s %-10s %s\n", token, role ? role : "?", name ? name : "");
    }
    json_decref(users);
    fflush(stdout);
}

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

/* After each group commit: the consoles (acks, agents' statuses), then the Firehose answers. */
static void committed(void *ctx, bool ok)
{
    console_committed(ctx, ok);
    firehose_committed(ctx, ok);
}

/* The bus's password: a file (its first line) or the environment, never argv, where any
 * user of the machine could read it. */
static int bus_password(const hubcli_opts *o, bus_config *cfg, char *err, size_t errlen)
{
    const char *env = getenv("AGENTDESK_BUS_PASSWORD");
    if (!o->bus_password_file) {
        snprintf(cfg->password, sizeof cfg->password, "%s", env ? env : "");
        return 0;
    }
    FILE *f = fopen(o->bus_password_file, "r");
    if (!f) {
        snprintf(err, errlen, "--bus-password-file %.200s: %s", o->bus_password_file, strerror(errno));
        return -1;
    }
    char line[sizeof cfg->password + 2] = "";
    bool got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    line[strcspn(line, "\r\n")] = 0;
    if (!got || !line[0] || strlen(line) >= sizeof cfg->password) {
        snprintf(err, errlen, "--bus-password-file %.200s: no password on its first line (or longer than %zu)",
                 o->bus_password_file, sizeof cfg->password - 1);
        return -1;
    }
    memcpy(cfg->password, line, strlen(line) + 1);   /* fits: checked above */
    explicit_bzero(line, sizeof line);
    return 0;
}

/* The event log: this hub's own (SQLite), or with --bus the cluster's (Redis) with this
 * hub's database as its local copy; then the welcome's hub_id is the cluster's, so a console
 * may resume on any hub of it. */
static int open_log(hub *h, const hubcli_opts *o, bus_config *bus, char *err, size_t errlen)
{
    if (!o->bus_url) {
        h->log = eventlog_sqlite_open(store_db(h->st), err, errlen);
        return h->log ? 0 : -1;
    }
    if (bus_config_parse(o->bus_url, bus, err, errlen) != 0 || bus_password(o, bus, err, errlen) != 0)
        return -1;
    /* the name leases are held under: unique across the cluster, the same after a restart */
    char host[64] = "";
    if (o->hub_name)
        snprintf(bus->hub, sizeof bus->hub, "%s", o->hub_name);
    else if (gethostname(host, sizeof host - 1) == 0 && host[0])
        snprintf(bus->hub, sizeof bus->hub, "%.50s:%d", host, o->port);
    else
        snprintf(bus->hub, sizeof bus->hub, "%.50s:%d", o->host, o->port);
    const char *tls_files[][2] = {{o->bus_ca_file, "--bus-ca-file"}, {o->bus_cert, "--bus-cert"},
                                  {o->bus_key, "--bus-key"}};
    char *tls_dst[] = {bus->tls.ca_file, bus->tls.cert_file, bus->tls.key_file};
    for (size_t i = 0; i < 3; i++) {
        if (!tls_files[i][0])
            continue;
        if (!bus->tls.on || strlen(tls_files[i][0]) >= sizeof bus->tls.ca_file || access(tls_files[i][0], R_OK) != 0) {
            snprintf(err, errlen, "%s: %s", tls_files[i][1],
                     !bus->tls.on ? "only with rediss://" : "cannot read the file (or its path is too long)");
            return -1;
        }
        memcpy(tls_dst[i], tls_files[i][0], strlen(tls_files[i][0]) + 1);
    }
    if (o->bus_max_len)
        bus->max_len = o->bus_max_len;
    if (o->bus_max_age_secs)
        bus->max_age_ms = (int64_t)o->bus_max_age_secs * 1000;
    h->log = eventlog_redis_open(store_db(h->st), bus, err, errlen);
    if (!h->log)
        return -1;
    h->bus = true;
    snprintf(h->hub_id, sizeof h->hub_id, "%s", eventlog_redis_cluster_id(h->log));
    logfile_write("bus: %s as %s, cluster %s, log at seq %lld", o->bus_url, bus->hub, h->hub_id,
                  (long long)h->log->ops->last_seq(h->log));
    return bus_reader_start(h, bus);
}

static int open_parts(hub *h, hubcli_opts *o, char *err, size_t errlen)
{
    if (!o->db && o->demo && demo_paths(o, err, errlen) != 0)
        return -1;
    if (!o->db)
        o->db = store_default_path();
    if (!o->record_dir)
        o->record_dir = paths_default_record_dir();
    h->st = store_open_for_serving(o->db, err, errlen);
    if (!h->st)
        return -1;
    if (o->demo && !db_has_users(h->st)) {
        if (seed_demo(h->st, o->data_dir, err, errlen) != 0)
            return -1;
        logfile_write("seeded %s from %s", o->db, o->data_dir);
    }
    load_hub_id(h);
    bus_config bus;
    int rc = open_log(h, o, &bus, err, errlen);
    explicit_bzero(bus.password, sizeof bus.password);
    if (rc != 0)
        return -1;
    char aerr[256] = "";
    h->as = assist_open(store_db(h->st), o->data_dir, aerr, sizeof aerr);
    if (!h->as)
        logfile_write("enrichment off: %s", aerr);
    h->rec = recorder_open(o->record_dir, store_db(h->st), err, errlen);
    if (!h->rec)
        return -1;
    pipeline_hooks hooks = {.ctx = h, .wake = wake, .deliver = console_deliver,
                            .committed = committed};
    h->pl = pipeline_open(h->st, h->log, h->as, h->rec, &hooks, err, errlen);
    h->cl = (contactlens_defaults){.agent = o->cl_agent, .queue = o->cl_queue, .customer_id = o->cl_customer};
    h->firehose_max_bytes = o->firehose_max_bytes;
    return h->pl ? 0 : -1;
}

static void close_parts(hub *h)
{
    agent_status_free(h);
    floor_metrics_free(h);
    pipeline_close(h->pl);
    recorder_close(h->rec);
    if (h->as)
        assist_close(h->as);
    if (h->log)
        h->log->ops->close(h->log);
    bus_reader_free(h);
    store_close(h->st);
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

/* The endpoints this hub serves: each a row of handlers, and the flood limit it gets. */
static void register_endpoints(hub *h, const hubcli_opts *o)
{
    const struct {
        const net_endpoint *endpoint;
        int flood_per_sec;
    } endpoints[] = {
        {.endpoint = &console_endpoint, .flood_per_sec = o->flood_per_sec},
        {.endpoint = &ingest_endpoint, .flood_per_sec = o->ingest_flood_per_sec},
    };
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++)
        net_server_add_endpoint(h->net, endpoints[i].endpoint, h, endpoints[i].flood_per_sec);
    net_server_add_routes(h->net, http_routes, h);
    net_server_on_turn_end(h->net, end_turn, h);
    net_server_on_tick(h->net, tick, h);
}

static net_server *new_transport(const hubcli_opts *o)
{
    net_config cfg = {
        .host = o->host,
        .port = o->port,
        .tls_cert = o->tls_cert,
        .tls_key = o->tls_key,
        .idle_secs = o->idle_secs,
        .max_message = PROTO_MAX_FRAME,
        .max_connections = o->max_connections,
        .max_per_owner = o->max_connections_per_token,
        .outbox_frames = o->outbox_frames,
        .outbox_bytes = o->outbox_bytes,
        .sign_in_secs = SIGN_IN_SECS,
        .retain = frame_retain,
        .release = frame_release,
    };
    return net_server_new(&cfg);
}

int serve_run(hubcli_opts *o)
{
    char err[512] = "";
    hub h;
    memset(&h, 0, sizeof h);
    struct simulator *sim = NULL;
    signal(SIGPIPE, SIG_IGN);
    /* blocked from the start, read later from a signalfd in the loop: a stop request during
     * start-up waits for the loop instead of killing the hub half-open */
    net_block_stop_signals();
    raise_fd_limit();
    if (logfile_open(o->log_path) != 0) {
        fprintf(stderr, "agentdesk-hub: cannot open log %s: %s\n", o->log_path, strerror(errno));
        return 1;
    }
    net_log_to_logfile(o->log_path != NULL);
    int rc = 1;
    h.net = new_transport(o);
    register_endpoints(&h, o);
    if (open_parts(&h, o, err, sizeof err) != 0 || net_server_start(h.net, err, sizeof err) != 0) {
        fprintf(stderr, "agentdesk-hub: %s\n", err);
        goto out;
    }
    if (pipeline_has_staged(h.pl))
        wake(&h);
    if (o->demo) {
        end_orphaned_simulations(&h);
        sim = simulator_start(net_server_lws(h.net), h.pl, o->data_dir, o->seed, err, sizeof err);
        if (!sim) {
            fprintf(stderr, "agentdesk-hub: demo: %s\n", err);
            goto out;
        }
    }
    logfile_write("listening on %s:%d, db %s, records %s", o->host, o->port, o->db, o->record_dir);
    if (o->demo)
        print_demo_banner(o);
    net_server_run(h.net);
    rc = 0;
    simulator_stop(sim);
    sim = NULL;
    pipeline_flush(h.pl);
out:
    simulator_stop(sim);
    h.stopping = true;
    net_server_free(h.net);   /* closes every connection: their sessions leave the hub */
    h.net = NULL;
    close_parts(&h);
    remove_demo_dir(o);
    logfile_write("stopped");
    logfile_close();
    return rc;
}
