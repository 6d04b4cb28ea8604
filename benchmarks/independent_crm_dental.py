#!/usr/bin/env python
"""Synthetic CRM of "Bayou & Plains Dental Supply", a regional dental supplies distributor.

Business
--------
A distributor serving dental practices in Texas, Oklahoma, Louisiana and Arkansas: consumables
(gloves, masks, impression material, composites, anesthetic, burs, sterilization pouches), small
equipment and handpieces, plus a handpiece repair desk and equipment service. Customers are solo
GPs, group practices, DSO-affiliated offices, orthodontists, oral surgeons, pediatric offices and
community clinics. They order online, by phone and through their territory rep; territory reps
(account managers, `manager_id`) visit and call, inside sales sends promos, customer service and
the repair desk answer inbound calls, emails and chats. History: 2023-01-01 .. 2025-12-31, all
timestamps in Central time with their CST/CDT offset. Stored as CSV: customers, orders, contacts,
complaints, surveys (+ truth.csv, the ground truth, not part of the CRM).

Life of an account
------------------
Existing accounts (signed up 2009-2022) and a steady flow of new ones. Orders follow a fairly
regular reorder rhythm (gamma renewal) set by segment and practice size, thinned by seasonality
(slow July / late December, storms: the Jan-2024 freeze, Hurricane Beryl in Houston), slow growth
or decline, and for some stayers a temporary lull (remodel, maternity leave, dentist out).
A churner has a churn day (constant hazard, higher in the first year, so churn flows steadily) and
a true reason drawn in the survey shares (67/15/9/5/4). Before the churn day there is a lead
period in which purchase activity fades (a symptom, common to all reasons) and the reason leaves
its own traces, noisily, and not for every churner; after it there are no orders at all.

How each reason shows (and how it is muddied)
---------------------------------------------
indifference    Mostly accounts of less diligent reps. For ~80% the rep goes quiet in the lead
                period (outbound visits/calls thin out, post-order follow-up calls vanish),
                inbound requests are answered late or not at all, some write "still waiting on a
                callback"; ~45% had their rep replaced (often without an intro call). Noise: a
                territory-wide slow repair desk in early 2025, lazy reps' stayers, rep turnover
                among stayers, automated promo e-mails that keep "contact" alive.
product_quality Quality/service complaints (often left open or slow to resolve), returns (credit
                memo rows with negative amount), inbound "defective / still broken after repair"
                messages, low pulse scores. Noise: a bad glove lot in May-June 2024 hits many
                stayers; everyone has a base rate of complaints and returns.
competitor      Price complaints, "Schein quoted 12% less" messages, orders only with a discount
                (price matching), shrinking basket as volume moves to the competitor, fewer
                rewards-program members. Noise: discount hunters among stayers, the 2025 glove
                tariff price hikes that make many stayers complain about prices.
personal_ties   Weak: for ~60% the practice that referred them left shortly before; rarely a rep
                note ("OM's sister works for Benco"). Noise: referrers of stayers leave too.
moved_or_died   Relocation (last orders ship to a new, often out-of-territory region, address
                change request, current region updated in ~70% of records), retirement / sale of
                the practice, or death of the dentist (abrupt stop, a note sometimes only after).
                Noise: stayers move within the territory; group practices ship to two regions.
Exit survey (kind "exit") answered by some churners after they left; the stated reason is the
true one only ~60% of the time (people prefer to say "price"). Pulse surveys quarterly.

Usage: python independent_crm_dental.py --out DIR --customers N --seed S
"""
import argparse
import os
import time

import numpy as np
import pandas as pd

EPOCH = np.datetime64("2023-01-01T00:00:00")
D0 = np.datetime64("2023-01-01")
END = 1095.0                       # 2026-01-01 00:00 local (exclusive)
REASONS = np.array(["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"])
SHARES = [0.67, 0.15, 0.09, 0.05, 0.04]
IND, QUA, COM, TIE, MOV = range(5)

SEGS = ["Solo GP", "Group Practice", "DSO-affiliated", "Orthodontics", "Oral Surgery",
        "Pediatric", "Community Clinic"]
SEG_P = [0.47, 0.17, 0.08, 0.09, 0.06, 0.08, 0.05]
SEG_GAP = np.array([30.0, 13.0, 10.0, 28.0, 19.0, 25.0, 16.0])       # days between orders
SEG_BASKET = np.array([420.0, 1150.0, 1500.0, 560.0, 980.0, 470.0, 760.0])
SEG_H = np.array([1.15, 0.85, 0.7, 0.95, 0.9, 1.0, 0.75])            # churn hazard multiplier
REGIONS = ["TX - Dallas/Fort Worth", "TX - Houston", "TX - Austin", "TX - San Antonio",
           "TX - Rio Grande Valley", "TX - West Texas", "TX - East Texas", "OK - Oklahoma City",
           "OK - Tulsa", "LA - New Orleans", "LA - Baton Rouge", "LA - Acadiana", "LA - Shreveport",
           "AR - Little Rock", "AR - Northwest Arkansas"]
REG_W = np.array([19, 18, 8, 7, 4, 5, 4, 6, 5, 5, 3, 3, 2, 4, 3], float)
REG_W /= REG_W.sum()
OOT = ["OOT - Colorado", "OOT - Tennessee", "OOT - Florida", "OOT - Arizona", "OOT - Kansas"]
HOUSTON = 1
CITIES = ["Frisco", "McKinney", "Katy", "The Woodlands", "Round Rock", "New Braunfels", "Lubbock",
          "Midland", "Tyler", "McAllen", "Edmond", "Broken Arrow", "Metairie", "Lafayette",
          "Bossier City", "Conway", "Bentonville", "Denver", "Nashville", "Tampa", "Phoenix"]
DOCS = [("Peña", "Pena"), ("Muñoz", "Munoz"), ("González", "Gonzalez"), ("Ibáñez", "Ibanez"),
        ("Chávez", "Chavez"), ("Núñez", "Nunez"), ("Ramírez", "Ramirez"), ("Nguyen", "Nguyen"),
        ("Tran", "Tran"), ("Patel", "Patel"), ("Shah", "Shah"), ("Kim", "Kim"), ("Smith", "Smith"),
        ("Johnson", "Johnson"), ("Williams", "Williams"), ("Davis", "Davis"), ("Miller", "Miller"),
        ("Hernandez", "Hernandez"), ("Garcia", "Garcia"), ("Boudreaux", "Boudreaux"),
        ("Thibodeaux", "Thibodeaux"), ("LeBlanc", "LeBlanc"), ("Hébert", "Hebert"), ("Landry", "Landry"),
        ("Fontenot", "Fontenot"), ("Cho", "Cho"), ("Ahmed", "Ahmed"), ("Okafor", "Okafor"),
        ("Walker", "Walker"), ("Reyes", "Reyes"), ("Nowak", "Nowak"), ("Morales", "Morales")]
PRODUCTS = ["nitrile gloves (M)", "nitrile gloves sz S", "Aurelia gloves", "Level 3 masks", "ear loop masks",
            "Septocaine 1:100k", "lido 2% 1:100k carpules", "Filtek Supreme A2", "Tetric EvoCeram",
            "Impregum Penta", "Aquasil Ultra LV", "Cavicide wipes", "sterilization pouches 3.5x9",
            "steri pouches 5.25x10", "prophy paste", "saliva ejectors", "2x2 gauze", "cotton rolls",
            "fluoride varnish", "bite reg", "Scotchbond Universal", "FG 330 carbide burs",
            "856 diamond burs", "sensor sleeves", "HVE tips", "bib clips", "Gluma", "alginate"]
HANDPIECES = ["KaVo MASTERtorque", "NSK Ti-Max Z95L", "W&H Synea", "Star 430", "Lares 557",
              "Midwest Tradition", "slow speed motor", "high speed HP"]
EQUIP = ["Statim 2000", "Midmark M11", "Valo curing light", "Cavitron", "amalgamator",
         "compressor", "vacuum pump", "ultrasonic cleaner"]
COMPS = ["Henry Schein", "Schein", "Patterson", "Benco", "Darby", "Safco", "Net32", "Amazon",
         "Dental City", "TDSC"]
MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]

T = {  # free-text pools; {o} order {i} invoice {r} RMA {k} case {lot} {pct} {n} {p} {h} {e} {c} {d} {m} {city}
    "checkin": ["Quarterly check-in w/ Dr. {d}", "stopped by office, left samples of {p}",
                "Lunch & learn - {p} - set for {m}", "Called OM re standing order for {p}",
                "LVM for office mgr re {m} specials", "visit: reviewed supply spend w/ Dr. {d}, all good",
                "dropped off new catalog + {m} flyer", "Annual account review - Dr {d}",
                "checked in on {h} repair turnaround, happy", "txt to OM: {p} back in stock",
                "Met Dr. {d} re new op buildout, quoting {e}", "courtesy call, anything needed before end of {m}?",
                "OM out today, will try again next wk", "visit - OM busy, left card",
                "call w/ Dr. {d}: asked about {e} trade-in", "reviewed rewards pts balance w/ front desk",
                "Stopped in, restocked sample drawer ({p})", "phone call: confirmed {m} standing order qty"],
    "followup": ["f/u on order {o}", "Follow-up: order {o} delivered ok?", "post delivery call re {o} - no issues",
                 "Follow up on {e} install", "checked {p} backorder from {o} arrived", "called to confirm rcvd {o}",
                 "f/u {o} - OM says all good", "followup: how is the new {h}?"],
    "promo": ["{m} promo: {pct}% off {p}", "Glove pricing update - {m}", "New! {p} now in stock",
              "Your {m} statement is ready", "Reminder: Rewards points expire {m} 31",
              "Holiday shipping schedule", "FREE shipping on orders over $299 this week",
              "Buy 10 get 1: {p}", "Handpiece repair special - {pct}% off thru {m}"],
    "intro": ["Intro call - new territory rep", "Hi Dr. {d}, I'm your new account manager",
              "Taking over the {city} territory, intro visit", "new rep intro / reviewed acct history",
              "Introduction: your new rep for {city}", "intro visit, OM wants quarterly price review"],
    "winback": ["We miss you! {pct}% off your next order", "haven't seen an order since {m}, everything ok?",
                "win-back: called OM, no answer", "Checking in - special pricing for returning accounts",
                "LVM Dr. {d} re reactivating acct", "reactivation offer sent ({pct}% + free ship)"],
    "ties": ["OM says Dr. {d}'s son-in-law now reps for {c}", "Dr. {d}'s wife's office uses {c}, may consolidate",
             "new OM came from a {c} office, prefers their portal", "Dr. {d} mentioned golf buddy is {c} rep",
             "OM's sister works at {c}", "Dr {d} said his classmate just went to work for {c}"],
    "routine": ["Where is order {o}?", "tracking # for PO {po}", "Order {o} - missing 2 boxes of {p}",
                "backorder on {p}, ETA?", "Invoice {i} question", "need copy of invoice {i}",
                "pls add {p} to our standing order", "do you have {p} in stock?", "SDS sheet for {p}",
                "handpiece repair status {r}", "sending {h} in for repair", "loaner handpiece while {r} is out?",
                "rewards points balance?", "update credit card on file", "need a quote for {e}",
                "Is {p} latex free", "price on {p} case qty", "statement for {m} doesnt match",
                "can't log in to online store", "change our delivery day to Tuesday", "wrong item on {o}",
                "Re: your {m} statement", "question about {o}", "call back re {e} service visit",
                "{e} preventive maintenance - schedule?", "return label for {o}"],
    "quality": ["gloves tearing, lot {lot}", "{h} back from repair STILL making noise {r}",
                "defective {p} - need replacement", "{p} expired on arrival", "composite shade off, want to return",
                "third repair on same {h} ({r})", "{e} keeps throwing error E{n}", "masks - ear loops snapping",
                "box of {p} arrived leaking", "not happy w/ the {p} you subbed in", "{h} turbine died after 2 wks",
                "bad lot of {p}, lot # {lot}", "Re: {r} handpiece still overheating"],
    "price": ["{c} quoted {pct}% less on {p}", "can you match {c} pricing on gloves?", "why did {p} go up AGAIN",
              "found {p} cheaper on {c}", "price increase on inv {i}??", "need better pricing or we switch",
              "{c} rep offering free ship + {pct}% off, can you beat it", "price match request - {p}",
              "our {c} quote attached, pls review"],
    "neglect": ["still waiting on a callback re {o}", "3rd msg - need quote for {e}!!",
                "is our rep still with you? havent heard from anyone", "no one answered my email about {i}",
                "HELLO?? anyone there re order {o}", "nobody called back about the {h}",
                "left 2 voicemails, need help w/ {o}"],
    "move": ["We are relocating to {city}, please update ship-to", "new address for deliveries starting {m}",
             "moving office - hold orders until {m}", "address change for our acct", "new ship-to: {city} office",
             "practice moving out of state, close acct after {m}"],
    "retire": ["Dr. {d} retiring end of {m}", "practice sold - new owners will set up their own acct",
               "closing the office in {m}, final order", "Dr {d} retiring, selling practice", "cancel standing order, office closing"],
    "death": ["Dr. {d} passed away - pls close account", "sad news re Dr. {d}, office closing",
              "cancel standing order, Dr. {d} passed", "Dr {d} passed, final invoice question {i}"],
}
CT = {"quality": ["Defective {p} (lot {lot})", "{h} failed after repair {r}", "{e} malfunction, error E{n}",
                  "gloves tearing - lot {lot}", "wrong shade / bad batch {p}", "{p} expired on arrival"],
      "service": ["repair desk turnaround {r} > 3 wks", "rude on phone re {o}", "wrong item shipped on {o}",
                  "no callback re {e} service", "billing error inv {i}", "tech no-show for {e} PM"],
      "price": ["price increase {p}", "not honoring quoted price on {o}", "{c} is {pct}% cheaper",
                "charged list price on inv {i}", "glove surcharge"],
      "delivery": ["late delivery {o}", "{o} damaged in transit", "backorder {p} > 2 wks",
                   "partial shipment {o}", "delivered to wrong suite", "missed delivery day"],
      "other": ["online store login", "rewards points missing", "credit memo not applied inv {i}",
                "duplicate charge inv {i}"]}
EXIT_TXT = {IND: ["nobody from your company came by in months", "we felt forgotten", "rep never called back",
                  "no one followed up"],
            QUA: ["too many defective products", "repairs kept failing", "quality went downhill"],
            COM: ["better pricing elsewhere", "{c} gave us a better deal", "price"],
            TIE: ["family member works for {c}", "personal reasons", "went with a friend's company"],
            MOV: ["moved", "retired", "practice sold", "closed the office"]}


def dst_table():
    ys = np.arange(1990, 2027)
    st, en = [], []
    for y in ys:
        m = int((np.datetime64(f"{y}-03-01") - D0).astype(int))
        n = int((np.datetime64(f"{y}-11-01") - D0).astype(int))
        st.append(m + (6 - (m + 6) % 7) % 7 + 7 + 2 / 24)   # 2nd Sunday of March, 02:00
        en.append(n + (6 - (n + 6) % 7) % 7 + 1 / 24)       # 1st Sunday of November, 01:00 CST
    return int(ys[0]), np.array(st), np.array(en)


Y0, DST_ST, DST_EN = dst_table()


def day(s):
    return float((np.datetime64(s) - D0).astype(int))


def stamp(t, sep="T"):
    """Local Central day-floats -> ISO 8601 with the CST/CDT offset."""
    t = np.asarray(t, float)
    dt = EPOCH + np.round(t * 86400).astype(np.int64).astype("timedelta64[s]")
    y = dt.astype("datetime64[Y]").astype(int) + 1970 - Y0
    dst = (t >= DST_ST[y]) & (t < DST_EN[y])
    s = np.datetime_as_string(dt, unit="s")
    if sep != "T":
        s = np.char.replace(s, "T", sep)
    return np.char.add(s, np.where(dst, "-05:00", "-06:00"))


def month(t):
    return (D0 + np.floor(t).astype(np.int64).astype("timedelta64[D]")).astype("datetime64[M]").astype(int) % 12


def workday(rng, t, p=0.9):
    wd = (np.floor(t) + 6) % 7          # 0 = Monday .. 6 = Sunday
    mv = (wd >= 5) & (rng.random(t.size) < p)
    return t - np.where(mv, wd - rng.integers(0, 5, t.size), 0)   # to a weekday of the same week


def clock(rng, t, evening=0.0):
    h = rng.triangular(7.0, 9.5, 18.0, t.size)
    if evening:
        e = rng.random(t.size) < evening
        h[e] = rng.uniform(18.0, 22.9, e.sum())
    return np.floor(t) + h / 24


def pois(rng, t0, t1, rate):
    L = np.clip(t1 - t0, 0, None)
    n = rng.poisson(rate * L)
    idx = np.repeat(np.arange(t0.size), n)
    return idx, t0[idx] + rng.random(idx.size) * L[idx]


def renewal(rng, t0, t1, gap, off0, shape=2.5):
    """Gamma renewal process per customer on [t0, t1)."""
    L = np.clip(t1 - t0, 0, None)
    ne = L / gap
    k = np.where(L > 0, np.ceil(ne * 1.15 + 4 * np.sqrt(ne) + 6), 0).astype(np.int64)
    idx = np.repeat(np.arange(t0.size), k)
    g = rng.gamma(shape, 1 / shape, idx.size) * gap[idx]
    cs = np.cumsum(g)
    first = np.cumsum(k) - k
    has = k > 0
    base = np.zeros(t0.size)
    base[has] = cs[first[has]]
    t = t0[idx] + off0[idx] + cs - base[idx]
    keep = t < t1[idx]
    return idx[keep], t[keep]


def typo(s, u, v):
    if len(s) < 8:
        return s
    k = 1 + int(u * (len(s) - 3))
    op = int(v * 3)
    if op == 0:
        return s[:k] + s[k + 1] + s[k] + s[k + 2:]
    return s[:k] + s[k + 1:] if op == 1 else s[:k] + s[k] + s[k:]


def render(rng, pool, n, doc, email, annoyed=0.0):
    """Fill templates of one pool for n rows; doc: doctor index per row; email: bool per row."""
    if n == 0:
        return np.array([], dtype=object)
    tl = T[pool] if isinstance(pool, str) else pool
    ti = rng.integers(0, len(tl), n).tolist()
    R = lambda lo, hi: rng.integers(lo, hi, n).tolist()  # noqa: E731
    o, i, r, k, lot, n2 = R(4100000, 4999999), R(880000, 999999), R(10000, 99999), R(410000, 999999), \
        R(100000, 999999), R(2, 99)
    pct, yy, po = rng.choice([5, 7, 8, 10, 12, 15, 20, 25], n).tolist(), R(23, 26), R(1000, 99999)
    P, H, E, C = (rng.choice(len(a), n).tolist() for a in (PRODUCTS, HANDPIECES, EQUIP, COMPS))
    M, CI = R(0, 12), R(0, len(CITIES))
    acc = (rng.random(n) < 0.45).tolist()
    dl = np.asarray(doc).tolist()
    out = []
    for j in range(n):
        d = DOCS[dl[j]][0 if acc[j] else 1]
        out.append(tl[ti[j]].format(o=f"SO{o[j]}" if o[j] % 3 else f"#{o[j]}", i=f"INV-{i[j]}",
                                    r=f"RMA-{yy[j]}-{r[j]:05d}", k=k[j], po=po[j], lot=f"L{lot[j]}", n=n2[j],
                                    pct=pct[j], p=PRODUCTS[P[j]], h=HANDPIECES[H[j]], e=EQUIP[E[j]],
                                    c=COMPS[C[j]], d=d, m=MONTHS[M[j]], city=CITIES[CI[j]]))
    u = rng.random((6, n))
    em = np.asarray(email, bool) & np.ones(n, bool)
    for j in np.flatnonzero(u[0] < 0.08):
        out[j] = typo(out[j], u[4, j], u[5, j])
    for j in np.flatnonzero(u[1] < 0.02 + annoyed):
        out[j] = out[j].upper()
    for j in np.flatnonzero((u[1] > 0.9)):
        out[j] = out[j].lower()
    for j in np.flatnonzero(em & (u[2] < 0.3)):
        out[j] = ["Re: ", "RE: ", "Re: ", "Fwd: ", "FW: ", "re: "][int(u[3, j] * 6)] + out[j]
    for j in np.flatnonzero(em & (u[2] > 0.93)):
        out[j] = f"[Case #00{k[j]}] " + out[j]
    return np.array(out, dtype=object)


def pick(rng, probs, n):
    return rng.choice(len(probs), n, p=np.asarray(probs) / np.sum(probs))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--customers", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t_start = time.time()
    rng = np.random.default_rng(a.seed)
    N = a.customers
    os.makedirs(a.out, exist_ok=True)
    ar = np.arange(N)

    # ---------------------------------------------------------------- customers
    seg = pick(rng, SEG_P, N)
    size = np.exp(rng.normal(0, 0.35, N))
    old = rng.random(N) < 0.62
    signup = np.where(old, -1 - 14 * 365 * rng.beta(1.2, 2.4, N), rng.uniform(0, END - 20, N))
    signup = clock(rng, workday(rng, signup, 0.95))
    t0 = np.where(old, 0.0, signup + rng.exponential(6, N))
    never = ~old & (rng.random(N) < 0.04)                       # prospects who never ordered
    h = 0.105 * SEG_H[seg] * size ** -0.3 / 365                 # per day
    e1 = rng.exponential(1, N)
    first = 2.2 * h * 365
    c_new = np.where(e1 < first, e1 / (2.2 * h), 365 + (e1 - first) / h) + t0 + 25
    c = np.floor(np.where(old, e1 / h + 3, c_new))
    churn = (c < END - 1) & ~never
    c = np.where(churn, c, np.inf)
    reason = np.where(churn, pick(rng, SHARES, N), -1)
    lead = np.select([reason == IND, reason == QUA, reason == COM, reason == TIE, reason == MOV],
                     [rng.uniform(90, 300, N), rng.uniform(30, 200, N), rng.uniform(60, 240, N),
                      rng.uniform(10, 90, N), rng.uniform(30, 150, N)], 0)
    onset = np.where(churn, c - lead, np.inf)
    mv_kind = np.where(reason == MOV, pick(rng, [0.5, 0.4, 0.1], N), -1)    # relocate / retire-sold / death
    t1 = np.where(never, t0, np.minimum(c, END))                # orders live in [t0, t1)
    u = rng.random((12, N))
    silent = (reason == IND) & (u[0] < 0.8)

    # reps: several per region, with different diligence
    n_rep = max(len(REGIONS), N // 250)
    rep_reg = np.concatenate([np.arange(len(REGIONS)), pick(rng, REG_W, n_rep - len(REGIONS))])
    rep_reg.sort()
    rep_d = np.clip(np.exp(rng.normal(0, 0.35, n_rep)), 0.35, 2.0)
    rep_ids = np.array([f"E{1040 + 7 * j:05d}" for j in range(n_rep)])
    r_start = np.searchsorted(rep_reg, np.arange(len(REGIONS)))
    r_cnt = np.bincount(rep_reg, minlength=len(REGIONS))
    region = pick(rng, REG_W, N)
    ra = r_start[region] + (u[1] * r_cnt[region]).astype(int)
    rb = r_start[region] + (u[2] * r_cnt[region]).astype(int)
    lazy_pref = (reason == IND) & (u[3] < 0.7)
    rep = np.where(lazy_pref & (rep_d[rb] < rep_d[ra]), rb, ra)
    d_rep = rep_d[rep]
    rep_chg = np.where((reason == IND) & (u[4] < 0.45), c - lead * rng.uniform(0.2, 0.9, N),
                       np.where(u[4] < 0.12, rng.uniform(0, END, N), np.inf))
    rep_chg = np.where(rep_chg > np.maximum(t0, 0), rep_chg, np.inf)
    rep_gap = np.where(reason == IND, rng.uniform(60, 200, N), rng.uniform(20, 100, N))
    new_rep = r_start[region] + (rep - r_start[region] + 1 + (u[5] * np.maximum(r_cnt[region] - 1, 1)).astype(int)) % r_cnt[region]
    mgr = np.where(np.isfinite(rep_chg), new_rep, rep)
    loyal = u[6] < np.select([reason == COM, reason == IND], [0.17, 0.33], 0.38)
    doc = rng.integers(0, len(DOCS), N)

    # moves: churners relocating, stayers moving inside the territory, multi-site groups
    reloc = mv_kind == 0
    mover = ~churn & ~never & (u[7] < 0.05)
    move_day = np.full(N, np.inf)
    move_day[reloc] = c[reloc] - rng.uniform(20, 150, reloc.sum())
    move_day[mover] = rng.uniform(np.maximum(t0[mover], 0) + 30, END + 200)
    new_reg = np.where(reloc & (u[8] < 0.6), len(REGIONS) + (u[9] * len(OOT)).astype(int),
                       (region + 1 + (u[9] * (len(REGIONS) - 1)).astype(int)) % len(REGIONS))
    cur_region = np.where((move_day < END) & (u[10] < np.where(reloc, 0.7, 0.85)), new_reg, region)
    second = np.where(np.isin(seg, [1, 2]) & (u[11] < 0.2), (region + 1 + rng.integers(0, 3, N)) % len(REGIONS), -1)
    REG_ALL = np.array(REGIONS + OOT)

    # referrals: referrer signed up earlier; personal_ties churners often follow a referrer who left
    order = np.argsort(signup)
    rank = np.empty(N, int)
    rank[order] = ar
    referred = (rng.random(N) < 0.14) & (rank > 0)
    ref = np.full(N, -1)
    ref[referred] = order[(rng.random(referred.sum()) * rank[referred]).astype(int)]
    ch_idx = np.flatnonzero(churn)
    for i in np.flatnonzero((reason == TIE) & (rng.random(N) < 0.6)):
        cand = ch_idx[(c[ch_idx] < c[i] - 15) & (c[ch_idx] > c[i] - 300) & (signup[ch_idx] < signup[i])]
        if cand.size:
            ref[i] = rng.choice(cand)

    # ---------------------------------------------------------------- orders
    def prog(idx, t):
        o_, c_ = np.where(churn, onset, 0.0)[idx], np.where(churn, c, 1.0)[idx]
        return np.where(churn[idx], np.clip((t - o_) / np.maximum(c_ - o_, 1), 0, 1), 0.0)

    gap = SEG_GAP[seg] / size ** 0.6 * np.exp(rng.normal(0, 0.25, N))
    trend = rng.normal(0, 0.12, N)
    G = np.exp(np.maximum(trend, 0) * 3.1)
    lull = np.where(rng.random(N) < 0.15, rng.uniform(-60, END, N), np.inf)
    lull_len = rng.uniform(30, 110, N)
    off0 = np.where(old, rng.random(N) * gap / G, 0.0)
    oi, ot = renewal(rng, t0, t1, gap / G, off0)
    SEASON = np.array([1.1, 1.0, 1.05, 1.0, 1.0, 0.95, 0.82, 0.95, 1.0, 1.05, 0.9, 0.78]) / 1.1
    pr = prog(oi, ot)
    depth = np.array([0.8, 0.6, 0.5, 0.4, 0.3, 0.0])[reason[oi]]
    depth = np.where(mv_kind[oi] == 1, 0.6, depth)
    shape = np.where(reason[oi] == QUA, 0.6, 1.0)
    acc = SEASON[month(ot)] * np.exp(trend[oi] * ot / 365) / G[oi] * (1 - depth * pr ** shape)
    acc *= np.where((ot >= lull[oi]) & (ot < lull[oi] + lull_len[oi]), 0.15, 1.0)
    acc *= np.where((ot >= day("2024-01-14")) & (ot < day("2024-01-20")), 0.3, 1.0)
    acc *= np.where((ot >= day("2024-07-08")) & (ot < day("2024-07-21")) & (region[oi] == HOUSTON), 0.3, 1.0)
    acc *= np.where((ot % 365 >= 357) | (ot % 365 < 1), 0.4, 1.0)
    keep = rng.random(ot.size) < acc
    oi, ot = oi[keep], workday(rng, ot[keep], 0.85)
    ot = clock(rng, ot, evening=0.15)
    keep = (ot >= t0[oi]) & (ot < t1[oi])
    oi, ot = oi[keep], ot[keep]
    pr = prog(oi, ot)
    lead_on = churn[oi] & (ot >= onset[oi])
    shrinker = (reason[oi] == COM) & (u[0][oi] < 0.85)
    gross = SEG_BASKET[seg[oi]] * size[oi] * np.exp(rng.normal(0, 0.55, oi.size)) * (1.03 ** (ot / 365))
    gross *= np.where(shrinker, 1 - 0.55 * pr, 1.0)
    big = rng.random(oi.size) < 0.025
    gross[big] *= rng.uniform(4, 18, big.sum())
    dp = np.where(rng.random(N) < 0.08, rng.uniform(0.4, 0.8, N), rng.beta(1.2, 8, N))
    pm = shrinker & lead_on & (rng.random(oi.size) < 0.55 * pr + 0.1)
    disc_on = (rng.random(oi.size) < dp[oi]) | pm
    disc = np.where(disc_on, gross * np.where(pm, rng.uniform(0.08, 0.2, oi.size), rng.uniform(0.03, 0.12, oi.size)), 0)
    amt = np.round(gross - disc, 2)
    disc = np.round(disc, 2)
    oreg = np.where(ot >= move_day[oi], new_reg[oi], region[oi])
    oreg = np.where((second[oi] >= 0) & (rng.random(oi.size) < 0.15), second[oi], oreg)
    # returns (credit memos): base rate, much higher for product_quality churners in the lead period
    returner = (reason[oi] == QUA) & (u[1][oi] < 0.65)
    p_ret = 0.008 * np.exp(rng.normal(0, 0.5, N))[oi] + np.where(returner, 0.2 * np.sqrt(pr), 0)
    p_ret += np.where((ot >= day("2024-05-06")) & (ot < day("2024-06-21")), 0.01, 0)
    rsel = rng.random(oi.size) < p_ret
    ri = oi[rsel]
    rt = clock(rng, workday(rng, ot[rsel] + rng.uniform(2, 25, rsel.sum()), 1.0))
    rk = (rt < t1[ri])
    ri, rt = ri[rk], rt[rk]
    ramt = -np.round(np.minimum(amt[rsel][rk], 2500) * rng.uniform(0.1, 1.0, ri.size), 2)
    o_cust = np.concatenate([oi, ri])
    o_t = np.concatenate([ot, rt])
    o_ret = np.concatenate([np.zeros(oi.size, bool), np.ones(ri.size, bool)])
    srt = np.argsort(o_t, kind="stable")
    nO = oi.size
    ids = np.where(o_ret[srt], np.char.add("CM", (np.cumsum(o_ret[srt]) + 300000).astype(str)),
                   np.char.add("SO", (np.cumsum(~o_ret[srt]) + 4100000).astype(str)))
    och = np.array(["web", "phone", "rep", "email", "fax"])[pick(rng, [0.55, 0.25, 0.12, 0.06, 0.02], nO)]
    o_ch = np.concatenate([och, np.full(ri.size, "return")])

    # ---------------------------------------------------------------- contacts
    parts = []

    def add(idx, t, direction, chan, text, ans=None, resp=None):
        k = (t >= 0) & (t < END)                      # history window only
        parts.append((idx[k], t[k], direction, np.asarray(chan)[k], np.asarray(text, dtype=object)[k],
                      None if ans is None else ans[k], None if resp is None else resp[k]))

    def chans(names, probs, n):
        return np.array(names)[pick(rng, probs, n)]

    tA, tE = np.maximum(t0, 0), np.where(never, np.maximum(t0, 0) + 90, np.minimum(c + 150, END))
    # rep visits / calls
    ci, ct = pois(rng, tA, tE, d_rep * size ** 0.5 / 48)
    pr = prog(ci, ct)
    m = np.where(silent[ci], 1 - 0.93 * pr ** 0.7, 1.0)
    m *= np.where(ct >= c[ci], 0.3, 1.0)
    m *= np.where((ct >= rep_chg[ci]) & (ct < rep_chg[ci] + rep_gap[ci]), 0.08, 1.0)
    k = rng.random(ct.size) < m
    ci, ct = ci[k], clock(rng, workday(rng, ct[k], 1.0))
    ch = chans(["meeting", "call", "email", "sms"], [0.28, 0.42, 0.22, 0.08], ci.size)
    add(ci, ct, "outbound", ch, render(rng, "checkin", ci.size, doc[ci], ch == "email"))
    # post-order follow-ups
    pf = 0.09 * d_rep[oi] * np.where(big, 5, 1) * np.where(silent[oi], (1 - prog(oi, ot)) * 0.3, 1)
    fs = rng.random(oi.size) < pf
    fi, ft = oi[fs], clock(rng, workday(rng, ot[fs] + rng.uniform(1, 6, fs.sum()), 1.0))
    fk = ft < END
    fi, ft = fi[fk], ft[fk]
    ch = chans(["call", "email"], [0.7, 0.3], fi.size)
    add(fi, ft, "outbound", ch, render(rng, "followup", fi.size, doc[fi], ch == "email"))
    # automated promo e-mails (keep "contact" alive even for neglected accounts)
    optin = rng.random(N) < 0.35
    pE = np.where(churn, np.minimum(c + rng.uniform(0, 400, N), END), END)
    pi_, pt_ = pois(rng, np.where(optin, tA, END), np.where(optin, pE, END), np.full(N, 1 / 45))
    add(pi_, clock(rng, workday(rng, pt_, 1.0)), "outbound", np.full(pi_.size, "email"),
        render(rng, "promo", pi_.size, doc[pi_], np.zeros(pi_.size, bool)))
    # new-rep intro calls
    intro = np.isfinite(rep_chg) & (rng.random(N) < np.where(reason == IND, 0.25, 0.65))
    ii = np.flatnonzero(intro)
    it = clock(rng, workday(rng, rep_chg[ii] + rep_gap[ii] * rng.uniform(0.3, 1.0, ii.size), 1.0))
    ii, it = ii[it < np.minimum(END, c[ii])], it[it < np.minimum(END, c[ii])]
    add(ii, it, "outbound", chans(["meeting", "call"], [0.6, 0.4], ii.size),
        render(rng, "intro", ii.size, doc[ii], np.zeros(ii.size, bool)))
    # win-back after the account went quiet
    wb = np.flatnonzero(churn & (mv_kind != 2) & (rng.random(N) < 0.4))
    wt = clock(rng, workday(rng, c[wb] + rng.uniform(35, 120, wb.size), 1.0))
    wb, wt = wb[wt < END], wt[wt < END]
    ch = chans(["email", "call"], [0.6, 0.4], wb.size)
    add(wb, wt, "outbound", ch, render(rng, "winback", wb.size, doc[wb], ch == "email"))
    # rep notes on personal ties (rare, also for stayers)
    ti_ = np.flatnonzero(((reason == TIE) & (rng.random(N) < 0.18)) | (~never & (rng.random(N) < 0.004)))
    tt = np.where(reason[ti_] == TIE, c[ti_] - rng.uniform(5, 100, ti_.size),
                  rng.uniform(tA[ti_], np.minimum(t1[ti_], END)))
    tt = clock(rng, workday(rng, tt, 1.0))
    ok = (tt >= tA[ti_]) & (tt < END)
    ti_, tt = ti_[ok], tt[ok]
    add(ti_, tt, "outbound", chans(["meeting", "call"], [0.5, 0.5], ti_.size),
        render(rng, "ties", ti_.size, doc[ti_], np.zeros(ti_.size, bool)))
    # inbound: routine stream + reason-driven messages
    ii, itt = pois(rng, tA, np.where(never, tA + 60, np.minimum(c + 20, END)),
                   size ** 0.5 * np.exp(rng.normal(0, 0.4, N)) / 65)
    tariff = (itt >= day("2025-04-10")) & (itt < day("2025-08-01"))
    cat = pick(rng, [0.92, 0.03, 0.03, 0.02], ii.size)
    cat = np.where(tariff & (rng.random(ii.size) < 0.06), 2, cat)
    cat = np.where((cat == 0) & (rng.random(ii.size) < 0.03 * (1.8 - d_rep[ii])), 3, cat)
    pools = ["routine", "quality", "price", "neglect"]
    xi, xt, xc = [ii], [itt], [cat]
    for rs, frac, rate, cc in [(QUA, 0.8, 2.5, 1), (COM, 0.7, 1.6, 2), (IND, 0.5, 1.2, 3)]:
        sel = np.flatnonzero((reason == rs) & (rng.random(N) < frac))
        n = rng.poisson(rate, sel.size)
        si = np.repeat(sel, n)
        st = onset[si] + (c[si] - onset[si]) * rng.beta(2, 1.2, si.size)
        xi.append(si), xt.append(st), xc.append(np.full(si.size, cc))
    gl = np.flatnonzero(~never & (rng.random(N) < 0.05))
    gt = rng.uniform(day("2024-05-06"), day("2024-06-21"), gl.size)
    xi.append(gl), xt.append(gt), xc.append(np.full(gl.size, 1))
    ii, itt, cat = np.concatenate(xi), np.concatenate(xt), np.concatenate(xc)
    itt = clock(rng, workday(rng, itt, 0.8))
    ok = (itt >= tA[ii]) & (itt < END) & (itt < c[ii] + 20)
    ii, itt, cat = ii[ok], itt[ok], cat[ok]
    pr = prog(ii, itt)
    bad = silent[ii] & (itt < c[ii])
    p_ans = np.where(bad, 0.965 - 0.45 * pr, 0.965 - 0.05 * (d_rep[ii] < 0.8))
    ans = rng.random(ii.size) < p_ans
    backlog = (itt >= day("2025-02-01")) & (itt < day("2025-04-16"))
    mu = np.log(2.5) + 0.35 * (1 - d_rep[ii]) + np.where(bad, 2.4 * pr, 0) + 0.8 * backlog
    resp = np.where(ans, np.round(np.exp(rng.normal(mu, 1.0)), 1), np.nan)
    resp = np.where(itt + np.nan_to_num(resp) / 24 > END, np.nan, resp)
    ans &= ~np.isnan(resp)
    ch = chans(["call", "email", "chat"], [0.5, 0.4, 0.1], ii.size)
    txt = np.empty(ii.size, dtype=object)
    for q, pool in enumerate(pools):
        s = cat == q
        txt[s] = render(rng, pool, s.sum(), doc[ii[s]], ch[s] == "email", annoyed=0.12 * (q > 0))
    add(ii, itt, "inbound", ch, txt, ans, resp)
    # relocation / retirement / death notices, address changes of stayers
    for pool, sel, tt in [("move", reloc & (rng.random(N) < 0.7), move_day - rng.uniform(0, 20, N)),
                          ("retire", (mv_kind == 1) & (rng.random(N) < 0.6), c - rng.uniform(10, 120, N)),
                          ("death", (mv_kind == 2) & (rng.random(N) < 0.5), c + rng.uniform(0, 25, N)),
                          ("move", mover & (rng.random(N) < 0.55), move_day - rng.uniform(0, 15, N))]:
        si = np.flatnonzero(sel)
        st = clock(rng, workday(rng, tt[si], 1.0))
        ok = (st >= tA[si]) & (st < END)
        si, st = si[ok], st[ok]
        ch = chans(["call", "email"], [0.5, 0.5], si.size)
        add(si, st, "inbound", ch, render(rng, pool, si.size, doc[si], ch == "email"),
            np.ones(si.size, bool), np.round(rng.exponential(4, si.size), 1))

    # ---------------------------------------------------------------- complaints
    ctx = []
    ki, kt = pois(rng, tA, np.minimum(t1, END), 0.28 / 365 * size ** 0.3)
    ctx.append((ki, kt, pick(rng, [0.18, 0.22, 0.10, 0.38, 0.12], ki.size)))
    for d1, d2, cc, p, where in [("2024-05-06", "2024-06-21", 0, 0.04, None), ("2024-07-08", "2024-07-27", 3, 0.12, HOUSTON),
                                 ("2024-01-15", "2024-01-27", 3, 0.03, None), ("2025-02-01", "2025-04-15", 1, 0.03, None),
                                 ("2025-04-10", "2025-07-31", 2, 0.03, None)]:
        x, y = day(d1), day(d2)
        sel = np.flatnonzero((tA <= x) & (t1 > y) & (rng.random(N) < p) & ((region == where) if where is not None else True))
        ctx.append((sel, rng.uniform(x, y, sel.size), np.full(sel.size, cc)))
    for rs, frac, lam, cats in [(QUA, 0.85, 0.9, [0.65, 0.35, 0, 0, 0]), (COM, 0.6, 0.3, [0, 0, 1, 0, 0]),
                                (IND, 0.2, 0.1, [0, 1, 0, 0, 0])]:
        sel = np.flatnonzero((reason == rs) & (rng.random(N) < frac))
        si = np.repeat(sel, 1 + rng.poisson(lam, sel.size))
        ctx.append((si, onset[si] + (c[si] - onset[si]) * rng.beta(2, 1.3, si.size), pick(rng, cats, si.size)))
    ki = np.concatenate([x[0] for x in ctx])
    kt = clock(rng, workday(rng, np.concatenate([x[1] for x in ctx]), 0.9))
    kc = np.concatenate([x[2] for x in ctx])
    ok = (kt >= tA[ki]) & (kt < np.minimum(t1[ki], END))
    ki, kt, kc = ki[ok], kt[ok], kc[ok]
    hard = (reason[ki] == QUA) & (kt >= onset[ki]) & (kc <= 1)
    hrs = np.exp(rng.normal(np.where(hard, np.log(150), np.log(36)), 1.1))
    kres = np.maximum(clock(rng, workday(rng, kt + hrs / 24, 0.8)), kt + 0.02)
    kopen = (rng.random(ki.size) < np.where(hard, 0.35, 0.04)) | (kres >= END)
    CATS = np.array(["quality", "service", "price", "delivery", "other"])
    ksub = np.empty(ki.size, dtype=object)
    for q, cn in enumerate(CATS):
        s = kc == q
        ksub[s] = render(rng, CT[cn], s.sum(), doc[ki[s]], np.zeros(s.sum(), bool), annoyed=0.05)

    # ---------------------------------------------------------------- surveys
    base = np.clip(rng.normal(8.3, 1.2, N), 3, 10)
    p_resp = rng.beta(2, 8, N)
    vocal = u[2] < 0.75
    sv = []
    for y in (2023, 2024, 2025):
        for mo in ("02", "05", "08", "11"):
            s = day(f"{y}-{mo}-15")
            act = np.flatnonzero((t0 <= s) & (t1 > s) & ~never)
            pr = prog(act, np.full(act.size, s))
            pr_on = churn[act] & (s >= onset[act])
            r = rng.random(act.size) < p_resp[act] * np.where(silent[act] & pr_on, 0.4, 1)
            act, pr = act[r], pr[r]
            eff = np.select([(reason[act] == QUA) & vocal[act], reason[act] == QUA, reason[act] == IND,
                             reason[act] == COM], [-3.8 * np.sqrt(pr), -1.0 * pr, -1.6 * pr, -1.0 * pr], 0)
            sc = np.clip(np.round(base[act] + eff + rng.normal(0, 1.1, act.size)), 0, 10)
            st = clock(rng, s + np.minimum(rng.exponential(2.5, act.size), 12), evening=0.2)
            sv.append(pd.DataFrame({"i": act, "t": st, "kind": "pulse", "score": sc, "reason": "", "comment": ""}))
    ex = np.flatnonzero(churn & (rng.random(N) < np.array([0.22, 0.38, 0.33, 0.28, 0.15, 0])[reason]) & (mv_kind != 2))
    et = clock(rng, c[ex] + rng.uniform(4, 50, ex.size), evening=0.3)
    ex, et = ex[et < END], et[et < END]
    conf = np.array([[0, .35, .45, .1, .1], [.3, 0, .55, .1, .05], [.5, .3, 0, .15, .05],
                     [.35, .1, .5, 0, .05], [.5, .1, .3, .1, 0]])
    stated = reason[ex].copy()
    wrong = rng.random(ex.size) > 0.6
    for r_ in range(5):
        s = wrong & (reason[ex] == r_)
        stated[s] = pick(rng, conf[r_], s.sum())
    esc = np.clip(np.round(rng.normal(np.array([3, 2, 4, 6, 7])[reason[ex]], 2)), 0, 10)
    com = np.empty(ex.size, dtype=object)
    for r_ in range(5):
        s = stated == r_
        com[s] = render(rng, EXIT_TXT[r_], s.sum(), doc[ex[s]], np.zeros(s.sum(), bool))
    com[rng.random(ex.size) < 0.45] = ""
    sv.append(pd.DataFrame({"i": ex, "t": et, "kind": "exit", "score": esc, "reason": REASONS[stated], "comment": com}))

    # ---------------------------------------------------------------- write
    cid = np.char.zfill(rng.permutation(np.arange(10000, 10000 + 4 * N))[:N].astype(str), 7)
    cust = pd.DataFrame({
        "customer_id": cid, "practice": [f"{DOCS[d][1]} {s}" for d, s in zip(doc, np.array(["Family Dentistry", "Dental Group", "Dental Partners", "Orthodontics", "Oral & Maxillofacial Surgery", "Pediatric Dentistry", "Community Health Dental"])[seg])],
        "signed_up_at": stamp(signup), "segment": np.array(SEGS)[seg], "region": REG_ALL[cur_region],
        "loyalty_member": np.where(loyal, "yes", "no"), "referred_by": np.where(ref >= 0, cid[np.maximum(ref, 0)], ""),
        "manager_id": rep_ids[mgr]})
    cust.to_csv(os.path.join(a.out, "customers.csv"), index=False)
    amt_all = np.concatenate([amt, ramt])
    orders = pd.DataFrame({"order_id": ids, "customer_id": cid[o_cust[srt]], "ordered_at": stamp(o_t[srt]),
                           "amount": amt_all[srt], "discount_amount": np.concatenate([disc, np.zeros(ri.size)])[srt],
                           "returned": np.where(o_ret[srt], "true", "false"),
                           "region": REG_ALL[np.concatenate([oreg, oreg[rsel][rk]])[srt]], "channel": o_ch[srt]})
    orders.to_csv(os.path.join(a.out, "orders.csv"), index=False, float_format="%.2f")
    del orders
    pi = np.concatenate([p[0] for p in parts])
    pt = np.concatenate([p[1] for p in parts])
    pans = np.concatenate([p[5] if p[5] is not None else np.zeros(p[0].size, bool) for p in parts])
    presp = np.concatenate([p[6] if p[6] is not None else np.full(p[0].size, np.nan) for p in parts])
    pdir = np.concatenate([np.full(p[0].size, p[2]) for p in parts])
    s = np.argsort(pt, kind="stable")
    inb = pdir[s] == "inbound"
    contacts = pd.DataFrame({
        "contact_id": np.char.add("ACT-", (np.arange(s.size) + 7000001).astype(str)),
        "customer_id": cid[pi[s]], "contacted_at": stamp(pt[s], sep=" "), "direction": pdir[s],
        "channel": np.concatenate([p[3] for p in parts])[s],
        "topic": np.concatenate([p[4] for p in parts])[s],
        "answered": np.where(inb, np.where(pans[s], "true", "false"), ""),
        "response_hours": np.where(inb, presp[s], np.nan)})
    contacts.to_csv(os.path.join(a.out, "contacts.csv"), index=False, float_format="%.1f")
    del contacts
    s = np.argsort(kt, kind="stable")
    comp = pd.DataFrame({"complaint_id": np.char.add("CMP-", (np.arange(s.size) + 20001).astype(str)),
                         "customer_id": cid[ki[s]], "opened_at": stamp(kt[s]), "category": CATS[kc[s]],
                         "resolved_at": np.where(kopen[s], "", stamp(np.minimum(kres[s], END - 1e-4))),
                         "subject": ksub[s]})
    comp.to_csv(os.path.join(a.out, "complaints.csv"), index=False)
    sv = pd.concat(sv, ignore_index=True).sort_values("t", kind="stable")
    surveys = pd.DataFrame({"customer_id": cid[sv["i"].to_numpy()], "answered_at": stamp(sv["t"].to_numpy()),
                            "kind": sv["kind"].to_numpy(), "score": sv["score"].to_numpy().astype(int),
                            "reason": sv["reason"].to_numpy(), "comment": sv["comment"].to_numpy()})
    surveys.to_csv(os.path.join(a.out, "surveys.csv"), index=False)
    tr = np.flatnonzero(churn)
    pd.DataFrame({"customer_id": cid[tr], "churned_at": stamp(c[tr]), "true_reason": REASONS[reason[tr]]}) \
        .sort_values("churned_at").to_csv(os.path.join(a.out, "truth.csv"), index=False)

    win = churn & (c >= day("2025-10-01")) & (c < day("2025-12-30"))
    print(f"customers {N}, orders {o_t.size}, contacts {pt.size}, complaints {ki.size}, surveys {len(sv)}")
    print(f"churners {churn.sum()} ({churn.mean():.1%}); per reason:",
          dict(zip(REASONS.tolist(), np.bincount(reason[churn], minlength=5).tolist())))
    print("churned 2025-10-01..2025-12-29 per reason:", dict(zip(REASONS.tolist(), np.bincount(reason[win], minlength=5).tolist())))
    print(f"done in {time.time() - t_start:.1f}s -> {a.out}")


if __name__ == "__main__":
    main()
