/* scene.h — the representative agent screen that the screen tests compose from widgets with
 * fixed sample data (no network, no clock), laid out per widgets/layout.h the way the
 * console's views do it. Header-only (static functions, like tests/unit/check.h) because
 * each tests/screen/test_*.c is built as one program. */
#ifndef AGENTDESK_TESTS_SCREEN_SCENE_H
#define AGENTDESK_TESTS_SCREEN_SCENE_H

#include <string.h>

#include "widgets/dialog.h"
#include "widgets/helpview.h"
#include "widgets/inputline.h"
#include "widgets/layout.h"
#include "widgets/list.h"
#include "widgets/pane.h"
#include "widgets/sparkline.h"
#include "widgets/statusbar.h"
#include "widgets/textlines.h"
#include "widgets/textview.h"
#include "widgets/toast.h"

enum { SCENE_ROWS_MAX = 16, SCENE_WIDGETS_MAX = 32 };

/* A display list's rows, as a model would hand them out. */
typedef struct scene_rows {
    list_item rows[SCENE_ROWS_MAX];
    size_t n;
} scene_rows;

typedef struct scene {
    layout lay;
    statusbar *header, *hints, *strip_flag;
    pane *list_pane, *transcript_pane, *sentiment_pane, *customer_pane, *flags_pane,
         *suggest_pane, *check_pane, *main_pane;
    list *interactions, *customer, *flags, *suggestions, *checklist;
    scene_rows interaction_rows, customer_rows, flag_rows, suggestion_rows, check_rows;
    textview *transcript;
    sparkline *sentiment, *strip;
    inputline *input;
    toast *toast;
    dialog *dialog;
    helpview *help;
    bool help_open;
    widget *order[SCENE_WIDGETS_MAX];
    size_t norder;
} scene;

static inline size_t scene_rows_count(void *ctx) { return ((scene_rows *)ctx)->n; }

static inline void scene_rows_get(void *ctx, size_t i, list_item *out)
{
    *out = ((scene_rows *)ctx)->rows[i];
}

static inline void scene_add_row(scene_rows *r, list_item it)
{
    if (r->n < SCENE_ROWS_MAX)
        r->rows[r->n++] = it;
}

static list *scene_list(scene_rows *r)
{
    return list_new((list_source){ scene_rows_count, scene_rows_get, r });
}

/* The scene's transcript lines live in a textlines list, the textview's source. */
static inline uint64_t scene_put(textview *tv, const textview_line *l)
{
    uint64_t seq = textlines_put(tv->src.ctx, l);
    textview_changed(tv);
    textview_line_changed(tv, seq);
    return seq;
}

static inline void scene_transcript_line(scene *s, const char *key, const char *off, const char *who,
                                  theme_item item, const char *text, unsigned flags)
{
    textview_line l = { .key = key, .offset = off, .label = who, .label_item = item,
                        .text = text, .flags = flags };
    scene_put(s->transcript, &l);
}

static inline void scene_init_data(scene *s)
{
    scene_add_row(&s->interaction_rows, (list_item){ .mark = "V", .text = "Maria Lopez",
        .right = "04:12", .badge = "!!", .badge_item = THEME_FLAG_2 });
    scene_add_row(&s->interaction_rows, (list_item){ .mark = "C", .text = "Tom Becker",
        .right = "01:55", .badge = "2", .badge_item = THEME_LIST_BADGE });
    scene_add_row(&s->interaction_rows, (list_item){ .mark = "C", .text = "Ines Duarte",
        .right = "00:40" });

    scene_add_row(&s->customer_rows, (list_item){ .text = "Maria Lopez",
        .text_item = THEME_PANE_TITLE, .right = "Gold · 6 yrs" });
    scene_add_row(&s->customer_rows, (list_item){ .text = "ID C-1042  [EMAIL]" });
    scene_add_row(&s->customer_rows, (list_item){ .text = "Past contacts",
        .text_item = THEME_PANE_TITLE });
    scene_add_row(&s->customer_rows, (list_item){ .text = " 02 Nov voice billing unresolved" });
    scene_add_row(&s->customer_rows, (list_item){ .text = " 28 Oct chat  billing callback" });
    scene_add_row(&s->customer_rows, (list_item){ .text = "Orders", .text_item = THEME_PANE_TITLE });
    scene_add_row(&s->customer_rows, (list_item){ .text = " #88231 Fibre 500",
        .right = "49.99/mo" });

    scene_add_row(&s->flag_rows, (list_item){ .mark = "[!!]", .mark_item = THEME_FLAG_2,
        .text = "churn intent", .right = "00:21", .detail = "\"cancel my account\"" });
    scene_add_row(&s->flag_rows, (list_item){ .mark = "[! ]", .mark_item = THEME_FLAG_1,
        .text = "repeat contact", .right = "00:09", .detail = "\"third time I'm calling\"" });

    scene_add_row(&s->suggestion_rows, (list_item){ .mark = "1",
        .mark_item = THEME_SUGGESTION_NUMBER, .text = "Duplicate charge refund",
        .detail = "\"I can see the two charges for March and I have refunded one\"" });
    scene_add_row(&s->suggestion_rows, (list_item){ .mark = "2",
        .mark_item = THEME_SUGGESTION_NUMBER, .text = "Retention: loyalty credit" });
    scene_add_row(&s->suggestion_rows, (list_item){ .mark = "3",
        .mark_item = THEME_SUGGESTION_NUMBER, .text = "Billing cycle explained" });

    scene_add_row(&s->check_rows, (list_item){ .mark = "[x]", .mark_item = THEME_CHECKLIST_DONE,
        .text = "recording notice", .text_item = THEME_CHECKLIST_DONE });
    scene_add_row(&s->check_rows, (list_item){ .mark = "[ ]", .mark_item = THEME_CHECKLIST_OPEN,
        .text = "verify identity" });
    scene_add_row(&s->check_rows, (list_item){ .mark = "[ ]", .mark_item = THEME_CHECKLIST_OPEN,
        .text = "offer survey" });
}

static inline void scene_init_transcript(scene *s)
{
    scene_transcript_line(s, "u1", "00:03", "bot", THEME_TRANSCRIPT_BOT,
                          "Welcome to Acme. How can I help today?", 0);
    scene_transcript_line(s, "u2", "00:09", "customer", THEME_TRANSCRIPT_CUSTOMER,
                          "I've been charged twice for March and this is the third time I'm "
                          "calling about it.", 0);
    scene_transcript_line(s, "u3", "00:15", "agent", THEME_TRANSCRIPT_AGENT,
                          "I'm sorry, Maria. Let me look at that now.", 0);
    scene_transcript_line(s, "w1", "00:18", "supervisor", THEME_TRANSCRIPT_SUPERVISOR,
                          "offer the loyalty credit if she asks", TEXTVIEW_WHISPER);
    scene_transcript_line(s, "u4", "00:19", "customer", THEME_TRANSCRIPT_CUSTOMER,
                          "My card is [CARD ****1234] and the email is [EMAIL].", 0);
    /* a partial that grows in place: only its last text shows */
    scene_transcript_line(s, "u5", "00:21", "customer", THEME_TRANSCRIPT_CUSTOMER,
                          "Honestly I'm", TEXTVIEW_PARTIAL);
    scene_transcript_line(s, "u5", "00:21", "customer", THEME_TRANSCRIPT_CUSTOMER,
                          "Honestly I'm about to cancel my account if nobody fixes", TEXTVIEW_PARTIAL);
}

static inline void scene_init_bars(scene *s)
{
    statusbar_seg segs[] = {
        { "agentdesk", THEME_HEADER_STATE, STATUSBAR_LEFT },
        { "Ana Ruiz", THEME_NORMAL, STATUSBAR_LEFT },
        { "ON INTERACTION", THEME_HEADER_STATE, STATUSBAR_LEFT },
        { "connected · 3 ms", THEME_STATUS_OK, STATUSBAR_CENTER },
        { "14:32:07", THEME_NORMAL, STATUSBAR_RIGHT },
        { "? help", THEME_NORMAL, STATUSBAR_RIGHT },
    };
    statusbar_set(s->header, segs, (int)(sizeof segs / sizeof segs[0]));
    statusbar_hint hints[] = {
        { "Tab", "next pane" }, { "1-3", "use suggestion" }, { "Enter", "send" },
        { "^N", "note" }, { "^R", "raise hand" }, { "^W", "wrap up" }, { "/", "search" },
        { "?", "help" }, { "q", "quit" },
    };
    statusbar_set_hints(s->hints, hints, (int)(sizeof hints / sizeof hints[0]));
    statusbar_seg flag[] = { { "[!!] churn intent \"cancel my account\"", THEME_FLAG_2,
                               STATUSBAR_LEFT } };
    statusbar_set(s->strip_flag, flag, 1);

    static const float trend[] = { -0.2f, -0.1f, -0.3f, 0.0f, 0.3f, 0.5f, 0.7f };
    sparkline_mark marks[] = {
        { "-", THEME_SENTIMENT_NEGATIVE }, { "0", THEME_SENTIMENT_NEUTRAL },
        { "-", THEME_SENTIMENT_NEGATIVE }, { "-", THEME_SENTIMENT_NEGATIVE },
        { "-", THEME_SENTIMENT_NEGATIVE },
    };
    sparkline_set_values(s->sentiment, trend, 7);
    sparkline_set_marks(s->sentiment, marks, 5);
    sparkline_set_values(s->strip, trend, 7);
    sparkline_set_label(s->strip, "sentiment -0.62 ↓", THEME_SENTIMENT_NEGATIVE);
    inputline_set_text(s->input, "Customer double-charged in March; refund raised");
}

static inline void scene_init(scene *s)
{
    memset(s, 0, sizeof *s);
    s->header = statusbar_new(THEME_HEADER);
    s->hints = statusbar_new(THEME_HINT);
    s->strip_flag = statusbar_new(THEME_NORMAL);
    s->list_pane = pane_new(PANE_BOX, "Mine (3)");
    s->transcript_pane = pane_new(PANE_BOX, "Maria Lopez · voice · billing · 04:12");
    s->sentiment_pane = pane_new(PANE_BOX, "Sentiment · customer -0.62 ↓");
    s->customer_pane = pane_new(PANE_BOX, "Customer");
    s->flags_pane = pane_new(PANE_BOX, "Flags (2)");
    s->suggest_pane = pane_new(PANE_BOX, "Suggestions");
    s->check_pane = pane_new(PANE_BOX, "Checklist (1/3)");
    s->main_pane = pane_new(PANE_TABS, NULL);
    static const char *const tabs[] = { "Transcript", "Customer", "Flags 2", "Suggest 3",
                                        "Checklist 1/3" };
    pane_set_tabs(s->main_pane, tabs, 5, 0);
    s->interactions = scene_list(&s->interaction_rows);
    list_set_mark_cols(s->interactions, 2);
    list_set_show_selection(s->interactions, true, true);
    s->customer = scene_list(&s->customer_rows);
    s->flags = scene_list(&s->flag_rows);
    s->suggestions = scene_list(&s->suggestion_rows);
    s->checklist = scene_list(&s->check_rows);
    list *display[] = { s->customer, s->flags, s->suggestions, s->checklist };
    for (size_t i = 0; i < 4; i++)
        list_set_show_selection(display[i], false, false);
    list_set_mark_cols(s->flags, 5);
    list_set_mark_cols(s->suggestions, 2);
    list_set_mark_cols(s->checklist, 4);
    s->transcript = textview_new(textlines_source(textlines_new(0)));
    s->sentiment = sparkline_new();
    s->strip = sparkline_new();
    s->input = inputline_new("note> ", 0);
    s->toast = toast_new();
    s->dialog = dialog_new("Wrap up · Maria Lopez");
    s->help = helpview_new("Keys");
    scene_init_data(s);
    scene_init_transcript(s);
    scene_init_bars(s);
    list_changed(s->interactions);
}

static inline void scene_push(scene *s, widget *w)
{
    if (s->norder < SCENE_WIDGETS_MAX)
        s->order[s->norder++] = w;
}

static const widget_rect scene_none = { 0, 0, 0, 0 };

static inline void scene_layout(scene *s, int rows, int cols)
{
    layout *l = &s->lay;
    layout_compute(l, rows, cols);
    bool wide = l->mode == LAYOUT_WIDE;
    widget_set_rect(statusbar_widget(s->header), l->header);
    widget_set_rect(statusbar_widget(s->hints), l->hints);
    widget_set_rect(inputline_widget(s->input), l->input);
    /* children first detached, then attached to the panes of this mode */
    pane *boxes[] = { s->list_pane, s->transcript_pane, s->sentiment_pane, s->customer_pane,
                      s->flags_pane, s->suggest_pane, s->check_pane, s->main_pane };
    for (size_t i = 0; i < 8; i++) {
        pane_set_child(boxes[i], NULL);
        pane_set_rect(boxes[i], scene_none);
    }
    widget *kids[] = { list_widget(s->interactions), list_widget(s->customer),
                       list_widget(s->flags), list_widget(s->suggestions),
                       list_widget(s->checklist), textview_widget(s->transcript),
                       sparkline_widget(s->sentiment), sparkline_widget(s->strip),
                       statusbar_widget(s->strip_flag) };
    for (size_t i = 0; i < 9; i++)
        widget_set_rect(kids[i], scene_none);
    s->norder = 0;
    scene_push(s, statusbar_widget(s->header));
    if (wide) {
        struct { pane *p; widget *child; widget_rect r; } map[] = {
            { s->list_pane, list_widget(s->interactions), l->list },
            { s->transcript_pane, textview_widget(s->transcript), l->transcript },
            { s->sentiment_pane, sparkline_widget(s->sentiment), l->sentiment },
            { s->customer_pane, list_widget(s->customer), l->customer },
            { s->flags_pane, list_widget(s->flags), l->flags },
            { s->suggest_pane, list_widget(s->suggestions), l->suggestions },
            { s->check_pane, list_widget(s->checklist), l->checklist },
        };
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
            pane_set_child(map[i].p, map[i].child);
            pane_set_rect(map[i].p, map[i].r);
            scene_push(s, pane_widget(map[i].p));
            scene_push(s, map[i].child);
        }
        widget_set_focus(pane_widget(s->transcript_pane), true);
    } else {
        pane_set_style(s->main_pane, l->mode == LAYOUT_TABS ? PANE_TABS : PANE_BARE);
        pane_set_child(s->main_pane, textview_widget(s->transcript));
        pane_set_rect(s->main_pane, l->main);
        scene_push(s, pane_widget(s->main_pane));
        scene_push(s, textview_widget(s->transcript));
        if (!layout_empty(l->strip)) {
            int half = l->strip.w / 2;
            widget_set_rect(sparkline_widget(s->strip),
                            (widget_rect){ l->strip.y, 0, 1, half });
            widget_set_rect(statusbar_widget(s->strip_flag),
                            (widget_rect){ l->strip.y, half, 1, l->strip.w - half });
            scene_push(s, sparkline_widget(s->strip));
            scene_push(s, statusbar_widget(s->strip_flag));
        }
    }
    scene_push(s, inputline_widget(s->input));
    scene_push(s, statusbar_widget(s->hints));
    if (s->help_open) {
        widget_set_rect(helpview_widget(s->help),
                        wide ? l->transcript : (widget_rect){ l->main.y, 0, l->main.h, cols });
        scene_push(s, helpview_widget(s->help));
    }
    toast_place(s->toast, rows, cols);
    scene_push(s, toast_widget(s->toast));
    if (dialog_widget(s->dialog)->visible)
        dialog_place(s->dialog, rows, cols);
    scene_push(s, dialog_widget(s->dialog));
    widget_mark_all(s->order, s->norder);
}

static inline void scene_render(scene *s)
{
    widget_render(s->order, s->norder);
    doupdate();
}

static inline void scene_free(scene *s)
{
    textlines_free(s->transcript->src.ctx);
    widget *all[] = {
        statusbar_widget(s->header), statusbar_widget(s->hints), statusbar_widget(s->strip_flag),
        pane_widget(s->list_pane), pane_widget(s->transcript_pane), pane_widget(s->sentiment_pane),
        pane_widget(s->customer_pane), pane_widget(s->flags_pane), pane_widget(s->suggest_pane),
        pane_widget(s->check_pane), pane_widget(s->main_pane), list_widget(s->interactions),
        list_widget(s->customer), list_widget(s->flags), list_widget(s->suggestions),
        list_widget(s->checklist), textview_widget(s->transcript), sparkline_widget(s->sentiment),
        sparkline_widget(s->strip), inputline_widget(s->input), toast_widget(s->toast),
        dialog_widget(s->dialog), helpview_widget(s->help),
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        widget_destroy(all[i]);
}

#endif
