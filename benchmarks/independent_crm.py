"""A CRM written independently of this project: CSV tables in the documented contract, with truth.

Written for the benchmark `benchmarks/independent_reasons.py` by an author who had read only the
README's contract tables and the observable signals per reason in CONTEXT.md, never the project's
own generator (`features/synthetic.py`) or feature code: it plants each reason's traces its own way
(its own timing and strength, a quarter of churners leaving no trace, noise among stayers) and uses
the contract's other formats (offsets in timestamps, yes/no and 1/0 booleans, codes in any case).
Kept as its author wrote it: changing it to suit the pipeline would defeat its purpose.

Usage: python benchmarks/independent_crm.py --out DIR --customers N --seed S
(orders, customers, contacts, complaints and surveys as CSV, and truth.csv: customer_id,
churned_at, true_reason). numpy and pandas only; deterministic per seed.
"""

import argparse
import os
import time

import numpy as np
import pandas as pd

EPOCH = np.datetime64("2023-01-01T00:00", "m")
END = 1096.0  # 2026-01-01 00:00 UTC, in days since EPOCH
CAP = END - 3.0 / 24.0  # last event time allowed: 2025-12-31 21:00 UTC

REASONS = np.array(["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"])
SHARES = np.array([0.67, 0.15, 0.09, 0.05, 0.04])
IND, PQ, COMP, PT, MOV = range(5)

REGIONS = np.array(
    [
        "Kyiv",
        "Lviv",
        "Odesa",
        "Kharkiv",
        "Dnipro",
        "Vinnytsia",
        "Poltava",
        "Chernihiv",
        "Uzhhorod",
        "Ivano-Frankivsk",
    ]
)
REGION_P = np.array([0.24, 0.14, 0.12, 0.11, 0.11, 0.07, 0.06, 0.05, 0.05, 0.05])
SEGMENTS = np.array(["retail", "horeca", "smb", "enterprise"])
SEG_P = np.array([0.55, 0.15, 0.22, 0.08])
SEG_BASKET = np.array([60.0, 380.0, 240.0, 1400.0])
SEG_INTERVAL = np.array([1.3, 0.5, 0.9, 0.8])
SEG_LIFE = np.array([0.85, 0.9, 1.05, 1.5])
SEG_OUT_RATE = np.array([1 / 80, 1 / 45, 1 / 40, 1 / 20])

OUT_TOPICS = np.array(
    [
        "Quarterly check-in call",
        "New catalogue sent",
        "Spring promo offer",
        "Invoice reminder",
        "Invitation to the loyalty programme",
        "Satisfaction check call",
        "New arrivals newsletter",
        "Seasonal price list",
        "Account review meeting",
        "Birthday greeting with coupon",
    ]
)
OUT_CHANNELS = np.array(["call", "email", "sms", "meeting", "chat"])
OUT_CH_P = np.array([0.35, 0.35, 0.15, 0.07, 0.08])
FOLLOW_TOPICS = np.array(
    [
        "Follow-up call after delivery",
        "How was your last order?",
        "Post-purchase feedback call",
        "Checking the order arrived fine",
    ]
)
IN_TOPICS = np.array(
    [
        "Invoice copy",
        "Question about delivery time",
        "Change of contact person",
        "Request for price list",
        "Order status?",
        "Bulk order inquiry",
        "Payment terms question",
        "Update billing details",
        "Product availability",
        "Request for certificate of conformity",
    ]
)
IN_NOISE_TOPICS = np.array(
    [
        "Asked about the competitor promo in the newspaper",
        "Price match request",
        "Complained the goods were scratched",
        "Asked for a refund on one item",
        "Will be away for the summer, pause deliveries",
    ]
)
IN_CHANNELS = np.array(["call", "email", "chat", "sms", "meeting"])
IN_CH_P = np.array([0.35, 0.35, 0.22, 0.05, 0.03])
IND_TOPICS = np.array(
    [
        "Still waiting for a reply about my invoice",
        "Nobody called back about the order",
        "Requested a call back",
        "Asked who my account manager is now",
    ]
)
PQ_TOPICS = np.array(
    [
        "Item arrived damaged",
        "Product stopped working after a week",
        "Wrong size delivered again",
        "Poor packaging, goods spoiled",
        "Quality got worse than last year",
    ]
)
COMP_TOPICS = np.array(
    [
        "Asked why the competitor's price is lower",
        "Another supplier offered 15% off, can you match?",
        "Requested a price match with a competitor",
        "Got a better offer elsewhere, asked for a discount",
    ]
)
COMPLAINT_CATS = np.array(["quality", "service", "price", "delivery", "other"])


# ---------------------------------------------------------------- helpers
def _dt(days):
    m = np.floor(np.asarray(days, dtype=float) * 1440.0).astype(np.int64)
    return EPOCH + m.astype("timedelta64[m]")


def fmt_plain(days):
    """'YYYY-MM-DD HH:MM' (no offset -> UTC)."""
    s = np.datetime_as_string(_dt(days), unit="m")
    return np.char.replace(s, "T", " ")


def fmt_offset(days):
    """'YYYY-MM-DDTHH:MM:SS+03:00' (summer) / '+02:00' (winter), Kyiv-like local time."""
    dt = _dt(days)
    month = dt.astype("datetime64[M]").astype(np.int64) % 12 + 1
    summer = (month >= 4) & (month <= 10)
    off = np.where(summer, 180, 120).astype("timedelta64[m]")
    s = np.datetime_as_string(dt + off, unit="s")
    return np.char.add(s, np.where(summer, "+03:00", "+02:00"))


def fmt_date(days):
    return np.datetime_as_string(_dt(days), unit="D")


def vary_case(rng, codes, p=(0.55, 0.2, 0.2, 0.05)):
    """Same code in varying case / with surrounding spaces."""
    codes = np.asarray(codes).astype(str)
    uniq, inv = np.unique(codes, return_inverse=True)
    table = np.array([[c, c.upper(), c.title(), " " + c + " " if c else c] for c in uniq], dtype=object)
    style = rng.choice(4, size=len(codes), p=np.asarray(p))
    return table[inv, style]


def poisson_events(rng, start, end, rate):
    """Homogeneous Poisson events per customer on [start, end)."""
    dur = np.clip(end - start, 0.0, None)
    dur = np.where(np.isfinite(dur), dur, 0.0)
    n = rng.poisson(rate * dur)
    idx = np.repeat(np.arange(len(start)), n)
    t = start[idx] + rng.random(idx.size) * dur[idx]
    return idx, t


def subset_events(rng, mask, start, end, rate):
    """Poisson events only for customers in mask."""
    ids = np.flatnonzero(mask)
    i, t = poisson_events(rng, start[ids], end[ids], rate[ids])
    return ids[i], t


# ---------------------------------------------------------------- main
def generate(N, seed):
    rng = np.random.default_rng(seed)
    cust = np.arange(N)

    # managers
    M = max(5, N // 500)
    mgr_dil = rng.lognormal(0.0, 0.35, M)  # outbound diligence
    mgr_ans = rng.uniform(0.86, 0.98, M)  # share of inbound answered
    mgr_resp = rng.uniform(2.0, 14.0, M)  # median response hours
    mgr_follow = rng.uniform(0.10, 0.55, M)  # follow-up-after-order propensity

    # customers
    seg = rng.choice(4, N, p=SEG_P)
    region = rng.choice(len(REGIONS), N, p=REGION_P)
    loyal = rng.random(N) < 0.35
    mgr = rng.integers(0, M, N)
    old = rng.random(N) < 0.35
    signup = np.where(old, rng.uniform(-4 * 365, -1, N), rng.random(N) ** 0.85 * (END - 45))
    a = np.maximum(signup, 0.0)  # observation start
    g = np.clip(rng.lognormal(np.log(28), 0.85, N) * SEG_INTERVAL[seg], 4, 200)

    # churn date: exponential life after a minimum run-in
    scale = 365 * 3.8 * np.where(loyal, 1.3, 1.0) * SEG_LIFE[seg] * (g / 28) ** -0.15
    churn_raw = a + np.maximum(45, 1.2 * g) + rng.exponential(scale)
    is_ch = churn_raw < END - 1.0
    churn = np.where(is_ch, np.floor(churn_raw), np.inf)
    b = np.minimum(churn, CAP)  # events happen in [a, b)

    reason = np.full(N, -1)
    reason[is_ch] = rng.choice(5, is_ch.sum(), p=SHARES)
    s = np.where(rng.random(N) < 0.25, 0.0, rng.uniform(0.4, 1.0, N))  # trace strength
    s[~is_ch] = 0.0
    lead_lo = np.array([60, 20, 30, 30, 5])
    lead_hi = np.array([240, 120, 150, 180, 45])
    rr = np.clip(reason, 0, 4)
    L = np.where(is_ch, rng.uniform(lead_lo[rr], lead_hi[rr]), 1.0)
    win0 = churn - L  # inf for stayers
    died = is_ch & (reason == MOV) & (rng.random(N) < 0.3)
    moved_ch = is_ch & (reason == MOV) & ~died

    def window(idx, t):
        inw = (t >= win0[idx]) & (t < churn[idx])
        frac = np.clip((t - win0[idx]) / L[idx], 0.0, 1.0)
        return inw, np.where(inw, frac, 0.0)

    # --- customer-level noise traits
    bargain = rng.random(N) < 0.10
    p_disc = np.where(bargain, rng.uniform(0.7, 0.95, N), rng.beta(1.2, 8, N))
    p_disc = np.where(loyal, np.minimum(p_disc * 1.3, 0.95), p_disc)
    returner = rng.random(N) < 0.04
    p_ret = np.where(returner, rng.uniform(0.10, 0.22, N), rng.beta(1, 35, N))
    downtrader = rng.random(N) < 0.06
    quiet = rng.random(N) < 0.18
    q0 = a + rng.random(N) * np.clip(b - a - 60, 0, None)
    q1 = q0 + rng.uniform(60, 150, N)
    neglect = rng.random(N) < 0.15
    n0 = a + rng.random(N) * np.clip(b - a - 60, 0, None)
    n1 = n0 + rng.uniform(60, 180, N)
    mover_st = (~is_ch) & (rng.random(N) < 0.07) & (b - a > 90)
    move_t = np.full(N, np.inf)
    move_t[mover_st] = rng.uniform(a[mover_st] + 30, b[mover_st] - 10)
    move_t[moved_ch] = np.maximum(win0[moved_ch], a[moved_ch] + 1)
    new_region = (region + rng.integers(1, len(REGIONS), N)) % len(REGIONS)
    has_move = mover_st | moved_ch

    # --- referrals (referrer joined earlier and was still a customer then)
    by_signup = np.argsort(signup, kind="stable")
    rank = np.empty(N, dtype=np.int64)
    rank[by_signup] = cust
    referred = (rng.random(N) < 0.22) & (rank > 0)
    ref = np.full(N, -1)
    cand = by_signup[np.floor(rng.random(N) * rank).astype(np.int64)]
    ok = referred & (churn[cand] > signup)
    ref[ok] = cand[ok]
    # personal_ties: the referrer left some weeks/months before
    ch_ids = np.flatnonzero(is_ch)
    for i in np.flatnonzero(is_ch & (reason == PT)):
        if rng.random() > (0.75 if s[i] > 0 else 0.3):
            continue
        c = ch_ids[
            (churn[ch_ids] <= churn[i] - 14)
            & (churn[ch_ids] >= churn[i] - 200)
            & (signup[ch_ids] < signup[i] - 30)
            & (churn[ch_ids] > signup[i])
        ]
        if c.size:
            ref[i] = c[rng.integers(c.size)]

    # ------------------------------------------------------------ orders
    span = np.clip(b - a, 0, None)
    K = np.ceil(span / g * 1.5 + 5).astype(np.int64)
    first = np.where(old, a + rng.random(N) * g, signup + rng.exponential(1.5, N))
    tot = K.sum()
    gaps = rng.gamma(2.5, 1.0, tot) * np.repeat(g / 2.5, K)
    starts = np.cumsum(K) - K
    gaps[starts] = 0.0
    cs = np.cumsum(gaps)
    ot = np.repeat(first, K) + cs - np.repeat(cs[starts], K)
    oc = np.repeat(cust, K)
    keep = ot < b[oc]
    oc, ot = oc[keep], ot[keep]

    # thinning: quiet periods (noise) and reason-driven drift
    pk = np.ones(oc.size)
    inq = quiet[oc] & (ot >= q0[oc]) & (ot < q1[oc])
    pk[inq] *= 0.25
    inw, fr = window(oc, ot)
    r = reason[oc]
    drop = np.select([r == IND, r == PQ, r == COMP, r == PT], [0.4, 0.3, 0.25, 0.3], 0.0)
    pk *= 1.0 - drop * s[oc] * fr
    keep = rng.random(oc.size) < pk
    oc, ot = oc[keep], ot[keep]

    # make sure everybody with an active span has at least one order
    has = np.zeros(N, bool)
    has[oc] = True
    need = (~has) & (b - a > 0.5)
    add_t = np.minimum(np.where(old, a, signup) + rng.random(N) * (b - a) * 0.5, b - 0.01)
    # moved churners: a last order shipped to the new address
    gap_mv = np.where(moved_ch, churn - np.where(moved_ch, move_t, 0), 0.0)
    mv_ord = moved_ch & (rng.random(N) < np.where(s > 0, 0.55, 0.15)) & (gap_mv > 1.5)
    mv_t = np.where(moved_ch, move_t, 0) + rng.uniform(0.5, 1.0, N) * np.minimum(10, gap_mv - 0.5)
    oc = np.concatenate([oc, cust[need], cust[mv_ord]])
    ot = np.concatenate([ot, add_t[need], mv_t[mv_ord]])

    n_o = oc.size
    base = SEG_BASKET[seg] * rng.lognormal(0, 0.5, N)
    amt = base[oc] * rng.lognormal(0, 0.35, n_o)
    inw, fr = window(oc, ot)
    r = reason[oc]
    comp_w = inw & (r == COMP)
    amt[comp_w] *= 1.0 - 0.55 * s[oc][comp_w] * fr[comp_w]
    dt_ = downtrader[oc]
    life_fr = np.clip((ot - a[oc]) / np.maximum(b[oc] - a[oc], 1), 0, 1)
    amt[dt_] *= 1.0 - 0.45 * life_fr[dt_]
    pd_ = p_disc[oc].copy()
    pd_[comp_w] += (0.92 - pd_[comp_w]) * s[oc][comp_w] * np.minimum(1, 0.3 + fr[comp_w])
    discounted = rng.random(n_o) < pd_
    disc = np.where(discounted, amt * rng.uniform(0.05, 0.3, n_o), 0.0)
    pr = p_ret[oc].copy()
    pq_w = inw & (r == PQ)
    pr[pq_w] += s[oc][pq_w] * (0.15 + 0.25 * fr[pq_w])
    returned = rng.random(n_o) < pr
    oreg = region[oc].copy()
    mv = has_move[oc] & (ot >= move_t[oc])
    oreg[mv] = new_region[oc][mv]
    gift = rng.random(n_o) < 0.01
    oreg[gift] = rng.integers(0, len(REGIONS), gift.sum())

    ref_t = ot + rng.uniform(2, 20, n_o)
    sep = returned & (rng.random(n_o) < 0.4) & (ref_t < b[oc])
    flag = returned & ~sep
    ro = np.flatnonzero(sep)
    part = rng.random(ro.size) < 0.2
    ref_amt = -amt[ro] * np.where(part, rng.uniform(0.2, 0.8, ro.size), 1.0)
    orders = (
        pd.DataFrame(
            {
                "c": np.concatenate([oc, oc[ro]]),
                "t": np.concatenate([ot, ref_t[ro]]),
                "amount": np.round(np.concatenate([amt, ref_amt]), 2),
                "discount_amount": np.round(np.concatenate([disc, np.zeros(ro.size)]), 2),
                "ret": np.concatenate([flag, np.ones(ro.size, bool)]),
                "region": REGIONS[np.concatenate([oreg, oreg[ro]])],
            }
        )
        .sort_values(["t", "c"], kind="stable")
        .reset_index(drop=True)
    )
    orders["order_id"] = np.char.add("ord-", np.char.zfill(np.arange(1, len(orders) + 1).astype(str), 7))
    assert (orders["t"].to_numpy() < churn[orders["c"].to_numpy()]).all()

    # ------------------------------------------------------------ contacts
    parts = []  # (cust, t, direction, channel, topic, answered(-1 out/0/1), hours)

    def add_out(c, t, topics, channels, ch_p):
        parts.append(
            (
                c,
                t,
                np.zeros(c.size, np.int8),
                rng.choice(channels, c.size, p=ch_p),
                topics[rng.integers(0, len(topics), c.size)],
                np.full(c.size, -1, np.int8),
                np.full(c.size, np.nan),
            )
        )

    def add_in(c, t, topics, p_ans, slow):
        seasonal = np.where(_dt(t).astype("datetime64[M]").astype(np.int64) % 12 >= 10, 2.0, 1.0)
        ans = rng.random(c.size) < p_ans
        hrs = rng.lognormal(np.log(mgr_resp[mgr[c]]), 1.0, c.size) * slow * seasonal
        parts.append(
            (
                c,
                t,
                np.ones(c.size, np.int8),
                rng.choice(IN_CHANNELS, c.size, p=IN_CH_P),
                topics,
                ans.astype(np.int8),
                np.where(ans, hrs, np.nan),
            )
        )

    def ind_keep(c, t):
        """Outbound thinning: manager neglect (noise) and the indifference trace."""
        k = np.ones(c.size)
        k[neglect[c] & (t >= n0[c]) & (t < n1[c])] *= 0.15
        inw_, fr_ = window(c, t)
        w = inw_ & (reason[c] == IND)
        k[w] *= 1.0 - 0.9 * s[c][w] * np.minimum(1, 0.5 + fr_[w])
        return rng.random(c.size) < k

    # outbound baseline
    rate_out = SEG_OUT_RATE[seg] * mgr_dil[mgr] * rng.lognormal(0, 0.3, N)
    c, t = poisson_events(rng, a, b, rate_out)
    k = ind_keep(c, t)
    add_out(c[k], t[k], OUT_TOPICS, OUT_CHANNELS, OUT_CH_P)
    # follow-up after purchases
    pos = orders["amount"].to_numpy() > 0
    fc = orders["c"].to_numpy()[pos]
    ft = orders["t"].to_numpy()[pos] + rng.uniform(0.3, 5, pos.sum())
    p_f = np.clip(mgr_follow[mgr] * rng.lognormal(0, 0.3, N), 0, 0.9)
    k = (rng.random(fc.size) < p_f[fc]) & (ft < b[fc])
    fc, ft = fc[k], ft[k]
    k = ind_keep(fc, ft)
    add_out(fc[k], ft[k], FOLLOW_TOPICS, np.array(["call", "sms", "email"]), np.array([0.7, 0.2, 0.1]))

    # inbound baseline
    rate_in = np.where(seg == 0, 1 / 110, 1 / 70) * rng.lognormal(0, 0.5, N)
    c, t = poisson_events(rng, a, b, rate_in)
    noise_p = np.where(bargain[c], 0.08, 0.02)
    topics = IN_TOPICS[rng.integers(0, len(IN_TOPICS), c.size)]
    nz = rng.random(c.size) < noise_p
    topics[nz] = IN_NOISE_TOPICS[rng.integers(0, len(IN_NOISE_TOPICS), nz.sum())]
    inw, fr = window(c, t)
    w = inw & (reason[c] == IND)
    p_ans = mgr_ans[mgr[c]].copy()
    p_ans[w] *= 1.0 - 0.55 * s[c][w]
    slow = np.ones(c.size)
    slow[w] = 1.0 + 5.0 * s[c][w]
    add_in(c, t, topics, p_ans, slow)

    # reason-specific extra inbound in the run-up window
    wstart = np.maximum(win0, a)
    for rsn, rate, tops, ans_fac, slw in [
        (IND, 1 / 60, IND_TOPICS, 0.35, 4.0),
        (PQ, 1 / 30, PQ_TOPICS, 1.0, 1.0),
        (COMP, 1 / 40, COMP_TOPICS, 1.0, 1.0),
    ]:
        c, t = subset_events(rng, is_ch & (reason == rsn) & (s > 0), wstart, churn, s * rate)
        add_in(
            c, t, tops[rng.integers(0, len(tops), c.size)], mgr_ans[mgr[c]] * ans_fac, np.full(c.size, slw)
        )
    # relocation requests (movers who churn and movers who stay)
    reloc = (moved_ch & (rng.random(N) < np.where(s > 0, 0.9, 0.2))) | (mover_st & (rng.random(N) < 0.8))
    c = np.flatnonzero(reloc)
    t = np.maximum(move_t[c] - rng.uniform(0, 7, c.size), a[c])
    t = np.minimum(t, b[c] - 0.01)
    add_in(
        c,
        t,
        np.char.add(np.char.add("Moving to ", REGIONS[new_region[c]]), ", new delivery address"),
        np.full(c.size, 0.97),
        np.ones(c.size),
    )
    c = np.flatnonzero(died & (rng.random(N) < 0.25))
    t = np.maximum(churn[c] - rng.uniform(5, 60, c.size), a[c])
    add_in(
        c,
        t,
        np.full(c.size, "Asked to pause deliveries for health reasons", dtype=object),
        np.full(c.size, 0.97),
        np.ones(c.size),
    )

    cc = np.concatenate([p[0] for p in parts])
    ct = np.concatenate([p[1] for p in parts])
    keep = (ct >= a[cc]) & (ct < b[cc])
    dirn = np.concatenate([p[2] for p in parts])[keep]
    chan = np.concatenate([np.asarray(p[3], dtype=object) for p in parts])[keep]
    topic = np.concatenate([np.asarray(p[4], dtype=object) for p in parts])[keep]
    ans = np.concatenate([p[5] for p in parts])[keep]
    hrs = np.concatenate([p[6] for p in parts])[keep]
    cc, ct = cc[keep], ct[keep]
    cap_ch = rng.random(cc.size) < 0.07
    chan[cap_ch] = np.char.capitalize(chan[cap_ch].astype(str))
    contacts = pd.DataFrame(
        {
            "c": cc,
            "t": ct,
            "direction": vary_case(rng, np.where(dirn == 1, "inbound", "outbound")),
            "channel": chan,
            "topic": topic,
            "answered": np.where(ans == 1, "1", np.where(ans == 0, "0", "")),
            "response_hours": np.where(
                np.isnan(hrs), "", np.char.mod("%.1f", np.round(np.nan_to_num(hrs), 1))
            ),
        }
    ).sort_values(["t", "c"], kind="stable")

    # ------------------------------------------------------------ complaints
    cparts = []  # (cust, t, cat, p_resolved, median_hours)
    rate_c = 0.3 / 365 * rng.lognormal(0, 0.6, N) * np.where(rng.random(N) < 0.05, 6, 1)
    c, t = poisson_events(rng, a, b, rate_c)
    cparts.append((c, t, rng.choice(5, c.size, p=[0.3, 0.22, 0.15, 0.23, 0.10]), 0.93, 40.0))
    c, t = subset_events(rng, bargain, a, b, np.full(N, 0.4 / 365))
    cparts.append((c, t, np.full(c.size, 2), 0.93, 40.0))
    for rsn, rate, cat_p, p_res, med in [
        (PQ, 1 / 28, [0.6, 0.3, 0, 0.1, 0], 0.55, 240.0),
        (COMP, 1 / 60, [0, 0, 1, 0, 0], 0.9, 60.0),
        (IND, 1 / 200, [0, 0.7, 0, 0, 0.3], 0.6, 120.0),
    ]:
        c, t = subset_events(rng, is_ch & (reason == rsn) & (s > 0), wstart, churn, s * rate)
        cparts.append((c, t, rng.choice(5, c.size, p=cat_p), p_res, med))
    kc = np.concatenate([p[0] for p in cparts])
    kt = np.concatenate([p[1] for p in cparts])
    kcat = np.concatenate([p[2] for p in cparts])
    pres = np.concatenate([np.full(p[0].size, p[3]) for p in cparts])
    med = np.concatenate([np.full(p[0].size, p[4]) for p in cparts])
    res_t = kt + rng.lognormal(np.log(med), 0.9) / 24.0
    resolved = (rng.random(kc.size) < pres) & (res_t <= CAP)
    keep = (kt >= a[kc]) & (kt < b[kc])
    complaints = pd.DataFrame(
        {
            "c": kc,
            "t": kt,
            "category": vary_case(rng, COMPLAINT_CATS[kcat]),
            "resolved_at": np.where(resolved, fmt_plain(np.where(resolved, res_t, 0)), ""),
        }
    )[keep].sort_values(["t", "c"], kind="stable")

    # ------------------------------------------------------------ surveys
    responder = rng.random(N) < 0.35
    mu = np.clip(rng.normal(7.6, 1.3, N), 2, 10)
    c, t = subset_events(rng, responder, a, b, np.full(N, 1 / 120))
    extra = is_ch & (reason == PQ) & (s > 0) & (rng.random(N) < 0.3)  # post-complaint survey
    c2 = np.flatnonzero(extra)
    t2 = rng.uniform(np.maximum(wstart[c2], a[c2]), churn[c2])
    c, t = np.concatenate([c, c2]), np.concatenate([t, t2])
    inw, fr = window(c, t)
    r = reason[c]
    eff = np.select(
        [inw & (r == PQ), inw & (r == IND), inw & (r == COMP)],
        [-4.0 * s[c] * (0.5 + 0.5 * fr), -1.5 * s[c], -1.2 * s[c]],
        0.0,
    )
    score = np.clip(np.round(rng.normal(mu[c] + eff, 1.1)), 0, 10).astype(int)
    pulse = pd.DataFrame({"c": c, "t": t, "kind": "pulse", "score": score.astype(str), "reason": ""})
    ex = is_ch & (rng.random(N) < 0.33)
    ce = np.flatnonzero(ex)
    te = churn[ce] + rng.uniform(1, 30, ce.size)
    k = te <= CAP
    ce, te = ce[k], te[k]
    truthful = rng.random(ce.size) < 0.8
    other = (reason[ce] + rng.integers(1, 5, ce.size)) % 5
    er = np.where(truthful, reason[ce], other)
    esc = rng.integers(0, 7, ce.size).astype(str).astype(object)
    esc[rng.random(ce.size) < 0.2] = ""
    exits = pd.DataFrame({"c": ce, "t": te, "kind": "exit", "score": esc, "reason": REASONS[er]})
    surveys = pd.concat([pulse, exits], ignore_index=True).sort_values(["t", "c"], kind="stable")
    surveys["kind"] = vary_case(rng, surveys["kind"].to_numpy())
    surveys["reason"] = vary_case(rng, surveys["reason"].to_numpy())

    # ------------------------------------------------------------ assemble
    ids = np.char.add("cust-", np.char.zfill(cust.astype(str), 6))
    cur_region = region.copy()
    upd = mover_st | (moved_ch & (rng.random(N) < np.where(s > 0, 0.85, 0.5)))
    cur_region[upd] = new_region[upd]
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "signed_up_at": fmt_date(signup),
            "segment": SEGMENTS[seg],
            "region": REGIONS[cur_region],
            "loyalty_member": np.where(loyal, "yes", "no"),
            "referred_by": np.where(ref >= 0, ids[np.maximum(ref, 0)], ""),
            "manager_id": np.char.add("mgr-", np.char.zfill(mgr.astype(str), 3)),
            "cancelled_at": "",
        }
    )
    out = {
        "customers": customers,
        "orders": pd.DataFrame(
            {
                "order_id": orders["order_id"],
                "customer_id": ids[orders["c"].to_numpy()],
                "ordered_at": fmt_plain(orders["t"].to_numpy()),
                "amount": orders["amount"],
                "discount_amount": orders["discount_amount"],
                "returned": np.where(orders["ret"].to_numpy(), "true", "false"),
                "region": orders["region"],
            }
        ),
        "contacts": pd.DataFrame(
            {
                "customer_id": ids[contacts["c"].to_numpy()],
                "contacted_at": fmt_offset(contacts["t"].to_numpy()),
                "direction": contacts["direction"].to_numpy(),
                "channel": contacts["channel"].to_numpy(),
                "topic": contacts["topic"].to_numpy(),
                "answered": contacts["answered"].to_numpy(),
                "response_hours": contacts["response_hours"].to_numpy(),
            }
        ),
        "complaints": pd.DataFrame(
            {
                "customer_id": ids[complaints["c"].to_numpy()],
                "opened_at": fmt_offset(complaints["t"].to_numpy()),
                "category": complaints["category"].to_numpy(),
                "resolved_at": complaints["resolved_at"].to_numpy(),
            }
        ),
        "surveys": pd.DataFrame(
            {
                "customer_id": ids[surveys["c"].to_numpy()],
                "answered_at": fmt_date(surveys["t"].to_numpy()),
                "kind": surveys["kind"].to_numpy(),
                "score": surveys["score"].to_numpy(),
                "reason": surveys["reason"].to_numpy(),
            }
        ),
        "truth": pd.DataFrame(
            {
                "customer_id": ids,
                "churned_at": np.where(
                    is_ch, np.char.add(fmt_date(np.where(is_ch, churn, 0)), "T00:00:00+00:00"), ""
                ),
                "true_reason": np.where(is_ch, REASONS[rr], ""),
            }
        ),
    }
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--customers", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t0 = time.time()
    tables = generate(args.customers, args.seed)
    os.makedirs(args.out, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(os.path.join(args.out, name + ".csv"), index=False)
    truth = tables["truth"]
    ch = truth["true_reason"] != ""
    print("rows:", {k: len(v) for k, v in tables.items()})
    print(f"churn share: {ch.mean():.3f}")
    print("reason mix:", truth.loc[ch, "true_reason"].value_counts(normalize=True).round(3).to_dict())
    print(f"seconds: {time.time() - t0:.1f}")


if __name__ == "__main__":
    main()
