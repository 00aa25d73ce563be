/* hubcli.c — option parsing and default paths of the hub server. Options are a table so
 * that --help, the parser and the man page stay one list. */
#include "hub/cli/hubcli.h"
#include "hub/cli/commands.h"
#include "hub/cli/paths.h"
#include "hub/endpoints/firehose.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef AGENTDESK_VERSION
#define AGENTDESK_VERSION "0"
#endif

typedef enum {
    OPT_LISTEN, OPT_DB, OPT_DATA, OPT_RECORD_DIR, OPT_TLS_CERT, OPT_TLS_KEY, OPT_LOG,
    OPT_DEMO, OPT_SEED, OPT_IDLE, OPT_OUTBOX_KIB, OPT_OUTBOX_FRAMES, OPT_FLOOD,
    OPT_INGEST_FLOOD, OPT_MAX_CONN, OPT_MAX_CONN_TOKEN, OPT_CL_AGENT, OPT_CL_QUEUE, OPT_CL_CUSTOMER, OPT_FIREHOSE_MAX,
    OPT_BUS, OPT_BUS_PASSWORD_FILE, OPT_HUB_NAME, OPT_BUS_MAX_LEN, OPT_BUS_MAX_AGE, OPT_BUS_CA, OPT_BUS_CERT,
    OPT_BUS_KEY, OPT_HELP, OPT_VERSION
} opt_id;

typedef struct {
    const char *name;
    opt_id id;
    const char *arg;   /* NULL: a flag */
    const char *help;
} opt_spec;

static const opt_spec options[] = {
    {"--listen", OPT_LISTEN, "HOST:PORT", "address to listen on (default 127.0.0.1:7300)"},
    {"--db", OPT_DB, "FILE", "SQLite database (default $XDG_DATA_HOME/agentdesk/hub.db)"},
    {"--data", OPT_DATA, "DIR", "data directory (lexicon, rules, checklists, demo data)"},
    {"--record-dir", OPT_RECORD_DIR, "DIR", "recordings (default $XDG_DATA_HOME/agentdesk/recordings)"},
    {"--tls-cert", OPT_TLS_CERT, "FILE", "PEM certificate: serve wss:// and https://"},
    {"--tls-key", OPT_TLS_KEY, "FILE", "PEM private key for --tls-cert"},
    {"--log", OPT_LOG, "FILE", "append hub and libwebsockets logs to FILE (default: no log)"},
    {"--demo", OPT_DEMO, NULL, "seed a new database from the data directory and run the simulator"},
    {"--seed", OPT_SEED, "N", "simulator random seed (default: from the clock)"},
    {"--idle-timeout", OPT_IDLE, "SECS", "ping idle connections after SECS/2, drop after SECS (default 60)"},
    {"--outbox-kib", OPT_OUTBOX_KIB, "N", "per-connection send bound in KiB (default 8192)"},
    {"--outbox-frames", OPT_OUTBOX_FRAMES, "N", "per-connection send bound in frames (default 50000)"},
    {"--flood", OPT_FLOOD, "N", "console frames a second before a flood close (default 200)"},
    {"--ingest-flood", OPT_INGEST_FLOOD, "N", "connector frames a second before a flood close (default 100000)"},
    {"--max-connections", OPT_MAX_CONN, "N", "websocket connections at once, all endpoints (default 4096)"},
    {"--max-connections-per-token", OPT_MAX_CONN_TOKEN, "N", "signed-in connections per token (default 32)"},
    {"--contactlens-agent", OPT_CL_AGENT, "NAME", "for trials: the agent of Contact Lens contacts Connect names no agent for (default none: unassigned)"},
    {"--contactlens-queue", OPT_CL_QUEUE, "NAME", "queue of Contact Lens contacts (default contactlens)"},
    {"--contactlens-customer", OPT_CL_CUSTOMER, "ID", "customer id of Contact Lens contacts (default none)"},
    {"--firehose-max-bytes", OPT_FIREHOSE_MAX, "N", "bytes of one Firehose request body (default 16777216)"},
    {"--bus", OPT_BUS, "URL", "share the event log with other hubs on a Redis stream: redis://HOST:PORT[/NAME], rediss:// for TLS (docs/SCALING.md)"},
    {"--bus-ca-file", OPT_BUS_CA, "FILE", "with rediss://: the CA that signed Redis's certificate (default: the system's)"},
    {"--bus-cert", OPT_BUS_CERT, "FILE", "with rediss://: this hub's client certificate, when Redis asks for one"},
    {"--bus-key", OPT_BUS_KEY, "FILE", "with rediss://: the key of --bus-cert"},
    {"--bus-password-file", OPT_BUS_PASSWORD_FILE, "FILE", "the Redis password (else $AGENTDESK_BUS_PASSWORD; never on the command line)"},
    {"--hub-name", OPT_HUB_NAME, "NAME", "this hub's name on the bus, unique in it (default hostname:PORT)"},
    {"--bus-max-len", OPT_BUS_MAX_LEN, "N", "entries the stream keeps, about (default 1000000)"},
    {"--bus-max-age", OPT_BUS_MAX_AGE, "SECS", "age of the oldest entry the stream keeps (default 604800: 7 days)"},
    {"--help", OPT_HELP, NULL, "print this help and exit"},
    {"--version", OPT_VERSION, NULL, "print the version and exit"},
};

void hubcli_usage(FILE *out)
{
    fprintf(out, "usage: agentdesk-hub [options]\n");
    for (const hub_command *c = hub_commands; c->name; c++)
        fprintf(out, "       agentdesk-hub %s %s\n", c->name, c->summary);
    fprintf(out, "options:\n");
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        char left[64];
        snprintf(left, sizeof left, "%s%s%s", options[i].name, options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        fprintf(out, "  %-28s %s\n", left, options[i].help);
    }
}

int hubcli_parse_listen(const char *s, char *host, size_t hostlen, int *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s)
        return -1;
    const char *h = s;
    size_t hl = (size_t)(colon - s);
    if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl == 0 || hl >= hostlen)
        return -1;
    char *end;
    errno = 0;
    long p = strtol(colon + 1, &end, 10);
    if (errno || *end || end == colon + 1 || p < 0 || p > 65535)
        return -1;
    memcpy(host, h, hl);
    host[hl] = 0;
    *port = (int)p;
    return 0;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static const opt_spec *find_opt(const char *name)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (strcmp(options[i].name, name) == 0)
            return &options[i];
    return NULL;
}

static void defaults(hubcli_opts *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->host, sizeof o->host, "127.0.0.1");
    o->port = 7300;
    o->idle_secs = 60;
    o->outbox_bytes = 8192u * 1024u;
    o->outbox_frames = 50000;
    o->flood_per_sec = 200;
    o->ingest_flood_per_sec = 100000;
    o->max_connections = 4096;
    o->max_connections_per_token = 32;
    o->cl_agent = "";
    o->cl_queue = "contactlens";
    o->cl_customer = "";
    o->firehose_max_bytes = FIREHOSE_DEFAULT_MAX_BYTES;
}

int hubcli_parse(int argc, char **argv, hubcli_opts *o, char *err, size_t errlen)
{
    defaults(o);
    bool seeded = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        char name[64];
        const char *eq = strchr(a, '=');
        if (eq && (size_t)(eq - a) < sizeof name) {
            memcpy(name, a, (size_t)(eq - a));
            name[eq - a] = 0;
            val = eq + 1;
        } else
            snprintf(name, sizeof name, "%s", a);
        const opt_spec *spec = find_opt(name);
        if (!spec) {
            snprintf(err, errlen, "unknown option '%.100s' (see --help)", a);
            return -1;
        }
        if (spec->arg && !val) {
            if (i + 1 >= argc) {
                snprintf(err, errlen, "%s needs %s", spec->name, spec->arg);
                return -1;
            }
            val = argv[++i];
        } else if (!spec->arg && val) {
            snprintf(err, errlen, "%s takes no value", spec->name);
            return -1;
        }
        long n;
        switch (spec->id) {
        case OPT_LISTEN:
            if (hubcli_parse_listen(val, o->host, sizeof o->host, &o->port) != 0) {
                snprintf(err, errlen, "--listen: expected HOST:PORT, got '%.100s'", val);
                return -1;
            }
            break;
        case OPT_DB: free(o->db); o->db = strdup(val); break;
        case OPT_DATA: free(o->data_dir); o->data_dir = strdup(val); break;
        case OPT_RECORD_DIR: free(o->record_dir); o->record_dir = strdup(val); break;
        case OPT_TLS_CERT: o->tls_cert = val; break;
        case OPT_TLS_KEY: o->tls_key = val; break;
        case OPT_LOG: o->log_path = val; break;
        case OPT_DEMO: o->demo = true; break;
        case OPT_CL_AGENT: o->cl_agent = val; break;
        case OPT_CL_QUEUE: o->cl_queue = val; break;
        case OPT_CL_CUSTOMER: o->cl_customer = val; break;
        case OPT_BUS: o->bus_url = val; break;
        case OPT_BUS_PASSWORD_FILE: o->bus_password_file = val; break;
        case OPT_HUB_NAME: o->hub_name = val; break;
        case OPT_BUS_CA: o->bus_ca_file = val; break;
        case OPT_BUS_CERT: o->bus_cert = val; break;
        case OPT_BUS_KEY: o->bus_key = val; break;
        case OPT_HELP: hubcli_usage(stdout); return 1;
        case OPT_VERSION: printf("agentdesk-hub %s\n", AGENTDESK_VERSION); return 1;
        case OPT_SEED:
        case OPT_IDLE:
        case OPT_OUTBOX_KIB:
        case OPT_OUTBOX_FRAMES:
        case OPT_FLOOD:
        case OPT_INGEST_FLOOD:
        case OPT_MAX_CONN:
        case OPT_MAX_CONN_TOKEN:
        case OPT_FIREHOSE_MAX:
        case OPT_BUS_MAX_LEN:
        case OPT_BUS_MAX_AGE:
            if (parse_long(val, spec->id == OPT_SEED ? 0 : 1,
                           spec->id == OPT_SEED ? (long)UINT32_MAX : 100000000L, &n) != 0) {
                snprintf(err, errlen, "%s: expected a positive number, got '%.60s'", spec->name, val);
                return -1;
            }
            if (spec->id == OPT_SEED) { o->seed = (unsigned)n; seeded = true; }
            else if (spec->id == OPT_IDLE) o->idle_secs = (int)(n < 2 ? 2 : n > 30000 ? 30000 : n);
            else if (spec->id == OPT_OUTBOX_KIB) o->outbox_bytes = (size_t)n * 1024u;
            else if (spec->id == OPT_OUTBOX_FRAMES) o->outbox_frames = (size_t)n;
            else if (spec->id == OPT_FLOOD) o->flood_per_sec = (int)n;
            else if (spec->id == OPT_MAX_CONN) o->max_connections = (size_t)n;
            else if (spec->id == OPT_MAX_CONN_TOKEN) o->max_connections_per_token = (size_t)n;
            else if (spec->id == OPT_FIREHOSE_MAX) o->firehose_max_bytes = (size_t)n;
            else if (spec->id == OPT_BUS_MAX_LEN) o->bus_max_len = n;
            else if (spec->id == OPT_BUS_MAX_AGE) o->bus_max_age_secs = n;
            else o->ingest_flood_per_sec = (int)n;
            break;
        }
    }
    if ((o->tls_cert != NULL) != (o->tls_key != NULL)) {
        snprintf(err, errlen, "--tls-cert and --tls-key go together");
        return -1;
    }
    if (!o->bus_url && (o->bus_password_file || o->hub_name || o->bus_max_len || o->bus_max_age_secs ||
                        o->bus_ca_file || o->bus_cert || o->bus_key)) {
        snprintf(err, errlen, "--bus-password-file, --hub-name, --bus-max-len, --bus-max-age, --bus-ca-file, "
                 "--bus-cert and --bus-key need --bus");
        return -1;
    }
    if ((o->bus_cert != NULL) != (o->bus_key != NULL)) {
        snprintf(err, errlen, "--bus-cert and --bus-key go together");
        return -1;
    }
    if (!seeded)
        o->seed = (unsigned)getpid() ^ (unsigned)time(NULL);
    if (!o->data_dir)
        o->data_dir = paths_default_data_dir();
    return 0;
}

void hubcli_free(hubcli_opts *o)
{
    free(o->db);
    free(o->data_dir);
    free(o->record_dir);
    o->db = o->data_dir = o->record_dir = NULL;
}
