"""Synthetic CRM of "a British print, signage & merch supplier" -- design note.

The business
------------
A UK supplier of commercial printing (business cards, flyers, letterheads, NCR pads), signage
(PVC and roller banners, correx/foamex boards, shop fascias, vehicle graphics) and branded
merchandise (embroidered workwear, hi-vis, hoodies, lanyards, mugs) to SMEs, mid-size firms,
schools/academies, events companies, trades, charities and hospitality venues.  Every customer has
an account manager (AM01..AM64) and a studio/production desk that sends proofs.  Orders are "jobs"
with sequential job numbers (J31000...); many are reorders of the same artwork.  Schools buy for
back-to-school and leavers' hoodies, events firms in spring/summer, offices before Christmas.
Export = CSV files: customers, orders (incl. credit notes), contacts, complaints, surveys (+truth.csv).
History 2023-01-01 .. 2025-12-31; 55% of customers already existed before 2023 (orders before the
export window are not in the data), the rest sign up steadily over the three years.

Churn
-----
~28% of customers stop ordering for good on a decision date `churned_at` (a roughly constant
hazard per segment from 30 days after sign-up, so the flow is steady and follows the size of the
active base; ~9% of churners leave in Oct-Dec 2025).  Reasons are drawn in the
survey shares (67/15/9/5/4).  Each churner has a "trouble window" of 1.5-8 months before leaving in
which the reason leaves traces -- but only with some probability, and the same kinds of episodes are
given at random to stayers (and to churners of other reasons) as background noise:

* indifference   -- mostly on accounts of less attentive AMs; in the window outbound touches (check-ins,
  account reviews, post-delivery follow-up calls) nearly stop, inbound emails go unanswered or get
  slow replies, customers chase ("3rd email about..."), sometimes the AM is changed at the start of
  the window with no handover call.  Orders fade.  ~25% show nothing special.
* product_quality -- quality/service complaints (colour off, banding, wonky cuts, peeling vinyl,
  embroidery coming apart), reprints/returns and credit notes, slow or never resolved complaints,
  low pulse (post-job NPS) scores.  Stayers have quality incidents too, mostly resolved quickly.
* competitor     -- price complaints, "can you match this quote", mentions of online printers,
  more of the orders taken only with a discount, smaller baskets; rarely on trade-account (loyalty)
  members.  Many stayers hunt discounts all the time.
* personal_ties  -- weak: often referred by a customer who has already left; very rarely a note
  that a friend/relative now does their printing.  No other signs.
* moved_or_died  -- relocation (delivery to a new region, customers.region updated, "change of
  address" emails) or the business closing / owner retiring or passing away.  Some stayers move too.

Exit survey (kind=exit) is answered by ~30% of churners 3-17 weeks after leaving, with the stated
reason often differing from the true one (indifference is often reported as price).  Pulse surveys
follow ~12% of jobs.  Texts are in British English as office managers and tradespeople write them.
"""
import argparse
import os
import time

import numpy as np
import pandas as pd

T0 = np.datetime64("2023-01-01T00:00:00", "s")
END = 1096.0                       # day index of 2026-01-01 00:00: everything must be before it
LAST_CHURN = 1093.0                # 2025-12-29
REASONS = ["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"]
SHARES = [0.67, 0.15, 0.09, 0.05, 0.04]
SEGMENTS = ["SME", "Mid-size business", "School / academy", "Events company", "Trades",
            "Charity", "Hospitality"]
SEG_P = [0.30, 0.10, 0.14, 0.12, 0.16, 0.07, 0.11]
SEG_RATE = [6, 9, 5, 8, 5, 3, 6]                   # jobs per year, typical
SEG_AMT = [140, 420, 260, 380, 230, 120, 170]      # typical job value, GBP
SEASON = np.array([
    [.8, .9, 1., 1., 1., .9, .8, .8, 1., 1.1, 1.4, 1.2],
    [.8, .9, 1., 1., 1., .9, .8, .8, 1., 1.1, 1.4, 1.2],
    [1., .8, .9, .8, 1.1, 1.3, 1.5, 1.7, 1.8, 1., .8, .6],
    [.6, .8, 1.1, 1.3, 1.4, 1.5, 1.3, 1.1, 1., .9, .8, .5],
    [.9, .9, 1.1, 1.1, 1.1, 1., .9, .9, 1., 1., .9, .7],
    [.8, .8, 1., 1., 1., 1., .8, .8, 1., 1.1, 1.3, 1.2],
    [.8, .8, 1., 1.1, 1.2, 1.2, 1.1, 1., 1., 1., 1.3, 1.1]])
REGIONS = ["London", "South East", "South West", "East of England", "East Midlands",
           "West Midlands", "Yorkshire & Humber", "North West", "North East", "Wales", "Scotland",
           "Northern Ireland"]
REG_P = [.17, .16, .09, .09, .07, .09, .08, .1, .04, .05, .05, .01]
TOWNS = [["Croydon", "Hackney", "Ealing"], ["Reading", "Brighton", "Milton Keynes", "Guildford"],
         ["Bristol", "Exeter", "Swindon", "Plymouth"], ["Norwich", "Cambridge", "Chelmsford"],
         ["Derby", "Nottingham", "Leicester"], ["Birmingham", "Coventry", "Wolverhampton"],
         ["Leeds", "Sheffield", "York", "Hull"], ["Manchester", "Preston", "Liverpool", "Stockport"],
         ["Newcastle", "Sunderland", "Durham"], ["Cardiff", "Swansea", "Newport"],
         ["Glasgow", "Edinburgh", "Aberdeen", "Inverness"], ["Belfast", "Derry"]]
PRODUCTS = ["Business cards", "Flyers & leaflets", "Roller banners", "PVC banners", "Correx/Foamex",
            "Vehicle graphics", "Embroidered workwear", "Hi-vis", "Stationery", "Window graphics",
            "Promo merch", "Event printing", "Signage"]
CHANNELS = np.array(["call", "email", "meeting", "chat", "sms"])

ITEMS = ["business cards", "A5 flyers", "roller banners", "pull up banners", "PVC banners",
         "correx boards", "foamex signs", "van graphics", "vinyl lettering", "polo shirts",
         "hoodies", "hi-vis vests", "workwear", "lanyards", "letterheads", "compliment slips",
         "NCR pads", "window graphics", "feather flags", "tote bags", "mugs", "pens", "café menus",
         "crèche leaflets", "programmes", "tickets", "wristbands", "prospectus", "PE kits",
         "leavers hoodies", "exhibition stand", "stickers", "rosé labels", "shop sign",
         "décor panels", "A-boards", "posters", "gazebo", "table cloths", "Xmas cards"]
EVENTS = ["the open day", "our summer fair", "the trade show", "sports day", "the NEC show", "prom",
          "the Christmas market", "a wedding fair", "the festival", "our launch night", "the expo"]
DAYS = ["Friday", "Monday", "next Weds", "tmrw", "the 14th", "end of the week", "Thurs am",
        "this Sat", "the 3rd", "next week", "Tues latest"]
COMPS = ["Vistaprint", "an online printer", "a local printer", "another supplier", "a firm in {town}",
         "Solopress", "Instantprint", "the printers down the road", "our old supplier", "a co in {town}"]
NAMES = ["Sarah", "Dave", "Priya", "Tom", "Gemma", "Kev", "Rach", "Jo", "Mark", "Aisha", "Liam",
         "Sian", "Fiona", "Gareth", "Hannah", "Steve", "Chloe", "Raj"]
MONTHS = ["January", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "October",
          "Nov", "December"]
JOBFMT = ["job §", "Job §", "job no. §", "J§", "#§", "job ref §", "JOB §", "order §", "Job#§",
          "job number §", "ref J§"]
MISSPELL = {"received": "recieved", "separate": "seperate", "definitely": "definately", "please": "pls",
            "thanks": "thx", "tomorrow": "tmrw", "because": "cos", "you": "u", "business": "buisness",
            "colour": "color", "approved": "aproved", "delivery": "delivey", "address": "adress",
            "quote": "qoute", "artwork": "art work", "Wednesday": "Wedensday", "really": "realy",
            "know": "no", "apologies": "appologies", "embroidery": "embroidary"}

# Subject lines / call notes per topic kind (suffix _in = inbound, _out = outbound).  '|' separates.
TPL = {
 "proof_out": "Proof for {job} - please check & approve|Your proof is ready: {item} ({job})|PROOF "
   "ATTACHED - {job}|Artwork query on {job}, logo is low res|{job} proof v2 with your amends|Proof "
   "{item} - need sign off by {day}|Studio: bleed missing on supplied artwork {job}|Print ready? "
   "{item} {job}|Digital proof {job} - {item}",
 "proof_in": "Re: Proof for {job} - approved|re: proof {job} - couple of amends|Approved, pls go "
   "ahead!!|Re: {job} spelling on the back is wrong sorry|Re: Your proof is ready - looks great "
   "thanks|Can you make the logo bigger on the {item}?|re: {job} approved but change phone no.|"
   "Re: PROOF ATTACHED - {job} - yes thats fine|Happy with proof, print 500|Re: proof - colour "
   "looks a bit dark on my screen?|Sign off for {item} {job}",
 "order_in": "Order for {qty} {item}|Reorder of {item} same as last time|Can we get another batch of "
   "{item} pls|Quote request - {qty} {item}|Need {item} for {event} asap|Price for {qty} {item}?|"
   "Repeat order {job}|Same again please - {item}|{item} for {event}|New order - {item} + {item2}|"
   "Could you quote for {item} and {item2}|Urgent: {item} needed by {day}",
 "delivery_in": "Where is my order? {job}|Delivery date for {job}?|Chasing {item} - need them by "
   "{day}|courier says delivered but nothing here|{job} not arrived yet|Tracking no. for {job} "
   "please|Re: Despatched - {job} - still waiting|{item} arrived, 2 boxes missing|Wrong address on "
   "delivery {job}|Any update on the {item}??",
 "invoice_in": "Invoice query {job}|Can you resend invoice for {job}|PO number needed on invoice|"
   "Fwd: Remittance advice|Paid twice for {job}?|VAT receipt for {item} please|Statement request|"
   "Change of accounts contact|Card payment for {job}",
 "general_in": "Quick question re {item}|Do you do {item}?|Sizes available for hoodies?|Logo files - "
   "which format do you need?|Turnaround time for {item}?|Can you print on both sides?|Samples of "
   "{item}?|Pantone match for our logo|Can {name} give me a call back|Stock colours for polo shirts|"
   "Minimum order on {item}",
 "followup_out": "Follow up call - happy with the {item}?|Post-delivery check in, {job}|Courtesy "
   "call re {item}|Rang to check {job} arrived ok|Feedback call - {job}|Called {name}, all good "
   "with the {item}|Check in after delivery of {item}|LM - follow up on {job}",
 "checkin_out": "Quarterly catch up|Annual account review|Catch up call with {name}|Intro to new "
   "workwear range|Reminder - reorder deadlines|New price list|Offer - "
   "banners & flags|Account review meeting|Called re upcoming {event}|New {item} samples "
   "sent|Reminder: reorder {item}?|Visit - showed {item} samples|Offer on {item} this month|LM re "
   "account review",
 "newmgr_out": "Introduction - your new account manager|Hello from your new AM|Handover: I'll be "
   "looking after your account now|Intro call - new account manager {name}|Taking over from {name}",
 "nudge_out": "We've missed you!|Haven't heard from you in a while|Anything we can help with? 10% off "
   "your next order|Still need {item}? Reorder in 2 clicks|Checking in - is everything ok?|"
   "Your artwork is still on file - reorder {item}",
 "unanswered_in": "Re: Re: still waiting on a reply re quote|Chasing again - no one got back to me|"
   "3rd email about {job}!!|Is anyone there? tried calling twice|Re: {job} - hello??|No reply to my "
   "email of {day}|Can someone PLEASE call me back re {item}|Still waiting on the quote for {item}|"
   "Fwd: Fwd: quote for {item} - any news?|who is our account manager now?",
 "service_in": "Very disappointed with the service|Nobody called me back re {job}|Rude on the phone "
   "this morning|Complaint - {job} handled badly|Had to chase 4 times for {item}|Fed up chasing "
   "{job}|Nobody told us {job} would be late",
 "quality_in": "{job} - colours are way off on the {item}|banding on the banners {job}|business cards "
   "cut wonky, {job}|Misprint - wrong phone number on {item}|{item} faded after 2 washes|embroidery "
   "coming apart on polo shirts|vinyl peeling off the van already|not happy with the quality of "
   "{job}|Re: {job} - print is blurry|{item} arrived damaged/creased|Logo printed in wrong colour "
   "{job}|Re: Despatched {job} - these are not what we approved|Complaint: {item} quality|Stitching "
   "on the hoodies is a mess|Banner eyelets ripped out first day",
 "quality_out": "Reprint arranged for {job}|Sorry about the {item} - credit note raised|Re: {job} "
   "quality issue - investigating with production|Apologies re {job}, replacement on its way|"
   "Studio checked {job} - calibration issue, reprinting|Credit for {job} as discussed",
 "price_in": "Can you match this quote?|Prices have gone up a lot?|got a cheaper quote for the "
   "{item}|Any discount on bulk {item}?|Is there a trade discount available|{comp} quoted us "
   "£{money} for the same|Re: quote {job} - bit steep tbh|Price increase on {item}??|Can you do "
   "better on price for {qty} {item}|{money} quid for {item} seems a lot",
 "competitor_in": "Re: quote {job} - we've gone elsewhere for this one|found someone cheaper tbh|"
   "Going with {comp} for the {item}|{comp} do it for less - can you beat?|Re: reorder - using "
   "{comp} this time sorry|we've been offered a better deal by {comp}",
 "move_in": "Change of delivery address|We're moving to {town} from {month}|New premises in {town} - "
   "pls update address|Relocating office - new address for invoices|Please update our address, "
   "we've moved to {town}|Re: {job} - deliver to new unit in {town}|Moving unit - {town}|Update "
   "address details on account",
 "closing_in": "Closing down - cancel any outstanding jobs|Owner retiring, shop shutting end of "
   "{month}|Sad news - {name} passed away|Ceased trading, please close account|Re: {job} - we're "
   "winding the business up|Close our account pls - business sold|Shop closing {month}",
 "ties_in": "My son in law has started his own print shop so|We'll be using a friend's company going "
   "forward|Our new director's brother does signage now|Re: reorder - a mate of {name}'s is doing it",
}
CATS = list(TPL)
CAT_ID = {c: i for i, c in enumerate(CATS)}
# channel probabilities (call, email, meeting, chat, sms) per topic kind
CHAN = {"proof_out": [0, .95, 0, 0, .05], "proof_in": [.12, .8, 0, .08, 0],
        "followup_out": [.85, .05, 0, 0, .1], "checkin_out": [.45, .3, .15, 0, .1],
        "newmgr_out": [.5, .4, .1, 0, 0], "nudge_out": [.1, .8, 0, 0, .1],
        "quality_out": [.45, .55, 0, 0, 0], "unanswered_in": [.35, .6, 0, .05, 0]}
DEFAULT_CHAN = [.3, .55, .02, .1, .03]
COMPLAINT_TOPIC = {"quality": "quality_in", "service": "service_in", "price": "price_in",
                   "delivery": "delivery_in", "other": "general_in"}


def noisy(s, rng):
    """Make a subject line look typed by a busy person."""
    if rng.random() < .22:
        s = rng.choice(["Re: ", "RE: ", "re: ", "Fwd: ", "FW: ", "Re: Re: ", "RE: FW: "]) + s
    r = rng.random()
    s = s.lower() if r < .12 else (s.upper() if r < .15 else s)
    if rng.random() < .55:
        s = s.replace("é", "e").replace("è", "e").replace("É", "E").replace("È", "E")
    words = s.split(" ")
    for k, w in enumerate(words):
        if w in MISSPELL and rng.random() < .3:
            words[k] = MISSPELL[w]
    s = " ".join(words)
    for _ in range(rng.poisson(.3)):
        pos = [i for i, ch in enumerate(s[:-1]) if ch.isalpha() and s[i + 1].isalpha()]
        if not pos:
            break
        i = pos[rng.integers(len(pos))]
        op = rng.integers(3)
        s = (s[:i] + s[i + 1] + s[i] + s[i + 2:] if op == 0 else
             s[:i] + s[i + 1:] if op == 1 else s[:i] + s[i] + s[i:])
    if rng.random() < .15:
        s = s.rstrip(".!") + str(rng.choice(["!!", " pls", " - thanks", " asap", " cheers", " ta",
                                             " x", "?"]))
    if rng.random() < .1:
        s = s.replace(" - ", " ").replace("'", "")
    return s


def build_pools(rng, size=260):
    """For each topic kind: arrays (pre, post, has_job); the job number goes between pre and post."""
    pools = {}
    for cat, tpl in TPL.items():
        tpls = tpl.split("|")
        pre, post, hj = [], [], []
        for _ in range(size):
            t = tpls[rng.integers(len(tpls))]
            reg = rng.integers(len(TOWNS))
            town = TOWNS[reg][rng.integers(len(TOWNS[reg]))]
            fill = dict(job=JOBFMT[rng.integers(len(JOBFMT))], item=rng.choice(ITEMS),
                        item2=rng.choice(ITEMS), event=rng.choice(EVENTS), day=rng.choice(DAYS),
                        comp=str(rng.choice(COMPS)).format(town=town), town=town,
                        name=rng.choice(NAMES), month=rng.choice(MONTHS),
                        qty=rng.choice(["250", "500", "1000", "1k", "2,500", "50", "100", "20",
                                        "5000", "a few hundred"]),
                        money=str(int(rng.choice([45, 80, 120, 180, 250, 400, 650, 900]) *
                                      rng.uniform(.8, 1.2))))
            s = noisy(t.format(**fill), rng)
            a, _, b = s.partition("§")
            pre.append(a), post.append(b), hj.append("§" in s)
        pools[cat] = (np.array(pre, dtype=object), np.array(post, dtype=object), np.array(hj))
    return pools


def ts(t, unit="m"):
    """Day-index floats -> ISO 8601 strings."""
    return np.datetime_as_string(T0 + np.round(np.asarray(t) * 86400).astype("timedelta64[s]"),
                                 unit=unit)


def office_hours(rng, t, evening=0.0):
    """Move events to weekday office hours (some web orders come in the evening/at weekends)."""
    day = np.floor(t)
    wd = (day + 6) % 7                       # 2023-01-01 was a Sunday; Monday = 0
    shift = rng.random(len(t)) < .85
    day = day + np.where(shift & (wd == 5), 2, 0) + np.where(shift & (wd == 6), 1, 0)
    hour = np.clip(rng.normal(12.3, 2.5, len(t)), 7.5, 18.8)
    web = rng.random(len(t)) < evening
    hour = np.where(web, rng.uniform(0, 24, len(t)), hour)
    return np.where(web, np.floor(t), day) + hour / 24


def in_win(ws, we, idx, t):
    return (t >= ws[idx]) & (t <= we[idx])


def poisson_events(rng, rate, lo, hi, ids=None):
    """Homogeneous Poisson events per customer on [lo, hi) (days), rate per day."""
    ids = np.arange(len(lo)) if ids is None else ids
    span = np.maximum(hi[ids] - lo[ids], 0)
    n = rng.poisson(rate[ids] * span)
    idx = np.repeat(ids, n)
    return idx, lo[idx] + rng.random(len(idx)) * span.repeat(n) if len(idx) else np.zeros(0)


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

    # ---------------------------------------------------------------- customers
    seg = rng.choice(len(SEGMENTS), N, p=SEG_P)
    old = rng.random(N) < .55
    signup = np.where(old, rng.uniform(-8 * 365, -5, N), np.floor(rng.uniform(0, 1080, N)))
    s = np.maximum(signup, 0.0)                       # start of observable history
    reg0 = rng.choice(len(REGIONS), N, p=REG_P)
    loyal = rng.random(N) < np.where(old, .38, .2)
    n_mgr = 64
    att = .25 + 1.2 * rng.beta(3, 2, n_mgr)           # how attentive each account manager is
    # churn decision
    hazard = 4.3e-4 * np.array([1, .8, .9, 1.25, 1.05, 1.2, 1.1])[seg]   # per day, roughly constant
    lo_c = np.maximum(s + 30, 20)
    c = lo_c + rng.exponential(1 / hazard)
    churn = c < LAST_CHURN
    c[~churn] = np.inf
    reason = np.full(N, -1)
    reason[churn] = rng.choice(5, churn.sum(), p=SHARES)
    e = np.minimum(c, END)                            # end of buying
    IND, QUA, COM, TIE, MOV = range(5)
    onset = np.maximum(c - rng.uniform(45, 240, N), s)  # trouble window start (churners)
    c_f, onset_f = np.where(churn, c, END), np.where(churn, onset, 0)
    trace = churn & (rng.random(N) < np.select(
        [reason == IND, reason == QUA, reason == COM, reason == TIE, reason == MOV],
        [.75, .75, .7, .4, .7], 0))
    loyal[churn & (reason == COM)] = rng.random((churn & (reason == COM)).sum()) < .12
    # managers: neglected churners sit more often with the less attentive AMs
    w_bad = (1.6 - att) / (1.6 - att).sum()
    mgr0 = rng.integers(0, n_mgr, N)
    neg_c = churn & (reason == IND)
    mgr0[neg_c] = rng.choice(n_mgr, neg_c.sum(), p=w_bad)
    chg = np.full(N, np.inf)                          # time of AM change
    st_chg = rng.random(N) < .25
    chg[st_chg] = rng.uniform(s[st_chg], END)
    neg_chg = trace & (reason == IND) & (rng.random(N) < .4)
    chg[neg_chg] = onset[neg_chg]
    mgr1 = np.where(np.isfinite(chg), (mgr0 + rng.integers(1, n_mgr, N)) % n_mgr, mgr0)

    # ---------------------------------------------------------------- episodes (windows per customer)
    def episode(p, lmin, lmax, mask=None):
        ws, we = np.full(N, np.inf), np.full(N, -np.inf)
        m = rng.random(N) < p
        m &= True if mask is None else mask
        ws[m] = rng.uniform(s[m], np.maximum(e[m] - 5, s[m] + 1))
        we[m] = ws[m] + rng.uniform(lmin, lmax, m.sum())
        return ws, we
    neg_ws, neg_we = episode(.2, 60, 270)
    qua_ws, qua_we = episode(.17, 20, 120)
    pri_ws, pri_we = episode(.14, 60, 300)
    for r, (ws, we) in ((IND, (neg_ws, neg_we)), (QUA, (qua_ws, qua_we)), (COM, (pri_ws, pri_we))):
        m = trace & (reason == r)
        ws[m], we[m] = onset[m], c[m] + 60
    # relocation: stayers ~3%, movers among moved_or_died churners; others of them close down
    move_t = np.full(N, np.inf)
    st_mv = ~churn & (rng.random(N) < .03)
    move_t[st_mv] = rng.uniform(s[st_mv], END)
    mod = churn & (reason == MOV)
    closing = mod & (rng.random(N) < .35)
    mover = mod & ~closing & trace
    move_t[mover] = np.maximum(c[mover] - rng.uniform(0, 100, mover.sum()), s[mover])
    reg1 = np.where(np.isfinite(move_t), (reg0 + rng.integers(1, len(REGIONS), N)) % len(REGIONS),
                    reg0)
    shows_move = np.isfinite(move_t) & ~(mover & (rng.random(N) < .3))   # some never update records
    reg_now = np.where(shows_move, reg1, reg0)

    # ---------------------------------------------------------------- referrals
    order_sign = np.argsort(signup, kind="stable")
    rank = np.empty(N, int)
    rank[order_sign] = np.arange(N)
    referred = (rng.random(N) < .18) & (rank > 0)
    ref = np.full(N, -1)
    ref[referred] = order_sign[(rng.random(referred.sum()) * rank[referred]).astype(int)]
    ties = np.flatnonzero(trace & (reason == TIE))
    ch_idx = np.flatnonzero(churn)
    ch_sorted = ch_idx[np.argsort(c[ch_idx])]
    for i in ties:                                   # referrer who has already gone
        k = np.searchsorted(c[ch_sorted], c[i] - 14)
        for _ in range(20):
            if k == 0:
                break
            j = ch_sorted[rng.integers(k)]
            if j != i and signup[j] < signup[i]:
                ref[i] = j
                break

    # ---------------------------------------------------------------- orders
    rate = np.array(SEG_RATE)[seg] * rng.lognormal(0, .5, N) / 365
    rate = np.maximum(rate, 1.8 / 365)
    smax = SEASON.max(axis=1)[seg]
    oi, ot = poisson_events(rng, rate * smax, s, e)
    first = np.flatnonzero(signup >= 0)              # new customers: first job on signup
    oi = np.concatenate([oi, first])
    ot = np.concatenate([ot, signup[first] + .01])
    keep_any = np.concatenate([np.zeros(len(oi) - len(first), bool), np.ones(len(first), bool)])
    month = ((T0 + (ot * 86400).astype("timedelta64[s]")).astype("datetime64[M]").astype(int)) % 12
    acc = SEASON[seg[oi], month] / smax[oi]
    frac = np.where(churn[oi], np.clip((ot - onset_f[oi]) / np.maximum(c_f[oi] - onset_f[oi], 1),
                                       0, 1), 0)
    fade = np.array([.65, .5, .45, .1, .2, 0])[reason[oi]] * frac * churn[oi]
    acc = acc * (1 - fade)
    keep = keep_any | (rng.random(len(oi)) < acc)
    oi, ot = oi[keep], office_hours(rng, ot[keep], evening=.15)
    ok = (ot < c[oi]) & (ot < END) & (ot >= s[oi])
    oi, ot = oi[ok], ot[ok]
    none = np.flatnonzero(np.bincount(oi, minlength=N) == 0)   # everyone has at least one job
    xt_ = office_hours(rng, rng.uniform(s[none], np.minimum(e[none] - 3, s[none] + 20)))
    ok = xt_ < np.minimum(c[none], END)
    oi, ot = np.concatenate([oi, none[ok]]), np.concatenate([ot, xt_[ok]])
    srt = np.lexsort((ot, oi))
    oi, ot = oi[srt], ot[srt]
    n_o = len(oi)
    in_pri = in_win(pri_ws, pri_we, oi, ot)
    in_qua = in_win(qua_ws, qua_we, oi, ot)
    in_neg = in_win(neg_ws, neg_we, oi, ot)
    base_amt = np.array(SEG_AMT)[seg] * rng.lognormal(0, .6, N)
    amt = base_amt[oi] * rng.lognormal(0, .55, n_o)
    amt *= np.where(in_pri & churn[oi], rng.uniform(.45, .85, n_o), 1)
    amt = np.round(np.maximum(amt, 12), 2)
    disc_prop = rng.beta(1.2, 8, N)
    hunters = rng.random(N) < .15
    disc_prop[hunters] = rng.uniform(.35, .8, hunters.sum())
    p_disc = np.where(in_pri, np.maximum(disc_prop[oi], .55), disc_prop[oi])
    p_disc = np.where(loyal[oi], np.minimum(p_disc + .1, 1), p_disc)
    has_d = rng.random(n_o) < p_disc
    disc = np.where(has_d, np.round(amt * rng.choice([.05, .1, .1, .15, .2, .25], n_o), 2), 0.0)
    ret = rng.random(n_o) < np.where(in_qua, .2, .015)
    oreg = np.where(ot >= move_t[oi], reg1[oi], reg0[oi])
    # credit notes for part of the returns
    cn = np.flatnonzero(ret & (rng.random(n_o) < .4))
    cn_t = ot[cn] + rng.uniform(2, 20, len(cn))
    okc = (cn_t < c[oi[cn]]) & (cn_t < END)
    cn, cn_t = cn[okc], cn_t[okc]
    t_rank = np.argsort(np.argsort(ot, kind="stable"), kind="stable")
    job_no = 31000 + np.cumsum(rng.integers(1, 3, n_o))[t_rank]   # shared job counter
    prod = rng.integers(0, len(PRODUCTS), n_o)
    orders = pd.DataFrame({
        "order_id": np.concatenate([np.char.add("J", job_no.astype(str)),
                                    np.char.add("CN", (9000 + np.arange(len(cn))).astype(str))]),
        "customer_id": np.concatenate([oi, oi[cn]]),
        "ordered_at": ts(np.concatenate([ot, cn_t])),
        "amount": np.concatenate([amt, -np.round(amt[cn] * rng.uniform(.3, 1, len(cn)), 2)]),
        "discount_amount": np.concatenate([disc, np.zeros(len(cn))]),
        "returned": np.concatenate([np.where(ret, "yes", "no"), np.full(len(cn), "yes")]),
        "region": np.array(REGIONS, dtype=object)[np.concatenate([oreg, oreg[cn]])],
        "product": np.array(PRODUCTS, dtype=object)[np.concatenate([prod, prod[cn]])],
    })

    # ---------------------------------------------------------------- contacts
    C_i, C_t, C_c, C_j = [], [], [], []          # customer, time, topic kind, job no (-1: look up)

    def add(idx, t, cat, job=None):
        C_i.append(np.asarray(idx)), C_t.append(np.asarray(t, float))
        C_c.append(np.full(len(idx), CAT_ID[cat]))
        C_j.append(np.full(len(idx), -1) if job is None else np.asarray(job))
    u = rng.random
    att_at = lambda idx, t: np.where(t < chg[idx], att[mgr0[idx]], att[mgr1[idx]])  # noqa: E731
    # around each job
    m = u(n_o) < .5
    tp = ot[m] + rng.uniform(.05, 2, m.sum())
    add(oi[m], tp, "proof_out", job_no[m])
    m2 = u(m.sum()) < .7
    add(oi[m][m2], tp[m2] + rng.uniform(.02, 1.5, m2.sum()), "proof_in", job_no[m][m2])
    m = u(n_o) < .3
    add(oi[m], ot[m] - rng.uniform(.3, 7, m.sum()), "order_in", job_no[m])
    p_fu = np.where(in_neg, .04, np.minimum(.45 * att_at(oi, ot), .8))
    m = u(n_o) < p_fu
    add(oi[m], ot[m] + rng.uniform(5, 15, m.sum()), "followup_out", job_no[m])
    m = u(n_o) < np.where(in_qua, .25, .07)
    add(oi[m], ot[m] + rng.uniform(3, 12, m.sum()), "delivery_in", job_no[m])
    m = u(n_o) < .06
    add(oi[m], ot[m] + rng.uniform(10, 45, m.sum()), "invoice_in", job_no[m])
    # relationship touches by the AM (stop some months after a customer has gone)
    hi_out = np.minimum(np.where(churn, c + rng.uniform(20, 150, N), END), END)
    ci, ct = poisson_events(rng, np.full(N, 4.0 / 365), s, hi_out)
    k = u(len(ci)) < np.where(in_win(neg_ws, neg_we, ci, ct), .1, np.minimum(att_at(ci, ct), 1.3) / 1.3)
    add(ci[k], ct[k], "checkin_out")
    m = churn & (u(N) < .35)
    add(np.flatnonzero(m), c[m] + rng.uniform(45, 160, m.sum()), "nudge_out")
    m = np.isfinite(chg) & ~neg_chg & (u(N) < .7) | neg_chg & (u(N) < .15)
    add(np.flatnonzero(m), chg[m] + rng.uniform(0, 20, m.sum()), "newmgr_out")
    # customer-initiated odds and ends
    ci, ct = poisson_events(rng, np.full(N, 2.2 / 365) * rng.lognormal(0, .4, N), s, e)
    add(ci, ct, "general_in")
    ci, ct = poisson_events(rng, np.full(N, 3.0 / 365), neg_ws, np.minimum(neg_we, e),
                            np.flatnonzero(np.isfinite(neg_ws)))
    k = u(len(ci)) < np.where(churn[ci], .8, .35)
    add(ci[k], ct[k], "unanswered_in")

    # ---------------------------------------------------------------- complaints (+ their emails)
    K_i, K_t, K_cat = [], [], []
    cats = np.array(["quality", "service", "price", "delivery", "other"])
    ci, ct = poisson_events(rng, np.full(N, .25 / 365), s, e)
    K_i.append(ci), K_t.append(ct), K_cat.append(rng.choice(5, len(ci), p=[.3, .15, .1, .35, .1]))
    qm = np.isfinite(qua_ws)
    nq = np.where(qm, rng.poisson(np.where(churn & (reason == QUA), 1.1, .5)) + 1, 0)
    ci = np.repeat(np.arange(N), nq)
    ct = rng.uniform(qua_ws[ci], np.minimum(qua_we[ci], e[ci] + 10))
    K_i.append(ci), K_t.append(ct), K_cat.append(rng.choice([0, 1, 3], len(ci), p=[.7, .2, .1]))
    pm = np.isfinite(pri_ws) & (u(N) < np.where(churn, .5, .3))
    ci = np.flatnonzero(pm)
    K_i.append(ci), K_t.append(rng.uniform(pri_ws[ci], np.minimum(pri_we[ci], e[ci] + 5)))
    K_cat.append(np.full(len(ci), 2))
    nm = np.isfinite(neg_ws) & (u(N) < np.where(churn, .25, .08))
    ci = np.flatnonzero(nm)
    K_i.append(ci), K_t.append(rng.uniform(neg_ws[ci], np.minimum(neg_we[ci], e[ci] + 5)))
    K_cat.append(np.full(len(ci), 1))
    ki, kt, kc = np.concatenate(K_i), np.concatenate(K_t), np.concatenate(K_cat)
    kt = office_hours(rng, kt)
    okk = kt < END
    ki, kt, kc = ki[okk], kt[okk], kc[okk]
    n_k = len(ki)
    bad = (churn[ki] & (reason[ki] == QUA) & in_win(qua_ws, qua_we, ki, kt)) | \
          (churn[ki] & in_win(neg_ws, neg_we, ki, kt))
    res_days = rng.lognormal(np.log(2.5), .9, n_k) * np.where(bad, 3, 1)
    unres = u(n_k) < np.where(bad, .35, .04)
    res_t = kt + res_days
    res_ok = ~unres & (res_t < END)
    for kk in range(5):
        m = kc == kk
        mm = m & (u(n_k) < .75)
        add(ki[mm], kt[mm] - rng.uniform(0, .1, mm.sum()), COMPLAINT_TOPIC[cats[kk]])
    mq = (kc == 0) & res_ok & (u(n_k) < .6)
    add(ki[mq], np.minimum(res_t[mq], kt[mq] + rng.uniform(.1, 3, mq.sum())), "quality_out")
    # reason-specific notes
    pr = np.flatnonzero(np.isfinite(pri_ws))
    npr = rng.poisson(np.where(churn[pr], 1.6, .7))
    ci = np.repeat(pr, npr)
    add(ci, rng.uniform(pri_ws[ci], np.minimum(pri_we[ci], e[ci])), "price_in")
    m = np.isfinite(pri_ws) & (u(N) < np.where(churn & (reason == COM), .35, .05))
    add(np.flatnonzero(m), rng.uniform(pri_ws[m], np.minimum(pri_we[m], e[m] + 20)), "competitor_in")
    m = np.isfinite(move_t) & (u(N) < np.where(mover, .45, .6))
    add(np.flatnonzero(m), move_t[m] - rng.uniform(-5, 30, m.sum()), "move_in")
    m = closing & (u(N) < .4)
    add(np.flatnonzero(m), c[m] - rng.uniform(-10, 30, m.sum()), "closing_in")
    m = churn & (reason == TIE) & (u(N) < .08) | ~churn & (u(N) < .001)
    add(np.flatnonzero(m), np.where(churn[m], c[m], END - 200) - rng.uniform(0, 60, m.sum()),
        "ties_in")

    xi, xt, xc, xj = (np.concatenate(v) for v in (C_i, C_t, C_c, C_j))
    inbound_cat = np.array([k.endswith("_in") for k in CATS])
    shaped = office_hours(rng, xt)
    xt = np.where(xc == CAT_ID["proof_in"], xt, shaped)
    okx = (xt < END) & (xt >= s[xi] - 30) & (xt >= 0)
    xi, xt, xc, xj = xi[okx], xt[okx], xc[okx], xj[okx]
    srt = np.lexsort((xt, xi))
    xi, xt, xc, xj = xi[srt], xt[srt], xc[srt], xj[srt]
    n_x = len(xi)
    # job number: the customer's latest job before the contact, else the counter at that time
    okey = oi * 2000.0 + ot
    pos = np.searchsorted(okey, xi * 2000.0 + xt) - 1
    has_prev = (pos >= 0) & (oi[np.maximum(pos, 0)] == xi)
    glob = 31000 + (np.searchsorted(np.sort(ot), xt) * 1.5).astype(int)
    xj = np.where(xj >= 0, xj, np.where(has_prev, job_no[np.maximum(pos, 0)], glob))
    inb = inbound_cat[xc]
    neg_now = in_win(neg_ws, neg_we, xi, xt)
    p_ans = np.where(neg_now, np.where(churn[xi], .55, .75), .95)
    p_ans = np.where(xc == CAT_ID["unanswered_in"], p_ans - .25, p_ans)
    answered = inb & (u(n_x) < p_ans)
    rh = rng.lognormal(np.where(neg_now, np.log(30), np.log(3.2)), 1.0, n_x)
    rh = np.where(answered, np.round(np.minimum(rh, (END - xt) * 24), 1), np.nan)
    ch_p = np.array([CHAN.get(k, DEFAULT_CHAN) for k in CATS], float)
    ch_p /= ch_p.sum(1, keepdims=True)
    chan = (u(n_x)[:, None] > np.cumsum(ch_p[xc], 1)).sum(1)
    mgr = np.where(xt < chg[xi], mgr0[xi], mgr1[xi])
    pools = build_pools(rng)
    topic = np.empty(n_x, dtype=object)
    for ci_, cat in enumerate(CATS):
        m = np.flatnonzero(xc == ci_)
        if not len(m):
            continue
        pre, post, hj = pools[cat]
        pk = rng.integers(0, len(pre), len(m))
        js = np.where(hj[pk], xj[m].astype(str).astype(object), "")
        topic[m] = pre[pk] + js + post[pk]
    contacts = pd.DataFrame({
        "contact_id": np.char.add("T", (500000 + np.arange(n_x)).astype(str)),
        "customer_id": xi, "contacted_at": ts(xt),
        "direction": np.where(inb, "inbound", "outbound"), "channel": CHANNELS[np.minimum(chan, 4)],
        "topic": topic, "answered": np.where(inb, np.where(answered, "yes", "no"), ""),
        "response_hours": rh, "handled_by": np.char.add("AM", (mgr + 1).astype(str))})

    # complaint summaries reuse the same wording as the customers' emails
    summ = np.empty(n_k, dtype=object)
    kj = np.searchsorted(okey, ki * 2000.0 + kt) - 1
    kprev = (kj >= 0) & (oi[np.maximum(kj, 0)] == ki)
    kjob = np.where(kprev, job_no[np.maximum(kj, 0)], 31000 + rng.integers(0, 50000, n_k))
    for kk in range(5):
        m = np.flatnonzero(kc == kk)
        pre, post, hj = pools[COMPLAINT_TOPIC[cats[kk]]]
        pk = rng.integers(0, len(pre), len(m))
        summ[m] = pre[pk] + np.where(hj[pk], kjob[m].astype(str).astype(object), "") + post[pk]
    complaints = pd.DataFrame({
        "complaint_id": np.char.add("CMP-", (10000 + np.arange(n_k)).astype(str)),
        "customer_id": ki, "opened_at": ts(kt), "category": cats[kc],
        "resolved_at": np.where(res_ok, ts(np.where(res_ok, res_t, kt)), ""), "summary": summ})

    # ---------------------------------------------------------------- surveys
    m = u(n_o) < .12
    si, st = oi[m], ot[m] + rng.uniform(7, 21, m.sum())
    sat = np.clip(rng.normal(8.3, .9, N), 5, 10)
    sc = sat[si] + rng.normal(0, 1.3, len(si))
    q_now = in_win(qua_ws, qua_we, si, st)
    sc -= np.where(q_now, rng.uniform(2.5, 6, len(si)) * np.where(churn[si], 1, .7), 0)
    sc -= np.where(in_win(neg_ws, neg_we, si, st), rng.uniform(0, 2.5, len(si)), 0)
    sc -= np.where(in_win(pri_ws, pri_we, si, st), rng.uniform(0, 1.5, len(si)), 0)
    sc = np.clip(np.round(sc), 0, 10)
    okp = st < END
    confusion = np.array([[.55, .08, .25, .07, .05], [.12, .68, .15, .03, .02],
                          [.15, .07, .72, .04, .02], [.15, .03, .17, .6, .05],
                          [.05, .02, .03, .03, .87]])
    ex = churn & (u(N) < np.where(reason == MOV, .2, np.where(reason == TIE, .25, .3)))
    ex_t = c + rng.uniform(20, 120, N)
    ex &= ex_t < END
    exi = np.flatnonzero(ex)
    cum = np.cumsum(confusion[reason[exi]], 1)
    said = np.minimum((u(len(exi))[:, None] > cum).sum(1), 4)
    ex_sc = np.clip(np.round(rng.normal(np.where(reason[exi] == MOV, 6, 3.5), 1.8)), 0, 10)
    surveys = pd.DataFrame({
        "customer_id": np.concatenate([si[okp], exi]),
        "answered_at": ts(office_hours(rng, np.concatenate([st[okp], ex_t[exi]]), evening=.3)),
        "kind": np.concatenate([np.full(okp.sum(), "pulse"), np.full(len(exi), "exit")]),
        "score": np.concatenate([sc[okp], ex_sc]).astype(int),
        "reason": np.concatenate([np.full(okp.sum(), ""), np.array(REASONS)[said]])})
    surveys = surveys[surveys["answered_at"] < "2026-01-01"]

    # ---------------------------------------------------------------- write
    cid = np.char.add("A", np.char.zfill(np.arange(1, N + 1).astype(str), 6)).astype(object)
    for df, col in ((orders, "customer_id"), (contacts, "customer_id"), (complaints, "customer_id"),
                    (surveys, "customer_id")):
        df[col] = cid[df[col].to_numpy()]
    customers = pd.DataFrame({
        "customer_id": cid, "signed_up_at": ts(signup, "D"),
        "segment": np.array(SEGMENTS, dtype=object)[seg],
        "region": np.array(REGIONS, dtype=object)[reg_now],
        "loyalty_member": np.where(loyal, "yes", "no"),
        "referred_by": np.where(ref >= 0, cid[np.maximum(ref, 0)], ""),
        "manager_id": np.char.add("AM", (mgr1 + 1).astype(str))})
    orders = orders.sort_values("ordered_at", kind="stable")
    contacts = contacts.sort_values("contacted_at", kind="stable")
    complaints = complaints.sort_values("opened_at", kind="stable")
    contacts["contact_id"] = np.char.add("T", (500000 + np.arange(len(contacts))).astype(str))
    complaints["complaint_id"] = np.char.add("CMP-", (10000 + np.arange(len(complaints))).astype(str))
    surveys = surveys.sort_values("answered_at", kind="stable")
    for name, df in (("customers", customers), ("orders", orders), ("contacts", contacts),
                     ("complaints", complaints), ("surveys", surveys)):
        df.to_csv(os.path.join(a.out, name + ".csv"), index=False)
    ch = np.flatnonzero(churn)
    truth = pd.DataFrame({"customer_id": cid[ch], "churned_at": ts(c[ch]),
                          "true_reason": np.array(REASONS)[reason[ch]]})
    truth.to_csv(os.path.join(a.out, "truth.csv"), index=False)
    q4 = (c[ch] >= 1004) & (c[ch] < 1093)
    print(f"customers={N} orders={len(orders)} contacts={len(contacts)} complaints={len(complaints)} "
          f"surveys={len(surveys)} churners={len(ch)} ({len(ch) / N:.1%}) "
          f"time={time.time() - t_start:.1f}s")
    for r, name in enumerate(REASONS):
        print(f"  {name:16s} churners={int((reason[ch] == r).sum()):6d} "
              f"in 2025-10-01..12-29={int(((reason[ch] == r) & q4).sum()):5d}")


if __name__ == "__main__":
    main()
