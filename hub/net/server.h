/* server.h — the hub process: one lws context and loop, the store, event log, pipeline,
 * assist engine, recorder and simulator it owns, and the registry of sessions.
 * Shared by server*.c, session*.c and ingest*.c; main.c only calls server_run(). */
#ifndef AGENTDESK_HUB_SERVER_H
#define AGENTDESK_HUB_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <libwebsockets.h>
#include "hub/cli/hubcli.h"
#include "hub/core/pipeline_internal.h"
#include "hub/core/recorder.h"
#include "hub/store/store.h"

struct session;
struct assist;
struct simulator;

enum { SERVER_USER_BUCKETS = 4096 };

typedef struct hub {
    hubcli_opts *opts;
    store *st;
    eventlog *log;
    struct assist *as;
    recorder *rec;
    pipeline *pl;
    struct simulator *sim;
    struct lws_context *ctx;
    struct lws_vhost *vh;
    lws_sorted_usec_list_t flush_sul, tick_sul;
    bool flush_armed;
    bool quit;
    int sigfd;
    char hub_id[40];
    /* every session, and console sessions by user name (supervisors also on their list) */
    struct session *all;
    size_t nconnections;           /* sessions on `all` */
    struct session *by_user[SERVER_USER_BUCKETS];
    struct session *supervisors;
    struct session *ack_pending;   /* sessions holding acks for the current batch */
} hub;

/* Run the server until SIGINT/SIGTERM. Returns the process exit status. */
int server_run(hubcli_opts *o);


#include "base/logfile.h"

#endif
