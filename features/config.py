"""Typed settings, parsed once from `configs/*.yaml` at the edge and passed down as fields."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from features.errors import ConfigError
from features.topics import keyword_problem

CONFIG_DIR = Path(__file__).resolve().parents[1] / "configs"
DEFAULT_PIPELINE_CONFIG = CONFIG_DIR / "pipeline.yaml"
REPORT_LABELS = CONFIG_DIR / "report_labels.yaml"
REASONS_CONFIG = CONFIG_DIR / "reasons.yaml"
LANGUAGES = ("en", "uk", "ru", "ro", "hr")


def _in_every_language(value: dict[str, str]) -> dict[str, str]:
    missing = [lang for lang in LANGUAGES if not value.get(lang)]
    if missing:
        raise ValueError(f"missing for languages {missing}")
    return value


def _iana_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/Kyiv") from error
    return value


class _Strict(BaseModel):
    # A misspelt key must fail loudly, not be ignored and leave a default in force.
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceConfig(_Strict):
    """How to read a CRM: time zone of naive timestamps and name mappings onto the contract."""

    timezone: str = "UTC"
    tables: dict[str, str] = Field(default_factory=dict)
    columns: dict[str, dict[str, str]] = Field(default_factory=dict)

    _known_zone = field_validator("timezone")(_iana_zone)

    def table_name(self, table: str) -> str:
        """The CRM's own name of a contract table: its file's stem, or its database table."""
        return self.tables.get(table, table)


class ValidationConfig(_Strict):
    future_tolerance_minutes: float = Field(default=5, ge=0)


class GeneratorConfig(_Strict):
    reason_shares: dict[str, float] = Field(default_factory=dict)


class ChurnConfig(_Strict):
    """What churn means for this business, and who is scored (see `features.timeline`)."""

    definition: Literal["inactivity", "cancellation"] = "inactivity"
    horizon_days: int = Field(default=90, ge=1)
    lookback_days: int = Field(default=365, ge=1)
    training_cutoffs: int = Field(default=24, ge=3)


def _keywords(words: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = tuple(word.strip().lower() for word in words)
    if not cleaned or any(not word for word in cleaned):
        raise ValueError("give at least one keyword, none of them empty")
    for word in cleaned:
        if problem := keyword_problem(word):
            raise ValueError(
                f'"{word}": {problem} ("інш* постачальн" finds "іншого постачальника", "nu ... raspunde" '
                'finds "nu mai raspunde", "(my|our) brother" finds "our brother")'
            )
    return cleaned


def _in_languages(**words_by_language: str) -> tuple[str, ...]:
    """One keyword list from comma-separated lists per language (en, uk, ru, ro, hr)."""
    every_word = (word.strip() for words in words_by_language.values() for word in words.split(","))
    return tuple(dict.fromkeys(every_word))  # a word two languages share ("конкурент") once


# Who a personal tie is with, and what says they are in the trade: "(a|b)" is either whole word, so one
# keyword pairs every relative with every verb of business ("(my|our) (brother|sister) ... (works|runs)").
# English relatives that are also brands or everyday words ("Brother printer works") need "my", "our"...;
# "друга" is a Russian friend's but a Ukrainian "second" ("друга партія на склад"), and an English
# "rude" is no Romanian "rude" (relatives): neither pairs with the trade. Whole words where a stem
# starts a commoner word: "nepotrivit" (unsuitable), "prietenos" (friendly), "prijateljski pozdrav"
# (kind regards), "svaki" (every), "родные запчасти" (original parts).
_EN_KIN = (
    "(brother|brother's|brothers|sister|sister's|son|son's|daughter|daughter's|dad|dad's|father|mum|mum's"
    "|mom|mom's|mother|husband|wife|uncle|aunt|nephew|niece|mate|mate's)"
)
_EN_MY_KIN = f"(my|our|his|her|their|a|partner's|wife's|husband's|owner's|boss's) {_EN_KIN}"
# A friend, a cousin or an in-law needs no "my": no brand or everyday word is spelt so.
_EN_FRIENDS = (
    "(friend|friend's|friends|cousin|cousin's|relative|relative's|relatives|in-laws|brother-in-law"
    "|sister-in-law|son-in-law|daughter-in-law)"
)
_EN_TRADE = (
    "(works|runs|owns|opened|started|supplies|sells|own|rep|reps|shop|company|business|firm|store"
    "|supplier|wholesaler|distributor)"
)
_UK_KIN = (
    "(брат|брата|брату|братом|сестра|сестри|сестрі|син|сина|сину|донька|доньки|дочка|дочки|зять|зятя|свояк"
    "|свояка|шурин|кум|кума|куму|кумом|дружина|друг|друзі|друзів|подруга|знайомий"
    "|знайомого|знайомі|знайомих|приятель|родич|родича|родичі|родичів|рідня)"
)
_UK_KIN_OF = "(кума|брата|свата|свояка|зятя|родича|родичів|знайомого|знайомих|друга|друзів|сина)"
_UK_TRADE = (
    "(відкри*|працю*|влаштува*|тримає|володіє|торгує|постачає|возить|продає|магазин*|склад*|баз*|фірм*"
    "|компані*|бізнес*|дистриб*|постачальн*)"
)
_RU_KIN = (
    "(брат|брата|брату|братом|сестра|сестры|сестре|сын|сына|сыну|дочь|дочка|дочки|зять|зятя|свояк|свояка"
    "|шурин|кум|кума|куму|кумом|жена|муж|друг|друзья|друзей|подруга|знакомый|знакомого"
    "|знакомые|знакомых|приятель|родственник*|родня)"
)
_RU_KIN_OF = "(кума|брата|свата|свояка|зятя|родственника|родственников|знакомого|знакомых|друга|друзей|сына)"
_RU_TRADE = (
    "(открыл*|открыва*|работа*|устроил*|держит|владеет|торгует|поставляет|возит|продает|магазин*|склад*"
    "|баз*|фирм*|компани*|бизнес*|дистриб*|поставщик*)"
)
_RO_KIN = (
    "(prieten|prietenul|prietena|prietenii|prietenului|prietenei|ruda|rudele|rudei|rudelor|frate|fratele"
    "|fratelui|fratii|sora|sorei|fiul|fiului|fiica|fiicei|ginere*|cumnat*|nasul|nasa|nasului|varul|verisor*"
    "|cunoscut*|sotul|sotia|sotiei|tatal|unchi*|nepotul|nepoata|nepotului|nepotii|socru*)"
)
_RO_TRADE = (
    "(lucreaz*|lucram|deschis|deschide|detine|are|livreaz*|aduce|vinde|agent|firm*|magazin*|depozit*"
    "|distribut*|farmaci*|afacere*|furnizor*)"
)
_HR_KIN = (
    "(sogor*|prijatelj|prijatelja|prijatelju|prijatelji|prijateljica|prijateljice|rodjak*|rodbin*|brat|brata"
    "|bratu|sestra|sestre|sin|sina|sinu|kci|kcer*|zet|zeta|kum|kuma|kumu|punac|necak*|ujak|stric|supruga"
    "|suprug|muz|poznanik*)"
)
_HR_TRADE = (
    "(otvori*|radi|vodi|ima|drzi|dobavlja*|prodaje|preuze*|trgovin*|veletrgovin*|firm*|tvrtk*|distribucij*"
    "|obrt*|ducan*|skladist*)"
)


class TopicKeywords(_Strict):
    """Words that, starting a word of a contact's topic, mark what it was about.

    Matched without case or diacritics ("pret" finds "Preț", "cekam" finds "Čekam"); "*" stands for
    the rest of a word, so one keyword finds a phrase in every inflection ("інш* постачальн" finds
    "іншого постачальника"), and "..." for up to two words in between ("nu ... raspunde" finds "nu mai
    raspunde"). The defaults speak the languages of the reason labels: English, Ukrainian, Russian,
    Romanian and Croatian, as customers write them.
    """

    # A rival, a better price elsewhere, or the customer objecting to ours. Not "price" alone (nor
    # "ціна", "preț", "cijena"): a request for a price list is routine ordering (two independent
    # CRMs had thousands).
    competitor: tuple[str, ...] = _in_languages(
        en="competitor, rival, cheaper, expensive, overpriced, discount, better offer, better price,"
        " better deal, better terms, lower price, another supplier, other supplier, another distributor,"
        " other distributor, another shop, other shop, price match, price question, pricing question,"
        " price increase, price rise, price hike, price* ... went up, price* ... gone up, can you match,"
        " half the price, other options, new customer offer, new customer deal, new customer price, steep,"
        " better rate, best price, better pricing, comparing quotes, compare quotes, other quotes,"
        " another vendor, other vendor, reviewing vendors, go up again, went up again, gone up again,"
        " shopping around, counter-offer, counter offer, counteroffer, rebate, loyalty pricing,"
        " old supplier, previous supplier, current supplier, can you beat, can u beat",
        uk="конкурент, дешевш, задорого, дорого, дорожч, знижк, знижок, кращ* цін, кращ* умов,"
        " кращ* пропозиці, вигідніш, інш* постачальн, інш* дистриб, інш* магазин, підвищ* цін, подорожч,"
        " зросл* цін, цін* ... зросл, цін* ... вирос, цін* вищ, переглян* цін",
        ru="конкурент, дешевл, дорого, дороже, скидк, скидок, лучш* цен, лучш* услови, лучш* предложен,"
        " выгодне, друг* поставщик, друг* дистриб, друг* магазин, повыш* цен, подорожа, рост цен,"
        " цен* ... вырос, цен* выше, пересмотр* цен",
        ro="concuren, ieftin, scump, reducer, pret* mai mic, pret* mai bun, ofert* mai bun,"
        " conditi* mai bun, alt* furnizor, alt* distribuitor, majorar* pret, cresterea pret,"
        " pret* ... crescut",
        hr="konkurenc, konkurent, jeftin, skupo, skuplj, preskup, popust, rabat, bolj* cijen, bolj* ponud,"
        " bolj* uvjet, drug* dobavljac, drug* distribut, poskuplj, povecanj* cijen, povecal* cijen,"
        " cijen* ... porasl, rast cijen, previsok",
    )
    # Goods or service that let the customer down ("damage" starts "damaged", "defect" "defective").
    # Not "not working": three English CRMs' customers wrote it of log-ins and promo codes hundreds of
    # times, one of towel dispensers. "mould", not "mold", which starts "Moldova". "broke" only as a
    # whole word: it starts "brokerage". Not "not received": a pet shop's stayers wrote "marked as
    # delivered but not received" (40 of the 54 it would add in 3,000 customers; 2 quality leavers).
    quality: tuple[str, ...] = _in_languages(
        en="quality, damage, defect, fault, broken, scratch, stopped working, spoil, mould, moldy, rotten,"
        " not fresh, gone off, going off, out of date, use by date, past its use, smell, leak, crushed,"
        " melted, wrong size, wrong item, wrong product, wrong address, wrong ... sent, didnt match,"
        " didn't match, did not match, doesn't match, does not match, replacement, refund, poor, complain,"
        " unhappy, not happy, dissatisf, disappoint, (was|were|very|so|really|extremely|quite|being) rude,"
        " rude (agent|driver|staff|courier|delivery|on|and|to|operator|engineer|rep|reply|response|service),"
        " error, missing, never arrived, never received,"
        " did not arrive, not delivered, never turned up, didn't turn up, did not turn up, arrived late,"
        " delivered late, days late, hours late, late again, late delivery, missed delivery,"
        " delivery missed, charged twice, double charged, overcharged, never fixed, not fixed, not resolved,"
        " same problem, same issue, same fault, disaster, escalat, rma, cracked, banjaxed, bad batch,"
        " tearing, ripping, splitting, not the brand, short shipped, short-shipped, nobody turned up,"
        " no one turned up, no-show, (no) (show|shows|showed), never sent, coming apart, came apart,"
        " falling apart, fell apart, (broke), cancel* last minute, cancel* at the last minute, bad lot,"
        " expired on arrival, arrived expired",
        uk="якіст, неякісн, брак, пошкодж, злама, не працю, дефект, поверн* кошт, замін* товар, скарг,"
        " претензі, не т* товар, не т* розмір, незадовол, не задовол, розчар, помилк, не доставил,"
        " не привезл, недовіз, злежал, запізн, затримк* доставк, доставк* затрим, груб, хамств, зіпсован,"
        " прострочен",
        ru="качеств, некачеств, брак, поврежд, слома, не работа, дефект, возврат* денег, возврат* средств,"
        " замен* товар, жалоб, претензи, не т* товар, не т* размер, недовол, не довол, разочаров, ошибк,"
        " не доставил, не привезл, опозда, задержк* доставк, доставк* задерж, груб, хамств, испорч, просроч",
        ro="calitat, necalitat, defect, deteriorat, stricat, nu functioneaz, nu merge, spart, gresit,"
        " reclamati, plangere, nemultumi, nu ... multumit, nu ... corespund, retur* respins, dezamag,"
        " eroare, erori, lipsesc, lipsa din, nu a ajuns, n-a ajuns, nu am primit colet, nu am primit comand,"
        " nu am primit marf, intarzi, expirat, alterat, rambursar, inlocuir, nepoliticos, obraznic",
        hr="kvalitet, nekvalitet, ostecen, pokvaren, neispravn, ne radi, slomljen, reklamacij, prituzb,"
        " zalb, nezadovolj, razocaran, gresk, pogres, kriv* artikl, kriv* proizvod, kriv* iznos, krivo,"
        " nedostaj, fali dio, nije dosa, nije dosl, nisu dosl, opet kasn, nije stigl, nije isporucen,"
        " kasnjenj, dostav* kasn, kasn* dostav, istekl* rok, neljubazn, bezobraz, povrat novca",
    )
    # A move, and the business closing down or a death: the customer is no longer there to serve.
    # Not "moved to" alone (accounts move to a new manager, colleagues to another job), nor a bare
    # "closing"/"zatvaramo" ("Christmas closing hours", "zatvaramo za zimu": closed for the winter),
    # nor "business closed" (for the holidays) or "business sold" (one CRM's customers stay on under
    # new owners, another's leave).
    relocation: tuple[str, ...] = _in_languages(
        en="relocat, address change, change of address, new address, new delivery address,"
        " update my address, address update, new postcode, postcode change, updat* ... postcode,"
        " chang* ... postcode, my new home, my new house, my new flat, my new place, moving, moved away,"
        " moved house, moved home, moved abroad, moved out, moved in with, office moved, we moved,"
        " we've moved, we have moved, i moved to, i've moved to, i have moved to, office move,"
        " ship-to address, updat* delivery address, chang* delivery address, closing down,"
        " closing ... business, closing ... office, closing ... location, closing ... shop,"
        " closing ... store, closing ... practice, office closing, practice closing, shop closing,"
        " store closing, business closing, we are closing, we're closing, shutting down, shutting up shop,"
        " liquidation, wound up, winding up, winding down, ceasing (trading|operations|business),"
        " out of business, closed down, closed for good, closing for good,"
        " retiring, passed away,"
        " deceased, bereavement",
        uk="переїзд, переїжджа, переїх, нов* адрес, змін* адрес, адрес* змін, релокац, закриття точк,"
        " закриття магазин, закриття фоп, ліквідац, припин* діяльн, помер, смерт, закриваємо фоп,"
        " закриваємо точк, закриваємо магазин, закриваємо бізнес, фоп закрива",
        ru="переезд, переезжа, переех, нов* адрес, смен* адрес, измен* адрес, адрес* измен, релокац,"
        " закрытие магазин, закрытие филиал, ликвидац, ликвидиру, прекращ* деятельн, умерла, умерли,"
        " он умер, клиент умер, владелец умер, умер отец, умерла мать, скончал, смерт, закрываем фирм,"
        " закрываем магазин, закрываем филиал, закрываем точк, закрываем бизнес, магазин закрывается,"
        " фирма закрывается",
        ro="mutar, mutat, ne mutam, relocar, adres* nou, nou* adres, schimb* adres, adres* schimb,"
        " inchidem magazin, inchidem firm, inchidem punct, inchidem farmaci, inchidem activitat,"
        " inchidere punct, inchiderea firm, lichidar, lichideaza, deces, decedat, a murit, pensionar",
        hr="preseljen, preseli, selimo, nov* adres, promjen* adres, adres* promjen, zatvara* objekt,"
        " likvidacij, preminu, umro, umrla, smrt, gasimo, mirovin, zatvaramo konob, zatvaramo lokal,"
        " zatvaramo restoran, zatvaramo obrt, zatvaramo zbog",
    )

    # The customer chasing a request nobody answered, or a call-back that never came: indifference
    # in the customer's own words ("Still waiting for a reply", "2nd request: invoice copy").
    chasing: tuple[str, ...] = _in_languages(
        en="no reply, not replied, no response, no answer, not answered, unanswered, still waiting,"
        " waiting for a reply, waiting for an answer, nobody, no one, never came, never called, never heard,"
        " never got back, chasing, second request, 2nd req, third request, 3rd req, third time,"
        " 2nd email (about|re|re:|-|regarding|on), 3rd email, 4th email,"
        " asked again, call-back, callback, called back, got back, get back to, returned my call,"
        " any update, anyone there, following up again, wait* on hold, call ... back, following up on my,"
        " heard back, left ... voicemail*, need an answer",
        uk="без відповід, немає відповід, нема відповід, не відповідаєт, не відповіл, досі чека,"
        " все ще чека, чека* ... відповід, відповід* нема, відповід* немає, третій раз, не бер* трубк,"
        " не ... додзвон, ніхто, передзвон, повторн* запит, повторн* звернен, вдруге, втретє, знову пишу,"
        " нагаду, як* новин, жодн* відповід",
        ru="без ответ, нет ответ, не отвечаете, не ответил, до сих пор жд, все еще жд, жд* ... ответ,"
        " ответ* нет, не бер* трубк, не ... дозвон, никто, перезвон, повторн* запрос, повторн* обращен,"
        " уже второй раз, третий раз, снова пишу, напомина, как* новост, есть новост",
        ro="fara raspuns, niciun raspuns, nici un raspuns, nu am primit raspuns, nu ... raspunde,"
        " inca astept, astept raspuns, astept de, tot astept, nimeni, reveniti, revin cu, a doua oara,"
        " a treia oara, a doua solicitare, reamint, sunati-ma, sa ma sunati, nu m-a sunat, nu m-ati sunat,"
        " vreo noutate, vreun raspuns",
        hr="bez odgovor, nema odgovor, nitko, jos uvijek cek, jos cek, ne javlja, ima li koga, i dalje cek,"
        " cek* odgovor, nije se javi, niste se javi, niste odgovor, ne odgovarate, povratn* poziv,"
        " ponovn* upit, vec drugi put, treci put, ponovno salj, ponovo salj, podsjec, podsjet,"
        " ima li novost, urgir, urgenc",
    )

    # A change of account manager, from either side: a new manager introduced, an account handed over
    # or reassigned, a customer asking who their manager is now. CONTEXT's "account manager changed":
    # the relationship starts again with a stranger. Not "new office manager" (the customer's own
    # staff), nor "new contact person" (theirs as often as ours), nor a bare "reassigned" or "handed
    # over" (helpdesk tickets, parcels to a courier). "AM" (account manager) only where it is introduced
    # ("your new AM", "New AM intro"): "New AM/PM delivery slots" is the morning.
    manager_change: tuple[str, ...] = _in_languages(
        en="new account manager, new manager, new key account manager, your new rep, new sales rep,"
        " new representative, rep introduction,"
        " change of account manager, change of manager, account manager change, account manager changed,"
        " account handover, handover of ... account, handover from, account reassign, reassign* ... account,"
        " account ... reassigned, account transfer, account transition,"
        " (acct|acc) (handover|transition),"
        " (take|takes|taking|took|taken) over (the|your) (account|acct|acc),"
        " (taking|took|taken) over from, looking after your account,"
        " (from|with|your|meet|meeting) new (am|kam), new (am|kam|rep) (intro|introduction|for|here),"
        " who is my account manager, who is our account manager, who is my rep,"
        " who is our rep, who is my manager now, who is our manager now,"
        " who (my|our) account manager is, who (my|our) (rep|am|manager) is",
        uk="нов* менеджер, нов* персональн* менеджер, нов* відповідальн, замін* менеджер,"
        " змін* ... менеджер, інш* менеджер, передача клієнт, передан* ... менеджер, передано від,"
        " знайомство з ... менеджер, хто ... наш менеджер, хто тепер ... менеджер, тепер ваш* ... менеджер",
        ru="нов* менеджер, нов* персональн* менеджер, нов* ответственн,"
        " смен* ... менеджер, замен* менеджер, друг* менеджер, передача клиент, передан* ... менеджер,"
        " знакомство с ... менеджер, кто ... наш менеджер, кто теперь ... менеджер, теперь ваш* ... менеджер",
        ro="agent nou, agentul nou, noul agent, alt agent, schimb* agent,"
        " agent schimbat, preluare portofoliu, preluat* ... portofoliu, v-am preluat, predare-primire client,"
        " reprezentant nou, noul reprezentant, manager nou, noul manager, schimbar* manager,"
        " consultant nou, consultantul nou, noul consultant, preiau client*,"
        " cine este agentul, cine e agentul",
        hr="nov* komercijalist, promjen* komercijalist, komercijalist* ... promjen,"
        " preuze* ... kupc, vas novi kontakt, nov* voditelj, nov* predstavnik,"
        " tko je ... komercijalist",
    )

    # Personal ties: a friend or relative in the trade ("my brother-in-law has set up in IT", "кум
    # відкрив базу", "fiul ... lucrează la ...", "šogor otvorio distribuciju"), buying through one ("у
    # родича", "prin fratele ..."), or the customer's own people changing (a new buyer or director,
    # "our contact has left"): the relationship was with a person, and the person went. A relative or
    # friend counts only beside the trade: "my friend recommended you", "refer a friend", "Brother
    # printer works" (the brand), "death in the family" (a move or a death) are no tie. Nor is a new
    # owner: a restaurant changing hands ("preuzimanje objekta - novi vlasnik") as often closes.
    personal_ties: tuple[str, ...] = _in_languages(
        en=f"{_EN_MY_KIN} ... {_EN_TRADE}, {_EN_MY_KIN} ... set up (in|on|shop),"
        f" {_EN_FRIENDS} ... {_EN_TRADE}, {_EN_FRIENDS} ... (does|gets),"
        f" {_EN_FRIENDS} ... set up (in|on|shop), family member* ... {_EN_TRADE}, in law ... {_EN_TRADE},"
        f" (order*|buy*|purchas*|get*|go*|switch*) (through|via|from) ... {_EN_FRIENDS},"
        " new (buyer|buyers|purchaser|purchasing|procurement|director|management),"
        " new office manager, new (ops|operations|purchasing|procurement) (manager|mgr),"
        " update buyer:, updated buyer:, change of buyer, buyer change, buyer changed,"
        " (contact|buyer|purchaser) ... has left,"
        " (contact|buyer|purchaser) ... left the (company|business),"
        " (contact|buyer|purchaser) ... (retired|retiring)",
        uk=f"{_UK_KIN} ... {_UK_TRADE}, (у|через) {_UK_KIN_OF},"
        " нов* (директор*|закупівельник*|керівник*), змін* (директор*|керівник*)",
        ru=f"{_RU_KIN} ... {_RU_TRADE}, (у|через) {_RU_KIN_OF},"
        " нов* (директор*|закупщик*|снабженц*|снабженец|руководител*), смен* (директор*|руководител*)",
        ro=f"{_RO_KIN} ... {_RO_TRADE}, (prin|la) {_RO_KIN}, de la {_RO_KIN},"
        " (firma|magazinul|depozitul|afacerea) (unei|unui) (rude|ruda|prieten*|cunoscut*),"
        " (director|administrator) nou, (noul|noua) (director|administrator|directoare),"
        " schimb* (director*|administrator*)",
        hr=f"{_HR_KIN} ... {_HR_TRADE}, kod {_HR_KIN},"
        " nov* (direktor*|nabavljac*), promjen* (direktor*|uprav*)",
    )

    _non_empty = field_validator(
        "competitor", "quality", "relocation", "chasing", "manager_change", "personal_ties"
    )(_keywords)


class FeatureConfig(_Strict):
    topic_keywords: TopicKeywords = TopicKeywords()


class PromotionConfig(_Strict):
    """The champion gate: when a newly trained model may replace the one that scores."""

    auc_tolerance: float = Field(default=0.005, ge=0, le=1)
    max_ece: float = Field(default=0.05, gt=0, le=1)


class TrainingConfig(_Strict):
    model_name: str = Field(default="churn-risk", min_length=1)
    experiment: str = Field(default="churn-risk", min_length=1)
    seed: int = 0
    # Weigh churners by the inverse share of the exit-survey reason they stated (models.exit_reasons).
    weight_by_exit_reasons: bool = True
    promotion: PromotionConfig = PromotionConfig()


class RiskTiers(_Strict):
    """Probability thresholds of the export's risk_tier: high at or above `high`, medium at or above
    `medium`, low below."""

    high: float = Field(default=0.4, gt=0, le=1)
    medium: float = Field(default=0.2, gt=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> RiskTiers:
        if self.medium >= self.high:
            raise ValueError(f"medium ({self.medium}) must be below high ({self.high})")
        return self


IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]{0,62}$"


class ScoringConfig(_Strict):
    risk_tiers: RiskTiers = RiskTiers()
    # The database table `churn score --sink URL` upserts into: a plain SQL name, never quoted input.
    table: str = Field(default="churn_scores", pattern=IDENTIFIER)
    # Language of reason labels, sentences and actions: en, uk, ru, ro or hr (--lang overrides).
    language: str = "en"
    # A survey reason is named only with at least this share of the customer's positive contribution:
    # 0 names any that pushes the risk up at all (the reason accuracy measured); 0.01 reads a reason
    # with under 1% of the push as purchase activity alone, with that row's action. At most 0.15: one
    # of the six categories always holds a sixth of the push.
    min_reason_share: float = Field(default=0.0, ge=0, le=0.15)

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}; choose one of {', '.join(LANGUAGES)}")
        return value


class MonitoringConfig(_Strict):
    """What each scoring run checks before it publishes (`models.monitoring`), and what a broken
    check does: `fail` stops the run before the export is written (the CRM keeps yesterday's
    scores); `warn` records it in the run summary, the Prefect artifact and MLflow."""

    feed: Literal["fail", "warn"] = "fail"  # rows per table, silent customers, date coverage
    drift: Literal["fail", "warn"] = "warn"  # features, score and reason mix against training
    # A table whose rows known at as-of fell by more than this share below the median of the
    # previous runs on the same data source is a broken feed.
    max_row_drop: float = Field(default=0.3, gt=0, lt=1)
    previous_runs: int = Field(default=7, ge=1)
    # Share of scored customers with no event in 30 days: a rise above training's by more than this.
    max_silent_rise: float = Field(default=0.2, gt=0, lt=1)
    # Days with events in the last 28 (for tables with events nearly every day): a drop by more than this.
    max_coverage_drop: float = Field(default=0.5, gt=0, lt=1)
    # Population stability index above which a feature, the score or the reason mix has moved.
    psi_threshold: float = Field(default=0.25, gt=0)


class Schedule(_Strict):
    """When a deployment runs: a cron expression read in an IANA time zone."""

    cron: str
    timezone: str = "UTC"

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, value: str) -> str:
        # Prefect parses the fields when a deployment is made (`churn serve`); the count is checked here.
        if len(value.split()) != 5:
            raise ValueError(f"{value!r} is not a five-field cron expression (minute hour day month weekday)")
        return value

    _known_zone = field_validator("timezone")(_iana_zone)


class TaskTimeouts(_Strict):
    """Seconds a step may take before it is stopped: one that talks to the outside world is then
    retried; a computing one fails the run, so a hung night never holds the next one's slot."""

    read_crm: int = Field(default=3600, gt=0)
    model_registry: int = Field(default=600, gt=0)
    export: int = Field(default=1800, gt=0)
    scoring: int = Field(default=7200, gt=0)  # each of validate, build features, score and explain
    training: int = Field(default=14400, gt=0)  # training, recording and registering


class OrchestrationConfig(_Strict):
    # The nightly scoring run: 02:00 every day, scoring the day that just ended.
    nightly: Schedule = Schedule(cron="0 2 * * *")
    # Retraining: Sundays at 03:00, after that night's scoring.
    retraining: Schedule = Schedule(cron="0 3 * * 0")
    # Transient failures (a database or tracking server that does not answer) are retried this many
    # times, waiting retry_delay_seconds, then twice, four times as long...; bad data never is.
    retries: int = Field(default=3, ge=0)
    retry_delay_seconds: float = Field(default=30, ge=0)
    timeouts: TaskTimeouts = TaskTimeouts()

    def retry_delays(self) -> list[float]:
        """Seconds to wait before each retry: the Prefect tasks' and the partitioned export's."""
        return [self.retry_delay_seconds * 2**attempt for attempt in range(self.retries)]


EngineName = Literal["local", "dask"]
ENGINES: tuple[str, ...] = get_args(EngineName)


class EngineConfig(_Strict):
    """Where and in how many pieces scoring (and training's feature building) runs: customers are
    split into partitions by a hash of customer_id, so memory follows the partition's size, not the
    customer count."""

    # `local` runs the partitions on this machine; `dask` runs them on a cluster.
    name: EngineName = "local"
    # Partitions run side by side by the local engine, each in its own process (memory: about this
    # many partitions at once); `auto` gives one per CPU core (at most 4), 1 runs them one after another here.
    local_workers: int | Literal["auto"] = "auto"
    # How many partitions; `auto` gives one per customers_per_partition customers (one for small CRMs:
    # then the whole CRM is read in memory, as before partitions existed).
    partitions: int | Literal["auto"] = "auto"
    customers_per_partition: int = Field(default=250_000, gt=0)
    # The Dask scheduler, e.g. tcp://10.0.0.5:8786; none starts a LocalCluster of dask_workers processes.
    dask_address: str | None = None
    dask_workers: int = Field(default=2, gt=0)
    # Where partitions and partial outputs are kept during a run (deleted after). Every Dask worker must
    # see this folder: on a remote cluster, a shared file system. Default: a temp folder in output_dir.
    work_dir: Path | None = None

    @field_validator("partitions", "local_workers")
    @classmethod
    def _positive(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value < 1:
            raise ValueError("must be at least 1 (or auto)")
        return value


def with_engine(config: PipelineConfig, **overrides) -> PipelineConfig:
    """`config` with the `engine` settings a run was given (those not None), validated like the file.
    A Dask address alone means the dask engine."""
    given = {key: value for key, value in overrides.items() if value is not None}
    if given.get("dask_address") and "name" not in given:
        given["name"] = "dask"
    if not given:
        return config
    try:
        engine = EngineConfig.model_validate({**config.engine.model_dump(), **given})
    except ValidationError as error:
        raise ConfigError(f"engine: {_one_line(error, EngineConfig)}") from None
    return config.model_copy(update={"engine": engine})


class PipelineConfig(_Strict):
    output_dir: Path = Path("output")
    source: SourceConfig = SourceConfig()
    validation: ValidationConfig = ValidationConfig()
    churn: ChurnConfig = ChurnConfig()
    features: FeatureConfig = FeatureConfig()
    training: TrainingConfig = TrainingConfig()
    scoring: ScoringConfig = ScoringConfig()
    generator: GeneratorConfig = GeneratorConfig()
    orchestration: OrchestrationConfig = OrchestrationConfig()
    engine: EngineConfig = EngineConfig()
    monitoring: MonitoringConfig = MonitoringConfig()


class Reason(_Strict):
    """One exit-survey reason category as declared in `configs/reasons.yaml`."""

    code: str
    survey_share: float = Field(ge=0, le=1)
    preventable: bool
    label: dict[str, str]
    action: dict[str, str]  # the playbook's recommended step

    _every_language = field_validator("label", "action")(_in_every_language)


ACTIVITY = "activity"
FLAG_UNIT = "flag"  # a yes/no feature: 1 is its evidence, and 0 is never quoted


class WhenMissing(_Strict):
    """The value of a feature whose event has not happened yet, and what that value means."""

    fill: float | str  # a number, the name of another feature, or MISSING (left NaN)
    meaning: str


MISSING = "missing"


class FeatureDeclaration(_Strict):
    """One feature as declared in `configs/reasons.yaml`: the single source the builder obeys."""

    name: str
    reason: str  # a survey reason code, or ACTIVITY
    unit: str
    definition: str
    words: dict[str, str]
    needs: tuple[str, ...] = ()  # "table.column": not built when one is absent
    also_uses: tuple[str, ...] = ()  # "table.column": read when present
    when_missing: WhenMissing | None = None
    zero_is_evidence: bool = False  # a value of 0 may be quoted as the reason's evidence
    # The side of the stayers' median a value must lie on to be quoted as the reason's evidence:
    # "higher" for most; "lower" for our outbound contacts, the pulse score, the basket's change.
    evidence_side: Literal["higher", "lower"] | None = None

    _every_language = field_validator("words")(_in_every_language)


def _read_yaml(path: Path) -> dict:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"config {path}: cannot read it ({error.strerror or error})") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"config {path}: not valid YAML ({error})") from error
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"config {path}: expected a mapping at the top level")
    return loaded


def _one_line(error: ValidationError, model: type[BaseModel] | None = None) -> str:
    """`error` in one line; `model`, the settings validated, lets an unknown key name its closest."""
    return "; ".join(_said(item, model) for item in error.errors())


def _said(item: dict, root: type[BaseModel] | None) -> str:
    """One pydantic error in the settings' words: an unknown key with the known key it is closest to,
    a rule's own sentence without pydantic's "Value error, " prefix."""
    where = ".".join(str(part) for part in item["loc"]) or "top level"
    if item["type"] == "extra_forbidden":
        known = _known_keys(root, item["loc"])
        close = difflib.get_close_matches(str(item["loc"][-1]), known, n=1, cutoff=0.6)
        return f"{where}: unknown setting" + (f" (did you mean {close[0]}?)" if close else "")
    message = item["msg"].removeprefix("Value error, ")
    return f"{where}: {message}"


def _known_keys(model: type[BaseModel] | None, loc: tuple) -> list[str]:
    """The setting names beside the one at `loc`, where the settings' own models can say them."""
    for part in loc[:-1]:
        if model is None:
            return []
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field else None
        model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    return list(model.model_fields) if model is not None else []


def load_pipeline_config(path: Path | None = None) -> PipelineConfig:
    """Read the pipeline settings: the given file, or `configs/pipeline.yaml`."""
    config_path = Path(path) if path is not None else DEFAULT_PIPELINE_CONFIG
    try:
        return PipelineConfig.model_validate(_read_yaml(config_path))
    except ValidationError as error:
        raise ConfigError(f"config {config_path}: {_one_line(error, PipelineConfig)}") from error


@cache
def load_reasons() -> tuple[Reason, ...]:
    """The survey reason categories, in the order `configs/reasons.yaml` lists them."""
    declared = _read_yaml(REASONS_CONFIG).get("reasons", {})
    try:
        return tuple(Reason(code=code, **entry) for code, entry in declared.items())
    except ValidationError as error:
        raise ConfigError(f"config {REASONS_CONFIG}: {_one_line(error)}") from error


@cache
def load_feature_declarations() -> dict[str, FeatureDeclaration]:
    """The declared features by name, checked to name a known reason category."""
    declared = _read_yaml(REASONS_CONFIG).get("features", {})
    try:
        features = {name: FeatureDeclaration(name=name, **entry) for name, entry in declared.items()}
    except ValidationError as error:
        raise ConfigError(f"config {REASONS_CONFIG}: {_one_line(error)}") from error
    known = {*reason_codes(), ACTIVITY}
    wrong = sorted(name for name, feature in features.items() if feature.reason not in known)
    if wrong:
        raise ConfigError(
            f"config {REASONS_CONFIG}: features {wrong} name an unknown reason; known: {sorted(known)}"
        )
    _check_evidence_sides(features)
    for feature in features.values():
        fill = feature.when_missing.fill if feature.when_missing else None
        if isinstance(fill, str) and fill != MISSING and fill not in features:
            raise ConfigError(
                f"config {REASONS_CONFIG}: feature {feature.name}: when_missing.fill {fill!r} is neither "
                f"a number, {MISSING!r}, nor a declared feature"
            )
    return features


def _check_evidence_sides(features: dict[str, FeatureDeclaration]) -> None:
    """Which values of a feature may be quoted as a reason's evidence (`models.reasons`) must be said."""

    def wrong(rule: str, names: list[str]) -> None:
        if names:
            raise ConfigError(f"config {REASONS_CONFIG}: features {sorted(names)}: {rule}")

    survey = {name: feature for name, feature in features.items() if feature.reason != ACTIVITY}
    wrong(
        "a survey reason's feature needs `evidence_side: higher` or `evidence_side: lower` (the side of "
        f"the stayers' median its quoted values lie on), or `unit: {FLAG_UNIT}` for a yes/no feature",
        [name for name, feature in survey.items() if feature.unit != FLAG_UNIT and not feature.evidence_side],
    )
    wrong(
        f"`evidence_side` is for a survey reason's feature that is not a {FLAG_UNIT} (its 1 is evidence)",
        [
            name
            for name, feature in features.items()
            if feature.evidence_side is not None and (feature.reason == ACTIVITY or feature.unit == FLAG_UNIT)
        ],
    )
    wrong(
        f"a {FLAG_UNIT}'s 0 is never its evidence: drop `zero_is_evidence`",
        [name for name, feature in survey.items() if feature.unit == FLAG_UNIT and feature.zero_is_evidence],
    )
    # A value is compared with the median as the words show it, the same in every language.
    wrong(
        "the words must show {value} with the same format in every language",
        [
            name
            for name, feature in features.items()
            if len({tuple(re.findall(r"\{(?:value|size)[^}]*\}", words)) for words in feature.words.values()})
            > 1
        ],
    )


class Messages(_Strict):
    """Sentences the export uses where no survey reason applies, in every language."""

    activity_only: dict[str, str]  # only purchase activity pushes the risk up
    activity_action: dict[str, str]
    no_risk_factor: dict[str, str]  # nothing pushes it up: the risk is below the usual
    no_risk_action: dict[str, str]
    # A survey reason's detail where none of its figures can be quoted: the label alone would read as
    # a fact ("A competitor made a better offer") with nothing behind it.
    no_figure: dict[str, str]

    _every_language = field_validator(
        "activity_only", "activity_action", "no_risk_factor", "no_risk_action", "no_figure"
    )(_in_every_language)


@cache
def load_messages() -> Messages:
    try:
        return Messages.model_validate(_read_yaml(REASONS_CONFIG).get("messages", {}))
    except ValidationError as error:
        raise ConfigError(f"config {REASONS_CONFIG}: messages: {_one_line(error)}") from error


@cache
def load_report_labels(lang: str) -> dict[str, str]:
    """The HTML reports' words in `lang`; every label must exist in every language."""
    declared = _read_yaml(REPORT_LABELS)
    for key, texts in declared.items():
        try:
            _in_every_language(texts if isinstance(texts, dict) else {})
        except ValueError as error:
            raise ConfigError(f"config {REPORT_LABELS}: {key}: {error}") from None
    if lang not in LANGUAGES:
        raise ConfigError(f"--lang {lang}: choose one of {', '.join(LANGUAGES)}")
    return {key: texts[lang] for key, texts in declared.items()}


def reason_codes() -> tuple[str, ...]:
    return tuple(reason.code for reason in load_reasons())


def reasons_without_evidence(feature_names: list[str]) -> dict[str, list[str]]:
    """The survey reasons a model can never name, for want of a feature of theirs, each with the
    contract columns its features are built from (what the CRM would need to export): an orders-only
    CRM's model names only what orders show, and whoever reads its reasons must know the rest is unseen."""
    declared = load_feature_declarations()
    used = {declared[name].reason for name in feature_names}
    missing: dict[str, list[str]] = {}
    for reason in reason_codes():
        if reason not in used:
            needs = {
                need.split("=", 1)[0]
                for feature in declared.values()
                if feature.reason == reason
                for need in feature.needs
            }
            missing[reason] = sorted(needs)
    return missing


def unseen_reasons_sentence(feature_names: list[str]) -> str | None:
    """`reasons_without_evidence` as one sentence for the person running it, to follow the model's name
    ("can never name …"); None when every reason has a feature."""
    missing = reasons_without_evidence(feature_names)
    if not missing:
        return None
    each = "; ".join(f"{reason} — {', '.join(needs) or 'none declared'}" for reason, needs in missing.items())
    return (
        f"can never name {', '.join(missing)}: no feature of theirs can be learnt from this CRM, so "
        f"their leavers are given another reason or none. Their features are built from: {each}"
    )


def feature_definitions(feature_names: list[str]) -> dict[str, str]:
    """What each feature means today, in the words of `configs/reasons.yaml`: its definition and, where
    declared, the value it takes when its event has not happened. Kept with a model so a later run can
    tell when a feature is no longer built as it was when the model learnt it."""
    declared = load_feature_declarations()
    return {
        name: declared[name].definition
        + (f" (when missing: {declared[name].when_missing.fill})" if declared[name].when_missing else "")
        for name in feature_names
        if name in declared  # a test's own column has no declaration to keep
    }


# The features whose declaration (definition or fill) changed in configs/reasons.yaml before models
# began to keep what each feature meant (2 December 2026), read from the file's history: a model
# without that record may have learnt them the old way (open_complaints counting price complaints,
# competitor and quality contacts counting the company's own mailings, ...).
REDEFINED_BEFORE_RECORDS = frozenset(
    {
        "unanswered_requests_365d",
        "avg_response_hours_365d",
        "open_complaints",
        "avg_resolution_days_365d",
        "returned_order_share_365d",
        "latest_pulse_score",
        "quality_contacts_90d",
        "quality_contacts_365d",
        "discounted_spend_share_90d",
        "basket_size_change_90d",
        "competitor_contacts_90d",
        "competitor_contacts_365d",
        "region_changed_180d",
        "relocation_contacts_180d",
    }
)
_RETRAIN = (
    "Retrain: the gate cannot compare the old model on the new definitions, so `churn train "
    "--force-promote` makes the new one champion"
)


def redefined_features(learnt_with: dict[str, str] | None, feature_names: Sequence[str]) -> list[str]:
    """The features whose declaration changed since a model learnt them (`feature_definitions` then).
    A model that kept no record (`learnt_with` None) is asked about its `feature_names`: those
    redefined before records were kept (`REDEFINED_BEFORE_RECORDS`)."""
    if learnt_with is None:
        return [name for name in feature_names if name in REDEFINED_BEFORE_RECORDS]
    now = feature_definitions(list(learnt_with))
    return [name for name, definition in learnt_with.items() if now.get(name) != definition]


def redefined_features_sentence(
    learnt_with: dict[str, str] | None, feature_names: Sequence[str]
) -> str | None:
    """`redefined_features` as one sentence for the person running it, to follow the model's name;
    None when none changed."""
    changed = redefined_features(learnt_with, feature_names)
    if not changed:
        return None
    if learnt_with is None:
        return (
            "keeps no record of what its features meant (models keep one since 2 December 2026) and "
            f"learnt {', '.join(changed)}, whose definitions in {REASONS_CONFIG.name} changed before then, "
            f"so its scores and reasons may read them as something else. {_RETRAIN}"
        )
    return (
        f"learnt {', '.join(changed)} as they were defined when it was trained; {REASONS_CONFIG.name} "
        f"defines them differently now, so its scores and reasons read them as something else. {_RETRAIN}"
    )


def churn_reason_shares(config: GeneratorConfig) -> dict[str, float]:
    """True-reason shares for synthetic churners: the override if given, else the survey shares."""
    codes = reason_codes()
    shares = dict(config.reason_shares) or {r.code: r.survey_share for r in load_reasons()}
    unknown = sorted(set(shares) - set(codes))
    if unknown:
        raise ConfigError(f"generator.reason_shares: unknown reason codes {unknown}; known: {list(codes)}")
    if any(share < 0 for share in shares.values()) or sum(shares.values()) <= 0:
        raise ConfigError("generator.reason_shares: shares must be non-negative and not all zero")
    total = sum(shares.values())
    return {code: shares.get(code, 0.0) / total for code in codes}
