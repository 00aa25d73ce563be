/* replay_notes.h — a trainer's notes on a recording, each at a time of the recording, kept
 * in a sidecar file beside it (RECORDING.notes.json):
 *   {"format":"agentdesk.notes","version":2,"notes":[{"t_ms":252000,"text":"..."}],
 *    "scorecard":{...}}
 * (version 2 added "scorecard", the trainer's answers, scorecard_answers_to_json; a version 1
 * file, notes only, still loads and is written back as version 2)
 * written atomically (a temporary file in the same directory, fsync, rename over, fsync of
 * the directory), so a crash or a full disk leaves the old file or the new one, never half.
 * A sidecar that cannot be read as notes is reported and never written over: the first save
 * after it moves it aside to SIDECAR.damaged (said in the message), so nothing is lost.
 * Invariant: notes are sorted by t_ms (equal times in the order they were added); every
 * text is cleaned, one line. */
#ifndef AGENTDESK_REPLAY_NOTES_H
#define AGENTDESK_REPLAY_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define REPLAY_NOTE_MAX 2000      /* bytes of one note */
#define REPLAY_NOTES_VERSION 2

typedef struct {
    int64_t t_ms;
    char *text;
} replay_note;

typedef struct {
    replay_note *n;
    size_t count, cap;
    char *path;              /* the sidecar; NULL: memory only */
    bool damaged;            /* the file there could not be read: move it aside before saving */
    json_t *scorecard;       /* the kept score card answers as read or to write, or NULL (owned) */
} replay_notes;

/* The sidecar path of a recording (malloc'd). */
char *replay_notes_path(const char *recording_path);
/* Load `path` (NULL: none). A missing file is no notes. false with a message when the
 * file is there but damaged (notes then start empty, and the file is kept, see above). */
bool replay_notes_load(replay_notes *ns, const char *path, char *err, size_t errlen);
void replay_notes_free(replay_notes *ns);
/* Add a note (text cleaned, cut to REPLAY_NOTE_MAX); its index. */
size_t replay_notes_add(replay_notes *ns, int64_t t_ms, const char *text);
void replay_notes_set_text(replay_notes *ns, size_t i, const char *text);
void replay_notes_delete(replay_notes *ns, size_t i);
/* Replace the kept score card answers (takes the reference; NULL: none). */
void replay_notes_set_scorecard(replay_notes *ns, json_t *answers);
/* Write the sidecar atomically. false with a message (the old file is then untouched). */
bool replay_notes_save(replay_notes *ns, char *err, size_t errlen);

#endif
