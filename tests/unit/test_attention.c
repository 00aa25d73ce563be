/* test_attention.c — emotional charge, complexity, quadrant and the attention order, on a
 * table of interactions a supervisor would rank by hand. */
#include "tests/unit/check.h"
#include "agentdesk/attention.h"

#include <math.h>

#define MIN 60000

static const struct {
    const char *name;
    attention_in in;
    const char *quadrant;
    double charge, complexity;     /* expected, to 0.001 */
} cases[] = {
    {"calm, short, one issue", {.has_sentiment = true, .sentiment = 0.4, .issues = 1,
      .duration_ms = 2 * MIN, .queue_norm_ms = 5 * MIN}, "LL", 0, 0},
    {"no sentiment yet", {.issues = 0, .duration_ms = 10000}, "LL", 0, 0},
    {"angry, worsening, short", {.has_sentiment = true, .sentiment = -0.6, .direction = -1,
      .emotion = "anger", .issues = 1, .duration_ms = MIN, .queue_norm_ms = 5 * MIN}, "LH",
     0.55 * 0.6 + 0.15 + 0.15, 0},
    {"negative but steady and unemotional", {.has_sentiment = true, .sentiment = -0.5,
      .emotion = "confusion"}, "LL", 0.275, 0},
    {"long, three issues, calm", {.has_sentiment = true, .sentiment = 0.1, .issues = 3,
      .duration_ms = 10 * MIN, .queue_norm_ms = 5 * MIN}, "HL", 0, 0.3 * 2 / 3.0 + 0.3},
    {"bot failed, customer frustrated, severe flag", {.has_sentiment = true, .sentiment = -0.7,
      .direction = -1, .emotion = "frustration", .worst_flag = 3, .bot_failed = true,
      .transfers = 1, .issues = 2}, "HH", 0.55 * 0.7 + 0.45, 0.1 + 0.1 + 0.2},
    {"everything at once saturates", {.has_sentiment = true, .sentiment = -1, .direction = -1,
      .emotion = "anger", .worst_flag = 3, .issues = 9, .duration_ms = 30 * MIN,
      .queue_norm_ms = 5 * MIN, .transfers = 5, .bot_failed = true, .hand_raised = true},
     "HH", 1, 1},
};

static const attention_in *find(const char *name)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (strcmp(cases[i].name, name) == 0) return &cases[i].in;
    return NULL;
}

static void test_table(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        attention_out o = attention_of(&cases[i].in);
        if (strcmp(attention_quadrant_name(o.quadrant), cases[i].quadrant) != 0 ||
            fabs(o.charge - cases[i].charge) > 0.001 || fabs(o.complexity - cases[i].complexity) > 0.001)
            fprintf(stderr, "  case \"%s\": got %s E %.3f C %.3f\n", cases[i].name,
                    attention_quadrant_name(o.quadrant), o.charge, o.complexity);
        CHECK_STR(attention_quadrant_name(o.quadrant), cases[i].quadrant);
        CHECK(fabs(o.charge - cases[i].charge) <= 0.001);
        CHECK(fabs(o.complexity - cases[i].complexity) <= 0.001);
        CHECK(o.score >= 0);
    }
}

/* people first, then a person helped, then automation helped, then automation */
static void test_quadrant_order(void)
{
    double hh = attention_of(find("bot failed, customer frustrated, severe flag")).score - 100;
    double lh = attention_of(find("angry, worsening, short")).score;
    double hl = attention_of(find("long, three issues, calm")).score;
    double ll = attention_of(find("calm, short, one issue")).score;
    CHECK(hh > lh);
    CHECK(lh > hl);
    CHECK(hl > ll);
}

/* a raised hand and a severe flag dominate whatever else an interaction has */
static void test_hand_and_flag_dominate(void)
{
    attention_in worst_unflagged = *find("everything at once saturates");
    worst_unflagged.hand_raised = false;
    worst_unflagged.worst_flag = 2;
    attention_in calm_flagged = *find("calm, short, one issue");
    calm_flagged.worst_flag = 3;
    attention_in calm_hand = *find("calm, short, one issue");
    calm_hand.hand_raised = true;
    double unflagged = attention_of(&worst_unflagged).score;
    double flagged = attention_of(&calm_flagged).score;
    double hand = attention_of(&calm_hand).score;
    CHECK(flagged > unflagged);
    CHECK(hand > flagged);
    CHECK(attention_of(find("everything at once saturates")).score > hand);
}

static void test_thresholds(void)
{
    attention_in in = {.has_sentiment = true, .sentiment = -(ATTENTION_HIGH_E / 0.55)};
    CHECK(attention_of(&in).charge_high);
    in.sentiment += 0.01;
    CHECK(!attention_of(&in).charge_high);
    /* an unknown queue norm never makes a call complex by its length */
    attention_in long_call = {.duration_ms = 60 * MIN, .queue_norm_ms = 0};
    CHECK_INT(attention_of(&long_call).complexity_high, 0);
    CHECK(attention_negative_emotion("anger"));
    CHECK(!attention_negative_emotion("satisfaction"));
    CHECK(!attention_negative_emotion(NULL));
}

int main(void)
{
    RUN(test_table);
    RUN(test_quadrant_order);
    RUN(test_hand_and_flag_dominate);
    RUN(test_thresholds);
    return check_done("test_attention");
}
