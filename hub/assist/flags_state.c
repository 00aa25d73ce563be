/* flags_state.c — matching the rule table against one live interaction (see flags.h for
 * when each rule fires and re-arms). All state is sized at flags_state_new. */
#include "hub/assist/flags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strhash.h"
#include "base/text.h"

#include "hub/assist/flags_rules.h"
#include "hub/assist/phrasing.h"

#define NORM_CAP 16384
#define SCORE_HISTORY 16
#define TALK_HISTORY 128
#define MAX_CARDS 8
#define GUARD_WORDS 3
#define COUNTER_MARGIN 0.05     /* an example must beat the best counter-example by this */

typedef struct {
    bool fired;                 /* raised and not re-armed */
    bool satisfied;             /* compliance phrase said */
    bool waiting;               /* long_silence: the last words were the agent announcing a wait */
    int count;                  /* sustained_negative: negative finals in a row */
    int quiet;                  /* sentiment_drop: finals without a drop since firing */
    uint64_t cards[MAX_CARDS];  /* card rule: hashes of the numbers already flagged */
    int ncards;
} rule_state;

typedef struct {
    int64_t offset_ms;
    int words;
    bool agent;
} talk_turn;

struct flag_state {
    const flag_rules *rules;
    bool voice;
    rule_state *rs;
    double scores[SCORE_HISTORY];   /* customer final scores, ring */
    int nscores;
    int64_t last_speech_ms;
    talk_turn talk[TALK_HISTORY];   /* finals, ring */
    int ntalk;
    phrasing_hit *best;             /* per rule: the example model's scores for one utterance */
    double *counter;
};

flag_state *flags_state_new(const flag_rules *rules, const char *channel)
{
    flag_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->rules = rules;
    st->voice = !channel || strcmp(channel, "chat") != 0;
    size_t n = rules && rules->n ? rules->n : 1;
    st->rs = calloc(n, sizeof *st->rs);
    if (rules && rules->model) {
        st->best = calloc(n, sizeof *st->best);
        st->counter = calloc(n, sizeof *st->counter);
    }
    if (!st->rs || (rules && rules->model && (!st->best || !st->counter))) {
        flags_state_free(st);
        return NULL;
    }
    return st;
}

void flags_state_free(flag_state *st)
{
    if (!st)
        return;
    free(st->rs);
    free(st->best);
    free(st->counter);
    free(st);
}

/* ---------- helpers ---------- */

static bool channel_ok(const flag_state *st, const flags_rule *r)
{
    if (!r->channel[0])
        return true;
    return strcmp(r->channel, st->voice ? "voice" : "chat") == 0;
}

/* customer: the speaker is "customer"; agent: "agent" or "supervisor" (read once an utterance) */
static bool speaker_ok(const flags_rule *r, bool customer, bool agent)
{
    switch (r->speaker) {
    case FLAGS_SPEAKER_CUSTOMER: return customer;
    case FLAGS_SPEAKER_AGENT: return agent;
    case FLAGS_SPEAKER_ANY: return true;
    }
    return false;
}

static int emit(flag_hit *hits, int max, int n, const flags_rule *r, const char *evidence)
{
    if (n >= max)
        return n;
    flag_hit *h = &hits[n];
    snprintf(h->rule, sizeof h->rule, "%s", r->id);
    snprintf(h->kind, sizeof h->kind, "%s", r->kind);
    snprintf(h->reason, sizeof h->reason, "%s", r->reason);
    h->severity = r->severity;
    text_copy(h->evidence, sizeof h->evidence, evidence);
    return n + 1;
}

static bool is_guard_word(const char *w, size_t n)
{
    static const char *const guards[] = {
        "not", "dont", "never", "wont", "didnt", "doesnt", "isnt", "wasnt", "wouldnt",
        "shouldnt", "neednt", "without", "havent", "hasnt", "arent", "werent",
    };
    for (size_t i = 0; i < sizeof guards / sizeof guards[0]; i++)
        if (strlen(guards[i]) == n && memcmp(guards[i], w, n) == 0)
            return true;
    return false;
}

/* Does one of the GUARD_WORDS words before norm[pos] negate the phrase? */
static bool negated_before(const char *norm, size_t pos)
{
    size_t end = pos;   /* norm[pos] is the space before the phrase */
    for (int k = 0; k < GUARD_WORDS && end > 0; k++) {
        size_t start = end;
        while (start > 0 && norm[start - 1] != ' ')
            start--;
        if (start == end)
            break;
        if (is_guard_word(norm + start, end - start))
            return true;
        if (start == 0)
            break;
        end = start - 1;
    }
    return false;
}

/* First phrase of r found in norm (not negated when guarded); its index or -1, and where
 * its words are in norm ([*at, *at + strlen(phrase) - 2)). words: norm's. */
static int find_phrase(const flags_rule *r, const char *norm, const wordset *words, size_t *at)
{
    for (int i = 0; i < r->nphrases; i++) {
        if (!wordset_may_hold(words, &r->phrase_words[i]))
            continue;   /* a word of it is not in the text: most phrases, most utterances */
        const char *p = norm;
        while ((p = strstr(p, r->phrases[i])) != NULL) {
            if (!r->negation_guard || !negated_before(norm, (size_t)(p - norm))) {
                *at = (size_t)(p - norm) + 1;
                return i;
            }
            p++;
        }
    }
    return -1;
}

static void trim_phrase(const char *phrase, char *out, size_t cap)
{
    size_t n = strlen(phrase);
    /* stored as " w1 w2 ": drop the framing spaces */
    snprintf(out, cap, "%.*s", (int)(n >= 2 ? n - 2 : 0), phrase + 1);
}

/* Evidence of a phrase hit: the words as said ("I'm going to cancel"), else the phrase. */
static void phrase_evidence(const char *text, const char *phrase, size_t at, char *ev, size_t cap)
{
    char scratch[NORM_CAP];
    size_t from, to, len = strlen(phrase) - 2;
    if (flags_normalize_origin(text, at, at + len, scratch, sizeof scratch, &from, &to) &&
        to - from < cap) {
        snprintf(ev, cap, "%.*s", (int)(to - from), text + from);
        return;
    }
    trim_phrase(phrase, ev, cap);
}

/* Evidence of an example match: the words as said from the first matched word to the last. */
static void span_evidence(const char *text, const char *norm, const phrasing_hit *hit, char *ev,
                          size_t cap)
{
    char scratch[NORM_CAP];
    size_t from, to;
    char span[NORM_CAP];
    if (hit->to > hit->from &&
        flags_normalize_origin(text, hit->from, hit->to, scratch, sizeof scratch, &from, &to)) {
        snprintf(span, sizeof span, "%.*s", (int)(to - from), text + from);
    } else {
        snprintf(span, sizeof span, "%.*s", (int)(hit->to - hit->from), norm + hit->from);
    }
    text_copy(ev, cap, span);   /* cut on a code point */
}

static int count_digits(const char *text)
{
    int n = 0;
    for (; *text; text++)
        n += *text >= '0' && *text <= '9';
    return n;
}

/* In the digits-and-separators run m[0..len), the longest run of whole digit groups holding
 * 13-19 digits that passes Luhn (a card read next to other numbers). Fills digits. */
static bool find_card(const char *m, size_t len, char *digits, size_t *ndigits)
{
    size_t gstart[40], gend[40];
    int ng = 0;
    for (size_t i = 0; i < len && ng < 40;) {
        if (m[i] < '0' || m[i] > '9') {
            i++;
            continue;
        }
        gstart[ng] = i;
        while (i < len && m[i] >= '0' && m[i] <= '9')
            i++;
        gend[ng++] = i;
    }
    size_t best = 0;
    for (int a = 0; a < ng; a++) {
        size_t nd = 0;
        for (int b = a; b < ng; b++) {
            nd += gend[b] - gstart[b];
            if (nd > 19)
                break;
            if (nd < 13 || nd <= best || !flags_luhn_ok(m + gstart[a], gend[b] - gstart[a]))
                continue;
            best = 0;
            for (size_t i = gstart[a]; i < gend[b]; i++)
                if (m[i] >= '0' && m[i] <= '9')
                    digits[best++] = m[i];
        }
    }
    *ndigits = best;
    return best > 0;
}

/* Reports a card number once per interaction (by hash); evidence shows the last 4 only. */
static int report_card(const flags_rule *r, rule_state *rs, const char *digits, size_t nd,
                       flag_hit *hits, int max, int n)
{
    uint64_t h = strhash_fnv1a64(STRHASH64_SEED, digits, nd);
    for (int i = 0; i < rs->ncards; i++)
        if (rs->cards[i] == h)
            return n;
    if (n >= max)
        return n;
    if (rs->ncards < MAX_CARDS)
        rs->cards[rs->ncards++] = h;
    /* the colon keeps "0004: 16" from reading as one run of digits: evidence is redacted
     * before it is sent, and a phone-shaped run costs the matcher every region */
    char evidence[FLAG_EVIDENCE_LEN];
    snprintf(evidence, sizeof evidence, "card number ending %.4s: %zu digits, Luhn valid",
             digits + nd - 4, nd);
    return emit(hits, max, n, r, evidence);
}

/* Regex rule: every match; with luhn, only new Luhn-valid card numbers. */
static int match_regex(const flags_rule *r, rule_state *rs, const char *text, int *digits_in_text,
                       flag_hit *hits, int max, int n)
{
    if (r->min_digits > 0) {
        if (*digits_in_text < 0)
            *digits_in_text = count_digits(text);   /* once an utterance, for every such rule */
        if (*digits_in_text < r->min_digits)
            return n;
    }
    regmatch_t m;
    const char *p = text;
    int eflags = 0;
    while (*p && regexec(&r->re, p, 1, &m, eflags) == 0) {
        if (m.rm_eo <= m.rm_so) {
            p += m.rm_so + 1;
            eflags = REG_NOTBOL;
            continue;
        }
        const char *s = p + m.rm_so;
        size_t len = (size_t)(m.rm_eo - m.rm_so);
        if (!r->luhn) {
            char evidence[FLAG_EVIDENCE_LEN];
            snprintf(evidence, sizeof evidence, "%.*s", (int)text_prefix_len(s, len, 120), s);
            rs->fired = true;
            return emit(hits, max, n, r, evidence);
        }
        char digits[20];
        size_t nd;
        if (find_card(s, len, digits, &nd))
            n = report_card(r, rs, digits, nd, hits, max, n);
        p = s + len;
        eflags = REG_NOTBOL;
    }
    return n;
}

/* The digit a spoken word stands for, or -1; "double"/"triple" give -2/-3. */
static int spoken_digit(const char *w, size_t n)
{
    /* most words are longer than any number word, or start with a letter none starts with */
    if (n > 6 || !memchr("zotfsend", w[0], 8))
        return -1;
    static const struct {
        char w[6];
        size_t n;
    } words[] = {
        {"zero", 4}, {"one", 3}, {"two", 3}, {"three", 5}, {"four", 4},
        {"five", 4}, {"six", 3}, {"seven", 5}, {"eight", 5}, {"nine", 4},
    };
    /* lengths by hand: strlen over this table was a call per digit per word of every text */
    for (int d = 0; d < 10; d++)
        if (words[d].n == n && memcmp(words[d].w, w, n) == 0)
            return d;
    if ((n == 2 && memcmp(w, "oh", 2) == 0) || (n == 1 && w[0] == 'o') ||
        (n == 6 && memcmp(w, "nought", 6) == 0))
        return 0;
    if (n == 6 && memcmp(w, "double", 6) == 0)
        return -2;
    if (n == 6 && memcmp(w, "triple", 6) == 0)
        return -3;
    return -1;
}

/* A card read out in words, as speech recognisers often write it ("four one one one, one
 * one …", "double four"), digits mixed in allowed. A run of 13-19 digits passing Luhn. */
static int match_spoken_card(const flags_rule *r, rule_state *rs, const char *norm,
                             flag_hit *hits, int max, int n)
{
    char run[64];
    size_t nd = 0;
    int repeat = 1, words = 0;
    const char *p = norm;
    for (;;) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t wl = (size_t)(p - w);
        int d = wl ? spoken_digit(w, wl) : -1;
        bool numeric = wl > 0;
        for (size_t i = 0; i < wl && numeric; i++)
            numeric = w[i] >= '0' && w[i] <= '9';
        if (d <= -2) {
            repeat = -d;
            continue;
        }
        if (d >= 0 || numeric) {
            for (int k = 0; k < repeat; k++) {
                if (numeric) {
                    for (size_t i = 0; i < wl && nd < sizeof run; i++)
                        run[nd++] = w[i];
                } else if (nd < sizeof run) {
                    run[nd++] = (char)('0' + d);
                }
            }
            words += d >= 0;
            repeat = 1;
            continue;
        }
        /* the run ends here */
        if (words > 0 && nd >= 13 && nd <= 19 && flags_luhn_ok(run, nd))
            n = report_card(r, rs, run, nd, hits, max, n);
        nd = 0;
        words = 0;
        repeat = 1;
        if (!*p)
            return n;
    }
}

/* ---------- computed rules ---------- */

static int customer_final(const flags_rule *r, rule_state *rs, flag_state *st, double score,
                          flag_hit *hits, int max, int n)
{
    char ev[FLAG_EVIDENCE_LEN];
    if (r->computed == FLAGS_COMPUTED_SUSTAINED_NEGATIVE) {
        if (score > r->threshold) {
            rs->count = 0;
            rs->fired = false;
            return n;
        }
        rs->count++;
        if (rs->count >= r->count && !rs->fired && n < max) {
            rs->fired = true;
            snprintf(ev, sizeof ev, "%d negative customer turns in a row (last %.2f)", rs->count,
                     score);
            n = emit(hits, max, n, r, ev);
        }
        return n;
    }
    /* sentiment_drop: against the best of the previous `within` scores */
    int k = st->nscores < r->within ? st->nscores : r->within;
    double best = -2;
    for (int i = 1; i <= k; i++) {
        double s = st->scores[(st->nscores - i + SCORE_HISTORY) % SCORE_HISTORY];
        if (s > best)
            best = s;
    }
    bool drop = k > 0 && best - score >= r->drop && score <= r->below;
    if (rs->fired) {
        rs->quiet = drop ? 0 : rs->quiet + 1;
        if (rs->quiet >= r->within)
            rs->fired = false;
        return n;
    }
    if (drop && n < max) {
        rs->fired = true;
        rs->quiet = 0;
        snprintf(ev, sizeof ev, "customer sentiment %.2f -> %.2f within %d turns", best, score,
                 r->within);
        n = emit(hits, max, n, r, ev);
    }
    return n;
}

static int talk_ratio(const flags_rule *r, rule_state *rs, const flag_state *st,
                      int64_t now, flag_hit *hits, int max, int n)
{
    int agent = 0, customer = 0;
    int k = st->ntalk < TALK_HISTORY ? st->ntalk : TALK_HISTORY;
    for (int i = 1; i <= k; i++) {
        const talk_turn *t = &st->talk[(st->ntalk - i) % TALK_HISTORY];
        if (t->offset_ms < now - r->window_ms)
            break;
        if (t->agent)
            agent += t->words;
        else
            customer += t->words;
    }
    double ratio = (double)agent / (customer > 0 ? customer : 1);
    if (rs->fired) {
        if (ratio < r->rearm_ratio)
            rs->fired = false;
        return n;
    }
    if (agent >= r->min_words && ratio >= r->ratio && n < max) {
        char ev[FLAG_EVIDENCE_LEN];
        rs->fired = true;
        snprintf(ev, sizeof ev, "agent %d words vs customer %d in the last %lld s", agent,
                 customer, (long long)(r->window_ms / 1000));
        n = emit(hits, max, n, r, ev);
    }
    return n;
}

static int deadline_check(const flags_rule *r, rule_state *rs, int64_t now, flag_hit *hits,
                          int max, int n)
{
    if (rs->fired || rs->satisfied || now < r->deadline_ms || n >= max)
        return n;
    char phrase[80], ev[FLAG_EVIDENCE_LEN];
    trim_phrase(r->phrases[0], phrase, sizeof phrase);
    rs->fired = true;
    snprintf(ev, sizeof ev, "\"%s\" not said within %lld s", phrase,
             (long long)(r->deadline_ms / 1000));
    return emit(hits, max, n, r, ev);
}

static int count_words(const char *norm)
{
    int w = 0;
    for (const char *p = norm; *p; p++)
        w += p[0] == ' ' && p[1] && p[1] != ' ';
    return w;
}

/* ---------- entry points ---------- */

/* norm's words, filled on first use: an utterance no phrase rule looks at needs none */
static const wordset *words_of(const char *norm, wordset *words, bool *have)
{
    if (!*have) {
        wordset_fill(words, norm);
        *have = true;
    }
    return words;
}

int flags_state_utterance(flag_state *st, const char *speaker, const char *text, bool final,
                          int64_t offset_ms, double sentiment_score,
                          flag_hit *hits, int max_hits)
{
    if (!st || !text || !st->rules)
        return 0;
    char norm[NORM_CAP];
    bool have_norm = false, have_words = false;
    wordset words;
    int digits_in_text = -1;
    bool customer = speaker && strcmp(speaker, "customer") == 0;
    bool agent_side = speaker && (strcmp(speaker, "agent") == 0 || strcmp(speaker, "supervisor") == 0);
    int n = 0;
    bool scored = false;   /* the example model runs at most once per utterance */
    st->last_speech_ms = offset_ms;

    if (final && (customer || agent_side)) {
        have_norm = true;
        flags_normalize(text, norm, sizeof norm);
        talk_turn *t = &st->talk[st->ntalk % TALK_HISTORY];
        t->offset_ms = offset_ms;
        t->words = count_words(norm);
        t->agent = agent_side;
        st->ntalk++;
    }
    for (size_t i = 0; i < st->rules->n; i++) {
        const flags_rule *r = &st->rules->rules[i];
        rule_state *rs = &st->rs[i];
        if (!channel_ok(st, r))
            continue;
        if (r->match == FLAGS_MATCH_COMPUTED) {
            switch (r->computed) {
            case FLAGS_COMPUTED_SENTIMENT_DROP:
            case FLAGS_COMPUTED_SUSTAINED_NEGATIVE:
                if (final && customer)
                    n = customer_final(r, rs, st, sentiment_score, hits, max_hits, n);
                break;
            case FLAGS_COMPUTED_LONG_SILENCE:
                rs->fired = false;      /* someone spoke: the silence is over */
                rs->waiting = false;
                if (final && agent_side && r->nphrases > 0) {
                    if (!have_norm) {
                        flags_normalize(text, norm, sizeof norm);
                        have_norm = true;
                    }
                    size_t at;
                    rs->waiting = find_phrase(r, norm, words_of(norm, &words, &have_words), &at) >= 0;
                }
                break;
            case FLAGS_COMPUTED_TALK_RATIO:
                if (final && (customer || agent_side))
                    n = talk_ratio(r, rs, st, offset_ms, hits, max_hits, n);
                break;
            case FLAGS_COMPUTED_COMPLIANCE_DEADLINE:
                n = deadline_check(r, rs, offset_ms, hits, max_hits, n);
                if (final && speaker_ok(r, customer, agent_side) && !rs->satisfied) {
                    if (!have_norm) {
                        flags_normalize(text, norm, sizeof norm);
                        have_norm = true;
                    }
                    size_t at;
                    rs->satisfied = find_phrase(r, norm, words_of(norm, &words, &have_words), &at) >= 0;
                }
                break;
            case FLAGS_COMPUTED_NONE:
                break;
            }
            continue;
        }
        if ((!final && !r->partials) || !speaker_ok(r, customer, agent_side))
            continue;
        if (r->match == FLAGS_MATCH_REGEX) {
            if (rs->fired)
                continue;
            n = match_regex(r, rs, text, &digits_in_text, hits, max_hits, n);
            if (r->luhn) {
                if (!have_norm) {
                    flags_normalize(text, norm, sizeof norm);
                    have_norm = true;
                }
                n = match_spoken_card(r, rs, norm, hits, max_hits, n);
            }
            continue;
        }
        if (rs->fired || n >= max_hits)
            continue;
        if (!have_norm) {
            flags_normalize(text, norm, sizeof norm);
            have_norm = true;
        }
        if (r->nexamples > 0 && !scored) {
            phrasing_score(st->rules->model, norm, st->best, st->counter, st->rules->n);
            scored = true;
        }
        /* a counter-example as close as an example vetoes a phrase ("my friend who is a
         * lawyer recommended you" is no legal threat) */
        bool vetoed = r->nexamples > 0 && st->counter[i] >= r->min_score;
        size_t at;
        int which = vetoed ? -1 : find_phrase(r, norm, words_of(norm, &words, &have_words), &at);
        char ev[FLAG_EVIDENCE_LEN];
        if (which >= 0) {
            phrase_evidence(text, r->phrases[which], at, ev, sizeof ev);
        } else if (r->nexamples > 0 && st->best[i].score >= r->min_score &&
                   st->best[i].score > st->counter[i] + COUNTER_MARGIN) {
            span_evidence(text, norm, &st->best[i], ev, sizeof ev);
        } else {
            continue;
        }
        rs->fired = true;
        n = emit(hits, max_hits, n, r, ev);
    }
    if (final && customer) {
        st->scores[st->nscores % SCORE_HISTORY] = sentiment_score;
        st->nscores++;
    }
    return n;
}

int flags_state_tick(flag_state *st, int64_t offset_ms, flag_hit *hits, int max_hits)
{
    if (!st || !st->rules)
        return 0;
    int n = 0;
    for (size_t i = 0; i < st->rules->n; i++) {
        const flags_rule *r = &st->rules->rules[i];
        rule_state *rs = &st->rs[i];
        if (r->match != FLAGS_MATCH_COMPUTED || !channel_ok(st, r))
            continue;
        if (r->computed == FLAGS_COMPUTED_COMPLIANCE_DEADLINE) {
            n = deadline_check(r, rs, offset_ms, hits, max_hits, n);
        } else if (r->computed == FLAGS_COMPUTED_LONG_SILENCE && !rs->fired && n < max_hits &&
                   offset_ms - st->last_speech_ms >= (rs->waiting ? r->wait_ms : r->silence_ms)) {
            char ev[FLAG_EVIDENCE_LEN];
            rs->fired = true;
            snprintf(ev, sizeof ev, "no speech for %lld s",
                     (long long)((offset_ms - st->last_speech_ms) / 1000));
            n = emit(hits, max_hits, n, r, ev);
        }
    }
    return n;
}

/* The rules, by id in order: a checkpoint's per-rule states are theirs only. */
static uint64_t rules_print(const flag_rules *rules)
{
    uint64_t h = STRHASH64_SEED;
    size_t n = rules ? rules->n : 0;
    for (size_t i = 0; i < n; i++)
        h = strhash_fnv1a64(h, rules->rules[i].id, strlen(rules->rules[i].id) + 1);
    return h;
}

void flags_state_save(const flag_state *st, snap_w *w)
{
    size_t n = st->rules && st->rules->n ? st->rules->n : 1;
    snap_put_u64(w, sizeof(rule_state));
    snap_put_u64(w, n);
    snap_put_u64(w, rules_print(st->rules));
    snap_put(w, st->rs, n * sizeof *st->rs);
    snap_put(w, st->scores, sizeof st->scores);
    snap_put(w, &st->nscores, sizeof st->nscores);
    snap_put(w, &st->last_speech_ms, sizeof st->last_speech_ms);
    snap_put(w, st->talk, sizeof st->talk);
    snap_put(w, &st->ntalk, sizeof st->ntalk);
}

bool flags_state_load(flag_state *st, snap_r *r)
{
    size_t n = st->rules && st->rules->n ? st->rules->n : 1;
    if (!snap_expect(r, sizeof(rule_state)) || !snap_expect(r, n) || !snap_expect(r, rules_print(st->rules)))
        return false;
    snap_get(r, st->rs, n * sizeof *st->rs);
    snap_get(r, st->scores, sizeof st->scores);
    snap_get(r, &st->nscores, sizeof st->nscores);
    snap_get(r, &st->last_speech_ms, sizeof st->last_speech_ms);
    snap_get(r, st->talk, sizeof st->talk);
    snap_get(r, &st->ntalk, sizeof st->ntalk);
    return !r->bad && st->nscores >= 0 && st->ntalk >= 0;
}
