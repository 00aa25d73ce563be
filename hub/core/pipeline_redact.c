/* pipeline_redact.c — what consoles and recordings are shown of an event body: its free
 * text masked (live consoles) or tagged (recordings) by the assist stage's redaction, each
 * string kept within its field's limit (see pipeline_state.h). */
#include "hub/core/pipeline_state.h"

#include <stdlib.h>
#include <string.h>

/* Keys whose values are identifiers or enumerations: never PII, never redacted. */
static bool is_plain_key(const char *k)
{
    static const char *const keys[] = {"type", "iid", "uid", "sid", "fid", "rule", "source",
                                       "kind", "label", "channel", "speaker", "queue", "agent",
                                       "from", "user", "code", "id", "status", "currency",
                                       "tier", "plan", "customer_id", "by", "disposition",
                                       "date", "since", "reason", "outcome", NULL};
    for (int i = 0; keys[i]; i++)   /* the first byte first: called for every member */
        if (keys[i][0] == k[0] && strcmp(keys[i], k) == 0)
            return true;
    return false;
}

/* The byte limit of a string field f of the event (NULL: a nested value). A redacted
 * string is kept within it, so masking never makes a valid event invalid. */
static size_t redacted_limit(const proto_field *f)
{
    if (f && (f->type == FT_STRING || f->type == FT_TEXT || f->type == FT_ID))
        return (size_t)f->max;
    return PROTO_MAX_LONGTEXT;
}

/* The customer card's contact fields, partly masked for consoles (customer.c): whatever they
 * hold, a recording gets the tag. */
static const char *contact_tag(const char *k)
{
    return strcmp(k, "email") == 0 ? "[EMAIL]" : strcmp(k, "phone") == 0 ? "[PHONE]" : NULL;
}

/* Replace every free-text string (at any depth) with its redaction. `only_text` limits it
 * to the keys a live console shows as free text. `spec`: the event's, for the top level. */
size_t pipeline_redact(json_t *v, redact_mode mode, bool only_text, const proto_event_spec *spec)
{
    size_t changed = 0;
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            if (is_plain_key(k))
                continue;
            /* an enumeration's value is one of the catalogue's words, none of which the
             * redaction changes (test_redact: test_enums_untouched): not searched (the
             * sentiment event's emotion and level were two searches a customer final) */
            const proto_field *f = spec ? proto_spec_field(spec, k) : NULL;
            if (f && f->type == FT_ENUM)
                continue;
            if (json_is_string(x)) {
                const char *tag = mode == REDACT_TAG ? contact_tag(k) : NULL;
                if (tag) {
                    if (*json_string_value(x)) {
                        json_object_set_new(v, k, json_string(tag));
                        changed++;
                    }
                    continue;
                }
                if (only_text && strcmp(k, "text") != 0 && strcmp(k, "evidence") != 0 &&
                    strcmp(k, "summary") != 0)
                    continue;
                const char *was = json_string_value(x);
                char *r = assist_redact_within(was, mode, redacted_limit(f));
                if (r && strcmp(r, was) != 0) {   /* most texts hold nothing to redact */
                    json_object_set_new(v, k, json_string(r));
                    changed++;
                }
                free(r);
            } else if (!only_text)
                changed += pipeline_redact(x, mode, only_text, NULL);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (json_is_string(x)) {
                const char *was = json_string_value(x);
                char *r = assist_redact_within(was, mode, PROTO_MAX_LONGTEXT);
                if (r && strcmp(r, was) != 0) {
                    json_array_set_new(v, i, json_string(r));
                    changed++;
                }
                free(r);
            } else
                changed += pipeline_redact(x, mode, only_text, NULL);
        }
    }
    return changed;
}
