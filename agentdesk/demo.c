/* demo.c — the demo hub as a child process. */
#include "agentdesk/demo.h"
#include "agentdesk/state.h"
#include "base/mem.h"
#include "base/text.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

char *demo_self_dir(void)
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return NULL;
    buf[n] = 0;
    char *slash = strrchr(buf, '/');
    if (!slash) return NULL;
    *slash = 0;
    return mem_strdup(buf);
}

/* A port the kernel just handed out on 127.0.0.1 (closed again for the hub to take). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

static bool port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return ok;
}

/* The last lines of the hub's log, cleaned, for an error message. */
static void log_tail(const char *path, char *out, size_t n)
{
    out[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f) return;
    char buf[2048];
    size_t got = 0;
    if (fseek(f, -(long)(sizeof buf - 1), SEEK_END) != 0) rewind(f);
    got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    char *clean = text_clean(buf, got, TEXT_KEEP_NEWLINES, NULL);
    size_t len = strlen(clean);
    snprintf(out, n, "%s", len > n - 1 ? clean + len - (n - 1) : clean);
    free(clean);
}

static void exec_hub(const char *hub, int port, const char *dir, const char *record_dir)
{
    /* die with the console, whatever way it goes */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int null = open("/dev/null", O_RDWR);
    char *out = mem_printf("%s/hub.out", dir);
    int logfd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (null >= 0) dup2(null, STDIN_FILENO);
    if (logfd >= 0) { dup2(logfd, STDOUT_FILENO); dup2(logfd, STDERR_FILENO); }
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
    char *db = mem_printf("%s/hub.db", dir);
    char *rec = record_dir ? mem_strdup(record_dir) : mem_printf("%s/recordings", dir);
    char *log = mem_printf("%s/hub.log", dir);
    char *argv[] = {(char *)hub, "--demo", "--listen", listen, "--db", db, "--record-dir", rec,
                    "--log", log, NULL};
    execv(hub, argv);
    dprintf(STDERR_FILENO, "cannot run %s: %s\n", hub, strerror(errno));
    _exit(127);
}

bool demo_start(app *a, const char *record_dir, char **url_out, char *err, size_t errlen)
{
    char *self = demo_self_dir();
    if (!self) { snprintf(err, errlen, "cannot find our own binary (/proc/self/exe)"); return false; }
    char *hub = mem_printf("%s/agentdesk-hub", self);
    free(self);
    if (access(hub, X_OK) != 0) {
        snprintf(err, errlen, "--demo needs agentdesk-hub next to agentdesk (%s): %s", hub, strerror(errno));
        free(hub);
        return false;
    }
    const char *tmp = getenv("TMPDIR");
    char *tmpl = mem_printf("%s/agentdesk-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpl)) {
        snprintf(err, errlen, "cannot make a temporary directory: %s", strerror(errno));
        free(tmpl); free(hub);
        return false;
    }
    a->temp_dir = tmpl;
    int port = free_port();
    if (port <= 0) { snprintf(err, errlen, "no free loopback port"); free(hub); return false; }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) { snprintf(err, errlen, "fork: %s", strerror(errno)); free(hub); return false; }
    if (pid == 0) {
        if (getppid() != parent) _exit(1);   /* the parent already died */
        exec_hub(hub, port, tmpl, record_dir);
    }
    free(hub);
    a->child_pid = pid;
    /* the hub seeds its database first; wait for it to listen (the loop is not running yet) */
    for (int i = 0; i < 300; i++) {
        if (port_open(port)) {
            *url_out = mem_printf("ws://127.0.0.1:%d", port);
            return true;
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            a->child_pid = 0;
            char tail[600], *out = mem_printf("%s/hub.out", tmpl);
            log_tail(out, tail, sizeof tail);
            free(out);
            snprintf(err, errlen, "the demo hub exited (status %d):\n%s", WIFEXITED(status) ? WEXITSTATUS(status) : -1, tail);
            return false;
        }
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    snprintf(err, errlen, "the demo hub did not start listening on port %d", port);
    return false;
}

static char *published_path(void)
{
    char err[200];
    char *dir = state_dir(err, sizeof err);
    char *path = dir ? mem_printf("%s/demo-hub", dir) : NULL;
    free(dir);
    return path;
}

void demo_publish(const app *a, const char *url)
{
    char *path = published_path();
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "%s\n%d\n", url, (int)a->child_pid);
        fclose(f);
    }
    free(path);
}

bool demo_running(char **url)
{
    char *path = published_path();
    FILE *f = path ? fopen(path, "r") : NULL;
    free(path);
    if (!f) return false;
    char line[256];
    int pid = 0, port = 0;
    bool ok = fgets(line, sizeof line, f) && fscanf(f, "%d", &pid) == 1;
    fclose(f);
    line[strcspn(line, "\n")] = 0;
    /* only our own loopback demo hubs, and only while the hub that wrote it still runs */
    ok = ok && pid > 0 && kill(pid, 0) == 0 && sscanf(line, "ws://127.0.0.1:%d", &port) == 1 &&
         port > 0 && port_open(port);
    if (ok) {
        free(*url);
        *url = mem_strdup(line);
    }
    return ok;
}
