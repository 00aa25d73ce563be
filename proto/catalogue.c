/* catalogue.c — protocol v1 as one table (see catalogue.h). docs/PROTOCOL.md repeats
 * every entry; tests/unit/test_protocol_doc.c keeps the two in step. */
#include "proto/catalogue.h"

#include <string.h>

/* Largest integer a JSON number carries exactly in every common implementation. */
#define MAX_SAFE_INT 9007199254740991.0
#define MAX_CODE 64       /* bytes of a wrap-up disposition code or an error code */
#define MAX_REASON 1024   /* bytes of a flag's reason or evidence */
#define MAX_SCORE 1e9     /* suggestion relevance: the scale is the ranker's own */

#define F_ID(n, req, doc)          { n, FT_ID, req, 1, PROTO_MAX_ID, NULL, doc }
#define F_STR(n, req, max, doc)    { n, FT_STRING, req, 0, max, NULL, doc }
#define F_TEXT(n, req, max, doc)   { n, FT_TEXT, req, 0, max, NULL, doc }
#define F_ENUM(n, req, vals, doc)  { n, FT_ENUM, req, 0, 0, vals, doc }
#define F_INT(n, req, lo, hi, doc) { n, FT_INT, req, lo, hi, NULL, doc }
#define F_NUM(n, req, lo, hi, doc) { n, FT_NUMBER, req, lo, hi, NULL, doc }
#define F_BOOL(n, req, doc)        { n, FT_BOOL, req, 0, 0, NULL, doc }
#define F_OBJ(n, req, max, doc)    { n, FT_OBJECT, req, 0, max, NULL, doc }
#define F_ARR(n, req, max, doc)    { n, FT_ARRAY, req, 0, max, NULL, doc }
#define F_END                      { NULL, FT_ID, false, 0, 0, NULL, NULL }

#define F_ACTION_ID F_ID("id", true, "client-made action id; answered by ack {id}, a retried id is applied once")
#define F_IID F_ID("iid", true, "interaction id")
#define F_TIME(n, doc) F_INT(n, true, 0, MAX_SAFE_INT, doc)

/* ---- console -> hub ---------------------------------------------------------------- */

static const proto_field hello_fields[] = {
    F_ID("token", true, "the user's access token (from --token-file or AGENTDESK_TOKEN)"),
    F_STR("client", true, PROTO_MAX_SHORT, "client name and version, for the hub's log"),
    F_INT("resume_after", false, 0, MAX_SAFE_INT, "replay every visible durable event with seq > this, then go live"),
    F_INT("keep_lines", false, 1, MAX_SAFE_INT, "transcript lines the console keeps per interaction (its scrollback): a snapshot sends at most this many"),
    F_INT("protocol", false, 1, 1000, "protocol version the client speaks (1)"),
    F_END
};
static const proto_field subscribe_fields[] = {
    F_ID("iid", false, "one interaction to follow"),
    F_ENUM("scope", false, "all", "\"all\": every interaction the role may see"),
    F_END
};
static const proto_field unsubscribe_fields[] = {
    F_ID("iid", false, "stop following this interaction"),
    F_ENUM("scope", false, "all", "\"all\": stop following everything"),
    F_END
};
static const proto_field reply_fields[] = {
    F_ACTION_ID, F_IID,
    F_TEXT("text", true, PROTO_MAX_TEXT, "what the agent says or types to the customer"),
    F_END
};
static const proto_field note_fields[] = {
    F_ACTION_ID, F_IID,
    F_TEXT("text", true, PROTO_MAX_TEXT, "private note attached to the interaction"),
    F_END
};
static const proto_field help_fields[] = {
    F_ACTION_ID, F_IID,
    F_TEXT("text", false, PROTO_MAX_TEXT, "what the agent needs help with"),
    F_BOOL("lower", false, "true: the agent lowers the hand again"),
    F_END
};
static const proto_field feedback_fields[] = {
    F_ACTION_ID, F_IID,
    F_ID("sid", true, "suggestion id"),
    F_ENUM("action", true, "used|dismissed", "what the agent did with the suggestion"),
    F_END
};
static const proto_field wrapup_fields[] = {
    F_ACTION_ID, F_IID,
    F_STR("code", true, MAX_CODE, "disposition code"),
    F_TEXT("summary", true, PROTO_MAX_LONGTEXT, "the final summary, edited by the agent"),
    F_BOOL("follow_up", false, "a follow-up contact is needed"),
    F_END
};
static const proto_field whisper_fields[] = {
    F_ACTION_ID, F_IID,
    F_TEXT("text", true, PROTO_MAX_TEXT, "message only the assigned agent sees"),
    F_END
};
static const proto_field barge_fields[] = {
    F_ACTION_ID, F_IID,
    F_END
};
static const proto_field recordings_list_fields[] = {
    F_ACTION_ID,
    F_INT("before", false, 1, MAX_SAFE_INT, "paging cursor: the next of the previous recordings page; absent: from the newest"),
    F_INT("limit", false, 1, PROTO_MAX_ARRAY, "at most this many items (default 100); a page may hold fewer to fit a frame"),
    F_ENUM("sort", false, "recent|recovery|handle|flags", "by outcome: newest first, the customer's sentiment recovery, handle time, or flags raised; each after the confirmed then the proposed exemplars"),
    F_ID("queue", false, "only this queue's recordings"),
    F_ID("agent", false, "only this agent's recordings"),
    F_BOOL("exemplars", false, "true: only the confirmed and the proposed exemplars"),
    F_INT("offset", false, 0, MAX_SAFE_INT, "with sort, queue, agent or exemplars: items to skip (the next_offset of the previous page)"),
    F_END
};
static const proto_field recording_exemplar_fields[] = {
    F_ACTION_ID, F_IID,
    F_ENUM("state", true, "confirmed|rejected|cleared", "the trainer's verdict on the recording as an exemplar; cleared forgets it"),
    F_STR("tags", false, PROTO_MAX_SHORT, "comma-separated tags, e.g. \"de-escalation, refund\""),
    F_TEXT("comment", false, PROTO_MAX_SHORT, "why it is (or is not) an example to learn from"),
    F_END
};
static const proto_field recording_get_fields[] = {
    F_ACTION_ID,
    F_ID("iid", true, "the recorded interaction"),
    F_END
};
static const proto_field checklist_tick_fields[] = {
    F_ACTION_ID, F_IID,
    F_ID("item", true, "checklist item id"),
    F_BOOL("done", true, "ticked (true) or unticked (false)"),
    F_END
};
static const proto_field summary_request_fields[] = {
    F_ACTION_ID, F_IID,
    F_END
};
static const proto_field status_fields[] = {
    F_ACTION_ID,
    F_ENUM("state", true, "available|break", "the state the agent chooses: available for contacts, or on a break"),
    F_END
};
static const proto_field leave_fields[] = {
    F_ACTION_ID, F_IID,
    F_END
};
static const proto_field takeover_fields[] = {
    F_ACTION_ID, F_IID,
    F_ID("to", false, "user name of the agent who takes the interaction over; absent: the supervisor"),
    F_END
};
static const proto_field alert_ack_fields[] = {
    F_ACTION_ID, F_IID,
    F_INT("alert", true, 1, MAX_SAFE_INT, "seq of the hand or flag event acknowledged"),
    F_END
};
#define PII_KINDS "card|cvv|email|phone|iban|ssn|nino|dob|address"
static const proto_field reveal_fields[] = {
    F_ID("id", true, "client-made action id; echoed in revealed {id}"),
    F_IID,
    F_ID("uid", false, "the line (utterance uid) whose masked value to reveal; without it, field"),
    F_ENUM("field", false, "email|phone", "the customer card's value to reveal (when no uid)"),
    F_INT("index", false, 0, 255, "which masked value of the line, 0 the first (default 0)"),
    F_END
};
static const proto_field ping_fields[] = {
    F_ID("id", true, "echoed in pong {id}"),
    F_INT("t", false, 0, MAX_SAFE_INT, "client's clock in ms, echoed in pong"),
    F_END
};

/* ---- hub -> console ---------------------------------------------------------------- */

static const proto_field welcome_fields[] = {
    F_ID("user", true, "user name the token belongs to"),
    F_STR("display_name", true, PROTO_MAX_SHORT, "name to show"),
    F_ENUM("role", true, "agent|supervisor|trainer", "what the user may see and do"),
    F_ID("hub_id", true, "identity of this hub's event log"),
    F_INT("seq", true, 0, MAX_SAFE_INT, "last durable seq at the time of welcome"),
    F_INT("protocol", true, 1, 1000, "protocol version the hub speaks (1)"),
    F_END
};
static const proto_field snapshot_fields[] = {
    F_INT("seq", true, 0, MAX_SAFE_INT, "the snapshot is consistent as of this seq"),
    F_ARR("interactions", true, 100, "live interactions: {iid, channel, queue, agent, agent_name, customer_id, customer_name, started_ms}"),
    F_BOOL("last", true, "true on the last part of the snapshot"),
    F_BOOL("fresh", false, "true when this snapshot replaces the replay a resume_after asked for: forget what you hold and start from it"),
    F_END
};
static const proto_field started_fields[] = {
    F_IID,
    F_ENUM("channel", true, "voice|chat", "how the customer is in contact"),
    F_STR("queue", true, PROTO_MAX_SHORT, "queue the interaction came through"),
    F_STR("agent", true, PROTO_MAX_ID, "user name of the assigned agent, \"\" while unassigned (only supervisors see it)"),
    F_STR("agent_name", true, PROTO_MAX_SHORT, "display name of the assigned agent, \"\" while unassigned"),
    F_STR("customer_id", true, PROTO_MAX_ID, "customer id, \"\" when unknown"),
    F_STR("customer_name", true, PROTO_MAX_SHORT, "customer's name, \"\" when unknown"),
    F_TIME("started_ms", "start, ms since the epoch"),
    F_END
};
static const proto_field utterance_fields[] = {
    F_IID,
    F_ID("uid", true, "utterance id; partials share it and are replaced"),
    F_ENUM("speaker", true, "customer|agent|bot|supervisor", "who spoke"),
    F_TEXT("text", true, PROTO_MAX_TEXT, "what was said (PII masked for live consoles)"),
    F_BOOL("final", true, "false for a partial that a later event with the same uid replaces"),
    F_TIME("offset_ms", "ms since the interaction started"),
    F_BOOL("simulated", false, "true: a demo's script said this line for the agent, who did not say it; absent otherwise"),
    F_END
};
static const proto_field sentiment_fields[] = {
    F_IID,
    F_ID("uid", true, "the utterance scored"),
    F_NUM("score", true, -1, 1, "sentiment of the utterance, -1 (negative) .. 1 (positive)"),
    F_ENUM("label", true, "negative|neutral|positive", "score as a word"),
    F_NUM("trend", true, -1, 1, "smoothed customer sentiment of the interaction so far"),
    F_NUM("slope", true, -1000, 1000, "change of the trend per utterance (negative: worsening)"),
    F_ARR("terms", true, 50, "strings: the words that moved the score"),
    F_ENUM("emotion", false, "neutral|anger|frustration|anxiety|sadness|confusion|satisfaction", "the utterance's emotion"),
    F_ARR("cues", false, 3, "strings: the words that carry the emotion"),
    F_ENUM("level", false, "hostile|negative|neutral|positive", "trend as a word"),
    F_INT("direction", false, -1, 1, "-1 worsening, 1 improving, 0 steady or unclear (the slope is significant only)"),
    F_ENUM("source", false, "contact-lens", "absent: the hub's own; contact-lens: Amazon Connect Contact Lens's label of the line, a second opinion (score -1, 0 or 1, MIXED as neutral; trend and slope 0, terms empty)"),
    F_END
};
static const proto_field flag_fields[] = {
    F_IID,
    F_ID("fid", true, "flag id"),
    F_STR("kind", true, PROTO_MAX_SHORT, "kind of condition, e.g. churn, repeat_contact, silence"),
    F_INT("severity", true, 1, 3, "1 notice, 2 warning, 3 severe"),
    F_STR("text", true, MAX_REASON, "the reason, for people"),
    F_ID("rule", true, "id of the rule that fired"),
    F_STR("evidence", true, MAX_REASON, "the words or numbers that fired the rule"),
    F_ID("uid", false, "the utterance that fired it"),
    F_INT("offset_ms", false, 0, MAX_SAFE_INT, "ms since the interaction started"),
    F_END
};
static const proto_field suggestion_fields[] = {
    F_IID,
    F_ID("sid", true, "suggestion id (used by suggestion.feedback)"),
    F_STR("title", true, PROTO_MAX_SHORT, "article title"),
    F_TEXT("text", true, PROTO_MAX_TEXT, "ready reply with the customer's details filled in"),
    F_ID("source", true, "knowledge-base article id"),
    F_NUM("score", true, -MAX_SCORE, MAX_SCORE, "relevance; higher is better"),
    F_NUM("confidence", false, 0, 1, "how sure the hub is that the article fits, 0..1; the hub sends none below its threshold"),
    F_END
};
static const proto_field customer_fields[] = {
    F_IID,
    F_OBJ("customer", true, 64, "{id, name, first_name, last_name, tier, since, email, phone, plan}"),
    F_ARR("history", true, 100, "past contacts: {date, channel, reason, outcome, sentiment}"),
    F_ARR("orders", true, 100, "orders: {id, date, item, amount, currency, status}"),
    F_END
};
static const proto_field checklist_fields[] = {
    F_IID,
    F_ARR("items", true, 100, "{id, label, done, by: \"phrase\"|\"hand\"|\"\"}"),
    F_END
};
static const proto_field summary_fields[] = {
    F_IID,
    F_TEXT("text", true, PROTO_MAX_LONGTEXT, "drafted summary"),
    F_STR("disposition", true, MAX_CODE, "proposed disposition code"),
    F_ARR("codes", true, 50, "strings: other plausible disposition codes"),
    F_BOOL("final", true, "true once the interaction has ended"),
    F_ENUM("source", false, "contact-lens", "absent: the hub's draft; contact-lens: Amazon Connect Contact Lens's post-contact summary, shown beside the draft (disposition \"\", codes empty)"),
    F_END
};
static const proto_field handover_fields[] = {
    F_IID,
    F_TEXT("wants", true, PROTO_MAX_TEXT, "what the customer asked for, in their words (redacted)"),
    F_ARR("done", true, 8, "strings: what the bot said, asked and was answered, oldest first"),
    F_TEXT("reason", true, PROTO_MAX_TEXT, "why the bot handed over"),
    F_ENUM("mood", true, "negative|neutral|positive", "the customer's last sentiment as a word"),
    F_NUM("score", true, -1, 1, "the customer's last sentiment score"),
    F_INT("turns", true, 0, MAX_SAFE_INT, "finals before a person spoke"),
    F_END
};
static const proto_field whispered_fields[] = {
    F_IID,
    F_ID("from", true, "user name of the supervisor"),
    F_STR("from_name", true, PROTO_MAX_SHORT, "display name of the supervisor"),
    F_TEXT("text", true, PROTO_MAX_TEXT, "the whispered message"),
    F_END
};
static const proto_field barged_fields[] = {
    F_IID,
    F_ID("from", true, "user name of the supervisor"),
    F_STR("from_name", true, PROTO_MAX_SHORT, "display name of the supervisor"),
    F_BOOL("left", false, "true: the supervisor left the interaction (absent: joined)"),
    F_END
};
static const proto_field hand_fields[] = {
    F_IID,
    F_ID("agent", true, "user name of the agent asking for help"),
    F_STR("agent_name", true, PROTO_MAX_SHORT, "display name of the agent"),
    F_TEXT("text", true, PROTO_MAX_TEXT, "what the agent needs, may be \"\""),
    F_BOOL("raised", false, "false: the agent lowered the hand (absent: raised)"),
    F_END
};
static const proto_field noted_fields[] = {
    F_IID,
    F_ID("user", true, "who wrote the note"),
    F_TEXT("text", true, PROTO_MAX_TEXT, "the note"),
    F_END
};
static const proto_field wrapped_fields[] = {
    F_IID,
    F_ID("user", true, "who wrapped up"),
    F_STR("code", true, MAX_CODE, "disposition code"),
    F_TEXT("summary", true, PROTO_MAX_LONGTEXT, "the final summary"),
    F_BOOL("follow_up", true, "a follow-up contact is needed"),
    F_END
};
static const proto_field ended_fields[] = {
    F_IID,
    F_STR("reason", true, PROTO_MAX_SHORT, "why it ended, e.g. resolved, hangup, transferred"),
    F_TIME("ended_ms", "end, ms since the epoch"),
    F_END
};
static const proto_field recordings_fields[] = {
    F_ID("id", true, "the recordings.list action answered"),
    F_ARR("items", true, PROTO_MAX_ARRAY, "newest first: {iid, channel, queue, agent, started_ms, duration_ms, ended, events, bytes, complete}"),
    F_INT("next", false, 1, MAX_SAFE_INT, "cursor for the next page (send it as before); absent on the last page"),
    F_INT("next_offset", false, 1, MAX_SAFE_INT, "answering a list with sort, queue, agent or exemplars: the offset of the next page; absent on the last page"),
    F_END
};
static const proto_field recording_fields[] = {
    F_ID("id", true, "the recording.get action answered"),
    F_IID,
    F_INT("part", true, 0, 1000000, "0-based part number; a recording comes in parts that fit a frame"),
    F_BOOL("last", true, "true on the last part"),
    F_ARR("lines", true, PROTO_MAX_ARRAY, "strings: the recording's JSONL lines, PII redacted"),
    F_BOOL("complete", false, "on the last part: true when every line the hub recorded was sent"),
    F_ENUM("reason", false, "write_failed|torn_tail|line_too_long", "on a last part with complete false: why lines are missing"),
    F_END
};
static const proto_field ack_fields[] = {
    F_ID("id", true, "the action acknowledged"),
    F_INT("seq", false, 0, MAX_SAFE_INT, "seq of the durable event the action produced"),
    F_END
};
static const proto_field error_fields[] = {
    F_STR("code", true, MAX_CODE, "one of the error codes"),
    F_STR("message", true, 512, "what was wrong, precisely"),
    F_ID("ref", false, "the action id the error answers"),
    F_END
};
static const proto_field pong_fields[] = {
    F_ID("id", true, "the ping answered"),
    F_INT("t", false, 0, MAX_SAFE_INT, "the ping's t, echoed"),
    F_END
};

static const proto_field agent_status_fields[] = {
    F_ID("agent", true, "user name of the agent"),
    F_STR("agent_name", true, PROTO_MAX_SHORT, "display name of the agent"),
    F_ENUM("state", true, "available|busy|acw|break|offline", "busy: on a live interaction; acw: none live, ended ones awaiting wrap-up; break: chosen by the agent; offline: no console connected"),
    F_TIME("since_ms", "since when the agent is in this state, ms since the epoch (acw: when the first interaction awaiting wrap-up ended)"),
    F_INT("live", true, 0, MAX_SAFE_INT, "live interactions assigned to the agent"),
    F_INT("acw_count", true, 0, MAX_SAFE_INT, "ended interactions awaiting the agent's wrap-up"),
    F_INT("handled_today", true, 0, MAX_SAFE_INT, "interactions the agent wrapped up since midnight UTC"),
    F_END
};
static const proto_field assigned_fields[] = {
    F_IID,
    F_ID("agent", true, "user name of the new owner"),
    F_STR("agent_name", true, PROTO_MAX_SHORT, "display name of the new owner"),
    F_STR("from", true, PROTO_MAX_ID, "user name of the previous owner, \"\" when it was unassigned"),
    F_STR("from_name", true, PROTO_MAX_SHORT, "display name of the previous owner, \"\" when it was unassigned"),
    F_STR("by", true, PROTO_MAX_ID, "user name of the supervisor who moved it, \"\" when its source assigned it"),
    F_STR("by_name", true, PROTO_MAX_SHORT, "display name of the supervisor, or the source that assigned it (a connector, Amazon Connect)"),
    F_END
};
static const proto_field contact_event_fields[] = {
    F_IID,
    F_TEXT("text", true, PROTO_MAX_TEXT, "what happened, for people (PII masked for live consoles)"),
    F_INT("offset_ms", false, 0, MAX_SAFE_INT, "ms since the interaction started"),
    F_END
};
static const proto_field revealed_fields[] = {
    F_ID("id", true, "the reveal's id"),
    F_IID,
    F_ID("uid", false, "the line, as asked"),
    F_ENUM("field", false, "email|phone", "the customer card's value, as asked"),
    F_INT("index", true, 0, 255, "which masked value of the line"),
    F_INT("count", true, 1, 256, "how many masked values the line has (1 for a field)"),
    F_ENUM("kind", true, PII_KINDS, "what the value is"),
    F_TEXT("value", true, PROTO_MAX_TEXT, "the value in clear: show it for a moment, keep it nowhere"),
    F_END
};
static const proto_field alert_acked_fields[] = {
    F_IID,
    F_INT("alert", true, 1, MAX_SAFE_INT, "seq of the hand or flag event acknowledged"),
    F_ID("by", true, "user name of the supervisor who acknowledged it"),
    F_STR("by_name", true, PROTO_MAX_SHORT, "display name of the supervisor"),
    F_END
};
static const proto_field floor_metrics_fields[] = {
    F_TIME("since_ms", "the window's start, ms since the epoch: the interactions that started since then count"),
    F_TIME("until_ms", "the window's end (when the figures were computed), ms since the epoch"),
    F_OBJ("total", true, 16, "every interaction of the window: a row as in queues, key \"\""),
    F_ARR("queues", true, 100, "per queue, by name: {key, interactions, ended, waited, scored, with_customer, handle_ms, "
          "wait_ms, uplift, negative_share, repeat_share}; an average or share is absent when nothing counts for it"),
    F_ARR("agents", true, 100, "per agent (key: user name), rows as in queues"),
    F_END
};

/* ---- ingest -------------------------------------------------------------------------- */

static const proto_field ingest_hello_fields[] = {
    F_ID("token", true, "the connector's token (a user with role ingest)"),
    F_STR("client", true, PROTO_MAX_SHORT, "connector name and version"),
    F_END
};
static const proto_field ingest_start_fields[] = {
    F_ID("id", false, "action id; answered by ack {id}"),
    F_IID,
    F_ENUM("channel", true, "voice|chat", "how the customer is in contact"),
    F_STR("queue", true, PROTO_MAX_SHORT, "queue name"),
    F_ID("agent", false, "user name of the assigned agent; absent: unassigned until a later start names one"),
    F_STR("customer_id", true, PROTO_MAX_ID, "customer id, \"\" when unknown"),
    F_INT("started_ms", false, 0, MAX_SAFE_INT, "start, ms since the epoch (default: now)"),
    F_END
};
static const proto_field ingest_utterance_fields[] = {
    F_ID("id", false, "action id; answered by ack {id}"),
    F_IID,
    F_ID("uid", true, "utterance id; send partials with the same uid, then final"),
    F_ENUM("speaker", true, "customer|agent|bot", "who spoke"),
    F_TEXT("text", true, PROTO_MAX_TEXT, "what was said"),
    F_BOOL("final", true, "false for a partial"),
    F_TIME("offset_ms", "ms since the interaction started"),
    F_BOOL("simulated", false, "true: a simulator's script plays this agent line (nobody said it); consoles label it"),
    F_END
};
static const proto_field ingest_end_fields[] = {
    F_ID("id", false, "action id; answered by ack {id}"),
    F_IID,
    F_STR("reason", false, PROTO_MAX_SHORT, "why it ended (default: ended)"),
    F_END
};
static const proto_field ingest_welcome_fields[] = {
    F_ID("user", true, "user name the token belongs to"),
    F_END
};
static const proto_field ingest_ack_fields[] = {
    F_ID("id", true, "the action acknowledged"),
    F_END
};

#define EV(t, n, d, dur, f, docs, ex) [t] = { t, n, d, dur, f, docs, ex }

static const proto_event_spec table[EV__COUNT] = {
    EV(EV_HELLO, "hello", PROTO_TO_HUB, false, hello_fields,
       "First frame on a console connection. A bad token is answered by error {code: \"unauthorized\"} and a close. "
       "Without resume_after the hub answers welcome, then snapshot parts, then replays the durable events of the live "
       "interactions the user may see, then sends live events. With resume_after N it answers welcome and replays every "
       "visible durable event with seq > N, then live events.",
       "{\"type\":\"hello\",\"token\":\"demo-agent-1\",\"client\":\"agentdesk 0.1.0\",\"resume_after\":1042,\"protocol\":1}"),
    EV(EV_SUBSCRIBE, "subscribe", PROTO_TO_HUB, false, subscribe_fields,
       "Follow one interaction (iid) or, for a supervisor, every interaction (scope \"all\"). An agent is subscribed to "
       "its own interactions from hello on. An iid the hub does not know is refused with not_found; a connection "
       "follows at most 100 iids (one more: bad_field).",
       "{\"type\":\"subscribe\",\"scope\":\"all\"}"),
    EV(EV_UNSUBSCRIBE, "unsubscribe", PROTO_TO_HUB, false, unsubscribe_fields,
       "Stop following one interaction or everything.",
       "{\"type\":\"unsubscribe\",\"iid\":\"I-20261102-0007\"}"),
    EV(EV_REPLY, "reply", PROTO_TO_HUB, false, reply_fields,
       "The agent answers the customer in a chat. The hub adds it to the transcript as an agent utterance and acks. "
       "On a voice call the agent speaks instead; a reply there is refused with bad_field.",
       "{\"type\":\"reply\",\"id\":\"a-17\",\"iid\":\"I-20261102-0007\",\"text\":\"I can see the two charges and I've refunded the second one.\"}"),
    EV(EV_NOTE, "note", PROTO_TO_HUB, false, note_fields,
       "A private note on the interaction; the hub records it and sends note to the interaction's viewers.",
       "{\"type\":\"note\",\"id\":\"a-18\",\"iid\":\"I-20261102-0007\",\"text\":\"Customer double-charged in March; refund raised\"}"),
    EV(EV_HELP, "help", PROTO_TO_HUB, false, help_fields,
       "The agent raises a hand, or lowers it with lower true; supervisors receive hand. Only while the interaction is live.",
       "{\"type\":\"help\",\"id\":\"a-19\",\"iid\":\"I-20261102-0007\",\"text\":\"Customer wants a manager\"}"),
    EV(EV_SUGGESTION_FEEDBACK, "suggestion.feedback", PROTO_TO_HUB, false, feedback_fields,
       "The agent used or dismissed a suggestion; the hub stores it to rank future suggestions. It counts once per "
       "user, interaction and article: the same action again changes nothing, the other action replaces the user's vote.",
       "{\"type\":\"suggestion.feedback\",\"id\":\"a-20\",\"iid\":\"I-20261102-0007\",\"sid\":\"S-3\",\"action\":\"used\"}"),
    EV(EV_WRAPUP, "wrapup", PROTO_TO_HUB, false, wrapup_fields,
       "The agent closes the interaction's after-call work with a disposition code and the final summary. Only the "
       "interaction's assigned agent, and only after it has ended (live: bad_field; anyone else: forbidden).",
       "{\"type\":\"wrapup\",\"id\":\"a-21\",\"iid\":\"I-20261102-0007\",\"code\":\"billing.refund\",\"summary\":\"Duplicate March charge refunded.\\nCustomer informed.\",\"follow_up\":false}"),
    EV(EV_WHISPER, "whisper", PROTO_TO_HUB, false, whisper_fields,
       "Supervisor only: a message to the interaction's agent that the customer never sees.",
       "{\"type\":\"whisper\",\"id\":\"s-4\",\"iid\":\"I-20261102-0007\",\"text\":\"Offer the loyalty credit.\"}"),
    EV(EV_BARGE, "barge", PROTO_TO_HUB, false, barge_fields,
       "Supervisor only: join the interaction; every viewer receives barge.",
       "{\"type\":\"barge\",\"id\":\"s-5\",\"iid\":\"I-20261102-0007\"}"),
    EV(EV_RECORDINGS_LIST, "recordings.list", PROTO_TO_HUB, false, recordings_list_fields,
       "Trainer only: one page of the recordings index, newest first; answered by recordings.",
       "{\"type\":\"recordings.list\",\"id\":\"t-1\",\"limit\":50}"),
    EV(EV_RECORDING_GET, "recording.get", PROTO_TO_HUB, false, recording_get_fields,
       "Trainer only: fetch one recording (PII redacted); answered by recording parts, sent as the connection takes them.",
       "{\"type\":\"recording.get\",\"id\":\"t-2\",\"iid\":\"I-20261102-0007\"}"),
    EV(EV_CHECKLIST_TICK, "checklist.tick", PROTO_TO_HUB, false, checklist_tick_fields,
       "The agent ticks or unticks a checklist item by hand; viewers receive the new checklist.",
       "{\"type\":\"checklist.tick\",\"id\":\"a-22\",\"iid\":\"I-20261102-0007\",\"item\":\"verify-identity\",\"done\":true}"),
    EV(EV_SUMMARY_REQUEST, "summary.request", PROTO_TO_HUB, false, summary_request_fields,
       "Ask for a drafted summary now; answered by summary with final false.",
       "{\"type\":\"summary.request\",\"id\":\"a-23\",\"iid\":\"I-20261102-0007\"}"),
    EV(EV_PING, "ping", PROTO_TO_HUB, false, ping_fields,
       "Liveness and latency check; answered by pong.",
       "{\"type\":\"ping\",\"id\":\"p-9\",\"t\":1793612345678}"),
    EV(EV_STATUS, "status", PROTO_TO_HUB, false, status_fields,
       "Agent only: the agent sets its own status, available or on a break. Busy and after-call work follow from its "
       "interactions and cannot be set. The hub keeps the choice across restarts and sends agent.status.",
       "{\"type\":\"status\",\"id\":\"a-30\",\"state\":\"break\"}"),
    EV(EV_LEAVE, "leave", PROTO_TO_HUB, false, leave_fields,
       "Supervisor only: leave an interaction the supervisor barged into; every viewer receives barge with left true. "
       "Leaving one the supervisor is not in is refused with bad_field.",
       "{\"type\":\"leave\",\"id\":\"s-6\",\"iid\":\"I-20261102-0007\"}"),
    EV(EV_TAKEOVER, "takeover", PROTO_TO_HUB, false, takeover_fields,
       "Supervisor only: move a live interaction to the supervisor (no to) or to another agent (to); every viewer "
       "receives interaction.assigned. A to that is no agent or supervisor, or who already has it, is refused with "
       "bad_field.",
       "{\"type\":\"takeover\",\"id\":\"s-7\",\"iid\":\"I-20261102-0007\",\"to\":\"agent-2\"}"),
    EV(EV_ALERT_ACK, "alert.ack", PROTO_TO_HUB, false, alert_ack_fields,
       "Supervisor only: acknowledge an alert, a raised hand or a flag, named by the seq of its hand or flag event; "
       "supervisors and the interaction's agent receive alert.acked. An alert already acknowledged is acked again "
       "without a new event; a seq that is not a hand or flag of that interaction is refused with not_found.",
       "{\"type\":\"alert.ack\",\"id\":\"s-8\",\"iid\":\"I-20261102-0007\",\"alert\":1053}"),
    EV(EV_RECORDING_EXEMPLAR, "recording.exemplar", PROTO_TO_HUB, false, recording_exemplar_fields,
       "Trainer only: confirm or reject a recording as an exemplar, with tags and a comment, or clear the verdict; "
       "acked once durable. recordings.list then lists confirmed exemplars first.",
       "{\"type\":\"recording.exemplar\",\"id\":\"t-3\",\"iid\":\"I-20261102-0007\",\"state\":\"confirmed\",\"tags\":\"de-escalation\",\"comment\":\"calm apology, then a clear fix\"}"),
    EV(EV_REVEAL, "reveal", PROTO_TO_HUB, false, reveal_fields,
       "The agent the interaction is assigned to asks for one masked value in clear: the index-th of a line "
       "(uid) or the customer card's e-mail or phone (field). Answered by revealed to this connection only, never "
       "logged; recorded in the audit trail (who, when, which interaction, which kind of value, never the value). "
       "Anyone else is refused with forbidden. A line's values are kept in the hub's memory only while the "
       "interaction is live or awaits its wrap-up: after the wrap-up or a restart the answer is not_found, "
       "saying the value is no longer available.",
       "{\"type\":\"reveal\",\"id\":\"a-31\",\"iid\":\"I-20261102-0007\",\"uid\":\"u-8\",\"index\":0}"),

    EV(EV_WELCOME, "welcome", PROTO_TO_CONSOLE, false, welcome_fields,
       "Answer to a good hello: who the user is and the hub's last durable seq.",
       "{\"type\":\"welcome\",\"user\":\"agent-1\",\"display_name\":\"Ana Ruiz\",\"role\":\"agent\",\"hub_id\":\"hub-7f3a\",\"seq\":1042,\"protocol\":1}"),
    EV(EV_SNAPSHOT, "snapshot", PROTO_TO_CONSOLE, false, snapshot_fields,
       "After welcome (without resume_after): the live interactions the user may see, in parts of at most 100; "
       "the last part has last true. The durable events of those interactions follow with their original seq "
       "(partials compacted to the latest per uid), then live events.",
       "{\"type\":\"snapshot\",\"seq\":1042,\"interactions\":[{\"iid\":\"I-20261102-0007\",\"channel\":\"voice\",\"queue\":\"billing\",\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"customer_id\":\"C-1042\",\"customer_name\":\"Maria Lopez\",\"started_ms\":1793612000000}],\"last\":true}"),
    EV(EV_INTERACTION_STARTED, "interaction.started", PROTO_TO_CONSOLE, true, started_fields,
       "A new interaction is live.",
       "{\"type\":\"interaction.started\",\"seq\":1043,\"ts\":1793612000004,\"iid\":\"I-20261102-0007\",\"channel\":\"voice\",\"queue\":\"billing\",\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"customer_id\":\"C-1042\",\"customer_name\":\"Maria Lopez\",\"started_ms\":1793612000000}"),
    EV(EV_UTTERANCE, "utterance", PROTO_TO_CONSOLE, true, utterance_fields,
       "A line of the transcript. Partials (final false) share a uid and each replaces the previous one; the final "
       "with that uid replaces the last partial. Text sent to live consoles has PII masked.",
       "{\"type\":\"utterance\",\"seq\":1044,\"ts\":1793612009000,\"iid\":\"I-20261102-0007\",\"uid\":\"u-2\",\"speaker\":\"customer\",\"text\":\"I've been charged twice for March.\",\"final\":true,\"offset_ms\":9000}"),
    EV(EV_SENTIMENT, "sentiment", PROTO_TO_CONSOLE, true, sentiment_fields,
       "Sentiment of a final utterance and the interaction's trend.",
       "{\"type\":\"sentiment\",\"seq\":1045,\"ts\":1793612009002,\"iid\":\"I-20261102-0007\",\"uid\":\"u-2\",\"score\":-0.62,\"label\":\"negative\",\"trend\":-0.4,\"slope\":-0.12,\"terms\":[\"charged twice\"],\"emotion\":\"frustration\",\"cues\":[\"charged twice\"],\"level\":\"negative\",\"direction\":-1}"),
    EV(EV_FLAG, "flag", PROTO_TO_CONSOLE, true, flag_fields,
       "A rule fired: churn intent, repeat contact, long silence, a compliance deadline missed, and so on. Each "
       "condition is flagged once per interaction.",
       "{\"type\":\"flag\",\"seq\":1046,\"ts\":1793612021003,\"iid\":\"I-20261102-0007\",\"fid\":\"F-1\",\"kind\":\"churn\",\"severity\":3,\"text\":\"Customer threatens to cancel\",\"rule\":\"churn-cancel\",\"evidence\":\"cancel my account\",\"uid\":\"u-4\",\"offset_ms\":21000}"),
    EV(EV_SUGGESTION, "suggestion", PROTO_TO_CONSOLE, true, suggestion_fields,
       "A knowledge-base article that fits the conversation, with a ready reply.",
       "{\"type\":\"suggestion\",\"seq\":1047,\"ts\":1793612021005,\"iid\":\"I-20261102-0007\",\"sid\":\"S-3\",\"title\":\"Duplicate charge refund\",\"text\":\"I can see the two charges, Maria. I've refunded the second one.\",\"source\":\"KB-004\",\"score\":0.82,\"confidence\":0.64}"),
    EV(EV_CUSTOMER, "customer", PROTO_TO_CONSOLE, true, customer_fields,
       "The customer's profile, past contacts and orders, sent when the interaction starts.",
       "{\"type\":\"customer\",\"seq\":1048,\"ts\":1793612000010,\"iid\":\"I-20261102-0007\",\"customer\":{\"id\":\"C-1042\",\"name\":\"Maria Lopez\",\"first_name\":\"Maria\",\"last_name\":\"Lopez\",\"tier\":\"gold\",\"since\":\"2019-03-02\",\"email\":\"[EMAIL]\",\"phone\":\"[PHONE]\",\"plan\":\"Fibre 500\"},\"history\":[{\"date\":\"2026-11-02\",\"channel\":\"voice\",\"reason\":\"billing\",\"outcome\":\"unresolved\",\"sentiment\":-0.4}],\"orders\":[{\"id\":\"#88231\",\"date\":\"2026-10-01\",\"item\":\"Fibre 500\",\"amount\":49.99,\"currency\":\"EUR\",\"status\":\"active\"}]}"),
    EV(EV_CHECKLIST, "checklist", PROTO_TO_CONSOLE, true, checklist_fields,
       "The interaction's compliance checklist, whole, each time it changes. by tells whether a phrase in the "
       "transcript or the agent's hand ticked an item.",
       "{\"type\":\"checklist\",\"seq\":1049,\"ts\":1793612003000,\"iid\":\"I-20261102-0007\",\"items\":[{\"id\":\"recording-notice\",\"label\":\"Recording notice\",\"done\":true,\"by\":\"phrase\"},{\"id\":\"verify-identity\",\"label\":\"Verify identity\",\"done\":false,\"by\":\"\"}]}"),
    EV(EV_SUMMARY, "summary", PROTO_TO_CONSOLE, true, summary_fields,
       "A drafted summary and disposition: on summary.request (final false) and when the interaction ends (final true).",
       "{\"type\":\"summary\",\"seq\":1050,\"ts\":1793612300000,\"iid\":\"I-20261102-0007\",\"text\":\"Customer charged twice for March.\\nRefund of the duplicate charge promised.\",\"disposition\":\"billing.refund\",\"codes\":[\"billing.dispute\"],\"final\":false}"),
    EV(EV_HANDOVER, "handover", PROTO_TO_CONSOLE, true, handover_fields,
       "The card for a person taking over from a bot: what the customer wants, what the bot did or asked, why it handed over, the mood now. Once per interaction, when the bot passes the customer on or a person first speaks.",
       "{\"type\":\"handover\",\"seq\":1012,\"ts\":1793612011000,\"iid\":\"I-20261102-0008\",\"wants\":\"where is my order\",\"done\":[\"asked: Could you tell me your order number? → #89214\",\"said: Your order #89214 was dispatched on 16 November.\"],\"reason\":\"It looks like it needs a closer look, so I'm passing you to a member of our delivery team.\",\"mood\":\"neutral\",\"score\":0,\"turns\":6}"),
    EV(EV_WHISPERED, "whisper", PROTO_TO_CONSOLE, true, whispered_fields,
       "A supervisor's whisper, sent to the interaction's agent and to supervisors.",
       "{\"type\":\"whisper\",\"seq\":1051,\"ts\":1793612100000,\"iid\":\"I-20261102-0007\",\"from\":\"supervisor\",\"from_name\":\"Sam Ortiz\",\"text\":\"Offer the loyalty credit.\"}"),
    EV(EV_BARGED, "barge", PROTO_TO_CONSOLE, true, barged_fields,
       "A supervisor joined the interaction (their replies reach the customer with speaker supervisor), or left it again "
       "(left true).",
       "{\"type\":\"barge\",\"seq\":1052,\"ts\":1793612110000,\"iid\":\"I-20261102-0007\",\"from\":\"supervisor\",\"from_name\":\"Sam Ortiz\"}"),
    EV(EV_HAND_RAISED, "hand", PROTO_TO_CONSOLE, true, hand_fields,
       "An agent raised a hand (help); sent to supervisors and to the agent.",
       "{\"type\":\"hand\",\"seq\":1053,\"ts\":1793612090000,\"iid\":\"I-20261102-0007\",\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"text\":\"Customer wants a manager\"}"),
    EV(EV_NOTED, "note", PROTO_TO_CONSOLE, true, noted_fields,
       "A note was added to the interaction.",
       "{\"type\":\"note\",\"seq\":1054,\"ts\":1793612095000,\"iid\":\"I-20261102-0007\",\"user\":\"agent-1\",\"text\":\"Customer double-charged in March; refund raised\"}"),
    EV(EV_WRAPPED_UP, "wrapup", PROTO_TO_CONSOLE, true, wrapped_fields,
       "The agent wrapped the interaction up.",
       "{\"type\":\"wrapup\",\"seq\":1060,\"ts\":1793612400000,\"iid\":\"I-20261102-0007\",\"user\":\"agent-1\",\"code\":\"billing.refund\",\"summary\":\"Duplicate March charge refunded.\",\"follow_up\":false}"),
    EV(EV_INTERACTION_ENDED, "interaction.ended", PROTO_TO_CONSOLE, true, ended_fields,
       "The interaction is over (the customer may still be in wrap-up on the agent's side).",
       "{\"type\":\"interaction.ended\",\"seq\":1059,\"ts\":1793612300001,\"iid\":\"I-20261102-0007\",\"reason\":\"resolved\",\"ended_ms\":1793612300000}"),
    EV(EV_RECORDINGS, "recordings", PROTO_TO_CONSOLE, false, recordings_fields,
       "Answer to recordings.list: one page of recordings.",
       "{\"type\":\"recordings\",\"id\":\"t-1\",\"items\":[{\"iid\":\"I-20261102-0007\",\"channel\":\"voice\",\"queue\":\"billing\",\"agent\":\"agent-1\",\"started_ms\":1793612000000,\"duration_ms\":300000,\"ended\":true,\"events\":212,\"bytes\":48211,\"complete\":true}],\"next\":1841}"),
    EV(EV_RECORDING, "recording", PROTO_TO_CONSOLE, false, recording_fields,
       "One part of a recording: lines of its JSONL file in order (the first line of part 0 is the header), PII redacted; the last part says whether the recording is complete.",
       "{\"type\":\"recording\",\"id\":\"t-2\",\"iid\":\"I-20261102-0007\",\"part\":0,\"last\":true,\"complete\":true,\"lines\":[\"{\\\"type\\\":\\\"recording\\\",\\\"version\\\":1,\\\"iid\\\":\\\"I-20261102-0007\\\"}\"]}"),
    EV(EV_ACK, "ack", PROTO_TO_CONSOLE, false, ack_fields,
       "The action with this id is durable (or was already applied: a retried id is acked again, not applied twice).",
       "{\"type\":\"ack\",\"id\":\"a-17\",\"seq\":1055}"),
    EV(EV_ERROR, "error", PROTO_TO_CONSOLE, false, error_fields,
       "Something the client sent was refused. ref names the action when there was one.",
       "{\"type\":\"error\",\"code\":\"forbidden\",\"message\":\"whisper: supervisors only\",\"ref\":\"a-24\"}"),
    EV(EV_PONG, "pong", PROTO_TO_CONSOLE, false, pong_fields,
       "Answer to ping.",
       "{\"type\":\"pong\",\"id\":\"p-9\",\"t\":1793612345678}"),
    EV(EV_AGENT_STATUS, "agent.status", PROTO_TO_CONSOLE, false, agent_status_fields,
       "An agent's current state (not history, so not durable): sent to every supervisor and to the agent on each "
       "change, and after the snapshot or resume replay on hello (a supervisor gets every agent's, an agent its own).",
       "{\"type\":\"agent.status\",\"agent\":\"agent-1\",\"agent_name\":\"Ana Ruiz\",\"state\":\"acw\",\"since_ms\":1793612300000,\"live\":0,\"acw_count\":1,\"handled_today\":12}"),
    EV(EV_ASSIGNED, "interaction.assigned", PROTO_TO_CONSOLE, true, assigned_fields,
       "A supervisor moved the interaction to another owner, or its source assigned an unassigned one (from \"\", by \"\"). Every viewer receives it; the previous agent's consoles "
       "receive nothing more of the interaction (they drop it), the new owner's get a snapshot of it (as on a "
       "subscribe) and then its events. Wrap-up is the new owner's.",
       "{\"type\":\"interaction.assigned\",\"seq\":1056,\"ts\":1793612120000,\"iid\":\"I-20261102-0007\",\"agent\":\"supervisor\",\"agent_name\":\"Sam Ortiz\",\"from\":\"agent-1\",\"from_name\":\"Ana Ruiz\",\"by\":\"supervisor\",\"by_name\":\"Sam Ortiz\"}"),
    EV(EV_ALERT_ACKED, "alert.acked", PROTO_TO_CONSOLE, true, alert_acked_fields,
       "A supervisor acknowledged an alert (the hand or flag event with seq alert): help is coming. Sent to "
       "supervisors and to the interaction's agent.",
       "{\"type\":\"alert.acked\",\"seq\":1057,\"ts\":1793612125000,\"iid\":\"I-20261102-0007\",\"alert\":1053,\"by\":\"supervisor\",\"by_name\":\"Sam Ortiz\"}"),
    EV(EV_CONTACT_EVENT, "contact.event", PROTO_TO_CONSOLE, true, contact_event_fields,
       "Something happened in the contact that is not a line of the transcript: a chat participant joined or left, "
       "a file was attached (Amazon Connect Contact Lens Event and Attachments segments). Shown in the transcript.",
       "{\"type\":\"contact.event\",\"seq\":1058,\"ts\":1793612130000,\"iid\":\"I-20261102-0007\",\"text\":\"Customer attached receipt.pdf\",\"offset_ms\":42000}"),
    EV(EV_REVEALED, "revealed", PROTO_TO_CONSOLE, false, revealed_fields,
       "Not durable, to the connection that sent the reveal only: the value in clear. A console shows it for "
       "a moment and keeps it nowhere (not in drafts, history, logs or files).",
       "{\"type\":\"revealed\",\"id\":\"a-31\",\"iid\":\"I-20261102-0007\",\"uid\":\"u-8\",\"index\":0,\"count\":1,\"kind\":\"email\",\"value\":\"jane.doe@example.com\"}"),
    EV(EV_FLOOR_METRICS, "floor.metrics", PROTO_TO_CONSOLE, false, floor_metrics_fields,
       "Supervisors only, not durable (figures now, not history): how customers fared over the last hour, in all, "
       "per queue and per agent, as `agentdesk-hub report` computes them for the interactions that started in the "
       "window. handle_ms: average of end minus start over the ended ones; wait_ms: average time until the agent "
       "first spoke or wrote; uplift: average of the customer's sentiment at the end (mean of their last two scored "
       "finals) minus at the start (their first two); negative_share: of the interactions with a scored customer "
       "final, those whose last left the customer negative or hostile; repeat_share: of those with a customer, "
       "those of a customer with another contact in the 7 days before. Sent after the snapshot or resume replay "
       "on hello, then every 15 s and soon after an interaction ends (2 to 5 s); at most the 100 busiest queues and agents.",
       "{\"type\":\"floor.metrics\",\"since_ms\":1793608700000,\"until_ms\":1793612300000,\"total\":{\"key\":\"\",\"interactions\":5,\"ended\":4,\"waited\":4,\"scored\":4,\"with_customer\":4,\"handle_ms\":231000,\"wait_ms\":7000,\"uplift\":0.21,\"negative_share\":0.25,\"repeat_share\":0.5},\"queues\":[{\"key\":\"billing\",\"interactions\":2,\"ended\":2,\"waited\":2,\"scored\":2,\"with_customer\":2,\"handle_ms\":250000,\"wait_ms\":8500,\"uplift\":0.42,\"negative_share\":0.5,\"repeat_share\":0.5}],\"agents\":[{\"key\":\"agent-1\",\"interactions\":2,\"ended\":2,\"waited\":2,\"scored\":2,\"with_customer\":2,\"handle_ms\":250000,\"wait_ms\":8500,\"uplift\":0.42,\"negative_share\":0.5,\"repeat_share\":0.5}]}"),

    EV(EV_INGEST_HELLO, "hello", PROTO_INGEST, false, ingest_hello_fields,
       "First frame on an ingest connection; the token must belong to a user with role ingest.",
       "{\"type\":\"hello\",\"token\":\"demo-ingest\",\"client\":\"pbx-bridge 2.3\"}"),
    EV(EV_INGEST_START, "start", PROTO_INGEST, false, ingest_start_fields,
       "An interaction begins; the hub sends interaction.started and customer to its viewers. Without agent it is unassigned: "
       "supervisors see it, no agent does. A start for a live iid that is unassigned assigns it to agent (interaction.assigned; "
       "the agent's consoles get a snapshot of it); any other start of a live iid is refused with bad_field.",
       "{\"type\":\"start\",\"id\":\"c-1\",\"iid\":\"I-20261102-0007\",\"channel\":\"voice\",\"queue\":\"billing\",\"agent\":\"agent-1\",\"customer_id\":\"C-1042\",\"started_ms\":1793612000000}"),
    EV(EV_INGEST_UTTERANCE, "utterance", PROTO_INGEST, false, ingest_utterance_fields,
       "A partial or final line of the transcript, from speech recognition or chat.",
       "{\"type\":\"utterance\",\"id\":\"c-2\",\"iid\":\"I-20261102-0007\",\"uid\":\"u-2\",\"speaker\":\"customer\",\"text\":\"I've been charged twice for March.\",\"final\":true,\"offset_ms\":9000}"),
    EV(EV_INGEST_END, "end", PROTO_INGEST, false, ingest_end_fields,
       "The interaction is over.",
       "{\"type\":\"end\",\"id\":\"c-3\",\"iid\":\"I-20261102-0007\",\"reason\":\"resolved\"}"),
    EV(EV_INGEST_WELCOME, "welcome", PROTO_INGEST_REPLY, false, ingest_welcome_fields,
       "Answer to a good ingest hello.",
       "{\"type\":\"welcome\",\"user\":\"ingest\"}"),
    EV(EV_INGEST_ACK, "ack", PROTO_INGEST_REPLY, false, ingest_ack_fields,
       "The ingest action with this id was applied (a retried id is acked again, not applied twice).",
       "{\"type\":\"ack\",\"id\":\"c-2\"}"),
    EV(EV_INGEST_ERROR, "error", PROTO_INGEST_REPLY, false, error_fields,
       "Something the connector sent was refused.",
       "{\"type\":\"error\",\"code\":\"bad_field\",\"message\":\"utterance.text: expected string\",\"ref\":\"c-2\"}"),
};

const proto_event_spec *proto_spec(proto_type type)
{
    if ((int)type < 0 || type >= EV__COUNT)
        return NULL;
    return &table[type];
}

const proto_event_spec *proto_spec_find(const char *name, proto_dir dir)
{
    if (!name)
        return NULL;
    for (int i = 0; i < EV__COUNT; i++)
        if (table[i].dir == dir && strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

bool proto_enum_has(const char *values, const char *s, size_t len)
{
    const char *p = values;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && memcmp(p, s, len) == 0)
            return true;
        if (!bar)
            return false;
        p = bar + 1;
    }
}

const proto_field *proto_spec_field(const proto_event_spec *spec, const char *name)
{
    if (!spec || !name)
        return NULL;
    for (const proto_field *f = spec->fields; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}
