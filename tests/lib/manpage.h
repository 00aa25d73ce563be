/* manpage.h — read the option entries of a man page (docs/NAME.1) for the tests that hold a
 * program's option table and its man page to each other.
 *
 * An entry is a ".TP" paragraph of the named section whose head line names one or more
 * options, e.g. `.BI \-\-url " URL"` or `.BI \-\-tls\-cert " FILE" "\fR,\fP \-\-tls\-key " FILE`.
 * Each option of a head becomes one manpage_option with its name in plain text ("--tls-key")
 * and the head's text after the name up to the next option (" FILE" ...), where its
 * argument is named. */
#ifndef AGENTDESK_TESTS_MANPAGE_H
#define AGENTDESK_TESTS_MANPAGE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char name[64];      /* "--token-file" */
    char after[128];    /* the head after the name, roff as written: ` " FILE"` */
} manpage_option;

/* The whole file, malloc'd and NUL-terminated, or NULL. */
char *manpage_read(const char *path);
/* The text of section `section` (after its ".SH" line, up to the next ".SH"), its length in
 * *len; NULL when the page has no such section. */
const char *manpage_section(const char *man, const char *section, size_t *len);
/* The options named anywhere in `text` (len bytes) as "\-\-name", each once, in order of
 * appearance; up to `max` into `names`. Returns how many there are. */
size_t manpage_names_in(const char *text, size_t len, char (*names)[64], size_t max);
/* The options named in the .TP heads of section `section` ("OPTIONS"); up to `max` into
 * `out`. Returns how many there are (may exceed max), or 0 when the section is missing. */
size_t manpage_options(const char *man, const char *section, manpage_option *out, size_t max);
/* true when the entry names no argument (a flag): nothing but roff quoting after the name. */
bool manpage_names_no_argument(const manpage_option *o);
/* true when `arg` (e.g. "FILE") is a whole word of `after`. */
int manpage_names_arg(const manpage_option *o, const char *arg);

#endif
