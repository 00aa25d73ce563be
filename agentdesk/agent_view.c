/* agent_view.c — building and laying out the agent screen's widgets. */
#include "agentdesk/agent_view.h"
#include "base/mem.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

static const char *tab_names[TAB_COUNT] = {"Transcript", "Mine", "Customer", "Flags", "Suggest", "Checklist"};

void agent_view_rows_clear(view_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++) {
        struct view_row *r = &rows->r[i];
        free(r->mark); free(r->text); free(r->badge); free(r->right); free(r->detail);
        free(r->full);
    }
    rows->n = 0;
}

struct view_row *agent_view_rows_add(view_rows *rows)
{
    if (rows->n == rows->cap) {
        rows->cap = rows->cap ? rows->cap * 2 : 16;
        rows->r = mem_realloc(rows->r, rows->cap * sizeof *rows->r);
    }
    struct view_row *r = &rows->r[rows->n++];
    memset(r, 0, sizeof *r);
    return r;
}

static size_t rows_count(void *ctx) { return ((view_rows *)ctx)->n; }

static void rows_item(void *ctx, size_t i, list_item *out)
{
    view_rows *rows = ctx;
    if (i >= rows->n) return;
    struct view_row *r = &rows->r[i];
    out->mark = r->mark; out->mark_item = r->mark_item;
    out->text = r->text; out->text_item = r->text_item;
    out->badge = r->badge; out->badge_item = r->badge_item;
    out->right = r->right; out->right_item = r->right_item;
    out->detail = r->detail;
}

list_source agent_view_rows_source(view_rows *rows)
{
    return (list_source){rows_count, rows_item, rows};
}

static list *display_list(view_rows *rows, int mark_cols, const char *empty)
{
    list *l = list_new(agent_view_rows_source(rows));
    list_set_mark_cols(l, mark_cols);
    list_set_show_selection(l, false, false);
    list_set_empty_text(l, empty);
    return l;
}

/* The selected suggestion's label and whole text, for the preview under the list. */
static preview_text sugg_preview_text(void *ctx)
{
    agent_view *v = ctx;
    size_t sel = list_selected(v->l_sugg);
    if (sel >= v->r_sugg.n || !v->r_sugg.r[sel].full)
        return (preview_text){0};
    const struct view_row *r = &v->r_sugg.r[sel];
    snprintf(v->sugg_label, sizeof v->sugg_label, " %s%s%s ", r->mark && *r->mark != ' ' ? r->mark : "",
             r->mark && *r->mark != ' ' ? " " : "", r->text ? r->text : "");
    return (preview_text){v->sugg_label, r->full};
}

void agent_view_init(agent_view *v, size_t scrollback)
{
    memset(v, 0, sizeof *v);
    v->scrollback = scrollback;
    v->header = statusbar_new(THEME_HEADER);
    v->hints = statusbar_new(THEME_HINT);
    v->p_list = pane_new(PANE_BOX, "Mine");
    v->p_tr = pane_new(PANE_BOX, "Transcript");
    v->p_sent = pane_new(PANE_BOX, "Sentiment");
    v->p_cust = pane_new(PANE_BOX, "Customer");
    v->p_flags = pane_new(PANE_BOX, "Flags");
    v->p_sugg = pane_new(PANE_BOX, "Suggestions");
    v->p_check = pane_new(PANE_BOX, "Checklist");
    v->p_main = pane_new(PANE_TABS, "");
    v->l_ix = list_new(agent_view_rows_source(&v->r_ix));
    list_set_mark_cols(v->l_ix, 2);
    list_set_show_selection(v->l_ix, true, true);
    list_set_empty_text(v->l_ix, "waiting for an interaction");
    v->l_cust = display_list(&v->r_cust, 0, "no customer yet");
    v->l_flags = display_list(&v->r_flags, 6, "no flags");
    v->l_sugg = display_list(&v->r_sugg, 2, "no suggestions yet");
    v->l_check = display_list(&v->r_check, 4, "no checklist");
    v->sugg_preview = preview_new(sugg_preview_text, v);
    v->tv = textview_new(agent_view_transcript_source(v));
    v->spark = sparkline_new();
    v->input = inputline_new("note> ", PROTO_MAX_TEXT);
    v->toast = toast_new();
    widget_set_visible(toast_widget(v->toast), false);
    pane_set_child(v->p_list, list_widget(v->l_ix));
    pane_set_child(v->p_tr, textview_widget(v->tv));
    pane_set_child(v->p_sent, sparkline_widget(v->spark));
    pane_set_child(v->p_cust, list_widget(v->l_cust));
    pane_set_child(v->p_flags, list_widget(v->l_flags));
    pane_set_child(v->p_sugg, list_widget(v->l_sugg));
    pane_set_child(v->p_check, list_widget(v->l_check));
    v->tab = TAB_TRANSCRIPT;
    v->focus = FOCUS_TRANSCRIPT;
}

void agent_view_free(agent_view *v)
{
    widget *all[] = {
        statusbar_widget(v->header), statusbar_widget(v->hints), pane_widget(v->p_list),
        pane_widget(v->p_tr), pane_widget(v->p_sent), pane_widget(v->p_cust),
        pane_widget(v->p_flags), pane_widget(v->p_sugg), pane_widget(v->p_check),
        pane_widget(v->p_main), list_widget(v->l_ix), list_widget(v->l_cust),
        list_widget(v->l_flags), list_widget(v->l_sugg), list_widget(v->l_check),
        textview_widget(v->tv), sparkline_widget(v->spark), inputline_widget(v->input),
        toast_widget(v->toast), preview_widget(v->sugg_preview), v->dlg ? dialog_widget(v->dlg) : NULL,
        v->help ? helpview_widget(v->help) : NULL,
    };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) widget_destroy(all[i]);
    view_rows *rows[] = {&v->r_ix, &v->r_cust, &v->r_flags, &v->r_sugg, &v->r_check};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        agent_view_rows_clear(rows[i]);
        free(rows[i]->r);
    }
    for (size_t i = 0; i < v->n_sugg_sids; i++) free(v->sugg_sids[i]);
    free(v->sugg_sids);
    free(v->fed_iid);
    free(v->src_text);
    memset(v, 0, sizeof *v);
}

widget *agent_view_tab_widget(agent_view *v, view_tab t)
{
    switch (t) {
    case TAB_TRANSCRIPT: return textview_widget(v->tv);
    case TAB_MINE: return list_widget(v->l_ix);
    case TAB_CUSTOMER: return list_widget(v->l_cust);
    case TAB_FLAGS: return list_widget(v->l_flags);
    case TAB_SUGGEST: return list_widget(v->l_sugg);
    case TAB_CHECKLIST: return list_widget(v->l_check);
    default: return textview_widget(v->tv);
    }
}

static const widget_rect none = {0, 0, 0, 0};

static void push(agent_view *v, widget *w)
{
    if (w && v->n_render < sizeof v->render / sizeof *v->render) v->render[v->n_render++] = w;
}

static void boxed(agent_view *v, pane *p, widget *child, widget_rect r)
{
    pane_set_style(p, PANE_BOX);
    pane_set_child(p, child);
    pane_set_rect(p, r);
    push(v, pane_widget(p));
    push(v, child);
}

/* The suggestions' area: the list above, the selected reply's whole text below, so the
 * agent reads a long reply before using it. The split is fixed (the list keeps a third, and
 * at least two suggestions; the preview the rest), so moving the selection never moves the
 * list; an area under 6 rows shows the list alone, each suggestion with its first line. */
static void split_suggestions(agent_view *v)
{
    widget *lw = list_widget(v->l_sugg);
    widget_rect in = lw->rect;
    bool split = in.h >= 6 && in.w >= 10;
    /* with the preview, a row a suggestion: its first line would say again what it shows */
    list_set_show_detail(v->l_sugg, !split);
    if (!split)
        return;
    int list_h = in.h / 3 > 4 ? in.h / 3 : 4;
    widget_set_rect(lw, (widget_rect){in.y, in.x, list_h, in.w});
    widget_set_rect(preview_widget(v->sugg_preview), (widget_rect){in.y + list_h, in.x, in.h - list_h, in.w});
    push(v, preview_widget(v->sugg_preview));
}

void agent_view_layout(agent_view *v)
{
    /* the reply line grows to AGENT_INPUT_ROWS as its text wraps (layout bounds it) */
    layout_compute_input(&v->lay, LINES, COLS, inputline_rows_wanted(v->input, COLS, AGENT_INPUT_ROWS));
    v->n_render = 0;
    /* everything off screen first; the layout below gives back what it shows */
    pane *panes[] = {v->p_list, v->p_tr, v->p_sent, v->p_cust, v->p_flags, v->p_sugg,
                     v->p_check, v->p_main};
    for (size_t i = 0; i < sizeof panes / sizeof *panes; i++) {
        pane_set_child(panes[i], NULL);
        pane_set_rect(panes[i], none);
    }
    widget *kids[] = {list_widget(v->l_ix), textview_widget(v->tv), sparkline_widget(v->spark),
                      list_widget(v->l_cust), list_widget(v->l_flags), list_widget(v->l_sugg),
                      list_widget(v->l_check), preview_widget(v->sugg_preview)};
    for (size_t i = 0; i < sizeof kids / sizeof *kids; i++) {
        widget_set_rect(kids[i], none);
        widget_set_focus(kids[i], false);
    }
    widget_set_rect(statusbar_widget(v->header), v->lay.header);
    push(v, statusbar_widget(v->header));
    if (v->lay.mode == LAYOUT_WIDE) {
        boxed(v, v->p_list, list_widget(v->l_ix), v->lay.list);
        boxed(v, v->p_tr, textview_widget(v->tv), v->lay.transcript);
        boxed(v, v->p_sent, sparkline_widget(v->spark), v->lay.sentiment);
        boxed(v, v->p_cust, list_widget(v->l_cust), v->lay.customer);
        boxed(v, v->p_flags, list_widget(v->l_flags), v->lay.flags);
        boxed(v, v->p_sugg, list_widget(v->l_sugg), v->lay.suggestions);
        split_suggestions(v);
        boxed(v, v->p_check, list_widget(v->l_check), v->lay.checklist);
        pane *fp[FOCUS_COUNT] = {v->p_tr, v->p_list, v->p_cust, v->p_flags, v->p_sugg, v->p_check};
        widget *fw[FOCUS_COUNT] = {textview_widget(v->tv), list_widget(v->l_ix), list_widget(v->l_cust),
                                   list_widget(v->l_flags), list_widget(v->l_sugg), list_widget(v->l_check)};
        for (int i = 0; i < FOCUS_COUNT; i++) {
            widget_set_focus(pane_widget(fp[i]), i == (int)v->focus);
            widget_set_focus(fw[i], i == (int)v->focus);
        }
        /* a focused pane shows where its arrows are, or Down would seem to do nothing */
        list_set_show_selection(v->l_cust, v->focus == FOCUS_CUSTOMER, false);
        list_set_show_selection(v->l_flags, v->focus == FOCUS_FLAGS, false);
        list_set_show_selection(v->l_sugg, v->focus == FOCUS_SUGGEST, false);
        list_set_show_selection(v->l_check, v->focus == FOCUS_CHECK, false);
    } else {
        widget *child = agent_view_tab_widget(v, v->tab);
        pane_set_style(v->p_main, v->lay.mode == LAYOUT_TABS ? PANE_TABS : PANE_BARE);
        pane_set_child(v->p_main, child);
        pane_set_rect(v->p_main, v->lay.main);
        widget_set_focus(child, true);
        list_set_show_selection(v->l_cust, false, false);
        list_set_show_selection(v->l_flags, false, false);
        list_set_show_selection(v->l_sugg, v->tab == TAB_SUGGEST, true);
        list_set_show_selection(v->l_check, v->tab == TAB_CHECKLIST, true);
        push(v, pane_widget(v->p_main));
        push(v, child);
        if (child == list_widget(v->l_sugg))
            split_suggestions(v);
        if (!layout_empty(v->lay.strip)) {
            widget_set_rect(sparkline_widget(v->spark), v->lay.strip);
            push(v, sparkline_widget(v->spark));
        }
    }
    widget_set_rect(inputline_widget(v->input), v->lay.input);
    push(v, inputline_widget(v->input));
    widget_set_rect(statusbar_widget(v->hints), v->lay.hints);
    push(v, statusbar_widget(v->hints));
    agent_view_place_toast(v);
    push(v, toast_widget(v->toast));
    if (v->dlg && dialog_widget(v->dlg)->visible) {
        dialog_place(v->dlg, LINES, COLS);
        push(v, dialog_widget(v->dlg));
    }
    if (v->help) {
        int m = COLS >= 60 && LINES >= 16 ? 2 : 0;
        widget_set_rect(helpview_widget(v->help), (widget_rect){m / 2, m, LINES - m, COLS - 2 * m});
        push(v, helpview_widget(v->help));
    }
    widget_mark_all(v->render, v->n_render);
    touchwin(stdscr);
    wnoutrefresh(stdscr);
}

void agent_view_place_toast(agent_view *v)
{
    const statusbar *h = v->header;
    int right = 0, n = 0;
    for (int i = 0; i < h->nsegs; i++) {
        if (h->segs[i].align != STATUSBAR_RIGHT || !h->segs[i].text[0]) continue;
        right += text_width(h->segs[i].text, strlen(h->segs[i].text));
        n++;
    }
    if (n) right += 2 * (n - 1);
    /* the statusbar keeps one column of margin; leave one more between toast and clock */
    int avail = n ? COLS - (COLS >= 20 ? 1 : 0) - right - 1 : COLS;
    if (avail < 16) avail = COLS;   /* no room beside the clock: cover it for a moment */
    toast_place(v->toast, LINES, avail);
}

void agent_view_cycle(agent_view *v, int delta)
{
    if (v->lay.mode == LAYOUT_WIDE)
        v->focus = (view_focus)(((int)v->focus + delta + FOCUS_COUNT) % FOCUS_COUNT);
    else
        v->tab = (view_tab)(((int)v->tab + delta + TAB_COUNT) % TAB_COUNT);
    agent_view_layout(v);
}

const char *agent_view_tab_name(view_tab t)
{
    return (unsigned)t < TAB_COUNT ? tab_names[t] : "";
}
