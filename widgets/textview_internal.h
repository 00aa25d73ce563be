/* textview_internal.h — what textview.c (source, wraps, scrolling) and textview_draw.c
 * (drawing) share. Not for other modules. */
#ifndef AGENTDESK_WIDGETS_TEXTVIEW_INTERNAL_H
#define AGENTDESK_WIDGETS_TEXTVIEW_INTERNAL_H

#include "widgets/textview.h"

extern const widget_class textview_class;

/* A line read from the source with its wraps at the current width. */
typedef struct textview_loaded {
    textview_line l;
    textview_wrap *w;
} textview_loaded;

/* Reads line `seq` and wraps it (from the cache when its version and width match); false
 * when the source does not hold it. The strings last until the next load. */
bool textview_load(textview *tv, uint64_t seq, textview_loaded *out);

/* Prefix columns at the current width (the offset column is dropped below
 * TEXTVIEW_COMPACT_COLS). */
int textview_offset_cols(const textview *tv);
int textview_prefix_cols(const textview *tv);
/* True when the view is too narrow to indent under the prefix: it gets a row of its own. */
bool textview_narrow(const textview *tv);
bool textview_has_prefix(const textview_line *l);
int textview_text_cols(const textview *tv, const textview_line *l);
/* The tag drawn at the right of a partial line's last row; a partial whose last row has no
 * room for it (with a TEXTVIEW_TAG_GAP-column gap) gets one more row for the tag alone, so
 * the tag is always shown and partials wrap exactly like finals (no reflow when final). */
#define TEXTVIEW_PARTIAL_TAG "[partial]"
#define TEXTVIEW_CUT_TAG "[cut off]"   /* as wide as the partial tag: the same rows */
enum { TEXTVIEW_TAG_COLS = 9, TEXTVIEW_TAG_GAP = 2 };
/* True when line e (wrapped at the current width) needs that extra tag row. */
bool textview_tag_row(const textview *tv, const textview_loaded *e);
size_t textview_loaded_rows(const textview *tv, const textview_loaded *e);
void textview_follow_top(textview *tv, uint64_t *seq, size_t *row);
void textview_normalise(textview *tv);
void textview_free_cache(textview *tv);
/* Case-insensitive (ASCII) search for needle in hay[from..len); NULL when absent. */
const char *textview_match(const char *hay, size_t len, const char *needle, size_t from);

#endif
