"""Synthetic CRM of "Shannonside IT" - an Irish reseller of IT kit, licences and support.

Design note
-----------
The business sells to small and mid-sized Irish organisations (sole traders, offices, GP
practices, schools, charities): laptops, printers, networking kit, Microsoft 365 seats billed
monthly through the CSP programme, and break-fix support.  Each account has an account manager
(or sits in the unassigned "HOUSE" pool); a service desk takes calls, emails and chats.
History 2023-01-01 .. 2025-12-31, written as one SQLite database (crm.db) with the contract
tables customers, orders, contacts, complaints, surveys, plus truth.csv.

Orders: a monthly M365 invoice (INV-) for customers with seats, ad-hoc hardware / services
orders (SO-) and credit notes for returns (CN-, returned=1, negative amount).  A churner stops
buying for good at churned_at (the day they move their licences and support elsewhere); about
30% of customers churn, evenly spread over the three years.  Before leaving, each churner has a
"lead window" in which the traces of its reason appear, each trace only with some probability:

* indifference (67%) - lead 4-11 months: the account manager goes quiet (outbound check-ins
  drop to almost nothing), no follow-up call after deliveries, inbound tickets answered slowly
  or not at all and the customer chases ("Still waiting on a reply..."), sometimes a hand-over
  to a new account manager just before the silence; more often parked in the HOUSE pool.
* product_quality (15%) - lead 1.5-6.5 months: faulty units, RMAs and credit notes (returns),
  quality/service complaints that stay open or drag on, angry tickets, low pulse scores.
* competitor (9%) - lead 2-8 months: price complaints, price-match requests naming other
  suppliers, most orders only with a discount, a shrinking basket and fewer M365 seats.
* personal_ties (5%) - weak: often referred by a customer who left shortly before them; rarely
  a remark that a relative / friend's company will take over the IT.
* moved_or_died (4%) - short lead: relocation tickets and orders delivered to a new region
  (customers.region holds the new one), or a closing-down / bereavement note; often nothing.

Background habits, among stayers and churners alike, mimic the traces: ~15% are neglected, ~12% are grumpy
(complaints, returns, low scores), ~10% hunt discounts and ask for price matches, ~3.5% move
region, and many were referred by customers who later left.  Some churners answer an exit
survey 1-10 weeks after leaving, not always with the true reason; everyone is sent quarterly
pulse surveys.  Free text is written the way Irish SMEs write to their IT supplier: ticket, quote,
RMA and order numbers, "Re:" chains, typos, fadas sometimes dropped, Hiberno-English.
"""
import argparse
import os
import sqlite3
import time

import numpy as np
import pandas as pd

T0 = np.datetime64("2023-01-01T00:00:00", "s")
END = 1096.0  # 2026-01-01 00:00, exclusive
REASONS = ["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"]
R_SHARE = [0.67, 0.15, 0.09, 0.05, 0.04]
IND, PQ, COMP, PT, MOV = range(5)
MON = 30.44

SEGMENTS = ["Sole trader", "Micro business (1-9 staff)", "Small business (10-49 staff)",
            "Medium business (50-249 staff)", "Education", "GP / medical practice",
            "Charity / non-profit", "Public body", "Hospitality"]
SEG_P = [0.14, 0.30, 0.22, 0.07, 0.06, 0.07, 0.06, 0.03, 0.05]
SEG_SIZE = np.array([0.35, 0.8, 1.6, 3.5, 1.8, 1.0, 0.7, 2.5, 0.9])
SEG_M365 = np.array([0.45, 0.6, 0.7, 0.75, 0.4, 0.65, 0.6, 0.3, 0.55])
REGIONS = ["Dublin", "Cork", "Galway", "Limerick", "Kildare", "Meath", "Wicklow", "Louth",
           "Waterford", "Wexford", "Kerry", "Clare", "Tipperary", "Kilkenny", "Westmeath",
           "Donegal", "Mayo", "Sligo", "Laois", "Offaly", "Carlow", "Cavan", "Monaghan",
           "Roscommon", "Longford", "Leitrim", "Northern Ireland", "Great Britain"]
REG_W = np.array([30, 11, 6, 5, 5, 4, 3, 3, 3, 3, 3, 2.5, 3, 2, 2, 3, 2.5, 1.5, 1.6, 1.4,
                  1.1, 1.4, 1.2, 1.2, 0.8, 0.6, 0.5, 0.2])
REG_P = REG_W / REG_W.sum()
MANAGERS = [f"AM{i:02d}" for i in range(1, 29)]

NAMES = ["Seán", "Máire", "Pádraig", "Siobhán", "Aoife", "Ciarán", "Niamh", "Órla", "Dónal",
         "Éamonn", "Caoimhe", "Tadhg", "John", "Mary", "Declan", "Gráinne", "Mick", "Deirdre",
         "Colm", "Sinéad", "Paul", "Róisín", "Barry", "Eimear"]
TOWNS = ["Dún Laoghaire", "Athlone", "Naas", "Ennis", "Tralee", "Letterkenny", "Castlebar",
         "Navan", "Drogheda", "Portlaoise", "Clonmel", "Kilkenny", "Sligo", "Swords", "Bray",
         "Galway", "Cork", "Limerick", "Belfast", "Manchester", "Ballincollig", "Clonakilty",
         "Mullingar", "Carrick-on-Shannon", "Tuam", "Newbridge"]
PRODS = ["ThinkPad E14", "Latitude 5440", "ProBook 450 G10", "Kyocera ECOSYS", "HP LaserJet",
         "Brother MFC-L8900", "UniFi AP", "Meraki MX67", "Synology NAS", "APC UPS",
         "Surface Pro", "docking station", "24in Dell monitor", "FortiGate 40F", "Yealink phone",
         "HP EliteDesk", "Logitech MeetUp"]
COMPS = ["Datapac", "Dell direct", "Amazon", "Currys Business", "Harvey Norman",
         "a crowd in Naas", "another MSP", "Liffey Tech", "BlueWave IT", "a local lad",
         "Micro Warehouse", "the Dell website"]
MONTHS = ["January", "Feb", "March", "April", "May", "June", "July", "August", "Sept",
          "October", "Nov", "December"]

# contact kinds
(O_CHECK, O_FOLLOW, O_MKT, O_INTRO, O_WINBACK, O_ADMIN, I_SUP, I_ADMIN, I_PRICE, I_QUAL,
 I_CHASE, I_MOVE, I_CLOSE, I_PERS, I_TRANSFER) = range(15)
TPL = {
    O_CHECK: ["Quarterly check-in with {nm}", "Account review {yr}", "Annual IT review - hardware refresh plan",
              "Catch up re M365 licences and renewals", "Call w/ {nm} re Windows 11 upgrade",
              "Check-in call - any issues with the new kit?", "Follow up on quote {q}",
              "Sent quote {q} for {n}x {pr}", "Proposal: managed backup for {yr}",
              "Site visit, walked through network upgrade", "Touch base re Copilot licensing",
              "Rang {nm}, no answer - left voicemail", "Courtesy call - how's everything going",
              "Security review: MFA rollout", "Meeting in {tw} office re new server",
              "Budget chat for next year's refresh", "Catch-up coffee w/ {nm}, all grand",
              "Roadmap call: backups + firewall {yr}"],
    O_FOLLOW: ["Follow-up call after delivery {so}", "Post-install check - {pr}",
               "Rang to check the {pr} is working ok", "Delivery follow up {so} - all grand",
               "Checked in after setup of {n} new laptops", "Aftersales call {so}",
               "Quick call re order {so}, any issues?", "Follow up: engineer visit #{tk}",
               "Courtesy call after install, {nm} happy"],
    O_MKT: ["Newsletter - {mo} offers", "Back to school deals on laptops", "Black Friday: Lenovo & HP offers",
            "Webinar invite: cyber security for small business", "Windows 10 end of support - are you ready?",
            "Christmas opening hours", "Service desk hours over the bank holiday",
            "Partner Plus members: exclusive printer offer",
            "Invitation: M365 Copilot breakfast briefing, {tw}", "Spring clean your IT - {mo} deals"],
    O_INTRO: ["Introduction - your new account manager", "Intro email from new AM, {nm} has moved on",
              "Handover of account from {nm}", "Hi from your new account manager",
              "Account reassigned - intro call", "New AM intro, {nm} left the company"],
    O_WINBACK: ["Sorry to see you go - any feedback?", "Win-back offer: 15% off next order",
                "Call re cancelled licences - can we help?", "Rang to see why the M365 was moved, no joy",
                "Exit call - feedback on our service", "Left msg re coming back, special offer"],
    O_ADMIN: ["Reminder: invoice {iv} overdue", "Sophos renewal due {mo}", "Domain renewal notice",
              "Licence true-up for {mo}", "Warranty expiring on {n} devices", "Direct debit mandate update",
              "Statement of account {mo}"],
    I_SUP: ["Printer jammed again - {pr}", "Outlook not syncing on my phone", "cant get onto the VPN from home",
            "Ticket #{tk} - laptop won't boot", "new starter Monday, need laptop + M365 licence",
            "password reset pls", "Wifi dropping in the back office", "Teams keeps crashing on {nm}'s laptop",
            "Scanner to email stopped working", "Re: [Ticket #{tk}] Shared drive not mapping",
            "Locked out of account - urgent", "Can someone remote in? PC fierce slow",
            "Emails bouncing back from a customer in {tw}", "The yoke in the comms room is beeping",
            "Phishing email - did anyone click?? pls advise", "Monitor flickering on reception",
            "Laptop is after freezing again - ticket {tk}", "Quick one - how do I set up an out of office?",
            "Server backup failed last night", "Printer offline since the power cut",
            "Tá fadhb leis an printéir arís", "{nm} can't log in to Xero on the new laptop",
            "Re: #{tk} onedrive not syncing", "new phone for {nm}, need email set up"],
    I_ADMIN: ["Invoice query {iv}", "PO attached for quote {q}", "Where is my order {so}?",
              "Delivery of {so} - when can we expect it?", "Can you resend invoice {iv} pls",
              "Quote pls: {n}x {pr}", "Re: Quote {q}", "Update billing contact to {nm}",
              "Statement of account request", "Credit note for {iv}?", "Add {n} seats to our 365",
              "Order confirmation {so} - wrong qty", "RE: Your order {so} has shipped",
              "Need {n} more Business Premium licences"],
    I_PRICE: ["Price match? {cp} quoted us less for {n}x {pr}", "Re: Quote {q} - bit steep tbh",
              "Saw the same {pr} cheaper on {cp}", "{cp} offered a better rate on the 365 licences",
              "Any discount on {n} laptops if we order this week?", "Can ye do better on quote {q}?",
              "Got a quote from {cp} for managed support, can you match?",
              "Your prices have gone up again - why?", "Is there a loyalty discount at all?",
              "Comparing quotes from {cp}, need your best price by Friday",
              "RE: Renewal - {cp} are cheaper, just so you know", "Black Friday price still available?",
              "Re: Re: quote {q} - {cp} came in €{eur} under you"],
    I_QUAL: ["Re: {rma} - replacement unit faulty AGAIN", "third time the docking station has died",
             "Engineer never fixed the issue, still down (#{tk})", "very disappointed with the refurbished laptops",
             "Ticket #{tk} still not resolved after 2 weeks!!", "Complaint - {pr} DOA",
             "RMA request - {n} units faulty out of the box", "Nobody turned up for the site visit today",
             "Not happy with the service lately", "Re: Re: [Ticket #{tk}] Same problem as last month",
             "{pr} keeps failing, want a refund", "The new server is a disaster, we lost a day's work",
             "Escalation pls - #{tk} open since {mo}", "Return request {so}",
             "Laptop screen cracked on arrival, order {so}", "Same fault again with the {pr} - not good enough",
             "{rma} - still waiting on the replacement", "the {pr} ye sent is banjaxed"],
    I_CHASE: ["Still waiting on a reply re #{tk}", "Hello?? anyone there - 3rd email",
              "Chasing my request from last week", "Re: Re: Re: no response yet",
              "Can someone PLEASE call me back", "Following up again on {q}",
              "Is {nm} still working there? No reply", "Left 2 voicemails, nobody came back to me",
              "Re: #{tk} - any update at all?"],
    I_MOVE: ["Change of address - moving to new office in {tw}", "Relocating the business to {tw} from {mo}",
             "Moving office - can ye move the printer and the broadband?", "New delivery address from next month: {tw}",
             "Update billing address pls, we've moved to {tw}", "We're moving premises, need the network set up in {tw}",
             "Office move {mo} - quote for cabling pls", "Relocation request - whole team moving to {tw}"],
    I_CLOSE: ["We're closing the business end of {mo}", "Retiring - shutting up shop, please cancel everything",
              "Sad news - {nm} passed away last week", "Business wound up, please close the account",
              "{nm} has died, family sorting out the accounts", "Closing the practice, last day {mo}",
              "Company going into liquidation - cancel services"],
    I_PERS: ["My brother-in-law has set up in IT, we'll be giving him the support",
             "Going with a friend's company for support from now on",
             "{nm}'s cousin does IT so we're moving over to him",
             "Heads up - our new partner's firm handles IT for the group",
             "We've been asked to use the same supplier as {nm}'s other business"],
    I_TRANSFER: ["Please cancel our M365 licences from next month", "Tenant transfer request - moving to new provider",
                 "Remove GDAP / delegated admin pls, we've changed supplier", "Cancel direct debit and support contract",
                 "Cancel auto-renewal on licences", "Notice of termination - support agreement",
                 "Please release the domain transfer code"],
}
TAILS = ["", "", "", "", " - thanks a mil", " pls", " asap", " - cheers", " thanks",
         " - go raibh maith agat", " - míle buíochas", "!!", " :("]
PREFIX = ["Re: ", "RE: ", "Fw: ", "FW: ", "Re: Re: "]
CHANNEL = {  # (channels, probs)
    "out": (["call", "email", "meeting"], [0.55, 0.3, 0.15]),
    "follow": (["call", "email"], [0.8, 0.2]), "mkt": (["email", "sms"], [0.85, 0.15]),
    "in": (["email", "call", "chat"], [0.5, 0.32, 0.18])}
FADA = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")


def typo(s, r):
    i = int(r * 1e6) % max(len(s) - 2, 1) + 1
    op = int(r * 1e8) % 3
    if op == 0:
        return s[:i - 1] + s[i] + s[i - 1] + s[i + 1:]
    if op == 1:
        return s[:i] + s[i + 1:]
    return s[:i] + s[i] + s[i:]


def render(kinds, years, rng):
    """Free-text topics: template + fill + Re:/case/typo/fada noise."""
    n = len(kinds)
    r = rng.random((n, 8))
    ints = rng.integers(10000, 99999, size=(n, 3))
    out = []
    for i in range(n):
        lst = TPL[kinds[i]]
        ri = r[i]
        s = lst[int(ri[0] * len(lst))]
        if "{" in s:
            s = s.format(nm=NAMES[int(ri[1] * len(NAMES))], tw=TOWNS[int(ri[2] * len(TOWNS))], pr=PRODS[int(ri[1] * len(PRODS))],
                         cp=COMPS[int(ri[2] * len(COMPS))], mo=MONTHS[int(ri[3] * 12)], yr=years[i],
                         n=1 + int(ri[3] * 12), tk=ints[i, 0] + 300000, q=f"Q-{years[i]}-{ints[i, 1] % 9000 + 1000}",
                         so=f"SO-{ints[i, 2] + 500000}", iv=f"INV-{ints[i, 1] + 700000}",
                         rma=f"RMA-{ints[i, 2] % 90000 + 10000}", eur=50 * (1 + int(ri[2] * 20)))
        if ri[4] < 0.3 and kinds[i] >= I_SUP:
            s += TAILS[int(ri[5] * len(TAILS))]
        if ri[5] < 0.12 and kinds[i] >= I_SUP:
            s = PREFIX[int(ri[6] * 5)] + s
        u = ri[6]
        if u < 0.08:
            s = s.lower()
        elif u > 0.985:
            s = s.upper()
        if ri[7] < 0.07:
            s = typo(s, ri[7] * 14.2857)
        if ri[7] > 0.4:  # fadas dropped by most people, most of the time
            s = s.translate(FADA)
        out.append(s)
    return out


def events(rng, a, b, rate):
    """Poisson events per row on [a, b) with per-row daily rate: (row index, time)."""
    span = np.maximum(b - a, 0.0)
    cnt = rng.poisson(span * rate)
    idx = np.repeat(np.arange(len(a)), cnt)
    return idx, a[idx] + rng.random(idx.size) * span[idx]


def bh(rng, t, lo=8.0, hi=18.0, weekday=0.9):
    """Move a time to business hours, mostly on weekdays (never earlier than its day)."""
    d = np.floor(t)
    dow = (d.astype(np.int64) + 6) % 7  # 2023-01-01 is a Sunday; Mon=0
    wk = (dow >= 5) & (rng.random(t.size) < weekday)
    d = d + np.where(wk, 7 - dow, 0)
    return d + (lo + rng.random(t.size) * (hi - lo)) / 24.0


def ts(days):
    return np.datetime_as_string(T0 + np.round(np.asarray(days) * 86400).astype(np.int64).astype("timedelta64[s]"),
                                 unit="s")


def pick(rng, n, opts):
    names, p = opts
    return np.array(names)[rng.choice(len(names), n, p=p)]


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

    # ---------------- customers ----------------
    seg = rng.choice(len(SEGMENTS), N, p=SEG_P)
    size = SEG_SIZE[seg] * rng.lognormal(0, 0.35, N)
    reg = rng.choice(len(REGIONS) - 2, N, p=REG_P[:-2] / REG_P[:-2].sum())
    old = rng.random(N) < 0.62
    signup = np.where(old, rng.uniform(-4000, -20, N), rng.uniform(0, 1066, N))
    signup_t = bh(rng, signup, 9, 17)
    start = np.maximum(np.ceil(signup_t), 0.0)
    avail = 1094.0 - (start + 60)
    churn = rng.random(N) < 0.33 * np.clip(avail / 1034.0, 0, 1)
    cday = np.where(churn, start + 60 + np.floor(rng.random(N) * (np.maximum(avail, 0) + 1)), END)
    end = cday.copy()
    reason = np.where(churn, rng.choice(5, N, p=R_SHARE), -1)
    lead_lo = np.array([120, 45, 60, 20, 20])
    lead_hi = np.array([330, 200, 240, 90, 100])
    rr = np.maximum(reason, 0)
    lead = lead_lo[rr] + rng.random(N) * (lead_hi[rr] - lead_lo[rr])
    ls = np.where(churn, np.maximum(start, end - lead), END)

    def tr(code, p):  # churner of `code` whose trace (probability p) shows
        return (reason == code) & (rng.random(N) < p)

    ind_sil, ind_slow, ind_nofu, ind_mgr = tr(IND, .8), tr(IND, .6), tr(IND, .75), tr(IND, .3)
    pq_comp, pq_ret, pq_unres, pq_score = tr(PQ, .8), tr(PQ, .5), tr(PQ, .5), tr(PQ, .7)
    cp_price, cp_disc, cp_shrink, cp_talk = tr(COMP, .5), tr(COMP, .6), tr(COMP, .6), tr(COMP, .5)
    pt_ref, pt_talk = tr(PT, .55), tr(PT, .12)
    closing = (reason == MOV) & (rng.random(N) < 0.35)
    mv_reg, mv_talk = tr(MOV, .65) & ~closing, tr(MOV, .6)
    stay = ~churn
    neglected = rng.random(N) < 0.15  # background habits, stayers and churners alike
    grumpy = rng.random(N) < 0.12
    hunter = rng.random(N) < 0.10
    mover_s = (rng.random(N) < 0.035) & (reason != MOV) & (end - start > 90)

    # moves: stayers at a random time, churners near the start of their lead window
    move_t = np.full(N, np.inf)
    move_t[mover_s] = start[mover_s] + rng.random(mover_s.sum()) * (end[mover_s] - 30 - start[mover_s])
    move_t[mv_reg] = ls[mv_reg] + rng.random(mv_reg.sum()) * 0.4 * (end[mv_reg] - ls[mv_reg])
    new_reg = reg.copy()
    mv = np.isfinite(move_t)
    far = rng.random(N) < np.where(churn, 0.35, 0.1)  # churners more often leave the island
    new_reg[mv] = np.where(far[mv], rng.choice([len(REGIONS) - 2, len(REGIONS) - 1], mv.sum(), p=[.5, .5]),
                           (reg[mv] + rng.integers(1, len(REGIONS) - 2, mv.sum())) % (len(REGIONS) - 2))

    # managers: churned-through-indifference accounts more often in the HOUSE pool or handed over
    mgr_i = rng.integers(0, len(MANAGERS), N)
    house = rng.random(N) < np.where(reason == IND, 0.22, np.where(neglected, 0.2, 0.07))
    manager = np.where(house, "HOUSE", np.array(MANAGERS)[mgr_i])
    cust_id = np.array([f"SIT{100000 + i}" for i in range(N)])

    # referrals: 14% referred by an earlier customer; personal_ties churners by one who just left
    referrer = np.full(N, -1)
    refd = rng.random(N) < 0.14
    cand = np.argsort(signup)
    pos = np.searchsorted(signup[cand], signup)
    ok = refd & (pos > 0)
    referrer[ok] = cand[(rng.random(ok.sum()) * pos[ok]).astype(int)]
    ch_idx = np.where(churn)[0]
    ch_sorted = ch_idx[np.argsort(cday[ch_idx])]
    ct_sorted = cday[ch_sorted]
    for _ in range(6):
        need = np.where(pt_ref & ((referrer < 0) | (cday[np.maximum(referrer, 0)] >= cday)))[0]
        if need.size == 0:
            break
        lo = np.searchsorted(ct_sorted, cday[need] - 240)
        hi = np.searchsorted(ct_sorted, cday[need] - 7)
        has = hi > lo
        need, lo, hi = need[has], lo[has], hi[has]
        j = ch_sorted[lo + (rng.random(need.size) * (hi - lo)).astype(int)]
        good = (signup[j] < signup[need]) & (cday[j] > signup_t[need] + 30) & (j != need)
        referrer[need[good]] = j[good]

    # ---------------- orders ----------------
    o_c, o_t, o_amt, o_disc, o_kind = [], [], [], [], []  # kind 0=INV 1=SO 2=CN
    # onboarding / first order
    t = start + np.minimum(rng.uniform(0, 30, N), end - start - 1)
    t = np.minimum(bh(rng, t), end - 0.5)
    amt = np.round(rng.lognormal(np.log(600 * size), 0.8), 2)
    o_c.append(np.arange(N)); o_t.append(t); o_amt.append(amt); o_disc.append(np.zeros(N)); o_kind.append(np.ones(N))
    # M365 monthly invoices
    m365 = rng.random(N) < SEG_M365[seg]
    months = np.array([(np.datetime64(f"{2023 + k // 12}-{k % 12 + 1:02d}-01") - np.datetime64("2023-01-01")).astype(int)
                       for k in range(36)], dtype=float)
    mc = np.where(m365)[0]
    seats0 = np.maximum(1, np.round(rng.lognormal(np.log(6 * size[mc]), 0.5)))
    growth = rng.normal(0.08, 0.25, mc.size)
    price = rng.choice([5.6, 11.7, 20.6], mc.size, p=[.15, .55, .3])
    tm = months[None, :] + rng.integers(0, 3, mc.size)[:, None] + 0.3
    valid = (tm >= start[mc, None]) & (tm < end[mc, None])
    ci, k = np.nonzero(valid)
    c = mc[ci]
    tt = tm[ci, k]
    seats = seats0[ci] * (1 + growth[ci] * k / 35)
    shr = cp_shrink[c] & (tt >= ls[c])
    seats = np.where(shr, seats * (1 - 0.55 * (tt - ls[c]) / np.maximum(end[c] - ls[c], 1)), seats)
    seats = np.maximum(1, np.round(seats))
    o_c.append(c); o_t.append(tt); o_amt.append(np.round(seats * price[ci] * 1.23, 2))
    o_disc.append(np.zeros(c.size)); o_kind.append(np.zeros(c.size))
    # hardware, software and services orders
    hw_rate = rng.lognormal(np.log(0.35), 0.6, N) * np.sqrt(size) / MON
    lead_mult = np.select([reason == IND, reason == PQ, reason == COMP], [0.6, 0.55, 0.8], 1.0)
    i1, t1 = events(rng, start, ls, hw_rate)
    i2, t2 = events(rng, ls, end, hw_rate * lead_mult)
    hc = np.concatenate([i1, i2])
    ht = np.minimum(bh(rng, np.concatenate([t1, t2])), end[hc] - 0.01)
    inlead = ht >= ls[hc]
    hamt = rng.lognormal(np.log(420 * size[hc]), 1.0)
    hamt = np.where(inlead & cp_shrink[hc], hamt * 0.5, hamt)
    pdisc = np.where(hunter[hc], 0.5, 0.12)
    pdisc = np.where(inlead & cp_disc[hc], 0.7, pdisc)
    dis = rng.random(hc.size) < pdisc
    drate = np.where(inlead & cp_disc[hc], rng.uniform(0.08, 0.22, hc.size), rng.uniform(0.03, 0.12, hc.size))
    hdisc = np.where(dis, np.round(hamt * drate, 2), 0.0)
    hamt = np.round(hamt - hdisc, 2)
    o_c.append(hc); o_t.append(ht); o_amt.append(hamt); o_disc.append(hdisc); o_kind.append(np.ones(hc.size))
    # returns / credit notes
    pret = np.where(grumpy[hc], 0.06, 0.025)
    pret = np.where(inlead & pq_ret[hc], 0.25, pret)
    rt_ = np.where(rng.random(hc.size) < pret)[0]
    rtime = bh(rng, ht[rt_] + rng.uniform(2, 35, rt_.size))
    keep = rtime < np.minimum(end[hc[rt_]], END)
    rt_, rtime = rt_[keep], rtime[keep]
    frac = np.where(rng.random(rt_.size) < 0.6, 1.0, rng.uniform(0.2, 0.8, rt_.size))
    o_c.append(hc[rt_]); o_t.append(rtime); o_amt.append(-np.round(hamt[rt_] * frac, 2))
    o_disc.append(np.zeros(rt_.size)); o_kind.append(np.full(rt_.size, 2.0))

    oc = np.concatenate(o_c); ot = np.concatenate(o_t); okind = np.concatenate(o_kind).astype(int)
    order = np.argsort(ot, kind="stable")
    oc, ot, okind = oc[order], ot[order], okind[order]
    oamt = np.concatenate(o_amt)[order]; odisc = np.concatenate(o_disc)[order]
    assert (ot < end[oc]).all() and (ot < END).all()
    oregion = np.where(ot >= move_t[oc], new_reg[oc], reg[oc])
    pref = np.array(["INV-", "SO-", "CN-"])[okind]
    orders = pd.DataFrame({
        "order_id": np.char.add(pref.astype(str), (np.arange(oc.size) + 1000001).astype(str)),
        "customer_id": cust_id[oc], "ordered_at": ts(ot), "amount": oamt, "discount_amount": odisc,
        "returned": (okind == 2).astype(int), "region": np.array(REGIONS)[oregion]})

    # ---------------- contacts ----------------
    cc, ctt, ck, cdir = [], [], [], []

    def add(c, t, kind, inbound):
        cc.append(c); ctt.append(t); ck.append(np.full(c.size, kind)); cdir.append(np.full(c.size, inbound))

    out_rate = rng.lognormal(np.log(0.3), 0.5, N) * size ** 0.3 / MON
    out_rate = np.where(neglected, out_rate * 0.15, out_rate) * np.where(house, 0.3, 1.0)
    i1, t1 = events(rng, start, ls, out_rate)
    i2, t2 = events(rng, ls, end, out_rate * np.where(ind_sil, 0.08, 1.0))
    add(np.concatenate([i1, i2]), bh(rng, np.concatenate([t1, t2]), 9, 17, 0.98), O_CHECK, False)
    i1, t1 = events(rng, start, np.minimum(end + 20, END), np.full(N, 0.1 / MON))
    add(i1, bh(rng, t1, 7, 11), O_MKT, False)
    i1, t1 = events(rng, start, end, np.full(N, 0.05 / MON))
    add(i1, bh(rng, t1, 9, 17), O_ADMIN, False)
    big = np.where(hamt > 600)[0]  # follow-up call after a sizeable delivery
    bc = hc[big]
    pf = np.where(neglected[bc], 0.15, 0.5) * np.where(house[bc], 0.5, 1.0)
    pf = np.where((ht[big] >= ls[bc]) & ind_nofu[bc], 0.04, pf)
    f = big[rng.random(big.size) < pf]
    add(hc[f], bh(rng, ht[f] + rng.uniform(1, 10, f.size), 9, 17, 1.0), O_FOLLOW, False)
    intro = ind_mgr | (stay & (rng.random(N) < 0.05))
    it = np.where(ind_mgr, ls + rng.uniform(0, 30, N), start + rng.random(N) * (END - start))
    ii = np.where(intro & (it < end))[0]
    add(ii, bh(rng, it[ii], 9, 17), O_INTRO, False)
    wb = np.where(churn & (reason != MOV) & (rng.random(N) < 0.25))[0]
    add(wb, bh(rng, end[wb] + rng.uniform(10, 60, wb.size), 9, 17), O_WINBACK, False)
    # inbound
    in_rate = rng.lognormal(np.log(0.35), 0.5, N) * size ** 0.3 / MON
    i1, t1 = events(rng, start, end, in_rate)
    mix = rng.choice([I_SUP, I_ADMIN, I_PRICE, I_QUAL, I_CHASE], i1.size, p=[.62, .28, .04, .04, .02])
    for kind in (I_SUP, I_ADMIN, I_PRICE, I_QUAL, I_CHASE):
        m = mix == kind
        add(i1[m], t1[m], kind, True)
    for mask, rate, kind, a_, b_ in [
            (grumpy, 0.15, I_QUAL, start, end), (hunter, 0.12, I_PRICE, start, end),
            (neglected, 0.06, I_CHASE, start, end), (pq_comp, 0.5, I_QUAL, ls, end),
            (pq_comp, 0.15, I_CHASE, ls, end), (cp_talk, 0.3, I_PRICE, ls, end),
            (ind_slow, 0.15, I_CHASE, ls, end)]:
        w = np.where(mask)[0]
        i1, t1 = events(rng, a_[w], b_[w], np.full(w.size, rate / MON))
        add(w[i1], t1, kind, True)
    for mask, kind, lo_, hi_ in [(mv_talk & ~closing, I_MOVE, -25, 5), (mv_talk & closing, I_CLOSE, -40, -2),
                                 (mover_s & (rng.random(N) < 0.6), I_MOVE, -25, 5), (pt_talk, I_PERS, -30, -1),
                                 (churn & (reason != MOV) & (rng.random(N) < 0.25), I_TRANSFER, -7, 12)]:
        w = np.where(mask)[0]
        base = np.where(np.isfinite(move_t[w]), move_t[w], end[w])
        tw_ = np.maximum(base + rng.uniform(lo_, hi_, w.size), start[w])
        add(w, tw_, kind, True)
    cc = np.concatenate(cc); ck = np.concatenate(ck); cin = np.concatenate(cdir)
    ctt = np.concatenate(ctt)
    ctt = np.where(cin, bh(rng, ctt, 7.5, 19, 0.8), ctt)
    keep = ctt < END
    cc, ck, cin, ctt = cc[keep], ck[keep], cin[keep], ctt[keep]
    # service-desk answering
    slow = cin & (((ctt >= ls[cc]) & ind_slow[cc]) | neglected[cc] | house[cc])
    p_ans = np.where(slow, np.where(neglected[cc] | house[cc], 0.86, 0.6), 0.95)
    ans = cin & (rng.random(cc.size) < p_ans)
    hrs = rng.lognormal(np.log(2.5), 1.1, cc.size) * np.where(slow, np.where(neglected[cc], 2.5, 6.0), 1.0)
    hrs = np.minimum(np.round(hrs, 1), (END - ctt) * 24 - 0.1)
    chan = np.empty(cc.size, dtype=object)
    for key, m in [("out", ~cin & (ck != O_FOLLOW) & (ck != O_MKT) & (ck != O_ADMIN)), ("follow", ck == O_FOLLOW),
                   ("mkt", (ck == O_MKT) | (ck == O_ADMIN)), ("in", cin)]:
        chan[m] = pick(rng, m.sum(), CHANNEL[key])
    order = np.argsort(ctt, kind="stable")
    years = (2023 + np.floor(ctt / 365.25)).astype(int)
    contacts = pd.DataFrame({
        "customer_id": cust_id[cc], "contacted_at": ts(ctt), "direction": np.where(cin, "inbound", "outbound"),
        "channel": chan, "topic": render(ck.tolist(), years.tolist(), rng),
        "answered": np.where(cin, ans.astype(float), np.nan),
        "response_hours": np.where(ans, np.maximum(hrs, 0.0), np.nan)}).iloc[order]
    contacts["answered"] = contacts["answered"].astype("Int64")

    # ---------------- complaints ----------------
    qc, qt, qcat, qunres = [], [], [], []
    CATS = np.array(["quality", "service", "price", "delivery", "other"])
    for mask, rate, p, a_, b_, pun in [
            (np.ones(N, bool), 0.02, [.32, .28, .12, .18, .10], start, end, 0.05),
            (grumpy, 0.06, [.4, .3, .1, .15, .05], start, end, 0.08),
            (pq_comp, 0.4, [.6, .33, 0, .05, .02], ls, end, np.where(pq_unres, 0.5, 0.12)),
            (cp_price, 0.28, [0, .1, .85, 0, .05], ls, end, 0.1),
            (hunter, 0.03, [0, 0, 1, 0, 0], start, end, 0.05),
            (ind_slow, 0.06, [0, .85, 0, .05, .1], ls, end, 0.15)]:
        w = np.where(mask)[0]
        i1, t1 = events(rng, a_[w], b_[w], np.full(w.size, rate / MON))
        qc.append(w[i1]); qt.append(t1); qcat.append(rng.choice(5, i1.size, p=p))
        qunres.append(rng.random(i1.size) < (pun[w[i1]] if np.ndim(pun) else pun))
    qc = np.concatenate(qc); qt = bh(rng, np.concatenate(qt), 8, 18, 0.9)
    qcat = np.concatenate(qcat); qunres = np.concatenate(qunres)
    keep = qt < END
    qc, qt, qcat, qunres = qc[keep], qt[keep], qcat[keep], qunres[keep]
    rdays = rng.lognormal(np.log(3), 1.0, qc.size) * np.where(pq_comp[qc] & (qt >= ls[qc]), 3.0, 1.0)
    rt2 = qt + rdays
    res_ok = ~qunres & (rt2 < END)
    order = np.argsort(qt, kind="stable")
    complaints = pd.DataFrame({"customer_id": cust_id[qc], "opened_at": ts(qt), "category": CATS[qcat],
                               "resolved_at": np.where(res_ok, ts(np.minimum(rt2, END - 1e-4)), None)}).iloc[order]

    # ---------------- surveys ----------------
    waves = months[2::3] + 14  # mid-quarter pulse mail-outs
    base_score = rng.normal(7.7, 1.1, N) - 1.8 * grumpy - 0.8 * neglected
    sc_, st_, sv_ = [], [], []
    wc, wk = np.nonzero((waves[None, :] >= start[:, None]) & (waves[None, :] < end[:, None]))
    tw_ = waves[wk]
    inl = tw_ >= ls[wc]
    p_resp = np.where(inl & (reason[wc] == PQ), 0.35, np.where(inl & (reason[wc] == IND), 0.12, 0.22))
    r_ = rng.random(wc.size) < p_resp
    wc, tw_, inl = wc[r_], tw_[r_], inl[r_]
    shift = np.where(inl & pq_score[wc], -3.3, np.where(inl & (reason[wc] == IND), -1.1,
                                                         np.where(inl & (reason[wc] == COMP), -0.8, 0.0)))
    score = np.clip(np.round(base_score[wc] + shift + rng.normal(0, 1.2, wc.size)), 0, 10)
    sc_.append(wc); st_.append(bh(rng, tw_ + rng.exponential(3, wc.size), 8, 22, 0.5)); sv_.append(score)
    # exit survey: some churners answer weeks later, not always with the real reason
    conf = np.array([[.45, .15, .30, .05, .05], [.10, .70, .15, .02, .03], [.10, .10, .75, .03, .02],
                     [.15, .05, .25, .55, .00], [.05, .02, .03, .05, .85]])
    ex = np.where(churn & (rng.random(N) < np.where(reason == MOV, 0.18, 0.3)))[0]
    ext = bh(rng, end[ex] + rng.uniform(7, 70, ex.size), 8, 22, 0.5)
    ex, ext = ex[ext < END], ext[ext < END]
    said = np.array([rng.choice(5, p=conf[r]) for r in reason[ex]], dtype=int)
    exs = np.clip(np.round(np.where(reason[ex] == PQ, 2, 4.5) + rng.normal(0, 1.5, ex.size)), 0, 10)
    surveys = pd.concat([
        pd.DataFrame({"customer_id": cust_id[np.concatenate(sc_)], "answered_at": ts(np.concatenate(st_)),
                      "kind": "pulse", "score": np.concatenate(sv_), "reason": None}),
        pd.DataFrame({"customer_id": cust_id[ex], "answered_at": ts(ext), "kind": "exit", "score": exs,
                      "reason": np.array(REASONS)[said]})], ignore_index=True)
    surveys = surveys[surveys["answered_at"] < "2026-01-01"].sort_values("answered_at", kind="stable")

    customers = pd.DataFrame({
        "customer_id": cust_id, "signed_up_at": ts(signup_t), "segment": np.array(SEGMENTS)[seg],
        "region": np.array(REGIONS)[np.where(np.isfinite(move_t), new_reg, reg)],
        "loyalty_member": (rng.random(N) < np.where(reason == COMP, 0.12, np.where(stay, 0.3, 0.22))).astype(int),
        "referred_by": np.where(referrer >= 0, cust_id[np.maximum(referrer, 0)], None), "manager_id": manager})

    # ---------------- write ----------------
    db = os.path.join(a.out, "crm.db")
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=OFF"); con.execute("PRAGMA synchronous=OFF")
    for name, df in [("customers", customers), ("orders", orders), ("contacts", contacts),
                     ("complaints", complaints), ("surveys", surveys)]:
        df.to_sql(name, con, index=False, chunksize=200000)
    con.execute("CREATE INDEX ix_orders_c ON orders(customer_id)")
    con.commit(); con.close()
    ch = np.where(churn)[0]
    truth = pd.DataFrame({"customer_id": cust_id[ch], "churned_at": ts(cday[ch]).astype("U10"),
                          "true_reason": np.array(REASONS)[reason[ch]]})
    truth.to_csv(os.path.join(a.out, "truth.csv"), index=False)
    print(f"customers={N} orders={len(orders)} contacts={len(contacts)} complaints={len(complaints)} "
          f"surveys={len(surveys)} churners={len(truth)} ({len(truth) / N:.1%}) in {time.time() - t_start:.1f}s")
    win = truth[(truth.churned_at >= "2025-10-01") & (truth.churned_at <= "2025-12-29")]
    print("churners per reason:", truth.true_reason.value_counts().to_dict())
    print("churned 2025-10-01..12-29 per reason:", win.true_reason.value_counts().to_dict())


if __name__ == "__main__":
    main()
