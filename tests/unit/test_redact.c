/* test_redact.c — every PII format and its near misses, from a table; UTF-8 safety; the
 * hostile fixture files never break the redactor's output. */
#include "tests/unit/check.h"
#include "hub/assist/assist.h"
#include "hub/assist/redact.h"
#include "hub/assist/phone.h"
#include "base/text.h"
#include "proto/catalogue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *in, *tag, *mask;   /* mask NULL: same as tag */
} redact_case;

static const redact_case pii_cases[] = {
    /* cards: spaces, dashes, none; Luhn */
    {"My card is 4111 1111 1111 1111 thanks", "My card is [CARD] thanks", "My card is [CARD ****1111] thanks"},
    {"card 5500-0000-0000-0004 please", "card [CARD] please", "card [CARD ****0004] please"},
    {"it's 378282246310005.", "it's [CARD].", "it's [CARD ****0005]."},
    {"the long one 6011 0009 9013 9424", "the long one [CARD]", "the long one [CARD ****9424]"},
    {"4111 1111 1111 1111 12 25 is the card and expiry", "[CARD] 12 25 is the card and expiry", "[CARD ****1111] 12 25 is the card and expiry"},
    /* security codes in card context */
    {"and the CVV is 123", "and the CVV is [CVV]", NULL},
    {"security code 4567", "security code [CVV]", NULL},
    {"the three digits on the back are 4 5 6", "the three digits on the back are [CVV]", NULL},
    {"It's 987, the three digits on the back", "It's [CVV], the three digits on the back", NULL},
    {"cvc: 042", "cvc: [CVV]", NULL},
    /* e-mail */
    {"email me at john.smith@example.co.uk please.", "email me at [EMAIL] please.", "email me at j\u2022\u2022\u2022@example.co.uk please."},
    {"it's a_b+tag@mail-host.io", "it's [EMAIL]", "it's a\u2022\u2022\u2022@mail-host.io"},
    {"it's john dot smith at gmail dot com", "it's [EMAIL]", NULL},
    {"send it to maria at example dot co dot uk thanks", "send it to [EMAIL] thanks", NULL},
    /* phones */
    {"call me on +44 20 7946 0958", "call me on [PHONE]", "call me on \u2022\u2022 \u2022\u2022 0958"},
    {"or +1 (555) 010-9999 after six", "or [PHONE] after six", "or \u2022\u2022 \u2022\u2022 9999 after six"},
    {"my number is 020 7946 0958", "my number is [PHONE]", "my number is \u2022\u2022 \u2022\u2022 0958"},
    {"it's (555) 010-9999", "it's [PHONE]", "it's \u2022\u2022 \u2022\u2022 9999"},
    {"mobile 0612345678", "mobile [PHONE]", "mobile \u2022\u2022 \u2022\u2022 5678"},
    {"try 555-010-9999", "try [PHONE]", "try \u2022\u2022 \u2022\u2022 9999"},
    {"0044 20 7946 0958 from abroad", "[PHONE] from abroad", "\u2022\u2022 \u2022\u2022 0958 from abroad"},
    {"my mobile is 7700900123", "my mobile is [PHONE]", "my mobile is \u2022\u2022 \u2022\u2022 0123"},
    /* IBAN */
    {"IBAN GB82 WEST 1234 5698 7654 32 thanks", "IBAN [IBAN] thanks", NULL},
    {"DE89370400440532013000", "[IBAN]", NULL},
    {"to de89 3704 0044 0532 0130 00 today", "to [IBAN] today", NULL},
    /* SSN */
    {"my SSN is 123-45-6789", "my SSN is [SSN]", NULL},
    {"social security number 123 45 6789", "social security number [SSN]", NULL},
    /* NI numbers */
    {"my national insurance number is QQ 12 34 56 C", "my national insurance number is [NINO]", NULL},
    {"it's AB123456C", "it's [NINO]", NULL},
    {"NI number: jk 12 34 56 a", "NI number: [NINO]", NULL},
    /* dates of birth in context */
    {"I was born on 12 March 1985", "I was born on [DOB]", NULL},
    {"date of birth 03/12/1985", "date of birth [DOB]", NULL},
    {"DOB: March 12th, 1985.", "DOB: [DOB].", NULL},
    {"my date of birth is the 3rd of May 1990", "my date of birth is the [DOB]", NULL},
    {"born 1985-03-12", "born [DOB]", NULL},
    /* addresses */
    {"I live at 42 Elm Street now", "I live at [ADDRESS] now", NULL},
    {"Flat 3, 14 Baker Road", "[ADDRESS]", NULL},
    {"it's 1600 Pennsylvania Avenue, Washington, DC 20500 ok", "it's [ADDRESS] ok", "it's \u2022\u2022\u2022 205\u2022\u2022 ok"},
    {"221B Baker Street, London NW1 6XE", "[ADDRESS]", "\u2022\u2022\u2022 NW1 \u2022\u2022\u2022"},
    {"my postcode is SW1A 1AA", "my postcode is [ADDRESS]", "my postcode is SW1A \u2022\u2022\u2022"},
    {"zip code 62704", "zip code [ADDRESS]", "zip code 627\u2022\u2022"},
    {"send it to 7 lime tree avenue", "send it to [ADDRESS]", NULL},
    /* read out as words, as a voice transcript has them */
    {"the number is four one one one, one one one one, one one one one, one one one one", "the number is [CARD]", NULL},
    {"ring me on oh seven seven double oh nine double oh one two three", "ring me on [PHONE]", NULL},
    {"Oh seven seven oh oh, nine double oh four six one.", "[PHONE].", NULL},
    {"cvv number is one two three", "cvv number is [CVV]", NULL},
    {"It's LS6 2QT, 14 Larch Avenue", "It's [ADDRESS]", NULL},
    /* partial cards, as speech recognition grows them, and cards failing Luhn: masked from
     * their shape or from card words before them; the last four only from 12 digits on */
    {"my card is 4111 1111", "my card is [CARD]", NULL},
    {"my card is 4111 1111 1111", "my card is [CARD]", "my card is [CARD ****1111]"},
    {"my card is 4111 1111 1111 111", "my card is [CARD]", "my card is [CARD ****1111]"},
    {"4111 1111 1111", "[CARD]", "[CARD ****1111]"},
    {"4111 1111 1111 111", "[CARD]", "[CARD ****1111]"},
    {"it is 4111 2222 3333 44 so far", "it is [CARD] so far", "it is [CARD ****3344] so far"},
    {"4111-2222-3333-4 and", "[CARD] and", "[CARD ****3334] and"},
    {"card number 4111 1111 1111 1112", "card number [CARD]", "card number [CARD ****1112]"},
    {"the long number is 41112222", "the long number is [CARD]", NULL},
    {"the number on the front is 4111 2222 3", "the number on the front is [CARD]", NULL},
    {"visa 3782 822463 1", "visa [CARD]", NULL},
    {"it's 3782 822463 1000", "it's [CARD]", "it's [CARD ****1000]"},
    {"it's 4111 1111 1111 111 and the CVV is 123", "it's [CARD] and the CVV is [CVV]", "it's [CARD ****1111] and the CVV is [CVV]"},
    {"my debit card number is four one one one one one one one", "my debit card number is [CARD]", NULL},
    {"four one one one one one one one one one one one one one one two", "[CARD]", NULL},
    {"the card helpline is 555-010-9999", "the card helpline is [PHONE]", "the card helpline is \u2022\u2022 \u2022\u2022 9999"},
    /* several in one line */
    {"card 4111111111111111, CVV 123, email a@b.com", "card [CARD], CVV [CVV], email [EMAIL]", "card [CARD ****1111], CVV [CVV], email a\u2022\u2022\u2022@b.com"},
    /* written as people write them: other separators between groups, runs of them */
    {"it's 4539.1488.0343.6467 ok", "it's [CARD] ok", "it's [CARD ****6467] ok"},
    {"it's 4539/1488/0343/6467 ok", "it's [CARD] ok", "it's [CARD ****6467] ok"},
    {"it's 4539_1488_0343_6467 ok", "it's [CARD] ok", "it's [CARD ****6467] ok"},
    {"it's 4539   1488   0343   6467 ok", "it's [CARD] ok", "it's [CARD ****6467] ok"},
    {"it's 4539 . 1488 . 0343 . 6467 ok", "it's [CARD] ok", "it's [CARD ****6467] ok"},
    {"it's 4539 / 1488 / 0343 / 6467 ok", "it's [CARD] ok", "it's [CARD ****6467] ok"},
    {"it's 4539 __ 1488 __ 0343 __ 6467", "it's [CARD]", "it's [CARD ****6467]"},
    /* compatibility forms: fullwidth, other digit sets, no-break spaces */
    {"it's \uff14\uff15\uff13\uff19 \uff11\uff14\uff18\uff18 \uff10\uff13\uff14\uff13 \uff16\uff14\uff16\uff17 ok", "it's [CARD] ok", "it's [CARD ****6467] ok"},
    {"it's \uff14\uff15\uff13\uff19\uff11\uff14\uff18\uff18\uff10\uff13\uff14\uff13\uff16\uff14\uff16\uff17", "it's [CARD]", "it's [CARD ****6467]"},
    {"it's \u0664\u0665\u0663\u0669 \u0661\u0664\u0668\u0668 \u0660\u0663\u0664\u0663 \u0666\u0664\u0666\u0667", "it's [CARD]", "it's [CARD ****6467]"},
    {"it's 4539\u00a01488\u00a00343\u00a06467 ok", "it's [CARD] ok", "it's [CARD ****6467] ok"},
    {"call me on \uff0b\uff14\uff14 \uff12\uff10 \uff17\uff19\uff14\uff16 \uff10\uff19\uff15\uff18", "call me on [PHONE]", "call me on \u2022\u2022 \u2022\u2022 0958"},
    /* format characters inside the number, and between a word and the number */
    {"it's 4539\u200b1488\u200b0343\u200b6467 ok", "it's [CARD] ok", "it's [CARD ****6467] ok"},
    {"it's 45\u200b39 1488 03\u00ad43 6467\ufeff ok", "it's [CARD] ok", "it's [CARD ****6467] ok"},
    {"it's 4539 \u2060\u200d1488 0343 \u200c6467", "it's [CARD]", "it's [CARD ****6467]"},
    {"card\u200b4539148803436467", "card\u200b[CARD]", "card\u200b[CARD ****6467]"},
    /* e-mails with fullwidth or compatibility characters */
    {"mail john\uff20example.com now", "mail [EMAIL] now", NULL},
    {"mail \uff4a\uff4f\uff48\uff4e\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d now", "mail [EMAIL] now", NULL},
    {"mail jo\u200bhn@exa\u00admple.com now", "mail [EMAIL] now", "mail j\u2022\u2022\u2022@exa\u00admple.com now"},
    {"mail john\ufe6bexample\u3002com now", "mail [EMAIL] now", NULL},
};

/* Numbers and near misses that must stay as they are. */
static const char *const clean_cases[] = {
    "order #88231 arrived",
    "my order 5512345 is late",
    "it cost 49.99 and then €1,200 and $1,250.00",
    "I called at 14:30 yesterday",
    "the order from 12/03/2024 was wrong",
    "I ordered 3 items and 2 boxes",
    "account 4111 1111 1111 1112 is my old one",
    "reference 1234567890123",
    "GB82 WEST 1234 5698 7654 33 fails the check",
    "the SSN rule says 000-12-3456 and 666-12-3456 and 912-12-3456 are invalid",
    "123-00-4567 and 123-45-0000 are invalid too",
    "QQ123456C without context is the specimen",
    "BG123456A is not an NI prefix",
    "it was 12 March 2024 when I ordered",
    "I waited 3 days on the road",
    "it took 2 hours down the road",
    "the code 123 on my invoice",
    "version 2.3.1 of the app",
    "my router 192.168.1.1 keeps dropping",
    "a 10% discount on 2 lines for 24 months",
    "I've been a customer since 2019",
    "ticket 20240312 is open",
    "john at the office said so",
    "I paid £45.50 on 03.04.2024",
    "call 999 in an emergency",
    "I have one two three problems",
    "Oh, one more thing, I called twice",
    "expiry oh nine twenty eight",
    "one two three four five six seven",
    "the package weighs 1500 grams",
    /* near misses of partial cards: a card's first or last four, numbers that other words
     * name, dates and amounts after card words */
    "my card is 4111",
    "4111 1111",
    "the card ending in 1234 was charged 140.40 on 08/11/2026",
    "account 4111 1111 1111 111 is my old one",
    "order 4111 1111 1111 on the invoice",
    "reference 1234 5678 9012 3456",
    "credit for order 55123456",
    "I got a credit on 2024-03-12",
    "a credit of 120.00 to my card on 12 03 2024",
    "my account number 41112222 and sort code 12-34-56",
    "the card ending in 1234 and then order 55123456",
    "credit card expiry 12 2028",
    "My card is fine. 4111 1111 is the ticket",
    "GB82 WEST 1234 5698 7654 33 fails the check again",
    /* numbers in the new forms that are no PII: prices, times, an order of 6 digits, a
     * sequence shaped like a phone that is not one */
    "I ordered 2 items for 12.50 each at 10:30",
    "my order number is 553201",
    "my order number is \uff15\uff15\uff13\uff12\uff10\uff11",
    "the meeting is at \uff11\uff14\uff1a\uff13\uff10 on the 3rd",
    "it cost \uffe545.50 and \uff04 12 . 50 after 2 / 3 of the year",
    "I paid 12.50 / 13.75 / 9.99 for three",
    "the parcel is 30 x 20 x 10 cm and weighs 1 . 5 kg",
    "rooms 101 102 103 104 are free",
    "the model is 555-0100 from 2019",
    "scores 10  20  30  40  50",
    "my order 4539\u200b1488 is late",
    "version 10.2.3_4 of the app",
    "",
};

static void test_pii_formats(void)
{
    for (size_t i = 0; i < sizeof pii_cases / sizeof pii_cases[0]; i++) {
        char *t = assist_redact(pii_cases[i].in, REDACT_TAG);
        char *m = assist_redact(pii_cases[i].in, REDACT_MASK);
        CHECK_STR(t, pii_cases[i].tag);
        CHECK_STR(m, pii_cases[i].mask ? pii_cases[i].mask : pii_cases[i].tag);
        free(t);
        free(m);
    }
}

static void test_numbers_stay(void)
{
    for (size_t i = 0; i < sizeof clean_cases / sizeof clean_cases[0]; i++) {
        char *t = assist_redact(clean_cases[i], REDACT_TAG);
        CHECK_STR(t, clean_cases[i]);
        free(t);
    }
}

/* Issue 12's national formats the hand rules missed, each in the sentence a caller would say,
 * found by libphonenumber on the default region list (DE, ES, IE among others); the hand
 * rules alone still miss them, so the test shows which finder found them. */
static const redact_case national_phones[] = {
    {"call me on 030 123456 please", "call me on [PHONE] please", "call me on \u2022\u2022 \u2022\u2022 3456 please"},
    {"my mobile is 01512 3456789", "my mobile is [PHONE]", "my mobile is \u2022\u2022 \u2022\u2022 6789"},
    {"it's 612 34 56 78, the mobile", "it's [PHONE], the mobile", "it's \u2022\u2022 \u2022\u2022 5678, the mobile"},
    {"the office is 810 12 34 56", "the office is [PHONE]", "the office is \u2022\u2022 \u2022\u2022 3456"},
    {"ring the shop on (022) 12345 tomorrow", "ring the shop on [PHONE] tomorrow", "ring the shop on \u2022\u2022 \u2022\u2022 2345 tomorrow"},
    {"+34 612 34 56 78 from Spain", "[PHONE] from Spain", "\u2022\u2022 \u2022\u2022 5678 from Spain"},
    {"\xef\xbc\x90\xef\xbc\x93\xef\xbc\x90 123456 in fullwidth", "[PHONE] in fullwidth", "\u2022\u2022 \u2022\u2022 3456 in fullwidth"},
};

/* Number-rich sentences of the same markets with no personal data: what the matcher could
 * read as a number of some country is a date, an amount, an order or a postcode. */
static const char *const market_clean[] = {
    "Die Rechnung vom 05.06.2026 über 729,77 € ist bezahlt, Bestellung 69732323.",
    "Le forfait passe de 17,51 € à 50,38 € au 1/4/2026, commande n° 749798246.",
    "El pedido 651859543 de 2,14 € llegó el 25/8/2026 con 3 artículos.",
    "Recharge of Rs 3,233 done on 3-7-2026, transaction ID 299692328476.",
    "Tracking number 346390495769 says it left the depot at 07:27.",
    "the card ending in 1234 was charged 140.40 on 08/11/2026",
    "the SSN rule says 666-12-3456 is invalid",
    "Lieferung an PLZ 10115 zwischen 9:00 und 13:30 Uhr, 12 Pakete.",
};

static void test_national_phones(void)
{
    for (size_t i = 0; i < sizeof national_phones / sizeof national_phones[0]; i++) {
        const char *in = national_phones[i].in;
        char *t = assist_redact(in, REDACT_TAG);
        CHECK_STR(t, national_phones[i].tag);
        free(t);
        redact_span sp[8];
        size_t n = redact_find_opts(in, strlen(in), sp, 8, REDACT_PHONE_RULES_ONLY);
        if (i < 5)   /* the five: the hand rules alone find nothing */
            CHECK(n == 0);
    }
    for (size_t i = 0; i < sizeof market_clean / sizeof market_clean[0]; i++) {
        char *t = assist_redact(market_clean[i], REDACT_TAG);
        CHECK_STR(t, market_clean[i]);
        free(t);
    }
}

/* The region list decides which national formats are read: with only GB on it, a German
 * national number is not a phone, an international one still is, and an unknown code is
 * skipped. */
static void test_phone_regions(void)
{
    CHECK(phone_set_regions("gb, XX ,GB") == 1);
    CHECK_STR(phone_regions(), "GB");
    char *t = assist_redact("call me on 030 123456 or +49 30 123456", REDACT_TAG);
    CHECK_STR(t, "call me on 030 123456 or [PHONE]");
    free(t);
    /* the same text again: what the old list found is not reused (redact_find remembers) */
    CHECK(phone_set_regions(PHONE_DEFAULT_REGIONS) == 10);
    t = assist_redact("call me on 030 123456 or +49 30 123456", REDACT_TAG);
    CHECK_STR(t, "call me on [PHONE] or [PHONE]");
    free(t);
}

static void test_checks(void)
{
    CHECK(redact_luhn_ok("4111111111111111", 16));
    CHECK(!redact_luhn_ok("4111111111111112", 16));
    CHECK(redact_iban_ok("GB82 WEST 1234 5698 7654 32", 27));
    CHECK(!redact_iban_ok("GB82 WEST 1234 5698 7654 33", 27));
    CHECK(!redact_iban_ok("GB82", 4));
    CHECK_STR(redact_kind_name(REDACT_NINO), "NINO");
}

static void test_spans_sorted_and_disjoint(void)
{
    const char *s = "a@b.com 4111 1111 1111 1111 +44 20 7946 0958 CVV 123, 42 Elm Street";
    redact_span sp[16];
    size_t n = redact_find(s, strlen(s), sp, 16);
    CHECK_INT(n, 5);
    for (size_t i = 1; i < n; i++)
        CHECK(sp[i - 1].end <= sp[i].start);
    CHECK_INT(sp[0].kind, REDACT_EMAIL);
    CHECK_INT(sp[4].kind, REDACT_ADDRESS);
}

static void test_utf8_untouched(void)
{
    const char *s = "Café № 42 — straße 4111 1111 1111 1111 ✓ 😀";
    char *t = assist_redact(s, REDACT_TAG);
    CHECK_STR(t, "Café № 42 — straße [CARD] ✓ 😀");
    CHECK(text_is_clean(t, strlen(t), TEXT_SINGLE_LINE));
    free(t);
    t = assist_redact(NULL, REDACT_TAG);
    CHECK_STR(t, "");
    free(t);
}

/* Every line of the hostile fixtures, cleaned: output stays clean UTF-8. */
static void test_fixture_lines(void)
{
    const char *files[] = {"../shared/fixtures/blns.txt", "../shared/fixtures/UTF-8-test.txt"};
    int lines = 0;
    for (size_t f = 0; f < 2; f++) {
        FILE *fp = fopen(files[f], "rb");
        CHECK(fp != NULL);
        if (!fp)
            continue;
        char buf[16384];
        while (fgets(buf, sizeof buf, fp)) {
            char *clean = text_clean(buf, strlen(buf), TEXT_SINGLE_LINE, NULL);
            for (int mode = 0; mode < 2; mode++) {
                char *r = assist_redact(clean, mode ? REDACT_MASK : REDACT_TAG);
                CHECK(text_is_clean(r, strlen(r), TEXT_SINGLE_LINE));
                free(r);
            }
            free(clean);
            lines++;
        }
        fclose(fp);
    }
    CHECK(lines > 500);
}

static void test_many_spans_bounded(void)
{
    char big[8192] = "";
    for (int i = 0; i < 400; i++)
        strcat(big, "a@b.co ");
    char *t = assist_redact(big, REDACT_TAG);
    CHECK(strstr(t, "[EMAIL]") != NULL);
    free(t);
}

/* A card read out over two utterances of one speaker: each part masked, the second only
 * because it is read after the first. */
static void test_card_over_two_utterances(void)
{
    static const struct { const char *first, *first_tag, *second, *second_tag; } cases[] = {
        {"my card number is 4539 1488", "my card number is [CARD]", "0343 6467", "[CARD]"},
        {"it's 4539 1488 0343", "it's [CARD]", "6467 and that's all", "[CARD] and that's all"},
        {"my card is", "my card is", "4539 1488", "[CARD]"},
        {"the card 4539.1488", "the card [CARD]", "0343.6467 ok", "[CARD] ok"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        redact_carry carry = {0};
        char *first = assist_redact(cases[i].first, REDACT_TAG);
        CHECK_STR(first, cases[i].first_tag);
        free(first);
        redact_carry_keep(&carry, cases[i].first, 1000);
        char *alone = assist_redact(cases[i].second, REDACT_TAG);
        CHECK(strcmp(alone, cases[i].second_tag) != 0);   /* the carry is what finds it */
        free(alone);
        char *carried = redact_carried(&carry, cases[i].second, 4000, NULL);
        char *second = assist_redact(carried ? carried : cases[i].second, REDACT_TAG);
        CHECK_STR(second, cases[i].second_tag);
        free(carried);
        free(second);
    }
    /* what does not continue a number stays */
    static const char *const pairs[][2] = {
        {"my order number is 553201", "6 items please"},
        {"I was charged 12.50", "and 13.75 the day after"},
        {"it was 4539 1488", "at 10:30 yesterday"},
        {"call me at 10", "30 minutes later"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        redact_carry carry = {0};
        redact_carry_keep(&carry, pairs[i][0], 1000);
        char *carried = redact_carried(&carry, pairs[i][1], 2000, NULL);
        CHECK(carried == NULL);
        if (carried)
            fprintf(stderr, "    \"%s\" + \"%s\" -> \"%s\"\n", pairs[i][0], pairs[i][1], carried);
        free(carried);
    }
    /* after a long pause it is a new number */
    redact_carry carry = {0};
    redact_carry_keep(&carry, "my card number is 4539 1488", 1000);
    CHECK(redact_carried(&carry, "0343 6467", 1000 + REDACT_CARRY_WINDOW_MS + 1, NULL) == NULL);
    /* only the end of a long utterance is kept, cut on a word */
    char long_text[300];
    memset(long_text, 'x', 200);
    strcpy(long_text + 200, " so my card number is 4539 1488");
    redact_carry_keep(&carry, long_text, 1000);
    CHECK(strlen(carry.tail) <= REDACT_CARRY_BYTES);
    CHECK(strchr(carry.tail, 'x') == NULL);
    char *carried = redact_carried(&carry, "0343 6467", 2000, NULL);
    CHECK_STR(carried, "[CARD]");
    free(carried);
    /* the part of the previous utterance the number began in is reported, to be masked
     * where it is still held (the summary) */
    redact_span in_tail;
    redact_carry_keep(&carry, "I pay with 4539 1488", 1000);
    carried = redact_carried(&carry, "0343 6467 is the rest", 2000, &in_tail);
    CHECK_STR(carried, "[CARD] is the rest");
    CHECK_INT(in_tail.kind, REDACT_CARD);
    CHECK(in_tail.end == strlen(carry.tail));
    CHECK_STR(carry.tail + in_tail.start, "4539 1488");
    free(carried);
}

/* A mask longer than what it hides ("a•••@b.co" for "a@b.co") never takes a text over its field's limit. */
static void test_within_limit(void)
{
    char text[8191];
    memset(text, 'b', 8190);
    memcpy(text, "a@b.co c@d.co e@f.co ", 21);
    text[8190] = 0;
    char *r = assist_redact_within(text, REDACT_MASK, 8192);
    CHECK_INT(strlen(r), 8192);
    static const char shown[] = "a\u2022\u2022\u2022@b.co c\u2022\u2022\u2022@d.co e\u2022\u2022\u2022@f.co bbb";
    CHECK(!strncmp(r, shown, sizeof shown - 1));
    CHECK(!strcmp(r + 8192 - 3, "\u2026"));
    free(r);
    /* a cut never splits a tag nor a character */
    r = assist_redact_within("caf\u00e9 a@b.co", REDACT_TAG, 12);
    CHECK_STR(r, "caf\u00e9 \u2026");
    free(r);
    r = assist_redact_within("\u00e9\u00e9\u00e9\u00e9", REDACT_TAG, 6);
    CHECK_STR(r, "\u00e9\u2026");
    free(r);
    /* within the limit nothing changes */
    r = assist_redact_within("mail a@b.co", REDACT_TAG, 14);
    CHECK_STR(r, "mail [EMAIL]");
    free(r);
}

/* redact_find remembers its last few texts: read again after others pushed them out, or in
 * another order, each gives what it gave the first time */
static void test_remembered_texts(void)
{
    char texts[40][96];
    static redact_span first[40][REDACT_MAX_SPANS], again[REDACT_MAX_SPANS];
    size_t nfirst[40];
    for (int i = 0; i < 40; i++) {
        snprintf(texts[i], sizeof texts[i], "%d: mail a%d@b.co or call +44 20 7946 09%02d", i, i, i);
        nfirst[i] = redact_find(texts[i], strlen(texts[i]), first[i], REDACT_MAX_SPANS);
        CHECK(nfirst[i] == 2);
    }
    for (int round = 0; round < 2; round++)
        for (int k = 0; k < 40; k++) {
            int i = round ? 39 - k : (k * 7) % 40;
            size_t n = redact_find(texts[i], strlen(texts[i]), again, REDACT_MAX_SPANS);
            CHECK(n == nfirst[i] && !memcmp(again, first[i], n * sizeof *again));
        }
    /* fewer spans wanted than remembered: never more than asked for */
    redact_span one[1];
    CHECK(redact_find(texts[3], strlen(texts[3]), one, 1) == 1);
}

/* The pipeline does not redact an event's enumerations (pipeline_redact.c): that changes no
 * frame only while no value the catalogue allows is something the redaction would mask. */
static void test_enums_untouched(void)
{
    int values = 0;
    for (int t = 0; t < EV__COUNT; t++)
        for (const proto_field *f = proto_spec((proto_type)t)->fields; f->name; f++) {
            if (f->type != FT_ENUM)
                continue;
            for (const char *v = f->values; *v;) {
                size_t n = strcspn(v, "|");
                char word[64];
                snprintf(word, sizeof word, "%.*s", (int)n, v);
                redact_span spans[REDACT_MAX_SPANS];
                CHECK(redact_find(word, strlen(word), spans, REDACT_MAX_SPANS) == 0);
                char *mask = assist_redact(word, REDACT_MASK), *tag = assist_redact(word, REDACT_TAG);
                CHECK(!mask || !strcmp(mask, word));
                CHECK(!tag || !strcmp(tag, word));
                free(mask);
                free(tag);
                values++;
                v += n + (v[n] == '|');
            }
        }
    CHECK(values > 50);
}

int main(void)
{
    RUN(test_pii_formats);
    RUN(test_numbers_stay);
    RUN(test_national_phones);
    RUN(test_phone_regions);
    RUN(test_checks);
    RUN(test_spans_sorted_and_disjoint);
    RUN(test_utf8_untouched);
    RUN(test_fixture_lines);
    RUN(test_many_spans_bounded);
    RUN(test_card_over_two_utterances);
    RUN(test_within_limit);
    RUN(test_remembered_texts);
    RUN(test_enums_untouched);
    return check_done("test_redact");
}
