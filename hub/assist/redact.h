/* redact.h — PII detection in cleaned text, as a table of detectors (redact_detect.c), and
 * the replacement that assist_redact() (assist.h) builds on it (redact.c).
 *
 * Every detector anchors its spans on ASCII bytes, so a span never splits a UTF-8 sequence.
 * Spans of different detectors never overlap in the result of redact_find(): detectors run in
 * priority order (e-mail, IBAN, card, SSN, NI number, date of birth, phone, numbers read out
 * as words, security code, address) and a later span that overlaps an earlier one is
 * dropped. Detectors live in redact_detect.c (numbers, e-mail) and redact_places.c (dates of
 * birth, addresses) over the shared scanner of redact_scan.h. */
#ifndef AGENTDESK_HUB_ASSIST_REDACT_H
#define AGENTDESK_HUB_ASSIST_REDACT_H

#include <stddef.h>

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

/* Luhn and IBAN mod-97 checks over the digits/alphanumerics of s[0..len) (separators
 * skipped). */
int redact_luhn_ok(const char *s, size_t len);
int redact_iban_ok(const char *s, size_t len);

#endif
