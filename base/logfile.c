/* logfile.c — escaped log lines with a timestamp. */
#include "base/logfile.h"

#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"

static FILE *logf;

int logfile_open(const char *path)
{
    if (!path || !*path)
        return 0;
    /* 0600: a log may hold names and ids; close-on-exec: the console starts a demo hub */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    logf = fdopen(fd, "a");
    if (!logf) {
        close(fd);
        return -1;
    }
    return 0;
}

bool logfile_enabled(void)
{
    return logf != NULL;
}

void logfile_close(void)
{
    if (logf)
        fclose(logf);
    logf = NULL;
}

static void write_line(const char *msg)
{
    int64_t ms = clock_wall_ms();
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(logf, "%s.%03dZ ", stamp, (int)(ms % 1000));
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        if (*p == '\n' && p[1] == 0)
            break;
        if (*p < 0x20 || *p == 0x7f)
            fprintf(logf, "\\x%02x", *p);
        else
            fputc(*p, logf);
    }
    fputc('\n', logf);
    fflush(logf);
}

void logfile_write(const char *fmt, ...)
{
    if (!logf)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    write_line(buf);
}

void logfile_lws(int level, const char *line)
{
    (void)level;
    if (logf)
        write_line(line);
}
