/* faultproxy.h — a TCP proxy on a loopback port, in its own thread, that relays a test's
 * server (Redis) to its client (a hub) and can lose one answer on purpose: armed with a marker,
 * the next client write that holds it is forwarded, the server's answer to it is swallowed
 * and both sides are closed. The command was applied; the client never learns it — the case a
 * kill of the server between its write and its reply makes, without the race. */
#ifndef AGENTDESK_TESTS_FAULTPROXY_H
#define AGENTDESK_TESTS_FAULTPROXY_H

typedef struct faultproxy faultproxy;

/* Listen on a free 127.0.0.1 port, relaying to 127.0.0.1:upstream_port. NULL on failure. */
faultproxy *faultproxy_start(int upstream_port);
int faultproxy_port(const faultproxy *p);
/* Lose the answer to the next client write holding `marker` (copied). */
void faultproxy_arm(faultproxy *p, const char *marker);
/* Answers lost so far. */
int faultproxy_fired(faultproxy *p);
/* Stop the thread, close every connection, free. */
void faultproxy_stop(faultproxy *p);

#endif
