/* wordvec.h — pre-trained word vectors (data/wordvec.bin: GloVe-derived, 100 dimensions,
 * int8; written by data/tools/build_word_vectors.py, which documents the layout): the
 * intent model's sense that "spouse" and "wife" are about the same thing when no example
 * shares the customer's word.
 *
 * The file is untrusted input: every size, the word list (sorted, lowercase letters,
 * NUL-ended, exactly the count announced) and the file's length are checked before use; a
 * file failing any check is refused with the reason, never read past its end. */
#ifndef AGENTDESK_HUB_ASSIST_WORDVEC_H
#define AGENTDESK_HUB_ASSIST_WORDVEC_H

#include <stdbool.h>
#include <stddef.h>

#define WORDVEC_DIMS_MAX 300        /* larger files are refused */
#define WORDVEC_FILE_MAX (64u << 20) /* bytes; larger files are refused */

typedef struct wordvec wordvec;

/* The vectors of the file at path; NULL with "PATH: reason" in err. *missing (when not
 * NULL) tells a file that is not there from one that is refused. */
wordvec *wordvec_load(const char *path, bool *missing, char *err, size_t errlen);
void wordvec_free(wordvec *wv);

int wordvec_dims(const wordvec *wv);
size_t wordvec_count(const wordvec *wv);

/* The index of word (lowercase), or -1 when the file has no vector for it. */
int wordvec_find(const wordvec *wv, const char *word);

/* acc[0..dims) += weight x the unit-length vector of word i (an index from wordvec_find). */
void wordvec_add(const wordvec *wv, int i, float weight, float *acc);

#endif
