#!/usr/bin/env python3
"""Synthetic CRM export of "Ironbark & Ember Coffee Roasters" (independent benchmark data).

The business
------------
A specialty roaster with roasteries in Collingwood (Melbourne) and Marrickville (Sydney), and
distributors' runs into Brisbane, the Gold Coast and Adelaide.  It sells wholesale to cafés,
restaurants, offices, hotels, bakeries and grocers: house blends and single origins by the kilo,
milk alternatives by the carton, and machine servicing (a tech visit is invoiced as its own order).
Cafés order weekly or fortnightly (standing orders, the web portal, or a text to the rep), offices
monthly.  Account managers ("reps", ids are their staff usernames) visit and call their accounts;
small offices sit with inside sales; a shared support inbox and phone line take everything else.
The CRM went live in Jan 2023, so legacy accounts keep their original sign-up dates but history
(orders, contacts, surveys) starts 2023-01-01 and the export ends 2025-12-31.  All timestamps are
head-office (Melbourne) wall-clock time written with their AEST/AEDT offset (+10:00/+11:00).
Prices rose three times (green coffee costs): notices went out Feb 2024, Nov 2024 and Jun 2025.

Files (CSV): customers, orders (incl. machine-service invoices and credit notes for returns,
negative amounts with returned=true), contacts (rep visits/calls/emails, marketing EDMs, price
notices, inbound emails/calls/chats with answered/response_hours and a `staff` column),
complaints (with a free-text description), surveys (quarterly pulse, and a lapsed-account "exit"
survey with a reason code and comment), plus truth.csv (ground truth, not part of the CRM).

Churn and its reasons
---------------------
Each buying account gets a churn hazard (seasonal: peaks after the summer holidays and after
price notices; higher in an account's first months; lower for Roaster's Club members); ~28% of
buyers stop ordering for good before 2025-12-29.  churned_at is the local midnight after which no
order (or credit) exists.  The reason is drawn in the survey shares, tilted by circumstances
(competitor after price notices and for non-members, personal ties for referred accounts).
What the CRM shows before the last order -- every trace is noisy, some churners show none, and
the same episodes happen to accounts that stay:
* indifference: a "neglect" stretch of 2-8 months (80% of them): rep visits/calls nearly stop,
  the rep often left (manager change, often with no intro from the new one), inbound emails go
  unanswered or wait a day or more, customers send "still waiting..." chasers, no follow-up call
  after a new account's first order, slightly lower pulse scores; order frequency fades.
  ~12% of other accounts go through a neglect stretch too and then recover.
* product_quality: a burst of quality/service (some delivery) complaints, often slow or never
  resolved, credit-note returns, low pulse scores; ~12% leave silently.  Stayers have their
  bad patches and the ordinary complaint background.
* competitor: basket shrinks (split supply) while discounts pile up, price complaints, notes or
  emails naming a rival roaster's quote, rep price-match attempts.  Price-sensitive stayers and
  post-notice grumbling from everyone blur it.
* personal_ties: weak -- a change of ownership, the referring account left not long before,
  rarely an explicit "mate's roastery" remark; orders stop abruptly.
* moved_or_died: relocation requests, deliveries to a new region before stopping, the account's
  region updated (sometimes out of the delivery area), or a closure / "passed away" message;
  stayers relocate, renovate and pause too.
Exit surveys are answered by ~30% of churners 2-12 weeks after leaving, with the reported reason
often differing from the true one (indifference is often reported as price or quality).
"""
import argparse, os, random, time  # noqa: E401

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

BASE = np.datetime64('2023-01-01T00:00:00', 's')
D = lambda s: float((np.datetime64(s, 's') - BASE) / np.timedelta64(1, 'D'))  # noqa: E731  local days since BASE
ENDD = D('2026-01-01')                 # history ends before this (local wall clock)
CHURN_MAX = D('2025-12-29')            # churned_at (a local midnight) <= 2025-12-29
NOTICES = [D('2024-02-12'), D('2024-11-04'), D('2025-06-10')]
PRICE_STEPS = [(D('2024-03-01'), 1.05), (D('2024-12-02'), 1.07), (D('2025-07-01'), 1.08)]
REASONS = np.array(['indifference', 'product_quality', 'competitor', 'personal_ties', 'moved_or_died'])
SHARE = np.array([.67, .15, .09, .05, .04])
IND, QUA, COM, TIE, MOV = range(5)
SEG = np.array(['Café', 'Restaurant & Bar', 'Office & Workplace', 'Hotel & Catering', 'Bakery', 'Grocer & Deli'])
SEG_P = [.40, .19, .22, .06, .08, .05]
SEG_INT = np.array([8.5, 13, 26, 9, 11, 20.])        # days between orders
SEG_BASKET = np.array([620, 300, 190, 720, 380, 480.])
SEG_OUT = np.array([9, 6, 3.5, 8, 6, 4.5])           # rep touches / year
SEG_IN = np.array([5, 4, 3, 5, 4, 3.])               # inbound requests / year
SEG_MACH = np.array([.5, .35, .3, .45, .3, .1])      # share on a machine service plan
SEG_CH = np.array([1.1, 1.05, .85, .9, 1., 1.])      # churn hazard
OFFICE = 2
REGION = np.array(['VIC - Melbourne Metro', 'NSW - Sydney Metro', 'QLD - Brisbane', 'SA - Adelaide',
                   'VIC - Geelong & Surf Coast', 'NSW - Newcastle & Central Coast', 'QLD - Gold Coast',
                   'VIC - Regional', 'WA - Perth', 'TAS - Hobart', 'NT - Darwin'])
REG_P = [.39, .33, .09, .08, .035, .035, .02, .02]
REG_STATE = np.array([0, 1, 2, 3, 0, 1, 2, 0, 0, 0, 0])  # VIC NSW QLD SA desks (out of area -> VIC)
N_IN_AREA = 8
W = lambda s: s.split('|')  # noqa: E731
FIRST = W('Jess|Tom|Priya|Macca|Sophie|Liam|Chloe|Josh|Mia|Ben|Ava|Jack|Olivia|Nick|Emma|Sam|Hannah|Luke|Grace|Dan|'
          'Zoe|Matt|Ruby|Ryan|Isla|Tim|Lily|Harry|Anh|Minh|Giulia|Marco|Sarah|Kate|Lachie|Bec|Georgia|Hamish|Ella|'
          'Raj|Mei|Nikos|Eleni|Fatima|Omar|Sione|Shaz|Davo|Steph')
LAST = W('Nguyen|Smith|Jones|Williams|Brown|Wilson|Taylor|Kelly|Murphy|Tran|Papadopoulos|Rossi|Singh|Chen|Wong|Lee|'
         'Martin|Anderson|Thompson|White|Harris|Ryan|Walker|Robinson|Young|King|Wright|Campbell|Mitchell|Hughes|'
         'Edwards|Clarke|Scott|Green|Baker|Hall|Collins|Russo|Costa|Patel|Kaur|Nikolaidis|Fraser|Doyle|Byrne|Quinn|'
         'Sullivan|Ward|Brennan|Le|Pham')
SUBURB = W('Fitzroy|Collingwood|Brunswick|Richmond|Carlton|Footscray|Prahran|Northcote|Preston|Abbotsford|Southbank|'
           'Docklands|Hawthorn|Surry Hills|Newtown|Marrickville|Bondi|Paddington|Glebe|Manly|Parramatta|Chatswood|'
           'Redfern|Alexandria|Leichhardt|Balmain|Fortitude Valley|West End|Norwood|Unley|Geelong|Torquay')
CITY = W('Brisbane|Perth|the Sunshine Coast|Adelaide|Hobart|Geelong|Bendigo|Darwin|Byron|Newcastle|the Gold Coast|'
         'Ballarat|Sydney|Melbourne|WA|Tassie|QLD')
BLEND = W('Collingwood Blend|Northside Espresso|Harbour Blend|Fitzroy Dark|Night Owl|Little Bourke|Ember House|'
          'Ironbark Espresso|Ethiopia Guji|Colombia Huila|Brazil Cerrado|PNG Wahgi|Decaf Swiss Water|house blend|'
          'the espresso blend|SO filter|decaf|Night Owl 1kg')
MILK = W('Oatly Barista|Bonsoy|Minor Figures oat|almond milk|oat milk|macadamia milk|lactose free|soy|Milklab almond')
MACH = W('La Marzocco|Linea PB|the Synesso|Mazzer|grinder|EK43|group head|steam wand|the 3 group|Slayer|'
         'hot water tap|the Mythos|machine')
COMP = W('Two Magpies Roasting|Saltbush Coffee|Harbourside Roasters|Kettle & Crow|Redgum Coffee Co|Northcote Roast House|'
         'Little Lonsdale Coffee|Blackwood Roasters|Bean Bros|the new mob in Brunswick|another roaster')
MONTH = W('January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Sept')
DAYS = W('Monday|Mon|Tues|Tuesday|Wed|Thurs|Thursday|Fri|Friday|tmrw|this arvo|next week')
TPL = {k: W(v) for k, v in dict(
    o_visit="Site visit - {suburb}|Visit: dialled in {blend} on the {mach}|dropped samples of {blend}|Quarterly catch up w/ "
    "{name}|Barista training - 2 new staff|visit, checked grind + cleaned {mach}|Popped in, all good. {name} happy w/ {blend}|"
    "Account review mtg w/ owner|Cupping at roastery w/ {name}|visit - retrained staff on milk texturing|Drop in w/ new "
    "season {blend}|Site visit: stock check, rotated bags|Annual review - volumes + pricing|Visit to discuss winter menu|"
    "f2f w/ {name}, talked about {milk}|visit {suburb} - recalibrated grinder|Brekkie meeting w/ {name} + chef",
    o_call="Call - checked stock levels|Rang {name} re standing order|Called to confirm {day} delivery|Phone catch up, "
    "happy w/ {blend}|call re {inv} overdue|Courtesy call - new {blend} release|Called re {mach} service booking|Spoke to "
    "{name} - wants to trial {milk}|Call: reminded about Xmas cut-off dates|chat w/ {name} re delivery window|Called back "
    "re {ord}|Rang re volumes, all steady|quick call - {name} flat out, call back {day}",
    o_vm="Left voicemail|LVM - will try again {day}|no answer, left msg|Called - no answer|VM left for {name}|tried "
    "calling, phone rang out",
    o_email="{blend} back in stock|Statement - {month}|Updated price list attached|Following up on samples|Holiday trading "
    "hours|Invitation: Roaster's Club cupping night|Quote for {mach} service|Your new barista guide|Checking in - anything "
    "you need?|{milk} now available in cartons of 12|{ord}|Credit note for {inv}|{inv}|Xmas order cut-off {date}",
    o_followup="Follow up - first delivery, how's the {blend} going?|F/up call after onboarding|Checked in after install, "
    "shots running ok|post-install f/up w/ {name}|1st order follow up - all good|Follow-up visit: dialled in grinder after "
    "1st order|Call - how did the first week go?|Onboarding f/up - sent barista guide",
    o_intro="Intro - {name} taking over the account from {name2}|Hi from your new account manager|handover visit w/ "
    "{name}|Account handover - introduced myself|Intro call, new AM for {suburb}|New rep intro + samples",
    o_winback="Noticed no orders since {date} - checking in|Win-back call - no answer|We miss you! {pct}% off {blend}|"
    "Lapsed acct f/up|Called re no orders lately|Checking in - haven't seen an order in a while|winback offer sent",
    o_match="Discussed pricing - offered {pct}% off house blend|Price match request - approved {pct}% for 3 mths|Sent "
    "revised quote|Pricing review w/ {name}|matched {comp} on {blend}, {price}/kg|Offered volume discount to keep acct|"
    "{comp} sniffing around - offered {pct}% off",
    o_prospect="Samples dropped off|Follow up on samples - still deciding|Sent wholesale price list|Tasting at roastery "
    "booked|Intro visit, left {blend} samples|Quote sent - {blend} + {milk}",
    i_order="Can we add 2 x 1kg {blend} to {day}'s order|change to standing order pls|extra {milk} this week|Order {ord} "
    "- can u add decaf|Need {kg}kg by Fri|cancel {day}'s delivery, we're closed|Order for next week|{kg} kg {blend} + 2 "
    "ctns {milk}|can we bump up to {kg}kg/wk|add cups + lids to {ord}|urgent - ran out of {blend}!!|pls skip delivery "
    "{day}|Order - {name} @ {suburb}|same as last week thx",
    i_invoice="Invoice {inv} query|statement - think we've been charged twice|can you resend {inv}|Remittance advice "
    "{inv}|update billing email|Query re credit on {inv}|Direct debit form|{inv} - wrong ABN|overdue notice?? we paid",
    i_service="{mach} leaking|grinder making weird noise|need a tech out asap - steam wand blocked|booking machine "
    "service|group head gasket gone|water filter change due|{mach} not heating up|pressure gauge all over the place|tech "
    "visit for {day}?",
    i_svcbad="tech didn't show up {day}|still waiting on the tech|{mach} still broken after service|3rd time the {mach} "
    "has broken this month|charged for a service that didn't fix anything|nobody got back to us about the {mach}|really "
    "disappointed w/ the service lately|service call {ord} - not good enough",
    i_delivery="delivery didn't turn up|driver left bags out in the rain|late delivery again|where's order {ord}?|missing "
    "{milk} from delivery|Delivery came after we opened|short delivered {ord} - only {kg}kg|wrong blend delivered",
    i_quality="beans tasting stale|{blend} roast way darker than usual|shots running fast & sour since new batch|bags "
    "past roast date|bitter shots, customers complaining|oily beans clogging grinder|found a stone in the bag|{blend} not "
    "tasting right|Last batch of {blend} is flat|inconsistent roast - {ord}|Quality of {blend} has dropped|customers "
    "sending back flat whites|{blend} batch {ord} tastes burnt",
    i_price="price increase??|why has {blend} gone up again|{comp} quoted {price}/kg|can you match {comp}?|any discount "
    "for bigger volume?|other roasters are cheaper|price update - not happy|we can't absorb another increase|price per kg "
    "is getting silly",
    i_comp="trialling {comp} next week fyi|{comp} rep came in today|{comp} offered us a free machine lease|got a quote "
    "from {comp}|thinking of switching, {comp} is {price}/kg|{comp} dropped off samples, just so u know",
    i_chase="still waiting on a reply|2nd email - {inv}|hello?? anyone there|Following up again re tech visit|called "
    "twice, no call back|Chasing - {ord}|has anyone looked at this?|No response to my last email|any update??|third time "
    "asking - {inv}|Can someone pls call me back",
    i_move="we're moving to {city}|relocating the café - new address from {date}|new premises in {suburb}|can you "
    "deliver to {city}?|Moving shop - last delivery at old site {date}|Relocation - pls update our details|moving "
    "interstate, what are our options",
    i_close="closing down end of month|We've sold the shop, last order|sad news - {name} passed away, café closed for "
    "now|lease not renewed, last day {date}|retiring, shutting the café|closing our doors - thanks for everything|"
    "Account closure",
    i_owner="change of ownership|new owners from {date}|new owner details for the account|sold the business - pls update "
    "contact|settlement - new owner {name}|Hi, I'm {name}, the new owner",
    i_ties="new owner's brother roasts his own beans|going with a mate's roastery, no hard feelings|my cousin's opened a "
    "roastery in {suburb}|owner wants to support his mate's roaster",
    i_reno="closed for renos till {date}|shutting for winter, back in {month}|pls pause deliveries til further notice|"
    "closed {date} - {date2} for refurb",
    i_general="Roaster's Club points?|can we get some branded cups|menu board request|barista training request|hours "
    "over Xmas?|do you do cold brew?|wholesale price list pls|samples of {blend}?|can we get a {milk} rep to call",
    i_update="change of delivery address|new phone number|update contact - {name} left|new manager at the shop is {name}",
    i_other="charged twice on {inv}|overdue notice?? we paid|wrong ABN on invoices again|portal won't let us log in|credit "
    "for {ord} never applied|direct debit taken early|rep promised pricing that's not on {inv}",
).items()}
EDM = W("EDM: New season {blend} has landed|Roaster's Club news - {month}|EDM: Christmas delivery schedule|Meet our "
        "new {blend}|Newsletter: brew guide + {milk} offer|EDM - {month} specials|Winter menu ideas from the roastery")
TAIL = W("|||| - pls call {name}| - 2nd time this month|. Customers noticing.| - need this sorted before {day}| cheers "
         "{name}|, thx| - not happy|!!")
EXIT_COMMENT = [W("nobody from your team came round anymore|felt like just a number|rep never visited after {name} left|"
                  "emails went unanswered|no one followed up|never heard from anyone after the changeover|||"),
                W("quality went downhill|too many issues with the machine|beans inconsistent|the {blend} just wasn't "
                  "the same|tech never fixed the {mach} properly|complaints not sorted|||"),
                W("better price elsewhere|{comp} offered a better deal|free machine lease elsewhere|cheaper per kg, "
                  "simple as|price rises too much this year|||"),
                W("family friend roasts|new owners have their own supplier|supporting a mate's business||"),
                W("moved interstate|closed the business|sold up|owner passed away|out of your delivery area|")]
GEN = {'blend': BLEND, 'milk': MILK, 'mach': MACH, 'comp': COMP, 'name': FIRST, 'name2': FIRST, 'suburb': SUBURB,
       'city': CITY, 'day': DAYS, 'month': MONTH, 'kg': W('5|6|10|12|15|20|24|30|40'), 'pct': W('5|7.5|10|12|15')}
OPEN_CALL = W("||||Cust called - |Ph: |Call in: |{name} rang - |phoned re: ")
OPEN_MSG = W("||||Hi |Hey guys, |hi team - |G'day, |Morning! |hiya ")
TR = random.Random(0)


class Slots(dict):
    def __missing__(self, k):
        R = TR
        if k in GEN:
            v = R.choice(GEN[k])
        elif k.startswith('date'):
            v = f"{R.randint(1, 28)}/{R.randint(1, 12)}"
        elif k == 'ord':
            v = R.choice(['SO-{}', 'SO{}', '#{}', 'SO-{}', 'PO {}']).format(R.randint(100000, 999999))
        elif k == 'inv':
            v = R.choice(['INV-0{}', 'inv {}', 'INV{}', 'invoice #{}']).format(R.randint(10000, 99999))
        else:
            v = f"${R.randint(29, 42)}{R.choice(['', '.50', '.90', '.00'])}"
        self[k] = v
        return v


def mess(s, chan, inbound):
    """How people actually type: diacritics skipped, Re:/Fwd:, typos, caps, helpdesk ticket tags, greetings."""
    R, email = TR, chan == 1
    if inbound and not email:
        s = R.choice(OPEN_CALL if chan == 0 else OPEN_MSG).format_map(Slots()) + s
    if R.random() < .6:
        s = s.replace('café', 'cafe').replace('Café', 'Cafe')
    r = R.random()
    if inbound and r < .04:
        s = s.lower()
    elif inbound and r < .05:
        s = s.upper()
    if R.random() < .07 and len(s) > 6:
        i, op = R.randrange(1, len(s) - 2), R.random()
        if s[i].isalpha() and s[i + 1].isalpha() and op < .4:
            s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
        elif s[i].isalpha():
            s = s[:i] + s[i + 1:] if op < .75 else s[:i] + s[i] + s[i:]
    if email:
        r = R.random()
        s = ('Re: ' if r < .22 else 'RE: ' if r < .27 else 'Fwd: ' if r < .3 else 'FW: ' if r < .32 else
             'Re: Re: ' if r < .35 else '') + s
        if inbound and R.random() < .14:
            s += R.choice([' [#{}]', ' (Ticket {})', ' - Case #{}', ' [CS-{}]']).format(R.randint(10000, 99999))
    return s


def fill(tpl):
    return tpl.format_map(Slots())


def texts(kinds, chan, inbound, tail=False):
    return [mess(fill(TR.choice(TPL[k]) + (TR.choice(TAIL) if tail else '')), c, i)
            for k, c, i in zip(kinds, chan, inbound)]


DST_B = np.array([D(str(np.busday_offset(f'{y}-{m}', 0, roll='forward', weekmask='Sun'))) + h / 24
                  for y in range(2014, 2028) for m, h in (('04', 3), ('10', 2))])


def iso(days, sep='T'):
    """Local (Melbourne) wall-clock days since 2023-01-01 -> ISO 8601 text with its AEST/AEDT offset."""
    days = np.asarray(days, float)
    ok = np.isfinite(days)
    d = np.where(ok, days, 0.)
    loc = BASE + np.floor(d * 86400 + .5).astype(np.int64).astype('timedelta64[s]')
    s = pa.array(np.datetime_as_string(loc, unit='s'))
    s = pc.replace_substring(s, 'T', sep) if sep != 'T' else s
    dst = np.searchsorted(DST_B, d, side='right') % 2 == 0
    out = pc.binary_join_element_wise(s, pa.array(np.where(dst, '+11:00', '+10:00')), '')
    return pc.if_else(pa.array(ok), out, pa.scalar(None, pa.string()))


def write(out, name, cols):
    t = pa.table({k: (v if isinstance(v, pa.Array) else pa.array(v, from_pandas=True)) for k, v in cols.items()})
    pacsv.write_csv(t, os.path.join(out, name + '.csv'), pacsv.WriteOptions(quoting_style='needed'))
    return t.num_rows


def main():
    ap = argparse.ArgumentParser(description='Synthetic CRM of a specialty coffee roaster (AU), with ground truth')
    ap.add_argument('--out', required=True)
    ap.add_argument('--customers', type=int, default=50000)
    ap.add_argument('--seed', type=int, default=1)
    args = ap.parse_args()
    t_start = time.time()
    rng = np.random.default_rng(args.seed)
    TR.seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    n = args.customers
    nan = lambda: np.full(n, np.nan)  # noqa: E731
    U, r = rng.uniform, rng.random
    win = lambda t, ci, s, e: (t >= s[ci]) & (t < e[ci])  # noqa: E731  (NaN windows never match)

    # ---------------------------------------------------------------- calendar
    G = int(ENDD) + 400
    gday = BASE.astype('datetime64[D]') + np.arange(G)
    dow = (gday.astype(np.int64) + 3) % 7                    # 0 = Monday
    mon = gday.astype('datetime64[M]').astype(int) % 12 + 1
    dom = (gday - gday.astype('datetime64[M]')).astype(int) + 1
    doy = (gday - gday.astype('datetime64[Y]')).astype(int)
    hol = ((mon == 12) & (dom >= 23)) | ((mon == 1) & (dom <= 6))
    gi = lambda t: np.clip(np.floor(t), 0, G - 1).astype(int)  # noqa: E731
    hours = lambda t, h0, h1: np.floor(t) + U(h0, h1, np.size(t)) / 24  # noqa: E731

    def wday(t, h0=8, h1=17.5):  # office hours, Mon-Fri
        t = hours(t, h0, h1)
        return t + np.select([dow[gi(t)] == 5, dow[gi(t)] == 6], [-1, 1], 0)

    # ---------------------------------------------------------------- customers
    legacy_n = rng.binomial(n, .42)
    newt = 1085 * (np.sqrt(1 + r(n - legacy_n) * (1.6 ** 2 - 1)) - 1) / .6      # sign-ups grow over time
    signup = hours(np.sort(np.concatenate([-U(20, 8 * 365, legacy_n), newt])), 8, 18)
    legacy = signup < 0
    seg = rng.choice(6, n, p=SEG_P)
    reg0 = rng.choice(N_IN_AREA, n, p=REG_P)
    mu = np.clip(SEG_INT[seg] * rng.lognormal(0, .35, n), 3.5, 60)
    basket = SEG_BASKET[seg] * rng.lognormal(0, .5, n)
    never = ~legacy & (r(n) < .03)
    a = np.where(legacy, U(0, np.minimum(mu, 20)), signup + 1 + rng.gamma(2., 4., n))
    a = np.where(never | (a >= ENDD - 2), np.inf, a)
    buyer = np.isfinite(a)
    aa = np.where(buyer, a, 0.)
    loyal = r(n) < np.where(legacy, .38, .22)
    ref = np.full(n, -1)
    rix = np.nonzero((r(n) < np.where(legacy, .08, .2)) & (np.arange(n) > 30))[0]
    ref[rix] = (r(rix.size) * rix).astype(int)                # referrer signed up earlier

    # ---------------------------------------------------------------- churn time and reason
    season = 1 + .3 * np.cos(2 * np.pi * (doy - 25) / 365.25)
    for nt in NOTICES:
        season[int(nt):int(nt) + 90] += .25
    Hc, gx = np.concatenate([[0.], np.cumsum(season)]), np.arange(G + 1)
    m = rng.lognormal(0, .5, n) * SEG_CH[seg] * np.where(loyal, .8, 1.)
    early = np.where(legacy, 0., 4.)
    cum = lambda t: m * (np.interp(t, gx, Hc) - np.interp(aa, gx, Hc)) + \
        early * 60 * (1 - np.exp(-np.maximum(t - aa, 0) / 60))  # noqa: E731
    E, C = rng.exponential(size=n), cum(np.full(n, CHURN_MAX))
    scale = np.quantile((E / np.maximum(C, 1e-9))[buyer], .28)
    churn = buyer & (scale * C >= E)
    lo, hi = aa.copy(), np.full(n, CHURN_MAX)
    for _ in range(24):
        mid = (lo + hi) / 2
        over = scale * cum(mid) >= E
        hi, lo = np.where(over, mid, hi), np.where(over, lo, mid)
    T = np.where(churn, np.maximum(np.minimum(np.ceil(hi), CHURN_MAX), np.floor(aa) + 1), np.inf)
    churn &= T <= CHURN_MAX
    T[~churn] = np.inf
    span = np.where(churn, T, ENDD)                      # ordering is possible in [a, span)
    ch = np.nonzero(churn)[0]; Tc = T[ch]  # noqa: E702
    mult, post = np.ones((ch.size, 5)), np.zeros(ch.size, bool)
    for nt in NOTICES:
        post |= (Tc >= nt) & (Tc < nt + 110)
    mult[:, COM] *= np.where(post, 1.8, 1) * np.where(loyal[ch], .55, 1)
    mult[:, TIE] *= np.where(ref[ch] >= 0, 2., 1)
    mult[:, [IND, QUA]] *= np.where(Tc - a[ch] < 150, 1.2, 1)[:, None]
    w = SHARE * mult / mult.mean(0)
    w = np.cumsum(w / w.sum(1, keepdims=True), 1)
    rs = np.full(n, -1)
    rs[ch] = (r(ch.size)[:, None] > w).sum(1).clip(0, 4)
    isr = [rs == k for k in range(5)]
    stay = buyer & ~churn

    # ---------------------------------------------------------------- episodes
    def bg(mask, L0, L1):       # an episode at a random point of the account's life
        s, e = nan(), nan()
        ix = np.nonzero(mask)[0]
        s[ix] = aa[ix] + r(ix.size) * np.maximum(span[ix] - aa[ix] - 10, 0)
        e[ix] = s[ix] + U(L0, L1, ix.size)
        return s, e

    def lead(s, e, mask, L0, L1, pad=0.):   # the episode that leads up to churn
        ix = np.nonzero(mask)[0]
        s[ix], e[ix] = np.maximum(aa[ix], T[ix] - U(L0, L1, ix.size)), T[ix] + pad
        return s, e

    neg_s, neg_e = lead(*bg(buyer & ~isr[IND] & (r(n) < .12), 40, 220), isr[IND] & (r(n) < .8), 50, 260, 90)
    indneg = isr[IND] & np.isfinite(neg_s)
    q_s, q_e = lead(*bg(buyer & ~isr[QUA] & (r(n) < .05), 20, 90), isr[QUA], 25, 200)
    c_s, c_e = lead(*bg(buyer & ~isr[COM] & (r(n) < .07), 60, 200), isr[COM], 60, 200)
    # order decline ramp (frequency and basket): full strength at dec_e, then held
    slow = stay & (r(n) < .09)
    dec_s, dec_e = bg(slow, 60, 200)
    dec_f, dec_b = np.where(slow, U(.1, .4, n), 0.), np.where(slow, U(.1, .45, n), 0.)
    for k, start, ff, fb in [(IND, np.where(np.isfinite(neg_s), neg_s, T - U(40, 150, n)), .55, .15),
                             (QUA, q_s + (T - q_s) * .3, .5, .1), (COM, c_s, .3, .6),
                             (TIE, T - U(10, 45, n), .2, .1), (MOV, T - 30, .25, 0.)]:
        ix = isr[k]
        dec_s[ix], dec_e[ix], dec_f[ix], dec_b[ix] = np.maximum(start[ix], aa[ix]), T[ix], ff, fb
    pz = r(n)                   # renovation / winter closures, and slow patches, among stayers
    p_s, p_e = bg(stay & (pz < .05), 25, 100)
    d_s, d_e = bg(stay & (pz >= .05) & (pz < .14), 40, 120)
    # moves and closures: 0 = moved, kept ordering a while; 1 = moved away then stopped; 2 = closed / died
    sub = rng.choice(3, n, p=[.35, .3, .35])
    mvb = buyer & ~isr[MOV] & (r(n) < .03)
    mv_t = bg(mvb, 0, 1)[0]
    m0, m1 = isr[MOV] & (sub == 0), isr[MOV] & (sub == 1)
    mv_t[m0] = np.maximum(T[m0] - U(15, 90, m0.sum()), aa[m0] + 1)
    mv_t[m1] = T[m1] + U(0, 20, m1.sum())
    other = (reg0 + rng.integers(1, N_IN_AREA, n)) % N_IN_AREA
    new_reg = np.where(mvb | m0, other, reg0)
    new_reg = np.where(m1, np.where(r(n) < .55, rng.integers(N_IN_AREA, len(REGION), n), other), new_reg)
    reg_upd = (mvb | m0 | (m1 & (r(n) < .6))) & (mv_t < ENDD)
    # ownership changes; the referrer of a personal-ties churner often left shortly before
    own_t = bg(buyer & ~isr[TIE] & (r(n) < .03), 0, 1)[0]
    t_own = isr[TIE] & (r(n) < .3)
    own_t[t_own] = np.maximum(T[t_own] - U(20, 150, t_own.sum()), aa[t_own])
    for i in np.nonzero(isr[TIE] & ((ref >= 0) & (r(n) < .4) | (ref < 0) & (r(n) < .15)))[0]:
        cand = ch[(Tc < T[i] - 14) & (Tc > T[i] - 240) & (ch < i)]
        if cand.size:
            ref[i] = cand[rng.integers(cand.size)]

    # ---------------------------------------------------------------- account managers
    n_reps = max(12, n // 160)
    rep_state = rng.choice(4, n_reps, p=np.bincount(REG_STATE[reg0], minlength=4) / n)
    rep_state[:4] = np.arange(4)
    names, seen = [], {}
    for i in range(n_reps):
        u_ = (TR.choice(FIRST)[0] + TR.choice(LAST)).lower()
        seen[u_] = seen.get(u_, 0) + 1
        names.append(u_ + (str(seen[u_]) if seen[u_] > 1 else ''))
    REP = np.array(names + ['inside.sales', 'house'])
    INSIDE, HOUSE = n_reps, n_reps + 1
    dil = np.concatenate([rng.lognormal(0, .35, n_reps), [.45, .3]])      # how much each rep gets around
    rep_ord, rep_cnt = np.argsort(rep_state, kind='stable'), np.bincount(rep_state, minlength=4)
    pick = lambda s: rep_ord[(np.cumsum(rep_cnt) - rep_cnt)[s] + (r(s.size) * rep_cnt[s]).astype(int)]  # noqa: E731
    cstate = REG_STATE[reg0]
    mgr0 = pick(cstate)
    inside = np.isin(seg, [OFFICE, 5]) & (basket < np.median(basket)) & (r(n) < .35)
    mgr0[inside] = INSIDE
    chg_neg = np.where(np.isfinite(neg_s) & (r(n) < .45) & ~inside, neg_s, np.nan)   # the rep left
    yrs = np.maximum(span - aa, 0) / 365
    chg_b = np.where(buyer & ~inside & (r(n) < 1 - np.exp(-.15 * yrs)), aa + r(n) * (span - aa), np.nan)
    c1, c2 = np.sort(np.stack([chg_neg, chg_b], 1), 1).T
    mgr1 = np.where(np.isfinite(c1), pick(cstate), mgr0)
    mgr2 = np.where(np.isfinite(c2), pick(cstate), mgr1)
    rep_at = lambda ci, t: np.where(~(t >= c1[ci]), mgr0[ci], np.where(~(t >= c2[ci]), mgr1[ci], mgr2[ci]))  # noqa
    mgr_now = rep_at(np.arange(n), np.full(n, ENDD))
    mgr_now[churn & (T < ENDD - 150) & (r(n) < .4)] = HOUSE          # long-lapsed accounts parked

    # ---------------------------------------------------------------- orders
    def seq(ix, count, g0, gap):   # per-customer event sequences: a first offset then gaps
        ci = np.repeat(ix, count)
        st = np.concatenate([[0], np.cumsum(count)[:-1]])
        g = gap(ci)
        g[st] = g0(st.size)
        cs = np.cumsum(g)
        return ci, a[ci] + cs - np.repeat(cs[st], count), st

    bix = np.nonzero(buyer)[0]
    oc, ot, st = seq(bix, np.ceil((span[bix] - a[bix]) / mu[bix] * 1.3 + 4).astype(int), np.zeros,
                     lambda ci: rng.gamma(4., 1., ci.size) * (mu[ci] / 4))
    first = np.bincount(st, minlength=oc.size).astype(bool)
    ot = np.floor(ot) + np.where(r(oc.size) < .65, U(6, 16.5, oc.size), U(18, 23.9, oc.size)) / 24
    ot += (dow[gi(ot)] == 6) & (r(oc.size) < .7) & ~first
    ot = np.where(first, np.maximum(ot, a[oc]), ot)
    p = .97 * np.where(hol[gi(ot)], np.where(seg[oc] == OFFICE, .1, .55), 1)
    p *= np.where(win(ot, oc, p_s, p_e), 0, 1) * np.where(win(ot, oc, d_s, d_e), .5, 1)
    x = np.nan_to_num(np.clip((ot - dec_s[oc]) / np.maximum(dec_e[oc] - dec_s[oc], 1), 0, 1))
    keep = ((r(oc.size) < p * (1 - dec_f[oc] * x)) | first) & (ot < span[oc])
    oc, ot, x = oc[keep], ot[keep], x[keep]
    price = np.prod([np.where(ot >= d0, f, 1) for d0, f in PRICE_STEPS], 0)
    amt = basket[oc] * rng.lognormal(0, .22, ot.size) * price * (1 - dec_b[oc] * x) * \
        (1 + .06 * np.cos(2 * np.pi * (doy[gi(ot)] - 170) / 365.25)) * np.where(r(ot.size) < .02, 2.2, 1)
    pdisc = .05 + .07 * loyal[oc] + np.where(win(ot, oc, c_s, c_e), np.where(churn[oc], .45, .3), 0)
    disc = np.where(r(ot.size) < pdisc, amt * U(.05, .15, ot.size), 0.)
    # machine service invoices
    mach = buyer & (r(n) < SEG_MACH[seg])
    mix = np.nonzero(mach)[0]
    sc, stt, _ = seq(mix, np.ceil((span[mix] - a[mix]) / 100 + 1).astype(int), lambda k: U(0, 120, k),
                     lambda ci: U(95, 150, ci.size))
    stt = wday(stt, 7, 15)
    sk = (stt < span[sc]) & ~win(stt, sc, p_s, p_e) & (stt >= 0)
    sc, stt = sc[sk], stt[sk]
    # complaints: background, grumbles after price notices, episode bursts
    cl = []
    nb = rng.poisson(.2 * yrs * buyer)
    ci = np.repeat(np.arange(n), nb)
    cl.append((ci, aa[ci] + r(ci.size) * (span[ci] - aa[ci]), rng.choice(5, ci.size, p=[.2, .17, .12, .38, .13]),
               rng.choice(3, ci.size, p=[.86, .09, .05])))
    for nt in NOTICES:
        pr = .035 * np.where((c_s <= nt + 60) & (c_e >= nt), 3, 1)
        ci = np.nonzero(buyer & (aa < nt) & (span > nt + 20) & (r(n) < pr))[0]
        cl.append((ci, nt + 1 + rng.gamma(2, 5, ci.size), np.full(ci.size, 2), rng.choice(3, ci.size, p=[.6, .3, .1])))
    qn = np.where(isr[QUA], np.where(r(n) < .12, 0, np.minimum(1 + rng.poisson(1., n), 5)),
                  np.where(np.isfinite(q_s), 1 + rng.poisson(.8, n), 0))
    ci = np.repeat(np.arange(n), qn)
    qend = np.where(isr[QUA], T - 2, q_e)
    cl.append((ci, q_s[ci] + r(ci.size) * np.maximum(qend - q_s, 1)[ci], rng.choice(5, ci.size, p=[.62, .26, 0, .12, 0]),
               np.where(isr[QUA][ci], rng.choice(3, ci.size, p=[.4, .3, .3]), rng.choice(3, ci.size, p=[.6, .3, .1]))))
    ci = np.repeat(np.arange(n), np.where(np.isfinite(c_s) & (r(n) < np.where(isr[COM], .5, .35)),
                                          1 + rng.poisson(.3, n), 0))
    cl.append((ci, c_s[ci] + r(ci.size) * (np.minimum(c_e, span - 1)[ci] - c_s[ci]), np.full(ci.size, 2),
               rng.choice(3, ci.size, p=[.7, .2, .1])))
    ci = np.nonzero(indneg & (r(n) < .18))[0]         # "nobody ever calls back"
    cl.append((ci, neg_s[ci] + r(ci.size) * (T[ci] - neg_s[ci]), np.full(ci.size, 1), rng.choice(3, ci.size, p=[.3, .4, .3])))
    k_c, k_t, k_k, k_m = (np.concatenate(v) for v in zip(*cl))
    k_t = hours(k_t, 7, 21)
    ok = (k_t < np.minimum(span[k_c], ENDD)) & (k_t >= 0)
    k_c, k_t, k_k, k_m = k_c[ok], k_t[ok], k_k[ok], k_m[ok]
    rdur = np.where(k_m == 0, rng.lognormal(np.log(1.2), 1., k_t.size), np.where(k_m == 1, U(7, 45, k_t.size), np.nan))
    k_r = np.maximum(hours(k_t + rdur, 8, 18), k_t + .05)
    k_r[~(k_r < ENDD)] = np.nan                          # still open at export
    # returns: credit notes after quality complaints, plus a thin background
    rq = (k_k == 0) & (r(k_c.size) < np.where(isr[QUA][k_c], .45, .3))
    rb = rng.choice(ot.size, int(ot.size * .003), replace=False)
    rc = np.concatenate([k_c[rq], oc[rb]])
    rt = hours(np.concatenate([k_t[rq], ot[rb]]) + U(.5, 6, rq.sum() + rb.size), 9, 16)
    rc, rt = rc[rt < span[rc]], rt[rt < span[rc]]
    # assemble orders
    o_c, o_t = np.concatenate([oc, sc, rc]), np.concatenate([ot, stt, rt])
    o_amt = np.round(np.concatenate([amt, np.round(U(165, 420, sc.size) / 5) * 5, -basket[rc] * U(.15, 1, rc.size)]), 2)
    o_disc = np.round(np.concatenate([disc, np.zeros(sc.size + rc.size)]), 2)
    o_type = np.concatenate([rng.choice(4, ot.size, p=[.45, .35, .1, .1]), np.full(sc.size, 4), np.full(rc.size, 5)])
    o_reg = np.where(o_t >= mv_t[o_c], new_reg[o_c], reg0[o_c])
    srt = np.argsort(o_t, kind='stable')
    o_c, o_t, o_amt, o_disc, o_type, o_reg = (v[srt] for v in (o_c, o_t, o_amt, o_disc, o_type, o_reg))
    OT = np.array(['Standing order', 'Online portal', 'Phone', 'Rep', 'Machine service', 'Credit note'])
    o_id = pc.binary_join_element_wise(pa.array(np.array(['SO-'] * 4 + ['SV-', 'CR-'])[o_type]), pc.cast(pa.array(
        104000 + np.arange(o_c.size) + np.arange(o_c.size) // 97), pa.string()), '')
    CID = np.array([f'AC{v:06d}' for v in 10000 + np.cumsum(rng.integers(1, 4, n))])
    last_order = np.full(n, -np.inf)
    np.maximum.at(last_order, o_c, o_t)
    assert np.all(last_order[churn] < T[churn]) and o_t.max() < ENDD and o_t.min() >= 0

    # ---------------------------------------------------------------- contacts
    K, KN, L = {k: i for i, k in enumerate(TPL)}, list(TPL), []
    CH = np.array(['call', 'email', 'meeting', 'chat', 'sms'])

    def add(ci, t, inbound, chans, kind, p=None, snap=True, upto=None):
        ci, t = np.asarray(ci), np.asarray(t, float)
        if snap:
            t = hours(t, 6.5, 21.5) if inbound else wday(t)
        ok = (t < ENDD) & (t >= aa[ci] - 30) & (t >= 0) & ((t < upto[ci]) if upto is not None else True)
        ch_ = chans if isinstance(chans, np.ndarray) else rng.choice(chans, ci.size, p=p)
        L.append((ci[ok], t[ok], np.full(ok.sum(), inbound), ch_[ok], np.broadcast_to(kind, ci.size)[ok]))

    # rep touches (visits, calls, emails), thinned while an account is neglected, paused or on holiday
    lo_ = np.where(buyer, np.maximum(aa - 7, 0), 0.)
    dur = np.where(buyer, span - lo_, 0.)
    ci = np.repeat(np.arange(n), rng.poisson(SEG_OUT[seg] / 365 * (basket * 365 / mu / 20000) ** .25 * dil[mgr0] * dur))
    t = wday(lo_[ci] + r(ci.size) * dur[ci])
    kp = r(ci.size) < np.where(win(t, ci, neg_s, neg_e), .12, 1) * np.where(win(t, ci, p_s, p_e), .4, 1) * \
        np.where(hol[gi(t)], .15, 1)
    ci, t = ci[kp], t[kp]
    chan = np.where(mgr0[ci] == INSIDE, rng.choice([0, 1], ci.size, p=[.6, .4]),
                    rng.choice([0, 1, 2], ci.size, p=[.45, .25, .3]))
    kind = np.select([chan == 2, chan == 1, r(ci.size) < .2], [K['o_visit'], K['o_email'], K['o_vm']], K['o_call'])
    add(ci, t, False, chan, kind, snap=False)
    ci = np.repeat(np.nonzero(~buyer)[0], rng.integers(1, 4, (~buyer).sum()))          # prospects
    add(ci, signup[ci] + U(0, 60, ci.size), False, [0, 1, 2], K['o_prospect'])
    # post-sale follow-up for new accounts (often missing for those who drift away early)
    pf = np.where(isr[IND] & (T - aa < 200), .2, .72 * np.minimum(dil[mgr0], 1.3))
    ci = np.nonzero(buyer & ~legacy & (r(n) < pf))[0]
    add(ci, aa[ci] + U(2, 20, ci.size), False, [0, 2], K['o_followup'], [.6, .4])
    for cx in (c1, c2):                     # new account manager intros (late or never after a rep left)
        late = np.isfinite(cx) & (cx == chg_neg)
        delay = np.where(late, np.where(churn, U(30, 200, n), neg_e - cx + U(0, 10, n)), U(2, 25, n))
        ci = np.nonzero(np.isfinite(cx) & (r(n) < np.where(late & churn, .6, .9)))[0]
        add(ci, cx[ci] + delay[ci], False, [0, 1, 2], K['o_intro'], [.4, .2, .4], upto=span)
    ci = np.nonzero(churn & ~isr[MOV] & (r(n) < .3))[0]                                  # win-back
    add(ci, T[ci] + U(20, 70, ci.size), False, [0, 1], K['o_winback'])
    ci = np.nonzero(np.isfinite(c_s) & (r(n) < np.where(isr[COM], .3, .15)))[0]          # price-match attempts
    add(ci, c_s[ci] + r(ci.size) * (np.minimum(c_e, span)[ci] - c_s[ci]), False, [0, 1, 2], K['o_match'])
    # inbound requests
    lam = SEG_IN[seg] * rng.lognormal(0, .4, n) * (1 + SEG_MACH[seg] * mach)
    ci = np.repeat(np.arange(n), rng.poisson(lam / 365 * np.where(buyer, span - aa, 0)))
    t = aa[ci] + r(ci.size) * (span[ci] - aa[ci])
    kp = ~(win(t, ci, p_s, p_e) & (r(ci.size) < .7))
    ci, t = ci[kp], t[kp]
    ik = rng.choice([K['i_order'], K['i_invoice'], K['i_service'], K['i_delivery'], K['i_general']], ci.size,
                    p=[.38, .2, .14, .1, .18])
    ik = np.where(mach[ci] | (ik != K['i_service']), ik, K['i_order'])
    add(ci, t, True, [0, 1, 3, 4], ik, [.3, .52, .12, .06], upto=span)
    # chasers when nobody answers (mostly in neglected stretches)
    ci = np.repeat(np.arange(n), np.where(np.isfinite(neg_s), rng.poisson(np.where(isr[IND], 1.4, .8), n), 0) * buyer)
    ci2 = np.nonzero(buyer & (r(n) < .05))[0]
    t = np.concatenate([neg_s[ci] + 14 + r(ci.size) * (np.minimum(neg_e, span)[ci] - neg_s[ci] - 14),
                        aa[ci2] + r(ci2.size) * (span[ci2] - aa[ci2])])
    add(np.concatenate([ci, ci2]), t, True, [0, 1], K['i_chase'], [.35, .65], upto=span)
    CK = np.array([K['i_quality'], K['i_svcbad'], K['i_price'], K['i_delivery'], K['i_other']])
    add(k_c, k_t, True, [0, 1, 3, 4], CK[k_k], [.33, .55, .08, .04], snap=False)   # complaints come in as contacts
    ci = np.nonzero(np.isfinite(c_s) & (r(n) < np.where(isr[COM], .45, .1)))[0]       # a rival's offer mentioned
    add(ci, c_s[ci] + r(ci.size) * (np.minimum(c_e, span - 1)[ci] - c_s[ci]), True, [0, 1, 4], K['i_comp'],
        [.4, .5, .1], upto=span)
    ci = np.nonzero(np.isfinite(mv_t) & (isr[MOV] | (r(n) < .7)) & ~(m1 & (r(n) < .2)))[0]
    add(ci, np.where(m1[ci], T[ci] - U(0, 45, ci.size), mv_t[ci] - U(5, 40, ci.size)), True, [0, 1], K['i_move'])
    ci = np.nonzero(isr[MOV] & (sub == 2) & (r(n) < .55))[0]
    add(ci, T[ci] - U(1, 30, ci.size), True, [0, 1], K['i_close'])
    ci = np.nonzero(np.isfinite(own_t))[0]
    add(ci, own_t[ci], True, [0, 1, 2], K['i_owner'], [.4, .4, .2])
    ci = np.nonzero(isr[TIE] & (r(n) < .12))[0]
    add(ci, T[ci] - U(1, 30, ci.size), True, [0, 1], K['i_ties'], upto=span)
    ci = np.nonzero(np.isfinite(p_s) & (r(n) < .6))[0]
    add(ci, p_s[ci] - U(0, 7, ci.size), True, [0, 1, 4], K['i_reno'])
    ci = np.nonzero(buyer & (r(n) < .05))[0]
    add(ci, aa[ci] + r(ci.size) * (span[ci] - aa[ci]), True, [1], K['i_update'], upto=span)
    c_c, c_t, c_in, c_ch, c_kind = (np.concatenate(v) for v in zip(*L))
    topic = texts([KN[k] for k in c_kind], c_ch, c_in)
    # marketing EDMs (opted-in) and price notices (every active account): one subject per send
    edm, camp = buyer & (r(n) < .38), []
    for q in range(12):
        d0 = D(f'{2023 + q // 4}-{3 * (q % 4) + 2:02d}-01') + (3 * q) % 9 + .42
        subj = TR.choice(EDM).format_map(Slots(month=MONTH[3 * (q % 4) + 1]))
        camp.append((np.nonzero(edm & (aa < d0) & (span + 30 > d0))[0], d0, subj))
    for nt, subj in zip(NOTICES, ['Price update effective 1 March', 'Important: changes to our pricing from 2 December',
                                  'Green coffee costs - price update from 1 July']):
        camp.append((np.nonzero(buyer & (aa < nt) & (span > nt))[0], nt + .4, subj))
    nm = sum(x[0].size for x in camp)
    c_c = np.concatenate([c_c] + [x[0] for x in camp])
    c_t = np.concatenate([c_t] + [np.full(x[0].size, x[1]) for x in camp])
    topic = np.array(topic + [x[2] for x in camp for _ in range(x[0].size)], dtype=object)
    c_in, c_ch = np.concatenate([c_in, np.zeros(nm, bool)]), np.concatenate([c_ch, np.ones(nm, int)])
    negl = win(c_t, c_c, neg_s, neg_e)
    ans = c_in & (r(c_c.size) < np.where(negl, .5, .94))
    rh = np.where(c_ch == 0, rng.exponential(.3, c_c.size), rng.lognormal(np.log(np.where(negl, 22, 2.5)), 1.))
    rh = np.where(ans, np.round(rh, 1), np.nan)
    CS = np.array(['cs.melb', 'cs.syd', 'cs.team', 'accounts'])
    staff = np.where(c_in, np.where(ans, np.where(r(c_c.size) < .4, REP[rep_at(c_c, c_t)],
                                                  CS[rng.integers(0, 4, c_c.size)]), None), REP[rep_at(c_c, c_t)])
    staff[c_c.size - nm:] = 'marketing'
    srt = np.argsort(c_t, kind='stable')

    # ---------------------------------------------------------------- surveys
    sv = []
    base_sc = np.clip(rng.normal(7.9, 1.1, n), 2, 10)
    ck = np.sort(k_c * 4096. + k_t)                     # to find each account's latest complaint
    for q in range(12):
        w0 = D(f'{2023 + q // 4}-{3 * (q % 4) + 2:02d}-15')
        in_neg = (w0 >= neg_s) & (w0 < neg_e)
        j = np.searchsorted(ck, np.arange(n) * 4096. + w0) - 1
        prev = ck[np.maximum(j, 0)]
        rec = (j >= 0) & (np.floor(prev / 4096) == np.arange(n)) & (w0 - prev % 4096 < 90)
        ci = np.nonzero(buyer & (aa < w0 - 14) & (span > w0) &
                        (r(n) < .16 * np.where(in_neg, .5, 1) * np.where(rec, 1.3, 1)))[0]
        sc_ = base_sc[ci] + rng.normal(0, 1.2, ci.size) - 1.5 * rec[ci] - 1. * in_neg[ci] \
            - np.where((w0 >= q_s[ci]) & (w0 < np.where(isr[QUA], T, q_e)[ci]), 2.5, 0) \
            - np.where((w0 >= c_s[ci]) & (w0 < c_e[ci]), .8, 0)
        sv.append((ci, hours(w0 + rng.exponential(2.5, ci.size), 6, 23), np.clip(np.round(sc_), 0, 10),
                   np.zeros(ci.size, int), np.full(ci.size, -1)))
    CONF = np.array([[.58, .14, .20, .05, .03], [.10, .72, .14, .02, .02], [.10, .08, .76, .04, .02],
                     [.12, .05, .25, .55, .03], [.03, .02, .03, .02, .90]])
    ex = np.nonzero(churn)[0]
    et = T[ex] + 10 + rng.gamma(2, 12, ex.size)
    ok = (r(ex.size) < np.array([.22, .38, .33, .30, .25])[rs[ex]]) & (et < ENDD - .5)
    ex, et = ex[ok], et[ok]
    rep_r = (r(ex.size)[:, None] > np.cumsum(CONF[rs[ex]], 1)).sum(1).clip(0, 4)
    ps = np.nonzero(np.isfinite(p_s) & (r(n) < .08))[0]           # paused stayers get the lapsed-account survey too
    et2 = p_s[ps] + U(20, 40, ps.size)
    ps, et2 = ps[et2 < np.minimum(p_e[ps], ENDD - .5)], et2[et2 < np.minimum(p_e[ps], ENDD - .5)]
    ex, et = np.concatenate([ex, ps]), np.concatenate([et, et2])
    rep_r = np.concatenate([rep_r, rng.choice([IND, COM, MOV], ps.size, p=[.3, .3, .4])])
    sv.append((ex, hours(et, 7, 22), rng.integers(np.array([2, 0, 3, 5, 6])[rep_r], np.array([7, 5, 8, 10, 11])[rep_r]),
               np.ones(ex.size, int), rep_r))
    comment = [None] * (sum(x[0].size for x in sv) - ex.size) + [
        mess(fill(TR.choice(EXIT_COMMENT[k])), 2, False) or None for k in rep_r]
    s_c, s_t, s_s, s_k, s_r = (np.concatenate(v) for v in zip(*sv))
    s_s = np.where(r(s_s.size) < .04, np.nan, s_s)      # skipped the score question
    ssrt = np.argsort(s_t, kind='stable')

    # ---------------------------------------------------------------- write
    ksrt = np.argsort(k_t, kind='stable')
    desc = texts([KN[CK[k]] for k in k_k[ksrt]], np.full(ksrt.size, 2), np.ones(ksrt.size), tail=True)
    sub_ = SUBURB + W('Little|Laneway|Corner|Northside|Tall Poppy|Wattle|Magpie|Banksia|Two Sisters|Hidden|Sunday|'
                      'Back Alley|Rusty|Good Egg|Dandelion|Golden|Lucky')
    SEG_NAME = [(sub_, W('Espresso|Café|Cafe|Coffee|Coffee Co.|Kitchen|Eatery|& Co|Canteen|Café & Bar')),
                (sub_, W('Trattoria|Bistro|Dining|Bar & Grill|Thai|Dumpling House|Pizzeria|Wine Bar')),
                (LAST, W('Legal|Accounting|Group Pty Ltd|Partners|Architects|Consulting|Health|Realty')),
                (sub_, W('Hotel|Motor Inn|Catering|Events|Hotel & Bar')),
                (sub_, W('Bakehouse|Bakery|Patisserie|Hot Bread|Sourdough Co')),
                (SUBURB + LAST, W('Deli|Fine Foods|Grocer|Providore|Fruit & Veg'))]
    tname = [f"{TR.choice(SEG_NAME[s][0])} {TR.choice(SEG_NAME[s][1])}" for s in seg]
    rows = {}
    rows['customers'] = write(args.out, 'customers', {
        'customer_id': CID, 'trading_name': tname, 'segment': SEG[seg],
        'region': REGION[np.where(reg_upd, new_reg, reg0)], 'signed_up_at': iso(signup),
        'loyalty_member': np.where(loyal, 'yes', 'no'), 'referred_by': np.where(ref >= 0, CID[np.maximum(ref, 0)], None),
        'manager_id': REP[mgr_now],
        'payment_terms': rng.choice(W('14 days|30 days|COD|EOM|Direct debit'), n, p=[.3, .35, .1, .15, .1])})
    rows['orders'] = write(args.out, 'orders', {
        'order_id': o_id, 'customer_id': CID[o_c], 'ordered_at': iso(o_t), 'amount': o_amt,
        'discount_amount': o_disc, 'returned': o_type == 5, 'region': REGION[o_reg], 'order_type': OT[o_type]})
    rows['contacts'] = write(args.out, 'contacts', {
        'contact_id': np.char.add('CT', (500000 + np.arange(c_c.size)).astype(str)), 'customer_id': CID[c_c[srt]],
        'contacted_at': iso(c_t[srt], ' '), 'direction': np.where(c_in[srt], 'inbound', 'outbound'),
        'channel': CH[c_ch[srt]], 'topic': topic[srt],
        'answered': pa.array(np.where(c_in[srt], ans[srt], None), pa.bool_(), from_pandas=True),
        'response_hours': rh[srt], 'staff': staff[srt]})
    rows['complaints'] = write(args.out, 'complaints', {
        'complaint_id': np.char.add('CMP-', (20000 + np.arange(k_c.size)).astype(str)), 'customer_id': CID[k_c[ksrt]],
        'opened_at': iso(k_t[ksrt]), 'category': np.array(W('quality|service|price|delivery|other'))[k_k[ksrt]],
        'resolved_at': iso(k_r[ksrt]), 'description': desc})
    rows['surveys'] = write(args.out, 'surveys', {
        'response_id': np.char.add('SR', (300000 + np.arange(s_c.size)).astype(str)), 'customer_id': CID[s_c[ssrt]],
        'answered_at': iso(s_t[ssrt], ' '), 'kind': np.where(s_k[ssrt] == 1, 'exit', 'pulse'), 'score': s_s[ssrt],
        'reason': np.append(REASONS, None).astype(object)[s_r[ssrt]], 'comment': np.array(comment, object)[ssrt]})
    rows['truth'] = write(args.out, 'truth', {'customer_id': CID[ch], 'churned_at': iso(T[ch]),
                                              'true_reason': REASONS[rs[ch]]})
    print(f'[coffee] wrote {rows} to {args.out} in {time.time() - t_start:.1f}s')


if __name__ == '__main__':
    main()
