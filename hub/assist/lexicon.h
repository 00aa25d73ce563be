/* lexicon.h — a string -> number table for word lists (sentiment lexicon, phrases, boosters,
 * negators), and the line reader for the small TSV files in data/lexicon/.
 *
 * Open addressing with linear probing over FNV-1a hashes; keys are copied into one arena, so
 * a lookup costs a hash and usually one compare, and allocates nothing. Keys are byte strings
 * compared exactly: callers normalise (lowercase, ...) before put and get alike.
 * The first value put for a key wins unless lexicon_set replaces it. */
#ifndef AGENTDESK_HUB_ASSIST_LEXICON_H
#define AGENTDESK_HUB_ASSIST_LEXICON_H

#include <stdbool.h>
#include <stddef.h>

#define LEXICON_MAX_KEY 255
#define LEXICON_MAX_FIELDS 12

typedef struct lexicon lexicon;

lexicon *lexicon_new(void);
void lexicon_free(lexicon *lx);
/* Adds key -> value unless the key is present. 1 added, 0 already there, -1 out of memory
 * or key longer than LEXICON_MAX_KEY. */
int lexicon_put(lexicon *lx, const char *key, size_t len, double value);
/* Adds or replaces. 0 on success, -1 as above. */
int lexicon_set(lexicon *lx, const char *key, size_t len, double value);
bool lexicon_get(const lexicon *lx, const char *key, size_t len, double *value);
size_t lexicon_count(const lexicon *lx);
/* Calls fn for every key, in no particular order. */
void lexicon_each(const lexicon *lx, void (*fn)(void *ctx, const char *key, size_t len, double value),
                  void *ctx);

/* Reads PATH line by line: blank lines and lines starting with '#' are skipped, a trailing
 * CR is dropped, each line is split on TABs (at most LEXICON_MAX_FIELDS fields) and handed to fn with its
 * line number. fn returns 0 to go on, non-zero to stop (its message already in err).
 * Returns 0, or -1 with err filled (file unreadable, line over 4 KiB, fn failed). */
typedef int (*lexicon_line_fn)(void *ctx, char **fields, int nfields, int lineno,
                               char *err, size_t errlen);
int lexicon_read_tsv(const char *path, lexicon_line_fn fn, void *ctx, char *err, size_t errlen);

#endif
