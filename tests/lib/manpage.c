/* manpage.c — see manpage.h. A small reader for the roff the project's man pages use, not
 * a roff parser: ".SH NAME" sections, ".TP" entries, "\-" for a minus. */
#include "tests/lib/manpage.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *manpage_read(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) { free(buf); buf = NULL; break; }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) buf[len] = 0;
    return buf;
}

/* At `p` an escaped option "\-\-word\-word": the plain name into name, returns the end. */
static const char *read_option(const char *p, char *name, size_t size)
{
    size_t n = 0;
    name[n++] = '-';
    name[n++] = '-';
    p += 4;
    for (;;) {
        if (isalnum((unsigned char)*p)) {
            if (n + 1 < size) name[n++] = *p;
            p++;
        } else if (p[0] == '\\' && p[1] == '-' && isalnum((unsigned char)p[2])) {
            if (n + 1 < size) name[n++] = '-';
            p += 2;
        } else {
            break;
        }
    }
    name[n] = 0;
    return p;
}

const char *manpage_section(const char *man, const char *section, size_t *len)
{
    char heading[80];
    snprintf(heading, sizeof heading, "\n.SH %s\n", section);
    const char *start = strstr(man, heading);
    if (!start) return NULL;
    start += strlen(heading);
    const char *end = strstr(start, "\n.SH ");
    if (!end) end = start + strlen(start);
    *len = (size_t)(end - start);
    return start;
}

size_t manpage_names_in(const char *text, size_t len, char (*names)[64], size_t max)
{
    size_t count = 0;
    const char *end = text + len;
    for (const char *p = text; (p = strstr(p, "\\-\\-")) && p < end;) {
        char name[64];
        p = read_option(p, name, sizeof name);
        bool seen = false;
        for (size_t i = 0; i < count && i < max; i++) seen = seen || strcmp(names[i], name) == 0;
        if (seen) continue;
        if (count < max) snprintf(names[count], sizeof names[count], "%s", name);
        count++;
    }
    return count;
}

size_t manpage_options(const char *man, const char *section, manpage_option *out, size_t max)
{
    size_t len;
    const char *start = manpage_section(man, section, &len);
    if (!start) return 0;
    const char *end = start + len;
    size_t count = 0;
    for (const char *tp = start; (tp = strstr(tp, ".TP\n")) && tp < end; tp += 4) {
        const char *head = tp + 4;
        const char *eol = strchr(head, '\n');
        if (!eol || eol > end) break;
        const char *p = head;
        while ((p = strstr(p, "\\-\\-")) && p < eol) {
            manpage_option o;
            const char *after = read_option(p, o.name, sizeof o.name);
            const char *next = strstr(after, "\\-\\-");
            if (!next || next > eol) next = eol;
            snprintf(o.after, sizeof o.after, "%.*s", (int)(next - after), after);
            if (count < max) out[count] = o;
            count++;
            p = next;
        }
    }
    return count;
}

int manpage_names_arg(const manpage_option *o, const char *arg)
{
    size_t n = strlen(arg);
    for (const char *p = o->after; (p = strstr(p, arg)); p += n) {
        int before_ok = p == o->after || !isalnum((unsigned char)p[-1]);
        int after_ok = !isalnum((unsigned char)p[n]);
        if (before_ok && after_ok) return 1;
    }
    return 0;
}

bool manpage_names_no_argument(const manpage_option *o)
{
    for (const char *s = o->after; *s; s++)
        if (isalpha((unsigned char)*s)) return false;
    return true;
}
