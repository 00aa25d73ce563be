/* textview_draw.c — drawing the transcript and its keys (reading and scrolling in textview.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "base/wrap.h"
#include "widgets/draw.h"
#include "widgets/textview_internal.h"

enum { SPANS_MAX = 64, REDACT_MAX = 40 };

typedef struct span {
    size_t start, end;
    attr_t attr;
} span;

/* "[" + at least two capitals/underscores, then "]" or a space and anything but brackets
 * and newlines up to "]", at most REDACT_MAX bytes: "[EMAIL]", "[CARD ****1234]". */
static size_t redaction_at(const char *s, size_t len, size_t i)
{
    if (s[i] != '[')
        return 0;
    size_t j = i + 1;
    while (j < len && ((s[j] >= 'A' && s[j] <= 'Z') || s[j] == '_'))
        j++;
    if (j - i - 1 < 2 || j >= len)
        return 0;
    if (s[j] == ' ')
        while (j < len && s[j] != ']' && s[j] != '[' && s[j] != '\n' && j - i < REDACT_MAX)
            j++;
    if (j >= len || s[j] != ']' || j + 1 - i > REDACT_MAX)
        return 0;
    return j + 1 - i;
}

static size_t collect_spans(const textview *tv, const textview_line *e, span *out)
{
    size_t n = 0;
    if (!(e->flags & TEXTVIEW_NO_REDACT_MARKS)) {
        attr_t a = theme_attr(THEME_TRANSCRIPT_REDACTED);
        for (size_t i = 0; i < e->text_len && n < SPANS_MAX / 2; i++) {
            size_t r = redaction_at(e->text, e->text_len, i);
            if (r) {
                out[n++] = (span){ i, i + r, a };
                i += r - 1;
            }
        }
    }
    if (tv->search[0]) {
        attr_t a = theme_attr(THEME_TRANSCRIPT_SEARCH);
        size_t plen = strlen(tv->search), from = 0;
        const char *m;
        while (n < SPANS_MAX && (m = textview_match(e->text, e->text_len, tv->search, from))) {
            size_t at = (size_t)(m - e->text);
            out[n++] = (span){ at, at + plen, a };
            from = at + plen;
        }
    }
    return n;
}

/* The attribute at byte `pos` and where it changes next (search spans come last and win). */
static attr_t attr_at(const span *spans, size_t n, size_t pos, size_t end, attr_t base,
                      size_t *next)
{
    attr_t a = base;
    size_t change = end;
    for (size_t k = 0; k < n; k++) {
        if (spans[k].start <= pos && pos < spans[k].end) {
            a = spans[k].attr;
            if (spans[k].end < change)
                change = spans[k].end;
        } else if (spans[k].start > pos && spans[k].start < change) {
            change = spans[k].start;
        }
    }
    for (size_t k = 0; k < n; k++)   /* an inner span starting inside the one found */
        if (spans[k].start > pos && spans[k].start < change)
            change = spans[k].start;
    *next = change;
    return a;
}

static void draw_row(WINDOW *win, int y, int x, int cols, const textview_line *e,
                     const wrap_line *wl, const span *spans, size_t nspans, attr_t base)
{
    size_t pos = wl->start, end = wl->start + wl->len;
    while (pos < end && cols > 0) {
        size_t next;
        attr_t a = attr_at(spans, nspans, pos, end, base, &next);
        if (next <= pos)
            next = pos + 1;
        int used = draw_text(win, y, x, e->text + pos, next - pos, cols, a);
        x += used;
        cols -= used;
        pos = next;
    }
}

/* A partial's words are drawn as a final's, and its "[partial]" tag in the partial style:
 * a word added to a partial is then the word and a cursor move on the wire. Drawn in a style
 * of its own, every update also set and reset it (ncurses ends each update in the normal
 * style): 11 of the 23 bytes a 4-byte word cost (make bench, docs/BENCHMARKS.md). */
static attr_t base_attr(const textview_line *e)
{
    if (e->flags & TEXTVIEW_SYSTEM)
        return theme_attr(THEME_TRANSCRIPT_SYSTEM);
    if (e->flags & TEXTVIEW_WHISPER)
        return theme_attr(THEME_TRANSCRIPT_WHISPER);
    if (e->flags & TEXTVIEW_PENDING)
        return theme_attr(THEME_TRANSCRIPT_PARTIAL);
    return theme_attr(THEME_TRANSCRIPT_TEXT);
}

static void draw_prefix(textview *tv, const textview_line *e, int y)
{
    WINDOW *win = tv->base.win;
    int w = tv->base.rect.w, oc = textview_offset_cols(tv);
    if (e->offset && *e->offset && oc > 1)
        draw_text(win, y, 0, e->offset, strlen(e->offset), oc - 1 < w ? oc - 1 : w,
                  theme_attr(THEME_TRANSCRIPT_OFFSET));
    if (e->label && *e->label && TEXTVIEW_LABEL_COLS > 1 && oc < w)
        draw_text(win, y, oc, e->label, strlen(e->label), TEXTVIEW_LABEL_COLS - 1,
                  theme_attr(e->label_item));
}

/* "[partial]" (or "[cut off]") right-aligned in the text columns (cut at its end when they
 * are fewer). */
static void draw_tag(WINDOW *win, int y, int x, int cols, const textview_line *e)
{
    const char *tag = (e->flags & TEXTVIEW_PENDING) && e->tag ? e->tag
                    : (e->flags & TEXTVIEW_CUT) ? TEXTVIEW_CUT_TAG : TEXTVIEW_PARTIAL_TAG;
    int tw = text_width(tag, strlen(tag));
    if (tw > TEXTVIEW_TAG_COLS)
        tw = TEXTVIEW_TAG_COLS;
    int tx = cols > tw ? x + cols - tw : x;
    draw_text(win, y, tx, tag, strlen(tag), cols < tw ? cols : tw, theme_attr(THEME_TRANSCRIPT_PARTIAL));
}

/* Draws rows of line e from its row `skip`, at window rows y.. < limit; returns rows used. */
static int draw_entry(textview *tv, const textview_loaded *le, size_t skip, int y, int limit)
{
    const textview_line *e = &le->l;
    const textview_wrap *wr = le->w;
    size_t rows = textview_loaded_rows(tv, le);
    bool prefix = textview_has_prefix(e);
    bool narrow = prefix && textview_narrow(tv);
    int x = prefix && !narrow ? textview_prefix_cols(tv) : 0;
    int cols = textview_text_cols(tv, e);
    span spans[SPANS_MAX];
    size_t nspans = collect_spans(tv, e, spans);
    attr_t base = base_attr(e);
    int used = 0;
    for (size_t r = skip; r < rows && y + used < limit; r++, used++) {
        int yy = y + used;
        if (narrow && r == 0) {
            draw_prefix(tv, e, yy);
            continue;
        }
        size_t wi = narrow ? r - 1 : r;
        if (r == 0 && prefix)
            draw_prefix(tv, e, yy);
        if (wi < wr->nwraps)
            draw_row(tv->base.win, yy, x, cols, e, &wr->wraps[wi], spans, nspans, base);
        /* the tag ends the last wrapped row, or has the extra row textview_tag_row gave it */
        if ((e->flags & (TEXTVIEW_PARTIAL | TEXTVIEW_PENDING)) && wi + 1 == rows - (narrow ? 1 : 0))
            draw_tag(tv->base.win, yy, x, cols, e);
    }
    return used;
}

static void draw_marker(textview *tv, int y)
{
    char msg[96];
    if (tv->new_lines > 0)
        snprintf(msg, sizeof msg, " %zu new line%s ↓  End: follow ", tv->new_lines,
                 tv->new_lines == 1 ? "" : "s");
    else
        snprintf(msg, sizeof msg, " more below ↓  End: follow ");
    int w = tv->base.rect.w;
    int mw = text_width(msg, strlen(msg));
    int x = mw < w ? w - mw : 0;
    draw_fill(tv->base.win, y, 0, w, theme_attr(THEME_TRANSCRIPT_TEXT));
    draw_text(tv->base.win, y, x, msg, strlen(msg), w - x, theme_attr(THEME_TRANSCRIPT_MARKER));
}

/* An empty view's text, wrapped, from the top-left (dim, like a list's "no flags"). */
static void draw_empty(textview *tv)
{
    size_t len = strlen(tv->empty_text);
    int cols = tv->base.rect.w - 2;
    if (!len || cols < 1)
        return;
    wrap_line rows[16];
    size_t n = text_wrap(tv->empty_text, len, cols, rows, sizeof rows / sizeof *rows);
    if (n > sizeof rows / sizeof *rows)
        n = sizeof rows / sizeof *rows;
    for (size_t i = 0; i < n && (int)i + 1 < tv->base.rect.h; i++)
        draw_text(tv->base.win, (int)i + 1, 1, tv->empty_text + rows[i].start, rows[i].len, cols,
                  theme_attr(THEME_TRANSCRIPT_PARTIAL));
}

static void textview_draw(widget *w)
{
    textview *tv = (textview *)w;
    draw_clear(w->win, theme_attr(THEME_TRANSCRIPT_TEXT));
    if (tv->end_seq == tv->first_seq) {
        draw_empty(tv);
        return;
    }
    textview_normalise(tv);
    int limit = w->rect.h;
    uint64_t seq;
    size_t row;
    if (tv->follow) {
        textview_follow_top(tv, &seq, &row);
    } else {
        seq = tv->top_seq;
        row = tv->top_row;
        if (limit > 1)
            limit--;
    }
    int y = 0;
    for (; seq < tv->end_seq && y < limit; seq++, row = 0) {
        textview_loaded e;
        if (textview_load(tv, seq, &e))
            y += draw_entry(tv, &e, row, y, limit);
    }
    if (!tv->follow)
        draw_marker(tv, w->rect.h - 1);
}

static widget_result textview_key(widget *w, widget_key key)
{
    textview *tv = (textview *)w;
    switch (key) {
    case WK_FN(KEY_PPAGE): textview_page(tv, -1); return WIDGET_HANDLED;
    case WK_FN(KEY_NPAGE): textview_page(tv, +1); return WIDGET_HANDLED;
    case WK_FN(KEY_UP): textview_scroll(tv, -1); return WIDGET_HANDLED;
    case WK_FN(KEY_DOWN): textview_scroll(tv, +1); return WIDGET_HANDLED;
    case WK_FN(KEY_HOME): textview_top(tv); return WIDGET_HANDLED;
    case WK_FN(KEY_END): textview_follow(tv); return WIDGET_HANDLED;
    case 'n': textview_search_next(tv, -1); return WIDGET_HANDLED;
    case 'N': textview_search_next(tv, +1); return WIDGET_HANDLED;
    default: return WIDGET_IGNORED;
    }
}

static void textview_destroy(widget *w)
{
    textview *tv = (textview *)w;
    textview_free_cache(tv);
    free(tv);
}

const widget_class textview_class = {
    .name = "textview",
    .draw = textview_draw,
    .handle_key = textview_key,
    .destroy = textview_destroy,
};
