/* test_hub_assist.c — the assist engine end to end through the real hub: a scripted billing
 * call (tests/unit/fixtures/hub_assist/billing_churn.jsonl) is played over the ingest
 * endpoint, and the agent's console must receive the customer profile, the checklist ticked
 * by the agent's recording notice, negative sentiment with its trend, the repeat-contact,
 * churn and payment-card flags once each, a double-charge suggestion, masked PII, a draft
 * summary on request and a final one at the end. The interaction's recording, read from the
 * record directory and through a trainer's recording.get, must hold no PII.
 *
 * Expectations come from the data files the hub was seeded with (data/users.json,
 * customers.json, kb.json, rules.json, checklists.json, dispositions.json), so the test
 * follows the data rather than copying it. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <strings.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define SCRIPT "tests/unit/fixtures/hub_assist/billing_churn.jsonl"
#define IID "assist-e2e-1"
#define RAW_CARD "4111 1111 1111 1111"
#define RAW_CARD_DIGITS "4111111111111111"
/* A partial of the card, 15 digits as speech recognition grows it: with a Luhn check digit
 * it gives the whole card away, so it must never appear either. */
#define RAW_PARTIAL_CARD "4111 1111 1111 111"
#define RAW_PARTIAL_CARD_DIGITS "411111111111111"
#define RAW_EMAIL "maria.lopez@example.com"

static hubproc H;
static wsc_ctx *X;
static wsc *agent, *ingest;
static json_t *users, *customers, *kb, *rules, *checklists, *dispositions;
static json_t *script;    /* the fixture's frames, in order */
static json_t *events;    /* every frame of IID the agent console received, in order */
static bool hub_up;

/* ---- small helpers ---------------------------------------------------------------- */

static const char *str(const json_t *j, const char *k)
{
    return json_string_value(json_object_get(j, k));
}

static bool is(const json_t *j, const char *k, const char *v)
{
    const char *s = str(j, k);
    return s && v && strcmp(s, v) == 0;
}

static json_t *load_data(const char *leaf)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", H.data, leaf);
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j)
        fprintf(stderr, "  cannot read %s: %s (line %d)\n", path, e.text, e.line);
    return j;
}

/* The record of `array` whose `key` is `value`. */
static json_t *find_by(const json_t *array, const char *key, const char *value)
{
    size_t i;
    json_t *e;
    json_array_foreach(array, i, e) if (is(e, key, value)) return e;
    return NULL;
}

static bool icontains(const char *hay, const char *needle)
{
    if (!hay || !needle)
        return false;
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

/* Does any of the raw PII strings of the script occur in `s`? */
static bool has_raw_pii(const char *s)
{
    return s && (strstr(s, RAW_CARD) || strstr(s, RAW_CARD_DIGITS) || strstr(s, RAW_PARTIAL_CARD) ||
                 strstr(s, RAW_PARTIAL_CARD_DIGITS) || icontains(s, RAW_EMAIL));
}

/* Receive on the agent console until a frame with `type` (and, when `id` is given, that
 * id) arrives; every frame of IID on the way is kept in `events`. The frame found is
 * returned borrowed (it is in `events` when it belongs to IID), or NULL on timeout. */
static json_t *agent_until(const char *type, const char *id, int timeout_ms)
{
    static json_t *other;   /* the latest non-IID frame that matched, kept alive */
    int64_t end = wsc_now_ms() + timeout_ms;
    while (wsc_now_ms() < end) {
        json_t *j = wsc_recv(agent, (int)(end - wsc_now_ms()) + 1);
        if (!j)
            return NULL;
        bool match = is(j, "type", type) && (!id || is(j, "id", id));
        if (is(j, "iid", IID)) {
            json_array_append_new(events, j);
            if (match)
                return j;
        } else if (match) {
            json_decref(other);
            other = j;
            return j;
        } else {
            json_decref(j);
        }
    }
    return NULL;
}

/* Events of `type` the console got, optionally only those whose `key` is `value`. */
static int count_events(const char *type, const char *key, const char *value)
{
    int n = 0;
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e) n += is(e, "type", type) && (!key || is(e, key, value));
    return n;
}

static json_t *event_of(const char *type, const char *key, const char *value)
{
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e) if (is(e, "type", type) && (!key || is(e, key, value))) return e;
    return NULL;
}

static int64_t seq_of(const json_t *e)
{
    return e ? (int64_t)json_integer_value(json_object_get(e, "seq")) : -1;
}

/* Send one script frame on the ingest connection and wait for its ack. */
static bool play(const json_t *frame)
{
    char *text = json_dumps(frame, JSON_COMPACT);
    wsc_send(ingest, text);
    free(text);
    const char *id = str(frame, "id");
    int64_t end = wsc_now_ms() + 5000;
    while (wsc_now_ms() < end) {
        json_t *j = wsc_recv(ingest, 5000);
        if (!j)
            break;
        bool mine = (is(j, "type", "ack") && is(j, "id", id)) || (is(j, "type", "error") && is(j, "ref", id));
        bool ok = is(j, "type", "ack");
        if (mine && !ok)
            fprintf(stderr, "  ingest %s: error %s: %s\n", id, str(j, "code"), str(j, "message"));
        json_decref(j);
        if (mine)
            return ok;
    }
    fprintf(stderr, "  ingest %s: no answer\n", id ? id : "(no id)");
    return false;
}

static const char *user_token(const char *name)
{
    return str(find_by(users, "name", name), "token");
}

/* ---- setup -------------------------------------------------------------------------- */

static void test_data_files(void)
{
    CHECK((users = load_data("users.json")) != NULL);
    CHECK((customers = load_data("customers.json")) != NULL);
    CHECK((kb = load_data("kb.json")) != NULL);
    CHECK((rules = load_data("rules.json")) != NULL);
    CHECK((checklists = load_data("checklists.json")) != NULL);
    CHECK((dispositions = load_data("dispositions.json")) != NULL);
    /* the rules the script is written to fire, under the ids this test names */
    CHECK(find_by(rules, "id", "repeat-contact") != NULL);
    CHECK(find_by(rules, "id", "churn-cancel") != NULL);
    CHECK(find_by(rules, "id", "payment-card") != NULL);
    CHECK(find_by(customers, "id", "C-1001") != NULL);
    /* the e-mail the caller dictates is no customer's: the database must not learn it */
    CHECK(find_by(customers, "email", RAW_EMAIL) == NULL);
    CHECK(user_token("agent-1") != NULL);
    CHECK(user_token("ingest") != NULL);
    CHECK(user_token("trainer") != NULL);

    script = json_array();
    const char *root = getenv("AGENTDESK_ROOT");
    char script_path[700];
    snprintf(script_path, sizeof script_path, "%s/%s", root && *root ? root : ".", SCRIPT);
    FILE *fp = fopen(script_path, "r");
    CHECK(fp != NULL);
    char line[4096];
    while (fp && fgets(line, sizeof line, fp)) {
        json_error_t e;
        json_t *f = json_loads(line, 0, &e);
        CHECK(f != NULL);
        if (f)
            json_array_append_new(script, f);
    }
    if (fp)
        fclose(fp);
    CHECK(json_array_size(script) >= 3);
    /* the agent's first line carries one of the billing recording-notice phrases */
    json_t *notice = find_by(json_object_get(checklists, "billing"), "id", "recording-notice");
    json_t *first_agent = NULL;
    size_t i;
    json_t *f;
    json_array_foreach(script, i, f) if (!first_agent && is(f, "speaker", "agent")) first_agent = f;
    bool said = false;
    json_array_foreach(json_object_get(notice, "phrases"), i, f)
        said |= icontains(str(first_agent, "text"), json_string_value(f));
    CHECK(said);
}

/* The hub's own import path, as an operator seeds a database: users (the demo tokens),
 * customers, knowledge base and flag rules from the data directory. */
static void test_import_data(void)
{
    static const char *const kinds[][2] = {
        {"users", "users.json"}, {"customers", "customers.json"}, {"kb", "kb.json"}, {"rules", "rules.json"},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        char path[700];
        snprintf(path, sizeof path, "%s/%s", H.data, kinds[k][1]);
        const char *args[] = {"import", "--db", H.db, kinds[k][0], path, NULL};
        int rc = hubproc_run_tool(&H, args, NULL);
        if (rc != 0)
            fprintf(stderr, "  import %s failed (see %s)\n", kinds[k][0], H.log);
        CHECK_INT(rc, 0);
    }
    hub_up = hubproc_start(&H, NULL) == 0;
    CHECK(hub_up);
}

static void test_connect(void)
{
    agent = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    CHECK(agent != NULL);
    if (!agent)
        return;
    wsc_sendf(agent, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"test_hub_assist\"}", user_token("agent-1"));
    json_t *w = wsc_recv_type(agent, "welcome", 5000);
    CHECK_STR(str(w, "user"), "agent-1");
    CHECK_STR(str(w, "display_name"), str(find_by(users, "name", "agent-1"), "display_name"));
    json_decref(w);
    json_decref(wsc_recv_type(agent, "snapshot", 5000));

    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    CHECK(ingest != NULL);
    if (!ingest)
        return;
    wsc_sendf(ingest, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"test_hub_assist\"}", user_token("ingest"));
    w = wsc_recv_type(ingest, "welcome", 5000);
    CHECK_STR(str(w, "user"), "ingest");
    json_decref(w);
}

/* ---- the call ----------------------------------------------------------------------- */

/* Everything but `end`, then a summary.request from the agent, then `end`. */
static void test_play_script(void)
{
    if (!agent || !ingest) {
        CHECK(!"no connections");
        return;
    }
    size_t i;
    json_t *f;
    json_array_foreach(script, i, f) {
        if (is(f, "type", "end"))
            continue;
        bool acked = play(f);
        CHECK(acked);
    }
    wsc_send(agent, "{\"type\":\"summary.request\",\"id\":\"sum-1\",\"iid\":\"" IID "\"}");
    json_t *ack = agent_until("ack", "sum-1", 5000);
    CHECK(ack != NULL);
    /* the draft may be logged in the same batch as the ack: wait for it either way */
    if (!event_of("summary", NULL, NULL))
        CHECK(agent_until("summary", NULL, 5000) != NULL);
    json_array_foreach(script, i, f) if (is(f, "type", "end")) CHECK(play(f));
    /* the final summary and the end, in whichever order the hub logs them */
    int64_t end = wsc_now_ms() + 8000;
    while (wsc_now_ms() < end && !(event_of("interaction.ended", NULL, NULL) && count_events("summary", NULL, NULL) >= 2))
        agent_until("interaction.ended", NULL, 500);
    CHECK(event_of("interaction.ended", NULL, NULL) != NULL);
}

static void test_started_and_customer(void)
{
    json_t *c = find_by(customers, "id", "C-1001");
    char name[300];
    snprintf(name, sizeof name, "%s %s", str(c, "first_name"), str(c, "last_name"));
    json_t *st = event_of("interaction.started", NULL, NULL);
    CHECK(st != NULL);
    CHECK_INT(count_events("interaction.started", NULL, NULL), 1);
    CHECK_STR(str(st, "queue"), "billing");
    CHECK_STR(str(st, "channel"), "voice");
    CHECK_STR(str(st, "agent"), "agent-1");
    CHECK_STR(str(st, "agent_name"), str(find_by(users, "name", "agent-1"), "display_name"));
    CHECK_STR(str(st, "customer_id"), "C-1001");
    CHECK_STR(str(st, "customer_name"), name);

    CHECK_INT(count_events("customer", NULL, NULL), 1);
    json_t *ev = event_of("customer", NULL, NULL);
    json_t *prof = json_object_get(ev, "customer");
    CHECK_STR(str(prof, "id"), "C-1001");
    CHECK_STR(str(prof, "name"), name);
    CHECK_STR(str(prof, "tier"), str(c, "tier"));
    CHECK_STR(str(prof, "plan"), str(c, "plan"));
    /* contact details are not shown in full on the console */
    CHECK(str(prof, "email") && !icontains(str(prof, "email"), str(c, "email")));
    CHECK(str(prof, "phone") && !strstr(str(prof, "phone"), str(c, "phone")));

    json_t *hist = json_object_get(ev, "history"), *orders = json_object_get(ev, "orders");
    json_t *contacts = json_object_get(c, "contacts"), *data_orders = json_object_get(c, "orders");
    CHECK(json_array_size(contacts) > 0 && json_array_size(data_orders) > 0);
    CHECK_INT(json_array_size(hist), json_array_size(contacts) < 10 ? json_array_size(contacts) : 10);
    CHECK_INT(json_array_size(orders), json_array_size(data_orders) < 10 ? json_array_size(data_orders) : 10);
    size_t i;
    json_t *h;
    json_array_foreach(hist, i, h) {
        json_t *src = find_by(contacts, "date", str(h, "date"));
        CHECK(src != NULL);
        CHECK_STR(str(h, "reason"), str(src, "reason"));
        CHECK_STR(str(h, "outcome"), str(src, "outcome"));
        CHECK(json_is_number(json_object_get(h, "sentiment")));
    }
    json_array_foreach(orders, i, h) {
        json_t *src = find_by(data_orders, "id", str(h, "id"));
        CHECK(src != NULL);
        CHECK_STR(str(h, "item"), str(src, "item"));
        CHECK(json_number_value(json_object_get(h, "amount")) == json_number_value(json_object_get(src, "amount")));
    }
}

static json_t *checklist_item(const json_t *ev, const char *id)
{
    return find_by(json_object_get(ev, "items"), "id", id);
}

static void test_checklist(void)
{
    json_t *first = event_of("checklist", NULL, NULL);
    CHECK(first != NULL);
    /* the billing list, in the order of data/checklists.json, nothing done yet */
    json_t *want = json_object_get(checklists, "billing");
    json_t *items = json_object_get(first, "items");
    CHECK_INT(json_array_size(items), json_array_size(want));
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) {
        CHECK_STR(str(it, "id"), str(json_array_get(want, i), "id"));
        CHECK_STR(str(it, "label"), str(json_array_get(want, i), "label"));
        CHECK(json_is_false(json_object_get(it, "done")));
    }
    /* ticked by the phrase, in a checklist event after the agent's first line */
    json_t *a1 = event_of("utterance", "uid", "a-1");
    CHECK(a1 != NULL);
    json_t *ticked = NULL;
    json_array_foreach(events, i, it) {
        json_t *item = is(it, "type", "checklist") ? checklist_item(it, "recording-notice") : NULL;
        if (item && json_is_true(json_object_get(item, "done"))) {
            ticked = it;
            CHECK_STR(str(item, "by"), "phrase");
            break;
        }
    }
    CHECK(ticked != NULL);
    CHECK(seq_of(ticked) > seq_of(a1));
    CHECK(seq_of(ticked) > seq_of(first));
    /* no other item was said */
    json_array_foreach(json_object_get(ticked, "items"), i, it) if (!is(it, "id", "recording-notice"))
        CHECK(json_is_false(json_object_get(it, "done")));
}

static void test_sentiment(void)
{
    size_t i;
    json_t *f;
    /* one sentiment per final utterance, none for partials */
    json_array_foreach(script, i, f) {
        if (!is(f, "type", "utterance") || !json_is_true(json_object_get(f, "final")))
            continue;
        CHECK_INT(count_events("sentiment", "uid", str(f, "uid")), 1);
    }
    json_t *e;
    json_array_foreach(events, i, e) {
        if (!is(e, "type", "sentiment"))
            continue;
        json_t *trend = json_object_get(e, "trend"), *slope = json_object_get(e, "slope");
        CHECK(json_is_number(trend) && json_number_value(trend) >= -1 && json_number_value(trend) <= 1);
        CHECK(json_is_number(slope));
        CHECK(json_is_array(json_object_get(e, "terms")));
        double score = json_number_value(json_object_get(e, "score"));
        CHECK(score >= -1 && score <= 1);
    }
    /* the complaint and the threat to leave read negative, and so does the trend */
    const char *negative[] = {"u-2", "u-4"};
    for (size_t k = 0; k < 2; k++) {
        json_t *s = event_of("sentiment", "uid", negative[k]);
        CHECK(s != NULL);
        CHECK_STR(str(s, "label"), "negative");
        CHECK(json_number_value(json_object_get(s, "score")) < 0);
        CHECK(json_number_value(json_object_get(s, "trend")) < 0);
        CHECK(json_array_size(json_object_get(s, "terms")) > 0);
    }
    /* the trend is the customer's smoothed score: it moves toward each customer final, an
     * agent line between them leaves it alone, and the slope follows its direction */
    double t2 = json_number_value(json_object_get(event_of("sentiment", "uid", "u-2"), "trend"));
    double t3 = json_number_value(json_object_get(event_of("sentiment", "uid", "a-3"), "trend"));
    json_t *s4 = event_of("sentiment", "uid", "u-4");
    double t4 = json_number_value(json_object_get(s4, "trend"));
    double score4 = json_number_value(json_object_get(s4, "score"));
    CHECK(t3 == t2);
    CHECK(t4 != t2 && (t4 - t2) * (score4 - t2) > 0 && (t4 - score4) * (t2 - score4) > 0);
    CHECK(json_number_value(json_object_get(s4, "slope")) * (t4 - t2) > 0);
}

static void test_flags(void)
{
    struct {
        const char *rule, *uid;
    } want[] = {{"repeat-contact", "u-2"}, {"churn-cancel", "u-4"}, {"payment-card", "u-6"}};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        CHECK_INT(count_events("flag", "rule", want[k].rule), 1);
        json_t *fl = event_of("flag", "rule", want[k].rule);
        json_t *rule = find_by(rules, "id", want[k].rule);
        CHECK_STR(str(fl, "kind"), str(rule, "kind"));
        CHECK_INT(json_integer_value(json_object_get(fl, "severity")), json_integer_value(json_object_get(rule, "severity")));
        CHECK_STR(str(fl, "text"), str(rule, "reason"));
        CHECK_STR(str(fl, "uid"), want[k].uid);
        CHECK(str(fl, "evidence") && *str(fl, "evidence"));
        CHECK(!has_raw_pii(str(fl, "evidence")));
    }
    /* every condition once; the recording notice was given in time, so never flagged */
    size_t i, j;
    json_t *a, *b;
    json_array_foreach(events, i, a) {
        if (!is(a, "type", "flag"))
            continue;
        json_array_foreach(events, j, b) if (j > i && is(b, "type", "flag") && is(b, "rule", str(a, "rule")))
            CHECK(!"a rule fired twice");
    }
    CHECK_INT(count_events("flag", "rule", "recording-notice"), 0);
}

static void test_suggestions(void)
{
    json_t *first = event_of("customer", NULL, NULL);
    const char *first_name = str(json_object_get(first, "customer"), "first_name");
    int double_charge = 0;
    size_t i, j;
    json_t *e, *o;
    json_array_foreach(events, i, e) {
        if (!is(e, "type", "suggestion"))
            continue;
        json_t *art = find_by(kb, "id", str(e, "source"));
        CHECK(art != NULL);
        CHECK_STR(str(e, "title"), str(art, "title"));
        CHECK(str(e, "text") && *str(e, "text") && !strstr(str(e, "text"), "{customer."));
        /* an article is shown once per interaction */
        json_array_foreach(events, j, o) if (j > i && is(o, "type", "suggestion"))
            CHECK(!is(o, "source", str(e, "source")) && !is(o, "sid", str(e, "sid")));
        const char *title = str(e, "title");
        if (is(art, "category", "billing") &&
            (icontains(title, "twice") || icontains(title, "double") || icontains(title, "duplicate"))) {
            double_charge++;
            if (strstr(str(art, "reply"), "{customer.first_name}"))
                CHECK(strstr(str(e, "text"), first_name) != NULL);
        }
    }
    CHECK(double_charge >= 1);
}

static void test_masked_pii(void)
{
    size_t i;
    json_t *e;
    int utterances = 0;
    /* nothing the console got, of any type, holds the card or the e-mail */
    json_array_foreach(events, i, e) {
        char *frame = json_dumps(e, JSON_COMPACT);
        if (has_raw_pii(frame))
            fprintf(stderr, "  console frame keeps PII: %.300s\n", frame);
        CHECK(!has_raw_pii(frame));
        free(frame);
        utterances += is(e, "type", "utterance");
    }
    /* each partial and final of the script reached the console */
    int sent = 0;
    json_array_foreach(script, i, e) sent += is(e, "type", "utterance");
    CHECK_INT(utterances, sent);
    json_t *card = NULL, *mail = NULL;
    json_array_foreach(events, i, e) {
        if (is(e, "type", "utterance") && json_is_true(json_object_get(e, "final")) && is(e, "uid", "u-6"))
            card = e;
        if (is(e, "type", "utterance") && is(e, "uid", "u-8"))
            mail = e;
    }
    /* the agent keeps the card's last four and the e-mail's first letter and domain to
     * confirm them; the rest is gone */
    CHECK(card && strstr(str(card, "text"), "****1111") && strstr(str(card, "text"), "my card is"));
    CHECK(card && !strstr(str(card, "text"), "4111"));
    CHECK(mail && strstr(str(mail, "text"), "\u2022\u2022\u2022@") && strstr(str(mail, "text"), "reach me at"));
}

static bool known_code(const char *code)
{
    return code && find_by(dispositions, "code", code) != NULL;
}

static void test_summaries(void)
{
    json_t *draft = NULL, *final = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e) {
        if (!is(e, "type", "summary"))
            continue;
        if (json_is_true(json_object_get(e, "final")))
            final = final ? final : e;
        else
            draft = draft ? draft : e;
        CHECK(!has_raw_pii(str(e, "text")));
    }
    CHECK_INT(count_events("summary", NULL, NULL), 2);
    json_t *ended = event_of("interaction.ended", NULL, NULL);
    CHECK(draft != NULL);
    CHECK(final != NULL);
    CHECK(seq_of(draft) < seq_of(ended));
    CHECK(seq_of(draft) < seq_of(final));
    /* the draft answered the request: after the last utterance, before the end */
    CHECK(seq_of(draft) > seq_of(event_of("utterance", "uid", "u-8")));
    CHECK(json_is_false(json_object_get(draft, "final")));
    json_t *pair[] = {draft, final};
    for (size_t k = 0; k < 2; k++) {
        json_t *s = pair[k];
        CHECK(str(s, "text") && strlen(str(s, "text")) > 0);
        CHECK(known_code(str(s, "disposition")));
        json_t *codes = json_object_get(s, "codes");
        CHECK(json_array_size(codes) > 0);
        bool listed = false;
        json_array_foreach(codes, i, e) {
            CHECK(known_code(json_string_value(e)));
            listed |= json_string_value(e) && is(s, "disposition", json_string_value(e));
        }
        CHECK(listed);
    }
    CHECK_STR(str(ended, "reason"), "resolved");
}

/* ---- the recording ------------------------------------------------------------------ */

static char *read_whole(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = buf ? fread(buf, 1, (size_t)n, fp) : 0;
    fclose(fp);
    if (buf)
        buf[got] = 0;
    return buf;
}

/* Checks shared by the file and the trainer's copy: the header, then the console's durable
 * events of the call in seq order, with PII tagged and nothing raw. */
static void check_recording_lines(json_t *lines)
{
    json_t *c = find_by(customers, "id", "C-1001");
    CHECK(json_array_size(lines) > 10);
    json_t *head = json_loads(json_string_value(json_array_get(lines, 0)), 0, NULL);
    CHECK_STR(str(head, "format"), "agentdesk.recording");
    CHECK_STR(str(head, "iid"), IID);
    CHECK_STR(str(head, "queue"), "billing");
    CHECK_STR(str(head, "agent"), "agent-1");
    json_decref(head);
    bool card_tag = false, mail_tag = false, ended = false;
    int64_t last_seq = 0;
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) {
        const char *s = json_string_value(l);
        CHECK(s != NULL);
        if (!s)
            continue;
        if (has_raw_pii(s) || icontains(s, str(c, "email")) || strstr(s, str(c, "phone")))
            fprintf(stderr, "  recording line %zu keeps PII: %.300s\n", i + 1, s);
        CHECK(!has_raw_pii(s));
        CHECK(!icontains(s, str(c, "email")));
        CHECK(!strstr(s, str(c, "phone")));
        CHECK(!strstr(s, "****"));   /* tags only: not even the last four */
        card_tag |= strstr(s, "[CARD]") != NULL;
        mail_tag |= strstr(s, "[EMAIL]") != NULL;
        if (i == 0)
            continue;
        json_t *ev = json_loads(s, 0, NULL);
        CHECK(ev != NULL);
        CHECK_STR(str(ev, "iid"), IID);
        CHECK(seq_of(ev) > last_seq);
        last_seq = seq_of(ev);
        ended |= is(ev, "type", "interaction.ended");
        json_decref(ev);
    }
    CHECK(card_tag);
    CHECK(mail_tag);
    CHECK(ended);
}

static void test_recording_file(void)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s.jsonl", H.records, IID);
    /* the file is flushed after the batch the console saw: give it a moment */
    char *text = NULL;
    int64_t end = wsc_now_ms() + 3000;
    while (wsc_now_ms() < end) {
        free(text);
        text = read_whole(path);
        if (text && strstr(text, "\"interaction.ended\""))
            break;
        wsc_service(X, 50);
    }
    CHECK(text != NULL);
    if (!text)
        return;
    json_t *lines = json_array();
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        json_array_append_new(lines, json_string(line));
    check_recording_lines(lines);
    /* the recording holds every durable event the agent saw, as many of each type */
    static const char *const types[] = {"utterance", "sentiment", "flag", "suggestion", "customer",
                                        "checklist", "summary", "interaction.started", "interaction.ended"};
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        char needle[64];
        snprintf(needle, sizeof needle, "\"type\":\"%s\"", types[t]);
        int n = 0;
        size_t i;
        json_t *l;
        json_array_foreach(lines, i, l) n += strstr(json_string_value(l), needle) != NULL;
        if (n != count_events(types[t], NULL, NULL))
            fprintf(stderr, "  recording has %d %s, the console got %d\n", n, types[t], count_events(types[t], NULL, NULL));
        CHECK_INT(n, count_events(types[t], NULL, NULL));
    }
    json_decref(lines);
    free(text);
}

/* A trainer's view of the same recording: the lines the file holds, redacted alike. */
static void test_recording_for_trainer(void)
{
    wsc *tr = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    CHECK(tr != NULL);
    if (!tr)
        return;
    wsc_sendf(tr, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"test_hub_assist\"}", user_token("trainer"));
    json_t *w = wsc_recv_type(tr, "welcome", 5000);
    CHECK_STR(str(w, "role"), "trainer");
    json_decref(w);
    wsc_send(tr, "{\"type\":\"recording.get\",\"id\":\"rg-1\",\"iid\":\"" IID "\"}");
    json_t *lines = json_array();
    bool last = false;
    while (!last) {
        json_t *r = wsc_recv_type(tr, "recording", 5000);
        if (!r)
            break;
        CHECK_STR(str(r, "id"), "rg-1");
        json_array_extend(lines, json_object_get(r, "lines"));
        last = json_is_true(json_object_get(r, "last"));
        json_decref(r);
    }
    CHECK(last);
    check_recording_lines(lines);
    json_decref(lines);
    wsc_close(tr);
}

static void test_clean_exit(void)
{
    wsc_ctx_free(X);
    X = NULL;
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
}

/* The event log keeps what consoles were shown (masked), never what was said: no file of
 * the database holds the card number or the e-mail. */
static void test_database_has_no_raw_pii(void)
{
    static const char *const suffixes[] = {"", "-wal", "-journal"};
    int read = 0;
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
        char path[400];
        snprintf(path, sizeof path, "%s%s", H.db, suffixes[k]);
        FILE *fp = fopen(path, "rb");
        if (!fp)
            continue;
        read++;
        fseek(fp, 0, SEEK_END);
        long n = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        char *buf = malloc((size_t)n + 1);
        size_t got = buf ? fread(buf, 1, (size_t)n, fp) : 0;
        fclose(fp);
        CHECK(buf != NULL);
        if (!buf)
            continue;
        const char *raw[] = {RAW_CARD, RAW_CARD_DIGITS, RAW_PARTIAL_CARD, RAW_PARTIAL_CARD_DIGITS, RAW_EMAIL};
        for (size_t r = 0; r < sizeof raw / sizeof raw[0]; r++) {
            bool found = memmem(buf, got, raw[r], strlen(raw[r])) != NULL;
            if (found)
                fprintf(stderr, "  %s holds \"%s\"\n", path, raw[r]);
            CHECK(!found);
        }
        free(buf);
    }
    CHECK(read >= 1);
}

static void test_setup(void)
{
    hub_up = false;
    int rc = hubproc_setup(&H);
    if (rc != 0)
        fprintf(stderr, "  cannot set up the hub's directory and users (hub binary %s)\n", H.bin);
    CHECK_INT(rc, 0);
}

int main(void)
{
    events = json_array();
    X = wsc_ctx_new();
    RUN(test_setup);
    RUN(test_data_files);
    if (!check_failed)
        RUN(test_import_data);
    if (hub_up) {
        RUN(test_connect);
        RUN(test_play_script);
        RUN(test_started_and_customer);
        RUN(test_checklist);
        RUN(test_sentiment);
        RUN(test_flags);
        RUN(test_suggestions);
        RUN(test_masked_pii);
        RUN(test_summaries);
        RUN(test_recording_file);
        RUN(test_recording_for_trainer);
        RUN(test_clean_exit);
        RUN(test_database_has_no_raw_pii);
    }
    if (X)
        wsc_ctx_free(X);
    hubproc_cleanup(&H);
    json_decref(events);
    json_decref(script);
    json_decref(users);
    json_decref(customers);
    json_decref(kb);
    json_decref(rules);
    json_decref(checklists);
    json_decref(dispositions);
    return check_done("test_hub_assist");
}
