/* paths.c — where the hub finds its data and keeps recordings by default (see paths.h). */
#include "hub/cli/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *xdg_data_path(const char *leaf)
{
    const char *x = getenv("XDG_DATA_HOME");
    char buf[PATH_MAX];
    if (x && *x)
        snprintf(buf, sizeof buf, "%s/agentdesk/%s", x, leaf);
    else {
        const char *home = getenv("HOME");
        snprintf(buf, sizeof buf, "%s/.local/share/agentdesk/%s", home && *home ? home : ".", leaf);
    }
    return strdup(buf);
}

char *paths_default_record_dir(void)
{
    return xdg_data_path("recordings");
}

char *paths_default_data_dir(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            /* build/agentdesk-hub and build/san/agentdesk-hub both run from the tree */
            const char *ups[] = {"/../data", "/../../data"};
            for (size_t i = 0; i < 2; i++) {
                char cand[PATH_MAX + 16];
                snprintf(cand, sizeof cand, "%s%s", exe, ups[i]);
                struct stat st;
                if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode)) {
                    char *real = realpath(cand, NULL);
                    return real ? real : strdup(cand);
                }
            }
        }
    }
    return strdup(AGENTDESK_PREFIX "/share/agentdesk/data");
}
