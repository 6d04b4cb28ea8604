#!/usr/bin/env python3
"""Synthetic CRM of "Jadran Gastro Opskrba d.o.o." -- a Croatian HoReCa food & drink wholesaler.

Design note
-----------
The company delivers beverages (beer in kegs, coffee, juices, water, wine), dairy, frozen food and
dry goods to hotels, restaurants, konobe, cafes, beach bars, campsites and caterers, on the coast
(Istra, Kvarner, Dalmacija) and inland (Zagreb, sjever, Slavonija). Regions are the zupanije.
Each customer has an account manager (komercijalist, manager_id = CRM user name). Business is
strongly seasonal: coastal customers order 3-4x more in July/August than in winter and many
coastal objects (beach barovi, kampovi, part of konobe/hoteli) are closed Nov-Mar and order
nothing then -- a real CRM's trap: a silent coastal account in November is usually NOT a churner.
Inland cafes peak in December (Advent). Amounts are in EUR (Croatia adopted the euro 2023-01-01).

Tables (Parquet, timestamps tz-aware Europe/Zagreb): customers, orders (returns are separate
credit rows with negative amount and returned=true), contacts (both directions, free-text topic in
Croatian as people really type it: often without diacritics, typos, "Re:", mixed case, some
English), complaints (formal reklamacije opened from some inbound contacts, ticket numbers that
also appear in the contact topic), surveys (pulse after/before each season, exit after leaving).

Every customer lives a monthly life: expected orders = frequency x season x trend x gamma noise.
A churner stops on churned_at (no orders on or after it) and, before that, lives through a
reason-specific "episode" window whose traces are mixed with the same kinds of traces among
stayers (stayers get random background episodes of neglect, quality trouble, price hunting and
relocations; some stayers pause for renovation; 15% of churners show no trace at all):

* indifference (67%): months of silence from the company -- outbound visits/calls/offers fall to
  ~15%, inbound requests are answered late or not at all, "jos cekamo povratni poziv" messages.
  Churners of this kind sit more often with weak komercijalisti and with customers re-assigned
  after a komercijalist left the company (gap in contact, then "novi komercijalist" intro).
  Orders fade slowly over 4-12 months (a symptom, shared by all reasons).
* product_quality (15%): reklamacije (quality/service) in contacts and complaints, returns,
  complaints left open or resolved slowly, low pulse scores; stops fairly abruptly.
* competitor (9%): price complaints, "Metro/Stanic nudi jeftinije", discount requests, orders
  bought more and more with discounts, basket shrinking (they split purchases with a rival).
* personal_ties (5%): weak signals only -- half were referred by a customer who already left;
  a few mention a relative/friend in the trade ("sogor otvorio distribuciju").
* moved_or_died (4%): ~60% relocate (orders delivered to a new zupanija for a few weeks, region
  updated in the customer card in most cases, "nova adresa dostave"), the rest close, sell or
  the owner dies/retires ("zatvaramo objekt", "vlasnik preminuo"); no region change then.
Exit surveys are answered by a minority of churners after they left; the stated reason is the true
one only 55-90% of the time (neglected customers often say "competitor"). Pulse surveys run every
April and October with ~28% response.
"""
import argparse
import os
import random
import time

import numpy as np
import pandas as pd

REASONS = ["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"]
SHARES = [0.67, 0.15, 0.09, 0.05, 0.04]
IND, PQ, COMP, PT, MOV = range(5)
TZ = "Europe/Zagreb"
END = 1095  # day index of 2025-12-31 (day 0 = 2023-01-01)

# (name, coastal, manager group, weight)
REGIONS = [("Istarska", 1, 0, .10), ("Primorsko-goranska", 1, 0, .09), ("Ličko-senjska", 1, 0, .02),
           ("Zadarska", 1, 1, .08), ("Šibensko-kninska", 1, 1, .05), ("Splitsko-dalmatinska", 1, 2, .15),
           ("Dubrovačko-neretvanska", 1, 3, .07), ("Grad Zagreb", 0, 4, .18), ("Zagrebačka", 0, 4, .04),
           ("Karlovačka", 0, 4, .015), ("Sisačko-moslavačka", 0, 4, .012), ("Krapinsko-zagorska", 0, 5, .02),
           ("Varaždinska", 0, 5, .025), ("Međimurska", 0, 5, .018), ("Koprivničko-križevačka", 0, 5, .012),
           ("Bjelovarsko-bilogorska", 0, 5, .01), ("Osječko-baranjska", 0, 6, .035),
           ("Vukovarsko-srijemska", 0, 6, .012), ("Brodsko-posavska", 0, 6, .012),
           ("Požeško-slavonska", 0, 6, .007), ("Virovitičko-podravska", 0, 6, .006)]
# (segment, share, orders/month, basket EUR, P(closed in winter | coastal), coastal only)
SEGMENTS = [("Kafić", .30, 2.6, 240, .15, 0), ("Restoran", .20, 3.0, 620, .30, 0), ("Konoba", .08, 2.6, 450, .45, 0),
            ("Pizzeria", .06, 2.8, 380, .25, 0), ("Hotel", .10, 4.5, 2400, .35, 0), ("Beach bar", .06, 3.5, 480, 1., 1),
            ("Kamp", .03, 3.5, 1300, 1., 1), ("Catering", .05, 1.8, 850, .2, 0), ("Slastičarnica", .05, 2.2, 290, .3, 0),
            ("Noćni klub", .03, 1.8, 1000, .4, 0), ("Pekara", .04, 3.0, 200, .1, 0)]
S_INL = np.array([.85, .85, .95, 1, 1.05, 1, .85, .75, 1, 1.05, 1.05, 1.35])
S_COAST = np.array([.55, .55, .7, .9, 1.1, 1.45, 1.8, 1.8, 1.3, .85, .55, .7])
S_SEAS = np.array([.02, .02, .06, .5, 1.1, 1.7, 2.1, 2.1, 1.3, .45, .03, .03])

FIRST = "ivan marko ante josip luka tomislav nikola mario ivana ana marija petra lucija maja kristina martina".split()
LAST = "horvat kovačević babić marić jurić novak knežević vuković perić matić pavlović šarić tomić bašić grgić".split()
NAMES = "Luka|Mala Kuća|Tri Ribara|Kod Ante|Stari Mlin|Galija|Bonaca|Lanterna|Škoji|Pergola|Maestral|Bura|" \
        "Bistro Centar|Fontana|Kaštel|Riva|Plavi Podrum|Zagorski Dvori|Slavonska Kuća|Korzo|Vidikovac|Mornar".split("|")

PRODUCTS = [("mlijeko", "mlijeko", "mlijeka"), ("trajno mlijeko", "trajno mlijeko", "trajnog mlijeka"),
            ("kava", "kavu", "kave"), ("espresso kava", "espresso kavu", "espresso kave"),
            ("Ožujsko", "Ožujsko", "Ožujskog"), ("Karlovačko", "Karlovačko", "Karlovačkog"),
            ("točeno pivo", "točeno pivo", "točenog piva"), ("bačva piva", "bačvu piva", "bačve piva"),
            ("Jamnica", "Jamnicu", "Jamnice"), ("Jana", "Janu", "Jane"), ("Cedevita", "Cedevitu", "Cedevite"),
            ("Coca-Cola", "Coca-Colu", "Coca-Cole"), ("sok od naranče", "sok od naranče", "soka od naranče"),
            ("graševina", "graševinu", "graševine"), ("malvazija", "malvaziju", "malvazije"),
            ("prošek", "prošek", "prošeka"), ("led", "led", "leda"), ("sladoled", "sladoled", "sladoleda"),
            ("pomfrit", "pomfrit", "pomfrita"), ("smrznute lignje", "smrznute lignje", "smrznutih lignji"),
            ("maslinovo ulje", "maslinovo ulje", "maslinovog ulja"), ("brašno", "brašno", "brašna"),
            ("vrhnje", "vrhnje", "vrhnja"), ("sir", "sir", "sira"), ("pršut", "pršut", "pršuta"),
            ("tonic", "tonic", "tonica"), ("salvete", "salvete", "salveta"), ("šlag", "šlag", "šlaga")]
RIVALS = [("Metro", "Metra", "Metru"), ("Stanić", "Stanića", "Staniću"), ("Bakmaz", "Bakmaza", "Bakmazu"),
          ("Gastro Plus", "Gastro Plusa", "Gastro Plusu"), ("Horeca Partner", "Horeca Partnera", "Horeca Partneru"),
          ("Jadran Trade", "Jadran Tradea", "Jadran Tradeu"), ("Velpro", "Velpra", "Velpru")]
TOWNS = [("Split", "Split"), ("Zadar", "Zadar"), ("Rijeka", "Rijeku"), ("Pula", "Pulu"), ("Poreč", "Poreč"),
         ("Rovinj", "Rovinj"), ("Šibenik", "Šibenik"), ("Makarska", "Makarsku"), ("Dubrovnik", "Dubrovnik"),
         ("Opatija", "Opatiju"), ("Osijek", "Osijek"), ("Varaždin", "Varaždin"), ("Zagreb", "Zagreb"),
         ("Karlovac", "Karlovac"), ("Čakovec", "Čakovec"), ("Trogir", "Trogir"), ("Novalja", "Novalju"),
         ("Crikvenica", "Crikvenicu"), ("Umag", "Umag"), ("Vodice", "Vodice")]
DAYS = ["ponedjeljak", "utorak", "srijedu", "četvrtak", "petak", "subotu", "sutra"]

# topic templates per contact category; {god} is filled per row with the contact's (season) year
T = {
 "visit": """Obilazak objekta|redovni obilazak - {grad}|Posjet kupcu, dogovor oko {pg} za sezonu|sastanak s vlasnikom
 |meeting s voditeljem nabave|kratki poziv, kako ide posao|provjera zaliha i narudžbe za {dan}|obišao lokal, sve ok
 |Posjet: predstavljen novi asortiman vina|kava s vlasnikom - razgovor o suradnji|check-in poziv
 |tel. kontakt - sve u redu, nema primjedbi|dogovor oko hladnjaka i reklamnog materijala|teren {grad} - obilazak kupaca
 |sastanak: plan narudžbi za idući mjesec|degustacija vina kod kupca|posjet, donio uzorke {pg}
 |razgovor sa šefom sale oko karte pića|obilazak + kontrola točionika""",
 "offer": """Novi cjenik {god}|Akcija {pn} -{pct}%|ponuda za sezonu {god}|ponuda {pg} - akcijska cijena
 |Promo: {pn} po akcijskoj cijeni do kraja mjeseca|šaljem cjenik, molim potvrdu|nova ponuda vina {god}|Ljetna akcija pića
 |offer za predsezonu {god}|Božićna ponuda|Advent ponuda - kuhano vino i punč|newsletter - novosti u asortimanu
 |katalog novih proizvoda {god}|ponuda sladoled + led za ljeto|akcija 5+1 {pn}|predsezonski rabat, ponuda vrijedi do 15.4.""",
 "followup": """follow up nakon prve narudžbe|Provjera zadovoljstva nakon isporuke|poziv nakon dostave - je li sve stiglo
 |pitao jel sve ok s robom|follow-up: isporuka {pg}|kontrolni poziv nakon reklamacije|feedback na novu kavu
 |provjera - jesu li zadovoljni s dostavljačem|after sales poziv""",
 "payment": """Podsjetnik - dospjeli računi|opomena za plaćanje|neplaćeni račun {racun}|IOS usklađivanje {god}
 |dogovor o odgodi plaćanja|otvorene stavke - podsjetnik|podsjetnik na dug {iznos} EUR|zadnja opomena prije blokade isporuka""",
 "review": """Godišnji sastanak {god}|Ugovor za {god} - uvjeti|godišnji pregled suradnje|annual review - plan za {god}
 |potpisan ugovor o opskrbi {god}|dogovor rabata za {god}|obnova ugovora, novi uvjeti|godišnji razgovor - ciljevi i volumen""",
 "loyalty": """Klub partnera - pozivnica|učlanjenje u Klub partnera|bodovi Klub partnera - stanje|loyalty kartica aktivirana
 |poklon paket za vjerne kupce|cash back obračun za kvartal|Klub partnera: ekskluzivna ponuda za članove""",
 "retention": """primijetili smo manje narudžbi - poziv|zašto su smanjili narudžbe?|posebna ponuda za vas -{pct}%
 |pokušaj zadržavanja kupca|retention poziv|ponudio dodatni rabat da ostanu|nismo vas čuli neko vrijeme, sve ok?
 |pad prometa - razgovor s vlasnikom|personalizirana ponuda {pg}""",
 "intro": """Novi komercijalist - upoznavanje|predstavljanje novog komercijalista|preuzeo kupca od kolege
 |upoznavanje, ja sam vaš novi kontakt|intro meeting - novi KAM|promjena komercijalista - obavijest""",
 "winback": """pokušaj povrata kupca|vratite se - posebna ponuda|win-back ponuda|poziv bivšem kupcu
 |zatvaranje kartice kupca|povrat ambalaže nakon prekida suradnje|završni obračun i IOS""",
 "order": """narudžba za sutra|Narudžba za {dan}|dodatna narudžba - {pn}|hitno trebamo {pa}|narudžba|order za vikend
 |narudžba br {nar}|možete li dostaviti još {pg}?|fali nam {pg} za vikend|nadopuna narudžbe|naručujem 2 bačve i {pa}
 |ista narudžba kao prošli tjedan""",
 "admin": """kopija računa {racun}|Treba nam R1 račun|promjena podataka firme|IBAN za uplatu?|račun {racun}
 |molim izvod otvorenih stavki|invoice {racun} - krivi iznos?|e-račun ne stiže|promjena kontakt osobe
 |pitanje oko računa, fiskalizacija|storno računa {racun}""",
 "delivery": """kada stiže dostava?|kasni dostava!!|dostava danas?|termin dostave - molimo prije 10h|vozač nije došao
 |dostava u {dan} - promjena termina|dostava kasni 2 dana|fali dio robe u dostavi|krivo dostavljeno, nismo to naručili
 |delivery opet kasni|dostava u sezoni samo ujutro molim""",
 "product": """imate li bezglutensko pivo?|upit - novi proizvodi|tražimo bezalkoholno pivo|cijena za {pa}?
 |imate li veganski sladoled|uzorci vina za novu kartu|upit za asortiman kave|preporuka za kartu pića
 |imate li {pa} u većem pakiranju""",
 "equip": """aparat za kavu ne radi|servis točionika|točilica curi|hladnjak za pivo ne hladi|zamjena aparata za kavu
 |servis aparata - hitno|trebamo suncobrane i reklamni materijal|rashladna vitrina kvar|mlinac za kavu pokvaren""",
 "amb": """povrat ambalaže|gajbe za povrat|prazne bačve - odvoz|ambalaža nije obračunata|povratne boce - odobrenje""",
 "quality": """Reklamacija - {pn}, istekao rok|reklamacija {pg} - loša šarža|pokvarena roba u zadnjoj dostavi
 |razbijene boce u dostavi|kiselo mlijeko, molim zamjenu|kava nije ista kao prije, slabija kvaliteta
 |pivo iz bačve pjeni i ima čudan okus|smrznuta roba stigla odmrznuta|problem s kvalitetom: {pn}|quality problem - {pn}
 |opet loša roba!!!|vraćamo {pa}, nije u redu|pljesniv sir u dostavi|lignje neispravne, vraćamo|led stigao otopljen
 |vino ima čep, gosti vratili|krivi rok trajanja na {pg}|reklamacija kvalitete {pg} - drugi put ovaj mjesec""",
 "service": """vozač bio bezobrazan|nitko se ne javlja na telefon|krivo fakturirano, već treći put
 |dostavljač ostavio robu vani na suncu|Žalba na uslugu|vozač nije htio unijeti robu u skladište|opet pogrešna količina
 |complaint - loša usluga|čekamo odgovor na reklamaciju|nezadovoljni smo uslugom zadnjih mjeseci
 |odobrenje za reklamaciju još nije stiglo""",
 "nocall": """još čekamo povratni poziv|nitko nas nije zvao oko ponude|ne javljate se|upit od prošlog tjedna??
 |molim da nas netko nazove|komercijalist se ne javlja mjesecima|gdje je ponuda za sezonu?|nismo dobili novi cjenik
 |zvali smo 3 puta, nitko ne odgovara|hello? ima li koga|nitko nije došao na dogovoreni sastanak
 |tko je sada naš komercijalist?""",
 "price": """cijene opet porasle?|zašto je {pn} skuplje|poskupljenje {pg} - molim objašnjenje|previsoke cijene
 |novi cjenik - preskupo|cijena {pg} veća nego prošli mjesec|price increase - ne slažemo se
 |računi su sve veći, a roba ista|cijene kao u dućanu, nije ok""",
 "rival": """{konk} nudi {pa} jeftinije|dobili smo ponudu od {konkg}|u {konkl} je {pn} povoljnije
 |ponuda konkurencije - možete li match?|kod {konkg} imamo bolji rabat|razmišljamo o promjeni dobavljača
 |{konk} nam je dao bolje uvjete plaćanja|better offer from {konk}|kolege nabavljaju u {konkl}, jeftinije je
 |{konk} dolazi s ponudom za sezonu""",
 "discount": """tražimo veći rabat|može li popust na {pa}?|rabat za sezonu?|akcija - vrijedi li i za nas?
 |imate li neku akciju ovaj mjesec|odgoda plaćanja + popust?|discount za veće količine|kada je sljedeća akcija
 |popust na {pa} ako uzmemo paletu?""",
 "move": """nova adresa dostave|selimo lokal u {grada}|promjena adrese - {grad}|zatvaramo objekt krajem mjeseca
 |prodali smo lokal|vlasnik preminuo - zatvaranje|zatvaramo zbog bolesti|selimo se u {grada}, dostava na novu adresu
 |odlazimo u Njemačku, zatvaramo|preuzimanje objekta - novi vlasnik|dostava na novu lokaciju od idućeg tjedna
 |gasimo obrt|odlazak u mirovinu, zatvaramo konobu""",
 "ties": """šogor otvorio distribuciju, prelazimo kod njega|sin sada radi u {konkl}|kum nam je dobavljač, obiteljski razlozi
 |prijatelj ima veletrgovinu|obiteljski razlozi - mijenjamo dobavljača|preporuka od prijatelja, idemo drugdje""",
 "pause": """zatvaramo za zimu, javimo se u travnju|renovacija lokala - pauza|sezona gotova, hvala na suradnji
 |otvaramo u {dan}, šaljemo prvu narudžbu|pauza do proljeća|zimska pauza - stop isporuke""",
}
T = {k: [x.strip() for x in v.split("|")] for k, v in T.items()}
# category -> (direction, channel probabilities over call/email/meeting/chat/sms)
CH = ["call", "email", "meeting", "chat", "sms"]
CATS = {"visit": ("outbound", [.4, 0, .6, 0, 0]), "offer": ("outbound", [0, .8, 0, .1, .1]),
        "followup": ("outbound", [.8, 0, 0, .1, .1]), "payment": ("outbound", [.3, .6, 0, 0, .1]),
        "review": ("outbound", [.15, 0, .85, 0, 0]), "loyalty": ("outbound", [.1, .6, 0, 0, .3]),
        "retention": ("outbound", [.7, 0, .3, 0, 0]), "intro": ("outbound", [.4, 0, .6, 0, 0]),
        "winback": ("outbound", [.6, .4, 0, 0, 0]), "order": ("inbound", [.45, .25, 0, .25, .05]),
        "admin": ("inbound", [.2, .8, 0, 0, 0]), "delivery": ("inbound", [.6, 0, 0, .3, .1]),
        "product": ("inbound", [.3, .5, 0, .2, 0]), "equip": ("inbound", [.7, .1, 0, .2, 0]),
        "amb": ("inbound", [.5, .2, 0, .3, 0]), "quality": ("inbound", [.45, .35, 0, .2, 0]),
        "service": ("inbound", [.5, .4, 0, .1, 0]), "nocall": ("inbound", [.3, .5, 0, .2, 0]),
        "price": ("inbound", [.4, .5, 0, .1, 0]), "rival": ("inbound", [.5, .3, .2, 0, 0]),
        "discount": ("inbound", [.4, .4, 0, .2, 0]), "move": ("inbound", [.5, .4, 0, .1, 0]),
        "ties": ("inbound", [.6, 0, .4, 0, 0]), "pause": ("inbound", [.4, .3, 0, .3, 0])}
CAT_ID = {k: i for i, k in enumerate(CATS)}
# complaint opened from an inbound contact of this category: (probability, complaint category)
TO_COMPLAINT = {"quality": (.8, "quality"), "service": (.55, "service"), "nocall": (.12, "service"),
                "delivery": (.3, "delivery"), "price": (.35, "price"), "rival": (.05, "price"),
                "equip": (.2, "other"), "admin": (.05, "other")}
DIA = str.maketrans({"č": "c", "ć": "c", "š": "s", "ž": "z", "đ": "dj", "Č": "C", "Ć": "C", "Š": "S", "Ž": "Z", "Đ": "Dj"})


def typo(s, r):
    pos = [i for i, ch in enumerate(s) if ch.isalpha()]
    if len(pos) < 4:
        return s
    i = r.choice(pos[1:-1])
    op = r.random()
    if op < .4:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if op < .75:
        return s[:i] + s[i + 1:]
    return s[:i] + s[i] + s[i:]


def noisy(s, r, tails=True):
    """People type like people: diacritics skipped, c/c mixed, typos, case, trailing noise."""
    if r.random() < .55:
        s = s.translate(DIA)
    elif r.random() < .12:
        s = s.replace("ć", "č") if r.random() < .5 else s.replace("č", "ć")
    if r.random() < .15:
        s = typo(s, r)
    if r.random() < .06:
        s = s.replace("ije", "je", 1)
    x = r.random()
    if x < .25:
        s = s.lower()
    elif x < .29:
        s = s.upper()
    elif x < .6:
        s = s[:1].upper() + s[1:]
    y = r.random() if tails else 1
    if y < .04:
        s += "!!"
    elif y < .07:
        s += "..."
    elif y < .09:
        s += " - hitno"
    elif y < .11:
        s += " ??"
    return s


def make_pool(cat, r, size=1500):
    out = []
    for _ in range(size):
        p, k, t = r.choice(PRODUCTS), r.choice(RIVALS), r.choice(TOWNS)
        s = r.choice(T[cat]).format(
            pn=p[0], pa=p[1], pg=p[2], konk=k[0], konkg=k[1], konkl=k[2], grad=t[0], grada=t[1],
            dan=r.choice(DAYS), pct=r.choice([3, 5, 5, 7, 10, 10, 12, 15, 20]), god="\x01",
            racun=r.choice([f"{r.randint(100, 9999)}/PP{r.randint(1, 3)}/1", f"R-{r.randint(1000, 99999)}",
                            f"{r.randint(100, 9999)}-1-1"]),
            iznos=r.choice([f"{r.randint(80, 9000)}", f"{r.randint(80, 9000)},{r.randint(0, 99):02d}"]),
            nar=f"{r.randint(1000, 99999)}")
        out.append(noisy(s, r, cat in ("order", "delivery", "equip", "quality", "service", "nocall", "price", "product")))
    return np.array(out, dtype=object)


def to_ts(day, sec):
    """day index (0 = 2023-01-01) + seconds of local time -> tz-aware Europe/Zagreb timestamps."""
    v = np.datetime64("2023-01-01T00:00:00", "s") + (day.astype(np.int64) * 86400 + sec.astype(np.int64)).astype("timedelta64[s]")
    return pd.DatetimeIndex(v.astype("datetime64[ns]")).tz_localize(TZ, ambiguous=np.zeros(len(v), bool), nonexistent="shift_forward")


def hours(rng, n, lo, span, a=1.6, b=2.4):
    return ((lo + span * rng.beta(a, b, n)) * 3600).astype(np.int64)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--customers", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t_start = time.time()
    rng, r = np.random.default_rng(args.seed), random.Random(args.seed)
    N = args.customers
    os.makedirs(args.out, exist_ok=True)

    # ---- calendar: 36 months ----
    ms = pd.date_range("2023-01-01", periods=37, freq="MS")
    edges = (ms - pd.Timestamp("2023-01-01")).days.to_numpy()
    d0, d1 = edges[:-1], edges[1:]
    M, mlen, moy = 36, (edges[1:] - edges[:-1]).astype(float), ms[:-1].month.to_numpy() - 1
    mid = (d0 + d1) / 2

    def overlap(s, e):
        return np.clip(np.minimum(d1[None, :], e[:, None]) - np.maximum(d0[None, :], s[:, None]), 0, None) / mlen

    # ---- customers ----
    rw = np.array([x[3] for x in REGIONS]); rw /= rw.sum()
    coast_r = np.array([x[1] for x in REGIONS], bool)
    rgroup = np.array([x[2] for x in REGIONS])
    region0 = rng.choice(len(REGIONS), N, p=rw)
    coastal = coast_r[region0]
    sw = np.array([x[1] for x in SEGMENTS]); sw /= sw.sum()
    seg = rng.choice(len(SEGMENTS), N, p=sw)
    bad = ~coastal & np.array([x[5] for x in SEGMENTS], bool)[seg]
    seg[bad] = rng.choice([0, 1], bad.sum(), p=[.6, .4])
    seasonal = coastal & (rng.random(N) < np.array([x[4] for x in SEGMENTS])[seg])
    new = rng.random(N) < .42
    signup = np.where(new, rng.integers(0, END - 3, N), -rng.integers(30, 13 * 365, N))
    a_day = np.maximum(signup, 0)

    # old accounts leave at a steady rate; new ones mostly within their first year or two
    churn = rng.random(N) < np.where(new, .5, .25)
    cday = np.where(new, a_day + 75 + rng.exponential(330, N), 20 + rng.random(N) * (END - 22))
    churn &= cday < END - 2
    b_day = np.where(churn, cday.astype(int), END + 1)  # exclusive end: no orders on/after churned_at
    reason = np.full(N, -1)
    reason[churn] = rng.choice(5, churn.sum(), p=SHARES)

    # ---- episodes: slot 1 = the churn reason before churned_at; slot 2 = background episode ----
    WIN = {IND: (120, 360), PQ: (50, 240), COMP: (60, 270), PT: (30, 120), MOV: (20, 120)}
    W = np.zeros(N)
    for k, (w0, w1) in WIN.items():
        m_ = reason == k
        W[m_] = rng.uniform(w0, w1, m_.sum())
    s1, e1 = b_day - W, b_day.astype(float)
    str1 = np.where(rng.random(N) < .15, 0.0, rng.uniform(.5, 1.2, N)) * churn
    bg = rng.random(N) < np.where(churn, .2, .35)
    t2 = rng.choice(5, N, p=[.4, .28, .22, 0, .1])
    t2[churn & (t2 == MOV)] = IND
    len2 = rng.uniform(60, 240, N)
    bg &= (b_day - a_day) > len2 + 10
    s2 = a_day + rng.random(N) * np.maximum(b_day - a_day - len2, 0)
    e2, str2 = s2 + len2, rng.uniform(.3, .9, N) * bg
    I = np.zeros((5, N, M), np.float32)
    for k in range(5):
        m_ = churn & (reason == k)
        I[k][m_] += (str1[m_, None] * overlap(s1[m_], e1[m_])).astype(np.float32)
        m_ = bg & (t2 == k)
        I[k][m_] += (str2[m_, None] * overlap(s2[m_], e2[m_])).astype(np.float32)
    Ic = np.minimum(I, 1)

    # relocations: ~60% of moved_or_died churners, and stayers' background relocation episodes
    mover = (churn & (reason == MOV) & (rng.random(N) < .6)) | (bg & (t2 == MOV) & ~churn)
    move_day = np.full(N, 10 ** 6)
    cm = mover & churn
    move_day[cm] = (b_day[cm] - rng.uniform(10, np.minimum(W[cm], 100))).astype(int)
    sm = mover & ~churn
    move_day[sm] = (s2[sm] + rng.uniform(5, 30, sm.sum())).astype(int)
    region1 = region0.copy()
    for i in np.flatnonzero(mover):
        while region1[i] == region0[i]:
            region1[i] = rng.choice(len(REGIONS), p=rw)
    cur_region = np.where(mover & (rng.random(N) < .85), region1, region0)

    # ---- account managers (komercijalisti) ----
    gw = np.bincount(rgroup, weights=rw)
    ngr = np.maximum(2, np.round(42 * gw)).astype(int)
    mgr_group = np.repeat(np.arange(len(ngr)), ngr)
    NM = len(mgr_group)
    names = set()
    while len(names) < NM:
        names.add(f"{r.choice(FIRST)}.{r.choice(LAST).translate(DIA)}")
    mgr_ids = np.array(sorted(names), dtype=object)[rng.permutation(NM)]
    A = rng.lognormal(0, .35, NM)
    A[rng.choice(NM, 3, replace=False)] *= .35  # overloaded / disengaged komercijalisti
    dep = np.full(NM, 10 ** 6)
    for g_, dd in zip(rng.choice(len(ngr), 3, replace=False), [273, 498, 764]):
        dep[rng.choice(np.flatnonzero(mgr_group == g_))] = dd  # komercijalist leaves the company
    cg = rgroup[region0]
    ind = churn & (reason == IND)
    Wt = (mgr_group[None, :] == cg[:, None]).astype(float)
    boost = (dep[None, :] > b_day[ind, None] - 330) & (dep[None, :] < b_day[ind, None] - 20)
    Wt[ind] *= A[None, :] ** -1.5 * np.where(boost, 4.0, 1.0)
    cum = Wt.cumsum(1)
    mgr0 = (cum < (rng.random(N) * cum[:, -1])[:, None]).sum(1)
    del Wt, cum
    rep = mgr0.copy()
    for i in np.flatnonzero(dep[mgr0] < b_day):
        mates = np.flatnonzero((mgr_group == mgr_group[mgr0[i]]) & (dep > 10 ** 5))
        rep[i] = rng.choice(mates)
    dday = np.where(dep[mgr0] < b_day, dep[mgr0], 10 ** 6)
    had_gap = (dday < 10 ** 5) & (a_day < dday)
    gap_end = np.where(had_gap, dday + rng.integers(20, 120, N), -1)
    Amat = np.where(d0[None, :] >= dday[:, None], A[rep][:, None], A[mgr0][:, None])
    gapf = 1 - .9 * overlap(np.where(had_gap, dday, 0).astype(float), np.where(had_gap, gap_end, 0).astype(float))

    loyal = rng.random(N) < np.where(signup < 0, .35, .2) * np.where(churn & (reason == COMP), .5, 1)
    referred = rng.random(N) < .15
    order_ = np.argsort(signup, kind="stable")
    rank = np.empty(N, int); rank[order_] = np.arange(N)
    ref = np.full(N, -1)
    ri = np.flatnonzero(referred & (rank > 0))
    ref[ri] = order_[(rng.random(ri.size) * rank[ri]).astype(int)]
    # personal ties: half were brought in by a customer who has already left
    pool_ch = np.flatnonzero(churn)
    for i in np.flatnonzero(churn & (reason == PT) & (rng.random(N) < .5)):
        for _ in range(30):
            j = pool_ch[rng.integers(pool_ch.size)]
            if j != i and b_day[j] < b_day[i] - 14 and signup[j] < signup[i]:
                ref[i] = j
                break

    # ---- orders ----
    freq = np.array([x[2] for x in SEGMENTS])[seg] * rng.lognormal(0, .45, N)
    basket = np.array([x[3] for x in SEGMENTS])[seg] * rng.lognormal(0, .5, N)
    SE = np.where(seasonal[:, None], S_SEAS[moy][None, :], np.where(coastal[:, None], S_COAST[moy], S_INL[moy]))
    trend = np.maximum(1 + rng.normal(.03, .08, N)[:, None] * (mid[None, :] / 365), .2)
    act = overlap(a_day.astype(float), b_day.astype(float))
    tau = b_day[:, None] - mid[None, :]
    FLOOR = np.array([.35, .5, .6, .65, .75])
    Wd = W * rng.uniform(.5, 1, N) * (rng.random(N) > .2) + 1
    ramp = np.clip(1 - tau / Wd[:, None], 0, 1) * churn[:, None]
    decline = 1 - (1 - FLOOR[np.maximum(reason, 0)])[:, None] * ramp
    pause = np.ones((N, M))
    pz = np.flatnonzero(~churn & ~seasonal & (rng.random(N) < .04) & (b_day - a_day > 200))
    pm = np.clip((a_day[pz] + rng.random(pz.size) * (END - a_day[pz])) // 30.4, 0, M - 4).astype(int)
    plen = rng.integers(2, 5, pz.size)
    for k in range(4):
        sel = k < plen
        pause[pz[sel], pm[sel] + k] = .03
    lam = freq[:, None] * SE * trend * rng.gamma(8, 1 / 8, (N, M)) * decline * pause * act
    lo_m = np.maximum(d0[None, :], a_day[:, None])
    hi_m = np.minimum(d1[None, :], b_day[:, None])

    def expand(rate):
        cnt = rng.poisson(rate.ravel())
        idx = np.repeat(np.arange(cnt.size), cnt)
        c, m = idx // M, idx % M
        l_, h_ = lo_m.ravel()[idx], hi_m.ravel()[idx]
        return c, m, l_ + (rng.random(idx.size) * (h_ - l_)).astype(int)

    oc, om, od = expand(lam)
    first = np.minimum(np.minimum(a_day + rng.integers(0, 10, N), b_day - 1), END)  # opening order
    oc = np.concatenate([np.arange(N), oc]); od = np.concatenate([first, od])
    om = np.concatenate([np.searchsorted(d1, first, side="right"), om])
    n_o = oc.size
    amt = basket[oc] * np.where(coastal[oc] & np.isin(moy[om], [5, 6, 7]), 1.15, 1.0) \
        * (1 - .4 * Ic[COMP][oc, om]) * rng.lognormal(0, .35, n_o)
    amt[:N] *= 1.6
    hunter = rng.random(N) < .1
    p_disc = np.where(hunter, .45, .1)[oc] + .05 * loyal[oc] + .45 * Ic[COMP][oc, om]
    has_d = rng.random(n_o) < p_disc
    disc = np.where(has_d, amt * (rng.uniform(.03, .12, n_o) + .08 * Ic[COMP][oc, om]), 0)
    p_ret = .004 + .06 * Ic[PQ][oc, om]
    rt = np.flatnonzero(rng.random(n_o) < p_ret)
    last_ok = np.minimum(b_day - 1, END)
    rc, rd = oc[rt], np.minimum(od[rt] + rng.integers(0, 5, rt.size), last_ok[oc[rt]])
    ramt = -amt[rt] * rng.choice([.1, .25, .5, 1.0], rt.size, p=[.35, .3, .2, .15])
    all_c, all_d = np.concatenate([oc, rc]), np.concatenate([od, rd])
    ret = np.r_[np.zeros(n_o, bool), np.ones(rt.size, bool)]
    sec = np.r_[hours(rng, n_o, 6, 12, 2, 3.5), hours(rng, rt.size, 8, 8)]
    srt = np.lexsort((sec, all_d))
    all_c, all_d, sec, ret = all_c[srt], all_d[srt], sec[srt], ret[srt]
    amounts, discs = np.r_[amt, ramt][srt], np.r_[disc, np.zeros(rt.size)][srt]
    oreg = np.where(all_d >= move_day[all_c], region1[all_c], region0[all_c])
    cust_ids = np.array([f"K{100000 + i}" for i in range(N)], dtype=object)
    reg_names = np.array([x[0] for x in REGIONS], dtype=object)
    yy = 23 + np.searchsorted(np.array([365, 731]), all_d, side="right")
    oid = [f"{'POV' if rr else 'NAR'}-{y}-{i:07d}" for i, (rr, y) in enumerate(zip(ret, yy))]
    orders = pd.DataFrame({"order_id": oid, "customer_id": cust_ids[all_c], "ordered_at": to_ts(all_d, sec),
                           "amount": np.round(amounts, 2), "discount_amount": np.round(discs, 2),
                           "returned": ret, "region": reg_names[oreg]})
    orders.to_parquet(os.path.join(args.out, "orders.parquet"), index=False)
    n_orders = len(orders)
    del orders, oid, amt, disc, lam

    # ---- contacts ----
    attn = np.clip(((freq * basket) / np.median(freq * basket)) ** .25 * rng.lognormal(0, .3, N), .3, 3)
    talk = rng.lognormal(0, .4, N)[:, None] * act
    OUT = Amat * attn[:, None] * (1 - .85 * Ic[IND]) * gapf * act
    SEn = SE / SE.mean(1, keepdims=True)
    newm = overlap(a_day.astype(float), a_day + 60.0) * (signup >= 0)[:, None]
    offer_s = np.select([np.isin(moy, [2, 3, 4]), np.isin(moy, [10, 11])], [1.8, 1.3], 1.0)[None, :]
    equip = np.where(np.isin(seg, [0, 1, 5]), .05, .025)[:, None]
    pz_m = (pause < 1).astype(float)
    seas_pz = (seasonal[:, None] & np.isin(moy, [2, 9])[None, :]) * .35
    rates = {
        "visit": .22 * OUT, "offer": .25 * OUT * offer_s, "followup": .05 * OUT + .6 * OUT * newm,
        "payment": .04 * act, "review": .3 * OUT * np.isin(moy, [0, 1])[None, :],
        "loyalty": .05 * loyal[:, None] * act, "order": .18 * SEn * talk,
        "retention": .25 * Amat * np.clip(Ic[COMP] + Ic[PQ] + .3 * Ic[IND], 0, 1) * act,
        "admin": .07 * talk, "delivery": .05 * talk, "product": .03 * talk, "equip": equip * talk,
        "amb": .025 * talk, "quality": (.012 + .55 * Ic[PQ]) * talk,
        "service": (.008 + .22 * Ic[PQ] + .03 * Ic[IND]) * talk, "nocall": (.004 + .3 * Ic[IND]) * talk,
        "price": (.01 + .35 * Ic[COMP]) * talk, "rival": (.002 + .18 * Ic[COMP]) * talk,
        "discount": (.012 + .22 * Ic[COMP]) * talk, "move": (.0008 + .5 * Ic[MOV]) * act,
        "ties": (.0002 + .035 * Ic[PT]) * act, "pause": (seas_pz + .5 * pz_m) * act}
    cc, cd, ck = [], [], []
    for k, rate in rates.items():
        c_, m_, d_ = expand(rate)
        cc.append(c_); cd.append(d_); ck.append(np.full(c_.size, CAT_ID[k]))
    # events: introduction by the new komercijalist, post-churn win-back and closing contacts
    iv = np.flatnonzero(had_gap & (gap_end < b_day) & (gap_end <= END) & (rng.random(N) < .75))
    cc.append(iv); cd.append(gap_end[iv]); ck.append(np.full(iv.size, CAT_ID["intro"]))
    pc = np.flatnonzero(churn & (b_day < END))
    for k, lam_ in (("winback", np.where(reason[pc] == IND, .3, .7)), ("amb", .25), ("admin", .2), ("move", .1)):
        n_ = rng.poisson(lam_ * (1 + 9 * (k == "move") * (reason[pc] == MOV)), pc.size)
        ci = np.repeat(pc, n_)
        cc.append(ci); ck.append(np.full(ci.size, CAT_ID[k]))
        dd = b_day[ci] + rng.integers(0, 90, ci.size)
        cc[-1], dd = ci[dd <= END], dd[dd <= END]
        cd.append(dd); ck[-1] = ck[-1][:dd.size]
    cc, cd, ck = np.concatenate(cc), np.concatenate(cd), np.concatenate(ck)
    n_c = cc.size
    cm_ = np.clip(np.searchsorted(d1, cd, side="right"), 0, M - 1)
    cat_names = list(CATS)
    is_in = np.array([CATS[k][0] == "inbound" for k in cat_names])[ck]
    chp = np.array([CATS[k][1] for k in cat_names])
    chan = (chp.cumsum(1)[ck] < rng.random(n_c)[:, None]).sum(1)
    csec = np.where(chan == 1, hours(rng, n_c, 7, 16, 1.5, 1.8), hours(rng, n_c, 7, 13))
    srt = np.lexsort((csec, cd))
    cc, cd, ck, cm_, is_in, chan, csec = (x[srt] for x in (cc, cd, ck, cm_, is_in, chan, csec))
    ii = Ic[IND][cc, cm_]
    own = np.where(cd >= dday[cc], rep[cc], mgr0[cc])
    p_ans = np.clip(.96 - .4 * ii - .25 * (A[own] < .5), .3, .99)
    answered = is_in & (rng.random(n_c) < p_ans)
    resp = rng.lognormal(np.log(3), 1.0, n_c) * np.exp(1.4 * ii) * A[own] ** -.6 * np.select([chan == 3, chan == 1], [.3, 1.8], 1)
    topics, hasg = np.empty(n_c, dtype=object), np.zeros(n_c, bool)
    for k in cat_names:
        sel = np.flatnonzero(ck == CAT_ID[k])
        if sel.size:
            pool = make_pool(k, r)
            pi = rng.integers(0, pool.size, sel.size)
            topics[sel], hasg[sel] = pool[pi], np.array(["\x01" in x for x in pool])[pi]
    cyear = 2023 + np.searchsorted(np.array([365, 731]), cd, side="right") + np.isin(moy[cm_], [9, 10, 11])
    for i in np.flatnonzero(hasg):
        topics[i] = topics[i].replace("\x01", str(cyear[i]))
    em = np.flatnonzero(chan == 1)
    pre = np.where(is_in[em], rng.choice(["", "Re: ", "RE: ", "Fwd: ", "Re: Re: "], em.size, p=[.68, .18, .06, .03, .05]),
                   rng.choice(["", "Re: ", "RE: ", "FW: "], em.size, p=[.88, .07, .03, .02]))
    topics[em] = pre.astype(object) + topics[em]
    cts = to_ts(cd, csec)

    # ---- complaints from inbound contacts ----
    pk = np.zeros(len(cat_names)); ccat = np.full(len(cat_names), "other", dtype=object)
    for k, (p_, c_) in TO_COMPLAINT.items():
        pk[CAT_ID[k]], ccat[CAT_ID[k]] = p_, c_
    comp_rows = np.flatnonzero(is_in & (rng.random(n_c) < pk[ck]) & (cd <= END))
    n_k = comp_rows.size
    kc, kcm = cc[comp_rows], cm_[comp_rows]
    ipq, iid = Ic[PQ][kc, kcm], Ic[IND][kc, kcm]
    opened = cts[comp_rows] + pd.to_timedelta(rng.integers(5, 120, n_k), "m")
    res_days = rng.lognormal(np.log(2.5), .9, n_k) * np.exp(1.2 * ipq + .8 * iid)
    quick = res_days < .3  # same-day fixes; the rest are closed on a later working day
    rdays = cd[comp_rows] + np.ceil(res_days).astype(int)
    fast = opened + pd.to_timedelta(np.round(res_days * 86400).astype(np.int64), "s")
    resolved = fast.where(quick, to_ts(rdays, hours(rng, n_k, 8, 9)))
    limit = pd.Timestamp("2025-12-31 23:00", tz=TZ)
    still_open = (rng.random(n_k) < .03 + .3 * ipq + .25 * iid) | (resolved > limit) | (opened > limit)
    resolved = resolved.where(~still_open)
    kcat = ccat[ck[comp_rows]]
    kcat[(kcat == "quality") & (rng.random(n_k) < .1)] = "other"
    kyy = np.asarray(opened.year) % 100
    tid = [f"RK-{y}-{i + 1:05d}" for i, y in enumerate(kyy)]
    fmts = ["[{t}] {s}", "{s} (rekl. {t})", "Reklamacija {t} - {s}", "{t}: {s}", "{s} #{t}", "{s}"]
    for row, t_ in zip(comp_rows, tid):
        topics[row] = r.choice(fmts).format(t=t_, s=topics[row])
    complaints = pd.DataFrame({"complaint_id": tid, "customer_id": cust_ids[kc], "opened_at": opened,
                               "category": kcat, "resolved_at": resolved, "description": topics[comp_rows]})
    complaints = complaints[complaints.opened_at <= limit]
    complaints.to_parquet(os.path.join(args.out, "complaints.parquet"), index=False)
    contacts = pd.DataFrame({
        "contact_id": np.arange(1, n_c + 1), "customer_id": cust_ids[cc], "contacted_at": cts,
        "direction": np.where(is_in, "inbound", "outbound"), "channel": np.array(CH, dtype=object)[chan],
        "topic": topics, "answered": pd.arrays.BooleanArray(answered, ~is_in),
        "response_hours": np.where(answered, np.round(resp, 1), np.nan), "owner": mgr_ids[own]})
    contacts.to_parquet(os.path.join(args.out, "contacts.parquet"), index=False)
    n_contacts = len(contacts)
    del contacts, topics, cts

    # ---- surveys: pulse every April and October, exit after leaving ----
    sc, sd, ss = [], [], []
    base = np.clip(rng.normal(8, 1.2, N), 3, 10)
    for y0 in (0, 365, 731):
        for t0 in (y0 + 99, y0 + 277):
            el = np.flatnonzero((a_day <= t0) & (b_day > t0 + 20))
            m0 = np.searchsorted(d1, t0, side="right")
            pr = .28 * (1 - .5 * Ic[IND][el, m0]) * (1 + .3 * Ic[PQ][el, m0])
            el = el[rng.random(el.size) < pr]
            sd.append(t0 + rng.integers(0, 20, el.size)); sc.append(el)
            sc_ = base[el] - 3.2 * Ic[PQ][el, m0] - 1.3 * Ic[IND][el, m0] - .9 * Ic[COMP][el, m0] \
                - .3 * Ic[PT][el, m0] + rng.normal(0, 1.3, el.size)
            ss.append(np.clip(np.round(sc_), 0, 10))
    pc_, pd_, ps_ = np.concatenate(sc), np.concatenate(sd), np.concatenate(ss)
    died = churn & (reason == MOV) & ~mover
    p_exit = np.array([.22, .4, .35, .3, .3])[np.maximum(reason, 0)] * np.where(died, .4, 1)
    ex = np.flatnonzero(churn & (rng.random(N) < p_exit))
    exd = b_day[ex] + rng.integers(3, 60, ex.size)
    ex, exd = ex[exd <= END], exd[exd <= END]
    CONF = np.array([[.55, .15, .2, .05, .05], [.15, .7, .15, 0, 0], [.1, .15, .75, 0, 0],
                     [.2, 0, .25, .55, 0], [.1, 0, 0, 0, .9]])
    said = (CONF.cumsum(1)[reason[ex]] < rng.random(ex.size)[:, None]).sum(1)
    exs = np.clip(np.round(rng.normal(np.where(said == MOV, 6.5, 3.5), 1.8)), 0, 10)
    surveys = pd.DataFrame({
        "customer_id": cust_ids[np.r_[pc_, ex]],
        "answered_at": to_ts(np.r_[pd_, exd], hours(rng, pc_.size + ex.size, 8, 13)),
        "kind": ["pulse"] * pc_.size + ["exit"] * ex.size, "score": np.r_[ps_, exs],
        "reason": np.r_[np.full(pc_.size, None, dtype=object), np.array(REASONS, dtype=object)[said]]})
    surveys.sort_values("answered_at").to_parquet(os.path.join(args.out, "surveys.parquet"), index=False)

    seg_names = np.array([x[0] for x in SEGMENTS], dtype=object)
    cname = [f"{seg_names[s]} {r.choice(NAMES)}" for s in seg]
    customers = pd.DataFrame({
        "customer_id": cust_ids, "name": cname,
        "signed_up_at": to_ts(signup, hours(rng, N, 8, 8)), "segment": seg_names[seg],
        "region": reg_names[cur_region], "loyalty_member": loyal,
        "referred_by": np.where(ref >= 0, cust_ids[np.maximum(ref, 0)], None),
        "manager_id": mgr_ids[rep], "seasonal_object": seasonal})
    customers.to_parquet(os.path.join(args.out, "customers.parquet"), index=False)

    ch = np.flatnonzero(churn)
    truth = pd.DataFrame({"customer_id": cust_ids[ch],
                          "churned_at": (pd.Timestamp("2023-01-01") + pd.to_timedelta(b_day[ch], "D")).strftime("%Y-%m-%d"),
                          "true_reason": np.array(REASONS)[reason[ch]]})
    truth.to_csv(os.path.join(args.out, "truth.csv"), index=False)
    print(f"customers={N} orders={n_orders} contacts={n_contacts} complaints={len(complaints)} "
          f"surveys={len(surveys)} churners={len(truth)} ({len(truth) / N:.1%}) in {time.time() - t_start:.1f}s")


if __name__ == "__main__":
    main()
