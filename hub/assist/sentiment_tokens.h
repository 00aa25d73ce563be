/* sentiment_tokens.h — the one-pass tokeniser shared by sentiment scoring and lexicon
 * loading (so phrases in data files and words in utterances are cut the same way).
 *
 * A token is a word (ASCII letters/digits, non-ASCII letters, inner apostrophes; U+2019 is
 * read as an apostrophe), an emoticon (a whitespace-separated chunk such as ":-(" that the
 * caller's lookup accepts) or one emoji. Keys are lowercase ASCII; tokens whose key would
 * exceed SENTIMENT_TOKEN_KEY-1 bytes keep key_len 0 and match nothing. Nothing allocates. */
#ifndef AGENTDESK_HUB_ASSIST_SENTIMENT_TOKENS_H
#define AGENTDESK_HUB_ASSIST_SENTIMENT_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SENTIMENT_TOKEN_KEY 32

enum { SENTIMENT_TOK_WORD, SENTIMENT_TOK_EMOTICON, SENTIMENT_TOK_EMOJI };

typedef struct {
    uint32_t off;            /* byte span in the text */
    uint16_t len;
    uint8_t kind;            /* SENTIMENT_TOK_* */
    bool caps;               /* a word of >= 2 letters, all upper case */
    bool clause;             /* clause punctuation (, . ; : ! ? …) stands before it */
    uint8_t key_len;
    char key[SENTIMENT_TOKEN_KEY];
} sentiment_token;

typedef struct {
    int ntokens;
    int exclamations;        /* '!' seen */
    int questions;           /* '?' seen */
} sentiment_token_stats;

/* Accepts a whitespace chunk as an emoticon token (key lowercased, len bytes). */
typedef bool (*sentiment_emoticon_fn)(const void *ctx, const char *key, size_t len);

/* Cuts text into at most max tokens. is_emoticon may be NULL (no emoticon tokens). */
void sentiment_tokens_cut(const char *text, sentiment_token *toks, int max,
                        sentiment_emoticon_fn is_emoticon, const void *ctx,
                        sentiment_token_stats *stats);

/* Joins the keys of toks[0..n) with single spaces, apostrophes dropped, into buf (phrase
 * keys: "I'm" and "im" meet). Returns the length, or 0 if it does not fit. */
size_t sentiment_tokens_phrase_key(const sentiment_token *toks, int n, char *buf, size_t cap);

#endif
