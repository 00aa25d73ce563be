/* textview.c — the transcript widget's reading of its source: a bounded wrap cache, and the
 * follow / scroll / search arithmetic. Drawing is in textview_draw.c. The lines themselves
 * belong to the source (the model), never to the widget. */
#include "widgets/textview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "widgets/textview_internal.h"
#include "base/mem.h"

size_t textview_count(const textview *tv) { return (size_t)(tv->end_seq - tv->first_seq); }
uint64_t textview_first_seq(const textview *tv) { return tv->first_seq; }
uint64_t textview_end_seq(const textview *tv) { return tv->end_seq; }
bool textview_following(const textview *tv) { return tv->follow; }
size_t textview_new_lines(const textview *tv) { return tv->new_lines; }

static void cache_forget(textview *tv)
{
    for (size_t i = 0; i < TEXTVIEW_WRAP_CACHE; i++)
        tv->cache[i].no = UINT64_MAX;
}

textview *textview_new(textview_source src)
{
    textview *tv = mem_zalloc(1, sizeof *tv);
    widget_init(&tv->base, &textview_class);
    tv->src = src;
    tv->cache = mem_zalloc(TEXTVIEW_WRAP_CACHE, sizeof *tv->cache);
    cache_forget(tv);
    tv->follow = true;
    tv->match_seq = UINT64_MAX;
    tv->first_seq = tv->end_seq = src.first ? src.first(src.ctx) : 0;
    textview_changed(tv);
    return tv;
}

void textview_free_cache(textview *tv)
{
    for (size_t i = 0; i < TEXTVIEW_WRAP_CACHE; i++)
        free(tv->cache[i].wraps);
    free(tv->cache);
}

/* Might line `seq` be on screen? Every line takes at least one row. */
static bool maybe_visible(const textview *tv, uint64_t seq)
{
    uint64_t h = (uint64_t)(tv->base.rect.h > 0 ? tv->base.rect.h : 0);
    if (tv->follow)
        return seq + h >= tv->end_seq;
    return seq >= tv->top_seq && seq < tv->top_seq + h;
}

void textview_changed(textview *tv)
{
    uint64_t first = tv->src.first(tv->src.ctx), end = tv->src.end(tv->src.ctx);
    if (first == tv->first_seq && end == tv->end_seq)
        return;
    if (end > tv->end_seq && !tv->follow)
        tv->new_lines += (size_t)(end - tv->end_seq);
    tv->first_seq = first;
    tv->end_seq = end;
    if (!tv->follow && tv->top_seq < first) {
        tv->top_seq = first;
        tv->top_row = 0;
    }
    if (tv->match_seq != UINT64_MAX && tv->match_seq < first)
        tv->match_seq = UINT64_MAX;
    tv->base.dirty = true;
}

void textview_line_changed(textview *tv, uint64_t seq)
{
    if (maybe_visible(tv, seq))
        tv->base.dirty = true;
}

void textview_set_empty_text(textview *tv, const char *clean)
{
    if (strcmp(tv->empty_text, clean ? clean : "") == 0)
        return;
    text_copy(tv->empty_text, sizeof tv->empty_text, clean);
    tv->base.dirty = true;
}

void textview_reset(textview *tv)
{
    cache_forget(tv);
    tv->first_seq = tv->end_seq = tv->src.first(tv->src.ctx);
    tv->follow = true;
    tv->new_lines = 0;
    tv->match_seq = UINT64_MAX;
    textview_changed(tv);
    tv->base.dirty = true;
}

/* ---- geometry ---- */

int textview_offset_cols(const textview *tv)
{
    /* a narrow view gives the offset column's room to the text */
    return tv->base.rect.w < TEXTVIEW_COMPACT_COLS ? 0 : TEXTVIEW_OFFSET_COLS;
}

int textview_prefix_cols(const textview *tv)
{
    return textview_offset_cols(tv) + TEXTVIEW_LABEL_COLS;
}

bool textview_narrow(const textview *tv)
{
    int p = textview_prefix_cols(tv);
    return p > 0 && tv->base.rect.w < 2 * p;
}

bool textview_has_prefix(const textview_line *l)
{
    return (l->offset && *l->offset) || (l->label && *l->label);
}

int textview_text_cols(const textview *tv, const textview_line *l)
{
    int w = tv->base.rect.w;
    if (textview_has_prefix(l) && !textview_narrow(tv))
        w -= textview_prefix_cols(tv);
    return w < 1 ? 1 : w;
}

bool textview_load(textview *tv, uint64_t seq, textview_loaded *out)
{
    memset(&out->l, 0, sizeof out->l);
    if (seq < tv->first_seq || seq >= tv->end_seq || !tv->src.get(tv->src.ctx, seq, &out->l))
        return false;
    if (!out->l.text)
        out->l.text = "";
    if (!out->l.text_len)
        out->l.text_len = strlen(out->l.text);
    int cols = textview_text_cols(tv, &out->l);
    textview_wrap *w = &tv->cache[seq & (TEXTVIEW_WRAP_CACHE - 1)];
    out->w = w;
    if (w->no == seq && w->version == out->l.version && w->cols == cols && w->wraps)
        return true;
    size_t n = text_wrap(out->l.text, out->l.text_len, cols, w->wraps, w->cap);
    if (n > w->cap) {
        free(w->wraps);
        w->wraps = mem_zalloc(n, sizeof *w->wraps);
        w->cap = n;
        n = text_wrap(out->l.text, out->l.text_len, cols, w->wraps, w->cap);
    }
    w->no = seq;
    w->version = out->l.version;
    w->nwraps = n;
    w->cols = cols;
    tv->rewraps++;
    return true;
}

bool textview_tag_row(const textview *tv, const textview_loaded *e)
{
    if (!(e->l.flags & (TEXTVIEW_PARTIAL | TEXTVIEW_PENDING)) || e->w->nwraps == 0)
        return false;
    return e->w->wraps[e->w->nwraps - 1].width + TEXTVIEW_TAG_COLS + TEXTVIEW_TAG_GAP >
           textview_text_cols(tv, &e->l);
}

/* Rows the line takes: its wraps, plus a prefix row of its own in a narrow view, plus a
 * row for the "[partial]" tag when the last wrapped row has no room for it. */
size_t textview_loaded_rows(const textview *tv, const textview_loaded *e)
{
    return e->w->nwraps + (textview_has_prefix(&e->l) && textview_narrow(tv) ? 1 : 0) +
           (textview_tag_row(tv, e) ? 1 : 0);
}

size_t textview_line_rows(textview *tv, uint64_t seq)
{
    textview_loaded e;
    return textview_load(tv, seq, &e) ? textview_loaded_rows(tv, &e) : 0;
}

const textview_wrap *textview_wraps(const textview *tv, uint64_t seq)
{
    const textview_wrap *w = &tv->cache[seq & (TEXTVIEW_WRAP_CACHE - 1)];
    return w->no == seq ? w : NULL;
}

static size_t view_rows(const textview *tv)
{
    return tv->base.rect.h > 0 ? (size_t)tv->base.rect.h : 0;
}

/* Rows from (seq, row) to the end, counting no further than `limit`. */
static size_t rows_to_end(textview *tv, uint64_t seq, size_t row, size_t limit)
{
    size_t total = 0;
    for (uint64_t s = seq; s < tv->end_seq && total <= limit; s++) {
        size_t r = textview_line_rows(tv, s);
        total += s == seq ? (r > row ? r - row : 0) : r;
    }
    return total;
}

/* The top of the bottom-aligned (follow) view: the first shown line and its first row. */
void textview_follow_top(textview *tv, uint64_t *seq, size_t *row)
{
    size_t need = view_rows(tv), got = 0;
    uint64_t s = tv->end_seq;
    while (s > tv->first_seq && got < need) {
        s--;
        got += textview_line_rows(tv, s);
    }
    *seq = s;
    *row = got > need ? got - need : 0;
}

/* After the anchor moved: clamp it, and follow again when the rest fits the view. */
static void normalise(textview *tv)
{
    if (tv->follow)
        return;
    if (tv->top_seq < tv->first_seq || tv->end_seq == tv->first_seq) {
        tv->top_seq = tv->first_seq;
        tv->top_row = 0;
    }
    if (tv->top_seq >= tv->end_seq) {
        tv->follow = true;
        tv->new_lines = 0;
        return;
    }
    size_t r = textview_line_rows(tv, tv->top_seq);
    if (tv->top_row >= r)
        tv->top_row = r ? r - 1 : 0;
    if (rows_to_end(tv, tv->top_seq, tv->top_row, view_rows(tv)) <= view_rows(tv)) {
        tv->follow = true;
        tv->new_lines = 0;
    }
}

void textview_normalise(textview *tv)
{
    normalise(tv);
}

void textview_scroll(textview *tv, long rows)
{
    if (rows == 0 || tv->end_seq == tv->first_seq)
        return;
    if (tv->follow) {
        if (rows > 0)
            return;
        textview_follow_top(tv, &tv->top_seq, &tv->top_row);
        if (tv->top_seq == tv->first_seq && tv->top_row == 0)
            return;   /* everything fits: nothing above */
        tv->follow = false;
        tv->new_lines = 0;
    }
    if (rows < 0) {
        size_t up = (size_t)-rows;
        while (up > 0) {
            if (tv->top_row >= up) {
                tv->top_row -= up;
                break;
            }
            up -= tv->top_row;
            if (tv->top_seq == tv->first_seq) {
                tv->top_row = 0;
                break;
            }
            tv->top_seq--;
            tv->top_row = textview_line_rows(tv, tv->top_seq);
        }
    } else {
        size_t down = (size_t)rows;
        while (down > 0 && tv->top_seq < tv->end_seq) {
            size_t r = textview_line_rows(tv, tv->top_seq);
            if (tv->top_row + down < r) {
                tv->top_row += down;
                break;
            }
            down -= r - tv->top_row;
            tv->top_seq++;
            tv->top_row = 0;
        }
    }
    normalise(tv);
    tv->base.dirty = true;
}

void textview_page(textview *tv, int pages)
{
    long step = (long)view_rows(tv) - 1;
    if (step < 1)
        step = 1;
    textview_scroll(tv, step * pages);
}

void textview_follow(textview *tv)
{
    tv->follow = true;
    tv->new_lines = 0;
    tv->base.dirty = true;
}

void textview_top(textview *tv)
{
    if (tv->end_seq == tv->first_seq)
        return;
    tv->follow = false;
    tv->top_seq = tv->first_seq;
    tv->top_row = 0;
    tv->new_lines = 0;
    normalise(tv);
    tv->base.dirty = true;
}

/* ---- search ---- */

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

const char *textview_match(const char *hay, size_t len, const char *needle, size_t from)
{
    size_t n = strlen(needle);
    if (n == 0 || n > len)
        return NULL;
    for (size_t i = from; i + n <= len; i++) {
        size_t k = 0;
        while (k < n && lower(hay[i + k]) == lower(needle[k]))
            k++;
        if (k == n)
            return hay + i;
    }
    return NULL;
}

/* Shows line `seq` a third of the way down the view. */
static void show_line(textview *tv, uint64_t seq)
{
    tv->follow = false;
    tv->top_seq = seq;
    tv->top_row = 0;
    tv->new_lines = 0;
    long up = (long)view_rows(tv) / 3;
    if (up > 0) {
        tv->follow = false;
        textview_scroll(tv, -up);
    }
    normalise(tv);
    tv->base.dirty = true;
}

/* The last line (partly) on screen. */
static uint64_t bottom_seq(textview *tv)
{
    if (tv->follow || tv->end_seq == tv->first_seq)
        return tv->end_seq;
    size_t need = view_rows(tv), got = 0;
    uint64_t s = tv->top_seq;
    for (; s < tv->end_seq; s++) {
        size_t r = textview_line_rows(tv, s);
        got += s == tv->top_seq ? r - tv->top_row : r;
        if (got >= need)
            break;
    }
    return s < tv->end_seq ? s : tv->end_seq - 1;
}

/* Search reads the text only: no wrapping, so a long search does not churn the cache. */
static bool line_matches(textview *tv, uint64_t seq)
{
    textview_line l = {0};
    if (!tv->src.get(tv->src.ctx, seq, &l) || !l.text)
        return false;
    return textview_match(l.text, l.text_len ? l.text_len : strlen(l.text), tv->search, 0) != NULL;
}

static bool search_from(textview *tv, uint64_t seq, int dir)
{
    if (!tv->search[0] || tv->end_seq == tv->first_seq)
        return false;
    if (dir < 0) {
        for (uint64_t s = seq + 1; s-- > tv->first_seq;) {
            if (s >= tv->end_seq)
                continue;
            if (line_matches(tv, s)) {
                tv->match_seq = s;
                show_line(tv, s);
                return true;
            }
        }
    } else {
        for (uint64_t s = seq; s < tv->end_seq; s++) {
            if (line_matches(tv, s)) {
                tv->match_seq = s;
                show_line(tv, s);
                return true;
            }
        }
    }
    return false;
}

bool textview_search(textview *tv, const char *pattern)
{
    snprintf(tv->search, sizeof tv->search, "%s", pattern ? pattern : "");
    tv->match_seq = UINT64_MAX;
    tv->base.dirty = true;
    if (!tv->search[0])
        return true;
    uint64_t start = bottom_seq(tv);
    if (start >= tv->end_seq && tv->end_seq > tv->first_seq)
        start = tv->end_seq - 1;
    return search_from(tv, start, -1);
}

size_t textview_search_count(textview *tv, size_t *current)
{
    size_t total = 0;
    *current = 0;
    if (!tv->search[0])
        return 0;
    for (uint64_t s = tv->end_seq; s-- > tv->first_seq;) {
        if (!line_matches(tv, s))
            continue;
        total++;
        if (s == tv->match_seq)
            *current = total;
    }
    return total;
}

bool textview_search_next(textview *tv, int dir)
{
    if (!tv->search[0])
        return false;
    uint64_t from;
    if (tv->match_seq == UINT64_MAX)
        from = dir < 0 ? (tv->end_seq ? tv->end_seq - 1 : 0) : tv->first_seq;
    else if (dir < 0) {
        if (tv->match_seq == tv->first_seq)
            return false;
        from = tv->match_seq - 1;
    } else
        from = tv->match_seq + 1;
    return search_from(tv, from, dir);
}
