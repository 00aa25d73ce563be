/* textview.h — the transcript: a bounded ring of styled lines, drawn wrapped, bottom-aligned.
 *
 * Each line is "OFFSET LABEL  text", e.g. "00:09 customer  I've been charged twice…":
 * the offset and label form a prefix column, continuation rows are indented under the text
 * (unless the view is narrower than 2x the prefix: then the prefix gets a row of its own).
 * Views narrower than TEXTVIEW_COMPACT_COLS leave the offset out ("customer   I've been…").
 * Cost: a new or replaced line wraps only itself; wraps are cached per line with the width
 * they were made for, so a resize re-wraps only lines that get drawn. Drawing walks from the
 * anchor (or the bottom) for one screen of rows: no operation walks the whole history,
 * except search, which stops at the first match.
 *
 * Ring: at most `capacity` lines (default 10,000); adding to a full ring drops the oldest.
 * Lines are numbered by a sequence that only grows (textview_first_seq..textview_end_seq-1).
 * Keyed lines (e.g. a partial utterance by its uid) are replaced in place by textview_put
 * with the same key.
 *
 * Follow mode (the default): the newest line is at the bottom. Scrolling up (PgUp, Up)
 * leaves follow mode; new lines then only count into "N new lines ↓", drawn on the last
 * row. PgDn / Down reaching the end, or End, returns to follow mode.
 * Redacted spans — "[" + capitals (and then anything but brackets) + "]", at most 40 bytes,
 * like "[CARD ****1234]" or "[EMAIL]" — are drawn with transcript.redacted. */
#ifndef AGENTDESK_WIDGETS_TEXTVIEW_H
#define AGENTDESK_WIDGETS_TEXTVIEW_H

#include "widgets/widget.h"
#include "widgets/theme.h"
#include "base/wrap.h"
#include <stdint.h>

enum {
    TEXTVIEW_DEFAULT_CAPACITY = 10000,
    TEXTVIEW_KEY_MAX = 64,        /* longer keys are cut */
    TEXTVIEW_OFFSET_COLS = 6,     /* "00:09 " */
    TEXTVIEW_LABEL_COLS = 11,     /* "customer   " (labels are cut to 10) */
    TEXTVIEW_SEARCH_MAX = 128,
    TEXTVIEW_COMPACT_COLS = 48    /* narrower views leave the offset out of the prefix */
};

/* Line flags. */
enum {
    TEXTVIEW_PARTIAL  = 1 << 0,   /* dim (transcript.partial) and tagged "[partial]" at the
                                     right of its last row, or on one more row when that
                                     row is too full (it wraps exactly as when final) */
    TEXTVIEW_WHISPER  = 1 << 1,   /* whole line in transcript.whisper */
    TEXTVIEW_SYSTEM   = 1 << 2,   /* a status line ("— call ended —"), transcript.system */
    TEXTVIEW_NO_REDACT_MARKS = 1 << 3   /* do not style bracketed spans */
};

/* What the caller hands in; the textview copies every string. */
typedef struct textview_line {
    const char *key;          /* NULL, or the key a later put replaces (utterance uid) */
    const char *offset;       /* "00:09" or NULL */
    const char *label;        /* "customer" or NULL */
    theme_item label_item;    /* e.g. THEME_TRANSCRIPT_CUSTOMER */
    const char *text;         /* clean; '\n' allowed */
    unsigned flags;
} textview_line;

/* One stored line (read-only outside textview.c). */
typedef struct textview_entry {
    char key[TEXTVIEW_KEY_MAX];
    char *offset, *label, *text;
    size_t text_len;
    theme_item label_item;
    unsigned flags;
    int wrap_cols;            /* width the cache is for; -1: stale */
    wrap_line *wraps;
    size_t nwraps, wraps_cap;
} textview_entry;

typedef struct textview {
    widget base;
    textview_entry *ring;
    size_t capacity;
    uint64_t first_seq, end_seq;  /* lines first_seq .. end_seq-1 are held */
    bool follow;
    uint64_t top_seq;             /* scrolled: the line at the top ... */
    size_t top_row;               /* ... and its first shown wrapped row */
    size_t new_lines;             /* added while scrolled */
    char search[TEXTVIEW_SEARCH_MAX];
    uint64_t match_seq;           /* last found match, or UINT64_MAX */
    uint64_t rewraps;             /* lines wrapped so far (tests, bench) */
    int offset_cols, label_cols;  /* prefix columns (defaults TEXTVIEW_OFFSET/LABEL_COLS) */
    /* key -> seq index (open addressing, tombstones), sized 2x capacity */
    struct textview_slot { uint64_t seq; uint32_t hash; } *index;
    size_t index_cap;
    size_t index_live, index_gone;  /* used slots, tombstones */
} textview;

textview *textview_new(size_t capacity);     /* 0 = TEXTVIEW_DEFAULT_CAPACITY */
static inline widget *textview_widget(textview *tv) { return &tv->base; }

/* Appends a line, or replaces the held line with the same key in place (its position kept).
 * Returns the line's sequence number. Marks dirty only when the change can be visible. */
uint64_t textview_put(textview *tv, const textview_line *line);
/* Prefix column widths, spaces included (offsets like "1:02:03" need 8). */
void textview_set_prefix_cols(textview *tv, int offset_cols, int label_cols);
/* Removes every line. */
void textview_clear(textview *tv);

size_t textview_count(const textview *tv);
uint64_t textview_first_seq(const textview *tv);
uint64_t textview_end_seq(const textview *tv);
/* The stored line `seq`, or NULL when it is no longer (or not yet) held. */
const textview_entry *textview_get(const textview *tv, uint64_t seq);
/* The held line with this key, or NULL. */
const textview_entry *textview_find_key(const textview *tv, const char *key, uint64_t *seq);

/* Scrolling by rows of the current width (the view's own height for pages). */
void textview_scroll(textview *tv, long rows);     /* < 0 up, > 0 down */
void textview_page(textview *tv, int pages);       /* PgUp = -1, PgDn = +1 */
void textview_follow(textview *tv);                /* End */
void textview_top(textview *tv);                   /* Home */
bool textview_following(const textview *tv);
size_t textview_new_lines(const textview *tv);     /* the "N new lines" count */

/* Search, case-insensitive (ASCII letters), highlighting every match with transcript.search.
 * textview_search sets the pattern (clean; "" clears) and jumps to the newest matching line
 * at or above the view; textview_search_next jumps to the next match older (dir < 0) or
 * newer (dir > 0). Both return false, leaving the view, when there is none. */
bool textview_search(textview *tv, const char *pattern);
bool textview_search_next(textview *tv, int dir);

/* The rows line `seq` takes at the current width (wraps it if needed); tests use it. */
size_t textview_line_rows(textview *tv, uint64_t seq);

/* Keys: PgUp/PgDn, Up/Down (one row), Home/End, 'n' / 'N' (next older / newer match). */

#endif
