/* customer.c — the `customer` event from the customers, contacts and orders tables. */
#include "hub/assist/customer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "hub/assist/redact.h"

struct customer_db {
    sqlite3_stmt *profile, *contacts, *orders;
};

static const char profile_sql[] =
    "SELECT id, first_name, last_name, tier, since, email, phone, plan FROM customers WHERE id = ?1";
static const char contacts_sql[] =
    "SELECT date, channel, reason, outcome, sentiment FROM contacts WHERE customer_id = ?1"
    " ORDER BY date DESC, id DESC LIMIT ?2";
static const char orders_sql[] =
    "SELECT id, date, item, amount, currency, status FROM orders WHERE customer_id = ?1"
    " ORDER BY date DESC, id DESC LIMIT ?2";

customer_db *customer_open(sqlite3 *db, char *err, size_t errlen)
{
    customer_db *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "customer: out of memory");
        return NULL;
    }
    if (sqlite3_prepare_v3(db, profile_sql, -1, SQLITE_PREPARE_PERSISTENT, &c->profile, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db, contacts_sql, -1, SQLITE_PREPARE_PERSISTENT, &c->contacts, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db, orders_sql, -1, SQLITE_PREPARE_PERSISTENT, &c->orders, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "customer: %s", sqlite3_errmsg(db));
        customer_close(c);
        return NULL;
    }
    return c;
}

void customer_close(customer_db *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->profile);
    sqlite3_finalize(c->contacts);
    sqlite3_finalize(c->orders);
    free(c);
}

static const char *col(sqlite3_stmt *st, int i)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    return v ? v : "";
}

/* Contact data stays out of durable events in clear: the agent sees it partly masked
 * ("j•••@example.com", "•• •• 0958") to confirm it with the customer, and may reveal it
 * (console `reveal`); recordings get the tags (pipeline_redact). */
static json_t *partly(const char *v, redact_kind kind)
{
    if (!*v)
        return json_string("");
    char *m = redact_partial(v, kind);
    json_t *j = json_string(m);
    free(m);
    return j;
}

json_t *customer_body(customer_db *c, const char *iid, const char *customer_id,
                      customer_profile *profile)
{
    memset(profile, 0, sizeof *profile);
    json_t *history = json_array(), *orders = json_array(), *cust;
    sqlite3_stmt *st = c->profile;
    sqlite3_bind_text(st, 1, customer_id ? customer_id : "", -1, SQLITE_STATIC);
    if (customer_id && *customer_id && sqlite3_step(st) == SQLITE_ROW) {
        profile->known = true;
        text_copy(profile->id, sizeof profile->id, col(st, 0));
        text_copy(profile->first_name, sizeof profile->first_name, col(st, 1));
        text_copy(profile->last_name, sizeof profile->last_name, col(st, 2));
        text_copy(profile->tier, sizeof profile->tier, col(st, 3));
        text_copy(profile->plan, sizeof profile->plan, col(st, 7));
        snprintf(profile->name, sizeof profile->name, "%s%s%s", profile->first_name,
                 *profile->first_name && *profile->last_name ? " " : "", profile->last_name);
        cust = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s}",
                         "id", profile->id, "name", profile->name,
                         "first_name", profile->first_name, "last_name", profile->last_name,
                         "tier", profile->tier, "since", col(st, 4),
                         "email", partly(col(st, 5), REDACT_EMAIL), "phone", partly(col(st, 6), REDACT_PHONE),
                         "plan", profile->plan);
    } else {
        text_copy(profile->id, sizeof profile->id, customer_id ? customer_id : "");
        text_copy(profile->name, sizeof profile->name, CUSTOMER_UNKNOWN_NAME);
        cust = json_pack("{s:s, s:s}", "id", profile->id,
                         "name", CUSTOMER_UNKNOWN_NAME);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);

    if (profile->known) {
        st = c->contacts;
        sqlite3_bind_text(st, 1, profile->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, CUSTOMER_HISTORY_MAX);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(history, json_pack("{s:s, s:s, s:s, s:s, s:f}",
                                  "date", col(st, 0), "channel", col(st, 1), "reason", col(st, 2),
                                  "outcome", col(st, 3), "sentiment", sqlite3_column_double(st, 4)));
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        st = c->orders;
        sqlite3_bind_text(st, 1, profile->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, CUSTOMER_ORDERS_MAX);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(orders, json_pack("{s:s, s:s, s:s, s:f, s:s, s:s}",
                                  "id", col(st, 0), "date", col(st, 1), "item", col(st, 2),
                                  "amount", sqlite3_column_double(st, 3), "currency", col(st, 4),
                                  "status", col(st, 5)));
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    return json_pack("{s:s, s:o, s:o, s:o}", "iid", iid, "customer", cust, "history", history,
                     "orders", orders);
}
