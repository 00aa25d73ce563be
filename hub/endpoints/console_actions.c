/* console_actions.c — console actions as a table: who may send each, whether it names an
 * interaction (and must it be live, or over), whether only the interaction's assigned agent
 * may send it, and whether it changes state (then its id is deduped in the same transaction
 * and the ack waits for the commit). */
#include "hub/endpoints/console.h"
#include "hub/assist/assist.h"
#include "hub/store/audit.h"
#include "hub/endpoints/agent_status.h"
#include "hub/core/eventlog_redis.h"
#include "base/mem.h"
#include "base/clock.h"
#include "base/strhash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { R_AGENT = 1, R_SUPERVISOR = 2, R_TRAINER = 4 };
/* A supervisor follows a handful of interactions by iid (or all of them with scope "all");
 * the bound keeps one connection's memory and every fan-out check small. */
enum { SUBSCRIPTIONS_MAX = 100 };

/* Returns the seq of the event it logged, 0 for none, -1 after sending an error. */
typedef int64_t (*action_fn)(session *s, const proto_event *ev, const pipeline_info *info);

/* The state the named interaction must be in. */
typedef enum { ANY_STATE, WHILE_LIVE, AFTER_END } iid_state;

typedef struct {
    proto_type type;
    unsigned roles;
    bool names_iid;
    iid_state state;
    /* only the agent the interaction is assigned to: after-contact work is the agent's own
     * (a supervisor may watch, whisper and barge, not close another agent's work) */
    bool assigned_only;
    bool changes;   /* deduped by id, acked after commit */
    action_fn fn;
} action_spec;

static int64_t error_out(session *s, const char *code, const char *msg, const proto_event *ev)
{
    session_send_error(s, code, msg, proto_str(ev, "id"));
    return -1;
}

/* Log the action's event; one that cannot be logged is answered with an error, never left
 * without an answer. */
static int64_t emit(session *s, const proto_event *ev, proto_type type, json_t *body,
                    const pipeline_info *info)
{
    int64_t seq = pipeline_emit(s->h->pl, type, body, info->agent, "");
    if (seq < 0)
        return error_out(s, PROTO_ERR_INTERNAL, "the event could not be logged", ev);
    return seq;
}

static int exec_sql(session *s, const char *sql, const char *a, const char *b, const char *c,
                    const char *d, int64_t n1, int64_t n2)
{
    sqlite3 *db = store_db(s->h->st);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    const char *texts[] = {a, b, c, d};
    for (int i = 0; i < 4; i++)
        if (texts[i])
            sqlite3_bind_text(st, i + 1, texts[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, n1);
    sqlite3_bind_int64(st, 6, n2);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The action's own row (a note, a wrap-up, a tick) could not be written: its event is
 * already staged, and half an action must not commit, so the whole turn fails. The ack
 * queued for it then goes out as a retryable `unavailable` (pipeline_turn.c), and the
 * retry with the same id applies it once. */
static void fail_turn_unless_stored(session *s, int rc)
{
    if (rc != 0)
        pipeline_fail_turn(s->h->pl, sqlite3_errmsg(store_db(s->h->st)));
}

static int64_t do_reply(session *s, const proto_event *ev, const pipeline_info *info)
{
    if (strcmp(info->channel, "chat") != 0)
        return error_out(s, PROTO_ERR_BAD_FIELD, "reply needs a chat; on a call use note", ev);
    /* the uid is a function of (user, id), so a retry could never make a second line */
    const char *id = proto_str(ev, "id");
    unsigned long long hsh = strhash_fnv1a64(strhash_fnv1a64(STRHASH64_SEED, s->user.name,
                                                              strlen(s->user.name)), id, strlen(id));
    char uid[40];
    snprintf(uid, sizeof uid, "reply-%016llx", hsh);
    int64_t seq = 0;
    proto_error err;
    const char *speaker = s->user.role == ROLE_SUPERVISOR ? "supervisor" : "agent";
    if (pipeline_user_utterance(s->h->pl, proto_str(ev, "iid"), speaker, uid, proto_str(ev, "text"),
                                &seq, &err) != 0)
        return error_out(s, err.code, err.message, ev);
    return seq;
}

/* A note is stored redacted (tags, as recordings have them), and only once its event is
 * logged: a note whose event cannot be made is not stored, and its retry stores it once. */
static int64_t do_note(session *s, const proto_event *ev, const pipeline_info *info)
{
    const char *iid = proto_str(ev, "iid"), *text = proto_str(ev, "text");
    int64_t seq = emit(s, ev, EV_NOTED,
                       json_pack("{s:s, s:s, s:s}", "iid", iid, "user", s->user.name, "text", text), info);
    if (seq < 0)
        return seq;   /* emit sent the error */
    char *stored = assist_redact_within(text, REDACT_TAG, PROTO_MAX_TEXT);
    int rc = exec_sql(s, "INSERT INTO notes(iid, user, text, ts) VALUES(?1, ?2, ?3, ?5)", iid,
                      s->user.name, stored, NULL, clock_wall_ms(), 0);
    free(stored);
    fail_turn_unless_stored(s, rc);
    return seq;
}

/* A hand raised, or lowered again (lower true): supervisors see both. */
static int64_t do_help(session *s, const proto_event *ev, const pipeline_info *info)
{
    const char *text = proto_str(ev, "text");
    return emit(s, ev, EV_HAND_RAISED,
                json_pack("{s:s, s:s, s:s, s:s, s:b}", "iid", proto_str(ev, "iid"), "agent", s->user.name,
                          "agent_name", s->user.display_name[0] ? s->user.display_name : s->user.name,
                          "text", text ? text : "", "raised", !proto_bool(ev, "lower", false)),
                info);
}

static int64_t do_feedback(session *s, const proto_event *ev, const pipeline_info *info)
{
    (void)info;
    struct assist_call *c = pipeline_assist_call(s->h->pl, proto_str(ev, "iid"));
    if (c)
        assist_call_feedback(c, proto_str(ev, "sid"), proto_str(ev, "action"), s->user.name,
                             clock_wall_ms());
    return 0;
}

static int64_t do_wrapup(session *s, const proto_event *ev, const pipeline_info *info)
{
    const char *iid = proto_str(ev, "iid"), *code = proto_str(ev, "code");
    const char *summary = proto_str(ev, "summary");
    bool follow = proto_bool(ev, "follow_up", false);
    if (!code || !summary)
        return error_out(s, PROTO_ERR_BAD_FIELD, "wrapup: code and summary are required", ev);
    /* stored redacted, after its event is logged (as a note) */
    int64_t seq = emit(s, ev, EV_WRAPPED_UP,
                       json_pack("{s:s, s:s, s:s, s:s, s:b}", "iid", iid, "user", s->user.name, "code", code,
                                 "summary", summary, "follow_up", follow),
                       info);
    if (seq < 0)
        return seq;   /* emit sent the error */
    char *stored = assist_redact_within(summary, REDACT_TAG, PROTO_MAX_LONGTEXT);
    int rc = exec_sql(s, "INSERT OR REPLACE INTO wrapups(iid, user, code, summary, ts, follow_up)"
                         " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                      iid, s->user.name, code, stored, clock_wall_ms(), follow);
    free(stored);
    fail_turn_unless_stored(s, rc);
    return seq;
}

/* On a shared bus, an action on another hub's interaction: taken over here when its owner's
 * lease lapsed (then applied here, false), else sent to its owner over the bus, which applies
 * it as this user and answers through the bus (true: answered or to be answered). A relay
 * session never forwards again: its action reached a hub that no longer owns it. */
static bool forward_to_owner(session *s, const proto_event *ev, const char *id)
{
    const char *iid = proto_str(ev, "iid");
    char holder[80] = "";
    int taken = s->conn ? pipeline_take_over(s->h->pl, iid, holder, sizeof holder) : 0;
    if (taken == 1)
        return false;
    if (taken < 0) {
        session_send_error(s, PROTO_ERR_UNAVAILABLE, "the bus cannot be reached; retry with the same id", id);
        return true;
    }
    proto_error err;
    size_t len = 0;
    char *text = s->conn ? proto_encode(ev, &len, &err) : NULL;
    if (!text || eventlog_redis_forward(s->h->log, s->user.name, s->user.display_name,
                                        store_role_name(s->user.role), text, len) != 0)
        session_send_error(s, s->conn ? PROTO_ERR_UNAVAILABLE : PROTO_ERR_NOT_FOUND,
                           s->conn ? "the interaction's hub cannot be reached over the bus; retry with the same id"
                                   : "the interaction moved to another hub; retry with the same id",
                           id);
    free(text);
    return true;
}

static const char *display(const session *s)
{
    return s->user.display_name[0] ? s->user.display_name : s->user.name;
}

/* A supervisor action joins the audit trail in the action's own transaction: an action
 * whose row cannot be written does not commit (the same rule as a note's row). */
static int64_t audited(session *s, int64_t seq, const char *action, const char *iid, const char *detail)
{
    if (seq >= 0)
        fail_turn_unless_stored(s, audit_record(s->h->st, s->user.name, action, iid, detail));
    return seq;
}

static int64_t do_whisper(session *s, const proto_event *ev, const pipeline_info *info)
{
    const char *iid = proto_str(ev, "iid");
    int64_t seq = emit(s, ev, EV_WHISPERED,
                       json_pack("{s:s, s:s, s:s, s:s}", "iid", iid, "from", s->user.name,
                                 "from_name", display(s), "text", proto_str(ev, "text")),
                       info);
    /* who whispered to whom, never what */
    char detail[PROTO_MAX_ID + 16];
    snprintf(detail, sizeof detail, "to %s", info->agent);
    return audited(s, seq, "whisper", iid, detail);
}

/* Barged in: the supervisor is in the interaction until a leave (the barges table). */
static int64_t do_barge(session *s, const proto_event *ev, const pipeline_info *info)
{
    const char *iid = proto_str(ev, "iid");
    int64_t seq = emit(s, ev, EV_BARGED,
                       json_pack("{s:s, s:s, s:s}", "iid", iid, "from", s->user.name, "from_name", display(s)),
                       info);
    if (seq < 0)
        return seq;
    fail_turn_unless_stored(s, exec_sql(s, "INSERT OR REPLACE INTO barges(iid, user, ts) VALUES(?1, ?2, ?5)", iid,
                                        s->user.name, NULL, NULL, clock_wall_ms(), 0));
    char detail[PROTO_MAX_ID + 16];
    snprintf(detail, sizeof detail, "agent %s", info->agent);
    return audited(s, seq, "barge", iid, detail);
}

static int64_t do_leave(session *s, const proto_event *ev, const pipeline_info *info)
{
    const char *iid = proto_str(ev, "iid");
    if (exec_sql(s, "DELETE FROM barges WHERE iid=?1 AND user=?2", iid, s->user.name, NULL, NULL, 0, 0) != 0) {
        fail_turn_unless_stored(s, -1);
        return 0;
    }
    if (sqlite3_changes(store_db(s->h->st)) == 0)
        return error_out(s, PROTO_ERR_BAD_FIELD, "leave: you have not barged into this interaction", ev);
    int64_t seq = emit(s, ev, EV_BARGED,
                       json_pack("{s:s, s:s, s:s, s:b}", "iid", iid, "from", s->user.name, "from_name", display(s),
                                 "left", 1),
                       info);
    if (seq < 0) /* the barge row stays: nothing of the leave commits */
        pipeline_fail_turn(s->h->pl, "the leave could not be logged");
    return audited(s, seq, "leave", iid, "");
}

/* The interaction moves to `to` (absent: the supervisor): pipeline_reassign. */
static int64_t do_takeover(session *s, const proto_event *ev, const pipeline_info *info)
{
    const char *iid = proto_str(ev, "iid"), *to = proto_str(ev, "to");
    if (!to)
        to = s->user.name;
    int64_t seq = 0;
    proto_error err;
    if (pipeline_reassign(s->h->pl, iid, to, s->user.name, display(s), &seq, &err) != 0)
        return error_out(s, err.code, err.message, ev);
    char detail[2 * PROTO_MAX_ID + 16];
    snprintf(detail, sizeof detail, "from %s to %s", info->agent, to);
    return audited(s, seq, "takeover", iid, detail);
}

typedef struct {
    int64_t alert;
    bool found;
} alert_find;

/* The first event of the interaction from `alert` on: is it that hand or flag? */
static int alert_entry(void *ctx, const eventlog_entry *e)
{
    alert_find *a = ctx;
    static const char hand[] = "{\"type\":\"hand\"", flag[] = "{\"type\":\"flag\"";
    a->found = e->seq == a->alert &&
               ((e->len > sizeof hand && memcmp(e->frame, hand, sizeof hand - 1) == 0) ||
                (e->len > sizeof flag && memcmp(e->frame, flag, sizeof flag - 1) == 0));
    return 1;
}

static bool already_acked(session *s, const char *iid, int64_t alert)
{
    sqlite3_stmt *q;
    bool yes = false;
    if (sqlite3_prepare_v2(store_db(s->h->st), "SELECT 1 FROM alert_acks WHERE iid=?1 AND alert=?2", -1, &q,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, iid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, alert);
        yes = sqlite3_step(q) == SQLITE_ROW;
    }
    sqlite3_finalize(q);
    return yes;
}

/* An alert (a hand or a flag, named by its event's seq) acknowledged once: the agent and
 * every supervisor learn that help is coming; again, it is acked without a new event. */
static int64_t do_alert_ack(session *s, const proto_event *ev, const pipeline_info *info)
{
    const char *iid = proto_str(ev, "iid");
    int64_t alert = proto_int(ev, "alert", 0);
    char detail[64];
    snprintf(detail, sizeof detail, "alert %lld", (long long)alert);
    if (already_acked(s, iid, alert)) {
        snprintf(detail, sizeof detail, "alert %lld (already acknowledged)", (long long)alert);
        return audited(s, 0, "alert.ack", iid, detail);
    }
    alert_find a = {.alert = alert};
    eventlog *log = s->h->log;
    if (log->ops->scan_interaction(log, iid, alert - 1, alert_entry, &a) < 0)
        return error_out(s, PROTO_ERR_UNAVAILABLE, "the event log cannot be read; retry with the same id", ev);
    if (!a.found)
        return error_out(s, PROTO_ERR_NOT_FOUND, "alert.ack: no hand or flag of this interaction has that seq", ev);
    int64_t seq = emit(s, ev, EV_ALERT_ACKED,
                       json_pack("{s:s, s:I, s:s, s:s}", "iid", iid, "alert", (json_int_t)alert, "by", s->user.name,
                                 "by_name", display(s)),
                       info);
    if (seq < 0)
        return seq;
    fail_turn_unless_stored(s, exec_sql(s, "INSERT INTO alert_acks(iid, user, alert, ts) VALUES(?1, ?2, ?5, ?6)", iid,
                                        s->user.name, NULL, NULL, alert, clock_wall_ms()));
    return audited(s, seq, "alert.ack", iid, detail);
}

/* The agent chooses available or break; busy and after-call work follow from its work. */
static int64_t do_status(session *s, const proto_event *ev, const pipeline_info *info)
{
    (void)info;
    fail_turn_unless_stored(s, agent_status_choose(s->h, s->user.name, proto_str(ev, "state"), clock_wall_ms()));
    return 0;
}

static int64_t do_checklist(session *s, const proto_event *ev, const pipeline_info *info)
{
    (void)info;
    const char *iid = proto_str(ev, "iid"), *item = proto_str(ev, "item");
    bool done = proto_bool(ev, "done", true);
    struct assist_call *c = pipeline_assist_call(s->h->pl, iid);
    if (c) /* the assist stage stores the tick itself and emits the new checklist */
        assist_call_checklist_tick(c, item, done);
    else if (done)
        fail_turn_unless_stored(s, exec_sql(s, "INSERT OR REPLACE INTO checklist_ticks(iid, item, user, ts)"
                                               " VALUES(?1, ?2, ?3, ?5)",
                                            iid, item, s->user.name, NULL, clock_wall_ms(), 0));
    else
        fail_turn_unless_stored(s, exec_sql(s, "DELETE FROM checklist_ticks WHERE iid=?1 AND item=?2", iid, item,
                                            NULL, NULL, 0, 0));
    return 0;
}

static int64_t do_summary(session *s, const proto_event *ev, const pipeline_info *info)
{
    (void)info;
    struct assist_call *c = pipeline_assist_call(s->h->pl, proto_str(ev, "iid"));
    if (c)
        assist_call_summary(c);
    return 0;
}

static int64_t do_ping(session *s, const proto_event *ev, const pipeline_info *info)
{
    (void)info;
    proto_event p = proto_new(EV_PONG);
    proto_set_str(&p, "id", proto_str(ev, "id"));
    if (proto_json(ev, "t"))
        proto_set_int(&p, "t", proto_int(ev, "t", 0));
    session_send_event(s, &p);
    return 0;
}

static int64_t do_recordings(session *s, const proto_event *ev, const pipeline_info *info)
{
    (void)info;
    console_recordings_list(s, ev);
    return 0;
}

/* A trainer's verdict on an exemplar, written in the action's transaction. */
static int64_t do_exemplar(session *s, const proto_event *ev, const pipeline_info *info)
{
    (void)info;
    if (!s->h->rec)
        return error_out(s, PROTO_ERR_NOT_FOUND, "this hub keeps no recordings", ev);
    int rc = recorder_exemplar(s->h->rec, proto_str(ev, "iid"), proto_str(ev, "state"), proto_str(ev, "tags"),
                               proto_str(ev, "comment"), s->user.name, clock_wall_ms());
    if (rc == 1)
        return error_out(s, PROTO_ERR_NOT_FOUND, "no recording of that interaction", ev);
    fail_turn_unless_stored(s, rc);
    return 0;
}

static int64_t do_recording_get(session *s, const proto_event *ev, const pipeline_info *info)
{
    (void)info;
    console_recording_get(s, ev);
    return 0;
}

static void set_subscription(session *s, const proto_event *ev, bool on)
{
    const char *iid = proto_str(ev, "iid");
    const char *scope = proto_str(ev, "scope");
    if (scope && strcmp(scope, "all") == 0) {
        if (s->user.role != ROLE_SUPERVISOR && on) {
            session_send_error(s, PROTO_ERR_FORBIDDEN, "only supervisors see every interaction", NULL);
            return;
        }
        s->sub_all = on && s->user.role == ROLE_SUPERVISOR;
        if (!on)
            s->nsubs = 0;
        return;
    }
    if (!iid)
        return;
    pipeline_info info;
    /* opening one is reading: another hub's interaction (a shared bus) opens here too */
    if (on && !pipeline_lookup(s->h->pl, iid, &info) && !pipeline_lookup_replica(s->h->pl, iid, &info)) {
        session_send_error(s, PROTO_ERR_NOT_FOUND, "no such interaction", NULL);
        return;
    }
    if (s->user.role == ROLE_AGENT) {
        if (on && strcmp(info.agent, s->user.name) != 0)
            session_send_error(s, PROTO_ERR_FORBIDDEN, "not your interaction", NULL);
        return; /* an agent always sees their own interactions */
    }
    /* a supervisor opening another's interaction is a supervisor action: audited, in the
     * turn's transaction; when nothing can be written it is refused, not left unrecorded */
    if (on && strcmp(info.agent, s->user.name) != 0) {
        if (pipeline_begin(s->h->pl) != 0) {
            session_send_error(s, PROTO_ERR_UNAVAILABLE, "storage unavailable; subscribe again later", NULL);
            return;
        }
        char detail[PROTO_MAX_ID + 16];
        snprintf(detail, sizeof detail, "agent %s", info.agent);
        fail_turn_unless_stored(s, audit_record(s->h->st, s->user.name, "open", iid, detail));
    }
    for (size_t i = 0; i < s->nsubs; i++)
        if (strcmp(s->subs[i], iid) == 0) {
            if (!on)
                memcpy(s->subs[i], s->subs[--s->nsubs], sizeof s->subs[i]);
            return;
        }
    if (!on)
        return;
    if (s->nsubs >= SUBSCRIPTIONS_MAX) {
        char msg[96];
        snprintf(msg, sizeof msg, "at most %d subscriptions per connection: unsubscribe one first",
                 SUBSCRIPTIONS_MAX);
        session_send_error(s, PROTO_ERR_BAD_FIELD, msg, NULL);
        return;
    }
    s->subs = mem_realloc(s->subs, (s->nsubs + 1) * sizeof *s->subs);
    snprintf(s->subs[s->nsubs++], sizeof s->subs[0], "%s", iid);
}

/* A masked value in clear, for the agent the interaction is assigned to only (a supervisor
 * watching sees the masks), to this connection only, never logged; the audit trail records
 * who asked for which kind of value of which interaction, never the value. */
static int64_t do_reveal(session *s, const proto_event *ev, const pipeline_info *info)
{
    (void)info;
    const char *iid = proto_str(ev, "iid"), *uid = proto_str(ev, "uid"), *field = proto_str(ev, "field");
    pipeline_info in;
    static const char gone[] = "no longer available: the hub keeps the values behind the masks in memory "
                               "only while the interaction is live or awaits its wrap-up (not after it, "
                               "nor after a restart of the hub)";
    if (!pipeline_lookup(s->h->pl, iid, &in))
        return error_out(s, PROTO_ERR_NOT_FOUND, gone, ev);
    if (strcmp(in.agent, s->user.name) != 0)
        return error_out(s, PROTO_ERR_FORBIDDEN, "only the agent the interaction is assigned to may reveal its values", ev);
    if (!uid && !field)
        return error_out(s, PROTO_ERR_BAD_FIELD, "reveal: uid or field required", ev);
    unsigned index = (unsigned)proto_int(ev, "index", 0), count = 0;
    const char *kind = NULL;
    char *value = pipeline_reveal(s->h->pl, iid, uid, uid ? NULL : field, index, &count, &kind);
    if (!value)
        return error_out(s, PROTO_ERR_NOT_FOUND, count ? "no masked value with that index in the line" : gone, ev);
    char detail[64];
    snprintf(detail, sizeof detail, "%s", kind);
    int rc = pipeline_begin(s->h->pl) == 0 ? audit_record(s->h->st, s->user.name, "reveal", iid, detail) : -1;
    if (rc != 0) {
        /* not recorded, not shown: a reveal nobody could account for is refused */
        memset(value, 0, strlen(value));
        free(value);
        return error_out(s, PROTO_ERR_UNAVAILABLE, "the reveal could not be recorded; retry later", ev);
    }
    proto_event r = proto_new(EV_REVEALED);
    proto_set_str(&r, "id", proto_str(ev, "id"));
    proto_set_str(&r, "iid", iid);
    if (uid)
        proto_set_str(&r, "uid", uid);
    else
        proto_set_str(&r, "field", field);
    proto_set_int(&r, "index", uid ? index : 0);
    proto_set_int(&r, "count", count);
    proto_set_str(&r, "kind", kind);
    proto_set_str(&r, "value", value);
    /* shown only once its audit row is stored: a failed commit answers unavailable */
    session_answer_after_commit(s, proto_str(ev, "id"), &r);
    memset(value, 0, strlen(value));
    free(value);
    return 0;
}

/* One row per action. Unnamed fields are false / ANY_STATE: an action names no interaction,
 * may be sent for any state, by anyone of its roles, and changes nothing (answered at once,
 * not deduped). */
static const action_spec actions[] = {
    {.type = EV_REPLY, .roles = R_AGENT | R_SUPERVISOR, .names_iid = true, .state = WHILE_LIVE,
     .changes = true, .fn = do_reply},
    {.type = EV_NOTE, .roles = R_AGENT | R_SUPERVISOR, .names_iid = true, .changes = true, .fn = do_note},
    {.type = EV_HELP, .roles = R_AGENT, .names_iid = true, .state = WHILE_LIVE, .changes = true,
     .fn = do_help},
    {.type = EV_SUGGESTION_FEEDBACK, .roles = R_AGENT | R_SUPERVISOR, .names_iid = true, .changes = true,
     .fn = do_feedback},
    {.type = EV_WRAPUP, .roles = R_AGENT | R_SUPERVISOR, .names_iid = true, .state = AFTER_END,
     .assigned_only = true, .changes = true, .fn = do_wrapup},
    {.type = EV_WHISPER, .roles = R_SUPERVISOR, .names_iid = true, .state = WHILE_LIVE, .changes = true,
     .fn = do_whisper},
    {.type = EV_BARGE, .roles = R_SUPERVISOR, .names_iid = true, .state = WHILE_LIVE, .changes = true,
     .fn = do_barge},
    {.type = EV_LEAVE, .roles = R_SUPERVISOR, .names_iid = true, .changes = true, .fn = do_leave},
    {.type = EV_TAKEOVER, .roles = R_SUPERVISOR, .names_iid = true, .state = WHILE_LIVE, .changes = true,
     .fn = do_takeover},
    {.type = EV_ALERT_ACK, .roles = R_SUPERVISOR, .names_iid = true, .changes = true, .fn = do_alert_ack},
    {.type = EV_STATUS, .roles = R_AGENT, .changes = true, .fn = do_status},
    {.type = EV_CHECKLIST_TICK, .roles = R_AGENT | R_SUPERVISOR, .names_iid = true, .state = WHILE_LIVE,
     .changes = true, .fn = do_checklist},
    {.type = EV_SUMMARY_REQUEST, .roles = R_AGENT | R_SUPERVISOR, .names_iid = true, .state = WHILE_LIVE,
     .changes = true, .fn = do_summary},
    {.type = EV_RECORDINGS_LIST, .roles = R_TRAINER, .fn = do_recordings},
    {.type = EV_RECORDING_GET, .roles = R_TRAINER, .fn = do_recording_get},
    {.type = EV_RECORDING_EXEMPLAR, .roles = R_TRAINER, .changes = true, .fn = do_exemplar},
    {.type = EV_PING, .roles = R_AGENT | R_SUPERVISOR | R_TRAINER, .fn = do_ping},
    {.type = EV_REVEAL, .roles = R_AGENT | R_SUPERVISOR, .fn = do_reveal},
};

static unsigned role_bit(store_role r)
{
    return r == ROLE_AGENT ? R_AGENT : r == ROLE_SUPERVISOR ? R_SUPERVISOR : r == ROLE_TRAINER ? R_TRAINER : 0;
}

void console_action(session *s, const proto_event *ev)
{
    if (ev->type == EV_SUBSCRIBE || ev->type == EV_UNSUBSCRIBE) {
        if (s->user.role == ROLE_TRAINER)
            session_send_error(s, PROTO_ERR_FORBIDDEN, "trainers get recordings only", NULL);
        else
            set_subscription(s, ev, ev->type == EV_SUBSCRIBE);
        return;
    }
    const action_spec *a = NULL;
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (actions[i].type == ev->type)
            a = &actions[i];
    const char *id = proto_str(ev, "id");
    if (!a) {
        session_send_error(s, PROTO_ERR_UNKNOWN_TYPE, "not an action", id);
        return;
    }
    if (!(a->roles & role_bit(s->user.role))) {
        /* say who may: "takeover: supervisors only, not agent" */
        static const char *const who[] = {"agents", "supervisors", "trainers"};
        char msg[160], roles[64] = "";
        for (int r = 0; r < 3; r++)
            if (a->roles & (1u << r))
                snprintf(roles + strlen(roles), sizeof roles - strlen(roles), "%s%s", roles[0] ? " and " : "",
                         who[r]);
        snprintf(msg, sizeof msg, "%s: %s only, not %s", proto_spec(ev->type)->name, roles,
                 store_role_name(s->user.role));
        session_send_error(s, PROTO_ERR_FORBIDDEN, msg, id);
        return;
    }
    pipeline_info info = {0};
    if (a->names_iid) {
        const char *iid = proto_str(ev, "iid");
        if (iid && pipeline_owned_elsewhere(s->h->pl, iid) && forward_to_owner(s, ev, id))
            return;
        if (!iid || !pipeline_lookup(s->h->pl, iid, &info)) {
            session_send_error(s, PROTO_ERR_NOT_FOUND, "no such interaction", id);
            return;
        }
        if ((s->user.role == ROLE_AGENT || a->assigned_only) && strcmp(info.agent, s->user.name) != 0) {
            session_send_error(s, PROTO_ERR_FORBIDDEN,
                               a->assigned_only ? "only the agent assigned to the interaction wraps it up"
                                                : "not your interaction",
                               id);
            return;
        }
        if (a->state == WHILE_LIVE && !info.live) {
            session_send_error(s, PROTO_ERR_NOT_FOUND, "the interaction has ended", id);
            return;
        }
        if (a->state == AFTER_END && info.live) {
            session_send_error(s, PROTO_ERR_BAD_FIELD, "the interaction is still live: wrap up after it ends", id);
            return;
        }
    }
    if (!a->changes) {
        a->fn(s, ev, &info);
        return;
    }
    hub *h = s->h;
    if (!id) {
        session_send_error(s, PROTO_ERR_BAD_FIELD, "an action needs an id", NULL);
        return;
    }
    if (store_action_seen(h->st, s->user.name, id) ||
        pipeline_seen_on_bus(h->pl, proto_str(ev, "iid"), s->user.name, id)) {
        session_ack_after_commit(s, id, 0);
        return;
    }
    if (pipeline_begin(h->pl) != 0) {
        session_send_error(s, PROTO_ERR_UNAVAILABLE, "storage unavailable; retry with the same id", id);
        return;
    }
    int64_t seq = a->fn(s, ev, &info);
    if (seq < 0)
        return;
    /* without its dedupe row a retry would apply it twice: the turn cannot commit */
    if (store_action_remember(h->st, s->user.name, id, proto_spec(ev->type)->name, clock_wall_ms()) != 0)
        pipeline_fail_turn(h->pl, sqlite3_errmsg(store_db(h->st)));
    pipeline_remember_on_bus(h->pl, proto_str(ev, "iid"), s->user.name, id);
    session_ack_after_commit(s, id, seq);
}
