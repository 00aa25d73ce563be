/* preview.h — a read-only block of wrapped text under a rule that names it
 * ("── reply 2 ──"): the selected suggestion's whole text, read before it is used. The text
 * comes from a callback at draw time, so a selection that moves only needs preview_changed().
 * A text longer than the block ends its last row with "…". It never takes keys. */
#ifndef AGENTDESK_WIDGETS_PREVIEW_H
#define AGENTDESK_WIDGETS_PREVIEW_H

#include "widgets/widget.h"

typedef struct preview_text {
    const char *label;   /* on the rule, clean; NULL: a bare rule */
    const char *text;    /* clean; NULL or "": the rule only */
} preview_text;

typedef struct preview {
    widget base;
    preview_text (*source)(void *ctx);
    void *ctx;
} preview;

preview *preview_new(preview_text (*source)(void *ctx), void *ctx);
static inline widget *preview_widget(preview *p) { return &p->base; }
/* What the source returns changed: draw again. */
void preview_changed(preview *p);

#endif
