/* logfile.c — escaped log lines with a timestamp. */
#include "base/logfile.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

static FILE *logf;

int logfile_open(const char *path)
{
    if (!path)
        return 0;
    logf = fopen(path, "a");
    return logf ? 0 : -1;
}

void logfile_close(void)
{
    if (logf)
        fclose(logf);
    logf = NULL;
}

static void write_line(const char *msg)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(logf, "%s.%03ldZ ", stamp, ts.tv_nsec / 1000000);
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
