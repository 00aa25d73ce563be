/* bench_sentiment.c — sentiment and emotion quality, and enrichment speed.
 *
 * Public data (data/eval/SOURCES.md): binary accuracy on VADER's human-rated review and comment
 * sentences (movie, Amazon, tweets; the sentences whose mean rating is at least 0.5 from zero;
 * positive when the score is >= 0) of the dev split, for agentdesk, the VADER rules alone and
 * the plain lexicon sum; emotion macro-F1 and per-class F1 on GoEmotions dev (its 28 labels
 * mapped onto agentdesk's seven as in data/tools/train_sentiment.py). --test adds the same on
 * the test splits: run it once, for the final figure, never while tuning.
 * Team set: accuracy and macro-F1 (negative / neutral / positive) of sentiment_score on the
 * labelled set data/eval/sentiment.tsv, beside the plain lexicon-sum baseline (the sum of
 * the VADER lexicon valences of the words, its sign the label) on the same set.
 * Speed: time per utterance of sentiment_score + flags_state_utterance (the whole H4 part
 * of enrichment, no knowledge-base query) over the same utterances, p50 / p99.
 *
 * Usage (from the repo root): bench_sentiment [--data DIR] [--rounds N] [--errors] [--test]
 * --errors lists the misclassified utterances of the development half (odd items) only: the
 * even items are the held-out half, never looked at while tuning the lexicon or the rules. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub/assist/flags.h"
#include "hub/assist/sentiment.h"

#define MAX_ITEMS 4096
#define CALL_LENGTH 20   /* utterances per simulated interaction (fresh flag state) */

typedef struct {
    int label;           /* -1, 0, 1 */
    char channel[8];
    char *text;
} item;

typedef struct {
    int confusion[3][3]; /* [truth][predicted], index label + 1 */
    int n;
} tally;

static int parse_label(const char *s)
{
    if (strcmp(s, "negative") == 0)
        return -1;
    if (strcmp(s, "neutral") == 0)
        return 0;
    if (strcmp(s, "positive") == 0)
        return 1;
    return 2;
}

static int load_items(const char *path, item *items, int max)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_sentiment: cannot read %s\n", path);
        return -1;
    }
    char line[8192];
    int n = 0, lineno = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2) {
            fprintf(stderr, "bench_sentiment: %s:%d: expected label<TAB>channel<TAB>text\n", path, lineno);
            continue;
        }
        *tab1 = *tab2 = 0;
        int label = parse_label(line);
        if (label == 2) {
            fprintf(stderr, "bench_sentiment: %s:%d: unknown label \"%s\"\n", path, lineno, line);
            continue;
        }
        items[n].label = label;
        snprintf(items[n].channel, sizeof items[n].channel, "%s", tab1 + 1);
        items[n].text = strdup(tab2 + 1);
        if (!items[n].text)
            break;
        n++;
    }
    fclose(f);
    return n;
}

static void tally_add(tally *t, int truth, int predicted)
{
    t->confusion[truth + 1][predicted + 1]++;
    t->n++;
}

static double accuracy(const tally *t)
{
    int ok = 0;
    for (int i = 0; i < 3; i++)
        ok += t->confusion[i][i];
    return t->n ? (double)ok / t->n : 0;
}

static double macro_f1(const tally *t)
{
    double sum = 0;
    for (int c = 0; c < 3; c++) {
        int tp = t->confusion[c][c], fp = 0, fn = 0;
        for (int o = 0; o < 3; o++) {
            if (o == c)
                continue;
            fp += t->confusion[o][c];
            fn += t->confusion[c][o];
        }
        double p = tp + fp ? (double)tp / (tp + fp) : 0;
        double r = tp + fn ? (double)tp / (tp + fn) : 0;
        sum += p + r > 0 ? 2 * p * r / (p + r) : 0;
    }
    return sum / 3;
}

static void print_confusion(const char *name, const tally *t)
{
    printf("  %s confusion (rows truth neg/neu/pos, columns predicted):\n", name);
    for (int i = 0; i < 3; i++)
        printf("    %5d %5d %5d\n", t->confusion[i][0], t->confusion[i][1], t->confusion[i][2]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

typedef struct {
    size_t samples;
    double p50, p99, mean, max;
} timing;

/* Times mode 0 (sentiment + flags), 1 (sentiment only) or 2 (flags only) per utterance,
 * utterances alternating customer / agent, a fresh flag state every CALL_LENGTH. */
static timing time_mode(const sentiment_lexicon *lx, const flag_rules *rules, const item *items,
                        int n, int rounds, int mode)
{
    timing t = {0};
    size_t total = (size_t)n * (size_t)rounds, k = 0;
    double *us = malloc(total * sizeof *us);
    if (!us)
        return t;
    for (int round = 0; round < rounds; round++) {
        flag_state *st = NULL;
        for (int i = 0; i < n; i++) {
            if (i % CALL_LENGTH == 0) {
                flags_state_free(st);
                st = flags_state_new(rules, items[i].channel);
            }
            const char *speaker = i % 2 ? "agent" : "customer";
            flag_hit hits[8];
            sentiment_result r = {0};
            double score = items[i].label * 0.5;    /* flags-only mode: a stand-in score */
            double t0 = now_us();
            if (mode != 2) {
                sentiment_score(lx, items[i].text, &r);
                score = r.score;
            }
            if (mode != 1)
                flags_state_utterance(st, speaker, items[i].text, true, (int64_t)i * 4000, score,
                                      hits, 8);
            us[k++] = now_us() - t0;
        }
        flags_state_free(st);
    }
    qsort(us, k, sizeof *us, cmp_double);
    for (size_t i = 0; i < k; i++)
        t.mean += us[i];
    t.samples = k;
    t.mean /= (double)k;
    t.p50 = us[k / 2];
    t.p99 = us[(size_t)((double)k * 0.99)];
    t.max = us[k - 1];
    free(us);
    return t;
}

/* ---------- public sets ---------- */

#define POLAR 0.5   /* |mean rating| from which a VADER sentence counts as polar */

static const struct {
    const char *name;
    int emotion;
} goemotions_map[] = {
    {"anger", EMOTION_ANGER}, {"disgust", EMOTION_ANGER},
    {"annoyance", EMOTION_FRUSTRATION}, {"disappointment", EMOTION_FRUSTRATION},
    {"disapproval", EMOTION_FRUSTRATION},
    {"fear", EMOTION_ANXIETY}, {"nervousness", EMOTION_ANXIETY},
    {"sadness", EMOTION_SADNESS}, {"grief", EMOTION_SADNESS}, {"remorse", EMOTION_SADNESS},
    {"embarrassment", EMOTION_SADNESS},
    {"confusion", EMOTION_CONFUSION}, {"curiosity", EMOTION_CONFUSION},
    {"admiration", EMOTION_SATISFACTION}, {"amusement", EMOTION_SATISFACTION},
    {"approval", EMOTION_SATISFACTION}, {"caring", EMOTION_SATISFACTION},
    {"excitement", EMOTION_SATISFACTION}, {"gratitude", EMOTION_SATISFACTION},
    {"joy", EMOTION_SATISFACTION}, {"love", EMOTION_SATISFACTION},
    {"optimism", EMOTION_SATISFACTION}, {"pride", EMOTION_SATISFACTION},
    {"relief", EMOTION_SATISFACTION},
    {"neutral", EMOTION_NEUTRAL}, {"desire", EMOTION_NEUTRAL}, {"surprise", EMOTION_NEUTRAL},
    {"realization", EMOTION_NEUTRAL},
};

/* The mapped emotions of "label,label,...": a bit set, 0 if a label is unknown. */
static unsigned goemotions_set(char *labels)
{
    unsigned set = 0;
    for (char *tok = strtok(labels, ","); tok; tok = strtok(NULL, ",")) {
        size_t k = 0;
        while (k < sizeof goemotions_map / sizeof goemotions_map[0] && strcmp(goemotions_map[k].name, tok))
            k++;
        if (k == sizeof goemotions_map / sizeof goemotions_map[0])
            return 0;
        set |= 1u << goemotions_map[k].emotion;
    }
    return set;
}

typedef struct {
    int ok[3], n;    /* agentdesk, VADER rules alone, lexicon sum */
} binary_tally;

/* VADER sentences of PATH: prints binary accuracy by source and over the review and comment
 * sources; fills *all with the latter. */
static int binary_public(const sentiment_lexicon *lx, const char *path, const char *split)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_sentiment: cannot read %s\n", path);
        return -1;
    }
    static const char *const sources[] = {"movie", "amazon", "tweet", "nyt"};
    binary_tally by[4] = {0}, all = {0};
    static char line[65536];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (line[0] == '#' || !t2)
            continue;
        *t1 = *t2 = 0;
        double gold = atof(t1 + 1);
        int src = 0;
        while (src < 4 && strcmp(sources[src], line))
            src++;
        if (src == 4 || fabs(gold) < POLAR)
            continue;
        sentiment_result r;
        sentiment_score(lx, t2 + 1, &r);
        double got[3] = {r.score, r.rules_score, sentiment_lexicon_sum(lx, t2 + 1)};
        for (int k = 0; k < 3; k++) {
            int ok = (got[k] >= 0) == (gold > 0);
            by[src].ok[k] += ok;
            if (src < 3)
                all.ok[k] += ok;
        }
        by[src].n++;
        all.n += src < 3;
    }
    fclose(f);
    printf("sentiment binary accuracy on VADER review and comment sentences (%s, movie+amazon+tweet, "
           "|rating| >= %.1f, %d): agentdesk %.3f, VADER rules %.3f, lexicon sum %.3f\n", split, POLAR,
           all.n, (double)all.ok[0] / all.n, (double)all.ok[1] / all.n, (double)all.ok[2] / all.n);
    for (int s = 0; s < 4; s++)
        if (by[s].n)
            printf("  %-7s (%4d): agentdesk %.3f, VADER rules %.3f, lexicon sum %.3f%s\n", sources[s], by[s].n,
                   (double)by[s].ok[0] / by[s].n, (double)by[s].ok[1] / by[s].n, (double)by[s].ok[2] / by[s].n,
                   s == 3 ? " (news: not in the figure above)" : "");
    return 0;
}

/* GoEmotions comments of PATH: macro-F1 and per-class F1 of the predicted emotion, a
 * prediction counting as right when it is one of the comment's mapped emotions. */
static int emotion_public(const sentiment_lexicon *lx, const char *path, const char *split)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_sentiment: cannot read %s\n", path);
        return -1;
    }
    int tp[EMOTION_COUNT] = {0}, fp[EMOTION_COUNT] = {0}, fn[EMOTION_COUNT] = {0}, n = 0;
    int btp[EMOTION_COUNT] = {0}, bfp[EMOTION_COUNT] = {0}, bfn[EMOTION_COUNT] = {0};
    static char line[65536];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        *tab = 0;
        unsigned gold = goemotions_set(line);
        if (!gold)
            continue;
        sentiment_result r;
        sentiment_score(lx, tab + 1, &r);
        /* the baseline: the polarity of the lexicon sum as an emotion (satisfaction,
         * frustration or neutral), what a polarity-only engine can say */
        double sum = sentiment_lexicon_sum(lx, tab + 1);
        int base = sum > 0 ? EMOTION_SATISFACTION : sum < 0 ? EMOTION_FRUSTRATION : EMOTION_NEUTRAL;
        int (*t[2])[EMOTION_COUNT] = {&tp, &btp}, (*p[2])[EMOTION_COUNT] = {&fp, &bfp},
            (*m[2])[EMOTION_COUNT] = {&fn, &bfn};
        int pred[2] = {r.emotion, base};
        for (int k = 0; k < 2; k++) {
            if (gold & (1u << pred[k]))
                (*t[k])[pred[k]]++;
            else
                (*p[k])[pred[k]]++;
            for (int e = 0; e < EMOTION_COUNT; e++)
                if ((gold & (1u << e)) && e != pred[k])
                    (*m[k])[e]++;
        }
        n++;
    }
    fclose(f);
    double f1[EMOTION_COUNT], macro = 0, bmacro = 0;
    for (int e = 0; e < EMOTION_COUNT; e++) {
        f1[e] = tp[e] ? 2.0 * tp[e] / (2 * tp[e] + fp[e] + fn[e]) : 0;
        macro += f1[e] / EMOTION_COUNT;
        bmacro += (btp[e] ? 2.0 * btp[e] / (2 * btp[e] + bfp[e] + bfn[e]) : 0) / EMOTION_COUNT;
    }
    printf("emotion macro-F1 on GoEmotions (%s, %d comments, 7 classes): agentdesk %.3f, "
           "lexicon-sum polarity as emotion %.3f\n", split, n, macro, bmacro);
    printf("  per class F1 (%s):", split);
    for (int e = 0; e < EMOTION_COUNT; e++)
        printf(" %s %.3f", sentiment_emotion_name(e), f1[e]);
    printf("\n");
    return 0;
}

static void print_feature(void *ctx, const char *feat, size_t len, double value, int first, int last)
{
    (void)ctx;
    (void)first;
    (void)last;
    if (strcmp(feat, "__rules__") == 0)
        printf("%.4f", value);
    else
        printf("\t%.*s", (int)len, feat);
}

/* --features: each line of stdin as the model's features, "RULES<TAB>F1<TAB>F2...", what
 * data/tools/train_sentiment.py learns from (the weights file need not exist yet). */
static int dump_features(const char *data)
{
    char err[256];
    sentiment_lexicon *lx = sentiment_load_rules(data, err, sizeof err);
    if (!lx) {
        fprintf(stderr, "bench_sentiment: %s\n", err);
        return 1;
    }
    static char line[65536];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        sentiment_features(lx, line, print_feature, NULL);
        putchar('\n');
    }
    sentiment_free(lx);
    return 0;
}

int main(int argc, char **argv)
{
    const char *data = "data";
    int rounds = 20;
    int show_errors = 0, features = 0, test = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--errors") == 0)
            show_errors = 1;
        else if (strcmp(argv[i], "--features") == 0)
            features = 1;
        else if (strcmp(argv[i], "--test") == 0)
            test = 1;
        else {
            fprintf(stderr, "usage: bench_sentiment [--data DIR] [--rounds N] [--errors] [--test] [--features]\n");
            return 2;
        }
    }
    if (features)
        return dump_features(data);
    if (rounds < 1)
        rounds = 1;
    char err[256], path[4096];
    sentiment_lexicon *lx = sentiment_load(data, err, sizeof err);
    if (!lx) {
        fprintf(stderr, "bench_sentiment: %s\n", err);
        return 1;
    }
    flag_rules *rules = flags_load(NULL, data, err, sizeof err);
    if (!rules) {
        fprintf(stderr, "bench_sentiment: %s\n", err);
        sentiment_free(lx);
        return 1;
    }
    static const char *const splits[] = {"dev", "test"};
    for (int k = 0; k <= test; k++) {
        snprintf(path, sizeof path, "%s/eval/vader_%s.tsv", data, splits[k]);
        int rc = binary_public(lx, path, splits[k]);
        snprintf(path, sizeof path, "%s/eval/goemotions_%s.tsv", data, splits[k]);
        if (rc || emotion_public(lx, path, splits[k])) {
            flags_free(rules);
            sentiment_free(lx);
            return 1;
        }
    }

    static item items[MAX_ITEMS];
    snprintf(path, sizeof path, "%s/eval/sentiment.tsv", data);
    int n = load_items(path, items, MAX_ITEMS);
    if (n <= 0) {
        flags_free(rules);
        sentiment_free(lx);
        return 1;
    }

    tally ours, base, by_channel[2], half_ours[2], half_base[2];
    memset(half_ours, 0, sizeof half_ours);
    memset(half_base, 0, sizeof half_base);
    memset(&ours, 0, sizeof ours);
    memset(&base, 0, sizeof base);
    memset(by_channel, 0, sizeof by_channel);
    for (int i = 0; i < n; i++) {
        sentiment_result r;
        sentiment_score(lx, items[i].text, &r);
        double sum = sentiment_lexicon_sum(lx, items[i].text);
        tally_add(&ours, items[i].label, r.label);
        tally_add(&base, items[i].label, sum > 0 ? 1 : sum < 0 ? -1 : 0);
        tally_add(&by_channel[strcmp(items[i].channel, "voice") == 0], items[i].label, r.label);
        tally_add(&half_ours[i % 2], items[i].label, r.label);
        tally_add(&half_base[i % 2], items[i].label, sum > 0 ? 1 : sum < 0 ? -1 : 0);
        if (show_errors && i % 2 == 1 && r.label != items[i].label)
            printf("  miss: truth %-8s got %-8s %+.3f  %s\n", sentiment_label_name(items[i].label),
                   sentiment_label_name(r.label), r.score, items[i].text);
    }
    int per_label[3] = {0};
    for (int i = 0; i < n; i++)
        per_label[items[i].label + 1]++;
    printf("team set (written by the team, not public) %s: %d utterances (%d negative, %d neutral, %d positive)\n",
           path, n, per_label[0], per_label[1], per_label[2]);
    printf("  %-28s accuracy %.3f  macro-F1 %.3f\n", "agentdesk",
           accuracy(&ours), macro_f1(&ours));
    printf("  %-28s accuracy %.3f  macro-F1 %.3f\n", "baseline (lexicon sum)", accuracy(&base),
           macro_f1(&base));
    printf("  agentdesk by channel: chat accuracy %.3f (%d), voice accuracy %.3f (%d)\n",
           accuracy(&by_channel[0]), by_channel[0].n, accuracy(&by_channel[1]), by_channel[1].n);
    printf("  held-out half (even items, never inspected while tuning): agentdesk accuracy %.3f "
           "macro-F1 %.3f, baseline accuracy %.3f macro-F1 %.3f (%d)\n", accuracy(&half_ours[0]),
           macro_f1(&half_ours[0]), accuracy(&half_base[0]), macro_f1(&half_base[0]), half_ours[0].n);
    printf("  development half (odd items, errors inspected): agentdesk accuracy %.3f "
           "macro-F1 %.3f, baseline accuracy %.3f macro-F1 %.3f (%d)\n", accuracy(&half_ours[1]),
           macro_f1(&half_ours[1]), accuracy(&half_base[1]), macro_f1(&half_base[1]), half_ours[1].n);
    print_confusion("agentdesk", &ours);
    print_confusion("baseline", &base);

    /* speed: sentiment + flags per utterance, as the assist stage calls them; then each alone */
    static const char *const modes[] = {"sentiment + flags", "sentiment only", "flags only"};
    for (int mode = 0; mode < 3; mode++) {
        timing t = time_mode(lx, rules, items, n, rounds, mode);
        if (!t.samples) {
            fprintf(stderr, "bench_sentiment: out of memory\n");
            return 1;
        }
        if (mode == 0)
            printf("enrichment time per utterance (%zu flag rules, no KB), %zu samples each:\n",
                   flags_rule_count(rules), t.samples);
        printf("  %-18s p50 %.2f us  p99 %.2f us  mean %.2f us  max %.1f us\n", modes[mode],
               t.p50, t.p99, t.mean, t.max);
    }
    for (int i = 0; i < n; i++)
        free(items[i].text);
    flags_free(rules);
    sentiment_free(lx);
    return 0;
}
