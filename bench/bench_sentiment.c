/* bench_sentiment.c — sentiment quality and enrichment speed.
 *
 * Quality: accuracy and macro-F1 (negative / neutral / positive) of sentiment_score on the
 * labelled set data/eval/sentiment.tsv, beside the plain lexicon-sum baseline (the sum of
 * the VADER lexicon valences of the words, its sign the label) on the same set.
 * Speed: time per utterance of sentiment_score + flags_state_utterance (the whole H4 part
 * of enrichment, no knowledge-base query) over the same utterances, p50 / p99.
 *
 * Usage (from the repo root): bench_sentiment [--data DIR] [--rounds N] [--errors]
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

int main(int argc, char **argv)
{
    const char *data = "data";
    int rounds = 20;
    int show_errors = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--errors") == 0)
            show_errors = 1;
        else {
            fprintf(stderr, "usage: bench_sentiment [--data DIR] [--rounds N] [--errors]\n");
            return 2;
        }
    }
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
    printf("sentiment quality on %s: %d utterances (%d negative, %d neutral, %d positive)\n",
           path, n, per_label[0], per_label[1], per_label[2]);
    printf("  %-28s accuracy %.3f  macro-F1 %.3f\n", "agentdesk (VADER rules+domain)",
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
