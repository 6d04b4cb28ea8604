#!/usr/bin/env python3
"""
Northbridge Safety Supply Inc. -- synthetic CRM export (Parquet), 2023-01-01 .. 2025-12-31.

THE BUSINESS
Northbridge is an independent distributor of industrial safety and workplace supplies out of Concord,
Ontario: gloves, hi-vis, CSA boots, eyewear, hard hats, respirators, first-aid kits, spill kits and
signage, plus on-site respirator fit-testing and first-aid-cabinet restocking. Customers are general
contractors, trades, manufacturers, warehouses/DCs, municipalities, utilities and institutions, mostly
in Ontario, some in Greater Montreal/Outaouais and the Prairies. Territory reps own the A/B accounts
(calls, e-mails, site visits, annual reviews, post-delivery follow-ups); small accounts sit with inside
sales; when a rep quits, some of the book is left as a HOUSE account nobody works. A CS inbox and phone
line take order-status, quotes, invoices, RMAs, fit-test and restock bookings; Quebec buyers often
write in French (with or without accents). Quarterly 0-10 pulse survey; exit survey to lapsed accounts.

FILES (Toronto wall clock with -05:00/-04:00 offsets): customers, orders (sales orders SO-..., credit
memos RMA-... with negative amount and returned=true, discount_amount = promo/price-match discount),
contacts (topic = e-mail subject or the rep's terse note; handled_by = rep user or CS queue),
complaints (category + free-text description), surveys (pulse / exit with reason code).
truth.csv: customer_id, churned_at (the day the account decided to leave: no order on or after it),
true_reason.

WHO LEAVES AND WHEN
Each account gets an exponential exit hazard (higher for new, small, non-loyalty accounts), so exits
flow steadily through 2023-2025 (~25-30% of accounts). The reason is drawn with the survey shares
(67/15/9/5/4). Every reason has a window before churned_at in which its traces MAY appear; each trace
is present only with some probability, and stayers produce the same traces at lower rates. Order
rates also drift month to month (AR noise, seasonality: construction slows in winter) and 10% of
stayers go through a slump (project ended) that looks like a fade-out.

HOW EACH REASON SHOWS (and where stayers show it too)
- indifference: over 4-11 months the rep goes quiet (outbound touches drop to 10-30%, 80% of cases),
  post-delivery follow-up calls vanish, inbound e-mails go unanswered or take a day+ (60%), the
  customer sends "2nd request / anyone handling our account?" notes; ~45% had a rep handover in the
  window, often to a HOUSE account; orders fade (75%). Stayers: 15% have a neglect episode, 15% a
  handover, HOUSE accounts exist, slow CS replies happen to everyone.
- product_quality: an incident starts the window (1-7 months): quality/service complaints (85%),
  often unresolved, RMAs/credit memos (60%), low pulse scores (75%), order rate drops. Stayers: a
  base complaint rate (delivery/backorders most common), 10% chronic complainers with more returns.
- competitor: 2-8 months of price complaints and "can you match {competitor}" e-mails (70%), buying
  only on promo/price-match (70%), shrinking basket (65%), rep's counter-offers; rarely a loyalty
  member. Stayers: 10% deal hunters ask for price matches and buy on promo.
- personal_ties: weak: the account that referred them left shortly before (50%), a new buyer /
  purchasing contact shows up weeks before (45%), orders dip a bit. Stayers: contact changes,
  referrers who left.
- moved_or_died: 65% relocate out of territory (orders ship to the new region for a few weeks, a
  "we're moving / new ship-to" note, customers.region updated in 55%); 35% close (owner retired or
  died, business sold), a "closing" note in 45%. Stayers: 2.5% relocate inside the territory,
  multi-site accounts ship to a second region.
Exit survey: answered by 18-40% of churners 1-10 weeks after leaving, reason not always the true one
(indifferent customers often blame price or quality). Win-back calls after some exits.
"""
import argparse, datetime as dt, os, random, string, time, unicodedata
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

D0 = dt.date(2023, 1, 1)
LAST = 1095                                   # 2025-12-31 as days since 2023-01-01
T_MAX = LAST + 18.9 / 24                      # nothing later than 18:54 Toronto time on 2025-12-31
MS = np.array([(dt.date(2023 + k // 12, k % 12 + 1, 1) - D0).days for k in range(37)], float)
MON = np.arange(36) % 12
EPOCH = np.datetime64("2023-01-01T00:00:00", "s")
REASONS = np.array(["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"])
SHARES = [0.67, 0.15, 0.09, 0.05, 0.04]
SEGMENTS = np.array(["Construction - General Contractor", "Construction - Trades", "Manufacturing",
                     "Warehousing & Distribution", "Municipal / Public Sector", "Oil, Gas & Utilities",
                     "Institutional & Healthcare"])
SEG_P = [.22, .24, .22, .15, .06, .05, .06]
SEG_RATE = np.array([1.6, .6, 2.6, 2.0, 1.3, 1.5, 1.0])       # median orders per month
SEG_AOV = np.array([780, 260, 820, 560, 1400, 1150, 480.])     # median order value, CAD
SEG_SHAPE = np.array([1.4, 1.1, 2.6, 2.4, 1.8, 1.5, 2.0])      # gamma shape of gaps (regularity)
SEG_FAM = np.array([0, 0, 1, 1, 2, 0, 1])
SEAS = np.array([[.62, .68, .88, 1.05, 1.2, 1.18, 1.08, 1.1, 1.15, 1.12, .98, .7],      # construction
                 [.88, .92, 1.02, 1., 1., .98, .92, .95, 1.05, 1.1, 1.12, .9],        # plants, DCs
                 [.85, .9, 1.35, 1., 1.05, 1., .85, .9, 1., 1., 1.05, 1.1]])          # municipal FY
SEAS_OUT = np.array([.9, 1., 1.05, 1.1, 1.05, 1., .8, .75, 1.05, 1.1, 1.05, .7])
REGIONS = np.array(["GTA West", "GTA Central", "GTA East / Durham", "Hamilton-Niagara",
                    "Southwestern Ontario", "Central Ontario", "Eastern Ontario", "Ottawa Valley",
                    "Northern Ontario", "Greater Montréal", "Outaouais", "Manitoba", "Saskatchewan",
                    "Alberta", "BC - Lower Mainland", "Nova Scotia", "New Brunswick", "Michigan (US)"])
REG_P = [.13, .12, .09, .10, .12, .07, .06, .07, .05, .06, .03, .04, .03, .03]
REG_CITY = """Mississauga Brampton Oakville Milton Bolton / Toronto Vaughan Concord Etobicoke Markham / Pickering Ajax Whitby Oshawa Scarborough /
Hamilton Burlington St._Catharines Niagara_Falls Grimsby / London Kitchener Cambridge Woodstock Windsor Sarnia / Barrie Orillia Collingwood Newmarket /
Kingston Belleville Cornwall Brockville / Ottawa Kanata Nepean Pembroke Arnprior / Sudbury North_Bay Timmins Sault_Ste._Marie Thunder_Bay /
Laval Montréal Longueuil Boucherville Saint-Laurent / Gatineau Aylmer Buckingham / Winnipeg Brandon Steinbach /
Regina Saskatoon Moose_Jaw / Calgary Edmonton Red_Deer Airdrie / Surrey Langley Abbotsford Burnaby /
Halifax Dartmouth Truro / Moncton Saint_John Fredericton / Detroit Troy Port_Huron"""
REG_CITY = [[c.replace("_", " ") for c in s.split()] for s in REG_CITY.replace("\n", " ").split(" / ")]
PROV_LO, PROV_N = np.array([0, 9, 11]), np.array([9, 2, 3])
FIRST = ("Mike Dave Steve Kevin Chris Jas Priya Sandeep Raj Tanya Jen Sarah Ahmed Marc Luc Sylvie Nathalie "
         "Guy Tony Frank Rob Brian Darlene Carol Amrit Gurpreet Wei Jason Ryan Kyle Doug Bev Paulo Manny Deb "
         "Lisa Omar Hassan André Josée Kim Shawn Terry").split()
SURN = ("Smith MacDonald Tremblay Singh Patel Nguyen Wilson Campbell Gagnon Brown Martin Roy Chen Kowalski "
        "Rossi Fraser Murray Bouchard Dhillon Sandhu Leblanc Morrison Stewart Hill Ferreira").split()
def parse_templates(block):
    d, key = {}, None
    for line in block.strip().splitlines():
        line = line.strip()
        if not line.startswith("|"):
            key, _, line = line.partition(": ")
            d[key] = []
        d[key] += [t.strip() for t in line.split("|") if t.strip()]
    return d


SLOTS = parse_templates("""
comp: Acklands | Acklands-Grainger | Grainger | Uline | Amazon | Amazon Business | Levitt | Wajax | Home Depot Pro
 | a local guy | another distributor | NorthStar PPE | Safeline | their old supplier | Costco Business
 | the other guys | ProSafe Direct
prod: nitrile gloves | cut gloves A4 | cut-resistant gloves | hi-vis vests | Class 2 vests | hi vis parkas | CSA boots
 | steel toes | rubber boots | safety glasses | anti-fog glasses | goggles | hard hats | ear plugs | earmuffs
 | FAK refills | first aid kits | spill kits | absorbent pads | fall arrest harnesses | lanyards | winter liners
 | rain gear | N95s | P100 cartridges | half-mask respirators | traffic cones | WHMIS signage | eyewash bottles
 | coveralls | knee pads | cooling towels | toques | face shields | tyvek suits
prodfr: gants nitrile | gants anti-coupure | dossards haute visibilité | bottes de sécurité | lunettes de sécurité
 | casques | bouchons | trousses de premiers soins | imperméables | masques N95 | cartouches P100 | absorbants
 | harnais
sz: S | M | L | XL | 2XL | 3XL | 9 | 10 | 11 | 12 | sz 10 | size 11 | Lg | XXL
site: Vaughan yard | Plant 2 | the Brampton DC | north site | the shop | Bldg C | main plant
 | the Mississauga warehouse | the jobsite | Hamilton yard | the depot | Works yard | line 3 | head office
 | the Concord shop | site 4 | the new tower job | WWTP | the arena
mo: Jan | Feb | March | Mar | April | May | June | July | Aug | Sept | Oct | Nov | Dec | next week | end of month
 | Monday | Friday | spring | the fall | after the long weekend
mon: Jan | Feb | March | April | May | June | July | Aug | Sept | Oct | Nov | Dec | January | Mar
skpfx: GLV | HV | BT | EYE | FAK | SPK | SGN | HH | RSP | FP | 11 | CR
""")
SLOTS["prod2"], SLOTS["sz2"] = SLOTS["prod"], SLOTS["sz"]
SLOTS["sfx"] = [" - URGENT", "!!", " pls", " ASAP", "??", " - thx", " - need today", " !!!"]

# e-mail subjects / call notes per topic class; "_fr" = Quebec customers writing in French
TEMPLATES = """
status: Where is PO {po}? | ETA on {so} | order status - {po} | Backorder ETA {sku} | Still waiting on {prod}, {po} | tracking # for {so} pls | When will the rest of {po} ship?
 | partial shipment {so} - balance? | Delivery to {site} tomorrow? | did {po} go out today | cust called - wants ETA on {prod} ({sku}) | {nm} asking when {so} delivers | ETA?? {po}
 | Shipping confirmation {so}
status_fr: Statut commande {po} | Où est rendue la commande {so}? | Livraison prévue quand? {po} | suivi commande {so} | Backorder {sku} - date prévue? | Bonjour, PO {po} - ETA?
 | commande {so} pas encore reçue
quote: Quote request - {qty} {prod} | RFQ: {prod} sz {sz} | pricing on {sku} x {qty} | Need a quote for {prod} for {site} | Quote for spring - {prod}, {prod2}
 | can you quote {qty} of {sku} | Pls quote {prod} - need by {mo} | req for pricing: {prod} | Looking for pricing on {prod} and {prod2} | quote {prod} {sz}
 | Pricing for {qty} {sku} delivered to {site}
quote_fr: Soumission - {qty} {prodfr} | Demande de prix {sku} | Besoin d'une soumission pour {prodfr} | Prix pour {prodfr} taille {sz} svp | Merci - quote for {prod}
invoice: Invoice {inv} - wrong PO ref | {inv} not matching quote | Statement question - {mon} | pls resend invoice {inv} | AP: remittance for {inv} | credit memo for {inv}?
 | Invoice {inv} missing PO {po} | Billing q - freight charge on {inv} | need copy of {inv} for our records | update billing email | Past due notice {inv} - already paid
invoice_fr: Facture {inv} - mauvais no. de PO | Copie de facture {inv} svp | Question sur l'état de compte | Paiement facture {inv}
service: Book fit testing - {d} guys at {site} | Fit test for new hires ({d}) | FAK restock visit - {site} | first aid cabinet restock due? | Reschedule fit testing to {mo}
 | Eyewash cartridges due at {site} | Need qualitative fit test, half-masks | Spill kit refill after incident at {site} | Can your tech come {mo} for first aid restock
 | Respirator fit test booking - {nm} | fit testing {mo}?
service_fr: Test d'ajustement - {d} employés | Remplissage trousse premiers soins - {site} | Rendez-vous fit test - {d} employés
info: SDS for {sku} | CSA rating on {prod}? | do you carry cut A4 gloves in {sz} | Spec sheet - {prod} | Is {sku} CSA Z96 Class 2? | looking for {prod} in {sz} | Catalogue request
 | Do u have {prod} in stock | alt for {sku}? discontinued | size chart for {prod} | fiche signalétique {sku}
rma: RMA request - wrong size ({sz}) | Return {qty} {prod} - ordered wrong | Return auth for {so} | wrong item shipped on {po}, need RMA | RMA {tk} - pickup?
 | sending back {sku} unopened | return {prod}, too big
rma_fr: Retour - mauvaise grandeur ({sz}) | Retour marchandise {so}
admin: Update AP contact - {nm} | Tax exempt cert attached | New user for web portal - {nm} | Credit app / terms review | add {nm} to order confirmations | Vendor setup form
 | COI request for site access | WSIB clearance certificate pls | password reset - portal
price: Price match? {comp} quoted {sku} lower | your price on {prod} went up again? | {comp} is {pct} cheaper on {prod} | Can you match this quote from {comp}
 | Pricing review - we're shopping around | got a better offer from {comp} for {prod} | why did {sku} go up {pct} | Need better pricing or we move {prod} to {comp}
 | Fwd: {comp} quote - {prod} | freight charges killing us on small orders | Annual pricing - competitor numbers attached | {nm} says {comp} gives them {pct} off
 | is there any promo on {prod} this month | best price on {qty} {sku}?
price_fr: {comp} est moins cher sur {prodfr} | Pouvez-vous égaler le prix de {comp}? | Augmentation de prix sur {sku}?? | Votre prix vs {comp}
chase: 2nd request - quote for {prod} | Still waiting on a reply re {po} | Following up AGAIN on {tk} | no one called back about {so} | 3rd email about {inv}!!
 | Is anyone handling our account? | Left 2 VMs for {rep}, no response | Any update?? {po} | Haven't heard back on the {prod} quote, sent {d} days ago | who is our rep now?
 | waiting since last week - {prod} quote | still no answer on {tk} | 2nd req: {inv}
chase_fr: 2e demande - toujours pas de réponse | Relance: soumission {prodfr} | Personne ne m'a rappelé | relance {po}
newcontact: New purchasing contact - {nm} | {nm} retired, please deal with {nm2} going forward | Update buyer: {nm2} replaces {nm} | new ops mgr reviewing all suppliers
 | Pls remove {nm} from account, new contact {nm2} | {nm2} is our new safety coordinator | Change of contact / new procurement lead
 | our new buyer {nm2} will handle PPE from now on | Contact update - {nm} has left the company
newcontact_fr: Nouveau responsable des achats: {nm2} | Changement de contact - {nm} a quitté
moving: We're moving to {dest} - {mon} | Relocating ops to {dest}, new ship-to to follow | Change ship-to address - new location in {dest}
 | Moving the shop to {dest}, can you still deliver? | Do you ship to {dest}? we're relocating | New address eff. {mon} 1 ({dest}) | closing {site}, moving everything to {dest}
 | Freight to {dest}? | heads up - we're relocating in {mon}
moving_fr: On déménage à {dest} le mois prochain | Déménagement à {dest} | Nouvelle adresse de livraison - {dest}
closing: Closing the business end of {mon} | Owner passed away - pls close account | {nm} retiring, shop closing | Business sold - new owners have their own supplier
 | Cancel standing order, we are winding down | Final invoice pls - ceasing operations | Estate of {nm} - outstanding balance | We're shutting down {site}
closing_fr: Fermeture de l'entreprise | Le propriétaire est décédé - fermer le compte
newaddr: New ship-to: {site} | Add delivery address - new site in {dest} | Ship-to change for {po} | We moved our yard to {dest}, pls update
 | New jobsite in {dest} - deliveries start {mo} | address update on account
cq: {prod} ripping after {d} hrs | Boots sole separating after {d} wks - {sku} | lenses fogging up, guys won't wear them | Defective {prod} lot - {po}
 | {sku} stitching coming apart | Quality issue w/ {prod}, {d} returned by crew | hi-vis lost reflectivity after {d} washes | FAK missing items - {site}
 | gloves sizing way off, {sz} fits like {sz2} | Spill kit absorbent didn't work - {site} | {prod} not CSA marked?! | hard hat suspension broke, {d} units
 | crew complaining about the new {prod} | {prod} garbage quality since you switched brands
cq_fr: {prodfr} défectueux - {po} | Bottes décollées après {d} semaines | gants déchirés après {d} heures | qualité des {prodfr}, pas correct
cs: Fit tester no-show at {site} | restock tech missed our cabinets again | Nobody returned my call re {tk} | rude on the phone - {tk} | Waited {d} days for a callback
 | Wrong info given re {sku} | Service visit cancelled last minute | CS keeps transferring me | fit test report never sent
cd: Late delivery {po} | {so} short shipped | backorder on {prod} again | Wrong item shipped - {sku} | Damaged box on {so} | Courier left it at the wrong door - {site}
 | delivery missed, crew waited | {po} showed delivered but not received | livraison en retard {po}
cp: Overcharged on {inv} | Price on {inv} doesn't match quote | Freight charge on {so}? | Price increase not communicated - {sku} | {comp} cheaper - unhappy w/ pricing
 | Lost our contract discount on {inv}? | prix facturé {inv} incorrect
co: Portal login not working | Wrong billing address again | Missing packing slip {so} | Duplicate invoice {inv} | SDS not included w/ {sku}
checkin: Check-in call - {nm} | quarterly check-in | Touch base re: spring needs | LVM - checking in | Called {nm}, all good, no needs rn | Annual account review w/ {nm}
 | cking in re {prod} usage | Spoke w/ {nm} - possible order {mo} | e-mail check-in, sent new catalogue | called, no answer | Touched base with {nm} re winter program
 | chk in - {nm} on vacation til {mo}
visit: Site visit - {site} | Visited {site}, walked floor w/ {nm} | Lunch & learn - glove selection | Vending machine audit at {site} | PPE assessment at {site}
 | Dropped samples: {prod} | Annual review meeting - {nm} | Met {nm} re: winter gear program | toolbox talk at {site}
promo: Winter liners promo | Hi-vis season - sent flyer | Spring safety blitz - {pct} off {prod} | New catalogue sent | Promo: {prod} clearance | Safety week specials
 | Sent {mon} promo pricing | NAOSH week flyer
remind: Fit test renewal due {mo} | FAK restock scheduled {mo} | Reminder: eyewash cartridges expiring | Annual fit testing - book now | Confirm restock visit at {site}
 | fit test due for {d} workers
quote_out: Quote Q-{q} sent - {prod} | Sent pricing on {sku} | Revised quote - {prod} | Quote for {qty} {prod} sent to {nm} | Q-{q} follow up
followup: F/U on {so} | followed up on {po} delivery | Post-delivery call {so} - all good | Checked in re {po}, crew happy | f/u call {so} - LVM | Confirmed receipt {so}
 | Order follow-up - {prod} | f/u {po}: {nm} happy w/ {prod}
intro: Intro - new account manager | Taking over your acct from {rep} | Intro call: I'm your new rep | New rep intro - {nm} | Account transition - {rep} has moved on
winback: Haven't seen orders since {mon} - checking in | Win-back call - LVM | Lost acct? called {nm} | Reactivation offer sent | Miss your business - {pct} off next order
 | cust not ordering, left msg | no orders in a while, emailed {nm}
resp: Re {tk}: replacement shipped | Credit issued {inv} | Called re {tk} - resolved | Sent replacements for {sku} | Complaint {tk} closed | RMA approved for {so}
 | Followed up on complaint {tk}
pricefix: Price match approved - {sku} | Sent revised pricing vs {comp} | Loyalty pricing offer sent | Volume rebate proposal | Counter-offer on {prod}
 | Pricing review meeting - {nm}
closeacct: Closed acct per cust - moved out of territory | Acct inactive - business closed | Updated records - relocated to {dest} | Final statement sent | acct closed, see notes
"""


TPL = parse_templates(TEMPLATES)
CLASSES = [k for k in TPL if not k.endswith("_fr")]
CI = {k: i for i, k in enumerate(CLASSES)}
FMT = string.Formatter()
rng = np.random.default_rng(0)
PR = random.Random(0)


def pick(lst, n, p=None):
    return np.array(lst, dtype=object)[rng.choice(len(lst), n, p=p) if p is not None else rng.integers(0, len(lst), n)]


def num(n, lo, hi):
    return rng.integers(lo, hi, n).astype(str).astype(object)


def slot(name, n):
    if name == "po":
        f = rng.integers(0, 5, n)
        return (np.array(["PO ", "PO# ", "P.O. 45", "PO-2", "po "], object)[f]
                + rng.integers(np.array([10**4, 10**4, 10**7, 3000, 10**5])[f], np.array([10**5, 10**5, 10**8, 6000, 10**6])[f]).astype(str))
    if name == "so":
        return pick(["SO-", "SO", "SO# ", "order #", "SO "], n) + num(n, 3100000, 3400000)
    if name == "inv":
        return pick(["INV-", "Inv ", "INV", "invoice #", "Inv# "], n) + num(n, 4100000, 4400000)
    if name == "sku":
        return (pick(SLOTS["skpfx"], n) + "-" + num(n, 1000, 9999)
                + np.where(rng.random(n) < .4, "-" + pick(["S", "M", "L", "XL", "10", "11"], n), ""))
    if name == "qty":
        return num(n, 1, 60) + pick([" cs", " bx", " pr", " ea", " dz", " cases", " pairs", " x"], n)
    if name == "tk":
        return pick(["CS-", "Case #", "Ticket ", "#", "CS"], n) + num(n, 100000, 999999)
    if name in ("nm", "nm2", "rep"):
        return pick(FIRST, n) + np.where(rng.random(n) < .3, " " + pick(SURN, n), "")
    if name == "d":
        return num(n, 2, 9)
    if name == "pct":
        return num(n, 3, 25) + "%"
    if name == "q":
        return num(n, 10000, 99999)
    if name == "dest":
        return pick(sum(REG_CITY[13:], []), n)
    return pick(SLOTS[name], n)


def render(cls, fr, extra=None):
    """Fill templates: cls = class ids, fr = write in French where a French variant exists."""
    out = np.empty(len(cls), dtype=object)
    for k in np.unique(cls):
        idx = np.nonzero(cls == k)[0]
        name = CLASSES[k]
        groups = [(idx[~fr[idx]], TPL[name]), (idx[fr[idx]], TPL[name + "_fr"])] if name + "_fr" in TPL \
            else [(idx, TPL[name])]
        for rows, tpls in groups:
            j = rng.integers(0, len(tpls), len(rows))
            for q, tp in enumerate(tpls):
                r = rows[j == q]
                if len(r) == 0:
                    continue
                acc = np.full(len(r), "", dtype=object)
                for lit, field, _, _ in FMT.parse(tp):
                    acc = acc + lit if lit else acc
                    if field:
                        acc = acc + (extra[field][r] if extra and field in extra else slot(field, len(r)))
                out[r] = acc
    return out


def typo(s):
    if len(s) < 6:
        return s
    i, o = PR.randrange(1, len(s) - 2), PR.random()
    if o < .4:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + s[i + 1:] if o < .75 else s[:i] + s[i] + s[i:]


def noisify(txt, email, inbound):
    """Reply/forward prefixes, shouting or lazy case, typos, urgency, accents dropped (45%)."""
    n, PRE = len(txt), np.array(["Re: ", "RE: ", "Fwd: ", "FW: ", "Re: Re: ", "RE: FW: ", "Re:"], dtype=object)
    m = email & (rng.random(n) < .28)
    txt[m] = PRE[rng.choice(len(PRE), m.sum(), p=[.45, .2, .12, .1, .05, .04, .04])] + txt[m]
    u = rng.random(n)
    for sel, fn in ((u < .09, str.lower), ((u >= .09) & (u < .11), str.upper), ((u >= .11) & (u < .13), str.capitalize)):
        idx = np.nonzero(sel)[0]
        txt[idx] = np.array([fn(s) for s in txt[idx]], dtype=object)
    idx = np.nonzero(rng.random(n) < .055)[0]
    txt[idx] = np.array([typo(s) for s in txt[idx]], dtype=object)
    idx = np.nonzero(inbound & (rng.random(n) < .03))[0]
    txt[idx] = txt[idx] + pick(SLOTS["sfx"], len(idx))
    idx = np.nonzero(np.array([not s.isascii() for s in txt]) & (rng.random(n) < .45))[0]
    txt[idx] = np.array([unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode() for s in txt[idx]], dtype=object)
    return txt


def _dst():
    s, e = [], []
    for y in range(2005, 2028):                # Canada/US rule since 2007 (legacy sign-ups start 2010)
        a = dt.date(y, 3, 1); a += dt.timedelta((6 - a.weekday()) % 7 + 7)
        b = dt.date(y, 11, 1); b += dt.timedelta((6 - b.weekday()) % 7)
        s.append((a - D0).days + 2 / 24); e.append((b - D0).days + 2 / 24)
    return np.array(s), np.array(e)


DST_S, DST_E = _dst()


def iso(t):
    """Days since 2023-01-01 (Toronto wall clock) -> '2024-03-01T14:30:00-05:00'; NaN -> None."""
    t = np.asarray(t, float)
    out, ok = np.full(len(t), None, dtype=object), ~np.isnan(t)
    t = np.minimum(t[ok], T_MAX)
    loc = EPOCH + np.round(t * 86400).astype(np.int64).astype("timedelta64[s]")
    y = loc.astype("datetime64[Y]").astype(np.int64) + 1970 - 2005
    dst = (t >= DST_S[y]) & (t < DST_E[y])
    out[ok] = np.datetime_as_string(loc, unit="s").astype(object) + np.where(dst, "-04:00", "-05:00").astype(object)
    return out


def stamp(t, lo=None, keep=.08, night=0.0, mu=11.5, sd=2.4):
    """Put events on a working day (weekend -> back to Friday unless that crosses lo) at a plausible hour."""
    d = np.floor(t)
    wd = (d.astype(np.int64) + 6) % 7                     # 2023-01-01 was a Sunday; 0 = Monday
    back = np.where(wd == 5, 1, np.where(wd == 6, 2, 0))
    lo = np.floor(lo) if lo is not None else -1e9
    d = d - np.where((back > 0) & (rng.random(len(d)) > keep) & (d - back >= lo), back, 0)
    hod = rng.normal(mu, sd, len(d))
    hod = np.where((hod < 7) | (hod > 18.5), rng.uniform(7.5, 17, len(d)), hod)
    hod = np.where(rng.random(len(d)) < night, rng.uniform(5, 23.5, len(d)), hod)
    return d + hod / 24


ROWS = {}


def save(out, name, cols):
    """Write one contract table as Parquet straight away (keeps memory low)."""
    os.makedirs(out, exist_ok=True)
    ROWS[name] = len(next(iter(cols.values())))
    pq.write_table(pa.Table.from_pandas(pd.DataFrame(cols), preserve_index=False), os.path.join(out, name + ".parquet"))


def month_of(t):
    return np.clip(np.searchsorted(MS, t, "right") - 1, 0, 35)


def build(N, seed, out):
    global rng, PR
    rng, PR = np.random.default_rng(seed), random.Random(seed)
    # ---------------- accounts ----------------
    legacy = rng.random(N) < .68
    sday = np.where(legacy, -np.minimum(20 + rng.exponential(1100, N), 4700), rng.uniform(0, LAST - 3, N))
    o = np.argsort(sday, kind="stable")
    legacy, sday = legacy[o], np.floor(sday[o])
    cid = (100000 + np.cumsum(rng.integers(1, 4, N))).astype(str).astype(object)
    signed = stamp(sday, keep=.03, mu=12)
    start = np.where(legacy, 0., np.minimum(sday + 1 + rng.integers(0, 30, N), LAST))
    seg = rng.choice(7, N, p=SEG_P)
    reg0 = rng.choice(14, N, p=REG_P)
    prov = np.select([reg0 <= 8, reg0 <= 10], [0, 1], 2)
    lam = np.clip(SEG_RATE[seg] * rng.lognormal(0, .7, N), .08, 14)
    aov = SEG_AOV[seg] * rng.lognormal(0, .45, N)
    qa, qb = np.quantile(lam * aov, [.88, .55])
    tier = np.where(lam * aov >= qa, 0, np.where(lam * aov >= qb, 1, 2))
    loyal = rng.random(N) < np.array([.5, .4, .25])[tier]
    # ---------------- who leaves, when, why ----------------
    h = np.where(legacy, .115, .19) * np.array([.7, .95, 1.2])[tier] * np.where(loyal, .8, 1.)
    c = np.floor(start + 20 + rng.exponential(365 / h)).astype(int)
    churn = c <= LAST - 2                                    # last exits on 2025-12-29
    c = np.where(churn, c, LAST + 1)
    end = c.astype(float)                                    # orders only before this day
    rs = np.full(N, -1)
    rs[churn] = rng.choice(5, churn.sum(), p=SHARES)
    IND, PQ, CMP, PT, MOV = (rs == k for k in range(5))
    loyal[CMP & (rng.random(N) < .65)] = False
    ri = np.clip(rs, 0, 4)
    W = rng.uniform(np.array([120, 30, 60, 20, 15])[ri], np.array([330, 200, 240, 110, 120])[ri])
    ws = np.where(churn, np.maximum(start, c - W), 1e9)      # reason window start (PQ: the incident)

    tr = lambda mask, p: mask & (rng.random(N) < p)  # noqa: E731  (a trace shows up only sometimes)
    t_fade, t_touch, t_slow = tr(IND, .75), tr(IND, .8), tr(IND, .6)
    t_cmpl, t_ret, t_lowsat = tr(PQ, .85), tr(PQ, .6), tr(PQ, .75)
    t_price, t_disc, t_shrink = tr(CMP, .7), tr(CMP, .7), tr(CMP, .65)
    t_ref, t_newc = tr(PT, .5), tr(PT, .45)
    moved = tr(MOV, .65)
    closed = MOV & ~moved                                    # closed: owner retired/died, business sold
    t_ship, t_movemsg, t_closemsg, t_regupd = tr(moved, .8), tr(moved, .7), tr(closed, .45), tr(moved, .55)

    def episode(p, lo, hi):
        s = np.where(rng.random(N) < p, rng.uniform(start, LAST + 1), 1e9)
        return s, s + rng.uniform(lo, hi, N)
    ng_s, ng_e = episode(.15, 120, 300)                     # rep neglect (stayers too)
    sl_s, sl_e = episode(.10, 90, 240)                      # buying slump
    complainer, hunter, multi = rng.random(N) < .10, rng.random(N) < .10, rng.random(N) < .12
    reloc = ~churn & (rng.random(N) < .025)
    dprop = np.where(hunter, rng.beta(4, 4, N), rng.beta(1.2, 9, N))
    sat = np.clip(rng.normal(7.6, 1.3, N), 2, 10)
    mv = np.full(N, 1e9)
    mv[moved] = np.maximum(start[moved], c[moved] - rng.uniform(10, 110, moved.sum()))
    mv[reloc] = rng.uniform(start[reloc], LAST + 1)
    far = rng.choice([14, 15, 16, 17, 13, 8], N, p=[.3, .15, .1, .15, .2, .1])
    far = np.where(far == reg0, 14, far)
    r_nb = PROV_LO[prov] + (reg0 - PROV_LO[prov] + rng.integers(1, 100, N) % (PROV_N[prov] - 1) + 1) % PROV_N[prov]
    newreg = np.where(moved, far, r_nb)
    dest_c = np.empty(N, dtype=object)
    for r in range(len(REGIONS)):
        ix = np.nonzero(newreg == r)[0]
        dest_c[ix] = pick(REG_CITY[r], len(ix))
    upd = t_regupd | (reloc & (rng.random(N) < .9))
    cur_reg = np.where(upd, newreg, reg0)
    # ---------------- reps, handovers, referrals ----------------
    nrep = [3, 3, 2, 2, 3, 2, 1, 2, 1, 2, 1, 1, 1, 1]
    users = []
    while len(users) < sum(nrep) + 8:
        u = (PR.choice(FIRST)[0] + PR.choice(SURN)).lower()
        users += [] if u in users else [u]
    reps = np.array(users + ["HOUSE-ON", "HOUSE-QC", "HOUSE-WEST"], dtype=object)
    cut = np.cumsum([0] + nrep)
    terr = [np.arange(cut[r], cut[r + 1]) for r in range(14)]
    isr = [np.arange(cut[-1], cut[-1] + 6), np.array([cut[-1] + 6]), np.array([cut[-1] + 7])]
    house = np.arange(len(users), len(users) + 3)
    repq = np.r_[rng.lognormal(0, .35, len(users)), [.12, .12, .12]]
    is_house = np.isin(np.arange(len(reps)), house)

    def assign():
        rr, mask = np.zeros(N, int), np.ones(N, bool)
        for r in range(14):
            ix = np.nonzero(mask & (reg0 == r) & (tier < 2))[0]
            rr[ix] = rng.choice(terr[r], len(ix))
        for p in range(3):
            ix = np.nonzero(mask & (prov == p) & (tier == 2))[0]
            rr[ix] = rng.choice(isr[p], len(ix))
        return rr
    old = assign()
    ho = np.full(N, 1e9)
    hi_ = IND & (rng.random(N) < .45)
    ho[hi_] = np.maximum(start[hi_] + 15, c[hi_] - rng.uniform(60, 300, hi_.sum()))
    oth = ~hi_ & (rng.random(N) < .15)
    ho[oth] = rng.uniform(start[oth] + 15, LAST + 30)
    has_ho = ho < 1e8
    mgr = np.where(has_ho, assign(), old)
    to_house = (hi_ & (rng.random(N) < .55)) | (has_ho & ~hi_ & (rng.random(N) < .12))
    mgr[to_house] = house[prov[to_house]]
    alw = ~has_ho & (tier == 2) & (rng.random(N) < .05)
    mgr[alw] = old[alw] = house[prov[alw]]

    def rep_at(i, t):
        return np.where(t < ho[i], old[i], mgr[i])
    ref = np.full(N, -1)
    rr = np.nonzero(rng.random(N) < np.where(legacy, .07, .13))[0]
    rr = rr[rr > 0]
    ref[rr] = (rng.random(len(rr)) * rr).astype(int)         # referrer signed up earlier
    chx = np.nonzero(churn)[0]
    chx = chx[np.argsort(c[chx], kind="stable")]
    for i in np.nonzero(t_ref)[0]:                           # personal ties: referrer left shortly before
        a, b = np.searchsorted(c[chx], [c[i] - 365, c[i] - 7])
        cand = chx[a:b][chx[a:b] < i]
        if len(cand):
            ref[i] = cand[rng.integers(len(cand))]
    # ---------------- orders: gamma renewal candidates, thinned by season/drift/decline ----------------
    ar, e = np.zeros((N, 36)), rng.normal(0, .17, (N, 36))
    ar[:, 0] = e[:, 0] * 1.6
    for m in range(1, 36):
        ar[:, m] = .8 * ar[:, m - 1] + e[:, m]
    arm = np.clip(np.exp(ar), .35, 2.2)
    CAP = 1.9                                                  # candidate rate / mean rate
    rc = lam * CAP / 30.44
    K = np.where(end > start, (rc * (end - start) * 1.3 + 12).astype(int), 0)
    cu = np.repeat(np.arange(N), K)
    shp = SEG_SHAPE[seg][cu]
    g = rng.gamma(shp, 1 / shp) / rc[cu]
    cs = np.cumsum(g)
    nz = K > 0
    f0 = (np.cumsum(K) - K)[nz]                                # first candidate of each account
    t = start[cu] + cs - np.repeat(cs[f0] - g[f0] * rng.random(nz.sum()), K[nz])
    keep = t < end[cu]
    cu, t = cu[keep], t[keep]
    del g, cs, shp
    m = month_of(t)
    p = np.clip((t - ws[cu]) / np.maximum(c[cu] - ws[cu], 1), 0, 1)
    w = t >= ws[cu]
    f = SEAS[SEG_FAM[seg[cu]], MON[m]] * arm[cu, m]
    f *= np.where(t_fade[cu], 1 - .65 * p, 1) * np.where(PQ[cu] & w, .6, 1) * np.where(CMP[cu], 1 - .35 * p, 1)
    f *= np.where(PT[cu] & w, .8, 1) * np.where((t >= sl_s[cu]) & (t < sl_e[cu]), .35, 1)
    cw = t_disc[cu] & w
    isd = rng.random(len(t)) < np.where(cw, .8, dprop[cu])
    acc = (rng.random(len(t)) < f / CAP) & ~(cw & ~isd & (rng.random(len(t)) < .6))
    cu, t, isd = cu[acc], t[acc], isd[acc]
    need = np.nonzero(churn & (np.bincount(cu, minlength=N) == 0))[0]   # every leaver bought at least once
    cu, t, isd = np.r_[cu, need], np.r_[t, rng.uniform(start[need], c[need] - 1)], np.r_[isd, np.zeros(len(need), bool)]
    t = stamp(t, lo=start[cu], keep=.12, night=.22, mu=10.5, sd=2.5)
    t = np.minimum(t, c[cu] - 5.2 / 24)                      # last-day orders before 18:48, so also before it in UTC
    n, p, w = len(t), np.clip((t - ws[cu]) / np.maximum(c[cu] - ws[cu], 1), 0, 1), t >= ws[cu]
    cw = t_disc[cu] & w
    gross = np.maximum(18, aov[cu] * rng.lognormal(0, .55, n) * np.where(t_shrink[cu], 1 - .55 * p, 1)).round(2)
    disc = np.where(isd, (gross * np.where(cw, rng.uniform(.1, .3, n), rng.uniform(.04, .18, n))).round(2), 0.)
    oreg = np.where(multi[cu] & (rng.random(n) < .15), r_nb[cu], reg0[cu])     # second site
    oreg = np.where((t_ship[cu] | reloc[cu]) & (t >= mv[cu]), newreg[cu], oreg)  # after a move
    rp = .012 + .02 * complainer[cu] + np.where(t_ret[cu] & w, .14, 0)
    rsel = np.nonzero(rng.random(n) < rp)[0]
    rt = stamp(t[rsel] + rng.uniform(3, 28, len(rsel)), lo=t[rsel] + 1)
    ok = (rt < end[cu[rsel]] - 5.2 / 24) & (rt < LAST + 1)
    rsel, rt = rsel[ok], rt[ok]
    ramt = -(gross[rsel] * np.where(rng.random(len(rsel)) < .5, 1, rng.uniform(.1, .6, len(rsel)))).round(2)
    ot, ocu = np.r_[t, rt], np.r_[cu, cu[rsel]]
    isret = np.r_[np.zeros(n, bool), np.ones(len(rsel), bool)]
    srt = np.argsort(ot, kind="stable")
    oid = np.where(isret[srt], "RMA-" + (500000 + np.cumsum(isret[srt])).astype(str).astype(object),
                   "SO-" + (3100000 + np.cumsum(~isret[srt])).astype(str).astype(object))
    save(out, "orders", {
        "order_id": oid, "customer_id": cid[ocu[srt]], "ordered_at": iso(ot[srt]),
        "amount": np.r_[gross - disc, ramt][srt], "discount_amount": np.r_[disc, np.zeros(len(rsel))][srt],
        "returned": isret[srt], "region": REGIONS[np.r_[oreg, oreg[rsel]][srt]],
        "order_channel": pick(["web", "EDI", "phone", "email", "rep"], len(ot), p=[.34, .1, .22, .26, .08])})
    del oid, ot, ocu, srt
    # post-delivery follow-ups (what an attentive rep does)
    pfu = np.where(t_touch[cu] & w, .03, np.where(is_house[rep_at(cu, t)], .04, np.array([.38, .26, .07])[tier[cu]]))
    pfu = np.where((t >= ng_s[cu]) & (t < ng_e[cu]), .05, pfu)
    fs = np.nonzero((gross >= 250) & (rng.random(n) < pfu))[0]
    ev = [(cu[fs], stamp(t[fs] + rng.uniform(2, 9, len(fs)), lo=t[fs] + 1), "out", np.full(len(fs), CI["followup"]))]
    del arm, ar, e, f, p, w
    # ---------------- contacts, complaints: monthly intensity grid ----------------
    lo, hi = np.maximum(MS[None, :-1], start[:, None]), np.minimum(MS[None, 1:], end[:, None])
    span, mid = np.clip(hi - lo, 0, None), (lo + hi) / 2       # active days in each month, its middle
    act = span / 30.44
    wg = mid >= ws[:, None]
    pg = np.clip((mid - ws[:, None]) / np.maximum(c - ws, 1)[:, None], 0, 1)
    ngg = (mid >= ng_s[:, None]) & (mid < ng_e[:, None])
    rq = np.where(mid < ho[:, None], repq[old][:, None], repq[mgr][:, None])
    r_out = np.array([2.0, .9, .3])[tier][:, None] * rq * SEAS_OUT[MON][None, :] * act
    r_out *= np.where(t_touch[:, None] & wg, .3 - .2 * pg, 1) * np.where(ngg, .2, 1)
    r_out *= np.where((mid >= ho[:, None]) & (mid < ho[:, None] + 90), .45, 1)
    r_in = (.18 + .2 * lam ** .6)[:, None] * act
    r_in *= np.where((CMP | PQ)[:, None] & wg, 1.3, 1) * np.where(IND[:, None] & wg, .85, 1)
    r_cm = np.where(complainer, .05, .012)[:, None] * act
    r_cm += act * wg * (.4 * t_cmpl[:, None] + .07 * t_price[:, None] + .03 * t_slow[:, None])
    del pg, ngg, rq, mid

    def draw(rate):
        k = rng.poisson(rate.ravel())
        cell = np.repeat(np.arange(k.size), k)
        i, mm = cell // 36, cell % 36
        return i, lo[i, mm] + rng.random(len(i)) * span[i, mm], k.reshape(rate.shape)

    def inwin(i, tt, mask):
        return mask[i] & (tt >= ws[i]) & (tt < c[i])
    # outbound rep activity
    i, tt, _ = draw(r_out)
    tt = stamp(tt, lo=start[i], keep=.03)
    oc = rng.choice([CI[k] for k in ("checkin", "visit", "promo", "remind", "quote_out")], len(i), p=[.34, .12, .24, .14, .16])
    oc = np.where((tier[i] == 0) & (rng.random(len(i)) < .15), CI["visit"], oc)
    oc = np.where((tier[i] == 2) & (oc == CI["visit"]), CI["checkin"], oc)
    pf = (inwin(i, tt, t_price) & (rng.random(len(i)) < .25)) | (hunter[i] & (rng.random(len(i)) < .05))
    ev.append((i, tt, "out", np.where(pf, CI["pricefix"], oc)))
    # inbound routine requests
    i, tt, _ = draw(r_in)
    tt = stamp(tt, lo=start[i], keep=.1, night=.08)
    rout = ["status", "quote", "invoice", "service", "info", "rma", "admin", "price", "chase"]
    ic = rng.choice([CI[k] for k in rout], len(i), p=[.28, .21, .13, .12, .1, .05, .05, .03, .03])
    ic = np.where((hunter[i] & (rng.random(len(i)) < .1)) | (inwin(i, tt, t_price) & (rng.random(len(i)) < .3)), CI["price"], ic)
    ic = np.where(inwin(i, tt, t_slow) & (rng.random(len(i)) < .2), CI["chase"], ic)
    ev.append((i, tt, "in", ic))
    # complaints
    ci, ct, ccount = draw(r_cm)
    inc = np.nonzero(t_cmpl)[0]                              # the incident itself
    ci, ct = np.r_[ci, inc], np.r_[ct, ws[inc] + rng.random(len(inc)) * np.minimum(5, c[inc] - ws[inc])]
    ct = stamp(ct, lo=start[ci], keep=.05)
    ci, ct = ci[ct < c[ci]], ct[ct < c[ci]]
    nc = len(ci)
    cat = rng.choice(5, nc, p=[.25, .2, .12, .33, .1])       # quality, service, price, delivery, other
    cat = np.where(inwin(ci, ct, t_cmpl), rng.choice(5, nc, p=[.6, .3, 0, .07, .03]), cat)
    cat = np.where(inwin(ci, ct, t_price) & (rng.random(nc) < .8), 2, cat)
    cat = np.where(inwin(ci, ct, t_slow) & (rng.random(nc) < .7), 1, cat)
    bad = inwin(ci, ct, t_cmpl)
    dur = np.where(bad, rng.lognormal(np.log(12), 1, nc), rng.lognormal(np.log(3.5), .9, nc))
    solved = rng.random(nc) < np.where(bad, .5, .88)
    res = np.maximum(stamp(ct + dur, lo=ct), ct + .02)
    res = np.where(solved & (res < LAST + .75), res, np.nan)
    ccls = np.array([CI[k] for k in ("cq", "cs", "cp", "cd", "co")])[cat]
    cfr = (prov[ci] == 1) & (rng.random(nc) < .4)
    so = np.argsort(ct, kind="stable")
    save(out, "complaints", {
        "complaint_id": ("CS-" + (100000 + np.arange(nc)).astype(str).astype(object)),
        "customer_id": cid[ci[so]], "opened_at": iso(ct[so]),
        "category": np.array(["quality", "service", "price", "delivery", "other"])[cat[so]],
        "resolved_at": iso(res[so]),
        "description": noisify(render(ccls, cfr), np.zeros(nc, bool), np.ones(nc, bool))[so]})
    lk = rng.random(nc) < .7
    ev.append((ci[lk], ct[lk] - rng.uniform(0, .02, lk.sum()), "in", ccls[lk]))
    rk = ~np.isnan(res) & (rng.random(nc) < .5)
    ev.append((ci[rk], res[rk], "out", np.full(rk.sum(), CI["resp"])))
    # one-off events
    def one(mask, tt, direction, cls, lo_=None):
        ix = np.nonzero(mask)[0]
        tt = stamp(tt[ix], lo=start[ix] if lo_ is None else lo_[ix])
        ok = tt < LAST + 1
        ev.append((ix[ok], tt[ok], direction, np.full(ok.sum(), CI[cls])))
    U = lambda a, b: rng.uniform(a, b, N)
    intro = has_ho & (rng.random(N) < np.where(hi_, .2, .55)) & (ho + 30 < end)
    one(intro, ho + U(0, 30), "out", "intro")
    one(t_newc, np.maximum(start, c - U(20, 120)), "in", "newcontact")
    one((rng.random(N) < .1) & (end - start > 30), rng.uniform(start, np.maximum(start + 1, end - 1)), "in", "newcontact")
    one(t_movemsg, np.maximum(start, mv - U(0, 40)), "in", "moving")
    one(t_closemsg, np.maximum(start, c - U(1, 60)), "in", "closing")
    one(reloc & (rng.random(N) < .6), np.maximum(start, mv - U(0, 30)), "in", "newaddr")
    one(multi & (rng.random(N) < .3) & (end - start > 30), rng.uniform(start, np.maximum(start + 1, end - 1)), "in", "newaddr")
    one(churn & ~closed & (rng.random(N) < .35), c + U(10, 120), "out", "winback", lo_=c)
    one((sl_s < 1e8) & (rng.random(N) < .3) & (sl_s + 90 < end), sl_s + U(40, 90), "out", "winback")
    one(MOV & (rng.random(N) < .4), c + U(0, 30), "out", "closeacct", lo_=c)
    # assemble contacts
    i = np.concatenate([x[0] for x in ev])
    tt = np.concatenate([x[1] for x in ev])
    inb = np.concatenate([np.full(len(x[0]), x[2] == "in") for x in ev])
    cl = np.concatenate([np.broadcast_to(x[3], len(x[0])) for x in ev]).astype(int)
    keep = tt < LAST + 1
    i, tt, inb, cl = i[keep], tt[keep], inb[keep], cl[keep]
    nk = len(i)
    chan = np.where(inb, pick(["email", "call", "chat", "sms"], nk, p=[.55, .33, .08, .04]),
                    pick(["call", "email"], nk, p=[.65, .35]))
    name = np.array(CLASSES, dtype=object)[cl]
    chan[np.isin(name, ["visit"])] = "meeting"
    chan[np.isin(name, ["promo", "quote_out", "closeacct"])] = "email"
    chan[(name == "intro") & (rng.random(nk) < .2)] = "meeting"
    chan[(name == "remind") & (rng.random(nk) < .15)] = "sms"
    slow = inwin(i, tt, t_slow)
    ngr = (tt >= ng_s[i]) & (tt < ng_e[i])
    hs = is_house[rep_at(i, tt)]
    pans = np.select([slow, ngr, hs], [.7, .86, .88], .96)
    med = np.select([slow, ngr, hs], [28., 10., 7.], 2.5)
    ans = rng.random(nk) < pans
    rh = med * rng.lognormal(0, 1, nk) * np.where(chan == "call", .25, 1)
    fr = inb & (prov[i] == 1) & (rng.random(nk) < .55)
    topic = noisify(render(cl, fr, {"dest": dest_c[i]}), chan == "email", inb)
    rep = reps[rep_at(i, tt)]
    u = rng.random(nk)
    handler = np.where(inb & np.isin(chan, ["email", "chat"]) & (u < .7), "cs.inbox",
                       np.where(inb & (chan == "call") & (u < .5), "cs.phone", rep))
    so = np.argsort(tt, kind="stable")
    save(out, "contacts", {
        "customer_id": cid[i[so]], "contacted_at": iso(tt[so]),
        "direction": np.where(inb, "inbound", "outbound")[so], "channel": chan[so], "topic": topic[so],
        "answered": pd.array(np.where(inb, ans, None)[so], dtype="boolean"),
        "response_hours": np.where(inb & ans, rh.round(1), np.nan)[so], "handled_by": handler[so]})
    del topic, rep, handler, chan, name
    # ---------------- surveys ----------------
    r3 = ccount + np.pad(ccount, ((0, 0), (1, 0)))[:, :-1] + np.pad(ccount, ((0, 0), (2, 0)))[:, :-2]
    si, st = [], []
    for wm in range(0, 36, 3):
        sent = MS[wm] + 12
        ix = np.nonzero((start <= sent) & (sent < end) & (rng.random(N) < np.array([.22, .16, .12])[tier]))[0]
        si.append(ix)
        st.append(stamp(sent + np.minimum(rng.exponential(4, len(ix)), 21), lo=np.full(len(ix), sent), keep=.2, night=.15))
    si, st = np.concatenate(si), np.concatenate(st)
    ok = st < LAST + 1
    si, st = si[ok], st[ok]
    ns = len(si)
    pgs = np.clip((st - ws[si]) / np.maximum(c[si] - ws[si], 1), 0, 1)
    sc = sat[si] + rng.normal(0, 1.2, ns) - np.minimum(.9 * r3[si, month_of(st)], 2.7)
    sc -= np.where(inwin(si, st, t_lowsat), rng.uniform(2, 4.5, ns), 0) + np.where(inwin(si, st, IND), 1.3 * pgs, 0)
    sc -= np.where(inwin(si, st, CMP), .7, 0) + np.where((st >= ng_s[si]) & (st < ng_e[si]), .7, 0)
    ex = np.nonzero(churn & (rng.random(N) < np.array([.3, .4, .35, .3, .18])[ri]))[0]
    et = stamp(c[ex] + rng.uniform(5, 75, len(ex)), lo=c[ex].astype(float), keep=.2, night=.2)
    ex, et = ex[et < LAST + 1], et[et < LAST + 1]
    conf = np.array([[.52, .14, .2, .06, .08], [.12, .68, .14, .03, .03], [.12, .08, .72, .05, .03],
                     [.2, .05, .2, .5, .05], [.05, .02, .03, .05, .85]])
    said = (rng.random(len(ex))[:, None] > np.cumsum(conf[rs[ex]], 1)).sum(1).clip(0, 4)
    esc = rng.normal(np.array([3.2, 2., 4., 5., 6.5])[rs[ex]], 1.8)
    allt = np.r_[st, et]
    so = np.argsort(allt, kind="stable")
    save(out, "surveys", {
        "customer_id": cid[np.r_[si, ex]][so], "answered_at": iso(allt[so]),
        "kind": np.r_[np.full(ns, "pulse"), np.full(len(ex), "exit")][so],
        "score": np.clip(np.round(np.r_[sc, esc]), 0, 10)[so] + 0.,
        "reason": np.r_[np.full(ns, None, dtype=object), REASONS[said].astype(object)][so]})
    save(out, "customers", {
        "customer_id": cid, "signed_up_at": iso(signed), "segment": SEGMENTS[seg], "region": REGIONS[cur_reg],
        "loyalty_member": loyal, "referred_by": np.where(ref >= 0, cid[np.maximum(ref, 0)], None),
        "manager_id": reps[mgr], "account_tier": np.array(["A", "B", "C"])[tier]})
    ch = np.nonzero(churn)[0]
    truth = pd.DataFrame({"customer_id": cid[ch],
                          "churned_at": (np.datetime64("2023-01-01") + c[ch].astype("timedelta64[D]")).astype(str),
                          "true_reason": REASONS[rs[ch]]})
    truth.to_csv(os.path.join(out, "truth.csv"), index=False)
    return truth


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--out", required=True)
    ap.add_argument("--customers", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t0 = time.time()
    tr = build(a.customers, a.seed, a.out)
    print(" ".join(f"{k}={v}" for k, v in ROWS.items()))
    lv = pd.to_datetime(tr.churned_at)
    late = tr[(lv >= "2025-10-01") & (lv <= "2025-12-29")]
    print(f"churners={len(tr)} ({len(tr) / a.customers:.1%}); by reason:", tr.true_reason.value_counts().to_dict())
    print("churned 2025-10-01..2025-12-29 by reason:", late.true_reason.value_counts().to_dict())
    print(f"written to {a.out} in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
