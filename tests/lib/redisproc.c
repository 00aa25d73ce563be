/* redisproc.c — a private redis-server as a test child, and a small RESP client (see
 * redisproc.h). */
#include "tests/lib/redisproc.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *server_binary(void)
{
    const char *b = getenv("AGENTDESK_REDIS");
    return b && *b ? b : "/usr/bin/redis-check-rdb";
}

int redisproc_setup(redisproc *r)
{
    memset(r, 0, sizeof *r);
    r->pid = -1;
    const char *real = server_binary();
    if (access(real, X_OK) != 0) {
        fprintf(stderr, "redisproc: %s is missing: install Debian's redis-tools (scripts/deps.sh does)\n", real);
        return -1;
    }
    snprintf(r->dir, sizeof r->dir, "/tmp/agentdesk-redis-XXXXXX");
    if (!mkdtemp(r->dir)) {
        fprintf(stderr, "redisproc: cannot make a temporary directory: %s\n", strerror(errno));
        r->dir[0] = 0;
        return -1;
    }
    snprintf(r->bin, sizeof r->bin, "%s/redis-server", r->dir);
    snprintf(r->log, sizeof r->log, "%s/redis.log", r->dir);
    if (symlink(real, r->bin) != 0) {
        fprintf(stderr, "redisproc: cannot link %s to %s: %s\n", r->bin, real, strerror(errno));
        return -1;
    }
    r->port = hubproc_free_port();
    return r->port > 0 ? 0 : -1;
}

int redisproc_start(redisproc *r)
{
    char port[16];
    snprintf(port, sizeof port, "%d", r->port);
    const char *argv[32];
    int n = 0;
    argv[n++] = r->bin;
    argv[n++] = "--port";
    argv[n++] = port;
    argv[n++] = "--bind";
    argv[n++] = "127.0.0.1";
    argv[n++] = "--dir";
    argv[n++] = r->dir;
    /* durable at the ack: the hubs acknowledge ingest once Redis has it, and the tests kill
     * Redis with -9 */
    argv[n++] = "--appendonly";
    argv[n++] = "yes";
    argv[n++] = "--appendfsync";
    argv[n++] = "always";
    argv[n++] = "--save";
    argv[n++] = "";
    argv[n++] = "--daemonize";
    argv[n++] = "no";
    argv[n++] = "--logfile";
    argv[n++] = r->log;
    if (r->password[0]) {
        argv[n++] = "--requirepass";
        argv[n++] = r->password;
    }
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(r->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execv(r->bin, (char *const *)argv);
        _exit(127);
    }
    r->pid = pid;
    int64_t end = wsc_now_ms() + 15000;
    while (wsc_now_ms() < end) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            r->pid = -1;
            fprintf(stderr, "redisproc: redis-server exited at start (see %s)\n", r->log);
            return -1;
        }
        if (redisproc_ping(r, 500))
            return 0;
        usleep(20000);
    }
    fprintf(stderr, "redisproc: redis-server does not answer PING on port %d (see %s)\n", r->port, r->log);
    return -1;
}

int redisproc_stop(redisproc *r, int sig)
{
    if (r->pid <= 0)
        return -1;
    kill(r->pid, sig);
    int st;
    waitpid(r->pid, &st, 0);
    r->pid = -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void redisproc_cleanup(redisproc *r)
{
    redisproc_stop(r, SIGKILL);
    if (!r->dir[0] || getenv("AGENTDESK_KEEP_TMP"))
        return;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", r->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "redisproc: could not remove %s\n", r->dir);
}

const char *redisproc_url(const redisproc *r, const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "redis://127.0.0.1:%d/%s", r->port, name);
    return buf;
}

/* ---- RESP ---- */

typedef struct {
    int fd;
    char buf[65536];
    size_t len, off;
    int64_t deadline;
} conn;

static int fill(conn *c)
{
    if (c->off > 0) {
        memmove(c->buf, c->buf + c->off, c->len - c->off);
        c->len -= c->off;
        c->off = 0;
    }
    if (c->len == sizeof c->buf)
        return -1;
    int64_t left = c->deadline - wsc_now_ms();
    if (left <= 0)
        return -1;
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    if (poll(&p, 1, (int)left) <= 0)
        return -1;
    ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
    if (n <= 0)
        return -1;
    c->len += (size_t)n;
    return 0;
}

/* One CRLF-terminated line (without it) into out. */
static int read_line(conn *c, char *out, size_t cap)
{
    for (;;) {
        char *nl = memmem(c->buf + c->off, c->len - c->off, "\r\n", 2);
        if (nl) {
            size_t n = (size_t)(nl - (c->buf + c->off));
            if (n >= cap)
                return -1;
            memcpy(out, c->buf + c->off, n);
            out[n] = 0;
            c->off += n + 2;
            return 0;
        }
        if (fill(c) != 0)
            return -1;
    }
}

static int read_exact(conn *c, char *out, size_t n)
{
    size_t got = 0;
    while (got < n) {
        if (c->off == c->len && fill(c) != 0)
            return -1;
        size_t k = c->len - c->off < n - got ? c->len - c->off : n - got;
        memcpy(out + got, c->buf + c->off, k);
        c->off += k;
        got += k;
    }
    return 0;
}

static json_t *read_reply(conn *c, int depth)
{
    char line[512];
    if (depth > 16 || read_line(c, line, sizeof line) != 0 || !line[0])
        return NULL;
    long long n = atoll(line + 1);
    switch (line[0]) {
    case '+':
        return json_string(line + 1);
    case '-':
        return json_pack("{s:s}", "error", line + 1);
    case ':':
        return json_integer(n);
    case '$': {
        if (n < 0)
            return json_null();
        char *s = malloc((size_t)n + 2);
        if (!s || read_exact(c, s, (size_t)n + 2) != 0) {
            free(s);
            return NULL;
        }
        json_t *j = json_stringn(s, (size_t)n);
        free(s);
        return j;
    }
    case '*': {
        if (n < 0)
            return json_null();
        json_t *a = json_array();
        for (long long i = 0; i < n; i++) {
            json_t *e = read_reply(c, depth + 1);
            if (!e) {
                json_decref(a);
                return NULL;
            }
            json_array_append_new(a, e);
        }
        return a;
    }
    default:
        return NULL;
    }
}

static int send_command(conn *c, int argc, const char *const *argv)
{
    size_t cap = 64, len = 0;
    for (int i = 0; i < argc; i++)
        cap += strlen(argv[i]) + 32;
    char *out = malloc(cap);
    if (!out)
        return -1;
    len += (size_t)snprintf(out, cap, "*%d\r\n", argc);
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]);
        len += (size_t)snprintf(out + len, cap - len, "$%zu\r\n", l);
        memcpy(out + len, argv[i], l);
        len += l;
        memcpy(out + len, "\r\n", 2);
        len += 2;
    }
    int rc = wsc_raw_write(c->fd, out, len);
    free(out);
    return rc;
}

static json_t *command_timeout(const redisproc *r, int argc, const char *const *argv, int timeout_ms)
{
    conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->deadline = wsc_now_ms() + timeout_ms;
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)r->port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    json_t *reply = NULL;
    if (c->fd >= 0 && connect(c->fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
        bool authed = true;
        if (r->password[0]) {
            const char *auth[] = {"AUTH", r->password};
            json_t *a = send_command(c, 2, auth) == 0 ? read_reply(c, 0) : NULL;
            authed = json_is_string(a);
            json_decref(a);
        }
        if (authed && send_command(c, argc, argv) == 0)
            reply = read_reply(c, 0);
    }
    if (c->fd >= 0)
        close(c->fd);
    free(c);
    return reply;
}

json_t *redisproc_command(const redisproc *r, int argc, const char *const *argv)
{
    return command_timeout(r, argc, argv, 10000);
}

bool redisproc_ping(const redisproc *r, int timeout_ms)
{
    const char *ping[] = {"PING"};
    json_t *j = command_timeout(r, 1, ping, timeout_ms);
    bool ok = json_is_string(j) && strcmp(json_string_value(j), "PONG") == 0;
    json_decref(j);
    return ok;
}

long redisproc_stream_seqs(const redisproc *r, const char *key, int64_t **seqs, json_t **frames,
                           char *bad_id, size_t bad_len)
{
    *seqs = NULL;
    if (frames)
        *frames = NULL;
    if (bad_id && bad_len)
        bad_id[0] = 0;
    const char *argv[] = {"XRANGE", key, "-", "+"};
    json_t *j = command_timeout(r, 4, argv, 30000);
    if (!json_is_array(j)) {
        json_decref(j);
        return -1;
    }
    size_t n = json_array_size(j);
    *seqs = calloc(n + 1, sizeof **seqs);
    if (frames)
        *frames = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(j, i);
        const char *id = json_string_value(json_array_get(e, 0));
        char *end = NULL;
        long long s = id ? strtoll(id, &end, 10) : -1;
        if (!id || s <= 0 || strcmp(end, "-0") != 0) {
            if (bad_id && bad_len)
                snprintf(bad_id, bad_len, "%s", id ? id : "(not a string)");
            free(*seqs);
            *seqs = NULL;
            if (frames) {
                json_decref(*frames);
                *frames = NULL;
            }
            json_decref(j);
            return -1;
        }
        (*seqs)[i] = s;
        if (frames) {
            json_t *fv = json_array_get(e, 1), *o = json_object();
            for (size_t k = 0; k + 1 < json_array_size(fv); k += 2)
                json_object_set(o, json_string_value(json_array_get(fv, k)), json_array_get(fv, k + 1));
            json_array_append_new(*frames, o);
        }
    }
    json_decref(j);
    return (long)n;
}
