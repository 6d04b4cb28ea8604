"""Synthetic CRM of "FarmaVest Distribuție": a pharmacy and medical-supplies wholesaler in Romania
and the Republic of Moldova, 2023-01-01 .. 2025-12-31.

Design note
-----------
Customers are independent pharmacies (the bulk), a few small pharmacy chains, private clinics,
family-doctor offices (cabinete medicale), dental offices and some individuals (persoane fizice,
e.g. home-care patients buying consumables).  Regions are Romanian județe and Moldovan raioane /
municipii.  Every business customer has an account manager (agent de vânzări, "AGnnn") who visits,
calls, sends promotions and chases payments; individuals are served by the call-centre and mostly
have no agent.  Pharmacies order several times a month (flu-season peak in winter), clinics and
offices roughly monthly, individuals rarely.  Amounts are in lei (net of discount); returns are
separate credit-note rows (negative amount, returned=true): expired stock, damaged parcels.

The CRM export has: customers, orders, contacts (calls, visits, e-mails, WhatsApp chats, SMS, both
ways, with a free-text Romanian subject as people really type it: mostly without diacritics, some
with comma-below ș/ț, some with the old cedilla ş/ţ, typos, "Re:"/"Fwd:" prefixes, ticket and
invoice numbers), complaints (with a short description), and surveys (quarterly pulse NPS-like
scores, and an exit questionnaire answered by some former customers after they left).

About 28% of customers stop buying for good during the three years, at a steady rate.  Each
churner has a true reason, drawn around the survey shares (67/15/9/5/4) but tilted by the
customer's situation (a lazy agent makes indifference likelier, price-sensitive buyers go to
competitors, individuals move or die more often, referred customers follow their referrer).
Traces start at an onset some months before the churn date and are noisy; some churners show
none, and stayers show all of them too:

* indifference: the agent goes quiet (few visits/calls, no post-delivery follow-up call),
  inbound requests are answered late or not at all, often after a portfolio hand-over to a new
  or no agent; a few customers write "nobody calls us any more".  Stayers get neglected
  windows as well (agent on leave, vacant territory) and silent agents exist everywhere.
* product_quality: quality/service complaints (broken vials, cold-chain, short expiry, wrong
  goods), slower and often unresolved, credit-note returns, low pulse scores.  Stayers have
  background complaints and expired-stock returns.
* competitor: price complaints, "X offers 12%" messages, nearly every order discounted and a
  shrinking basket.  A share of stayers are chronic discount hunters who also quote competitors.
* personal_ties: almost nothing; the customer who referred them often left shortly before, and
  rarely a note that a relative works for/with another distributor.
* moved_or_died: relocation request, deliveries to a new region, region updated in the CRM (not
  always), or a closure / death notice; the stop is abrupt.  Stayers move too.
Purchase tapering before the stop (all reasons except the abrupt ones) is a symptom, not a reason.
The exit survey reason is the true one only most of the time (indifference is often reported as
"competitor").  truth.csv holds customer_id, churned_at, true_reason for churners.
"""
import argparse
import os
import random
import time

import numpy as np
import pandas as pd

TZ = "Europe/Bucharest"                         # Chișinău keeps the same offsets
BASE = np.datetime64("2023-01-01T00:00:00", "s")
T_END = 1096.0                                  # 2026-01-01 00:00 local, exclusive
LAST_CHURN = 1093                               # 2025-12-29
REASONS = ["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"]
SHARES = np.array([0.67, 0.15, 0.09, 0.05, 0.04])

SEGS = ["Farmacie independentă", "Rețea mică de farmacii", "Clinică privată", "Cabinet medical",
        "Cabinet stomatologic", "Persoană fizică"]
SEG_P = [0.52, 0.04, 0.13, 0.12, 0.07, 0.12]
SEG_ORD = np.array([2.0, 4.5, 1.0, 0.6, 0.6, 0.22])        # orders per month
SEG_AMT = np.array([3600, 10500, 2500, 700, 900, 230])     # lei, median order
SEG_OUT = np.array([0.8, 1.3, 0.55, 0.35, 0.35, 0.2])      # outbound touches per month
SEG_IN = np.array([0.45, 0.8, 0.35, 0.22, 0.22, 0.12])     # inbound requests per month
SEG_CH = np.array([1.0, 0.55, 0.9, 1.0, 1.0, 1.5])         # churn propensity
SEG_SEAS = np.array([0.2, 0.2, 0.06, 0.1, 0.03, 0.1])      # winter peak amplitude

RO = [("București", 18), ("Cluj", 7), ("Iași", 8), ("Timiș", 7), ("Constanța", 7), ("Prahova", 7),
      ("Brașov", 6), ("Dolj", 6), ("Bihor", 5), ("Suceava", 6), ("Argeș", 5), ("Bacău", 5),
      ("Mureș", 5), ("Galați", 5), ("Ilfov", 5), ("Neamț", 4), ("Dâmbovița", 4), ("Maramureș", 4),
      ("Sibiu", 4), ("Arad", 4), ("Buzău", 4), ("Botoșani", 3), ("Vaslui", 3), ("Olt", 3),
      ("Hunedoara", 4), ("Alba", 3), ("Vâlcea", 3), ("Bistrița-Năsăud", 3), ("Satu Mare", 3),
      ("Teleorman", 3), ("Brăila", 3), ("Vrancea", 3), ("Gorj", 3), ("Harghita", 3),
      ("Caraș-Severin", 2), ("Călărași", 2), ("Giurgiu", 2), ("Ialomița", 2), ("Mehedinți", 2),
      ("Sălaj", 2), ("Tulcea", 2), ("Covasna", 2)]
MD = [("mun. Chișinău", 30), ("mun. Bălți", 8), ("r-nul Orhei", 4), ("r-nul Cahul", 4),
      ("r-nul Ungheni", 4), ("r-nul Soroca", 3), ("r-nul Hîncești", 3), ("r-nul Strășeni", 3),
      ("r-nul Edineț", 2), ("r-nul Florești", 2), ("r-nul Ialoveni", 3), ("r-nul Căușeni", 2),
      ("UTA Găgăuzia", 4), ("r-nul Anenii Noi", 2), ("r-nul Criuleni", 2), ("r-nul Fălești", 2)]
REGIONS = [r for r, _ in RO] + [r for r, _ in MD]
N_RO = len(RO)
W_RO = np.array([w for _, w in RO], float); W_RO /= W_RO.sum()
W_MD = np.array([w for _, w in MD], float); W_MD /= W_MD.sum()

MONTHS = ["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august",
          "septembrie", "octombrie", "noiembrie", "decembrie"]
PRODS = ["Paracetamol 500mg", "Ibuprofen 400", "Algocalmin", "Nurofen Forte", "Augmentin 1g",
         "Aspenter", "vitamina C 1000", "seringi 5 ml", "seringi insulină", "mănuși nitril M",
         "comprese sterile", "vată hidrofilă", "ser fiziologic 500ml", "teste rapide gripă",
         "tensiometre", "glucometre", "benzi glicemie", "măști chirurgicale", "dezinfectant mâini",
         "fașă elastică", "catetere", "ace 23G", "Omeprazol 20mg", "Magne B6", "Strepsils",
         "Coldrex", "Nurofen sirop copii", "insulină", "vaccin gripal", "lapte praf NAN",
         "anestezic dentar", "Fervex", "Eutirox", "Tantum Verde", "pansamente"]
COMPS = ["Farmanord", "MedExpres", "Pharmalink", "Eurofarm Distribuție", "DistriMed", "Sanofarm",
         "Farmaco-Vest", "Medicor", "Moldfarm Grup", "alt distribuitor", "depozitul din oraș"]

# --- topic templates ({nr}=invoice/order/ticket number, {luna}/{an}=month/year of the row) ---
T = {
    "vizita": ["Vizită agent - prezentare ofertă {luna}", "vizita de rutina, discutat stocuri si necesar",
        "Vizită lunară, preluat comanda", "Prezentare produse noi: {prod}",
        "Întâlnire cu farmacista-șefă, plan comenzi pe trimestru", "vizita + lasat mostre {prod}",
        "Discuție cu dr. despre consumabile, necesar lunar", "vizită cabinet - gama {prod}",
        "vizita teren, client multumit, comanda saptamana viitoare", "Revizuire anuală cont - condiții comerciale {an}",
        "trecut pe la client, patroana lipsa, revin", "vizita: verificat raft {prod}, propus comanda"],
    "oferta": ["Ofertă promoțională {luna} - {prod}", "Trimis catalog promoții {luna}",
        "Campanie {prod} -{pct}% până la final de lună", "SMS promo: reducere {pct}% la {prod}",
        "Newsletter {luna}: noutăți în portofoliu", "oferta speciala OTC sezon rece",
        "ofertă personalizată card fidelitate", "lista de preturi actualizata {luna}", "promo pachet {prod} + {prod2}",
        "Oferta saptamanii: {prod}"],
    "incasari": ["Reamintire scadență factură {nr}", "sold restant - reamintire plata",
        "Confirmare plată OP factura {nr}", "reconciliere sold {luna}", "Fișă de cont la {luna} {an}",
        "tel. pt incasare facturi scadente", "facturi neachitate > 60 zile"],
    "admin": ["Actualizare date firmă în sistem", "Trimis contract cadru {an} spre semnare",
        "solicitare autorizatie de functionare actualizata", "Invitație webinar dermato-cosmetice",
        "Felicitări de sărbători", "Chestionar satisfacție clienți {luna}", "program livrari de sarbatori",
        "info: nou termen de livrare in zona"],
    "followup": ["Follow-up comanda {nr}", "Confirmare recepție comandă {nr}",
        "am sunat sa vedem daca a ajuns marfa ok", "Verificare livrare comanda nr. {nr}",
        "feedback după livrare - totul ok", "apel post-livrare, clientul confirmă primirea",
        "follow up livrare {nr}, mici neclaritati pe factura", "sunat dupa livrare, ok"],
    "agent_nou": ["Prezentare agent nou de zonă", "Preluare portofoliu - noul agent de vânzări",
        "v-am preluat de la colegul meu, revin cu oferta", "Schimbare agent zona {jud}",
        "predare-primire clienti, agent nou", "Vizită de cunoaștere - noul reprezentant",
        "info: începând cu {luna} aveți alt agent"],
    "winback": ["Client inactiv - apel reactivare", "De ce nu mai comandați? - sunat", "ofertă de revenire -{pct}%",
        "am sunat, nu mai comanda de la noi, nu a zis de ce", "încercare recuperare client",
        "reactivare cont - fără răspuns", "tel reactivare, zice ca se mai gandeste"],
    "stoc": ["Disponibilitate {prod}?", "aveti pe stoc {prod}", "Când intră {prod} în stoc?", "lipsă {prod} din ofertă",
        "mai aveti {prod}? urgent", "cerere disponibilitate {prod} si {prod2}",
        "{prod} - ce termen de valabilitate are?", "stoc {prod} pt saptamana viitoare?"],
    "factura": ["Duplicat factură {nr}", "factura nr {nr} - eroare de preț", "factura {nr}",
        "Solicit aviz de însoțire pentru comanda {nr}", "nu am primit factura pe email", "storno factura {nr}",
        "factura {nr} nu apare in SPV / e-Factura"],
    "livrare": ["Status comandă {nr}", "când ajunge comanda?", "livrare {nr}", "modificare interval de livrare",
        "livrare parțială comanda {nr} - lipsesc produse", "curierul nu a ajuns azi", "AWB comanda {nr}?",
        "putem primi marfa dupa ora 16?"],
    "comanda": ["Comandă nouă - {prod}", "suplimentare comanda {nr}", "Anulare comandă {nr}",
        "comanda urgenta {prod}, va rog azi", "comanda lunara consumabile", "adaugati va rog {prod} la comanda {nr}",
        "comanda pt {luna}"],
    "retur_exp": ["retur produse expirate", "Retur marfă cu termen scurt - listă atașată", "proces verbal retur {nr}",
        "cerere retur {prod} nevandabil"],
    "documente": ["Certificat de analiză lot {nr}", "solicitare contract actualizat",
        "Actualizare date firmă (CUI, IBAN)", "fișa tehnică {prod}", "declaratie de conformitate {prod}",
        "schimbare persoana de contact"],
    "calitate": ["produse deteriorate la livrare, comanda {nr}", "lot neconform {prod}", "ambalaj spart {prod}",
        "Termen de valabilitate foarte scurt la {prod}", "reclamatie calitate {nr}", "fiole sparte în colet",
        "{prod} primit cald, s-a rupt lanțul de frig?", "iar ne-ați trimis marfă greșită!!",
        "a treia oara cand primim colet deteriorat", "cutii strivite, {prod} nu se mai poate vinde",
        "{prod} arata altfel decat de obicei, e original?", "lipsesc produse din colet, comanda {nr}",
        "{prod} cu lot diferit de cel din factura"],
    "service_bad": ["nimeni nu raspunde la dispecerat", "reclamatie {nr} - tot fara raspuns", "comanda greșită din nou",
        "de 2 săptămâni aștept rezolvarea reclamației {nr}", "nu mai suntem multumiti de serviciile voastre",
        "sesizare: factura si marfa nu corespund", "al doilea retur respins, de ce?"],
    "pret": ["Cerere ofertă de preț {prod}", "prețurile voastre au crescut iar", "puteti face un discount mai mare?",
        "lista de preturi {luna} - prea scump", "condiții de plată - putem avea 60 de zile?",
        "solicitare discount volum {prod}", "de ce s-a scumpit {prod}?", "mai aveti promotii luna asta?"],
    "concurenta": ["{comp} ne oferă {pct}% la {prod}", "am primit oferta de la {comp}, mai bună",
        "la {comp} e mai ieftin, puteți egala?", "agentul de la {comp} ne-a propus plata la 90 de zile",
        "comparație prețuri cu {comp}", "{comp} ne da bonus in marfa, voi?", "ne gandim sa trecem la {comp}",
        "oferta {comp} - ce puteti face?"],
    "fara_raspuns": ["nu ne-a mai vizitat nimeni de luni de zile", "cerere ofertă - fără răspuns",
        "Cine este agentul nostru acum?", "am sunat de 3 ori, nu răspunde nimeni",
        "revin: nu am primit raspuns la mailul de saptamana trecuta", "agentul nu mai raspunde la telefon",
        "de ce nu ne mai trimiteti oferte?", "nimeni nu ne-a sunat dupa comanda {nr}"],
    "mutare": ["Schimbare adresă de livrare", "ne mutăm sediul în {jud}", "farmacia se relocă în {jud} din {luna}",
        "actualizare adresă punct de lucru", "adresa noua de livrare - {jud}", "ne mutam in {jud}, livrati acolo?",
        "livrați și în {jud}?", "punct de lucru nou in {jud}, va rog actualizati"],
    "inchidere": ["Închidere punct de lucru", "deces titular - farmacia se închide", "lichidare firmă, sold final",
        "pensionare, cabinetul se închide din {luna}", "plec definitiv în străinătate, anulați contul",
        "Suspendare activitate - autorizatie expirata", "Vă anunțăm încetarea activității",
        "familia ne-a anuntat decesul d-nei doctor"],
    "rude": ["fiul dnei doctor lucrează la {comp}, vor lua de acolo", "cumnatul patronului a deschis un depozit",
        "dl. administrator s-a asociat cu {comp}", "de acum comandam prin fratele farmacistei",
        "fata patroanei e agent la {comp}", "lucram cu firma unei rude, nu mai avem nevoie"],
    "livrare_cmp": ["Întârziere livrare comanda {nr}", "colet livrat la adresa greșită", "curier nepoliticos",
        "livrare după ora de închidere", "marfa a venit cu 3 zile intarziere", "lipsa aviz la livrare"],
    "altele_cmp": ["eroare factură {nr}", "lipsă documente însoțire", "platforma de comenzi nu merge",
        "parola cont online resetata de 2 ori", "nu s-a aplicat reducerea de card"],
    "pret_cmp": ["preț facturat mai mare decât în ofertă, factura {nr}", "discount neaplicat pe factura {nr}",
        "scumpire fără anunț la {prod}", "prețuri necompetitive față de {comp}", "nu s-a aplicat promoția {luna}",
        "bonus in marfa promis si nelivrat"],
}
CATS = list(T)
_CAL = pd.date_range("2023-01-01", periods=1200, freq="D")
CAL_Y, CAL_M = _CAL.year.to_numpy(), _CAL.month.to_numpy()
CI = {c: i for i, c in enumerate(CATS)}
DIA = str.maketrans("ăâîșțşţĂÂÎȘȚŞŢ", "aaiststAAISTST")
CED = str.maketrans("șțȘȚ", "şţŞŢ")
CHAN = {"vizita": (["meeting", "call"], [0.8, 0.2]), "oferta": (["email", "sms", "call"], [0.55, 0.3, 0.15]),
        "incasari": (["call", "email"], [0.6, 0.4]), "admin": (["email", "call"], [0.7, 0.3]),
        "followup": (["call", "email"], [0.9, 0.1]), "agent_nou": (["meeting", "call"], [0.6, 0.4]),
        "winback": (["call", "sms"], [0.8, 0.2])}
CHAN_IN = (["call", "email", "chat", "sms"], [0.4, 0.38, 0.15, 0.07])


def typo(s, r):
    pos = [i for i in range(1, len(s) - 1) if s[i].isalpha() and s[i + 1].isalpha()]
    if not pos:
        return s
    i, k = r.choice(pos), r.random()
    if k < 0.4:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + s[i + 1:] if k < 0.75 else s[:i] + s[i] + s[i:]


CASES = [(0.14, str.lower), (0.17, str.upper), (0.27, lambda s: s[:1].lower() + s[1:]),
         (0.35, lambda s: s[:1].upper() + s[1:]), (1.0, lambda s: s)]


def noisy(s, r):
    """Diacritics mostly skipped, sometimes cedilla or half-typed; case slips, typos, trailing noise."""
    x = r.random()
    if x < 0.55:
        s = s.translate(DIA)
    elif x < 0.63:
        s = s.translate(CED)
    elif x < 0.70:
        s = "".join(c.translate(DIA) if r.random() < 0.5 else c for c in s)
    y = r.random()
    s = next(f for p, f in CASES if y < p)(s)
    if r.random() < 0.2:
        s = typo(s, r)
    if r.random() < 0.06:
        s += r.choice(["!!", "?", " - urgent", " URGENT", " va rog", " mersi", " !", "..."])
    return s


def render(cat, r):
    s = r.choice(T[cat])
    s = s.replace("{nr}", "\x00").replace("{luna}", "\x02").replace("{an}", "\x03").replace("{jud}", "\x04")
    s = s.format(prod=r.choice(PRODS), prod2=r.choice(PRODS), comp=r.choice(COMPS), pct=r.choice(
        [5, 7, 8, 10, 12, 15, 18, 20, 25]))
    return noisy(s, r)


def fill(pool_idx, cats, nrs, days, juds, pools, r):
    """Per-row topic text from pooled noisy variants plus row-specific numbers, months, regions."""
    out = []
    for k in range(len(cats)):
        s = pools[cats[k]][pool_idx[k]]
        if "\x00" in s:
            s = s.replace("\x00", nrs[k])
        if "\x02" in s or "\x03" in s:
            d = int(days[k])
            s = s.replace("\x02", MONTHS[CAL_M[d] - 1]).replace("\x03", str(CAL_Y[d]))
        if "\x04" in s:
            j = juds[k]
            s = s.replace("\x04", j.translate(DIA) if r.random() < 0.5 else j)
        out.append(s)
    return out


def to_ts(day, minute):
    sec = (np.asarray(day, np.int64) * 1440 + np.asarray(minute, np.int64)) * 60
    return pd.DatetimeIndex(BASE + sec.astype("timedelta64[s]")).tz_localize(TZ, nonexistent="shift_forward")


def poisson_events(rng, rate, a, b):
    span = np.maximum(b - a, 0.0)
    n = rng.poisson(rate * span)
    idx = np.repeat(np.arange(len(a)), n)
    return idx, a[idx] + rng.random(idx.size) * span[idx]


def weekday_shift(rng, day, lo):
    dow = (day + 6) % 7                         # 2023-01-01 is a Sunday; Monday = 0
    back = np.where(dow == 6, rng.random(day.size) < 0.85, False) * 2
    back = back + np.where(dow == 5, rng.random(day.size) < 0.5, False)
    return np.maximum(day - back, lo)


def make_customers(rng, n):
    c = {}
    c["seg"] = rng.choice(len(SEGS), n, p=SEG_P)
    md = rng.random(n) < 0.24
    c["reg0"] = np.where(md, N_RO + rng.choice(len(MD), n, p=W_MD), rng.choice(N_RO, n, p=W_RO))
    # agents: 1-4 per region, proportional to weight
    w = np.concatenate([W_RO * 0.76, W_MD * 0.24])
    n_ag = np.maximum(1, np.round(w * 75)).astype(int)
    c["ag_start"] = np.concatenate([[0], np.cumsum(n_ag)[:-1]])
    c["ag_cnt"] = n_ag
    n_agents = n_ag.sum()
    dil_ag = rng.lognormal(0, 0.3, n_agents) * np.where(rng.random(n_agents) < 0.12, 0.45, 1.0)
    c["agent"] = c["ag_start"][c["reg0"]] + (rng.random(n) * c["ag_cnt"][c["reg0"]]).astype(int)
    c["no_agent"] = (c["seg"] == 5) & (rng.random(n) < 0.8)
    c["dil"] = np.where(c["no_agent"], 0.6, dil_ag[c["agent"]])
    pre = rng.random(n) < 0.6
    c["signup"] = np.where(pre, -rng.integers(1, 3650, n), rng.integers(0, 1065, n))
    c["start"] = np.maximum(c["signup"], 0).astype(float)
    c["act"] = rng.lognormal(0, 0.5, n)
    c["eng"] = rng.lognormal(0, 0.35, n)
    c["sat"] = rng.normal(0, 1, n)
    c["price"] = rng.random(n) < 0.15
    c["loyal"] = rng.random(n) < np.where(c["seg"] == 5, 0.5, 0.3)
    c["trend"] = np.clip(rng.normal(0, 0.12, n), -0.35, 0.35)
    c["size"] = SEG_AMT[c["seg"]] * rng.lognormal(0, 0.6, n)
    # referrals: a customer who signed up earlier recommended them
    order = np.argsort(c["signup"], kind="stable")
    rank = np.empty(n, int); rank[order] = np.arange(n)
    has = (rng.random(n) < 0.12) & (rank > 0)
    c["ref"] = np.full(n, -1)
    c["ref"][has] = order[(rng.random(has.sum()) * rank[has]).astype(int)]
    return c


def assign_churn(rng, c):
    n = len(c["seg"])
    lo = c["start"] + 60
    elig = lo < LAST_CHURN
    m = (c["dil"] ** -0.9 * np.where(c["price"], 1.35, 1.0) * SEG_CH[c["seg"]] * np.where(c["loyal"], 0.8, 1.0)
         * np.exp(-0.25 * c["sat"]) * np.where(c["signup"] > -365, 1.4, 1.0))
    expo = np.clip((LAST_CHURN - lo) / (LAST_CHURN - 60), 0, 1) * elig
    p = np.clip(m * expo * 0.28 * n / (m * expo).sum(), 0, 0.9)
    ch = elig & (rng.random(n) < p)
    D = np.full(n, 10 ** 6, float)
    D[ch] = np.floor(lo[ch] + rng.random(ch.sum()) * (LAST_CHURN + 1 - lo[ch]))
    c["churn"], c["D"] = ch, D
    c["end"] = np.where(ch, D, T_END)
    ref = c["ref"]
    ref_left = (ref >= 0) & ch[np.maximum(ref, 0)] & (D[np.maximum(ref, 0)] < D)
    M = np.column_stack([c["dil"] ** -1.0,
                         np.where(np.isin(c["seg"], [2, 3, 4]), 1.3, 1.0) * np.exp(-0.3 * c["sat"]),
                         np.where(c["price"], 3.0, 1.0) * np.where(c["loyal"], 0.6, 1.0),
                         1.0 + 5.0 * ref_left,
                         np.where(c["seg"] == 5, 3.0, 1.0)])[ch]
    b = SHARES.copy()
    for _ in range(12):                         # tilt per customer, keep the survey shares overall
        W = M * b / (M * b).sum(1, keepdims=True)
        b *= SHARES / W.mean(0)
    u = rng.random(ch.sum())[:, None]
    reason = np.full(n, -1)
    reason[ch] = (u > np.cumsum(W, 1)).sum(1).clip(0, 4)
    c["reason"] = reason
    # personal ties: often the referrer had left shortly before
    chi = np.flatnonzero(ch)
    for i in np.flatnonzero((reason == 3) & ~ref_left):
        if rng.random() < 0.45:
            cand = chi[(D[chi] < D[i] - 7) & (D[chi] > D[i] - 270) & (c["signup"][chi] < c["signup"][i])]
            if cand.size:
                c["ref"][i] = rng.choice(cand)
    # onset of the reason and how visible its traces are (0 = no trace at all)
    lead = np.array([[100, 300], [40, 200], [60, 200], [10, 60], [10, 60]], float)
    r = np.maximum(reason, 0)
    L = lead[r, 0] + rng.random(n) * (lead[r, 1] - lead[r, 0])
    c["O"] = np.where(ch, np.maximum(D - L, c["start"] + 15), 10 ** 6)
    absent = np.array([0.2, 0.15, 0.2, 1.0, 1.0])[r]
    c["s"] = np.where(ch & (rng.random(n) >= absent), 0.35 + 0.65 * rng.random(n), 0.0)


def plant_context(rng, c):
    n = len(c["seg"])
    ch, D, O, s, reason, start, end = c["churn"], c["D"], c["O"], c["s"], c["reason"], c["start"], c["end"]
    ind = (reason == 0) & (s > 0)
    # neglect windows: outbound touches drop to factor f
    c["ng_a"], c["ng_b"], c["ng_f"] = np.full(n, -1.0), np.full(n, -1.0), np.ones(n)
    c["ng_a"][ind], c["ng_b"][ind] = O[ind], D[ind]
    c["ng_f"][ind] = np.clip(1 - 0.85 * s[ind] + rng.normal(0, 0.05, ind.sum()), 0.05, 0.9)
    oth = ~ind & (rng.random(n) < 0.2)
    a = start + rng.random(n) * np.maximum(end - 30 - start, 0)
    c["ng_a"][oth] = a[oth]
    c["ng_b"][oth] = a[oth] + rng.uniform(45, 270, n)[oth]
    c["ng_f"][oth] = rng.uniform(0.1, 0.6, n)[oth]
    # agent hand-over
    chg = np.full(n, np.nan)
    sel = ind & (rng.random(n) < 0.55)
    chg[sel] = (O + rng.uniform(-15, 30, n))[sel]
    sel2 = ~ind & (rng.random(n) < 0.15) & ~c["no_agent"]
    chg[sel2] = np.where(oth & (rng.random(n) < 0.5), c["ng_a"], start + 30 + rng.random(n) * (end - start - 35))[sel2]
    chg[(chg >= end) | (chg < start)] = np.nan
    c["chg"] = chg
    # moves: moved_or_died churners (60% moved, rest closed / died) and ordinary movers
    modc = reason == 4
    moved = modc & (rng.random(n) < 0.6)
    c["closed"] = modc & ~moved
    mv_st = ~modc & (rng.random(n) < 0.035) & (end - start > 60)
    mv = np.full(n, np.nan)
    mv[moved] = np.maximum(D - rng.uniform(7, 60, n), start + 1)[moved]
    mv[mv_st] = (start + 30 + rng.random(n) * (end - start - 40))[mv_st]
    c["mv"] = mv
    is_md = c["reg0"] >= N_RO
    cross = rng.random(n) < 0.12
    to_md = np.where(cross, ~is_md, is_md)
    new = np.where(to_md, N_RO + rng.choice(len(MD), n, p=W_MD), rng.choice(N_RO, n, p=W_RO))
    same = new == c["reg0"]
    new[same] = np.where(new[same] >= N_RO, (new[same] - N_RO + 1) % len(MD) + N_RO, (new[same] + 1) % N_RO)
    c["reg1"] = new
    has_mv = ~np.isnan(mv)
    upd = has_mv & (rng.random(n) < np.where(modc, 0.7, 0.9))
    c["reg_now"] = np.where(upd, new, c["reg0"])
    # current account manager in the CRM
    reg = c["reg_now"]
    agent = c["agent"].copy()
    re = ~np.isnan(chg) & ~upd                  # hand-over to another agent of the same region
    cnt = c["ag_cnt"][reg[re]]
    off = agent[re] - c["ag_start"][reg[re]] + 1 + (rng.random(re.sum()) * np.maximum(cnt - 1, 1)).astype(int)
    agent[re] = c["ag_start"][reg[re]] + off % cnt
    agent[upd] = c["ag_start"][reg[upd]] + (rng.random(upd.sum()) * c["ag_cnt"][reg[upd]]).astype(int)
    vac = ~np.isnan(chg) & (rng.random(n) < np.where(ind, 0.25, 0.08))
    mgr = np.array(["AG%03d" % (a + 1) for a in agent], dtype=object)
    mgr[c["no_agent"] | vac] = None
    c["mgr"] = mgr


def make_orders(rng, c):
    seg, end, D, O, s, reason = c["seg"], c["end"], c["D"], c["O"], c["s"], c["reason"]
    lam = SEG_ORD[seg] / 30.44 * c["act"]
    idx, t = poisson_events(rng, lam * 1.6, c["start"], end)
    first_t = c["start"] + rng.uniform(0, 40, len(seg))
    ok = first_t < end
    idx = np.concatenate([idx, np.flatnonzero(ok)])
    t = np.concatenate([t, first_t[ok]])
    forced = np.arange(idx.size) >= idx.size - ok.sum()
    r = reason[idx]
    acc = (1 + SEG_SEAS[seg[idx]] * np.cos(2 * np.pi * (t - 20) / 365.25)) * np.exp(c["trend"][idx] * (t - 548) / 365)
    TL = np.array([150, 90, 100, 40, 12.0])[np.maximum(r, 0)]
    taper = np.clip(0.25 + 0.75 * (D[idx] - t) / TL, 0.25, 1.0)
    acc *= np.where(r >= 0, taper, 1.0)
    inw = t >= O[idx]
    acc *= np.where((r == 2) & inw, 1 - 0.25 * s[idx], 1.0)
    acc *= np.where(t >= np.nan_to_num(c["mv"][idx], nan=1e9), 0.6, 1.0)
    keep = forced | (rng.random(idx.size) < acc / 1.6)
    idx, t, r, inw = idx[keep], t[keep], r[keep], inw[keep]
    day = weekday_shift(rng, np.floor(t).astype(np.int64), np.floor(c["start"][idx]).astype(np.int64))
    si = s[idx]
    prog = np.clip((t - O[idx]) / np.maximum(D[idx] - O[idx], 1), 0, 1)
    amt = c["size"][idx] * rng.lognormal(0, 0.55, idx.size) * np.exp(c["trend"][idx] * (t - 548) / 365)
    amt *= np.where((r == 2) & inw, 1 - 0.55 * si * prog, 1.0) * np.where((r == 1) & inw, 0.9, 1.0)
    pdisc = np.where(c["price"][idx], 0.55, 0.12) + 0.1 * c["loyal"][idx]
    pdisc = np.where((r == 2) & inw, np.maximum(pdisc, 0.45 + 0.45 * si * prog), pdisc)
    disc_hi = c["price"][idx] | ((r == 2) & inw)
    frac = np.where(disc_hi, rng.uniform(0.05, 0.2, idx.size), rng.uniform(0.02, 0.1, idx.size))
    disc = np.where(rng.random(idx.size) < pdisc, np.round(amt * frac, 2), 0.0)
    reg = np.where(t >= np.nan_to_num(c["mv"][idx], nan=1e9), c["reg1"][idx], c["reg0"][idx])
    # returns: expired / damaged goods as credit notes
    pret = 0.012 + np.where((r == 1) & inw, 0.03 + 0.08 * si, 0.0)
    rs = rng.random(idx.size) < pret
    rday = day[rs] + rng.integers(2, 26, rs.sum())
    rok = rday < end[idx[rs]]
    o = pd.DataFrame({"i": idx, "day": day, "amount": np.round(amt, 2), "discount_amount": disc,
                      "returned": False, "reg": reg})
    rt = pd.DataFrame({"i": idx[rs][rok], "day": rday[rok],
                       "amount": -np.round(amt[rs][rok] * rng.uniform(0.05, 0.6, rok.sum()), 2),
                       "discount_amount": 0.0, "returned": True, "reg": reg[rs][rok]})
    return o, rt


def make_complaints(rng, c):
    n = len(c["seg"])
    start, end, O, D, s, reason = c["start"], c["end"], c["O"], c["D"], c["s"], c["reason"]
    parts = []

    def add(rate, a, b, cats, p, hard):
        i, t = poisson_events(rng, rate / 30.44, a, b)
        parts.append((i, t, rng.choice(cats, i.size, p=p), np.full(i.size, hard)))

    segf = np.array([1.2, 1.5, 1.0, 0.7, 0.8, 0.5])[c["seg"]]
    add(0.022 * segf, start, end, [0, 1, 2, 3, 4], [0.2, 0.15, 0.1, 0.4, 0.15], False)
    w = np.where(reason == 1, s, 0.0)
    add(0.45 * w, np.minimum(O, end), end, [0, 1], [0.65, 0.35], True)
    add(0.22 * np.where(reason == 2, s, 0.0), np.minimum(O, end), end, [2], [1.0], False)
    add(0.06 * np.where(reason == 0, s, 0.0), np.minimum(O, end), end, [1], [1.0], False)
    add(0.03 * c["price"], start, end, [2], [1.0], False)
    ng = (c["ng_a"] >= 0) & (reason != 0)
    add(0.04 * ng, np.where(ng, c["ng_a"], 0), np.where(ng, np.minimum(c["ng_b"], end), 0), [1], [1.0], False)
    i = np.concatenate([p[0] for p in parts]); t = np.concatenate([p[1] for p in parts])
    cat = np.concatenate([p[2] for p in parts]); hard = np.concatenate([p[3] for p in parts])
    day = np.floor(t).astype(np.int64)
    minute = rng.integers(8 * 60, 18 * 60, i.size)
    res = rng.random(i.size) < np.where(hard, 0.55, 0.93)
    dur = np.where(hard, rng.lognormal(np.log(8), 1.0, i.size), rng.lognormal(np.log(2.5), 1.0, i.size))
    rt = day + minute / 1440 + dur
    res &= rt < 1095.98
    return pd.DataFrame({"i": i, "day": day, "minute": minute, "cat": cat, "res": res, "dur": dur,
                         "hard": hard})


def make_contacts(rng, c, orders, comp):
    n = len(c["seg"])
    seg, start, end, D, O, s, reason = c["seg"], c["start"], c["end"], c["D"], c["O"], c["s"], c["reason"]
    ng_a, ng_b, ng_f = c["ng_a"], c["ng_b"], c["ng_f"]
    I, TT, DIR, CAT = [], [], [], []

    def put(i, t, out, cat):
        I.append(np.asarray(i)); TT.append(np.asarray(t, float)); DIR.append(np.full(len(i), out))
        CAT.append(np.asarray(cat) if np.ndim(cat) else np.full(len(i), cat))

    def once(k, t, out, cat):
        put(np.flatnonzero(k), t[k], out, CI[cat])

    def inwin(i, t):
        return (t >= ng_a[i]) & (t < ng_b[i])

    # outbound routine: visits, offers, collections, admin; thinned in neglect windows
    i, t = poisson_events(rng, SEG_OUT[seg] / 30.44 * c["dil"] * c["eng"], start, end)
    k = rng.random(i.size) < np.where(inwin(i, t), ng_f[i], 1.0)
    i, t = i[k], t[k]
    ind_ = seg[i] == 5
    cat = np.where(ind_, rng.choice([CI["oferta"], CI["admin"]], i.size, p=[0.85, 0.15]),
                   rng.choice([CI["vizita"], CI["oferta"], CI["incasari"], CI["admin"]], i.size,
                              p=[0.38, 0.27, 0.17, 0.18]))
    put(i, t, True, cat)
    # post-delivery follow-up calls
    oi, od = orders["i"].to_numpy(), orders["day"].to_numpy().astype(float)
    pf = 0.09 * np.minimum(c["dil"][oi], 1.5) * np.where(inwin(oi, od), ng_f[oi] * 0.3, 1.0) * (seg[oi] != 5)
    k = rng.random(oi.size) < pf
    ft = od[k] + rng.uniform(1, 6, k.sum())
    put(oi[k][ft < T_END], ft[ft < T_END], True, CI["followup"])
    # agent hand-over meeting, win-back calls after churn
    ht = c["chg"] + rng.uniform(0, 25, n)
    once(~np.isnan(c["chg"]) & (rng.random(n) < 0.7) & (ht < end), ht, True, "agent_nou")
    for p in (0.4, 0.15):
        wt = D + rng.uniform(15, 120, n)
        once(c["churn"] & (rng.random(n) < p) & (wt < T_END) & ~c["closed"], wt, True, "winback")
    # inbound routine requests
    i, t = poisson_events(rng, SEG_IN[seg] / 30.44 * c["eng"], start, end)
    put(i, t, False, rng.choice([CI[x] for x in ["stoc", "factura", "livrare", "comanda", "retur_exp", "documente"]],
                                i.size, p=[0.28, 0.2, 0.24, 0.12, 0.06, 0.1]))
    # complaints are usually phoned / mailed in first
    cmap = np.array([CI["calitate"], CI["service_bad"], CI["pret"], CI["livrare"], CI["factura"]])
    k = rng.random(len(comp)) < 0.6
    put(comp["i"].to_numpy()[k], comp["day"].to_numpy()[k] + 0.3, False, cmap[comp["cat"].to_numpy()[k]])

    def extra(rate, a, b, cats, p):
        i, t = poisson_events(rng, rate / 30.44, a, b)
        put(i, t, False, rng.choice([CI[x] for x in cats], i.size, p=p))

    Oe = np.minimum(O, end)
    extra(0.03 * np.ones(n), start, end, ["calitate"], [1.0])
    extra(0.5 * np.where(reason == 1, s, 0), Oe, end, ["calitate", "service_bad"], [0.7, 0.3])
    extra(0.6 * np.where(reason == 2, s, 0), Oe, end, ["pret", "concurenta"], [0.55, 0.45])
    extra(0.1 * c["price"], start, end, ["pret", "concurenta"], [0.7, 0.3])
    extra(0.008 * np.ones(n), start, end, ["concurenta"], [1.0])
    extra(0.3 * np.where(reason == 0, s, 0), Oe, end, ["fara_raspuns"], [1.0])
    ng = (ng_a >= 0) & (reason != 0)
    extra(0.12 * ng, np.where(ng, ng_a, 0), np.where(ng, np.minimum(ng_b, end), 0), ["fara_raspuns"], [1.0])
    # relocation, closure, relatives
    once(~np.isnan(c["mv"]) & (rng.random(n) < 0.55), np.maximum(c["mv"] - rng.uniform(0, 25, n), start), False,
         "mutare")
    once(c["closed"] & (rng.random(n) < 0.35), np.minimum(D + rng.uniform(-25, 10, n), T_END - 1), False, "inchidere")
    once((reason == 3) & (rng.random(n) < 0.12), np.maximum(D - rng.uniform(0, 60, n), start), False, "rude")
    once(~c["churn"] & (rng.random(n) < 0.003), start + rng.random(n) * (end - start), False, "rude")

    i = np.concatenate(I); t = np.concatenate(TT); out = np.concatenate(DIR); cat = np.concatenate(CAT)
    day = weekday_shift(rng, np.floor(t).astype(np.int64), np.floor(start[i]).astype(np.int64))
    m = i.size
    ch = np.empty(m, dtype=object)
    for name, (opts, p) in CHAN.items():
        sel = out & (cat == CI[name])
        ch[sel] = np.asarray(opts, dtype=object)[rng.choice(len(opts), sel.sum(), p=p)]
    sel = ~out
    ch[sel] = np.asarray(CHAN_IN[0], dtype=object)[rng.choice(4, sel.sum(), p=CHAN_IN[1])]
    ch[(ch == "meeting") & (seg[i] == 5)] = "call"
    minute = np.where(ch == "email", rng.integers(7 * 60, 22 * 60, m), rng.integers(8 * 60, 18 * 60, m))
    # answering inbound requests: slow or missing in neglect windows and with lazy agents
    w = inwin(i, t)
    f = np.where(w, ng_f[i], 1.0)
    dil = c["dil"][i]
    p_ans = np.clip(0.96 - 0.5 * (1 - f) - 0.04 * (dil < 0.6), 0.2, 0.99)
    answered = ~out & (rng.random(m) < p_ans)
    mu = np.log(np.where(ch == "call", 0.4, 3.0)) + 0.5 * np.clip(1 / dil - 1, -0.5, 2) + 2.3 * (1 - f)
    hrs = np.round(rng.lognormal(mu, 1.0), 1)
    # topic text
    r = random.Random(int(rng.integers(1 << 30)))
    K = np.clip(np.bincount(cat, minlength=len(CATS)) // 3, 50, None)   # noisy variants per topic kind
    pools = {CI[k]: [render(k, r) for _ in range(K[CI[k]])] for k in CATS}
    pidx = (rng.random(m) * K[cat]).astype(int)
    nrs = [str(x) for x in rng.integers(10000, 9999999, m)]
    nrs = [("2024/" + x[-5:] if x[0] in "12" else x) for x in nrs]
    reg_t = np.where(t >= np.nan_to_num(c["mv"][i], nan=1e9), c["reg1"][i], c["reg_now"][i])
    reg_t = np.where(cat == CI["mutare"], c["reg1"][i], reg_t)
    juds = [REGIONS[x] for x in reg_t]
    topic = np.array(fill(pidx, cat, nrs, day, juds, pools, r), dtype=object)
    em = (~out) & (ch == "email")
    pre = np.array(["", "Re: ", "RE: ", "Re: Re: ", "Fwd: ", "FW: ", "re: "], dtype=object)
    topic[em] = pre[rng.choice(7, em.sum(), p=[0.72, 0.12, 0.06, 0.03, 0.03, 0.02, 0.02])] + topic[em]
    tk = em & (rng.random(m) < 0.12)
    topic[tk] = topic[tk] + " [tichet #" + rng.integers(100000, 999999, tk.sum()).astype(str).astype(object) + "]"
    return pd.DataFrame({"i": i, "day": day, "minute": minute, "direction": np.where(out, "outbound", "inbound"),
                         "channel": ch, "topic": topic,
                         "answered": pd.array(np.where(out, None, answered), dtype="boolean"),
                         "response_hours": np.where(answered, hrs, np.nan)})


def make_surveys(rng, c, comp):
    n = len(c["seg"])
    start, end, D, O, s, reason = c["start"], c["end"], c["D"], c["O"], c["s"], c["reason"]
    waves = [(pd.Timestamp(f"{y}-{m:02d}-10") - pd.Timestamp("2023-01-01")).days
             for y in (2023, 2024, 2025) for m in (3, 6, 9, 12)]
    ck = np.sort(comp["i"].to_numpy().astype(np.int64) * 4096 + comp["day"].to_numpy())
    rows = []
    for w in waves:
        el = np.flatnonzero((start <= w) & (end > w))
        ngw = (w >= c["ng_a"][el]) & (w < c["ng_b"][el])
        resp = rng.random(el.size) < 0.2 * np.sqrt(c["eng"][el]) * np.where(ngw, 0.6, 1.0)
        e = el[resp]
        ngw = ngw[resp]
        inw = w >= O[e]
        sc = 7.4 + 1.3 * c["sat"][e] + rng.normal(0, 1.3, e.size)
        sc -= np.where((reason[e] == 1) & inw, 1.5 + 3.0 * s[e], 0) * (s[e] > 0)
        sc -= np.where((reason[e] == 1) & inw & (s[e] == 0), 0.6, 0)
        sc -= np.where((reason[e] == 0) & inw, 1.6 * s[e], 0) + np.where((reason[e] == 2) & inw, 0.9 * s[e], 0)
        sc -= np.where(ngw & (reason[e] != 0), 0.8 * (1 - c["ng_f"][e]), 0)
        recent = np.searchsorted(ck, e * 4096 + w) - np.searchsorted(ck, e * 4096 + w - 90)
        sc -= 0.8 * np.minimum(recent, 3)
        rows.append(pd.DataFrame({"i": e, "day": np.minimum(w + rng.integers(0, 21, e.size), end[e] - 1),
                                  "kind": "pulse",
                                  "score": np.clip(np.round(sc), 0, 10), "reason": None}))
    # exit questionnaire, answered by some churners after they left
    ch = c["churn"]
    pr = np.array([0.25, 0.4, 0.3, 0.3, 0.2])[np.maximum(reason, 0)]
    ed = D + rng.uniform(5, 60, n)
    k = np.flatnonzero(ch & (rng.random(n) < pr) & (ed < T_END - 0.5))
    conf = np.array([[0.50, 0.10, 0.30, 0.05, 0.05], [0.10, 0.70, 0.15, 0.03, 0.02],
                     [0.10, 0.08, 0.75, 0.05, 0.02], [0.15, 0.05, 0.25, 0.50, 0.05],
                     [0.03, 0.02, 0.05, 0.05, 0.85]])
    cum = np.cumsum(conf[reason[k]], 1)
    rep = (rng.random(k.size)[:, None] > cum).sum(1).clip(0, 4)
    sc = np.where(reason[k] == 1, rng.integers(0, 5, k.size), rng.integers(2, 8, k.size))
    rows.append(pd.DataFrame({"i": k, "day": np.floor(ed[k]).astype(int), "kind": "exit", "score": sc,
                              "reason": np.array(REASONS, dtype=object)[rep]}))
    return pd.concat(rows, ignore_index=True)


CMP_TXT = {0: "calitate", 1: "service_bad", 2: "pret_cmp", 3: "livrare_cmp", 4: "altele_cmp"}
NAMES_F = ["Sf. Maria", "Hygeia", "Arnica", "Salvia", "Vitalis", "Remedium", "Aloe", "Tilia", "Galenica",
           "Panaceea", "Sănătatea", "Centaurea", "Levănțica", "Mușețel", "Dacia", "Iris", "Farmavita"]
LAST = ["Popescu", "Ionescu", "Rusu", "Ciobanu", "Munteanu", "Lungu", "Moldovan", "Dumitru", "Stan",
        "Rotaru", "Cojocaru", "Ursu", "Sârbu", "Țurcanu", "Balan", "Stoica", "Gheorghe", "Lupu"]
FIRST = ["Maria", "Elena", "Ion", "Andrei", "Ana", "Mihai", "Ioana", "Vasile", "Cristina", "Gheorghe",
         "Natalia", "Alexandru", "Tatiana", "Dan", "Olga", "Irina"]


def names(rng, seg):
    r = random.Random(int(rng.integers(1 << 30)))
    mk = [lambda: r.choice(["Farmacia ", "SC ", "Farmacia "]) + r.choice(NAMES_F) + r.choice([" SRL", " Farm SRL"]),
          lambda: "Farmacia " + r.choice(NAMES_F) + r.choice([" SRL", " Grup SRL"]),
          lambda: "Clinica " + r.choice(NAMES_F + ["Dr. " + r.choice(LAST)]) + " SRL",
          lambda: "CMI Dr. " + r.choice(LAST) + " " + r.choice(FIRST),
          lambda: "Cabinet Stomatologic Dr. " + r.choice(LAST), lambda: r.choice(LAST) + " " + r.choice(FIRST)]
    return [mk[g]() for g in seg]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for k, kw in (("--out", dict(required=True)), ("--customers", dict(type=int, default=50000)),
                  ("--seed", dict(type=int, default=1))):
        ap.add_argument(k, **kw)
    a = ap.parse_args()
    save = lambda df, name: df.to_parquet(os.path.join(a.out, name + ".parquet"), index=False)  # noqa: E731
    t0 = time.time()
    rng = np.random.default_rng(a.seed)
    os.makedirs(a.out, exist_ok=True)
    c = make_customers(rng, a.customers)
    assign_churn(rng, c)
    plant_context(rng, c)
    n = a.customers
    num = rng.choice(np.arange(100000, 999999), n, replace=False)
    cid = np.array([("MD" if g >= N_RO else "RO") + str(x) for g, x in zip(c["reg0"], num)], dtype=object)

    orders, rets = make_orders(rng, c)
    comp = make_complaints(rng, c)
    # quality complaints often end in a credit note
    q = comp[(comp["cat"] == 0) & (rng.random(len(comp)) < 0.4)]
    qd = q["day"].to_numpy() + rng.integers(1, 10, len(q))
    qi = q["i"].to_numpy()
    ok = qd < c["end"][qi]
    qreg = np.where(qd >= np.nan_to_num(c["mv"][qi], nan=1e9), c["reg1"][qi], c["reg0"][qi])
    rets2 = pd.DataFrame({"i": qi[ok], "day": qd[ok],
                          "amount": -np.round(c["size"][qi[ok]] * rng.lognormal(-1.2, 0.6, ok.sum()), 2),
                          "discount_amount": 0.0, "returned": True, "reg": qreg[ok]})
    o = pd.concat([orders, rets, rets2], ignore_index=True)
    o["minute"] = rng.integers(7 * 60 + 30, 19 * 60, len(o))
    o = o.sort_values(["day", "minute"], kind="stable").reset_index(drop=True)
    oid = np.where(o["returned"], "STR", "CMD")
    save(pd.DataFrame({"order_id": oid + pd.Series(np.arange(1, len(o) + 1)).astype(str).str.zfill(8).to_numpy(),
                  "customer_id": cid[o["i"].to_numpy()],
                  "ordered_at": to_ts(o["day"].to_numpy(), o["minute"].to_numpy()),
                  "amount": o["amount"].to_numpy(), "discount_amount": o["discount_amount"].to_numpy(),
                  "returned": o["returned"].to_numpy(),
                  "region": np.array(REGIONS, dtype=object)[o["reg"].to_numpy()]}), "orders")

    save(pd.DataFrame({"customer_id": cid, "denumire": names(rng, c["seg"]),
                       "signed_up_at": to_ts(c["signup"], rng.integers(8 * 60, 17 * 60, n)),
                       "segment": np.array(SEGS, dtype=object)[c["seg"]],
                       "region": np.array(REGIONS, dtype=object)[c["reg_now"]],
                       "tara": np.where(c["reg_now"] >= N_RO, "MD", "RO"),
                       "loyalty_member": c["loyal"],
                       "referred_by": np.where(c["ref"] >= 0, cid[np.maximum(c["ref"], 0)], None),
                       "manager_id": c["mgr"]}), "customers")

    ct = make_contacts(rng, c, orders, comp)
    ct = ct.sort_values(["day", "minute"], kind="stable")
    save(pd.DataFrame({"customer_id": cid[ct["i"].to_numpy()],
                  "contacted_at": to_ts(ct["day"].to_numpy(), ct["minute"].to_numpy()),
                  "direction": ct["direction"].to_numpy(), "channel": ct["channel"].to_numpy(),
                  "topic": ct["topic"].to_numpy(), "answered": ct["answered"].array,
                  "response_hours": ct["response_hours"].to_numpy()}), "contacts")

    r = random.Random(int(rng.integers(1 << 30)))
    cat = comp["cat"].to_numpy()
    K = np.clip(np.bincount(cat, minlength=5) // 3, 50, None)
    pools = {k: [render(v, r) for _ in range(K[k])] for k, v in CMP_TXT.items()}
    desc = fill((rng.random(len(comp)) * K[cat]).astype(int), cat, [str(x) for x in rng.integers(10000, 999999, len(comp))],
                comp["day"].to_numpy(), ["" for _ in range(len(comp))], pools, r)
    op = to_ts(comp["day"].to_numpy(), comp["minute"].to_numpy())
    resolved = (op + pd.to_timedelta(np.round(comp["dur"].to_numpy() * 1440), unit="min")).where(comp["res"].to_numpy())
    save(pd.DataFrame({"complaint_id": ["RCL-%06d" % (k + 1) for k in range(len(comp))],
                            "customer_id": cid[comp["i"].to_numpy()], "opened_at": op,
                            "category": np.array(["quality", "service", "price", "delivery", "other"])[cat],
                            "resolved_at": resolved, "descriere": desc}).sort_values("opened_at"), "complaints")

    sv = make_surveys(rng, c, comp)
    save(pd.DataFrame({"customer_id": cid[sv["i"].to_numpy()],
                  "answered_at": to_ts(sv["day"].to_numpy(), rng.integers(8 * 60, 21 * 60, len(sv))),
                  "kind": sv["kind"].to_numpy(), "score": sv["score"].to_numpy().astype(float),
                  "reason": sv["reason"].to_numpy()}), "surveys")

    chi = np.flatnonzero(c["churn"])
    churned_at = (BASE + (c["D"][chi].astype(np.int64) * 86400).astype("timedelta64[s]")).astype("datetime64[D]")
    pd.DataFrame({"customer_id": cid[chi], "churned_at": churned_at.astype(str),
                  "true_reason": np.array(REASONS)[c["reason"][chi]]}).to_csv(os.path.join(a.out, "truth.csv"), index=False)
    print(f"customers={n} orders={len(o)} contacts={len(ct)} complaints={len(comp)} surveys={len(sv)} "
          f"churners={len(chi)} in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
