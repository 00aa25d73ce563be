/* dbquery.h — reading a test's database: the first column of the first row of a query. */
#ifndef AGENTDESK_TESTS_DBQUERY_H
#define AGENTDESK_TESTS_DBQUERY_H

#include <stdint.h>
#include <sqlite3.h>

/* The integer of `sql`'s first row and column, or -1 when the query fails or has no row. */
int64_t dbquery_int(sqlite3 *db, const char *sql);

#endif
