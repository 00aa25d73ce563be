/* sparkline.h — a strip of values -1..1 drawn as ▁▂▃▄▅▆▇█, then per-item coloured marks
 * (e.g. one per utterance: "-" negative, "0" neutral, "+" positive).
 * Layout in the window: row 0 = [label] bars [gap] marks; when the window has 2+ rows the
 * marks go on row 1 instead. Only the newest values/marks that fit are shown. */
#ifndef AGENTDESK_WIDGETS_SPARKLINE_H
#define AGENTDESK_WIDGETS_SPARKLINE_H

#include "widgets/widget.h"
#include "widgets/theme.h"

enum { SPARKLINE_MAX = 512, SPARKLINE_LABEL_MAX = 128 };

typedef struct sparkline_mark {
    char glyph[8];        /* clean UTF-8, one column: "-", "0", "+", "!" */
    theme_item item;
} sparkline_mark;

typedef struct sparkline {
    widget base;
    char label[SPARKLINE_LABEL_MAX];   /* clean, e.g. "customer -0.62 ↓" */
    theme_item label_item;
    float values[SPARKLINE_MAX];
    size_t nvalues;
    sparkline_mark marks[SPARKLINE_MAX];
    size_t nmarks;
} sparkline;

sparkline *sparkline_new(void);
static inline widget *sparkline_widget(sparkline *s) { return &s->base; }
void sparkline_set_label(sparkline *s, const char *clean, theme_item item);
/* Copies the newest SPARKLINE_MAX of `n` values (clamped to -1..1; NaN -> 0). */
void sparkline_set_values(sparkline *s, const float *values, size_t n);
void sparkline_set_marks(sparkline *s, const sparkline_mark *marks, size_t n);

/* Pure: the bar index 0..7 for v in -1..1 (-1 -> 0 "▁", 1 -> 7 "█"). */
int sparkline_level(float v);
/* Pure: the bar glyph (UTF-8) for v. */
const char *sparkline_glyph(float v);
/* Pure: writes the newest values that fit `cols` columns as bars into buf (NUL-terminated,
 * at most bufsize bytes; each bar is 3 bytes). Returns the columns written. For table cells
 * (the monitor) and --linear output. */
int sparkline_render(const float *values, size_t n, int cols, char *buf, size_t bufsize);

#endif
