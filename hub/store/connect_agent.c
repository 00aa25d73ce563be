/* connect_agent.c — an Amazon Connect agent ARN or user id -> the user id (connect_agent.h). */
#include "hub/store/connect_agent.h"

#include <stdio.h>
#include <string.h>

bool connect_agent_id(const char *s, char *out, size_t len)
{
    if (!s)
        return false;
    const char *id = s;
    if (strncmp(s, "arn:", 4) == 0) {
        const char *at = strstr(s, "/agent/");
        if (!at)
            return false;
        id = at + strlen("/agent/");
    }
    size_t n = strlen(id);
    if (n == 0 || n > CONNECT_AGENT_ID_MAX || n >= len || strchr(id, '/'))
        return false;
    memcpy(out, id, n + 1);
    return true;
}
