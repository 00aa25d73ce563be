/* replay_hub.h — the trainer's side of a hub: `agentdesk replay --url URL --list` lists the
 * hub's recordings by outcome (exemplars first), asks which to play and downloads it;
 * `--iid IID` downloads one; `--confirm/--reject/--clear IID` gives a verdict on an exemplar
 * (see agentdesk(1), REPLAY, and docs/PROTOCOL.md, recordings.list).
 *
 * Each exchange with the hub runs in a child process with its own event loop (app.c allows
 * one loop per process, and the player that follows needs its own), connected with the
 * trainer's token; the parent reads what it wrote. Everything the hub sends is cleaned
 * before it is printed, and a downloaded recording is written whole (temporary file, fsync,
 * rename) under $XDG_STATE_HOME/agentdesk/hub-recordings, its notes beside it. */
#ifndef AGENTDESK_REPLAY_HUB_H
#define AGENTDESK_REPLAY_HUB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *url, *token;
    const char *sort, *queue, *agent;  /* the list's order and filters (NULL: newest, any) */
    bool exemplars;                    /* only confirmed and proposed exemplars */
    const char *iid;                   /* download (or give a verdict on) this one */
    const char *verdict;               /* "confirmed", "rejected" or "cleared" */
    const char *tags, *comment;
    bool ask;                          /* a person at the keyboard picks from the list */
} replay_hub_request;

/* --list (no iid) or --iid: the path of the downloaded recording (malloc'd); NULL with a
 * message, or NULL with err "" when the list was printed and nothing was picked. */
char *replay_hub_fetch(const replay_hub_request *rq, char *err, size_t errlen);
/* --confirm/--reject/--clear: true once the hub acked the verdict. */
bool replay_hub_verdict(const replay_hub_request *rq, char *err, size_t errlen);

#endif
