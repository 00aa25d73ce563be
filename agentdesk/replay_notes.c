/* replay_notes.c — notes on a recording in an atomically written sidecar (replay_notes.h). */
#include "agentdesk/replay_notes.h"
#include "base/fdio.h"
#include "base/mem.h"
#include "base/text.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *replay_notes_path(const char *recording_path)
{
    return mem_printf("%s.notes.json", recording_path);
}

static char *clean_note(const char *text)
{
    size_t len = strlen(text ? text : "");
    char *c = text_clean(text ? text : "", len, TEXT_SINGLE_LINE, &len);
    c[text_prefix_len(c, len, REPLAY_NOTE_MAX)] = 0;
    return c;
}

static size_t insert_at(replay_notes *ns, int64_t t_ms)
{
    size_t i = ns->count;
    while (i > 0 && ns->n[i - 1].t_ms > t_ms) i--;
    return i;
}

size_t replay_notes_add(replay_notes *ns, int64_t t_ms, const char *text)
{
    if (ns->count == ns->cap) {
        ns->cap = ns->cap ? ns->cap * 2 : 16;
        ns->n = mem_realloc(ns->n, ns->cap * sizeof *ns->n);
    }
    if (t_ms < 0) t_ms = 0;
    size_t i = insert_at(ns, t_ms);
    memmove(&ns->n[i + 1], &ns->n[i], (ns->count - i) * sizeof *ns->n);
    ns->n[i] = (replay_note){t_ms, clean_note(text)};
    ns->count++;
    return i;
}

void replay_notes_set_text(replay_notes *ns, size_t i, const char *text)
{
    if (i >= ns->count) return;
    free(ns->n[i].text);
    ns->n[i].text = clean_note(text);
}

void replay_notes_delete(replay_notes *ns, size_t i)
{
    if (i >= ns->count) return;
    free(ns->n[i].text);
    memmove(&ns->n[i], &ns->n[i + 1], (ns->count - i - 1) * sizeof *ns->n);
    ns->count--;
}

void replay_notes_free(replay_notes *ns)
{
    for (size_t i = 0; i < ns->count; i++) free(ns->n[i].text);
    free(ns->n);
    free(ns->path);
    json_decref(ns->scorecard);
    memset(ns, 0, sizeof *ns);
}

void replay_notes_set_scorecard(replay_notes *ns, json_t *answers)
{
    json_decref(ns->scorecard);
    ns->scorecard = answers;
}

bool replay_notes_load(replay_notes *ns, const char *path, char *err, size_t errlen)
{
    memset(ns, 0, sizeof *ns);
    if (!path) return true;
    ns->path = mem_strdup(path);
    json_error_t je;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        if (access(path, F_OK) != 0 && errno == ENOENT) return true;
        ns->damaged = true;
        snprintf(err, errlen, "notes %s damaged (line %d: %s): not loaded; kept, and moved to "
                 "%s.damaged before new notes are saved", path, je.line, je.text, path);
        return false;
    }
    const char *fmt = json_string_value(json_object_get(j, "format"));
    json_t *arr = json_object_get(j, "notes");
    json_int_t version = json_integer_value(json_object_get(j, "version"));
    if (fmt && strcmp(fmt, "agentdesk.notes") == 0 && version > REPLAY_NOTES_VERSION) {
        json_decref(j);
        ns->damaged = true;
        snprintf(err, errlen, "notes %s: version %lld, newer than this agentdesk reads (%d): not loaded; "
                 "kept, and moved to %s.damaged before new notes are saved", path, (long long)version,
                 REPLAY_NOTES_VERSION, path);
        return false;
    }
    if (!fmt || strcmp(fmt, "agentdesk.notes") != 0 || !json_is_array(arr)) {
        json_decref(j);
        ns->damaged = true;
        snprintf(err, errlen, "notes %s: not an agentdesk notes file: not loaded; kept, and moved "
                 "to %s.damaged before new notes are saved", path, path);
        return false;
    }
    size_t i, skipped = 0;
    json_t *it;
    json_array_foreach(arr, i, it) {
        json_t *t = json_object_get(it, "t_ms");
        const char *text = json_string_value(json_object_get(it, "text"));
        if (!json_is_integer(t) || !text) { skipped++; continue; }
        replay_notes_add(ns, json_integer_value(t), text);
    }
    json_t *card = json_object_get(j, "scorecard");
    if (json_is_object(card)) ns->scorecard = json_incref(card);
    json_decref(j);
    if (skipped) {
        ns->damaged = true;
        snprintf(err, errlen, "notes %s: %zu note(s) unreadable and left out; the file is moved to "
                 "%s.damaged before new notes are saved", path, skipped, path);
        return false;
    }
    return true;
}

static bool fsync_dir_of(const char *path)
{
    char *copy = mem_strdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0) return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

bool replay_notes_save(replay_notes *ns, char *err, size_t errlen)
{
    if (!ns->path) return true;
    if (ns->damaged) {
        char *aside = mem_printf("%s.damaged", ns->path);
        int rc = rename(ns->path, aside);
        if (rc != 0 && errno != ENOENT) {
            snprintf(err, errlen, "notes not saved: cannot move the damaged %s aside: %s", ns->path,
                     strerror(errno));
            free(aside);
            return false;
        }
        free(aside);
        ns->damaged = false;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < ns->count; i++)
        json_array_append_new(arr, json_pack("{s:I, s:s}", "t_ms", (json_int_t)ns->n[i].t_ms,
                                             "text", ns->n[i].text));
    json_t *j = json_pack("{s:s, s:i, s:o}", "format", "agentdesk.notes", "version", REPLAY_NOTES_VERSION,
                          "notes", arr);
    if (ns->scorecard) json_object_set(j, "scorecard", ns->scorecard);
    char *body = json_dumps(j, JSON_INDENT(1));
    json_decref(j);
    char *tmp = mem_printf("%s.tmp", ns->path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && body && fd_write_all(fd, body, strlen(body)) == 0 && fd_write_all(fd, "\n", 1) == 0 &&
              fsync(fd) == 0;
    int e = errno;
    if (fd >= 0 && close(fd) != 0 && ok) { ok = false; e = errno; }
    if (ok && rename(tmp, ns->path) != 0) { ok = false; e = errno; }
    if (!ok) {
        snprintf(err, errlen, "notes not saved to %s: %s (the file there is as it was)", ns->path, strerror(e));
        unlink(tmp);
    } else if (!fsync_dir_of(ns->path)) {
        snprintf(err, errlen, "notes written to %s, but its directory could not be synced: %s",
                 ns->path, strerror(errno));
        ok = false;
    }
    free(tmp);
    free(body);
    return ok;
}
