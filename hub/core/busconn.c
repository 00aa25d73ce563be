/* busconn.c — the Redis connections of a shared bus, plain or TLS (busconn.h). */
#include "hub/core/busconn.h"
#include "base/mem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* ---- the RESP reader ---- */

static redisReplyObjectFunctions bounded;
static void *(*default_array)(const redisReadTask *, int);

/* NULL makes the reader fail ("out of memory") and the caller close the connection */
static void *bounded_array(const redisReadTask *task, int elements)
{
    if (elements < 0 || elements > BUS_MAX_ELEMENTS)
        return NULL;
    return default_array(task, elements);
}

redisReader *bus_reader_create(void)
{
    if (!default_array) {
        /* hiredis keeps its default functions private: take them from a default reader */
        redisReader *plain = redisReaderCreate();
        if (!plain)
            return NULL;
        bounded = *plain->fn;
        default_array = bounded.createArray;
        bounded.createArray = bounded_array;
        redisReaderFree(plain);
    }
    return redisReaderCreateWithFunctions(&bounded);
}

/* ---- TLS, shared by both ---- */

static void tls_error(char *err, size_t errlen, const char *what, SSL *ssl)
{
    unsigned long e = ERR_get_error();
    char why[200] = "";
    if (ssl && SSL_get_verify_result(ssl) != X509_V_OK)
        snprintf(why, sizeof why, "certificate: %s", X509_verify_cert_error_string(SSL_get_verify_result(ssl)));
    else if (e)
        ERR_error_string_n(e, why, sizeof why);
    else
        snprintf(why, sizeof why, "%s", errno ? strerror(errno) : "the connection closed");
    ERR_clear_error();
    snprintf(err, errlen, "%s: %s", what, why);
}

static SSL_CTX *tls_context(const bus_tls *tls, char *err, size_t errlen)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        tls_error(err, errlen, "TLS", NULL);
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    int ok = tls->ca_file[0] ? SSL_CTX_load_verify_locations(ctx, tls->ca_file, NULL)
                             : SSL_CTX_set_default_verify_paths(ctx);
    if (ok != 1) {
        tls_error(err, errlen, tls->ca_file[0] ? "--bus-ca-file" : "the system's CAs", NULL);
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (tls->cert_file[0] && (SSL_CTX_use_certificate_chain_file(ctx, tls->cert_file) != 1 ||
                              SSL_CTX_use_PrivateKey_file(ctx, tls->key_file, SSL_FILETYPE_PEM) != 1 ||
                              SSL_CTX_check_private_key(ctx) != 1)) {
        tls_error(err, errlen, "--bus-cert / --bus-key", NULL);
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* Redis's certificate must name the host we asked for: its address or its name. */
static SSL *tls_session(SSL_CTX *ctx, const char *host, char *err, size_t errlen)
{
    SSL *ssl = SSL_new(ctx);
    if (!ssl) {
        tls_error(err, errlen, "TLS", NULL);
        return NULL;
    }
    unsigned char addr[16];
    bool ip = inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
    int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
                : SSL_set1_host(ssl, host) == 1 && SSL_set_tlsext_host_name(ssl, host) == 1;
    if (!ok) {
        tls_error(err, errlen, "TLS host check", NULL);
        SSL_free(ssl);
        return NULL;
    }
    return ssl;
}

/* ---- busconn ---- */

struct busconn {
    int fd;
    SSL_CTX *ctx;
    SSL *ssl;
    redisReader *reader;
    int op_timeout_ms;
    char error[200];
};

static int connect_tcp(const char *host, int port, int timeout_ms, char *err, size_t errlen)
{
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai = NULL;
    int rc = getaddrinfo(host, service, &hints, &ai);
    if (rc != 0) {
        snprintf(err, errlen, "%.80s:%d: %s", host, port, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            continue;
        int rc = connect(fd, a->ai_addr, a->ai_addrlen);
        if (rc == 0)
            break;
        if (errno == EINPROGRESS) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            int soerr = 0;
            socklen_t sl = sizeof soerr;
            if (poll(&p, 1, timeout_ms) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0 || soerr) {
                errno = soerr ? soerr : ETIMEDOUT;
                close(fd);
                fd = -1;
            }
        } else {
            int e = errno;
            close(fd);
            fd = -1;
            errno = e;
        }
    }
    freeaddrinfo(ai);
    if (fd < 0)
        snprintf(err, errlen, "%.80s:%d: %s", host, port, strerror(errno ? errno : ECONNREFUSED));
    return fd;
}

/* Blocking from here, each read or write bounded by the exchange's deadline. */
static void set_blocking(int fd, int timeout_ms)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
}

busconn *busconn_open(const char *host, int port, const bus_tls *tls, int timeout_ms, int op_timeout_ms,
                      char *err, size_t errlen)
{
    int fd = connect_tcp(host, port, timeout_ms, err, errlen);
    if (fd < 0)
        return NULL;
    busconn *c = mem_zalloc(1, sizeof *c);
    c->fd = fd;
    c->op_timeout_ms = op_timeout_ms;
    c->reader = bus_reader_create();
    set_blocking(fd, timeout_ms);
    if (tls && tls->on) {
        if (!(c->ctx = tls_context(tls, err, errlen)) || !(c->ssl = tls_session(c->ctx, host, err, errlen)) ||
            SSL_set_fd(c->ssl, fd) != 1) {
            busconn_free(c);
            return NULL;
        }
        if (SSL_connect(c->ssl) != 1) {
            tls_error(err, errlen, "TLS handshake with Redis", c->ssl);
            busconn_free(c);
            return NULL;
        }
    }
    set_blocking(fd, op_timeout_ms);
    return c;
}

static long io(busconn *c, bool write_, void *buf, size_t n)
{
    errno = 0;
    if (c->ssl) {
        int r = write_ ? SSL_write(c->ssl, buf, (int)n) : SSL_read(c->ssl, buf, (int)n);
        if (r <= 0) {
            tls_error(c->error, sizeof c->error, write_ ? "TLS write" : "TLS read", NULL);
            return -1;
        }
        return r;
    }
    ssize_t r = write_ ? send(c->fd, buf, n, MSG_NOSIGNAL) : recv(c->fd, buf, n, 0);
    if (r <= 0) {
        snprintf(c->error, sizeof c->error, "%s", r == 0 ? "the connection closed"
                                                 : errno == EAGAIN || errno == EWOULDBLOCK ? "timed out"
                                                                                            : strerror(errno));
        return -1;
    }
    return r;
}

redisReply *busconn_command(busconn *c, int argc, const char **argv, const size_t *lens)
{
    char *cmd = NULL;
    int n = redisFormatCommandArgv(&cmd, argc, argv, lens);
    if (n < 0) {
        snprintf(c->error, sizeof c->error, "out of memory");
        return NULL;
    }
    for (size_t off = 0; off < (size_t)n;) {
        long w = io(c, true, cmd + off, (size_t)n - off);
        if (w < 0) {
            free(cmd);
            return NULL;
        }
        off += (size_t)w;
    }
    free(cmd);
    for (;;) {
        void *reply = NULL;
        if (redisReaderGetReply(c->reader, &reply) != REDIS_OK) {
            snprintf(c->error, sizeof c->error, "Redis's answer could not be read");
            return NULL;
        }
        if (reply)
            return reply;
        char buf[16384];
        long r = io(c, false, buf, sizeof buf);
        if (r < 0 || redisReaderFeed(c->reader, buf, (size_t)r) != REDIS_OK)
            return NULL;
    }
}

const char *busconn_error(const busconn *c)
{
    return c->error;
}

void busconn_free(busconn *c)
{
    if (!c)
        return;
    if (c->ssl)
        SSL_free(c->ssl);
    if (c->ctx)
        SSL_CTX_free(c->ctx);
    if (c->fd >= 0)
        close(c->fd);
    if (c->reader)
        redisReaderFree(c->reader);
    free(c);
}

/* ---- bustls_stream ---- */

struct bustls_stream {
    SSL_CTX *ctx;
    SSL *ssl;
    BIO *in, *out;       /* owned by ssl */
    char *plain;         /* written before the handshake finished */
    size_t nplain;
    char error[200];
};

bustls_stream *bustls_stream_new(const char *host, const bus_tls *tls, char *err, size_t errlen)
{
    bustls_stream *t = mem_zalloc(1, sizeof *t);
    if (!(t->ctx = tls_context(tls, err, errlen)) || !(t->ssl = tls_session(t->ctx, host, err, errlen))) {
        bustls_stream_free(t);
        return NULL;
    }
    t->in = BIO_new(BIO_s_mem());
    t->out = BIO_new(BIO_s_mem());
    SSL_set_bio(t->ssl, t->in, t->out);
    SSL_set_connect_state(t->ssl);
    SSL_do_handshake(t->ssl);   /* the ClientHello, in the output */
    return t;
}

/* After the handshake, what was written before it goes out. */
static int progress(bustls_stream *t)
{
    if (!SSL_is_init_finished(t->ssl)) {
        int r = SSL_do_handshake(t->ssl);
        if (r != 1) {
            int e = SSL_get_error(t->ssl, r);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
                return 0;
            tls_error(t->error, sizeof t->error, "TLS handshake with Redis", t->ssl);
            return -1;
        }
    }
    if (t->nplain) {
        if (SSL_write(t->ssl, t->plain, (int)t->nplain) <= 0) {
            tls_error(t->error, sizeof t->error, "TLS write", NULL);
            return -1;
        }
        free(t->plain);
        t->plain = NULL;
        t->nplain = 0;
    }
    return 0;
}

int bustls_stream_feed(bustls_stream *t, const char *in, size_t n)
{
    if (n && BIO_write(t->in, in, (int)n) != (int)n) {
        snprintf(t->error, sizeof t->error, "TLS: out of memory");
        return -1;
    }
    return progress(t);
}

long bustls_stream_read(bustls_stream *t, char *out, size_t cap)
{
    if (!SSL_is_init_finished(t->ssl))
        return 0;
    int r = SSL_read(t->ssl, out, (int)cap);
    if (r > 0)
        return r;
    int e = SSL_get_error(t->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
        return 0;
    tls_error(t->error, sizeof t->error, "TLS read", t->ssl);
    return -1;
}

int bustls_stream_write(bustls_stream *t, const char *in, size_t n)
{
    t->plain = mem_realloc(t->plain, t->nplain + n);
    memcpy(t->plain + t->nplain, in, n);
    t->nplain += n;
    return SSL_is_init_finished(t->ssl) ? progress(t) : 0;
}

size_t bustls_stream_output(bustls_stream *t, char **out)
{
    size_t n = (size_t)BIO_ctrl_pending(t->out);
    if (n == 0)
        return 0;
    *out = mem_alloc(n);
    int r = BIO_read(t->out, *out, (int)n);
    if (r <= 0) {
        free(*out);
        *out = NULL;
        return 0;
    }
    return (size_t)r;
}

const char *bustls_stream_error(const bustls_stream *t)
{
    return t->error;
}

void bustls_stream_free(bustls_stream *t)
{
    if (!t)
        return;
    if (t->ssl)
        SSL_free(t->ssl);   /* and its BIOs */
    if (t->ctx)
        SSL_CTX_free(t->ctx);
    free(t->plain);
    free(t);
}
