#!/usr/bin/env python3
"""Synthetic CRM of «БудОптТорг», a Ukrainian wholesale distributor of building materials and tools.

Design note
-----------
The business: regional warehouses (Київ, Львів, Дніпро, Одеса, Харків ...) sell cement, aerated
blocks, rebar, drywall, insulation, roofing, tiles, dry mixes and power tools to construction
companies, hardware shops, private builders, renovation crews and developers.  Every customer has
an account manager in his region.  History 2023-01-01 .. 2025-12-31, timestamps in Kyiv time.
Orders are ERP sales documents (РН-...), returns are separate negative documents (ПВ-...) flagged
`returned`.  Building is seasonal (spring-autumn peak, winter lull) and construction firms deliver
to project sites in other oblasts now and then.  Managers come and go: when one leaves, his
accounts go to a successor, with a quiet hand-over period.  Staff log contacts in Ukrainian; the
customers write in Ukrainian, Russian or surzhyk (more Russian in the east and south), with
typos, skipped ї/є/ґ and apostrophes, Latin "i", Re:/Fwd: prefixes and ticket numbers.

Churn = the customer stops buying for good; churned_at is the last sale document (the forced last
order at the exit date).  About 30% churn over three years, a steady flow.  Each churner has a
true reason and (usually) a window of months before the exit in which the reason leaves traces:
- indifference (~67%): the account is neglected. Personal outbound touches fade (mass SMS/e-mail
  keep coming, they don't care about the manager), post-shipment follow-up calls stop, inbound
  requests get answered late or not at all, "ніхто не передзвонив" repeat messages and service
  complaints appear, often after a reassignment to a new (or weaker) manager. Purchases thin out.
- product_quality (~15%): quality / delivery / service complaints (defective cement, tiles of
  different tone, tool broken on warranty ...), slow or never resolved, return documents, low
  pulse scores; purchases drop.
- competitor (~9%): price complaints and "у Епіцентру дешевше" messages, discount requests; the
  discount share per order rises, the basket shrinks, fewer loyalty members among them.
- personal_ties (~5%): weak traces: often the customer who referred them left a while before;
  sometimes a message "кум відкрив базу, будемо брати в нього".
- moved_or_died (~4%): relocation messages (often east -> west, or abroad), last orders delivered
  to a new oblast, customer region updated in the CRM; deaths show nothing before (relatives may
  call afterwards).
Noise: some churners show no trace; stayers also have neglected periods, bad-luck complaint
clusters with returns, discount hunters, movers who keep buying, manager changes.  Exit surveys
(kind "exit") are answered by ~40% of churners after leaving, and their reason is not always the
true one; pulse surveys go out three times a year.  Free-text contact topics and complaint
descriptions use varied templates, inflected product names and per-message noise.
"""
import argparse
import os
import random
import time

import numpy as np
import pandas as pd

T0 = np.datetime64("2023-01-01T00:00")
TZ = "Europe/Kyiv"
TEND = 1095.99           # 2025-12-31 23:45
LAST_CHURN = 1094.0      # churn up to 2025-12-29 (day 1093)
REASONS = ["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"]
SHARES = np.array([.67, .15, .09, .05, .04])

# region, weight, p_russian, p_surzhyk, city nom/gen/loc (uk), city nom (ru), west/center (move target)
REGIONS = [
    ("м. Київ", 16, .15, .10, "Київ", "Києва", "Києві", "Киев", 1),
    ("Київська обл.", 8, .08, .12, "Бровари", "Броварів", "Броварах", "Бровары", 1),
    ("Львівська обл.", 9, .01, .03, "Львів", "Львова", "Львові", "Львов", 1),
    ("Дніпропетровська обл.", 10, .30, .22, "Дніпро", "Дніпра", "Дніпрі", "Днепр", 0),
    ("Одеська обл.", 8, .40, .15, "Одеса", "Одеси", "Одесі", "Одесса", 0),
    ("Харківська обл.", 7, .40, .18, "Харків", "Харкова", "Харкові", "Харьков", 0),
    ("Запорізька обл.", 4, .30, .22, "Запоріжжя", "Запоріжжя", "Запоріжжі", "Запорожье", 0),
    ("Вінницька обл.", 5, .03, .15, "Вінниця", "Вінниці", "Вінниці", "Винница", 1),
    ("Полтавська обл.", 4, .05, .20, "Полтава", "Полтави", "Полтаві", "Полтава", 0),
    ("Івано-Франківська обл.", 4, .01, .03, "Івано-Франківськ", "Івано-Франківська", "Івано-Франківську", "Ивано-Франковск", 1),
    ("Закарпатська обл.", 3, .02, .05, "Ужгород", "Ужгорода", "Ужгороді", "Ужгород", 1),
    ("Тернопільська обл.", 3, .01, .03, "Тернопіль", "Тернополя", "Тернополі", "Тернополь", 1),
    ("Рівненська обл.", 3, .02, .06, "Рівне", "Рівного", "Рівному", "Ровно", 1),
    ("Волинська обл.", 2, .02, .05, "Луцьк", "Луцька", "Луцьку", "Луцк", 1),
    ("Житомирська обл.", 3, .05, .15, "Житомир", "Житомира", "Житомирі", "Житомир", 1),
    ("Черкаська обл.", 3, .05, .18, "Черкаси", "Черкас", "Черкасах", "Черкассы", 0),
    ("Хмельницька обл.", 3, .02, .10, "Хмельницький", "Хмельницького", "Хмельницькому", "Хмельницкий", 1),
    ("Миколаївська обл.", 3, .35, .20, "Миколаїв", "Миколаєва", "Миколаєві", "Николаев", 0),
    ("Чернігівська обл.", 2, .06, .20, "Чернігів", "Чернігова", "Чернігові", "Чернигов", 0),
    ("Сумська обл.", 2, .12, .25, "Суми", "Сум", "Сумах", "Сумы", 0),
    ("Кіровоградська обл.", 2, .10, .22, "Кропивницький", "Кропивницького", "Кропивницькому", "Кропивницкий", 0),
    ("Чернівецька обл.", 2, .02, .04, "Чернівці", "Чернівців", "Чернівцях", "Черновцы", 1),
]
REG_NAMES = np.array([r[0] for r in REGIONS], object)
REG_P = np.array([r[1] for r in REGIONS], float); REG_P /= REG_P.sum()
P_RU = np.array([r[2] for r in REGIONS]); P_SUR = np.array([r[3] for r in REGIONS])
WEST = np.array([r[8] for r in REGIONS], bool)
# segment, share, orders/month, mean order UAH, personal outbound/month, inbound/month, complaint rate
SEGMENTS = [("Будівельна компанія", .22, 2.4, 62000, 1.0, 0.9, 1.0),
            ("Господарський магазин", .24, 3.0, 26000, 0.8, 1.0, 1.5),
            ("Приватний забудовник", .30, 0.7, 17000, 0.3, 0.45, 0.8),
            ("Ремонтна бригада", .18, 1.1, 9000, 0.3, 0.45, 0.8),
            ("Девелопер", .06, 2.0, 210000, 1.6, 1.4, 1.3)]
SEG_P = np.array([s[1] for s in SEGMENTS])
SEASON = np.array([.55, .62, .85, 1.05, 1.2, 1.2, 1.18, 1.15, 1.1, 1.0, .8, .58])

# ------------------------------------------------------------------ vocabulary (uk, ru, surzhyk)
PROD = [
    "цемент М500/цементу М500/цемент М500;газоблок/газоблоку/газоблок;арматура 12/арматури 12/арматуру 12;"
    "гіпсокартон Knauf/гіпсокартону Knauf/гіпсокартон Knauf;утеплювач/утеплювача/утеплювач;мінвата/мінвати/мінвату;"
    "профнастил/профнастилу/профнастил;металочерепиця/металочерепиці/металочерепицю;плитка/плитки/плитку;"
    "клей для плитки/клею для плитки/клей для плитки;штукатурка/штукатурки/штукатурку;шпаклівка/шпаклівки/шпаклівку;"
    "фарба/фарби/фарбу;цегла/цегли/цеглу;пінопласт/пінопласту/пінопласт;OSB-плита/OSB-плити/OSB-плиту;"
    "шуруповерт Makita/шуруповерта Makita/шуруповерт Makita;перфоратор Bosch/перфоратора Bosch/перфоратор Bosch;"
    "болгарка/болгарки/болгарку;саморізи/саморізів/саморізи;ламінат/ламінату/ламінат;труби ПП/труб ПП/труби ПП;"
    "пісок/піску/пісок;щебінь/щебеню/щебінь;Ceresit CT 85/Ceresit CT 85/Ceresit CT 85;сітка кладочна/сітки кладочної/сітку кладочну",
    "цемент/цемента/цемент;газоблок/газоблока/газоблок;арматура/арматуры/арматуру;гипсокартон/гипсокартона/гипсокартон;"
    "утеплитель/утеплителя/утеплитель;минвата/минваты/минвату;профнастил/профнастила/профнастил;"
    "металлочерепица/металлочерепицы/металлочерепицу;плитка/плитки/плитку;клей для плитки/клея для плитки/клей для плитки;"
    "штукатурка/штукатурки/штукатурку;краска/краски/краску;кирпич/кирпича/кирпич;пенопласт/пенопласта/пенопласт;"
    "шуруповерт/шуруповерта/шуруповерт;перфоратор/перфоратора/перфоратор;саморезы/саморезов/саморезы;"
    "ламинат/ламината/ламинат;песок/песка/песок;щебень/щебня/щебень;OSB/OSB/OSB",
    "цємєнт/цємєнта/цємєнт;газоблок/газоблока/газоблок;арматура/арматури/арматуру;гіпсокартон/гіпсокартона/гіпсокартон;"
    "утеплітєль/утеплітєля/утеплітєль;плитка/плитки/плитку;краска/краски/краску;кірпіч/кірпіча/кірпіч;"
    "шуруповьорт/шуруповьорта/шуруповьорт;саморізи/саморізов/саморізи;профнастіл/профнастіла/профнастіл;"
    "пєсок/пєска/пєсок;клей/клея/клей;мінвата/мінвати/мінвату",
]
PROD = [[tuple(p.split("/")) for p in block.split(";")] for block in PROD]
COMP = [[("Епіцентр", "Епіцентру"), ("Нова Лінія", "Нової Лінії"), ("Леруа Мерлен", "Леруа Мерлен"),
         ("Будмаркет", "Будмаркету"), ("інший постачальник", "іншого постачальника"), ("сусідня база", "сусідньої бази"),
         ("Метро", "Метро"), ("місцевий склад", "місцевого складу")],
        [("Эпицентр", "Эпицентра"), ("Новая Линия", "Новой Линии"), ("Леруа", "Леруа"),
         ("другой поставщик", "другого поставщика"), ("соседняя база", "соседней базы")],
        [("Епіцентр", "Епіцентра"), ("Нова Лінія", "Нової Лінії"), ("другий поставщик", "другого поставщика"),
         ("база на виїзді", "бази на виїзді"), ("Леруа", "Леруа")]]
MONTHS = ["січень лютий березень квітень травень червень липень серпень вересень жовтень листопад грудень".split(),
          "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь".split()]
MONTHS.append(MONTHS[0])


def T(uk, ru="", sur=""):
    return tuple([x.strip() for x in s.split("|")] if s else [] for s in (uk, ru, sur))


TPL = {  # outbound (staff, Ukrainian)
    "routine": T("Дзвінок: актуальний прайс на {a}|Контрольний дзвінок клієнту|Обговорили потреби на сезон|"
                 "Уточнення планів закупівлі на {m}|Надіслано КП на {a}|Запропонували {a} зі складу|Узгодження графіка поставок|"
                 "Обговорення умов оплати, відтермінування 14 днів|Новий прайс на {a} — інформування|"
                 "Клієнт планує закупівлю {g}, чекає рахунок|Потрібно {a} на обʼєкт — дзвінок|Консультація щодо {g}|"
                 "Поточна комунікація, питань немає|Уточнили залишки {g} у клієнта|Пропозиція: {n} під замовлення, 5 днів|"
                 "Дзвінок клієнту — зайнято, передзвонити|Зворотній зв'язок по КП на {a}"),
    "promo": T("Акція тижня: знижка на {a}|Розсилка: новинки {g}|Весняний розпродаж для профі|Спецціна на {a} до кінця місяця|"
               "Новий каталог сезону|Чорна пʼятниця в БудОпт|Email-розсилка: сезонні ціни на {a}|Знижка -10% на {a} при самовивозі|"
               "Розсилка: графік роботи складів у святкові дні|{n} за старою ціною до кінця тижня"),
    "pay": T("Нагадування про оплату рахунку №§|Прострочена оплата по накладній РН-§|Дебіторка: узгодження графіка погашення|"
             "Акт звірки за квартал надіслано|Нагадування: сплив термін відтермінування|Оплата по рахунку §, уточнення суми"),
    "meet": T("Зустріч на обʼєкті клієнта|Візит менеджера в офіс|Презентація нової лінійки {g}|Виїзд на будмайданчик, замір|"
              "Річна зустріч: підсумки співпраці за рік|Зустріч з директором, умови на наступний рік|Показ зразків {g}"),
    "holiday": T("Привітання з Днем будівельника|Новорічне привітання|Привітання з Днем народження|Вітання з Різдвом|"
                 "Привітання з Днем Незалежності"),
    "loyal": T("Запрошення до Клубу Профі|Нараховано кешбек на бонусну картку|Картка постійного клієнта — оформлення|"
               "Інформування про бонусний баланс|Персональна пропозиція для постійного клієнта"),
    "follow": T("Дзвінок після відвантаження РН-§|Фідбек по доставці замовлення №§|Чи все гаразд з поставкою {g}?|"
                "Як вам {n}? відгук клієнта|Післяпродажний дзвінок, замовлення §|Уточнили, чи доїхала машина, все ок|"
                "Контроль якості доставки §"),
    "newmgr": T("Знайомство з новим менеджером|Передача клієнта іншому менеджеру|Новий персональний менеджер — контакти|"
                "Зміна відповідального менеджера|Клієнта передано від звільненого менеджера|"
                "Представився як новий менеджер, обмінялись контактами"),
    "winback": T("Давно не було замовлень — зʼясувати причину|Чому перестали замовляти?|Повернення клієнта: персональна пропозиція|"
                 "Дзвінок втраченому клієнту|Не бере трубку, залишили повідомлення|Клієнт не планує закупівель, причину не назвав|"
                 "Пропозиція повернутися: знижка 7% на перше замовлення"),
    "resolve": T("Рішення по рекламації №§|Заміна браку: {n} відвантажено повторно|Компенсація за пошкоджений товар|"
                 "Відповідь на претензію №§|Рекламація §: відмовлено, не гарантійний випадок|Повернення коштів за {a} погоджено"),
    "addr": T("Оновлення адреси доставки в CRM|Зміна реквізитів клієнта|Оновили контактні дані, нова адреса|"
              "Перевірка адреси — клієнт переїхав?"),
    # inbound (customers: uk | ru | surzhyk)
    "order": T("Заявка на {a}|Замовлення {g} на обʼєкт|Потрібно {a} на завтра|Дозамовлення {g}|Заявка №§|Терміново {n}, самовивіз сьогодні|"
               "Прошу зібрати замовлення: {n}, {n2}|Замовлення на {a} і {a2}",
               "Заявка на {a}|Заказ {g} на объект|Нужно {a} на завтра|Дозаказ {g}|Срочно {n}, самовывоз сегодня|Заказ №§",
               "Треба {a} на завтра|Заказ {g} на обʼєкт|Скиньте {a} шоб завтра було|Нада {n} срочно|Дозаказ {g} пліз"),
    "invoice": T("Виставте рахунок на {a}|Рахунок на оплату|Рахунок №§|Прошу рахунок з ПДВ на {a}|Рахунок для бухгалтерії|"
                 "Перевиставити рахунок §, інші реквізити",
                 "Выставьте счет на {a}|Счёт на оплату|Счет №§|Нужен счёт с НДС|Переделать счет §",
                 "Скиньте рахунок на {a}|Счьот на оплату|Рахунок з ПДВ нада|Рахунок §, бухгалтєр просить"),
    "deliv": T("Коли буде доставка?|Де машина? замовлення §|Статус доставки РН-§|Перенести доставку на завтра|"
               "Самовивіз зі складу, підготуйте|Доставка на обʼєкт, потрібен маніпулятор",
               "Когда будет доставка?|Где машина? заказ §|Перенесите доставку на завтра|Самовывоз, подготовьте|"
               "Нужен манипулятор на объект",
               "Шо там по доставці?|Коли приїде машина|Де наш заказ §|Доставку пєрєнєсіть на завтра|Водітєль не може найти обʼєкт"),
    "stock": T("Наявність {g}|Ціна на {a}?|Чи є {n} в наявності?|Скільки коштує {n} від палети|Чи є {n} на складі|"
               "Запит ціни: {n}, великий обʼєм",
               "Наличие {g}|Цена на {a}?|Есть ли {n} в наличии?|Сколько стоит {n} от поддона",
               "Чи є {n}?|Почьом {n}|Скільки стоїть {n}|Є {n} в наявності чи нема"),
    "docs": T("Акт звірки|Потрібні сертифікати на {a}|ТТН по замовленню §|Податкова накладна за {m}|Копія видаткової накладної §|"
              "Договір поставки на наступний рік",
              "Акт сверки|Нужны сертификаты на {a}|Налоговая накладная за {m}|Копия расходной накладной §",
              "Акт звєрки нада|Скиньте сертифікати на {a}|Податкову за {m} не отримали"),
    "callback": T("Прошу передзвонити|Зворотний дзвінок|Передзвоніть менеджеру, будь ласка|Запит з сайту: передзвонити|"
                  "Хочу поговорити з менеджером", "Перезвоните|Прошу перезвонить|Заявка с сайта: перезвонить",
                  "Пєрєзвоніть|Наберіть мене як будете вільні|Пєрєзвоніть пліз"),
    "noanswer": T("Повторно: ніхто не передзвонив|Третій раз пишу, відповіді нема|Менеджер не бере трубку|"
                  "Чекаю на відповідь вже тиждень|Запит від §, досі без відповіді|Чому ніхто не відповідає?|"
                  "Нагадую про свій запит|Де наш менеджер? не можемо додзвонитись|Обіцяли КП і пропали",
                  "Повторно: никто не перезвонил|Менеджер не отвечает|Жду ответа уже неделю|Почему никто не отвечает?|"
                  "Напоминаю о запросе §", "Ніхто не перезвонив|Шо, вам клієнти вже не нужні?|Мєнєджер не бере трубку|"
                  "Скільки можна ждать відповідь|Третій раз пишу!!"),
    "quality": T("Брак {g}|Претензія щодо якості {g}|Рекламація №§ — {n}|Повернення браку, накладна §|Неякісний товар у партії {g}|"
                 "Не відповідає сертифікату: {n}|Злежалий цемент у мішках|Плитка різного тону в одній партії|"
                 "Шуруповерт зламався на гарантії|Фарба лягає плямами, вимагаємо заміну|Газоблок кришиться, геометрія не тримається|"
                 "Мінвата мокра після складу|Клей прострочений, не схоплюється",
                 "Брак {g}|Претензия по качеству {g}|Рекламация №§|Возврат брака, накладная §|Цемент слежался|"
                 "Плитка разного тона|Газоблок крошится|Инструмент сломался на гарантии",
                 "Брак по {g}|Привезли бракований товар|Шо за качество? {n} не годиться|Цємєнт камінь, вертаєм|"
                 "Плитка кривя, вертаєм|Опять брак {g}"),
    "service": T("Скарга на водія|Привезли не той товар|Пересорт у замовленні §|Грубість працівника складу|"
                 "Менеджер не виконав обіцянку|Неправильно виписана накладна §|Ніхто не передзвонив щодо заявки",
                 "Жалоба на водителя|Привезли не тот товар|Пересорт в заказе §|Хамство на складе|Менеджер не перезвонил",
                 "Привезли не то шо заказували|Водітєль нахамив|Опять пересорт|Мєнєджер обіщав і пропав"),
    "delivery": T("Затримка доставки вже 3 дні|Недовіз по накладній §|Пошкоджено при доставці: {n}|"
                  "Машина не приїхала, бригада простоює|Зірвали терміни поставки {g}|Розвантаження без маніпулятора, хоча замовляли",
                  "Задержка доставки|Недовоз по накладной §|Повреждено при доставке: {n}|Сорвали сроки поставки",
                  "Машину ждем третій день|Недовіз опять|Побили {a} при розгрузкє"),
    "price": T("Прошу знижку на {a}|Знайшли дешевше — {c}|Ціна вища, ніж у {cg}|{c} пропонує кращі умови|"
               "Чи можете дати ціну як у {cg}?|Прошу переглянути ціни|Запит знижки від обсягу на {a}|"
               "Відтермінування платежу, інакше підемо до {cg}|Чому подорожчав {n}?|У {cg} {n} на 8% дешевше",
               "Прошу скидку на {a}|Нашли дешевле — {c}|Цена выше, чем у {cg}|{c} даёт лучшие условия|Почему подорожал {n}?|"
               "Пересмотрите цены", "Дайте скидку на {a}|У {cg} дешевше|Ціни у вас кусаються|{c} дає ціну нижче|Скидка будє?"),
    "other": T("Помилка в документах §|Неправильна податкова накладна|Не нараховано бонуси|Подвійне списання оплати|"
               "Не працює кабінет клієнта", "Ошибка в документах §|Не начислены бонусы", "Бонуси не пришли|Накладна з ошибкой"),
    "move": T("Зміна адреси доставки — {kn}|Переїжджаємо до {kg}|Тепер працюємо у {kl}, чи доставляєте?|Релокація бізнесу до {kg}|"
              "Нова адреса обʼєкта: м. {kn}|Чи є у вас склад у {kl}?|Закриваємо точку, переїзд до {kg}",
              "Переезжаем, новый адрес: г. {kr}|Смена адреса доставки — {kr}|Доставляете ли в {kr}?|Переезд бизнеса, г. {kr}",
              "Пєрєєжаєм в {kn}|Нова адреса: {kn}|Ми тепер в {kl}"),
    "abroad": T("Виїжджаємо за кордон, замовлень не буде|Переїзд до Польщі|Сімʼя виїхала за кордон, закриваємо ФОП|"
                "Їдемо до Німеччини, дякуємо за співпрацю", "Уезжаем за границу|Переезд в Польшу, закрываемся",
                "Виїжджаєм за граніцу|Уєзжаєм, закриваємся"),
    "death": T("Власник помер, ФОП закривається|Повідомлення про смерть клієнта|Дзвонила дружина клієнта — закриває рахунок|"
               "Клієнт помер, закрити картку|Родичі просять закрити договір", "Владелец умер, закрываем ФОП|Звонила жена клиента, он умер",
               "Хазяїн помер, закриваємось"),
    "ties": T("Будемо брати у кума, він відкрив базу|Син відкрив свій магазин будматеріалів|Тепер закуповуємось у родича|"
              "Переходимо до знайомого постачальника|Брат влаштувався в іншу компанію, будемо брати там",
              "Будем брать у кума|Брат открыл свой склад|Теперь закупаемся у родственника",
              "Кум відкрив базу, будем у нього брати|Свояк тепер постачає, звиняйте"),
}
CHAN = {"routine": ("call email chat", (.75, .15, .10)), "promo": ("sms email", (.6, .4)), "pay": ("call email chat", (.4, .4, .2)),
        "meet": ("meeting", (1,)), "holiday": ("sms call chat", (.6, .3, .1)), "loyal": ("call sms email", (.5, .3, .2)),
        "follow": ("call chat", (.85, .15)), "newmgr": ("call email meeting", (.6, .3, .1)), "winback": ("call sms email", (.8, .1, .1)),
        "resolve": ("call email", (.5, .5)), "addr": ("call email", (.5, .5)), "order": ("call email chat", (.45, .25, .30)),
        "invoice": ("email chat call", (.5, .35, .15)), "deliv": ("call chat", (.6, .4)), "stock": ("call chat email", (.5, .35, .15)),
        "docs": ("email chat", (.8, .2)), "callback": ("call chat", (.7, .3)), "noanswer": ("chat email call", (.45, .35, .2))}
CHAN.update({c: ("call email chat", (.4, .35, .25)) for c in ("quality", "service", "delivery", "price", "other")})
CHAN.update({c: ("call email chat", (.6, .2, .2)) for c in ("move", "abroad", "death", "ties")})

PLAIN = str.maketrans({"ї": "і", "є": "е", "ґ": "г", "Ї": "І", "Є": "Е", "Ґ": "Г", "ё": "е"})
APOS = ["'", "’", "", "`", "ʼ", "ʼ"]
TAILS = ["!!", "!!!", "??", " ...", " (повторно)", " терміново", " СРОЧНО", "!", " пжл"]


def typo(s, rnd):
    if len(s) < 5:
        return s
    i, k = rnd.randrange(1, len(s) - 2), rnd.random()
    if k < .4:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + s[i + 1:] if k < .75 else s[:i] + s[i] + s[i:]


def noisy(s, lang, rnd, lvl):
    r = rnd.random
    if lang != 1 and r() < .3 * lvl:
        s = s.translate(PLAIN)
    if "ʼ" in s or "'" in s:
        s = s.replace("ʼ", "'").replace("'", rnd.choice(APOS) if r() < .5 * lvl + .2 else "ʼ")
    if lang != 1 and r() < .05 * lvl:
        s = s.replace("і", "i")
    for _ in range(2):
        if r() < .1 * lvl:
            s = typo(s, rnd)
    x = r()
    if x < .07 * lvl:
        s = s.lower()
    elif x < .10 * lvl:
        s = s.upper()
    elif x < .15 * lvl:
        s = s[:1].lower() + s[1:]
    if r() < .07 * lvl:
        s += rnd.choice(TAILS)
    return s


def render(cat, lang, rnd, staff=False, city=None):
    tpls = TPL[cat][lang] or TPL[cat][0]
    lang = lang if TPL[cat][lang] else 0
    P, C = PROD[lang], COMP[lang]
    p1, p2, c = rnd.choice(P), rnd.choice(P), rnd.choice(C)
    reg = REGIONS[city if city is not None else rnd.randrange(len(REGIONS))]
    s = rnd.choice(tpls).format(n=p1[0], g=p1[1], a=p1[2], n2=p2[0], a2=p2[2], c=c[0], cg=c[1],
                                m=rnd.choice(MONTHS[lang]), kn=reg[4], kg=reg[5], kl=reg[6], kr=reg[7])
    return noisy(s, lang, rnd, .35 if staff else 1.0)


def texts(cat, langs, rnd, rng, staff=False, city=None):
    out = np.empty(len(langs), object)
    for lg in (0, 1, 2):
        idx = np.flatnonzero(langs == lg)
        if len(idx) == 0:
            continue
        if city is None and len(idx) > 3000:
            pool = np.array([render(cat, lg, rnd, staff) for _ in range(1500)], object)
            out[idx] = pool[rng.integers(0, len(pool), len(idx))]
        else:
            out[idx] = [render(cat, lg, rnd, staff, None if city is None else city[i]) for i in idx]
    return out


def to_ts(t):
    """float days since 2023-01-01 (Kyiv wall clock) -> tz-aware timestamps."""
    mins = np.round(np.asarray(t, float) * 1440).astype("int64")
    naive = pd.DatetimeIndex(T0 + mins.astype("timedelta64[m]"))
    return naive.tz_localize(TZ, ambiguous=np.zeros(len(mins), bool), nonexistent="shift_forward")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True); ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--customers", type=int, default=50000)
    args = ap.parse_args()
    t_start = time.time()
    N, rng, rnd = args.customers, np.random.default_rng(args.seed), random.Random(args.seed)
    U = rng.random

    def span(lo, hi):
        return lo + U(N) * np.maximum(hi - lo, 0)
    os.makedirs(args.out, exist_ok=True)

    # ------------------------------------------------------------ customers, managers, churn plan
    seg = rng.choice(len(SEGMENTS), N, p=SEG_P)
    reg = rng.choice(len(REGIONS), N, p=REG_P)
    u = U(N)
    lang = np.where(u < P_RU[reg], 1, np.where(u < P_RU[reg] + P_SUR[reg], 2, 0))
    legacy = U(N) < .6
    signup = np.where(legacy, rng.uniform(-6 * 365, -3, N), 1085 * U(N) ** .85)
    signup = np.floor(signup) + rng.uniform(9, 18, N) / 24
    a = np.maximum(signup, 0.0)
    seg_rate = np.array([s[2] for s in SEGMENTS])[seg] * rng.lognormal(-.1, .5, N)
    scale = np.array([s[3] for s in SEGMENTS])[seg] * rng.lognormal(0, .55, N)
    loyal = U(N) < .36

    mreg = np.concatenate([[r] * max(1, int(round(N * REG_P[r] / 380))) for r in range(len(REGIONS))])
    nm0 = len(mreg)
    mstart = np.searchsorted(mreg, np.arange(len(REGIONS)))
    mcount = np.bincount(mreg, minlength=len(REGIONS))
    leave = np.where(U(nm0) < .3, rng.uniform(60, 1060, nm0), np.inf)
    mdil = np.clip(rng.normal(1, .25, 2 * nm0), .35, 1.5)          # successors get ids nm0 + k
    m0 = mstart[reg] + (U(N) * mcount[reg]).astype(int)
    m1 = m0 + nm0
    m2 = mstart[reg] + (m0 - mstart[reg] + 1 + (U(N) * np.maximum(mcount[reg] - 1, 1)).astype(int)) % mcount[reg]

    hazard_draw = np.where(legacy, rng.exponential(2400, N), rng.exponential(3000, N))
    early = ~legacy & (U(N) < .06)
    ch = a + np.maximum(20, np.where(early, rng.uniform(20, 180, N), hazard_draw))
    churned = ch < LAST_CHURN
    ch = np.where(churned, np.floor(ch) + rng.uniform(9, 18, N) / 24, np.inf)
    end = np.where(churned, ch, TEND)

    d0 = mdil[m0]
    w = np.tile(SHARES, (N, 1))
    w[:, 0] *= 1.6 - .6 * d0
    w[:, 4] *= np.where(np.isin(seg, [2, 3]), 1.5, .6)
    w /= w.sum(1, keepdims=True)
    reason = np.where(churned, (U(N)[:, None] > np.cumsum(w, 1)).sum(1), -1)
    reason = np.minimum(reason, 4)
    died = (reason == 4) & (U(N) < np.where(np.isin(seg, [2, 3]), .35, .08))
    lwin = np.array([[90, 330], [45, 240], [90, 300], [30, 180], [20, 150]], float)
    rr = np.maximum(reason, 0)
    L = np.where(churned, rng.uniform(lwin[rr, 0], lwin[rr, 1]), 1.0)
    s_sig = np.where(churned, ch - L, 1e9)
    tp = churned & (U(N) < np.array([.8, .85, .75, .4, .8])[rr]) & ~died
    loyal &= ~((reason == 2) & (U(N) < .4))

    stay = ~churned
    T1 = leave[m0]
    T1 = np.where((T1 > a) & (T1 < end), T1, np.inf)
    T2 = np.full(N, np.inf)
    ind_re = (reason == 0) & tp & (U(N) < .5)
    lo2 = np.maximum(a + 5, s_sig - 60)
    T2[ind_re] = rng.uniform(lo2, np.maximum(lo2 + 1, np.where(churned, ch, 0) - 15))[ind_re]
    oth_re = ~ind_re & (U(N) < .05)
    T2[oth_re] = span(a, end)[oth_re]
    T1 = np.where(T2 < T1, np.inf, T1)
    dil_new = mdil[m2] * np.where(ind_re, .7, 1.0)

    def dil_at(ci, t):
        d = np.where(t >= T1[ci], mdil[m1[ci]], d0[ci])
        d = np.where(t >= T2[ci], dil_new[ci], d)
        last = np.maximum(np.where(t >= T1[ci], T1[ci], -1e9), np.where(t >= T2[ci], T2[ci], -1e9))
        return d * np.where(t - last < 90, .45, 1.0)

    def win(s, e, ci, t):
        return ((t >= s[ci]) & (t < e[ci])).astype(float)

    def prog(r, ci, t):
        return np.where((reason[ci] == r) & tp[ci], np.clip((t - s_sig[ci]) / L[ci], 0, 1), 0.0)

    neg = stay & (U(N) < .12)                      # stayers with a neglected period
    ng_s = np.where(neg, span(a, 1000), 1e9); ng_e = ng_s + rng.uniform(100, 300, N)
    bad = stay & (U(N) < .08)                      # stayers with a bad-luck quality episode
    bl_s = np.where(bad, span(a, 1060), 1e9); bl_e = bl_s + rng.uniform(40, 150, N)
    hunter = U(N) < .12

    def att(ci, t):
        return np.maximum(prog(0, ci, t), .75 * win(ng_s, ng_e, ci, t))

    def qual(ci, t):
        return np.maximum(prog(1, ci, t), .8 * win(bl_s, bl_e, ci, t))

    # moves: churn movers (abroad 20%), stayers who move and keep buying
    mover = (reason == 4) & ~died
    abroad = mover & (U(N) < .2)
    smove = stay & (U(N) < .025)
    mv_t = np.full(N, np.inf)
    mv_t[mover] = (ch - rng.uniform(20, 150, N))[mover]
    mv_t[smove] = span(a + 30, 1080)[smove]
    mv_t = np.maximum(mv_t, a + 1)
    wdest = np.where(WEST, 3.0, 1.0) * REG_P
    dest = rng.choice(len(REGIONS), N, p=wdest / wdest.sum())
    dest = np.where(dest == reg, (dest + 2) % len(REGIONS), dest)
    dom = (mover & ~abroad) | smove

    # referrals; personal-ties churners often followed a referrer who left before them
    order_su = np.argsort(signup)
    rank = np.empty(N, int); rank[order_su] = np.arange(N)
    referred = (U(N) < .13) & (rank > 10)
    referred_by = np.full(N, -1)
    referred_by[referred] = order_su[(U(N) * rank).astype(int)][referred]
    ch_idx = np.flatnonzero(churned); ch_sorted = ch_idx[np.argsort(ch[ch_idx])]; ch_times = ch[ch_sorted]
    for c in np.flatnonzero(reason == 3):
        if U() < .45:
            lo, hi = np.searchsorted(ch_times, [ch[c] - 240, ch[c] - 15])
            if hi > lo:
                cand = ch_sorted[lo:hi]
                cand = cand[signup[cand] < signup[c]]
                if len(cand):
                    referred_by[c] = cand[rng.integers(len(cand))]

    # ------------------------------------------------------------ monthly grid
    ms = (np.arange("2023-01", "2026-02", dtype="datetime64[M]").astype("datetime64[D]") - np.datetime64("2023-01-01")).astype(float)
    lo = np.maximum(ms[None, :-1], a[:, None]); hi = np.minimum(ms[None, 1:], end[:, None])
    act = np.clip(hi - lo, 0, None)
    tm = (lo + hi) / 2
    C2 = np.arange(N)[:, None]
    mon = np.arange(36) % 12

    def expand(rate):
        cnt = rng.poisson(rate * act / 30.4)
        idx = np.repeat(np.arange(N * 36), cnt.ravel())
        return idx // 36, lo.ravel()[idx] + U(len(idx)) * act.ravel()[idx]

    # ------------------------------------------------------------ orders
    pa, pq_, pc = att(C2, tm), qual(C2, tm), prog(2, C2, tm)
    moved_now = tm >= mv_t[:, None]
    rate = seg_rate[:, None] * SEASON[mon][None, :] * (1 - .5 * pa) * (1 - .45 * pq_) * (1 - .35 * pc) * (1 - .25 * prog(3, C2, tm))
    rate *= np.where(moved_now, np.where(abroad, .1, np.where(smove, .9, .7))[:, None], 1.0)
    oci, ot = expand(rate)
    ot = np.floor(ot) + rng.uniform(7.5, 19, len(ot)) / 24
    ot += ((np.floor(ot) + 6) % 7 == 6) & (U(len(ot)) < .8)            # Sunday -> Monday
    keep = (ot < end[oci]) & (ot >= signup[oci])
    oci, ot = oci[keep], ot[keep]
    fin = np.flatnonzero(churned)
    oci, ot = np.concatenate([oci, fin]), np.concatenate([ot, ch[fin]])
    pc_o, pa_o = prog(2, oci, ot), prog(0, oci, ot)
    amt = scale[oci] * rng.lognormal(-.2, .7, len(oci)) * (1 - .55 * pc_o) * (1 - .2 * pa_o)
    amt = np.maximum(amt, 150)
    pct = np.where(loyal[oci], .03, 0) + np.where(U(N) < .5, rng.uniform(0, .04, N), 0)[oci]
    pct += np.where(U(len(oci)) < .12, rng.uniform(.02, .07, len(oci)), 0)
    pct += np.where(U(len(oci)) < .6 * pc_o + .5 * hunter[oci], rng.uniform(.04, .14, len(oci)), 0)
    pct = np.minimum(pct, .3)
    disc = np.round(amt * pct / (1 - pct), 2)
    oreg = np.where(dom[oci] & (ot >= mv_t[oci]), dest[oci], reg[oci])
    site = np.isin(seg[oci], [0, 4]) & (U(len(oci)) < .12)
    oreg = np.where(site, rng.choice(len(REGIONS), len(oci), p=REG_P), oreg)
    # returns
    q_o = qual(oci, ot)
    rp = .012 + .02 * (seg[oci] == 1) + .14 * q_o
    ri = np.flatnonzero(U(len(oci)) < rp)
    rt = ot[ri] + rng.uniform(1, 25, len(ri))
    ok = rt < end[oci[ri]]
    ri, rt = ri[ok], rt[ok]
    rt = np.floor(rt) + rng.uniform(8, 18, len(rt)) / 24
    ok = rt < end[oci[ri]]
    ri, rt = ri[ok], rt[ok]
    n_o, n_r = len(oci), len(ri)
    O_ci = np.concatenate([oci, oci[ri]]); O_t = np.concatenate([ot, rt])
    O_amt = np.concatenate([np.round(amt, 2), -np.round(amt[ri] * rng.uniform(.1, 1, n_r), 2)])
    O_disc = np.concatenate([disc, np.zeros(n_r)])
    O_ret = np.concatenate([np.zeros(n_o, bool), np.ones(n_r, bool)])
    O_reg = np.concatenate([oreg, oreg[ri]])
    srt = np.argsort(O_t, kind="stable")
    O_ci, O_t, O_amt, O_disc, O_ret, O_reg = (x[srt] for x in (O_ci, O_t, O_amt, O_disc, O_ret, O_reg))
    seq = np.arange(len(O_t)) + 100001
    oid = np.where(O_ret, "ПВ-", "РН-").astype(object) + seq.astype(str).astype(object)

    # ------------------------------------------------------------ contacts
    parts = []

    def add(ci, t, cat, inbound, langs=None, ans=None, resp=None, topic=None, keep_time=False):
        ci, t = np.asarray(ci, int), np.asarray(t, float)
        if not keep_time:
            t = np.floor(t) + rng.uniform(8, 19.5, len(t)) / 24
        ok = (t < TEND) & (t >= np.maximum(0, np.floor(signup[ci])))
        if ans is not None:
            ans, resp = ans[ok], resp[ok]
        if topic is not None:
            topic = topic[ok]
        ci, t = ci[ok], t[ok]
        if len(ci) == 0:
            return
        if langs is None:
            langs = np.where(U(len(ci)) < .8, lang[ci], 0) if inbound else np.zeros(len(ci), int)
        if topic is None:
            topic = texts(cat, langs, rnd, rng, staff=not inbound)
        if inbound and ans is None:
            d, at = dil_at(ci, t), att(ci, t)
            ans = U(len(ci)) < np.clip(.9 + .08 * (d - 1) - .5 * at, .2, .99)
            resp = np.where(ans, np.round(rng.lognormal(np.log(2.5), 1.0, len(ci)) * (1 + 6 * at) / d, 1), np.nan)
        chans, cp = CHAN[cat]
        chan = np.array(chans.split(), object)[rng.choice(len(cp), len(ci), p=cp)]
        parts.append((ci, t, np.full(len(ci), inbound), chan, topic, ans, resp))

    def add_mixed(ci, t, cats, probs, inbound):
        k = rng.choice(len(cats), len(ci), p=probs)
        for j, cat in enumerate(cats):
            add(ci[k == j], t[k == j], cat, inbound)

    hand = dil_at(C2, tm)
    vip = (scale / np.array([s[3] for s in SEGMENTS])[seg]) ** .3
    out_rate = np.array([s[4] for s in SEGMENTS])[seg][:, None] * hand * (1 - .85 * pa) * vip[:, None]
    ci, t = expand(out_rate)
    add_mixed(ci, t, ["routine", "pay", "meet", "holiday", "loyal"], [.55, .2, .12, .08, .05], False)
    ci, t = expand(np.where(loyal, .35, .2)[:, None] * np.ones((1, 36)))
    add(ci, t, "promo", False)
    in_rate = np.array([s[5] for s in SEGMENTS])[seg][:, None] * (seg_rate / np.array([s[2] for s in SEGMENTS])[seg])[:, None] ** .5
    in_rate = in_rate * (1 - .3 * np.maximum(np.maximum(pa, pq_), pc))
    ci, t = expand(in_rate)
    add_mixed(ci, t, ["order", "invoice", "deliv", "stock", "docs", "callback"], [.3, .2, .2, .15, .1, .05], True)
    # post-shipment follow-up calls
    big = np.flatnonzero(~O_ret & (O_amt > .8 * scale[O_ci]))
    pf = .45 * dil_at(O_ci[big], O_t[big]) * (1 - .9 * att(O_ci[big], O_t[big]))
    fsel = big[U(len(big)) < pf]
    add(O_ci[fsel], O_t[fsel] + rng.uniform(1, 5, len(fsel)), "follow", False)

    def events(mask, k_mean, t_lo, t_hi, base=0):
        """per-customer Poisson(k_mean)+base events, uniform in [t_lo, t_hi)."""
        k = np.where(mask, base + rng.poisson(k_mean, N), 0)
        ci = np.repeat(np.arange(N), k)
        lo_, hi_ = np.maximum(t_lo, a)[ci], np.minimum(t_hi, end)[ci]
        t = lo_ + U(len(ci)) * (hi_ - lo_)
        ok = hi_ > lo_
        return ci[ok], t[ok]

    # indifference: repeated unanswered requests
    ci1, t1 = events((reason == 0) & tp, 1.6, s_sig + .3 * L, ch)
    ci2, t2 = events(neg, .7, ng_s, ng_e)
    ci3, t3 = events(stay & (U(N) < .03), 0, 0, TEND, base=1)
    ci, t = np.concatenate([ci1, ci2, ci3]), np.concatenate([t1, t2, t3])
    ans = U(len(ci)) < .5
    add(ci, t, "noanswer", True, ans=ans, resp=np.where(ans, np.round(rng.uniform(20, 200, len(ci)), 1), np.nan))
    # competitor: price talk
    ci1, t1 = events((reason == 2) & tp, 1.0, s_sig, ch, base=1)
    ci2, t2 = events(hunter, 1.2, 0, TEND)
    ci3, t3 = events(U(N) < .03, 0, 0, TEND, base=1)
    add(np.concatenate([ci1, ci2, ci3]), np.concatenate([t1, t2, t3]), "price", True)

    # ------------------------------------------------------------ complaints
    cr = np.array([s[6] for s in SEGMENTS])[seg] * .012 * (end - a) / 30.4
    kb = rng.poisson(np.clip(cr, 0, None))
    cb = np.repeat(np.arange(N), kb); tb = a[cb] + U(len(cb)) * (end[cb] - a[cb])
    cats_b = rng.choice(5, len(cb), p=[.35, .15, .1, .3, .1])      # quality service price delivery other
    cq1, tq1 = events((reason == 1) & tp, 1.4, s_sig, ch, base=1)
    cq2, tq2 = events(bad, .8, bl_s, bl_e, base=1)
    cq = np.concatenate([cq1, cq2]); tq = np.concatenate([tq1, tq2])
    cats_q = rng.choice(5, len(cq), p=[.6, .15, 0, .2, .05])
    cp1, tp1 = events((reason == 2) & tp, .9, s_sig, ch)
    cp2, tp2 = events(hunter, .25, 0, TEND)
    cs1, ts1 = events((reason == 0) & tp, .5, s_sig + .5 * L, ch)
    cs2, ts2 = events(neg, .25, ng_s, ng_e)
    K_ci = np.concatenate([cb, cq, cp1, cp2, cs1, cs2]); K_t = np.concatenate([tb, tq, tp1, tp2, ts1, ts2])
    K_cat = np.concatenate([cats_b, cats_q, np.full(len(cp1) + len(cp2), 2), np.full(len(cs1) + len(cs2), 1)])
    noans = np.arange(len(K_ci)) >= len(K_ci) - len(cs1) - len(cs2)
    K_t = np.floor(K_t) + rng.uniform(8, 19.5, len(K_t)) / 24
    okk = K_t < TEND
    K_ci, K_t, K_cat, noans = K_ci[okk], K_t[okk], K_cat[okk], noans[okk]
    slow = qual(K_ci, K_t) > 0
    delay = np.where(slow, rng.lognormal(np.log(10), 1.0, len(K_ci)), rng.lognormal(np.log(2.5), .9, len(K_ci)))
    unres = U(len(K_ci)) < np.where(slow, .35, .05) + .2 * att(K_ci, K_t)
    K_res = K_t + delay
    unres |= K_res >= TEND
    CATS = np.array(["quality", "service", "price", "delivery", "other"], object)
    tcat = np.where(noans & (U(len(K_ci)) < .7), "noanswer", CATS[K_cat])
    K_lang = np.where(U(len(K_ci)) < .8, lang[K_ci], 0)
    K_txt = np.empty(len(K_ci), object)
    for c in np.unique(tcat):
        sel = tcat == c
        K_txt[sel] = texts(c, K_lang[sel], rnd, rng)
    K_num = rng.integers(10000, 99999, len(K_ci))
    K_txt = np.array([s.replace("§", str(n)) for s, n in zip(K_txt, K_num)], object)
    for c in np.unique(tcat):                                    # the complaint arrives as an inbound contact
        sel = np.flatnonzero(tcat == c)
        ans = U(len(sel)) < .93
        add(K_ci[sel], K_t[sel] + 1 / 1440, c, True, langs=K_lang[sel], topic=K_txt[sel], keep_time=True,
            ans=ans, resp=np.where(ans, np.round(rng.lognormal(np.log(3), 1, len(sel)), 1), np.nan))
    rs = np.flatnonzero(~unres & (U(len(K_ci)) < .6))
    add(K_ci[rs], K_res[rs], "resolve", False, keep_time=True)

    # ------------------------------------------------------------ life events
    mcust = np.flatnonzero((mover & tp) | (smove & (U(N) < .7)))
    mt = mv_t[mcust] - rng.uniform(-5, 25, len(mcust))
    add(mcust[abroad[mcust]], mt[abroad[mcust]], "abroad", True)
    dm = mcust[~abroad[mcust]]
    if len(dm):
        lg = np.where(U(len(dm)) < .8, lang[dm], 0)
        tx = texts("move", lg, rnd, rng, city=dest[dm])
        add(dm, mt[~abroad[mcust]], "move", True, langs=lg, topic=tx)
    am = mcust[U(len(mcust)) < .5]
    add(am, mv_t[am] + rng.uniform(0, 20, len(am)), "addr", False)
    dd = np.flatnonzero(died & (U(N) < .45))
    add(dd, ch[dd] + rng.uniform(5, 60, len(dd)), "death", True)
    tt = np.flatnonzero(((reason == 3) & tp) | (stay & (U(N) < .003)))
    add(tt, np.where(churned[tt], ch[tt], rng.uniform(a[tt], TEND)) + rng.uniform(-45, 30, len(tt)), "ties", True)
    for T_, p in ((T1, .6), (T2, .5)):
        sel = np.flatnonzero(np.isfinite(T_) & (U(N) < p))
        add(sel, T_[sel], "newmgr", False)
    wb = np.flatnonzero(churned & ~died & (U(N) < np.where(reason == 0, .2, .4)))
    add(wb, ch[wb] + rng.uniform(20, 120, len(wb)), "winback", False)
    ws = np.flatnonzero(stay & (U(N) < .05))
    add(ws, rng.uniform(a[ws], TEND), "winback", False)

    # ------------------------------------------------------------ surveys
    waves = np.array([(np.datetime64(f"{y}-{m:02d}-10") - np.datetime64("2023-01-01")).astype(int)
                      for y in (2023, 2024, 2025) for m in (3, 7, 11)], float)
    sat = np.clip(rng.normal(8, 1.1, N), 3, 10)
    S_ci, S_t = [], []
    for wv in waves:
        c = np.flatnonzero((a <= wv) & (end > wv) & (U(N) < np.where(loyal, .3, .2)))
        S_ci.append(c); S_t.append(np.floor(wv + rng.uniform(0, 14, len(c))) + rng.uniform(9, 20, len(c)) / 24)
    S_ci, S_t = np.concatenate(S_ci), np.concatenate(S_t)
    ok = S_t < end[S_ci]
    S_ci, S_t = S_ci[ok], S_t[ok]
    score = sat[S_ci] + rng.normal(0, 1.3, len(S_ci)) - 3.3 * qual(S_ci, S_t) - 1.8 * att(S_ci, S_t) - .8 * prog(2, S_ci, S_t)
    score = np.clip(np.round(score), 0, 10)
    ex = np.flatnonzero(churned & (U(N) < np.where(died, .1, np.where(reason == 3, .35, .42))))
    ex_t = np.floor(ch[ex] + rng.uniform(7, 75, len(ex))) + rng.uniform(9, 21, len(ex)) / 24
    ex, ex_t = ex[ex_t < TEND], ex_t[ex_t < TEND]
    conf = np.array([[.58, .12, .20, .06, .04], [.10, .70, .12, .04, .04], [.10, .10, .72, .05, .03],
                     [.12, .05, .18, .60, .05], [.05, .02, .05, .03, .85]])
    ex_r = (U(len(ex))[:, None] > np.cumsum(conf[reason[ex]], 1)).sum(1).clip(0, 4)
    ex_s = np.clip(np.round(rng.normal(np.where(reason[ex] == 4, 7, 4), 2)), 0, 10)

    # ------------------------------------------------------------ write
    cid = np.array([f"C{100001 + i}" for i in range(N)], object)
    mids = np.array([f"MGR-{i + 1:03d}" for i in range(2 * nm0)], object)
    fin_m = np.where(T2 < np.inf, m2, np.where(T1 < np.inf, m1, m0))
    upd = dom & ((smove | tp) | (U(N) < .5))
    cur_reg = np.where(upd, dest, reg)
    fin_m = np.where(upd, mstart[dest] + (U(N) * mcount[dest]).astype(int), fin_m)
    pd.DataFrame({
        "customer_id": cid, "signed_up_at": to_ts(signup), "segment": np.array([s[0] for s in SEGMENTS], object)[seg],
        "region": REG_NAMES[cur_reg], "loyalty_member": loyal,
        "referred_by": pd.array(np.where(referred_by >= 0, cid[np.maximum(referred_by, 0)], None), dtype="string"),
        "manager_id": mids[fin_m],
    }).to_parquet(os.path.join(args.out, "customers.parquet"), index=False)
    pd.DataFrame({"order_id": oid, "customer_id": cid[O_ci], "ordered_at": to_ts(O_t), "amount": O_amt,
                  "discount_amount": O_disc, "returned": O_ret, "region": REG_NAMES[O_reg]}
                 ).to_parquet(os.path.join(args.out, "orders.parquet"), index=False)
    del O_ci, O_t, O_amt, O_disc, O_ret, O_reg, oid, oci, ot, amt

    P_ci = np.concatenate([p[0] for p in parts]); P_t = np.concatenate([p[1] for p in parts])
    P_in = np.concatenate([p[2] for p in parts]); P_ch = np.concatenate([p[3] for p in parts])
    P_top = np.concatenate([p[4] for p in parts])
    P_ans = np.concatenate([p[5] if p[5] is not None else np.zeros(len(p[0]), bool) for p in parts])
    P_resp = np.concatenate([p[6] if p[6] is not None else np.full(len(p[0]), np.nan) for p in parts])
    del parts
    nums = rng.integers(1000, 999999, len(P_t)).astype(str)
    P_top = np.array([s.replace("§", n) if "§" in s else s for s, n in zip(P_top, nums)], object)
    em = (P_ch == "email") & P_in & (U(len(P_t)) < .3)
    P_top[em] = rng.choice(np.array(["Re: ", "RE: ", "Re: Re: ", "Fwd: ", "re: "], object), em.sum(), p=[.5, .2, .1, .15, .05]) + P_top[em]
    srt = np.argsort(P_t, kind="stable")
    pd.DataFrame({"customer_id": cid[P_ci[srt]], "contacted_at": to_ts(P_t[srt]),
                  "direction": np.where(P_in[srt], "inbound", "outbound").astype(object), "channel": P_ch[srt],
                  "topic": P_top[srt], "answered": pd.array(np.where(P_in[srt], P_ans[srt], None), dtype="boolean"),
                  "response_hours": np.where(P_in[srt], P_resp[srt], np.nan)}
                 ).to_parquet(os.path.join(args.out, "contacts.parquet"), index=False)
    n_contacts = len(P_t)
    del P_ci, P_t, P_in, P_ch, P_top, P_ans, P_resp

    res_ts = pd.Series(to_ts(np.where(unres, 0, K_res))).where(~unres)
    srt = np.argsort(K_t, kind="stable")
    pd.DataFrame({"complaint_id": np.array([f"РК-{k}" for k in K_num], object)[srt], "customer_id": cid[K_ci[srt]],
                  "opened_at": to_ts(K_t[srt]), "category": CATS[K_cat[srt]], "resolved_at": res_ts.iloc[srt].array,
                  "description": K_txt[srt]}).to_parquet(os.path.join(args.out, "complaints.parquet"), index=False)
    sv = pd.DataFrame({"customer_id": cid[np.concatenate([S_ci, ex])], "answered_at": to_ts(np.concatenate([S_t, ex_t])),
                       "kind": np.array(["pulse"] * len(S_ci) + ["exit"] * len(ex), object),
                       "score": np.concatenate([score, ex_s]),
                       "reason": np.concatenate([np.full(len(S_ci), None, object), np.array(REASONS, object)[ex_r]])})
    sv.sort_values("answered_at", kind="stable").to_parquet(os.path.join(args.out, "surveys.parquet"), index=False)
    tr = np.flatnonzero(churned)
    pd.DataFrame({"customer_id": cid[tr], "churned_at": [x.isoformat() for x in to_ts(ch[tr])],
                  "true_reason": np.array(REASONS, object)[reason[tr]]}).to_csv(os.path.join(args.out, "truth.csv"), index=False)
    print(f"customers={N} orders={len(seq)} contacts={n_contacts} complaints={len(K_ci)} surveys={len(sv)} "
          f"churners={len(tr)} ({len(tr) / N:.1%}) in {time.time() - t_start:.1f}s")


if __name__ == "__main__":
    main()
