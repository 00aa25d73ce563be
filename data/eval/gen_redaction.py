#!/usr/bin/env python3
"""gen_redaction.py - writes the redaction evaluation sets next to itself:

  redaction_pii.tsv    sentences with PII of every format the redactor knows, and the
                       expected TAG-mode output ("[CARD]", "[EMAIL]", ...), ending with
                       partial card numbers as speech recognition grows them
  redaction_clean.tsv  PII-free sentences full of numbers (order numbers, amounts, times,
                       order dates, quantities, Luhn-failing account numbers, ...) that must
                       come back unchanged, ending with near misses of partial cards

Each line: input TAB expected. The expected text is built from the template, never by
running the redactor. Values are synthetic: card numbers are generated with a valid Luhn
digit, IBANs with valid mod-97 check digits, phone numbers from the reserved fiction
ranges (Ofcom 020 7946 0xxx / 07700 900xxx, US 555-01xx), e-mail domains example.*.
Deterministic (fixed seed): run `python3 data/eval/gen_redaction.py` from the repo root.
"""
import os
import random

R = random.Random(20261102)
HERE = os.path.dirname(os.path.abspath(__file__))

FIRST = ["Maria", "John", "Aisha", "Tom", "Priya", "Lukas", "Sofia", "Kenji", "Emma", "Omar",
         "Chloe", "Ravi", "Hannah", "Diego", "Grace", "Ivan"]
LAST = ["Lopez", "Smith", "Khan", "Brown", "Patel", "Meyer", "Rossi", "Tanaka", "Wilson",
        "Haddad", "Martin", "Shah", "Clarke", "Garcia", "Young", "Novak"]
STREETS = ["Elm", "Baker", "Station", "Church", "Mill", "Victoria", "Queen", "Park View",
           "Oak Tree", "Kings", "Green", "Lime Tree", "Maple", "High", "Bridge", "Chester"]
TYPES = ["Street", "Road", "Avenue", "Lane", "Drive", "Close", "Court", "Way", "Crescent",
         "Terrace", "Place", "Grove", "Gardens", "St", "Rd", "Ave"]
TOWNS = ["London", "Leeds", "Bristol", "Manchester", "Springfield", "Portland", "Austin"]
UK_PC = ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "W1A 0AX",
         "LS1 4AP", "BS1 5TR", "NW1 6XE"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def luhn_complete(prefix, length, rng=R):
    digits = [int(c) for c in prefix]
    while len(digits) < length - 1:
        digits.append(rng.randrange(10))
    for check in range(10):
        ds = digits + [check]
        total = 0
        for i, d in enumerate(reversed(ds)):
            if i % 2 == 1:
                d *= 2
                if d > 9:
                    d -= 9
            total += d
        if total % 10 == 0:
            return "".join(map(str, ds))
    raise AssertionError


def luhn_fail(prefix, length):
    good = luhn_complete(prefix, length)
    last = (int(good[-1]) + 1 + R.randrange(8)) % 10
    return good[:-1] + str(last)


def group(num, sizes, sep):
    out, i = [], 0
    for s in sizes:
        out.append(num[i:i + s])
        i += s
    if i < len(num):
        out.append(num[i:])
    return sep.join(out)


def card():
    kind = R.choice(["visa", "visa", "mc", "amex", "disc", "visa19"])
    if kind == "visa":
        n = luhn_complete("4", 16)
    elif kind == "visa19":
        n = luhn_complete("4", 19)
    elif kind == "mc":
        n = luhn_complete(R.choice(["51", "53", "55", "2221"]), 16)
    elif kind == "amex":
        n = luhn_complete(R.choice(["34", "37"]), 15)
    else:
        n = luhn_complete("6011", 16)
    style = R.choice(["space", "dash", "none", "space"])
    if style == "none":
        return n
    sep = " " if style == "space" else "-"
    sizes = [4, 6, 5] if len(n) == 15 else [4, 4, 4, 4]
    return group(n, sizes, sep)


def iban():
    cc, bban_len = R.choice([("GB", 18), ("DE", 18), ("FR", 23), ("ES", 20), ("NL", 14),
                             ("IE", 18), ("IT", 23), ("BE", 12)])
    if cc in ("GB", "IE", "NL"):
        bank = "".join(R.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4))
        bban = bank + "".join(str(R.randrange(10)) for _ in range(bban_len - 4))
    elif cc == "IT":
        bban = R.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + "".join(str(R.randrange(10)) for _ in range(bban_len - 1))
    else:
        bban = "".join(str(R.randrange(10)) for _ in range(bban_len))
    rearranged = bban + cc + "00"
    num = int("".join(str(int(c, 36)) for c in rearranged))
    check = 98 - num % 97
    full = "%s%02d%s" % (cc, check, bban)
    if R.random() < 0.6:
        return " ".join(full[i:i + 4] for i in range(0, len(full), 4))
    return full


def phone():
    f = R.randrange(9)
    d3 = "%03d" % R.randrange(1000)
    if f == 0:
        return "+44 20 7946 0%s" % d3
    if f == 1:
        return "+1 (555) 01%d-%04d" % (R.randrange(10), R.randrange(10000))
    if f == 2:
        return "020 7946 0%s" % d3
    if f == 3:
        return "(555) 01%d-%04d" % (R.randrange(10), R.randrange(10000))
    if f == 4:
        return "06%08d" % R.randrange(10 ** 8)
    if f == 5:
        return "07700 900%s" % d3
    if f == 6:
        return "+44 7700 900%s" % d3
    if f == 7:
        return "555-01%d-%04d" % (R.randrange(10), R.randrange(10000))
    return "+33 6 12 34 %02d %02d" % (R.randrange(100), R.randrange(100))


def email():
    fn, ln = R.choice(FIRST).lower(), R.choice(LAST).lower()
    dom = R.choice(["example.com", "example.co.uk", "example.org", "mail.example.net"])
    local = R.choice([fn + "." + ln, fn + ln[0], fn + "_" + ln, fn + "." + ln + str(R.randrange(10, 99))])
    return local + "@" + dom


def spoken_email():
    fn, ln = R.choice(FIRST).lower(), R.choice(LAST).lower()
    return "%s dot %s at example dot %s" % (fn, ln, R.choice(["com", "co dot uk", "org"]))


def ssn():
    while True:
        a = R.randrange(1, 900)
        if a != 666:
            break
    return "%03d-%02d-%04d" % (a, R.randrange(1, 100), R.randrange(1, 10000))


def nino():
    ok1 = "ABCEGHJKLMNOPRSTWXYZ"
    ok2 = "ABCEGHJKLMNPRSTWXYZ"
    while True:
        p = R.choice(ok1) + R.choice(ok2)
        if p not in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ"):
            break
    d = "%06d" % R.randrange(10 ** 6)
    s = R.choice("ABCD")
    if R.random() < 0.5:
        return "%s %s %s %s %s" % (p, d[0:2], d[2:4], d[4:6], s)
    return p + d + s


def dob():
    y, m, d = R.randrange(1940, 2006), R.randrange(1, 13), R.randrange(1, 29)
    f = R.randrange(5)
    if f == 0:
        return "%02d/%02d/%d" % (d, m, y)
    if f == 1:
        return "%d %s %d" % (d, MONTHS[m - 1], y)
    if f == 2:
        return "%s %d, %d" % (MONTHS[m - 1], d, y)
    if f == 3:
        suf = "th" if 4 <= d <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
        return "%d%s of %s %d" % (d, suf, MONTHS[m - 1], y)
    return "%d-%02d-%02d" % (y, m, d)


def address():
    num = str(R.randrange(1, 300)) + (R.choice(["", "", "", "A", "B"]))
    street = "%s %s %s" % (num, R.choice(STREETS), R.choice(TYPES))
    f = R.randrange(4)
    if f == 0:
        return "Flat %d, %s" % (R.randrange(1, 30), street)
    if f == 1:
        return "%s, %s %s" % (street, R.choice(TOWNS[:4]), R.choice(UK_PC))
    return street


# (template, generator, tag). {} is the PII; other numbers in the template must stay.
PII = [
    ("My card number is {} and it expires next year.", card, "CARD"),
    ("Sure, it's {}, the Visa.", card, "CARD"),
    ("The long number on the card is {}", card, "CARD"),
    ("Can you take payment on {} for order #88231?", card, "CARD"),
    ("I want to pay the 49.99 with card {} please", card, "CARD"),
    ("Okay the CVV is {}.", lambda: "%03d" % R.randrange(1000), "CVV"),
    ("and the security code is {}", lambda: "%03d" % R.randrange(1000), "CVV"),
    ("the three digits on the back are {}", lambda: " ".join("%d" % R.randrange(10) for _ in range(3)), "CVV"),
    ("CVC {} and that's it", lambda: "%04d" % R.randrange(10000), "CVV"),
    ("You can email me at {} if that's easier.", email, "EMAIL"),
    ("My email address is {}", email, "EMAIL"),
    ("send the receipt for order 5512345 to {} please", email, "EMAIL"),
    ("it's {}", spoken_email, "EMAIL"),
    ("Please call me back on {} after 14:30.", phone, "PHONE"),
    ("My phone number is {}", phone, "PHONE"),
    ("You can reach me on {} any time", phone, "PHONE"),
    ("the number on the account should be {}", phone, "PHONE"),
    ("My IBAN is {} for the refund.", iban, "IBAN"),
    ("Please send the 120.00 refund to {}", iban, "IBAN"),
    ("bank details are {} thanks", iban, "IBAN"),
    ("My social security number is {}", ssn, "SSN"),
    ("SSN {} for the credit check", ssn, "SSN"),
    ("My national insurance number is {}", nino, "NINO"),
    ("It's {} for the NI", nino, "NINO"),
    ("I was born on {}", dob, "DOB"),
    ("My date of birth is {}.", dob, "DOB"),
    ("DOB {} if you need it", dob, "DOB"),
    ("I live at {} now.", address, "ADDRESS"),
    ("Please deliver it to {} tomorrow", address, "ADDRESS"),
    ("The address on file should be {}", address, "ADDRESS"),
    ("my postcode is {}", lambda: R.choice(UK_PC), "ADDRESS"),
]

# Hand-written harder cases: forms a caller or a chat user really produces, some of which
# a pattern detector is expected to miss (they keep the figures honest).
HARD = [
    ("card is 4111 - 1111 - 1111 - 1111 ok", "card is [CARD] ok"),
    ("the number is four one one one, one one one one, one one one one, one one one one",
     "the number is [CARD]"),
    ("JOHN.SMITH@EXAMPLE.COM is my email", "[EMAIL] is my email"),
    ("email is priya(at)example.com", "email is [EMAIL]"),
    ("call +44 (0)20 7946 0123 please", "call [PHONE] please"),
    ("my number's 020.7946.0958", "my number's [PHONE]"),
    ("mobile is 07700-900-123", "mobile is [PHONE]"),
    ("ring me on oh seven seven double oh nine double oh one two three", "ring me on [PHONE]"),
    ("I was born 4/7/82", "I was born [DOB]"),
    ("birthday is 1st of June 1979", "birthday is [DOB]"),
    ("I'm born in 1979, the 12th of May", "I'm born in 1979, the [DOB]"),
    ("my ni is ab 12 34 56 c", "my ni is [NINO]"),
    ("ssn 123 45 6789", "ssn [SSN]"),
    ("social's 078051120", "social's [SSN]"),
    ("apartment 4B, 55 Queen Street", "[ADDRESS]"),
    ("I'm at 12 the Green, Leeds", "I'm at [ADDRESS]"),
    ("it's 9 Kings Road, London SW3 4NB", "it's [ADDRESS]"),
    ("postcode's m1 1ae", "postcode's [ADDRESS]"),
    ("cvv number is one two three", "cvv number is [CVV]"),
    ("the code on the back is 321", "the code on the back is [CVV]"),
    ("IBAN: gb29 nwbk 6016 1331 9268 19", "IBAN: [IBAN]"),
    ("fr14 2004 1010 0505 0001 3m02 606 is the account", "[IBAN] is the account"),
    ("send it to 3 Mill Lane, Bristol BS1 5TR", "send it to [ADDRESS]"),
    ("my email is maria.lopez at example dot com", "my email is [EMAIL]"),
    ("new card 5425 2334 3010 9903 exp 09/28 cvv 777", "new card [CARD] exp 09/28 cvv [CVV]"),
    ("DOB is 12.03.1985 and postcode EC1A 1BB", "DOB is [DOB] and postcode [ADDRESS]"),
]

# Held out: written after the detectors were finished and never tuned against.
HELD_OUT = [
    ("my card number is 4111.1111.1111.1111", "my card number is [CARD]"),
    ("its 3782 822463 10005 the amex", "its [CARD] the amex"),
    ("email: J.Smith-Jones@Example.Co.Uk", "email: [EMAIL]"),
    ("reach me at maria at example dot org dot uk", "reach me at [EMAIL]"),
    ("my mobile is +447700900123", "my mobile is [PHONE]"),
    ("call 1-800-555-0199 tomorrow", "call [PHONE] tomorrow"),
    ("the landline is 01632 960 983", "the landline is [PHONE]"),
    ("IBAN NL91 ABNA 0417 1643 00", "IBAN [IBAN]"),
    ("BE68539007547034 is my Belgian account", "[IBAN] is my Belgian account"),
    ("SSN: 078-05-1120", "SSN: [SSN]"),
    ("my NI number is NE 12 34 56 D", "my NI number is [NINO]"),
    ("date of birth: 1 Jan 1990", "date of birth: [DOB]"),
    ("I was born on the 5th of November, 1962", "I was born on the [DOB]"),
    ("d.o.b. 7/4/71", "d.o.b. [DOB]"),
    ("deliver to 18 Queen's Road, Brighton BN1 3XE", "deliver to [ADDRESS]"),
    ("my address is 5 Rue de la Paix, Paris", "my address is [ADDRESS], Paris"),
    ("Apt 4, 200 West 57th Street", "[ADDRESS]"),
    ("the CVC code is 0 4 2", "the CVC code is [CVV]"),
    ("three digits on the back, 5 5 1", "three digits on the back, [CVV]"),
    ("zip is 90210", "zip is [ADDRESS]"),
    ("my new number's 07911 123456", "my new number's [PHONE]"),
]

# Partial cards: speech recognition sends a card number as it grows, and the hub shows and
# records every partial, so a card cut short must be tagged too. Drawn from their own
# random stream, after everything above, so the sets above stay as they were.
P = random.Random(20261103)
DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
# (template, fewest digits, most digits): with card words before it, 8 digits are enough;
# without, the 4-4-4 shape of a card read out is (12 digits on).
PARTIAL = [
    ("my card number is {}", 8, 15),
    ("okay the debit card is {}", 8, 15),
    ("it's a visa, {}", 8, 15),
    ("the long number on the front is {}", 8, 15),
    ("mastercard {} sorry let me start again", 8, 15),
    ("{} is what I have so far", 12, 15),
    ("right, {}", 12, 15),
]


def partial_card():
    tmpl, lo, hi = P.choice(PARTIAL)
    n = luhn_complete(P.choice(["4", "51", "55", "6011"]), 16, P)[:P.randrange(lo, hi + 1)]
    grouped = P.choice([" ", "-"]).join(n[i:i + 4] for i in range(0, len(n), 4))
    return tmpl.format(grouped), tmpl.format("[CARD]")


def spoken_partial_card():
    n = luhn_complete("4", 16, P)[:P.randrange(8, 16)]
    return ("the card number is " + " ".join(DIGIT_WORDS[int(c)] for c in n),
            "the card number is [CARD]")


# Near misses of partial cards: a card's first or last four, and numbers, dates and amounts
# that other words name or that follow card words.
CLEAN_NEAR_PARTIAL = [
    "The card ending in 4242 was charged 19.99 on 03/04/2026.",
    "My card is the one starting 4111, order 5512345 was the problem.",
    "I got a credit on 2026-03-12 for 12.50.",
    "The credit for order 55123456 never came.",
    "Account 4111 2222 3333 444 is the old one.",
    "Reference 1234 5678 9012 3456 is on the letter.",
    "Tracking 4000 1234 5678 9 says delivered.",
    "The card expires 09 2028 and it still got declined.",
    "My visa was charged 1,200.00 on 12 03 2026.",
    "The debit of 49.99 went out at 14:30 on 12/03/2026.",
    "Invoice 5512 3456 7890 was paid by card.",
    "It is 4111 1111 that I see on the receipt.",
]

CLEAN = [
    "Order #{o} was charged {a} twice on {d}.",
    "I ordered {q} items on {d} and only {q2} arrived.",
    "The refund of {a} for order {o} has not arrived after {q} days.",
    "I called at {t} and again at {t2} but nobody answered.",
    "My account number {acct} shows a balance of {a}.",
    "The invoice {inv} says {a} but the contract said {a2}.",
    "It was delivered on {d} at {t}, {q} boxes in total.",
    "I've been a customer since {y} and paid {a} every month.",
    "The router shows error {err} and reboots every {q} minutes.",
    "Ticket {tk} was opened on {d} about order #{o}.",
    "The card ending in {l4} was charged {a} on {d}.",
    "Please cancel order {o}, the {q} chairs are {a} each.",
    "My bill went up from {a} to {a2} in {mon}.",
    "The reference {ref} is on the letter dated {d}.",
    "I paid €{big} on {d} and £{a} on {d2}.",
    "Tracking number {trk} says it left the depot at {t}.",
    "Speed test says {q}0 Mbps down and {q2} up.",
    "The {q} pack costs {a} and the {q2} pack costs {a2}.",
    "That's {q} calls in {q2} weeks about order {o}.",
    "Your app version {ver} crashes on page {q}.",
]


def clean_values():
    return {
        "o": str(R.randrange(10000, 9999999)),
        "a": "%d.%02d" % (R.randrange(1, 500), R.randrange(100)),
        "a2": "%d.%02d" % (R.randrange(1, 500), R.randrange(100)),
        "big": "%d,%03d" % (R.randrange(1, 20), R.randrange(1000)),
        "d": "%02d/%02d/%d" % (R.randrange(1, 29), R.randrange(1, 13), R.randrange(2023, 2027)),
        "d2": "%d %s %d" % (R.randrange(1, 29), R.choice(MONTHS), R.randrange(2023, 2027)),
        "q": str(R.randrange(2, 20)), "q2": str(R.randrange(2, 20)),
        "t": "%02d:%02d" % (R.randrange(7, 22), R.randrange(60)),
        "t2": "%02d:%02d" % (R.randrange(7, 22), R.randrange(60)),
        "acct": luhn_fail(R.choice(["4", "5", "6"]), 16) if R.random() < 0.5 else group(luhn_fail("4", 16), [4, 4, 4, 4], " "),
        "inv": "INV-%d" % R.randrange(100000, 999999),
        "y": str(R.randrange(1995, 2025)),
        "err": str(R.choice([404, 500, 651, 678, 720])),
        "tk": str(R.randrange(20240000, 20269999)),
        "l4": "%04d" % R.randrange(10000),
        "mon": R.choice(MONTHS),
        "ref": "%d/%d" % (R.randrange(1000, 9999), R.randrange(10, 99)),
        "trk": "%d" % R.randrange(10 ** 11, 10 ** 12),
        "ver": "%d.%d.%d" % (R.randrange(1, 9), R.randrange(20), R.randrange(20)),
    }


def main():
    with open(os.path.join(HERE, "redaction_pii.tsv"), "w") as f:
        f.write("# input\texpected (TAG mode)\n")
        n = 0
        while n < 310:
            for tmpl, gen, tag in PII:
                v = gen()
                f.write(tmpl.format(v) + "\t" + tmpl.format("[" + tag + "]") + "\n")
                n += 1
        for text, expected in HARD + HELD_OUT:
            f.write(text + "\t" + expected + "\n")
        for i in range(24):
            text, expected = spoken_partial_card() if i % 6 == 5 else partial_card()
            f.write(text + "\t" + expected + "\n")
    with open(os.path.join(HERE, "redaction_clean.tsv"), "w") as f:
        f.write("# input\texpected (unchanged)\n")
        for i in range(320):
            s = CLEAN[i % len(CLEAN)].format(**clean_values())
            f.write(s + "\t" + s + "\n")
        for s in CLEAN_NEAR_PARTIAL:
            f.write(s + "\t" + s + "\n")


if __name__ == "__main__":
    main()
