/* suggest_intent_words.h — the words the intent model (suggest_intent.h) is built on: the
 * synonyms and abbreviations table (data/synonyms.tsv) and a text's words, lowercased, folded
 * through it and stemmed. */
#ifndef AGENTDESK_HUB_ASSIST_SUGGEST_INTENT_WORDS_H
#define AGENTDESK_HUB_ASSIST_SUGGEST_INTENT_WORDS_H

#include <stddef.h>

#define INTENT_WORD_MAX 32   /* bytes of a word, its terminator included: longer words are cut */

typedef struct suggest_synonyms suggest_synonyms;

/* The synonyms table: lines "word<TAB>canonical" (lowercase ASCII letters, digits, '-' and
 * '.'), '#' comments and blank lines skipped. NULL with "PATH: line N: reason" in err. */
suggest_synonyms *suggest_synonyms_load(const char *path, char *err, size_t errlen);
void suggest_synonyms_free(suggest_synonyms *syn);

/* A word's canonical form through syn ("bill" for "invoice"); the word itself when it has
 * none or syn is NULL. */
const char *suggest_intent_canonical(const suggest_synonyms *syn, const char *word);

/* Lowercased ASCII words (other UTF-8 bytes kept inside a word; numbers left out), folded
 * through syn and stemmed; raw (when not NULL) gets each as written, lowercased. At most
 * `max`; returns how many. */
int suggest_intent_words(const suggest_synonyms *syn, const char *text, char words[][INTENT_WORD_MAX],
                         char raw[][INTENT_WORD_MAX], int max);

#endif
