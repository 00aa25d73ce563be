/* suggest_words.h — the content words of an utterance: lowercase ASCII letters and digits
 * (other UTF-8 bytes kept inside a word), stop words and fillers dropped, each word once.
 * Used to query the knowledge base and to pick a summary's keywords. */
#ifndef AGENTDESK_HUB_ASSIST_SUGGEST_WORDS_H
#define AGENTDESK_HUB_ASSIST_SUGGEST_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#define SUGGEST_TERM_LEN 32   /* longer words are cut (a word cut short still matches a prefix) */

/* Writes at most `max` distinct content words of `text` into terms; returns how many. */
int suggest_words_content(const char *text, char terms[][SUGGEST_TERM_LEN], int max);

/* Is `word` (lowercase) a stop word? */
bool suggest_words_is_stop(const char *word);

#endif
