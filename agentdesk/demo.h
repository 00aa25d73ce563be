/* demo.h — `agentdesk --demo`: start `agentdesk-hub --demo` (the binary next to our own)
 * as a child on a free loopback port with a temporary database, and hand back the URL to
 * connect to. Its recordings are kept, for the trainer's replay, in `record_dir`
 * ($XDG_STATE_HOME/agentdesk/demo-recordings; the temporary directory when there is none). The child dies with us (PR_SET_PDEATHSIG) and is
 * stopped, and the temporary directory removed, by app_shutdown on every exit path. */
#ifndef AGENTDESK_DEMO_H
#define AGENTDESK_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include "agentdesk/app.h"

#define DEMO_TOKEN "demo-agent-1"
#define DEMO_SUPERVISOR_TOKEN "demo-supervisor"

/* `agentdesk --demo` says where its hub listens ($XDG_STATE_HOME/agentdesk/demo-hub: the URL
 * and the hub's pid), so `agentdesk monitor --demo` in a second terminal opens the floor on
 * that same hub. */
void demo_publish(const app *a, const char *url);
/* The published demo hub's URL (malloc'd, into *url, replacing it) when that hub still runs
 * and listens; false otherwise. */
bool demo_running(char **url);

/* Start the hub; a->child_pid and a->temp_dir are set. Waits (at most ~15 s) until the
 * port accepts connections. *url_out is malloc'd. false with a message. */
bool demo_start(app *a, const char *record_dir, char **url_out, char *err, size_t errlen);
/* The directory our own binary lives in (from /proc/self/exe). malloc'd or NULL. */
char *demo_self_dir(void);

#endif
