"""The reason families: hand-made histories with known answers, absent data, and snapshot columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from features.build import build_features, present_columns
from features.config import MISSING, TopicKeywords, load_feature_declarations
from features.contract import TABLES
from tests.features.reference import reference_features

AS_OF = "2025-03-31"
CUTOFF = pd.Timestamp("2025-04-01T00:00:00Z")
DECLARED = load_feature_declarations()


def at(days_before_cutoff: float) -> pd.Timestamp:
    return CUTOFF - pd.Timedelta(days=days_before_cutoff)


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def tables(small_crm) -> dict[str, pd.DataFrame]:
    return {
        name: table.assign(customer_id=table["customer_id"].astype(str))
        for name, table in small_crm.tables.items()
    }


def topics_written_in(topics: list[str], direction: str = "inbound") -> list[dict]:
    """Customer A's contacts with these topics, one a day from 10 days before the cutoff."""
    return [
        {"customer_id": "A", "contacted_at": at(10 + day), "direction": direction, "topic": topic}
        for day, topic in enumerate(topics)
    ]


def one_topic_each(topics: list[str]) -> tuple[list[str], dict[str, pd.DataFrame]]:
    """Customer Ti bought once and wrote topic i, and nothing else."""
    ids = [f"T{i}" for i in range(len(topics))]
    tables = {
        "orders": frame([{"customer_id": i, "ordered_at": at(10), "amount": 50.0} for i in ids]),
        "contacts": frame(
            [
                {"customer_id": i, "contacted_at": at(5), "direction": "inbound", "topic": topic}
                for i, topic in zip(ids, topics, strict=True)
            ]
        ),
    }
    return ids, tables


def one_customer(**tables: list[dict]) -> dict[str, pd.DataFrame]:
    """Tables for customer "A" (and whoever else the rows name); orders default to one purchase."""
    built = {name: frame(rows) for name, rows in tables.items()}
    built.setdefault("orders", frame([{"customer_id": "A", "ordered_at": at(10), "amount": 50.0}]))
    return built


def test_contact_gaps_for_a_known_history():
    tables = one_customer(
        orders=[
            {"customer_id": "A", "ordered_at": at(400), "amount": 10.0},
            {"customer_id": "A", "ordered_at": at(20), "amount": 10.0},
        ],
        contacts=[
            {"customer_id": "A", "contacted_at": at(300), "direction": "outbound"},
            {"customer_id": "A", "contacted_at": at(100), "direction": "outbound"},
            {
                "customer_id": "A",
                "contacted_at": at(20),
                "direction": "outbound",
            },  # with the order: no follow-up
            {"customer_id": "A", "contacted_at": at(15), "direction": "outbound"},  # 5 days after the order
            {"customer_id": "A", "contacted_at": at(5), "direction": "inbound"},  # not ours: not a touch
        ],
    )
    row = build_features(tables, AS_OF).loc["A"]
    assert row["days_since_last_outbound"] == pytest.approx(15)
    # window of 365 days: stretches 365→300, 300→100, 100→20, 20→15, 15→0
    assert row["longest_outbound_gap_365d"] == pytest.approx(200)
    assert row["avg_outbound_gap_365d"] == pytest.approx(365 / 5)
    assert row["outbound_contacts_90d"] == 2
    assert row["days_to_followup_after_last_order"] == pytest.approx(5)


def test_a_customer_we_never_contacted_gets_their_tenure_as_documented():
    tables = one_customer(
        orders=[{"customer_id": "A", "ordered_at": at(40), "amount": 10.0}],
        contacts=[{"customer_id": "B", "contacted_at": at(3), "direction": "outbound"}],
    )
    row = build_features(tables, AS_OF).loc["A"]
    assert DECLARED["days_since_last_outbound"].when_missing.fill == "tenure_days"
    assert row["days_since_last_outbound"] == pytest.approx(40) == row["tenure_days"]
    assert row["longest_outbound_gap_365d"] == pytest.approx(40)  # the window is the 40-day tenure
    assert row["outbound_contacts_90d"] == 0
    assert row["days_to_followup_after_last_order"] == pytest.approx(40)  # still waiting


def test_requests_answered_after_the_cutoff_were_unanswered_at_it():
    def request(days_before: float, answered, hours) -> dict:
        return {
            "customer_id": "A",
            "contacted_at": at(days_before),
            "direction": "inbound",
            "answered": answered,
            "response_hours": hours,
        }

    contacts = [
        request(100, True, 10.0),  # answered long ago, in 10 hours
        request(1, True, 48.0),  # the answer came a day after the cutoff: open at the cutoff
        request(50, False, np.nan),  # never answered
        request(400, False, np.nan),  # older than a year: outside the window
        request(20, True, np.nan),  # answered, time unknown, 20 days ago: settled, counts as answered
        request(3, True, np.nan),  # answered, time unknown, 3 days ago: may have come later, open
        request(400 / 24, True, 30 * 24 + 0.5),  # answered half an hour after the cutoff: open
        request(40, False, 2.0),  # marked unanswered: its hours are not a response time
    ]
    contacts = frame(contacts).astype({"answered": "boolean"})
    tables = one_customer()
    tables["contacts"] = contacts
    row = build_features(tables, AS_OF).loc["A"]
    # in the window: 100, 1, 50, 20, 3, 16.7 and 40 days ago; open at the cutoff: 1, 50, 3, 16.7, 40
    assert row["unanswered_requests_365d"] == 5
    assert row["unanswered_request_share_365d"] == pytest.approx(5 / 7)
    assert row["avg_response_hours_365d"] == pytest.approx(10.0)


def test_return_records_count_as_returns():
    """A CRM may book a return as a record (a negative amount), flag the purchase, or do both."""

    def order(customer: str, days: float, amount: float, returned: bool = False) -> dict:
        return {"customer_id": customer, "ordered_at": at(days), "amount": amount, "returned": returned}

    def purchases(customer: str, days: tuple[float, ...], flagged: int = 0) -> list[dict]:
        return [order(customer, age, 10.0, returned=n < flagged) for n, age in enumerate(days)]

    def record(customer: str, days: float) -> dict:
        return order(customer, days, -10.0, returned=True)

    tables = one_customer(
        orders=[
            # Records only: two in the last year (one 10 days ago: dated, no settling time needed),
            # one older, one after the cutoff.
            *purchases("A", (200, 150, 100, 60)),
            *(record("A", days) for days in (10, 120, 400, -5)),
            # Both ways for the same two returns: counted once.
            *purchases("B", (200, 150, 100, 60), flagged=2),
            *(record("B", days) for days in (190, 140)),
            # More records than purchases in the last year: the share stops at 1.
            *purchases("C", (100, 5)),
            *(record("C", days) for days in (90, 50, 20)),
            # Mostly young purchases: a record counts against every purchase of the year, not only
            # those old enough for their flag to be trusted.
            *purchases("D", (200, 25, 20, 15, 10, 5)),
            record("D", 3),
            # Only young purchases: not known yet, as without records.
            *purchases("E", (10,)),
            record("E", 5),
        ]
    )
    features = build_features(tables, AS_OF)
    share = features["returned_order_share_365d"]
    assert share["A"] == pytest.approx(2 / 4)
    assert share["B"] == pytest.approx(2 / 4)
    assert share["C"] == 1.0
    assert share["D"] == pytest.approx(1 / 6)
    assert np.isnan(share["E"])
    # A return record is not a purchase: A's last order is the one 60 days ago.
    assert features.loc["A", "days_since_last_order"] == pytest.approx(60)


def test_complaints_returns_and_pulse_for_a_known_history():
    tables = one_customer(
        complaints=[
            {"customer_id": "A", "opened_at": at(10), "category": "quality", "resolved_at": pd.NaT},
            {"customer_id": "A", "opened_at": at(60), "category": "delivery", "resolved_at": at(58)},
            {"customer_id": "A", "opened_at": at(200), "category": "service", "resolved_at": at(194)},
            {"customer_id": "A", "opened_at": at(20), "category": "price", "resolved_at": at(-3)},
            {"customer_id": "A", "opened_at": at(40), "category": "price", "resolved_at": at(10)},
        ],
        surveys=[
            {"customer_id": "A", "answered_at": at(300), "kind": "pulse", "score": 9.0},
            {"customer_id": "A", "answered_at": at(30), "kind": "pulse", "score": 3.0},
            {"customer_id": "A", "answered_at": at(30), "kind": "pulse", "score": 5.0},  # tie: highest
            {"customer_id": "A", "answered_at": at(2), "kind": "exit", "score": 0.0},  # never a feature
        ],
        orders=[
            {"customer_id": "A", "ordered_at": at(200), "amount": 10.0, "returned": True},
            {"customer_id": "A", "ordered_at": at(100), "amount": 10.0, "returned": False},
            {"customer_id": "A", "ordered_at": at(5), "amount": 10.0, "returned": True},  # too young
        ],
    )
    tables["complaints"]["resolved_at"] = pd.to_datetime(tables["complaints"]["resolved_at"], utc=True)
    row = build_features(tables, AS_OF).loc["A"]
    assert (row["complaints_30d"], row["complaints_90d"], row["complaints_365d"]) == (1, 2, 3)
    assert (row["quality_complaints_90d"], row["delivery_complaints_90d"]) == (1, 1)
    assert (row["service_complaints_90d"], row["service_complaints_365d"]) == (0, 1)
    assert (row["price_complaints_90d"], row["price_complaints_365d"]) == (2, 2)
    # Price complaints are competitor evidence: an open one, or a slow one (30 days), is not product
    # quality's. Else a price dispute would read "1 complaint still open" under product quality. Open:
    # the quality one, not the price one resolved after the cutoff.
    assert row["open_complaints"] == 1
    assert row["avg_resolution_days_365d"] == pytest.approx((2 + 6) / 2)
    assert row["returned_order_share_365d"] == pytest.approx(1 / 2)
    assert row["latest_pulse_score"] == 5.0


def test_discounts_baskets_and_competitor_topics():
    tables = one_customer(
        orders=[
            {"customer_id": "A", "ordered_at": at(300), "amount": 100.0, "discount_amount": 0.0},
            {"customer_id": "A", "ordered_at": at(200), "amount": 100.0, "discount_amount": 10.0},
            {"customer_id": "A", "ordered_at": at(60), "amount": 40.0, "discount_amount": 5.0},
            {"customer_id": "A", "ordered_at": at(30), "amount": 60.0, "discount_amount": 0.0},
        ],
        contacts=[
            {"customer_id": "A", "contacted_at": at(10), "direction": "inbound", "topic": "Competitor offer"},
            {"customer_id": "A", "contacted_at": at(200), "direction": "inbound", "topic": "price question"},
            {"customer_id": "A", "contacted_at": at(20), "direction": "outbound", "topic": "new offer"},
            {"customer_id": "A", "contacted_at": at(50), "direction": "inbound", "topic": "New ADDRESS"},
            {"customer_id": "A", "contacted_at": at(60), "direction": "inbound", "topic": None},
            {
                "customer_id": "A",
                "contacted_at": at(61),
                "direction": "inbound",
                "topic": "removed to spam; unpriced",
            },
        ],
    )
    row = build_features(tables, AS_OF).loc["A"]
    assert row["discounted_spend_share_90d"] == pytest.approx(40 / 100)
    assert row["discounted_spend_share_365d"] == pytest.approx(140 / 300)
    assert row["basket_size_change_90d"] == pytest.approx(50 / 100 - 1)
    assert (row["competitor_contacts_90d"], row["competitor_contacts_365d"]) == (1, 2)
    assert row["relocation_contacts_180d"] == 1


def test_default_competitor_words_find_the_usual_phrasings_and_not_lookalikes():
    topics = [
        "Pricing question",
        "Too expensive this year",
        "Offer from a rival",
        "Competitor quote",
        "Discount request",
        "Cheaper elsewhere?",
        "Got a better offer elsewhere",
        "Another supplier offered 15% off",
        "Quote from another supplier",
        "Price increase on paper towels not acceptable",
        "Prices went up again?",
        "Can you price match?",
        "Invoice copy",
        "Arrival date",  # "rival" inside a word does not count
        "Inexpensive add-on",  # nor "expensive"
        "New offer",
        "Better service next time",  # "better" alone is no offer
        "Please send the updated price list",  # asking for prices is ordering, not price pressure
        "Request for price list",
    ]
    tables = one_customer(contacts=topics_written_in(topics))
    assert build_features(tables, AS_OF).loc["A", "competitor_contacts_90d"] == 12


def test_only_the_customers_own_contacts_are_read_for_price_quality_and_chasing_words():
    """The company's mailings ("Discount week") are not the customer's price talk, nor its own
    "Still waiting for your reply?" the customer's chasing; a move the company noted is still a move."""
    said = {
        "Discount week: 20% off": "competitor_contacts_90d",
        "Quality survey: how did we do?": "quality_contacts_90d",
        "Still waiting for your reply?": "chasing_contacts_90d",
        "Confirmed the new address": "relocation_contacts_180d",
    }
    for direction, counted in (("inbound", 1), ("outbound", 0)):
        tables = one_customer(contacts=topics_written_in(list(said), direction))
        row = build_features(tables, AS_OF).loc["A"]
        assert row["competitor_contacts_90d"] == row["quality_contacts_90d"] == counted, direction
        assert row["chasing_contacts_90d"] == counted, direction
        assert row["relocation_contacts_180d"] == 1, direction


def test_default_quality_words_find_faulty_goods_and_poor_service_and_not_lookalikes():
    topics = [
        "Item arrived damaged",
        "Defective charger",
        "Faulty unit, second time",
        "Lid broken on delivery",
        "Kettle stopped working after a week",
        "Fruit spoiled in transit",
        "Wrong size delivered",
        "Replacement for order 1234",
        "Refund request",
        "Poor quality stitching",  # one contact, however many words match
        "Delivery late again",
        "Order SO-1234 arrived 7 days late",
        "Partial delivery, items missing",
        "Rude driver",
        "Invoice errors again",
        "Unhappy with how my request was handled",
        "Complained the goods were scratched",
        "Order status?",
        "Brokerage fee question",  # "broken" is a keyword, not "broke", which starts "brokerage"
        "Unpoor",  # a keyword inside a word does not count
        "Workshop invitation",
        "Latest catalogue, please",  # "late" only as a delivery's lateness ("arrived late", ...)
        "Invoice INV-1 - wrong VAT number",  # "wrong" alone is no failed delivery
    ]
    tables = one_customer(
        contacts=topics_written_in(topics)
        + [{"customer_id": "A", "contacted_at": at(200), "direction": "inbound", "topic": "QUALITY issue"}]
    )
    row = build_features(tables, AS_OF).loc["A"]
    assert (row["quality_contacts_90d"], row["quality_contacts_365d"]) == (17, 18)
    assert row["competitor_contacts_90d"] == row["chasing_contacts_90d"] == 0


def test_default_chasing_words_find_a_customer_chasing_an_answer_and_not_lookalikes():
    topics = [
        "Still waiting for a reply about my invoice",
        "No reply yet - pro-forma invoice please",
        "2nd request: copy of delivery note",
        "Third time asking: can we move the delivery?",
        "Nobody called back about the order",
        "Promised call-back never came",
        "Requested a call back",
        "Chasing my e-mail from last week",
        "Any update on ticket 4411?",
        "Called about reorder of toner",  # a call is no call-back
        "Waiting list for the new range",  # nor is a waiting list a wait for an answer
        "Order status?",
    ]
    tables = one_customer(
        contacts=topics_written_in(topics)
        + [
            {
                "customer_id": "A",
                "contacted_at": at(200),
                "direction": "inbound",
                "topic": "NO ANSWER since May",
            }
        ]
    )
    row = build_features(tables, AS_OF).loc["A"]
    assert (row["chasing_contacts_90d"], row["chasing_contacts_365d"]) == (9, 10)


def test_default_relocation_words_find_a_move():
    topics = [
        "Moving - can you still deliver to Pula?",
        "New delivery address from August",
        "Please update my address",
        "We are relocating to Osijek",
        "Can we move the delivery to next week?",  # moving a delivery is no move
        "Delivered to wrong address",
    ]
    tables = one_customer(contacts=topics_written_in(topics))
    assert build_features(tables, AS_OF).loc["A", "relocation_contacts_180d"] == 4


# Topics as customers write them in the reason labels' languages: inflected, with and without
# diacritics, in any case; the family each is about (None: about none, though it looks close).
TOPICS_BY_LANGUAGE = {
    "en": [
        ("Gousto are offering 40% off, can you match?", "competitor"),
        ("Price has gone up again?", "competitor"),
        ("HelloFresh is half the price per serving", "competitor"),
        ("Chicken past its use by date!!", "quality"),
        ("the feta was mouldy", "quality"),
        ("Wrong flavour sent - ordered chicken got salmon", "quality"),
        ("Charged twice for order 5512", "quality"),
        ("Parcel never turned up", "quality"),
        ("Office moved to Zagreb", "relocation"),
        ("update postcode", "relocation"),
        ("Is anyone there??", "chasing"),
        ("waited on hold 40 mins then cut off", "chasing"),
        ("Voucher code not working", None),  # a code or a log-in, not the goods
        ("Web shop login not working", None),
        ("Your account has moved to a new manager", "manager_change"),  # a new manager, not a move
        ("Marko moved to another job - who is in charge now?", None),
        ("Please put my subscription on hold", None),  # a pause, not waiting on hold
        ("Deliveries to Moldova from May", None),  # "mould", not "mold": Moldova
        ("Comparing quotes from Datapac, need your best price by Friday", "competitor"),
        ("Budget cuts - reviewing vendors", "competitor"),
        ("Engineer never fixed the issue, still down", "quality"),
        ("short shipped mop heads", "quality"),
        ("Can someone PLEASE call me back", "chasing"),
        ("haven't heard back re PO 4471", "chasing"),
        ("We're closing the business end of May", "relocation"),  # closing down is gone too
        ("Sad news - Seán passed away last week", "relocation"),
        ("Christmas closing hours", None),
        ("Ticket closed, thanks", None),
        ("Intro - your new account manager", "manager_change"),
        ("Account reassigned - intro call", "manager_change"),
        ("Handover of account from Barry", "manager_change"),
        ("who is our rep now?", "manager_change"),
        ("Hello from your new AM", "manager_change"),  # AM: account manager, a whole word
        ("New AM intro, Dana left the company", "manager_change"),
        ("Intro - Jo taking over the account from Sam", "manager_change"),
        ("Taking over from Sue", "manager_change"),
        ("Asked who my account manager is now", "manager_change"),
        ("Handover: I'll be looking after your account now", "manager_change"),
        ("New AM/PM delivery slots", None),  # the morning, not a manager
        ("New amounts on invoice 12", None),
        ("Ticket reassigned to 2nd line", None),  # a ticket, not the account
        ("New office manager - pls update contact", "personal_ties"),  # their buyer, not our manager
        ("Parcel handed over to courier", None),
        ("My brother-in-law has set up in IT", "personal_ties"),
        ("Ordering through a family friend's company now", "personal_ties"),
        ("Closing account, a friend runs a pet shop", "personal_ties"),
        ("Our contact Mary has left the company", "personal_ties"),
        ("my sister works at Gusto now", "personal_ties"),
        ("My friend recommended you!", None),  # a referral in, not a tie elsewhere
        ("Heard about you through a friend", None),
        ("Refer a friend code not working", None),
        ("Brother printer works again, thanks", None),  # the brand, not a relative
        ("My son set up the account for me", None),
        ("My wife does the shopping on Mondays", None),  # "shop" is a whole word of the trade
        ("Our family business has ordered from you since 2010", None),
        ("Death in the family - please cancel", None),
        ("New owner - updating vendors", None),  # a business sold as often closes
        ("Contact: left voicemail", "chasing"),  # a call, not the contact leaving
        ("The driver was rude", "quality"),
        # Phrasings the safety-supplies holdout showed the lists missing, added on 2 December 2026
        ("Pricing review - we're shopping around", "competitor"),
        ("Your price on rain gear went up again?", "competitor"),
        ("Counter-offer on class 2 vests", "competitor"),
        ("Sent revised pricing vs their old supplier", "competitor"),
        ("Volume rebate proposal", "competitor"),
        ("Loyalty pricing offer sent", "competitor"),
        ("Loyalty card points balance?", None),  # a loyalty scheme, not a price against a rival
        ("Hard hat suspension broke, 3 units", "quality"),
        ("Brokerage fee question", None),  # "broke" is a whole word
        ("Boots stitching coming apart", "quality"),
        ("Fit tester no-show at Hamilton yard", "quality"),
        ("Tech no show again", "quality"),
        ("No shower gel in stock", None),
        ("Service visit cancelled last minute", "quality"),
        ("Fit test report never sent", "quality"),
        ("Cancel standing order, we are winding down", "relocation"),
        ("Final invoice pls - ceasing operations", "relocation"),
        ("3rd email about inv 4471!!", "chasing"),
        ("2nd req: invoice #5521", "chasing"),
        ("2nd email - inv-0091", "chasing"),
        ("Add 2nd email address for invoices", None),  # a second address, not a second try
        ("Taking over your acct from Sandeep", "manager_change"),
        ("New rep intro - Priya", "manager_change"),
        ("Account transition - Carol has moved on", "manager_change"),
        ("Bank acct transfer details", None),
        ("New ops mgr reviewing all suppliers", "personal_ties"),
        ("Update buyer: Dave replaces Rob", "personal_ties"),
        ("Update buyer's phone number", None),  # the same buyer
        # ... and of the dental-supplies CRM written after that revision
        ("Schein rep offering free ship + 10% off, can you beat it", "competitor"),
        ("Bad lot of cotton rolls, lot # L2231", "quality"),
        ("Alginate expired on arrival", "quality"),
        ("Quote expired - please resend", None),  # an offer running out, not the goods
    ],
    "uk": [
        ("Конкуренти пропонують дешевше", "competitor"),
        ("Знайшли іншого постачальника", "competitor"),
        ("Підвищення цін з березня?", "competitor"),
        ("Прошу знижку на цемент", "competitor"),
        ("Брак у партії плитки", "quality"),
        ("Товар пошкоджений при доставці", "quality"),
        ("Скарга на якість фарби", "quality"),
        ("Затримка доставки вже 5 днів", "quality"),
        ("Переїжджаємо на новий склад", "relocation"),
        ("Нова адреса доставки з 1 липня", "relocation"),
        ("Досі чекаю відповіді по рахунку", "chasing"),
        ("Ніхто не передзвонив", "chasing"),
        ("Чекаю на відповідь вже тиждень", "chasing"),
        ("Третій раз пишу, відповіді нема", "chasing"),
        ("Повторний запит: акт звірки", "chasing"),
        ("Дорога до складу закрита", None),  # "дорога" is a road, not "дорого" (expensive)
        ("Запит прайсу на 2025", None),
        ("Заміна менеджера", "manager_change"),  # a replaced manager is no replaced product
        ("Знайомство з новим менеджером", "manager_change"),
        ("Передача клієнта іншому менеджеру", "manager_change"),
        ("Хто тепер наш менеджер?", "manager_change"),
        ("Тепер ваш менеджер - Олена", "manager_change"),
        ("Ваш менеджер вітає зі святом", None),  # greetings from the same manager
        ("Візит менеджера в офіс", None),
        ("Нове замовлення", None),
        ("Власник помер, ФОП закривається", "relocation"),
        ("Закриваємось на свята 1-3 січня", None),  # closed for the holidays, not for good
        ("Кум відкрив базу, будемо брати в нього", "personal_ties"),
        ("Тепер закуповуємось у родича", "personal_ties"),
        ("Донька пішла працювати в Епіцентр", "personal_ties"),
        ("Новий директор, працюватимуть зі своїм постачальником", "personal_ties"),
        ("Друга партія на склад", None),  # "друга" is "second" too
        ("Друг порекомендував вас", None),
        ("Син забрав замовлення", None),
    ],
    "ru": [
        ("У другого поставщика дешевле", "competitor"),
        ("Повышение цен — почему?", "competitor"),
        ("Жалоба на качество", "quality"),
        ("Товар бракованный", "quality"),
        ("Переезжаем в Днепр", "relocation"),
        ("Смена адреса доставки", "relocation"),
        ("Жду ответа уже неделю", "chasing"),
        ("Никто не перезвонил", "chasing"),
        ("Новый заказ", None),
        ("Прайс-лист на март", None),
        ("Магазин закрывается, последний заказ", "relocation"),
        ("Закрываемся на ремонт до 15-го", None),
        ("Умеренные цены, спасибо", None),  # "умерен" (moderate) is not "умер" (died)
        ("Новый ответственный менеджер, отправила контакты", "manager_change"),
        ("Клиент передан от уволившегося менеджера", "manager_change"),
        ("Знакомство: теперь ваш менеджер Ирина", "manager_change"),
        ("Ваш менеджер поздравляет с Новым годом", None),
        ("Хочу поговорить с менеджером", None),
        ("Брат открыл свой склад, извините", "personal_ties"),
        ("Берут воду у знакомых", "personal_ties"),
        ("Кум теперь работает в Автодок, берем через него", "personal_ties"),
        ("Доставка как у Родника плюс", None),  # a brand, not "у родни"
        ("Друг посоветовал вас", None),
        ("Жена клиента звонила, он умер", "relocation"),
        ("Сын забрал заказ", None),
        ("Родные запчасти на складе?", None),  # original parts, not relatives
    ],
    "ro": [
        ("Am găsit mai ieftin la concurență", "competitor"),
        ("Preturile au crescut iar", "competitor"),
        ("Alt furnizor ne ofera conditii mai bune", "competitor"),
        ("Reclamație: produse expirate", "quality"),
        ("Colet deteriorat", "quality"),
        ("Nu a ajuns comanda 7781", "quality"),
        ("Ne mutăm în Chișinău", "relocation"),
        ("Schimbare adresa de livrare", "relocation"),
        ("Fara raspuns de 3 zile", "chasing"),
        ("Încă aştept răspuns la factură", "chasing"),  # the old cedilla "ş" too
        ("Nimeni nu m-a sunat", "chasing"),
        ("Agentul nu mai răspunde la telefon", "chasing"),
        ("Preturile voastre au crescut iar", "competitor"),
        ("Cerere lista de preturi", None),  # asking for the price list is ordering
        ("Comanda din nou luna viitoare", None),
        ("Închidem farmacia din iunie", "relocation"),
        ("Farmacia se închide la ora 20", None),  # opening hours, not a closure
        ("Preluare portofoliu - noul agent de vânzări", "manager_change"),
        ("Cine este agentul nostru acum?", "manager_change"),
        ("Apel de prezentare: noul consultant pt jud. Iasi", "manager_change"),
        ("vizita de cunoastere - preiau clientul de la colegul Ion", "manager_change"),
        ("Consultanta tehnica noua pentru culturi", None),  # advice, not an adviser
        ("Vizită agent - prezentare ofertă", None),
        ("Cumnatul patronului a deschis un depozit", "personal_ties"),
        ("De acum comandăm prin fratele farmacistei", "personal_ties"),
        ("Lucrăm cu firma unei rude", "personal_ties"),
        ("Administrator nou la farmacie", "personal_ties"),
        ("Ne-a recomandat un prieten", None),
        ("Rude driver, are you serious?", "quality"),  # English "rude" is no Romanian "rude" (relatives)
        ("Suntem rude cu patronul", None),  # "we are relatives of the owner": no rude service
        ("Piesa nepotrivita la depozit", None),  # unsuitable, not a nephew
        ("Personal prietenos la magazin", None),  # friendly, not a friend
    ],
    "hr": [
        ("Konkurencija nudi bolju cijenu", "competitor"),
        ("Drugi dobavljač je jeftiniji", "competitor"),
        ("POSKUPLJENJE od 1.6.?", "competitor"),
        ("Reklamacija - pokvareno vino", "quality"),
        ("Ostecena ambalaza", "quality"),
        ("Kasnjenje dostave", "quality"),
        ("Preseljenje lokala u Split", "relocation"),
        ("Promjena adrese dostave", "relocation"),
        ("Nitko se nije javio", "chasing"),
        ("Jos uvijek cekam odgovor", "chasing"),
        ("Urgiram narudžbu 1182", "chasing"),
        ("Cijene opet porasle?", "competitor"),
        ("Fali dio robe u dostavi", "quality"),
        ("Fali nam sira za vikend", None),  # short of cheese: an order, not a complaint
        ("Losos za vikend", None),
        ("Skupina gostiju u subotu", None),  # "skup" starts "skupina" (group), "skupo" is expensive
        ("Javit ću se kasnije", None),  # "kasnije" is later, not late
        ("Cjenik za 2025", None),
        ("Vlasnik preminuo - zatvaranje", "relocation"),
        ("Zatvaramo za zimu, javimo se u travnju", None),  # closed for the winter, back in April
        ("Novi komercijalist - upoznavanje", "manager_change"),
        ("Tko je sada naš komercijalist?", "manager_change"),
        ("Upoznavanje, ja sam vaš novi kontakt", "manager_change"),
        ("Novi kontakt telefon za dostavu", None),  # the customer's new phone number
        ("Šogor otvorio distribuciju, prelazimo kod njega", "personal_ties"),
        ("Sin sada radi u Gastro plusu", "personal_ties"),
        ("Prijatelj ima veletrgovinu", "personal_ties"),
        ("Dostava kod muzeja, ulaz iz dvorišta", None),  # "muz" is a husband only as a whole word
        ("Preuzimanje objekta - novi vlasnik", None),
        ("Preporuka od prijatelja", None),
        ("Svaki put ne radi", "quality"),  # "svaki" is every, not a brother-in-law
        ("Prijateljski pozdrav, firma Gastro", None),  # kind regards
    ],
}
FAMILY_FEATURE = {
    "competitor": "competitor_contacts_90d",
    "quality": "quality_contacts_90d",
    "relocation": "relocation_contacts_180d",
    "chasing": "chasing_contacts_90d",
    "manager_change": "manager_change_contacts_365d",
    "personal_ties": "personal_ties_contacts_365d",
}


@pytest.mark.parametrize("language", sorted(TOPICS_BY_LANGUAGE))
def test_default_words_read_the_labels_languages_and_not_lookalikes(language):
    """Topic by topic: customer i wrote topic i and nothing else."""
    topics = TOPICS_BY_LANGUAGE[language]
    ids, tables = one_topic_each([topic for topic, _ in topics])
    expected = pd.DataFrame(
        {
            feature: [float(about == family) for _, about in topics]
            for family, feature in FAMILY_FEATURE.items()
        },
        index=pd.Index(ids, name="customer_id"),
    )
    for built in (build_features(tables, AS_OF), reference_features(tables, ids, CUTOFF)):
        got = built.loc[ids, list(FAMILY_FEATURE.values())].rename_axis("customer_id")
        wrong = got.index[(got != expected).any(axis=1)]
        assert [topics[ids.index(i)][0] for i in wrong] == []


def test_numbered_topics_match_as_their_words_say():
    """Topics that differ only in their numbers share one search (their shape), and a keyword with a
    number in it still reads the number: the builder answers as the slow reference does."""
    topics = [
        "Re: #4471 no reply",  # shares its shape with the next
        "Re: #18 no reply",
        "2nd request: invoice 1180",
        "12nd request: invoice 1180",  # "2nd" does not start a word here
        "3rd request - PO 55",  # nor does "2nd request" say "3rd"
        "Invoice 7 price2 went up",  # "price*" runs on through the digit
        "Order 5512 shipped",
    ]
    ids, tables = one_topic_each(topics)
    words = TopicKeywords(chasing=("no reply", "2nd request"), competitor=("price* went up",))
    expected_chasing = [1, 1, 1, 0, 0, 0, 0]
    expected_competitor = [0, 0, 0, 0, 0, 1, 0]
    built = build_features(tables, AS_OF, topic_keywords=words).loc[ids]
    slow = reference_features(
        tables, ids, CUTOFF, competitor_words=words.competitor, chasing_words=words.chasing
    )
    for rows in (built, slow):
        assert rows["chasing_contacts_90d"].tolist() == expected_chasing
        assert rows["competitor_contacts_90d"].tolist() == expected_competitor


def test_keywords_match_without_case_or_diacritics_star_ends_a_word_and_dots_skip_words():
    topics = [
        "ČEKAM odgovor",
        "cekamo vas odgovor od ponedjeljka",  # "..." lets up to two words in between
        "Čekamo već dva tjedna vaš odgovor",  # not four
        "cekamo vec tri dana odgovor",  # nor three
        "Please call  back",  # a space in a keyword is any run of spaces
        "Call: back in stock alert not working",  # but punctuation is itself: no call-back asked for
        "Ponuda od drugih dobavljača",
        "Drugi dobavljac",
        "Drugi/dobavljač",  # "*" is the rest of a word, not the punctuation after it
        "Dobavljač",
    ]
    tables = one_customer(contacts=topics_written_in(topics))
    words = TopicKeywords(chasing=("čeka* ... odgovor", "call back"), competitor=("drug* dobavljač",))
    built = build_features(tables, AS_OF, topic_keywords=words).loc["A"]
    slow = reference_features(
        tables, ["A"], CUTOFF, competitor_words=words.competitor, chasing_words=words.chasing
    )
    for row in (built, slow.loc["A"]):
        assert (row["chasing_contacts_90d"], row["competitor_contacts_90d"]) == (3, 2)


def test_a_word_of_choices_is_a_whole_word_unless_it_ends_in_a_star():
    topics = [
        "My brother now works at Bricks Ltd",  # "..." between the choices
        "our sisters run a shop",  # "sister*" is any word it starts, "run*" too
        "Our sister company's workshop",  # "works" is a whole word: not "workshop"
        "His brother works there",  # "his" is not one of the choices
        "MY SISTER RUNNING A STALL",
    ]
    tables = one_customer(contacts=topics_written_in(topics))
    words = TopicKeywords(personal_ties=("(my|our) (brother|sister*) ... (works|run*)",))
    built = build_features(tables, AS_OF, topic_keywords=words).loc["A"]
    slow = reference_features(tables, ["A"], CUTOFF, personal_ties_words=words.personal_ties)
    for row in (built, slow.loc["A"]):
        assert row["personal_ties_contacts_365d"] == 3


def test_topic_keywords_come_from_the_config():
    tables = one_customer(
        contacts=[
            {
                "customer_id": "A",
                "contacted_at": at(10),
                "direction": "inbound",
                "topic": "Angebot vom Wettbewerber",
            },
            {"customer_id": "A", "contacted_at": at(11), "direction": "inbound", "topic": "Umzug"},
        ]
    )
    defaults = build_features(tables, AS_OF).loc["A"]  # no German among the default words
    assert (defaults["competitor_contacts_90d"], defaults["relocation_contacts_180d"]) == (0, 0)
    german = TopicKeywords(competitor=("wettbewerb",), relocation=("umzug",))
    row = build_features(tables, AS_OF, topic_keywords=german).loc["A"]
    assert (row["competitor_contacts_90d"], row["relocation_contacts_180d"]) == (1, 1)


def test_referrer_who_stopped_buying_or_cancelled():
    tables = one_customer(
        orders=[
            {"customer_id": "A", "ordered_at": at(10), "amount": 1.0},
            {"customer_id": "B", "ordered_at": at(10), "amount": 1.0},
            {"customer_id": "C", "ordered_at": at(10), "amount": 1.0},
            {"customer_id": "D", "ordered_at": at(10), "amount": 1.0},
            {"customer_id": "R_lapsed", "ordered_at": at(120), "amount": 1.0},
            {"customer_id": "R_active", "ordered_at": at(30), "amount": 1.0},
            {"customer_id": "R_cancelled", "ordered_at": at(30), "amount": 1.0},
        ],
        customers=[
            {"customer_id": "A", "referred_by": "R_lapsed", "cancelled_at": pd.NaT},
            {"customer_id": "B", "referred_by": "R_active", "cancelled_at": pd.NaT},
            {"customer_id": "C", "referred_by": "R_cancelled", "cancelled_at": pd.NaT},
            {"customer_id": "D", "referred_by": None, "cancelled_at": pd.NaT},
            {"customer_id": "R_lapsed", "referred_by": None, "cancelled_at": pd.NaT},
            {"customer_id": "R_active", "referred_by": None, "cancelled_at": pd.NaT},
            {"customer_id": "R_cancelled", "referred_by": None, "cancelled_at": at(5)},
        ],
    )
    tables["customers"]["cancelled_at"] = pd.to_datetime(tables["customers"]["cancelled_at"], utc=True)
    features = build_features(tables, AS_OF)
    assert features.loc[["A", "B", "C"], "referrer_inactive"].tolist() == [1, 0, 1]
    assert np.isnan(features.loc["D", "referrer_inactive"])  # not referred: documented as missing
    assert features.loc["A", "referrer_days_since_last_order"] == pytest.approx(120)


def test_region_change_in_the_last_180_days():
    def order(customer: str, days_before: float, region: str | None) -> dict:
        return {"customer_id": customer, "ordered_at": at(days_before), "amount": 1.0, "region": region}

    tables = one_customer(
        orders=[
            order("moved", 300, "north"),
            order("moved", 100, "south"),  # the change happened 100 days ago
            order("moved_long_ago", 300, "north"),
            order("moved_long_ago", 200, "south"),  # 200 days ago: outside the window
            order("moved_long_ago", 50, "south"),
            order("unknown_region", 300, "north"),
            order("unknown_region", 50, None),  # no region: no evidence of a move
            order("stayed", 300, "east"),
            order("stayed", 20, "east"),
        ]
    )
    changed = build_features(tables, AS_OF)["region_changed_180d"]
    assert changed.to_dict() == {"moved": 1, "moved_long_ago": 0, "stayed": 0, "unknown_region": 0}


def test_features_of_an_absent_table_or_column_are_not_built(tables):
    """Dropping a column removes exactly the features that need it; the rest keep their values.

    Features that read it when present (`also_uses`, directly or through a `when_missing` fill) may
    change; nothing else may. That also proves each declaration lists every column its code reads.
    """
    full = build_features(tables, AS_OF)
    assert list(full.columns) == list(DECLARED)  # the synthetic CRM has every table and column
    optional = sorted(
        {column for feature in DECLARED.values() for column in (*feature.needs, *feature.also_uses)}
    )
    for dotted in optional:
        table, column = dotted.split(".")
        without = dict(tables)
        if "=" in column:  # a value marker: the CRM has no rows with that value at all
            column, value = column.split("=")
            without[table] = tables[table][tables[table][column] != value]
            gone = {dotted}
            touched = {c for c in optional if c.startswith(f"{table}.")}  # other rows' counts stay
        elif TABLES[table].column(column).required:  # a required column stands for its whole table
            del without[table]
            gone = touched = {c for c in optional if c.startswith(f"{table}.")}
        else:
            without[table] = tables[table].drop(columns=column)
            gone = touched = {dotted}
        built = build_features(without, AS_OF)
        expected = [name for name, feature in DECLARED.items() if not gone & set(feature.needs)]
        assert list(built.columns) == expected, dotted
        unaffected = [name for name in expected if not touched & _reads(name)]
        # (without cancelled_at, customers who cancelled stay in the population: compare the others)
        pd.testing.assert_frame_equal(
            built.loc[full.index, unaffected], full[unaffected], check_exact=True, obj=dotted
        )

    orders_only = build_features({"orders": tables["orders"]}, AS_OF)
    needing_no_other_table = [
        name for name, feature in DECLARED.items() if all(c.startswith("orders.") for c in feature.needs)
    ]
    assert list(orders_only.columns) == needing_no_other_table
    assert "days_since_last_outbound" not in orders_only
    assert "complaints_90d" not in orders_only


def _reads(name: str) -> set[str]:
    """Every optional column a feature's value can depend on: needs, also_uses and its fill's."""
    feature = DECLARED[name]
    columns = {*feature.needs, *feature.also_uses}
    fill = feature.when_missing.fill if feature.when_missing else None
    if isinstance(fill, str) and fill != MISSING:
        columns |= _reads(fill)
    return columns


def test_an_entirely_empty_column_counts_as_absent(tables):
    emptied = dict(tables)
    emptied["orders"] = tables["orders"].assign(region=None)
    assert "orders.region" not in present_columns(emptied)
    assert "region_changed_180d" not in build_features(emptied, AS_OF)


def test_an_empty_table_counts_as_absent(tables):
    emptied = {**tables, "contacts": tables["contacts"].head(0), "complaints": tables["complaints"].head(0)}
    built = build_features(emptied, AS_OF)
    assert not {"days_since_last_outbound", "complaints_90d", "competitor_contacts_90d"} & set(built.columns)


def test_only_features_declared_missing_have_empty_values(tables):
    features = build_features(tables, AS_OF)
    with_gaps = set(features.columns[features.isna().any()])
    allowed = {name for name, f in DECLARED.items() if f.when_missing and f.when_missing.fill == MISSING}
    assert with_gaps <= allowed
    assert {"typical_gap_days", "latest_pulse_score", "referrer_inactive"} <= with_gaps  # the data has them


def test_facts_dated_after_the_cutoff_on_earlier_rows_are_not_known(tables):
    """Snapshot columns: an answer, a resolution or a return flag that came later must not leak."""
    rng = np.random.default_rng(4)
    # The baseline CRM: some young requests carry no answer time (their `answered` flag is a snapshot).
    contacts = tables["contacts"].copy()
    unknown_time = (contacts["contacted_at"] < CUTOFF) & (
        contacts["contacted_at"] > CUTOFF - pd.Timedelta(days=7)
    )
    unknown_time &= (contacts["direction"] == "inbound") & (rng.random(len(contacts)) < 0.5)
    assert unknown_time.sum() > 5
    contacts.loc[unknown_time, "response_hours"] = np.nan
    # ...and the requests of the last two days answered only after the cutoff.
    late = (contacts["direction"] == "inbound") & ~unknown_time
    late &= (contacts["contacted_at"] < CUTOFF) & (contacts["contacted_at"] > CUTOFF - pd.Timedelta(days=2))
    assert late.sum() > 5
    contacts.loc[late, ["answered", "response_hours"]] = [True, 72.0]
    baseline = {**tables, "contacts": contacts}
    before = build_features(baseline, AS_OF)
    changed = dict(baseline)

    complaints = tables["complaints"].copy()
    resolved_later = complaints["resolved_at"] >= CUTOFF
    assert (resolved_later & (complaints["opened_at"] < CUTOFF)).sum() > 5
    never = rng.random(len(complaints)) < 0.5
    complaints.loc[resolved_later & never, "resolved_at"] = pd.NaT
    complaints.loc[resolved_later & ~never, "resolved_at"] += pd.Timedelta(days=30)
    changed["complaints"] = complaints

    contacts = contacts.copy()
    answer_time = contacts["contacted_at"] + pd.to_timedelta(contacts["response_hours"], unit="h")
    answered_later = (contacts["contacted_at"] < CUTOFF) & (answer_time >= CUTOFF)
    assert answered_later.any()
    contacts.loc[answered_later, "answered"] = False
    contacts.loc[answered_later, "response_hours"] = np.nan
    contacts.loc[unknown_time, "answered"] = ~contacts.loc[unknown_time, "answered"].fillna(False)
    changed["contacts"] = contacts

    orders = tables["orders"].copy()
    young = (orders["ordered_at"] < CUTOFF) & (orders["ordered_at"] > CUTOFF - pd.Timedelta(days=30))
    assert young.sum() > 100
    orders.loc[young, "returned"] = ~orders.loc[young, "returned"]
    changed["orders"] = orders

    customers = tables["customers"].copy()  # today's region tells of moves still to come: unused
    customers["region"] = customers["region"].sample(frac=1, random_state=1).to_numpy()
    changed["customers"] = customers

    pd.testing.assert_frame_equal(build_features(changed, AS_OF), before, check_exact=True)


def test_an_answer_exactly_at_the_cutoff_had_not_come_yet():
    minutes = pd.Timedelta(minutes=1)

    def request(at_time: pd.Timestamp) -> dict:
        return {
            "customer_id": "A",
            "contacted_at": at_time,
            "direction": "inbound",
            "answered": True,
            "response_hours": 29 / 60,
        }

    tables = one_customer()
    tables["contacts"] = frame([request(CUTOFF - 29 * minutes), request(CUTOFF - 30 * minutes)]).astype(
        {"answered": "boolean"}
    )
    row = build_features(tables, AS_OF).loc["A"]
    assert row["unanswered_requests_365d"] == 1  # answered at 00:00:00 on the next day: too late
    assert row["avg_response_hours_365d"] == pytest.approx(29 / 60)


def test_a_crm_that_logs_no_outbound_contacts_says_nothing_about_our_silence(tables):
    helpdesk_only = {**tables, "contacts": tables["contacts"][tables["contacts"]["direction"] == "inbound"]}
    exit_only = tables["surveys"][tables["surveys"]["kind"] == "exit"]
    built = build_features({**helpdesk_only, "surveys": exit_only}, AS_OF)
    assert not {
        "days_since_last_outbound",
        "longest_outbound_gap_365d",
        "days_to_followup_after_last_order",
    } & set(built.columns)
    assert "unanswered_requests_365d" in built and "latest_pulse_score" not in built


def test_a_region_written_another_way_is_not_a_move():
    def orders(customer: str, *regions) -> list[dict]:
        return [
            {"customer_id": customer, "ordered_at": at(150 - 20 * i), "amount": 1.0, "region": region}
            for i, region in enumerate(regions)
        ]

    tables = one_customer(
        orders=[
            *orders("case", "North", " north"),
            # Romanian typed with the comma below, with the older cedilla, and without either
            *orders("diacritics", "Chișinău", "Chişinău", "CHISINAU", "chisinau"),
            *orders("punctuation", "Cluj-Napoca", "cluj  napoca", "St. Petersburg", "St Petersburg"),
            *orders("placeholder", "north", "--", "north"),  # nothing left of "--": no region
            *orders("codes", 7, 8),  # codes, not names: 7 and 8 are two regions
            *orders("moved", "Chișinău", "Bălți"),
        ]
    )
    ids = ["case", "diacritics", "punctuation", "placeholder", "codes", "moved"]
    # "punctuation" moves once: from Cluj-Napoca to St. Petersburg
    expected = [0, 0, 1, 0, 1, 1]
    assert build_features(tables, AS_OF).loc[ids, "region_changed_180d"].tolist() == expected
    assert reference_features(tables, ids, CUTOFF)["region_changed_180d"].tolist() == expected
