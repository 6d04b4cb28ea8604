#!/usr/bin/env python3
"""Synthetic CRM of "AgroInput Distribuție SRL", a Romanian distributor of agricultural inputs.

The business
------------
A mid-sized distributor (HQ in Craiova, depots in the south, west and north-east) that sells seeds,
fertilisers, crop-protection products and some machinery spare parts to large and mid-sized farms,
small family farms / PFA-s, agricultural cooperatives and village agri-shops (magazine agro, which
resell). Field agents (agenți de vânzări / consultanți), each owning a county portfolio, call and
visit; a small office answers the phone, WhatsApp and e-mail, issues invoices and handles
complaints (tickets TKT-yy-nnnnn). Sales follow the crop calendar: spring sowing (Feb-Apr: maize and
sunflower seed, nitrogen), crop protection in May-June, spare parts before harvest, autumn sowing
(Aug-Oct: wheat, barley, rapeseed, NPK), a quiet winter. Money is RON. 2024 brought a drought in the
south/east: smaller autumn orders there. Everything is one SQLite file, crm.db: customers, orders
(invoices; returns are separate RT-... rows with a negative amount), contacts (agent notes and
customer calls, free text in Romanian as people type it: mostly without diacritics, some with, some
with the old cedilla letters, abbreviations, typos, order/invoice/ticket numbers, "Re:" on e-mails),
complaints (with the ticket text), surveys (a phone pulse survey after each campaign and an exit
survey of lost clients) and agenti (the field force; not part of the contract).

Churn and its reasons (truth.csv)
---------------------------------
About 25-30% of the accounts stop buying for good during 2023-2025: old accounts at a constant
hazard, new ones faster (8% after a single try), so the flow of departures is steady. Orders stop at
churned_at (the last invoice is before it); purchase frequency fades before departure for most reasons.
Each reason leaves traces, always with noise, sometimes none, and each trace also occurs among stayers:
* indifference (~2/3): the account gets neglected. Either its agent leaves the company (all of that
  agent's accounts sit unattended for weeks until a replacement arrives, who then never really picks
  the client up), or the agent simply stops calling. Outbound visits/calls and post-delivery
  follow-up calls dry up, inbound calls go unanswered or are answered a day later, a few clients
  complain that nobody calls ("cine e agentul nostru acum??"). Stayers get neglect episodes too
  (18%), and every agent departure hits the whole portfolio. Mass SMS/e-mail campaigns never stop.
* product_quality: quality/service/delivery complaints (bad germination, caked fertiliser, herbicide
  that did not work, wrong part), returns (RT rows), tickets left open or resolved slowly, low pulse
  scores; ~20% leave silently. Stayers have a baseline of complaints and returns (agri-shops return
  unsold seed after sowing) and a few bad seed lots hit whole counties in one season.
* competitor: price complaints, discounts on nearly every order, a shrinking basket, agents noting a
  rival's offer ("are oferta de la AgroSud la uree cu 80 lei/t mai ieftin"); fewer loyalty-card
  members. Stayers include discount hunters and clients who wave rival offers to negotiate.
* personal_ties: weak traces only: about a third were referred by a client who left before them, a
  few agent notes about a son-in-law working for another distributor; orders stop abruptly.
* moved_or_died: moved (new county in the customer record and deliveries to it, an address-change
  call), sold the farm / retired / leased the land out, or died (a relative calls, often after the
  departure). Stayers move or deliver to a second county too.
The exit survey (kind exit, reason code) is answered by about a third of the lost clients, weeks
after they leave, and often names a different reason (price is the polite answer). Pulse scores
are driven by recent complaints, neglect and price pressure, for stayers and churners alike.
"""
import argparse
import random
import re
import sqlite3
import time
from pathlib import Path

import numpy as np
import pandas as pd

D0 = np.datetime64("2023-01-01T00:00:00")
NDAYS = 1096            # 2023-01-01 .. 2025-12-31
LAST_CHURN = 1093       # 2025-12-29
REASONS = ["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"]
SHARES = np.array([0.67, 0.15, 0.09, 0.05, 0.04])

# county:weight:localities
COUNTIES = [c.split(":") for c in (
    "Dolj:9:Băilești,Calafat,Segarcea,Filiași,Dăbuleni,Poiana Mare|"
    "Teleorman:8:Roșiorii de Vede,Alexandria,Zimnicea,Turnu Măgurele,Videle|"
    "Olt:7:Caracal,Corabia,Balș,Drăgănești-Olt,Scornicești|"
    "Constanța:7:Medgidia,Cobadin,Negru Vodă,Hârșova,Mihail Kogălniceanu|"
    "Călărași:6:Lehliu Gară,Fundulea,Oltenița,Dragalina,Budești|Ialomița:6:Slobozia,Urziceni,Fetești,Țăndărei,Amara|"
    "Brăila:5:Ianca,Însurăței,Făurei,Viziru|Buzău:4:Râmnicu Sărat,Pogoanele,Smeeni,Pătârlagele|"
    "Giurgiu:4:Bolintin-Vale,Mihăilești,Ghimpați,Hotarele|Timiș:8:Lugoj,Jimbolia,Sânnicolau Mare,Deta,Făget,Recaș|"
    "Arad:5:Pecica,Curtici,Chișineu-Criș,Ineu,Sântana|Bihor:5:Salonta,Marghita,Valea lui Mihai,Săcueni|"
    "Iași:5:Pașcani,Hârlău,Târgu Frumos,Podu Iloaiei,Belcești|Botoșani:4:Dorohoi,Săveni,Darabani,Ștefănești|"
    "Vaslui:4:Bârlad,Huși,Negrești,Murgeni|Galați:4:Tecuci,Tulucești,Pechea,Liești|"
    "Tulcea:3:Babadag,Isaccea,Măcin,Baia|Mehedinți:3:Strehaia,Vânju Mare,Cujmir,Devesel|"
    "Satu Mare:2:Carei,Tășnad,Livada|Vrancea:2:Adjud,Panciu,Mărășești|Argeș:2:Costești,Topoloveni,Mioveni|"
    "Mureș:2:Luduș,Iernut,Sărmașu"
).split("|")]
CNAME = [c[0] for c in COUNTIES]
CLOC = [c[2].split(",") for c in COUNTIES]
CW = np.array([float(c[1]) for c in COUNTIES]) / sum(float(c[1]) for c in COUNTIES)
SOUTH_EAST = np.array([n in ("Dolj", "Teleorman", "Olt", "Constanța", "Călărași", "Ialomița", "Brăila",
                             "Giurgiu", "Tulcea", "Galați", "Mehedinți", "Buzău") for n in CNAME])

SEGMENTS = ["Fermă mare", "Fermă medie", "Fermă mică / PFA", "Cooperativă agricolă", "Magazin agro"]
SEG_P = np.array([0.07, 0.20, 0.48, 0.06, 0.19])
ORD_YR = np.array([12.0, 7.5, 3.5, 10.0, 15.0])         # orders / year
AMT_MED = np.array([36000, 10500, 2300, 15000, 5200.])  # lei per order
OUT_YR = np.array([12.0, 6.0, 2.0, 9.0, 7.0])           # agent visits / calls per year
IN_YR = np.array([3.5, 2.2, 0.9, 3.0, 3.0])             # general inbound questions per year
CHURN_P = np.array([0.14, 0.21, 0.28, 0.17, 0.26])
HA_MED = np.array([1300, 190, 22, 650, 0.])
TILT = np.array([[1, 1.1, 1.6, 0.5, 0.3], [1, 1, 1.2, 0.8, 0.7], [1, .95, .7, 1.3, 1.4],
                 [1, 1.1, 1.3, .6, .3], [1, 1, 1.3, .8, .6]])
SEAS = np.array([[.4, .9, 1.6, 1.7, 1.1, .9, .8, 1.2, 1.5, 1.4, .7, .35],     # farms
                 [.6, 1., 1.5, 1.5, 1.2, 1., .9, 1., 1.2, 1.1, .7, .5]])         # agri-shops
GROUPS = ["Semințe", "Îngrășăminte", "Protecția plantelor", "Piese de schimb"]
GROUP_MULT = np.array([1.3, 1.4, 0.9, 0.35])
GROUP_BY_MONTH = np.array([[.10, .45, .10, .35], [.35, .45, .10, .10], [.40, .35, .20, .05], [.30, .25, .40, .05],
                           [.05, .15, .65, .15], [.03, .07, .50, .40], [.03, .10, .27, .60], [.30, .35, .15, .20],
                           [.45, .35, .12, .08], [.35, .35, .22, .08], [.05, .55, .15, .25], [.05, .45, .10, .40]])

SUR = ("Popescu Ionescu Dumitru Stan Stoica Gheorghe Matei Ciobanu Radu Marin Tudor Dinu Florea Ene Nistor Barbu "
       "Preda Oprea Lungu Toma Mihai Constantin Neagu Petrescu Voicu Dobre Moldovan Pop Rusu Munteanu Sârbu Zamfir "
       "Nedelcu Vlad Cristea Bălan Crăciun Iordache Manea Anghel Tănase Mocanu Chirilă Husar Szabo Kovacs").split()
FIRST = ("Ion Gheorghe Vasile Constantin Marin Nicolae Dumitru Mihai Florin Costel Ionel Petre Viorel Daniel Marius "
         "Gabriel Adrian Cristian Elena Maria Ioana Mariana Georgeta Valentin Cornel Aurel Sorin Lucian").split()
WORDS = "Unirea Viitorul Recolta Spicul Holda Câmpia Agrosem Cerealcom Dunărea Bărăganul Mărul de Aur Izvorul".split()
SEED = ["sămânță porumb P9911", "porumb DKC4590", "hibrid porumb FAO 380", "sămânță floarea-soarelui LG 5485",
        "floarea soarelui Clearfield", "sămânță grâu Glosa", "grâu Otilia", "grâu Izvor", "orz de toamnă",
        "rapiță DK Exception", "soia", "sămânță lucernă", "hibrid NK Neoma"]
FERT = ["azotat de amoniu", "uree 46%", "NPK 15-15-15", "NPK 20-20-0", "DAP 18-46", "nitrocalcar",
        "sulfat de amoniu", "UAN 32", "îngrășământ foliar", "complex 16-16-16"]
PEST = ["erbicid Dual Gold", "erbicid la floarea soarelui", "Pulsar Plus", "fungicid la grâu", "insecticid",
        "tratament sămânță", "erbicid total", "Karate Zeon", "Falcon", "erbicid post-emergent"]
PIESA = ["rulmenți combină", "curea transmisie JD", "cuțite cositoare", "filtru ulei tractor", "duze erbicidator",
         "lanț elevator Claas", "discuri grapă", "brăzdare semănătoare", "furtun hidraulic"]
CULT = ["porumb", "floarea-soarelui", "grâu", "orz", "rapiță", "soia"]
FIRMA = ["AgroSud", "Agrimond", "FertiVest", "Cerealis", "TerraCom", "Agro Nord", "un distribuitor din Craiova",
         "firma din Caracal", "cei din Slobozia", "alt furnizor", "AgroStar", "depozitul din Alexandria"]

T = {  # kind -> templates (staff / customer wording); slots filled per row
 "vizita": ["Vizită fermă – discutat necesar {seed} pt primăvară", "vizita la ferma, culturile de {cult} arata bine, recomandat {pest}",
            "Vizită: prezentat oferta de toamnă ({fert}, {seed})", "intalnire cu administratorul, necesar {fert} cca {n} t",
            "vizita in camp - rasarire {cult} ok, urmeaza erbicidarea", "Discuție plan de fertilizare {an}",
            "vizită la magazin, verificat stocul, lăsat pliante", "Întâlnire la sediu – negociere contract cadru {an}",
            "vizita, probleme cu seceta, amana comanda de {fert}", "vizita lot demonstrativ {seed}",
            "am trecut pe la ferma, nu era nimeni, revin saptamana viitoare", "vizita - discutat livrare {fert} inainte de semanat",
            "Vizită tehnică: atac de dăunători la {cult}, recomandat {pest}", "intalnire dl {nume}, vrea oferta pt {cult}"],
 "oferta": ["Ofertă {fert} – {pret} lei/t, livrare până pe {zi}", "apel – oferta sămânță {cult} campania {an}",
            "Sunat pt necesar {pest}, revine cu răspuns", "telefon: propus {seed} cu plata la recoltă",
            "Oferta personalizata {seed} + {pest}", "tel. – întrebat dacă mai are nevoie de {fert}",
            "oferta piese de schimb inainte de recoltat ({piesa})", "Reactualizare preturi {fert} - trimis pe mail",
            "sunat, nu a raspuns", "apel oferta toamna: {fert} si {seed}", "trimis oferta {an} pe whatsapp"],
 "followup": ["follow-up livrare {cmd}", "Apel după livrare {cmd} – totul ok", "sunat confirmare primire marfa {cmd}",
              "verificare satisfactie dupa livrare, {cmd}", "Follow up {cmd}: a ajuns marfa, fara probleme",
              "telefon post-livrare {cmd}, mai vrea si {prod}", "confirmat receptia {cmd}, multumit"],
 "plata": ["Reamintire scadență factura {fv}", "sunat pt plata facturii {fv} - promite pana vineri", "Confirmare sold la {zi}",
           "factura {fv} restanta, plateste dupa ce vinde recolta", "trimis extras de cont", "reamintire plata {fv}"],
 "intro": ["Prezentare agent nou pe zona {jud}", "vizita de cunoastere - preiau clientul de la colegul {ag}",
           "Apel de prezentare: noul consultant pt jud. {jud}", "Preluare portofoliu – primul contact cu clientul",
           "sunat sa ma prezint, sunt noul agent de zona"],
 "winback": ["sunat - nu mai comandă, zice că s-a aprovizionat din altă parte", "Încercare reactivare client, nu răspunde la telefon",
             "apel reactivare - oferta speciala, a zis ca se gandeste", "client inactiv de cateva luni, lasat mesaj",
             "Telefon fost client – nu mai e interesat momentan", "SMS: Va asteptam cu oferte noi, sunati-ne!"],
 "reclresp": ["Re: reclamație {tkt} – am înlocuit marfa", "raspuns reclamatie {tkt}, trimis buletin de analiza lot",
              "Re: {tkt} - notă de credit emisă", "Apel rezolvare {tkt}", "{tkt} - deplasare in camp cu reprezentantul producatorului",
              "RE: {tkt} inchis, clientul de acord"],
 "comanda": ["Comandă telefonică {n} saci {fert}", "comanda {seed} {n} saci pt {zi}", "vrea {prod}, livrare la ferma",
             "Comanda noua: {prod} + {pest}", "mail cu comanda - {prod}", "cmd {prod} urgent, are utilajele in camp",
             "pe whatsapp: trimiteti {n} saci {fert}", "Re: Oferta {fert} - confirm comanda", "comanda {piesa}, sa fie originale",
             "vrea {n} t {fert} la pretul de data trecuta"],
 "intrebare": ["Întreabă preț {fert}", "cat costa {seed}?", "aveti pe stoc {pest}?", "sfat tratament {cult} – pete pe frunze",
               "intreaba doza de {pest} la {cult}", "cere fișa tehnică {prod}", "poze cu {cult} ingalbenit, ce sa aplice",
               "Intrebare disponibilitate {piesa}", "cere oferta pt campania de toamna", "intreaba cand vine {seed}",
               "ce erbicid merge la {cult} dupa ploaie", "vrea sa stie pretul la {fert} saptamana asta"],
 "livrare": ["Când vine marfa? {cmd}", "intreaba de livrarea {cmd}, trebuia ieri", "Status livrare {cmd}",
             "soferul nu gaseste ferma, a sunat clientul", "schimbare data livrare {cmd}", "livrare {cmd} - sa vina dupa ora 10"],
 "factura": ["Cere duplicat factura {fv}", "Fwd: factura {fv} - nu corespunde cantitatea", "solicita extras de cont",
             "factura {fv} sa fie pe firma noua", "cere factura {fv} pe mail, nu a primit-o"],
 "quality": ["Reclamație {tkt}: germinație slabă la {seed}", "suna suparat - {fert} cu bulgari, saci umezi",
             "{tkt} erbicidul nu a prins, buruienile sunt verzi", "piesa {piesa} nu se potriveste, vrea retur",
             "RECLAMATIE {seed} - rasarire neuniforma", "Re: {tkt} tot nu s-a rezolvat", "{tkt} - {pest} fara efect la {cult}",
             "{seed} nu a rasarit pe {n} ha, cere despagubire", "{fert} prafuit, nu curge prin distribuitor"],
 "delivery": ["livrare intarziata {cmd}, reclamatie {tkt}", "au venit saci rupti, {tkt}", "lipsa {n} saci din livrarea {cmd}",
              "{tkt}: a venit alt produs decat cel comandat", "Întârziere livrare {cmd}, a stat cu semănătoarea"],
 "service": ["nimeni nu raspunde la telefon - {tkt}", "agentul a promis oferta si nu a trimis-o", "factura gresita {fv}, a treia oara",
             "{tkt} - nu l-a sunat nimeni inapoi", "Reclamă atitudinea șoferului"],
 "price": ["pret facturat diferit de oferta, {fv}", "{tkt} - reclamă prețul la {fert}, zice că e peste piață",
           "nu e de acord cu majorarea de pret la {fert}", "cere diferenta de pret inapoi, {fv}"],
 "other": ["{tkt} - alte probleme", "reclamatie generala {tkt}", "probleme cu documentele de insotire, {cmd}"],
 "concurenta": ["Zice că are ofertă de la {firma} la {fert} cu {n}0 lei/t mai ieftin", "a primit oferta de la {firma}, vrea sa ne aliniem",
                "compara preturile cu {firma}", "Cere discount suplimentar, altfel ia de la {firma}",
                "a luat {seed} de la {firma} anul asta", "la {firma} are plata la recoltă, noi nu i-am dat",
                "negociere pret {fert} - are oferta concurenta pe masa", "mi-a aratat oferta {firma}, {pret} lei/t",
                "zice ca ii dau altii bonus la cantitate"],
 "neglijare": ["Nu l-a mai sunat nimeni de la firmă de {n} luni", "am sunat de 3 ori, nu m-a sunat nimeni inapoi",
               "Cine e agentul nostru acum??", "astept oferta de 2 saptamani", "reclama ca agentul nu mai trece pe la ferma",
               "a sunat la birou, nu gasea pe nimeni din vanzari", "de ce nu mai vine nimeni pe la noi?"],
 "mutare": ["Solicită schimbare adresă de livrare – jud. {jud}", "se muta in jud. {jud}, vrea livrari acolo",
            "adresa noua de livrare: {loc}, jud. {jud}", "Actualizare date firmă – sediu nou în {jud}",
            "s-a mutat la copii in {jud}", "intreaba daca livram si in {jud}", "a luat teren in {jud}, livrare acolo"],
 "deces": ["A sunat fiul: dl {nume} a decedat. Închidem contul?", "decedat - info de la vecini",
           "Fiica clientului anunță decesul, rămân facturi de închis", "client decedat, urmasii nu continua activitatea",
           "dl {nume} bolnav, internat – amână comenzile"],
 "incetare": ["Renunță la agricultură, dă pământul în arendă", "a vandut terenul si utilajele", "iese la pensie, închide PFA-ul",
              "PFA radiat, nu mai lucreaza", "vinde ferma, asta e ultima comanda", "se gandeste sa dea terenul in arenda la {firma}"],
 "rude": ["ginerele lucrează la {firma}, ar putea lua de acolo", "zice ca fratele e agent la {firma}",
          "cumnatul are magazin agro, ia de la el unele produse", "vecinul care ni l-a recomandat lucreaza acum cu {firma}",
          "fiul a preluat ferma si are alte contacte"],
}
CAMPAIGNS = [("01-18", "email", "Newsletter campania de primăvară {an}"), ("02-24", "sms", "SMS: Promo {fert} {pret} lei/t pana la {zi}"),
             ("03-10", "email", "Email: Catalog protecția plantelor {an}"), ("easter", "sms", "SMS: Paște fericit! Echipa AgroInput"),
             ("06-04", "email", "Invitatie Ziua Fermierului - loturi demonstrative {an}"),
             ("08-08", "sms", "SMS: Avem stoc {seed}, rezervari la agentul de zona"), ("08-20", "email", "Email: Oferta toamna {an} - {seed}, {fert}"),
             ("12-17", "sms", "SMS: Program sarbatori - depozitul inchis 24.12-02.01")]
EASTER = {2023: "04-12", 2024: "05-01", 2025: "04-16"}
PULSE_OK = ["totul ok", "agent foarte bun", "multumit de seminte", "Mulțumit, livrare la timp", "ok", "sa ramana preturile asa"]
PULSE_BAD = ["livrarile intarzie", "preturi mari", "nu ne mai viziteaza nimeni", "calitate slaba la samanta",
             "reclamatia inca nu e rezolvata", "greu de prins pe cineva la telefon", "alții dau discount mai mare"]
EXIT_COMMENT = {"indifference": ["nu ne-a mai cautat nimeni", "agentul nu mai venea", "nu raspundeati la telefon", ""],
                "product_quality": ["samanta slaba", "probleme cu calitatea", "reclamatia nerezolvata", ""],
                "competitor": ["pret mai bun in alta parte", "plata la recolta la altii", "discount mai mare", ""],
                "personal_ties": ["lucram cu o ruda", "fiul lucreaza la alta firma", ""],
                "moved_or_died": ["ne-am mutat", "a decedat titularul", "am vandut ferma", "nu mai facem agricultura"]}
KIND_DIR_CH = {  # kind -> (0 outbound / 1 inbound / 2 either, channels, probs)
    "vizita": (0, ["meeting"], [1]), "oferta": (0, ["call", "email"], [.75, .25]), "followup": (0, ["call", "sms"], [.9, .1]),
    "plata": (0, ["call", "email", "sms"], [.5, .35, .15]), "intro": (0, ["meeting", "call"], [.5, .5]),
    "winback": (0, ["call", "sms"], [.85, .15]), "reclresp": (0, ["call", "email"], [.6, .4]),
    "comanda": (1, ["call", "chat", "email"], [.6, .25, .15]), "intrebare": (1, ["call", "chat", "email"], [.55, .35, .1]),
    "livrare": (1, ["call", "chat"], [.8, .2]), "factura": (1, ["email", "call"], [.8, .2]),
    "reclamatie": (1, ["call", "email", "chat"], [.55, .3, .15]), "concurenta": (2, ["meeting", "call"], [.5, .5]),
    "neglijare": (1, ["call", "email", "chat"], [.7, .2, .1]), "mutare": (1, ["call", "email"], [.6, .4]),
    "deces": (1, ["call"], [1]), "incetare": (2, ["call", "meeting"], [.7, .3]), "rude": (0, ["meeting", "call"], [.5, .5])}
# the wording of a note often says how the touch happened: it overrides the drawn channel
HINT_RX = [(r"^(re|fwd):|mail", "email"), (r"^sms:", "sms"), (r"whatsapp", "chat"),
           (r"\b(sunat|tel\.|telefon|apel|suna|sună|nu a raspuns)", "call"), (r"vizit|întâlnire|intalnire|am trecut", "meeting")]
HINT = {t: next((ch for rx, ch in HINT_RX if re.search(rx, t.lower())), None) for v in T.values() for t in v}
STRIP = str.maketrans("ăâîșțşţĂÂÎȘȚŞŢ", "aaistst" + "AAISTST")
CEDILLA = str.maketrans("șțȘȚ", "şţŞŢ")
LISTS = {"seed": SEED, "fert": FERT, "pest": PEST, "piesa": PIESA, "cult": CULT, "firma": FIRMA, "ag": SUR}


class Ctx(dict):
    """Slots of a template: the known ones (order, ticket, county, year) are given, the rest drawn on demand."""
    DM = [str(np.datetime64("2023-01-01") + i)[8:10] + "." + str(np.datetime64("2023-01-01") + i)[5:7] for i in range(1140)]

    def __init__(self, R, **kw):
        super().__init__(**kw)
        self.R = R

    def __missing__(self, k):
        R = self.R
        if k in LISTS:
            return R.choice(LISTS[k])
        v = R.randint(1000, 99999)
        if k == "fv":
            return R.choice((f"FV {v}", f"nr. {v}", f"FCT-{self['an']}-{v:05d}", f"fact. {v}", f"{v}"))
        if k == "loc":
            return R.choice(CLOC[CNAME.index(self["jud"])] if self.get("jud") in CNAME else CLOC[0])
        if k == "zi":
            return Ctx.DM[min(self.get("d", 0) + R.randint(3, 30), len(Ctx.DM) - 1)]
        return {"prod": lambda: R.choice(R.choice((SEED, FERT, PEST, PIESA))), "n": lambda: str(R.randint(2, 40)),
                "pret": lambda: f"{R.randint(15, 34) * 100 + R.choice((0, 50)):,}".replace(",", "."),
                "tkt": lambda: f"#{v % 9000 + 100}", "cmd": lambda: f"cmd {v}"}.get(k, lambda: k)()


def noisy(s, R, email=False):
    """Most people skip diacritics, some phones write the old cedilla letters; case, typos, Re:/Fwd: on e-mails."""
    r = R.random()
    s = s.translate(STRIP) if r < 0.62 else (s.translate(CEDILLA) if r < 0.70 else s)
    r = R.random()
    s = s.lower() if r < 0.12 else (s.upper() if r < 0.135 else (s[:1].upper() + s[1:] if r < 0.30 else s))
    if R.random() < 0.07 and len(s) > 8:  # typo: swap, drop or double a letter
        i = R.randint(1, len(s) - 3)
        op = R.random()
        s = s[:i] + s[i + 1] + s[i] + s[i + 2:] if op < .4 else (s[:i] + s[i + 1:] if op < .75 else s[:i] + s[i] + s[i:])
    if email and R.random() < 0.3 and not s[:3].lower() in ("re:", "fwd"):
        s = R.choice(("Re: ", "RE: ", "Fwd: ", "re: ")) + s
    return s


def short_cmd(oid, R):
    y, num = oid[3:7], int(oid[-6:])
    return R.choice((oid, oid, f"cmd {num}", f"comanda nr. {num}", f"CV {num}", f"cmd. {y}/{num}"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--customers", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t_start = time.time()
    rng = np.random.default_rng(a.seed)
    R = random.Random(a.seed)
    N = a.customers
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)

    # ---------------- calendar ----------------
    days = np.arange(NDAYS)
    dts = D0.astype("datetime64[D]") + days
    month = dts.astype("datetime64[M]").astype(int) % 12
    year = dts.astype("datetime64[Y]").astype(int) + 1970
    dow = (days + 6) % 7
    dst = np.zeros(NDAYS, bool)
    for y in (2023, 2024, 2025):
        m = year == y
        dst[days[m & (month == 2) & (dow == 6)].max():days[m & (month == 9) & (dow == 6)].max()] = True
    wd = np.where(dow < 5, 1.15, np.where(dow == 5, 0.4, 0.03))
    hol = np.ones(NDAYS)
    for md in ("12-24", "12-25", "12-26", "01-01", "01-02"):
        hol[[i for i, d in enumerate(dts.astype(str)) if d.endswith(md)]] = 0.1
    DAYM = np.stack([SEAS[p][month] * wd * hol for p in (0, 1)])       # order intensity per day
    WORKM = (wd * hol * (0.7 + 0.3 * SEAS[0][month] / SEAS[0].max()))[None, :]   # contacts: work days

    def ts(t):
        t = np.asarray(t, float)
        sec = np.floor(t * 86400).astype(np.int64)
        s = np.datetime_as_string(D0 + sec.astype("timedelta64[s]"), unit="s")
        return np.char.add(s, np.where(dst[np.clip(sec // 86400, 0, NDAYS - 1)], "+03:00", "+02:00")).tolist()

    def tod(n, lo, hi, peak, sd=2.5):
        h = rng.normal(peak, sd, n)
        bad = (h < lo) | (h > hi)
        h[bad] = rng.uniform(lo, hi, bad.sum())
        return h / 24.0

    def thin(rate, lo, hi, daym, extra=None, pf=None):
        """Poisson events with intensity rate_c * daym[profile_c, day] * extra(c, t) on [lo_c, hi_c)."""
        pf = np.zeros(len(rate), int) if pf is None else pf
        mx = daym.max(1)
        dur = np.clip(hi - lo, 0, None)
        n = rng.poisson(rate * mx[pf] * dur)
        c = np.repeat(np.arange(len(rate)), n)
        t = lo[c] + rng.random(c.size) * dur[c]
        p = daym[pf[c], t.astype(int)] / mx[pf[c]]
        if extra is not None:
            p = p * extra(c, t)
        k = rng.random(c.size) < p
        return c[k], np.floor(t[k]).astype(int)

    # ---------------- customers ----------------
    seg = rng.choice(5, N, p=SEG_P)
    prof = (seg == 4).astype(int)
    cty = rng.choice(len(CNAME), N, p=CW)
    new = rng.random(N) < 0.27
    sw = SEAS[0][month] + 0.3
    signup = np.where(new, rng.choice(NDAYS - 20, N, p=sw[:NDAYS - 20] / sw[:NDAYS - 20].sum()),
                      -rng.integers(20, 15 * 365, N))
    start = np.maximum(signup, 0).astype(float)
    het = rng.lognormal(-0.15, 0.55, N)
    size = het ** 0.3 * rng.lognormal(0, 0.45, N)
    # churn and reasons: constant hazard for old accounts; new ones leave faster, 8% after a single try ("once is an accident")
    m_old = -1083 / np.log(1 - CHURN_P[seg])
    life = np.where(new, 30 + np.where(rng.random(N) < 0.08, rng.exponential(150, N), rng.exponential(0.45 * m_old)),
                    10 + rng.exponential(m_old))
    churn = start + life <= LAST_CHURN
    churn_day = np.where(churn, np.floor(start + life), float(NDAYS))
    reason = np.full(N, -1)
    pr = SHARES * TILT / (SHARES * TILT).sum(1, keepdims=True)     # segment tilts: big farms are courted by rivals...
    reason[churn] = (rng.random(N)[churn, None] > np.cumsum(pr[seg[churn]], 1)).sum(1)
    isr = [churn & (reason == k) for k in range(5)]
    hi = churn_day.copy()                                   # activity ends (exclusive)
    span = lambda a_, b_: rng.uniform(a_, b_, N)
    onset = np.maximum(start + 1, churn_day - np.select(isr, [span(120, 420), span(60, 300), span(120, 400),
                                                              span(20, 120), span(20, 150)], 0))
    onset[~churn] = np.inf
    sub = rng.choice(3, N, p=[0.42, 0.35, 0.23])            # moved / ceased / died
    loyal = rng.random(N) < np.where(churn, np.array([.25, .28, .12, .2, .3])[np.maximum(reason, 0)],
                                     np.where(seg == 0, .5, .33))

    # agents: county portfolios, some leave, a replacement arrives after a gap
    ag_cty = np.repeat(np.arange(len(CNAME)), [max(2, int(round((cty == k).sum() / 220))) for k in range(len(CNAME))])
    n0a = ag_cty.size
    leaves = rng.random(n0a) < 0.3
    ag_L = np.where(leaves, rng.integers(60, 1060, n0a), np.inf)
    ag_R = ag_L + rng.integers(15, 120, n0a)
    n_rep = leaves.sum()
    ag_repl = np.full(n0a + n_rep, -1)
    ag_repl[np.where(leaves)[0]] = n0a + np.arange(n_rep)       # the replacement hired when the gap ends
    ag_hire = np.r_[-rng.integers(100, 4000, n0a), ag_R[leaves]]
    ag_cty, ag_L, ag_R = np.r_[ag_cty, ag_cty[leaves]], np.r_[ag_L, np.full(n_rep, np.inf)], np.r_[ag_R, np.full(n_rep, np.inf)]
    ag_dil = rng.lognormal(0, 0.35, n0a + n_rep)
    by_cty = [np.where(ag_cty[:n0a] == k)[0] for k in range(len(CNAME))]
    agent0 = np.array([R.choice(by_cty[k]) for k in cty])
    mc = isr[0] & (rng.random(N) < 0.45)                   # indifference via a departed agent
    for i in np.where(mc)[0]:
        cand = by_cty[cty[i]][(ag_L[by_cty[cty[i]]] >= churn_day[i] - 420) & (ag_L[by_cty[cty[i]]] <= churn_day[i] - 60)
                              & (ag_L[by_cty[cty[i]]] > start[i] + 30)]
        if len(cand):
            agent0[i] = R.choice(list(cand))
        else:
            mc[i] = False
    Lc, Rc = ag_L[agent0].astype(float), ag_R[agent0].astype(float)
    agent1 = np.where(ag_repl[agent0] >= 0, ag_repl[agent0], agent0)
    early = start >= Rc                                      # joined after the replacement arrived
    agent0 = np.where(early, agent1, agent0)
    Lc[early], Rc[early] = np.inf, np.inf
    dil0, dil1 = ag_dil[agent0], ag_dil[agent1]
    dmax = np.maximum(dil0, dil1)
    manager = np.where(NDAYS - 1 >= Rc, agent1, agent0)
    # neglect episodes
    n0, n1, nm = np.full(N, np.inf), np.full(N, np.inf), rng.uniform(0.03, 0.4, N)
    e = mc & (rng.random(N) < 0.85)
    n0[e], n1[e] = Lc[e], churn_day[e]
    e = isr[0] & ~mc & (rng.random(N) < 0.78)
    n0[e], n1[e] = onset[e], churn_day[e]
    e = ~isr[0] & (rng.random(N) < np.where(churn, 0.15, 0.18))
    n0[e] = rng.uniform(start[e], np.maximum(hi[e] - 30, start[e] + 1))
    n1[e] = n0[e] + rng.uniform(60, 300, e.sum())
    nm[e] = rng.uniform(0.05, 0.45, e.sum())
    # fading orders before departure, stayer trends, competitor shrink, discounts
    floor = np.array([0.3, 0.5, 0.55, 0.9, 0.6])[np.maximum(reason, 0)]
    ons0 = np.where(churn, onset, 0)
    fs = np.where(churn, ons0 + np.where(isr[3], 0.7, 0.3) * (churn_day - ons0), np.inf)   # fading starts
    trend = np.where(churn, 0, rng.normal(0, 0.2, N))
    shrink_floor = rng.uniform(0.25, 0.55, N)
    hunter = rng.random(N) < 0.15
    disc_p = np.where(hunter, rng.beta(6, 2, N), rng.beta(1.2, 4, N)) + 0.08 * loyal
    disc_pct = np.where(hunter, rng.uniform(0.04, 0.10, N), rng.uniform(0.02, 0.07, N))
    # moves: churners of sub-type "moved" and ~2.5% of stayers; big farms deliver to a 2nd county
    mover = (isr[4] & (sub == 0)) | (~churn & (rng.random(N) < 0.025) & (NDAYS - 60 > start + 60))
    move_day = np.full(N, np.inf)
    move_day[mover] = np.where(churn[mover], np.maximum(start[mover] + 5, churn_day[mover] - rng.uniform(15, 150, mover.sum())),
                               rng.uniform(start[mover] + 30, NDAYS - 30))
    new_cty = np.where(mover, (cty + rng.integers(1, len(CNAME), N)) % len(CNAME), cty)
    second = (seg <= 1) & (rng.random(N) < 0.06)
    cty2 = (cty + rng.integers(1, len(CNAME), N)) % len(CNAME)

    # ---------------- orders ----------------
    def order_extra(c, t):
        f = np.where(t > fs[c], 1 - (1 - floor[c]) * (t - fs[c]) / np.maximum(churn_day[c] - fs[c], 1), 1.0)
        return f * np.clip(1 + trend[c] * (t / NDAYS - 0.5), 0.3, 1.2) / 1.2
    oc, od = thin(ORD_YR[seg] * het / 365 * 1.2, start, hi, DAYM, order_extra, prof)
    first_at = np.floor(start + rng.uniform(0, 1, N) * np.clip((hi - start) / 2, 1, np.where(new, 10, 60))).astype(int)
    need = new | (np.bincount(oc, minlength=N) == 0)
    oc, od = np.r_[oc, np.where(need)[0]], np.r_[od, first_at[need]]
    ot = od + tod(oc.size, 7, 18.5, 11, 2.8)
    mo = month[od]
    grp = (rng.random(oc.size)[:, None] > np.cumsum(GROUP_BY_MONTH[mo], 1)).sum(1).clip(0, 3)
    comp_ph = isr[2][oc] & (ot > onset[oc])
    prog = np.clip((ot - onset[oc]) / np.maximum(0.6 * (churn_day[oc] - onset[oc]), 1), 0, 1)
    shr = np.where(comp_ph, 1 - (1 - shrink_floor[oc]) * prog, 1.0)
    grp = np.where(comp_ph & (grp <= 1) & (rng.random(oc.size) < 0.6 * prog), rng.choice([2, 3], oc.size), grp)
    drought = np.where(SOUTH_EAST[cty[oc]] & (od >= 578) & (od < 700), 0.8, 1.0)   # Aug-Nov 2024
    price_idx = np.where(od < 180, 1.15, 1.0)
    amt = np.round(np.maximum(AMT_MED[seg[oc]] * size[oc] * GROUP_MULT[grp] * rng.lognormal(0, 0.55, oc.size)
                              * shr * drought * price_idx, 80), 2)
    dp = np.where(comp_ph, np.maximum(disc_p[oc], 0.8), disc_p[oc])
    pct = np.where(comp_ph, rng.uniform(0.07, 0.15, oc.size), disc_pct[oc])
    disc = np.where(rng.random(oc.size) < dp, np.round(amt * pct, 2), 0.0)
    oreg = np.where(ot >= move_day[oc], new_cty[oc], np.where(second[oc] & (rng.random(oc.size) < 0.15), cty2[oc], cty[oc]))
    # returns: baseline, agri-shops' unsold seed after sowing, quality-driven
    qwin = isr[1][oc] & (ot > onset[oc])
    p_ret = np.where(qwin, 0.22, 0.008) + np.where((prof[oc] == 1) & (grp == 0) & (mo <= 3), 0.06, 0)
    r_i = np.where(rng.random(oc.size) < p_ret)[0]
    r_t = np.floor(ot[r_i]) + tod(r_i.size, 8, 16, 11) + np.where(
        (prof[oc[r_i]] == 1) & (grp[r_i] == 0) & ~qwin[r_i], rng.integers(40, 90, r_i.size), rng.integers(2, 30, r_i.size))
    ok = r_t < np.minimum(hi[oc[r_i]], NDAYS - 0.3)
    r_i, r_t = r_i[ok], r_t[ok]
    inc = np.unique(np.concatenate([np.where(                # bad seed lots hitting a few counties in one season
        np.isin(cty[oc], rng.choice(len(CNAME), 3, replace=False)) & (od >= d - 30) & (od < d) & (grp == 0)
        & (rng.random(oc.size) < 0.35))[0] for d in (95, 455, 820)]))
    O = pd.DataFrame({"c": np.r_[oc, oc[r_i]], "t": np.r_[ot, r_t], "amount": np.r_[amt, -np.round(amt[r_i] * rng.choice(
        [1, 1, .5, .3, .2], r_i.size), 2)], "disc": np.r_[disc, np.zeros(r_i.size)], "ret": np.r_[np.zeros(oc.size, int),
        np.ones(r_i.size, int)], "reg": np.r_[oreg, oreg[r_i]], "grp": np.r_[grp, grp[r_i]],
        "src": np.r_[np.arange(oc.size), r_i]}).sort_values("t", kind="stable").reset_index(drop=True)
    O["yr"] = year[O.t.values.astype(int)]
    seq = O.groupby(["yr", "ret"]).cumcount().values + 1
    O["order_id"] = [f"{'RT' if r else 'CV'}-{y}-{s:06d}" for r, y, s in zip(O.ret.values, O.yr.values, seq)]
    oid_of = np.empty(oc.size, object)
    m_o = O.ret.values == 0
    oid_of[O.src.values[m_o]] = O.order_id.values[m_o]

    # ---------------- complaints ----------------
    CATS, cat_p = ["quality", "delivery", "service", "price", "other"], [.38, .32, .12, .10, .08]
    b = np.where(rng.random(oc.size) < np.where(seg[oc] == 0, 0.02, 0.011))[0]
    parts = [(oc[b], ot[b] + rng.uniform(0.5, 20, b.size), rng.choice(5, b.size, p=cat_p), b, np.zeros(b.size, bool))]
    k = np.where(isr[1], np.where(rng.random(N) < 0.2, 0, 1 + np.minimum(rng.poisson(0.8, N), 3)), 0)
    qc = np.repeat(np.arange(N), k)
    parts.append((qc, rng.uniform(onset[qc], churn_day[qc] - 3), rng.choice([0, 2, 1], qc.size, p=[.65, .22, .13]),
                  np.full(qc.size, -1), np.ones(qc.size, bool)))
    k = np.where(isr[2] & (rng.random(N) < 0.45), rng.integers(1, 3, N), 0)
    pc = np.repeat(np.arange(N), k)
    parts.append((pc, rng.uniform(onset[pc], churn_day[pc] - 2), np.full(pc.size, 3), np.full(pc.size, -1), np.zeros(pc.size, bool)))
    sc = np.where(isr[0] & (rng.random(N) < 0.15))[0]
    parts.append((sc, rng.uniform(np.minimum(onset[sc], churn_day[sc] - 30), churn_day[sc] - 2), np.full(sc.size, 2),
                  np.full(sc.size, -1), np.zeros(sc.size, bool)))
    parts.append((oc[inc], ot[inc] + rng.uniform(20, 45, inc.size), np.zeros(inc.size, int), inc, np.zeros(inc.size, bool)))
    C = pd.DataFrame({k_: np.concatenate([p[i] for p in parts]) for i, k_ in enumerate(["c", "t", "cat", "ord", "strong"])})
    C = C[(C.t < NDAYS - 0.3) & (C.t >= start[C.c.values])].sort_values("t", kind="stable").reset_index(drop=True)
    C["t"] = np.floor(C.t.values) + tod(len(C), 8, 17, 11)
    slow = C.strong.values | (rng.random(len(C)) < 0.08)
    res = C.t.values + np.where(slow, rng.lognormal(np.log(25), 0.8, len(C)), rng.lognormal(np.log(3), 1.0, len(C)))
    res = np.maximum(np.floor(res) + tod(len(C), 8, 18, 13), C.t.values + 0.01)
    openp = np.where(C.strong.values, 0.35, 0.05)
    res = np.where((rng.random(len(C)) < openp) | (res > NDAYS - 0.3), np.nan, res)
    C["res"] = res
    yy = year[C.t.values.astype(int)] % 100
    C["ticket"] = [f"TKT-{y}-{s:05d}" for y, s in zip(yy, pd.Series(yy).groupby(yy).cumcount().values + 1)]

    # ---------------- contacts ----------------
    rows_c, rows_t, rows_k, rows_ref = [], [], [], []

    def add(c, t, kind, ref=None):
        c = np.asarray(c, int); rows_c.append(c); rows_t.append(np.asarray(t, float))
        rows_k.append(np.full(c.size, kind, object) if isinstance(kind, str) else np.asarray(kind, object))
        rows_ref.append(np.full(c.size, None, object) if ref is None else np.asarray(ref, object))

    def neglected(c, t):
        return ((t >= n0[c]) & (t < n1[c])) | ((t >= Lc[c]) & (t < Rc[c]))

    def out_extra(c, t):
        dil = np.where(t >= Rc[c], dil1[c], dil0[c]) / dmax[c]
        return dil * np.where((t >= n0[c]) & (t < n1[c]), nm[c], 1.0) * np.where((t >= Lc[c]) & (t < Rc[c]), 0.04, 1.0)
    c_, d_ = thin(OUT_YR[seg] * dmax / 365, start, hi, WORKM, out_extra)
    add(c_, d_ + tod(c_.size, 8, 18, 12), rng.choice(["vizita", "oferta", "plata"], c_.size, p=[.38, .5, .12]))
    pfu = np.clip(0.32 * np.where(ot >= Rc[oc], dil1[oc], dil0[oc]) * np.where(neglected(oc, ot), 0.1, 1), 0, 0.9)
    f = np.where(rng.random(oc.size) < pfu)[0]
    ft = np.floor(ot[f]) + rng.integers(1, 8, f.size) + tod(f.size, 9, 17, 12)
    ok = ft < np.minimum(hi[oc[f]] + 20, NDAYS - 0.3)
    add(oc[f[ok]], ft[ok], "followup", oid_of[f[ok]])
    i_ = np.where(rng.random(oc.size) < 0.22)[0]
    add(oc[i_], np.floor(ot[i_]) - rng.choice([0, 0, 1, 2], i_.size) + tod(i_.size, 7, 20, 10, 3), "comanda")
    i_ = np.where(rng.random(oc.size) < 0.06)[0]
    lt = np.floor(ot[i_]) + rng.integers(1, 5, i_.size) + tod(i_.size, 7, 19, 10)
    add(oc[i_][lt < NDAYS - 0.3], lt[lt < NDAYS - 0.3], "livrare", oid_of[i_][lt < NDAYS - 0.3])
    c_, d_ = thin(IN_YR[seg] / 365, start, hi, WORKM)
    add(c_, d_ + tod(c_.size, 7, 21, 12, 3.5), rng.choice(["intrebare", "factura"], c_.size, p=[.85, .15]))
    # new agent introduces himself (rarely to the clients who will be lost through neglect)
    e = np.isfinite(Rc) & (Rc < hi) & (rng.random(N) < np.where(mc, 0.25, 0.7))
    add(np.where(e)[0], np.floor(Rc[e]) + rng.integers(0, 20, e.sum()) + tod(e.sum(), 9, 17, 12), "intro")
    # complaint-linked contacts
    i_ = rng.random(len(C)) < 0.85
    add(C.c.values[i_], C.t.values[i_] - rng.uniform(0, 0.05, i_.sum()), "reclamatie", C.index.values[i_])
    i_ = ~np.isnan(C.res.values) & (rng.random(len(C)) < 0.5)
    add(C.c.values[i_], C.res.values[i_], "reclresp", C.index.values[i_])
    # reason hints (also among stayers)
    def hint(mask, lo_, hi_, kind, lam=0.0):
        k_ = np.where(mask, 1 + rng.poisson(lam, N), 0)
        cc = np.repeat(np.arange(N), k_)
        tt = rng.uniform(lo_[cc], np.maximum(hi_[cc], lo_[cc] + 1))
        cc, tt = cc[tt < NDAYS - 0.3], tt[tt < NDAYS - 0.3]
        add(cc, np.floor(tt) + tod(cc.size, 8, 19, 13), kind)
    rnd = lambda p: rng.random(N) < p
    endv = np.full(N, NDAYS - 1.0)
    hint(isr[2] & rnd(0.55), onset, churn_day - 1, "concurenta", 0.7)
    hint(~isr[2] & rnd(np.where(churn, 0.04, 0.07)), start, hi - 1, "concurenta")
    ng0 = np.where(np.isfinite(n0), n0, onset)
    hint(isr[0] & rnd(0.25), ng0, churn_day - 1, "neglijare", 0.4)
    hint(~churn & np.isfinite(n0) & rnd(0.10), n0, np.minimum(n1, endv), "neglijare")
    hint(mover & rnd(0.62), move_day - 20, move_day, "mutare")
    hint(isr[4] & (sub == 1) & rnd(0.45), churn_day - 120, churn_day + 10, "incetare")
    hint(~churn & rnd(0.006), start, endv, "incetare")
    hint(isr[4] & (sub == 2) & rnd(0.45), churn_day - 30, churn_day + 60, "deces")
    hint(isr[3] & rnd(0.15), churn_day - 200, churn_day - 1, "rude")
    hint(~churn & rnd(0.01), start, endv, "rude")
    hint(churn & rnd(0.33), churn_day + 40, churn_day + 150, "winback")
    # campaigns (same text to everyone targeted; lost clients stay on the list for a year)
    camp_rows = []
    dstr = dts.astype(str)
    for y in (2023, 2024, 2025):
        for md, ch, tpl in CAMPAIGNS:
            cd = int(np.where(dstr == f"{y}-{EASTER[y] if md == 'easter' else md}")[0][0])
            cd += 2 if dow[cd] == 5 else (1 if dow[cd] == 6 else 0)
            ctx = Ctx(R, an=str(y), d=cd)
            p_t = np.where(seg == 2, 0.5, 0.2) if ch == "sms" else np.where(seg == 2, 0.08, 0.45)
            tgt = np.where((start <= cd) & (churn_day + 365 > cd) & (rng.random(N) < p_t))[0]
            camp_rows.append((tgt, cd + (9.5 + R.random()) / 24, tpl.format_map(ctx), ch))
    K = pd.DataFrame({"c": np.concatenate(rows_c), "t": np.concatenate(rows_t), "kind": np.concatenate(rows_k),
                      "ref": np.concatenate(rows_ref)})
    K = K[(K.t >= start[K.c.values]) & (K.t < NDAYS - 0.3)].reset_index(drop=True)
    kinds = K.kind.values
    inbound = np.array([KIND_DIR_CH[k_][0] for k_ in kinds])
    inbound = np.where(inbound == 2, rng.random(len(K)) < 0.5, inbound).astype(bool)
    chan = np.empty(len(K), object)
    for k_, (_, chs, ps) in KIND_DIR_CH.items():
        m = kinds == k_
        chan[m] = rng.choice(chs, m.sum(), p=ps)
    kc, kt, kref = K.c.values, K.t.values, K.ref.values
    topics = []
    Cv_cat, Cv_ord, Cv_tkt = C.cat.values, C.ord.values, C.ticket.values
    sname = np.array(R.choices(SUR, k=N), object)
    for i in range(len(K)):
        kd, c = kinds[i], kc[i]
        ctx = Ctx(R, an=str(year[int(kt[i])]), d=int(kt[i]), jud=CNAME[new_cty[c]] if kd == "mutare" else CNAME[cty[c]],
                  nume=sname[c])
        if kd in ("reclamatie", "reclresp"):
            j = kref[i]
            ctx["tkt"] = R.choice((Cv_tkt[j], Cv_tkt[j], "#" + Cv_tkt[j][-5:].lstrip("0"), "tichet " + Cv_tkt[j][-5:]))
            if Cv_ord[j] >= 0:
                ctx["cmd"] = short_cmd(oid_of[Cv_ord[j]], R)
            tpl = R.choice(T[CATS[Cv_cat[j]]] if kd == "reclamatie" else T[kd])
        else:
            if kref[i] is not None:
                ctx["cmd"] = short_cmd(kref[i], R)
            tpl = R.choice(T[kd])
        h = HINT[tpl]
        if h and not (h == "meeting" and inbound[i]):
            chan[i] = h
        topics.append(noisy(tpl.format_map(ctx), R, chan[i] == "email"))
    neg = neglected(kc, kt)
    ans = np.where(inbound, rng.random(len(K)) < np.where(neg, 0.68, 0.94), False)
    live = (chan == "call") & (rng.random(len(K)) < np.where(neg, 0.2, 0.55))
    rh = np.where(live, 0.0, np.minimum(rng.lognormal(np.where(neg, np.log(20), np.log(2.5)), 1.0, len(K)), 400)).round(1)
    agent_at = np.where(kt >= Rc[kc], agent1[kc], agent0[kc])
    for tgt, tc, txt, ch in camp_rows:
        kc = np.r_[kc, tgt]; kt = np.r_[kt, np.full(tgt.size, tc)]; topics += [txt] * tgt.size
        chan = np.r_[chan, np.full(tgt.size, ch, object)]; inbound = np.r_[inbound, np.zeros(tgt.size, bool)]
        ans = np.r_[ans, np.zeros(tgt.size, bool)]; rh = np.r_[rh, np.zeros(tgt.size)]
        agent_at = np.r_[agent_at, np.full(tgt.size, -1)]
    ordk = np.argsort(kt, kind="stable")

    # ---------------- surveys ----------------
    s_c, s_t, s_kind, s_score, s_reason, s_com = [], [], [], [], [], []
    Ck = C.c.values.astype(np.int64) * 10000 + C.t.values
    qmask = C.cat.values <= 2
    Ckq = np.sort(Ck[qmask])
    for w0 in (170, 320, 535, 686, 900, 1051):               # after spring and autumn campaigns
        act = (start < w0 - 60) & (hi > w0 + 21)
        resp = act & (rng.random(N) < np.where(neglected(np.arange(N), np.full(N, w0)), 0.12, 0.22) * (1 + 0.3 * loyal))
        cc = np.where(resp)[0]
        tt = w0 + rng.integers(0, 20, cc.size) + tod(cc.size, 9, 19, 14)
        base = cc.astype(np.int64) * 10000
        nq = np.searchsorted(Ckq, base + tt) - np.searchsorted(Ckq, base + tt - 180)
        sc = (8.3 + rng.normal(0, 1.3, cc.size) - 1.7 * np.minimum(nq, 2) - 1.1 * neglected(cc, tt)
              - 0.8 * (isr[2][cc] & (tt > onset[cc])) - 1.2 * (isr[1][cc] & (tt > onset[cc])))
        s_c.append(cc); s_t.append(tt); s_kind += ["pulse"] * cc.size
        s_score.append(np.clip(np.round(sc), 0, 10)); s_reason += [None] * cc.size
        s_com += [(R.choice(PULSE_BAD) if v <= 6 else R.choice(PULSE_OK)) if R.random() < 0.15 else None for v in sc]
    conf = np.array([[.55, .12, .25, .05, .03], [.12, .70, .15, .02, .01], [.12, .08, .75, .05, 0],
                     [.15, .05, .25, .55, 0], [.05, 0, 0, .05, .90]])
    ex = churn & (rng.random(N) < np.where(isr[4], 0.22, 0.36))
    et = churn_day + rng.integers(7, 75, N) + tod(N, 9, 18, 12)
    ex &= et < NDAYS - 0.3
    cc = np.where(ex)[0]
    rep = (rng.random(cc.size)[:, None] > np.cumsum(conf[reason[cc]], 1)).sum(1).clip(0, 4)
    s_c.append(cc); s_t.append(et[cc]); s_kind += ["exit"] * cc.size
    s_score.append(np.clip(np.round(np.where(rep == 4, rng.normal(7, 1.5, cc.size), rng.normal(3, 2, cc.size))), 0, 10))
    s_reason += [REASONS[r] for r in rep]
    s_com += [R.choice(EXIT_COMMENT[REASONS[r]]) or None if R.random() < 0.5 else None for r in rep]
    S = pd.DataFrame({"c": np.concatenate(s_c), "t": np.concatenate(s_t), "kind": s_kind,
                      "score": np.concatenate(s_score), "reason": s_reason, "com": s_com}).sort_values("t").reset_index(drop=True)

    # ---------------- referrals (personal ties: the referrer left first) ----------------
    ref_by = np.full(N, -1)
    pools = [np.where(cty == k)[0] for k in range(len(CNAME))]
    for i in np.where(rng.random(N) < 0.3)[0]:                 # neighbours recommending us
        pool = pools[cty[i]]
        j = pool[R.randrange(len(pool))]
        if signup[j] < signup[i]:
            ref_by[i] = j
    ch_idx = np.where(churn)[0]
    for i in np.where(isr[3] & (rng.random(N) < np.where(ref_by >= 0, 0.75, 0.22)))[0]:
        cand = ch_idx[(cty[ch_idx] == cty[i]) & (churn_day[ch_idx] < churn_day[i] - 5)
                      & (churn_day[ch_idx] > churn_day[i] - 365) & (signup[ch_idx] < signup[i])]
        if len(cand):
            ref_by[i] = R.choice(list(cand))

    # ---------------- write ----------------
    db = out / "crm.db"
    if db.exists():
        db.unlink()
    con = sqlite3.connect(db)
    con.executescript("""PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
    CREATE TABLE customers(customer_id TEXT PRIMARY KEY, denumire TEXT, cui TEXT, segment TEXT, region TEXT, localitate TEXT,
      suprafata_ha REAL, signed_up_at TEXT, loyalty_member INTEGER, referred_by TEXT, manager_id TEXT);
    CREATE TABLE agenti(agent_id TEXT PRIMARY KEY, nume TEXT, judet TEXT, data_angajare TEXT, data_plecare TEXT);
    CREATE TABLE orders(order_id TEXT PRIMARY KEY, customer_id TEXT, ordered_at TEXT, amount REAL, discount_amount REAL, returned INTEGER, region TEXT, product_group TEXT);
    CREATE TABLE contacts(contact_id INTEGER PRIMARY KEY, customer_id TEXT, contacted_at TEXT, direction TEXT, channel TEXT, topic TEXT, answered INTEGER, response_hours REAL, agent_id TEXT);
    CREATE TABLE complaints(complaint_id TEXT PRIMARY KEY, customer_id TEXT, opened_at TEXT, category TEXT, resolved_at TEXT, descriere TEXT);
    CREATE TABLE surveys(survey_id INTEGER PRIMARY KEY, customer_id TEXT, answered_at TEXT, kind TEXT, score INTEGER, reason TEXT, comentariu TEXT);""")
    cid = np.array([f"CL{100000 + i:06d}" for i in range(N)], object)
    aid = [f"AG{i + 1:03d}" for i in range(len(ag_cty))]
    names = []
    for i in range(N):
        s_, f_, w_, l_ = sname[i], R.choice(FIRST), R.choice(WORDS), R.choice(CLOC[cty[i]])
        names.append(R.choice({0: [f"SC {s_} Agro SRL", f"Agricola {l_} SA", f"{w_} Farm SRL"],
                               1: [f"SC Agro{s_.upper()} SRL", f"{s_} Cereal SRL", f"Ferma {s_} SRL"],
                               2: [f"PFA {s_} {f_}", f"II {s_} {f_}", f"{s_} {f_}", f"ÎF {s_} {f_}"],
                               3: [f"Cooperativa Agricolă {w_}", f"Coop. Agricolă {l_}"],
                               4: [f"Agro Shop {s_} SRL", f"Fitofarm {l_} SRL", f"Magazin Agro {s_}"]}[seg[i]]))
    ha = np.where(seg == 4, np.nan, np.round(HA_MED[seg] * rng.lognormal(0, 0.5, N), 1))
    cur_reg = np.where(mover & (rng.random(N) < 0.77) & (move_day < NDAYS), new_cty, cty)
    su = (D0.astype("datetime64[D]") + signup.astype("timedelta64[D]")).astype(str)
    con.executemany("INSERT INTO customers VALUES(?,?,?,?,?,?,?,?,?,?,?)", zip(
        cid, names, [("RO" if s < 2 or s == 4 else "") + str(R.randint(1000000, 49999999)) for s in seg],
        [SEGMENTS[s] for s in seg], [CNAME[k] for k in cur_reg], [R.choice(CLOC[k]) for k in cur_reg], [None if x != x else x for x in ha.tolist()],
        su.tolist(), loyal.astype(int).tolist(), [cid[j] if j >= 0 else None for j in ref_by], [aid[m] for m in manager]))
    iso = lambda d: None if not np.isfinite(d) else str(D0.astype("datetime64[D]") + int(d))
    con.executemany("INSERT INTO agenti VALUES(?,?,?,?,?)", [
        (aid[i], f"{R.choice(FIRST)} {R.choice(SUR)}", CNAME[ag_cty[i]], iso(ag_hire[i]), iso(ag_L[i])) for i in range(len(aid))])
    con.executemany("INSERT INTO orders VALUES(?,?,?,?,?,?,?,?)", zip(
        O.order_id.tolist(), cid[O.c.values].tolist(), ts(O.t.values), O.amount.tolist(), O.disc.tolist(),
        O.ret.tolist(), [CNAME[k] for k in O.reg.values], [GROUPS[g] for g in O.grp.values]))
    con.executemany("INSERT INTO contacts VALUES(?,?,?,?,?,?,?,?,?)", zip(
        range(1, len(ordk) + 1), cid[kc[ordk]].tolist(), ts(kt[ordk]), np.where(inbound, "inbound", "outbound")[ordk].tolist(),
        chan[ordk].tolist(), [topics[i] for i in ordk], [int(a_) if b_ else None for a_, b_ in zip(ans[ordk], inbound[ordk])],
        [float(r_) if (b_ and a_) else None for r_, a_, b_ in zip(rh[ordk], ans[ordk], inbound[ordk])],
        [aid[g] if (g >= 0 and not b_) else None for g, b_ in zip(agent_at[ordk], inbound[ordk])]))
    desc = []
    for j in range(len(C)):
        ctx = Ctx(R, an=str(year[int(C.t.values[j])]), d=int(C.t.values[j]), tkt=C.ticket.values[j], jud=CNAME[cty[C.c.values[j]]])
        if Cv_ord[j] >= 0:
            ctx["cmd"] = short_cmd(oid_of[Cv_ord[j]], R)
        desc.append(noisy(R.choice(T[CATS[Cv_cat[j]]]).format_map(ctx), R))
    res_s = ts(np.nan_to_num(C.res.values, nan=0))
    con.executemany("INSERT INTO complaints VALUES(?,?,?,?,?,?)", zip(
        C.ticket.tolist(), cid[C.c.values].tolist(), ts(C.t.values), [CATS[k] for k in C.cat.values],
        [s if r == r else None for s, r in zip(res_s, C.res.values)], desc))
    con.executemany("INSERT INTO surveys VALUES(?,?,?,?,?,?,?)", zip(
        range(1, len(S) + 1), cid[S.c.values].tolist(), ts(S.t.values), S.kind.tolist(), S.score.astype(int).tolist(),
        S.reason.tolist(), S.com.tolist()))
    con.executescript("".join(f"CREATE INDEX ix_{t}_customer ON {t}(customer_id);" for t in ("orders", "contacts", "complaints")))
    con.commit(), con.close()
    tr = pd.DataFrame({"customer_id": cid[churn], "churned_at": (D0.astype("datetime64[D]") + churn_day[churn].astype(
        int).astype("timedelta64[D]")).astype(str), "true_reason": [REASONS[r] for r in reason[churn]]})
    tr.to_csv(out / "truth.csv", index=False)
    print(f"done: {N} customers, {churn.sum()} churned, db {db} ({time.time() - t_start:.1f}s)")


if __name__ == "__main__":
    main()
