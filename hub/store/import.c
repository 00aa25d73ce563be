/* import.c — validate JSON records and upsert them into the store, one file per transaction.
 *
 * Each kind is a table of field specs (name, type, required, limits, enum values) plus a
 * writer; validation is generic over the table, so a new field is one line. Nested arrays
 * (a customer's contacts and orders) are validated with their own tables by the writer.
 * This is a border: every string is cleaned by text_clean() before it is stored. */
#include "hub/store/import.h"
#include "hub/assist/flags.h"
#include "hub/store/import_check.h"
#include "hub/store/connect_agent.h"
#include "base/mem.h"
#include "base/text.h"

#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IMPORT_MAX_RECORDS   100000
#define IMPORT_MAX_FILE      (64L * 1024 * 1024)
#define IMPORT_MSG           512

/* ---- field tables ---- */

enum { CU_ID, CU_FIRST, CU_LAST, CU_TIER, CU_SINCE, CU_EMAIL, CU_PHONE, CU_ADDRESS, CU_PLAN,
       CU_LANGUAGE, CU_NOTES, CU_CONTACTS, CU_ORDERS, CU__N };
static const import_field_spec customer_fields[CU__N] = {
    [CU_ID] = { "id", IMPORT_ID, true, 1, 128, NULL, NULL },
    [CU_FIRST] = { "first_name", IMPORT_STRING, true, 1, 256, NULL, NULL },
    [CU_LAST] = { "last_name", IMPORT_STRING, true, 1, 256, NULL, NULL },
    [CU_TIER] = { "tier", IMPORT_ENUM, false, 0, 0, "gold|silver|standard", "standard" },
    [CU_SINCE] = { "since", IMPORT_DATE, false, 0, 0, NULL, NULL },
    [CU_EMAIL] = { "email", IMPORT_STRING, false, 0, 256, NULL, NULL },
    [CU_PHONE] = { "phone", IMPORT_STRING, false, 0, 64, NULL, NULL },
    [CU_ADDRESS] = { "address", IMPORT_STRING, false, 0, 512, NULL, NULL },
    [CU_PLAN] = { "plan", IMPORT_STRING, false, 0, 128, NULL, NULL },
    [CU_LANGUAGE] = { "language", IMPORT_STRING, false, 0, 64, NULL, NULL },
    [CU_NOTES] = { "notes", IMPORT_TEXT, false, 0, 8192, NULL, NULL },
    [CU_CONTACTS] = { "contacts", IMPORT_ARRAY, false, 0, 1000, NULL, NULL },
    [CU_ORDERS] = { "orders", IMPORT_ARRAY, false, 0, 1000, NULL, NULL },
};

enum { CO_DATE, CO_CHANNEL, CO_REASON, CO_OUTCOME, CO_SENTIMENT, CO__N };
static const import_field_spec contact_fields[CO__N] = {
    [CO_DATE] = { "date", IMPORT_DATE, true, 0, 0, NULL, NULL },
    [CO_CHANNEL] = { "channel", IMPORT_ENUM, true, 0, 0, "voice|chat", NULL },
    [CO_REASON] = { "reason", IMPORT_STRING, true, 1, 256, NULL, NULL },
    [CO_OUTCOME] = { "outcome", IMPORT_STRING, true, 1, 256, NULL, NULL },
    [CO_SENTIMENT] = { "sentiment", IMPORT_NUMBER, false, -1, 1, NULL, "0" },
};

enum { OR_ID, OR_DATE, OR_ITEM, OR_AMOUNT, OR_CURRENCY, OR_STATUS, OR__N };
static const import_field_spec order_fields[OR__N] = {
    [OR_ID] = { "id", IMPORT_ID, true, 1, 128, NULL, NULL },
    [OR_DATE] = { "date", IMPORT_DATE, true, 0, 0, NULL, NULL },
    [OR_ITEM] = { "item", IMPORT_STRING, true, 1, 256, NULL, NULL },
    [OR_AMOUNT] = { "amount", IMPORT_NUMBER, true, -1e9, 1e9, NULL, NULL },
    [OR_CURRENCY] = { "currency", IMPORT_STRING, false, 1, 8, NULL, "EUR" },
    [OR_STATUS] = { "status", IMPORT_STRING, true, 1, 64, NULL, NULL },
};

/* KB_STATUS is last and is no column: a "candidate" (agentdesk-hub replies) is checked like
 * any article but not written, so nothing unreviewed reaches the agents (docs/DATA.md). */
enum { KB_ID, KB_TITLE, KB_CATEGORY, KB_BODY, KB_REPLY, KB_TAGS, KB_BOOST, KB_EXAMPLES, KB_STATUS, KB__N };
static const import_field_spec kb_fields[KB__N] = {
    [KB_ID] = { "id", IMPORT_ID, true, 1, 128, NULL, NULL },
    [KB_TITLE] = { "title", IMPORT_STRING, true, 1, 256, NULL, NULL },
    [KB_CATEGORY] = { "category", IMPORT_STRING, true, 1, 64, NULL, NULL },
    [KB_BODY] = { "body", IMPORT_TEXT, true, 1, 32768, NULL, NULL },
    [KB_REPLY] = { "reply", IMPORT_TEXT, true, 1, 8192, NULL, NULL },
    [KB_TAGS] = { "tags", IMPORT_TAGS, false, 0, 32, NULL, "" },
    [KB_BOOST] = { "boost", IMPORT_NUMBER, false, -10, 10, NULL, "0" },
    [KB_EXAMPLES] = { "examples", IMPORT_PHRASES, false, 0, 1000, NULL, "[]" },
    [KB_STATUS] = { "status", IMPORT_ENUM, false, 0, 0, "published|candidate", "published" },
};

enum { US_NAME, US_DISPLAY, US_ROLE, US_TOKEN, US__N };
static const import_field_spec user_fields[US__N] = {
    [US_NAME] = { "name", IMPORT_ID, true, 1, 128, NULL, NULL },
    [US_DISPLAY] = { "display_name", IMPORT_STRING, false, 0, 128, NULL, NULL },
    [US_ROLE] = { "role", IMPORT_ENUM, true, 0, 0, "agent|supervisor|trainer|ingest", NULL },
    [US_TOKEN] = { "token", IMPORT_ID, true, 8, 128, NULL, NULL },
};

enum { RU_ID, RU_KIND, RU_SEVERITY, RU_MATCH, RU_PATTERN, RU_PARAMS, RU_REASON, RU_SPEAKER,
       RU__N };
static const import_field_spec rule_fields[RU__N] = {
    [RU_ID] = { "id", IMPORT_ID, true, 1, 128, NULL, NULL },
    [RU_KIND] = { "kind", IMPORT_ID, true, 1, 64, NULL, NULL },
    [RU_SEVERITY] = { "severity", IMPORT_INT, true, 1, 3, NULL, NULL },
    [RU_MATCH] = { "match", IMPORT_ENUM, true, 0, 0, "phrase|regex|computed", NULL },
    [RU_PATTERN] = { "pattern", IMPORT_STRING, true, 1, 1024, NULL, NULL },
    [RU_PARAMS] = { "params", IMPORT_OBJECT, false, 0, 4096, NULL, "{}" },
    [RU_REASON] = { "reason", IMPORT_STRING, true, 1, 256, NULL, NULL },
    [RU_SPEAKER] = { "speaker", IMPORT_ENUM, false, 0, 0, "customer|agent|any", "customer" },
};

/* Amazon Connect's agents: the Connect user (its ARN or user id) an agentdesk user is. */
enum { AG_CONNECT, AG_USER, AG__N };
static const import_field_spec agent_fields[AG__N] = {
    [AG_CONNECT] = { "connect_agent", IMPORT_ID, true, 1, 512, NULL, NULL },
    [AG_USER] = { "user", IMPORT_ID, true, 1, 128, NULL, NULL },
};

/* ---- writing ---- */

typedef struct {
    store *s;
    sqlite3 *db;
    sqlite3_stmt *st[5];
    int candidates;             /* kb records left out as candidates */
} import_ctx;

/* Bind v[first..first+n) to parameters at..at+n-1; absent fields get their fallback or NULL. */
static void bind_values(sqlite3_stmt *st, int at, const import_field_spec *spec, const import_field_value *v,
                        size_t first, size_t n)
{
    for (size_t i = first; i < first + n; i++, at++) {
        if (!v[i].present) {
            if (spec[i].fallback)
                sqlite3_bind_text(st, at, spec[i].fallback, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(st, at);
        } else if (spec[i].kind == IMPORT_INT) {
            sqlite3_bind_int64(st, at, (sqlite3_int64)v[i].number);
        } else if (spec[i].kind == IMPORT_NUMBER) {
            sqlite3_bind_double(st, at, v[i].number);
        } else {
            sqlite3_bind_text(st, at, v[i].text, -1, SQLITE_STATIC);
        }
    }
}

static int step_done(import_ctx *c, sqlite3_stmt *st, char *msg, size_t len)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_DONE)
        return 0;
    snprintf(msg, len, "cannot store it: %s", sqlite3_errmsg(c->db));
    return -1;
}

static const char *const customer_sql[] = {
    "INSERT INTO customers(id, first_name, last_name, tier, since, email, phone, address, plan,"
    " language, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    " ON CONFLICT(id) DO UPDATE SET first_name = excluded.first_name,"
    " last_name = excluded.last_name, tier = excluded.tier, since = excluded.since,"
    " email = excluded.email, phone = excluded.phone, address = excluded.address,"
    " plan = excluded.plan, language = excluded.language, notes = excluded.notes",
    "DELETE FROM contacts WHERE customer_id = ?1",
    "DELETE FROM orders WHERE customer_id = ?1",
    "INSERT INTO contacts(customer_id, date, channel, reason, outcome, sentiment)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO orders(customer_id, id, date, item, amount, currency, status)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    NULL
};

static int write_customer_items(import_ctx *c, const char *customer, json_t *items,
                                const char *what, const import_field_spec *spec, size_t nfields,
                                sqlite3_stmt *st, char *msg, size_t len)
{
    size_t i;
    json_t *item;
    char detail[IMPORT_MSG];
    json_array_foreach(items, i, item) {
        import_field_value v[IMPORT_MAX_FIELDS];
        if (!json_is_object(item)) {
            snprintf(msg, len, "\"%s\" item %zu must be an object", what, i + 1);
            return -1;
        }
        if (import_check_fields(spec, nfields, item, v, detail, sizeof detail) != 0) {
            snprintf(msg, len, "\"%s\" item %zu: %s", what, i + 1, detail);
            return -1;
        }
        sqlite3_bind_text(st, 1, customer, -1, SQLITE_STATIC);
        bind_values(st, 2, spec, v, 0, nfields);
        int rc = step_done(c, st, detail, sizeof detail);
        if (rc != 0 && spec == order_fields)
            snprintf(msg, len, "\"%s\" item %zu: order id \"%.64s\" is used twice or by another"
                     " customer", what, i + 1, v[OR_ID].text);
        else if (rc != 0)
            snprintf(msg, len, "\"%s\" item %zu: %s", what, i + 1, detail);
        import_check_free(v, nfields);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int write_customer(import_ctx *c, import_field_value *v, char *msg, size_t len)
{
    bind_values(c->st[0], 1, customer_fields, v, CU_ID, CU_NOTES + 1);
    if (step_done(c, c->st[0], msg, len) != 0)
        return -1;
    for (int i = 1; i <= 2; i++) {
        sqlite3_bind_text(c->st[i], 1, v[CU_ID].text, -1, SQLITE_STATIC);
        if (step_done(c, c->st[i], msg, len) != 0)
            return -1;
    }
    if (v[CU_CONTACTS].json &&
        write_customer_items(c, v[CU_ID].text, v[CU_CONTACTS].json, "contacts", contact_fields,
                             CO__N, c->st[3], msg, len) != 0)
        return -1;
    if (v[CU_ORDERS].json &&
        write_customer_items(c, v[CU_ID].text, v[CU_ORDERS].json, "orders", order_fields,
                             OR__N, c->st[4], msg, len) != 0)
        return -1;
    return 0;
}

static const char *const kb_sql[] = {
    "INSERT INTO kb(id, title, category, body, reply, tags, boost, examples)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT(id) DO UPDATE SET title = excluded.title, category = excluded.category,"
    " body = excluded.body, reply = excluded.reply, tags = excluded.tags, boost = excluded.boost,"
    " examples = excluded.examples",
    NULL
};

static int write_kb(import_ctx *c, import_field_value *v, char *msg, size_t len)
{
    if (v[KB_STATUS].present && strcmp(v[KB_STATUS].text, "candidate") == 0) {
        c->candidates++;
        return 0;
    }
    bind_values(c->st[0], 1, kb_fields, v, 0, KB_STATUS);
    return step_done(c, c->st[0], msg, len);
}

static const char *const user_sql[] = {
    "SELECT name FROM users WHERE token_hash = ?1 AND name <> ?2",
    NULL
};

static int write_user(import_ctx *c, import_field_value *v, char *msg, size_t len)
{
    char hash[65];
    store_token_hash(v[US_TOKEN].text, hash);
    sqlite3_stmt *st = c->st[0];
    sqlite3_bind_text(st, 1, hash, 64, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, v[US_NAME].text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(msg, len, "\"token\" is already used by user \"%.64s\"",
                 (const char *)sqlite3_column_text(st, 0));
        sqlite3_reset(st);
        return -1;
    }
    sqlite3_reset(st);
    const char *display = v[US_DISPLAY].text ? v[US_DISPLAY].text : v[US_NAME].text;
    if (store_user_put(c->s, v[US_NAME].text, display, store_role_parse(v[US_ROLE].text),
                       v[US_TOKEN].text) != 0) {
        snprintf(msg, len, "cannot store it: %s", sqlite3_errmsg(c->db));
        return -1;
    }
    return 0;
}

static const char *const agent_sql[] = {
    "SELECT role FROM users WHERE name = ?1",
    "INSERT OR REPLACE INTO connect_agents(connect_id, user) VALUES (?1, ?2)",
    NULL
};

static int write_agent(import_ctx *c, import_field_value *v, char *msg, size_t len)
{
    char id[CONNECT_AGENT_ID_MAX + 1];
    if (!connect_agent_id(v[AG_CONNECT].text, id, sizeof id)) {
        snprintf(msg, len, "\"connect_agent\" must be an agent ARN (arn:aws:connect:...:instance/ID/agent/ID) or "
                           "a Connect user id");
        return -1;
    }
    sqlite3_stmt *st = c->st[0];
    sqlite3_bind_text(st, 1, v[AG_USER].text, -1, SQLITE_STATIC);
    const char *role = sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    bool owner = role && (strcmp(role, "agent") == 0 || strcmp(role, "supervisor") == 0);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (!owner) {
        snprintf(msg, len, "\"user\" \"%.64s\" is no agent or supervisor (import the users first)",
                 v[AG_USER].text);
        return -1;
    }
    sqlite3_bind_text(c->st[1], 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(c->st[1], 2, v[AG_USER].text, -1, SQLITE_STATIC);
    return step_done(c, c->st[1], msg, len);
}

static const char *const rule_sql[] = {
    "INSERT INTO rules(id, kind, severity, match, pattern, params, reason, speaker)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    " ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, severity = excluded.severity,"
    " match = excluded.match, pattern = excluded.pattern, params = excluded.params,"
    " reason = excluded.reason, speaker = excluded.speaker",
    NULL
};

/* The flag engine is the judge of what a rule means (computed rule names, params): a rule
 * that imports must also load. Its message loses its "rule ID: " prefix, which ours has. */
static int check_rule_loads(import_field_value *v, char *msg, size_t len)
{
    json_t *rule = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "id", v[RU_ID].text,
                             "kind", v[RU_KIND].text, "severity", (json_int_t)v[RU_SEVERITY].number,
                             "match", v[RU_MATCH].text, "pattern", v[RU_PATTERN].text,
                             "reason", v[RU_REASON].text, "speaker",
                             v[RU_SPEAKER].text ? v[RU_SPEAKER].text : "customer");
    json_t *params = json_loads(v[RU_PARAMS].text ? v[RU_PARAMS].text : "{}", 0, NULL);
    json_t *array = json_array();
    if (!rule || !params || !array)
        abort();
    json_object_set_new(rule, "params", params);
    json_array_append_new(array, rule);
    char *text = json_dumps(array, JSON_COMPACT);
    json_decref(array);
    if (!text)
        abort();
    char why[IMPORT_MSG] = "", prefix[160];
    flag_rules *fr = flags_load_json(text, why, sizeof why);
    free(text);
    if (fr) {
        flags_free(fr);
        return 0;
    }
    snprintf(prefix, sizeof prefix, "rule %s: ", v[RU_ID].text);
    size_t skip = strncmp(why, prefix, strlen(prefix)) == 0 ? strlen(prefix) : 0;
    snprintf(msg, len, "%s", why + skip);
    return -1;
}

static int write_rule(import_ctx *c, import_field_value *v, char *msg, size_t len)
{
    if (strcmp(v[RU_MATCH].text, "regex") == 0) {
        regex_t re;
        int rc = regcomp(&re, v[RU_PATTERN].text, REG_EXTENDED | REG_ICASE | REG_NOSUB);
        if (rc != 0) {
            char why[128];
            regerror(rc, &re, why, sizeof why);
            snprintf(msg, len, "\"pattern\" is not a valid regular expression: %s", why);
            return -1;
        }
        regfree(&re);
    }
    if (check_rule_loads(v, msg, len) != 0)
        return -1;
    bind_values(c->st[0], 1, rule_fields, v, 0, RU__N);
    return step_done(c, c->st[0], msg, len);
}

/* ---- kinds ---- */

typedef struct {
    const char *kind;
    const char *key;            /* the field that names a record in messages and dedupe */
    const import_field_spec *fields;
    size_t nfields;
    const char *const *sql;     /* statements prepared into import_ctx.st, NULL-terminated */
    int (*write)(import_ctx *c, import_field_value *v, char *msg, size_t len);
    bool strict;                /* a field not in `fields` refuses the record, named */
} kind_spec;

static const kind_spec kinds[] = {
    { "customers", "id", customer_fields, CU__N, customer_sql, write_customer, false },
    { "kb", "id", kb_fields, KB__N, kb_sql, write_kb, false },
    { "users", "name", user_fields, US__N, user_sql, write_user, false },
    { "rules", "id", rule_fields, RU__N, rule_sql, write_rule, false },
    /* strict: a misspelt key would otherwise map nobody, silently */
    { "agents", "connect_agent", agent_fields, AG__N, agent_sql, write_agent, true },
};

/* The first key of rec that k does not know, or NULL. */
static const char *unknown_field(const kind_spec *k, json_t *rec)
{
    const char *key;
    json_t *v;
    json_object_foreach(rec, key, v) {
        size_t i = 0;
        while (i < k->nfields && strcmp(k->fields[i].name, key) != 0)
            i++;
        if (i == k->nfields)
            return key;
    }
    return NULL;
}

static const kind_spec *find_kind(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return &kinds[i];
    return NULL;
}

int import_kind_valid(const char *kind)
{
    return find_kind(kind) != NULL;
}

/* The message goes to terminals: clean it once, here. */
static void set_error(char *err, size_t errlen, const char *msg)
{
    if (!err || errlen == 0)
        return;
    char *clean = text_clean(msg, strlen(msg), TEXT_SINGLE_LINE, NULL);
    snprintf(err, errlen, "%s", clean);
    free(clean);
}

static void record_error(char *err, size_t errlen, const char *label, size_t index,
                         const kind_spec *k, json_t *rec, const char *detail)
{
    char msg[IMPORT_MSG * 2];
    json_t *key = json_is_object(rec) ? json_object_get(rec, k->key) : NULL;
    if (json_is_string(key) && json_string_length(key) > 0)
        snprintf(msg, sizeof msg, "%s: record %zu (%s \"%.64s\"): %s", label, index + 1, k->key,
                 json_string_value(key), detail);
    else
        snprintf(msg, sizeof msg, "%s: record %zu: %s", label, index + 1, detail);
    set_error(err, errlen, msg);
}

typedef struct {
    const char *key;
    size_t index;
} seen_key;

static int compare_seen(const void *a, const void *b)
{
    const seen_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* All or nothing: our own transaction, or a savepoint inside the caller's. tx_end() keeps
 * the work when ok, else undoes it; it returns -1 only when keeping it failed. */
static int tx_begin(sqlite3 *db, bool *own)
{
    *own = sqlite3_get_autocommit(db) != 0;
    return sqlite3_exec(db, *own ? "BEGIN IMMEDIATE" : "SAVEPOINT import", NULL, NULL, NULL);
}

static int tx_end(sqlite3 *db, bool own, bool ok)
{
    if (ok && sqlite3_exec(db, own ? "COMMIT" : "RELEASE import", NULL, NULL, NULL) == SQLITE_OK)
        return 0;
    if (own) {
        if (!sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    } else {
        sqlite3_exec(db, "ROLLBACK TO import; RELEASE import", NULL, NULL, NULL);
    }
    return ok ? -1 : 0;
}

static int import_records(import_ctx *c, const kind_spec *k, json_t *array, const char *label,
                          char *err, size_t errlen)
{
    size_t n = json_array_size(array), i;
    seen_key *seen = mem_zalloc(n ? n : 1, sizeof *seen);
    json_t *rec;
    char detail[IMPORT_MSG];
    int result = (int)n;
    json_array_foreach(array, i, rec) {
        import_field_value v[IMPORT_MAX_FIELDS];
        if (!json_is_object(rec)) {
            record_error(err, errlen, label, i, k, rec, "must be an object");
            result = -1;
            break;
        }
        const char *extra = k->strict ? unknown_field(k, rec) : NULL;
        if (extra) {
            snprintf(detail, sizeof detail, "unknown field \"%.64s\"", extra);
            record_error(err, errlen, label, i, k, rec, detail);
            result = -1;
            break;
        }
        if (import_check_fields(k->fields, k->nfields, rec, v, detail, sizeof detail) != 0) {
            record_error(err, errlen, label, i, k, rec, detail);
            result = -1;
            break;
        }
        int rc = k->write(c, v, detail, sizeof detail);
        import_check_free(v, k->nfields);
        if (rc != 0) {
            record_error(err, errlen, label, i, k, rec, detail);
            result = -1;
            break;
        }
        seen[i].key = json_string_value(json_object_get(rec, k->key));
        seen[i].index = i;
    }
    if (result >= 0 && n > 1) {
        qsort(seen, n, sizeof *seen, compare_seen);
        for (i = 1; i < n; i++) {
            if (strcmp(seen[i - 1].key, seen[i].key) == 0) {
                snprintf(detail, sizeof detail, "%s is the same as record %zu's", k->key,
                         seen[i - 1].index + 1);
                record_error(err, errlen, label, seen[i].index, k,
                             json_array_get(array, seen[i].index), detail);
                result = -1;
                break;
            }
        }
    }
    free(seen);
    return result;
}

static int import_json_counting(store *s, const char *kind, json_t *array, const char *label, int *candidates,
                                char *err, size_t errlen);

int import_json(store *s, const char *kind, json_t *array, const char *label, char *err,
                size_t errlen)
{
    return import_json_counting(s, kind, array, label, NULL, err, errlen);
}

static int import_json_counting(store *s, const char *kind, json_t *array, const char *label, int *candidates,
                                char *err, size_t errlen)
{
    char msg[IMPORT_MSG];
    const kind_spec *k = find_kind(kind);
    if (!k) {
        snprintf(msg, sizeof msg, "unknown kind \"%.32s\" (expected %s)", kind ? kind : "",
                 IMPORT_KINDS);
        set_error(err, errlen, msg);
        return -1;
    }
    if (!json_is_array(array)) {
        snprintf(msg, sizeof msg, "%s: must be a JSON array of %s records", label, k->kind);
        set_error(err, errlen, msg);
        return -1;
    }
    if (json_array_size(array) > IMPORT_MAX_RECORDS) {
        snprintf(msg, sizeof msg, "%s: more than %d records", label, IMPORT_MAX_RECORDS);
        set_error(err, errlen, msg);
        return -1;
    }
    import_ctx c = { .s = s, .db = store_db(s) };
    int result = -1;
    bool own = false;
    for (int i = 0; k->sql[i]; i++) {
        if (sqlite3_prepare_v2(c.db, k->sql[i], -1, &c.st[i], NULL) != SQLITE_OK) {
            snprintf(msg, sizeof msg, "%s: %s", label, sqlite3_errmsg(c.db));
            set_error(err, errlen, msg);
            goto done;
        }
    }
    if (tx_begin(c.db, &own) != SQLITE_OK) {
        snprintf(msg, sizeof msg, "%s: cannot start a transaction: %s", label,
                 sqlite3_errmsg(c.db));
        set_error(err, errlen, msg);
        goto done;
    }
    result = import_records(&c, k, array, label, err, errlen);
    if (tx_end(c.db, own, result >= 0) != 0) {
        snprintf(msg, sizeof msg, "%s: cannot commit: %s", label, sqlite3_errmsg(c.db));
        set_error(err, errlen, msg);
        result = -1;
    }
    if (result >= 0) {
        result -= c.candidates;   /* checked, not written */
        if (candidates) *candidates = c.candidates;
    }
done:
    for (size_t i = 0; i < sizeof c.st / sizeof c.st[0]; i++)
        sqlite3_finalize(c.st[i]);
    return result;
}

int import_file(store *s, const char *kind, const char *path, char *err, size_t errlen)
{
    return import_file_counting(s, kind, path, NULL, err, errlen);
}

int import_file_counting(store *s, const char *kind, const char *path, int *candidates, char *err,
                         size_t errlen)
{
    char msg[IMPORT_MSG];
    const char *slash = strrchr(path, '/');
    const char *label = slash ? slash + 1 : path;
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(msg, sizeof msg, "%s: %s", path, strerror(errno));
        set_error(err, errlen, msg);
        return -1;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > IMPORT_MAX_FILE) {
        snprintf(msg, sizeof msg, "%s: not a regular file of at most %ld bytes", path,
                 IMPORT_MAX_FILE);
        set_error(err, errlen, msg);
        return -1;
    }
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(msg, sizeof msg, "%s:%d:%d: %s", label, jerr.line, jerr.column, jerr.text);
        set_error(err, errlen, msg);
        return -1;
    }
    int n = import_json_counting(s, kind, root, label, candidates, err, errlen);
    json_decref(root);
    return n;
}

static int usage(FILE *out)
{
    fprintf(out, "usage: agentdesk-hub import [--db FILE] KIND FILE.json\n"
                 "  KIND: %s\n"
                 "  Validates every record and imports the whole file or nothing.\n",
                 IMPORT_KINDS);
    return out == stdout ? 0 : 2;
}

static void print_clean(FILE *out, const char *s)
{
    char *c = text_clean(s, strlen(s), TEXT_SINGLE_LINE, NULL);
    fputs(c, out);
    free(c);
}

int import_main(int argc, char **argv)
{
    const char *db = NULL, *kind = NULL, *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(stdout);
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strncmp(argv[i], "--db=", 5) == 0)
            db = argv[i] + 5;
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return usage(stderr);
        else if (!kind)
            kind = argv[i];
        else if (!file)
            file = argv[i];
        else
            return usage(stderr);
    }
    if (!kind || !file)
        return usage(stderr);
    if (!import_kind_valid(kind)) {
        fputs("agentdesk-hub import: unknown kind \"", stderr);
        print_clean(stderr, kind);
        fprintf(stderr, "\" (expected %s)\n", IMPORT_KINDS);
        return 2;
    }
    char *default_db = db ? NULL : store_default_path();
    if (!db)
        db = default_db;
    char err[1024] = "";
    int status = 1;
    store *s = db ? store_open(db, err, sizeof err) : NULL;
    if (s) {
        int candidates = 0;
        int n = import_file_counting(s, kind, file, &candidates, err, sizeof err);
        if (n >= 0) {
            printf("imported %d %s from ", n, kind);
            print_clean(stdout, file);
            fputs(" into ", stdout);
            print_clean(stdout, db);
            fputc('\n', stdout);
            if (candidates)
                printf("%d candidate%s checked and left out (\"status\": \"candidate\"): set \"status\" to "
                       "\"published\" once reviewed\n", candidates, candidates == 1 ? "" : "s");
            status = 0;
        }
        store_close(s);
    } else if (!db) {
        snprintf(err, sizeof err, "no database path");
    }
    if (status != 0) {
        fputs("agentdesk-hub import: ", stderr);
        print_clean(stderr, err);
        fputc('\n', stderr);
    }
    free(default_db);
    return status;
}
