/* simulator_plan.c — scenario lines to timed partial/final steps (see simulator_plan.h). */
#include "hub/cli/simulator_plan.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(simulator_step *out, size_t cap, size_t i, simulator_step step)
{
    if (i < cap)
        out[i] = step;
}

static int64_t typing_ms(const simulator_line *line)
{
    if (strcmp(line->speaker, "bot") == 0)
        return SIMULATOR_BOT_MS;
    int64_t ms = (int64_t)strlen(line->text) * SIMULATOR_TYPE_MS;
    if (ms < SIMULATOR_TYPE_MIN_MS)
        ms = SIMULATOR_TYPE_MIN_MS;
    if (ms > SIMULATOR_TYPE_MAX_MS)
        ms = SIMULATOR_TYPE_MAX_MS;
    return ms;
}

size_t simulator_plan_line(const simulator_line *line, uint32_t index, bool voice,
                           simulator_rng *rng, simulator_step *out, size_t cap)
{
    const char *text = line->text;
    size_t len = strlen(text);
    if (!voice) {
        int64_t sent = line->at_ms + typing_ms(line);
        put(out, cap, 0, (simulator_step){ .at_ms = sent, .offset_ms = sent, .line = index,
                                           .text_len = (uint32_t)len, .final = true });
        return 1;
    }

    size_t n = 0, words = 0, next_partial = (size_t)simulator_rng_range(rng, 2, 3);
    size_t i = 0;
    while (i < len) {
        while (i < len && text[i] == ' ')
            i++;
        if (i == len)
            break;
        while (i < len && text[i] != ' ')
            i++;
        words++;
        /* i is the end of word `words`; the last word is left to the final */
        if (words == next_partial && i < len) {
            put(out, cap, n++, (simulator_step){
                .at_ms = line->at_ms + (int64_t)words * SIMULATOR_WORD_MS,
                .offset_ms = line->at_ms, .line = index, .text_len = (uint32_t)i,
                .final = false });
            next_partial += (size_t)simulator_rng_range(rng, 2, 3);
        }
    }
    if (words == 0)
        words = 1;
    put(out, cap, n++, (simulator_step){
        .at_ms = line->at_ms + (int64_t)words * SIMULATOR_WORD_MS, .offset_ms = line->at_ms,
        .line = index, .text_len = (uint32_t)len, .final = true });
    return n;
}

static int compare_steps(const void *pa, const void *pb)
{
    const simulator_step *a = pa, *b = pb;
    if (a->at_ms != b->at_ms)
        return a->at_ms < b->at_ms ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->text_len < b->text_len ? -1 : a->text_len > b->text_len;
}

simulator_step *simulator_plan_lines(const simulator_scenario *sc, simulator_rng *rng,
                                     size_t *n)
{
    /* a partial every >= 2 words bounds a line's steps by its bytes / 4 + 1 */
    size_t cap = 1;
    for (size_t i = 0; i < sc->nlines; i++)
        cap += strlen(sc->lines[i].text) / 4 + 2;
    simulator_step *steps = mem_alloc(cap * sizeof *steps);
    size_t count = 0;
    for (size_t i = 0; i < sc->nlines; i++)
        count += simulator_plan_line(&sc->lines[i], (uint32_t)i, sc->voice, rng,
                                     steps + count, cap - count);
    qsort(steps, count, sizeof *steps, compare_steps);
    *n = count;
    return steps;
}

int64_t simulator_plan_duration(const simulator_step *steps, size_t n)
{
    int64_t last = 0;
    for (size_t i = 0; i < n; i++)
        if (steps[i].at_ms > last)
            last = steps[i].at_ms;
    return last;
}
