/* config.c — strict parsing of the console's config file. */
#include "agentdesk/config.h"
#include "base/mem.h"
#include "proto/catalogue.h"
#include "base/text.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_MAX_BYTES (256 * 1024)

void config_init(config *c)
{
    memset(c, 0, sizeof *c);
}

void config_free(config *c)
{
    free(c->source); free(c->url); free(c->theme); free(c->token_file); free(c->ca_file);
    free(c->alert);
    for (size_t i = 0; i < c->n_keys; i++) { free(c->keys[i].action); free(c->keys[i].keys); }
    free(c->keys);
    for (size_t i = 0; i < c->n_monitor_keys; i++) { free(c->monitor_keys[i].action); free(c->monitor_keys[i].keys); }
    free(c->monitor_keys);
    memset(c, 0, sizeof *c);
}

/* The plain settings, as a table: name -> where it goes. */
static char **setting_slot(config *c, const char *name)
{
    static const struct { const char *name; size_t off; } table[] = {
        {"url", offsetof(config, url)},
        {"theme", offsetof(config, theme)},
        {"token_file", offsetof(config, token_file)},
        {"ca_file", offsetof(config, ca_file)},
        {"alert", offsetof(config, alert)},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (strcmp(table[i].name, name) == 0) return (char **)((char *)c + table[i].off);
    return NULL;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = 0;
    return s;
}

static int fail(char *err, size_t errlen, const char *source, int line, const char *fmt,
                const char *arg)
{
    char *clean = arg ? text_clean(arg, strlen(arg), 0, NULL) : NULL;
    char msg[200];
    snprintf(msg, sizeof msg, fmt, clean ? clean : "");
    free(clean);
    snprintf(err, errlen, "%s:%d: %s", source, line, msg);
    return -1;
}

/* Cut a comment and unquote the value in place; NULL + message on a bad quote. */
static const char *parse_value(char *v, char **out)
{
    v = trim(v);
    if (*v == '"') {
        char *end = strchr(v + 1, '"');
        if (!end) return "unterminated quote";
        *end = 0;
        char *rest = trim(end + 1);
        if (*rest && *rest != '#') return "text after the closing quote";
        *out = v + 1;
        return NULL;
    }
    char *hash = strchr(v, '#');
    if (hash) *hash = 0;
    *out = trim(v);
    return NULL;
}

int config_parse(config *c, const char *source, const char *text, size_t len,
                 char *err, size_t errlen)
{
    free(c->source);
    c->source = mem_strdup(source);
    if (!text_is_clean(text, len, TEXT_KEEP_NEWLINES))
        return fail(err, errlen, source, 1, "not clean UTF-8 text (control bytes or bad encoding)%s", "");
    char *copy = mem_strndup(text, len), *p = copy;
    int line_no = 0, rc = 0;
    while (p && rc == 0) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        line_no++;
        char *line = trim(p);
        p = nl ? nl + 1 : NULL;
        if (*line == 0 || *line == '#') continue;
        char *eq = strchr(line, '=');
        if (!eq) { rc = fail(err, errlen, source, line_no, "expected NAME = VALUE%s", ""); break; }
        *eq = 0;
        char *name = trim(line), *value = NULL;
        const char *why = parse_value(eq + 1, &value);
        if (why) { rc = fail(err, errlen, source, line_no, "%s", why); break; }
        if (!*name) { rc = fail(err, errlen, source, line_no, "missing setting name%s", ""); break; }
        if (!*value) { rc = fail(err, errlen, source, line_no, "empty value for \"%s\"", name); break; }
        bool floor = strncmp(name, "monitor.key.", 12) == 0 && name[12];
        if ((strncmp(name, "key.", 4) == 0 && name[4]) || floor) {
            config_key **ks = floor ? &c->monitor_keys : &c->keys;
            size_t *n = floor ? &c->n_monitor_keys : &c->n_keys;
            const char *action = name + (floor ? 12 : 4);
            for (size_t i = 0; i < *n; i++)
                if (strcmp((*ks)[i].action, action) == 0) {
                    rc = fail(err, errlen, source, line_no, "\"%s\" is set twice", name);
                    break;
                }
            if (rc) break;
            *ks = mem_realloc(*ks, (*n + 1) * sizeof **ks);
            (*ks)[(*n)++] = (config_key){mem_strdup(action), mem_strdup(value), line_no};
            continue;
        }
        char **slot = setting_slot(c, name);
        if (!slot) { rc = fail(err, errlen, source, line_no, "unknown setting \"%s\"", name); break; }
        if (*slot) { rc = fail(err, errlen, source, line_no, "\"%s\" is set twice", name); break; }
        *slot = mem_strdup(value);
    }
    free(copy);
    return rc;
}

static const char *file_kind(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ? "a socket"
         : S_ISCHR(m) || S_ISBLK(m) ? "a device" : "not a regular file";
}

int config_read_file(const char *path, size_t max, char **out, size_t *len, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        errno = e;
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: is %s, expected a regular file", path, file_kind(st.st_mode));
        close(fd);
        errno = EINVAL;
        return -1;
    }
    char *buf = mem_alloc(max + 2);
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, max + 1 - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            close(fd); free(buf);
            return -1;
        }
        if (r == 0 || (n += (size_t)r) > max) break;
    }
    close(fd);
    if (n > max) {
        snprintf(err, errlen, "%s: larger than %zu bytes", path, max);
        explicit_bzero(buf, max + 2);
        free(buf);
        errno = EFBIG;
        return -1;
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return 0;
}

int config_load(config *c, const char *path, bool must_exist, char *err, size_t errlen)
{
    char *buf;
    size_t n;
    if (config_read_file(path, CONFIG_MAX_BYTES, &buf, &n, err, errlen) != 0)
        return errno == ENOENT && !must_exist ? 0 : -1;
    int rc = config_parse(c, path, buf, n, err, errlen);
    free(buf);
    return rc;
}

bool config_token_ok(const char *token, const char *source, char *err, size_t errlen)
{
    size_t n = strlen(token);
    if (n == 0 || n > PROTO_MAX_ID || strchr(token, '\n') || !text_is_clean(token, n, 0)) {
        snprintf(err, errlen, "%s: expected one token line of 1..%d bytes of plain text (got %zu bytes)",
                 source, PROTO_MAX_ID, n);
        return false;
    }
    return true;
}

char *config_load_token(const char *path, char *err, size_t errlen)
{
    char *full = config_expand_home(path), *buf;
    size_t n;
    /* a little over the limit is enough to know a token is too long */
    if (config_read_file(full, 4096, &buf, &n, err, errlen) != 0) {
        if (errno == EFBIG)
            snprintf(err, errlen, "%s: expected one token line of 1..%d bytes", full, PROTO_MAX_ID);
        free(full);
        return NULL;
    }
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ')) buf[--n] = 0;
    bool ok = n == strlen(buf) && config_token_ok(buf, full, err, errlen);
    if (!ok && n != strlen(buf))
        snprintf(err, errlen, "%s: expected one token line of 1..%d bytes of plain text", full, PROTO_MAX_ID);
    free(full);
    if (ok) return buf;
    explicit_bzero(buf, n);
    free(buf);
    return NULL;
}

char *config_default_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg == '/') return mem_printf("%s/agentdesk/config", xdg);
    const char *home = getenv("HOME");
    if (home && *home) return mem_printf("%s/.config/agentdesk/config", home);
    return NULL;
}

char *config_expand_home(const char *path)
{
    const char *home = getenv("HOME");
    if (path[0] == '~' && path[1] == '/' && home) return mem_printf("%s%s", home, path + 1);
    return mem_strdup(path);
}
