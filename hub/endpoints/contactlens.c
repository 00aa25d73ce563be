/* contactlens.c — Contact Lens segment events -> ingest events (mapping in the header).
 * The frame has passed proto_parse (size, nesting, duplicate keys) like a native one; its
 * arrays are bounded here before anything is applied, and each mapped event is built as an
 * ingest frame and validated and cleaned by the codec, exactly as if a connector had sent it. */
#include "hub/endpoints/contactlens.h"
#include "hub/core/pipeline_internal.h"
#include "base/strhash.h"
#include "base/mem.h"
#include "base/text.h"
#include "base/clock.h"
#include "base/logfile.h"
#include "hub/core/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { FID_IID_BYTES = 100 };   /* of the iid kept in a category flag's fid */

static void fail(proto_error *err, const char *code, const char *msg)
{
    err->code = code;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

bool contactlens_detect(const json_t *frame)
{
    /* top-level keys only: a category or a transcript may well be called "type" */
    return json_is_object(frame) && !json_object_get(frame, "type") &&
           (json_object_get(frame, "EventType") || json_object_get(frame, "StreamingEventType"));
}

/* The names of the categories a segment matched: MatchedCategories (voice 1.0.0), else the
 * keys of MatchedDetails (chat 2.0.0 gives only those). A new reference, or NULL. */
static json_t *matched_categories(json_t *seg)
{
    json_t *c = json_object_get(seg, "Categories");
    json_t *names = json_object_get(c, "MatchedCategories");
    if (json_is_array(names))
        return json_incref(names);
    json_t *details = json_object_get(c, "MatchedDetails");
    if (!json_is_object(details))
        return NULL;
    json_t *out = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(details, key, v) json_array_append_new(out, json_string(key));
    return out;
}

/* The documented bounds (contactlens.h), checked before anything of the event is applied. */
static bool within_bounds(json_t *o, proto_error *err)
{
    json_t *segs = json_object_get(o, "Segments");
    if (!segs)
        return true;
    if (!json_is_array(segs)) {
        fail(err, PROTO_ERR_BAD_FIELD, "Contact Lens event: Segments is not an array");
        return false;
    }
    if (json_array_size(segs) > CONTACTLENS_MAX_SEGMENTS) {
        snprintf(err->message, sizeof err->message, "Contact Lens event: more than %d Segments",
                 CONTACTLENS_MAX_SEGMENTS);
        err->code = PROTO_ERR_BAD_FIELD;
        return false;
    }
    size_t i;
    json_t *seg;
    json_array_foreach(segs, i, seg) {
        json_t *cats = matched_categories(seg);
        bool over = json_array_size(cats) > CONTACTLENS_MAX_CATEGORIES;
        json_decref(cats);
        if (over) {
            snprintf(err->message, sizeof err->message,
                     "Contact Lens event: more than %d MatchedCategories in a segment",
                     CONTACTLENS_MAX_CATEGORIES);
            err->code = PROTO_ERR_BAD_FIELD;
            return false;
        }
    }
    return true;
}

/* MatchedCategories -> one `flag` per category and contact (kind "category", rule
 * "contactlens-category"): Contact Lens repeats them in later segments. */
static int categories(pipeline *p, const char *iid, json_t *cats, proto_error *err)
{
    live_call *c = live_find(pipeline_live(p), iid);
    if (!c)
        return 0;
    char fid_iid[FID_IID_BYTES + 1];
    text_copy(fid_iid, sizeof fid_iid, iid);
    size_t i;
    json_t *name;
    json_array_foreach(cats, i, name) {
        if (!json_is_string(name) || json_string_length(name) == 0 ||
            json_string_length(name) > CONTACTLENS_MAX_CATEGORY_BYTES)
            continue;
        size_t clean_len;
        char *clean = text_clean(json_string_value(name), json_string_length(name), TEXT_SINGLE_LINE,
                                 &clean_len);
        /* the fid names the category within the contact: the dedupe key, also after a restart */
        char fid[PROTO_MAX_ID + 1];
        snprintf(fid, sizeof fid, "%s-CL%08x", fid_iid, strhash_fnv1a(clean));
        if (!live_call_flag_once(c, fid, CONTACTLENS_MAX_CATEGORY_FLAGS)) {
            free(clean);
            continue;
        }
        char *reason = mem_alloc(clean_len + 32);
        sprintf(reason, "Contact Lens category: %s", clean);
        json_t *body = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "iid", iid, "fid", fid, "kind",
                                 "category", "severity", 2, "text", reason, "rule", CONTACTLENS_CATEGORY_RULE,
                                 "evidence", clean);
        free(reason);
        free(clean);
        if (pipeline_emit(p, EV_FLAG, body, c->agent, "") < 0) {
            fail(err, PROTO_ERR_INTERNAL, "Contact Lens category: the flag could not be logged");
            return -1;
        }
    }
    return 0;
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

/* ISO 8601 UTC or with an offset ("2026-01-01T10:00:00.250Z", "...+01:00") -> ms since the
 * epoch; false when it is not one. */
static bool iso_time_ms(const char *s, int64_t *out)
{
    struct tm tm = {0};
    int n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                     &tm.tm_min, &tm.tm_sec, &n) != 6 || n != 19)
        return false;
    if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
        tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_year < 1970)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const char *r = s + n;
    int64_t ms = 0, scale = 100;
    if (*r == '.')
        for (r++; *r >= '0' && *r <= '9'; r++, scale /= 10)
            ms += (*r - '0') * scale;
    int64_t zone_s = 0;
    if (*r == '+' || *r == '-') {
        int hh, mm, used = 0;
        if (sscanf(r + 1, "%2d:%2d%n", &hh, &mm, &used) != 2 || used != 5 || hh > 23 || mm > 59)
            return false;
        zone_s = (*r == '-' ? -1 : 1) * (int64_t)(hh * 3600 + mm * 60);
        r += 6;
    } else if (*r == 'Z') {
        r++;
    } else {
        return false;
    }
    if (*r)
        return false;
    *out = ((int64_t)timegm(&tm) - zone_s) * 1000 + ms;
    return true;
}

/* The transcript item of a segment (Utterance: a partial; Transcript: final), or NULL. */
static json_t *transcript_of(json_t *seg, bool *final)
{
    json_t *u = json_object_get(seg, "Utterance");
    *final = u == NULL;
    if (!u)
        u = json_object_get(seg, "Transcript");
    return json_is_object(u) ? u : NULL;
}

/* When a chat message was sent: Time.AbsoluteTime (ListRealtimeContactAnalysisSegmentsV2)
 * or AbsoluteTime. */
static bool absolute_time_ms(json_t *u, int64_t *ms)
{
    json_t *t = json_object_get(json_object_get(u, "Time"), "AbsoluteTime");
    if (!t)
        t = json_object_get(u, "AbsoluteTime");
    return iso_time_ms(json_string_value(t), ms);
}

/* The contact's start as this event tells it: its earliest message time, else 0 (now). */
static int64_t earliest_time_ms(json_t *segs)
{
    int64_t first = 0, t;
    size_t i;
    json_t *seg;
    bool final;
    json_array_foreach(segs, i, seg) {
        json_t *u = transcript_of(seg, &final);
        if (u && absolute_time_ms(u, &t) && t > 0 && (first == 0 || t < first))
            first = t;
    }
    return first;
}

static int start(pipeline *p, const char *iid, const char *channel, int64_t started_ms,
                 const contactlens_defaults *d, proto_error *err)
{
    if (pipeline_is_live(p, iid))
        return 0;
    json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "start", "iid", iid, "channel", channel, "queue",
                          d->queue, "customer_id", d->customer_id);
    /* the agent Connect already named (its agent or contact events, remembered), else the
     * trial's fallback, else none: unassigned, seen by supervisors only until one is named */
    char agent[PROTO_MAX_ID + 1];
    if (pipeline_pending_agent(p, iid, agent, sizeof agent))
        json_object_set_new(f, "agent", json_string(agent));
    else if (d->agent && *d->agent)
        json_object_set_new(f, "agent", json_string(d->agent));
    if (started_ms > 0)
        json_object_set_new(f, "started_ms", json_integer(started_ms));
    return apply(p, f, err);
}

/* Bytes [from, to) of `text` holding its code points [begin, end); false when they are not
 * all in it. */
static bool char_span(const char *text, json_int_t begin, json_int_t end, size_t *from, size_t *to)
{
    if (begin < 0 || end <= begin)
        return false;
    json_int_t n = 0;
    size_t i = 0;
    for (;; i++) {
        if ((text[i] & 0xC0) == 0x80)
            continue;   /* inside a code point */
        if (n == begin)
            *from = i;
        if (n == end) {
            *to = i;
            return true;
        }
        if (!text[i])
            return false;
        n++;
    }
}

/* IssuesDetected of a final transcript -> one `flag` per issue: kind "issue", rule
 * "contactlens-issue", severity 2, evidence the words its CharacterOffsets point at
 * (cut at CONTACTLENS_MAX_CATEGORY_BYTES), once per transcript and offsets. */
static int issues(pipeline *p, const char *iid, const char *uid, const char *text, int64_t offset,
                  json_t *list, proto_error *err)
{
    live_call *c = live_find(pipeline_live(p), iid);
    if (!c || !json_is_array(list))
        return 0;
    char fid_iid[FID_IID_BYTES + 1];
    text_copy(fid_iid, sizeof fid_iid, iid);
    size_t i;
    json_t *issue;
    json_array_foreach(list, i, issue) {
        json_t *co = json_object_get(issue, "CharacterOffsets");
        json_t *b = json_object_get(co, "BeginOffsetChar"), *e = json_object_get(co, "EndOffsetChar");
        size_t from = 0, to = 0;
        if (!json_is_integer(b) || !json_is_integer(e) ||
            !char_span(text, json_integer_value(b), json_integer_value(e), &from, &to))
            continue;
        char key[PROTO_MAX_ID + 64];
        snprintf(key, sizeof key, "%s:%lld-%lld", uid, (long long)json_integer_value(b),
                 (long long)json_integer_value(e));
        char fid[PROTO_MAX_ID + 1];
        snprintf(fid, sizeof fid, "%s-CI%08x", fid_iid, strhash_fnv1a(key));
        if (!live_call_flag_once(c, fid, CONTACTLENS_MAX_CATEGORY_FLAGS))
            continue;
        size_t len;
        char *words = text_clean(text + from, to - from, TEXT_SINGLE_LINE, &len);
        char cut[CONTACTLENS_MAX_CATEGORY_BYTES + 1];
        text_copy(cut, sizeof cut, words);
        free(words);
        char reason[CONTACTLENS_MAX_CATEGORY_BYTES + 32];
        snprintf(reason, sizeof reason, "Contact Lens issue: %s", cut);
        json_t *body = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:I}", "iid", iid, "fid", fid, "kind",
                                 "issue", "severity", 2, "text", reason, "rule", "contactlens-issue", "evidence",
                                 cut, "uid", uid, "offset_ms", (json_int_t)offset);
        if (!body || pipeline_emit(p, EV_FLAG, body, c->agent, "") < 0) {
            fail(err, PROTO_ERR_INTERNAL, "Contact Lens issue: the flag could not be logged");
            return -1;
        }
    }
    return 0;
}

/* The interaction iid, live or ended awaiting its wrap-up (a summary comes after the end). */
static live_call *call_of(pipeline *p, const char *iid)
{
    live_call *c = live_find(pipeline_live(p), iid);
    return c ? c : live_find(pipeline_ended(p), iid);
}

/* A final's Sentiment -> `sentiment` with source "contact-lens", beside the hub's own. */
static int second_opinion(pipeline *p, const char *iid, const char *uid, json_t *sentiment, proto_error *err)
{
    static const struct {
        const char *cl, *label;
        double score;
    } map[] = {{"POSITIVE", "positive", 1}, {"NEGATIVE", "negative", -1}, {"NEUTRAL", "neutral", 0},
               {"MIXED", "neutral", 0}};
    const char *v = json_string_value(sentiment);
    live_call *c = v ? live_find(pipeline_live(p), iid) : NULL;
    for (size_t i = 0; c && i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(v, map[i].cl) != 0)
            continue;
        json_t *body = json_pack("{s:s, s:s, s:f, s:s, s:f, s:f, s:[], s:s}", "iid", iid, "uid", uid, "score",
                                 map[i].score, "label", map[i].label, "trend", 0.0, "slope", 0.0, "terms", "source",
                                 "contact-lens");
        if (pipeline_emit(p, EV_SENTIMENT, body, c->agent, "") < 0) {
            fail(err, PROTO_ERR_INTERNAL, "Contact Lens sentiment: could not be logged");
            return -1;
        }
    }
    return 0;
}

/* PostContactSummary {Content, Status COMPLETED} -> `summary` with source "contact-lens";
 * a FAILED one (no content) is only logged. */
static int post_contact_summary(pipeline *p, const char *iid, json_t *pcs, proto_error *err)
{
    const char *status = json_string_value(json_object_get(pcs, "Status"));
    const char *text = json_string_value(json_object_get(pcs, "Content"));
    live_call *c = call_of(p, iid);
    if (!c)
        return 0;
    if (!text || !status || strcmp(status, "COMPLETED") != 0) {
        const char *why = json_string_value(json_object_get(pcs, "FailureCode"));
        logfile_write("Contact Lens %s: no post-contact summary (%.40s)", iid, why ? why : "no content");
        return 0;
    }
    json_t *body = json_pack("{s:s, s:s, s:s, s:[], s:b, s:s}", "iid", iid, "text", text, "disposition", "",
                             "codes", "final", c->ended_ms != 0, "source", "contact-lens");
    if (pipeline_emit(p, EV_SUMMARY, body, c->agent, "") < 0) {
        fail(err, PROTO_ERR_INTERNAL, "Contact Lens post-contact summary: could not be logged");
        return -1;
    }
    return 0;
}

enum { MAX_ATTACHMENTS_SHOWN = 10 };   /* of one Attachments segment */

/* Who a chat Event or Attachments segment names: its DisplayName, else its role in words. */
static const char *participant(json_t *item)
{
    const char *name = json_string_value(json_object_get(item, "DisplayName"));
    if (name && *name)
        return name;
    const char *speaker = speaker_of(json_string_value(json_object_get(item, "ParticipantRole")));
    return speaker ? speaker : "a participant";
}

/* One `contact.event` line of the transcript, placed at the item's time when it has one. */
static int contact_event(pipeline *p, const char *iid, json_t *item, const char *text, proto_error *err)
{
    live_call *c = live_find(pipeline_live(p), iid);
    if (!c)
        return 0;
    json_t *body = json_pack("{s:s, s:s}", "iid", iid, "text", text);
    int64_t at;
    if (body && absolute_time_ms(item, &at))   /* before the start (clock skew): at it, as a line is */
        json_object_set_new(body, "offset_ms", json_integer(at > c->started_ms ? at - c->started_ms : 0));
    if (pipeline_emit(p, EV_CONTACT_EVENT, body, c->agent, "") < 0) {
        fail(err, PROTO_ERR_INTERNAL, "Contact Lens event: could not be logged");
        return -1;
    }
    return 0;
}

/* Event {EventType, DisplayName, ParticipantRole, Time}: a participant joined or left, the
 * chat ended, a transfer; typing and read receipts are not worth a line. */
static int chat_event(pipeline *p, const char *iid, json_t *e, proto_error *err)
{
    static const struct {
        const char *suffix, *fmt;
    } shown[] = {{".participant.joined", "%s joined"}, {".participant.left", "%s left"},
                 {".participant.idle", "%s is idle"}, {".participant.returned", "%s is back"},
                 {".chat.ended", "the chat ended"}, {".transfer.succeeded", "the chat was transferred"},
                 {".transfer.failed", "the transfer failed"}};
    const char *type = json_string_value(json_object_get(e, "EventType"));
    size_t tl = type ? strlen(type) : 0;
    for (size_t i = 0; tl && i < sizeof shown / sizeof shown[0]; i++) {
        size_t sl = strlen(shown[i].suffix);
        if (tl < sl || strcmp(type + tl - sl, shown[i].suffix) != 0)
            continue;
        char text[PROTO_MAX_SHORT + 64];
        snprintf(text, sizeof text, shown[i].fmt, participant(e));
        return contact_event(p, iid, e, text, err);
    }
    return 0;
}

/* Attachments {Attachments: [{AttachmentName, ...}], DisplayName, Time}: "NAME attached FILE". */
static int attachments(pipeline *p, const char *iid, json_t *a, proto_error *err)
{
    json_t *list = json_object_get(a, "Attachments");
    for (size_t i = 0; i < json_array_size(list) && i < MAX_ATTACHMENTS_SHOWN; i++) {
        const char *file = json_string_value(json_object_get(json_array_get(list, i), "AttachmentName"));
        char text[2 * PROTO_MAX_SHORT + 32];
        snprintf(text, sizeof text, "%.256s attached %.256s", participant(a), file && *file ? file : "a file");
        if (contact_event(p, iid, a, text, err) != 0)
            return -1;
    }
    return 0;
}

static int segment(pipeline *p, const char *iid, json_t *seg, proto_error *err)
{
    json_t *chat = json_object_get(seg, "Event");
    if (json_is_object(chat))
        return chat_event(p, iid, chat, err);
    json_t *att = json_object_get(seg, "Attachments");
    if (json_is_object(att))
        return attachments(p, iid, att, err);
    json_t *pcs = json_object_get(seg, "PostContactSummary");
    if (json_is_object(pcs))
        return post_contact_summary(p, iid, pcs, err);
    json_t *cats = matched_categories(seg);
    if (cats) {
        int rc = categories(p, iid, cats, err);
        json_decref(cats);
        return rc;
    }
    bool final;
    json_t *u = transcript_of(seg, &final);
    if (!u) {
        /* documented kinds that carry no transcript; anything else is newer than this
         * adapter: skipped, but said, so an operator sees what is not mapped */
        static const char *const known[] = {"Events", "Issues", "Categories"};
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (json_object_get(seg, known[k]))
                return 0;
        const char *kind = json_is_object(seg) && json_object_size(seg) ? json_object_iter_key(json_object_iter(seg)) : "";
        metrics_contactlens_unknown_segment();
        logfile_write("Contact Lens %s: a segment of unknown kind '%.60s' skipped", iid, kind);
        return 0;
    }
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
    /* Voice has offsets; a chat message has its time, or else arrives now: either way the
     * offset is measured from the contact's start. */
    json_t *off = json_object_get(u, "BeginOffsetMillis");
    int64_t offset;
    if (json_is_integer(off)) {
        offset = json_integer_value(off);
    } else {
        pipeline_info info;
        int64_t at;
        if (!absolute_time_ms(u, &at))
            at = clock_wall_ms();
        offset = pipeline_lookup(p, iid, &info) ? at - info.started_ms : 0;
    }
    if (offset < 0)
        offset = 0;
    json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:I}", "type", "utterance", "iid", iid, "uid",
                          uid, "speaker", speaker, "text", text, "final", final, "offset_ms",
                          (json_int_t)offset);
    if (!f) {
        fail(err, PROTO_ERR_BAD_FIELD, "Contact Lens segment: not valid text");
        return -1;
    }
    if (apply(p, f, err) != 0)
        return -1;
    if (final && second_opinion(p, iid, uid, json_object_get(u, "Sentiment"), err) != 0)
        return -1;
    return final ? issues(p, iid, uid, text, offset, json_object_get(u, "IssuesDetected"), err) : 0;
}

/* ContactId cleaned once, here at the border: every lookup uses this iid. NULL with *err. */
static char *contact_id(json_t *o, proto_error *err)
{
    json_t *id = json_object_get(o, "ContactId");
    if (!json_is_string(id) || json_string_length(id) == 0) {
        fail(err, PROTO_ERR_BAD_FIELD, "Contact Lens event: ContactId missing");
        return NULL;
    }
    size_t len;
    char *iid = text_clean(json_string_value(id), json_string_length(id), TEXT_SINGLE_LINE, &len);
    if (len > PROTO_MAX_ID) {
        free(iid);
        fail(err, PROTO_ERR_BAD_FIELD, "Contact Lens event: ContactId too long");
        return NULL;
    }
    return iid;
}

int contactlens_apply(pipeline *p, json_t *o, const contactlens_defaults *d, proto_error *err)
{
    const char *kind = json_string_value(json_object_get(o, "EventType"));
    if (!kind)
        kind = json_string_value(json_object_get(o, "StreamingEventType"));
    const char *version = json_string_value(json_object_get(o, "Version"));
    const char *chan = json_string_value(json_object_get(o, "Channel"));
    const char *channel = (version && strcmp(version, "2.0.0") == 0) || (chan && strcmp(chan, "CHAT") == 0)
                              ? "chat" : "voice";
    if (!within_bounds(o, err))
        return -1;
    char *iid = contact_id(o, err);
    if (!iid)
        return -1;
    int rc = -1;
    if (!kind) {
        fail(err, PROTO_ERR_BAD_FIELD, "Contact Lens event: EventType missing");
    } else if (strcmp(kind, "STARTED") == 0) {
        rc = start(p, iid, channel, 0, d, err);
    } else if (strcmp(kind, "SEGMENTS") == 0) {
        json_t *segs = json_object_get(o, "Segments");
        pipeline_info info;
        bool ended = pipeline_lookup(p, iid, &info) && !info.live;
        /* after the end only the post-contact summary still means something; a contact
         * that ended is not started again */
        rc = ended ? 0 : start(p, iid, channel, earliest_time_ms(segs), d, err);
        size_t i;
        json_t *seg;
        json_array_foreach(segs, i, seg) {
            if (rc != 0)
                break;
            if (!ended)
                rc = segment(p, iid, seg, err);
            else if (json_is_object(json_object_get(seg, "PostContactSummary")))
                rc = post_contact_summary(p, iid, json_object_get(seg, "PostContactSummary"), err);
            else
                logfile_write("Contact Lens %s: a segment after the contact ended skipped", iid);
        }
    } else if (strcmp(kind, "COMPLETED") == 0 || strcmp(kind, "FAILED") == 0) {
        rc = 0;
        if (pipeline_is_live(p, iid)) {
            json_t *f = json_pack("{s:s, s:s, s:s}", "type", "end", "iid", iid, "reason",
                                  strcmp(kind, "FAILED") == 0 ? "failed" : "completed");
            rc = apply(p, f, err);
        }
    } else {
        fail(err, PROTO_ERR_UNKNOWN_TYPE, "Contact Lens event: unknown EventType");
    }
    free(iid);
    return rc;
}
