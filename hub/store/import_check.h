/* import_check.h — the generic record validator behind import.c: a record is checked
 * against a table of field specs, and every string that passes is cleaned (text_clean). */
#ifndef AGENTDESK_HUB_IMPORT_CHECK_H
#define AGENTDESK_HUB_IMPORT_CHECK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    IMPORT_ID,      /* string without spaces or control characters */
    IMPORT_STRING,  /* single line */
    IMPORT_TEXT,    /* newlines kept */
    IMPORT_ENUM,    /* one of `values` */
    IMPORT_DATE,    /* YYYY-MM-DD, a real calendar day */
    IMPORT_INT,     /* integer in [min, max] */
    IMPORT_NUMBER,  /* number in [min, max] */
    IMPORT_TAGS,    /* array of at most `max` short strings, stored joined with ',' */
    IMPORT_OBJECT,  /* any object, stored as compact JSON with its strings cleaned */
    IMPORT_ARRAY,   /* array of at most `max` items, validated by the writer */
    IMPORT_PHRASES  /* array of at most `max` strings of 1 to 512 bytes, stored as a JSON array */
} import_field_kind;

typedef struct {
    const char *name;
    import_field_kind kind;
    bool required;
    double min, max;       /* strings: bytes; numbers: range; arrays: max items */
    const char *values;    /* IMPORT_ENUM: "a|b|c" */
    const char *fallback;  /* stored when the field is absent (else NULL) */
} import_field_spec;

typedef struct {
    bool present;
    char *text;       /* cleaned string, joined tags or JSON; NULL when absent */
    double number;
    json_t *json;     /* IMPORT_ARRAY: the array (borrowed) */
} import_field_value;

/* The most fields one table may have. */
#define IMPORT_MAX_FIELDS 16

/* Fill v[0..n) from obj per spec. 0, or -1 with the problem in msg, e.g.
 * "tier" must be one of gold|silver|standard, or unknown field "exmaples" (a misspelt field
 * is refused, not dropped) (v is freed then). Absent optional fields stay
 * !present; IMPORT_ARRAY fields are only shape-checked (the caller validates their items). */
int import_check_fields(const import_field_spec *spec, size_t n, json_t *obj,
                        import_field_value *v, char *msg, size_t len);
void import_check_free(import_field_value *v, size_t n);

#endif
