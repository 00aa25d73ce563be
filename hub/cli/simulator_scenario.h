/* simulator_scenario.h — one scripted interaction of the demo, read from
 * data/scenarios/NAME.json and validated strictly (docs/DATA.md has the format):
 *
 *   {"name":"NAME","channel":"voice|chat","queue":"billing|tech|sales|retention|fraud|delivery",
 *    "customer_id":"C-1001","weight":1..10,"description":"optional",
 *    "lines":[{"at_ms":3000,"speaker":"bot|customer|agent","text":"..."}, ...],
 *    "end_reason":"resolved"}
 *
 * Invariants of a loaded scenario: name equals the file's base name and is [a-z0-9-]{1,40};
 * SIMULATOR_MIN_LINES..SIMULATOR_MAX_LINES lines; at_ms never decreases; every text is
 * non-empty, single-line, already clean (text_is_clean) and at most SIMULATOR_MAX_LINE_TEXT
 * bytes; unknown keys are rejected so a typo cannot pass silently. */
#ifndef AGENTDESK_HUB_SIMULATOR_SCENARIO_H
#define AGENTDESK_HUB_SIMULATOR_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIMULATOR_MIN_LINES     8
#define SIMULATOR_MAX_LINES     30
#define SIMULATOR_MAX_LINE_TEXT 2000
#define SIMULATOR_MAX_AT_MS     3600000    /* one hour */
#define SIMULATOR_MAX_NAME      40
#define SIMULATOR_QUEUES        "billing|tech|sales|retention|fraud|delivery"

typedef struct {
    int64_t at_ms;         /* voice: the speaker starts talking; chat: starts typing */
    const char *speaker;   /* static: "customer", "agent" or "bot" */
    char *text;
} simulator_line;

typedef struct {
    char *name;
    char *channel;         /* "voice" or "chat" */
    char *queue;
    char *customer_id;
    char *end_reason;
    int weight;            /* 1..10: how often it is picked, relative to the others */
    bool voice;
    simulator_line *lines;
    size_t nlines;
} simulator_scenario;

typedef struct {
    simulator_scenario *items;  /* sorted by file name */
    size_t count;
} simulator_scenario_set;

/* Parse and validate `len` bytes of JSON. `label` names the source in messages, which
 * read like `data/scenarios/x.json: lines[3].speaker: expected one of bot|customer|agent`.
 * `expected_name` (NULL to skip) is the name the scenario must carry. */
bool simulator_scenario_parse(const char *json, size_t len, const char *label,
                              const char *expected_name, simulator_scenario *out,
                              char *err, size_t errlen);

/* Read and validate one file; its base name without ".json" must equal "name". */
bool simulator_scenario_load_file(const char *path, simulator_scenario *out,
                                  char *err, size_t errlen);

/* Every *.json in `dir`, sorted by file name. Fails on the first bad file, on an empty
 * directory (names are unique: each equals its file name). */
bool simulator_scenario_load_dir(const char *dir, simulator_scenario_set *set,
                                 char *err, size_t errlen);

/* Every customer_id must be the "id" of an entry of the customers file (a JSON array). */
bool simulator_scenario_check_customers(const simulator_scenario_set *set,
                                        const char *customers_path, char *err, size_t errlen);

void simulator_scenario_free(simulator_scenario *sc);
void simulator_scenario_set_free(simulator_scenario_set *set);

#endif
