/* test_customer.c — the customer event from a real db: profile, history newest first,
 * orders, contact data hidden, the unknown caller; each body valid against the catalogue. */
#include "tests/unit/check.h"
#include "hub/assist/customer.h"
#include "hub/store/import.h"
#include "hub/store/store.h"
#include "proto/codec.h"

#include <stdlib.h>

static const char customers_json[] =
    "[{\"id\":\"C-1\",\"first_name\":\"Maria\",\"last_name\":\"Lopez\",\"tier\":\"gold\",\"since\":\"2019-03-02\","
    "  \"email\":\"maria@example.com\",\"phone\":\"+34 600 123 456\",\"address\":\"1 Calle Mayor\",\"plan\":\"Fibre 500\","
    "  \"language\":\"es\",\"contacts\":["
    "   {\"date\":\"2026-09-01\",\"channel\":\"chat\",\"reason\":\"billing\",\"outcome\":\"resolved\",\"sentiment\":0.2},"
    "   {\"date\":\"2026-11-02\",\"channel\":\"voice\",\"reason\":\"outage\",\"outcome\":\"unresolved\",\"sentiment\":-0.4}],"
    "  \"orders\":[{\"id\":\"#88231\",\"date\":\"2026-10-01\",\"item\":\"Router X\",\"amount\":49.99,\"currency\":\"EUR\",\"status\":\"delivered\"}]},"
    " {\"id\":\"C-2\",\"first_name\":\"Tom\",\"last_name\":\"Brown\",\"tier\":\"standard\",\"since\":\"2024-01-05\","
    "  \"email\":\"\",\"phone\":\"\",\"address\":\"\",\"plan\":\"Basic\",\"language\":\"en\",\"contacts\":[],\"orders\":[]}]";

static bool valid(proto_type type, json_t *body)
{
    proto_event ev = proto_new(type);
    json_object_update(ev.body, body);
    proto_set_int(&ev, "seq", 1);
    proto_set_int(&ev, "ts", 1);
    proto_error err;
    char *frame = proto_encode(&ev, NULL, &err);
    if (!frame)
        fprintf(stderr, "  invalid %s: %s\n", proto_spec(type)->name, err.message);
    free(frame);
    proto_free(&ev);
    return frame != NULL;
}

static store *open_db(void)
{
    char err[256];
    store *s = store_open(":memory:", err, sizeof err);
    json_t *arr = json_loads(customers_json, 0, NULL);
    int n = import_json(s, "customers", arr, "customers.json", err, sizeof err);
    if (n != 2)
        fprintf(stderr, "import: %s\n", err);
    CHECK_INT(n, 2);
    json_decref(arr);
    return s;
}

static void test_known_customer(void)
{
    store *s = open_db();
    char err[256];
    customer_db *c = customer_open(store_db(s), err, sizeof err);
    CHECK(c != NULL);
    customer_profile p;
    json_t *body = customer_body(c, "I-1", "C-1", &p);
    CHECK(p.known);
    CHECK_STR(p.first_name, "Maria");
    CHECK_STR(p.plan, "Fibre 500");
    json_t *cust = json_object_get(body, "customer");
    CHECK_STR(json_string_value(json_object_get(body, "iid")), "I-1");
    CHECK_STR(json_string_value(json_object_get(cust, "name")), "Maria Lopez");
    CHECK_STR(json_string_value(json_object_get(cust, "tier")), "gold");
    CHECK_STR(json_string_value(json_object_get(cust, "since")), "2019-03-02");
    /* partly masked for the agent to confirm (the recording gets tags: test_hub_reveal) */
    CHECK_STR(json_string_value(json_object_get(cust, "email")), "m\u2022\u2022\u2022@example.com");
    CHECK_STR(json_string_value(json_object_get(cust, "phone")), "\u2022\u2022 \u2022\u2022 3456");
    json_t *hist = json_object_get(body, "history");
    CHECK_INT(json_array_size(hist), 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(hist, 0), "date")), "2026-11-02");
    CHECK(json_real_value(json_object_get(json_array_get(hist, 0), "sentiment")) < -0.39);
    json_t *orders = json_object_get(body, "orders");
    CHECK_INT(json_array_size(orders), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(orders, 0), "id")), "#88231");
    CHECK(json_real_value(json_object_get(json_array_get(orders, 0), "amount")) > 49.98);
    CHECK(valid(EV_CUSTOMER, body));
    char *dump = json_dumps(body, 0);
    CHECK(strstr(dump, "maria@example.com") == NULL);
    CHECK(strstr(dump, "600 123") == NULL);
    free(dump);
    json_decref(body);

    body = customer_body(c, "I-2", "C-2", &p);
    cust = json_object_get(body, "customer");
    CHECK_STR(json_string_value(json_object_get(cust, "email")), "");
    CHECK_INT(json_array_size(json_object_get(body, "history")), 0);
    CHECK(valid(EV_CUSTOMER, body));
    json_decref(body);
    customer_close(c);
    store_close(s);
}

static void test_unknown_customer(void)
{
    store *s = open_db();
    char err[256];
    customer_db *c = customer_open(store_db(s), err, sizeof err);
    static const char *const ids[] = {"C-404", "", NULL};
    for (size_t i = 0; i < 3; i++) {
        customer_profile p;
        json_t *body = customer_body(c, "I-9", ids[i], &p);
        CHECK(!p.known);
        json_t *cust = json_object_get(body, "customer");
        CHECK_STR(json_string_value(json_object_get(cust, "name")), CUSTOMER_UNKNOWN_NAME);
        CHECK_STR(json_string_value(json_object_get(cust, "id")), ids[i] ? ids[i] : "");
        CHECK_INT(json_array_size(json_object_get(body, "history")), 0);
        CHECK_INT(json_array_size(json_object_get(body, "orders")), 0);
        CHECK(valid(EV_CUSTOMER, body));
        json_decref(body);
    }
    customer_close(c);
    store_close(s);
}

int main(void)
{
    RUN(test_known_customer);
    RUN(test_unknown_customer);
    return check_done("test_customer");
}
