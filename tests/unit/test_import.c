/* test_import.c — import of customers, kb, users and rules into a real SQLite file: each
 * kind valid, the exact message for each kind of bad record, all-or-nothing, re-import
 * upserts, FTS5 search over the imported kb, hostile text cleaned, the CLI's exit codes. */
#include "hub/store/import.h"
#include "hub/store/store.h"
#include "base/text.h"
#include "tests/lib/dbquery.h"
#include "tests/unit/check.h"

#include <ftw.h>
#include <regex.h>
#include <stdlib.h>
#include <unistd.h>

#define FIXTURES "tests/unit/fixtures/store"

static char tmpdir[256];
static int db_counter;

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

static char *tmp_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

/* A fresh database for each test. */
static store *fresh_store(void)
{
    char name[64], err[256] = "";
    snprintf(name, sizeof name, "db-%d.db", ++db_counter);
    store *s = store_open(tmp_path(name), err, sizeof err);
    if (!s)
        fprintf(stderr, "  store_open: %s\n", err);
    return s;
}

static char *query_text(store *s, const char *sql)
{
    static char out[1024];
    sqlite3_stmt *st;
    out[0] = '\0';
    if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(out, sizeof out, "(sql error: %s)", sqlite3_errmsg(store_db(s)));
        return out;
    }
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

/* Import a JSON text; returns import_json's result, message in err. */
static int import_text(store *s, const char *kind, const char *json, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_loads(json, 0, &jerr);
    if (!root) {
        snprintf(err, errlen, "(test JSON broken: %s)", jerr.text);
        return -2;
    }
    char label[64];
    snprintf(label, sizeof label, "%s.json", kind);
    int n = import_json(s, kind, root, label, err, errlen);
    json_decref(root);
    return n;
}

static void test_customers_valid_and_reimport(void)
{
    store *s = fresh_store();
    if (!s) { CHECK(0); return; }
    char err[512] = "";
    CHECK_INT(import_file(s, "customers", FIXTURES "/customers.json", err, sizeof err), 2);
    CHECK_STR(err, "");
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM customers"), 2);
    CHECK_STR(query_text(s, "SELECT last_name FROM customers WHERE id = 'C-1001'"), "García");
    CHECK_STR(query_text(s, "SELECT tier FROM customers WHERE id = 'C-1002'"), "standard");
    CHECK_INT(dbquery_int(store_db(s), "SELECT since IS NULL FROM customers WHERE id = 'C-1002'"), 1);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM contacts WHERE customer_id = 'C-1001'"), 2);
    CHECK_STR(query_text(s, "SELECT sentiment FROM contacts WHERE reason = 'billing'"), "-0.4");
    CHECK_STR(query_text(s, "SELECT sentiment FROM contacts WHERE reason = 'outage'"), "0.0");
    CHECK_STR(query_text(s, "SELECT currency FROM orders WHERE id = '#88232'"), "EUR");
    CHECK_STR(query_text(s, "SELECT amount FROM orders WHERE id = '#88231'"), "49.99");

    /* re-import: same rows, contacts replaced rather than doubled */
    CHECK_INT(import_file(s, "customers", FIXTURES "/customers.json", err, sizeof err), 2);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM customers"), 2);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM contacts"), 2);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM orders"), 2);

    /* an upsert changes a field and the nested lists */
    CHECK_INT(import_text(s, "customers", "[{\"id\":\"C-1001\",\"first_name\":\"Mari\","
                          "\"last_name\":\"García\",\"tier\":\"silver\",\"contacts\":[{\"date\":"
                          "\"2027-01-01\",\"channel\":\"chat\",\"reason\":\"r\",\"outcome\":\"o\"}]}]",
                          err, sizeof err), 1);
    CHECK_STR(query_text(s, "SELECT first_name || '/' || tier FROM customers WHERE id = 'C-1001'"),
              "Mari/silver");
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM contacts WHERE customer_id = 'C-1001'"), 1);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM orders WHERE customer_id = 'C-1001'"), 0);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM customers"), 2);
    store_close(s);
}

static void test_kb_valid_and_fts_search(void)
{
    store *s = fresh_store();
    if (!s) { CHECK(0); return; }
    char err[512] = "";
    CHECK_INT(import_file(s, "kb", FIXTURES "/kb.json", err, sizeof err), 3);
    CHECK_STR(err, "");
    CHECK_STR(query_text(s, "SELECT tags FROM kb WHERE id = 'KB-001'"), "refund,billing,duplicate charge");
    CHECK_STR(query_text(s, "SELECT tags FROM kb WHERE id = 'KB-003'"), "");
    /* newlines are kept in bodies */
    CHECK_INT(dbquery_int(store_db(s), "SELECT instr(body, char(10)) > 0 FROM kb WHERE id = 'KB-001'"), 1);
    const char *best = "SELECT kb.id FROM kb_fts JOIN kb ON kb.rowid = kb_fts.rowid"
                       " WHERE kb_fts MATCH 'refund' ORDER BY bm25(kb_fts) LIMIT 1";
    CHECK_STR(query_text(s, best), "KB-001");
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM kb_fts WHERE kb_fts MATCH 'refund'"), 2);
    /* porter stemming: "refunds" and "refunding" find it too */
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM kb_fts WHERE kb_fts MATCH 'refunding'"), 2);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM kb_fts WHERE kb_fts MATCH 'address'"), 1);

    /* re-import with a changed body: the index follows the update */
    CHECK_INT(import_text(s, "kb", "[{\"id\":\"KB-002\",\"title\":\"Change the delivery address\","
                          "\"category\":\"delivery\",\"body\":\"Parcel redirection.\","
                          "\"reply\":\"Done.\",\"tags\":[\"parcel\"]}]", err, sizeof err), 1);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM kb_fts WHERE kb_fts MATCH 'redirection'"), 1);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM kb_fts WHERE kb_fts MATCH 'ships'"), 0);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM kb"), 3);
    CHECK_STR(query_text(s, "SELECT id FROM kb_fts JOIN kb ON kb.rowid = kb_fts.rowid"
                            " WHERE kb_fts MATCH 'parcel'"), "KB-002");
    /* examples: kept in order as a JSON array, each cleaned to one line; none is "[]" */
    CHECK_STR(query_text(s, "SELECT examples FROM kb WHERE id = 'KB-002'"), "[]");
    CHECK_INT(import_text(s, "kb", "[{\"id\":\"KB-002\",\"title\":\"Change the delivery address\","
                          "\"category\":\"delivery\",\"body\":\"Parcel redirection.\",\"reply\":\"Done.\","
                          "\"examples\":[\"send it to my work\",\"I moved\\nlast week\"]}]", err, sizeof err), 1);
    CHECK_STR(query_text(s, "SELECT examples FROM kb WHERE id = 'KB-002'"), "[\"send it to my work\",\"I moved last week\"]");
    store_close(s);
}

static void test_users_valid(void)
{
    store *s = fresh_store();
    if (!s) { CHECK(0); return; }
    char err[512] = "";
    CHECK_INT(import_file(s, "users", FIXTURES "/users.json", err, sizeof err), 3);
    CHECK_STR(err, "");
    store_user u;
    CHECK(store_user_by_token(s, "test-supervisor", &u));
    CHECK_STR(u.name, "supervisor");
    CHECK_INT(u.role, ROLE_SUPERVISOR);
    CHECK(store_user_by_token(s, "test-ingest", &u));
    CHECK_STR(u.display_name, "ingest");
    CHECK_INT(u.role, ROLE_INGEST);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM users WHERE instr(name || display_name ||"
                           " token_hash, 'test-') > 0"), 0);
    /* re-import with a new token rotates it */
    CHECK_INT(import_text(s, "users", "[{\"name\":\"agent-1\",\"role\":\"agent\","
                          "\"token\":\"rotated-token-1\"}]", err, sizeof err), 1);
    CHECK(!store_user_by_token(s, "test-agent-1", &u));
    CHECK(store_user_by_token(s, "rotated-token-1", &u));
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM users"), 3);
    store_close(s);
}

static void test_rules_valid(void)
{
    store *s = fresh_store();
    if (!s) { CHECK(0); return; }
    char err[512] = "";
    CHECK_INT(import_file(s, "rules", FIXTURES "/rules.json", err, sizeof err), 3);
    CHECK_STR(err, "");
    CHECK_STR(query_text(s, "SELECT params FROM rules WHERE id = 'R-card'"),
              "{\"a\":[1,\"x\"],\"mask\":\"last4\"}");
    CHECK_STR(query_text(s, "SELECT params FROM rules WHERE id = 'R-cancel'"), "{}");
    CHECK_STR(query_text(s, "SELECT speaker FROM rules WHERE id = 'R-silence'"), "customer");
    CHECK_STR(query_text(s, "SELECT pattern FROM rules WHERE id = 'R-silence'"), "long_silence");
    CHECK_INT(dbquery_int(store_db(s), "SELECT severity FROM rules WHERE id = 'R-card'"), 3);
    CHECK_STR(query_text(s, "SELECT pattern FROM rules WHERE id = 'R-card'"), "([0-9][ -]?){13,16}");
    store_close(s);
}

typedef struct {
    const char *kind;
    const char *json;
    const char *message;
} bad_case;

static const bad_case bad_cases[] = {
    /* customers */
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"a\",\"last_name\":\"b\"},"
                   "{\"id\":\"C-1007\",\"first_name\":\"a\",\"last_name\":\"b\",\"tier\":\"platinum\"}]",
      "customers.json: record 2 (id \"C-1007\"): \"tier\" must be one of gold|silver|standard" },
    { "customers", "[{\"id\":\"C-1\",\"last_name\":\"b\"}]",
      "customers.json: record 1 (id \"C-1\"): \"first_name\" is required" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"\",\"last_name\":\"b\"}]",
      "customers.json: record 1 (id \"C-1\"): \"first_name\" must not be empty" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":7,\"last_name\":\"b\"}]",
      "customers.json: record 1 (id \"C-1\"): \"first_name\" must be a string" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"a\",\"last_name\":\"b\",\"since\":\"2019-02-29\"}]",
      "customers.json: record 1 (id \"C-1\"): \"since\" must be a date YYYY-MM-DD" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"a\",\"last_name\":\"b\",\"since\":\"3/2/2019\"}]",
      "customers.json: record 1 (id \"C-1\"): \"since\" must be a date YYYY-MM-DD" },
    { "customers", "[{\"id\":\"C 1\",\"first_name\":\"a\",\"last_name\":\"b\"}]",
      "customers.json: record 1 (id \"C 1\"): \"id\" must not contain spaces or control characters" },
    { "customers", "[{\"first_name\":\"a\",\"last_name\":\"b\"}]",
      "customers.json: record 1: \"id\" is required" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"a\",\"last_name\":\"b\",\"contacts\":{}}]",
      "customers.json: record 1 (id \"C-1\"): \"contacts\" must be an array" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"a\",\"last_name\":\"b\",\"contacts\":[{\"date\":"
                   "\"2026-01-01\",\"channel\":\"fax\",\"reason\":\"r\",\"outcome\":\"o\"}]}]",
      "customers.json: record 1 (id \"C-1\"): \"contacts\" item 1: \"channel\" must be one of voice|chat" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"a\",\"last_name\":\"b\",\"contacts\":[1]}]",
      "customers.json: record 1 (id \"C-1\"): \"contacts\" item 1 must be an object" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"a\",\"last_name\":\"b\",\"contacts\":[{\"date\":"
                   "\"2026-01-01\",\"channel\":\"chat\",\"reason\":\"r\",\"outcome\":\"o\",\"sentiment\":1.5}]}]",
      "customers.json: record 1 (id \"C-1\"): \"contacts\" item 1: \"sentiment\" must be between -1 and 1" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"a\",\"last_name\":\"b\",\"orders\":[{\"id\":\"#1\","
                   "\"date\":\"2026-01-01\",\"item\":\"x\",\"amount\":\"9.99\",\"status\":\"s\"}]}]",
      "customers.json: record 1 (id \"C-1\"): \"orders\" item 1: \"amount\" must be a number" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"a\",\"last_name\":\"b\",\"orders\":[{\"id\":\"#1\","
                   "\"date\":\"2026-01-01\",\"item\":\"x\",\"amount\":1,\"status\":\"s\"}]},"
                   "{\"id\":\"C-2\",\"first_name\":\"a\",\"last_name\":\"b\",\"orders\":[{\"id\":\"#1\","
                   "\"date\":\"2026-01-01\",\"item\":\"x\",\"amount\":1,\"status\":\"s\"}]}]",
      "customers.json: record 2 (id \"C-2\"): \"orders\" item 1: order id \"#1\" is used twice or by another customer" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"a\",\"last_name\":\"b\"},{\"id\":\"C-2\","
                   "\"first_name\":\"a\",\"last_name\":\"b\"},{\"id\":\"C-1\",\"first_name\":\"c\",\"last_name\":\"d\"}]",
      "customers.json: record 3 (id \"C-1\"): id is the same as record 1's" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"a\",\"last_name\":\"b\"}, 5]",
      "customers.json: record 2: must be an object" },
    { "customers", "{\"id\":\"C-1\"}",
      "customers.json: must be a JSON array of customers records" },
    /* kb */
    { "kb", "[{\"id\":\"KB-1\",\"title\":\"t\",\"category\":\"c\",\"body\":\"\",\"reply\":\"r\"}]",
      "kb.json: record 1 (id \"KB-1\"): \"body\" must not be empty" },
    { "kb", "[{\"id\":\"KB-1\",\"title\":\"t\",\"category\":\"c\",\"body\":\"b\",\"reply\":\"r\",\"tags\":\"refund\"}]",
      "kb.json: record 1 (id \"KB-1\"): \"tags\" must be an array of strings" },
    { "kb", "[{\"id\":\"KB-1\",\"title\":\"t\",\"category\":\"c\",\"body\":\"b\",\"reply\":\"r\",\"tags\":[\"a\",3]}]",
      "kb.json: record 1 (id \"KB-1\"): \"tags\" item 2 must be a string of 1 to 64 bytes" },
    { "kb", "[{\"id\":\"KB-1\",\"title\":\"t\",\"category\":\"c\",\"body\":\"b\",\"reply\":\"r\",\"tags\":[\"a,b\"]}]",
      "kb.json: record 1 (id \"KB-1\"): \"tags\" item 1 must not contain ','" },
    { "kb", "[{\"id\":\"KB-1\",\"title\":\"t\",\"category\":\"c\",\"body\":\"b\"}]",
      "kb.json: record 1 (id \"KB-1\"): \"reply\" is required" },
    { "kb", "[{\"id\":\"KB-1\",\"title\":\"t\",\"category\":\"c\",\"body\":\"b\",\"reply\":\"r\",\"examples\":\"my bill\"}]",
      "kb.json: record 1 (id \"KB-1\"): \"examples\" must be an array of strings" },
    { "kb", "[{\"id\":\"KB-1\",\"title\":\"t\",\"category\":\"c\",\"body\":\"b\",\"reply\":\"r\",\"examples\":[\"my bill\",\"\"]}]",
      "kb.json: record 1 (id \"KB-1\"): \"examples\" item 2 must be a string of 1 to 512 bytes" },
    { "kb", "[{\"id\":\"KB-1\",\"title\":\"t\",\"category\":\"c\",\"body\":\"b\",\"reply\":\"r\",\"examples\":[[\"x\"]]}]",
      "kb.json: record 1 (id \"KB-1\"): \"examples\" item 1 must be a string of 1 to 512 bytes" },
    /* a misspelt field is refused by name, not dropped */
    { "kb", "[{\"id\":\"KB-1\",\"title\":\"t\",\"category\":\"c\",\"body\":\"b\",\"reply\":\"r\",\"exmaples\":[\"my bill\"]}]",
      "kb.json: record 1 (id \"KB-1\"): unknown field \"exmaples\" (expected id, title, category, body, reply, tags, boost, examples, status)" },
    { "customers", "[{\"id\":\"C-1\",\"first_name\":\"a\",\"last_name\":\"b\",\"contacts\":[{\"date\":"
                   "\"2026-01-01\",\"channel\":\"chat\",\"reason\":\"r\",\"outcome\":\"o\",\"mood\":1}]}]",
      "customers.json: record 1 (id \"C-1\"): \"contacts\" item 1: unknown field \"mood\" (expected date, channel, reason, outcome, sentiment)" },
    /* users */
    { "users", "[{\"name\":\"root\",\"role\":\"admin\",\"token\":\"0123456789\"}]",
      "users.json: record 1 (name \"root\"): \"role\" must be one of agent|supervisor|trainer|ingest" },
    { "users", "[{\"name\":\"a\",\"role\":\"agent\",\"token\":\"short\"}]",
      "users.json: record 1 (name \"a\"): \"token\" must be at least 8 bytes" },
    { "users", "[{\"name\":\"a\",\"role\":\"agent\",\"token\":\"same-token\"},"
               "{\"name\":\"b\",\"role\":\"agent\",\"token\":\"same-token\"}]",
      "users.json: record 2 (name \"b\"): \"token\" is already used by user \"a\"" },
    { "users", "[{\"role\":\"agent\",\"token\":\"0123456789\"}]",
      "users.json: record 1: \"name\" is required" },
    { "users", "[{\"name\":\"a\",\"role\":\"agent\",\"token\":\"with space in it\"}]",
      "users.json: record 1 (name \"a\"): \"token\" must not contain spaces or control characters" },
    /* rules */
    { "rules", "[{\"id\":\"R1\",\"kind\":\"k\",\"severity\":4,\"match\":\"phrase\",\"pattern\":\"p\",\"reason\":\"r\"}]",
      "rules.json: record 1 (id \"R1\"): \"severity\" must be between 1 and 3" },
    { "rules", "[{\"id\":\"R1\",\"kind\":\"k\",\"severity\":\"2\",\"match\":\"phrase\",\"pattern\":\"p\",\"reason\":\"r\"}]",
      "rules.json: record 1 (id \"R1\"): \"severity\" must be an integer" },
    { "rules", "[{\"id\":\"R1\",\"kind\":\"k\",\"severity\":2.5,\"match\":\"phrase\",\"pattern\":\"p\",\"reason\":\"r\"}]",
      "rules.json: record 1 (id \"R1\"): \"severity\" must be an integer" },
    { "rules", "[{\"id\":\"R1\",\"kind\":\"k\",\"severity\":1,\"match\":\"fuzzy\",\"pattern\":\"p\",\"reason\":\"r\"}]",
      "rules.json: record 1 (id \"R1\"): \"match\" must be one of phrase|regex|computed" },
    { "rules", "[{\"id\":\"R1\",\"kind\":\"k\",\"severity\":1,\"match\":\"phrase\",\"reason\":\"r\"}]",
      "rules.json: record 1 (id \"R1\"): \"pattern\" is required" },
    { "rules", "[{\"id\":\"R1\",\"kind\":\"k\",\"severity\":1,\"match\":\"computed\",\"pattern\":\"moon_phase\",\"reason\":\"r\"}]",
      "rules.json: record 1 (id \"R1\"): unknown computed rule \"moon_phase\" (sentiment_drop, sustained_negative, long_silence, talk_ratio, compliance_deadline)" },
    { "rules", "[{\"id\":\"R1\",\"kind\":\"k\",\"severity\":1,\"match\":\"computed\",\"pattern\":\"long_silence\",\"params\":[1],\"reason\":\"r\"}]",
      "rules.json: record 1 (id \"R1\"): \"params\" must be an object" },
    { "rules", "[{\"id\":\"R1\",\"kind\":\"k\",\"severity\":1,\"match\":\"phrase\",\"pattern\":\"p\",\"reason\":\"r\",\"speaker\":\"bot\"}]",
      "rules.json: record 1 (id \"R1\"): \"speaker\" must be one of customer|agent|any" },
    { "rules", "[{\"id\":\"R1\",\"kind\":\"k\",\"severity\":1,\"match\":\"computed\",\"reason\":\"r\",\"pattern\":\"long_silence\","
               "\"pattern\":\"long_silence\",\"params\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":1}}}}}}}}}}]",
      "rules.json: record 1 (id \"R1\"): \"params\" must be nested at most 8 levels" },
    /* kind */
    { "orders", "[]", "unknown kind \"orders\" (expected customers|kb|users|rules|agents)" },
};

static void test_bad_records_give_exact_messages(void)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        store *s = fresh_store();
        if (!s) { CHECK(0); return; }
        char err[512] = "";
        int n = import_text(s, bad_cases[i].kind, bad_cases[i].json, err, sizeof err);
        CHECK_INT(n, -1);
        CHECK_STR(err, bad_cases[i].message);
        /* all or nothing: not even the good records before the bad one */
        CHECK_INT(dbquery_int(store_db(s), "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM"
                               " contacts) + (SELECT count(*) FROM orders) + (SELECT count(*) FROM"
                               " kb) + (SELECT count(*) FROM users) + (SELECT count(*) FROM rules)"), 0);
        CHECK(sqlite3_get_autocommit(store_db(s)));
        store_close(s);
    }
}

static void test_length_limits_are_bytes(void)
{
    store *s = fresh_store();
    if (!s) { CHECK(0); return; }
    char title[300], json[600], err[512] = "";
    memset(title, 'x', 256);
    title[256] = '\0';
    snprintf(json, sizeof json, "[{\"id\":\"KB-1\",\"title\":\"%s\",\"category\":\"c\","
             "\"body\":\"b\",\"reply\":\"r\"}]", title);
    CHECK_INT(import_text(s, "kb", json, err, sizeof err), 1);
    strcat(title, "x");
    snprintf(json, sizeof json, "[{\"id\":\"KB-2\",\"title\":\"%s\",\"category\":\"c\","
             "\"body\":\"b\",\"reply\":\"r\"}]", title);
    CHECK_INT(import_text(s, "kb", json, err, sizeof err), -1);
    CHECK_STR(err, "kb.json: record 1 (id \"KB-2\"): \"title\" must be at most 256 bytes");
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM kb"), 1);
    store_close(s);
}

static void test_bad_regex_names_the_libc_reason(void)
{
    store *s = fresh_store();
    if (!s) { CHECK(0); return; }
    regex_t re;
    int rc = regcomp(&re, "([0-9]", REG_EXTENDED | REG_ICASE | REG_NOSUB);
    CHECK(rc != 0);
    char why[128], expect[300];
    regerror(rc, &re, why, sizeof why);
    snprintf(expect, sizeof expect, "rules.json: record 2 (id \"R2\"): \"pattern\" is not a valid"
             " regular expression: %s", why);
    char err[512] = "";
    CHECK_INT(import_text(s, "rules", "[{\"id\":\"R1\",\"kind\":\"k\",\"severity\":1,\"match\":\"regex\","
                          "\"pattern\":\"ok\",\"reason\":\"r\"},{\"id\":\"R2\",\"kind\":\"k\",\"severity\":1,"
                          "\"match\":\"regex\",\"pattern\":\"([0-9]\",\"reason\":\"r\"}]",
                          err, sizeof err), -1);
    CHECK_STR(err, expect);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM rules"), 0);
    store_close(s);
}

/* A failed re-import leaves the earlier import exactly as it was. */
static void test_failed_reimport_keeps_old_data(void)
{
    store *s = fresh_store();
    if (!s) { CHECK(0); return; }
    char err[512] = "";
    CHECK_INT(import_file(s, "customers", FIXTURES "/customers.json", err, sizeof err), 2);
    CHECK_INT(import_text(s, "customers", "[{\"id\":\"C-1001\",\"first_name\":\"Changed\","
                          "\"last_name\":\"x\",\"contacts\":[]},{\"id\":\"C-1003\",\"first_name\":"
                          "\"New\",\"last_name\":\"y\"},{\"id\":\"C-1004\",\"first_name\":\"z\"}]",
                          err, sizeof err), -1);
    CHECK_STR(err, "customers.json: record 3 (id \"C-1004\"): \"last_name\" is required");
    CHECK_STR(query_text(s, "SELECT first_name FROM customers WHERE id = 'C-1001'"), "Maria");
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM customers"), 2);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM contacts"), 2);

    /* inside a caller's transaction it is a savepoint: the caller's work survives */
    CHECK_INT(store_begin(s), 0);
    CHECK_INT(store_action_remember(s, "u", "a1", "note", 1), 0);
    CHECK_INT(import_text(s, "kb", "[{\"id\":\"KB-1\"}]", err, sizeof err), -1);
    CHECK_INT(store_commit(s), 0);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM actions"), 1);
    CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM kb"), 0);
    store_close(s);
}

static void test_file_errors(void)
{
    store *s = fresh_store();
    if (!s) { CHECK(0); return; }
    char err[512] = "";
    CHECK_INT(import_file(s, "kb", tmp_path("missing.json"), err, sizeof err), -1);
    char expect[600];
    snprintf(expect, sizeof expect, "%s/missing.json: No such file or directory", tmpdir);
    CHECK_STR(err, expect);

    FILE *f = fopen(tmp_path("broken.json"), "w");
    fputs("[\n  {\"id\": \"KB-1\",\n   \"title\": }\n]\n", f);
    fclose(f);
    CHECK_INT(import_file(s, "kb", tmp_path("broken.json"), err, sizeof err), -1);
    CHECK(strncmp(err, "broken.json:3:", 14) == 0);

    f = fopen(tmp_path("dupkey.json"), "w");
    fputs("[{\"id\": \"KB-1\", \"id\": \"KB-2\"}]", f);
    fclose(f);
    CHECK_INT(import_file(s, "kb", tmp_path("dupkey.json"), err, sizeof err), -1);
    CHECK(strstr(err, "dupkey.json:1:") == err && strstr(err, "duplicate") != NULL);

    CHECK_INT(import_file(s, "kb", tmpdir, err, sizeof err), -1);
    CHECK(strstr(err, "not a regular file") != NULL);

    f = fopen(tmp_path("empty.json"), "w");
    fputs("[]", f);
    fclose(f);
    CHECK_INT(import_file(s, "rules", tmp_path("empty.json"), err, sizeof err), 0);
    store_close(s);
}

/* Every line of the big list of naughty strings as a name: stored, and stored clean. */
static void test_hostile_text_is_cleaned(void)
{
    store *s = fresh_store();
    if (!s) { CHECK(0); return; }
    FILE *f = fopen("../shared/fixtures/blns.txt", "rb");
    CHECK(f != NULL);
    if (!f) { store_close(s); return; }
    json_t *arr = json_array();
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "\n");
        if (len == 0 || len > 256)
            continue;
        json_t *rec = json_object();
        char id[32];
        snprintf(id, sizeof id, "C-%d", ++n);
        json_object_set_new(rec, "id", json_string(id));
        json_object_set_new(rec, "first_name", json_stringn_nocheck(line, len));
        json_object_set_new(rec, "last_name", json_stringn_nocheck("\x1b[31mred\x1b[0m\xff", 14));
        json_object_set_new(rec, "notes", json_stringn_nocheck("a\r\nb\x07\xe2\x80\xae", 9));
        json_array_append_new(arr, rec);
    }
    fclose(f);
    char err[512] = "";
    CHECK_INT(import_json(s, "customers", arr, "blns", err, sizeof err), n);
    CHECK_STR(err, "");
    json_decref(arr);
    CHECK(n > 100);
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_prepare_v2(store_db(s), "SELECT first_name, last_name, notes FROM customers",
                                 -1, &st, NULL), SQLITE_OK);
    int rows = 0, dirty = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        rows++;
        for (int c = 0; c < 2; c++)
            if (!text_is_clean((const char *)sqlite3_column_text(st, c),
                               (size_t)sqlite3_column_bytes(st, c), TEXT_SINGLE_LINE))
                dirty++;
        if (!text_is_clean((const char *)sqlite3_column_text(st, 2),
                           (size_t)sqlite3_column_bytes(st, 2), TEXT_KEEP_NEWLINES))
            dirty++;
    }
    sqlite3_finalize(st);
    CHECK_INT(rows, n);
    CHECK_INT(dirty, 0);
    CHECK_INT(dbquery_int(store_db(s), "SELECT instr(last_name, char(27)) FROM customers LIMIT 1"), 0);
    CHECK_INT(dbquery_int(store_db(s), "SELECT instr(notes, char(10)) > 0 FROM customers LIMIT 1"), 1);
    store_close(s);
}

static void test_import_main_exit_codes(void)
{
    char db[600];
    snprintf(db, sizeof db, "%s/cli.db", tmpdir);
    char *ok[] = { "import", "--db", db, "rules", FIXTURES "/rules.json", NULL };
    char *bad_kind[] = { "import", "--db", db, "orders", FIXTURES "/rules.json", NULL };
    char *bad_file[] = { "import", "--db", db, "kb", FIXTURES "/rules.json", NULL };
    char *missing[] = { "import", "--db", db, "kb", NULL };
    char *unknown_opt[] = { "import", "--frobnicate", "kb", "x.json", NULL };
    /* the CLI writes its lines to stdout/stderr: keep them out of the test log */
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    FILE *sink = fopen("/dev/null", "w");
    dup2(fileno(sink), 1);
    dup2(fileno(sink), 2);
    int rc_ok = import_main(5, ok);
    int rc_kind = import_main(5, bad_kind);
    int rc_file = import_main(5, bad_file);
    int rc_missing = import_main(4, missing);
    int rc_opt = import_main(4, unknown_opt);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    fclose(sink);
    CHECK_INT(rc_ok, 0);
    CHECK_INT(rc_kind, 2);
    CHECK_INT(rc_file, 1);
    CHECK_INT(rc_missing, 2);
    CHECK_INT(rc_opt, 2);
    char err[256];
    store *s = store_open(db, err, sizeof err);
    CHECK(s != NULL);
    if (s) {
        CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM rules"), 3);
        CHECK_INT(dbquery_int(store_db(s), "SELECT count(*) FROM kb"), 0);
        store_close(s);
    }
    CHECK(import_kind_valid("kb"));
    CHECK(!import_kind_valid("KB"));
    CHECK(!import_kind_valid(NULL));
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/agentdesk-test-import-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    RUN(test_customers_valid_and_reimport);
    RUN(test_kb_valid_and_fts_search);
    RUN(test_users_valid);
    RUN(test_rules_valid);
    RUN(test_bad_records_give_exact_messages);
    RUN(test_length_limits_are_bytes);
    RUN(test_bad_regex_names_the_libc_reason);
    RUN(test_failed_reimport_keeps_old_data);
    RUN(test_file_errors);
    RUN(test_hostile_text_is_cleaned);
    RUN(test_import_main_exit_codes);
    nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return check_done("test_import");
}
