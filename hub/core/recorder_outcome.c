/* recorder_outcome.c — the outcome of a recording from its sentiment and flag lines. The
 * pipeline writes "type" first, so a line is recognised by its first bytes and only the few
 * that matter are parsed (recorder_write runs for every line of every interaction). */
#include "hub/core/recorder_outcome.h"

#include <jansson.h>
#include <string.h>

static const char sentiment_prefix[] = "{\"type\":\"sentiment\"";
static const char flag_prefix[] = "{\"type\":\"flag\"";

static bool starts(const char *s, size_t len, const char *prefix, size_t plen)
{
    return len >= plen && memcmp(s, prefix, plen) == 0;
}

bool recorder_outcome_wants(const char *start, size_t len)
{
    return starts(start, len, sentiment_prefix, sizeof sentiment_prefix - 1) ||
           starts(start, len, flag_prefix, sizeof flag_prefix - 1);
}

void recorder_outcome_note_event(recorder_outcome *o, const json_t *event)
{
    const char *type = json_string_value(json_object_get(event, "type"));
    if (type && strcmp(type, "sentiment") == 0) {
        /* `trend` is the customer's smoothed level; it stays 0 with a slope of 0 until a
         * customer utterance is scored (the agent's lines do not move it) */
        json_t *trend = json_object_get(event, "trend"), *slope = json_object_get(event, "slope");
        double t = json_number_value(trend);
        if (json_is_number(trend) && (o->scored || t != 0.0 || json_number_value(slope) != 0.0)) {
            if (!o->scored) {
                o->scored = true;
                o->first = o->low = t;
            }
            if (t < o->low)
                o->low = t;
            o->last = t;
        }
    } else if (type && strcmp(type, "flag") == 0) {
        o->flags++;
        if (json_integer_value(json_object_get(event, "severity")) >= 3)
            o->severe_flags++;
    }
}

void recorder_outcome_note(recorder_outcome *o, const char *line, size_t len)
{
    if (!recorder_outcome_wants(line, len))
        return;
    json_t *j = json_loadb(line, len, 0, NULL);
    if (j)
        recorder_outcome_note_event(o, j);
    json_decref(j);
}
