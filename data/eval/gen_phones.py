#!/usr/bin/env python3
"""gen_phones.py - writes data/eval/redaction_phones.tsv: phone numbers of the main markets in
their national and international written forms, inside sentences a caller or chat user would
write, and number-rich sentences of the same markets with no personal data.

Each line: market TAB class TAB input TAB expected, where class is `national`,
`international` or `clean` (a clean line's expected text is its input). The numbers follow
the public numbering plans cited in data/eval/phones-SOURCES.md (number lengths, area codes,
mobile prefixes, the way each country groups digits); the subscriber digits are drawn at
random within those ranges. The set was written from the plans and was not run through the
redactor while it was written; the redactor was not tuned on it.
Deterministic (fixed seed): run `python3 data/eval/gen_phones.py` from the repo root.
"""
import os
import random

R = random.Random(20261204)
HERE = os.path.dirname(os.path.abspath(__file__))


def d(n):
    return "".join(str(R.randrange(10)) for _ in range(n))


def nz(n):   # n digits, the first not 0 or 1 (subscriber numbers rarely start so)
    return str(R.randrange(2, 10)) + d(n - 1)


def grp(num, sizes, sep=" "):
    out, i = [], 0
    for s in sizes:
        out.append(num[i:i + s])
        i += s
    return sep.join(out)


# Per market: (country code, national trunk prefix, [number generators]). A generator returns
# (national written form, international written form) for one number.
def gb():
    k = R.randrange(4)
    if k == 0:    # London 020 + 8 digits, written 020 xxxx xxxx
        sub = R.choice("378") + d(7)
        return "020 " + grp(sub, [4, 4]), "+44 20 " + grp(sub, [4, 4])
    if k == 1:    # mobile 07xxx xxxxxx
        sub = "7" + R.choice("12345789") + d(8)
        return "0" + grp(sub, [4, 6]), "+44 " + grp(sub, [4, 6])
    if k == 2:    # large cities 01x1 xxx xxxx (Manchester 0161, Leeds 0113, Glasgow 0141)
        ac = R.choice(["161", "113", "141", "121", "131", "117"])
        sub = nz(7)
        return "0" + ac + " " + grp(sub, [3, 4]), "+44 " + ac + " " + grp(sub, [3, 4])
    ac = R.choice(["1223", "1865", "1632", "1904", "1273"])   # 01xxx xxxxxx
    sub = nz(6)
    return "0" + ac + " " + sub, "+44 (0)" + ac + " " + sub


def de():
    k = R.randrange(4)
    if k == 0:    # Berlin 030 + 5 to 8 digits
        sub = nz(R.choice([6, 7, 8]))
        return "030 " + sub, "+49 30 " + sub
    if k == 1:    # mobile 015x/016x/017x
        pre = R.choice(["151", "152", "160", "170", "171", "172", "176", "157"])
        sub = nz(7 if pre[:2] in ("16", "17") and pre != "176" else 8)
        return "0" + pre + " " + sub, "+49 " + pre + " " + sub
    if k == 2:    # Munich 089, Hamburg 040, Frankfurt 069: 0xx / xxxxxxx
        ac = R.choice(["89", "40", "69", "221", "211"])
        sub = nz(7)
        return "0" + ac + "/" + sub, "+49 " + ac + " " + sub
    ac = R.choice(["6221", "7071", "3641", "5361"])            # 0xxxx xxxxx
    sub = nz(R.choice([5, 6]))
    return "(0" + ac + ") " + sub, "0049 " + ac + " " + sub


def fr():
    k = R.randrange(2)
    if k == 0:    # 0Z AB PQ MC DU, Z 1-5 geographic
        sub = R.choice("12345") + nz(8)
    else:         # 06 / 07 mobiles
        sub = R.choice(["6", "7"]) + R.choice("3456789") + d(7)
    sep = R.choice([" ", " ", ".", ""])
    nat = "0" + sub[0] + sep + sep.join(sub[i:i + 2] for i in range(1, 9, 2))
    intl = "+33 " + sub[0] + " " + " ".join(sub[i:i + 2] for i in range(1, 9, 2))
    return nat, intl


def es():
    k = R.randrange(3)
    if k == 0:    # mobile 6xx / 7xx, 9 digits
        sub = R.choice(["6", "7"]) + R.choice("01234567") + d(7)
    elif k == 1:  # Madrid 91, Barcelona 93
        sub = R.choice(["91", "93"]) + nz(7)
    else:         # other provinces 9xx / 8xx
        sub = R.choice(["954", "963", "944", "981", "810", "822", "881"]) + nz(6)
    sizes = R.choice([[3, 2, 2, 2], [3, 3, 3], [9]])
    if sub[:2] in ("91", "93") and R.randrange(2):
        sizes = [2, 3, 2, 2]
    return grp(sub, sizes), "+34 " + grp(sub, sizes)


def it():
    k = R.randrange(3)
    if k == 0:    # mobile 3xx xxx xxxx
        sub = "3" + R.choice(["20", "28", "33", "35", "39", "40", "47", "49"]) + d(7)
        return grp(sub, [3, 3, 4]), "+39 " + grp(sub, [3, 3, 4])
    if k == 1:    # Milan 02, Rome 06: 0x xxxx xxxx
        ac = R.choice(["02", "06"])
        sub = nz(8)
        return ac + " " + grp(sub, [4, 4]), "+39 " + ac + " " + grp(sub, [4, 4])
    ac = R.choice(["011", "055", "081", "051", "0471"])         # other districts
    sub = nz(10 - len(ac))
    return ac + " " + sub, "+39 " + ac + " " + sub


def us():
    npa = R.choice(["212", "415", "312", "617", "213", "305", "202", "512", "646", "206"])
    nxx = str(R.randrange(2, 10)) + d(2)
    if nxx == "555":
        nxx = "556"
    line = d(4)
    form = R.randrange(4)
    if form == 0:
        nat = "(" + npa + ") " + nxx + "-" + line
    elif form == 1:
        nat = npa + "-" + nxx + "-" + line
    elif form == 2:
        nat = npa + "." + nxx + "." + line
    else:
        nat = "1-" + npa + "-" + nxx + "-" + line
    return nat, "+1 " + npa + " " + nxx + " " + line


def india():
    k = R.randrange(3)
    if k == 0:    # mobile, 10 digits from 6-9, written 5 5
        sub = R.choice("6789") + d(9)
        return R.choice(["", "0"]) + grp(sub, [5, 5]), "+91 " + grp(sub, [5, 5])
    if k == 1:    # Mumbai 022, Delhi 011: 8-digit subscriber numbers
        ac = R.choice(["22", "11"])
        sub = R.choice("2346") + d(7)
        return "0" + ac + " " + grp(sub, [4, 4]), "+91 " + ac + " " + grp(sub, [4, 4])
    ac = R.choice(["80", "40", "44", "33"])                     # Bengaluru, Hyderabad, …
    sub = R.choice("2346") + d(7)
    return "0" + ac + "-" + sub, "+91-" + ac + "-" + sub


def ie():
    k = R.randrange(3)
    if k == 0:    # mobile 08x xxx xxxx
        sub = "8" + R.choice("35679") + nz(7)
        return "0" + grp(sub, [2, 3, 4]), "+353 " + grp(sub, [2, 3, 4])
    if k == 1:    # Dublin 01 xxx xxxx
        sub = nz(7)
        return "01 " + grp(sub, [3, 4]), "+353 1 " + grp(sub, [3, 4])
    ac = R.choice(["21", "91", "61", "22", "51"])               # Cork, Galway, …, Mallow (022)
    sub = nz(R.choice([5, 7]))
    return "(0" + ac + ") " + sub, "+353 " + ac + " " + sub


def nl():
    k = R.randrange(2)
    if k == 0:    # mobile 06-xxxxxxxx
        sub = "6" + R.choice("12345") + d(7)
        return "06-" + sub[1:], "+31 6 " + sub[1:]
    ac = R.choice(["20", "10", "70", "30"])                     # Amsterdam, Rotterdam, …
    sub = nz(7)
    return "0" + ac + " " + grp(sub, [3, 4]), "+31 " + ac + " " + grp(sub, [3, 4])


def au():
    k = R.randrange(2)
    if k == 0:    # mobile 04xx xxx xxx
        sub = "4" + R.choice("0123456789") + d(7)
        return "0" + grp(sub, [3, 3, 3]), "+61 " + grp(sub, [3, 3, 3])
    ac = R.choice("2378")                                       # (0A) xxxx xxxx
    sub = R.choice("3456789") + d(7)
    return "(0" + ac + ") " + grp(sub, [4, 4]), "+61 " + ac + " " + grp(sub, [4, 4])


MARKETS = [("GB", gb), ("DE", de), ("FR", fr), ("ES", es), ("IT", it), ("US", us),
           ("IN", india), ("IE", ie), ("NL", nl), ("AU", au)]

SENTENCES = [
    "You can reach me on {n}.",
    "my mobile is {n}",
    "Please call me back at {n} after five.",
    "it's {n}, that's my landline",
    "The best number for me is {n} thanks",
    "yeah so the number is {n}",
    "Text me on {n} when the engineer is on the way.",
    "My husband's number is {n} if I don't pick up.",
    "call {n} and ask for me",
    "New number: {n}",
]

# The five national examples (issue 12, item 7), as they were reported.
REPORTED = [("DE", "030 123456"), ("DE", "01512 3456789"), ("ES", "612 34 56 78"),
            ("ES", "810 12 34 56"), ("IE", "(022) 12345")]

# Number-rich sentences of the same markets with no personal data: amounts written the local
# way, dates, times, postcodes, order numbers, quantities, speeds and prices.
def clean_lines():
    out = []
    for _ in range(6):
        out.append(("DE", f"Die Rechnung vom {R.randrange(1, 29):02d}.{R.randrange(1, 13):02d}.2026 über {R.randrange(1, 999)},{d(2)} € ist bezahlt, Bestellung {nz(8)}."))
        out.append(("DE", f"Lieferung an PLZ {nz(5)} zwischen {R.randrange(8, 12)}:00 und {R.randrange(13, 18)}:30 Uhr, {R.randrange(2, 40)} Pakete."))
        out.append(("FR", f"Le forfait passe de {R.randrange(10, 60)},{d(2)} € à {R.randrange(10, 60)},{d(2)} € au {R.randrange(1, 29)}/{R.randrange(1, 13)}/2026, commande n° {nz(9)}."))
        out.append(("FR", f"Livraison à 75{R.randrange(1, 21):03d} Paris le {R.randrange(1, 29)} mars entre {R.randrange(8, 12)}h{R.choice(['00', '30'])} et {R.randrange(13, 19)}h."))
        out.append(("ES", f"El pedido {nz(9)} de {R.randrange(1, 99)},{d(2)} € llegó el {R.randrange(1, 29)}/{R.randrange(1, 13)}/2026 con {R.randrange(2, 9)} artículos."))
        out.append(("IT", f"La fattura n. {nz(7)} del {R.randrange(1, 29):02d}/{R.randrange(1, 13):02d}/2026 è di {R.randrange(1, 9)}.{d(3)},{d(2)} euro."))
        out.append(("US", f"Order {nz(10)} shipped on {R.randrange(1, 13)}/{R.randrange(1, 29)}/2026 for ${R.randrange(10, 999)}.{d(2)}, tracking {nz(12)}."))
        out.append(("US", f"The plan is {R.randrange(100, 1000)} Mbps down and {R.randrange(10, 100)} up for ${R.randrange(30, 90)}.99 a month from {R.randrange(1, 13)}/1/2027."))
        out.append(("GB", f"Your bill of £{R.randrange(10, 200)}.{d(2)} is due on {R.randrange(1, 29)}/{R.randrange(1, 13)}/2026; ticket {nz(8)} is closed."))
        out.append(("GB", f"Speeds were {R.randrange(10, 80)}.{d(1)} Mbps at {R.randrange(10, 23)}:{R.randrange(10, 59)} and {R.randrange(100, 900)} Mbps by {R.randrange(10, 23)}:{R.randrange(10, 59)}."))
        out.append(("IN", f"Recharge of Rs {R.randrange(1, 9)},{d(3)} done on {R.randrange(1, 29)}-{R.randrange(1, 13)}-2026, transaction ID {nz(12)}."))
        out.append(("NL", f"Factuur {nz(8)} van € {R.randrange(10, 999)},{d(2)} is op {R.randrange(1, 29)}-{R.randrange(1, 13)}-2026 betaald."))
        out.append(("AU", f"Your order {nz(9)} of {R.randrange(2, 20)} items, ${R.randrange(10, 999)}.{d(2)}, arrives {R.randrange(1, 29)}/{R.randrange(1, 13)}/2026."))
    return out


def main():
    lines = ["# market\tclass\tinput\texpected (TAG mode)"]
    for market, gen in MARKETS:
        for _ in range(20):
            nat, intl = gen()
            for cls, num in (("national", nat), ("international", intl)):
                s = R.choice(SENTENCES)
                lines.append(f"{market}\t{cls}\t{s.format(n=num)}\t{s.format(n='[PHONE]')}")
    for market, num in REPORTED:
        s = R.choice(SENTENCES)
        lines.append(f"{market}\tnational\t{s.format(n=num)}\t{s.format(n='[PHONE]')}")
    for market, text in clean_lines():
        lines.append(f"{market}\tclean\t{text}\t{text}")
    with open(os.path.join(HERE, "redaction_phones.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
