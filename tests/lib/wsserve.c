/* wsserve.c — see wsserve.h. */
#include "tests/lib/wsserve.h"
#include "tests/lib/hubproc.h"

#include <jansson.h>
#include <libwebsockets.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct wsserve {
    struct lws_context *ctx;
    struct lws_protocols protocols[2];
    char subprotocol[64];
    const wsserve_script *scripts;
    size_t nscripts;
    int port;
    pthread_t thread;
    atomic_bool stop;
};

typedef struct {
    const wsserve_script *script;   /* NULL until the hello */
    size_t next;                    /* the next piece to send */
    bool refuse;                    /* unknown token: close */
} conn;

static const wsserve_script *script_for(const wsserve *s, const char *data, size_t len)
{
    json_t *hello = json_loadb(data, len, 0, NULL);
    const char *token = json_string_value(json_object_get(hello, "token"));
    const wsserve_script *found = NULL;
    for (size_t i = 0; token && i < s->nscripts && !found; i++)
        if (strcmp(s->scripts[i].token, token) == 0) found = &s->scripts[i];
    json_decref(hello);
    return found;
}

static int close_with(struct lws *wsi, int status, const char *reason)
{
    lws_close_reason(wsi, (enum lws_close_status)status, (unsigned char *)reason, strlen(reason));
    return -1;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    conn *c = user;
    wsserve *s = lws_context_user(lws_get_context(wsi));
    switch (reason) {
    case LWS_CALLBACK_ESTABLISHED:
        memset(c, 0, sizeof *c);
        break;
    case LWS_CALLBACK_RECEIVE:
        if (c->script || c->refuse) break;   /* after the hello the script runs on its own */
        c->script = script_for(s, in, len);
        c->refuse = !c->script;
        lws_callback_on_writable(wsi);
        break;
    case LWS_CALLBACK_SERVER_WRITEABLE: {
        if (c->refuse) return close_with(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION, "no script");
        if (!c->script) break;
        if (c->next == c->script->npieces) {
            if (c->script->close_status)
                return close_with(wsi, c->script->close_status, c->script->close_reason);
            break;
        }
        const wsserve_piece *p = &c->script->pieces[c->next++];
        unsigned char *buf = malloc(LWS_PRE + p->len);
        if (!buf) return -1;
        memcpy(buf + LWS_PRE, p->data, p->len);
        int flags = lws_write_ws_flags(LWS_WRITE_TEXT, p->first, p->last);
        int w = lws_write(wsi, buf + LWS_PRE, p->len, (enum lws_write_protocol)flags);
        free(buf);
        if (w < (int)p->len) return -1;
        lws_callback_on_writable(wsi);
        break;
    }
    default:
        break;
    }
    return 0;
}

static void *service(void *arg)
{
    wsserve *s = arg;
    while (!atomic_load(&s->stop) && lws_service(s->ctx, 0) >= 0) {}
    return NULL;
}

wsserve *wsserve_start(const char *subprotocol, const wsserve_script *scripts, size_t n)
{
    wsserve *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    snprintf(s->subprotocol, sizeof s->subprotocol, "%s", subprotocol);
    s->scripts = scripts;
    s->nscripts = n;
    s->port = hubproc_free_port();
    s->protocols[0] = (struct lws_protocols){s->subprotocol, callback, sizeof(conn), 4096, 0, NULL, 0};
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = s->port;
    info.iface = "127.0.0.1";
    info.protocols = s->protocols;
    info.user = s;
    info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
    s->ctx = s->port > 0 ? lws_create_context(&info) : NULL;
    if (!s->ctx || pthread_create(&s->thread, NULL, service, s) != 0) {
        if (s->ctx) lws_context_destroy(s->ctx);
        free(s);
        return NULL;
    }
    return s;
}

int wsserve_port(const wsserve *s) { return s->port; }

void wsserve_stop(wsserve *s)
{
    if (!s) return;
    atomic_store(&s->stop, true);
    lws_cancel_service(s->ctx);
    pthread_join(s->thread, NULL);
    lws_context_destroy(s->ctx);
    free(s);
}

size_t wsserve_split(const char *data, size_t len, size_t size, wsserve_piece *out, size_t max)
{
    size_t n = 0;
    for (size_t off = 0; off < len; off += size) {
        if (n == max) return 0;
        size_t piece = len - off < size ? len - off : size;
        out[n++] = (wsserve_piece){data + off, piece, off == 0, off + piece == len};
    }
    return n;
}
