/* suggest_words.c — content words for the knowledge-base query and summary keywords.
 * The stop list holds English function words plus the fillers of speech ("um", "yeah")
 * and of contact-centre talk ("hi", "thanks", "please") that would match every article. */
#include "hub/assist/suggest_words.h"

#include <stdlib.h>
#include <string.h>

#include "base/text.h"

static const char *stop_words[] = {
    "a", "about", "above", "actually", "after", "again", "against", "ah", "all", "also", "am",
    "an", "and", "any", "anything", "are", "aren", "aren't", "arent", "as", "at", "back", "be",
    "because", "been", "before", "being", "below", "between", "both", "but", "by", "bye",
    "can", "can't", "cant", "could", "couldn", "couldn't", "couldnt", "did", "didn", "didn't",
    "didnt", "do", "does", "doesn", "doesn't", "doesnt", "doing", "don", "don't", "done", "dont",
    "down", "during", "each",
    "er", "erm", "even", "ever", "every", "few", "fine", "for", "from", "further", "get",
    "gets", "getting", "go", "goes", "going", "gonna", "good", "got", "had", "hadn", "hadn't",
    "has", "hasn", "hasn't", "have", "haven", "haven't", "havent", "having", "he", "hello", "her", "here", "hers",
    "herself", "hey", "hi", "him", "himself", "his", "hmm", "how", "i", "i'd", "i'll", "i'm",
    "i've", "id", "if", "ill", "im", "in", "into", "is", "isn't", "isnt", "it", "it's", "its",
    "isn", "itself", "ive", "just", "know", "let", "let's", "like", "ll", "look", "lot", "make", "many",
    "maybe", "me", "mean", "might", "more", "most", "much", "must", "my", "myself", "need",
    "needs", "no", "nor", "not", "now", "of", "off", "oh", "ok", "okay", "on", "once", "one",
    "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "please",
    "pretty", "quite", "re", "really", "right", "said", "same", "say", "saying", "says", "see", "she", "should",
    "shouldn't", "so", "some", "something", "still", "such", "sure", "take", "tell", "than",
    "thank", "thanks", "that", "that's", "thats", "the", "their", "theirs", "them",
    "themselves", "then", "there", "there's", "these", "they", "they're", "thing", "things",
    "think", "this", "those", "through", "to", "today", "too", "uh", "um", "under", "until",
    "up", "us", "ve", "very", "want", "wanted", "wants", "was", "wasn", "wasn't", "way", "we",
    "we're", "we've", "well", "were", "weren", "weren't", "what", "what's", "when", "where", "which", "while",
    "who", "whom", "why", "will", "with", "won", "won't", "would", "wouldn", "wouldn't", "yeah", "yes", "yet",
    "you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself", "yourselves",
    /* numbers read out ("oh seven seven double oh"): digits, not topics */
    "zero", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "double", "triple",
};

#define NSTOP (sizeof stop_words / sizeof stop_words[0])
static int stop_sorted;

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool suggest_words_is_stop(const char *word)
{
    if (!stop_sorted) {
        qsort(stop_words, NSTOP, sizeof stop_words[0], str_cmp);
        stop_sorted = 1;
    }
    return bsearch(&word, stop_words, NSTOP, sizeof stop_words[0], str_cmp) != NULL;
}

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '\'' || c >= 0x80;
}

int suggest_words_content(const char *text, char terms[][SUGGEST_TERM_LEN], int max)
{
    int n = 0;
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    while (*p && n < max) {
        while (*p && !word_byte(*p))
            p++;
        const unsigned char *w = p;
        while (*p && word_byte(*p))
            p++;
        size_t len = (size_t)(p - w);
        /* apostrophes at the edges are quotes, not part of the word */
        while (len && *w == '\'') {
            w++;
            len--;
        }
        while (len && w[len - 1] == '\'')
            len--;
        if (len < 2)
            continue;
        char word[SUGGEST_TERM_LEN];
        size_t k = 0;
        bool letters = false;
        for (size_t i = 0; i < len && k + 1 < sizeof word; i++) {
            unsigned char c = w[i];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            if ((c >= 'a' && c <= 'z') || c >= 0x80)
                letters = true;
            word[k++] = (char)c;
        }
        k = text_complete_len(word, k);
        word[k] = 0;
        if (k < 2 || (!letters && k < 3) || suggest_words_is_stop(word))
            continue;
        bool dup = false;
        for (int t = 0; t < n && !dup; t++)
            dup = strcmp(terms[t], word) == 0;
        if (!dup)
            memcpy(terms[n++], word, k + 1);
    }
    return n;
}
