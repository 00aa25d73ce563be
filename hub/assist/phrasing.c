/* phrasing.c — the example-phrasing model of flag rules (see phrasing.h).
 *
 * Terms are 32-bit hashes: a stemmed content word, "not" for every negator, a class name for
 * a word of that class instead of the word (classes are synonym sets: "superior" counts as
 * "senior", "vodafone" as "competitor"), and the bigram of two neighbouring terms. The index is one array of
 * (term, example, weight) postings sorted by term: scoring an utterance looks each of its
 * distinct terms up by binary search and adds the weight to that example's sum. */
#include "hub/assist/phrasing.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/strhash.h"

#define MAX_EXAMPLES 2048
#define MAX_EXAMPLE_TERMS 48
#define MAX_UTTERANCE_WORDS 384
#define MAX_UTTERANCE_TERMS (2 * MAX_UTTERANCE_WORDS)
#define MAX_CLASS_WORDS 1024
#define WORD_CAP 48
#define NEGATION_REACH 3      /* words before a matched word that can negate it */
#define NEGATED_FACTOR 0.5
/* An example whose object is the speaker ("nobody would miss me", "put me through") scored
 * against an utterance with no first-person word at all counts this much: the pronoun is a
 * stopword, so without this "nobody missed the payment" matched "nobody would miss me" in
 * full and raised a possible self-harm flag. Only the object: a subject is often left out
 * in speech ("recently widowed and struggling to cope"). Flags dev: no figure changes. */
#define SELF_FACTOR 0.5
/* A bigram's idf is scaled by this: at full weight a rare pair counted as much as a rare
 * word, and as every pair of an example is rarer than its words, a rephrasing that kept an
 * example's words but not their neighbours lost most of its score (flags dev: micro recall
 * 0.87 -> 0.88, precision unchanged; 0.3 and 0.7 the same) */
#define BIGRAM_WEIGHT 0.5f
#define BIGRAM_BIT 0x80000000u   /* set in bigram terms, clear in word terms */

typedef struct {
    size_t rule;
    bool counter;
    char *text;               /* normalised; split into terms by phrasing_finish */
    bool negated;             /* the example itself holds a negator */
    bool self;                /* the example itself holds me, myself, us or ourselves */
    uint32_t terms[MAX_EXAMPLE_TERMS];   /* sorted, distinct */
    int nterms;
    double total;             /* sum of its terms' weights */
} example;

typedef struct {
    uint32_t term;
    uint32_t example;
    float weight;
} posting;

typedef struct {
    uint32_t word, cls;
} class_word;

/* What a short word is to split_words (STOP, NEGATOR, SELF, SELF_OBJECT bits), by hash:
 * one lookup a word instead of a binary search in each of four lists. */
#define KIND_SLOTS 512
#define KIND_WORD 12    /* longer than any word of the lists */
enum { STOP = 1, NEGATOR = 2, SELF = 4, SELF_OBJECT = 8 };

typedef struct {
    char w[KIND_WORD];  /* "" empty */
    unsigned kind;
} kind_slot;

struct phrasing {
    kind_slot kinds[KIND_SLOTS];
    example *ex;
    size_t n, cap;
    class_word classes[MAX_CLASS_WORDS];
    size_t nclasses;
    posting *post;
    size_t npost;
};

/* One word of an utterance: where it is in the normalised text, and its terms. */
typedef struct {
    size_t from, to;
    uint32_t term;            /* 0: a stopword (no term); a class member's is its class */
    bool negator;
    bool self;                /* a first-person word: i, me, my, myself, ... */
    bool self_object;         /* one as an object: me, myself, us, ourselves */
} word;

static const char *const stopwords[] = {
    "a", "about", "actually", "again", "also", "am", "an", "and", "anybody", "anyone",
    "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does",
    "even", "for", "from", "had", "has", "have", "he", "her", "here", "him", "his", "i",
    "id", "if", "ill", "im", "in", "is", "it", "its", "ive", "just", "kind", "me",
    "my", "now", "of", "oh", "ok", "okay", "on", "or", "our", "please", "really", "right",
    "she", "so", "somebody", "someone", "still", "that", "the", "their", "them", "then",
    "there", "they", "this", "to", "uh", "um", "us", "was", "we", "well", "were", "what",
    "which", "whoever", "will", "with", "would", "you", "your", "youre",
};

static const char *const negators[] = {
    "arent", "cannot", "cant", "couldnt", "didnt", "doesnt", "dont", "hasnt", "havent",
    "isnt", "neednt", "neither", "never", "nobody", "noone", "nor", "not", "nothing", "nowhere",
    "shouldnt", "wasnt", "werent", "without", "wont", "wouldnt",
};

static const char *const first_person[] = {
    "i", "id", "ill", "im", "ive", "me", "mine", "my", "myself", "our", "ours", "ourselves", "us", "we",
    "weve",
};

static const char *const first_person_object[] = {"me", "myself", "ourselves", "us"};

static size_t kind_at(const phrasing *p, const char *w, size_t n)
{
    size_t i = strhash_fnv1a64(STRHASH64_SEED, w, n) & (KIND_SLOTS - 1);
    while (p->kinds[i].w[0] && (strncmp(p->kinds[i].w, w, KIND_WORD) != 0))
        i = (i + 1) & (KIND_SLOTS - 1);
    return i;
}

/* The lists' bits of w (n bytes, NUL-terminated): as in_list would say of each list. */
static unsigned word_kind(const phrasing *p, const char *w, size_t n)
{
    return n < KIND_WORD ? p->kinds[kind_at(p, w, n)].kind : 0;
}

static void add_kinds(phrasing *p, const char *const *list, size_t n, unsigned kind)
{
    for (size_t i = 0; i < n; i++) {
        kind_slot *k = &p->kinds[kind_at(p, list[i], strlen(list[i]))];
        memcpy(k->w, list[i], strlen(list[i]) + 1);
        k->kind |= kind;
    }
}

static bool ends_with(const char *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n > k && memcmp(w + n - k, suffix, k) == 0;
}

static bool vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* A light English stemmer, the same on both sides, so "cancelling", "cancelled" and
 * "cancels" meet at "cancel" and "struggling" at "struggl". Not Porter: only the inflections
 * that rephrasing changes most. */
static size_t stem(char *w, size_t n)
{
    if (n > 4 && ends_with(w, n, "ies"))
        return w[n - 3] = 'y', n - 2;
    if (n > 5 && ends_with(w, n, "ing"))
        n -= 3;
    else if (n > 4 && ends_with(w, n, "ed"))
        n -= 2;
    else if (n > 4 && ends_with(w, n, "ly"))
        n -= 2;
    else if (n > 4 && (ends_with(w, n, "ches") || ends_with(w, n, "shes") || ends_with(w, n, "xes")))
        n -= 2;
    else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u')
        n -= 1;
    else
        return n;
    /* cancell -> cancel, stopp -> stop */
    if (n > 3 && w[n - 1] == w[n - 2] && !vowel(w[n - 1]) && w[n - 1] != 's')
        n--;
    /* a trailing e is dropped everywhere so "charge" meets "charged" and "charging" */
    if (n > 3 && w[n - 1] == 'e')
        n--;
    w[n] = 0;
    return n;
}

static uint32_t term_of(const char *s)
{
    uint32_t h = strhash_fnv1a(s) & ~BIGRAM_BIT;
    return h ? h : 1;   /* 0 means "no term" */
}

static uint32_t bigram(uint32_t a, uint32_t b)
{
    uint32_t h = (a * 0x9E3779B1u) ^ (b + 0x7F4A7C15u + (a << 6) + (a >> 2));
    return h | BIGRAM_BIT;
}

static uint32_t not_term(void)
{
    return term_of("not");
}

static int cmp_class(const void *a, const void *b)
{
    uint32_t x = ((const class_word *)a)->word, y = ((const class_word *)b)->word;
    return x < y ? -1 : x > y;
}

/* classes[] is sorted by word once phrasing_finish ran. bsearch's own steps (glibc's), so a
 * word in two classes still finds the one it found, without a call a step. */
static uint32_t class_of(const phrasing *p, uint32_t word_term)
{
    size_t lo = 0, hi = p->nclasses;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint32_t w = p->classes[mid].word;
        if (word_term < w)
            hi = mid;
        else if (word_term > w)
            lo = mid + 1;
        else
            return p->classes[mid].cls;
    }
    return 0;
}

/* The words of a normalised text with their terms; returns how many (at most cap). */
static size_t split_words(const phrasing *p, const char *norm, word *out, size_t cap)
{
    size_t n = 0;
    const char *s = norm;
    while (*s && n < cap) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        const char *e = s;
        while (*e && *e != ' ')
            e++;
        size_t len = (size_t)(e - s);
        word *w = &out[n++];
        memset(w, 0, sizeof *w);
        w->from = (size_t)(s - norm);
        w->to = (size_t)(e - norm);
        if (len < WORD_CAP) {
            char buf[WORD_CAP];
            memcpy(buf, s, len);
            buf[len] = 0;
            unsigned kind = word_kind(p, buf, len);
            w->self = kind & SELF;
            w->self_object = kind & SELF_OBJECT;
            bool no_one = !strcmp(buf, "no") && !strncmp(e, " one", 4) && (e[4] == ' ' || !e[4]);
            if (no_one) {
                e += 4;   /* "no one" is one word, as "noone" and "nobody" are */
                w->to = (size_t)(e - norm);
            }
            if (no_one || (kind & NEGATOR)) {
                w->negator = true;
                w->term = not_term();
            } else if (!(kind & STOP)) {
                stem(buf, len);
                w->term = term_of(buf);
                uint32_t cls = class_of(p, w->term);
                if (cls)
                    w->term = cls;   /* a synonym counts as its class, on both sides */
            }
        } else {
            w->term = term_of("\x01long");   /* a 48+ byte "word" is noise: one term for all */
        }
        s = e;
    }
    return n;
}

/* The terms of a word list: each word's term, and the bigram of each two
 * neighbouring terms (stopwords skipped). pos[] is the index of the word a term came from. */
static size_t terms_of(const word *w, size_t nw, uint32_t *terms, size_t *pos, size_t cap)
{
    size_t n = 0;
    uint32_t prev = 0;
    for (size_t i = 0; i < nw && n + 2 <= cap; i++) {
        if (!w[i].term)
            continue;
        terms[n] = w[i].term, pos[n++] = i;
        if (prev)
            terms[n] = bigram(prev, w[i].term), pos[n++] = i;
        prev = w[i].term;
    }
    return n;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static size_t sort_distinct(uint32_t *t, size_t n)
{
    /* an utterance's few dozen terms: an insertion sort beats qsort's call a compare */
    if (n <= 128) {
        for (size_t i = 1; i < n; i++) {
            uint32_t v = t[i];
            size_t j = i;
            for (; j > 0 && t[j - 1] > v; j--)
                t[j] = t[j - 1];
            t[j] = v;
        }
    } else {
        qsort(t, n, sizeof *t, cmp_u32);
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || t[k - 1] != t[i])
            t[k++] = t[i];
    return k;
}

phrasing *phrasing_new(void)
{
    phrasing *p = mem_zalloc(1, sizeof(phrasing));
    add_kinds(p, stopwords, sizeof stopwords / sizeof stopwords[0], STOP);
    add_kinds(p, negators, sizeof negators / sizeof negators[0], NEGATOR);
    add_kinds(p, first_person, sizeof first_person / sizeof first_person[0], SELF);
    add_kinds(p, first_person_object, sizeof first_person_object / sizeof first_person_object[0], SELF_OBJECT);
    return p;
}

void phrasing_free(phrasing *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->ex[i].text);
    free(p->ex);
    free(p->post);
    free(p);
}

int phrasing_add_class(phrasing *p, const char *name, const char *word_text)
{
    if (p->nclasses == MAX_CLASS_WORDS || !*name || !*word_text)
        return -1;
    char cls[WORD_CAP], w[WORD_CAP];
    size_t n = strlen(name), k = strlen(word_text);
    if (n >= WORD_CAP || k >= WORD_CAP)
        return -1;
    memcpy(cls, name, n + 1);
    memcpy(w, word_text, k + 1);
    stem(cls, n);   /* both are matched as words, so stemmed like words */
    stem(w, k);
    p->classes[p->nclasses].word = term_of(w);
    p->classes[p->nclasses].cls = term_of(cls);
    p->nclasses++;
    return 0;
}

/* An example's terms; classes must be known (they are all added before phrasing_finish). */
static size_t example_terms(const phrasing *p, example *e)
{
    word w[MAX_EXAMPLE_TERMS];
    size_t nw = split_words(p, e->text, w, MAX_EXAMPLE_TERMS / 2);
    size_t pos[MAX_EXAMPLE_TERMS];
    e->nterms = (int)sort_distinct(e->terms, terms_of(w, nw, e->terms, pos, MAX_EXAMPLE_TERMS));
    e->negated = false;
    e->self = false;
    for (size_t i = 0; i < nw; i++) {
        e->negated |= w[i].negator;
        e->self |= w[i].self_object;
    }
    return (size_t)e->nterms;
}

int phrasing_add(phrasing *p, size_t rule, bool counter, const char *norm)
{
    if (p->n == MAX_EXAMPLES)
        return -1;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->ex = mem_realloc(p->ex, p->cap * sizeof *p->ex);
    }
    example *e = &p->ex[p->n];
    memset(e, 0, sizeof *e);
    e->rule = rule;
    e->counter = counter;
    e->text = mem_strdup(norm);
    if (example_terms(p, e) == 0) {   /* classes only rename words: the count holds */
        free(e->text);
        return -1;
    }
    p->n++;
    return 0;
}

static int cmp_posting(const void *a, const void *b)
{
    const posting *x = a, *y = b;
    if (x->term != y->term)
        return x->term < y->term ? -1 : 1;
    return x->example < y->example ? -1 : x->example > y->example;
}

/* idf over the examples: a term in every example weighs little, one in a single example much */
void phrasing_finish(phrasing *p)
{
    qsort(p->classes, p->nclasses, sizeof *p->classes, cmp_class);
    size_t total = 0;
    for (size_t i = 0; i < p->n; i++)
        total += example_terms(p, &p->ex[i]);
    free(p->post);
    p->post = mem_alloc((total ? total : 1) * sizeof *p->post);
    p->npost = 0;
    for (size_t i = 0; i < p->n; i++)
        for (int k = 0; k < p->ex[i].nterms; k++)
            p->post[p->npost++] = (posting){.term = p->ex[i].terms[k], .example = (uint32_t)i};
    qsort(p->post, p->npost, sizeof *p->post, cmp_posting);
    for (size_t i = 0; i < p->npost;) {
        size_t j = i;
        while (j < p->npost && p->post[j].term == p->post[i].term)
            j++;
        float idf = (float)log(((double)p->n + 1.0) / ((double)(j - i) + 0.5));
        if (idf < 0.1f)
            idf = 0.1f;
        if (p->post[i].term & BIGRAM_BIT)
            idf *= BIGRAM_WEIGHT;
        for (size_t k = i; k < j; k++)
            p->post[k].weight = idf;
        i = j;
    }
    for (size_t i = 0; i < p->n; i++)
        p->ex[i].total = 0;
    for (size_t k = 0; k < p->npost; k++)
        p->ex[p->post[k].example].total += p->post[k].weight;
}

size_t phrasing_count(const phrasing *p)
{
    return p ? p->n : 0;
}

/* e->terms is sorted and distinct; searched inline (bsearch's call a step was a tenth of the
 * scoring of a long utterance) */
static bool example_has(const example *e, uint32_t term)
{
    size_t lo = 0, hi = (size_t)e->nterms;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (term < e->terms[mid])
            hi = mid;
        else if (term > e->terms[mid])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* The span of the words that matched e, and whether one of them is negated in the
 * utterance when e is not. */
static void place(const example *e, const word *w, const uint32_t *terms, const size_t *pos,
                  size_t nt, phrasing_hit *hit, bool *negated)
{
    size_t first = SIZE_MAX, last = 0;
    *negated = false;
    for (size_t i = 0; i < nt; i++) {
        if (!example_has(e, terms[i]) || w[pos[i]].negator)
            continue;
        size_t at = pos[i];
        first = at < first ? at : first;
        last = at > last ? at : last;
        for (size_t k = 1; k <= NEGATION_REACH && k <= at && !e->negated; k++)
            *negated |= w[at - k].negator;
    }
    if (first == SIZE_MAX) {
        hit->from = hit->to = 0;
        return;
    }
    hit->from = w[first].from;
    hit->to = w[last].to;
}

void phrasing_score(const phrasing *p, const char *norm, phrasing_hit *best, double *counter,
                    size_t nrules)
{
    for (size_t r = 0; r < nrules; r++) {
        best[r] = (phrasing_hit){.example = -1};
        counter[r] = 0;
    }
    if (!p || p->n == 0 || !norm)
        return;
    word w[MAX_UTTERANCE_WORDS];
    size_t nw = split_words(p, norm, w, MAX_UTTERANCE_WORDS);
    uint32_t terms[MAX_UTTERANCE_TERMS], distinct[MAX_UTTERANCE_TERMS];
    size_t pos[MAX_UTTERANCE_TERMS];
    size_t nt = terms_of(w, nw, terms, pos, MAX_UTTERANCE_TERMS);
    memcpy(distinct, terms, nt * sizeof *terms);
    size_t nd = sort_distinct(distinct, nt);

    bool utterance_negated = false, utterance_self = false;
    for (size_t i = 0; i < nw; i++) {
        utterance_negated |= w[i].negator;
        utterance_self |= w[i].self;
    }
    float sum[MAX_EXAMPLES];
    memset(sum, 0, p->n * sizeof *sum);
    for (size_t i = 0; i < nd; i++) {
        size_t lo = 0, hi = p->npost;
        while (lo < hi) {   /* first posting of the term */
            size_t mid = (lo + hi) / 2;
            if (p->post[mid].term < distinct[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < p->npost && p->post[lo].term == distinct[i]; lo++)
            sum[p->post[lo].example] += p->post[lo].weight;
    }
    for (size_t i = 0; i < p->n; i++) {
        const example *e = &p->ex[i];
        if (sum[i] <= 0 || e->rule >= nrules)
            continue;
        double score = sum[i] / e->total;
        if (e->counter) {
            if (score > counter[e->rule])
                counter[e->rule] = score;
            continue;
        }
        if (score <= best[e->rule].score * 0.999)   /* ties: the placed (earlier) one stays */
            continue;
        phrasing_hit hit = {.score = score, .example = (int)i};
        bool negated;
        place(e, w, terms, pos, nt, &hit, &negated);
        /* "I never signed up for this" is no example for "sign me up" */
        if (negated || (e->negated && !utterance_negated))
            hit.score *= NEGATED_FACTOR;
        /* "nobody would miss me" is about the speaker, "nobody missed the payment" is not */
        if (e->self && !utterance_self)
            hit.score *= SELF_FACTOR;
        if (hit.score > best[e->rule].score)
            best[e->rule] = hit;
    }
}
