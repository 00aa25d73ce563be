/* hub.h — the parts of the hub that the endpoints serve from: the store, the event log, the
 * pipeline, the assist stage and the recorder (opened by the composition, hub/cli/serve.c),
 * the transport they answer through, and the registry of signed-in console sessions that the
 * fan-out walks. */
#ifndef AGENTDESK_HUB_ENDPOINTS_HUB_H
#define AGENTDESK_HUB_ENDPOINTS_HUB_H

#include "hub/core/pipeline_internal.h"
#include "hub/core/recorder.h"
#include "hub/endpoints/contactlens.h"
#include "hub/net/server.h"
#include "hub/store/store.h"

struct session;
struct assist;

enum { HUB_USER_BUCKETS = 4096 };

typedef struct hub {
    store *st;
    eventlog *log;
    struct assist *as;             /* NULL: enrichment off */
    recorder *rec;
    pipeline *pl;
    net_server *net;
    char hub_id[40];
    contactlens_defaults cl;       /* what a Contact Lens contact does not say */
    /* console sessions by user name (supervisors on their own list), and the sessions
     * holding acks for the current turn */
    struct session *by_user[HUB_USER_BUCKETS];
    struct session *supervisors;
    struct session *ack_pending;
    struct agent_board *board;     /* agents' status as last sent (agent_status.h); lazily made */
    struct floor_board *floor;     /* the floor's figures as last sent (floor_metrics.h); lazily made */
    bool stopping;                 /* connections are being closed for good: nothing to tell */
    struct firehose_wait *firehose_waiting; /* Firehose requests answered after the commit */
    size_t firehose_max_bytes;              /* --firehose-max-bytes */
    bool bus;                               /* the log is a shared bus (eventlog_redis.h) */
    void *bus_reader;                       /* its waiting connection (bus_reader.c), freed at close */
    /* what a relay session sends (session.h), back to the hub of its user's console */
    void (*relay)(struct hub *h, const char *origin, const char *user, const char *frame, size_t len);
} hub;

#endif
