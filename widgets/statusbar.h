/* statusbar.h — a one-row bar: the header (" agentdesk  Ana Ruiz  ON INTERACTION ...
 * connected · 3 ms ... 14:32:07 ? help") or the key-hint bar ("Tab next pane · 1-3 use
 * suggestion · ..."). The whole row takes `base_item` (header / hint).
 * Header use: segments aligned left, centre or right; when they do not fit, right segments
 * are kept first, then left ones are cut with "…", centre ones dropped.
 * Hint use: (key, label) pairs joined by " · "; hints that do not fit are left out whole. */
#ifndef AGENTDESK_WIDGETS_STATUSBAR_H
#define AGENTDESK_WIDGETS_STATUSBAR_H

#include "widgets/widget.h"
#include "widgets/theme.h"

enum { STATUSBAR_SEGS_MAX = 16, STATUSBAR_TEXT_MAX = 128 };

typedef enum statusbar_align { STATUSBAR_LEFT, STATUSBAR_CENTER, STATUSBAR_RIGHT } statusbar_align;

typedef struct statusbar_seg {
    const char *text;         /* clean */
    theme_item item;          /* 0 (THEME_NORMAL) = the bar's base item */
    statusbar_align align;
} statusbar_seg;

typedef struct statusbar_hint {
    const char *key;          /* "Tab", "^W", "1-3" (hint.key) */
    const char *label;        /* "next pane" (hint) */
} statusbar_hint;

typedef struct statusbar {
    widget base;
    theme_item base_item;
    bool hints_mode;
    int nsegs;
    struct { char text[STATUSBAR_TEXT_MAX]; theme_item item; statusbar_align align; }
        segs[STATUSBAR_SEGS_MAX];
    int nhints;
    struct { char key[32]; char label[STATUSBAR_TEXT_MAX]; } hints[STATUSBAR_SEGS_MAX];
} statusbar;

statusbar *statusbar_new(theme_item base_item);
static inline widget *statusbar_widget(statusbar *sb) { return &sb->base; }
/* Copies the segments; marks dirty only when something changed. */
void statusbar_set(statusbar *sb, const statusbar_seg *segs, int n);
void statusbar_set_hints(statusbar *sb, const statusbar_hint *hints, int n);

#endif
