#!/usr/bin/env python3
"""Synthetic CRM of a Croatian distributor of office, cleaning and small-equipment supplies.

Usage:  python make_crm.py --out DIR --customers N --seed S

Customers are consumers, small businesses and key accounts; history runs 2023-01-01 .. 2025-12-31
(nothing later than 2025-12-31 20:00 UTC).  Written: orders.parquet, contacts.parquet (typed,
tz-aware UTC), customers.csv, complaints.csv, surveys.csv (text timestamps, some with the
Europe/Zagreb offset, some naive UTC; booleans as yes/no, 1/0 or true/false; codes in mixed case),
and truth.csv (customer_id, churned_at = the customer's last row in orders, true_reason).

What every customer does (churner or not): buys at a personal rate with seasonality, weekday
pattern, a slow personal trend and promotion-driven discounts; returns a few percent of orders
(consumers partly by flagging the order, otherwise as negative credit-note rows); gets campaign
mailings until they unsubscribe; writes service requests that are usually answered within hours;
files the odd complaint; managed accounts get calls and meetings from an account manager
(managers differ in diligence) and follow-up calls after bigger orders; some answer pulse surveys.
Company-wide: a support backlog (Nov 2024 - Jan 2025: slow, partly unanswered replies) and a
defective product batch (late May - early Jul 2024: more returns and quality complaints).

What each churn reason plants before the last order (a window of length L before it):
* indifference (67%): the company goes quiet.  Strong (50%): manager calls, meetings,
  post-order follow-ups and (consumers) customer-care reminders almost stop (x0.03), inbound
  requests are answered half the time and ~8x slower, unanswered ones produce chasers; 45% of
  managed ones lose their manager with no introduction from a successor; 40% also drop out of
  the mailing lists (bounced address); sometimes a "nobody calls back" service complaint.
  Weak (30%): touches x0.35, answers ~2.5x slower.  None (20%).  L ~ 4 months (3 weeks - 13
  months).  Otherwise campaign e-mails keep coming: automation is not attention.
  Indifference churners are also more often with the less diligent managers.
* product_quality (15%): strong (50%): 2-4 quality/service complaints, ~40% never resolved,
  the rest slowly; returns on ~30% of orders; low pulse/CSAT scores.  Weak (30%): one complaint
  (or only returns at ~12%), score dip.  None (20%).  L ~ 2 months (5 days - 8 months).
* competitor (9%): strong (40%): discounts on most orders, basket shrinking to ~half, price
  complaint (50%), 1-2 contacts mentioning another supplier's offer, sometimes our counter-offer.
  Weak (35%): more discounting, basket -20%, sometimes one price question.  None (25%).
  L ~ 4 months.
* personal_ties (5%): the referrer (customers.referred_by) stopped buying 2-26 weeks before
  (consumers 55%, businesses 30%), or for businesses the contact person at the client left and a
  contact records it (35%); otherwise no trace.  Purchases fade moderately.
* moved_or_died (4%): moved (70%): 60% of them leave a trace 1.5-10 weeks ahead - the last
  orders are delivered to a new region and/or an address-change request, customers.region
  updated half the time; the rest just stop.  Died/closed (30%): abrupt stop, 25% with a
  closure/deceased notice after the last order.  Little or no slowdown.
Purchases slow down before most churns (indifference 80%, quality 70%, competitor 85%, ties 65%,
moves 30%, deaths never), ending at 15-55% of the usual rate.
Exit surveys: ~20-45% of churners (by segment) answer 2-5 months after leaving (if before the end
of 2025); 72% give the true reason, the rest a plausible other one or none.

What stayers (and churners at other times) do that looks the same: neglect spells (20% of
managed accounts, 10% of consumers: 2-8 months of silence, slower answers), unsubscribing
(15%), manager changes with delayed handover, the support backlog; quality episodes (9%) with complaints, returns and low scores, plus the defect batch;
price episodes (8%) with discounting, smaller baskets, price complaints and competitor mentions,
and permanent bargain hunters (10%); moves to another region (consumers 5%, businesses 1-3%) with
address changes; key accounts delivering to several regions; contact-person changes at client
businesses (7%); referrers who leave while the referred customer stays; dormant spells of
3-9 months (7% of stayers) answered by the odd exit survey before the customer comes back; slow
negative trends and seasonal dips.
"""
import argparse
import os
import time

import numpy as np
import pandas as pd

# ----------------------------------------------------------------------------- constants
EPOCH = pd.Timestamp("2023-01-01", tz="UTC")
EPOCH_S = int(EPOCH.timestamp())
NDAYS = 1096                      # 2023-01-01 .. 2025-12-31
END = 1095 + 20 / 24              # 2025-12-31 20:00 UTC: nothing later (21:00 in Zagreb)
MONTH = 30.44
LOCAL_TZ = "Europe/Zagreb"

REASONS = ["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"]
SHARES = [0.67, 0.15, 0.09, 0.05, 0.04]
IND, PQ, COMP, PT, MOV = range(5)
NONE, WEAK, STRONG = 0, 1, 2

SEGMENTS = ["Consumer", "Small business", "Key account"]
REGIONS = ["Grad Zagreb", "Zagreb County", "Split-Dalmatia", "Primorje-Gorski Kotar",
           "Osijek-Baranja", "Istria", "Zadar", "Varaždin", "Dubrovnik-Neretva",
           "Šibenik-Knin", "Brod-Posavina", "Karlovac"]
REGION_W = np.array([26, 9, 12, 8, 7, 6, 5, 5, 4, 3, 3, 3], float)
REGION_W /= REGION_W.sum()
CITIES = ["Zagreb", "Velika Gorica", "Split", "Rijeka", "Osijek", "Pula", "Zadar", "Varaždin",
          "Dubrovnik", "Šibenik", "Slavonski Brod", "Karlovac"]
N_MANAGERS = 30                   # AM-101 .. AM-130; first 10 serve key accounts


def D(s):
    """Day index (float) of a date string."""
    return (pd.Timestamp(s, tz="UTC") - EPOCH).total_seconds() / 86400


BACKLOG = (D("2024-11-18"), D("2025-01-24"))   # support understaffed
DEFECT = (D("2024-05-20"), D("2024-07-10"))    # bad batch of a private-label product

# ----------------------------------------------------------------------------- calendar
_cal = pd.date_range("2023-01-01", periods=NDAYS, freq="D")
_loc = (_cal + pd.Timedelta(hours=12)).tz_localize(LOCAL_TZ)
UTC_OFFSET = ((_loc.tz_localize(None) - _loc.tz_convert("UTC").tz_localize(None))
              .total_seconds().values / 3600)
_dow, _mon, _dom = _cal.day_of_week.values, _cal.month.values, _cal.day.values

# consumer and business demand by calendar day (seasonality x weekday), both <= 1.5
SEAS_C = np.ones(NDAYS)
SEAS_C[((_mon == 11) & (_dom >= 15)) | ((_mon == 12) & (_dom <= 20))] = 1.35
SEAS_C[(_mon == 1) & (_dom <= 10)] = 0.8
SEAS_C[(_mon == 7) | (_mon == 8)] = 0.85
SEAS_C *= np.where(_dow == 5, 1.1, np.where(_dow == 6, 0.8, 1.0))
SEAS_B = np.ones(NDAYS)
SEAS_B[_mon == 8] = 0.65
SEAS_B[_mon == 9] = 1.1
SEAS_B[((_mon == 12) & (_dom >= 22)) | ((_mon == 1) & (_dom <= 6))] = 0.35
SEAS_B *= np.where(_dow == 5, 0.15, np.where(_dow == 6, 0.05, 1.0))
PROMO = (((_mon == 11) & (_dom >= 20)) | ((_mon == 12) & (_dom <= 2))
         | ((_mon == 1) & (_dom >= 2) & (_dom <= 20)) | ((_mon == 7) & (_dom <= 15)))


def day_of(t):
    return np.clip(np.floor(t).astype(np.int64), 0, NDAYS - 1)


def with_time_of_day(rng, t, business):
    """Keep the day of t, draw a local wall-clock hour (office hours for businesses, a wider
    spread for consumers) and convert it to UTC; clip to [0, END]."""
    t = np.asarray(t, float)
    d = day_of(t)
    n = len(t)
    hour_b = 7.5 + 10.4 * rng.beta(2.2, 2.8, n)                      # 07:30 - 17:54, peak ~11
    hour_c = np.where(rng.random(n) < 0.55, 15.0 + 8.8 * rng.beta(3.5, 2.0, n),
                      6.5 + 10.0 * rng.beta(2.5, 2.5, n))              # evenings and daytime
    hour = np.where(business, hour_b, hour_c)
    return np.clip(d + (hour - UTC_OFFSET[d]) / 24, 0, END)


def poisson_times(rng, idx, lo, hi, rate):
    """Candidate events of a homogeneous Poisson process (rate per day) on [lo, hi] per row."""
    dur = np.clip(hi - lo, 0, None)
    k = rng.poisson(rate * dur)
    ci = np.repeat(idx, k)
    t = np.repeat(lo, k) + rng.random(k.sum()) * np.repeat(dur, k)
    return ci, t


def in_window(t, a, b):
    return (t >= a) & (t <= b)


# ----------------------------------------------------------------------------- wording
NAMES = ["Ana", "Ivan", "Marko", "Petra", "Luka", "Maja", "Tomislav", "Ivana", "Josip", "Katarina",
         "Nikola", "Marija", "Dario", "Sanja", "Goran", "Lucija", "Filip", "Martina", "Zoran", "Iva"]
PRODUCTS = ["toner cartridges", "copy paper", "paper towels", "floor cleaner", "disinfectant",
            "soap dispensers", "coffee capsules", "office chairs", "LED panels", "bin liners",
            "label printer", "shelving units", "hand gel", "microfibre cloths", "archive boxes",
            "whiteboard markers", "dishwasher tabs", "vacuum cleaner", "shredder", "desk lamps"]
RIVALS = ["Kemoprom", "OfficeLine", "Biro Centar", "MegaNabava", "an online marketplace",
          "a local wholesaler", "CleanPro", "another distributor"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

T_SERVICE = [
    "Question about invoice {inv}", "Invoice {inv} - wrong VAT number", "Where is my order {oid}?",
    "Delivery status {oid}", "Request for quote: {p}", "Need a quote for {q} x {p}",
    "Can we move the delivery to next week?", "Is {p} back in stock?", "Web shop login not working",
    "Please send updated price list", "Payment terms question", "Change of billing e-mail",
    "Spec sheet for {p}?", "Samples of {p}", "Cancel part of order {oid}",
    "Add items to open order {oid}", "Copy of delivery note needed", "Loyalty points not credited",
    "Password reset - customer portal", "Invoice copy for accounting", "Question re. {p}",
    "order {oid} - change qty", "Pro-forma invoice please", "Opening hours of the Zagreb pickup point",
    "Which {p} fits our dispenser?", "Request: monthly statement",
]
T_CHASER = ["2nd request: {orig}", "Still waiting for an answer ({orig})", "FW: {orig}",
            "No reply yet - {orig}", "Called again, nobody got back to us",
            "Chasing my e-mail from last week", "Third time asking: {orig}"]
T_ACCOUNT = [
    "Quarterly review Q{qq} {yy}", "Check-in call", "Courtesy call - upcoming needs?",
    "Visit at customer site", "Presented new {p} range", "Sent {yy} price list and terms",
    "Annual account review {yy}", "Call about reorder of {p}", "Lunch meeting with purchasing",
    "Stock planning for next quarter", "Demo of {p}", "Discussed consignment stock",
    "call", "Catch-up", "Left voicemail", "Meeting notes - {p} tender",
]
T_FOLLOWUP = ["Follow-up on order {oid}", "After-sales call: {oid}", "How was the delivery? ({oid})",
              "Checked customer is happy with {p}", "Post-delivery check", "follow up {oid}",
              "Feedback on {p} delivered last week"]
T_WELCOME = ["Welcome call - first order", "Thank-you e-mail for first order",
             "Onboarding call with new customer", "Welcome pack sent"]
T_WINBACK = ["We miss you - 10% off your next order", "Haven't seen you in a while",
             "Reactivation call", "Win-back offer sent", "Call to lapsed account - left voicemail",
             "Is everything OK with our service?", "Reminder: your loyalty points expire soon"]
T_QUALITY = ["Damaged {p} in delivery {oid}", "{p} stopped working after {k} days",
             "Wrong item delivered ({oid})", "Poor quality of last batch of {p}",
             "Replacement request - {p}", "Leaking {p}, sending back", "Return request for {oid}",
             "Defective units, want a refund", "RMA for {p}", "Not the quality we used to get",
             "{p} - smell / residue after use", "Broken packaging again"]
T_SERVICE_CMP = ["Nobody returned my call", "Unhappy with how my request was handled",
                 "Rude driver", "Complaint about the call centre", "Invoice errors again",
                 "Promised call-back never came", "Order confirmation never received"]
T_DELIVERY = ["Delivery late again", "Order {oid} arrived {k} days late", "Courier did not show up",
              "Partial delivery, items missing", "Delivered to wrong address",
              "Pallet left outside in the rain"]
T_PRICE = ["Prices went up again?", "Price increase on {p} not acceptable",
           "Got a cheaper quote from {r}", "Can you match {r} on {p}?",
           "{r} offers free delivery - do you?", "Asked for better terms, looking at other suppliers",
           "Volume discount for {p}?", "Found {p} cheaper online", "Your price for {p} vs {r}",
           "Considering switching part of the range to {r}"]
T_PRICE_SOFT = ["Please send updated price list", "Any promotions on {p} this month?",
                "Volume discount for {p}?", "Asked about payment in instalments",
                "Is there a discount if we order more?"]
T_COUNTER = ["Sent personal offer: {k}% off {p}", "Counter-offer to keep the account",
             "Offered loyalty card with cashback", "Price-match approved for {p}",
             "Special price list sent"]
T_OTHER_CMP = ["Complaint - see attached", "General complaint", "Issue with account",
               "Unhappy customer, details in ticket", "Complaint re. contract"]
T_MOVE = ["New delivery address from {mon}", "We are relocating to {city}",
          "Please update my address", "Moving - can you still deliver to {city}?",
          "Change of address and billing details", "Office moved to {city}",
          "new address for deliveries"]
T_MOVE_OUT = ["Updated master data - new address", "Address change processed",
              "Confirmed new delivery address"]
T_CLOSURE = ["Account holder passed away - family asks to close the account",
             "Please close the account", "Mail returned: addressee unknown",
             "Business closed, cancel account", "Close account - owner retired",
             "Condolence call, account closed"]
T_CONTACT = ["Our contact {n} has left the company", "New purchasing contact: {n}",
             "{n} retired, handover to {n2}", "Introduced to new buyer at client",
             "Main contact {n} on long leave", "{n} moved to another job - who is in charge now?"]
T_CARE = ["Reminder: time to reorder {p}?", "Your order is ready for pickup",
          "Personal offer for you: {p}", "Happy birthday from the team - 15% voucher",
          "Thank you for being a loyal customer", "Checking in - anything you need?",
          "Loyalty points balance: {k}00 points", "Invitation to our open day",
          "Called about {p} you asked for", "Restock notice: {p}"]
T_INTRO = ["Introduction - your new account manager", "Handover meeting with new AM",
           "Account reassigned, intro e-mail sent"]
CAMPAIGNS_FIXED = {1: ["Price update {y}", "January sale - last days"],
                   3: ["Spring catalogue {y}", "New in: eco cleaning line"],
                   5: ["Loyalty club: double points week", "Newsletter May {y}"],
                   7: ["Summer sale starts today", "Newsletter July {y}"],
                   9: ["Back to the office: September offers", "Webinar: smarter office purchasing"],
                   11: ["Black Friday - up to 30% off", "Customer survey invitation"],
                   12: ["Christmas gifts for the office", "Holiday delivery schedule"]}


def fill(rng, templates, n, oid=None, extra=None):
    """n topic strings from templates; slots filled with random products, numbers etc."""
    ti = rng.integers(0, len(templates), n)
    p = rng.integers(0, len(PRODUCTS), n)
    r = rng.integers(0, len(RIVALS), n)
    nm = rng.integers(0, len(NAMES), (2, n))
    q = rng.choice([5, 10, 20, 24, 50, 100, 200], n)
    k = rng.integers(2, 21, n)
    inv = rng.integers(10000, 99999, n)
    qq = rng.integers(1, 5, n)
    yy = rng.choice([2023, 2024, 2025], n)
    oid = oid if oid is not None else np.array([f"SO-{x:08d}" for x in rng.integers(1, 10**7, n)])
    ex = extra or {}
    blank = [""] * n
    city, mon, orig = ex.get("city", blank), ex.get("mon", blank), ex.get("orig", blank)
    out = []
    for i in range(n):
        out.append(templates[ti[i]].format(
            p=PRODUCTS[p[i]], r=RIVALS[r[i]], n=NAMES[nm[0, i]], n2=NAMES[nm[1, i]], q=q[i], k=k[i],
            inv=f"INV-{inv[i]}", qq=qq[i], yy=yy[i], oid=oid[i], city=city[i], mon=mon[i],
            orig=orig[i]))
    return restyle(rng, np.array(out, dtype=object))


def restyle(rng, s):
    """Staff and customers write subjects differently: lower case, prefixes, ticket tags."""
    u = rng.random(len(s))
    tag = rng.integers(100000, 999999, len(s))
    out = s.copy()
    for i in np.nonzero(u < 0.08)[0]:
        out[i] = out[i].lower()
    for i in np.nonzero((u >= 0.08) & (u < 0.12))[0]:
        out[i] = "Re: " + out[i]
    for i in np.nonzero((u >= 0.12) & (u < 0.19))[0]:
        out[i] = f"[#{tag[i]}] " + out[i]
    for i in np.nonzero((u >= 0.19) & (u < 0.205))[0]:
        out[i] = out[i].upper()
    return out


# ----------------------------------------------------------------------------- formatting
def days_to_ts(d):
    secs = np.round(np.asarray(d, float) * 86400).astype("int64")
    return pd.to_datetime(secs + EPOCH_S, unit="s", utc=True)


def fmt_ts(rng, d, style=None, allow_date=False):
    """Text timestamps for CSV: Zagreb local time with offset, or naive UTC in two spellings,
    or (sign-up dates only) a bare date.  NaN -> empty."""
    d = np.asarray(d, float)
    miss = np.isnan(d)
    ts = days_to_ts(np.where(miss, 0, d))
    n = len(d)
    if style is None:
        p = [0.5, 0.3, 0.2, 0.0] if not allow_date else [0.35, 0.25, 0.15, 0.25]
        style = rng.choice(4, n, p=p)
    loc = pd.Series(ts.tz_convert(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M:%S%z"))
    loc = (loc.str[:-2] + ":" + loc.str[-2:]).to_numpy(dtype=object)
    n1 = ts.strftime("%Y-%m-%d %H:%M:%S").to_numpy(dtype=object)
    n2 = ts.strftime("%Y-%m-%dT%H:%M").to_numpy(dtype=object)
    dd = ts.strftime("%Y-%m-%d").to_numpy(dtype=object)
    out = np.select([style == 0, style == 1, style == 2], [loc, n1, n2], dd)
    out[miss] = ""
    return out


def mixed_case(rng, codes, p_upper=0.1, p_title=0.3, p_space=0.03):
    u = rng.random(len(codes))
    out = np.array(codes, dtype=object)
    for i in range(len(out)):
        c = out[i]
        if not c:
            continue
        if u[i] < p_upper:
            c = c.upper()
        elif u[i] < p_upper + p_title:
            c = c[0].upper() + c[1:]
        if rng.random() < p_space:
            c = " " + c + " "
        out[i] = c
    return out


# ----------------------------------------------------------------------------- simulation
def simulate(n, seed):
    rng = np.random.default_rng(seed)
    C = {}   # per-customer arrays

    # --- who, when, where -------------------------------------------------------------
    old = rng.random(n) < 0.38
    signup = np.empty(n)
    k = old.sum()
    signup[old] = -np.minimum(rng.exponential(600, k), 2300) - rng.random(k) - 0.01
    a = 0.6                                   # sign-ups grow ~60% over the three years
    u = rng.random(n - k)
    signup[~old] = (-1 + np.sqrt(1 + a * (2 + a) * u)) / a * (END - 3)
    signup = np.sort(signup)
    old = signup < 0
    seg = rng.choice(3, n, p=[0.55, 0.35, 0.10])
    b2b = seg > 0
    home = rng.choice(len(REGIONS), n, p=REGION_W)
    first = np.where(old, np.nan, np.minimum(signup + rng.exponential(4, n), END))
    start = np.where(old, 0.0, first)         # first day the customer can appear in orders
    loyal = rng.random(n) < np.array([0.45, 0.30, 0.15])[seg]

    # --- churn time and reason ------------------------------------------------------
    h = np.array([0.027, 0.018, 0.009])[seg] * rng.lognormal(0, 0.7, n) / MONTH
    h *= np.where(loyal, 0.8, 1.0)
    early = np.where(old, 0.0, 150.0)         # newcomers are shaky for ~5 months
    e1 = rng.exponential(1 / (3 * h))
    tc = np.where(e1 < early, start + e1, start + early + rng.exponential(1 / h))
    churn = tc < END - 0.5
    T = np.where(churn, tc, np.inf)
    e = np.where(churn, T, END)               # end of buying
    Tf = np.where(churn, T, 1e9)              # finite stand-in for arithmetic
    life = e - start
    reason = np.full(n, -1)
    reason[churn] = rng.choice(5, churn.sum(), p=SHARES)

    # trace strength and lead time per churner
    trace = np.zeros(n, int)
    sub = np.zeros(n, int)                    # personal_ties / moved_or_died sub-type
    L = np.zeros(n)
    for r, p_tr, med, sd, lo, hi in [(IND, [0.2, 0.3, 0.5], 120, 0.55, 21, 400),
                                     (PQ, [0.2, 0.3, 0.5], 55, 0.7, 5, 250),
                                     (COMP, [0.25, 0.35, 0.4], 110, 0.5, 21, 300)]:
        m = reason == r
        trace[m] = rng.choice(3, m.sum(), p=p_tr)
        L[m] = np.clip(rng.lognormal(np.log(med), sd, m.sum()), lo, hi)
    # personal ties: 0 none, 1 contact person at the client left, 2 referrer left
    m = reason == PT
    sub[m] = np.where(b2b[m], rng.choice(3, m.sum(), p=[0.35, 0.35, 0.30]),
                      rng.choice([0, 2], m.sum(), p=[0.45, 0.55]))
    L[m] = rng.uniform(10, 120, m.sum())
    # moved or died: 0 moved silently, 1 moved with traces, 2 died silently, 3 died with notice
    m = reason == MOV
    sub[m] = rng.choice(4, m.sum(), p=[0.28, 0.42, 0.225, 0.075])
    L[m] = rng.uniform(10, 70, m.sum())
    trace[(reason == PT) & (sub > 0)] = STRONG
    trace[(reason == MOV) & (sub == 1)] = STRONG
    L = np.minimum(L, np.maximum(life, 0.5))
    wlo = np.where(churn, Tf - L, 1e9)        # start of the pre-churn window

    # purchase slowdown before churn
    p_slow = np.array([0.8, 0.7, 0.85, 0.65, 0.0])
    has_slow = churn & (rng.random(n) < np.where(reason >= 0, p_slow[np.maximum(reason, 0)], 0))
    has_slow |= (reason == MOV) & (sub <= 1) & (rng.random(n) < 0.3)
    Ds = np.select([reason == IND, reason == PQ, reason == COMP, reason == PT],
                   [rng.lognormal(np.log(150), 0.5, n), rng.lognormal(np.log(50), 0.6, n),
                    rng.lognormal(np.log(120), 0.5, n), rng.lognormal(np.log(80), 0.6, n)],
                   rng.uniform(7, 40, n))
    Ds = np.minimum(Ds, np.maximum(life, 1))
    rend = rng.uniform(0.15, 0.55, n)

    # --- buying habits ----------------------------------------------------------------
    rate = np.array([0.65, 2.0, 4.5])[seg] * rng.lognormal(0, 0.75, n) / MONTH
    basket = np.array([45, 320, 1700])[seg] * rng.lognormal(0, 0.6, n)
    trend = rng.normal(0, 0.22, n)            # log-change per year
    bargain = rng.random(n) < 0.10
    disc_p = np.where(bargain, rng.beta(6, 4, n), rng.beta(1.2, 9, n))
    ret_q = np.array([0.04, 0.02, 0.015])[seg] * rng.lognormal(0, 0.4, n)

    # --- managers ------------------------------------------------------------------------
    care = np.clip(rng.lognormal(0, 0.45, N_MANAGERS), 0.3, 2.0)
    managed = b2b.copy()                      # consumers have no account manager
    mgr = np.full(n, -1)
    for s, pool in [(1, np.arange(10, N_MANAGERS)), (2, np.arange(0, 10))]:
        for indiff in (False, True):
            m = (seg == s) & ((reason == IND) == indiff)
            w = care[pool] ** (-1.5 if indiff else 0.0)
            mgr[m] = rng.choice(pool, m.sum(), p=w / w.sum())
    # manager changes: successor introduces themself after a lag (or never, see indifference)
    mc_t = np.full(n, 1e9)
    mc_lag = rng.lognormal(np.log(25), 0.7, n)
    m = managed & (rng.random(n) < 0.12) & (life > 60)
    mc_t[m] = start[m] + rng.random(m.sum()) * (life[m] - 30)
    m = managed & (reason == IND) & (trace == STRONG) & (rng.random(n) < 0.45)
    mc_t[m], mc_lag[m] = wlo[m], 1e9
    m = managed & (reason == IND) & (trace == WEAK) & (rng.random(n) < 0.2)
    mc_t[m], mc_lag[m] = wlo[m], rng.uniform(60, 200, m.sum())
    mgr_now = mgr.copy()                      # customers.manager_id shows the current one
    chg = managed & (mc_t < 1e8)
    lo_, size_ = np.where(seg == 2, 0, 10), np.where(seg == 2, 10, 20)
    step = rng.integers(1, 10, n)
    mgr_now[chg] = lo_[chg] + (mgr[chg] - lo_[chg] + step[chg]) % size_[chg]

    # --- episodes that happen to anyone ------------------------------------------------
    def episode(p, dmin, dmax, eligible):
        dur = rng.uniform(dmin, dmax, n)
        has = eligible & (rng.random(n) < p) & (life > dur + 30)
        a_ = np.where(has, start + rng.random(n) * (life - dur), 1e9)
        return a_, np.where(has, a_ + dur, -1e9)
    neg_a, neg_b = episode(np.where(managed, 0.20, 0.10), 60, 240, np.ones(n, bool))
    qual_a, qual_b = episode(0.09, 15, 75, np.ones(n, bool))
    price_a, price_b = episode(0.08, 45, 180, np.ones(n, bool))
    dorm_a, dorm_b = episode(0.07, 90, 270, ~churn | (life > 500))
    # a churner's dormant spell must end well before the pre-churn window
    bad = churn & (dorm_b > wlo - 60)
    dorm_a[bad], dorm_b[bad] = 1e9, -1e9
    cp_t = np.where(b2b & (rng.random(n) < 0.07), start + rng.random(n) * life, 1e9)

    # moves: stayers and other churners move now and then; moved_or_died churners with traces
    move_t = np.full(n, 1e9)
    new_reg = (home + rng.integers(1, len(REGIONS), n)) % len(REGIONS)
    m = (reason != MOV) & (rng.random(n) < np.array([0.05, 0.03, 0.01])[seg]) & (life > 60)
    move_t[m] = start[m] + 20 + rng.random(m.sum()) * (life[m] - 40)
    order_move = m.copy()                      # orders go to the new region after the move
    addr_contact = m & (rng.random(n) < 0.5)
    region_upd = m & (rng.random(n) < 0.8)
    mt = (reason == MOV) & (sub == 1)
    move_t[mt] = wlo[mt]
    ordmv = rng.random(n) < 0.7
    order_move |= mt & ordmv
    addr_contact |= mt & (~ordmv | (rng.random(n) < 0.4))
    region_upd |= mt & (rng.random(n) < 0.5)

    # key accounts often deliver to branch sites in other regions
    sites = np.stack([home, (home + rng.integers(1, 12, n)) % 12, (home + rng.integers(1, 12, n)) % 12], 1)
    nsites = np.where(seg == 2, rng.choice([1, 2, 3], n, p=[0.55, 0.3, 0.15]),
                      np.where(seg == 1, rng.choice([1, 2], n, p=[0.93, 0.07]), 1))

    # --- referrals ----------------------------------------------------------------------
    referred_by = np.full(n, -1)
    prone = np.nonzero(rng.random(n) < 0.2)[0]             # the people who recommend us
    wants = (rng.random(n) < np.array([0.14, 0.10, 0.04])[seg]) & ~old
    for _ in range(6):
        todo = np.nonzero(wants & (referred_by < 0))[0]
        if len(todo) == 0:
            break
        bound = np.searchsorted(signup[prone], signup[todo] - 3)
        ok = bound > 0
        todo, bound = todo[ok], bound[ok]
        j = prone[(rng.random(len(todo)) * bound).astype(int)]
        good = e[j] > signup[todo]                          # referrer was a customer then
        referred_by[todo[good]] = j[good]
    # personal_ties churners whose referrer left before them
    ch_idx = np.nonzero(churn)[0]
    ch_T, ch_sign = T[ch_idx], signup[ch_idx]
    for i in np.nonzero((reason == PT) & (sub == 2))[0]:
        cand = ch_idx[(ch_T >= T[i] - 182) & (ch_T <= T[i] - 14) & (ch_sign < signup[i] - 3)
                      & (ch_T > signup[i])]
        if len(cand) == 0:
            sub[i], trace[i] = 0, NONE
            continue
        j = cand[rng.integers(len(cand))]
        referred_by[i] = j
        wlo[i] = T[j]
        L[i] = T[i] - T[j]

    C.update(n=n, signup=signup, old=old, seg=seg, b2b=b2b, home=home, first=first, start=start,
             loyal=loyal, churn=churn, T=T, Tf=Tf, e=e, life=life, reason=reason, trace=trace,
             sub=sub, L=L, wlo=wlo, has_slow=has_slow, Ds=Ds, rend=rend, rate=rate, basket=basket,
             trend=trend, disc_p=disc_p, ret_q=ret_q, care=care, managed=managed, mgr=mgr,
             mgr_now=mgr_now, mc_t=mc_t, mc_lag=mc_lag, neg_a=neg_a, neg_b=neg_b, qual_a=qual_a,
             qual_b=qual_b, price_a=price_a, price_b=price_b, dorm_a=dorm_a, dorm_b=dorm_b,
             cp_t=cp_t, move_t=move_t, new_reg=new_reg, order_move=order_move,
             addr_contact=addr_contact, region_upd=region_upd, sites=sites, nsites=nsites,
             referred_by=referred_by)
    return rng, C


# ----------------------------------------------------------------------------- orders
def make_orders(rng, C):
    n, seg, churn, Tf = C["n"], C["seg"], C["churn"], C["Tf"]
    start, e = C["start"], C["e"]
    tmax = np.exp(np.maximum(0, C["trend"] * (e - start) / 365))
    ci, t = poisson_times(rng, np.arange(n), start, e, C["rate"] * 1.5 * tmax)
    d = day_of(t)
    acc = np.where(seg[ci] == 0, SEAS_C[d], SEAS_B[d]) / 1.5
    acc *= np.exp(C["trend"][ci] * (t - start[ci]) / 365) / tmax[ci]
    s0 = Tf[ci] - C["Ds"][ci]
    prog = np.clip((t - s0) / C["Ds"][ci], 0, 1)
    acc *= np.where(C["has_slow"][ci], np.exp(np.log(C["rend"][ci]) * prog), 1.0)
    acc *= np.where(in_window(t, C["dorm_a"][ci], C["dorm_b"][ci]), 0.03, 1.0)
    keep = rng.random(len(t)) < acc
    ci, t = ci[keep], t[keep]
    # long-standing customers who drew no order at all still bought once in the window
    none_yet = np.nonzero(C["old"] & ~churn & (np.bincount(ci, minlength=n) == 0))[0]
    ci = np.concatenate([ci, none_yet])
    t = np.concatenate([t, start[none_yet] + rng.random(len(none_yet)) * C["life"][none_yet]])
    # explicit first order of newcomers and last order of churners
    nf = np.nonzero(~C["old"] & (C["first"] <= e))[0]
    lastc = np.nonzero(churn & ~(~C["old"] & (np.abs(C["T"] - C["first"]) < 1e-9)))[0]
    ci = np.concatenate([ci, nf, lastc])
    t = np.concatenate([t, C["first"][nf], C["T"][lastc]])
    t = np.maximum(with_time_of_day(rng, t, C["b2b"][ci]), C["signup"][ci])  # never before sign-up
    m = len(t)

    reason, trace, wlo = C["reason"], C["trace"], C["wlo"]
    in_pre = t >= wlo[ci]
    prog = np.clip((t - wlo[ci]) / np.maximum(C["L"][ci], 1), 0, 1)
    comp_s = in_pre & (reason[ci] == COMP) & (trace[ci] == STRONG)
    comp_w = in_pre & (reason[ci] == COMP) & (trace[ci] == WEAK)
    pq_s = in_pre & (reason[ci] == PQ) & (trace[ci] == STRONG)
    pq_w = in_pre & (reason[ci] == PQ) & (trace[ci] == WEAK)
    price_ep = in_window(t, C["price_a"][ci], C["price_b"][ci])
    qual_ep = in_window(t, C["qual_a"][ci], C["qual_b"][ci])

    bf = np.ones(m)
    bf[comp_s] = 1 - 0.5 * prog[comp_s]
    bf[comp_w] = 1 - 0.2 * prog[comp_w]
    bf[price_ep] *= 0.85
    amount = np.round(np.maximum(C["basket"][ci] * rng.lognormal(0, 0.5, m) * bf, 2.0), 2)

    promo = PROMO[day_of(t)]
    dp = C["disc_p"][ci] * np.where(promo, 3.0, 1.0)
    dp = np.where(comp_s, np.maximum(dp, 0.75 + 0.15 * prog), dp)
    dp = np.where(comp_w, dp * 2 + 0.15, dp)
    dp = np.where(price_ep, dp * 2.5 + 0.1, dp)
    has_disc = rng.random(m) < np.minimum(dp, 0.95)
    pct = np.where(promo, rng.uniform(0.12, 0.30, m), rng.uniform(0.04, 0.15, m))
    pct = np.where(comp_s, rng.uniform(0.10, 0.30, m), pct)
    discount = np.where(has_disc, np.round(amount * pct / (1 - pct), 2), 0.0)

    rq = C["ret_q"][ci].copy()
    rq[pq_s] = 0.30
    rq[pq_w] = np.maximum(rq[pq_w], 0.12)
    rq[qual_ep] = np.maximum(rq[qual_ep], 0.15)
    rq += np.where(in_window(t, *DEFECT) & (seg[ci] < 2), 0.05, 0.0)
    ret = rng.random(m) < rq

    pick = rng.choice(3, m, p=[0.6, 0.25, 0.15]) % C["nsites"][ci]
    region = C["sites"][ci, pick]
    moved = C["order_move"][ci] & (t >= C["move_t"][ci])
    region = np.where(moved, C["new_reg"][ci], region)

    sales = pd.DataFrame({"ci": ci, "t": t, "amount": amount, "discount": discount,
                          "returned": False, "region": region})
    # returns: consumers' full returns of web orders flag the order; otherwise a credit note
    flag = ret & (seg[ci] == 0) & (rng.random(m) < 0.5)
    sales.loc[flag, "returned"] = True
    cn = np.nonzero(ret & ~flag)[0]
    cn_t = t[cn] + rng.uniform(2, 25, len(cn))
    okc = cn_t <= END
    cn, cn_t = cn[okc], with_time_of_day(rng, cn_t[okc], np.ones(okc.sum(), bool))
    frac = np.where(rng.random(len(cn)) < 0.5, 1.0, rng.uniform(0.15, 0.8, len(cn)))
    notes = pd.DataFrame({"ci": ci[cn], "t": cn_t, "amount": -np.round(amount[cn] * frac, 2),
                          "discount": 0.0, "returned": True, "region": region[cn]})
    notes["amount"] = np.minimum(notes["amount"], -0.01)
    sales = sales.sort_values(["t", "ci"], kind="stable").reset_index(drop=True)
    sales["order_id"] = [f"SO-{i:08d}" for i in range(1, len(sales) + 1)]
    notes = notes.sort_values(["t", "ci"], kind="stable").reset_index(drop=True)
    notes["order_id"] = [f"CN-{i:07d}" for i in range(1, len(notes) + 1)]
    return sales, notes


# ----------------------------------------------------------------------------- contacts
class Contacts:
    def __init__(self):
        self.parts = []

    def add(self, ci, t, direction, channel, topic, answered=None, hours=None):
        k = len(ci)
        if k == 0:
            return
        self.parts.append(pd.DataFrame({
            "ci": np.asarray(ci), "t": np.asarray(t, float), "direction": direction,
            "channel": np.asarray(channel, dtype=object) if not isinstance(channel, str) else channel,
            "topic": np.asarray(topic, dtype=object),
            "answered": np.full(k, np.nan) if answered is None else np.asarray(answered, float),
            "hours": np.full(k, np.nan) if hours is None else np.asarray(hours, float)}))

    def frame(self):
        return pd.concat(self.parts, ignore_index=True)


def respond(rng, C, ci, t, channel):
    """Was an inbound request answered, and how fast (hours)?  Depends on the channel, the
    company-wide backlog, neglect spells and an indifference churner's pre-churn window."""
    k = len(ci)
    p_ans = np.full(k, 0.94)
    slow = np.ones(k)
    bl = in_window(t, *BACKLOG)
    p_ans[bl], slow[bl] = 0.85, 3.0
    ng = in_window(t, C["neg_a"][ci], C["neg_b"][ci])
    p_ans[ng] = np.minimum(p_ans[ng], 0.78)
    slow[ng] *= 2.5
    pre = t >= C["wlo"][ci]
    r, tr = C["reason"][ci], C["trace"][ci]
    s = pre & (r == IND) & (tr == STRONG)
    w = pre & (r == IND) & (tr == WEAK)
    p_ans[s], slow[s] = 0.5, slow[s] * 8
    p_ans[w], slow[w] = 0.8, slow[w] * 2.5
    answered = rng.random(k) < p_ans
    base = np.select([channel == "call", channel == "chat"],
                     [rng.uniform(0, 0.3, k), rng.uniform(0.02, 1.0, k)],
                     rng.lognormal(np.log(5), 1.0, k))
    base = np.where(np.isin(channel, ["call", "chat"]) & (slow > 1.5),
                    rng.lognormal(np.log(6), 1.0, k), base)   # the call went to voicemail
    hours = np.where(answered, np.round(base * slow, 2), np.nan)
    # an answer can't come after the end of the data
    late = answered & (t + np.nan_to_num(hours) / 24 > END)
    answered[late], hours[late] = False, np.nan
    return answered, hours


def make_contacts(rng, C, sales):
    n, seg, b2b, start, e, Tf = C["n"], C["seg"], C["b2b"], C["start"], C["e"], C["Tf"]
    reason, trace, wlo, churn = C["reason"], C["trace"], C["wlo"], C["churn"]
    K = Contacts()

    # (A) campaign mailings: automated, independent of any manager's attention
    optin = rng.random(n) < np.where(b2b, 0.5, 0.65)
    unsub = np.where(churn, Tf + rng.exponential(150, n), np.where(rng.random(n) < 0.15,
                     start + rng.random(n) * (END - start), 1e9))
    # the company literally loses contact with part of the neglected: bounced address,
    # dropped from every mailing segment
    lost = (reason == IND) & (trace == STRONG) & (rng.random(n) < 0.4)
    unsub[lost] = np.minimum(unsub[lost], wlo[lost] + rng.uniform(0, 30, lost.sum()))
    days, dd = [], 8.0
    while dd < END - 2:
        days.append(dd)
        dd += rng.uniform(21, 35)
    for cd in days:
        cday = pd.Timestamp(EPOCH + pd.Timedelta(days=cd))
        pool = CAMPAIGNS_FIXED.get(cday.month, [f"Newsletter {MONTHS[cday.month - 1]} {{y}}"])
        name = pool[rng.integers(len(pool))].format(y=cday.year)
        aud = rng.choice(3, p=[0.5, 0.3, 0.2])          # all / consumers / business
        elig = optin & (start <= cd) & (unsub > cd)
        elig &= (aud == 0) | ((aud == 1) & ~b2b) | ((aud == 2) & b2b)
        elig &= rng.random(n) < 0.85
        ci = np.nonzero(elig)[0]
        sms = (~b2b[ci]) & (rng.random(len(ci)) < 0.12)
        tt = np.minimum(np.floor(cd) + (8 + rng.random(len(ci)) * 0.5 - UTC_OFFSET[int(cd)]) / 24, END)
        K.add(ci, tt, "Outbound", np.where(sms, "sms", "email"), np.full(len(ci), name, dtype=object))

    # (B) account management: calls, meetings, e-mails from the manager
    mg = np.nonzero(C["managed"])[0]
    post = np.where(churn, np.where(reason == IND, 0.0, rng.uniform(20, 150, n)), 0.0)
    hi = np.minimum(np.where(churn, Tf + post, END), END)
    base = np.where(seg == 2, 1.3, 0.3) / MONTH * C["care"][np.maximum(C["mgr"], 0)]
    ci, t = poisson_times(rng, mg, start[mg], hi[mg], base[mg])
    mult = np.where(in_window(t, C["neg_a"][ci], C["neg_b"][ci]), 0.1, 1.0)
    pre = t >= wlo[ci]
    mult *= np.where(pre & (reason[ci] == IND) & (trace[ci] == STRONG), 0.03, 1.0)
    mult *= np.where(pre & (reason[ci] == IND) & (trace[ci] == WEAK), 0.35, 1.0)
    mult *= np.where(in_window(t, C["mc_t"][ci], C["mc_t"][ci] + C["mc_lag"][ci]), 0.0, 1.0)
    mult *= SEAS_B[day_of(t)] ** 0.5
    keep = rng.random(len(t)) < mult
    ci, t = ci[keep], with_time_of_day(rng, t[keep], True)
    ch = np.where(seg[ci] == 2, rng.choice(["call", "meeting", "email"], len(ci), p=[0.5, 0.3, 0.2]),
                  rng.choice(["call", "email", "meeting"], len(ci), p=[0.6, 0.35, 0.05]))
    top = fill(rng, T_ACCOUNT, len(ci))
    top[rng.random(len(ci)) < 0.05] = None
    K.add(ci, t, "Outbound", ch, top)
    # consumers: personal touches from the customer-care team (reminders, offers, greetings)
    cs_ = np.nonzero(~b2b)[0]
    base = np.where(C["loyal"], 0.12, 0.04) / MONTH
    ci, t = poisson_times(rng, cs_, start[cs_], hi[cs_], base[cs_])
    mult = np.where(in_window(t, C["neg_a"][ci], C["neg_b"][ci]), 0.1, 1.0)
    pre = t >= wlo[ci]
    mult *= np.where(pre & (reason[ci] == IND) & (trace[ci] == STRONG), 0.03, 1.0)
    mult *= np.where(pre & (reason[ci] == IND) & (trace[ci] == WEAK), 0.35, 1.0)
    keep = rng.random(len(t)) < mult
    ci, t = ci[keep], with_time_of_day(rng, t[keep], True)
    K.add(ci, t, "Outbound", rng.choice(["sms", "email", "call"], len(ci), p=[0.4, 0.4, 0.2]),
          fill(rng, T_CARE, len(ci)))
    # a successor introduces themself (never, for the neglected indifference churners)
    intro = C["mc_t"] + C["mc_lag"]
    ci = np.nonzero(C["managed"] & (intro <= np.minimum(hi, END)))[0]
    K.add(ci, with_time_of_day(rng, intro[ci], True), "Outbound",
          rng.choice(["call", "email", "meeting"], len(ci)), fill(rng, T_INTRO, len(ci)))

    # (C) follow-ups after bigger orders, welcome calls after first orders
    s_ci, s_t = sales["ci"].to_numpy(), sales["t"].to_numpy()
    big = sales["amount"].to_numpy() > 1.2 * C["basket"][s_ci]
    first_o = ~pd.Series(s_ci).duplicated().to_numpy() & ~C["old"][s_ci]
    pf = np.where(C["managed"][s_ci] & big, 0.25 * C["care"][np.maximum(C["mgr"][s_ci], 0)], 0.0)
    pf = np.where(~b2b[s_ci] & big, 0.02, pf)
    pf = np.where(first_o, np.where(b2b[s_ci], 0.6, 0.25), pf)
    pf *= np.where(in_window(s_t, C["neg_a"][s_ci], C["neg_b"][s_ci]), 0.1, 1.0)
    pre = s_t >= wlo[s_ci]
    pf *= np.where(pre & (reason[s_ci] == IND), np.where(trace[s_ci] == STRONG, 0.03,
                   np.where(trace[s_ci] == WEAK, 0.35, 1.0)), 1.0)
    pf *= np.where(in_window(s_t, C["mc_t"][s_ci], C["mc_t"][s_ci] + C["mc_lag"][s_ci]), 0.0, 1.0)
    sel = np.nonzero(rng.random(len(s_t)) < pf)[0]
    ft = s_t[sel] + rng.uniform(1, 10, len(sel))
    ok = ft <= END
    sel, ft = sel[ok], ft[ok]
    oid = sales["order_id"].to_numpy()[sel]
    fo = first_o[sel]
    top = np.where(fo, fill(rng, T_WELCOME, len(sel)), fill(rng, T_FOLLOWUP, len(sel), oid=oid))
    K.add(s_ci[sel], with_time_of_day(rng, ft, True), "Outbound",
          rng.choice(["call", "email"], len(sel), p=[0.7, 0.3]), top)

    # (D) inbound service requests (and chasers when nobody answered)
    eng = rng.lognormal(0, 0.5, n)
    rate = np.array([0.1, 0.35, 0.9])[seg] * eng / MONTH
    hi = np.minimum(e + np.where(churn, 15, 0), END)
    ci, t = poisson_times(rng, np.arange(n), start, hi, rate)
    # customers in a quality or price episode write more
    t = with_time_of_day(rng, t, b2b[ci])
    ch = np.where(b2b[ci], rng.choice(["email", "call", "portal"], len(ci), p=[0.5, 0.4, 0.1]),
                  rng.choice(["email", "chat", "call", "portal"], len(ci), p=[0.35, 0.25, 0.3, 0.1]))
    # link order numbers to the customer's own orders where they have some
    top = fill(rng, T_SERVICE, len(ci), oid=_recent_order_ids(rng, sales, ci, t))
    ans, hrs = respond(rng, C, ci, t, ch)
    K.add(ci, t, "Inbound", ch, top, ans, hrs)
    un = np.nonzero(~ans & (rng.random(len(ci)) < 0.45))[0]
    ct = t[un] + rng.uniform(2, 9, len(un))
    ok = ct <= END
    un, ct = un[ok], ct[ok]
    ch2 = rng.choice(["email", "call"], len(un))
    a2, h2 = respond(rng, C, ci[un], ct, ch2)
    K.add(ci[un], ct, "Inbound", ch2, fill(rng, T_CHASER, len(un), extra={"orig": list(top[un])}),
          a2, h2)

    # (E) reason- and episode-specific contacts
    def inbound(ci, t, templates, channels=("email", "call"), extra=None, oid=None):
        ci = np.asarray(ci)
        t = np.asarray(t, float)
        ok = (t <= END) & (t >= 0)
        ci, t = ci[ok], with_time_of_day(rng, t[ok], b2b[ci[ok]])
        ex = {k: list(np.asarray(v)[ok]) for k, v in (extra or {}).items()}
        ch = rng.choice(list(channels), len(ci))
        a_, h_ = respond(rng, C, ci, t, ch)
        K.add(ci, t, "Inbound", ch, fill(rng, templates, len(ci), extra=ex, oid=oid), a_, h_)

    def outbound(ci, t, templates, channels=("call", "email"), extra=None):
        ci = np.asarray(ci)
        t = np.asarray(t, float)
        ok = (t <= END) & (t >= 0)
        ci, t = ci[ok], with_time_of_day(rng, t[ok], True)
        ex = {k: list(np.asarray(v)[ok]) for k, v in (extra or {}).items()}
        K.add(ci, t, "Outbound", rng.choice(list(channels), len(ci)),
              fill(rng, templates, len(ci), extra=ex))

    def uniform_in(ci, a_, b_):
        return a_[ci] + rng.random(len(ci)) * np.maximum(b_[ci] - a_[ci], 0)

    # competitor: mentions of other offers, sometimes our counter-offer; soft price questions
    cs = np.nonzero((reason == COMP) & (trace == STRONG) & (rng.random(n) < 0.75))[0]
    cs = np.concatenate([cs, cs[rng.random(len(cs)) < 0.5]])
    tt = uniform_in(cs, wlo, Tf)
    inbound(cs, tt, T_PRICE)
    co = rng.random(len(cs)) < 0.35
    outbound(cs[co], tt[co] + rng.uniform(1, 14, co.sum()), T_COUNTER)
    cw = np.nonzero((reason == COMP) & (trace == WEAK) & (rng.random(n) < 0.35))[0]
    inbound(cw, uniform_in(cw, wlo, Tf), T_PRICE_SOFT)
    # price episodes of anyone (negotiations that end in staying)
    pe = np.nonzero((C["price_a"] < 1e8) & (rng.random(n) < 0.6))[0]
    tt = uniform_in(pe, C["price_a"], C["price_b"])
    inbound(pe, tt, T_PRICE + T_PRICE_SOFT)
    co = rng.random(len(pe)) < 0.5
    outbound(pe[co], tt[co] + rng.uniform(1, 10, co.sum()), T_COUNTER)

    # moves: address-change requests
    mv = np.nonzero(C["addr_contact"])[0]
    city = np.array(CITIES, dtype=object)[C["new_reg"][mv]]
    mon = [MONTHS[(pd.Timestamp(EPOCH + pd.Timedelta(days=float(x))).month) % 12]
           for x in np.clip(C["move_t"][mv], 0, END)]
    tt = C["move_t"][mv] + rng.uniform(-12, 4, len(mv))
    tt = np.maximum(tt, start[mv])
    inbound(mv, tt, T_MOVE, ("email", "call", "portal"), extra={"city": city, "mon": mon})
    mo = rng.random(len(mv)) < 0.3
    outbound(mv[mo], tt[mo] + rng.uniform(0.5, 5, mo.sum()), T_MOVE_OUT, ("email",))
    # deaths and business closures: a notice after the last order
    dn = np.nonzero((reason == MOV) & (C["sub"] == 3))[0]
    tt = Tf[dn] + rng.uniform(10, 90, len(dn))
    isin = rng.random(len(dn)) < 0.7
    inbound(dn[isin], tt[isin], T_CLOSURE, ("call", "email"))
    outbound(dn[~isin], tt[~isin], T_CLOSURE, ("email", "call"))

    # contact person at the client left: personal_ties churners and some stayers
    cp = np.nonzero((reason == PT) & (C["sub"] == 1))[0]
    tt = wlo[cp] + rng.uniform(0, 0.5, len(cp)) * (Tf[cp] - wlo[cp])
    isin = rng.random(len(cp)) < 0.5
    inbound(cp[isin], tt[isin], T_CONTACT)
    outbound(cp[~isin], tt[~isin], T_CONTACT)
    cs2 = np.nonzero(C["cp_t"] < 1e8)[0]
    isin = rng.random(len(cs2)) < 0.5
    inbound(cs2[isin], C["cp_t"][cs2[isin]], T_CONTACT)
    outbound(cs2[~isin], C["cp_t"][cs2[~isin]], T_CONTACT)

    # (F) win-back attempts for lapsed customers (churners after the fact, dormant stayers)
    wb = np.nonzero(churn & (rng.random(n) < np.where(b2b, 0.55, 0.35)))[0]
    outbound(wb, Tf[wb] + rng.uniform(75, 200, len(wb)), T_WINBACK, ("call", "email", "sms"))
    dm = np.nonzero((C["dorm_a"] < 1e8) & (rng.random(n) < 0.35))[0]
    tt = C["dorm_a"][dm] + 90
    ok = tt < C["dorm_b"][dm]
    outbound(dm[ok], tt[ok], T_WINBACK, ("call", "email", "sms"))
    return K, inbound, outbound


def _recent_order_ids(rng, sales, ci, t):
    """The customer's latest order number before t, or a plausible one if there is none."""
    s = sales[["ci", "t", "order_id"]].sort_values(["ci", "t"], kind="stable")
    key_s = s["ci"].to_numpy() * 2000.0 + s["t"].to_numpy()
    key_q = ci * 2000.0 + t
    pos = np.searchsorted(key_s, key_q, side="right") - 1
    ok = (pos >= 0) & (s["ci"].to_numpy()[np.maximum(pos, 0)] == ci)
    ids = s["order_id"].to_numpy()[np.maximum(pos, 0)]
    fake = np.array([f"SO-{x:08d}" for x in rng.integers(1, 10**6, len(ci))], dtype=object)
    return np.where(ok, ids, fake)


# ----------------------------------------------------------------------------- complaints
def make_complaints(rng, C, sales, inbound, outbound):
    n, seg, start, e, Tf = C["n"], C["seg"], C["start"], C["e"], C["Tf"]
    reason, trace, wlo = C["reason"], C["trace"], C["wlo"]
    parts = []   # (ci, t, category, duration median days, sd, p_open)

    def add(ci, t, cat, med, sd, p_open):
        ci = np.asarray(ci)
        parts.append(pd.DataFrame({"ci": ci, "t": np.asarray(t, float),
                                   "cat": np.asarray(cat, dtype=object) if not isinstance(cat, str) else cat,
                                   "med": med, "sd": sd, "p_open": p_open}))

    cats = np.array(["delivery", "service", "quality", "price", "other"], dtype=object)
    # baseline complaints
    hi = np.minimum(e + 10, END)
    ci, t = poisson_times(rng, np.arange(n), start, hi, np.array([0.012, 0.03, 0.07])[seg] / MONTH)
    add(ci, t, rng.choice(cats, len(ci), p=[0.32, 0.22, 0.2, 0.1, 0.16]), 2.5, 1.0, 0.04)
    # quality episodes of anyone
    qe = np.nonzero(C["qual_a"] < 1e8)[0]
    qe = np.repeat(qe, 1 + rng.poisson(0.7, len(qe)))
    add(qe, C["qual_a"][qe] + rng.random(len(qe)) * (C["qual_b"][qe] - C["qual_a"][qe]),
        rng.choice(cats[[2, 1, 0]], len(qe), p=[0.7, 0.2, 0.1]), 4, 0.8, 0.05)
    # the defective batch
    s_ci, s_t = sales["ci"].to_numpy(), sales["t"].to_numpy()
    db = np.nonzero(in_window(s_t, *DEFECT) & (seg[s_ci] < 2) & (rng.random(len(s_t)) < 0.04))[0]
    add(s_ci[db], s_t[db] + rng.uniform(1, 10, len(db)), "quality", 6, 0.8, 0.06)
    # product_quality churners
    ps = np.nonzero((reason == PQ) & (trace == STRONG))[0]
    ps = np.repeat(ps, 2 + np.minimum(rng.poisson(0.8, len(ps)), 2))
    tt = wlo[ps] + rng.beta(1.5, 1, len(ps)) * (Tf[ps] + 3 - wlo[ps])
    add(ps, tt, rng.choice(cats[[2, 1, 4]], len(ps), p=[0.6, 0.3, 0.1]), 12, 0.9, 0.4)
    pw = np.nonzero((reason == PQ) & (trace == WEAK) & (rng.random(n) < 0.75))[0]
    add(pw, wlo[pw] + rng.random(len(pw)) * (Tf[pw] + 2 - wlo[pw]),
        rng.choice(cats[[2, 1]], len(pw), p=[0.7, 0.3]), 6, 0.9, 0.15)
    # competitor churners and price episodes: price complaints
    cc = np.nonzero((reason == COMP) & (rng.random(n) < np.where(trace == STRONG, 0.5,
                                                                 np.where(trace == WEAK, 0.15, 0))))[0]
    add(cc, wlo[cc] + rng.random(len(cc)) * (Tf[cc] - wlo[cc]), "price", 3, 1.0, 0.1)
    pe = np.nonzero((C["price_a"] < 1e8) & (rng.random(n) < 0.45))[0]
    add(pe, C["price_a"][pe] + rng.random(len(pe)) * (C["price_b"][pe] - C["price_a"][pe]),
        "price", 3, 1.0, 0.1)
    # indifference churners: "nobody calls back"
    ic = np.nonzero((reason == IND) & (rng.random(n) < np.where(trace == STRONG, 0.2,
                                                               np.where(trace == WEAK, 0.08, 0))))[0]
    add(ic, wlo[ic] + rng.random(len(ic)) * (Tf[ic] - wlo[ic]), "service", 15, 0.8, 0.3)

    cp = pd.concat(parts, ignore_index=True)
    cp = cp[(cp["t"] >= 0) & (cp["t"] <= END)].reset_index(drop=True)
    b2b = C["b2b"][cp["ci"].to_numpy()]
    cp["t"] = with_time_of_day(rng, cp["t"].to_numpy(), b2b)
    k = len(cp)
    dur = np.maximum(rng.lognormal(np.log(cp["med"].to_numpy(float)), cp["sd"].to_numpy(float)), 0.03)
    res = cp["t"].to_numpy() + dur
    res[(rng.random(k) < cp["p_open"].to_numpy(float)) | (res > END)] = np.nan
    cp["resolved"] = res
    cp = cp.sort_values(["t", "ci"], kind="stable").reset_index(drop=True)
    cp["complaint_id"] = [f"CMP-{i:06d}" for i in range(1, len(cp) + 1)]
    cp["channel"] = rng.choice(["web form", "phone", "e-mail"], len(cp), p=[0.4, 0.35, 0.25])

    # complaint-linked contacts: the complaint itself and, often, our resolution call
    ci, t, cat = cp["ci"].to_numpy(), cp["t"].to_numpy(), cp["cat"].to_numpy()
    lk = rng.random(len(cp)) < 0.85
    for c, tpl in [("quality", T_QUALITY), ("service", T_SERVICE_CMP), ("delivery", T_DELIVERY),
                   ("price", T_PRICE), ("other", T_OTHER_CMP)]:
        m = lk & (cat == c)
        inbound(ci[m], t[m], tpl, ("email", "call", "portal"),
                oid=_recent_order_ids(rng, sales, ci[m], t[m]))
    rs = ~np.isnan(res := cp["resolved"].to_numpy()) & (rng.random(len(cp)) < 0.55)
    outbound(ci[rs], res[rs], ["Replacement shipped", "Credit note issued",
                               "Called to apologise, refund agreed", "Complaint closed",
                               "Follow-up on your complaint", "Courier claim filed, customer informed",
                               "Explained price change", "Resolution e-mail sent"], ("call", "email"))
    return cp


# ----------------------------------------------------------------------------- surveys
def sat_shift(C, ci, t):
    """How a customer's state at t moves a satisfaction score."""
    r, tr = C["reason"][ci], C["trace"][ci]
    pre = t >= C["wlo"][ci] - 30
    s = np.zeros(len(ci))
    s += np.where(pre & (r == PQ), np.select([tr == STRONG, tr == WEAK], [-3.5, -2.0], 0.0), 0.0)
    s += np.where(pre & (r == IND), np.select([tr == STRONG, tr == WEAK], [-1.5, -0.8], 0.0), 0.0)
    s += np.where(pre & (r == COMP), np.select([tr == STRONG, tr == WEAK], [-1.0, -0.5], 0.0), 0.0)
    s += np.where(in_window(t, C["qual_a"][ci], C["qual_b"][ci] + 60), -2.5, 0.0)
    s += np.where(in_window(t, C["neg_a"][ci], C["neg_b"][ci]), -1.0, 0.0)
    s += np.where(in_window(t, C["price_a"][ci], C["price_b"][ci]), -0.6, 0.0)
    s += np.where(in_window(t, DEFECT[0], DEFECT[1] + 45), -0.3, 0.0)
    return s


def make_surveys(rng, C, cp):
    n, start, e, churn, Tf = C["n"], C["start"], C["e"], C["churn"], C["Tf"]
    reason, trace = C["reason"], C["trace"]
    base = np.clip(rng.normal(7.8, 1.3, n), 3, 10)
    rows = []
    # pulse waves, spring and autumn
    for w in ["2023-04-17", "2023-10-16", "2024-04-15", "2024-10-14", "2025-04-14", "2025-10-13"]:
        wd = D(w)
        elig = (start <= wd - 20) & (e >= wd) & (rng.random(n) < 0.3)
        pre = wd >= C["wlo"] - 30
        p = np.where(pre & churn, np.where((reason == PQ) & (trace == STRONG), 0.35, 0.2), 0.33)
        ci = np.nonzero(elig & (rng.random(n) < p))[0]
        t = np.minimum(wd + rng.exponential(4, len(ci)), END)
        t = with_time_of_day(rng, t, C["b2b"][ci])
        sc = np.clip(np.round(base[ci] + sat_shift(C, ci, t) + rng.normal(0, 1.0, len(ci))), 0, 10)
        rows.append(pd.DataFrame({"ci": ci, "t": t, "kind": "Pulse", "score": sc, "reason": ""}))
    # short satisfaction question after a complaint was closed
    ok = ~np.isnan(cp["resolved"].to_numpy()) & (rng.random(len(cp)) < 0.35)
    ci = cp["ci"].to_numpy()[ok]
    dur = (cp["resolved"] - cp["t"]).to_numpy()[ok]
    t = cp["resolved"].to_numpy()[ok] + rng.uniform(0.1, 4, ok.sum())
    keep = t <= END
    ci, dur, t = ci[keep], dur[keep], t[keep]
    sc = base[ci] - 1.0 - np.where(dur > 7, 2.0, 0.0) + 0.6 * sat_shift(C, ci, t) + rng.normal(0, 1.3, len(ci))
    rows.append(pd.DataFrame({"ci": ci, "t": t, "kind": "pulse", "score": np.clip(np.round(sc), 0, 10),
                              "reason": ""}))
    # exit surveys of churners, sent after ~2 months of silence
    confuse = {IND: ([COMP, PQ, PT, MOV], [0.4, 0.3, 0.15, 0.15]), PQ: ([IND, COMP], [0.5, 0.5]),
               COMP: ([IND, PQ], [0.6, 0.4]), PT: ([IND, COMP], [0.6, 0.4]),
               MOV: ([IND, PT], [0.7, 0.3])}
    ex = np.nonzero(churn & (rng.random(n) < np.array([0.22, 0.35, 0.45])[C["seg"]]))[0]
    t = Tf[ex] + 60 + rng.lognormal(np.log(20), 0.8, len(ex))
    ex, t = ex[t <= END], t[t <= END]
    rep = reason[ex].copy()
    lie = rng.random(len(ex)) < 0.28
    for r, (alts, p) in confuse.items():
        m = lie & (reason[ex] == r)
        rep[m] = rng.choice(alts, m.sum(), p=p)
    txt = np.array(REASONS, dtype=object)[rep]
    txt[rng.random(len(ex)) < 0.06] = ""
    mu = np.select([reason[ex] == PQ, reason[ex] == MOV, reason[ex] == PT], [2.5, 7.0, 6.0], 4.5)
    sc = np.clip(np.round(rng.normal(mu, 2.0)), 0, 10)
    sc[rng.random(len(ex)) < 0.25] = np.nan
    rows.append(pd.DataFrame({"ci": ex, "t": with_time_of_day(rng, t, C["b2b"][ex]), "kind": "exit",
                              "score": sc, "reason": txt}))
    # dormant stayers answer the same exit survey, then come back later
    dm = np.nonzero((C["dorm_a"] < 1e8) & (rng.random(n) < 0.25))[0]
    t = C["dorm_a"][dm] + 60 + rng.lognormal(np.log(15), 0.7, len(dm))
    ok = (t < C["dorm_b"][dm]) & (t <= END)
    dm, t = dm[ok], t[ok]
    txt = np.array(REASONS, dtype=object)[rng.choice(5, len(dm), p=[0.55, 0.15, 0.2, 0.05, 0.05])]
    rows.append(pd.DataFrame({"ci": dm, "t": with_time_of_day(rng, t, C["b2b"][dm]), "kind": "exit",
                              "score": np.clip(np.round(rng.normal(5.5, 2, len(dm))), 0, 10),
                              "reason": txt}))
    sv = pd.concat(rows, ignore_index=True)
    return sv.sort_values(["t", "ci"], kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------- output
def fmt_bool(rng, b, signup):
    legacy = signup < D("2021-01-01")
    u = rng.random(len(b))
    yes = np.where(u < 0.8, "yes", np.where(u < 0.9, "Yes", "true"))
    no = np.where(u < 0.8, "no", np.where(u < 0.9, "No", "false"))
    return np.where(legacy, np.where(b, "1", "0"), np.where(b, yes, no))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--customers", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t0 = time.time()
    os.makedirs(args.out, exist_ok=True)

    rng, C = simulate(args.customers, args.seed)
    sales, notes = make_orders(rng, C)
    K, inbound, outbound = make_contacts(rng, C, sales)
    cp = make_complaints(rng, C, sales, inbound, outbound)
    sv = make_surveys(rng, C, cp)

    n = C["n"]
    ids = np.array([f"K-{i:06d}" for i in range(1, n + 1)], dtype=object)

    # orders
    orders = pd.concat([sales, notes], ignore_index=True).sort_values(["t", "order_id"], kind="stable")
    out = pd.DataFrame({
        "order_id": orders["order_id"].to_numpy(),
        "customer_id": ids[orders["ci"].to_numpy()],
        "ordered_at": days_to_ts(orders["t"].to_numpy()).astype("datetime64[us, UTC]"),
        "amount": orders["amount"].to_numpy(float),
        "discount_amount": orders["discount"].to_numpy(float),
        "returned": orders["returned"].to_numpy(bool),
        "region": np.array(REGIONS, dtype=object)[orders["region"].to_numpy(int)],
    })
    out.to_parquet(os.path.join(args.out, "orders.parquet"), index=False)

    # contacts
    kf = K.frame()
    kf = kf[(kf["t"].to_numpy() >= C["start"][kf["ci"].to_numpy()] - 1e-9) & (kf["t"].to_numpy() <= END)]
    kf = kf.sort_values(["t", "ci"], kind="stable")
    ans = kf["answered"].to_numpy()
    pd.DataFrame({
        "customer_id": ids[kf["ci"].to_numpy()],
        "contacted_at": days_to_ts(kf["t"].to_numpy()).astype("datetime64[us, UTC]"),
        "direction": kf["direction"].to_numpy(),
        "channel": kf["channel"].to_numpy(),
        "topic": kf["topic"].to_numpy(),
        "answered": pd.array(np.where(np.isnan(ans), None, ans == 1), dtype="boolean"),
        "response_hours": kf["hours"].to_numpy(float),
    }).to_parquet(os.path.join(args.out, "contacts.parquet"), index=False)

    # customers
    region_now = np.where(C["region_upd"], C["new_reg"], C["home"])
    ref = C["referred_by"]
    mgr = C["mgr_now"]
    pd.DataFrame({
        "customer_id": ids,
        "signed_up_at": fmt_ts(rng, C["signup"], allow_date=True),
        "segment": np.array(SEGMENTS, dtype=object)[C["seg"]],
        "region": np.array(REGIONS, dtype=object)[region_now],
        "loyalty_member": fmt_bool(rng, C["loyal"], C["signup"]),
        "referred_by": np.where(ref >= 0, ids[np.maximum(ref, 0)], ""),
        "manager_id": np.where(mgr >= 0, np.char.add("AM-", (101 + np.maximum(mgr, 0)).astype(str)), ""),
    }).to_csv(os.path.join(args.out, "customers.csv"), index=False)

    # complaints (one timestamp style per row, as each source system writes its own)
    style = rng.choice(3, len(cp), p=[0.5, 0.3, 0.2])
    pd.DataFrame({
        "complaint_id": cp["complaint_id"],
        "customer_id": ids[cp["ci"].to_numpy()],
        "opened_at": fmt_ts(rng, cp["t"].to_numpy(), style=style),
        "category": mixed_case(rng, cp["cat"].to_numpy()),
        "resolved_at": fmt_ts(rng, cp["resolved"].to_numpy(), style=style),
        "channel": cp["channel"],
    }).to_csv(os.path.join(args.out, "complaints.csv"), index=False)

    # surveys
    sc = sv["score"].to_numpy(float)
    pd.DataFrame({
        "survey_id": [f"SV-{i:06d}" for i in range(1, len(sv) + 1)],
        "customer_id": ids[sv["ci"].to_numpy()],
        "answered_at": fmt_ts(rng, sv["t"].to_numpy()),
        "kind": mixed_case(rng, sv["kind"].to_numpy(), p_upper=0.15, p_title=0.0, p_space=0.0),
        "score": pd.array(np.where(np.isnan(sc), None, sc), dtype="Int64"),
        "reason": mixed_case(rng, sv["reason"].to_numpy(), p_upper=0.05, p_title=0.25),
    }).to_csv(os.path.join(args.out, "surveys.csv"), index=False)

    # truth: churned_at = the churner's last row in orders
    last = orders.groupby("ci")["t"].max()
    lt = np.full(n, np.nan)
    lt[last.index.to_numpy()] = last.to_numpy()
    churn = C["churn"]
    ch_at = np.where(churn, days_to_ts(np.nan_to_num(lt)).strftime("%Y-%m-%dT%H:%M:%S+00:00"), "")
    pd.DataFrame({
        "customer_id": ids,
        "churned_at": ch_at,
        "true_reason": np.where(churn, np.array(REASONS, dtype=object)[np.maximum(C["reason"], 0)], ""),
    }).to_csv(os.path.join(args.out, "truth.csv"), index=False)

    print(f"wrote {args.out}: {n} customers, {len(out)} order rows, {len(kf)} contacts, "
          f"{len(cp)} complaints, {len(sv)} survey answers, {churn.sum()} churners "
          f"({churn.mean():.1%}) in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
