/* fuzz_analyze.c — libFuzzer target: what `agentdesk-hub analyze` does to one line —
 * sentiment, flags (a fresh state, every speaker, partial and final), the knowledge-base
 * query (an in-memory db seeded once from data/kb.json) and redaction — on arbitrary
 * cleaned input. Run from the repository root (tests/fuzz/run.sh does). */
#include "hub/assist/assist.h"
#include "hub/assist/flags.h"
#include "hub/assist/sentiment.h"
#include "hub/assist/suggest.h"
#include "hub/store/import.h"
#include "hub/store/store.h"
#include "base/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sentiment_lexicon *lexicon;
static flag_rules *rules;
static store *db;
static suggest *sg;

static void setup(void)
{
    char err[512];
    if (!(lexicon = sentiment_load("data", err, sizeof err)) ||
        !(rules = flags_load(NULL, "data", err, sizeof err)) ||
        !(db = store_open(":memory:", err, sizeof err)) ||
        import_file(db, "kb", "data/kb.json", err, sizeof err) < 0 ||
        !(sg = suggest_open(store_db(db), err, sizeof err))) {
        fprintf(stderr, "fuzz_analyze: %s (run from the repository root)\n", err);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!lexicon)
        setup();
    if (size > 8192)
        size = 8192;
    size_t len;
    char *text = text_clean((const char *)data, size, TEXT_SINGLE_LINE, &len);
    sentiment_result r;
    sentiment_score(lexicon, text, &r);
    if (!(r.score >= -1.0 && r.score <= 1.0) || r.nterms < 0 || r.nterms > SENTIMENT_MAX_TERMS)
        abort();
    static const char *const speakers[] = {"customer", "agent", "bot", "supervisor"};
    flag_state *fs = flags_state_new(rules, size % 2 ? "voice" : "chat");
    flag_hit hits[8];
    for (size_t s = 0; s < 4; s++) {
        int n = flags_state_utterance(fs, speakers[s], text, s % 2 == 0, (int64_t)s * 1000, r.score, hits, 8);
        if (n < 0 || n > 8)
            abort();
    }
    flags_state_tick(fs, 600000, hits, 8);
    flags_state_free(fs);
    suggest_hit sh[SUGGEST_TOP];
    int n = suggest_for_text(sg, text, NULL, sh, SUGGEST_TOP);
    if (n < 0 || n > SUGGEST_TOP)
        abort();
    char *red = assist_redact(text, REDACT_TAG);
    if (!text_is_clean(red, strlen(red), TEXT_SINGLE_LINE))
        abort();
    free(red);
    free(text);
    return 0;
}
