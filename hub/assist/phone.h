/* phone.h — phone numbers in text, found by Google's libphonenumber (Debian's
 * libphonenumber-dev) through a thin C++ shim (phone_shim.cc): its PhoneNumberMatcher reads
 * the text once per region of a list and keeps what its metadata calls a valid number
 * (leniency VALID: the right length and ranges for the country, not a date or a time).
 *
 * A number written internationally ("+49 30 123456", "0049 …") is found whatever the list;
 * one written nationally ("030 123456", "612 34 56 78") only when its country is on the list,
 * since the same digits mean different things from country to country. The hub does not know
 * where a caller is, so the list is the markets the contact centre serves: by default
 * PHONE_DEFAULT_REGIONS, or the ISO 3166 codes in the environment variable
 * AGENTDESK_PHONE_REGIONS ("GB,IE,FR"), read once at the first search (docs/agentdesk-hub.1).
 * A code libphonenumber does not know is left out of the list.
 *
 * Spans are byte offsets into the text, sorted, and never overlap: a number that several
 * regions read differently becomes one span covering every reading. */
#ifndef AGENTDESK_HUB_ASSIST_PHONE_H
#define AGENTDESK_HUB_ASSIST_PHONE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PHONE_DEFAULT_REGIONS "GB,US,DE,FR,ES,IT,IN,IE,NL,AU"
#define PHONE_MAX_REGIONS 32

typedef struct {
    size_t start, end;   /* byte offsets, [start, end) */
} phone_span;

/* Phone numbers in text[0..len) (UTF-8); writes at most max spans, returns how many. */
size_t phone_find(const char *text, size_t len, phone_span *spans, size_t max);

/* Sets the region list from a comma- or space-separated list of ISO 3166 codes; codes
 * libphonenumber does not know are skipped. Returns how many regions it holds (0: the list
 * is empty, and only international numbers are found). */
int phone_set_regions(const char *list);

/* The region list in use, comma-separated (the default or environment one until set). */
const char *phone_regions(void);

/* Counts the region list's changes: what was found under an older list may differ now. */
unsigned long phone_regions_version(void);

#ifdef __cplusplus
}
#endif

#endif
