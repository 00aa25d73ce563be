/* analyze.h — `agentdesk-hub analyze`: the batch face of the assist engine. One utterance a
 * line on `in` -> one JSON object a line on `out`, flushed per line:
 *   {"sentiment":{"score","label","terms"},
 *    "flags":[{"rule","kind","severity","reason","evidence"}],
 *    "suggestions":[{"title","text","source","score"}],
 *    "redacted":"…"}
 * Each line is judged on its own (a fresh flag state per line, as a customer final on a
 * voice call). Lines are cleaned with text_clean; a line longer than ANALYZE_MAX_LINE bytes
 * is cut there (on a UTF-8 boundary) and the rest of it discarded. */
#ifndef AGENTDESK_HUB_ASSIST_ANALYZE_H
#define AGENTDESK_HUB_ASSIST_ANALYZE_H

#include <stdio.h>

#define ANALYZE_MAX_LINE 8192

/* db_path NULL, or a database whose knowledge base is empty: an in-memory database seeded
 * with data_dir/kb.json. Returns the exit status: 0, or 1 with a message on stderr when the
 * engine cannot be set up. */
int analyze_run(const char *db_path, const char *data_dir, FILE *in, FILE *out);

#endif
