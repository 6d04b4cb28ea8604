"""Synthetic CRM export of a US janitorial & breakroom supplies distributor (with ground truth).

The business
------------
"Tri-County Jan-San & Breakroom Supply" style regional distributor: paper goods (C-fold towels,
JRT tissue), can liners, cleaning chemicals, gloves, coffee/K-cups and small equipment, sold to
offices, K-12 schools, medical/dental clinics, restaurants and property managers across eleven US
sales territories. Account reps (owner alias in Salesforce; "house" when a rep left and nobody
took the book over) call, visit and e-mail; a customer-service desk answers phone, e-mail, web form
and chat through a ticketing system whose subject lines become `contacts.topic`. Returns are
credit memos (separate negative `RMA-` rows, returned=true). Timestamps carry the local UTC offset
of the customer's territory (Eastern/Central/Mountain/Pacific, Arizona without DST).

Files written (CSV, Salesforce-report style): customers, orders, contacts, complaints, surveys,
truth.csv. History 2023-01-01 .. 2025-12-31 (older accounts keep their original sign-up date).

How churn happens
-----------------
About 30% of accounts stop buying for good at a `churned_at` spread evenly over the history. Each
churner has one true reason (shares ~ 67/15/9/5/4) and an "onset" window before churn in which the
reason's traces ramp up (phase p: 0 -> 1 at churn). About a quarter of stayers live through a
temporary episode of the same kind (neglected for a while, a bad batch, shopping around, a local
move), so every trace also appears among customers who stay. Purchase frequency fades for all
churners (the symptom), with reason-specific speed.

  indifference    reps are less attentive to begin with; outbound touches dry up during onset,
                  post-delivery follow-ups stop, inbound tickets are answered slowly or never
                  ("2nd request", "still waiting on a call back"), more accounts sit on "house".
  product_quality quality/service complaints ("towels ripping", "liners splitting"), RMAs,
                  complaints left unresolved, pulse NPS drops.
  competitor      price complaints, "Grainger quoted us less" tickets, a growing share of orders
                  with discounts, shrinking basket; fewer of them in the Preferred program.
  personal_ties   weak: in ~40% of cases the account that referred them left a few months earlier, an
                  occasional "new office manager / ordering through a family friend" ticket, abrupt stop.
  moved_or_died   relocation/closure tickets, ship-to region changes for the last orders
                  (customers.region is the new one), abrupt stop; some leave no trace at all.
Exit surveys: ~30% of churners answer 6-16 weeks after their last order, true reason in ~60% of
cases (competitor is the polite excuse). Pulse NPS surveys go out quarterly to active accounts.
"""
import argparse
import os
import random
import time

import numpy as np
import pandas as pd

EPOCH = np.datetime64("2023-01-01")
LAST_EVENT_DAY = 1094          # 2025-12-30: keeps every timestamp (in UTC) inside 2025
LAST_CHURN_DAY = 1093          # 2025-12-29
REASONS = ["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"]
SHARES = [0.67, 0.15, 0.09, 0.05, 0.04]
IND, QUA, COM, PER, MOV, NONE = 0, 1, 2, 3, 4, 5

# territory, standard UTC offset, observes DST
REGIONS = [("Northeast", -5, True), ("Mid-Atlantic", -5, True), ("Southeast", -5, True),
           ("Florida", -5, True), ("Great Lakes", -5, True), ("Midwest", -6, True),
           ("Texas / South Central", -6, True), ("Rocky Mountain", -7, True),
           ("Arizona / Desert SW", -7, False), ("Pacific Northwest", -8, True),
           ("California", -8, True)]
REGION_W = [0.12, 0.13, 0.12, 0.08, 0.11, 0.11, 0.1, 0.05, 0.04, 0.05, 0.09]
# segment, mean days between orders, median order $
SEGMENTS = [("Office / Corporate", 22, 380), ("K-12 Education", 15, 620),
            ("Healthcare / Clinic", 18, 410), ("Restaurant / Food Service", 9, 260),
            ("Property Management", 26, 540)]
SEG_W = [0.34, 0.14, 0.2, 0.2, 0.12]

PRODUCTS = ["C-fold towels", "multifold towels", "roll towels", "hardwound towels", "2-ply toilet tissue",
            "JRT jumbo rolls", "seat covers", "can liners 40x46", "can liners 33x39", "trash bags",
            "nitrile gloves", "vinyl gloves", "foam hand soap", "hand sanitizer refills", "quat disinfectant",
            "neutral floor cleaner", "floor finish", "glass cleaner", "bleach", "disinfecting wipes",
            "mop heads", "microfiber cloths", "K-cups", "ground coffee", "coffee filters", "creamer",
            "sugar packets", "stir sticks", "12oz hot cups", "cup lids", "napkins", "air freshener refills",
            "urinal screens", "towel dispensers", "vacuum bags", "degreaser", "bottled water"]
COMPETITORS = ["Grainger", "Amazon Business", "Staples", "Uline", "Imperial Dade", "Costco Business",
               "WebstaurantStore", "Sam's Club", "HD Supply", "Veritiv", "Office Depot", "a local jan-san guy",
               "Cintas", "our corporate vendor"]
CITIES = ["Charlotte", "Tampa", "Columbus", "Denver", "Phoenix", "Austin", "Boise", "Raleigh", "Nashville",
          "Scottsdale", "Sacramento", "Portland", "Pittsburgh", "Richmond", "Omaha", "Reno", "the new building"]
LASTN = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
         "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
         "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
         "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams",
         "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Kowalski"]
FIRSTN = ["Linda", "Pam", "Mike", "Karen", "Dave", "Jen", "Tom", "Maria", "Steve", "Lisa", "Rob", "Angela",
          "Chris", "Denise", "Jose", "Tina", "Mark", "Becky", "Kevin", "Sheila"]
NAME_A = ["Lakeside", "Summit", "Riverside", "Oak Park", "Pinecrest", "Harbor", "Maple", "Eastgate", "Westview",
          "Sunrise", "Cedar", "Bayview", "Northside", "Valley", "Heritage", "Liberty", "Parkway", "Granite"]
NAME_B = {0: ["Partners LLC", "Insurance Group", "Law Offices", "Realty", "Accounting", "Capital"],
          1: ["Elementary", "Middle School", "ISD", "Charter Academy", "High School"],
          2: ["Dental Group", "Family Medicine", "Pediatrics", "Urgent Care", "Vet Clinic", "Dermatology"],
          3: ["Diner", "Grill", "Pizza", "Taqueria", "Bistro", "BBQ", "Cafe"],
          4: ["Property Mgmt", "Apartments", "Office Park", "HOA", "Commons"]}

T_GENERAL = ["Order status PO {po}", "where is my order", "ETA on PO# {po}", "Invoice {inv}", "copy of invoice {inv}",
             "statement request", "W-9 request", "Tax exempt certificate", "update credit card on file",
             "add {p} to standing order", "reorder same as last month", "Quote request - {p}", "sample request {p}",
             "need SDS for {p}", "portal login not working", "online ordering question", "Question about my bill",
             "credit memo for {inv}?", "set up new user on portal", "Backorder on {p}?", "PO {po}",
             "Order - PO {po}", "pls add {p} to next delivery", "can you send a catalog", "New order attached",
             "change delivery day to Tues", "need {p} asap", "price list request", "Payment sent - inv {inv}"]
T_QUALITY = ["{p} tearing", "{P} keep ripping in the dispenser", "Complaint - {p} quality",
             "{p} way thinner than before", "bad batch of {p}??", "{p} leaking in the box", "Defective {p} - PO {po}",
             "dispenser jammed again", "towel dispensers not working w/ the new {p}", "coffee tastes burnt",
             "liners splitting when full", "soap gave staff a rash", "floor finish streaking after 2 coats",
             "damaged cases of {p}", "quality issue w/ last shipment", "Return request {p} - poor quality",
             "3rd time w/ bad {p}", "{p} not the brand we ordered", "cheap {p}, staff complaining",
             "RMA request - {p}", "{p} smell weird", "wrong {p} AGAIN", "quality of {p} has gone downhill"]
T_PRICE = ["pricing on {p}", "Price increase on {p}??", "why did {p} go up again", "Quote from {c} - can you match?",
           "{c} has {p} for ${x} a case", "need better pricing on {p}", "pricing review", "contract pricing renewal",
           "found {p} cheaper at {c}", "any promos on {p}?", "discount for bulk order?", "price match request PO {po}",
           "budget cuts - reviewing vendors", "can we get the promo price again", "{c} quote attached",
           "your prices vs {c}", "is there a volume discount", "invoice {inv} pricing is wrong - higher than quote"]
T_MOVE = ["new ship-to address", "We're moving!! new address eff {d}", "relocating to {city}",
          "Change of address - {a}", "closing this location {d}", "office closing end of month",
          "practice closing - cancel standing order", "moving to new building, hold deliveries",
          "updated delivery address", "final order before the move", "closing - please close our account",
          "owner retiring, closing {d}", "address change for billing and shipping", "relocation - PO {po}"]
T_NOREPLY = ["still waiting on a call back", "2nd request - quote for {p}", "3RD REQUEST - quote for {p}",
             "following up on my email", "no one has gotten back to me", "is anyone there??",
             "who is our rep now?", "haven't heard back re PO {po}", "left 2 voicemails", "any update???",
             "Hello??", "no response on ticket", "still need an answer on {p}", "Following up AGAIN"]
T_PERSONAL = ["new office manager - pls update contact", "new purchasing contact", "{n} no longer with us",
              "account transfer question", "please cancel autoship", "pls remove standing order",
              "ordering through a family friend's company now", "new owner - updating vendors", "contact change"]
T_DELIVERY = ["Missing item on SO {so}", "short shipped {p}", "delivery late again", "driver left boxes outside",
              "wrong item delivered PO {po}", "delivery window - before 2pm please", "boxes crushed - {p}",
              "no delivery today?", "Late delivery PO {po}", "missing 2 cs {p}"]
T_OUT = ["Check-in call", "Checking in - {a}", "Left VM - quarterly check in", "How did the {p} work out?",
         "Spring cleaning promo", "Flu season disinfectant special", "New catalog", "Breakroom program overview",
         "QBR - {a}", "Annual account review", "Sample drop-off {p}", "Site visit - restroom audit",
         "Touch base re: standing order", "Coffee program tasting", "Sent {p} pricing", "Back to school supply list"]
T_FOLLOW = ["Post-delivery follow up SO {so}", "follow up on order {so}", "Delivery follow-up call",
            "Checking on last delivery", "how was the {p}?"]
T_INTRO = ["Intro - your new account manager", "New rep introduction", "Account reassignment - intro call"]
T_WINBACK = ["We miss you! {a}", "Haven't seen an order in a while", "Win-back offer - {a}"]
T_PRICEUP = ["2024 price update notice", "2025 price update notice", "Annual price adjustment letter"]
TOPIC_SETS = {0: T_GENERAL, 1: T_QUALITY, 2: T_PRICE, 3: T_MOVE, 4: T_NOREPLY, 5: T_PERSONAL, 6: T_DELIVERY,
              10: T_OUT, 11: T_FOLLOW, 12: T_INTRO, 13: T_WINBACK, 14: T_PRICEUP}
CAT_TOPIC = {"quality": 1, "service": 4, "price": 2, "delivery": 6, "other": 0}


def typo(s, r):
    if len(s) < 6:
        return s
    i = r.randrange(1, len(s) - 2)
    k = r.random()
    if k < 0.45:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if k < 0.8:
        return s[:i] + s[i + 1:]
    return s[:i] + s[i] + s[i:]


def make_topics(codes, inbound, names, r):
    """Ticket subjects as people type them: prefixes, case numbers, typos, caps."""
    out = []
    for code, inb, acct in zip(codes.tolist(), inbound.tolist(), names):
        s = r.choice(TOPIC_SETS[code])
        if "{" in s:
            p = r.choice(PRODUCTS)
            s = s.format(p=p, P=p.capitalize(), po=r.choice(["", "", "45", "PO-", "7"]) + str(r.randrange(10000, 999999)),
                         inv="INV" + str(r.randrange(100000, 999999)), so="SO" + str(r.randrange(1000000, 1999999)),
                         c=r.choice(COMPETITORS), x=r.randrange(19, 89), city=r.choice(CITIES), a=acct,
                         n=r.choice(FIRSTN), d="%d/%d" % (r.randrange(1, 13), r.randrange(1, 29)))
        u = r.random()
        if inb:
            if u < 0.07:
                s = s.upper()
            elif u < 0.13:
                s = s.lower()
            if r.random() < 0.09:
                s = typo(s, r)
            if r.random() < 0.08:
                s += r.choice(["!!", "??", " ASAP", " - urgent", " pls", " thx", "!"])
        u = r.random()
        if u < 0.17:
            s = "Re: " + s
        elif u < 0.23:
            s = "RE: " + s
        elif u < 0.27:
            s = "FW: " + s
        elif u < 0.29:
            s = "Fwd: " + s
        elif u < 0.31:
            s = "RE: RE: " + s
        if inb and r.random() < 0.22:
            s += r.choice([" [Case #%08d]" % r.randrange(100000, 2000000), " - Ticket %d" % r.randrange(200000, 999999),
                           " [ ref:_00D5f%04d._500%06d:ref ]" % (r.randrange(9999), r.randrange(999999))])
        out.append(s)
    return out


def dst_bounds():
    """US DST local start/end (second Sunday of March, first Sunday of November, 02:00) per year."""
    st, en = [], []
    for y in range(2010, 2027):
        m = np.datetime64("%d-03-01" % y)
        n = np.datetime64("%d-11-01" % y)
        wm = (m.astype("int64") + 3) % 7     # 1970-01-01 was a Thursday -> Monday=0 numbering
        wn = (n.astype("int64") + 3) % 7
        st.append((m + ((6 - wm) % 7) + 7).astype("datetime64[s]") + np.timedelta64(7200, "s"))
        en.append((n + ((6 - wn) % 7)).astype("datetime64[s]") + np.timedelta64(7200, "s"))
    return np.array(st), np.array(en)


DST_ST, DST_EN = dst_bounds()
OFFS = {o: "%+03d:00" % o for o in range(-9, -3)}


def fmt_ts(day, sec, reg):
    """day: int days from EPOCH, sec: seconds of local day, reg: region index -> ISO with offset."""
    t = (EPOCH + day.astype("timedelta64[D]")).astype("datetime64[s]") + sec.astype("int64").astype("timedelta64[s]")
    yi = t.astype("datetime64[Y]").astype(int) + 1970 - 2010
    std = np.array([r[1] for r in REGIONS])[reg]
    obs = np.array([r[2] for r in REGIONS])[reg]
    dst = obs & (t >= DST_ST[yi]) & (t < DST_EN[yi])
    off = std + dst.astype(int)
    s = np.datetime_as_string(t, unit="s").astype(object)
    offs = np.array([OFFS.get(o, "+00:00") for o in range(-9, -3)], dtype=object)[off + 9]
    return s + offs


def biz_seconds(rng, n, evening=0.0):
    h = rng.normal(11.5, 2.3, n).clip(7, 16.9)
    if evening:
        h = np.where(rng.random(n) < evening, rng.uniform(17, 22.9, n), h)
    return (h * 3600).astype(np.int64)


def to_weekday(rng, day, lo, prob=0.9):
    wd = (day + 6) % 7                 # 2023-01-01 was a Sunday
    back = np.where((wd >= 5) & (rng.random(len(day)) < prob), wd - 4, 0)
    return np.maximum(day - back, lo)


def events(rng, rate, lo, hi):
    """Homogeneous Poisson candidates per customer on [lo, hi) (float days)."""
    span = np.maximum(hi - lo, 0)
    n = rng.poisson(rate * span)
    idx = np.repeat(np.arange(len(rate)), n)
    return idx, lo[idx] + rng.random(len(idx)) * span[idx]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--customers", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t0 = time.time()
    rng = np.random.default_rng(a.seed)
    pr = random.Random(a.seed)
    N = a.customers
    os.makedirs(a.out, exist_ok=True)

    # ---------------- customers ----------------
    seg = rng.choice(len(SEGMENTS), N, p=SEG_W)
    reg0 = rng.choice(len(REGIONS), N, p=REGION_W)
    old = rng.random(N) < 0.58
    signup = np.where(old, -rng.integers(1, 365 * 11, N), rng.integers(0, 1060, N))
    start = np.maximum(signup, 0).astype(float)
    att = np.exp(rng.normal(0, 0.55, N))                  # rep attentiveness
    grump = np.exp(rng.normal(0, 0.7, N))                 # propensity to complain
    disc_aff = rng.beta(1.2, 9, N)                        # share of orders with a promo
    sat = rng.normal(7.6, 1.4, N)
    size = np.exp(rng.normal(0, 0.75, N))
    gap = np.array([s[1] for s in SEGMENTS])[seg] * np.exp(rng.normal(0, 0.4, N))
    gap = np.maximum(gap, 5)
    med = np.array([s[2] for s in SEGMENTS])[seg] * size

    # established accounts leave evenly over the history; new ones mostly in their first year or two
    lat = np.where(old, 20 + rng.random(N) * (LAST_CHURN_DAY - 19), start + 30 + rng.exponential(450, N))
    churn = (lat <= LAST_CHURN_DAY) & (rng.random(N) < np.where(old, 0.29, 0.5))
    reason = np.full(N, NONE)
    reason[churn] = rng.choice(5, churn.sum(), p=SHARES)
    ct = np.full(N, np.inf)
    ct[churn] = np.floor(lat[churn])
    end = np.minimum(ct - 1, LAST_EVENT_DAY + 1.0)        # events on days < end (UTC-safe)
    # trait = reason for churners; ~25% of stayers get a temporary episode of some kind
    trait = reason.copy()
    stay = ~churn
    epi = stay & (rng.random(N) < 0.26)
    trait[epi] = rng.choice(5, epi.sum(), p=[0.38, 0.25, 0.2, 0.05, 0.12])
    L = np.where(trait == MOV, rng.uniform(20, 70, N), np.where(trait == PER, rng.uniform(25, 90, N),
                                                                  rng.uniform(90, 300, N)))
    center = np.where(epi, start + rng.random(N) * (LAST_EVENT_DAY - start), np.inf)
    peak = rng.uniform(0.4, 0.9, N)
    att[reason == IND] *= 0.6
    sat[reason == QUA] -= 0.8
    disc_aff[reason == COM] += 0.08

    def phase(idx, t):
        p = np.clip(1 - (ct[idx] - t) / L[idx], 0, 1)
        pe = np.where(np.abs(t - center[idx]) < L[idx] / 2, peak[idx], 0.0)
        return np.where(churn[idx], p, pe)

    def tmask(idx, k):
        return (trait[idx] == k).astype(float)

    # moves: churners who moved (75%) and stayer movers change delivery region near the event
    move_day = np.full(N, np.inf)
    mv = (reason == MOV) & (rng.random(N) < 0.75)
    move_day[mv] = np.maximum(ct[mv] - rng.uniform(5, 75, mv.sum()), start[mv])
    smv = epi & (trait == MOV) & (rng.random(N) < 0.8)
    move_day[smv] = center[smv]
    reg1 = reg0.copy()
    moved = np.isfinite(move_day)
    reg1[moved] = (reg0[moved] + rng.integers(1, len(REGIONS), moved.sum())) % len(REGIONS)

    house = rng.random(N) < np.where(reason == IND, 0.24, 0.06)
    reps = sorted({(f[0] + l).lower() for f, l in zip(np.array(FIRSTN)[rng.integers(0, 20, 120)],
                                                      np.array(LASTN)[rng.integers(0, 50, 120)])})[:70]
    manager = np.array(reps, dtype=object)[rng.integers(0, len(reps), N)]
    manager[house] = "house"
    loyalty = rng.random(N) < np.where(reason == COM, 0.12, 0.3)
    acct_names = [pr.choice(NAME_A) + " " + pr.choice(NAME_B[s]) for s in seg]
    cid = np.array(["A%06d" % (100001 + i) for i in range(N)], dtype=object)

    # referrals: ~14% referred by an older account; personal_ties churners mostly by one that left before
    referred = np.full(N, -1)
    order_s = np.argsort(signup, kind="stable")
    rank = np.empty(N, int)
    rank[order_s] = np.arange(N)
    ref_mask = (rng.random(N) < 0.14) & (rank > 10)
    referred[ref_mask] = order_s[(rng.random(ref_mask.sum()) * rank[ref_mask]).astype(int)]
    ch_idx = np.where(churn)[0]
    ch_sorted = ch_idx[np.argsort(ct[ch_idx])]
    ct_sorted = ct[ch_sorted]
    for i in np.where((reason == PER) & (rng.random(N) < 0.45))[0]:
        a0, b0 = np.searchsorted(ct_sorted, [ct[i] - 240, ct[i] - 10])
        cand = ch_sorted[a0:b0]
        cand = cand[(signup[cand] < signup[i]) & (cand != i)]
        if len(cand):
            referred[i] = rng.choice(cand)

    # ---------------- orders ----------------
    idx, t = events(rng, 1.25 / gap, start, end)
    day = np.floor(t).astype(np.int64)
    p = phase(idx, day + 0.5)
    doy = (day % 365)
    sg = seg[idx]
    season = np.ones(len(idx))
    season[(sg == 1) & (doy > 170) & (doy < 222)] = 0.25          # schools: summer break
    season[(sg == 1) & (doy > 354)] = 0.5
    season[(sg == 3) & (doy < 50)] = 0.8                           # restaurants: slow Jan-Feb
    season[(sg == 0) & (doy > 355)] = 0.6
    decline = np.array([0.75, 0.55, 0.5, 0.35, 0.25, 0.0])[trait[idx]]
    acc = 0.8 * season * (1 - decline * p)
    keep = rng.random(len(idx)) < acc
    idx, day, p = idx[keep], day[keep], p[keep]
    # every customer's first order on their start day
    idx = np.concatenate([np.arange(N), idx])
    day = np.concatenate([np.floor(start).astype(np.int64), day])
    p = np.concatenate([np.zeros(N), p])
    day = to_weekday(rng, day, np.floor(start).astype(np.int64)[idx])
    o = np.lexsort((day, idx))
    idx, day, p = idx[o], day[o], p[o]
    tr = trait[idx]
    basket = 1 - np.where(tr == COM, 0.45, 0.12) * p
    amount = np.round(med[idx] * np.exp(rng.normal(0, 0.4, len(idx))) * basket, 2)
    pdisc = disc_aff[idx] + 0.5 * p * (tr == COM)
    has_disc = rng.random(len(idx)) < pdisc
    disc = np.where(has_disc, np.round(amount * rng.uniform(0.04, 0.2, len(idx)), 2), 0.0)
    oreg = np.where(day >= move_day[idx], reg1[idx], reg0[idx])
    osec = biz_seconds(rng, len(idx), 0.05)
    n_o = len(idx)
    # returns (credit memos)
    pret = 0.012 * np.sqrt(grump[idx]) + 0.10 * p * (tr == QUA) + 0.015 * p * (tr == COM)
    r_m = rng.random(n_o) < pret
    r_day = day[r_m] + rng.integers(2, 26, r_m.sum())
    r_ok = (r_day < end[idx[r_m]]) & (r_day <= LAST_EVENT_DAY)
    ri = np.where(r_m)[0][r_ok]
    r_day = r_day[r_ok]
    r_amt = -np.round(amount[ri] * rng.uniform(0.1, 1.0, len(ri)), 2)
    orders = pd.DataFrame({
        "order_id": np.concatenate([np.char.add("SO", (1000001 + np.arange(n_o)).astype(str)),
                                    np.char.add("RMA-", (50001 + np.arange(len(ri))).astype(str))]),
        "customer_id": cid[np.concatenate([idx, idx[ri]])],
        "ordered_at": np.concatenate([fmt_ts(day, osec, oreg), fmt_ts(r_day, biz_seconds(rng, len(ri)), oreg[ri])]),
        "amount": np.concatenate([amount, r_amt]),
        "discount_amount": np.concatenate([disc, np.zeros(len(ri))]),
        "returned": np.concatenate([np.zeros(n_o, bool), np.ones(len(ri), bool)]),
        "region": np.array([r[0] for r in REGIONS], dtype=object)[np.concatenate([oreg, oreg[ri]])],
    })
    orders["returned"] = orders["returned"].map({True: "true", False: "false"})
    last_day = np.full(N, -1)
    np.maximum.at(last_day, idx, day)
    t1 = time.time()

    # ---------------- complaints ----------------
    rmax = 1 / 900 * grump + np.select([trait == QUA, trait == COM, trait == IND, trait == MOV],
                                       [1 / 40, 1 / 90, 1 / 220, 1 / 250], 0)
    cidx, ctime = events(rng, rmax, start, end)
    cp = phase(cidx, ctime)
    ctr = trait[cidx]
    comp = np.stack([1 / 900 * grump[cidx] * np.ones(len(cidx)),
                     1 / 40 * cp * (ctr == QUA), 1 / 90 * cp * (ctr == COM),
                     1 / 220 * cp * (ctr == IND), 1 / 250 * cp * (ctr == MOV)], axis=1)
    tot = comp.sum(1)
    kc = rng.random(len(cidx)) < tot / rmax[cidx]
    cidx, ctime, cp, ctr, comp, tot = cidx[kc], ctime[kc], cp[kc], ctr[kc], comp[kc], tot[kc]
    src = (rng.random(len(cidx))[:, None] * tot[:, None] > np.cumsum(comp, 1)).sum(1)
    cats = np.array(["quality", "service", "delivery", "price", "other"], dtype=object)
    base_cat = cats[rng.choice(5, len(cidx), p=[0.3, 0.25, 0.3, 0.1, 0.05])]
    qcat = np.where(rng.random(len(cidx)) < 0.7, "quality", np.where(rng.random(len(cidx)) < 0.7, "service", "delivery"))
    category = np.select([src == 0, src == 1, src == 2, src == 3, src == 4],
                         [base_cat, qcat, "price", np.where(rng.random(len(cidx)) < 0.8, "service", "other"),
                          "delivery"]).astype(object)
    cday = np.floor(ctime).astype(np.int64)
    csec = biz_seconds(rng, len(cidx), 0.1)
    unres = 0.05 + 0.35 * cp * (ctr == QUA) + 0.15 * cp * (ctr == IND)
    res_h = np.exp(rng.normal(np.log(30), 1.1, len(cidx))) * (1 + 3 * cp * (ctr == IND)) / np.sqrt(att[cidx])
    rsec = cday * 86400 + csec + res_h * 3600
    resolved = (rng.random(len(cidx)) >= unres) & (rsec < LAST_EVENT_DAY * 86400 + 12 * 3600)
    creg = np.where(cday >= move_day[cidx], reg1[cidx], reg0[cidx])
    rday = (rsec // 86400).astype(np.int64)
    res_str = fmt_ts(rday, (rsec - rday * 86400), creg)
    res_str[~resolved] = ""
    ccode = np.array([CAT_TOPIC[c] for c in category])
    complaints = pd.DataFrame({
        "case_number": ["%08d" % (1000000 + i) for i in range(len(cidx))],
        "customer_id": cid[cidx], "opened_at": fmt_ts(cday, csec, creg), "category": category,
        "resolved_at": res_str, "status": np.where(resolved, "Closed", "Open"),
        "subject": make_topics(ccode, np.ones(len(cidx), bool), [acct_names[i] for i in cidx], pr)})

    # ---------------- contacts ----------------
    # outbound rep touches (neglect during indifference onset)
    oi, ot = events(rng, att / 70, start, end)
    op = phase(oi, ot)
    ko = rng.random(len(oi)) < 1 - 0.92 * op * (trait[oi] == IND)
    oi, ot = oi[ko], ot[ko]
    ocode = np.where(rng.random(len(oi)) < 0.04, 14, 10)
    # post-delivery follow-ups after some orders
    fp = 0.07 * np.minimum(att[idx], 2.5) * (1 - 0.95 * p * (tr == IND)) * np.where(day - start[idx] < 90, 3, 1)
    fm = rng.random(n_o) < fp
    fi, ft = idx[fm], day[fm] + rng.integers(2, 9, fm.sum()) + 0.5
    # rep intro after reassignment (some accounts), win-back after churn
    ii = np.where((rng.random(N) < 0.15) & ~house)[0]
    it = start[ii] + rng.random(len(ii)) * (end[ii] - start[ii])
    wi = np.where(churn & (rng.random(N) < 0.3 * np.minimum(att, 1.5)))[0]
    wt = ct[wi] + rng.uniform(60, 150, len(wi))
    out_i = np.concatenate([oi, fi, ii, wi])
    out_t = np.concatenate([ot, ft, it, wt])
    out_c = np.concatenate([ocode, np.full(len(fi), 11), np.full(len(ii), 12), np.full(len(wi), 13)])
    ok = out_t < LAST_EVENT_DAY + 0.99
    out_i, out_t, out_c = out_i[ok], out_t[ok], out_c[ok]
    out_ch = np.where(out_c == 14, "email", rng.choice(["call", "email", "meeting", "sms"], len(out_i),
                                                        p=[0.5, 0.33, 0.12, 0.05])).astype(object)
    # inbound tickets
    ii2, it2 = events(rng, np.full(N, 1 / 90) * np.sqrt(grump), start, end)
    ip = phase(ii2, it2)
    itr = trait[ii2]
    u = rng.random(len(ii2))
    w = np.stack([np.full(len(ii2), 1.0), 0.6 * ip * (itr == QUA) + 0.02, 0.5 * ip * (itr == COM) + 0.03,
                  1.2 * ip * (itr == MOV) + 0.004, 0.5 * ip * (itr == IND) + 0.03,
                  0.25 * ip * (itr == PER) + 0.006, np.full(len(ii2), 0.07)], axis=1)
    icode = (u[:, None] * w.sum(1)[:, None] > np.cumsum(w, 1)).sum(1)
    # tickets raised alongside ~70% of complaints
    cm = rng.random(len(cidx)) < 0.7
    in_i = np.concatenate([ii2, cidx[cm]])
    in_t = np.concatenate([it2, ctime[cm]])
    in_c = np.concatenate([icode, ccode[cm]])
    # moved churners: a relocation/closure ticket near the end for ~60%
    mr = np.where((reason == MOV) & (rng.random(N) < 0.6))[0]
    in_i = np.concatenate([in_i, mr])
    in_t = np.concatenate([in_t, np.maximum(np.minimum(move_day[mr], ct[mr]) - rng.uniform(1, 30, len(mr)), start[mr])])
    in_c = np.concatenate([in_c, np.full(len(mr), 3)])
    ip = phase(in_i, in_t)
    pind = ip * (trait[in_i] == IND)
    n_in = len(in_i)
    answered = rng.random(n_in) >= 0.03 + 0.35 * pind
    resp = np.round(np.exp(rng.normal(np.log(3.5), 1.0, n_in)) / att[in_i] * (1 + 8 * pind), 1)
    in_ch = rng.choice(["email", "call", "web", "chat"], n_in, p=[0.48, 0.3, 0.16, 0.06]).astype(object)
    resp[in_ch == "call"] = np.where(rng.random((in_ch == "call").sum()) < 0.7, 0.0, resp[in_ch == "call"])
    all_i = np.concatenate([out_i, in_i])
    all_d = np.floor(np.concatenate([out_t, in_t])).astype(np.int64)
    inbound = np.concatenate([np.zeros(len(out_i), bool), np.ones(n_in, bool)])
    all_d = np.where(inbound, all_d, to_weekday(rng, all_d, np.zeros(len(all_d), np.int64), 0.97))
    all_s = np.where(inbound, biz_seconds(rng, len(all_i), 0.12), biz_seconds(rng, len(all_i)))
    areg = np.where(all_d >= move_day[all_i], reg1[all_i], reg0[all_i])
    codes = np.concatenate([out_c, in_c])
    contacts = pd.DataFrame({
        "customer_id": cid[all_i], "contacted_at": fmt_ts(all_d, all_s, areg),
        "direction": np.where(inbound, "inbound", "outbound"),
        "channel": np.concatenate([out_ch, in_ch]),
        "topic": make_topics(codes, inbound, [acct_names[i] for i in all_i], pr),
        "answered": np.concatenate([np.full(len(out_i), ""), np.where(answered, "true", "false")]).astype(object),
        "response_hours": np.concatenate([np.full(len(out_i), np.nan), np.where(answered, resp, np.nan)]),
        "owner": manager[all_i]})
    contacts["_k"] = all_d * 86400 + all_s
    contacts = contacts.iloc[np.lexsort((contacts["_k"].to_numpy(), all_i))].drop(columns="_k")

    # ---------------- surveys ----------------
    s_i, s_d, s_sc = [], [], []
    for y in (0, 365, 731):
        for wave in (45, 136, 228, 319):
            wd = y + wave
            act = np.where((start <= wd) & (end > wd + 14) & (rng.random(N) < 0.11 * np.minimum(att, 2)))[0]
            d = wd + np.minimum(rng.exponential(4, len(act)), 20).astype(int)
            pp = phase(act, d.astype(float))
            trs = trait[act]
            sc = sat[act] - pp * np.select([trs == QUA, trs == IND, trs == COM], [4.0, 1.8, 1.3], 0.3) \
                + rng.normal(0, 1.3, len(act))
            s_i.append(act), s_d.append(d), s_sc.append(np.clip(np.round(sc), 0, 10))
    s_i, s_d, s_sc = np.concatenate(s_i), np.concatenate(s_d), np.concatenate(s_sc)
    s_kind = np.full(len(s_i), "pulse", dtype=object)
    s_reason = np.full(len(s_i), "", dtype=object)
    # exit surveys: ~30% of churners, weeks after the account goes quiet, often not the true reason
    ex = np.where(churn & (rng.random(N) < np.where(reason == MOV, 0.22, 0.3)))[0]
    ed = (np.maximum(last_day[ex], 0) + rng.uniform(42, 112, len(ex))).astype(np.int64)
    ex, ed = ex[ed <= LAST_EVENT_DAY], ed[ed <= LAST_EVENT_DAY]
    truthful = rng.random(len(ex)) < np.where(reason[ex] == MOV, 0.85, 0.58)
    alt = rng.choice(5, len(ex), p=[0.3, 0.15, 0.4, 0.05, 0.1])
    er = np.where(truthful, reason[ex], alt)
    esc = np.clip(np.round(sat[ex] - 3 + rng.normal(0, 1.8, len(ex)) + 2 * (er == MOV)), 0, 10)
    s_i = np.concatenate([s_i, ex])
    s_d = np.concatenate([s_d, ed])
    s_sc = np.concatenate([s_sc, esc])
    s_kind = np.concatenate([s_kind, np.full(len(ex), "exit", dtype=object)])
    s_reason = np.concatenate([s_reason, np.array(REASONS, dtype=object)[er]])
    sreg = np.where(s_d >= move_day[s_i], reg1[s_i], reg0[s_i])
    surveys = pd.DataFrame({"customer_id": cid[s_i],
                            "answered_at": fmt_ts(s_d, biz_seconds(rng, len(s_i), 0.25), sreg),
                            "kind": s_kind, "score": s_sc.astype(int), "reason": s_reason,
                            "survey_name": np.where(s_kind == "exit", "Account Closure Survey", "Quarterly NPS")})

    # ---------------- write ----------------
    su = (EPOCH + signup.astype("timedelta64[D]")).astype(str)
    refs = np.where(referred >= 0, cid[np.maximum(referred, 0)], "").astype(object)
    customers = pd.DataFrame({
        "customer_id": cid, "account_name": acct_names, "signed_up_at": su,
        "segment": np.array([s[0] for s in SEGMENTS], dtype=object)[seg],
        "region": np.array([r[0] for r in REGIONS], dtype=object)[reg1],
        "loyalty_member": np.where(loyalty, "true", "false"), "referred_by": refs, "manager_id": manager})
    customers.to_csv(os.path.join(a.out, "customers.csv"), index=False)
    orders.to_csv(os.path.join(a.out, "orders.csv"), index=False)
    contacts.to_csv(os.path.join(a.out, "contacts.csv"), index=False)
    complaints.to_csv(os.path.join(a.out, "complaints.csv"), index=False)
    surveys.to_csv(os.path.join(a.out, "surveys.csv"), index=False)
    ch = np.where(churn)[0]
    truth = pd.DataFrame({"customer_id": cid[ch],
                          "churned_at": (EPOCH + ct[ch].astype(np.int64).astype("timedelta64[D]")).astype(str),
                          "true_reason": np.array(REASONS, dtype=object)[reason[ch]]})
    truth.to_csv(os.path.join(a.out, "truth.csv"), index=False)
    print("customers %d  orders %d  contacts %d  complaints %d  surveys %d  churners %d (%.1f%%)  "
          "orders %.1fs  total %.1fs" % (N, len(orders), len(contacts), len(complaints), len(surveys),
                                        len(truth), 100 * len(truth) / N, t1 - t0, time.time() - t0))


if __name__ == "__main__":
    main()
