"""Synthetic CRM of «АвтоСнаб-Казахстан», a distributor of car parts and oils, 2023-01-01..2025-12-31.

The business
------------
Warehouses in Almaty and Astana, delivery to the whole country. Customers are car service stations
(СТО), parts shops and small fleets (taxi parks, logistics, agro). Every customer has a sales manager
(MGR-xxx) who calls, visits and writes in WhatsApp; a call centre sends SMS/e-mail mailings and takes
calls. Everybody writes in Russian the way people in such a business do: order numbers (ЗК-…),
invoice numbers, part numbers with Latin brand names, abbreviations (с/ф, зак., пжл), typos, no
punctuation, "Re:" chains, ё mostly written as е, Kazakh spellings of cities next to Russian ones.
Orders are B2B documents in tenge (net of discount; the discount is stored separately); returns are
separate return documents (ВЗ-…) with a negative amount and returned=true. Timestamps are local
time (Asia/Almaty: UTC+6 until March 2024, then UTC+5) in tz-aware Parquet columns. Orders follow a seasonal rhythm (spring oil
change / summer tyres, autumn winterisation) and the working week.

Files (Parquet): customers, orders, contacts, complaints, surveys; truth.csv is the ground truth.

Churn
-----
A customer has a churn hazard (higher for newcomers and parts shops); the churn moment is drawn
in continuous time, so churners leave in a steady flow through the whole history. After
churned_at there are no orders (a manager may still try to call for a while). Purchase activity
fades before churn (a symptom of every reason, strength varies; some leave abruptly), and stayers
have slumps too.

How each reason shows (all of it noisy; each trace is missing for part of the churners, and the
same traces occur among stayers, who get neglected, complain, hunt for discounts and move):
- indifference (~67%): usually (~75%) a "neglect window" of 2-9 months before leaving: manager
  calls/visits almost stop, post-shipment follow-up calls stop, inbound requests go unanswered or
  are answered after a day or more, sometimes "не могу дозвониться" messages; in ~35% the account
  was handed to a new manager at the start of it. Also a lower baseline of manager attention.
  ~18% of stayers live through a similar neglect window and stay.
- product_quality (~15%): a "quality window" (~80%): quality/service complaints (often resolved
  late or never), return documents, inbound messages about брак / пересорт / контрафакт, low pulse
  scores. ~8% of stayers have a quality window, with better resolution.
- competitor (~9%): a "price window" (~75%): most orders carry a discount, baskets shrink,
  price complaints, messages that "у Шате-М дешевле" or asking to beat another offer. ~12% of
  stayers are discount hunters with milder versions of the same.
- personal_ties (~5%): weak signals only: in about half of them the customer who referred them has
  left within the year before; rarely a message that a relative opened his own shop.
- moved_or_died (~4%): ~60% relocate: last deliveries go to the new region, the customer record's
  region is updated (not always), often a message about a new delivery address; the rest closed
  because the owner died or the business was shut, leaving little but an abrupt stop. ~2.5% of
  stayers move and keep buying.
Exit survey: ~1/3 of churners answer 3-60 days after leaving; ~62% give the true reason, the others
name a more "convenient" one. Pulse surveys: quarterly, answered by ~20% of active customers.
"""
import argparse
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

START = pd.Timestamp("2023-01-01T00:00:00Z")
END_D = (pd.Timestamp("2025-12-31T13:00:00Z") - START) / pd.Timedelta(days=1)  # 18:00 local
LAST_CHURN_D = (pd.Timestamp("2025-12-29T12:00:00Z") - START) / pd.Timedelta(days=1)
REASONS = np.array(["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"])
SHARES = np.array([0.67, 0.15, 0.09, 0.05, 0.04])
IND, QUA, COM, TIE, MOV = range(5)

REGIONS = np.array(["Алматы", "Астана", "Шымкент", "Караганда", "Актобе", "Павлодар",
                    "Усть-Каменогорск", "Атырау", "Костанай", "Тараз", "Уральск", "Алматинская обл."])
REG_W = np.array([24, 18, 12, 8, 6, 5, 5, 5, 4, 4, 4, 5], float)
CITY_SPELL = {"Алматы": ["Алматы", "Алмату", "алматы", "Алма-Ату"], "Астана": ["Астану", "Астана", "астану", "Нур-Султан"],
              "Шымкент": ["Шымкент", "шымкент", "Чимкент"], "Караганда": ["Караганду", "Қарағанды", "караганду"],
              "Актобе": ["Актобе", "Ақтөбе", "актобе"], "Павлодар": ["Павлодар", "павлодар"],
              "Усть-Каменогорск": ["Усть-Каменогорск", "Өскемен", "Усть-Кам", "УКГ"], "Атырау": ["Атырау", "атырау"],
              "Костанай": ["Костанай", "Қостанай"], "Тараз": ["Тараз", "тараз"], "Уральск": ["Уральск", "Орал"],
              "Алматинская обл.": ["Талдыкорган", "Каскелен", "Конаев", "Есик"]}
SEGMENTS = np.array(["СТО", "Магазин автозапчастей", "Автопарк"])
SEG_W = np.array([0.52, 0.33, 0.15])
PARTS = ["колодки тормозные TRW GDB1550", "колодки Brembo P 83 140", "масло Castrol EDGE 5W-30 4л", "Shell Helix HX8 5w40",
         "Лукойл Люкс 10W-40 бочка 216,5л", "масло Mobil Super 3000 5W-40", "ZIC X9 5w30", "фильтр масляный MANN W 712/95",
         "фильтр возд. MANN C 30 005", "фильтр салона Filtron K1329", "ремень ГРМ Gates K015578XS", "ролик натяжной INA 531 0797 10",
         "подшипник ступицы SKF VKBA 3525", "свечи NGK BKR6E", "свечи Denso IK20TT", "амортизатор KYB 334834",
         "стойка стабилизатора Lemforder 33960", "антифриз Felix G12 10кг", "АКБ Тюмень 6СТ-60", "АКБ Varta Blue 74Ah",
         "ШРУС GKN 302283", "сцепление LUK 624 3307 00", "помпа Hepu P550", "рулевая тяга CTR CRT-52", "щетки Bosch AeroTwin",
         "тормозной диск ATE 24.0122", "датчик ABS Bosch 0 265 007 896", "колодки на Газель", "фильтр топл. Knecht KL 156/3",
         "масло трансм. Motul Gear 75w90", "ступица на Камри 50", "стартер на Приору", "радиатор Nissens 65273A"]
BRANDS = ["Castrol", "Shell", "Mobil", "Лукойл", "ZIC", "MANN", "Bosch", "TRW", "SKF", "KYB", "Gates", "NGK", "LUK",
          "Febi", "Лемфордер", "Total", "Liqui Moly"]
COMPETITORS = ["Шате-М", "Армтек", "Emex", "Exist", "Автодок", "AutoPro", "Тюнинг-Авто", "рынок на Барыс", "Мегазап",
               "Автомир", "китайцы на Сайране", "AvtoLife"]
MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]
MGR_NAMES = ["Ержан Калиев", "Айгерим Сапарова", "Дмитрий Ким", "Асель Нурланова", "Максим Цой", "Данияр Ахметов",
             "Ольга Ли", "Нурлан Жумабеков", "Сергей Пак", "Алия Бекова", "Тимур Садыков", "Жанна Ермекова"]

# Text banks. {N}: a document/ticket number supplied per row; other slots are filled per variant.
T = {
    "mgr": ["Звонок клиенту, уточнил потребность на {month}", "Плановый звонок, предложил {brand} по акции",
            "Визит на точку, презентация новинок {brand}", "Встреча с владельцем, обсудили объёмы на сезон",
            "Обзвон: напомнил про сезонку АКБ/антифриз", "Сверка взаиморасчетов, акт сверки отправлен на почту",
            "Напоминание об оплате счета {N}", "Отправил прайс {brand} на {month}", "КП на поставку фильтров {brand}",
            "Поздравление с Наурызом", "Поздравили с днём рождения директора", "уточнение по дебиторке, обещали оплатить до пятницы",
            "согласование отсрочки платежа 14 дней", "Визит: проверил остатки на складе клиента, дозаказ {part}",
            "обсудили переход на {brand} в бочках", "звонок: клиент просит спеццену на {part}", "выезд к клиенту, подписали доп. соглашение на поставку",
            "Созвон, уточнил график доставки", "WhatsApp: скинул фото новинок {brand}", "Годовая встреча: итоги года, планы на сезон"],
    "follow": ["Звонок после отгрузки по заказу {N} - всё ок", "Контроль доставки заказа {N}, получили", "уточнил по заказу {N} все ли пришло",
               "Обратная связь по отгрузке {N}: претензий нет", "ОС по заказу {N}, доволен", "после поставки {N} звонок, замечаний нет",
               "проверка получения {N} + предложил {brand}"],
    "mass": ["Акция! Скидка 10% на {brand} до конца месяца", "Новинки в каталоге: {part}", "Ваш заказ {N} отгружен",
             "График работы склада в праздничные дни", "Напоминание: бонусы сгорают 31 декабря", "Зимняя распродажа АКБ",
             "Спецпредложение на моторные масла {brand}", "Рассылка: новый прайс с 1 числа", "Опрос: оцените работу менеджера"],
    "lost": ["Звонок: не берут трубку", "давно не заказывали, выяснить причину", "клиент сказал пока не нужно, перезвонить через месяц",
             "Звонок по возврату клиента, без результата", "предложил персональную скидку, думают", "Обзвон спящих клиентов"],
    "newmgr": ["Смена менеджера, представился", "Передача клиента от {name}", "Знакомство: теперь ваш менеджер {name}",
               "клиент передан новому менеджеру по приказу", "Представился как новый ответственный менеджер"],
    "inb": ["Наличие {part}?", "подбор по VIN, нужен {part}", "запрос счета на оплату по заказу {N}", "Нужна счет-фактура за {month}",
            "Когда будет поставка {part}", "прайс скиньте пожалуйста", "Заказ: {part} 2шт", "КП на масла", "есть ли аналог {part}",
            "Вопрос по доставке заказа {N}", "статус заказа {N}", "Нужен акт сверки за {month}", "по VIN не подходит подберите другой",
            "доставка сегодня будет?", "добавьте в заказ {N} {part}", "сколько стоит {part}", "можно забрать самовывозом {N}?"],
    "chase": ["третий раз пишу никто не ответил", "не могу дозвониться до менеджера", "Где менеджер? Заявка {N} висит неделю",
              "счет так и не прислали", "перезвоните пожалуйста никто не берет трубку", "Почему никто не отвечает??",
              "жду ответа по заказу {N} уже 3 дня", "менеджер не выходит на связь, кто нас ведёт?"],
    "quality": ["Брак {part}, заказ {N}", "пришли колодки не той маркировки", "масло {brand} похоже контрафакт, канистра другая",
                "подшипник гудит после 2 тыс км, заказ {N}", "Возврат по накладной {N}: брак", "фильтр не подошёл хотя по каталогу должен",
                "пересорт в заказе {N}", "Рекламация: амортизатор течёт", "клиент вернул машину на СТО, {part} вышла из строя",
                "второй раз брак по {part}!!", "качество упало, раньше такого не было", "{part} треснул при установке"],
    "service": ["менеджер нагрубил по телефону", "долго не отвечают в колл-центре", "Неправильно выставлен счёт {N}",
                "бонусы не начислили за {month}", "обещали перезвонить и пропали", "некорректная накладная {N}"],
    "delivery": ["Доставка задержалась на 3 дня, заказ {N}", "Курьер не приехал", "Пришло не всё, недовоз 2 позиции по {N}",
                 "коробка помята, разбит антифриз", "опять сорвали сроки доставки", "привезли не по адресу"],
    "price": ["у {comp} дешевле на 15%", "{comp} дает отсрочку 30 дней, можете так же?", "почему цены подняли? в {comp} {part} дешевле",
              "Скидку дадите? иначе берем у {comp}", "запрос на снижение цены по маслам", "прислали КП от {comp}, сможете перебить?",
              "цены выше чем у конкурентов", "подняли цены без предупреждения", "не применили скидку по договору, счет {N}"],
    "other": ["не работает личный кабинет", "ошибка в реквизитах", "просим копию договора", "вопрос по бонусной программе"],
    "move": ["Переезжаем в {city}, смените адрес доставки", "Закрываем точку тут, открываемся в {city}", "новый адрес доставки: {city}, ул. {street}",
             "Хозяин переезжает в {city}, будем работать оттуда", "Меняем юр. адрес на {city}", "Отгрузки теперь в {city} пожалуйста"],
    "closed": ["Владелец скончался, работу приостанавливаем", "Закрываемся, СТО продали", "Бизнес закрыли, спасибо за сотрудничество",
               "ИП закрыто, договор расторгнуть"],
    "ties": ["брат открыл свой магазин запчастей, будем у него брать", "кум теперь работает в {comp}, берем через него",
             "знакомый возит запчасти напрямую", "родственник открыл склад, извините"],
}
ABBR = [("пожалуйста", ["пжл", "пож-та", "плз", "пожалуйста"]), ("заказу", ["зак.", "заказу", "зкз"]), ("заказ", ["зак.", "заказ", "зкз"]),
        ("счет-фактура", ["с/ф", "сф", "счет-фактура"]), ("менеджер", ["менеджер", "манагер", "менеджер"])]
NUM_STYLE = ["ЗК-", "№", "№ ", "", "зк", "ЗК", "# "]


def noisy(s, rng):
    """One realistic spelling of a message."""
    for w, alts in ABBR:
        if rng.random() < 0.35:
            s = re.sub(r"\b%s\b" % w, alts[rng.integers(len(alts))], s, count=1)
    if rng.random() < 0.75:
        s = s.replace("ё", "е").replace("Ё", "Е")
    if rng.random() < 0.28:
        s = "".join(ch for ch in s if ch not in ".,!?:;")
    words = s.split(" ")
    if rng.random() < 0.25:
        idx = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
        if idx:
            i = idx[rng.integers(len(idx))]
            w, j = words[i], int(rng.integers(1, len(words[i]) - 1))
            k = rng.integers(3)
            words[i] = (w[:j] + w[j + 1] + w[j] + w[j + 2:]) if k == 0 else (w[:j] + w[j + 1:]) if k == 1 else (w[:j] + w[j] + w[j:])
    s = " ".join(words)
    r = rng.random()
    if r < 0.32:
        s = s.lower()
    elif r < 0.35 and len(s) < 40:
        s = s.upper()
    elif r < 0.40:
        s = s[:1].lower() + s[1:]
    return s


def pool(key, rng, size=300):
    """Pre-rendered variants (prefix, suffix) of one message kind; row text = prefix + number + suffix."""
    pre, suf = [], []
    for _ in range(size):
        t = T[key][rng.integers(len(T[key]))]
        city = list(CITY_SPELL.values())[rng.integers(len(CITY_SPELL))]
        t = (t.replace("{month}", MONTHS[rng.integers(12)]).replace("{brand}", BRANDS[rng.integers(len(BRANDS))])
             .replace("{part}", PARTS[rng.integers(len(PARTS))]).replace("{comp}", COMPETITORS[rng.integers(len(COMPETITORS))])
             .replace("{city}", city[rng.integers(len(city))]).replace("{name}", MGR_NAMES[rng.integers(len(MGR_NAMES))])
             .replace("{street}", f"{['Абая', 'Райымбека', 'Сейфуллина', 'Толе би', 'Кенесары'][rng.integers(5)]} {rng.integers(1, 200)}"))
        if "{N}" not in t and rng.random() < 0.12 and key not in ("mass",):
            t += [" (заявка {T})", " [#{T}]", " тикет {T}", " обращение {T}", " CRM-{T}"][rng.integers(5)]
        t = noisy(t, rng)
        if key in ("inb", "chase", "quality", "price", "service", "delivery", "move") and rng.random() < 0.14:
            t = ["Re: ", "RE: ", "Re: Re: ", "Fwd: ", "Ответ: "][rng.integers(5)] + t
        low = "{n}" in t  # noisy() may have lowercased the slot marker
        t = t.replace("{n}", "{N}").replace("{t}", "{T}")
        if "{T}" in t:
            a, b = t.split("{T}", 1)
        elif "{N}" in t:
            a, b = t.split("{N}", 1)
            st = NUM_STYLE[rng.integers(len(NUM_STYLE))]
            a = a + (st.lower() if low else st)
        else:
            a, b = t, None
        pre.append(a)
        suf.append(b)
    return np.array(pre, dtype=object), np.array(suf, dtype=object)


def texts(key, n, rng, nums=None):
    """n messages of one kind as an Arrow string array (document numbers per row)."""
    pre, suf = pool(key, rng)
    v = pa.array(rng.integers(len(pre), size=n))
    nums = rng.integers(10000, 999999, size=n) if nums is None else nums
    has = np.array([x is not None for x in suf])[v.to_numpy()]
    num = pc.if_else(pa.array(has), pc.cast(pa.array(nums), pa.string()), "")
    return pc.binary_join_element_wise(pc.take(pa.array(pre, pa.string()), v), num,
                                       pc.take(pa.array([x or "" for x in suf], pa.string()), v), "")


def take(values, codes):
    return pc.take(pa.array(np.asarray(values).tolist(), pa.string()), pa.array(np.asarray(codes)))


CHANNELS = np.array(["call", "chat", "email", "meeting", "sms"])
MGRS = np.array([f"MGR-{i:03d}" for i in range(200)])


def in_win(t, s, e):
    return (t >= s) & (t < e)


def ts(days):
    """Days since START -> Arrow timestamps in local time (Asia/Almaty); NaN -> null."""
    d = np.asarray(days, float)
    us = START.value // 1000 + np.round(np.nan_to_num(d) * 86400.0, 0).astype("int64") * 1_000_000
    return pa.array(us, pa.timestamp("us", tz="Asia/Almaty"), mask=np.isnan(d))


def work_hours(t, rng, lo=8.0, hi=19.0):
    """Move to a local working time (local = UTC+5) on the same day."""
    return np.floor(t) + (rng.uniform(lo, hi, size=len(t)) - 5.0) / 24.0


def save(cols, out, name, order=None):
    """Write a dict of Arrow/numpy columns, rows in the given order."""
    tab = pa.table({k: (v if isinstance(v, (pa.Array, pa.ChunkedArray)) else pa.array(v, from_pandas=True)) for k, v in cols.items()})
    if order is not None:
        tab = tab.take(pa.array(order))
    pq.write_table(tab, out / f"{name}.parquet", row_group_size=500_000)
    return tab.num_rows


def generate(n, seed, out):
    rng = np.random.default_rng(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ids = np.array([f"KZ{i:06d}" for i in range(1, n + 1)], dtype=object)

    # ---------------- customers ----------------
    seg = rng.choice(3, size=n, p=SEG_W)
    reg = rng.choice(len(REGIONS), size=n, p=REG_W / REG_W.sum())
    old = rng.random(n) < 0.55
    signup = np.where(old, -rng.uniform(30, 8 * 365, n), rng.uniform(0, END_D - 20, n))
    signup = work_hours(signup, rng)
    start = np.maximum(signup, 0.0)
    loyalty = rng.random(n) < np.array([0.35, 0.5, 0.2])[seg]
    # base order rate per day, average basket (tenge)
    rate = rng.lognormal(np.log(np.array([2.2, 3.2, 1.2])[seg] / 30.4), 0.6)
    basket = rng.lognormal(np.log(np.array([65000, 120000, 180000])[seg]), 0.6)
    attent = rng.lognormal(np.log(0.035), 0.5, n)           # manager touches per day
    diligence = rng.beta(2, 4, n)                             # prob. of a follow-up call after an order
    engage = rng.beta(2, 5, n) * 2.5                          # survey responsiveness

    # ---------------- churn ----------------
    hz = np.array([0.13, 0.16, 0.10])[seg] * np.where(old, 1.0, 1.35) * rng.lognormal(0, 0.5, n) / 365.0
    churn = start + 25 + rng.exponential(1.0 / hz)
    churned = churn < LAST_CHURN_D
    churn = np.where(churned, churn, np.inf)
    nch = int(churned.sum())
    reason = np.full(n, -1)
    segtilt = np.array([[1, 1, 1, 1, 1], [1, 1.1, 1.3, 1, 0.9], [1, 0.9, 1.2, 0.6, 0.8]])
    p = SHARES[None, :] * segtilt[seg[churned]]
    p /= p.sum(1, keepdims=True)
    reason[churned] = (p.cumsum(1) > rng.random(nch)[:, None]).argmax(1)
    attent[reason == IND] *= 0.7

    def window(mask_ch, p_ch, p_st, lmin, lmax):
        """Trace window per customer: churners of the reason (ending at churn) and random stayers' ones."""
        s = np.full(n, np.inf)
        e = np.full(n, np.inf)
        ch = mask_ch & (rng.random(n) < p_ch)
        L = rng.uniform(lmin, lmax, n)
        s[ch] = churn[ch] - L[ch]
        st = ~mask_ch & (rng.random(n) < p_st)
        mid = rng.uniform(start, END_D + 60)
        s[st] = mid[st] - L[st] / 2
        e[st] = mid[st] + L[st] / 2
        return s, e, ch

    neg_s, neg_e, neg_ch = window(reason == IND, 0.75, 0.18, 60, 270)
    qua_s, qua_e, qua_ch = window(reason == QUA, 0.80, 0.08, 30, 240)
    pri_s, pri_e, pri_ch = window(reason == COM, 0.75, 0.12, 60, 300)
    strength = rng.uniform(0.4, 1.6, n)
    # relocations
    move_t = np.full(n, np.inf)
    relocate = (reason == MOV) & (rng.random(n) < 0.6)
    move_t[relocate] = churn[relocate] - rng.uniform(5, 75, relocate.sum())
    st_move = ~churned & (rng.random(n) < 0.025)
    move_t[st_move] = rng.uniform(start[st_move], END_D)
    moved = np.isfinite(move_t)
    new_reg = (reg + rng.integers(1, len(REGIONS), n)) % len(REGIONS)
    cur_reg = np.where(moved & (move_t < END_D) & (rng.random(n) < 0.8), new_reg, reg)
    # pre-churn fade of purchases (a symptom) and stayers' slumps
    fade_len = np.select([reason == MOV, reason == COM], [rng.uniform(5, 30, n), rng.uniform(60, 200, n)], rng.uniform(20, 160, n))
    floor_ = np.select([reason == MOV, reason == COM, reason == IND],
                       [rng.uniform(0.7, 1.0, n), rng.uniform(0.15, 0.6, n), rng.uniform(0.25, 0.9, n)], rng.uniform(0.4, 1.0, n))
    slump = ~churned & (rng.random(n) < 0.15)
    sl_s = np.where(slump, rng.uniform(start, END_D), np.inf)
    sl_e = sl_s + rng.uniform(45, 150, n)
    # managers: several per region, some accounts handed over
    mgr_by_reg = [np.arange(i * 8 + 1, i * 8 + 1 + int(rng.integers(3, 9))) for i in range(len(REGIONS))]
    mgr_old = np.array([rng.choice(mgr_by_reg[r]) for r in reg])
    mgr_chg = np.full(n, np.inf)
    c1 = neg_ch & (rng.random(n) < 0.35)
    mgr_chg[c1] = neg_s[c1]
    c2 = ~c1 & (rng.random(n) < 0.10)
    mgr_chg[c2] = rng.uniform(start[c2], END_D + 200)
    mgr_new = np.array([rng.choice(mgr_by_reg[r]) for r in cur_reg])
    same = mgr_new == mgr_old
    mgr_new[same] = mgr_new[same] + 1
    mgr_cur = np.where(mgr_chg < END_D, mgr_new, mgr_old)
    # referrals; personal-ties churners often followed a referrer who left
    referred = np.full(n, -1)
    cand = np.flatnonzero(rng.random(n) < 0.16)
    ref_pick = rng.integers(0, n, cand.size)
    ok = signup[ref_pick] < signup[cand] - 20
    referred[cand[ok]] = ref_pick[ok]
    chi = np.flatnonzero(churned)
    order_ch = chi[np.argsort(churn[chi])]
    churn_sorted = churn[order_ch]
    for frac, who in ((0.5, reason == TIE), (0.03, ~churned)):
        sel = np.flatnonzero(who & (rng.random(n) < frac))
        ref_until = np.minimum(churn[sel], END_D) - 7
        lo = np.searchsorted(churn_sorted, ref_until - 365)
        hi = np.searchsorted(churn_sorted, ref_until)
        for _ in range(4):
            k = order_ch[np.minimum(lo + (rng.random(sel.size) * (hi - lo)).astype(int), len(order_ch) - 1)]
            good = (hi > lo) & (signup[k] < signup[sel]) & (k != sel)
            referred[sel[good]] = k[good]
            sel, lo, hi = sel[~good], lo[~good], hi[~good]
    ties_trace_ch = (reason == TIE) & (referred >= 0) & (churn[np.maximum(referred, 0)] < churn)

    # ---------------- orders (thinning of a Poisson process) ----------------
    endc = np.minimum(churn, END_D)
    span = np.maximum(endc - start, 0)
    cnt = rng.poisson(rate * 1.35 * span)
    cid = np.repeat(np.arange(n), cnt)
    t = start[cid] + rng.random(cid.size) * span[cid]
    t = work_hours(t, rng, 8.5, 18.5)
    doy = (t + 0.0) % 365.25
    inten = 1 + 0.2 * np.cos(4 * np.pi * (doy - 105) / 365.25)
    wd = (np.floor(t).astype(int) + 6) % 7  # 2023-01-01 is a Sunday -> 6
    inten *= np.array([1, 1, 1, 1, 1, 0.6, 0.12])[wd]
    prog = np.clip((t - (churn[cid] - fade_len[cid])) / fade_len[cid], 0, 1)
    inten *= 1 - (1 - floor_[cid]) * prog
    inten *= np.where(in_win(t, sl_s[cid], sl_e[cid]), 0.35, 1.0)
    keep = (rng.random(t.size) * 1.2 < inten) & (t < churn[cid]) & (t < END_D) & (t >= start[cid])
    cid, t = cid[keep], t[keep]
    o = np.lexsort((t, cid))
    cid, t = cid[o], t[o]
    m = cid.size
    in_pri = in_win(t, pri_s[cid], pri_e[cid])
    in_qua = in_win(t, qua_s[cid], qua_e[cid])
    in_neg = in_win(t, neg_s[cid], neg_e[cid])
    shrink = np.ones(m)
    pcw = pri_ch[cid] & in_pri
    shrink[pcw] = 1 - 0.55 * strength[cid[pcw]] / 1.6 * np.clip((t[pcw] - pri_s[cid[pcw]]) / (churn[cid[pcw]] - pri_s[cid[pcw]]), 0, 1)
    shrink[in_pri & ~pcw] = 0.85
    gross = basket[cid] * rng.lognormal(-0.15, 0.55, m) * shrink
    p_disc = np.where(in_pri, np.clip(0.45 + 0.25 * strength[cid], 0, 0.92), 0.06 + 0.22 * loyalty[cid])
    disc = np.where(rng.random(m) < p_disc, gross * rng.uniform(0.03, 0.15, m), 0.0).round(0)
    amount = (gross - disc).round(0)
    oreg = np.where(t >= move_t[cid], new_reg[cid], reg[cid])
    onum = rng.permutation(np.arange(100000, 100000 + m))
    # returns: separate documents, negative amounts
    p_ret = np.where(in_qua, 0.06 + 0.08 * strength[cid], 0.012)
    r = np.flatnonzero(rng.random(m) < p_ret)
    rt = work_hours(t[r] + rng.uniform(1, 20, r.size), rng)
    rok = (rt < churn[cid[r]]) & (rt < END_D)
    r, rt = r[rok], rt[rok]
    oc = np.concatenate([cid, cid[r]])
    ot = np.concatenate([t, rt])
    srt = np.argsort(ot, kind="stable")
    has_order = np.bincount(cid, minlength=n) > 0
    counts = {"orders": save({
        "order_id": pc.binary_join_element_wise(pa.array(np.r_[np.full(m, "ЗК-"), np.full(r.size, "ВЗ-")].tolist()),
                                                pc.cast(pa.array(np.r_[onum, onum[r]]), pa.string()), ""),
        "customer_id": take(ids, oc), "ordered_at": ts(ot),
        "amount": np.concatenate([amount, -(amount[r] * rng.choice([1.0, 0.5, 0.25], r.size, p=[0.4, 0.3, 0.3])).round(0)]),
        "discount_amount": np.concatenate([disc, np.zeros(r.size)]),
        "returned": np.concatenate([np.zeros(m, bool), np.ones(r.size, bool)]),
        "region": take(REGIONS, np.concatenate([oreg, oreg[r]])),
        "manager_id": take(MGRS, np.concatenate([np.where(t >= mgr_chg[cid], mgr_new[cid], mgr_old[cid]), np.where(rt >= mgr_chg[cid[r]], mgr_new[cid[r]], mgr_old[cid[r]])])),
    }, out, "orders", srt)}
    del gross, disc, shrink, prog, inten, doy, wd, keep, oc, ot, srt

    # ---------------- complaints ----------------
    cats = np.array(["quality", "service", "price", "delivery", "other"])
    parts = []  # (cust, t, cat, bad_resolution)
    cspan = np.maximum(np.minimum(churn + 10, END_D) - start, 0)
    k = rng.poisson(rng.gamma(0.7, 0.35 / 0.7, n) / 365 * cspan)
    cc = np.repeat(np.arange(n), k)
    parts.append((cc, start[cc] + rng.random(cc.size) * cspan[cc], rng.choice(5, cc.size, p=[0.28, 0.2, 0.1, 0.32, 0.1]), np.zeros(cc.size, bool)))
    for s_, e_, ch_, lam, pcat, bad in ((qua_s, qua_e, qua_ch, 2.2, [0.75, 0.25, 0, 0, 0], 0.6), (pri_s, pri_e, pri_ch, 0.9, [0, 0, 1, 0, 0], 0.15),
                                        (neg_s, neg_e, neg_ch, 0.35, [0, 0.6, 0, 0.4, 0], 0.3)):
        fin = np.isfinite(s_)
        k = np.where(fin, rng.poisson(lam * strength * np.where(ch_, 1.0, 0.7)), 0)
        cc = np.repeat(np.arange(n), k)
        ee = np.minimum(np.minimum(e_, churn + 3), END_D)[cc]
        ss = np.maximum(s_, start)[cc]
        parts.append((cc, ss + rng.random(cc.size) * np.maximum(ee - ss, 0), rng.choice(5, cc.size, p=pcat),
                      ch_[cc] & (rng.random(cc.size) < bad)))
    cc, ct, ccat, bad = (np.concatenate(x) for x in zip(*parts))
    ct = work_hours(ct, rng)
    okc = (ct < END_D) & (ct >= start[cc]) & has_order[cc]
    cc, ct, ccat, bad = cc[okc], ct[okc], ccat[okc], bad[okc]
    res_p = np.where(bad, 0.55, 0.92)
    res_d = np.where(bad, rng.lognormal(np.log(12), 0.9, cc.size), rng.lognormal(np.log(2.5), 0.9, cc.size))
    rt = np.maximum(work_hours(ct + res_d, rng), ct + 0.02)
    rt[(rng.random(cc.size) > res_p) | (rt >= END_D)] = np.nan
    keys5 = ["quality", "service", "price", "delivery", "other"]
    co = np.argsort(ccat, kind="stable")  # texts are generated per category, then put back in time order
    cc, ct, ccat, rt = cc[co], ct[co], ccat[co], rt[co]
    ctext = pa.concat_arrays([texts(key, int((ccat == j).sum()), rng) for j, key in enumerate(keys5)])
    counts["complaints"] = save({"complaint_id": take(np.array([f"ПР-{i:06d}" for i in range(1, cc.size + 1)]), rng.permutation(cc.size)),
                                 "customer_id": take(ids, cc), "opened_at": ts(ct), "category": take(cats, ccat),
                                 "resolved_at": ts(rt), "text": ctext}, out, "complaints", np.argsort(ct, kind="stable"))

    # ---------------- contacts ----------------
    C = []  # dicts of arrays

    def add(cust, tt, direction, key, chans, chan_p, nums=None, mgr=True):
        tt = work_hours(tt, rng)
        ok_ = (tt < END_D) & (tt >= np.maximum(signup[cust], 0))
        cust, tt = cust[ok_], tt[ok_]
        nums = None if nums is None else nums[ok_]
        ch = np.asarray(chans)[rng.choice(len(chans), cust.size, p=chan_p)]
        C.append({"cust": cust, "t": tt, "dir": direction, "key": key, "channel": ch, "nums": nums, "mgr": mgr})

    # manager routine touches (suppressed in neglect windows), continuing for a while after churn as "lost" calls
    mspan = np.maximum(endc - start, 0)
    k = rng.poisson(attent * 1.1 * mspan)
    mc = np.repeat(np.arange(n), k)
    mt = start[mc] + rng.random(mc.size) * mspan[mc]
    f = np.where(in_win(mt, neg_s[mc], neg_e[mc]), np.where(neg_ch[mc], 0.12, 0.25), 1.0)
    kk = rng.random(mc.size) * 1.1 < f * (1 + 0.1 * np.cos(4 * np.pi * (mt - 105) / 365.25))
    add(mc[kk], mt[kk], "outbound", "mgr", ["call", "meeting", "chat", "email"], [0.55, 0.22, 0.15, 0.08])
    lc = np.flatnonzero(churned & has_order)
    k = rng.poisson(rng.uniform(0.5, 4, lc.size))
    lcc = np.repeat(lc, k)
    add(lcc, churn[lcc] + rng.uniform(10, 150, lcc.size), "outbound", "lost", ["call", "chat", "sms"], [0.7, 0.2, 0.1])
    # follow-up after shipment
    pf = diligence[cid] * np.where(in_neg, np.where(neg_ch[cid], 0.12, 0.3), 1.0)
    fo = np.flatnonzero(rng.random(m) < pf)
    add(cid[fo], t[fo] + rng.uniform(0.5, 4, fo.size), "outbound", "follow", ["call", "chat"], [0.8, 0.2], nums=onum[fo])
    # handover to a new manager
    hc = np.flatnonzero((mgr_chg < END_D) & (rng.random(n) < 0.55))
    add(hc, mgr_chg[hc] + rng.uniform(0, 10, hc.size), "outbound", "newmgr", ["call", "meeting", "chat"], [0.6, 0.2, 0.2])
    # call-centre mailings (not affected by neglect)
    ml = rng.random(n) < 0.6
    k = np.where(ml, rng.poisson(0.4 / 30.4 * np.maximum(np.minimum(churn + 200, END_D) - start, 0)), 0)
    mc = np.repeat(np.arange(n), k)
    add(mc, start[mc] + rng.random(mc.size) * np.maximum(np.minimum(churn + 200, END_D) - start, 0)[mc], "outbound", "mass",
        ["sms", "email"], [0.6, 0.4], mgr=False)
    # inbound: requests around orders, chasing in neglect, complaint messages, price talk, moves, ties
    ib = np.flatnonzero(rng.random(m) < 0.3)
    add(cid[ib], t[ib] - rng.uniform(0, 2, ib.size), "inbound", "inb", ["call", "chat", "email"], [0.45, 0.38, 0.17], nums=onum[ib])
    fin = np.isfinite(neg_s)
    k = np.where(fin, rng.poisson(0.8 * strength * np.where(neg_ch, 1.0, 0.6)), 0)
    kc = np.repeat(np.arange(n), k)
    ss, ee = np.maximum(neg_s, start)[kc], np.minimum(np.minimum(neg_e, churn), END_D)[kc]
    add(kc, ss + rng.random(kc.size) * np.maximum(ee - ss, 0), "inbound", "chase", ["call", "chat", "email"], [0.4, 0.4, 0.2])
    lk = rng.random(cc.size) < 0.7
    for j, key in enumerate(["quality", "service", "price", "delivery", "other"]):
        w = lk & (ccat == j)
        add(cc[w], ct[w] - rng.uniform(0, 0.2, w.sum()), "inbound", key, ["call", "chat", "email"], [0.4, 0.4, 0.2])
    k = np.where(np.isfinite(pri_s), rng.poisson(np.where(pri_ch, 1.2, 0.5) * strength), 0)
    kc = np.repeat(np.arange(n), k)
    ss, ee = np.maximum(pri_s, start)[kc], np.minimum(np.minimum(pri_e, churn), END_D)[kc]
    add(kc, ss + rng.random(kc.size) * np.maximum(ee - ss, 0), "inbound", "price", ["call", "chat", "email"], [0.4, 0.45, 0.15])
    mv = np.flatnonzero(moved & (rng.random(n) < 0.55))
    add(mv, move_t[mv] - rng.uniform(-3, 20, mv.size), "inbound", "move", ["call", "chat", "email"], [0.5, 0.35, 0.15])
    cl = np.flatnonzero((reason == MOV) & ~relocate & (rng.random(n) < 0.3))
    add(cl, churn[cl] + rng.uniform(-5, 40, cl.size), "inbound", "closed", ["call", "chat"], [0.7, 0.3])
    tc = np.flatnonzero(((reason == TIE) & (rng.random(n) < 0.12)) | (~churned & (rng.random(n) < 0.002)))
    add(tc, np.minimum(churn[tc], END_D) - rng.uniform(0, 60, tc.size), "inbound", "ties", ["call", "chat"], [0.6, 0.4])

    cust = np.concatenate([c["cust"] for c in C])
    ctt = np.concatenate([c["t"] for c in C])
    topic = pa.concat_arrays([texts(c["key"], c["cust"].size, rng, c["nums"]) for c in C])
    inbound = np.concatenate([np.full(c["cust"].size, c["dir"] == "inbound") for c in C])
    has_mgr = np.concatenate([np.full(c["cust"].size, c["mgr"]) for c in C])
    chan = np.concatenate([c["channel"] for c in C])
    del C
    negl = in_win(ctt, neg_s[cust], neg_e[cust])
    ans_p = np.where(negl, np.where(neg_ch[cust], 0.55, 0.7), 0.95)
    answered = rng.random(cust.size) < ans_p
    hours = np.where(negl, rng.lognormal(np.log(20), 1.0, cust.size), rng.lognormal(np.log(1.3), 1.1, cust.size)).round(1)
    hours[~answered | ~inbound] = np.nan
    okr = (~inbound | ~answered | (ctt + hours / 24 < END_D)) & has_order[cust]
    mgr = np.where(ctt >= mgr_chg[cust], mgr_new[cust], mgr_old[cust])
    sel = np.flatnonzero(okr)
    sel = sel[np.argsort(ctt[sel], kind="stable")]
    counts["contacts"] = save({
        "customer_id": take(ids, cust), "contacted_at": ts(ctt), "direction": take(["outbound", "inbound"], inbound.astype(int)),
        "channel": take(CHANNELS, np.searchsorted(CHANNELS, chan)), "topic": topic,
        "answered": pa.array(answered, mask=~inbound), "response_hours": hours,
        "manager_id": pc.take(pa.array(MGRS.tolist()), pa.array(mgr, mask=~(has_mgr & ~inbound))),
    }, out, "contacts", sel)
    del topic, cust, ctt, hours, answered, mgr, chan, sel

    # ---------------- surveys ----------------
    base = np.clip(rng.normal(8.0, 1.2, n), 3, 10)
    waves = np.array([(pd.Timestamp(f"{y}-{mo:02d}-10T00:00Z") - START).days for y in (2023, 2024, 2025) for mo in (2, 5, 8, 11)], float)
    S = []
    for w in waves:
        act = np.flatnonzero((start < w - 30) & (churn > w) & has_order & (rng.random(n) < 0.2 * engage))
        at = work_hours(w + rng.uniform(0, 20, act.size), rng)
        sc = base[act] + rng.normal(0, 1.2, act.size)
        sc -= np.where(in_win(at, qua_s[act], qua_e[act]), 1.5 + 1.8 * strength[act], 0)
        sc -= np.where(in_win(at, neg_s[act], neg_e[act]), 0.5 + 0.8 * strength[act], 0)
        sc -= np.where(in_win(at, pri_s[act], pri_e[act]), 0.6 * strength[act], 0)
        S.append((act, at, np.zeros(act.size, int), np.clip(np.round(sc), 0, 10), np.full(act.size, -1)))
    ex = np.flatnonzero(churned & has_order & (rng.random(n) < np.where(reason == MOV, 0.2, 0.35)))
    et = work_hours(churn[ex] + rng.uniform(3, 60, ex.size), rng)
    ex, et = ex[et < END_D], et[et < END_D]
    conf = np.array([[0, .25, .55, .1, .1], [.3, 0, .55, .05, .1], [.55, .35, 0, .05, .05], [.4, .1, .45, 0, .05], [.4, .1, .3, .2, 0]])
    lie = rng.random(ex.size) > 0.62
    said = reason[ex].copy()
    pc_ = conf[reason[ex][lie]]
    said[lie] = (pc_.cumsum(1) > rng.random(lie.sum())[:, None]).argmax(1)
    S.append((ex, et, np.ones(ex.size, int), np.clip(np.round(rng.normal(4, 2, ex.size)), 0, 10), said))
    sc_, st_, sk_, ss_, sr_ = (np.concatenate(x) for x in zip(*S))
    counts["surveys"] = save({"customer_id": take(ids, sc_), "answered_at": ts(st_), "kind": take(["pulse", "exit"], sk_), "score": ss_,
                              "reason": pc.take(pa.array(REASONS.tolist()), pa.array(sr_, mask=sr_ < 0))}, out, "surveys",
                             np.argsort(st_, kind="stable"))

    # ---------------- customers table & truth ----------------
    keepc = has_order
    seg_names = {0: ["СТО «{}»", "Автосервис {}", "ИП {} (СТО)"], 1: ["Магазин «{}»", "ТОО «{}»", "ИП {}"], 2: ["ТОО «{} Транс»", "Таксопарк {}", "ТОО «{} Логистик»"]}
    stems = np.array(["Автомир", "Мотор", "Береке", "Жолдас", "Арсенал", "Сапар", "Тулпар", "Камаз-Сервис", "Юг", "Степь", "Нур", "Алтын",
                      "Ахметов", "Ким", "Сериков", "Иванов", "Жаксылыков", "Бекмуханов", "Гарант", "Профи", "Драйв", "Кулан", "Барыс"])
    nm = np.array([seg_names[sg][rng.integers(3)].format(stems[rng.integers(len(stems))]) for sg in seg])
    kc = np.flatnonzero(keepc)
    rf = referred[kc]
    counts["customers"] = save({"customer_id": take(ids, kc), "name": take(nm, kc), "signed_up_at": ts(signup[kc]),
                                "segment": take(SEGMENTS, seg[kc]), "region": take(REGIONS, cur_reg[kc]), "loyalty_member": loyalty[kc],
                                "referred_by": pc.take(pa.array(ids.tolist()), pa.array(np.maximum(rf, 0), mask=(rf < 0) | ~keepc[np.maximum(rf, 0)])),
                                "manager_id": take(MGRS, mgr_cur[kc])}, out, "customers")
    tr = np.flatnonzero(churned & keepc)
    when = ts(churn[tr]).to_pandas().dt.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(r"(\d\d)(\d\d)$", r"\1:\2", regex=True)
    truth = pd.DataFrame({"customer_id": ids[tr], "churned_at": when.to_numpy(), "true_reason": REASONS[reason[tr]]})
    truth.to_csv(out / "truth.csv", index=False)
    counts["churners"] = len(truth)
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--customers", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t0 = time.time()
    c = generate(a.customers, a.seed, a.out)
    print(" ".join(f"{k}={v}" for k, v in c.items()), f"({c['churners'] / c['customers']:.1%} churned) in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
