/* catalogue.h — protocol v1 as one table: every event, its direction, and each field
 * with its type, whether it is required, and its limit. Encoding, decoding, validation
 * and docs/PROTOCOL.md all come from this table (tests/unit/test_protocol_doc.c keeps
 * the document and the table from drifting apart).
 *
 * Invariant: a name is unique within one direction (the same name, e.g. "utterance",
 * may exist for ingest and for hub->console with different fields). */
#ifndef AGENTDESK_PROTO_CATALOGUE_H
#define AGENTDESK_PROTO_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>

#define PROTO_VERSION      1
#define PROTO_SUBPROTOCOL  "agentdesk.v1"
#define PROTO_INGEST_SUBPROTOCOL "agentdesk.ingest.v1"
#define PROTO_MAX_FRAME    65536   /* bytes of one text frame */
#define PROTO_MAX_DEPTH    16      /* JSON nesting */
#define PROTO_MAX_TEXT     8192    /* bytes of free text (utterance text, replies, notes) */
#define PROTO_MAX_LONGTEXT 32768   /* bytes of a summary or a recording line */
#define PROTO_MAX_ID       128     /* bytes of any id or token */
#define PROTO_MAX_SHORT    256     /* bytes of names, titles, codes */
#define PROTO_MAX_ARRAY    1000    /* items of any array */

/* Which endpoint a frame travels on. The websocket subprotocol picks it. */
typedef enum {
    PROTO_TO_HUB,       /* console -> hub   (agentdesk.v1) */
    PROTO_TO_CONSOLE,   /* hub -> console   (agentdesk.v1) */
    PROTO_INGEST,       /* connector -> hub (agentdesk.ingest.v1) */
    PROTO_INGEST_REPLY  /* hub -> connector (agentdesk.ingest.v1) */
} proto_dir;

typedef enum {
    FT_ID,       /* string, 1..PROTO_MAX_ID bytes, single line */
    FT_STRING,   /* string, single line after cleaning; limit = max bytes */
    FT_TEXT,     /* string, may keep newlines (summaries, notes); limit = max bytes */
    FT_ENUM,     /* string, one of `values` ("a|b|c") */
    FT_INT,      /* integer in [min, max] */
    FT_NUMBER,   /* number in [min, max] */
    FT_BOOL,
    FT_OBJECT,   /* object; nested strings cleaned, depth and size bounded */
    FT_ARRAY     /* array; at most `max` items; nested strings cleaned */
} proto_field_type;

typedef struct {
    const char *name;
    proto_field_type type;
    bool required;
    double min, max;       /* numbers: range; strings: max is bytes; arrays: max is items */
    const char *values;    /* FT_ENUM: allowed values separated by '|' */
    const char *doc;       /* one line for PROTOCOL.md */
} proto_field;

/* Every event of protocol v1. Names in the catalogue table. */
typedef enum {
    /* console -> hub */
    EV_HELLO, EV_SUBSCRIBE, EV_UNSUBSCRIBE, EV_REPLY, EV_NOTE, EV_SUGGESTION_FEEDBACK,
    EV_WRAPUP, EV_HELP, EV_WHISPER, EV_BARGE, EV_RECORDINGS_LIST, EV_RECORDING_GET,
    EV_CHECKLIST_TICK, EV_SUMMARY_REQUEST, EV_PING, EV_STATUS, EV_LEAVE, EV_TAKEOVER, EV_ALERT_ACK,
    EV_REVEAL, EV_RECORDING_EXEMPLAR,
    /* hub -> console */
    EV_WELCOME, EV_SNAPSHOT, EV_INTERACTION_STARTED, EV_UTTERANCE, EV_SENTIMENT, EV_FLAG,
    EV_SUGGESTION, EV_CUSTOMER, EV_CHECKLIST, EV_SUMMARY, EV_HANDOVER, EV_WHISPERED, EV_BARGED,
    EV_HAND_RAISED, EV_NOTED, EV_WRAPPED_UP, EV_INTERACTION_ENDED, EV_RECORDINGS,
    EV_RECORDING, EV_ACK, EV_ERROR, EV_PONG, EV_AGENT_STATUS, EV_ASSIGNED, EV_ALERT_ACKED,
    EV_REVEALED, EV_FLOOR_METRICS, EV_CONTACT_EVENT,
    /* connector -> hub */
    EV_INGEST_HELLO, EV_INGEST_START, EV_INGEST_UTTERANCE, EV_INGEST_END,
    /* hub -> connector */
    EV_INGEST_WELCOME, EV_INGEST_ACK, EV_INGEST_ERROR,
    EV__COUNT
} proto_type;

typedef struct {
    proto_type type;
    const char *name;          /* the "type" string on the wire */
    proto_dir dir;
    bool durable;              /* hub->console: carries seq and ts, kept in the event log */
    const proto_field *fields; /* terminated by a field with name == NULL */
    const char *doc;           /* paragraph for PROTOCOL.md */
    const char *example;       /* one example frame, valid against this entry */
} proto_event_spec;

/* The table, indexed by proto_type. */
const proto_event_spec *proto_spec(proto_type type);
/* The entry named `name` in direction `dir`, or NULL. */
const proto_event_spec *proto_spec_find(const char *name, proto_dir dir);
/* The field named `name` of `spec`, or NULL. */
const proto_field *proto_spec_field(const proto_event_spec *spec, const char *name);
/* True when s (len bytes) is one of the '|'-separated `values` (an FT_ENUM's notation). */
bool proto_enum_has(const char *values, const char *s, size_t len);

/* Error codes carried by `error {code, message, ref?}`. */
#define PROTO_ERR_BAD_JSON      "bad_json"
#define PROTO_ERR_TOO_BIG       "too_big"
#define PROTO_ERR_BAD_FIELD     "bad_field"
#define PROTO_ERR_UNKNOWN_TYPE  "unknown_type"
#define PROTO_ERR_UNAUTHORIZED  "unauthorized"
#define PROTO_ERR_FORBIDDEN     "forbidden"
#define PROTO_ERR_NOT_FOUND     "not_found"
#define PROTO_ERR_FLOOD         "flood"
#define PROTO_ERR_SLOW          "slow_consumer"
#define PROTO_ERR_INTERNAL      "internal"
#define PROTO_ERR_TOO_MANY      "too_many_connections"
/* the hub cannot store anything right now (full disk, I/O error): retry with the same id */
#define PROTO_ERR_UNAVAILABLE   "unavailable"

#endif
