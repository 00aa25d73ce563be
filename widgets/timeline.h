/* timeline.h — a one-row timeline: a track "├────●───!───▼──*──┤" with a position and marks
 * at fractions of its length, and a status text at the right ("04:12 / 11:40  2x  PLAYING").
 * The widget knows no recording: the owner gives fractions, one-column glyphs and items.
 * When two marks fall in one cell the later one given wins; the position wins over all. */
#ifndef AGENTDESK_WIDGETS_TIMELINE_H
#define AGENTDESK_WIDGETS_TIMELINE_H

#include "widgets/widget.h"
#include "widgets/theme.h"

enum { TIMELINE_MARKS_MAX = 512, TIMELINE_TEXT_MAX = 96 };

typedef struct timeline_mark {
    double at;              /* 0..1 */
    char glyph[8];          /* one column, clean ("!", "▼", "*") */
    theme_item item;
} timeline_mark;

typedef struct timeline {
    widget base;
    double pos;             /* 0..1 */
    timeline_mark marks[TIMELINE_MARKS_MAX];
    size_t nmarks;
    char right[TIMELINE_TEXT_MAX];
    theme_item right_item;
} timeline;

timeline *timeline_new(void);
static inline widget *timeline_widget(timeline *t) { return &t->base; }
/* Position, marks (at most TIMELINE_MARKS_MAX are kept) and the right text; marks dirty. */
void timeline_set(timeline *t, double pos, const timeline_mark *marks, size_t n, const char *right,
                  theme_item right_item);

#endif
