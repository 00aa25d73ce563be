/* pipeline_reveal.c — pipeline_reveal(): the clear value behind one mask of a live or
 * unwrapped interaction (see pipeline_internal.h). A line's values come from the call's
 * in-memory vault; the customer card's e-mail and phone from the customers table, where the
 * CRM keeps them. The value goes back to one connection and nowhere else. */
#include "hub/core/pipeline_state.h"
#include "hub/core/pii_vault.h"
#include "base/mem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The kind's name as the protocol spells it ("email"). */
static const char *kind_word(redact_kind k, char *buf, size_t cap)
{
    const char *n = redact_kind_name(k);
    size_t i = 0;
    for (; n[i] && i + 1 < cap; i++)
        buf[i] = (char)tolower((unsigned char)n[i]);
    buf[i] = 0;
    return buf;
}

static char *contact_field(pipeline *p, const char *customer_id, const char *field)
{
    static const char *const sql[] = {"SELECT email FROM customers WHERE id = ?1",
                                      "SELECT phone FROM customers WHERE id = ?1"};
    bool phone = strcmp(field, "phone") == 0;
    if (!phone && strcmp(field, "email") != 0)
        return NULL;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store_db(p->st), sql[phone], -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_STATIC);
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) && *sqlite3_column_text(st, 0))
        v = mem_strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

char *pipeline_reveal(pipeline *p, const char *iid, const char *uid, const char *field,
                      unsigned index, unsigned *count, const char **kind)
{
    static char kind_buf[16];
    *count = 0;
    live_call *c = iid ? live_find(p->live, iid) : NULL;
    if (!c && iid)
        c = live_find(p->ended, iid);
    if (!c)
        return NULL;
    if (uid) {
        redact_kind k = REDACT_CARD;
        const char *v = pii_vault_get(c->vault, uid, index, count, &k);
        if (!v)
            return NULL;
        *kind = kind_word(k, kind_buf, sizeof kind_buf);
        return mem_strdup(v);
    }
    if (!field || !c->customer_id[0])
        return NULL;
    char *v = contact_field(p, c->customer_id, field);
    if (v) {
        *count = 1;
        *kind = strcmp(field, "phone") == 0 ? "phone" : "email";
    }
    return v;
}
