"""Every bad-input case of the contract, with the exact message a user sees."""

from __future__ import annotations

import pandas as pd
import pytest

from features.errors import DataContractError
from features.validation import load_crm, summarize
from tests.conftest import NOW, write_csv_folder

ORDERS_OK = """
    order_id,customer_id,ordered_at,amount,returned
    1,C1,2024-01-05,10.5,false
    2,C2,2024-02-01T10:00:00+02:00,20,false
"""
CUSTOMERS_OK = """
    customer_id,signed_up_at,referred_by
    C1,2023-01-01,
    C2,2023-03-01,C1
"""


def problems_of(folder, config, **options) -> list[str]:
    with pytest.raises(DataContractError) as raised:
        load_crm(str(folder), config, now=NOW, **options)
    return [problem.describe() for problem in raised.value.problems]


def test_good_data_is_typed_in_utc(tmp_path, config):
    folder = write_csv_folder(tmp_path, orders=ORDERS_OK, customers=CUSTOMERS_OK)
    crm = load_crm(str(folder), config, now=NOW)
    orders = crm.tables["orders"]
    assert str(orders["ordered_at"].dtype) == "datetime64[ns, UTC]"
    assert orders["ordered_at"].tolist() == [
        pd.Timestamp("2024-01-05T00:00:00Z"),
        pd.Timestamp("2024-02-01T08:00:00Z"),
    ]
    assert orders["amount"].tolist() == [10.5, 20.0]
    assert orders["returned"].tolist() == [False, False]
    assert set(crm.tables) == {"orders", "customers"}  # absent optional tables stay absent
    summary = summarize(crm.tables).set_index("table")
    assert summary.loc["orders", "rows"] == 2
    assert summary.loc["orders", "first"] == pd.Timestamp("2024-01-05T00:00:00Z")


def test_missing_required_table(tmp_path, config):
    folder = write_csv_folder(tmp_path, customers=CUSTOMERS_OK)
    assert problems_of(folder, config) == [
        f"orders: [required_table] the table is required but there is no orders.parquet or orders.csv in {folder}"
    ]


def test_missing_required_column_lists_what_the_file_has(tmp_path, config):
    folder = write_csv_folder(tmp_path, orders="customer_id,ordered_at\nC1,2024-01-01\n")
    assert problems_of(folder, config) == [
        f"orders.amount: [required_column] the column is required but missing in {folder}/orders.csv; "
        "it has: customer_id, ordered_at"
    ]


def test_missing_mapped_column_names_the_crm_column(tmp_path, config):
    folder = write_csv_folder(tmp_path, orders="customer_id,ordered_at,total\nC1,2024-01-01,3\n")
    mapped = config.model_copy(
        update={"source": config.source.model_copy(update={"columns": {"orders": {"amount": "total_eur"}}})}
    )
    assert problems_of(folder, mapped) == [
        "orders.amount: [required_column] the column is required but missing (mapped from 'total_eur' in "
        f"source.columns) in {folder}/orders.csv; it has: customer_id, ordered_at, total"
    ]


def test_missing_columns_list_the_files_own_names(tmp_path, config):
    """Only the contract's columns are read; the message lists every column the file has, as written."""
    folder = write_csv_folder(tmp_path, orders="Customer_ID,Ordered_At,amount,note\nC1,2024-01-01,3,x\n")
    problems = problems_of(folder, config)
    assert [problem.split(":")[0] for problem in problems] == ["orders.customer_id", "orders.ordered_at"]
    assert all(problem.endswith("; it has: Customer_ID, Ordered_At, amount, note") for problem in problems)


def test_a_csv_header_naming_a_contract_column_twice_is_refused(tmp_path, config):
    """pandas would read the second `amount` as `amount.1` and the first would be taken without a word."""
    folder = write_csv_folder(
        tmp_path,
        orders="customer_id,amount,ordered_at,amount,note,note\nC1,3,2024-01-01,4,x,y\n",
        customers=CUSTOMERS_OK,
    )
    assert problems_of(folder, config) == [
        f"orders.amount: [one_column_per_name] 2 columns are named 'amount' in {folder}/orders.csv: keep one"
    ]  # a repeated column the contract does not read (`note`) is no problem


def test_a_wide_files_columns_are_cut_after_ten(tmp_path, config):
    extra = [f"extra_{number}" for number in range(1, 21)]
    folder = write_csv_folder(
        tmp_path, orders=",".join(["customer_id", "ordered_at", *extra]) + "\nC1,2024-01-01" + "," * 20 + "\n"
    )
    (problem,) = problems_of(folder, config)
    assert problem.endswith(f"; it has: customer_id, ordered_at, {', '.join(extra[:8])}, … (22 in all)")


@pytest.mark.parametrize(("separator", "called"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_header_split_on_another_separator_is_named(tmp_path, config, separator, called):
    header = separator.join(["customer_id", "ordered_at", "amount"])
    folder = write_csv_folder(
        tmp_path, orders=f"{header}\n" + separator.join(["C1", "2024-01-01", "3"]) + "\n"
    )
    problems = problems_of(folder, config)
    assert len(problems) == 3  # not one contract column is found
    assert problems[0].endswith(
        f"; it has one column, '{header.replace(chr(9), ' ')}': the file looks separated by {called}, not commas"
    )


def test_unparsable_timestamps_and_amounts(tmp_path, config):
    folder = write_csv_folder(
        tmp_path,
        orders="""
            customer_id,ordered_at,amount
            C1,2024-01-01,10
            C2,01/02/2024,abc
            C3,2024-02-30,5
        """,
    )
    assert problems_of(folder, config) == [
        "orders.ordered_at: [parseable_timestamp] not an ISO 8601 timestamp (e.g. 2024-03-01 or "
        "2024-03-01T14:30:00+02:00) — 2 of 3 rows, e.g. row 2 (customer_id=C2, ordered_at=01/02/2024); "
        "row 3 (customer_id=C3, ordered_at=2024-02-30)",
        "orders.amount: [parseable_number] not a number — 1 of 3 rows, e.g. row 2 (customer_id=C2, amount=abc)",
    ]


def test_negative_amount_only_allowed_on_returns(tmp_path, config):
    folder = write_csv_folder(
        tmp_path,
        orders="""
            customer_id,ordered_at,amount,returned
            C1,2024-01-01,-10,true
            C2,2024-01-02,-5,false
            C3,2024-01-03,-7,
        """,
    )
    assert problems_of(folder, config) == [
        "orders.amount: [non_negative_amount] negative amount on an order that is not marked returned — "
        "2 of 3 rows, e.g. row 2 (customer_id=C2, amount=-5, returned=false); "
        "row 3 (customer_id=C3, amount=-7, returned=<empty>)"
    ]


def test_duplicate_order_id(tmp_path, config):
    folder = write_csv_folder(
        tmp_path,
        orders="""
            order_id,customer_id,ordered_at,amount
            A1,C1,2024-01-01,1
            A2,C1,2024-01-02,2
            A1,C2,2024-01-03,3
        """,
    )
    assert problems_of(folder, config) == [
        "orders.order_id: [unique] duplicate value; each must be unique — 2 of 3 rows, "
        "e.g. row 1 (customer_id=C1, order_id=A1); row 3 (customer_id=C2, order_id=A1)"
    ]


def test_unknown_codes_in_every_coded_column(tmp_path, config):
    folder = write_csv_folder(
        tmp_path,
        orders=ORDERS_OK,
        contacts="""
            customer_id,contacted_at,direction
            C1,2024-01-01, Inbound
            C1,2024-01-02,sideways
        """,
        complaints="""
            customer_id,opened_at,category
            C1,2024-01-01,QUALITY
            C1,2024-01-02,smell
        """,
        surveys="""
            customer_id,answered_at,kind,reason
            C1,2024-01-01,exit,price
            C1,2024-01-02,poll,
        """,
    )
    assert problems_of(folder, config) == [
        "contacts.direction: [known_code] unknown code; allowed: inbound, outbound — 1 of 2 rows, "
        "e.g. row 2 (customer_id=C1, direction=sideways)",
        "complaints.category: [known_code] unknown code; allowed: quality, service, price, delivery, other — "
        "1 of 2 rows, e.g. row 2 (customer_id=C1, category=smell)",
        "surveys.kind: [known_code] unknown code; allowed: pulse, exit — 1 of 2 rows, "
        "e.g. row 2 (customer_id=C1, kind=poll)",
        "surveys.reason: [known_code] unknown code; allowed: indifference, product_quality, competitor, "
        "personal_ties, moved_or_died — 1 of 2 rows, e.g. row 1 (customer_id=C1, reason=price)",
    ]


def test_customer_ids_must_be_in_customers_when_given(tmp_path, config):
    folder = write_csv_folder(
        tmp_path,
        orders=ORDERS_OK + "    3,C9,2024-03-01,5,false\n",
        customers=CUSTOMERS_OK + "    C3,2023-01-01,C7\n",
        contacts="customer_id,contacted_at,direction\nC8,2024-01-01,outbound\n",
    )
    assert problems_of(folder, config) == [
        "customers.referred_by: [known_referrer] referred_by is not a customer_id in the customers table — "
        "1 of 3 rows, e.g. row 3 (customer_id=C3, referred_by=C7)",
        "orders.customer_id: [known_customer] customer_id not found in the customers table — 1 of 3 rows, "
        "e.g. row 3 (customer_id=C9)",
        "contacts.customer_id: [known_customer] customer_id not found in the customers table — 1 of 1 rows, "
        "e.g. row 1 (customer_id=C8)",
    ]


def test_without_customers_table_any_customer_id_is_accepted(tmp_path, config):
    folder = write_csv_folder(tmp_path, orders=ORDERS_OK + "    3,C9,2024-03-01,5,false\n")
    assert len(load_crm(str(folder), config, now=NOW).tables["orders"]) == 3


def test_timestamps_after_now_are_clock_errors(tmp_path, config):
    folder = write_csv_folder(
        tmp_path,
        orders="""
            customer_id,ordered_at,amount
            C1,2025-12-31T23:59:00Z,1
            C2,2026-01-01T00:04:00Z,1
            C3,2026-01-01T00:06:00Z,1
        """,
    )
    # The default tolerance is 5 minutes past `now`.
    assert problems_of(folder, config) == [
        "orders.ordered_at: [not_in_future] later than the current time: a clock or time-zone error — "
        "1 of 3 rows, e.g. row 3 (customer_id=C3, ordered_at=2026-01-01T00:06:00Z)"
    ]


def test_scheduled_contract_end_may_lie_ahead(tmp_path, config):
    folder = write_csv_folder(
        tmp_path, orders=ORDERS_OK, customers="customer_id,cancelled_at\nC1,2027-06-30\nC2,\n"
    )
    crm = load_crm(str(folder), config, now=NOW)
    assert crm.tables["customers"]["cancelled_at"].iloc[0] == pd.Timestamp("2027-06-30T00:00:00Z")


def test_empty_orders_table(tmp_path, config):
    folder = write_csv_folder(tmp_path, orders="customer_id,ordered_at,amount\n")
    assert problems_of(folder, config) == ["orders: [non_empty] the table has no rows"]


def test_corrupt_parquet_and_undecodable_csv(tmp_path, config):
    folder = write_csv_folder(tmp_path, orders=ORDERS_OK)
    (folder / "complaints.parquet").write_bytes(b"PAR1 this is not parquet")
    (folder / "surveys.csv").write_bytes(b"customer_id,answered_at,kind\n\xff\xfe\xfa,2024-01-01,exit\n")
    problems = problems_of(folder, config)
    assert problems[0].startswith(f"complaints: [readable_file] cannot read {folder}/complaints.parquet: ")
    assert problems[1].startswith(f"surveys: [readable_file] cannot read {folder}/surveys.csv: ")
    assert "utf-8" in problems[1]
    assert len(problems) == 2


def test_two_files_for_one_table(tmp_path, config):
    folder = write_csv_folder(tmp_path, orders=ORDERS_OK)
    pd.DataFrame({"customer_id": ["C1"], "ordered_at": ["2024-01-01"], "amount": [1.0]}).to_parquet(
        folder / "orders.parquet"
    )
    assert problems_of(folder, config) == [
        "orders: [one_file_per_table] found orders.parquet, orders.csv: keep one"
    ]


def test_resolution_before_opening_and_out_of_range_values(tmp_path, config):
    folder = write_csv_folder(
        tmp_path,
        orders="customer_id,ordered_at,amount,discount_amount\nC1,2024-01-01,10,-1\n",
        complaints="customer_id,opened_at,resolved_at\nC1,2024-01-05,2024-01-04\nC1,2024-01-05,\n",
        surveys="customer_id,answered_at,kind,score\nC1,2024-01-01,pulse,11\nC1,2024-01-02,pulse,10\n",
        contacts="customer_id,contacted_at,direction,answered,response_hours\nC1,2024-01-01,inbound,maybe,-2\n",
    )
    assert problems_of(folder, config) == [
        "orders.discount_amount: [in_range] below 0 — 1 of 1 rows, "
        "e.g. row 1 (customer_id=C1, discount_amount=-1)",
        "contacts.answered: [parseable_bool] not a boolean (true/false, yes/no, 1/0) — 1 of 1 rows, "
        "e.g. row 1 (customer_id=C1, answered=maybe)",
        "contacts.response_hours: [in_range] below 0 — 1 of 1 rows, "
        "e.g. row 1 (customer_id=C1, response_hours=-2)",
        "complaints.resolved_at: [resolved_after_opened] resolved_at is before opened_at — 1 of 2 rows, "
        "e.g. row 1 (customer_id=C1, resolved_at=2024-01-04, opened_at=2024-01-05)",
        "surveys.score: [in_range] outside 0 to 10 — 1 of 2 rows, e.g. row 1 (customer_id=C1, score=11)",
    ]


def test_empty_required_value(tmp_path, config):
    folder = write_csv_folder(tmp_path, orders="customer_id,ordered_at,amount\n,2024-01-01,1\nC2,,2\n")
    assert problems_of(folder, config) == [
        "orders.customer_id: [not_null] a required value is empty — 1 of 2 rows, e.g. row 1 (customer_id=<empty>)",
        "orders.ordered_at: [not_null] a required value is empty — 1 of 2 rows, "
        "e.g. row 2 (customer_id=C2, ordered_at=<empty>)",
    ]


def test_problems_in_all_tables_are_reported_at_once(tmp_path, config):
    folder = write_csv_folder(
        tmp_path,
        orders="customer_id,ordered_at,amount\nC1,yesterday,1\n",
        contacts="customer_id,contacted_at\nC1,2024-01-01\n",
    )
    problems = problems_of(folder, config)
    assert [problem.split(":")[0] for problem in problems] == ["orders.ordered_at", "contacts.direction"]


def test_only_more_than_five_examples_are_cut(tmp_path, config):
    rows = "".join(f"C{i},2024-01-01,-{i}\n" for i in range(1, 9))
    folder = write_csv_folder(tmp_path, orders="customer_id,ordered_at,amount\n" + rows)
    (problem,) = problems_of(folder, config)
    assert "8 of 8 rows" in problem
    assert problem.count("row ") == 5
    assert "row 5 (customer_id=C5" in problem and "row 6" not in problem


def test_drop_invalid_sets_rows_aside_and_keeps_the_rest(tmp_path, config):
    folder = write_csv_folder(
        tmp_path,
        orders="""
            order_id,customer_id,ordered_at,amount
            1,C1,2024-01-01,10
            2,C2,someday,abc
            3,C1,2024-01-03,-4
            4,C2,2024-01-04,5
        """,
    )
    crm = load_crm(str(folder), config, now=NOW, drop_invalid=True)
    assert crm.tables["orders"]["order_id"].tolist() == ["1", "4"]
    quarantined = crm.quarantined["orders"]
    assert quarantined["source_row"].tolist() == [2, 3]
    assert quarantined["broken_rules"].tolist() == [
        "ordered_at:parseable_timestamp;amount:parseable_number",
        "amount:non_negative_amount",
    ]
    assert quarantined["amount"].tolist() == ["abc", "-4"]  # as the user wrote it
    assert {(p.column, p.rule, p.rows) for p in crm.dropped} == {
        ("ordered_at", "parseable_timestamp", 1),
        ("amount", "parseable_number", 1),
        ("amount", "non_negative_amount", 1),
    }


def test_drop_invalid_cannot_drop_a_missing_table(tmp_path, config):
    folder = write_csv_folder(tmp_path, contacts="customer_id,contacted_at,direction\nC1,2024-01-01,x\n")
    problems = problems_of(folder, config, drop_invalid=True)
    assert [p.split(":")[0] for p in problems] == ["orders"]


def test_drop_invalid_that_empties_orders_still_fails(tmp_path, config):
    """The file had rows: saying the table has none would send the user looking in the wrong place."""
    folder = write_csv_folder(
        tmp_path, orders="customer_id,ordered_at,amount\nC1,2024-01-01,-1\nC2,someday,-2\nC3,2024-01-02,x\n"
    )
    assert problems_of(folder, config, drop_invalid=True) == [
        "orders: [non_empty] all 3 rows were set aside by --drop-invalid, none is left (rows per rule: "
        "ordered_at [parseable_timestamp] 1, amount [parseable_number] 1, amount [non_negative_amount] 2)"
    ]
    one_row = write_csv_folder(tmp_path / "one", orders="customer_id,ordered_at,amount\nC1,2024-01-01,-1\n")
    (problem,) = problems_of(one_row, config, drop_invalid=True)
    assert problem.startswith("orders: [non_empty] its one row was set aside by --drop-invalid")
