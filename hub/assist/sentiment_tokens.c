/* sentiment_tokens.c — the tokeniser (see sentiment_tokens.h). */
#include "hub/assist/sentiment_tokens.h"

#include <string.h>

/* Decodes one UTF-8 sequence at s (n bytes left). Text is already cleaned, but a stray
 * invalid byte is read as one unit so the scan always advances. */
static uint32_t decode_utf8(const unsigned char *s, size_t n, size_t *used)
{
    unsigned char c = s[0];
    int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (c < 0x80 || (size_t)len > n) {
        *used = 1;
        return c;
    }
    uint32_t cp = c & (0x3F >> (len - 1));
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *used = 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    *used = (size_t)len;
    return cp;
}

static bool is_emoji(uint32_t cp)
{
    return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
           (cp >= 0x2300 && cp <= 0x23FF) || (cp >= 0x2B00 && cp <= 0x2BFF);
}

/* Joiners, variation selectors and skin tones: parts of an emoji, never tokens. */
static bool is_emoji_modifier(uint32_t cp)
{
    return cp == 0xFE0F || cp == 0xFE0E || cp == 0x200D || (cp >= 0x1F3FB && cp <= 0x1F3FF);
}

static bool is_apostrophe(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019 || cp == 0x2018;
}

/* Non-ASCII code points outside the punctuation and symbol blocks count as letters. */
static bool is_letter(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    if (cp >= 0x2000 && cp <= 0x2BFF)
        return false;
    if (cp >= 0x3000 && cp <= 0x303F)
        return false;
    if (cp == 0xA0 || (cp >= 0xA1 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7)
        return false;
    return !is_emoji(cp) && !is_emoji_modifier(cp) && cp != 0xFFFD;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_clause_punct(uint32_t cp)
{
    return cp == ',' || cp == '.' || cp == ';' || cp == ':' || cp == '!' || cp == '?' ||
           cp == 0x2026 || cp == 0x2014 || cp == 0x2013;
}

static void set_key(sentiment_token *t, const char *k, size_t n)
{
    if (n >= SENTIMENT_TOKEN_KEY) {
        t->key_len = 0;
        t->key[0] = 0;
        return;
    }
    memcpy(t->key, k, n);
    t->key[n] = 0;
    t->key_len = (uint8_t)n;
}

/* Reads a word starting at p (a letter); returns the end offset and fills the token. */
static size_t read_word(const unsigned char *s, size_t p, size_t end, sentiment_token *t)
{
    char key[SENTIMENT_TOKEN_KEY];
    size_t kn = 0, start = p;
    bool overflow = false;
    int upper = 0, lower = 0;
    while (p < end) {
        /* ASCII letters and digits, most of any text, without decoding: as below for cp < 0x80 */
        unsigned char a = s[p];
        if ((a >= 'a' && a <= 'z') || (a >= '0' && a <= '9')) {
            lower += a >= 'a';
            if (kn + 1 < sizeof key)
                key[kn++] = (char)a;
            else
                overflow = true;
            p++;
            continue;
        }
        size_t used;
        uint32_t cp = decode_utf8(s + p, end - p, &used);
        if (is_apostrophe(cp)) {
            /* inside a word only: "don't", "o'clock"; a trailing quote ends it */
            size_t u2 = 0;
            uint32_t next = p + used < end ? decode_utf8(s + p + used, end - p - used, &u2) : 0;
            if (!is_letter(next))
                break;
            if (kn + 1 < sizeof key)
                key[kn++] = '\'';
            else
                overflow = true;
            p += used;
            continue;
        }
        if (!is_letter(cp))
            break;
        if (cp < 0x80) {
            char c = (char)cp;
            if (c >= 'A' && c <= 'Z') {
                upper++;
                c = (char)(c - 'A' + 'a');
            } else if (c >= 'a' && c <= 'z') {
                lower++;
            }
            if (kn + 1 < sizeof key)
                key[kn++] = c;
            else
                overflow = true;
        } else {
            if (kn + used < sizeof key) {
                memcpy(key + kn, s + p, used);
                kn += used;
            } else {
                overflow = true;
            }
        }
        p += used;
    }
    t->off = (uint32_t)start;
    t->len = (uint16_t)(p - start > 0xFFFF ? 0xFFFF : p - start);
    t->kind = SENTIMENT_TOK_WORD;
    t->caps = upper >= 2 && lower == 0;
    if (overflow)
        set_key(t, "", SENTIMENT_TOKEN_KEY);
    else
        set_key(t, key, kn);
    return p;
}

/* A short chunk with punctuation in it may be an emoticon (":)", "</3", ":-D"). */
static bool try_emoticon(const char *text, size_t s, size_t e, sentiment_token *t,
                         sentiment_emoticon_fn is_emoticon, const void *ctx)
{
    if (!is_emoticon || e - s < 2 || e - s > 8)
        return false;
    char key[16];
    bool punct = false;
    for (size_t i = s; i < e; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x80)
            return false;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            punct = true;
        key[i - s] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    if (!punct)
        return false;
    size_t n = e - s;
    if (!is_emoticon(ctx, key, n))
        return false;
    t->off = (uint32_t)s;
    t->len = (uint16_t)n;
    t->kind = SENTIMENT_TOK_EMOTICON;
    t->caps = false;
    set_key(t, key, n);
    return true;
}

void sentiment_tokens_cut(const char *text, sentiment_token *toks, int max,
                        sentiment_emoticon_fn is_emoticon, const void *ctx,
                        sentiment_token_stats *stats)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text);
    int nt = 0;
    bool pending_clause = false;
    stats->exclamations = stats->questions = 0;
    size_t p = 0;
    while (p < n && nt < max) {
        while (p < n && is_space(s[p]))
            p++;
        size_t chunk = p;
        while (p < n && !is_space(s[p]))
            p++;
        size_t chunk_end = p;
        if (chunk == chunk_end)
            break;
        if (try_emoticon(text, chunk, chunk_end, &toks[nt], is_emoticon, ctx)) {
            toks[nt].clause = pending_clause;
            pending_clause = false;
            nt++;
            continue;
        }
        size_t q = chunk;
        while (q < chunk_end && nt < max) {
            size_t used;
            uint32_t cp = decode_utf8(s + q, chunk_end - q, &used);
            if (is_letter(cp)) {
                q = read_word(s, q, chunk_end, &toks[nt]);
                toks[nt].clause = pending_clause;
                pending_clause = false;
                nt++;
                continue;
            }
            if (is_emoji(cp)) {
                sentiment_token *t = &toks[nt++];
                t->off = (uint32_t)q;
                t->len = (uint16_t)used;
                t->kind = SENTIMENT_TOK_EMOJI;
                t->caps = false;
                t->clause = pending_clause;
                pending_clause = false;
                set_key(t, text + q, used);
                q += used;
                /* the modifiers of this emoji belong to it */
                while (q < chunk_end) {
                    size_t u2;
                    uint32_t m = decode_utf8(s + q, chunk_end - q, &u2);
                    if (!is_emoji_modifier(m))
                        break;
                    q += u2;
                    t->len = (uint16_t)(q - t->off);
                }
                continue;
            }
            if (cp == '!')
                stats->exclamations++;
            else if (cp == '?')
                stats->questions++;
            if (is_clause_punct(cp))
                pending_clause = true;
            q += used;
        }
    }
    stats->ntokens = nt;
}

size_t sentiment_tokens_phrase_key(const sentiment_token *toks, int n, char *buf, size_t cap)
{
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        if (toks[i].key_len == 0)
            return 0;
        if (i) {
            if (len + 1 >= cap)
                return 0;
            buf[len++] = ' ';
        }
        for (int k = 0; k < toks[i].key_len; k++) {
            if (toks[i].key[k] == '\'')
                continue;
            if (len + 1 >= cap)
                return 0;
            buf[len++] = toks[i].key[k];
        }
    }
    buf[len] = 0;
    return len;
}
