/* hubproc.h — run the real agentdesk-hub binary as a child for tests and benchmarks: a
 * temporary directory with its database (users imported with `agentdesk-hub import`), a free
 * loopback port, start / kill -9 / restart, and clean-up. The binary is
 * $AGENTDESK_BUILD/agentdesk-hub (else $BUILD/, else build/); data is $AGENTDESK_ROOT/data. */
#ifndef AGENTDESK_TESTS_HUBPROC_H
#define AGENTDESK_TESTS_HUBPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;
    int port;
    char dir[256];
    char db[320];
    char records[320];
    char log[320];
    char bin[512];
    char data[512];
} hubproc;

/* Temp dir, paths, a free port, and the standard users: agent-1..agent-3 (tokens
 * tok-agent-1..3), supervisor (tok-supervisor), trainer (tok-trainer), ingest (tok-ingest).
 * 0 or -1. */
int hubproc_setup(hubproc *h);
/* Import users {name, role, token} through `agentdesk-hub import`. 0 or -1. */
int hubproc_import_users(hubproc *h, const char *const (*users)[3], size_t n);
/* Add a user to the database (hub stopped or running). 0 or -1. */
int hubproc_add_user(hubproc *h, const char *name, const char *role, const char *token);
/* Start the hub with extra arguments (NULL-terminated list, may be NULL) and wait until
 * /healthz answers. 0 or -1. */
int hubproc_start(hubproc *h, const char *const *extra);
/* Send `sig` and reap: the exit status (128 + signal when killed by one), -1 if not running.
 * Under ASan a leak at exit makes it non-zero. */
int hubproc_stop(hubproc *h, int sig);
/* Stop if running and remove the temporary directory. */
void hubproc_cleanup(hubproc *h);
/* GET path over HTTP; malloc'd body or NULL. */
char *hubproc_http_get(const hubproc *h, const char *path);
/* The whole HTTP answer (status line, headers, body) to GET path, any status; NULL when
 * the hub cannot be reached. Caller frees. */
char *hubproc_http_raw(const hubproc *h, const char *path);
/* A number from one line of /metrics ("name{labels} value"), or -1. */
double hubproc_metric(const hubproc *h, const char *series);
/* Run `agentdesk-hub ARGS...` to completion (stdout/stderr to the hub log); exit status. */
int hubproc_run_tool(const hubproc *h, const char *const *args, const char *env_token);
/* A free TCP port on 127.0.0.1. */
int hubproc_free_port(void);

#endif
