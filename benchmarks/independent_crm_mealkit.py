"""Synthetic CRM of "Fork & Field", a UK meal-kit subscription (weekly recipe boxes), 2023-2025.

Design note
-----------
Customers sign up (a January-2023 launch wave, then steady and growing acquisition), choose a plan
(segment: Couples, Family, Solo, Veggie, Lean & Light), and get one box a week on a fixed delivery
day. Every delivered box is an order: `amount` is what was charged after vouchers, `discount_amount`
is the voucher (intro offers on the first boxes, promo codes, retention offers), `region` is the
delivery region.  Refunds for damaged / missing items are separate negative rows with returned=true.
Customers skip weeks and pause for several weeks (holidays, busy periods) without cancelling.
Churn = cancellation: `customers.cancelled_at` (empty for stayers). A box already paid for may still
arrive up to a week after cancelling; nothing after that. Cancellation follows a heterogeneous
constant hazard after signup, so the flow of leavers is steady and grows with the base.
Times are written with the Europe/London offset (BST/GMT) in Parquet.

Each churner gets a true reason (survey shares 67/15/9/5/4) and, usually but not always, traces
that start 1.5-7 months before cancelling.  Stayers (and churners of other reasons) get the same
kinds of traces at lower rates, so no trace is a give-away.
- indifference: a "neglect" window. Outbound care touches (check-in calls, account-manager emails)
  mostly stop, the post-first-box follow-up call is more often missing, inbound messages go
  unanswered or wait days, customers chase ("still waiting for a reply"), the account manager is
  more often reassigned (a "new account manager" intro) or missing altogether (manager_id empty).
  Pulse scores dip a little.
- product_quality: a "quality" window. Quality / delivery / service complaints, some never resolved,
  more refunds for missing or damaged items, quality-related inbound messages, low pulse scores.
- competitor: a "price" window. Price complaints, inbound messages quoting rivals' offers, most boxes
  bought with vouchers, downgrades to fewer recipes (shrinking basket), more skips; fewer are in the
  Rewards Club (loyalty_member).
- personal_ties: weak signals. Often referred by a friend who cancelled some weeks earlier;
  now and then a message about sharing a box with family, and fewer Rewards Club members.
- moved_or_died: most moved: a change-of-address / "do you deliver to..." message, the last boxes go
  to a new region, customers.region updated (usually).  Some died: no trace before; a relative
  writes at cancellation.
All churners skip more in their last weeks (a symptom, not a reason).  Some churners answer an exit
survey 0-2 weeks after cancelling; ~62% tick their true reason, the rest tick something else.
Pulse surveys (0-10) are answered a few times a year by some customers.
Texts (contact topics, complaint descriptions) are written in British English the way customers
and staff type them: ticket numbers, Re:/Fwd: prefixes, typos, lowercase, with and without accents.
"""
import argparse
import os
import random
import time

import numpy as np
import pandas as pd

REASONS = ["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"]
SHARES = [0.67, 0.15, 0.09, 0.05, 0.04]
T0 = pd.Timestamp("2023-01-01", tz="UTC")
END = 1095.99  # days since 2023-01-01 00:00 UTC: 2025-12-31 23:45
REGIONS = ["London", "South East", "South West", "East of England", "East Midlands", "West Midlands",
           "Yorkshire and the Humber", "North West", "North East", "Wales", "Scotland"]
REGION_W = [0.17, 0.16, 0.09, 0.1, 0.07, 0.08, 0.08, 0.1, 0.04, 0.05, 0.06]
SEGMENTS = ["Couples", "Family", "Solo", "Veggie", "Lean & Light"]
SEGMENT_W = [0.42, 0.27, 0.08, 0.13, 0.10]
COMPS = ["HelloFresh", "Hello Fresh", "hellofresh", "Gousto", "gousto", "Gusto", "Mindful Chef",
         "Green Chef", "SimplyCook", "Abel & Cole", "Riverford", "Tesco meal deal"]
CITIES = ["Leeds", "Bristol", "Manchester", "Cardiff", "Edinburgh", "Glasgow", "Brighton", "Norwich",
          "York", "Bath", "Nottingham", "Sheffield", "Newcastle", "Oxford", "Reading", "Swansea"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "weds", "thurs"]
RELS = ["mum", "dad", "husband", "wife", "father", "mother", "partner", "grandmother", "nan"]
FRIENDS = ["sister", "brother", "best friend", "flatmate", "mum", "neighbour", "daughter", "in-laws"]
SHOPS = ["Aldi", "Lidl", "Tesco", "Sainsbury's", "Asda", "Morrisons"]
# (with accents, without): people often skip them
INGS = [("crème fraîche", "creme fraiche"), ("jalapeños", "jalapenos"), ("purée", "puree"),
        ("sautéed potatoes", "sauteed potatoes"), ("ragù sauce", "ragu sauce"), ("pâté", "pate"),
        ("chicken breast", None), ("salmon", None), ("pak choi", None), ("halloumi", None),
        ("mince", None), ("feta", None), ("coriander", None), ("spring onions", None),
        ("avocado", None), ("naan", None), ("gnocchi", None), ("king prawns", None), ("chorizo", None),
        ("tenderstem", None), ("lime", None), ("sweet potato", None), ("rice", None), ("eggs", None)]
DISHES = [("crème brûlée", "creme brulee"), ("beef ragù", "beef ragu"), ("jalapeño burgers",
          "jalapeno burgers"), ("café-style brunch", "cafe style brunch"), ("chicken katsu", None),
          ("Thai green curry", None), ("halloumi fajitas", None), ("tikka masala", None),
          ("teriyaki salmon", None), ("mushroom risotto", None), ("pork bao buns", None),
          ("fish pie", None), ("veggie chilli", None), ("pad thai", None), ("lamb kofta", None)]

TEXTS = {
    "general": ["change delivery day to {day}", "Can I swap my delivery to {day}?", "skip next week pls",
                "How do I pause for {n} weeks", "update card details", "Payment failed?", "payment declined",
                "question about the {dish} recipe", "allergen info for {dish}", "is the {ing} gluten free?",
                "add an extra portion to next box", "courier left box with neighbour",
                "Delivery instructions - leave in porch", "cant log in to my account", "password reset",
                "Voucher code not working", "change plan to {r} recipes", "where is my box?",
                "Box arriving late today?", "Do you take back the ice packs", "Add dessert to my order",
                "Can I choose my recipes after the cut off", "wrong email on account",
                "Gift card balance", "swap {dish} for something else", "Delivery slot change",
                "Update mobile number", "can I get the box earlier on {day}s", "Referral code query",
                "recipe card for {dish} missing from the app", "How do I skip Christmas week?"],
    "quality": ["{ing} was mouldy", "the {ing} was off, smelt awful", "missing {ing} AGAIN",
                "Box arrived warm, ice packs fully melted", "crushed {ing}, bag leaked everywhere",
                "portion sizes tiny for 2 people", "recipe card didnt match the ingredients",
                "Chicken past its use by date!!", "3rd time something is missing from my box",
                "quality has really gone downhill lately", "{dish} was bland and the veg was limp",
                "damaged box - {ing} split everywhere", "meat smelt funny, had to bin it",
                "not happy with the last few boxes", "wrong recipe sent - got {dish} instead",
                "{ing} missing from {dish} kit", "veg going off the day after delivery",
                "Refund request - {ing} missing", "Missing items in last box", "fish was not fresh",
                "half the {ing} was rotten", "ingredients warm on arrival, is this safe?",
                "again no {ing} in the bag, v disappointed", "Poor quality {dish}",
                "complaint about box {date}", "{ing} leaked all over the other ingredients"],
    "price": ["{comp} are offering {pct}% off, can you match?", "found a cheaper deal with {comp}",
              "price has gone up again?", "why is my box £{price} now", "any discount codes going?",
              "too expensive for us at the moment", "Got a flyer from {comp} - {pct}% off first box",
              "can I get the new customer offer again", "cheaper to just do the {shop} shop tbh",
              "Is there a loyalty discount?", "Price increase - not happy", "Price match {comp}?",
              "{comp} is half the price per serving", "discount for long standing customers?",
              "looking at other options, what can you offer", "voucher for next box please",
              "my mate gets {comp} for way less"],
    "chase": ["still waiting for a reply", "3rd time asking - no response", "chasing my email from last week",
              "Is anyone there??", "no answer on chat for 2 days", "Nobody got back to me about my {topic}",
              "following up AGAIN", "still no response re {topic}", "hello? any update",
              "waited on hold 40 mins then cut off", "why does no one answer emails",
              "no reply to my last {n} messages"],
    "move": ["change of address", "moving to {city} next month", "new address from {date}",
             "do you deliver to {pc}?", "moving house - update delivery address",
             "relocating to {city}, can I keep my plan?", "we're moving abroad", "update postcode",
             "Address change - moving in with my {rel}", "can you deliver to my new place in {city}",
             "moving out of my flat, need to change address", "new postcode {pc}"],
    "died": ["cancelling on behalf of my late {rel}", "my {rel} passed away, please close the account",
             "Bereavement - please stop all deliveries", "account holder deceased",
             "please cancel my {rel}'s subscription, she died last month", "close account - death in family"],
    "personal": ["sharing a box with my {friend} now", "my {friend} gets {comp} so we'll split theirs",
                 "friend who referred me has cancelled, do I keep the referral credit?",
                 "my {friend} works at {comp}, staff discount", "cooking with my {friend} most nights now",
                 "my {friend} said {comp} is better tbh"],
    "cancel": ["cancel subscription", "Please cancel my account", "cancel", "want to cancel my plan",
               "Cancellation request", "how do I cancel??", "cancel my box please", "Cancel sub",
               "stop my deliveries", "close my account pls", "I'd like to cancel", "cancellation"],
    "welcome": ["Welcome to Fork & Field!", "Welcome call", "welcome email - first box details",
                "Your first box is on its way", "Welcome - getting started call"],
    "followup": ["How was your first box?", "first box follow-up call", "follow up call after first delivery",
                 "Checking in after your first week", "Feedback on first box"],
    "care": ["Checking in - how are you finding your recipes?", "Quick check-in from your account manager",
             "Your plan review", "Annual plan review", "New recipes this month - tailored picks",
             "check-in call - happy with plan", "Re: your recent delivery", "Courtesy call",
             "Following up on your last query", "Account review call", "Quick check-in",
             "Reminder: choose your recipes for {day}", "How are the new {dish} recipes?"],
    "offer": ["We miss you - {pct}% off your next box", "Personal offer: free dessert for 4 weeks",
              "Exclusive Rewards Club offer", "Your loyalty voucher is here", "Retention offer - {pct}% off 3 boxes",
              "Sorry about your last box - credit applied", "Special offer for you"],
    "newam": ["Introduction from your new account manager", "New account manager - hello!",
              "Your account has moved to a new manager", "Hi from {name}, your new account manager"],
    "winback": ["Come back for {pct}% off", "We'd love to have you back", "Win-back offer: free box",
                "Re: your cancellation - {pct}% off if you return"],
    "delivery": ["box not delivered", "courier left box in the rain", "delivered to the wrong address",
                 "arrived 6 hours late", "box delivered to no. {n} instead", "never turned up",
                 "driver threw box over the gate", "delivery missed again, no tracking update"],
    "service": ["rude agent on the phone", "charged twice for {date}", "couldn't skip week in app",
                "refund not processed yet", "chat kept disconnecting", "charged after I paused",
                "was promised a call back, never happened"],
    "other": ["too much plastic packaging", "app keeps crashing", "recipe card missing",
              "cant recycle the insulation", "menu too repetitive", "website down at cut-off"],
}
WHY = {0: ["not using it enough", "don't need it anymore", "just not for us", "fell out of the habit"],
       1: ["quality not good enough", "too many missing items", "food arriving damaged"],
       2: ["going with {comp}", "found cheaper", "too expensive"],
       3: ["sharing with family now", "my {friend} cooks for us"],
       4: ["moving away", "moving abroad", "moving in with {rel}"]}
NAMES = ["Priya", "Tom", "Sophie", "Jamie", "Aisha", "Callum", "Zoë", "Zoe", "Ollie", "Niamh", "Dan"]


def accent(r, pair):
    return pair[0] if (pair[1] is None or r.random() < 0.4) else pair[1]


def typo(r, s):
    if len(s) < 6:
        return s
    i = r.randint(1, len(s) - 3)
    op = r.random()
    if op < 0.4:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if op < 0.75:
        return s[:i] + s[i + 1:]
    return s[:i] + s[i] + s[i:]


GEN = dict(day=lambda r: r.choice(DAYS), n=lambda r: r.randint(2, 5), dish=lambda r: accent(r, r.choice(DISHES)),
           ing=lambda r: accent(r, r.choice(INGS)), r=lambda r: r.randint(2, 5), comp=lambda r: r.choice(COMPS),
           pct=lambda r: r.choice([20, 25, 30, 40, 50, 60, 65]), price=lambda r: f"{r.uniform(38, 79):.2f}",
           shop=lambda r: r.choice(SHOPS), city=lambda r: r.choice(CITIES), rel=lambda r: r.choice(RELS),
           friend=lambda r: r.choice(FRIENDS), name=lambda r: r.choice(NAMES),
           topic=lambda r: r.choice(["refund", "delivery", "account", "last box", "complaint"]),
           date=lambda r: f"{r.randint(1, 28)}/{r.randint(1, 12):02d}",
           pc=lambda r: f"{r.choice(['LS', 'BS', 'M', 'CF', 'EH', 'G', 'BN', 'NR', 'YO', 'IV', 'BT'])}"
                        f"{r.randint(1, 29)} {r.randint(1, 9)}{r.choice(['AB', 'DF', 'HQ', 'XY', 'NP'])}")


class Ctx(dict):
    """Template fields drawn on demand."""
    def __init__(self, r):
        super().__init__()
        self.r = r

    def __missing__(self, k):
        v = self[k] = GEN[k](self.r)
        return v


def fill(r, tpl, why_reason=None):
    ctx = Ctx(r)
    s = tpl.format_map(ctx)
    if why_reason is not None:
        s = s + r.choice([" - ", ", ", ". ", " as "]) + r.choice(WHY[why_reason]).format_map(ctx)
    return s


def noisy(r, s, staff=False):
    u = r.random()
    if not staff and r.random() < 0.12:
        s = typo(r, s)
    if not staff and u < 0.14:
        s = s.lower()
    elif not staff and u < 0.17:
        s = s.upper()
    elif u < 0.30:
        s = s[0].upper() + s[1:]
    v = r.random() * (3 if staff else 1)
    if v < 0.12:
        s = "Re: " + s
    elif v < 0.15:
        s = r.choice(["RE: ", "re: ", "Fwd: ", "Re: Re: "]) + s
    w = r.random() * (5 if staff else 1)
    if w < 0.14:
        s = f"[#CS-{r.randint(100000, 999999)}] " + s
    elif w < 0.22:
        s = s + f" (ticket {r.randint(100000, 999999)})"
    elif w < 0.25:
        s = f"Case {r.randint(10000, 99999)}: " + s
    return s


def texts(rng, kinds, why=None, staff=None):
    r = random.Random(int(rng.integers(2 ** 31)))
    why = [-1] * len(kinds) if why is None else why.tolist()
    staff = [False] * len(kinds) if staff is None else staff.tolist()
    return [noisy(r, fill(r, r.choice(TEXTS[k]), None if w < 0 else w), st)
            for k, w, st in zip(kinds.tolist(), why, staff)]


def ts(t):
    t = np.asarray(t, dtype=float)
    return (T0 + pd.to_timedelta(np.round(t * 86400), unit="s")).tz_convert("Europe/London")


def in_win(t, c, ws, we):
    a, b = ws[c], we[c]
    return (t >= a) & (t <= b)  # NaN windows compare False


def poisson_events(rng, idx, a, b, rate):
    a = np.nan_to_num(a)
    dur = np.nan_to_num(np.clip(b - a, 0, None))
    n = rng.poisson(rate * dur)
    c = np.repeat(idx, n)
    t = np.repeat(a, n) + rng.random(n.sum()) * np.repeat(dur, n)
    return c, t


def day_time(rng, t, lo=8.0, hi=21.0):
    """Move event times into office / waking hours (UTC, close enough to UK time)."""
    return np.floor(t) + rng.uniform(lo, hi, len(t)) / 24.0


def build(N, seed):
    rng = np.random.default_rng(seed)
    ids = np.array([f"FF{100000 + i}" for i in range(N)])
    # --- signups: January-2023 launch wave, then growing acquisition, January peaks
    k = rng.random(N)
    sign = np.where(k < 0.12, rng.uniform(0, 31, N),
                    np.where(k < 0.55, rng.uniform(0, 1050, N), rng.triangular(0, 1050, 1050, N)))
    jan = rng.random(N) < 0.10
    sign[jan] = rng.choice([365.0, 731.0], jan.sum()) + rng.uniform(0, 31, jan.sum())
    sign = day_time(rng, sign, 7, 23)
    # --- cancellation: heterogeneous constant hazard after a minimum tenure
    frail = rng.gamma(2.0, 0.5, N)
    e = rng.exponential(1.0, N)
    lo, hi = 1e-5, 0.05
    for _ in range(40):
        lam = (lo + hi) / 2
        if (sign + 12 + e / (lam * frail) < END - 0.5).mean() < 0.28:
            lo = lam
        else:
            hi = lam
    cancel = sign + 12 + e / (lam * frail)
    churn = cancel < END - 0.5
    cancel = np.where(churn, day_time(rng, cancel, 7, 23), np.nan)
    cancel = np.minimum(cancel, END - 1.0)
    reason = np.full(N, -1)
    reason[churn] = rng.choice(5, churn.sum(), p=SHARES)
    life_end = np.where(churn, cancel, END)
    L = rng.uniform(40, 220, N)

    def window(rsn, p_r, p_other, lmin=50, lmax=200):
        ws = np.full(N, np.nan)
        we = np.full(N, np.nan)
        m = (reason == rsn) & (rng.random(N) < p_r)
        ws[m] = np.maximum(cancel[m] - L[m], sign[m])
        we[m] = cancel[m]
        o = (reason != rsn) & (rng.random(N) < p_other)
        ln = rng.uniform(lmin, lmax, N)
        st = sign + rng.random(N) * np.clip(life_end - sign, 0, None)
        ws[o] = st[o]
        we[o] = np.minimum(st[o] + ln[o], life_end[o])
        return ws, we, m

    neg_s, neg_e, neg_true = window(0, 0.82, 0.16)
    qua_s, qua_e, _ = window(1, 0.80, 0.09)
    pri_s, pri_e, pri_true = window(2, 0.78, 0.10)
    # moves: moved_or_died churners (75% moved, rest died) + some stayers/others move and carry on
    died = (reason == 4) & (rng.random(N) < 0.27)
    move_t = np.full(N, np.nan)
    mv = (reason == 4) & ~died
    move_t[mv] = np.maximum(cancel[mv] - rng.uniform(4, 55, N)[mv], sign[mv] + 1)
    ms = (reason != 4) & (rng.random(N) < 0.045)
    move_t[ms] = sign[ms] + rng.random(ms.sum()) * (life_end[ms] - sign[ms])
    moved = ~np.isnan(move_t)
    region0 = rng.choice(len(REGIONS), N, p=REGION_W)
    new_reg = (region0 + rng.integers(1, len(REGIONS), N)) % len(REGIONS)
    abroad = mv & (rng.random(N) < 0.3)  # left the delivery area: no boxes at the new address
    cur_region = np.where(moved & ~abroad & (rng.random(N) < 0.85), new_reg, region0)

    # --- customers table
    seg = rng.choice(len(SEGMENTS), N, p=SEGMENT_W)
    loyal_p = np.select([reason == 2, reason == 3], [0.14, 0.2], 0.36)
    loyalty = rng.random(N) < loyal_p
    referred = np.full(N, -1)
    order_by_sign = np.argsort(sign)
    rank = np.empty(N, int)
    rank[order_by_sign] = np.arange(N)
    rf = (rng.random(N) < 0.18) & (rank > 10)
    referred[rf] = order_by_sign[(rng.random(rf.sum()) * rank[rf]).astype(int)]
    # personal ties: often referred by a friend who cancelled weeks before them
    ch_idx = np.where(churn)[0]
    ch_sorted = ch_idx[np.argsort(cancel[ch_idx])]
    ch_c = cancel[ch_sorted]
    for i in np.where((reason == 3) & (rng.random(N) < 0.58))[0]:
        a, b = np.searchsorted(ch_c, [cancel[i] - 160, cancel[i] - 4])
        for _ in range(12):
            if b <= a:
                break
            j = ch_sorted[rng.integers(a, b)]
            if sign[j] < sign[i] and j != i:
                referred[i] = j
                break
    managers = np.array([f"AM{n:03d}" for n in range(1, 46)])
    mgr = managers[rng.integers(0, len(managers), N)].astype(object)
    orphan = rng.random(N) < np.where(neg_true, 0.3, 0.05)
    mgr[orphan] = None
    reassigned = ~orphan & ((neg_true & (rng.random(N) < 0.4)) | (rng.random(N) < 0.12))
    mgr_since = sign.copy()
    rs_t = np.where(neg_true, neg_s + rng.random(N) * (neg_e - neg_s),
                    sign + rng.random(N) * (life_end - sign))
    mgr_since[reassigned] = day_time(rng, rs_t[reassigned], 9, 17)
    mgr_since[orphan] = np.nan
    customers = pd.DataFrame({
        "customer_id": ids, "signed_up_at": ts(sign), "segment": np.array(SEGMENTS)[seg],
        "region": np.array(REGIONS)[cur_region],
        "loyalty_member": loyalty, "referred_by": np.where(referred >= 0, ids[np.maximum(referred, 0)], None),
        "manager_id": mgr, "manager_since": ts(mgr_since), "cancelled_at": ts(cancel),
    })

    # --- weekly boxes
    d0 = np.floor(sign + rng.uniform(2, 7, N)) + rng.uniform(0.3, 0.7, N)
    last = np.where(churn, np.minimum(cancel + 7, END), END)
    nw = np.maximum(np.floor((last - d0) / 7).astype(int) + 1, 1)
    starts = np.concatenate([[0], np.cumsum(nw)[:-1]])
    c = np.repeat(np.arange(N), nw)
    kw = np.arange(nw.sum()) - starts[c]
    t = np.minimum(d0[c] + 7 * kw + rng.normal(0, 0.02, len(c)), END)
    npz = rng.poisson(0.5 * np.clip(life_end - sign, 0, None) / 365)
    pc = np.repeat(np.arange(N), npz)
    ps = (rng.random(len(pc)) * nw[pc]).astype(int)
    pe = np.minimum(ps + rng.integers(2, 8, len(pc)), nw[pc])
    diff = np.zeros(len(c) + 1, int)
    np.add.at(diff, starts[pc] + ps, 1)
    np.add.at(diff, starts[pc] + pe, -1)
    paused = np.cumsum(diff)[:-1] > 0
    pskip = rng.beta(2, 6, N)
    sympt = rng.uniform(20, 80, N)
    p = pskip[c] + 0.25 * (churn[c] & (t > cancel[c] - sympt[c])) \
        + 0.12 * in_win(t, c, pri_s, pri_e) + 0.08 * in_win(t, c, qua_s, qua_e)
    deliv = (rng.random(len(c)) > p) & ~paused
    after = churn[c] & (t > cancel[c])
    deliv = np.where(after, rng.random(len(c)) < 0.55, deliv) | (kw == 0)
    c, t = c[deliv], t[deliv]
    first = np.concatenate([[0], np.flatnonzero(np.diff(c)) + 1])
    nth = np.arange(len(c)) - np.repeat(first, np.diff(np.append(first, len(c))))
    people = np.select([seg == 1, seg == 2], [4, 1], 2)
    recipes = np.select([seg == 2, seg == 1], [rng.integers(3, 6, N), rng.integers(3, 5, N)], rng.integers(2, 6, N))
    downgrade = rng.random(N) < np.where(pri_true, 0.6, 0.3)
    chg_t = np.where(rng.random(N) < 0.12, sign + rng.random(N) * (life_end - sign), np.nan)
    chg_d = rng.choice([-1, 1], N)
    rec = recipes[c] - (downgrade[c] & (t > (pri_s[c] + pri_e[c]) / 2)) + chg_d[c] * (t > chg_t[c])
    rec = np.clip(rec, 2, 5)
    pps = np.array([0, 0, 5.49, 4.79, 4.39, 4.09])[rec] * np.where(people[c] == 4, 0.82, 1.0) \
        * np.where(people[c] == 1, 1.25, 1.0)
    infl = 1 + 0.06 * (t >= 425) + 0.05 * (t >= 820)
    addon = np.where(rng.random(len(c)) < 0.18, rng.choice([2.99, 3.49, 4.99, 7.99], len(c)), 0)
    gross = (rec * people[c] * pps + 4.99) * infl + addon
    intro = rng.random(N) < 0.85
    disc = np.where(intro[c], np.select([nth == 0, nth == 1, nth < 4], [0.6, 0.4, 0.2], 0.0), 0.0)
    hunter = rng.random(N) < 0.09
    u = rng.random(len(c))
    disc = np.maximum(disc, np.where(hunter[c] & (u < 0.45), rng.uniform(0.15, 0.4, len(c)), 0))
    disc = np.maximum(disc, np.where(in_win(t, c, pri_s, pri_e) & (u < 0.55), rng.uniform(0.2, 0.5, len(c)), 0))
    disc = np.maximum(disc, np.where(rng.random(len(c)) < 0.04, 0.25, 0))
    disc_amt = np.round(gross * disc, 2)
    amt = np.round(gross, 2) - disc_amt
    oreg = np.where(moved[c] & ~abroad[c] & (t >= move_t[c]), new_reg[c], region0[c])
    # refunds for missing / damaged items
    pr = 0.018 + 0.16 * in_win(t, c, qua_s, qua_e)
    r = rng.random(len(c)) < pr
    rc, rt = c[r], t[r] + rng.uniform(0.2, 2.5, r.sum())
    rfull = rng.random(r.sum()) < 0.1
    ramt = -np.round(np.where(rfull, amt[r], gross[r] * rng.uniform(0.06, 0.3, r.sum())), 2)
    keep = (rt <= last[rc]) & (rt <= END) & (ramt < 0)
    orders = pd.DataFrame({
        "customer_id": np.concatenate([c, rc[keep]]), "t": np.concatenate([t, rt[keep]]),
        "amount": np.concatenate([amt, ramt[keep]]),
        "discount_amount": np.concatenate([disc_amt, np.zeros(keep.sum())]),
        "returned": np.concatenate([np.zeros(len(c), bool), np.ones(keep.sum(), bool)]),
        "region": np.array(REGIONS)[np.concatenate([oreg, oreg[r][keep]])],
    }).sort_values("t", kind="stable").reset_index(drop=True)
    orders.insert(0, "order_id", np.char.add(np.where(orders["returned"], "RF", "BX"),
                                             np.arange(1000001, 1000001 + len(orders)).astype(str)))
    orders["ordered_at"] = ts(orders.pop("t").to_numpy())
    orders["customer_id"] = ids[orders["customer_id"].to_numpy()]

    # --- contacts
    all_i = np.arange(N)
    ev = []  # (c, t, direction, kind, why)

    def add(cc, tt, direction, kind, why=None):
        ev.append((cc, tt, direction, np.full(len(cc), kind, object),
                   np.full(len(cc), -1) if why is None else why))

    m = rng.random(N) < 0.7
    add(all_i[m], sign[m] + rng.uniform(0, 2, m.sum()), "outbound", "welcome")
    m = rng.random(N) < np.where(neg_true, 0.3, 0.66)
    add(all_i[m], d0[m] + rng.uniform(1, 6, m.sum()), "outbound", "followup")
    cc, tt = poisson_events(rng, all_i, sign + 10, life_end, rng.uniform(0.5, 1.5, N) / 70)
    keep = ~in_win(tt, cc, neg_s, neg_e) | (rng.random(len(cc)) < 0.12)
    add(cc[keep], tt[keep], "outbound", "care")
    cc, tt = poisson_events(rng, all_i, sign + 30, life_end, np.full(N, 1 / 240))
    keep = ~in_win(tt, cc, neg_s, neg_e) | (rng.random(len(cc)) < 0.3)
    add(cc[keep], tt[keep], "outbound", "offer")
    add(all_i[reassigned], mgr_since[reassigned], "outbound", "newam")
    cc, tt = poisson_events(rng, all_i, sign, life_end, rng.uniform(0.4, 1.6, N) / 120)
    add(cc, tt, "inbound", "general")
    cc, tt = poisson_events(rng, all_i, neg_s, neg_e, np.where(rng.random(N) < 0.6, 1 / 45, 0))
    add(cc, tt, "inbound", "chase")
    cc, tt = poisson_events(rng, all_i, qua_s, qua_e, np.full(N, 1 / 40))
    add(cc, tt, "inbound", "quality")
    cc, tt = poisson_events(rng, all_i, pri_s, pri_e, np.full(N, 1 / 50))
    add(cc, tt, "inbound", "price")
    cc, tt = poisson_events(rng, all_i, sign, life_end, np.where(hunter, 1 / 150, 1 / 1500))
    add(cc, tt, "inbound", "price")
    m = moved & (rng.random(N) < 0.75)
    add(all_i[m], np.maximum(move_t[m] - rng.uniform(0, 21, m.sum()), sign[m]), "inbound", "move")
    m = (reason == 3) & (rng.random(N) < 0.18) | (rng.random(N) < 0.006)
    add(all_i[m], np.maximum(life_end[m] - rng.uniform(0, 90, m.sum()), sign[m]), "inbound", "personal")
    m = churn & (rng.random(N) < 0.6) & ~died
    why = np.where(rng.random(N) < 0.35, np.where(rng.random(N) < 0.6, reason, rng.choice(5, N, p=SHARES)), -1)
    add(all_i[m], cancel[m] - rng.uniform(0, 0.1, m.sum()), "inbound", "cancel", why[m])
    m = died & (rng.random(N) < 0.8)
    add(all_i[m], cancel[m] - rng.uniform(0, 0.1, m.sum()), "inbound", "died")
    m = churn & (rng.random(N) < 0.3) & ~died
    add(all_i[m], cancel[m] + rng.uniform(14, 70, m.sum()), "outbound", "winback")
    cc = np.concatenate([e_[0] for e_ in ev])
    tt = np.concatenate([e_[1] for e_ in ev])
    dr = np.concatenate([np.full(len(e_[0]), e_[2]) for e_ in ev])
    kd = np.concatenate([e_[3] for e_ in ev])
    wy = np.concatenate([e_[4] for e_ in ev])
    tt = np.where(np.isin(kd, ["cancel", "died", "winback"]), tt, day_time(rng, tt))
    ok = tt <= END
    cc, tt, dr, kd, wy = cc[ok], tt[ok], dr[ok], kd[ok], wy[ok]
    inbound = dr == "inbound"
    ch = np.where(inbound, rng.choice(["email", "chat", "call", "chat", "email", "sms"], len(cc)),
                  rng.choice(["email", "call", "sms", "email"], len(cc)))
    neg = in_win(tt, cc, neg_s, neg_e)
    ans = inbound & (rng.random(len(cc)) < np.where(neg, 0.55, 0.95))
    hrs = np.where(neg, rng.lognormal(np.log(30), 0.8, len(cc)), rng.lognormal(np.log(3), 1.1, len(cc)))
    hrs = np.round(hrs / np.where(ch == "chat", 4, 1), 1)
    hrs = np.where(ans & ((tt + hrs / 24) <= END), hrs, np.nan)
    ans = np.where(inbound, ~np.isnan(hrs), None)
    contacts = pd.DataFrame({
        "customer_id": ids[cc], "contacted_at": ts(tt), "direction": dr, "channel": ch,
        "topic": texts(rng, kd, wy, staff=~inbound), "answered": ans, "response_hours": hrs,
        "agent_id": np.where(inbound, None, mgr[cc]),
    }).sort_values("contacted_at", kind="stable").reset_index(drop=True)

    # --- complaints
    cats = np.array(["delivery", "quality", "service", "price", "other"])
    c1, t1 = poisson_events(rng, all_i, sign, life_end, np.full(N, 1 / 420))
    k1 = rng.choice(5, len(c1), p=[0.45, 0.25, 0.12, 0.08, 0.10])
    c2, t2 = poisson_events(rng, all_i, qua_s, qua_e, rng.uniform(0.5, 1.5, N) / 35)
    k2 = rng.choice(3, len(c2), p=[0.25, 0.55, 0.20])
    c3, t3 = poisson_events(rng, all_i, pri_s, pri_e, np.where(rng.random(N) < 0.6, 1 / 70, 0))
    cc = np.concatenate([c1, c2, c3])
    tt = day_time(rng, np.concatenate([t1, t2, t3]))
    kk = np.concatenate([k1, k2, np.full(len(c3), 3)])
    unres = rng.random(len(cc)) < np.where(in_win(tt, cc, qua_s, qua_e), 0.3, 0.05)
    rt = tt + rng.lognormal(np.log(1.2), 1.0, len(cc))
    rt = np.where(unres | (rt > END), np.nan, rt)
    ok = tt <= END
    cat = cats[kk[ok]]
    complaints = pd.DataFrame({
        "customer_id": ids[cc[ok]], "opened_at": ts(tt[ok]), "category": cat, "resolved_at": ts(rt[ok]),
        "description": texts(rng, cat),
    }).sort_values("opened_at", kind="stable").reset_index(drop=True)
    complaints.insert(0, "complaint_id", [f"CMP-{70001 + i}" for i in range(len(complaints))])

    # --- surveys: pulse (a few times a year, some answer) and exit (some churners)
    cc, tt = poisson_events(rng, all_i, sign + 14, life_end, rng.uniform(0.1, 0.5, N) / 90)
    tt = day_time(rng, tt)
    base = rng.normal(7.8, 1.1, N)
    score = base[cc] - 3.2 * in_win(tt, cc, qua_s, qua_e) - 1.3 * in_win(tt, cc, neg_s, neg_e) \
        - 0.8 * in_win(tt, cc, pri_s, pri_e) + rng.normal(0, 1.2, len(cc))
    pulse = pd.DataFrame({"customer_id": cc, "t": tt, "kind": "pulse",
                          "score": np.clip(np.round(score), 0, 10), "reason": None})
    m = churn & (rng.random(N) < 0.35)
    ex = all_i[m]
    et = day_time(rng, cancel[ex] + rng.uniform(0, 14, len(ex)))
    true = reason[ex]
    alt = np.array([rng.choice([j for j in range(5) if j != r_], p=np.array([SHARES[j] for j in range(5) if j != r_])
                               / sum(SHARES[j] for j in range(5) if j != r_)) for r_ in true], dtype=int)
    said = np.where(rng.random(len(ex)) < 0.62, true, alt)
    exits = pd.DataFrame({"customer_id": ex, "t": et, "kind": "exit",
                          "score": np.where(rng.random(len(ex)) < 0.7, rng.integers(0, 8, len(ex)), np.nan),
                          "reason": np.array(REASONS)[said]})
    surveys = pd.concat([pulse, exits], ignore_index=True)
    surveys = surveys[surveys["t"] <= END].sort_values("t", kind="stable").reset_index(drop=True)
    surveys.insert(0, "answered_at", ts(surveys.pop("t").to_numpy()))
    surveys["customer_id"] = ids[surveys["customer_id"].to_numpy()]
    surveys = surveys[["customer_id", "answered_at", "kind", "score", "reason"]]

    truth = pd.DataFrame({"customer_id": ids[churn],
                          "churned_at": customers["cancelled_at"][churn].map(lambda x: x.isoformat()),
                          "true_reason": np.array(REASONS)[reason[churn]]})
    return dict(customers=customers, orders=orders, contacts=contacts, complaints=complaints,
                surveys=surveys), truth


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--customers", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t0 = time.time()
    tables, truth = build(a.customers, a.seed)
    os.makedirs(a.out, exist_ok=True)
    for name, df in tables.items():
        for ext in ("csv", "parquet"):
            if os.path.exists(os.path.join(a.out, f"{name}.{ext}")):
                os.remove(os.path.join(a.out, f"{name}.{ext}"))
        df.to_parquet(os.path.join(a.out, f"{name}.parquet"), index=False)
    truth.to_csv(os.path.join(a.out, "truth.csv"), index=False)
    print(", ".join(f"{k}={len(v)}" for k, v in tables.items()), f"churners={len(truth)}",
          f"({time.time() - t0:.1f}s)")


if __name__ == "__main__":
    main()
