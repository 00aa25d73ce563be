/* scorecard.h — a trainer's score card: the form (data/scorecards/NAME.json) and its answers.
 *
 * The form:
 *   {"format":"agentdesk.scorecard","version":1,"id":"...","title":"...",
 *    "sections":[{"id":"...","title":"...","criteria":[
 *       {"id":"...","text":"...","kind":"yesno"|"scale","weight":N,"na":true,"evidence":"..."}]}]}
 * `weight` 1..100 (default 1); `na` lets a yes/no item be answered N/A (a 1-5 item always may);
 * `evidence` names what the recording can suggest (scorecard_evidence.h). Every field is
 * checked as it loads; an unknown field is refused by name, and so are duplicate ids.
 *
 * Scoring: yes 1, no 0, a scale k of 1..5 counts (k-1)/4; the total is the weighted mean of
 * the answered items as a percent. N/A and unanswered items are left out of the denominator;
 * a suggested answer counts (the trainer sees the total it gives) until it is changed.
 *
 * Invariant: answers[i] belongs to the i-th criterion in form order (sections flattened). */
#ifndef AGENTDESK_SCORECARD_H
#define AGENTDESK_SCORECARD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define SCORECARD_COMMENT_MAX 1000   /* bytes of one comment */

typedef enum { SC_YESNO, SC_SCALE } scorecard_kind;

/* none: not answered; yes/no/na; 1..5 a scale's value */
typedef enum { SC_NONE = 0, SC_1 = 1, SC_2, SC_3, SC_4, SC_5, SC_YES, SC_NO, SC_NA } scorecard_value;

typedef struct {
    char *id, *text, *evidence;        /* evidence NULL: none */
    scorecard_kind kind;
    int weight;
    bool na;                           /* N/A allowed */
    size_t section;
} scorecard_item;

typedef struct {
    char *id, *title;
    size_t first, count;               /* its items */
} scorecard_section;

typedef struct {
    char *id, *title;
    scorecard_section *sections;
    size_t n_sections;
    scorecard_item *items;
    size_t n_items;
} scorecard;

typedef struct {
    scorecard_value value;
    bool suggested;                    /* from the recording's evidence, not yet confirmed */
    char *why;                         /* the evidence behind a suggestion, or NULL */
    char *comment;                     /* the trainer's, or NULL */
} scorecard_answer;

typedef struct {
    const scorecard *card;
    scorecard_answer *a;               /* card->n_items */
} scorecard_answers;

typedef struct {
    double percent;                    /* 0..100; 0 when nothing counts */
    int earned_w100;                   /* weighted points x100 (for exact tests) */
    int possible;                      /* sum of the counted items' weights */
    size_t answered, na, suggested, total;
} scorecard_score;

/* Load and check a form. false with a message naming the file and what is wrong. */
bool scorecard_load_file(scorecard *c, const char *path, char *err, size_t errlen);
bool scorecard_load_json(scorecard *c, const json_t *j, const char *where, char *err, size_t errlen);
void scorecard_free(scorecard *c);

void scorecard_answers_init(scorecard_answers *as, const scorecard *c);
void scorecard_answers_free(scorecard_answers *as);
/* Set item i's value (confirms it: not suggested). false when the item does not take it
 * (a scale value on a yes/no item, N/A where not allowed). */
bool scorecard_set(scorecard_answers *as, size_t i, scorecard_value v);
/* Confirm a suggestion as it stands. */
void scorecard_confirm(scorecard_answers *as, size_t i);
/* Suggest a value with its reason, unless the item already has a confirmed answer. */
void scorecard_suggest(scorecard_answers *as, size_t i, scorecard_value v, const char *why);
void scorecard_set_comment(scorecard_answers *as, size_t i, const char *text);
scorecard_score scorecard_total(const scorecard_answers *as);
/* "yes", "no", "n/a", "1".."5", "" for none. */
const char *scorecard_value_name(scorecard_value v);

/* The confirmed answers and comments as kept in the sidecar:
 *   {"card":"ID","answers":{"ITEM":{"value":"yes","comment":"..."}}} (suggestions are not
 * kept: they are worked out again from the recording). */
json_t *scorecard_answers_to_json(const scorecard_answers *as);
/* Take the kept answers back; items the form no longer has are counted in *dropped. false
 * when the JSON is not answers to this card (another card's id, a bad shape). */
bool scorecard_answers_from_json(scorecard_answers *as, const json_t *j, size_t *dropped, char *err,
                                 size_t errlen);
/* For the export: every item with its value, whether suggested, why, comment, and the total. */
json_t *scorecard_export_json(const scorecard_answers *as);

#endif
