/* textview.h — the transcript: styled lines read from a source, drawn wrapped, bottom-aligned.
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
 * Lines: the textview holds none. It reads them through a textview_source (as the list
 * widget reads its items): the lines first..end-1 of a store that numbers its lines by a
 * sequence that only grows (the console's model; textlines.h for text with no model behind
 * it). The owner calls textview_changed after lines were added or dropped, and
 * textview_line_changed after a line changed in place. The only per-line memory here is the
 * wrap cache, TEXTVIEW_WRAP_CACHE lines (more than a screen) recently measured or drawn.
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
    TEXTVIEW_OFFSET_COLS = 6,     /* "00:09 " */
    TEXTVIEW_LABEL_COLS = 11,     /* "customer   " (labels are cut to 10) */
    TEXTVIEW_SEARCH_MAX = 128,
    TEXTVIEW_COMPACT_COLS = 48,   /* narrower views leave the offset out of the prefix */
    TEXTVIEW_WRAP_CACHE = 512     /* lines whose wraps are kept (a power of two) */
};

/* Line flags. */
enum {
    TEXTVIEW_PARTIAL  = 1 << 0,   /* dim (transcript.partial) and tagged "[partial]" at the
                                     right of its last row, or on one more row when that
                                     row is too full (it wraps exactly as when final) */
    TEXTVIEW_WHISPER  = 1 << 1,   /* whole line in transcript.whisper */
    TEXTVIEW_SYSTEM   = 1 << 2,   /* a status line ("— call ended —"), transcript.system */
    TEXTVIEW_NO_REDACT_MARKS = 1 << 3,  /* do not style bracketed spans */
    TEXTVIEW_CUT      = 1 << 4,   /* a partial that will not be finished (the interaction
                                     ended, or the link dropped): drawn as a partial, tagged
                                     "[cut off]" instead */
    TEXTVIEW_PENDING  = 1 << 5    /* the agent's own words not yet in the hub's log: drawn as
                                     a partial, tagged with textview_line.tag ("[sending]") */
};

/* One line as a source hands it out; the strings stay valid until the source's next get. */
typedef struct textview_line {
    const char *key;          /* textlines only: NULL, or the key a later put replaces */
    const char *offset;       /* "00:09" or NULL */
    const char *label;        /* "customer" or NULL */
    theme_item label_item;    /* e.g. THEME_TRANSCRIPT_CUSTOMER */
    const char *text;         /* clean; '\n' allowed */
    size_t text_len;          /* filled by the textview when 0 */
    unsigned flags;
    unsigned version;         /* changes whenever text or flags change (wrap cache check) */
    const char *tag;          /* TEXTVIEW_PENDING: its tag, at most 9 columns */
} textview_line;

typedef struct textview_source {
    uint64_t (*first)(void *ctx);          /* oldest line held */
    uint64_t (*end)(void *ctx);            /* one past the newest */
    /* Fill *out for line no (first <= no < end); false when it is not held. */
    bool (*get)(void *ctx, uint64_t no, textview_line *out);
    void *ctx;
} textview_source;

/* Wraps of one line at one width, for the line's version. */
typedef struct textview_wrap {
    uint64_t no;              /* UINT64_MAX: empty */
    unsigned version;
    int cols;
    wrap_line *wraps;
    size_t nwraps, cap;
} textview_wrap;

typedef struct textview {
    widget base;
    textview_source src;
    uint64_t first_seq, end_seq;  /* what the source held at the last textview_changed */
    bool follow;
    uint64_t top_seq;             /* scrolled: the line at the top ... */
    size_t top_row;               /* ... and its first shown wrapped row */
    size_t new_lines;             /* added while scrolled */
    char search[TEXTVIEW_SEARCH_MAX];
    char empty_text[256];         /* drawn dim and wrapped when the source holds no line */
    uint64_t match_seq;           /* last found match, or UINT64_MAX */
    uint64_t rewraps;             /* lines wrapped so far (tests, bench) */
    textview_wrap *cache;         /* TEXTVIEW_WRAP_CACHE slots, by line number */
} textview;

textview *textview_new(textview_source src);
static inline widget *textview_widget(textview *tv) { return &tv->base; }

/* The source's lines were added or dropped: counts new lines while scrolled, keeps the
 * anchor on a held line, marks dirty. */
void textview_changed(textview *tv);
/* Line `seq` changed in place: marks dirty when it can be on screen. */
void textview_line_changed(textview *tv, uint64_t seq);
/* The source now holds other lines (another interaction): forget the wraps, follow again. */
void textview_reset(textview *tv);
/* What an empty view says ("Signed out: ..."); "" for nothing. Clean text. */
void textview_set_empty_text(textview *tv, const char *clean);

size_t textview_count(const textview *tv);
uint64_t textview_first_seq(const textview *tv);
uint64_t textview_end_seq(const textview *tv);

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
/* How many lines match the pattern, and which of them is the current match, counted from
 * the newest (1 = the newest; 0 when there is none). Reads every line held: for a person's
 * search, not for every frame. */
size_t textview_search_count(textview *tv, size_t *current);

/* The rows line `seq` takes at the current width (wraps it if needed); tests use it. */
size_t textview_line_rows(textview *tv, uint64_t seq);
/* The cached wraps of line `seq` after textview_line_rows (tests), or NULL. */
const textview_wrap *textview_wraps(const textview *tv, uint64_t seq);

/* Keys: PgUp/PgDn, Up/Down (one row), Home/End, 'n' / 'N' (next older / newer match). */

#endif
