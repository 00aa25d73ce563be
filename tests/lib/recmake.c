/* recmake.c — a recording made by the real hub (see recmake.h). */
#include "tests/lib/recmake.h"
#include "tests/lib/wsc.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool acked(wsc *c, json_t *ev, int *n)
{
    char id[32];
    snprintf(id, sizeof id, "r-%d", ++*n);
    json_object_set_new(ev, "id", json_string(id));
    char *s = json_dumps(ev, JSON_COMPACT);
    json_decref(ev);
    wsc_send(c, s);
    free(s);
    json_t *a = wsc_recv_answer(c, id, 10000);
    bool ok = a && strcmp(wsc_type(a), "ack") == 0;
    if (!ok) fprintf(stderr, "recmake: no ack for %s\n", id);
    json_decref(a);
    return ok;
}

static const struct { const char *speaker, *text; bool partial_first; } script[] = {
    {"agent", "Hello, billing team, this call is recorded for training and quality. How can I help?", false},
    {"customer", "Hi, my bill is overdue and I cant pay it right now", true},
    {"agent", "I'm sorry to hear that. Can I take your name and postcode?", false},
    {"customer", "This is absolutely terrible, I am furious, you charged me twice and nobody helps", true},
    {"agent", "I understand, that is not good enough. I can see the double charge and I will refund it today.", false},
    {"customer", "\x1b[31mred\x1b[0m text and a bell \x07 in what I say", false},
    {"customer", "Thank you, that is great, really helpful, I appreciate it", true},
    {"agent", "You're welcome. Is there anything else I can do?", false},
    {"customer", "No that's all, thanks so much, brilliant service", false},
};

char *recmake_call(hubproc *h, const char *iid)
{
    if (hubproc_setup(h) != 0 || hubproc_start(h, NULL) != 0) {
        fprintf(stderr, "recmake: cannot start the hub\n");
        return NULL;
    }
    wsc_ctx *x = wsc_ctx_new();
    wsc *c = wsc_connect(x, h->port, "agentdesk.ingest.v1", 5000);
    bool ok = c != NULL;
    if (ok) {
        wsc_send(c, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"recmake\"}");
        json_decref(wsc_recv(c, 5000));
    }
    int n = 0;
    ok = ok && acked(c, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "start", "iid", iid, "channel",
                                  "voice", "queue", "billing", "agent", "agent-1", "customer_id", "C-1001"), &n);
    for (size_t i = 0; ok && i < sizeof script / sizeof *script; i++) {
        char uid[16];
        snprintf(uid, sizeof uid, "u%zu", i);
        int off = (int)i * 4000;
        if (script[i].partial_first) {
            char half[64];
            snprintf(half, sizeof half, "%.20s", script[i].text);
            ok = acked(c, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:i}", "type", "utterance", "iid", iid,
                                    "uid", uid, "speaker", script[i].speaker, "text", half, "final", 0,
                                    "offset_ms", off), &n);
            usleep(150 * 1000);   /* the recording's clock: partial and final apart */
        }
        ok = ok && acked(c, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:i}", "type", "utterance", "iid", iid,
                                      "uid", uid, "speaker", script[i].speaker, "text", script[i].text,
                                      "final", 1, "offset_ms", off + 1500), &n);
        usleep(150 * 1000);
    }
    ok = ok && acked(c, json_pack("{s:s, s:s, s:s}", "type", "end", "iid", iid, "reason", "resolved"), &n);
    wsc_ctx_free(x);
    usleep(300 * 1000);   /* the end's enrichment (summary) and the recording's close */
    if (hubproc_stop(h, SIGTERM) != 0) fprintf(stderr, "recmake: the hub did not stop cleanly\n");
    if (!ok) return NULL;
    char *path = malloc(strlen(h->records) + strlen(iid) + 16);
    sprintf(path, "%s/%s.jsonl", h->records, iid);
    return access(path, R_OK) == 0 ? path : (free(path), NULL);
}
