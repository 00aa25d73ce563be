/* state.c — the state directory and the per-hub, per-identity file names. */
#include "agentdesk/state.h"
#include "base/mem.h"
#include "base/strhash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_PREFIX_MAX 40

static bool mkdir_p(const char *dir, char *err, size_t errlen)
{
    char *p = mem_strdup(dir);
    bool ok = true;
    for (char *s = p + 1; ok && *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0700) < 0 && errno != EEXIST) ok = false;
        *s = '/';
    }
    if (ok && mkdir(p, 0700) < 0 && errno != EEXIST) ok = false;
    struct stat st;
    if (ok && (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) { ok = false; errno = ENOTDIR; }
    if (!ok) snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
    free(p);
    return ok;
}

/* Permissions say little (root ignores them, a read-only mount does not show in them):
 * create and remove a file to know. */
static bool writable(const char *dir, char *err, size_t errlen)
{
    char *probe = mem_printf("%s/.write-test-XXXXXX", dir);
    int fd = mkstemp(probe);
    bool ok = fd >= 0;
    if (!ok) snprintf(err, errlen, "cannot write in %s: %s", dir, strerror(errno));
    else { close(fd); unlink(probe); }
    free(probe);
    return ok;
}

char *state_dir(char *err, size_t errlen)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    struct passwd *pw = getpwuid(getuid());
    if ((!home || !*home) && pw) home = pw->pw_dir;
    char *dir;
    if (state && *state == '/') dir = mem_printf("%s/agentdesk", state);
    else if (home && *home) dir = mem_printf("%s/.local/state/agentdesk", home);
    else {
        snprintf(err, errlen, "no state directory (neither XDG_STATE_HOME nor HOME is set)");
        return NULL;
    }
    if (!mkdir_p(dir, err, errlen) || !writable(dir, err, errlen)) { free(dir); return NULL; }
    return dir;
}

char *state_file(const char *dir, const char *kind, const char *url, const char *token)
{
    /* "ws://Hub.example:7300/" and "ws://Hub.example:7300" are one hub */
    size_t n = strlen(url);
    while (n > 1 && url[n - 1] == '/') n--;
    char *canon = mem_strndup(url, n);
    uint64_t h = strhash_fnv1a64(STRHASH64_SEED, canon, strlen(canon));
    const char *tok = token ? token : "";
    h = strhash_fnv1a64(h ^ '\n', tok, strlen(tok));
    /* a readable prefix: the host and port, anything else folded to '_' */
    const char *p = strstr(canon, "://");
    p = p ? p + 3 : canon;
    char prefix[STATE_PREFIX_MAX + 1];
    size_t k = 0;
    for (; *p && *p != '/' && k < STATE_PREFIX_MAX; p++) {
        char c = *p;
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '-';
        prefix[k++] = plain ? c : '_';
    }
    prefix[k] = 0;
    char *path = mem_printf("%s/%s-%s-%016llx.jsonl", dir, kind, k ? prefix : "hub",
                            (unsigned long long)h);
    free(canon);
    return path;
}

size_t state_legacy_outbox(const char *dir, char **path)
{
    struct passwd *pw = getpwuid(getuid());
    char *p = mem_printf("%s/outbox-%s.jsonl", dir, pw && pw->pw_name ? pw->pw_name : "user");
    FILE *f = fopen(p, "re");
    size_t n = 0;
    int c;
    while (f && (c = fgetc(f)) != EOF) n += c == '\n';
    if (f) fclose(f);
    if (n == 0) { free(p); p = NULL; }
    *path = p;
    return n;
}

bool state_read_lines(const char *path, void (*line)(void *ctx, char *text, size_t len), void *ctx,
                      char *err, size_t errlen)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        if (errno == ENOENT) return true;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    char *text = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&text, &cap, f)) > 0) {
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r')) text[--len] = 0;
        if (len > 0) line(ctx, text, (size_t)len);
    }
    free(text);
    fclose(f);
    return true;
}

bool state_replace(const char *path, const char *text, size_t len)
{
    if (len == 0) return unlink(path) == 0 || errno == ENOENT;
    char *tmp = mem_printf("%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0;
    for (size_t off = 0; ok && off < len;) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        ok = w > 0;
        if (ok) off += (size_t)w;
    }
    if (fd >= 0) {
        ok = ok && fsync(fd) == 0;
        int saved = errno;
        close(fd);
        errno = saved;
    }
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
        int saved = errno;
        unlink(tmp);
        errno = saved;
    }
    free(tmp);
    return ok;
}
