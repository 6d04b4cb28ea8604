#!/usr/bin/env python
"""Synthetic CRM of "Izvor Service SRL", Chișinău (Republic of Moldova) -- with churn ground truth.

The business
    Izvor Service delivers 19-litre water bottles, coolers, coffee, tea, cups and office supplies to
    offices, shops, clinics, HoReCa, schools/kindergartens, public institutions, warehouses and some
    households across Moldova (municipii and raioane as regions; depots in Chișinău and Bălți, the
    south and north served by routes).  B2B accounts have an account manager (logins such as
    "n.rusu"); households are served by the call centre only (empty manager_id).  Staff write CRM
    notes mostly in Russian, customers write in Russian or Romanian, Cyrillic or Latin as it comes
    (e-mails with "Re:", SMS in translit, ș/ț typed as ş/ţ or without diacritics, ё written as е,
    typos, ticket numbers).  Prices go up every January (price index 1.00/1.08/1.15).
    Supply agreements are open-ended (no cancelled_at): customers simply stop ordering, some call to have
    the cooler and empty bottles picked up.  Files (one per table): orders.parquet (1C accounting export, UTC timestamps, returns as negative
    rows), customers.csv, contacts.csv (Bitrix-like export, local time with +02:00/+03:00 offset),
    complaints.csv (with a free-text description), surveys.csv, truth.csv.

How customers leave (monthly competing-risk simulation; the first hazard that fires is the truth)
    indifference (~2/3): base hazard that grows with the months since the last *personal* touch
        (manager call/meeting/e-mail; mass newsletters and SMS do not count), with unanswered inbound
        requests, with a recent manager change or an orphaned account (managers quit, a June-2025
        reorganisation leaves many accounts without a manager for months), for small and new
        accounts.  Neglect episodes ("forgotten" accounts) hit stayers as well.
    product_quality: hazard proportional to recent "pain": quality/delivery/service complaints,
        weighted up when left unresolved; some complaints come with a return.  Regional incidents: a
        bad batch in the north (Jul-Aug 2024), coffee-machine supplier trouble (Aug-Oct 2025).  Fussy
        customers complain a lot but leave less for the same number of complaints.
    competitor: a competitor courts the customer (regional campaigns: Gagauzia 2023, the north
        2024, a price war in Chișinău from Mar 2025).  Courted customers ask for discounts, complain
        about price, mention other offers, buy with discounts and drop coffee/supplies from the
        basket.  A personal retention offer or the loyalty card lowers the hazard; many courted
        customers stay.  Price hikes each January make everybody ask about prices.
    personal_ties: weak signals only -- a small base hazard plus a jump when the customer who
        referred them has left; occasionally a hint in a post-churn note ("new director has his own
        supplier").
    moved_or_died: relocation events (same town: address change; another raion: orders go to the
        new region and the card is updated or not; abroad / out of area; business closure; death of
        a household customer).  Moves out of the raion end the relationship often, local moves rarely.
    After the decision the customer fades out (fewer orders, for competitor a smaller basket with
        discounts) and stops; churned_at is the day they left (often the "pick up the empty bottles"
        call); some answer an exit survey afterwards, not always naming the true reason.
    Stayers: seasonal schools (no orders in summer), complaining but loyal customers, discount
        hunters, neglected accounts that stay, movers that keep ordering at the new address.
"""
import argparse, time, os, datetime as dt
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

M = 36
MS = (np.arange('2023-01', '2026-02', dtype='datetime64[M]').astype('datetime64[D]')
      - np.datetime64('2023-01-01')).astype(float)          # 37 month edges, days since 2023-01-01
END = 1096.0 - 3 / 1440                                     # 2025-12-31 23:57 local
MON = np.arange(M) % 12                                      # calendar month index 0..11

# segment: share, orders/month, basket MDL, manager touch rate, price sensitivity, has manager, complaint factor
SEGS = [("Офис", .40, 2.2, 850, 0.9, 1.0, 1, 1.0), ("Магазин", .14, 3.2, 600, 0.7, 1.5, 1, 1.0),
        ("Медучреждение", .07, 2.4, 750, 0.8, 0.8, 1, 1.2), ("HoReCa", .07, 3.4, 1100, 0.8, 1.4, 1, 1.1),
        ("Образование", .06, 2.0, 700, 0.6, 1.0, 1, 0.9), ("Госучреждение", .04, 1.7, 900, 0.5, 0.6, 1, 0.8),
        ("Производство/склад", .06, 2.4, 1300, 0.8, 1.1, 1, 1.0), ("Частное лицо", .16, 1.3, 190, 0.3, 1.2, 0, 0.8)]
SEG_NAME = [s[0] for s in SEGS]
SEG_P, SEG_RATE, SEG_BASKET, SEG_TOUCH, SEG_PS, SEG_MGR, SEG_CQ = (np.array([s[i] for s in SEGS], float) for i in range(1, 8))
REGS = [("мун. Кишинёв", .50), ("мун. Бельцы", .08), ("р-н Яловены", .03), ("р-н Страшены", .025),
        ("р-н Анений Ной", .02), ("р-н Криуляны", .02), ("р-н Орхей", .03), ("р-н Унгены", .03), ("р-н Кагул", .03),
        ("АТО Гагаузия", .035), ("р-н Сороки", .02), ("р-н Единцы", .015), ("р-н Хынчешты", .02),
        ("р-н Каушаны", .015), ("р-н Дрокия", .015), ("р-н Флорешты", .015), ("р-н Фалешты", .012),
        ("р-н Чимишлия", .01), ("р-н Ниспорены", .01), ("р-н Калараш", .01), ("р-н Рышканы", .01),
        ("р-н Сынжерей", .01), ("р-н Теленешты", .01), ("р-н Бричаны", .01), ("р-н Тараклия", .008),
        ("р-н Штефан-Водэ", .01), ("р-н Леова", .008), ("р-н Кантемир", .008), ("р-н Резина", .008),
        ("р-н Дондюшаны", .006), ("р-н Глодяны", .007), ("р-н Окница", .006)]
REG_NAME = np.array([r[0] for r in REGS], dtype=object)
REG_P = np.array([r[1] for r in REGS]); REG_P /= REG_P.sum()
R = len(REGS)
NORTH = np.isin(REG_NAME, ["мун. Бельцы", "р-н Сороки", "р-н Единцы", "р-н Дрокия", "р-н Флорешты", "р-н Фалешты",
                           "р-н Рышканы", "р-н Сынжерей", "р-н Бричаны", "р-н Дондюшаны", "р-н Глодяны", "р-н Окница"])
SOUTH = np.isin(REG_NAME, ["АТО Гагаузия", "р-н Тараклия", "р-н Кагул", "р-н Чимишлия", "р-н Кантемир"])
NEAR = np.isin(REG_NAME, ["мун. Кишинёв", "мун. Бельцы", "р-н Яловены", "р-н Страшены", "р-н Анений Ной", "р-н Криуляны"])
PRICE_IDX = np.repeat([1.0, 1.08, 1.15], 12)
EXIT_CONF = np.array([[.55, .12, .20, .08, .05], [.10, .70, .12, .03, .05], [.10, .08, .75, .05, .02],
                      [.14, .05, .28, .50, .03], [.05, .02, .05, .03, .85]])
REASONS = ["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"]

# ----------------------------------------------------------------------------------------- texts
COMP = [("АкваТерра", "АкваТерры"), ("Fântâna Nord", "Fântâna Nord"), ("Кристал Вода", "Кристал Воды"),
        ("ApaVie", "ApaVie"), ("Родник Плюс", "Родника Плюс"), ("СуперАква", "СуперАквы"), ("Izvoraș", "Izvoraș")]
FILL = dict(brand=["Lavazza", "Jacobs", "Davidoff", "Lavazza Crema", "Julius Meinl", "Tchibo", "Greenfield"],
            street=["Штефан чел Маре", "Каля Ешилор", "Албишоара", "Измаил", "Мирча чел Бэтрын", "Дачия", "Траян",
                    "Московский пр.", "Пушкина", "Бэнулеску-Бодони", "Индепенденцей", "Садовяну"],
            city=["Бельцы", "Кагул", "Комрат", "Унгены", "Орхей", "Сороки", "Яловены", "Хынчешты", "Страшены", "Единцы"],
            cityro=["Bălți", "Cahul", "Comrat", "Ungheni", "Orhei", "Soroca", "Ialoveni", "Hîncești", "Strășeni"],
            abroad=["Италию", "Германию", "Румынию", "Англию", "Израиль", "Канаду", "Ирландию"],
            mgr=["Наталья", "Ион", "Елена", "Сергей", "Виктор", "Ольга", "Ирина", "Андрей", "Татьяна", "Кристина"],
            wd=["вторник", "среду", "четверг", "пятницу", "понедельник"],
            mon=["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"],
            monro=["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie"])
TPL = {  # type: (russian templates, romanian templates), '|' separated; {t} = ticket number filled per row
 "order": ("Заказ {n} бут. 19л|заказ воды {n} бутылей на завтра|Хотят {n} бутылей и стаканчики|Повторный заказ воды, {n} шт|"
           "закажите нам {n} бутыли пожалуйста|Заказ: вода {n} шт + кофе {brand}|доставка воды на {d}, {n} бут|"
           "Заказ №{t}: {n} бутылей, бумага А4 {n2} пачки|Нужна вода срочно, закончилась!|заявка на воду {n} шт, оплата по счету",
           "Comandă {n} baloane apă|Vrem {n} bidoane de apă pentru mâine|comandă apă {n} buc + pahare|Apă {n} baloane, cafea {brand}|"
           "Ne trebuie apă urgent, s-a terminat"),
 "quest": ("Вопрос по счёту №{t}|Нужен акт сверки за {q} квартал|Пришлите счёт-фактуру за {mon}|Когда заберёте пустую тару? {n} шт стоят|"
           "Санобработка кулера - когда?|Поменять день доставки на {wd}|Можно добавить в заказ бумагу А4?|Вопрос по оплате, платили {d}|"
           "уточнить график доставки на праздники|нужна доверенность для водителя?|Просим выставить счет на новое юр. лицо|"
           "Запрос: прайс на канцтовары|Сколько стоит аренда кулера?|Изменились контакты бухгалтера, запишите|Где наша накладная от {d}?",
           "Factura fiscală pentru luna {monro}|Când ridicați baloanele goale?|Act de verificare pe trimestrul {q}|"
           "Schimbați ziua de livrare, vă rog|Cât costă chiria dozatorului?|Întrebare despre plată, am achitat pe {d}"),
 "chase": ("Re: так и не ответили по заявке №{t}|Повторно: ждём ответа по заявке №{t}|Третий раз пишу, никто не перезванивает|"
           "Почему никто не отвечает??|до вас не дозвониться|Ваш менеджер не выходит на связь|Не перезвонили, как обещали|"
           "Алло, есть кто живой? заявка {t}|Напоминаю про мой вопрос от {d}|Жалоба: игнорируете наши письма",
           "Nu ne-a răspuns nimeni|Revin cu întrebarea, nimeni nu a sunat|De o săptămână aștept răspuns|Vă scriu a treia oară"),
 "touch": ("Звонок после доставки, всё ок|Контрольный звонок: довольны ли водой|Уточнила потребность на след. месяц|"
           "Напомнили про заказ воды|Предложили кофемашину в аренду|Отправила договор на продление|Выслала акт сверки на подпись|"
           "Поздравили с днём рождения компании|Отправила КП на офисную бумагу и канцтовары|Напоминание: санобработка кулера|"
           "Сверка взаиморасчётов|Звонок: как вам новый кофе {brand}?|не дозвонилась, перезвонить|Обсудили заказ к праздникам|"
           "Предложила доставку по графику каждый {wd}|Уточнили кол-во сотрудников, нужен второй кулер",
           "Apel după livrare, totul ok|Am propus aparat de cafea în chirie|Memento: igienizarea dozatorului"),
 "meet": ("Встреча с завхозом, обсудили объёмы|Годовая встреча, пересмотр договора|Визит в офис, привезли образцы чая|"
          "Встреча с директором, презентация кофемашин|Выезд к клиенту: дегустация кофе {brand}|Встреча, подписали допсоглашение",
          "Întâlnire cu administratorul, discutat volume|Vizită la client, mostre de ceai"),
 "intro": ("Знакомство: новый менеджер {mgr}|Представилась как новый ответственный менеджер|Передача клиента, звонок-знакомство|"
           "Встреча: новый менеджер, обсудили условия|Новый менеджер, отправила контакты|Клиент передан от уволившегося менеджера",
           "Prezentare manager nou {mgr}|Cunoștință cu noul manager"),
 "mass": ("Рассылка: акция -15% на кофе {brand}|Новогодние подарочные наборы|Email-рассылка: новинки канцтоваров|"
          "Информационное письмо: изменение цен с 1 января|Рассылка: график доставки в праздники|Дайджест: летнее предложение на воду",
          "Newsletter: oferta lunii|Oferta de vară la apă 19L|Noutăți: rechizite de birou"),
 "sms": ("SMS: скидка на воду при заказе от {n} бутылей|SMS: напоминание о заказе|SMS акция 2+1 на воду|SMS: оцените доставку",
         "SMS: reducere la apa 19L|SMS: 2+1 gratis la apă"),
 "c_quality": ("Вода с привкусом, бутыль №{t}|осадок в бутылях, заменить|В воде какие-то хлопья!!|Бутыль протекает, залило пол|"
               "Кофе несвежий, горчит|пахнет пластиком вода|мутная вода в последней поставке|Кулер течёт после вашей санобработки|"
               "Чай просрочен, партия от {d}|Жалоба №{t}: запах у воды|Кофемашина не работает третий день|Стаканчики рвутся, брак",
               "Apa are gust ciudat|Sediment în baloane, vă rog înlocuiți|Cafeaua are gust de vechi|Balonul curge|Aparatul de cafea nu merge"),
 "c_delivery": ("Не привезли воду, ждали весь день|Опоздание доставки на {h} часа|Курьер не приехал, заявка №{t}|Привезли {n} вместо {n2}|"
                "Доставка сорвана второй раз|Водитель не занёс бутыли на этаж|Перенесли доставку без предупреждения|Опять задержка!!",
                "Nu a venit livrarea|Ați adus comanda greșită|Întârziere la livrare de {h} ore"),
 "c_service": ("Грубый водитель|Оператор бросил трубку|Неправильный счёт, переплата {price} лей|Никто не перезвонил по жалобе №{t}|"
               "Не забрали пустую тару уже месяц|Ошибка в накладной, не те позиции", "Operatorul a fost nepoliticos|Factură greșită"),
 "c_price": ("Опять подорожало? {bp} лей за бутыль это много|Цена выше чем у {compg}|Почему выросла цена без предупреждения|"
             "У конкурентов дешевле на {pct}%|Недовольны новыми ценами", "Prețul e prea mare|La {comp} e mai ieftin"),
 "c_other": ("Потеряли наши документы|Ошибка в реквизитах|Не тот адрес в договоре|Прошу связаться с директором", "Altă problemă, sunați-ne"),
 "disc": ("Просят скидку на воду|Можно скидку если возьмём {n} бутылей?|Есть ли акции на кофе?|Хотим пересмотреть цену в договоре|"
          "Клиент просит индивидуальные условия|Будет ли скидка постоянным клиентам?|Бухгалтер спрашивает про скидку за объём",
          "Solicită reducere|Aveți vreo promoție?|Vrem un preț mai bun"),
 "comp": ("Говорят, {comp} предлагает {bp} лей за бутыль|Пришло КП от {compg}, думают|К ним заходил агент {compg}|"
          "В {comp} дают кулер бесплатно|Сравнивают наши цены с {comp}|Клиент: у {compg} доставка бесплатная|"
          "Ждут от нас ответ на предложение {compg}", "Am primit ofertă de la {comp}, e mai ieftin|{comp} ne oferă apă la {bp} lei"),
 "retain": ("Персональное предложение: -10% на 3 месяца|Предложили карту постоянного клиента|Согласовали скидку {pct}% чтобы не ушли|"
            "Отправили спецпредложение на кофе|Предложили отсрочку платежа|Бонус: кулер в подарок при годовом договоре",
            "Ofertă personalizată: -10%|Card de fidelitate propus"),
 "reloc_local": ("Переезжаем в новый офис на ул. {street}, с {d}|Смена адреса доставки, новый адрес ул. {street}|"
                 "Офис переезжает, новый адрес пришлю|Мы переехали, возите на {street}", "Schimbare adresă livrare|Ne mutăm pe str. {street}"),
 "reloc_region": ("Переезд в {city}, сможете возить туда?|Переводим офис в {city} с {d}|Мы теперь в {city}, доставка туда есть?|"
                  "Смена адреса: переезжаем в другой район", "Ne mutăm în {cityro}, livrați acolo?|Oficiul se mută la {cityro}"),
 "reloc_abroad": ("Уезжаем в {abroad}, заберите кулер|Переезжаем за границу, договор закрываем|уезжаем насовсем, тару заберите",
                  "Plecăm peste hotare, ridicați dozatorul"),
 "close": ("Магазин закрывается|Закрываем филиал|Фирма ликвидируется, остаток оплатим|Закрываемся с {d}", "Închidem magazinul|Firma se lichidează"),
 "term": ("Расторжение договора, заберите тару|Больше не заказываем, заберите {n} бутылей и кулер|Отказываемся от доставки|"
          "Просьба вывезти кулер|Закрыть договор с {d}|Верните залог за тару|Прекращаем сотрудничество",
          "Reziliere contract|Ridicați dozatorul, nu mai comandăm|Returnați garanția pentru baloane"),
 "term_1": ("Отказываемся, вода плохая|Уходим из-за постоянных жалоб", "Renunțăm, apa e proastă"),
 "term_2": ("Переходим к {comp}|Нашли дешевле, расторгаем", "Trecem la {comp}"),
 "term_0": ("Просто больше не нужно|Вы про нас забыли, ушли|Никто не звонил полгода", "Nu mai avem nevoie"),
 "term_3": ("Новый директор работает со своим поставщиком|Берут воду у знакомых|Сестра директора работает в {comp}", "Directorul are alt furnizor"),
 "winback": ("Звонок бывшему клиенту: предложили вернуться|Win-back: скидка 20% на первый заказ|Не отвечают, бывший клиент|"
             "Пытались вернуть, отказ|Бывший клиент, отправили КП", "Apel client pierdut, ofertă de revenire"),
 "qfollow": ("Заменили партию, извинились|Перезвонили по жалобе №{t}, вопрос решён|Отправили мастера, кулер починили|"
             "Компенсация: {n2} бутыли бесплатно", "Am înlocuit lotul, ne-am cerut scuze"),
 "priceq": ("Почему с января цена {bp} за бутыль?|Новый прайс на год?|Цены выросли? пришлите прайс|Новые цены - с какого числа?",
            "Prețul nou din ianuarie?|Trimiteți lista de prețuri nouă"),
 "debt": ("Напоминание о задолженности {price} лей|Долг по счёту №{t}|Просрочка оплаты, позвонили бухгалтеру|Акт сверки, есть долг",
          "Datorie neachitată {price} lei"),
}
TYPES = list(TPL)
TI = {k: i for i, k in enumerate(TYPES)}
TR = str.maketrans({"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i",
                    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
                    "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia"})
STRIP = str.maketrans("ăâîșțşţĂÂÎȘȚ", "aaiststAAIST")
CEDIL = str.maketrans("șțȘȚ", "şţŞŢ")
INBOUND = {"order", "quest", "chase", "c_quality", "c_delivery", "c_service", "c_price", "c_other", "disc", "comp", "reloc_local",
           "reloc_region", "reloc_abroad", "close", "term", "term_0", "term_1", "term_2", "term_3", "priceq"}


def plural(n, a, b, c):
    return a if n % 10 == 1 and n % 100 != 11 else b if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else c


def noisy(s, rng, ro, kind):
    if ro:
        u = rng.random()
        s = s.translate(STRIP) if u < .55 else s.translate(CEDIL) if u < .75 else s
    else:
        if rng.random() < .9:
            s = s.replace("ё", "е").replace("Ё", "Е")
        if kind in INBOUND and rng.random() < .04:
            s = s.lower().translate(TR)
    if rng.random() < .14 and len(s) > 6:                      # typo
        i = int(rng.integers(1, len(s) - 2)); op = rng.integers(4)
        if s[i].isalpha():
            s = (s[:i] + s[i + 1] + s[i] + s[i + 2:] if op == 0 else s[:i] + s[i + 1:] if op == 1 else
                 s[:i] + s[i] + s[i:] if op == 2 else s[:i] + " " + s[i:] if s[i - 1].isalpha() else s)
    u = rng.random()
    s = s.lower() if u < .07 else s.upper() if u < .09 else s[0].lower() + s[1:] if u < .18 else s
    u = rng.random()
    return s + "!" if u < .04 else s + " ??" if u < .06 else s + "." if u < .12 else s


def render_pool(kind, ro, rng, k=260):
    tpls = TPL[kind][1 if ro else 0].split("|")
    out = []
    for _ in range(k):
        n = int(rng.integers(2, 13)); c = COMP[rng.integers(len(COMP))]
        f = {key: v[rng.integers(len(v))] for key, v in FILL.items()}
        f.update(n=n, n2=int(rng.integers(2, 6)), t="{t}", comp=c[0], compg=c[1], h=int(rng.integers(2, 6)),
                 price=int(rng.choice([180, 350, 640, 1200, 2400, 5600])), bp=int(rng.integers(45, 76)), pct=int(rng.choice([5, 7, 10, 12, 15])),
                 q=["I", "II", "III", "IV", "1", "2", "3", "4"][rng.integers(8)],
                 d=f"{rng.integers(1, 29):02d}.{rng.integers(1, 13):02d}")
        s = tpls[rng.integers(len(tpls))].format(**f)
        if not ro and kind in ("order", "term") and rng.random() < .5:
            s = s.replace("бутылей", plural(n, "бутыль", "бутыли", "бутылей")).replace("бутыли", rng.choice(["бутылки", "баллона", "бут."]))
        out.append(noisy(s, rng, ro, kind))
    return np.array(out, dtype=object)


# ----------------------------------------------------------------------------------------- helpers
def dst_mask(days):
    out = np.zeros(len(days), bool)
    for y in (2023, 2024, 2025):
        d0 = dt.date(y, 3, 31); d0 -= dt.timedelta((d0.weekday() + 1) % 7)
        d1 = dt.date(y, 10, 31); d1 -= dt.timedelta((d1.weekday() + 1) % 7)
        a = (d0 - dt.date(2023, 1, 1)).days + 2 / 24; b = (d1 - dt.date(2023, 1, 1)).days + 3 / 24
        out |= (days >= a) & (days < b)
    return out


def iso(days, unit="s"):
    days = np.asarray(days, float); ok = ~np.isnan(days)
    sec = np.round(np.where(ok, days, 0) * 86400).astype("int64")
    s = np.datetime_as_string(np.datetime64("2023-01-01T00:00:00") + sec.astype("timedelta64[s]"), unit=unit)
    if unit != "D":
        s = np.char.add(s, np.where(dst_mask(days), "+03:00", "+02:00"))
    return np.where(ok, s.astype(object), None)


def day_time(rng, d, late=0.0):
    """Place events on a working day: weekend events mostly move to Monday; hours 8-18 (some evening)."""
    d = np.floor(d); wd = (d.astype(int) + 6) % 7
    d = d + np.where((wd >= 5) & (rng.random(len(d)) < .8), 7 - wd, 0)
    h = np.where(rng.random(len(d)) < late, rng.uniform(18, 22.9, len(d)), rng.uniform(8.2, 18.3, len(d)))
    return d + h / 24


def expand(cnt):
    """(N, M) count matrix -> (customer, month) per event."""
    c, m = np.nonzero(cnt)
    k = cnt[c, m].astype(int)
    return np.repeat(c, k), np.repeat(m, k)


# ----------------------------------------------------------------------------------------- simulation
def simulate(N, rng):
    C = {}
    seg = rng.choice(len(SEGS), N, p=SEG_P / SEG_P.sum()); reg = rng.choice(R, N, p=REG_P)
    pre = rng.random(N) < .45
    w = 1 + .015 * np.arange(M); mnew = rng.choice(M, N, p=w / w.sum())
    signup = np.where(pre, -(1 + rng.beta(1.0, 1.8, N) * 2555), MS[mnew] + rng.random(N) * (MS[mnew + 1] - MS[mnew]))
    start_m = np.where(pre, 0, mnew)
    size = rng.lognormal(0, .6, N); imp = np.clip(size ** .5, .5, 2.0)
    has_mgr = SEG_MGR[seg] > 0
    loyal = rng.random(N) < .10 + .18 * (signup < -730)
    ps = SEG_PS[seg] * rng.lognormal(0, .3, N)
    fuss = rng.lognormal(0, .5, N)
    order = np.argsort(signup, kind="stable"); rank = np.empty(N, int); rank[order] = np.arange(N)
    ref = np.full(N, -1)
    isref = (~pre) & (rng.random(N) < .13) & (rank > 20)
    ref[isref] = order[(rng.random(isref.sum()) * rank[isref]).astype(int)]
    # managers
    n0 = max(6, N // 800)
    att = list(np.clip(rng.normal(1, .3, n0), .3, 1.7)); mstart = [0] * n0; mend = [99] * n0
    mgr = np.where(has_mgr, rng.integers(0, n0, N), -1)
    orphan = np.zeros(N, int); pending = np.zeros(N, bool); last_chg = np.full(N, -99)
    forgot = np.zeros(N, bool); mst = rng.integers(0, 3, N).astype(float)
    U = np.zeros(N); pain = np.zeros(N); court = np.zeros(N, int); retained = np.zeros(N, bool); joined = np.zeros(N, bool)
    dec = np.full(N, -1); why = np.full(N, -1)
    move_m = np.full(N, -1); move_t = np.full(N, -1); new_reg = reg.copy(); move_churn = np.full(N, -1)
    mats = {k: np.zeros((N, M), np.uint8) for k in ("touch", "intro", "inq", "unans", "inc", "unres", "court", "retain", "neglect")}
    MST = np.zeros((N, M), np.uint8); PAIN = np.zeros((N, M), np.float32)
    ccf = np.ones(M); ccf[17:21] = .5                           # call centre understaffed Jun-Sep 2024
    for m in range(M):
        signed = start_m <= m; alive = signed & (dec < 0)
        # --- managers quit (reorganisation in June 2025); accounts orphaned for 0..5 months
        act = [k for k in range(len(att)) if mstart[k] <= m < mend[k]]
        quit = [k for k in act if rng.random() < (.30 if m == 29 else .012)]
        for k in quit:
            mend[k] = m; att.append(float(np.clip(rng.normal(.95, .3), .3, 1.7))); mstart.append(m + 1 + int(m == 29)); mend.append(99)
        if quit:
            hit = np.isin(mgr, quit) & has_mgr
            mgr[hit] = -1; pending[hit] = True; orphan[hit] = rng.geometric(.4, hit.sum()) - 1 + 2 * (m == 29)
        act = np.array([k for k in range(len(att)) if mstart[k] <= m < mend[k]])
        reb = has_mgr & (mgr >= 0) & (rng.random(N) < .004)     # portfolio rebalancing
        ready = pending & (orphan <= 0)
        for sel in (ready, reb):
            mgr[sel] = rng.choice(act, sel.sum()); last_chg[sel] = m
        a_new = np.array(att)[np.maximum(mgr, 0)]
        mats["intro"][:, m] = (ready | reb) & signed & (rng.random(N) < .35 + .3 * a_new)
        pending &= ~ready; orphan[pending] -= 1
        # --- neglect episodes ("forgotten" accounts), personal touches, inbound requests
        forgot = np.where(forgot, rng.random(N) > .15, rng.random(N) < .022 / imp)
        a = np.array(att)[np.maximum(mgr, 0)]
        rate = np.where(has_mgr, SEG_TOUCH[seg] * a * imp, .3 * ccf[m]) * np.where(forgot, .1, 1)
        rate = np.where(pending, .04, rate)
        touch = rng.poisson(rate) * signed
        mst = np.where(touch > 0, 0, mst + 1)
        negl = pending | forgot
        inq = rng.poisson(.22 + .08 * imp) * signed
        pun = np.clip(.03 + .05 * (1.3 - a) * has_mgr + .32 * pending + .25 * forgot + .05 * (~has_mgr & (ccf[m] < 1)), 0, .8)
        unans = rng.binomial(inq, pun)
        U = .6 * U + unans
        # --- quality / delivery / service incidents
        rq = .028 * SEG_CQ[seg] * np.where(NEAR[reg], 1, 1.35) * fuss
        rq = rq * np.where(NORTH[reg] & (m in (18, 19)), 6, 1) * np.where(np.isin(seg, [0, 3]) & (31 <= m <= 33), 2.5, 1)
        inc = rng.poisson(rq) * signed
        unres = rng.binomial(inc, np.clip(.12 + .25 * negl + .08 * (1.2 - a) * has_mgr, 0, .8))
        pain = .6 * pain + (inc + 1.5 * unres) / fuss
        # --- competitor courting and retention offers
        cf = 1 + 4 * ((NORTH[reg]) & (13 <= m <= 22)) + 2 * ((reg == 0) & (m >= 26)) + 4 * (SOUTH[reg] & (4 <= m <= 11))
        startc = (court == 0) & (rng.random(N) < .005 * ps * cf)
        court = np.where(startc, rng.geometric(.2, N), np.maximum(court - 1, 0)) * signed
        retained &= court > 0
        offer = (court > 0) & ~retained & (mgr >= 0) & ~negl & (rng.random(N) < .25 * a)
        retained |= offer; joined |= offer & (rng.random(N) < .5)
        # --- moves, closures, deaths
        mv = alive & (move_m < 0) & (rng.random(N) < np.where(has_mgr, .0014, .0018))
        typ = rng.choice(4, N, p=[.5, .3, .12, .08])          # 0 local, 1 other raion, 2 abroad/out of area, 3 closure
        death = alive & ~has_mgr & (move_m < 0) & (rng.random(N) < .0003)
        typ = np.where(death, 4, typ); mv |= death
        move_m[mv] = m; move_t[mv] = typ[mv]
        other = rng.choice(R, N, p=REG_P); other = np.where(other == reg, (other + 1) % R, other)
        new_reg = np.where(mv & (typ == 1), other, new_reg)
        pch = np.array([.06, .5, .97, 1.0, 1.0])[typ]
        goes = mv & (rng.random(N) < pch)
        move_churn[goes] = m + np.where(typ[goes] >= 3, 0, rng.integers(0, 3, goes.sum()))
        # --- hazards (competing risks)
        ten = m - np.floor(signup / 30.4)
        h_i = (.0036 * np.where(has_mgr, 1, 1.3) * np.where(seg == 5, .5, 1) * imp ** -.3 * np.exp(.2 * np.minimum(mst, 12))
               * (1 + .4 * np.minimum(U, 3)) * np.where(pending | (m - last_chg <= 6), 1.6, 1) * np.where(ten < 6, 1.7, 1)
               * np.where(loyal | joined, .7, 1))
        h_q = .019 * pain
        h_c = .05 * (court > 0) * ps * np.where(loyal | joined, .5, 1) * np.where(retained, .35, 1)
        rd = np.where(ref >= 0, dec[np.maximum(ref, 0)], -1)
        h_t = .0003 + .07 * ((rd >= 0) & (m - rd <= 9) & (m >= rd))
        H = np.stack([h_i, h_q, h_c, h_t])
        fire = alive & (rng.random(N) < 1 - np.exp(-H.sum(0)))
        cum = np.cumsum(H, 0) / H.sum(0); pick = (rng.random(N)[None, :] > cum).sum(0)
        dec[fire] = m; why[fire] = pick[fire]
        forced = (move_churn == m) & ((dec < 0) | (dec == m)) & signed
        dec[forced] = m; why[forced] = 4
        for k, v in (("touch", touch), ("inq", inq), ("unans", unans), ("inc", inc), ("unres", unres),
                     ("court", court > 0), ("retain", offer), ("neglect", negl)):
            mats[k][:, m] = np.minimum(v, 255)
        MST[:, m] = np.minimum(mst, 255); PAIN[:, m] = pain
    C.update(seg=seg, reg=reg, signup=signup, start_m=start_m, size=size, imp=imp, has_mgr=has_mgr, loyal=loyal | joined,
             ref=ref, mgr=mgr, dec=dec, why=why, move_m=move_m, move_t=move_t, new_reg=new_reg, att=np.array(att),
             fuss=fuss, MST=MST, PAIN=PAIN, **mats)
    return C


# ----------------------------------------------------------------------------------------- tables
def build(N, seed, out):
    rng = np.random.default_rng(seed)
    C = simulate(N, rng)
    seg, reg, signup, start_m, dec, why = C["seg"], C["reg"], C["signup"], C["start_m"], C["dec"], C["why"]
    has_mgr = C["has_mgr"]
    start = np.maximum(signup, 0.0)
    # decision day, move day, leave date
    lo = np.maximum(MS[np.maximum(dec, 0)], start); hi = MS[np.maximum(dec, 0) + 1]
    t_dec = np.where(dec >= 0, lo + rng.random(N) * (hi - lo), np.inf)
    mm = np.maximum(C["move_m"], 0)
    t_move = np.where(C["move_m"] >= 0, np.maximum(MS[mm], start) + rng.random(N) * (MS[mm + 1] - np.maximum(MS[mm], start)), np.inf)
    t_dec = np.where(why == 4, np.maximum(t_dec, t_move), t_dec)
    L = np.array([[20, 110], [5, 45], [20, 90], [10, 60], [3, 40]])[np.maximum(why, 0)]
    t_leave = np.where(dec >= 0, t_dec + rng.uniform(L[:, 0], L[:, 1]), np.inf)
    churned = t_leave <= END
    limit = np.where(churned, t_leave, END)
    fade = np.array([.45, .4, .6, .5, .7])[np.maximum(why, 0)]
    # ---------------- orders
    season = np.ones((len(SEGS), M)) * np.array([.75, .9, 1, 1, 1.05, 1.2, 1.3, 1.3, 1.1, 1, .95, 1.05])[MON]
    season[4] = np.where(np.isin(MON, [5, 6, 7]), .08, season[4]); season[3] *= np.where(np.isin(MON, [5, 6, 7]), 1.2, 1)
    rate_c = SEG_RATE[seg] * rng.lognormal(0, .35, N)
    lam = rate_c[:, None] * season[seg] * (np.arange(M)[None, :] >= start_m[:, None])
    oc, om = expand(rng.poisson(lam))
    t = np.maximum(MS[om], start[oc]) + rng.random(len(oc)) * (MS[om + 1] - np.maximum(MS[om], start[oc]))
    t = np.floor(t) + np.where(rng.random(len(t)) < .15, rng.uniform(18, 23, len(t)), rng.uniform(7.5, 18, len(t))) / 24
    newc = signup >= 0                                          # first order right after signing up
    fc = np.nonzero(newc)[0]; ft = np.minimum(signup[fc] + rng.uniform(0, 3, len(fc)), (signup[fc] + limit[fc]) / 2)
    oc = np.concatenate([oc, fc]); t = np.concatenate([t, ft])
    keep = (t <= limit[oc]) & (t >= start[oc]) & ((t < t_dec[oc]) | (rng.random(len(t)) < fade[oc]))
    oc, t = oc[keep], t[keep]
    none = np.setdiff1d(np.arange(N), oc)                       # customers with no order at all get one
    oc = np.concatenate([oc, none]); t = np.concatenate([t, start[none] + rng.random(len(none)) * np.minimum(limit[none] - start[none], 20)])
    om = np.clip(np.searchsorted(MS, t, "right") - 1, 0, M - 1)
    courted = C["court"][oc, om] > 0
    comp_leave = (why[oc] == 2) & (t >= t_dec[oc])
    shrink = np.where(courted, .75, 1) * np.where(comp_leave, .6, 1)
    gross = SEG_BASKET[seg[oc]] * C["size"][oc] * PRICE_IDX[om] * rng.lognormal(0, .35, len(oc)) * shrink
    drate = np.zeros(len(oc)); u = rng.random(len(oc))
    drate = np.where(C["loyal"][oc] & (u < .5), .05, drate)
    drate = np.where(np.isin(MON[om], [2, 8, 11]) & (rng.random(len(oc)) < .25), rng.uniform(.07, .12, len(oc)), drate)
    drate = np.where((courted | comp_leave) & (rng.random(len(oc)) < .65), rng.uniform(.08, .18, len(oc)), drate)
    amount = np.round(gross * (1 - drate), 2); disc = np.round(gross * drate, 2)
    oreg = np.where((C["move_t"][oc] == 1) & (t >= t_move[oc]), C["new_reg"][oc], reg[oc])
    multi = np.isin(seg, [1, 2, 3]) & (rng.random(N) < .08); reg2 = rng.choice(R, N, p=REG_P)
    oreg = np.where(multi[oc] & (rng.random(len(oc)) < .3), reg2[oc], oreg)
    oreg_name = REG_NAME[oreg].copy(); oreg_name[rng.random(len(oc)) < .01] = None
    refused = rng.random(len(oc)) < .002
    # ---------------- complaints (+ returns)
    cc, cm = expand(C["inc"])
    ct = day_time(rng, np.maximum(MS[cm], start[cc]) + rng.random(len(cc)) * (MS[cm + 1] - np.maximum(MS[cm], start[cc])))
    p_unres = C["unres"][cc, cm] / np.maximum(C["inc"][cc, cm], 1)
    unres = rng.random(len(cc)) < p_unres
    cat = np.where(NEAR[reg[cc]], rng.choice(3, len(cc), p=[.55, .25, .2]), rng.choice(3, len(cc), p=[.45, .37, .18]))
    # price complaints (courted months, January price hikes) and "other"
    pcm = (C["court"] > 0) & (rng.random((N, M)) < .15)
    pcm |= np.isin(MON, [0, 1])[None, :] & (np.arange(M) >= 12)[None, :] & (rng.random((N, M)) < .02)
    pcm |= rng.random((N, M)) < .0025 * SEG_PS[seg][:, None]
    pc, pm = expand(pcm); oc2, om2 = expand(rng.random((N, M)) < .003)
    allc = np.concatenate([cc, pc, oc2]); allm = np.concatenate([cm, pm, om2])
    allt = np.concatenate([ct, day_time(rng, MS[pm] + rng.random(len(pc)) * (MS[pm + 1] - MS[pm])),
                           day_time(rng, MS[om2] + rng.random(len(oc2)) * (MS[om2 + 1] - MS[om2]))])
    allcat = np.concatenate([cat, np.full(len(pc), 3), np.full(len(oc2), 4)])
    allun = np.concatenate([unres, rng.random(len(pc)) < .3, rng.random(len(oc2)) < .15])
    ok = (allt >= start[allc]) & (allt <= limit[allc]) & (allm >= start_m[allc])
    allc, allm, allt, allcat, allun = allc[ok], allm[ok], allt[ok], allcat[ok], allun[ok]
    negl = C["neglect"][allc, allm] > 0
    res_t = allt + rng.lognormal(np.log(1.5), 1.0, len(allc)) * np.where(negl, 3, 1)
    res_t = np.where(allun | (res_t > END), np.nan, res_t)
    CATS = np.array(["quality", "delivery", "service", "price", "other"])
    ret_sel = ((allcat == 0) & (rng.random(len(allc)) < .35)) | ((allcat == 1) & (rng.random(len(allc)) < .12))
    rc, rt = allc[ret_sel], allt[ret_sel] + rng.uniform(0, 4, ret_sel.sum())
    rnd = rng.random(len(oc)) < .003                            # returns unrelated to complaints (wrong item etc.)
    rc = np.concatenate([rc, oc[rnd]]); rt = np.concatenate([rt, t[rnd] + rng.uniform(0, 5, rnd.sum())])
    okr = rt <= limit[rc]; rc, rt = rc[okr], rt[okr]
    rm = np.clip(np.searchsorted(MS, rt, "right") - 1, 0, M - 1)
    ramt = -np.round(SEG_BASKET[seg[rc]] * C["size"][rc] * PRICE_IDX[rm] * rng.uniform(.1, .8, len(rc)), 2)
    rreg = np.where((C["move_t"][rc] == 1) & (rt >= t_move[rc]), C["new_reg"][rc], reg[rc])
    o_c = np.concatenate([oc, rc]); o_t = np.concatenate([t, rt])
    od = pd.DataFrame({"customer_id": o_c, "t": o_t, "amount": np.concatenate([amount, ramt]),
                       "discount_amount": np.concatenate([disc, np.zeros(len(rc))]),
                       "returned": np.concatenate([refused, np.ones(len(rc), bool)]),
                       "region": np.concatenate([oreg_name, REG_NAME[rreg]])}).sort_values("t", kind="stable")
    od["order_id"] = np.arange(1, len(od) + 1) + 100000
    off = np.where(dst_mask(od["t"].to_numpy()), 3, 2) / 24
    utc = pd.to_datetime(np.round((od["t"].to_numpy() - off) * 86400).astype("int64"), unit="s", origin="2023-01-01").tz_localize("UTC")
    cid = np.array([f"C{i + 1:06d}" for i in range(N)], dtype=object)
    orders = pd.DataFrame({"order_id": od["order_id"].astype(str).radd("R").to_numpy(), "customer_id": cid[od["customer_id"].to_numpy()],
                           "ordered_at": utc, "amount": od["amount"].to_numpy(), "discount_amount": od["discount_amount"].to_numpy(),
                           "returned": od["returned"].to_numpy(), "region": od["region"].to_numpy()})
    pq.write_table(pa.Table.from_pandas(orders, preserve_index=False), os.path.join(out, "orders.parquet"))
    del orders, od
    # ---------------- contacts
    rows = []   # (cust, time, dir, channel_code, type, answered, resp)
    CH = np.array(["call", "email", "meeting", "chat", "sms"])

    def add(c, tt, d, ch, typ, ans=None, resp=None):
        n = len(c)
        rows.append((c, tt, np.full(n, d), ch, typ if np.ndim(typ) else np.full(n, typ),
                     np.full(n, -1) if ans is None else ans.astype(int), np.full(n, np.nan) if resp is None else resp))

    def mtimes(c, m):
        lo_ = np.maximum(MS[m], start[c]); return day_time(rng, lo_ + rng.random(len(c)) * (MS[m + 1] - lo_))
    base = (np.arange(M)[None, :] >= start_m[:, None])
    c, m = expand(C["touch"]); big = C["imp"][c] > 1.2
    ch = np.where(has_mgr[c], rng.choice([0, 1, 2, 3], len(c), p=[.55, .25, .08, .12]), 0); ch[big & (rng.random(len(c)) < .1)] = 2
    add(c, mtimes(c, m), "outbound", ch, np.where(ch == 2, TI["meet"], TI["touch"]))
    c, m = expand(C["intro"]); add(c, mtimes(c, m), "outbound", rng.choice([0, 2, 1], len(c), p=[.6, .25, .15]), TI["intro"])
    c, m = expand(C["retain"]); add(c, mtimes(c, m), "outbound", rng.choice([0, 2, 1], len(c), p=[.6, .2, .2]), TI["retain"])
    email = np.where(has_mgr, rng.random(N) < .8, rng.random(N) < .3)
    mass = np.zeros((N, M), bool); mass[:, [2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35]] = True
    c, m = expand(base & mass & email[:, None] & (rng.random((N, M)) < .9)); add(c, mtimes(c, m), "outbound", np.full(len(c), 1), TI["mass"])
    smsm = np.zeros((N, M), bool); smsm[:, 1::2] = True
    c, m = expand(base & smsm & ~has_mgr[:, None] & (rng.random((N, M)) < .7)); add(c, mtimes(c, m), "outbound", np.full(len(c), 4), TI["sms"])
    debtor = rng.random(N) < .06
    c, m = expand(base & debtor[:, None] & (rng.random((N, M)) < .35)); add(c, mtimes(c, m), "outbound", rng.choice([0, 4, 1], len(c)), TI["debt"])
    # inbound questions: answered or not, response time; chasers after unanswered ones
    c, m = expand(C["inq"]); k = len(c)
    pu = C["unans"][c, m] / np.maximum(C["inq"][c, m], 1); un = rng.random(k) < pu
    ch = rng.choice([0, 1, 3], k, p=[.5, .3, .2]); negl = C["neglect"][c, m] > 0
    resp = rng.lognormal(np.where(ch == 1, np.log(6), np.where(ch == 3, np.log(1.5), np.log(.4))), 1.0, k) * np.where(negl, 4, 1)
    tq = mtimes(c, m); add(c, tq, "inbound", ch, TI["quest"], ~un, np.where(un, np.nan, np.round(resp, 1)))
    sel = un & (rng.random(k) < .4); k2 = sel.sum()
    add(c[sel], tq[sel] + rng.uniform(2, 10, k2), "inbound", ch[sel], TI["chase"], rng.random(k2) < .6, np.round(rng.lognormal(np.log(8), 1, k2), 1))
    # order calls (a share of orders is phoned in to the call centre)
    sel = rng.random(len(oc)) < .06
    add(oc[sel], t[sel] - rng.uniform(0, .02, sel.sum()), "inbound", np.zeros(sel.sum(), int), TI["order"], np.ones(sel.sum(), bool), np.zeros(sel.sum()))
    # complaints are phoned/written in
    ctype = np.array([TI["c_quality"], TI["c_delivery"], TI["c_service"], TI["c_price"], TI["c_other"]])[allcat]
    negl_c = C["neglect"][allc, allm] > 0
    ans = rng.random(len(allc)) < np.where(negl_c, .75, .95)
    add(allc, allt, "inbound", rng.choice([0, 1, 3], len(allc), p=[.6, .3, .1]), ctype, ans,
        np.where(ans, np.round(rng.lognormal(np.log(1.5), 1.1, len(allc)) * np.where(negl_c, 3, 1), 1), np.nan))
    sel = ~np.isnan(res_t) & (allcat < 3) & (rng.random(len(allc)) < .3 * C["att"][np.maximum(C["mgr"][allc], 0)])
    add(allc[sel], res_t[sel] + rng.uniform(0, 3, sel.sum()), "outbound", np.zeros(sel.sum(), int), TI["qfollow"])
    # discount requests and competitor mentions: courted customers, and a few of everybody else
    court = C["court"] > 0
    for typ, pc_, p0 in (("disc", .35, .012), ("comp", .2, .003)):
        c, m = expand(base & (rng.random((N, M)) < np.where(court, pc_, p0 * SEG_PS[seg][:, None])))
        ans = rng.random(len(c)) < .9
        add(c, mtimes(c, m), "inbound", rng.choice([0, 1, 3, 2], len(c), p=[.5, .25, .15, .1]), TI[typ], ans,
            np.where(ans, np.round(rng.lognormal(np.log(3), 1, len(c)), 1), np.nan))
    c, m = expand(base & np.isin(MON, [0, 1])[None, :] & (np.arange(M) >= 12)[None, :] & (rng.random((N, M)) < .06))
    add(c, mtimes(c, m), "inbound", rng.choice([0, 1], len(c)), TI["priceq"], np.ones(len(c), bool), np.round(rng.lognormal(0, 1, len(c)), 1))
    # relocation notices
    mvd = np.nonzero(C["move_m"] >= 0)[0]; mt = C["move_t"][mvd]
    sel = rng.random(len(mvd)) < np.array([.5, .75, .4, .25, 0])[mt]
    c = mvd[sel]; tt = day_time(rng, t_move[c] - rng.uniform(0, 20, len(c)))
    tt = np.where(tt < start[c], start[c] + rng.uniform(.35, .75, len(c)), tt)
    typ = np.array([TI["reloc_local"], TI["reloc_region"], TI["reloc_abroad"], TI["close"], 0])[C["move_t"][c]]
    add(c, tt, "inbound", rng.choice([0, 1, 3], len(c), p=[.6, .25, .15]), typ, np.ones(len(c), bool), np.round(rng.lognormal(0, 1, len(c)), 1))
    # termination calls at the leave date, win-back attempts afterwards
    ch_ = np.nonzero(churned)[0]
    sel = rng.random(len(ch_)) < .45; c = ch_[sel]
    hint = rng.random(len(c)) < .35
    typ = np.where(hint & (why[c] < 4), np.array([TI["term_0"], TI["term_1"], TI["term_2"], TI["term_3"], 0])[why[c]], TI["term"])
    add(c, day_time(rng, t_leave[c]), "inbound", rng.choice([0, 1], len(c), p=[.7, .3]), typ, np.ones(len(c), bool), np.round(rng.lognormal(0, 1, len(c)), 1))
    c = ch_[(rng.random(len(ch_)) < .3) & has_mgr[ch_]]
    add(c, day_time(rng, t_leave[c] + rng.uniform(10, 60, len(c))), "outbound", np.zeros(len(c), int), TI["winback"])
    cc_ = np.concatenate([r[0] for r in rows]); ct_ = np.concatenate([r[1] for r in rows])
    post_ok = np.concatenate([np.isin(r[4], [TI["winback"]]) | np.isin(r[4], [TI[k] for k in TYPES if k.startswith("term")]) for r in rows])
    keep = (ct_ >= start[cc_] - .01) & (ct_ <= END) & ((ct_ <= limit[cc_] + 2) | post_ok)
    ctype = np.concatenate([r[4] for r in rows])[keep]; cc_ = cc_[keep]; ct_ = ct_[keep]
    lang_ro = rng.random(N) < .22
    ro = np.where(np.concatenate([r[2] for r in rows])[keep] == "inbound", lang_ro[cc_] ^ (rng.random(len(cc_)) < .1),
                  rng.random(len(cc_)) < .08)
    topic = np.empty(len(cc_), dtype=object)
    for i, k in enumerate(TYPES):
        for r_ in (0, 1):
            s = (ctype == i) & (ro == r_)
            if s.any():
                pool = render_pool(k, r_, rng); topic[s] = pool[rng.integers(0, len(pool), s.sum())]
    chn = CH[np.concatenate([r[3] for r in rows])[keep]]
    ticket = (48000 + ct_ * 55 + rng.integers(0, 50, len(ct_))).astype(int)
    topic = np.array([s.replace("{t}", str(n)) if "{t}" in s else s for s, n in zip(topic, ticket)], dtype=object)
    re_ = (chn == "email") & (ctype != TI["mass"]) & (rng.random(len(topic)) < .3)
    topic[re_] = np.char.add(rng.choice(["Re: ", "RE: ", "Re: Re: ", "Fwd: ", "re: "], re_.sum()), topic[re_].astype(str)).astype(object)
    ans = np.concatenate([r[5] for r in rows])[keep]
    contacts = pd.DataFrame({"customer_id": cid[cc_], "contacted_at": iso(ct_), "direction": np.concatenate([r[2] for r in rows])[keep],
                             "channel": chn, "topic": topic, "answered": np.where(ans < 0, None, np.where(ans == 1, "true", "false")),
                             "response_hours": np.concatenate([r[6] for r in rows])[keep], "_t": ct_}).sort_values("_t", kind="stable")
    contacts.drop(columns="_t").to_csv(os.path.join(out, "contacts.csv"), index=False)
    n_contacts = len(contacts); del contacts, rows
    # complaints table
    desc = np.empty(len(allc), dtype=object)
    for i, k in enumerate(["c_quality", "c_delivery", "c_service", "c_price", "c_other"]):
        for r_ in (0, 1):
            s = (allcat == i) & (lang_ro[allc] == r_)
            if s.any():
                pool = render_pool(k, r_, rng); desc[s] = pool[rng.integers(0, len(pool), s.sum())]
    desc = np.array([s.replace("{t}", str(int(48000 + x * 55))) for s, x in zip(desc, allt)], dtype=object)
    o = np.argsort(allt, kind="stable")
    pd.DataFrame({"complaint_id": [f"Ж-{i + 1:06d}" for i in range(len(o))], "customer_id": cid[allc[o]], "opened_at": iso(allt[o], "m"),
                  "category": CATS[allcat[o]], "resolved_at": iso(res_t[o], "m"), "description": desc[o]}).to_csv(os.path.join(out, "complaints.csv"), index=False)
    # ---------------- surveys: quarterly pulse by SMS, exit survey by the call centre
    q = np.zeros((N, M), bool); q[:, 2::3] = True
    c, m = expand(q & base & (rng.random((N, M)) < .09 * np.where(C["loyal"], 1.4, 1)[:, None]))
    st = mtimes(c, m); okp = st <= limit[c]; c, m, st = c[okp], m[okp], st[okp]
    bias = rng.normal(0, 1.1, N)
    sc = (8.4 - 1.3 * np.minimum(C["PAIN"][c, m], 4) - .13 * np.minimum(C["MST"][c, m], 12) - .5 * (C["court"][c, m] > 0)
          - .8 * (st >= t_dec[c]) + bias[c] + rng.normal(0, 1.2, len(c)))
    pulse = pd.DataFrame({"customer_id": cid[c], "t": st, "kind": "pulse", "score": np.clip(np.round(sc), 0, 10), "reason": None})
    c = ch_[rng.random(len(ch_)) < np.array([.3, .5, .4, .3, .35])[why[ch_]]]
    et = t_leave[c] + rng.uniform(3, 40, len(c)); c, et = c[et <= END], et[et <= END]
    rep = np.array([rng.choice(5, p=EXIT_CONF[w]) for w in why[c]], dtype=int)
    esc = np.clip(np.round(rng.normal(np.array([4, 2, 5, 6, 7])[why[c]], 2)), 0, 10)
    ex = pd.DataFrame({"customer_id": cid[c], "t": et, "kind": "exit", "score": esc, "reason": np.array(REASONS, dtype=object)[rep]})
    ex.loc[rng.random(len(ex)) < .15, "score"] = np.nan
    sv = pd.concat([pulse, ex]).sort_values("t", kind="stable")
    sv.insert(1, "answered_at", iso(sv["t"].to_numpy(), "m")); sv.drop(columns="t").to_csv(os.path.join(out, "surveys.csv"), index=False)
    # ---------------- customers and truth
    moved_reg = C["move_t"] == 1
    upd = moved_reg & (rng.random(N) < np.where(churned, .4, .65))
    sd = np.datetime64("2023-01-01") + np.floor(signup).astype(int).astype("timedelta64[D]")
    login = []
    fn, ln = "inveasdmtocgrl", ["ceban", "rusu", "popescu", "cojocaru", "munteanu", "lungu", "ciobanu", "turcanu", "rotaru", "ivanova",
                                "petrova", "sirbu", "moraru", "bodrug", "grosu", "gutu", "volkov", "melnic", "botnari", "cazacu"]
    for i in range(len(C["att"])):
        base_ = f"{fn[i % len(fn)]}.{ln[(i * 7 + i // 14) % len(ln)]}"
        login.append(base_ if base_ not in login else f"{base_}{i}")
    mgr_id = np.where(C["mgr"] >= 0, np.array(login, dtype=object)[np.maximum(C["mgr"], 0)], None)
    pd.DataFrame({"customer_id": cid, "signed_up_at": np.datetime_as_string(sd, unit="D"), "segment": np.array(SEG_NAME, dtype=object)[seg],
                  "region": REG_NAME[np.where(upd, C["new_reg"], reg)], "loyalty_member": np.where(C["loyal"], 1, 0),
                  "referred_by": np.where(C["ref"] >= 0, cid[np.maximum(C["ref"], 0)], None), "manager_id": mgr_id}).to_csv(os.path.join(out, "customers.csv"), index=False)
    tr = np.nonzero(churned)[0]
    pd.DataFrame({"customer_id": cid[tr], "churned_at": iso(t_leave[tr]), "true_reason": np.array(REASONS)[why[tr]]}).to_csv(
        os.path.join(out, "truth.csv"), index=False)
    return dict(orders=len(o_c), contacts=n_contacts, complaints=len(allc), surveys=len(sv), churned=int(churned.sum()),
                reasons=pd.Series(np.array(REASONS)[why[tr]]).value_counts().to_dict(),
                q4=pd.Series(np.array(REASONS)[why[tr]][(t_leave[tr] >= 1004) & (t_leave[tr] < 1094)]).value_counts().to_dict())


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True); ap.add_argument("--customers", type=int, default=50000); ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(); os.makedirs(a.out, exist_ok=True); t0 = time.time()
    info = build(a.customers, a.seed, a.out)
    print(info, f"{time.time() - t0:.1f}s")
