/* textview_internal.h — what textview.c (store, scrolling) and textview_draw.c (drawing)
 * share. Not for other modules. */
#ifndef AGENTDESK_WIDGETS_TEXTVIEW_INTERNAL_H
#define AGENTDESK_WIDGETS_TEXTVIEW_INTERNAL_H

#include "widgets/textview.h"

extern const widget_class textview_class;

/* Prefix columns at the current width (the offset column is dropped below
 * TEXTVIEW_COMPACT_COLS). */
int textview_offset_cols(const textview *tv);
int textview_prefix_cols(const textview *tv);
/* True when the view is too narrow to indent under the prefix: it gets a row of its own. */
bool textview_narrow(const textview *tv);
int textview_text_cols(const textview *tv, const textview_entry *e);
void textview_ensure_wrapped(textview *tv, textview_entry *e);
size_t textview_entry_rows(textview *tv, textview_entry *e);
void textview_follow_top(textview *tv, uint64_t *seq, size_t *row);
void textview_normalise(textview *tv);
void textview_free_lines(textview *tv);
/* Case-insensitive (ASCII) search for needle in hay[from..len); NULL when absent. */
const char *textview_match(const char *hay, size_t len, const char *needle, size_t from);

#endif
