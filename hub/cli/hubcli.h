/* hubcli.h — the command line of `agentdesk-hub` (server mode) and its defaults.
 *
 * Strings in hubcli_opts point into argv or into malloc'd defaults owned by the struct
 * (freed by hubcli_free). */
#ifndef AGENTDESK_HUB_HUBCLI_H
#define AGENTDESK_HUB_HUBCLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    char host[256];
    int port;
    char *db;            /* database file */
    char *data_dir;      /* demo data, lexicon, rules, checklists */
    char *record_dir;    /* one JSONL recording per interaction */
    const char *tls_cert, *tls_key;
    const char *log_path;          /* lws and hub log; NULL = nowhere */
    bool demo;
    unsigned seed;                 /* simulator seed (--seed) */
    int idle_secs;                 /* ping after idle_secs/2 of silence, hang up after idle_secs */
    size_t outbox_bytes;           /* per-connection bound before slow_consumer */
    size_t outbox_frames;
    int flood_per_sec;             /* console frames a second before `flood` */
    int ingest_flood_per_sec;      /* the same for connectors */
    size_t max_connections;        /* websocket connections at once, all endpoints */
    size_t max_connections_per_token; /* signed-in connections of one token (one user) */
    const char *cl_agent, *cl_queue, *cl_customer; /* Contact Lens contact defaults */
    size_t firehose_max_bytes;     /* bytes of one POST /v1/firehose body */
    bool db_is_temp;               /* --demo without --db: a temporary database */
    const char *bus_url;           /* --bus: NULL for the embedded log */
    const char *bus_password_file;
    const char *hub_name;          /* this hub on the bus; NULL: HOST:PORT */
    const char *bus_ca_file, *bus_cert, *bus_key; /* rediss:// */
    long bus_max_len, bus_max_age_secs; /* 0: the defaults */
} hubcli_opts;

/* Parse server options. 0: run; 1: --help or --version printed, exit 0; -1: error in err. */
int hubcli_parse(int argc, char **argv, hubcli_opts *o, char *err, size_t errlen);
void hubcli_free(hubcli_opts *o);


/* Split "HOST:PORT" ("[::1]:7300" accepted). 0 or -1. */
int hubcli_parse_listen(const char *s, char *host, size_t hostlen, int *port);

void hubcli_usage(FILE *out);

#endif
