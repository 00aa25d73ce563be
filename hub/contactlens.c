/* contactlens.c — Contact Lens segment events -> ingest events (mapping in the header).
 * Each mapped event is built as an ingest frame and validated and cleaned by the codec,
 * exactly as if a connector had sent it. */
#include "hub/contactlens.h"
#include "hub/pipeline_internal.h"
#include "hub/strhash.h"
#include "hub/xalloc.h"
#include "proto/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Categories already flagged, per live contact: Contact Lens repeats MatchedCategories in
 * later segments, and a flag is raised once per condition. Dropped when the contact ends. */
typedef struct seen_category {
    char *iid, *category;
    struct seen_category *next;
} seen_category;

static seen_category *seen;

static bool already_flagged(const char *iid, const char *category)
{
    for (seen_category *c = seen; c; c = c->next)
        if (strcmp(c->iid, iid) == 0 && strcmp(c->category, category) == 0)
            return true;
    seen_category *c = xalloc_malloc(sizeof *c);
    c->iid = xalloc_strdup(iid);
    c->category = xalloc_strdup(category);
    c->next = seen;
    seen = c;
    return false;
}

static void forget_contact(const char *iid)
{
    for (seen_category **pp = &seen; *pp;) {
        seen_category *c = *pp;
        if (strcmp(c->iid, iid) == 0) {
            *pp = c->next;
            free(c->iid);
            free(c->category);
            free(c);
        } else
            pp = &c->next;
    }
}

/* MatchedCategories -> one `flag` each (kind "category", rule "contactlens-category"). */
static void categories(pipeline *p, const char *iid, json_t *cats)
{
    pipeline_info info;
    if (!pipeline_lookup(p, iid, &info) || !info.live)
        return;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(cats, "MatchedCategories"), i, c) {
        const char *name = json_string_value(c);
        if (!name || !*name || strlen(name) > 200 || already_flagged(iid, name))
            continue;
        char *clean = text_clean(name, strlen(name), TEXT_SINGLE_LINE, NULL);
        unsigned h = strhash_fnv1a(clean);
        char fid[PROTO_MAX_ID + 1], reason[300];
        snprintf(fid, sizeof fid, "%.100s-CL%08x", iid, h);
        snprintf(reason, sizeof reason, "Contact Lens category: %s", clean);
        json_t *body = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "iid", iid, "fid", fid, "kind",
                                 "category", "severity", 2, "text", reason, "rule", "contactlens-category",
                                 "evidence", clean);
        free(clean);
        pipeline_emit(p, EV_FLAG, body, info.agent, "");
    }
}

bool contactlens_detect(const char *msg, size_t len)
{
    return !memmem(msg, len, "\"type\"", 6) &&
           (memmem(msg, len, "\"EventType\"", 11) || memmem(msg, len, "\"StreamingEventType\"", 20));
}

static void fail(proto_error *err, const char *code, const char *msg)
{
    err->code = code;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

static int apply(pipeline *p, json_t *frame, proto_error *err)
{
    proto_event ev;
    bool ok = proto_decode_json(frame, PROTO_INGEST, &ev, err);
    json_decref(frame);
    if (!ok)
        return -1;
    int rc = pipeline_ingest(p, &ev, err);
    proto_free(&ev);
    return rc;
}

static const char *speaker_of(const char *role)
{
    if (!role)
        return NULL;
    if (strcmp(role, "CUSTOMER") == 0)
        return "customer";
    if (strcmp(role, "AGENT") == 0 || strcmp(role, "SUPERVISOR") == 0)
        return "agent";
    if (strcmp(role, "SYSTEM") == 0 || strcmp(role, "CUSTOM_BOT") == 0)
        return "bot";
    return NULL;
}

static int start(pipeline *p, const char *iid, const char *channel, const contactlens_defaults *d,
                 proto_error *err)
{
    if (pipeline_is_live(p, iid))
        return 0;
    json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "start", "iid", iid, "channel",
                          channel, "queue", d->queue, "agent", d->agent, "customer_id", d->customer_id);
    return apply(p, f, err);
}

static int segment(pipeline *p, const char *iid, json_t *seg, int64_t started_wall, proto_error *err)
{
    json_t *cats = json_object_get(seg, "Categories");
    if (json_is_object(cats)) {
        categories(p, iid, cats);
        return 0;
    }
    json_t *u = json_object_get(seg, "Utterance");
    bool final = false;
    if (!u) {
        u = json_object_get(seg, "Transcript");
        final = true;
    }
    if (!json_is_object(u))
        return 0; /* Categories, PostContactSummary, ...: not transcript */
    const char *speaker = speaker_of(json_string_value(json_object_get(u, "ParticipantRole")));
    const char *uid = json_string_value(json_object_get(u, final ? "Id" : "TranscriptId"));
    if (!uid)
        uid = json_string_value(json_object_get(u, "Id"));
    const char *text = json_string_value(json_object_get(u, final ? "Content" : "PartialContent"));
    if (!text)
        text = json_string_value(json_object_get(u, "Content"));
    if (!speaker || !uid || !text) {
        fail(err, PROTO_ERR_BAD_FIELD, "Contact Lens segment: ParticipantRole, Id and content are required");
        return -1;
    }
    json_t *off = json_object_get(u, "BeginOffsetMillis");
    int64_t offset = json_is_integer(off) ? json_integer_value(off) : pipeline_now_wall_ms() - started_wall;
    if (offset < 0)
        offset = 0;
    json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:I}", "type", "utterance", "iid", iid, "uid",
                          uid, "speaker", speaker, "text", text, "final", final, "offset_ms",
                          (json_int_t)offset);
    return apply(p, f, err);
}

int contactlens_apply(pipeline *p, const char *msg, size_t len, const contactlens_defaults *d,
                      proto_error *err)
{
    json_error_t jerr;
    json_t *o = json_loadb(msg, len, 0, &jerr);
    if (!json_is_object(o)) {
        json_decref(o);
        fail(err, PROTO_ERR_BAD_JSON, "Contact Lens event: not a JSON object");
        return -1;
    }
    int rc = -1;
    const char *iid = json_string_value(json_object_get(o, "ContactId"));
    const char *kind = json_string_value(json_object_get(o, "EventType"));
    if (!kind)
        kind = json_string_value(json_object_get(o, "StreamingEventType"));
    const char *version = json_string_value(json_object_get(o, "Version"));
    const char *chan = json_string_value(json_object_get(o, "Channel"));
    const char *channel = (version && strcmp(version, "2.0.0") == 0) || (chan && strcmp(chan, "CHAT") == 0)
                              ? "chat" : "voice";
    if (!iid || !*iid || strlen(iid) > PROTO_MAX_ID) {
        fail(err, PROTO_ERR_BAD_FIELD, "Contact Lens event: ContactId missing or too long");
    } else if (!kind) {
        fail(err, PROTO_ERR_BAD_FIELD, "Contact Lens event: EventType missing");
    } else if (strcmp(kind, "STARTED") == 0) {
        rc = start(p, iid, channel, d, err);
    } else if (strcmp(kind, "SEGMENTS") == 0) {
        rc = start(p, iid, channel, d, err);
        int64_t started = pipeline_now_wall_ms();
        json_t *segs = json_object_get(o, "Segments");
        size_t i;
        json_t *seg;
        json_array_foreach(segs, i, seg) {
            if (rc != 0)
                break;
            rc = segment(p, iid, seg, started, err);
        }
    } else if (strcmp(kind, "COMPLETED") == 0 || strcmp(kind, "FAILED") == 0) {
        rc = 0;
        forget_contact(iid);
        if (pipeline_is_live(p, iid)) {
            json_t *f = json_pack("{s:s, s:s, s:s}", "type", "end", "iid", iid, "reason",
                                  strcmp(kind, "FAILED") == 0 ? "failed" : "completed");
            rc = apply(p, f, err);
        }
    } else {
        fail(err, PROTO_ERR_UNKNOWN_TYPE, "Contact Lens event: unknown EventType");
    }
    json_decref(o);
    return rc;
}
