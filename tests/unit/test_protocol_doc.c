/* test_protocol_doc.c — docs/PROTOCOL.md and the catalogue must not drift apart.
 *
 * Every event section of the document ("#### `name` (direction)") must name a catalogue
 * event, every catalogue event must have one, its field table must list exactly the
 * event's fields (plus seq and ts for durable events) with the right type, required
 * marker and limit, and its example frame must decode. The checker is also run on
 * altered copies of the document to show that it notices drift. */
#include <stdlib.h>

#include "tests/unit/check.h"
#include "proto/catalogue.h"
#include "proto/codec.h"

#define DOC_PATH "docs/PROTOCOL.md"
#define MAX_ROWS 32

static const char *const dir_words[] = {
    [PROTO_TO_HUB] = "console → hub",
    [PROTO_TO_CONSOLE] = "hub → console",
    [PROTO_INGEST] = "connector → hub",
    [PROTO_INGEST_REPLY] = "hub → connector",
};

static const char *const type_words[] = {
    [FT_ID] = "id", [FT_STRING] = "string", [FT_TEXT] = "text", [FT_ENUM] = "enum",
    [FT_INT] = "int", [FT_NUMBER] = "number", [FT_BOOL] = "bool", [FT_OBJECT] = "object",
    [FT_ARRAY] = "array",
};

typedef struct {
    char field[256], type[256], required[256], limit[256];
} doc_row;

typedef struct {
    char name[64];
    int dir;               /* -1 when the direction text is not recognised */
    bool durable_marked;
    doc_row rows[MAX_ROWS];
    int nrows;
    char *example;         /* malloc'd */
} doc_section;

static int problems;

static void problem(const char *what, const char *event, const char *detail)
{
    fprintf(stderr, "  PROTOCOL.md: %s: %s%s%s\n", event, what, detail ? ": " : "", detail ? detail : "");
    problems++;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

/* Copies s[0..n) without surrounding spaces (and backticks when `code` is true). */
static void trim_into(char *dst, size_t dstsz, const char *s, size_t n, bool code)
{
    while (n > 0 && (*s == ' ' || (code && *s == '`'))) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || (code && s[n - 1] == '`')))
        n--;
    if (n >= dstsz)
        n = dstsz - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* Split a table row "| a | b \| c | d |" on unescaped bars. Returns the cell count. */
static int split_row(const char *line, char cells[][256], int max)
{
    int count = 0;
    const char *p = strchr(line, '|');
    if (!p)
        return 0;
    p++;
    while (*p && count < max) {
        const char *start = p;
        while (*p && !(*p == '|' && p[-1] != '\\'))
            p++;
        if (!*p)
            break;
        trim_into(cells[count], 256, start, (size_t)(p - start), count == 0);
        count++;
        p++;
    }
    return count;
}

static void parse_heading(const char *line, doc_section *s)
{
    memset(s, 0, sizeof *s);
    s->dir = -1;
    const char *a = strchr(line, '`');
    const char *b = a ? strchr(a + 1, '`') : NULL;
    if (a && b)
        trim_into(s->name, sizeof s->name, a + 1, (size_t)(b - a - 1), true);
    const char *open = strchr(line, '('), *close = strrchr(line, ')');
    if (open && close && close > open) {
        for (int d = 0; d < 4; d++)
            if ((size_t)(close - open - 1) == strlen(dir_words[d]) &&
                strncmp(open + 1, dir_words[d], strlen(dir_words[d])) == 0)
                s->dir = d;
    }
}

/* Parses the event sections of `text`; returns how many (at most max). */
static int parse_doc(const char *text, doc_section *sections, int max)
{
    int n = 0;
    doc_section *cur = NULL;
    bool in_example = false;
    size_t example_len = 0;
    const char *line = text;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[2048];
        size_t copy = len < sizeof buf - 1 ? len : sizeof buf - 1;
        memcpy(buf, line, copy);
        buf[copy] = '\0';

        if (in_example) {
            if (strncmp(buf, "```", 3) == 0) {
                in_example = false;
            } else {
                cur->example = realloc(cur->example, example_len + len + 2);
                memcpy(cur->example + example_len, line, len);
                example_len += len;
                cur->example[example_len++] = '\n';
                cur->example[example_len] = '\0';
            }
        } else if (strncmp(buf, "#### `", 6) == 0 && n < max) {
            cur = &sections[n++];
            parse_heading(buf, cur);
        } else if (buf[0] == '#') {
            cur = NULL;
        } else if (cur && strncmp(buf, "```json", 7) == 0 && !cur->example) {
            in_example = true;
            example_len = 0;
            cur->example = calloc(1, 1);
        } else if (cur && strncmp(buf, "Durable.", 8) == 0) {
            cur->durable_marked = true;
        } else if (cur && strncmp(buf, "| `", 3) == 0 && cur->nrows < MAX_ROWS) {
            char cells[5][256];
            if (split_row(buf, cells, 5) >= 4) {
                doc_row *r = &cur->rows[cur->nrows++];
                snprintf(r->field, sizeof r->field, "%s", cells[0]);
                snprintf(r->type, sizeof r->type, "%s", cells[1]);
                snprintf(r->required, sizeof r->required, "%s", cells[2]);
                snprintf(r->limit, sizeof r->limit, "%s", cells[3]);
            }
        }
        line = end ? end + 1 : line + len;
    }
    return n;
}

/* The limit text a field's row must contain. */
static void expected_limit(const proto_field *f, char *out, size_t outsz)
{
    switch (f->type) {
    case FT_ID: snprintf(out, outsz, "1..%.0f bytes", f->max); break;
    case FT_STRING: case FT_TEXT: snprintf(out, outsz, "%.0f bytes", f->max); break;
    case FT_INT: snprintf(out, outsz, "%lld..%lld", (long long)f->min, (long long)f->max); break;
    case FT_NUMBER: snprintf(out, outsz, "%.15g..%.15g", f->min, f->max); break;
    case FT_ARRAY: snprintf(out, outsz, "%.0f items", f->max); break;
    case FT_OBJECT: snprintf(out, outsz, "%.0f members", f->max); break;
    case FT_ENUM: {
        /* Every value, in backticks. */
        size_t o = 0;
        const char *p = f->values;
        out[0] = '\0';
        for (;;) {
            const char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            o += (size_t)snprintf(out + o, outsz - o, "%s`%.*s`", o ? ", " : "", (int)n, p);
            if (!bar || o >= outsz)
                break;
            p = bar + 1;
        }
        break;
    }
    case FT_BOOL: out[0] = '\0'; break;
    }
}

static const doc_row *find_row(const doc_section *s, const char *field)
{
    for (int i = 0; i < s->nrows; i++)
        if (strcmp(s->rows[i].field, field) == 0)
            return &s->rows[i];
    return NULL;
}

static void check_row(const doc_section *s, const proto_field *f)
{
    const doc_row *r = find_row(s, f->name);
    if (!r) {
        problem("field missing from the table", s->name, f->name);
        return;
    }
    if (strcmp(r->type, type_words[f->type]) != 0)
        problem("wrong type", s->name, f->name);
    if (strcmp(r->required, f->required ? "yes" : "no") != 0)
        problem("wrong required marker", s->name, f->name);
    char limit[256];
    expected_limit(f, limit, sizeof limit);
    if (!strstr(r->limit, limit))
        problem("wrong limit", s->name, f->name);
}

static const proto_field durable_rows[] = {
    { "seq", FT_INT, true, 0, 9007199254740991.0, NULL, "" },
    { "ts", FT_INT, true, 0, 9007199254740991.0, NULL, "" },
    { NULL, FT_ID, false, 0, 0, NULL, NULL },
};

static void check_section(const doc_section *s, const proto_event_spec *spec)
{
    if (s->durable_marked != spec->durable)
        problem("durable marker differs from the catalogue", s->name, NULL);
    int expected_rows = 0;
    for (const proto_field *f = spec->fields; f->name; f++, expected_rows++)
        check_row(s, f);
    if (spec->durable)
        for (const proto_field *f = durable_rows; f->name; f++, expected_rows++)
            check_row(s, f);
    for (int i = 0; i < s->nrows; i++) {
        const char *name = s->rows[i].field;
        bool implicit = spec->durable && (strcmp(name, "seq") == 0 || strcmp(name, "ts") == 0);
        if (!implicit && !proto_spec_field(spec, name))
            problem("field not in the catalogue", s->name, name);
    }
    if (s->nrows != expected_rows)
        problem("table has a different number of rows than the catalogue has fields", s->name, NULL);
    if (!s->example) {
        problem("no example frame", s->name, NULL);
        return;
    }
    proto_event ev;
    proto_error err;
    if (!proto_decode(s->example, strlen(s->example), spec->dir, &ev, &err)) {
        problem("example does not decode", s->name, err.message);
        return;
    }
    if (ev.type != spec->type)
        problem("example decodes as another event", s->name, NULL);
    json_t *doc_ex = json_loads(s->example, 0, NULL), *cat_ex = json_loads(spec->example, 0, NULL);
    if (!json_equal(doc_ex, cat_ex))
        problem("example differs from the catalogue's", s->name, NULL);
    json_decref(doc_ex);
    json_decref(cat_ex);
    proto_free(&ev);
}

/* Number of problems found in `text`. */
static int check_doc(const char *text)
{
    problems = 0;
    static doc_section sections[EV__COUNT * 2];
    int n = parse_doc(text, sections, EV__COUNT * 2);
    bool seen[EV__COUNT] = { false };
    for (int i = 0; i < n; i++) {
        doc_section *s = &sections[i];
        const proto_event_spec *spec = s->dir >= 0 ? proto_spec_find(s->name, (proto_dir)s->dir) : NULL;
        if (!spec) {
            problem("event not in the catalogue (or unknown direction)", s->name, NULL);
        } else if (seen[spec->type]) {
            problem("event documented twice", s->name, NULL);
        } else {
            seen[spec->type] = true;
            check_section(s, spec);
        }
        free(s->example);
    }
    for (int t = 0; t < EV__COUNT; t++)
        if (!seen[t])
            problem("catalogue event has no section", proto_spec((proto_type)t)->name, dir_words[proto_spec((proto_type)t)->dir]);
    return problems;
}

static char *doc_text;

static void test_doc_matches_catalogue(void)
{
    CHECK(doc_text != NULL);
    if (!doc_text)
        return;
    CHECK_INT(check_doc(doc_text), 0);
}

static void test_error_codes_and_limits_documented(void)
{
    if (!doc_text)
        return;
    static const char *const codes[] = {
        PROTO_ERR_BAD_JSON, PROTO_ERR_TOO_BIG, PROTO_ERR_BAD_FIELD, PROTO_ERR_UNKNOWN_TYPE,
        PROTO_ERR_UNAUTHORIZED, PROTO_ERR_FORBIDDEN, PROTO_ERR_NOT_FOUND, PROTO_ERR_FLOOD,
        PROTO_ERR_SLOW, PROTO_ERR_INTERNAL, PROTO_ERR_TOO_MANY, PROTO_ERR_UNAVAILABLE,
    };
    char row[128];
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        snprintf(row, sizeof row, "\n| `%s` |", codes[i]);
        if (!strstr(doc_text, row)) {
            fprintf(stderr, "  error code %s has no row\n", codes[i]);
            CHECK(0);
        }
    }
    const struct { const char *what; long value; } limits[] = {
        { "| frame | ", PROTO_MAX_FRAME }, { "| nesting | ", PROTO_MAX_DEPTH },
        { "| free text | ", PROTO_MAX_TEXT }, { "| long text | ", PROTO_MAX_LONGTEXT },
        { "| id | 1..", PROTO_MAX_ID }, { "| short | ", PROTO_MAX_SHORT }, { "| array | ", PROTO_MAX_ARRAY },
    };
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        snprintf(row, sizeof row, "%s%ld ", limits[i].what, limits[i].value);
        if (!strstr(doc_text, row)) {
            fprintf(stderr, "  limit row \"%s\" missing\n", row);
            CHECK(0);
        }
    }
    snprintf(row, sizeof row, "**protocol version %d**", PROTO_VERSION);
    CHECK(strstr(doc_text, row) != NULL);
    CHECK(strstr(doc_text, "`" PROTO_SUBPROTOCOL "`") != NULL);
    CHECK(strstr(doc_text, "`" PROTO_INGEST_SUBPROTOCOL "`") != NULL);
}

/* `doc_text` with the first occurrence of `from` replaced by `to`. */
static char *altered(const char *from, const char *to)
{
    const char *at = strstr(doc_text, from);
    if (!at)
        return NULL;
    size_t head = (size_t)(at - doc_text);
    char *out = malloc(strlen(doc_text) + strlen(to) + 1);
    memcpy(out, doc_text, head);
    strcpy(out + head, to);
    strcat(out, at + strlen(from));
    return out;
}

static void expect_drift(const char *from, const char *to)
{
    char *doc = altered(from, to);
    CHECK(doc != NULL);
    if (!doc)
        return;
    fprintf(stderr, "  (expected drift follows)\n");
    CHECK(check_doc(doc) > 0);
    free(doc);
}

static void test_checker_notices_drift(void)
{
    if (!doc_text)
        return;
    expect_drift("| `text` | text | yes | ≤ 8192 bytes, newlines kept | what was said (PII",
                 "| `text` | text | no | ≤ 8192 bytes, newlines kept | what was said (PII");
    expect_drift("| `severity` | int | yes | 1..3 |", "| `severity` | int | yes | 1..5 |");
    expect_drift("| `score` | number | yes | -1..1 | sentiment", "| `score` | int | yes | -1..1 | sentiment");
    expect_drift("#### `pong` (hub → console)", "#### `pong` (console → hub)");
    expect_drift("#### `ping` (console → hub)", "#### `pingx` (console → hub)");
    expect_drift("{\"type\":\"barge\",\"id\":\"s-5\",", "{\"type\":\"barge\",\"idx\":\"s-5\",");
    expect_drift("| `resume_after` |", "| `resume_before` |");
}

/* `test_protocol_doc --print` writes the event sections of section 6 from the catalogue,
 * the starting point when the catalogue changes and the document must follow. */
static void print_escaped(const char *s)
{
    for (; *s; s++)
        fputs(*s == '|' ? "\\|" : (char[]){ *s, 0 }, stdout);
}

static void print_sections(void)
{
    static const char *const group[] = {
        "Console → hub (agentdesk.v1)", "Hub → console (agentdesk.v1)",
        "Connector → hub (agentdesk.ingest.v1)", "Hub → connector (agentdesk.ingest.v1)",
    };
    for (int d = 0; d < 4; d++) {
        printf("### %s\n\n", group[d]);
        for (int t = 0; t < EV__COUNT; t++) {
            const proto_event_spec *s = proto_spec((proto_type)t);
            if ((int)s->dir != d)
                continue;
            printf("#### `%s` (%s)\n\n%s%s\n\n", s->name, dir_words[d], s->durable ? "Durable. " : "", s->doc);
            printf("| field | type | required | limit | meaning |\n|---|---|---|---|---|\n");
            if (s->durable)
                for (const proto_field *f = durable_rows; f->name; f++)
                    printf("| `%s` | int | yes | %lld..%lld | %s |\n", f->name, (long long)f->min,
                           (long long)f->max, strcmp(f->name, "seq") == 0
                               ? "hub-wide, strictly increasing sequence number"
                               : "when the hub logged the event, ms since the epoch");
            for (const proto_field *f = s->fields; f->name; f++) {
                char limit[256];
                expected_limit(f, limit, sizeof limit);
                printf("| `%s` | %s | %s | ", f->name, type_words[f->type], f->required ? "yes" : "no");
                switch (f->type) {
                case FT_ENUM: printf("one of %s", limit); break;
                case FT_STRING: printf("≤ %s", limit); break;
                case FT_TEXT: printf("≤ %s, newlines kept", limit); break;
                case FT_ARRAY: case FT_OBJECT: printf("≤ %s", limit); break;
                case FT_BOOL: printf("—"); break;
                default: printf("%s", limit); break;
                }
                printf(" | ");
                print_escaped(f->doc);
                printf(" |\n");
            }
            printf("\n```json\n%s\n```\n\n", s->example);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--print") == 0) {
        print_sections();
        return 0;
    }
    doc_text = read_file(DOC_PATH);
    if (!doc_text)
        fprintf(stderr, "cannot read %s (run from the repository root)\n", DOC_PATH);
    RUN(test_doc_matches_catalogue);
    RUN(test_error_codes_and_limits_documented);
    RUN(test_checker_notices_drift);
    free(doc_text);
    return check_done("test_protocol_doc");
}
