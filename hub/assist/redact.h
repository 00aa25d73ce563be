/* redact.h — PII detection in cleaned text, as a table of detectors (redact_detect.c), and
 * the replacement assist_redact() builds on it (redact.c).
 *
 * Every detector anchors its spans on ASCII bytes, so a span never splits a UTF-8 sequence.
 * Spans of different detectors never overlap in the result of redact_find(): detectors run in
 * priority order (e-mail, IBAN, card, SSN, NI number, date of birth, phone by libphonenumber
 * (phone.h), phone by shape, numbers read out as words, security code, address) and a later
 * span that overlaps an earlier one is dropped. Detectors live in redact_detect.c (numbers,
 * e-mail), redact_phones.c (phones) and redact_places.c (dates of birth, addresses) over the
 * shared scanner of redact_scan.h; they read a normalised copy of
 * the text (redact_norm.c: compatibility forms folded, format characters removed, separator
 * runs collapsed) and the spans are mapped back to the original bytes. */
#ifndef AGENTDESK_HUB_ASSIST_REDACT_H
#define AGENTDESK_HUB_ASSIST_REDACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    REDACT_CARD, REDACT_CVV, REDACT_EMAIL, REDACT_PHONE, REDACT_IBAN, REDACT_SSN,
    REDACT_NINO, REDACT_DOB, REDACT_ADDRESS,
    REDACT__KINDS
} redact_kind;

typedef struct {
    size_t start, end;   /* byte offsets, [start, end) */
    redact_kind kind;
} redact_span;

#define REDACT_MAX_SPANS 256

/* The tag word of a kind: "CARD", "CVV", "EMAIL", … */
const char *redact_kind_name(redact_kind kind);

/* Finds PII in `text` (len bytes of cleaned UTF-8). Writes at most `max` spans, sorted by
 * start and not overlapping; returns how many. */
size_t redact_find(const char *text, size_t len, redact_span *spans, size_t max);

/* redact_find() with options: REDACT_PHONE_RULES_ONLY leaves libphonenumber's matcher out
 * and finds phones by the hand rules alone, as the redactor did before it (bench_assist
 * prints both side by side). */
#define REDACT_PHONE_RULES_ONLY 1u
size_t redact_find_opts(const char *text, size_t len, redact_span *spans, size_t max, unsigned opts);

/* The normalised copy the detectors read (see redact_norm.c), at most outlen - 1 bytes and
 * NUL-terminated in out; returns its length. */
size_t redact_normalise(const char *text, size_t len, char *out, size_t outlen);

/* A number read out over two utterances of one speaker ("my card is 4539 1488" … "0343
 * 6467"): the last REDACT_CARRY_BYTES bytes of the speaker's previous final are kept, and
 * the next utterance of that speaker (its partials and its final) begun within
 * REDACT_CARRY_WINDOW_MS of it is read after them. Whatever the other party says in between
 * does not matter; a longer pause does. The carry lives in memory only. */
#define REDACT_CARRY_BYTES 64
#define REDACT_CARRY_WINDOW_MS 20000
typedef struct {
    char tail[REDACT_CARRY_BYTES + 1];
    int64_t offset_ms;   /* when the utterance it comes from was said */
    bool set;
} redact_carry;

/* Keep the end of a final utterance said at offset_ms for the speaker's next one. */
void redact_carry_keep(redact_carry *c, const char *text, int64_t offset_ms);
/* `text` with the spans that only the carried words reveal replaced by their tags
 * ("[CARD]"), malloc'd; NULL when there are none (or the carry is empty or too old). The
 * ordinary redaction still runs on the result. When a revealed span began in the previous
 * utterance, *in_tail (if not NULL) is that part of it, as offsets in c->tail (which it
 * ends); else it is empty (start == end). */
char *redact_carried(const redact_carry *c, const char *text, int64_t offset_ms, redact_span *in_tail);

/* Luhn and IBAN mod-97 checks over the digits/alphanumerics of s[0..len) (separators
 * skipped). */
int redact_luhn_ok(const char *s, size_t len);
int redact_iban_ok(const char *s, size_t len);

/* Redaction of PII in cleaned text (redact.c). TAG: "[CARD]", "[EMAIL]", … for
 * recordings, trainers and everything stored; MASK: what live consoles see, partly masked
 * where that lets the agent confirm a value ("[CARD ****1234]", "j•••@example.com",
 * "•• •• 0958", "••• SW1A •••"), else the tag. Returns a malloc'd string. */
typedef enum { REDACT_TAG, REDACT_MASK } redact_mode;
char *assist_redact(const char *text, redact_mode mode);
/* As assist_redact(), but never longer than `max` bytes (the limit of the field it goes in):
 * a text whose tags would make it longer is cut on a character boundary, never inside a
 * tag, and ends with "…". max 0: no limit. */
char *assist_redact_within(const char *text, redact_mode mode, size_t max);

/* The MASK form of one whole value of a kind (the customer card's e-mail and phone), e.g.
 * "j•••@example.com"; malloc'd. */
char *redact_partial(const char *clear, redact_kind kind);

#endif
