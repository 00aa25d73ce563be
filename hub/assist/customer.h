/* customer.h — who is calling: the profile, past contacts and recent orders from the store,
 * as the body of a `customer` event, and the fields replies are filled with.
 *
 * The e-mail and phone of the profile are sent partly masked ("j•••@example.com",
 * "•• •• 0958"): the event is durable; its recording gets "[EMAIL]" / "[PHONE]"
 * (pipeline_redact), and the owner's console may ask for the value in clear (`reveal`). */
#ifndef AGENTDESK_HUB_ASSIST_CUSTOMER_H
#define AGENTDESK_HUB_ASSIST_CUSTOMER_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include <sqlite3.h>

#define CUSTOMER_HISTORY_MAX 10   /* most recent contacts sent */
#define CUSTOMER_ORDERS_MAX 10    /* most recent orders sent */
#define CUSTOMER_UNKNOWN_NAME "Unknown caller"

typedef struct customer_db customer_db;

typedef struct {
    bool known;
    char id[128], name[256], first_name[128], last_name[128], tier[32], plan[128];
} customer_profile;

customer_db *customer_open(sqlite3 *db, char *err, size_t errlen);
void customer_close(customer_db *c);

/* The `customer` event body {iid, customer, history, orders} for customer_id (NULL or an
 * unknown id gives {id, name:"Unknown caller"} and empty arrays); fills *profile. */
json_t *customer_body(customer_db *c, const char *iid, const char *customer_id,
                      customer_profile *profile);

#endif
