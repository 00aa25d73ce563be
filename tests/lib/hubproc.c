/* hubproc.c — the hub binary as a test child (see hubproc.h). */
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int hubproc_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* Users go in through `agentdesk-hub import` (libtest links before libhub, and the
 * import path is what an operator uses anyway). */
int hubproc_import_users(hubproc *h, const char *const (*users)[3], size_t n)
{
    char path[400];
    snprintf(path, sizeof path, "%s/users-%ld.json", h->dir, (long)wsc_now_ms());
    FILE *fp = fopen(path, "w");
    if (!fp)
        return -1;
    fputc('[', fp);
    for (size_t i = 0; i < n; i++)
        fprintf(fp, "%s{\"name\":\"%s\",\"display_name\":\"%s\",\"role\":\"%s\",\"token\":\"%s\"}\n",
                i ? "," : "", users[i][0], users[i][0], users[i][1], users[i][2]);
    fputs("]\n", fp);
    fclose(fp);
    const char *args[] = {"import", "--db", h->db, "users", path, NULL};
    int rc = hubproc_run_tool(h, args, NULL);
    unlink(path);
    return rc == 0 ? 0 : -1;
}

int hubproc_add_user(hubproc *h, const char *name, const char *role, const char *token)
{
    const char *const one[1][3] = {{name, role, token}};
    return hubproc_import_users(h, one, 1);
}

int hubproc_setup(hubproc *h)
{
    memset(h, 0, sizeof *h);
    h->pid = -1;
    snprintf(h->dir, sizeof h->dir, "/tmp/agentdesk-test-XXXXXX");
    if (!mkdtemp(h->dir))
        return -1;
    snprintf(h->db, sizeof h->db, "%s/hub.db", h->dir);
    snprintf(h->records, sizeof h->records, "%s/records", h->dir);
    snprintf(h->log, sizeof h->log, "%s/hub.log", h->dir);
    const char *b = getenv("AGENTDESK_BUILD");
    if (!b || !*b)
        b = getenv("BUILD");
    if (!b || !*b)
        b = "build";
    snprintf(h->bin, sizeof h->bin, "%s/agentdesk-hub", b);
    const char *root = getenv("AGENTDESK_ROOT");
    snprintf(h->data, sizeof h->data, "%s/data", root && *root ? root : ".");
    h->port = hubproc_free_port();
    static const char *const users[][3] = {
        {"agent-1", "agent", "tok-agent-1"}, {"agent-2", "agent", "tok-agent-2"},
        {"agent-3", "agent", "tok-agent-3"}, {"supervisor", "supervisor", "tok-supervisor"},
        {"trainer", "trainer", "tok-trainer"}, {"ingest", "ingest", "tok-ingest"},
    };
    return hubproc_import_users(h, users, sizeof users / sizeof users[0]);
}

static bool port_answers(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

int hubproc_start(hubproc *h, const char *const *extra)
{
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", h->port);
    const char *argv[64];
    int n = 0;
    argv[n++] = h->bin;
    argv[n++] = "--listen";
    argv[n++] = listen;
    argv[n++] = "--db";
    argv[n++] = h->db;
    argv[n++] = "--record-dir";
    argv[n++] = h->records;
    argv[n++] = "--data";
    argv[n++] = h->data;
    argv[n++] = "--log";
    argv[n++] = h->log;
    for (int i = 0; extra && extra[i] && n < 62; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(h->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execv(h->bin, (char *const *)argv);
        _exit(127);
    }
    h->pid = pid;
    int64_t end = wsc_now_ms() + 15000;
    while (wsc_now_ms() < end) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            h->pid = -1;
            fprintf(stderr, "hubproc: hub exited at start (see %s)\n", h->log);
            return -1;
        }
        if (port_answers(h->port))
            return 0;
        usleep(20000);
    }
    return -1;
}

int hubproc_stop(hubproc *h, int sig)
{
    if (h->pid <= 0)
        return -1;
    kill(h->pid, sig);
    int st;
    waitpid(h->pid, &st, 0);
    h->pid = -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void hubproc_cleanup(hubproc *h)
{
    hubproc_stop(h, SIGKILL);
    if (!h->dir[0] || getenv("AGENTDESK_KEEP_TMP"))
        return;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", h->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "hubproc: could not remove %s\n", h->dir);
}

char *hubproc_http_raw(const hubproc *h, const char *path)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)h->port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    char req[256];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
    if (write(fd, req, (size_t)n) != n) {
        close(fd);
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    long r;
    while (buf && (r = wsc_raw_read(fd, buf + len, cap - len - 1, 3000)) > 0) {
        len += (size_t)r;
        if (len + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    close(fd);
    if (!buf)
        return NULL;
    buf[len] = 0;
    return buf;
}

char *hubproc_http_get(const hubproc *h, const char *path)
{
    char *buf = hubproc_http_raw(h, path);
    if (!buf)
        return NULL;
    char *body = strstr(buf, "\r\n\r\n");
    if (!body || !strstr(buf, " 200 ")) {
        free(buf);
        return NULL;
    }
    char *out = strdup(body + 4);
    free(buf);
    return out;
}

double hubproc_metric(const hubproc *h, const char *series)
{
    char *m = hubproc_http_get(h, "/metrics");
    if (!m)
        return -1;
    double v = -1;
    size_t sl = strlen(series);
    for (char *line = strtok(m, "\n"); line; line = strtok(NULL, "\n"))
        if (strncmp(line, series, sl) == 0 && line[sl] == ' ') {
            v = atof(line + sl + 1);
            break;
        }
    free(m);
    return v;
}

int hubproc_run_tool(const hubproc *h, const char *const *args, const char *env_token)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(h->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        if (env_token)
            setenv("AGENTDESK_TOKEN", env_token, 1);
        const char *argv[32];
        int n = 0;
        argv[n++] = h->bin;
        for (int i = 0; args[i] && n < 31; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        execv(h->bin, (char *const *)argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}
