/* bench_redaction.c — redaction quality of the assist stage, on data nobody tuned against:
 *
 *   Recall and precision, overall and per format, on data/eval/redaction_pii.tsv (sentences
 *   with PII and their expected TAG output) and data/eval/redaction_clean.tsv (PII-free
 *   sentences full of numbers that must stay). Counting is per tag: in each sentence, for
 *   each format, min(expected, found) tags are true positives, the surplus found are false
 *   positives, the surplus expected misses.
 *   Phones of the main markets on data/eval/redaction_phones.tsv (national and international
 *   forms, and number-rich clean sentences of the same markets): recall per form and clean
 *   sentences left untouched, for the redactor as it is (libphonenumber's matcher, then the
 *   hand rules) beside the hand rules alone, the redactor before libphonenumber, in the same
 *   run.
 * The speed of redaction inside enrichment is bench_assist's. Run from the repository root:
 * build/bench/bench_redaction */
#include "hub/assist/redact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- redaction quality ------------------------------------------------------------- */

typedef struct {
    long tp[REDACT__KINDS], fp[REDACT__KINDS], fn[REDACT__KINDS];
    long sentences, exact;
} tally;

static void count_tags(const char *s, int counts[REDACT__KINDS])
{
    memset(counts, 0, sizeof(int) * REDACT__KINDS);
    for (const char *p = strchr(s, '['); p; p = strchr(p + 1, '[')) {
        for (int k = 0; k < REDACT__KINDS; k++) {
            size_t n = strlen(redact_kind_name((redact_kind)k));
            if (!strncmp(p + 1, redact_kind_name((redact_kind)k), n) && (p[1 + n] == ']' || p[1 + n] == ' ')) {
                counts[k]++;
                break;
            }
        }
    }
}

static int eval_file(const char *path, tally *t)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_assist: %s: cannot open (run from the repository root)\n", path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = 0;
        const char *expected = tab + 1;
        char *got = assist_redact(line, REDACT_TAG);
        int e[REDACT__KINDS], g[REDACT__KINDS];
        count_tags(expected, e);
        count_tags(got, g);
        for (int k = 0; k < REDACT__KINDS; k++) {
            int m = e[k] < g[k] ? e[k] : g[k];
            t->tp[k] += m;
            t->fp[k] += g[k] - m;
            t->fn[k] += e[k] - m;
        }
        t->sentences++;
        t->exact += strcmp(got, expected) == 0;
        free(got);
    }
    free(line);
    fclose(f);
    return 0;
}

static double ratio(long a, long b) { return b ? (double)a / (double)b : 1.0; }

static int bench_redaction(void)
{
    tally pii = {0}, clean = {0};
    if (eval_file("data/eval/redaction_pii.tsv", &pii) || eval_file("data/eval/redaction_clean.tsv", &clean))
        return -1;
    long tp = 0, fp = 0, fn = 0;
    for (int k = 0; k < REDACT__KINDS; k++) {
        tp += pii.tp[k] + clean.tp[k];
        fp += pii.fp[k] + clean.fp[k];
        fn += pii.fn[k] + clean.fn[k];
    }
    long clean_fp = 0;
    for (int k = 0; k < REDACT__KINDS; k++)
        clean_fp += clean.fp[k];
    printf("redaction: %ld PII sentences + %ld clean sentences; %ld PII tags expected\n",
           pii.sentences, clean.sentences, tp + fn);
    printf("redaction: recall %.3f  precision %.3f  (tp %ld, fp %ld, fn %ld)\n", ratio(tp, tp + fn),
           ratio(tp, tp + fp), tp, fp, fn);
    printf("redaction: PII sentences redacted exactly as expected %.3f (%ld/%ld)\n",
           ratio(pii.exact, pii.sentences), pii.exact, pii.sentences);
    printf("redaction: clean sentences left unchanged %.3f (%ld/%ld), false tags %ld\n",
           ratio(clean.exact, clean.sentences), clean.exact, clean.sentences, clean_fp);
    for (int k = 0; k < REDACT__KINDS; k++) {
        long ktp = pii.tp[k] + clean.tp[k], kfp = pii.fp[k] + clean.fp[k], kfn = pii.fn[k] + clean.fn[k];
        printf("redaction: %-8s recall %.3f  precision %.3f  (expected %ld)\n", redact_kind_name((redact_kind)k),
               ratio(ktp, ktp + kfn), ratio(ktp, ktp + kfp), ktp + kfn);
    }
    return 0;
}

/* Phones: per form, how many expected [PHONE] tags each method finds, and how many spans of
 * any kind it puts where none is expected (on clean lines, and beyond the phone elsewhere). */
enum { PH_NATIONAL, PH_INTERNATIONAL, PH_CLEAN, PH__CLASSES };
static const char *const phone_class_names[PH__CLASSES] = {"national", "international", "clean"};

typedef struct {
    long lines[PH__CLASSES], expected[PH__CLASSES], found[PH__CLASSES], extra[PH__CLASSES];
    long untouched[PH__CLASSES];
} phone_tally;

static void phone_count(const char *input, int expected, int cls, unsigned opts, phone_tally *t)
{
    redact_span sp[REDACT_MAX_SPANS];
    size_t n = redact_find_opts(input, strlen(input), sp, REDACT_MAX_SPANS, opts);
    int phones = 0;
    for (size_t k = 0; k < n; k++)
        phones += sp[k].kind == REDACT_PHONE;
    int hit = phones < expected ? phones : expected;
    t->lines[cls]++;
    t->expected[cls] += expected;
    t->found[cls] += hit;
    t->extra[cls] += (long)n - hit;
    t->untouched[cls] += n == 0;
}

static int bench_phones(void)
{
    const char *path = "data/eval/redaction_phones.tsv";
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_assist: %s: cannot open (run from the repository root)\n", path);
        return -1;
    }
    phone_tally now = {0}, rules = {0};
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\n")] = 0;
        char *field[4] = {line};
        int nf = 1;
        for (char *p = line; *p && nf < 4; p++)
            if (*p == '\t') {
                *p = 0;
                field[nf++] = p + 1;
            }
        if (nf < 4)
            continue;
        int cls = !strcmp(field[1], "national") ? PH_NATIONAL : !strcmp(field[1], "international") ? PH_INTERNATIONAL : PH_CLEAN;
        int expected = 0;
        for (const char *p = strstr(field[3], "[PHONE]"); p; p = strstr(p + 1, "[PHONE]"))
            expected++;
        phone_count(field[2], expected, cls, 0, &now);
        phone_count(field[2], expected, cls, REDACT_PHONE_RULES_ONLY, &rules);
    }
    free(line);
    fclose(f);
    for (int c = PH_NATIONAL; c <= PH_INTERNATIONAL; c++)
        printf("redaction phones %-13s recall %.3f (%ld/%ld), other spans %ld  | hand rules alone: recall %.3f (%ld/%ld), other spans %ld\n",
               phone_class_names[c], ratio(now.found[c], now.expected[c]), now.found[c], now.expected[c], now.extra[c],
               ratio(rules.found[c], rules.expected[c]), rules.found[c], rules.expected[c], rules.extra[c]);
    printf("redaction phones clean sentences untouched %.3f (%ld/%ld), false spans %ld  | hand rules alone: %.3f (%ld/%ld), false spans %ld\n",
           ratio(now.untouched[PH_CLEAN], now.lines[PH_CLEAN]), now.untouched[PH_CLEAN], now.lines[PH_CLEAN], now.extra[PH_CLEAN],
           ratio(rules.untouched[PH_CLEAN], rules.lines[PH_CLEAN]), rules.untouched[PH_CLEAN], rules.lines[PH_CLEAN], rules.extra[PH_CLEAN]);
    return 0;
}

int main(void)
{
    return bench_redaction() || bench_phones() ? 1 : 0;
}
