/* textlines.h — an owned list of transcript lines with a textview_source over it, for text
 * that has no model behind it (the widget and screen tests, a scratch pane). The console's
 * transcript does not use it: its textview reads the model's lines directly.
 *
 * At most `capacity` lines (adding to a full list drops the oldest), numbered by a sequence
 * that only grows; a put with the key of a held line replaces that line in place. */
#ifndef AGENTDESK_WIDGETS_TEXTLINES_H
#define AGENTDESK_WIDGETS_TEXTLINES_H

#include "widgets/textview.h"

typedef struct textlines textlines;

textlines *textlines_new(size_t capacity);
void textlines_free(textlines *tl);
/* Copies the line; returns its number (the held line's when the key matched). */
uint64_t textlines_put(textlines *tl, const textview_line *line);
void textlines_clear(textlines *tl);
/* The held line `seq` (strings owned by the list), or NULL. */
const textview_line *textlines_get(const textlines *tl, uint64_t seq);
/* The held line with this key and its number, or NULL. */
const textview_line *textlines_find_key(const textlines *tl, const char *key, uint64_t *seq);
textview_source textlines_source(textlines *tl);

#endif
