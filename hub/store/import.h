/* import.h — load customers, knowledge base, users and flag rules from JSON into the store.
 *
 * Formats (docs/DATA.md has the long version):
 *   customers: [{"id","first_name","last_name","tier":"gold|silver|standard","since":"YYYY-MM-DD",
 *                "email","phone","address","plan","language","notes",
 *                "contacts":[{"date","channel":"voice|chat","reason","outcome","sentiment":-1..1}],
 *                "orders":[{"id","date","item","amount","currency","status"}]}]
 *   kb:        [{"id","title","category","body","reply","tags":["refund",…],"boost"}]
 *   users:     [{"name","display_name","role":"agent|supervisor|trainer|ingest","token"}]
 *   rules:     [{"id","kind","severity":1..3,"match":"phrase|regex|computed","pattern",
 *                "params":{…},"reason","speaker":"customer|agent|any"}]
 *              (pattern is required; for "computed" it names the computed rule)
 *   agents:    [{"connect_agent": Amazon Connect agent ARN or user id, "user": an agent or
 *                supervisor}] (hub/store/connect_agent.h; stored by the user id)
 * Unknown fields are ignored, except in agents, where one refuses the record, named. Every record is validated (required fields, types, lengths,
 * enum values, calendar dates, ranges; regex patterns must compile with REG_EXTENDED |
 * REG_ICASE; every rule must also load in the flag engine, flags_load_json), every string
 * is passed through text_clean(), and the first bad record is named in the message, e.g.
 *   customers.json: record 7 (id "C-1007"): "tier" must be one of gold|silver|standard
 *
 * Storage notes for readers of the tables: kb.tags holds the tags joined with ","; a
 * customer's contacts and orders are replaced as a whole on re-import; users keep only the
 * SHA-256 hex of their token; rules.params is compact JSON with sorted keys.
 *
 * A whole file is one transaction (a savepoint when the caller has one open): all records
 * or none. Re-importing upserts by id (users by name); nothing is deleted. */
#ifndef AGENTDESK_HUB_IMPORT_H
#define AGENTDESK_HUB_IMPORT_H

#include <jansson.h>
#include <stddef.h>

#include "hub/store/store.h"

/* KIND is one of these; import_kind_valid() says whether a string is one. */
#define IMPORT_KINDS "customers|kb|users|rules|agents"
int import_kind_valid(const char *kind);

/* Import the JSON array in `path`. Returns the number of records imported, or -1 with a
 * message (single line, cleaned, prefixed by the file's base name) in err. */
int import_file(store *s, const char *kind, const char *path, char *err, size_t errlen);
/* The same, saying in *candidates how many kb records were "status": "candidate": checked
 * like the others but not written (not counted in the result). */
int import_file_counting(store *s, const char *kind, const char *path, int *candidates, char *err,
                         size_t errlen);

/* The same for an array already parsed; `label` prefixes messages ("customers.json").
 * The array is only read. */
int import_json(store *s, const char *kind, json_t *array, const char *label, char *err,
                size_t errlen);

/* `agentdesk-hub import --db FILE KIND FILE.json`: argv[0] is "import". Prints a summary
 * line on stdout or the error on stderr; returns the exit status (0, 1 error, 2 usage). */
int import_main(int argc, char **argv);

#endif
