#!/usr/bin/env python3
"""Synthetic CRM of "ТехноДім", a Ukrainian online shop of household appliances and electronics.

Design note
-----------
The business. A web shop with its warehouse and pick-up point in Kharkiv; orders go out by Nova
Poshta (a TTN number per parcel) to every oblast. ~92% of buyers are private persons, ~8% are
sole proprietors / small firms (ФОП, offices, cafés, rental flats) who order more often, need
invoices and have a B2B manager (`manager_id`). Private customers have no personal manager: they
deal with the support chat, the call centre, SMS/Viber and e-mail. There is a bonus (loyalty)
programme. Regions are oblasts written in Ukrainian ("Харківська область", "м. Київ").
History: 2023-01-01 .. 2025-12-31, timestamps in Kyiv time with their UTC offset. A third of the
base signed up before 2023; the rest join over the three years (the shop grows).

Tables (Parquet, one file per contract table): customers, orders (returns flagged on the order,
plus extra columns delivery/ttn), contacts (both directions, free-text `topic` written by customers
in chat/e-mail subjects or by agents as call notes, in Ukrainian or Russian, with typos, inflected
forms, skipped apostrophes/ї/є, Latin letters, order and TTN numbers, "Re:"/"Відп:" prefixes),
complaints (contract category + a free `text`), surveys (post-delivery pulse 0-10, and an
"exit" survey sent to customers who went quiet, with a reason code).

Every customer gets latent "episodes" that drive what the CRM records; a churner's true reason
switches on the matching episode before `churned_at`, but the same episodes also happen to
stayers, and 15% of churners show no trace at all:
- indifference (67%): a *neglect* episode: post-purchase follow-up calls stop, bonus reminders and
  personal offers thin out, inbound chats/e-mails go unanswered or are answered after many hours
  (people chase: "Re: досі немає відповіді"), B2B clients sit with overloaded managers
  (MGR-07/MGR-12). 30% of customers have a neglect spell anyway; the call centre is also slow for
  everybody around Black Friday.
- product_quality (15%): a *quality* episode: returns, warranty/defect contacts, quality and
  service complaints that stay open or drag on, low pulse scores. Baseline returns (~2.5%) and
  Nova Poshta damage complaints hit everybody; 9% of customers have a bad-luck quality spell.
- competitor (9%): a *price* episode: price complaints, "в Розетці дешевше" style mentions,
  promo-code and discount hunting (more orders with discount_amount), shrinking baskets. 12% of
  customers hunt discounts for a while without leaving.
- personal_ties (5%): weak only: about half were referred by a customer who left shortly before;
  rarely a note like "кум працює в Фокстроті". Referred stayers also have departed referrers.
- moved_or_died (4%): 70% moved (often abroad): last orders go to a new oblast, the profile
  region changes (not always), "зміна адреси"/"виїжджаємо за кордон" contacts; 30% died: orders
  stop, sometimes a relative calls. 5% of other customers move inside Ukraine and keep buying.
All churners slow down before leaving (a symptom, not a reason); stayers have slow spells too.
Exit survey: ~30% of churners answer 7-75 days after leaving, reason not always the true one;
a few stayers who went quiet answer it too and later come back.
"""
import argparse
import random
import time
from pathlib import Path

import numpy as np
import pandas as pd

START = pd.Timestamp("2023-01-01")
NDAYS = 1096            # local days 2023-01-01 .. 2025-12-31
LAST_CHURN = 1093       # 2025-12-29
REASONS = ["indifference", "product_quality", "competitor", "personal_ties", "moved_or_died"]
SHARES = [0.67, 0.15, 0.09, 0.05, 0.04]
# exit-survey answer given the true reason (rows) -> stated reason (columns)
EXIT_CONF = np.array([[.55, .12, .23, .04, .06], [.15, .65, .15, .02, .03], [.22, .10, .63, .03, .02],
                      [.22, .05, .25, .43, .05], [.05, .02, .03, .02, .88]])

# oblast, share of customers, share of Russian-writing customers, locative (UA), accusative (RU),
# weight as a destination of a move
REGIONS = [
    ("Харківська область", 24, .45, "у Харкові", "в Харьков", 1), ("м. Київ", 14, .20, "в Києві", "в Киев", 9),
    ("Київська область", 7, .15, "під Києвом", "под Киев", 5), ("Дніпропетровська область", 9, .40, "в Дніпрі", "в Днепр", 3),
    ("Полтавська область", 6, .20, "в Полтаві", "в Полтаву", 2), ("Львівська область", 5, .05, "у Львові", "во Львов", 9),
    ("Одеська область", 5, .45, "в Одесі", "в Одессу", 2), ("Запорізька область", 4, .40, "в Запоріжжі", "в Запорожье", 1),
    ("Сумська область", 4, .20, "в Сумах", "в Сумы", 1), ("Вінницька область", 3, .08, "у Вінниці", "в Винницу", 3),
    ("Черкаська область", 2.5, .08, "в Черкасах", "в Черкассы", 2), ("Чернігівська область", 2, .12, "в Чернігові", "в Чернигов", 1),
    ("Житомирська область", 2, .08, "в Житомирі", "в Житомир", 2), ("Хмельницька область", 2, .05, "в Хмельницькому", "в Хмельницкий", 2),
    ("Кіровоградська область", 2, .15, "в Кропивницькому", "в Кропивницкий", 1), ("Миколаївська область", 2, .35, "в Миколаєві", "в Николаев", 1),
    ("Івано-Франківська область", 1.5, .03, "в Івано-Франківську", "в Ивано-Франковск", 5), ("Тернопільська область", 1.5, .03, "в Тернополі", "в Тернополь", 3),
    ("Рівненська область", 1.5, .04, "в Рівному", "в Ровно", 3), ("Волинська область", 1.5, .03, "в Луцьку", "в Луцк", 3),
    ("Закарпатська область", 1, .05, "в Ужгороді", "в Ужгород", 4), ("Чернівецька область", 1, .05, "в Чернівцях", "в Черновцы", 3),
    ("Херсонська область", 1, .30, "в Херсоні", "в Херсон", .3), ("Донецька область", 1, .55, "в Краматорську", "в Краматорск", .2),
]
ABROAD = "За кордоном"
REG_NAMES = [r[0] for r in REGIONS] + [ABROAD]
REG_W = np.array([r[1] for r in REGIONS], float); REG_W /= REG_W.sum()
REG_RU = np.array([r[2] for r in REGIONS] + [.1])
MOVE_W = np.array([r[5] for r in REGIONS], float); MOVE_W /= MOVE_W.sum()
ABROAD_UA = ["за кордон", "в Польщу", "до Німеччини", "в Чехію", "до Австрії", "в Ірландію"]
ABROAD_RU = ["за границу", "в Польшу", "в Германию", "в Чехию", "в Австрию", "в Ирландию"]

PROD_UA = [("пральна машина", "пральну машину", "пральної машини"), ("холодильник", "холодильник", "холодильника"),
           ("пилосос", "пилосос", "пилососа"), ("мікрохвильовка", "мікрохвильовку", "мікрохвильовки"),
           ("телевізор", "телевізор", "телевізора"), ("бойлер", "бойлер", "бойлера"), ("кавоварка", "кавоварку", "кавоварки"),
           ("посудомийка", "посудомийку", "посудомийки"), ("електрочайник", "електрочайник", "електрочайника"),
           ("мультиварка", "мультиварку", "мультиварки"), ("кондиціонер", "кондиціонер", "кондиціонера"),
           ("павербанк", "павербанк", "павербанка"), ("зарядна станція", "зарядну станцію", "зарядної станції"),
           ("ноутбук", "ноутбук", "ноутбука"), ("смартфон", "смартфон", "смартфона"), ("блендер", "блендер", "блендера"),
           ("праска", "праску", "праски"), ("духова шафа", "духову шафу", "духової шафи"),
           ("робот-пилосос", "робот-пилосос", "робота-пилососа"), ("генератор", "генератор", "генератора"), ("фен", "фен", "фена")]
PROD_RU = [("стиральная машина", "стиральную машину", "стиральной машины"), ("холодильник", "холодильник", "холодильника"),
           ("пылесос", "пылесос", "пылесоса"), ("микроволновка", "микроволновку", "микроволновки"),
           ("телевизор", "телевизор", "телевизора"), ("бойлер", "бойлер", "бойлера"), ("кофеварка", "кофеварку", "кофеварки"),
           ("посудомойка", "посудомойку", "посудомойки"), ("электрочайник", "электрочайник", "электрочайника"),
           ("зарядная станция", "зарядную станцию", "зарядной станции"), ("ноутбук", "ноутбук", "ноутбука"),
           ("утюг", "утюг", "утюга"), ("генератор", "генератор", "генератора"), ("робот-пылесос", "робот-пылесос", "робота-пылесоса"),
           ("кондиционер", "кондиционер", "кондиционера"), ("смартфон", "смартфон", "смартфона")]
BRANDS = ["Samsung", "Bosch", "LG", "Xiaomi", "Philips", "Tefal", "Gorenje", "Electrolux", "Beko", "EcoFlow", "Bluetti",
          "Whirlpool", "Indesit", "Sony", "Rowenta", "De'Longhi", "Dyson", "Apple", "самсунг", "бош", "сяомі"]
COMP_UA = ["в Розетці", "на Розетці", "у Rozetka", "на rozetka", "в Комфі", "у Comfy", "в Фокстроті", "у Foxtrot", "в Алло",
           "в Епіцентрі", "в Eldorado", "у Цитрусі", "на Prom", "на пром.юа", "на OLX", "в Moyo", "у Brain"]
COMP_RU = ["в Розетке", "на розетке", "в Rozetka", "в Комфи", "в Comfy", "в Фокстроте", "в Алло", "в Эпицентре",
           "в Цитрусе", "на Проме", "на OLX", "в Эльдорадо"]
SHOP_UA = ["в Розетці", "в Комфі", "у Comfy", "в Фокстроті", "у Фокстроті", "в Алло", "в Епіцентрі", "в Eldorado", "у Цитрусі", "в Moyo"]
SHOP_RU = ["в Розетке", "в Комфи", "в Фокстроте", "в Алло", "в Эпицентре", "в Цитрусе", "в Эльдорадо"]
COMP_N = ["Rozetka", "Розетка", "Comfy", "Фокстрот", "Алло", "Епіцентр", "Цитрус", "розетки"]

T = {  # kind -> (Ukrainian variants, Russian variants)
    "status": (["Де моє замовлення №{n}?", "статус замовлення {n}", "Коли відправите замовлення {n}", "замовлення №{n} досі не відправлено",
                "ТТН {ttn} не відстежується", "не прийшла смс з номером ТТН", "Re: Ваше замовлення №{n} прийнято", "коли буде доставка {pg}",
                "Кл. питає статус зам. {n}, надано ТТН", "Клієнтка уточнює термін доставки по замовленню {n}", "замовлення {n} вже тиждень в обробці",
                "підкажіть будь ласка номер накладної по замовленню {n}", "чи можна забрати {pa} самовивозом з Харкова?",
                "змінити відділення НП у замовленні #{n}", "оплатив замовлення {n}, а статус не змінився", "ттн {ttn} - посилка стоїть на сортуванні",
                "зам {n} коли?", "Уточнення по доставці, ТТН {ttn}"],
               ["Где мой заказ {n}?", "статус заказа №{n}", "когда отправите заказ {n}", "не пришла смс с ттн", "заказ {n} до сих пор не отправлен",
                "ттн {ttn} не отслеживается", "когда будет доставка {pg}?", "Re: Ваш заказ №{n} принят", "можно забрать самовывозом в Харькове?",
                "поменять отделение новой почты в заказе {n}", "оплатила заказ {n}, статус не поменялся", "заказ {n} когда будет???"]),
    "deliv": (["посилка пошкоджена, коробка прим'ята", "пошкодження при доставці: {pn}", "Нова пошта загубила посилку {ttn}",
               "доставка затримується вже {d} днів", "прийшов не той товар у замовленні {n}", "в посилці не вистачає комплектуючих",
               "кур'єр не привіз замовлення {n}", "акт про пошкодження на НП, що далі?", "посилка {ttn} повернулась відправнику, чому?",
               "розбитий екран після доставки", "некомплект у замовленні №{n}", "Кл.: вм'ятина на корпусі {pg} після НП"],
              ["посылка пришла поврежденная", "новая почта потеряла посылку {ttn}", "доставка задерживается уже {d} дней",
               "привезли не тот товар, заказ {n}", "разбит экран после доставки", "курьер не приехал", "в коробке не хватает комплектующих",
               "вмятина на {pn} после доставки"]),
    "prodq": (["чи є в наявності {pn} {b}?", "підкажіть по характеристиках {pg} {b}", "коли з'явиться {pn} {b}", "допоможіть обрати {pa}",
               "яка гарантія на {pa} {b}?", "чи є розстрочка на {pa}?", "оплата частинами ПриватБанк на {pa}", "чи можна оплатити при отриманні",
               "порівняти дві моделі {pg}", "консультація щодо {pg}", "чи офіційна гарантія на {b}?", "Кл. консультація по {pg} {b}",
               "чи є доставка з підйомом на поверх?", "а {pn} {b} є в чорному кольорі?"],
              ["есть ли в наличии {pn} {b}?", "подскажите по характеристикам {pg}", "когда будет {pn} {b}", "помогите выбрать {pa}",
               "какая гарантия на {pa}?", "есть ли рассрочка на {pa}", "оплата частями монобанк", "можно оплатить при получении?"]),
    "warr": (["{pn} {b} не працює", "брак {pg}, що робити?", "{pn} не вмикається після {d} днів використання",
              "гарантійний ремонт {pg} вже {d} днів", "коли повернуть {pa} з сервісного центру?", "сервісний центр відмовив у гарантії",
              "шумить {pn} {b}", "знову поломка {pg}", "Кл. скаржиться на якість {pg} {b}", "це вже другий брак поспіль!",
              "{pn} гріється і пахне пластиком", "гарантія на {pa} - куди звертатись?", "тріщина на корпусі {pg}",
              "неякісний товар, замовлення {n}", "{pn} {b} зламався через місяць", "Re: гарантійний випадок {t}", "дефект {pg} з коробки"],
             ["{pn} {b} не работает", "брак {pg}, что делать?", "гарантийный ремонт уже {d} дней", "сервис отказал в гарантии",
              "опять поломка {pg}", "шумит {pn}", "уже второй брак подряд!", "некачественный товар, заказ {n}", "{pn} не включается",
              "когда вернут {pa} из ремонта?", "сломался {pn} через месяц"]),
    "return": (["повернення товару по замовленню {n}", "хочу повернути {pa}", "обмін {pg} на іншу модель", "повернення коштів за {pa} - коли?",
                "гроші за повернення досі не прийшли", "заява на повернення, зам. {n}", "не підійшла модель, як повернути {pa}?",
                "14 днів на повернення - ще встигаю?", "Кл. оформлює повернення {pg}, ТТН {ttn}", "повернення {n}"],
               ["возврат товара по заказу {n}", "хочу вернуть {pa}", "обмен {pg}", "когда вернут деньги за {pa}?",
                "деньги за возврат так и не пришли", "не подошла модель, как вернуть?"]),
    "price": (["чому зросла ціна на {pa}?", "промокод не працює", "чи можна знижку на {pa}?", "є купон на знижку, не застосовується",
               "знижка для постійного клієнта?", "ціна змінилась після оформлення замовлення {n}", "коли буде розпродаж / black friday?",
               "дорога доставка, можна безкоштовно?", "чи буде знижка якщо візьму 2 шт", "ціна на сайті і в кошику різна",
               "Кл. просить знижку на {pa}", "чекаю знижку на {pa} {b}, повідомте"],
              ["почему выросла цена на {pa}?", "промокод не работает", "можно скидку на {pa}?", "скидка постоянному клиенту?",
               "цена поменялась после оформления", "когда будет распродажа?", "цена на сайте и в корзине разная", "дайте скидку плиз"]),
    "comp": (["{cl} дешевше на {sum}", "знайшов {pa} {cl} дешевше - зробите таку ж ціну?", "{cl} дають кешбек, а у вас?",
              "{cl} розстрочка 0% на 10 міс, а у вас?", "чому {cl} {pn} коштує менше?", "price match з {cn}?",
              "{cl} безкоштовна доставка, у вас ні", "Кл. каже що {cl} дешевше, просить знижку", "{cl} є trade-in старої техніки, а у вас?",
              "скиньте ціну, бо візьму {cl}", "{pn} {b} {cl} на {sum} дешевше!!", "порівняв ціни - {cl} вигідніше"],
             ["{cl} дешевле на {sum}", "нашел {pa} дешевле {cl}, сделаете такую цену?", "{cl} дают кэшбек", "{cl} рассрочка 0%",
              "почему {cl} дешевле?", "сбросьте цену, а то возьму {cl}", "{cl} бесплатная доставка", "у конкурентов дешевле"]),
    "bonus": (["скільки бонусів на рахунку?", "не нарахувались бонуси за замовлення {n}", "бонуси згоріли, чому?", "як використати бонуси?",
               "картка постійного клієнта не працює", "хочу приєднатися до програми лояльності", "бонуси за відгук не прийшли"],
              ["сколько бонусов на счету?", "не начислились бонусы за заказ {n}", "сгорели бонусы, почему?", "как потратить бонусы?",
               "не работает карта постоянного клиента"]),
    "docs": (["рахунок на оплату для ФОП", "видаткова накладна по замовленню {n}", "потрібен рахунок з ПДВ", "акт звірки за квартал",
              "оплата по безготівці, реквізити", "оптова ціна на {pa} (5 шт)", "договір поставки - коли підпишете?",
              "не прийшли документи до замовлення {n}", "ТТН {ttn} - де оригінали накладних?", "Re: рахунок №{n}"],
             ["счет на оплату для ФОП", "расходная накладная по заказу {n}", "нужен счет с НДС", "акт сверки", "оптовая цена на {pa}",
              "не пришли документы к заказу {n}"]),
    "move": (["зміна адреси доставки, тепер живу {loc}", "Переїхали, тепер ми {loc} - як змінити відділення НП?", "змінити адресу в профілі",
              "нове відділення нової пошти, я тепер {loc}", "прошу оновити адресу, живемо {loc}", "Кл. переїхав(ла) {loc}, оновити дані",
              "доставка тепер {loc}, змініть будь ласка"],
             ["переехали {loc}, поменяйте адрес", "смена адреса доставки", "мы теперь живем в другом городе", "новый адрес, мы переехали {loc}"]),
    "abroad": (["виїжджаємо {ab}, закрийте акаунт", "чи доставляєте {ab}?", "Nova Poshta Global - можна відправити {ab}?",
                "переїжджаю {ab}, бонуси згорять?", "видаліть мої дані, я виїхав(ла) з України", "Кл. виїхала {ab}, просить відписати від розсилок"],
               ["уезжаем {ab}, что с бонусами?", "доставка {ab} есть?", "удалите аккаунт, мы уехали {ab}"]),
    "death": (["Кл. помер, дзвонила донька - прохання видалити акаунт", "власник картки помер, як закрити?", "прошу закрити акаунт батька (помер)",
               "дзвонив син клієнтки, вона померла, відписати від розсилок"],
              ["умер отец, закройте его аккаунт", "владелец карты умер, удалите номер"]),
    "ties": (["донька пішла працювати {sh}, тепер брати будемо там", "кум працює {sh}, мені там роблять знижку", "брат відкрив свій магазин техніки",
              "дружина працює {sh}, відпишіть мене", "друг влаштувався {sh}", "Кл.: син тепер працює {sh}, купуватимуть через нього"],
             ["сестра работает {sh}, буду брать у них", "друг устроился {sh}", "сын открыл свой магазин техники"]),
    "chase": (["Re: досі немає відповіді", "третій раз пишу!!!", "ніхто не передзвонив", "чекаю відповіді вже {d} дні",
               "Re: Re: звернення {t} - де відповідь?", "обіцяли передзвонити і тиша", "чат не відповідає", "Кл. скаржиться що не можуть додзвонитись",
               "чому ігноруєте мої повідомлення?", "Повторно: питання по замовленню {n}", "алло, є хтось?"],
              ["Re: до сих пор нет ответа", "третий раз пишу", "никто не перезвонил", "жду ответа уже {d} дня", "обещали перезвонить и тишина",
               "почему игнорируете?", "повторно: вопрос по заказу {n}"]),
    "serv": (["грубо відповіли в кол-центрі", "оператор кинув трубку", "неправильна консультація, купив не те", "довго чекав на лінії 40 хв",
              "менеджер не відповідає на листи", "обіцяли передзвонити - ніхто", "скарга на роботу підтримки, звернення {t}"],
             ["грубо ответили в колл-центре", "оператор бросил трубку", "долго ждал на линии", "никто не отвечает в чате"]),
    "other": (["відписатися від розсилки", "змінити номер телефону в акаунті", "не можу увійти в особистий кабінет", "забув пароль",
               "видаліть мій номер з розсилки смс", "подяка менеджеру чату", "чи працюєте під час відключень світла?", "як вас знайти у Харкові"],
              ["отписаться от рассылки", "не могу войти в кабинет", "забыл пароль", "спасибо за быструю доставку", "как к вам проехать"]),
    # outbound, written by staff / the CRM
    "o_follow": (["Дзвінок після покупки: чи все влаштовує, зам. {n}", "follow-up замовлення {n}", "Опитування після доставки {pg}",
                  "Кл. задоволений покупкою, зам. {n}",
                  "Перевірка після доставки - претензій немає", "дзвінок: чи вдалося встановити {pa}", "Дзвінок: як вам покупка?", "Недодзвон, повторити завтра (зам. {n})",
                  "пропозиція встановлення/підключення {pg}"], ["Звонок после покупки, заказ {n}", "Клиент доволен, заказ {n}"]),
    "o_fsms": (["смс: оцініть доставку замовлення {n}", "Як вам {pn}? запит відгуку", "Оцініть замовлення {n} - отримайте 50 бонусів",
                "Опитування після доставки {pg}", "Viber: залиште відгук про {pa}", "Ваш відгук про замовлення №{n}"], ["Оцените заказ {n}"]),
    "o_bonus": (["Нагадування: бонуси згорають через 7 днів", "нагадування про бонуси", "На вашому рахунку {sum} бонусів",
                 "Подвійні бонуси на вихідних"], ["Напоминание о бонусах"]),
    "o_offer": (["Персональна пропозиція: -10% на {pa}", "Акція для постійних клієнтів", "Black Friday - персональний промокод",
                 "розпродаж {pg} {b}", "знижка на аксесуари до {pg}", "Запрошення в закритий клуб клієнтів", "trade-in: знижка на {pa} при здачі старої техніки"],
                ["Персональное предложение -10%"]),
    "o_bday": (["Вітання з днем народження + промокод", "З Днем народження! Подарунок - 300 бонусів"], ["С днем рождения! промокод"]),
    "o_service": (["нагадування: час замінити фільтр", "пропозиція продовженої гарантії на {pa}", "чистка кондиціонера перед сезоном",
                   "сервісне обслуговування {pg}"], ["продленная гарантия на {pa}"]),
    "o_manager": (["Плановий дзвінок менеджера", "Зустріч: узгодження закупівлі на квартал", "Відправлено прайс для ФОП",
                   "Дзвінок: потреби на наступний місяць", "Щорічний перегляд умов співпраці", "Новий прайс та умови відтермінування",
                   "Менеджер: уточнення по рахунку {n}"], ["Встреча: закупка на квартал", "Звонок менеджера"]),
    "o_react": (["Давно не бачились - знижка 7% на наступне замовлення", "Реактивація: дзвінок неактивному клієнту",
                 "Чому ви перестали замовляти? коротке опитування", "Сумуємо за вами - подарунок 200 бонусів", "Недодзвон (реактивація)"],
                ["Давно не виделись - скидка 7%"]),
    "o_compl": (["Відповідь по зверненню {t}", "Рішення по гарантії: ремонт/заміна {pg}", "Повідомили клієнта про результат діагностики",
                 "Вибачення за затримку + компенсація бонусами", "Повернення коштів оформлено, зам. {n}", "Звернення {t} закрито"],
                ["Ответ по обращению {t}"]),
}
KINDS = list(T)
K = {k: i for i, k in enumerate(KINDS)}
APOS = ["'", "'", "’", "ʼ", "", "", "`"]
HOMO = {"о": "o", "а": "a", "е": "e", "с": "c", "р": "p", "х": "x", "і": "i", "О": "O", "А": "A", "С": "C", "Е": "E"}
PREFIX = ["Re: ", "RE: ", "Re: Re: ", "Fwd: ", "Відп: ", "FW: ", "Ответ: ", "Re[2]: "]
ENDS = ["!!", "??", "!!!", ")", "))", "...", " ?", "("]


class Ctx(dict):
    """Lazy placeholder filler for str.format_map."""
    def __init__(self, R, ru, n, ttn, loc):
        super().__init__(); self.R, self.ru, self.n, self.ttn, self.loc = R, ru, n, ttn, loc

    def __missing__(self, k):
        R = self.R
        if k in ("pn", "pa", "pg"):
            p = R.choice(PROD_RU if self.ru else PROD_UA); self.update(pn=p[0], pa=p[1], pg=p[2]); return self[k]
        if k == "n":
            v = str(self.n) if self.n > 0 else str(R.randint(1230000, 2200000))
        elif k == "ttn":
            v = self.ttn or str(R.choice([2045, 2040, 5900])) + "%010d" % R.randrange(10 ** 10)
            if R.random() < 0.2: v = " ".join([v[:4], v[4:8], v[8:12], v[12:]])
        elif k == "b": v = R.choice(BRANDS)
        elif k == "cl": v = R.choice(COMP_RU if self.ru else COMP_UA)
        elif k == "cn": v = R.choice(COMP_N)
        elif k == "sh": v = R.choice(SHOP_RU if self.ru else SHOP_UA)
        elif k == "d": v = str(R.randint(2, 21))
        elif k == "t": v = R.choice(["№", "#", "", "N "]) + str(R.randint(100000, 999999))
        elif k == "sum": v = R.choice(["{} грн", "{}грн", "{} гривень", "{} uah"]).format(R.randint(2, 40) * 100)
        elif k == "loc": v = REGIONS[self.loc][4 if self.ru else 3] if self.loc < len(REGIONS) else R.choice(ABROAD_RU if self.ru else ABROAD_UA)
        elif k == "ab": v = R.choice(ABROAD_RU if self.ru else ABROAD_UA)
        else: v = ""
        self[k] = v; return v


def typo(s, R):
    idx = [i for i in range(1, len(s) - 1) if s[i].isalpha() and s[i - 1].isalpha()]
    if not idx: return s
    i = R.choice(idx); op = R.random()
    if op < 0.35: return s[:i] + s[i + 1] + s[i] + s[i + 2:] if s[i + 1].isalpha() else s[:i] + s[i + 1:]
    if op < 0.7: return s[:i] + s[i + 1:]
    return s[:i] + s[i] + s[i:]


def mess(s, R, ru, staff):
    """Make a clean template look like what people actually type."""
    r = R.random
    if "'" in s: s = s.replace("'", R.choice(APOS))
    if not ru:
        x = r()
        if x < (0.06 if staff else 0.14): s = s.replace("ї", "і").replace("є", "е").replace("ґ", "г")
        elif x < (0.07 if staff else 0.19): s = s.replace("і", "i").replace("І", "I")
    if r() < (0.02 if staff else 0.06):
        cand = [i for i, ch in enumerate(s) if ch in HOMO]
        if cand: i = R.choice(cand); s = s[:i] + HOMO[s[i]] + s[i + 1:]
    if r() < (0.07 if staff else 0.2): s = typo(s, R)
    if not staff:
        x = r()
        if x < 0.33: s = s.lower()
        elif x < 0.36: s = s.upper()
        elif x < 0.45: s = s[:1].lower() + s[1:]
        x = r()
        if x < 0.14: s = s + R.choice(ENDS)
        elif x < 0.22: s = s.rstrip(".!?")
        if r() < 0.04: s = s.replace(" ", "  ", 1)
    if r() < (0.03 if staff else 0.07): s = R.choice(["[#{}] ", "Звернення {}: ", "Тікет {} "]).format(R.randint(100000, 999999)) + s
    return s


def texts(kinds, ru, chans, ordno, ttns, locs, staff, R):
    out = []
    for k, u, ch, n, tt, lc, st in zip(kinds, ru, chans, ordno, ttns, locs, staff):
        pool = T[KINDS[k]][1 if u else 0]
        s = R.choice(pool)
        if not st and s.startswith("Кл"): s = R.choice(pool)   # agents' call-note style, mostly in calls
        s = s.format_map(Ctx(R, u, n, tt, lc))
        s = mess(s, R, u, st)
        if ch == "email" and not st and R.random() < 0.3: s = R.choice(PREFIX) + s
        elif ch == "call" and s[:3].lower() == "re:": s = s[3:].lstrip()
        out.append(s)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True); ap.add_argument("--customers", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t_start = time.time()
    rng = np.random.default_rng(args.seed); R = random.Random(args.seed)
    N = args.customers; out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    ar = np.arange(N)

    # ---- calendar: seasonality of sales and call-centre load ---------------------------------
    dates = pd.date_range(START, periods=NDAYS, freq="D")
    mon = dates.month.to_numpy()
    season = np.array([.8, .75, .85, .85, .9, 1.05, 1.1, .95, .95, 1.0, 1.35, 1.3])[mon - 1]
    season[(mon == 11) & (dates.day.to_numpy() >= 22)] *= 1.8        # Black Friday week
    season[(dates >= "2023-10-15") & (dates < "2024-02-01")] *= 1.15  # blackout season: generators, power banks
    season /= season.mean(); SMAX = season.max()
    load = np.where(mon == 11, 1.8, np.where(mon == 12, 1.4, 1.0))
    load[(dates >= "2024-06-01") & (dates < "2024-09-01")] *= 1.3      # summer outages hit the call centre

    def hours(profile, n):
        p = HP[profile]; return (rng.choice(24, n, p=p) + np.floor(rng.random(n) * 60) / 60) / 24
    hp_ord = np.array([1, .6, .3, .2, .2, .3, .8, 1.5, 2.5, 3.5, 4.5, 5, 5, 4.8, 4.6, 4.5, 4.5, 4.8, 5.2, 6, 6.5, 6, 4, 2])
    hp_work = np.array([0] * 9 + [3, 4, 4, 3, 3, 4, 4, 3, 3, 2, 1] + [0] * 4, float)
    hp_chat = np.array([.2] * 8 + [2, 3, 4, 4, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 4, 4.5, 4, 3] + [.5, .3])
    HP = {k: v / v.sum() for k, v in dict(ord=hp_ord, work=hp_work, chat=hp_chat, any=hp_ord + 1).items()}

    # ---- customers ------------------------------------------------------------------------------
    biz = rng.random(N) < 0.08
    reg = rng.choice(len(REGIONS), N, p=REG_W)
    ru = rng.random(N) < REG_RU[reg]
    old = rng.random(N) < 0.33
    su = np.where(old, rng.uniform(-1461, -1, N), 1090 * np.sqrt(rng.random(N)))
    lam = np.where(biz, rng.lognormal(np.log(9), 0.5, N), rng.lognormal(np.log(2.8), 0.55, N))   # orders / year
    aov = np.where(biz, rng.lognormal(np.log(14000), 0.6, N), rng.lognormal(np.log(3800), 0.6, N))  # UAH
    a = np.where(old, np.floor(rng.uniform(0, np.minimum(365 / lam, 330))),
                 np.floor(su) + np.where(rng.random(N) < 0.8, 0, rng.integers(1, 30, N)))
    a = np.minimum(a, NDAYS - 1)
    su = np.minimum(su, a + 0.4)
    loyal = rng.random(N) < np.where(biz | old, 0.55, 0.38)
    mood = rng.normal(8.5, 0.9, N)   # how generous a customer's scores are

    # ---- who churns, when and why ---------------------------------------------------------------
    h = 0.25 * np.where(loyal, 0.7, 1.0) * np.where(biz, 0.75, 1.0) * np.where(old, 0.8, 1.15) * rng.lognormal(0, 0.4, N)
    c = a + 14 + np.floor(rng.exponential(365 / h))
    churn = c <= LAST_CHURN
    c = np.where(churn, c, np.inf)
    reason = np.full(N, -1); ic = np.flatnonzero(churn); reason[ic] = rng.choice(5, len(ic), p=SHARES)
    span_end = np.where(churn, c, NDAYS)

    # episodes: 0 neglect, 1 quality trouble, 2 price hunting, 3 slow buying
    ep_st = np.full((4, N), np.inf); ep_en = np.full((4, N), -np.inf); ep_s = np.zeros((4, N))
    for k, (p, dlo, dhi, b1, b2) in enumerate([(.30, 60, 360, 2, 2.5), (.09, 30, 200, 2, 2.5), (.12, 60, 400, 2, 2), (.20, 60, 240, 2, 2)]):
        m = rng.random(N) < p
        st = a + rng.random(N) * np.maximum(1, span_end - a)
        ep_st[k, m] = st[m]; ep_en[k, m] = st[m] + rng.uniform(dlo, dhi, N)[m]; ep_s[k, m] = rng.beta(b1, b2, N)[m]
    w = rng.uniform(45, 270, N); s_true = np.where(rng.random(N) < 0.15, 0.0, rng.beta(2.5, 1.5, N))
    for k in (0, 1, 2):
        m = reason == k
        ep_st[k, m] = np.maximum(a, c - w)[m]; ep_en[k, m] = (c + 90)[m]; ep_s[k, m] = s_true[m]
    ep_st[3, ic] = np.maximum(a, c - rng.uniform(30, 200, N))[ic]; ep_en[3, ic] = c[ic]; ep_s[3, ic] = rng.uniform(0, 0.8, len(ic))

    def ep(k, ci, t):
        return ep_s[k, ci] * ((t >= ep_st[k, ci]) & (t < ep_en[k, ci]))

    # moves: churners who moved away or died; other customers who moved and keep buying
    mv_day = np.full(N, np.inf); new_reg = reg.copy()
    mc = reason == 4; died = mc & (rng.random(N) < 0.3); moved = mc & ~died; abroad = moved & (rng.random(N) < 0.45)
    m_noise = (reason != 4) & (rng.random(N) < 0.05)
    mv_day[m_noise] = (a + rng.random(N) * (span_end - a))[m_noise]
    mv_day[moved] = np.maximum(a + 1, c - rng.uniform(15, 150, N))[moved]
    dest = rng.choice(len(REGIONS), N, p=MOVE_W); dest = np.where(dest == reg, (dest + 5) % len(REGIONS), dest)
    new_reg[m_noise | moved] = dest[m_noise | moved]
    cur_reg = np.where(np.isfinite(mv_day) & (rng.random(N) < 0.85), new_reg, reg)
    cur_reg[abroad] = np.where(rng.random(abroad.sum()) < 0.5, len(REGIONS), reg[abroad])

    # referrals; personal_ties churners mostly follow a referrer who left shortly before
    order_su = np.argsort(su); pos = np.empty(N, int); pos[order_su] = ar
    ref = np.full(N, -1); ii = np.flatnonzero((rng.random(N) < 0.13) & (pos > 0))
    ref[ii] = order_su[(rng.random(len(ii)) * pos[ii]).astype(int)]
    ch_sorted = ic[np.argsort(c[ic])]; cs = c[ch_sorted]
    for i in np.flatnonzero(reason == 3):
        if R.random() < 0.45: continue
        lo, hi = np.searchsorted(cs, [c[i] - 400, c[i] - 10])
        for _ in range(30 if hi > lo else 0):
            j = ch_sorted[R.randrange(lo, hi)]
            if su[j] < su[i] and j != i: ref[i] = j; break

    # ---- orders -------------------------------------------------------------------------------
    span = np.maximum(span_end - a, 1)
    ci = np.repeat(ar, rng.poisson(lam * SMAX * span / 365))
    t = a[ci] + rng.random(len(ci)) * span[ci]; d = np.floor(t)
    keep = rng.random(len(ci)) < season[d.astype(int)] / SMAX * (1 - ep(3, ci, t))
    ci = np.concatenate([ar, ci[keep]]); d = np.concatenate([a, d[keep]])
    ot = d + hours("ord", len(ci))
    o = np.lexsort((ot, ci)); ci, d, ot = ci[o], d[o], ot[o]
    no = len(ci)
    sP = ep(2, ci, d); sQ = ep(1, ci, d)
    amt = aov[ci] * rng.lognormal(0, 0.85, no) * (1 - 0.45 * sP) * np.where(rng.random(no) < 0.1, 0.15, 1)
    amt = np.minimum(amt, 199999)
    amt = np.where(amt > 300, np.round(amt / 100) * 100 - 1, np.maximum(99, np.round(amt)))
    has_d = rng.random(no) < 0.16 + 0.12 * loyal[ci] + 0.6 * sP
    disc = np.where(has_d, np.round(amt * rng.uniform(0.03, 0.10 + 0.18 * sP)), 0.0)
    ret = rng.random(no) < 0.025 + 0.3 * sQ
    oreg = np.where(d >= mv_day[ci], new_reg[ci], reg[ci])
    gift = rng.random(no) < 0.02; oreg[gift] = rng.choice(len(REGIONS), gift.sum(), p=REG_W)
    pickup = (oreg == 0) & (rng.random(no) < 0.25)
    ttn_i = rng.choice(np.array([20450, 20400, 59000], dtype=np.int64), no) * 10 ** 9 + rng.integers(0, 10 ** 9, no)
    ttn = np.where(pickup, "", ttn_i.astype(str))
    rank = np.empty(no, int); rank[np.argsort(ot, kind="stable")] = np.arange(no)
    ordno = 1230000 + np.cumsum(rng.integers(1, 4, no))[rank]
    okey = ci * 4096.0 + ot   # for "latest order of this customer" look-ups

    def last_order(cc, tt):
        j = np.searchsorted(okey, cc * 4096.0 + tt) - 1
        ok = (j >= 0) & (ci[np.maximum(j, 0)] == cc)
        return np.where(ok, j, -1)

    # ---- complaints -----------------------------------------------------------------------------
    def ep_events(k, mult, hi):
        st = np.maximum(ep_st[k], a); en = np.minimum(ep_en[k], hi); ok = np.isfinite(st) & (en > st)
        n = np.where(ok, rng.poisson(mult * ep_s[k]), 0); cc = np.repeat(ar, n)
        return cc, st[cc] + rng.random(len(cc)) * (en[cc] - st[cc])
    hi_c = np.minimum(span_end + 20, NDAYS)
    base = (rng.random(no) < 0.018) | (ret & (rng.random(no) < 0.45))
    cat_b = np.where(ret[base], 0, rng.choice([3, 1, 0, 4], base.sum(), p=[.45, .25, .2, .1]))  # 0 qual 1 serv 2 price 3 deliv 4 other
    parts = [(ci[base], d[base] + rng.integers(1, 10, base.sum()), cat_b)]
    for k, mult, cats, pc in [(1, 2.2, [0, 1], [.65, .35]), (2, 1.0, [2], [1.0]), (0, 0.6, [1], [1.0])]:
        cc, tt = ep_events(k, mult, hi_c); parts.append((cc, np.floor(tt), rng.choice(cats, len(cc), p=pc)))
    pcc = rng.random(N) < 0.01; parts.append((ar[pcc], np.floor(a + rng.random(N) * (NDAYS - a))[pcc], np.full(pcc.sum(), 2)))
    q_ci = np.concatenate([p[0] for p in parts]); q_d = np.concatenate([p[1] for p in parts]); q_cat = np.concatenate([p[2] for p in parts])
    keep = q_d < NDAYS; q_ci, q_d, q_cat = q_ci[keep], q_d[keep], q_cat[keep]
    q_t = q_d + hours("chat", len(q_ci)); nq = len(q_ci)
    qs, ns = ep(1, q_ci, q_t), ep(0, q_ci, q_t)
    res_days = rng.lognormal(np.log(2.5), 0.9, nq) * (1 + 4 * qs + 2 * ns)
    unres = rng.random(nq) < 0.05 + 0.4 * qs + 0.2 * ns
    q_res = np.where(unres | (q_t + res_days >= NDAYS), np.nan, q_t + res_days)

    # ---- contacts -------------------------------------------------------------------------------
    C = []   # (customer, time(day), inbound?, kind, order index or -1)

    def add(cc, tt, inbound, kind, oi=None):
        C.append((cc, tt, np.full(len(cc), inbound), np.broadcast_to(kind, len(cc)).astype(int),
                  oi if oi is not None else np.full(len(cc), -1)))
    m = rng.random(no) < 0.3                                             # order-linked questions
    kd = np.where(ret[m] & (rng.random(m.sum()) < .7), K["return"], rng.choice([K["status"], K["deliv"], K["prodq"]], m.sum(), p=[.6, .2, .2]))
    add(ci[m], d[m] + rng.integers(1, 8, m.sum()) + 0.5, True, kd, np.flatnonzero(m))
    hi_b = np.minimum(span_end + 60, NDAYS)                              # background questions
    cc = np.repeat(ar, rng.poisson(0.7 * (hi_b - a) / 365)); tt = a[cc] + rng.random(len(cc)) * (hi_b - a)[cc]
    bk = np.array([K[x] for x in ["prodq", "bonus", "status", "warr", "price", "comp", "other", "docs"]])
    pk = np.where(biz[cc][:, None], [.2, .05, .15, .1, .08, .04, .08, .3], [.3, .2, .15, .1, .1, .04, .11, 0])
    add(cc, tt, True, bk[(rng.random(len(cc))[:, None] > np.cumsum(pk, 1)).sum(1).clip(0, 7)])
    for k, mult, kinds, pk in [(1, 2.5, ["warr", "return", "chase"], [.6, .25, .15]), (2, 1.8, ["comp", "price"], [.55, .45])]:
        cc, tt = ep_events(k, mult, hi_b); add(cc, tt, True, rng.choice([K[x] for x in kinds], len(cc), p=pk))
    qc = rng.random(nq) < 0.7                                            # how complaints came in
    ck = np.array([K["warr"], K["serv"], K["price"], K["deliv"], K["other"]])[q_cat[qc]]
    ck = np.where((q_cat[qc] == 2) & (rng.random(qc.sum()) < .5), K["comp"], ck)
    add(q_ci[qc], q_t[qc] - 0.01, True, ck)
    mvc = np.flatnonzero(np.isfinite(mv_day) & (rng.random(N) < np.where(moved, 0.5, 0.35)))
    add(mvc, mv_day[mvc] + rng.uniform(-20, 20, len(mvc)), True, np.where(abroad[mvc], K["abroad"], K["move"]))
    dc = np.flatnonzero(died & (rng.random(N) < 0.25)); add(dc, c[dc] + rng.uniform(5, 120, len(dc)), True, K["death"])
    tc = np.flatnonzero((reason == 3) & (rng.random(N) < 0.12)); add(tc, c[tc] - rng.uniform(0, 60, len(tc)), True, K["ties"])
    tn = np.flatnonzero((reason != 3) & (rng.random(N) < 0.002)); add(tn, a[tn] + rng.random(len(tn)) * (NDAYS - a[tn]), True, K["ties"])
    # outbound: post-purchase follow-ups, marketing/manager touches, reactivation, complaint answers
    m = rng.random(no) < (0.45 + 0.3 * biz[ci]) * (1 - 0.9 * ep(0, ci, d + 5))
    add(ci[m], d[m] + rng.integers(2, 12, m.sum()) + 0.5, False, K["o_follow"], np.flatnonzero(m))
    rate = np.where(loyal, 3.0, 1.2) + np.where(biz, 5.0, 0)
    cc = np.repeat(ar, rng.poisson(rate * (NDAYS - a) / 365)); tt = a[cc] + rng.random(len(cc)) * (NDAYS - a)[cc]
    kp = rng.random(len(cc)) < 1 - 0.9 * ep(0, cc, tt); cc, tt = cc[kp], tt[kp]
    ok = np.array([K["o_bonus"], K["o_offer"], K["o_bday"], K["o_service"]])[rng.choice(4, len(cc), p=[.35, .4, .1, .15])]
    ok = np.where(~loyal[cc] & (ok == K["o_bonus"]), K["o_offer"], ok)
    ok = np.where(biz[cc] & (rng.random(len(cc)) < 0.65), K["o_manager"], ok)
    add(cc, tt, False, ok)
    rc = np.flatnonzero(churn & (rng.random(N) < 0.35)); add(rc, c[rc] + rng.uniform(60, 200, len(rc)), False, K["o_react"])
    rs = np.flatnonzero(~churn & (rng.random(N) < 0.06)); add(rs, a[rs] + rng.random(len(rs)) * (NDAYS - a[rs]), False, K["o_react"])
    qa = np.isfinite(q_res) & (rng.random(nq) < 0.6); add(q_ci[qa], q_res[qa], False, K["o_compl"])

    k_ci = np.concatenate([x[0] for x in C]); k_t = np.concatenate([x[1] for x in C]); k_in = np.concatenate([x[2] for x in C])
    k_kind = np.concatenate([x[3] for x in C]); k_oi = np.concatenate([x[4] for x in C])
    keep = (k_t < NDAYS) & (k_t >= 0) & (k_t >= np.floor(su[k_ci])); k_ci, k_t, k_in, k_kind, k_oi = (x[keep] for x in (k_ci, k_t, k_in, k_kind, k_oi))
    nk = len(k_ci)
    chan = np.where(k_in, np.where(biz[k_ci], rng.choice(["email", "call", "chat", "viber"], nk, p=[.4, .35, .15, .1]),
                                   rng.choice(["chat", "call", "email", "viber"], nk, p=[.42, .33, .15, .10])),
                    rng.choice(["sms", "email", "viber", "call"], nk, p=[.35, .3, .2, .15]))
    chan = np.where(k_kind == K["o_follow"], rng.choice(["call", "sms", "viber"], nk, p=[.5, .3, .2]), chan)
    k_kind = np.where((k_kind == K["o_follow"]) & (chan != "call"), K["o_fsms"], k_kind)
    chan = np.where(k_kind == K["o_manager"], rng.choice(["call", "meeting", "email"], nk, p=[.55, .15, .3]), chan)
    chan = np.where(np.isin(k_kind, [K["o_react"], K["o_compl"]]), rng.choice(["call", "sms", "email"], nk, p=[.55, .25, .2]), chan)
    k_t = np.floor(k_t) + np.where(k_in & (chan != "call"), hours("chat", nk), hours("work", nk))
    # answering inbound requests
    sn = ep(0, k_ci, k_t); ld = load[np.floor(k_t).astype(int)]
    ans = rng.random(nk) < 0.95 - 0.55 * sn - 0.05 * (ld - 1)
    med = np.select([chan == "call", chan == "chat", chan == "email"], [0.05, 0.4, 7.0], 1.5)
    rh = np.round(med * rng.lognormal(0, 0.9, nk) * (1 + 6 * sn) * ld, 2)
    # unanswered requests get chased
    ch = k_in & ~ans & (rng.random(nk) < 0.55)
    x_ci, x_t = k_ci[ch], k_t[ch] + rng.uniform(0.5, 4, ch.sum())
    kx = x_t < NDAYS; x_ci, x_t = x_ci[kx], x_t[kx]; nx = len(x_ci)
    sx = ep(0, x_ci, x_t)
    k_ci = np.concatenate([k_ci, x_ci]); k_t = np.concatenate([k_t, x_t]); k_in = np.concatenate([k_in, np.ones(nx, bool)])
    k_kind = np.concatenate([k_kind, np.full(nx, K["chase"])]); k_oi = np.concatenate([k_oi, np.full(nx, -1)])
    chan = np.concatenate([chan, rng.choice(["chat", "email", "call", "viber"], nx, p=[.4, .3, .2, .1])])
    ans = np.concatenate([ans, rng.random(nx) < 0.85 - 0.35 * sx])
    rh = np.concatenate([rh, np.round(rng.lognormal(np.log(3), 1, nx) * (1 + 3 * sx), 2)])
    nk = len(k_ci)
    lo = last_order(k_ci, k_t); k_oi = np.where(k_oi >= 0, k_oi, lo)
    ans_col = pd.array(np.where(k_in, ans, False), dtype="boolean"); ans_col[~k_in] = pd.NA
    rh = np.where(k_in & ans, rh, np.nan)
    ru_row = ru[k_ci] & (rng.random(nk) < 0.85)
    staff = ~k_in | ((chan == "call") & (rng.random(nk) < 0.8))
    ru_row = np.where(staff, rng.random(nk) < 0.05, ru_row)
    loc_row = np.where(k_kind == K["abroad"], len(REGIONS), new_reg[k_ci])
    topic = texts(k_kind.tolist(), ru_row.tolist(), chan.tolist(), np.where(k_oi >= 0, ordno[k_oi], -1).tolist(),
                  np.where(k_oi >= 0, ttn[np.maximum(k_oi, 0)], "").tolist(), loc_row.tolist(), staff.tolist(), R)

    # ---- surveys ------------------------------------------------------------------------------
    m = rng.random(no) < 0.13
    s_ci = ci[m]; s_t = d[m] + rng.integers(2, 20, m.sum()) + hours("chat", m.sum())
    sc = (mood[s_ci] - 4.5 * ep(1, s_ci, s_t) - 1.8 * ep(0, s_ci, s_t) - 1.0 * ep(2, s_ci, s_t) - 2.0 * ret[m]
          + rng.normal(0, 1.3, len(s_ci)))
    e_ci = ic[rng.random(len(ic)) < np.where(died[ic], 0.08, np.where(loyal[ic] | biz[ic], 0.36, 0.26))]
    e_t = c[e_ci] + rng.uniform(7, 75, len(e_ci))
    e_r = (rng.random(len(e_ci))[:, None] > np.cumsum(EXIT_CONF[reason[e_ci]], 1)).sum(1).clip(0, 4)
    sz = np.flatnonzero(~churn & (rng.random(N) < 0.012))
    z_t = a[sz] + rng.random(len(sz)) * (NDAYS - a[sz])
    z_r = rng.choice(5, len(sz), p=[.4, .15, .3, .05, .1])
    sv = pd.DataFrame({
        "customer_id": np.concatenate([s_ci, e_ci, sz]), "t": np.concatenate([s_t, e_t, z_t]),
        "kind": ["pulse"] * len(s_ci) + ["exit"] * (len(e_ci) + len(sz)),
        "score": np.concatenate([np.clip(np.round(sc), 0, 10), np.clip(np.round(rng.normal(3.5, 2.2, len(e_ci) + len(sz))), 0, 10)]) + 0.0,
        "reason": [None] * len(s_ci) + [REASONS[r] for r in np.concatenate([e_r, z_r])]})
    sv = sv[sv.t < NDAYS]

    # ---- write ----------------------------------------------------------------------------------
    def ts(days):
        days = np.asarray(days, float); bad = ~np.isfinite(days)
        days = np.where((days >= 0) & (days < 0.125), 0.125 + days / 4, days)   # keep 2023-01-01 in UTC too
        ns = np.round(np.where(bad, 0, days) * 1440).astype(np.int64) * 60 * 10 ** 9
        idx = pd.DatetimeIndex((START.value + ns).astype("datetime64[ns]")).tz_localize("Europe/Kyiv", ambiguous=np.zeros(len(ns), bool), nonexistent="shift_forward")
        return idx.where(~bad, pd.NaT)
    cid = np.empty(N, dtype=object); cid[order_su] = [str(100001 + i) for i in range(N)]
    mgr = np.where(biz, np.where((reason == 0) & (rng.random(N) < 0.5), rng.choice(["MGR-07", "MGR-12"], N),
                                 rng.choice(["MGR-%02d" % i for i in range(1, 15)], N)), None)
    cust = pd.DataFrame({"customer_id": cid, "signed_up_at": ts(np.floor(su) + hours("ord", N)),
                         "segment": np.where(biz, "ФОП / малий бізнес", "Приватна особа"),
                         "region": np.array(REG_NAMES, dtype=object)[cur_reg], "loyalty_member": loyal,
                         "referred_by": np.where(ref >= 0, cid[np.maximum(ref, 0)], None), "manager_id": mgr,
                         "preferred_language": np.where(ru, "ru", "uk")})
    cust.sort_values("customer_id").to_parquet(out / "customers.parquet", index=False)
    o = np.argsort(ot, kind="stable")
    pd.DataFrame({"order_id": ordno[o].astype(str), "customer_id": cid[ci[o]], "ordered_at": ts(ot[o]), "amount": amt[o],
                  "discount_amount": disc[o], "returned": ret[o], "region": np.array(REG_NAMES, dtype=object)[oreg[o]],
                  "delivery": np.where(pickup[o], "Самовивіз (Харків, склад)", "Нова Пошта"), "ttn": ttn[o]}
                 ).to_parquet(out / "orders.parquet", index=False)
    o = np.argsort(k_t, kind="stable")
    pd.DataFrame({"contact_id": np.arange(1, nk + 1), "customer_id": cid[k_ci[o]], "contacted_at": ts(k_t[o]),
                  "direction": np.where(k_in[o], "inbound", "outbound"), "channel": chan[o], "topic": np.array(topic, dtype=object)[o],
                  "answered": ans_col[o], "response_hours": rh[o]}).to_parquet(out / "contacts.parquet", index=False)
    cat_names = np.array(["quality", "service", "price", "delivery", "other"])
    ctext = texts((np.array([K["warr"], K["serv"], K["price"], K["deliv"], K["other"]])[q_cat]
                   + np.where((q_cat == 0) & (rng.random(nq) < .3), K["return"] - K["warr"], 0)).tolist(),
                  (ru[q_ci] & (rng.random(nq) < .8)).tolist(), ["form"] * nq, [-1] * nq, [""] * nq, reg[q_ci].tolist(), [False] * nq, R)
    o = np.argsort(q_t, kind="stable")
    pd.DataFrame({"complaint_id": ["CMP-%06d" % (i + 1) for i in range(nq)], "customer_id": cid[q_ci[o]], "opened_at": ts(q_t[o]),
                  "category": cat_names[q_cat[o]], "resolved_at": ts(q_res[o]), "text": np.array(ctext, dtype=object)[o]}
                 ).to_parquet(out / "complaints.parquet", index=False)
    sv = sv.sort_values("t")
    pd.DataFrame({"customer_id": cid[sv.customer_id.to_numpy()], "answered_at": ts(sv.t.to_numpy()), "kind": sv.kind.to_numpy(),
                  "score": sv.score.to_numpy(), "reason": sv.reason.to_numpy()}).to_parquet(out / "surveys.parquet", index=False)
    tr = pd.DataFrame({"customer_id": cid[ic], "churned_at": [x.isoformat() for x in ts(c[ic])],
                       "true_reason": [REASONS[r] for r in reason[ic]]})
    tr.to_csv(out / "truth.csv", index=False)
    q4 = (c[ic] >= (pd.Timestamp("2025-10-01") - START).days) & (c[ic] <= LAST_CHURN)
    print(f"customers={N} orders={no} contacts={nk} complaints={nq} surveys={len(sv)} churners={len(ic)} "
          f"({len(ic) / N:.1%}) in {time.time() - t_start:.1f}s")
    print("by reason:", tr.true_reason.value_counts().to_dict())
    print("2025-10-01..2025-12-29:", tr.true_reason[q4].value_counts().to_dict())


if __name__ == "__main__":
    main()
