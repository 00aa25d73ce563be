/* test_sentiment.c — the sentiment analyser from tables of cases: negation, boosters,
 * contrast, caps and "!", emoji and emoticons, domain phrases, terms, trend, loading, and
 * hostile text (blns, UTF-8 test file). Runs from the repo root (data/ and ../shared/). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hub/assist/lexicon.h"
#include "hub/assist/sentiment.h"
#include "tests/unit/check.h"

static sentiment_lexicon *lx;

/* Most tables here check VADER's rules (the rules score, labelled at VADER's 0.05); the
 * issue's cases at the end check what the agent sees (score, label, emotion). */
static double score_of(const char *text)
{
    sentiment_result r;
    sentiment_score(lx, text, &r);
    return r.rules_score;
}

static int rules_label(double x)
{
    return x >= 0.05 ? SENTIMENT_POSITIVE : x <= -0.05 ? SENTIMENT_NEGATIVE : SENTIMENT_NEUTRAL;
}

static bool has_term(const sentiment_result *r, const char *term)
{
    for (int i = 0; i < r->nterms; i++)
        if (strcmp(r->terms[i], term) == 0)
            return true;
    return false;
}

typedef struct {
    const char *text;
    int label;
    const char *term;   /* a term that must be reported, or NULL */
} label_case;

static void check_labels(const label_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sentiment_result r;
        sentiment_score(lx, cases[i].text, &r);
        if (rules_label(r.rules_score) != cases[i].label)
            fprintf(stderr, "  \"%s\": rules score %.3f\n", cases[i].text, r.rules_score);
        CHECK_INT(rules_label(r.rules_score), cases[i].label);
        if (cases[i].term && !has_term(&r, cases[i].term)) {
            fprintf(stderr, "  \"%s\": term \"%s\" missing (got %d terms%s%s)\n", cases[i].text,
                    cases[i].term, r.nterms, r.nterms ? ", first " : "", r.nterms ? r.terms[0] : "");
            CHECK(0);
        }
    }
}

/* stronger > weaker in the direction of the sentiment */
typedef struct {
    const char *stronger, *weaker;
} order_case;

static void check_order(const order_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double a = fabs(score_of(cases[i].stronger)), b = fabs(score_of(cases[i].weaker));
        if (!(a > b))
            fprintf(stderr, "  |%s| = %.3f should exceed |%s| = %.3f\n", cases[i].stronger, a,
                    cases[i].weaker, b);
        CHECK(a > b);
    }
}

static void test_load(void)
{
    char err[256] = "";
    CHECK(lx != NULL);
    CHECK(sentiment_word_count(lx) > 7000);
    CHECK(sentiment_phrase_count(lx) > 50);
    sentiment_lexicon *none = sentiment_load("/nonexistent-dir", err, sizeof err);
    CHECK(none == NULL);
    CHECK(strstr(err, "/nonexistent-dir/lexicon/") != NULL);
}

static void test_negation(void)
{
    static const label_case cases[] = {
        {"I am happy", SENTIMENT_POSITIVE, "happy"},
        {"I am not happy", SENTIMENT_NEGATIVE, "not happy"},
        {"I'm not very happy with this", SENTIMENT_NEGATIVE, "not very happy"},
        {"this never works", SENTIMENT_NEGATIVE, NULL},
        {"it isn't good", SENTIMENT_NEGATIVE, "isn't good"},
        {"it isn’t good", SENTIMENT_NEGATIVE, NULL},
        {"that's not bad at all", SENTIMENT_POSITIVE, NULL},
        {"I don't love it", SENTIMENT_NEGATIVE, NULL},
        {"no problem at all", SENTIMENT_POSITIVE, NULL},
        /* negation does not reach across clause punctuation */
        {"No, it's great", SENTIMENT_POSITIVE, "great"},
        /* out of the 3-word scope */
        {"not that I would say the staff were anything but helpful", SENTIMENT_POSITIVE, NULL},
    };
    check_labels(cases, sizeof cases / sizeof cases[0]);
}

static void test_boosters(void)
{
    static const order_case cases[] = {
        {"I am very happy", "I am happy"},
        {"I am extremely annoyed", "I am annoyed"},
        {"I am annoyed", "I am slightly annoyed"},
        {"I am annoyed", "I am kind of annoyed"},
        {"this is really really bad", "this is bad"},
    };
    check_order(cases, sizeof cases / sizeof cases[0]);
    /* a booster carries no sentiment of its own */
    CHECK(fabs(score_of("very")) < 1e-9);
    CHECK(fabs(score_of("pretty much")) < 1e-9);
}

static void test_contrast(void)
{
    static const label_case cases[] = {
        {"The agent was nice but the product is terrible", SENTIMENT_NEGATIVE, "terrible"},
        {"The product is terrible but the agent was nice", SENTIMENT_POSITIVE, "nice"},
        {"It was slow, however the result is excellent", SENTIMENT_POSITIVE, NULL},
    };
    check_labels(cases, sizeof cases / sizeof cases[0]);
    /* what follows "but" weighs more than the same words alone */
    CHECK(score_of("fine but the wait was awful") < score_of("the wait was awful and fine"));
}

static void collect_feature(void *ctx, const char *feat, size_t len, double value, int first, int last)
{
    (void)value, (void)first, (void)last;
    char *all = ctx;
    size_t at = strlen(all);
    if (at + len + 2 < 1024)
        snprintf(all + at, 1024 - at, "%.*s|", (int)len, feat);
}

/* the learned model's features: the words after a contrast word again, as "^word" */
static void test_contrast_features(void)
{
    char all[1024] = "|";
    sentiment_features(lx, "the cast is fine but the plot isn't good", collect_feature, all);
    CHECK(strstr(all, "|^plot|") != NULL);
    CHECK(strstr(all, "|^!good|") != NULL);   /* negated after the turn */
    CHECK(strstr(all, "|^cast|") == NULL);    /* before it */
    CHECK(strstr(all, "|^but|") == NULL);
    CHECK(strstr(all, "|cast|") != NULL);
    all[1] = 0;
    sentiment_features(lx, "fine and good", collect_feature, all);
    CHECK(strchr(all, '^') == NULL);
}

static void test_emphasis(void)
{
    static const order_case cases[] = {
        {"I am VERY happy with this", "I am very happy with this"},
        {"This is TERRIBLE service", "This is terrible service"},
        {"great service!!!", "great service"},
        {"great service!!!!", "great service!"},
        {"why is this broken??", "why is this broken"},
    };
    check_order(cases, sizeof cases / sizeof cases[0]);
    /* all capitals everywhere is not emphasis (VADER's cap differential) */
    CHECK(fabs(score_of("THIS IS TERRIBLE") - score_of("this is terrible")) < 1e-9);
    /* "!" alone carries no sentiment */
    CHECK(fabs(score_of("hello!!!")) < 1e-9);
}

static void test_emoji(void)
{
    static const label_case cases[] = {
        {"thanks 😀", SENTIMENT_POSITIVE, "😀"},
        {"ok 😡", SENTIMENT_NEGATIVE, "😡"},
        {"👍🏽", SENTIMENT_POSITIVE, NULL},                 /* skin tone */
        {"❤️", SENTIMENT_POSITIVE, NULL},                  /* variation selector */
        {"my parcel is late 😢😢", SENTIMENT_NEGATIVE, NULL},
        {"works now:)", SENTIMENT_POSITIVE, NULL},
        {"still broken :(", SENTIMENT_NEGATIVE, ":("},
        {"ok :-)", SENTIMENT_POSITIVE, ":-)"},
        {"seen it <3", SENTIMENT_POSITIVE, "<3"},
        {"great😀", SENTIMENT_POSITIVE, "😀"},
    };
    check_labels(cases, sizeof cases / sizeof cases[0]);
    CHECK(score_of("thanks 😀😀") > score_of("thanks"));
}

static void test_domain_phrases(void)
{
    static const label_case cases[] = {
        {"This is the third time I'm calling about this", SENTIMENT_NEGATIVE, "third time i'm calling"},
        {"third time im calling", SENTIMENT_NEGATIVE, "third time im calling"},
        {"I want to cancel my account", SENTIMENT_NEGATIVE, "cancel my account"},
        {"It's still not fixed", SENTIMENT_NEGATIVE, "still not fixed"},
        {"That sorted it, thanks", SENTIMENT_POSITIVE, "that sorted it"},
        {"You've been very helpful", SENTIMENT_POSITIVE, "you've been very helpful"},
        {"you’ve been very helpful", SENTIMENT_POSITIVE, NULL},
        {"I've been on hold for forty minutes", SENTIMENT_NEGATIVE, NULL},
        {"I was charged twice this month", SENTIMENT_NEGATIVE, "charged twice"},
        {"it's working now, thanks so much", SENTIMENT_POSITIVE, NULL},
        {"I'm at the end of my tether", SENTIMENT_NEGATIVE, NULL},
        /* ... but not elsewhere */
        {"you explained that really well", SENTIMENT_POSITIVE, "well"},
        /* a phrase wins over the "kind of" dampener */
        {"that's really kind of you", SENTIMENT_POSITIVE, "kind of you"},
        {"well thanks for nothing", SENTIMENT_NEGATIVE, "thanks for nothing"},
    };
    check_labels(cases, sizeof cases / sizeof cases[0]);
}

static void test_neutral(void)
{
    static const label_case cases[] = {
        {"", SENTIMENT_NEUTRAL, NULL},
        {"I'll check that for you", SENTIMENT_NEUTRAL, NULL},
        {"my order number is 88231", SENTIMENT_NEUTRAL, NULL},
        {"can you confirm your postcode", SENTIMENT_NEUTRAL, NULL},
        {"well I'd like to change my address", SENTIMENT_NEUTRAL, NULL},
        {"!!! ??? ...", SENTIMENT_NEUTRAL, NULL},
        /* spelled-out letters carry no sentiment ("l" alone is in the VADER lexicon) */
        {"uh the postcode is l s six two q t", SENTIMENT_NEUTRAL, NULL},
        /* "well" opening a clause is a filler ... */
        {"well I called yesterday", SENTIMENT_NEUTRAL, NULL},
        {"ok, well the box is in the hall", SENTIMENT_NEUTRAL, NULL},
        {"I'm not sure which box it is", SENTIMENT_NEUTRAL, NULL},
    };
    check_labels(cases, sizeof cases / sizeof cases[0]);
}

static void test_terms_and_bounds(void)
{
    sentiment_result r;
    sentiment_score(lx, "awful awful terrible horrible bad worst hate angry sad useless rubbish", &r);
    CHECK_INT(r.nterms, SENTIMENT_MAX_TERMS);
    CHECK(r.rules_score >= -1 && r.rules_score < -0.9);
    CHECK(r.score < -0.5);
    /* strongest first */
    CHECK_STR(r.terms[0], "worst");
    sentiment_score(lx, "I LOVE THIS SO MUCH!!!!!!! 😍😍😍😍 amazing wonderful perfect best", &r);
    CHECK(r.rules_score <= 1 && r.rules_score > 0.9);
    CHECK(r.score > 0.5);
    /* a term longer than the buffer is cut at a character boundary */
    sentiment_score(lx, "happy😀😀😀😀😀😀😀😀😀😀😀😀😀😀", &r);
    for (int i = 0; i < r.nterms; i++)
        CHECK(strlen(r.terms[i]) < SENTIMENT_TERM_LEN);
    CHECK_STR(sentiment_label_name(SENTIMENT_NEGATIVE), "negative");
    CHECK_STR(sentiment_label_name(SENTIMENT_NEUTRAL), "neutral");
    CHECK_STR(sentiment_label_name(SENTIMENT_POSITIVE), "positive");
    CHECK_INT(sentiment_label_of(SENTIMENT_THRESHOLD), SENTIMENT_POSITIVE);
    CHECK_INT(sentiment_label_of(SENTIMENT_THRESHOLD - 0.001), SENTIMENT_NEUTRAL);
    CHECK_INT(sentiment_label_of(-SENTIMENT_THRESHOLD), SENTIMENT_NEGATIVE);
}

static void test_long_text(void)
{
    size_t n = 200000;
    char *big = malloc(n + 1);
    CHECK(big != NULL);
    if (!big)
        return;
    for (size_t i = 0; i < n; i++)
        big[i] = "bad good "[i % 9];
    big[n] = 0;
    sentiment_result r;
    sentiment_score(lx, big, &r);
    CHECK(r.score >= -1 && r.score <= 1);
    memset(big, 'a', n);    /* one enormous word */
    sentiment_score(lx, big, &r);
    CHECK_INT(r.nterms, 0);
    free(big);
}

/* every line of a hostile file: in range, label consistent, terms terminated */
static void run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[65536];
    int lines = 0;
    while (fgets(line, sizeof line, f)) {
        sentiment_result r;
        sentiment_score(lx, line, &r);
        CHECK(r.score >= -1 && r.score <= 1);
        CHECK_INT(r.label, sentiment_label_of(r.score));
        CHECK(r.nterms >= 0 && r.nterms <= SENTIMENT_MAX_TERMS);
        for (int i = 0; i < r.nterms; i++)
            CHECK(memchr(r.terms[i], 0, SENTIMENT_TERM_LEN) != NULL);
        double base = sentiment_lexicon_sum(lx, line);
        CHECK(isfinite(base));
        lines++;
    }
    fclose(f);
    CHECK(lines > 100);
}

static void test_hostile_files(void)
{
    run_file("../shared/fixtures/blns.txt");
    run_file("../shared/fixtures/UTF-8-test.txt");
}

static void test_baseline(void)
{
    /* the plain lexicon sum knows no negation, phrases or emoji: what the benchmark shows */
    CHECK(sentiment_lexicon_sum(lx, "I am not happy") > 0);
    CHECK(fabs(sentiment_lexicon_sum(lx, "third time I'm calling")) < 1e-9);
    CHECK(sentiment_lexicon_sum(lx, "good bad") == sentiment_lexicon_sum(lx, "bad good"));
}

static void test_trend(void)
{
    sentiment_trend t;
    sentiment_trend_init(&t, 0);
    CHECK_INT(t.n, 0);
    sentiment_trend_add(&t, -0.5);
    CHECK(fabs(t.ewma + 0.5) < 1e-9);           /* first score is the mean */
    CHECK(fabs(t.slope) < 1e-9);
    sentiment_trend_add(&t, -0.5);
    sentiment_trend_add(&t, -0.5);
    CHECK(fabs(t.ewma + 0.5) < 1e-9);
    CHECK(fabs(t.slope) < 1e-9);                /* flat */
    sentiment_trend_add(&t, 1.0);
    CHECK(fabs(t.ewma - (0.3 * 1.0 + 0.7 * -0.5)) < 1e-9);   /* default alpha 0.3 */
    CHECK(t.slope > 0);
    CHECK_INT(t.n, 4);

    static const double falling[] = {0.8, 0.6, 0.2, -0.3, -0.7, -0.9, -0.9};
    sentiment_trend_init(&t, 0.5);
    for (size_t i = 0; i < sizeof falling / sizeof falling[0]; i++)
        sentiment_trend_add(&t, falling[i]);
    CHECK(t.slope < 0);
    CHECK(t.ewma < 0 && t.ewma >= -1);
    sentiment_trend_add(&t, NAN);               /* ignored */
    CHECK_INT(t.n, 7);
}

/* The issue's bad cases, as behaviour (regressions, not a tuning set). */
typedef struct {
    const char *text;
    int sign;           /* of the score: -1, 0 (neutral label), 1 */
    int emotion;        /* EMOTION_*, or -1 for any */
} issue_case;

static void test_issue_cases(void)
{
    static const issue_case cases[] = {
        {"Oh great, another outage", -1, EMOTION_FRUSTRATION},
        {"no shit. sort it out or i'm leaving", -1, EMOTION_ANGER},
        {"I didn't order anything", -1, EMOTION_ANXIETY},
        {"someone's got into my account", -1, EMOTION_ANXIETY},
        {"the engineer never turned up", -1, EMOTION_FRUSTRATION},
        {"That offer is killer, sign me up", 1, EMOTION_SATISFACTION},
        {"It's orange. Is orange bad?", 0, -1},
        {"just what I needed, the broadband is down again", -1, EMOTION_FRUSTRATION},
        /* a negator five words before the sentiment word still turns it */
        {"I don't think the new router is in any way good", -1, -1},
        {"thank you so much, that's sorted it", 1, EMOTION_SATISFACTION},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sentiment_result r;
        sentiment_score(lx, cases[i].text, &r);
        int sign = cases[i].sign ? (r.score > 0 ? 1 : -1) : r.label;
        bool ok = cases[i].sign ? sign == cases[i].sign : r.label == SENTIMENT_NEUTRAL;
        if (!ok || (cases[i].emotion >= 0 && r.emotion != cases[i].emotion))
            fprintf(stderr, "  \"%s\": score %+.3f, %s (%.2f)\n", cases[i].text, r.score,
                    sentiment_emotion_name(r.emotion), r.emotion_p);
        CHECK(ok);
        if (cases[i].emotion >= 0)
            CHECK_STR(sentiment_emotion_name(r.emotion), sentiment_emotion_name(cases[i].emotion));
    }
    /* the carrier words are named, in the text's own words */
    sentiment_result r;
    sentiment_score(lx, "Oh great, another outage", &r);
    CHECK(r.ncues >= 1);
    CHECK_STR(r.cues[0], "oh great");
}

static void test_trend_direction(void)
{
    sentiment_trend t;
    /* a hostile plateau with noise: low level, no direction, never "improving" */
    static const double plateau[] = {-0.8, -0.6, -0.85, -0.7, -0.9, -0.65, -0.8};
    sentiment_trend_init(&t, 0);
    for (size_t i = 0; i < sizeof plateau / sizeof plateau[0]; i++) {
        sentiment_trend_add(&t, plateau[i]);
        CHECK(t.direction <= 0);
    }
    CHECK_STR(sentiment_level_name(t.ewma), "hostile");
    CHECK_INT(t.direction, 0);
    /* a real recovery is seen */
    static const double rising[] = {-0.8, -0.4, 0.0, 0.4, 0.8};
    sentiment_trend_init(&t, 0);
    for (size_t i = 0; i < sizeof rising / sizeof rising[0]; i++)
        sentiment_trend_add(&t, rising[i]);
    CHECK_INT(t.direction, 1);
    CHECK_STR(sentiment_level_name(0), "neutral");
    CHECK_STR(sentiment_level_name(0.4), "positive");
    CHECK_STR(sentiment_level_name(-0.3), "negative");
}

static void test_lexicon_table(void)
{
    lexicon *t = lexicon_new();
    CHECK(t != NULL);
    char key[16];
    for (int i = 0; i < 5000; i++) {   /* forces several grows */
        int n = snprintf(key, sizeof key, "k%d", i);
        CHECK_INT(lexicon_put(t, key, (size_t)n, i), 1);
    }
    CHECK_INT(lexicon_count(t), 5000);
    double v = -1;
    CHECK(lexicon_get(t, "k4321", 5, &v));
    CHECK(v == 4321);
    CHECK_INT(lexicon_put(t, "k1", 2, 99), 0);   /* first value wins */
    CHECK(lexicon_get(t, "k1", 2, &v) && v == 1);
    CHECK_INT(lexicon_set(t, "k1", 2, 99), 0);
    CHECK(lexicon_get(t, "k1", 2, &v) && v == 99);
    CHECK(!lexicon_get(t, "k5000", 5, &v));
    CHECK(!lexicon_get(t, "k1", 1, &v));        /* prefix is not a match */
    lexicon_free(t);
}

typedef struct {
    int n;
    char seen[8][64];
} tsv_lines;

static int note_line(void *ctx, char **f, int nf, int lineno, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    tsv_lines *t = ctx;
    if (t->n < 8) {
        int at = snprintf(t->seen[t->n], sizeof t->seen[0], "%d:", lineno);
        for (int i = 0; i < nf; i++)
            at += snprintf(t->seen[t->n] + at, sizeof t->seen[0] - (size_t)at, "%s[%s]", i ? "," : "", f[i]);
    }
    t->n++;
    return 0;
}

/* The line reader the data files go through: comments and blank lines skipped, CR LF and a
 * last line without its newline read whole, fields split on tabs, a line over 4 KiB refused
 * with its number. */
static void test_tsv_reader(void)
{
    char path[] = "/tmp/agentdesk-tsv-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs("# a comment\n\nword\t1.5\r\n\t\tx\nlast\t-2", fp);
    fclose(fp);
    tsv_lines t = {0};
    char err[200] = "";
    CHECK_INT(lexicon_read_tsv(path, note_line, &t, err, sizeof err), 0);
    CHECK_INT(t.n, 3);
    CHECK_STR(t.seen[0], "3:[word],[1.5]");
    CHECK_STR(t.seen[1], "4:[],[],[x]");
    CHECK_STR(t.seen[2], "5:[last],[-2]");
    fp = fopen(path, "w");
    fputs("ok\n", fp);
    for (int i = 0; i < 4095; i++)
        fputc('a', fp);
    fputs("\nafter\n", fp);
    fclose(fp);
    t.n = 0;
    CHECK_INT(lexicon_read_tsv(path, note_line, &t, err, sizeof err), -1);
    CHECK(strstr(err, ":2: line too long") != NULL);
    CHECK_INT(t.n, 1);
    fp = fopen(path, "w"); /* 4,094 bytes and its newline still fit */
    for (int i = 0; i < 4094; i++)
        fputc('a', fp);
    fputs("\n", fp);
    fclose(fp);
    t.n = 0;
    CHECK_INT(lexicon_read_tsv(path, note_line, &t, err, sizeof err), 0);
    CHECK_INT(t.n, 1);
    unlink(path);
    CHECK_INT(lexicon_read_tsv(path, note_line, &t, err, sizeof err), -1);
    CHECK(strstr(err, "cannot read") != NULL);
}

int main(void)
{
    char err[256];
    lx = sentiment_load("data", err, sizeof err);
    if (!lx)
        fprintf(stderr, "sentiment_load: %s\n", err);
    RUN(test_load);
    if (lx) {
        RUN(test_negation);
        RUN(test_boosters);
        RUN(test_contrast);
        RUN(test_contrast_features);
        RUN(test_emphasis);
        RUN(test_emoji);
        RUN(test_domain_phrases);
        RUN(test_neutral);
        RUN(test_terms_and_bounds);
        RUN(test_long_text);
        RUN(test_hostile_files);
        RUN(test_baseline);
        RUN(test_issue_cases);
    }
    RUN(test_trend_direction);
    RUN(test_trend);
    RUN(test_lexicon_table);
    RUN(test_tsv_reader);
    sentiment_free(lx);
    return check_done("test_sentiment");
}
