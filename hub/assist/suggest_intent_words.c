/* suggest_intent_words.c — the intent model's words: the synonyms table (data/synonyms.tsv)
 * and a text's words folded through it and stemmed (see suggest_intent_words.h). */
#include "hub/assist/suggest_intent_words.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

struct suggest_synonyms {
    char (*word)[INTENT_WORD_MAX];     /* sorted */
    char (*canonical)[INTENT_WORD_MAX];
    size_t n;
};

static int word_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

const char *suggest_intent_canonical(const suggest_synonyms *syn, const char *word)
{
    if (!syn || !syn->n)
        return word;
    const char(*hit)[INTENT_WORD_MAX] = bsearch(word, syn->word, syn->n, sizeof *syn->word, word_cmp);
    return hit ? syn->canonical[hit - syn->word] : word;
}

static bool syn_word(const char *w, size_t n)
{
    if (n == 0 || n >= INTENT_WORD_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= '0' && w[i] <= '9') || w[i] == '-' || w[i] == '.'))
            return false;
    return true;
}

typedef struct {
    char word[INTENT_WORD_MAX], canonical[INTENT_WORD_MAX];
} syn_pair;

static int pair_cmp(const void *a, const void *b)
{
    return strcmp(((const syn_pair *)a)->word, ((const syn_pair *)b)->word);
}

suggest_synonyms *suggest_synonyms_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    syn_pair *pairs = NULL;
    size_t n = 0, cap = 0;
    char line[256];
    int no = 0;
    while (fgets(line, sizeof line, f)) {
        no++;
        size_t len = strcspn(line, "\r\n");
        if (line[len] == 0 && !feof(f)) {
            snprintf(err, errlen, "%s: line %d: longer than %zu bytes", path, no, sizeof line - 2);
            goto fail;
        }
        line[len] = 0;
        if (!len || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab || strchr(tab + 1, '\t') || !syn_word(line, (size_t)(tab - line)) ||
            !syn_word(tab + 1, strlen(tab + 1))) {
            snprintf(err, errlen, "%s: line %d: expected WORD<TAB>CANONICAL, lowercase letters, digits, '-' or '.',"
                     " under %d bytes each", path, no, INTENT_WORD_MAX);
            goto fail;
        }
        *tab = 0;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            pairs = mem_realloc(pairs, cap * sizeof *pairs);
        }
        /* both checked shorter than INTENT_WORD_MAX above */
        memcpy(pairs[n].word, line, strlen(line) + 1);
        memcpy(pairs[n].canonical, tab + 1, strlen(tab + 1) + 1);
        n++;
    }
    fclose(f);
    f = NULL;
    qsort(pairs, n, sizeof *pairs, pair_cmp);
    for (size_t i = 1; i < n; i++)
        if (!strcmp(pairs[i].word, pairs[i - 1].word)) {
            snprintf(err, errlen, "%s: \"%s\" is listed twice", path, pairs[i].word);
            goto fail;
        }
    suggest_synonyms *syn = mem_zalloc(1, sizeof *syn);
    syn->word = mem_alloc((n ? n : 1) * sizeof *syn->word);
    syn->canonical = mem_alloc((n ? n : 1) * sizeof *syn->canonical);
    for (size_t i = 0; i < n; i++) {
        memcpy(syn->word[i], pairs[i].word, INTENT_WORD_MAX);
        memcpy(syn->canonical[i], pairs[i].canonical, INTENT_WORD_MAX);
    }
    syn->n = n;
    free(pairs);
    return syn;
fail:
    if (f)
        fclose(f);
    free(pairs);
    return NULL;
}

void suggest_synonyms_free(suggest_synonyms *syn)
{
    if (!syn)
        return;
    free(syn->word);
    free(syn->canonical);
    free(syn);
}

/* A light suffix stripper in the spirit of Porter's step 1: enough to join "charged",
 * "charges" and "charging", without its tables. */
static void stem(char *w)
{
    size_t n = strlen(w);
    if (n > 4 && !strcmp(w + n - 3, "ies")) {
        strcpy(w + n - 3, "y");
        return;
    }
    if (n > 4 && !strcmp(w + n - 4, "sses")) {
        w[n - 2] = 0;
        return;
    }
    if (n > 5 && !strcmp(w + n - 3, "ing")) {
        w[n - 3] = 0;
        n -= 3;
    } else if (n > 4 && !strcmp(w + n - 2, "ed")) {
        w[n - 2] = 0;
        n -= 2;
    } else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i') {
        w[--n] = 0;
        return;
    } else if (n > 5 && !strcmp(w + n - 2, "ly")) {
        w[n - 2] = 0;
        return;
    } else {
        return;
    }
    /* "charg" -> "charge" would need tables; instead drop a final 'e' everywhere (below) and
     * undouble "stopp" -> "stop" */
    if (n > 3 && w[n - 1] == w[n - 2] && w[n - 1] != 'l' && w[n - 1] != 's' && w[n - 1] != 'z')
        w[n - 1] = 0;
}

static void drop_final_e(char *w)
{
    size_t n = strlen(w);
    if (n > 3 && w[n - 1] == 'e')
        w[n - 1] = 0;
}

int suggest_intent_words(const suggest_synonyms *syn, const char *text, char words[][INTENT_WORD_MAX],
                         char raw[][INTENT_WORD_MAX], int max)
{
    int n = 0;
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    while (*p && n < max) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p >= 0x80))
            p++;
        size_t k = 0;
        while (*p && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                      *p >= 0x80 || *p == '\'' || (*p == '-' && k))) {
            unsigned char c = *p++;
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            if (c != '\'' && k + 1 < INTENT_WORD_MAX)
                words[n][k++] = (char)c;
        }
        words[n][k] = 0;
        /* numbers (card, phone, amounts) say nothing about the topic, and as unseen words
         * they would only lower the cosine */
        if (strspn(words[n], "0123456789") == k)
            continue;
        if (raw)
            memcpy(raw[n], words[n], k + 1);
        const char *canon = suggest_intent_canonical(syn, words[n]);
        if (canon != words[n])
            strcpy(words[n], canon);
        stem(words[n]);
        drop_final_e(words[n]);
        n++;
    }
    return n;
}
