/* textview.c — the transcript's line store: a ring of lines with a key index, cached wraps,
 * and the follow / scroll / search arithmetic. Drawing is in textview_draw.c. */
#include "widgets/textview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "widgets/textview_internal.h"
#include "base/mem.h"

#define SLOT_EMPTY UINT64_MAX
#define SLOT_GONE (UINT64_MAX - 1)

static textview_entry *entry_at(const textview *tv, uint64_t seq)
{
    return &tv->ring[seq % tv->capacity];
}

const textview_entry *textview_get(const textview *tv, uint64_t seq)
{
    if (seq < tv->first_seq || seq >= tv->end_seq)
        return NULL;
    return entry_at(tv, seq);
}

size_t textview_count(const textview *tv) { return (size_t)(tv->end_seq - tv->first_seq); }
uint64_t textview_first_seq(const textview *tv) { return tv->first_seq; }
uint64_t textview_end_seq(const textview *tv) { return tv->end_seq; }
bool textview_following(const textview *tv) { return tv->follow; }
size_t textview_new_lines(const textview *tv) { return tv->new_lines; }

/* ---- key index: open addressing over seq numbers, FNV-1a hashes ---- */

static uint32_t key_hash(const char *key)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

static void index_insert_raw(textview *tv, uint64_t seq, uint32_t h)
{
    size_t mask = tv->index_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (tv->index[i].seq == SLOT_EMPTY || tv->index[i].seq == SLOT_GONE) {
            if (tv->index[i].seq == SLOT_GONE)
                tv->index_gone--;
            tv->index_live++;
            tv->index[i].seq = seq;
            tv->index[i].hash = h;
            return;
        }
    }
}

static void index_rebuild(textview *tv)
{
    for (size_t i = 0; i < tv->index_cap; i++)
        tv->index[i].seq = SLOT_EMPTY;
    tv->index_live = tv->index_gone = 0;
    for (uint64_t s = tv->first_seq; s < tv->end_seq; s++) {
        textview_entry *e = entry_at(tv, s);
        if (e->key[0])
            index_insert_raw(tv, s, key_hash(e->key));
    }
}

/* The slot holding `key`, or NULL. */
static struct textview_slot *index_find(const textview *tv, const char *key, uint32_t h)
{
    size_t mask = tv->index_cap - 1;
    for (size_t i = h & mask, n = 0; n < tv->index_cap; i = (i + 1) & mask, n++) {
        struct textview_slot *slot = &tv->index[i];
        if (slot->seq == SLOT_EMPTY)
            return NULL;
        if (slot->seq != SLOT_GONE && slot->hash == h &&
            strcmp(entry_at(tv, slot->seq)->key, key) == 0)
            return slot;
    }
    return NULL;
}

static void index_remove(textview *tv, const char *key)
{
    struct textview_slot *slot = index_find(tv, key, key_hash(key));
    if (slot) {
        slot->seq = SLOT_GONE;
        tv->index_live--;
        tv->index_gone++;
    }
}

const textview_entry *textview_find_key(const textview *tv, const char *key, uint64_t *seq)
{
    if (!key || !*key)
        return NULL;
    char cut[TEXTVIEW_KEY_MAX];
    snprintf(cut, sizeof cut, "%s", key);
    struct textview_slot *slot = index_find(tv, cut, key_hash(cut));
    if (!slot)
        return NULL;
    if (seq)
        *seq = slot->seq;
    return entry_at(tv, slot->seq);
}

/* ---- lines ---- */

static void entry_free(textview_entry *e)
{
    free(e->offset);
    free(e->label);
    free(e->text);
    free(e->wraps);
    memset(e, 0, sizeof *e);
}

static void entry_fill(textview_entry *e, const textview_line *line)
{
    free(e->offset);
    free(e->label);
    free(e->text);
    e->offset = line->offset && *line->offset ? mem_strdup(line->offset) : NULL;
    e->label = line->label && *line->label ? mem_strdup(line->label) : NULL;
    e->text = mem_strdup(line->text);
    e->text_len = strlen(e->text);
    e->label_item = line->label_item;
    e->flags = line->flags;
    e->wrap_cols = -1;
}

textview *textview_new(size_t capacity)
{
    textview *tv = mem_zalloc(1, sizeof *tv);
    widget_init(&tv->base, &textview_class);
    tv->capacity = capacity ? capacity : TEXTVIEW_DEFAULT_CAPACITY;
    tv->ring = mem_zalloc(tv->capacity, sizeof *tv->ring);
    tv->index_cap = 16;
    while (tv->index_cap < 2 * tv->capacity)
        tv->index_cap *= 2;
    tv->index = mem_zalloc(tv->index_cap, sizeof *tv->index);
    for (size_t i = 0; i < tv->index_cap; i++)
        tv->index[i].seq = SLOT_EMPTY;
    tv->follow = true;
    tv->match_seq = UINT64_MAX;
    tv->offset_cols = TEXTVIEW_OFFSET_COLS;
    tv->label_cols = TEXTVIEW_LABEL_COLS;
    return tv;
}

void textview_free_lines(textview *tv)
{
    for (uint64_t s = tv->first_seq; s < tv->end_seq; s++)
        entry_free(entry_at(tv, s));
}

void textview_set_prefix_cols(textview *tv, int offset_cols, int label_cols)
{
    tv->offset_cols = offset_cols < 0 ? 0 : offset_cols;
    tv->label_cols = label_cols < 0 ? 0 : label_cols;
    for (uint64_t s = tv->first_seq; s < tv->end_seq; s++)
        entry_at(tv, s)->wrap_cols = -1;
    tv->base.dirty = true;
}

void textview_clear(textview *tv)
{
    textview_free_lines(tv);
    tv->first_seq = tv->end_seq;
    tv->follow = true;
    tv->new_lines = 0;
    tv->match_seq = UINT64_MAX;
    for (size_t i = 0; i < tv->index_cap; i++)
        tv->index[i].seq = SLOT_EMPTY;
    tv->index_live = tv->index_gone = 0;
    tv->base.dirty = true;
}

/* Might line `seq` be on screen? Every line takes at least one row. */
static bool maybe_visible(const textview *tv, uint64_t seq)
{
    if (tv->follow)
        return seq + (uint64_t)(tv->base.rect.h > 0 ? tv->base.rect.h : 0) >= tv->end_seq;
    return seq >= tv->top_seq && seq < tv->top_seq + (uint64_t)(tv->base.rect.h > 0 ? tv->base.rect.h : 0);
}

uint64_t textview_put(textview *tv, const textview_line *line)
{
    char key[TEXTVIEW_KEY_MAX] = "";
    if (line->key)
        snprintf(key, sizeof key, "%s", line->key);
    if (key[0]) {
        uint64_t seq;
        textview_entry *e = (textview_entry *)textview_find_key(tv, key, &seq);
        if (e) {
            entry_fill(e, line);
            if (maybe_visible(tv, seq))
                tv->base.dirty = true;
            return seq;
        }
    }
    if (textview_count(tv) == tv->capacity) {
        textview_entry *old = entry_at(tv, tv->first_seq);
        if (old->key[0])
            index_remove(tv, old->key);
        entry_free(old);
        tv->first_seq++;
        if (!tv->follow && tv->top_seq < tv->first_seq) {
            tv->top_seq = tv->first_seq;
            tv->top_row = 0;
        }
        if (tv->match_seq != UINT64_MAX && tv->match_seq < tv->first_seq)
            tv->match_seq = UINT64_MAX;
    }
    uint64_t seq = tv->end_seq++;
    textview_entry *e = entry_at(tv, seq);
    memset(e, 0, sizeof *e);
    entry_fill(e, line);
    if (key[0]) {
        /* Tombstones of evicted keys pile up; a rebuild every ~cap/4 evictions keeps
         * probes short at O(1) amortised. (Before the new key is set: it is added once.) */
        if ((tv->index_live + tv->index_gone + 1) * 4 > tv->index_cap * 3)
            index_rebuild(tv);
        memcpy(e->key, key, sizeof key);
        index_insert_raw(tv, seq, key_hash(e->key));
    }
    if (!tv->follow)
        tv->new_lines++;
    tv->base.dirty = true;
    return seq;
}

/* ---- geometry ---- */

int textview_offset_cols(const textview *tv)
{
    /* a narrow view gives the offset column's room to the text */
    return tv->base.rect.w < TEXTVIEW_COMPACT_COLS ? 0 : tv->offset_cols;
}

int textview_prefix_cols(const textview *tv)
{
    return textview_offset_cols(tv) + tv->label_cols;
}

bool textview_narrow(const textview *tv)
{
    int p = textview_prefix_cols(tv);
    return p > 0 && tv->base.rect.w < 2 * p;
}

static bool has_prefix(const textview_entry *e)
{
    return e->offset || e->label;
}

int textview_text_cols(const textview *tv, const textview_entry *e)
{
    int w = tv->base.rect.w;
    if (has_prefix(e) && !textview_narrow(tv))
        w -= textview_prefix_cols(tv);
    return w < 1 ? 1 : w;
}

void textview_ensure_wrapped(textview *tv, textview_entry *e)
{
    int cols = textview_text_cols(tv, e);
    if (e->wrap_cols == cols && e->wraps)
        return;
    size_t n = text_wrap(e->text, e->text_len, cols, e->wraps, e->wraps_cap);
    if (n > e->wraps_cap) {
        free(e->wraps);
        e->wraps = mem_zalloc(n, sizeof *e->wraps);
        e->wraps_cap = n;
        n = text_wrap(e->text, e->text_len, cols, e->wraps, e->wraps_cap);
    }
    e->nwraps = n;
    e->wrap_cols = cols;
    tv->rewraps++;
}

bool textview_tag_row(const textview *tv, const textview_entry *e)
{
    if (!(e->flags & TEXTVIEW_PARTIAL) || e->nwraps == 0)
        return false;
    return e->wraps[e->nwraps - 1].width + TEXTVIEW_TAG_COLS + TEXTVIEW_TAG_GAP >
           textview_text_cols(tv, e);
}

/* Rows the line takes: its wraps, plus a prefix row of its own in a narrow view, plus a
 * row for the "[partial]" tag when the last wrapped row has no room for it. */
size_t textview_entry_rows(textview *tv, textview_entry *e)
{
    textview_ensure_wrapped(tv, e);
    return e->nwraps + (has_prefix(e) && textview_narrow(tv) ? 1 : 0) +
           (textview_tag_row(tv, e) ? 1 : 0);
}

size_t textview_line_rows(textview *tv, uint64_t seq)
{
    if (seq < tv->first_seq || seq >= tv->end_seq)
        return 0;
    return textview_entry_rows(tv, entry_at(tv, seq));
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

static bool search_from(textview *tv, uint64_t seq, int dir)
{
    if (!tv->search[0] || tv->end_seq == tv->first_seq)
        return false;
    if (dir < 0) {
        for (uint64_t s = seq + 1; s-- > tv->first_seq;) {
            if (s >= tv->end_seq)
                continue;
            textview_entry *e = entry_at(tv, s);
            if (textview_match(e->text, e->text_len, tv->search, 0)) {
                tv->match_seq = s;
                show_line(tv, s);
                return true;
            }
        }
    } else {
        for (uint64_t s = seq; s < tv->end_seq; s++) {
            textview_entry *e = entry_at(tv, s);
            if (textview_match(e->text, e->text_len, tv->search, 0)) {
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
