/* replay_text.h — a recording as text, no curses: `--linear` (the timeline as lines, at the
 * chosen speed) and `--export md|json` (transcript, flags and notes, redacted as recorded).
 * Both walk the recording through the timeline's model and print with linear_format, the
 * lines `agentdesk --linear` prints live. */
#ifndef AGENTDESK_REPLAY_TEXT_H
#define AGENTDESK_REPLAY_TEXT_H

#include <stdbool.h>
#include <stdio.h>
#include "agentdesk/replay_notes.h"
#include "agentdesk/replay_timeline.h"
#include "agentdesk/scorecard.h"

/* One line per printable event, "[mm:ss] ..." (notes too, "[mm:ss] note: ..."), waiting
 * the recording's time divided by `speed` between them; speed 0: all at once. 0 or 1
 * (stdout failed). */
int replay_linear(FILE *out, const replay_timeline *tl, const replay_notes *notes, double speed);
/* Markdown ("md") or JSON ("json"); `card` NULL: no score card section. false when the
 * format is neither. */
bool replay_export(FILE *out, const char *format, const replay_timeline *tl, const replay_notes *notes,
                   const scorecard_answers *card, const char *title);

#endif
