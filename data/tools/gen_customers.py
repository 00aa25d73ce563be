#!/usr/bin/env python3
"""Writes data/customers.json: the demo's customers, their past contacts and orders.

Deterministic (fixed seed, no clock): running it twice gives the same file. The first
customers are the ones the scenarios in data/scenarios/ talk to, so their history fits
the story; the rest are generated from the pools below.
Run from the repository root:  python3 data/tools/gen_customers.py
"""
import json
import random

TODAY = (2026, 11, 22)
rng = random.Random(20261122)

# (first, last, language, region) -- region picks phone range, address style and currency
PEOPLE = [
    ("Daniel", "Whitaker", "en", "uk"), ("Edith", "Pemberton", "en", "uk"),
    ("Lukas", "Becker", "de", "uk"), ("Amara", "Okonkwo", "en", "uk"),
    ("Rosa", "Delgado", "es", "uk"), ("Jamie", "Fraser", "en", "uk"),
    ("Mei Lin", "Wong", "zh", "uk"), ("Tomás", "Silva", "pt", "uk"),
    ("Harold", "Baines", "en", "uk"), ("Fatima Zahra", "El Idrissi", "fr", "uk"),
    ("Oliver", "Bennett", "en", "uk"), ("Sofia", "Rossi", "it", "uk"),
    ("Kwame", "Mensah", "en", "uk"), ("Greg", "Lawson", "en", "us"),
    ("Patricia", "Kowalski", "pl", "us"), ("Ryan", "Doyle", "en", "uk"),
    ("Aisha", "Rahman", "en", "uk"), ("Nikolai", "Petrov", "ru", "uk"),
    ("Yuki", "Sato", "ja", "uk"), ("Brian", "O'Connell", "en", "uk"),
    ("Chiara", "Bianchi", "it", "uk"), ("Ahmed", "Hassan", "ar", "uk"),
    ("Ingrid", "Johansson", "sv", "uk"), ("Carlos", "Mendoza", "es", "uk"),
    ("Hannah", "Schmidt", "de", "uk"), ("Arjun", "Mehta", "en", "uk"),
    ("Zoe", "Campbell", "en", "uk"), ("Pierre", "Dubois", "fr", "uk"),
    # generated customers from here on
    ("Siobhan", "Murphy", "en", "uk"), ("Wei", "Zhang", "zh", "uk"),
    ("Olusegun", "Adeyemi", "en", "uk"), ("Marta", "Nowak", "pl", "uk"),
    ("Luca", "Ferrari", "it", "uk"), ("Priya", "Sharma", "en", "uk"),
    ("Ewan", "MacLeod", "en", "uk"), ("Leila", "Karimi", "fa", "uk"),
    ("Mateo", "García", "es", "us"), ("Grace", "Adjei", "en", "uk"),
    ("Henrik", "Nielsen", "da", "uk"), ("Ayesha", "Siddiqui", "ur", "uk"),
    ("Jonah", "Feldman", "en", "us"), ("Niamh", "Gallagher", "en", "uk"),
    ("Dmitri", "Volkov", "ru", "uk"), ("Keisha", "Thompson", "en", "us"),
    ("Bogdan", "Ionescu", "ro", "uk"), ("Anjali", "Iyer", "en", "uk"),
    ("Samuel", "Osei", "en", "uk"), ("Lena", "Hoffmann", "de", "uk"),
    ("Marcus", "Reid", "en", "uk"), ("Yasmin", "Haddad", "ar", "uk"),
    ("Thi Lan", "Nguyen", "vi", "us"), ("Declan", "Byrne", "en", "uk"),
    ("Isabel", "Costa", "pt", "uk"), ("Raj", "Patel", "en", "uk"),
    ("Agnieszka", "Wiśniewska", "pl", "uk"), ("Tyrone", "Jackson", "en", "us"),
    ("Elif", "Yılmaz", "tr", "uk"), ("Callum", "Stewart", "en", "uk"),
    ("Nadia", "Benali", "fr", "uk"), ("Kenji", "Watanabe", "ja", "us"),
]

PLANS = ["Fibre 500", "Fibre 150", "Fibre 900", "Broadband Essentials 36",
         "Mobile Unlimited", "Mobile 30GB", "Mobile 10GB", "SIM Only 5GB",
         "Fibre 500 + TV Max", "Fibre 150 + Landline", "Home Phone Saver",
         "Mobile Unlimited + Fibre 500", "Business Fibre 300"]

UK_STREETS = ["Larch Avenue", "Cavendish Road", "Mill Lane", "Station Road", "Orchard Close",
              "Victoria Street", "Beech Grove", "Kingsway", "Albert Terrace", "Holly Drive",
              "Canal Street", "Rosemary Gardens", "Queen's Parade", "Elm Row", "Chapel Walk"]
UK_TOWNS = [("Leeds", "LS6 2QT"), ("Manchester", "M14 5RG"), ("Bristol", "BS7 8NE"),
            ("Glasgow", "G12 9LA"), ("Cardiff", "CF24 4HJ"), ("Norwich", "NR2 3DP"),
            ("Sheffield", "S10 1TY"), ("Brighton", "BN1 6GH"), ("York", "YO31 7EW"),
            ("Belfast", "BT9 6FL"), ("Nottingham", "NG7 2RD"), ("Exeter", "EX4 4QJ")]
US_STREETS = ["Maple Street", "Oak Avenue", "Cedar Lane", "Lakeview Drive", "Pine Court",
              "Washington Blvd", "Sunset Road", "Hillcrest Way"]
US_TOWNS = [("Springfield, IL", "62704"), ("Columbus, OH", "43215"), ("Austin, TX", "78704"),
            ("Portland, OR", "97214"), ("Madison, WI", "53703"), ("Raleigh, NC", "27601")]

# (reason, [(outcome, how the customer felt at the end: -1..1)])
CONTACT_REASONS = [
    ("Bill higher than expected", [("Explained pro-rata charge", 0.1), ("Credit of 12.50 applied", 0.4),
                                   ("Escalated to billing team", -0.5)]),
    ("Broadband dropping in the evening", [("Line test passed, router replaced", 0.2),
                                           ("Engineer visit booked", -0.2), ("Resolved after reboot", 0.4)]),
    ("Wants to cancel", [("Retained with loyalty discount", 0.3), ("Cancellation processed", -0.3),
                         ("Callback arranged with retention", -0.4)]),
    ("Unrecognised charge", [("Charge explained (add-on)", 0.1), ("Refund issued", 0.5),
                             ("Passed to fraud team", -0.3)]),
    ("Moving home", [("Move booked", 0.5), ("Service transferred to new address", 0.6)]),
    ("Router setup help", [("Walked through setup", 0.6), ("Resolved on call", 0.7)]),
    ("Parcel not delivered", [("Courier trace opened", -0.4), ("Replacement dispatched", 0.3),
                              ("Delivered next day", 0.4)]),
    ("Direct debit failed", [("Payment taken by card", 0.2), ("New mandate set up", 0.3)]),
    ("Upgrade enquiry", [("Upgraded plan", 0.7), ("Sent quote by email", 0.3),
                         ("Customer will think about it", 0.0)]),
    ("Roaming charges", [("Roaming pass added", 0.4), ("Partial refund as goodwill", 0.1)]),
    ("Password reset", [("Reset link sent", 0.5), ("Identity verified, access restored", 0.6)]),
    ("Complaint about wait time", [("Apologised, complaint logged", -0.5), ("Goodwill credit applied", 0.1)]),
    ("Price rise question", [("Explained annual price change", -0.3), ("Offered a cheaper plan", 0.3)]),
    ("Return request", [("Return label emailed", 0.4), ("Refund on receipt of item", 0.3)]),
]
ORDER_ITEMS = [
    ("Hub 3 Wi-Fi router", 0.00), ("Mesh Wi-Fi extender", 69.00), ("USB-C fast charger", 19.99),
    ("Phone case (clear)", 14.99), ("Wireless earbuds", 89.00), ("Refurbished smartphone 128GB", 279.00),
    ("Smartphone 256GB", 799.00), ("TV Max set-top box", 0.00), ("Smart watch", 249.00),
    ("Screen protector (2-pack)", 9.99), ("4G backup dongle", 39.00), ("Tablet 10-inch 64GB", 329.00),
    ("Powerline adapter kit", 54.99), ("Ethernet cable 5m", 7.99), ("Bluetooth speaker", 59.00),
    ("Monthly bill", None),
]
ORDER_STATUSES = ["delivered"] * 6 + ["dispatched", "processing", "returned", "refunded", "cancelled"]


def date_back(max_days, min_days=1):
    """A date between min_days and max_days before TODAY, as YYYY-MM-DD."""
    import datetime
    d = datetime.date(*TODAY) - datetime.timedelta(days=rng.randint(min_days, max_days))
    return d.isoformat()


def phone(region, n):
    if region == "us":
        return "+1 202 555 01%02d" % (n % 100)
    if n % 3 == 0:
        return "+44 7700 900%03d" % (100 + n * 7 % 900)
    if n % 3 == 1:
        return "+44 20 7946 0%03d" % (n * 13 % 1000)
    return "+44 161 496 0%03d" % (n * 17 % 1000)


def address(region):
    if region == "us":
        town, zipc = rng.choice(US_TOWNS)
        return "%d %s, %s %s" % (rng.randint(10, 990), rng.choice(US_STREETS), town, zipc)
    town, pc = rng.choice(UK_TOWNS)
    return "%d %s, %s %s" % (rng.randint(1, 120), rng.choice(UK_STREETS), town, pc)


def email(first, last, n):
    import unicodedata
    def ascii_(s):
        s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
        return "".join(c for c in s.lower() if c.isalnum())
    domain = "example.com" if n % 2 == 0 else "example.org"
    style = n % 3
    f, l = ascii_(first), ascii_(last)
    local = {0: f + "." + l, 1: f[0] + l, 2: f + l[0] + str(n % 90 + 10)}[style]
    return local + "@" + domain


def gen_contacts(k):
    out = []
    for _ in range(k):
        reason, outcomes = rng.choice(CONTACT_REASONS)
        outcome, feeling = rng.choice(outcomes)
        sentiment = max(-1.0, min(1.0, round(feeling + rng.uniform(-0.2, 0.2), 1)))
        out.append({"date": date_back(700), "channel": rng.choice(["voice", "voice", "chat"]),
                    "reason": reason, "outcome": outcome, "sentiment": sentiment})
    return sorted(out, key=lambda c: c["date"], reverse=True)


def gen_orders(k, currency, plan_price):
    out = []
    for _ in range(k):
        item, price = rng.choice(ORDER_ITEMS)
        if price is None:
            d = date_back(200)
            item, price, status = "Monthly bill " + d[:7], plan_price, "paid"
        else:
            d, status = date_back(900), rng.choice(ORDER_STATUSES)
            if price == 0.0:  # free kit that came with a plan is never refunded or returned
                status = "delivered"
        out.append({"id": "#%d" % rng.randint(80000, 99999), "date": d, "item": item,
                    "amount": price, "currency": currency, "status": status})
    return sorted(out, key=lambda o: o["date"], reverse=True)


def contact(date, channel, reason, outcome, sentiment):
    return {"date": date, "channel": channel, "reason": reason, "outcome": outcome,
            "sentiment": sentiment}


def order(oid, date, item, amount, currency, status):
    return {"id": oid, "date": date, "item": item, "amount": amount, "currency": currency,
            "status": status}


# The scenarios' customers: what the agent should see when that call comes in.
STORIES = {
    "C-1001": dict(tier="gold", since="2016-04-11", plan="Fibre 500",
        contacts=[contact("2026-09-14", "chat", "Bill higher than expected", "Explained pro-rata charge", -0.3)],
        orders=[order("#88231", "2026-11-03", "Monthly bill 2026-11", 45.00, "GBP", "paid"),
                order("#88232", "2026-11-03", "Monthly bill 2026-11", 45.00, "GBP", "paid"),
                order("#86110", "2026-10-03", "Monthly bill 2026-10", 45.00, "GBP", "paid"),
                order("#79012", "2025-02-18", "Mesh Wi-Fi extender", 69.00, "GBP", "delivered")]),
    "C-1002": dict(tier="standard", since="2004-06-30", plan="Broadband Essentials 36",
        contacts=[contact("2026-10-02", "voice", "Router setup help", "Walked through setup", 0.2),
                  contact("2026-03-19", "voice", "Bill higher than expected", "Explained pro-rata charge", -0.1)],
        orders=[order("#87410", "2026-10-20", "Hub 3 Wi-Fi router", 0.00, "GBP", "delivered")]),
    "C-1003": dict(tier="silver", since="2020-12-01", plan="Fibre 500 + TV Max",
        contacts=[contact("2026-11-10", "chat", "Price rise question", "Explained annual price change", -0.5),
                  contact("2026-04-02", "voice", "Broadband dropping in the evening", "Engineer visit booked", -0.4)],
        orders=[order("#85521", "2026-11-01", "Monthly bill 2026-11", 72.00, "GBP", "paid")]),
    "C-1004": dict(tier="gold", since="2015-08-22", plan="Mobile Unlimited + Fibre 500",
        contacts=[contact("2025-12-01", "chat", "Roaming charges", "Roaming pass added", 0.3)],
        orders=[order("#89102", "2026-11-21", "Smartphone 256GB", 799.00, "GBP", "processing"),
                order("#89103", "2026-11-21", "Smart watch", 249.00, "GBP", "processing"),
                order("#80544", "2025-06-12", "Wireless earbuds", 89.00, "GBP", "delivered")]),
    "C-1005": dict(tier="silver", since="2011-02-14", plan="Fibre 150 + Landline",
        contacts=[], orders=[order("#86802", "2026-11-01", "Monthly bill 2026-11", 38.50, "GBP", "paid")]),
    "C-1006": dict(tier="standard", since="2022-07-09", plan="Mobile 30GB",
        contacts=[contact("2026-10-12", "chat", "Direct debit failed", "Payment taken by card", -0.4)],
        orders=[order("#87001", "2026-10-28", "Monthly bill 2026-10", 32.00, "GBP", "overdue")]),
    "C-1007": dict(tier="gold", plan="Fibre 500"),
    "C-1008": dict(plan="Mobile 30GB",
        orders=[order("#89214", "2026-11-15", "USB-C fast charger + Phone case (clear)", 34.98, "GBP", "dispatched")]),
    "C-1009": dict(tier="standard", since="2008-01-15", plan="Fibre 150 + Landline",
        contacts=[contact("2026-08-30", "voice", "Broadband dropping in the evening", "Resolved after reboot", 0.1)],
        orders=[]),
    "C-1010": dict(address="8 Cavendish Road, Bristol BS7 8NE", plan="Mobile Unlimited + Fibre 500"),
    "C-1011": dict(tier="silver", since="2019-05-05", plan="Mobile 30GB",
        contacts=[],
        orders=[order("#88950", "2026-11-14", "Wireless earbuds", 89.00, "GBP", "dispatched"),
                order("#84401", "2026-03-02", "Phone case (clear)", 14.99, "GBP", "delivered")]),
    "C-1012": dict(address="77 Queen's Parade, Sheffield S10 1TY", tier="gold", since="2017-09-18", plan="Fibre 900",
        contacts=[contact("2025-11-20", "voice", "Upgrade enquiry", "Upgraded plan", 0.6)], orders=[]),
    "C-1014": dict(tier="silver", since="2018-03-03", plan="Mobile Unlimited",
        contacts=[contact("2026-11-15", "voice", "Bill higher than expected", "Escalated to billing team", -0.7),
                  contact("2026-11-08", "chat", "Bill higher than expected", "Credit of 12.50 applied", -0.5)],
        orders=[order("#88712", "2026-11-05", "Monthly bill 2026-11", 96.40, "USD", "paid")]),
    "C-1015": dict(tier="standard", since="2021-10-10", plan="Fibre 500",
        contacts=[contact("2026-10-25", "voice", "Complaint about wait time", "Apologised, complaint logged", -0.8),
                  contact("2026-09-30", "voice", "Wants to cancel", "Callback arranged with retention", -0.6)],
        orders=[order("#86640", "2026-10-30", "Early termination fee", 180.00, "USD", "disputed")]),
    "C-1016": dict(plan="Fibre 500"),
    "C-1017": dict(tier="silver", since="2019-11-11", plan="Fibre 500",
        contacts=[contact("2026-11-19", "voice", "Broadband dropping in the evening", "Resolved after reboot", -0.4),
                  contact("2026-11-12", "chat", "Broadband dropping in the evening", "Line test passed, router replaced", -0.3),
                  contact("2026-06-07", "voice", "Moving home", "Move booked", 0.4)],
        orders=[order("#88390", "2026-11-13", "Hub 3 Wi-Fi router", 0.00, "GBP", "delivered")]),
    "C-1019": dict(address="21 Kingsway, Brighton BN1 6GH"),
    "C-1020": dict(address="3 Elm Row, Cardiff CF24 4HJ", tier="standard", since="2023-01-27", plan="SIM Only 5GB",
        contacts=[contact("2026-10-28", "chat", "Direct debit failed", "New mandate set up", -0.2)],
        orders=[order("#87770", "2026-11-02", "Late payment fee", 7.50, "GBP", "paid")]),
    "C-1021": dict(tier="gold", since="2014-05-19", plan="Mobile Unlimited", contacts=[], orders=[]),
    "C-1023": dict(address="12 Mill Lane, York YO31 7EW", tier="silver", since="2020-02-02", plan="Mobile 10GB",
        contacts=[],
        orders=[order("#89010", "2026-11-16", "Refurbished smartphone 128GB", 279.00, "GBP", "dispatched")]),
    "C-1025": dict(address="5 Orchard Close, Norwich NR2 3DP", plan="Fibre 150"),
    "C-1033": dict(address="42 Station Road, Bristol BS7 8NE", plan="Mobile Unlimited + Fibre 500",
        contacts=[contact("2025-05-12", "voice", "Upgrade enquiry", "Sent quote by email", 0.3)]),
    "C-1024": dict(tier="standard", since="2022-04-04", plan="Fibre 150",
        contacts=[contact("2026-02-20", "chat", "Price rise question", "Explained annual price change", -0.4)],
        orders=[]),
    "C-1026": dict(tier="standard", since="2024-08-08", plan="Mobile 30GB",
        contacts=[],
        orders=[order("#88801", "2026-11-09", "Bluetooth speaker", 59.00, "GBP", "delivered")]),
}

TIERS = ["gold"] * 2 + ["silver"] * 3 + ["standard"] * 5


def main():
    customers = []
    for n, (first, last, lang, region) in enumerate(PEOPLE):
        cid = "C-%d" % (1001 + n)
        currency = "USD" if region == "us" else "GBP"
        story = STORIES.get(cid, {})
        plan = story.get("plan") or rng.choice(PLANS)
        plan_price = {"Fibre 500": 45.0, "Fibre 150": 32.0, "Fibre 900": 62.0}.get(plan, 38.5)
        c = {
            "id": cid, "first_name": first, "last_name": last,
            "tier": story.get("tier") or rng.choice(TIERS),
            "since": story.get("since") or date_back(365 * 15, 60),
            "email": email(first, last, n), "phone": phone(region, n),
            "address": address(region), "plan": plan, "language": lang,
            "contacts": story["contacts"] if "contacts" in story else gen_contacts(rng.randint(0, 6)),
            "orders": story["orders"] if "orders" in story else gen_orders(rng.randint(0, 5), currency, plan_price),
        }
        if "address" in story:  # drawn above anyway, so the other customers stay the same
            c["address"] = story["address"]
        customers.append(c)
    with open("data/customers.json", "w", encoding="utf-8") as f:
        json.dump(customers, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
