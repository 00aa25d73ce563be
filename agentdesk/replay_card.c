/* replay_card.c — the score card pane of the replay (see replay_card.h). Rows are the
 * sections' titles and their criteria; the selection moves over criteria only, so every
 * key answers the row it is on. */
#include "agentdesk/replay_card.h"
#include "base/mem.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct replay_card {
    scorecard_answers *as;
    pane *p;
    list *l;
    size_t *row_item;        /* per row: the criterion + 1, 0 for a section's title */
    size_t *item_row;        /* per criterion: its row */
    size_t n_rows;
    char mark[16], right[16], detail[1400];
    const char *refusal;
};

static const scorecard_section *row_section(const replay_card *c, size_t row)
{
    const scorecard *card = c->as->card;
    for (size_t s = 0; s < card->n_sections; s++)
        if (c->item_row[card->sections[s].first] == row + 1) return &card->sections[s];
    return NULL;
}

static size_t get_count(void *ctx) { return ((replay_card *)ctx)->n_rows; }

static void get_item(void *ctx, size_t row, list_item *out)
{
    replay_card *c = ctx;
    if (!c->row_item[row]) {
        const scorecard_section *s = row_section(c, row);
        out->text = s ? s->title : "";
        out->text_item = THEME_PANE_TITLE;
        return;
    }
    size_t i = c->row_item[row] - 1;
    const scorecard_item *it = &c->as->card->items[i];
    const scorecard_answer *a = &c->as->a[i];
    if (a->value == SC_NONE) snprintf(c->mark, sizeof c->mark, "  ·");
    else if (it->kind == SC_SCALE && a->value != SC_NA) snprintf(c->mark, sizeof c->mark, "%s/5", scorecard_value_name(a->value));
    else snprintf(c->mark, sizeof c->mark, "%s", scorecard_value_name(a->value));
    out->mark = c->mark;
    out->mark_item = a->suggested ? THEME_HINT : a->value == SC_NO || a->value == SC_1 || a->value == SC_2
                   ? THEME_STATUS_BAD : a->value == SC_NONE ? THEME_LIST_DETAIL : THEME_STATUS_OK;
    out->text = it->text;
    if (a->suggested) { out->badge = "suggested"; out->badge_item = THEME_HINT; }
    else if (a->comment) out->badge = "comment";
    snprintf(c->right, sizeof c->right, "×%d", it->weight);
    out->right = c->right;
    out->right_item = THEME_LIST_DETAIL;
    /* only the selected row says why: the list stays one row a criterion */
    if (row == list_selected(c->l) && (a->why || a->comment)) {
        /* the trainer's own words first: a narrow screen cuts the end */
        snprintf(c->detail, sizeof c->detail, "%s%s%s%s%s", a->comment ? "comment: " : "", a->comment ? a->comment : "",
                 a->why && a->comment ? " · " : "", a->why && a->suggested ? "suggested: " : a->why ? "evidence: " : "",
                 a->why ? a->why : "");
        out->detail = c->detail;
    }
}

replay_card *replay_card_new(scorecard_answers *as)
{
    replay_card *c = mem_zalloc(1, sizeof *c);
    const scorecard *card = as->card;
    c->as = as;
    c->n_rows = card->n_sections + card->n_items;
    c->row_item = mem_zalloc(c->n_rows, sizeof *c->row_item);
    c->item_row = mem_zalloc(card->n_items, sizeof *c->item_row);
    size_t row = 0;
    for (size_t s = 0; s < card->n_sections; s++) {
        row++;   /* the section's title */
        for (size_t k = 0; k < card->sections[s].count; k++, row++) {
            size_t i = card->sections[s].first + k;
            c->row_item[row] = i + 1;
            c->item_row[i] = row;
        }
    }
    c->p = pane_new(PANE_BOX, "Score card");
    c->l = list_new((list_source){get_count, get_item, c});
    list_set_mark_cols(c->l, 5);
    list_set_show_selection(c->l, true, true);
    list_select(c->l, c->item_row[0]);
    return c;
}

void replay_card_free(replay_card *c)
{
    if (!c) return;
    pane_set_child(c->p, NULL);
    widget_destroy(pane_widget(c->p));
    widget_destroy(list_widget(c->l));
    free(c->row_item);
    free(c->item_row);
    free(c);
}

pane *replay_card_pane(replay_card *c) { return c->p; }
list *replay_card_list(replay_card *c) { return c->l; }

size_t replay_card_selected(const replay_card *c)
{
    size_t row = list_selected(c->l);
    return row < c->n_rows && c->row_item[row] ? c->row_item[row] - 1 : 0;
}

const char *replay_card_refusal(const replay_card *c) { return c->refusal ? c->refusal : ""; }

void replay_card_sync(replay_card *c)
{
    scorecard_score s = scorecard_total(c->as);
    char title[PANE_TITLE_MAX];
    if (s.possible)
        snprintf(title, sizeof title, "Score card · %s · %.0f%% · %zu/%zu answered", c->as->card->title, s.percent,
                 s.answered, s.total);
    else
        snprintf(title, sizeof title, "Score card · %s · no score yet · %zu/%zu answered", c->as->card->title,
                 s.answered, s.total);
    pane_set_title(c->p, title);
    char right[48] = "";
    if (s.suggested) snprintf(right, sizeof right, "%zu suggested: Enter confirms", s.suggested);
    pane_set_right(c->p, right);
    list_changed(c->l);
}

static void step(replay_card *c, int dir)
{
    size_t i = replay_card_selected(c), n = c->as->card->n_items;
    if (dir < 0 && i > 0) i--;
    else if (dir > 0 && i + 1 < n) i++;
    list_select(c->l, c->item_row[i]);
}

replay_card_result replay_card_key(replay_card *c, int key)
{
    size_t i = replay_card_selected(c);
    const scorecard_item *it = &c->as->card->items[i];
    scorecard_value v = SC_NONE;
    c->refusal = NULL;
    switch (key) {
    case WK_FN(KEY_UP): case 'k': step(c, -1); return CARD_MOVED;
    case WK_FN(KEY_DOWN): case 'j': step(c, 1); return CARD_MOVED;
    case WK_FN(KEY_HOME): list_select(c->l, c->item_row[0]); return CARD_MOVED;
    case WK_FN(KEY_END): list_select(c->l, c->item_row[c->as->card->n_items - 1]); return CARD_MOVED;
    case WK_FN(KEY_PPAGE): case WK_FN(KEY_NPAGE):
        for (int k = 0; k < 8; k++) step(c, key == WK_FN(KEY_PPAGE) ? -1 : 1);
        return CARD_MOVED;
    case WK_ESC: case 's': return CARD_CLOSE;
    case 'c': return CARD_COMMENT;
    case WK_ENTER: case 10: case WK_FN(KEY_ENTER):
        if (!c->as->a[i].suggested) return CARD_MOVED;
        scorecard_confirm(c->as, i);
        step(c, 1);   /* confirming goes down the card, as a reviewer reads it */
        return CARD_CHANGED;
    case 'y': v = SC_YES; break;
    case 'n': v = SC_NO; break;
    case 'x': v = SC_NA; break;
    case '1': case '2': case '3': case '4': case '5': v = (scorecard_value)(key - '0'); break;
    default: return CARD_IGNORED;
    }
    if (!scorecard_set(c->as, i, v)) {
        c->refusal = v == SC_NA ? "this item cannot be N/A"
                   : it->kind == SC_SCALE ? "this item is scored 1-5 (or x for N/A)"
                                          : "this item is yes or no (y/n), not 1-5";
        return CARD_REFUSED;
    }
    step(c, 1);
    return CARD_CHANGED;
}
