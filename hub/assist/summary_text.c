/* summary_text.c — the sentences a summary is made of (see summary_text.h). A line is cut
 * into sentences, a sentence into words (letters, digits, apostrophes and inner hyphens; a
 * redaction tag "[CARD]" is one word), and what the summary says is rebuilt from the
 * original bytes of a run of words, with the pronouns turned to the third person. */
#include "hub/assist/summary_text.h"
#include "hub/assist/suggest_words.h"
#include "base/text.h"

#include <stdio.h>
#include <string.h>

#define MAX_TOKS 128
#define WORD_LEN 24
#define REASON_LONG 60   /* bytes: a reason sentence longer than this is cut to a clause */

typedef struct {
    size_t s, e;          /* bytes of the word in the sentence's line */
    char w[WORD_LEN];     /* lowercase, ’ as ' (cut when longer) */
} tok;

typedef struct {
    const char *src;
    tok t[MAX_TOKS];
    int n;
    bool question;
} sentence;

static size_t char_len(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static bool alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Does the character at i belong to a word? Letters and digits of any script; an
 * apostrophe (' or ’) or a hyphen between two of them. Punctuation of Latin-1 (C2 xx: « ° £)
 * and of U+2000..U+206F (E2 80/81 xx: – … “) is not. */
static bool word_char(const char *s, size_t i, size_t end, bool inside)
{
    unsigned char c = (unsigned char)s[i];
    if (alnum(c))
        return true;
    size_t next = i + 1;
    bool quote = c == '\'';
    if (c == 0xE2 && i + 2 < end && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x99) {
        quote = true;
        next = i + 3;
    }
    if (quote || c == '-')
        return inside && next < end && (alnum((unsigned char)s[next]) || (unsigned char)s[next] >= 0xC3);
    if (c == 0xC2 || (c == 0xE2 && i + 1 < end && ((unsigned char)s[i + 1] == 0x80 || (unsigned char)s[i + 1] == 0x81)))
        return false;
    return c >= 0xC3;
}

/* The words of s[from, to). */
static void tokenize(const char *s, size_t from, size_t to, sentence *out)
{
    out->src = s;
    out->n = 0;
    size_t i = from;
    while (i < to && out->n < MAX_TOKS) {
        if (s[i] == '[') {
            const char *close = memchr(s + i, ']', to - i);
            if (close) {
                tok *t = &out->t[out->n++];
                t->s = i;
                t->e = (size_t)(close - s) + 1;
                text_copy(t->w, sizeof t->w, "[tag]");
                i = t->e;
                continue;
            }
        }
        if (!word_char(s, i, to, false)) {
            i += char_len((unsigned char)s[i]);
            continue;
        }
        tok *t = &out->t[out->n++];
        t->s = i;
        size_t k = 0;
        while (i < to && word_char(s, i, to, true)) {
            unsigned char c = (unsigned char)s[i];
            size_t cl = char_len(c);
            if (c == 0xE2) {          /* ’ */
                if (k + 1 < WORD_LEN)
                    t->w[k++] = '\'';
            } else if (k + cl < WORD_LEN) {
                for (size_t b = 0; b < cl; b++)
                    t->w[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : (unsigned char)s[i + b]);
            }
            i += cl;
        }
        t->w[k] = 0;
        t->e = i < to ? i : to;
    }
}

/* The sentences of line: ends at . ? ! followed by a space or the end (not 49.99). */
static int split(const char *line, size_t spans[][2], int max)
{
    int n = 0;
    size_t len = strlen(line), start = 0;
    for (size_t i = 0; i <= len && n < max; i++) {
        bool end = i == len || ((line[i] == '.' || line[i] == '?' || line[i] == '!') &&
                                (i + 1 == len || line[i + 1] == ' '));
        if (!end)
            continue;
        size_t e = i < len ? i + 1 : i;
        while (start < e && line[start] == ' ')
            start++;
        if (e > start) {
            spans[n][0] = start;
            spans[n][1] = e;
            n++;
        }
        start = e;
    }
    return n;
}

static bool is(const tok *t, const char *w) { return !strcmp(t->w, w); }

static bool one_of(const tok *t, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(t->w, *list))
            return true;
    return false;
}

/* ---- rendering in the third person ------------------------------------------------------ */

typedef enum { BY_AGENT, BY_CUSTOMER } voice;

static const char *const subject_before[] = {
    "and", "but", "so", "if", "when", "that", "because", "or", "then", "as", "unless", "until",
    "once", "while", NULL
};

/* The third-person form of word k of s as `who` said it, or NULL to keep it. */
static const char *shift(const sentence *s, int k, int from, voice who)
{
    const tok *t = &s->t[k];
    bool subject = k == from || one_of(&s->t[k - 1], subject_before);
    if (who == BY_CUSTOMER) {
        static const char *const map[][2] = {
            {"i", "they"}, {"i'm", "they're"}, {"im", "they're"}, {"i've", "they've"}, {"ive", "they've"},
            {"i'll", "they'll"}, {"i'd", "they'd"}, {"me", "them"}, {"my", "their"}, {"mine", "theirs"},
            {"myself", "themselves"}, {"your", "our"}, {"yours", "ours"}, {"you're", "we're"},
            {"you've", "we've"}, {"you'll", "we'll"}, {"you'd", "we'd"},
        };
        for (size_t m = 0; m < sizeof map / sizeof map[0]; m++)
            if (is(t, map[m][0]))
                return map[m][1];
        if (is(t, "you"))
            return subject ? "we" : "us";
        if (k > from && is(&s->t[k - 1], "i") && (is(t, "am") || is(t, "was")))
            return is(t, "am") ? "are" : "were";
        return NULL;
    }
    static const char *const map[][2] = {
        {"your", "their"}, {"yours", "theirs"}, {"yourself", "themselves"}, {"you're", "they're"},
        {"youre", "they're"}, {"you've", "they've"}, {"you'll", "they'll"}, {"youll", "they'll"},
        {"you'd", "they'd"}, {"myself", "personally"}, {"i", "the agent"}, {"me", "the agent"},
        {"my", "the agent's"},
    };
    for (size_t m = 0; m < sizeof map / sizeof map[0]; m++)
        if (is(t, map[m][0]))
            return map[m][1];
    if (is(t, "you"))
        return subject ? "they" : "them";
    return NULL;
}

typedef struct {
    char *buf;
    size_t len, cap;
    bool cut;
} out_buf;

static void put(out_buf *o, const char *s, size_t n)
{
    if (o->cut)
        return;
    if (o->len + n + 1 > o->cap) {
        o->cut = true;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = 0;
}

static void puts_(out_buf *o, const char *s) { put(o, s, strlen(s)); }

/* Words [from, to) of s as `who` said them, in the third person, their bytes between kept;
 * a phrase too long for o ends with "…" after its last whole word. */
static void render(const sentence *s, int from, int to, voice who, out_buf *o)
{
    size_t start = o->len;
    for (int k = from; k < to; k++) {
        size_t before = o->len;
        if (k > from)
            put(o, s->src + s->t[k - 1].e, s->t[k].s - s->t[k - 1].e);
        const char *w = shift(s, k, from, who);
        if (w)
            puts_(o, w);
        else
            put(o, s->src + s->t[k].s, s->t[k].e - s->t[k].s);
        if (o->cut) {
            o->len = before > start ? before : start;
            o->buf[o->len] = 0;
            o->cut = false;
            puts_(o, "…");
            o->cut = true;
            return;
        }
    }
}

/* Lowercases the first letter of what o holds from `at`, unless the second one is a capital
 * too ("TV") or it is the word "I". */
static void lower_first(out_buf *o, size_t at)
{
    char *p = o->buf + at;
    if (p[0] >= 'A' && p[0] <= 'Z' && !(p[1] >= 'A' && p[1] <= 'Z') && !(p[0] == 'I' && (p[1] == ' ' || p[1] == '\'')))
        p[0] = (char)(p[0] + 32);
}

/* ---- clauses ------------------------------------------------------------------------------ */

static const char *const clause_words[] = {
    "but", "so", "because", "which", "while", "although", "though", "once", "if", "when",
    "unless", NULL
};
static const char *const pronouns[] = {
    "i", "we", "you", "it", "they", "this", "that", "there", "i'll", "i've", "i'm", "we'll", "we've", "you'll", "it'll",
    "it's", "that's", "there's", "they'll", "ill", "ive", "im", NULL
};

/* Where the clause that word k is in ends: at punctuation between words, a conjunction that
 * starts a clause, or "and" followed by a new subject. */
static int clause_end(const sentence *s, int k)
{
    for (int j = k + 1; j < s->n; j++) {
        for (size_t b = s->t[j - 1].e; b < s->t[j].s; b++)
            if (strchr(",;:()\"", s->src[b]) || (s->src[b] == '-' && s->src[b + 1] == ' '))
                return j;
        if (one_of(&s->t[j], clause_words))
            return j;
        if (is(&s->t[j], "and") && j + 1 < s->n && one_of(&s->t[j + 1], pronouns))
            return j;
    }
    return s->n;
}

static int clause_start(const sentence *s, int k)
{
    for (int j = k; j > 0; j--) {
        for (size_t b = s->t[j - 1].e; b < s->t[j].s; b++)
            if (strchr(",;:()\"", s->src[b]))
                return j;
        if (one_of(&s->t[j - 1], clause_words))
            return j;
        if (is(&s->t[j - 1], "and") && one_of(&s->t[j], pronouns))
            return j;
    }
    return 0;
}

/* ---- the reason for contact ------------------------------------------------------------- */

static const char *const first_person[] = {
    "i", "i'm", "im", "i've", "ive", "i'd", "i'll", "me", "my", "myself", "we", "our", "us",
    "we've", "we're", NULL
};

/* A greeting or filler from word `from` to a comma ("Hi, …", "Yes, hi, …", "Bonjour, …"): up
 * to two words with no pronoun; the index of the first word after it, else from. */
static const char *const interjections[] = {
    "hi", "hello", "hey", "hiya", "yes", "yeah", "yep", "ok", "okay", "oh", "well", "um", "erm",
    "uh", "right", "look", "honestly", "bonjour", "hallo", "hola", "ciao", NULL
};

static int lead_in(const sentence *s, int from)
{
    if (from + 1 < s->n && one_of(&s->t[from], interjections))
        return from + 1;                  /* "hi my mobile data isn't working" */
    for (int j = from + 1; j <= from + 2 && j < s->n; j++) {
        bool comma = false;
        for (size_t b = s->t[j - 1].e; b < s->t[j].s; b++)
            comma |= s->src[b] == ',';
        if (one_of(&s->t[j - 1], first_person) || one_of(&s->t[j - 1], pronouns))
            return from;
        if (comma)
            return j;
    }
    return from;
}

/* "Sorry, …", "I'm sorry, …", "I am so sorry …": an apology is not a reason for contact. */
static bool apology(const sentence *s)
{
    for (int k = 0; k < s->n && k < 4; k++) {
        if (is(&s->t[k], "sorry"))
            return true;
        if (!one_of(&s->t[k], interjections) && !is(&s->t[k], "i'm") && !is(&s->t[k], "im") &&
            !is(&s->t[k], "i") && !is(&s->t[k], "am") && !is(&s->t[k], "so") && !is(&s->t[k], "really"))
            return false;
    }
    return false;
}

bool summary_text_reason(const char *line, char *out, size_t outlen)
{
    size_t spans[16][2];
    int ns = split(line, spans, 16);
    /* a sentence about the customer with three content words; else with one */
    for (int least = 3; least >= 1; least -= 2)
    for (int i = 0; i < ns; i++) {
        sentence s;
        tokenize(line, spans[i][0], spans[i][1], &s);
        s.question = line[spans[i][1] - 1] == '?';
        bool personal = false;
        for (int k = 0; k < s.n && !personal; k++)
            personal = one_of(&s.t[k], first_person);
        char copy[1024], terms[8][SUGGEST_TERM_LEN];
        text_copy(copy, spans[i][1] - spans[i][0] + 1 < sizeof copy ? spans[i][1] - spans[i][0] + 1 : sizeof copy,
                  line + spans[i][0]);
        if (!personal || suggest_words_content(copy, terms, 8) < least || apology(&s))
            continue;
        out_buf o = {out, 0, outlen, false};
        out[0] = 0;
        puts_(&o, s.question ? "asks: " : "says ");
        size_t at = o.len;
        int from = 0, next;
        while ((next = lead_in(&s, from)) > from)
            from = next;
        /* a long sentence is cut to its first clause when that says enough (three content
         * words): the wrap-up dialog shows four rows at 80x24 */
        int to = s.n, first = clause_end(&s, from);
        static const char *const keeps[] = {"but", "because", "though", "although", "so", NULL};
        if (first < s.n && s.t[s.n - 1].e - s.t[from].s > REASON_LONG && !one_of(&s.t[first], keeps)) {
            char clause[1024];
            text_copy(clause, s.t[first - 1].e - s.t[from].s + 1 < sizeof clause ? s.t[first - 1].e - s.t[from].s + 1 : sizeof clause,
                      line + s.t[from].s);
            if (suggest_words_content(clause, terms, 8) >= 3)
                to = first;
        }
        render(&s, from, to, BY_CUSTOMER, &o);
        lower_first(&o, at);
        if (s.question && !o.cut)
            puts_(&o, "?");
        return true;
    }
    return false;
}

/* ---- what was done ------------------------------------------------------------------------ */

static const char *const irregular_past[] = {
    "sent", "put", "set", "made", "paid", "given", "gave", "done", "taken", "took", "written",
    "wrote", "left", "rung", "kept", "sold", "brought", "bought", "cut", "frozen", "froze",
    "shut", "sorted", "reset", "split", "spread", NULL
};
/* Perfect forms that say what the agent saw or said, not what was done for the customer. */
static const char *const not_actions[] = {
    "been", "got", "gotten", "had", "seen", "heard", "noticed", "understood", "looked", "checked",
    "found", "asked", "read", "tried", "wanted", "needed", "mentioned", "explained", "said",
    "told", "thought", "spoken", "confirmed", "verified", "noted", "pulled", "received", NULL
};
static const char *const adverbs[] = {
    "just", "also", "now", "already", "actually", "personally", "quickly", "then", NULL
};

static const char *const modals[] = {
    "should", "would", "could", "might", "must", "may", "shouldn't", "wouldn't", "couldn't", NULL
};
static const char *const joins[] = {"and", "then", "so", "just", "but", "also", NULL};

/* Past the joining words a clause begins with ("and their bill will…"). */
static int skip_joins(const sentence *s, int k)
{
    while (k + 1 < s->n && one_of(&s->t[k], joins))
        k++;
    return k;
}

static bool past_form(const tok *t)
{
    size_t l = strlen(t->w);
    if (one_of(t, not_actions))
        return false;
    return one_of(t, irregular_past) || (l >= 4 && !strcmp(t->w + l - 2, "ed") && strcmp(t->w + l - 3, "eed"));
}

/* After word k: adverbs and "gone ahead and" skipped; the next word's index. */
static int skip_adverbs(const sentence *s, int k)
{
    for (;;) {
        if (k < s->n && one_of(&s->t[k], adverbs))
            k++;
        else if (k + 2 < s->n && (is(&s->t[k], "gone") || is(&s->t[k], "went")) && is(&s->t[k + 1], "ahead") &&
                 is(&s->t[k + 2], "and"))
            k += 3;
        else
            return k;
    }
}

/* The past of an offered verb ("send" -> "sent"); out holds it. */
static void past_of(const char *verb, char *out, size_t outlen)
{
    static const char *const irregular[][2] = {
        {"send", "sent"}, {"put", "put"}, {"set", "set"}, {"make", "made"}, {"pay", "paid"},
        {"give", "gave"}, {"do", "did"}, {"get", "got"}, {"take", "took"}, {"write", "wrote"},
        {"leave", "left"}, {"ring", "rang"}, {"keep", "kept"}, {"sell", "sold"}, {"bring", "brought"},
        {"buy", "bought"}, {"cut", "cut"}, {"freeze", "froze"}, {"shut", "shut"}, {"reset", "reset"},
        {"split", "split"}, {"spread", "spread"}, {"stop", "stopped"}, {"drop", "dropped"}, {"ship", "shipped"},
    };
    for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++)
        if (!strcmp(verb, irregular[i][0])) {
            snprintf(out, outlen, "%s", irregular[i][1]);
            return;
        }
    size_t l = strnlen(verb, WORD_LEN - 1);
    if (l && verb[l - 1] == 'e')
        snprintf(out, outlen, "%.*sd", (int)l, verb);
    else if (l > 1 && verb[l - 1] == 'y' && !strchr("aeiou", verb[l - 2]))
        snprintf(out, outlen, "%.*sied", (int)(l - 1), verb);
    else
        snprintf(out, outlen, "%.*sed", (int)l, verb);
}

/* "the mesh extender is free" in s: the words between "the" and "is"/"are"/"was" (one or
 * two), as what an offered "one" stands for; false when there is none. */
static bool thing_named(const sentence *s, out_buf *o)
{
    for (int k = 0; k + 2 < s->n; k++) {
        if (!is(&s->t[k], "the"))
            continue;
        for (int w = 1; w <= 2 && k + w + 1 < s->n; w++) {
            const tok *v = &s->t[k + w + 1];
            if (is(v, "is") || is(v, "are") || is(v, "was")) {
                puts_(o, "a ");
                put(o, s->src + s->t[k + 1].s, s->t[k + w].e - s->t[k + 1].s);
                return true;
            }
        }
    }
    return false;
}

/* The agent's offer in prev ("Would you like me to send one?", "I can book an engineer"),
 * rendered done ("sent a mesh extender"); false when prev offers nothing. */
static bool offer_done(const char *prev, char *out, size_t outlen)
{
    size_t spans[16][2];
    int ns = split(prev, spans, 16);
    for (int i = ns - 1; i >= 0; i--) {
        sentence s;
        tokenize(prev, spans[i][0], spans[i][1], &s);
        for (int k = 0; k < s.n; k++) {
            int v = -1;
            if (k + 3 < s.n && (is(&s.t[k], "like") || is(&s.t[k], "want")) && is(&s.t[k + 1], "me") && is(&s.t[k + 2], "to"))
                v = k + 3;
            else if (k + 1 < s.n && (is(&s.t[k], "shall") || is(&s.t[k], "should")) && is(&s.t[k + 1], "i"))
                v = k + 2;
            else if (k + 1 < s.n && is(&s.t[k], "i") && is(&s.t[k + 1], "can"))
                v = k + 2;
            if (v < 0 || v >= s.n)
                continue;
            v = skip_adverbs(&s, v);
            if (v >= s.n)
                continue;
            out_buf o = {out, 0, outlen, false};
            char verb[WORD_LEN + 4];
            past_of(s.t[v].w, verb, sizeof verb);
            puts_(&o, verb);
            int end = clause_end(&s, v);
            int from = v + 1;
            if (from < end && is(&s.t[from], "one")) {
                sentence before;
                puts_(&o, " ");
                bool named = false;
                for (int j = i - 1; j >= 0 && !named; j--) {
                    tokenize(prev, spans[j][0], spans[j][1], &before);
                    named = thing_named(&before, &o);
                }
                if (!named)
                    puts_(&o, "one");
                from++;
            }
            if (from < end) {
                puts_(&o, " ");
                render(&s, from, end, BY_AGENT, &o);
            }
            return true;
        }
    }
    return false;
}

static bool already(char out[][SUMMARY_PHRASE_MAX], int n, const char *p)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(out[i], p))
            return true;
    return false;
}

int summary_text_actions(const char *line, const char *prev, char out[][SUMMARY_PHRASE_MAX], int max)
{
    size_t spans[16][2];
    int ns = split(line, spans, 16), n = 0;
    for (int i = 0; i < ns && n < max; i++) {
        sentence s;
        tokenize(line, spans[i][0], spans[i][1], &s);
        if (s.n == 0)
            continue;
        /* "Done", "That's done", "All done": the offer before it was taken */
        bool done = (is(&s.t[0], "done")) || (s.n >= 2 && (is(&s.t[0], "that's") || is(&s.t[0], "all")) && is(&s.t[1], "done"));
        char phrase[SUMMARY_PHRASE_MAX];
        if (done && prev && offer_done(prev, phrase, sizeof phrase) && !already(out, n, phrase))
            text_copy(out[n++], SUMMARY_PHRASE_MAX, phrase);
        for (int k = 0; k < s.n && n < max; k++) {
            int v = -1;
            bool passive = false;
            const tok *t = &s.t[k];
            if (is(t, "i've") || is(t, "ive") || is(t, "we've") || is(t, "weve"))
                v = k + 1;
            else if ((is(t, "i") || is(t, "we")) && k + 1 < s.n && is(&s.t[k + 1], "have"))
                v = k + 2;
            else if (is(t, "i") || is(t, "we"))
                v = k + 1;
            else if ((is(t, "has") || is(t, "have")) && k + 1 < s.n && is(&s.t[k + 1], "been") && k > 0)
                v = k + 2, passive = true;
            if (v < 0)
                continue;
            v = skip_adverbs(&s, v);
            if (v >= s.n || !past_form(&s.t[v]))
                continue;
            int end = clause_end(&s, v);
            if (!passive && end == v + 1)
                continue;                  /* "the link I've just sent": no action of its own */
            if (passive && k > 0 && one_of(&s.t[k - 1], modals))
                continue;                  /* "should have been left": not done */
            out_buf o = {phrase, 0, sizeof phrase, false};
            phrase[0] = 0;
            int from = passive ? skip_joins(&s, clause_start(&s, k)) : v;
            render(&s, from, end, BY_AGENT, &o);
            lower_first(&o, 0);
            if (!already(out, n, phrase))
                text_copy(out[n++], SUMMARY_PHRASE_MAX, phrase);
            k = v;
        }
    }
    return n;
}

/* ---- commitments and their times ---------------------------------------------------------- */

static const char *const weekdays[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL
};
static const char *const day_parts[] = {"morning", "afternoon", "evening", "night", NULL};
static const char *const periods[] = {
    "morning", "afternoon", "evening", "week", "month", "year", "weekend", "month's", "week's",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL
};
static const char *const units[] = {
    "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months", NULL
};
static const char *const numbers[] = {
    "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "few", "couple", NULL
};
static const char *const deadline_heads[] = {
    "today", "tomorrow", "tonight", "noon", "midday", "lunchtime", "end", NULL
};

static bool number_like(const tok *t)
{
    return (t->w[0] >= '0' && t->w[0] <= '9') || one_of(t, numbers);
}

/* The time said in words [from, to) of s: its pieces in order, joined ("tomorrow before
 * 12", "six o'clock this evening"); false when none. */
static bool time_in(const sentence *s, int from, int to, out_buf *o)
{
    int last_end = -1;
    size_t start = o->len;
    for (int k = from; k < to; k++) {
        const tok *t = &s->t[k];
        int e = -1;
        if (is(t, "today") || is(t, "tonight") || is(t, "tomorrow"))
            e = k + 1 < to && one_of(&s->t[k + 1], day_parts) ? k + 2 : k + 1;
        else if ((is(t, "this") || is(t, "next")) && k + 1 < to && one_of(&s->t[k + 1], periods))
            e = k + 2;
        else if (is(t, "on") && k + 1 < to && one_of(&s->t[k + 1], weekdays))
            e = k + 2;
        else if ((is(t, "by") || is(t, "before") || is(t, "after") || is(t, "until")) && k + 1 < to &&
                 (number_like(&s->t[k + 1]) || one_of(&s->t[k + 1], weekdays) || one_of(&s->t[k + 1], deadline_heads))) {
            e = k + 2;
            if (is(&s->t[k + 1], "end"))
                e = k + 5 <= to ? k + 5 : to;   /* "by end of the day" */
            else if (e < to && (is(&s->t[e], "am") || is(&s->t[e], "pm") || is(&s->t[e], "o'clock")))
                e++;
        } else if ((is(t, "by") || is(t, "before")) && k + 3 < to && is(&s->t[k + 1], "the") && is(&s->t[k + 2], "end")) {
            e = k + 6 <= to ? k + 6 : to;       /* "by the end of the day" */
        } else if (is(t, "shortly") || is(t, "soon")) {
            e = k + 1;
        } else if ((is(t, "within") || is(t, "in")) && k + 2 < to && number_like(&s->t[k + 1])) {
            int u = k + 2;
            if (u + 1 < to && (is(&s->t[u], "to") || is(&s->t[u], "or")) && number_like(&s->t[u + 1]))
                u += 2;                         /* "three to five" */
            else if (u < to && (is(&s->t[u], "few") || is(&s->t[u], "couple")))
                u += u + 1 < to && is(&s->t[u + 1], "of") ? 2 : 1;
            if (u < to && (is(&s->t[u], "working") || is(&s->t[u], "business")))
                u++;
            if (u < to && one_of(&s->t[u], units))
                e = u + 1;
        } else if (is(t, "at") && k + 1 < to && number_like(&s->t[k + 1]) && !is(&s->t[k + 1], "a")) {
            e = k + 2;
            if (e < to && (is(&s->t[e], "am") || is(&s->t[e], "pm") || is(&s->t[e], "o'clock")))
                e++;
        } else if (number_like(t) && k + 1 < to && is(&s->t[k + 1], "o'clock")) {
            e = k + 2;
        } else if (is(t, "as") && k + 2 < to && is(&s->t[k + 1], "soon") && is(&s->t[k + 2], "as")) {
            e = to;
        }
        if (e < 0)
            continue;
        if (o->len > start)
            puts_(o, last_end == k ? " " : ", ");
        render(s, k, e, BY_AGENT, o);
        size_t l = strlen(s->t[e - 1].w);
        if (l > 2 && !strcmp(s->t[e - 1].w + l - 2, "'s") && !o->cut)   /* "next month's" */
            o->len -= s->src[s->t[e - 1].e - 2] == '\'' ? 2 : 4, o->buf[o->len] = 0;
        last_end = e;
        k = e - 1;
    }
    return o->len > start;
}

static const char *const nobody[] = {"nothing", "nobody", "none", "no-one", NULL};

/* In-call steps that are no commitment unless a time comes with them ("I'll just check"). */
static const char *const in_call[] = {
    "check", "have", "look", "see", "take", "need", "be", "transfer", "walk", "ask", "put", "try",
    "go", "pop", "read", "bear", NULL
};

int summary_text_followups(const char *line, char out[][SUMMARY_PHRASE_MAX], int max)
{
    size_t spans[16][2];
    int ns = split(line, spans, 16), n = 0;
    for (int i = 0; i < ns && n < max; i++) {
        sentence s;
        tokenize(line, spans[i][0], spans[i][1], &s);
        if (line[spans[i][1] - 1] == '?')
            continue;
        for (int k = 0; k < s.n && n < max; k++) {
            const tok *t = &s.t[k];
            size_t l = strlen(t->w);
            bool contracted = l > 3 && !strcmp(t->w + l - 3, "'ll");
            if (!contracted && !is(t, "will"))
                continue;
            int v = skip_adverbs(&s, k + 1);
            if (v >= s.n || is(&s.t[v], "never") || is(&s.t[v], "not") || (k > 0 && one_of(&s.t[k - 1], nobody)))
                continue;                  /* "we'll never ask", "nothing will be collected" */
            /* who commits: the agent ("I'll", "we will"), the customer's side ("you'll"), or
             * a thing ("the refund will reach you") */
            const char *who = contracted ? t->w : (k > 0 ? s.t[k - 1].w : "");
            bool agent = !strncmp(who, "i'", 2) || !strcmp(who, "i") || !strncmp(who, "we'", 3) || !strcmp(who, "we");
            int end = clause_end(&s, v);
            char when[SUMMARY_PHRASE_MAX];
            out_buf w = {when, 0, sizeof when, false};
            when[0] = 0;
            bool timed = time_in(&s, v, end, &w);
            bool now = false;
            for (int j = v; j < end; j++)
                now |= is(&s.t[j], "now");
            if (agent && (one_of(&s.t[v], in_call) || now) && !timed)
                continue;                  /* a step of this call, not a commitment */
            char phrase[SUMMARY_PHRASE_MAX];
            out_buf o = {phrase, 0, sizeof phrase, false};
            phrase[0] = 0;
            if (agent) {
                puts_(&o, "agent to ");
                render(&s, v, end, BY_AGENT, &o);
            } else {
                int from = skip_joins(&s, contracted ? k : (k > 0 ? clause_start(&s, k - 1) : k));
                render(&s, from, end, BY_AGENT, &o);
                lower_first(&o, 0);
            }
            if (!timed)
                puts_(&o, " (no time given)");   /* a time said is in the phrase already */
            if (!already(out, n, phrase))
                text_copy(out[n++], SUMMARY_PHRASE_MAX, phrase);
            k = end - 1;
        }
    }
    return n;
}

/* ---- overlap ---------------------------------------------------------------------------- */

double summary_text_overlap(const char *of, const char *in)
{
    sentence a, b;
    tokenize(of, 0, strlen(of), &a);
    tokenize(in, 0, strlen(in), &b);
    int distinct = 0, found = 0;
    for (int i = 0; i < a.n; i++) {
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = !strcmp(a.t[j].w, a.t[i].w);
        if (seen)
            continue;
        distinct++;
        for (int j = 0; j < b.n; j++)
            if (!strcmp(a.t[i].w, b.t[j].w)) {
                found++;
                break;
            }
    }
    return distinct ? (double)found / distinct : 0.0;
}
