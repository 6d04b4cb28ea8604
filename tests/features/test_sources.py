"""Reading the contract from CSV, Parquet, SQLite and a real PostgreSQL server, with name mappings."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from features.config import PipelineConfig, SourceConfig
from features.errors import ChurnError, DataContractError
from features.sources import url_without_password
from features.validation import load_crm
from pipelines.export import check_sink
from pipelines.files import write_tables
from tests.conftest import NOW, write_csv_folder


def with_source(**source) -> PipelineConfig:
    return PipelineConfig(source=SourceConfig(**source))


@pytest.fixture(scope="module")
def sample_tables(small_crm) -> dict[str, pd.DataFrame]:
    """The synthetic CRM's first 150 customers, every table."""
    keep = set(small_crm.tables["customers"]["customer_id"].astype(str).iloc[:150])
    tables = {}
    for name, frame in small_crm.tables.items():
        frame = frame[frame["customer_id"].astype(str).isin(keep)].reset_index(drop=True)
        if name == "customers":
            frame = frame.assign(referred_by=frame["referred_by"].where(frame["referred_by"].isin(keep)))
        tables[name] = frame
    return tables


def load_tables(data, config=None) -> dict[str, pd.DataFrame]:
    return load_crm(str(data), config or PipelineConfig(), now=NOW).tables


def assert_same_tables(actual: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    assert set(actual) == set(expected)
    for name in expected:
        pd.testing.assert_frame_equal(actual[name], expected[name], check_like=True, obj=name)


def to_database(tables: dict[str, pd.DataFrame], url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for name, frame in tables.items():
            plain = frame.copy()
            for column in plain.columns:
                if isinstance(plain[column].dtype, pd.CategoricalDtype):
                    plain[column] = plain[column].astype(object)
            plain.to_sql(name, connection, if_exists="replace", index=False)
    engine.dispose()


def test_parquet_csv_sqlite_and_postgres_read_the_same(tmp_path, sample_tables, postgres_url):
    write_tables(sample_tables, tmp_path / "parquet", "parquet")
    write_tables(sample_tables, tmp_path / "csv", "csv")
    sqlite_url = f"sqlite:///{tmp_path / 'crm.db'}"
    to_database(sample_tables, sqlite_url)
    to_database(sample_tables, postgres_url)

    from_parquet = load_tables(tmp_path / "parquet")
    assert len(from_parquet["orders"]) == len(sample_tables["orders"]) > 100
    assert str(from_parquet["contacts"]["contacted_at"].dtype) == "datetime64[ns, UTC]"
    assert from_parquet["orders"]["order_id"].iloc[0] == str(sample_tables["orders"]["order_id"].iloc[0])
    assert_same_tables(load_tables(tmp_path / "csv"), from_parquet)
    assert_same_tables(load_tables(sqlite_url), from_parquet)
    assert_same_tables(load_tables(postgres_url), from_parquet)


def test_table_and_column_mapping(tmp_path):
    folder = write_csv_folder(
        tmp_path,
        sales="""
            client,order_date,total_eur,channel_note
            K-1,2024-05-01,12.5,web
        """,
    )
    config = with_source(
        tables={"orders": "sales"},
        columns={"orders": {"customer_id": "client", "ordered_at": "order_date", "amount": "total_eur"}},
    )
    orders = load_tables(folder, config)["orders"]
    assert orders.columns.tolist() == ["customer_id", "ordered_at", "amount"]  # unknown columns left out
    assert orders.iloc[0].tolist() == ["K-1", pd.Timestamp("2024-05-01T00:00:00Z"), 12.5]


def test_mapping_of_unknown_names_is_refused(tmp_path):
    folder = write_csv_folder(tmp_path, orders="customer_id,ordered_at,amount\nC1,2024-01-01,1\n")
    with pytest.raises(ChurnError, match=r"source.columns.orders maps unknown contract columns \['price'\]"):
        load_tables(folder, with_source(columns={"orders": {"price": "p"}}))
    with pytest.raises(ChurnError, match=r"source mapping names unknown tables \['sales'\]"):
        load_tables(folder, with_source(tables={"sales": "orders"}))


def test_naive_timestamps_are_read_in_the_configured_zone(tmp_path):
    folder = write_csv_folder(
        tmp_path,
        orders="""
            customer_id,ordered_at,amount
            C1,2024-07-01 12:00,1
            C2,2024-01-15T12:00:00,1
            C3,2024-07-01T12:00:00+00:00,1
            C4,2024-07-01T12:00:00Z,1
            C5,2024-03-31 03:30,1
        """,
    )
    orders = load_tables(folder, with_source(timezone="Europe/Kyiv"))["orders"]
    assert orders["ordered_at"].tolist() == [
        pd.Timestamp("2024-07-01T09:00:00Z"),  # Kyiv summer time is UTC+3
        pd.Timestamp("2024-01-15T10:00:00Z"),  # winter time is UTC+2
        pd.Timestamp("2024-07-01T12:00:00Z"),  # an explicit offset wins over the zone
        pd.Timestamp("2024-07-01T12:00:00Z"),
        pd.Timestamp("2024-03-31T01:00:00Z"),  # 03:30 does not exist that night: moved to 04:00 local
    ]


def test_naive_datetimes_from_a_database_use_the_zone(tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    frame = pd.DataFrame(
        {"customer_id": [7], "ordered_at": [pd.Timestamp("2024-07-01 12:00")], "amount": [3]}
    )
    to_database({"orders": frame}, url)
    orders = load_tables(url, with_source(timezone="America/New_York"))["orders"]
    assert orders.iloc[0].tolist() == ["7", pd.Timestamp("2024-07-01T16:00:00Z"), 3.0]


def test_database_without_orders_table(tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    contacts = pd.DataFrame({"customer_id": ["C1"], "contacted_at": ["2024-01-01"], "direction": ["inbound"]})
    to_database({"contacts": contacts}, url)
    with pytest.raises(DataContractError) as raised:
        load_tables(url)
    assert [p.describe() for p in raised.value.problems] == [
        f"orders: [required_table] the table is required but there is no table orders in {url}"
    ]


def test_unreachable_database_is_one_clear_error():
    with pytest.raises(ChurnError) as raised:
        load_tables("postgresql+psycopg://churn:secret@127.0.0.1:9/crm?connect_timeout=2")
    message = str(raised.value)
    assert message.startswith(
        "--data postgresql+psycopg://churn:***@127.0.0.1:9/crm?connect_timeout=2: cannot read the database ("
    )
    assert "secret" not in message and "\n" not in message


def test_unknown_database_driver():
    with pytest.raises(ChurnError, match="not a usable database URL"):
        load_tables("nosuchdb://localhost/crm")


def test_missing_folder(tmp_path):
    with pytest.raises(ChurnError, match="no such folder"):
        load_tables(tmp_path / "nowhere")


def test_missing_columns_are_listed_as_parquet_and_sqlite_name_them(tmp_path):
    """Only contract columns are read; a missing one's message lists what the source has, as named there."""
    frame = pd.DataFrame({"Customer_ID": ["C1"], "Ordered_At": ["2024-01-01"], "amount": [1.0]})
    write_tables({"orders": frame}, tmp_path / "parquet", "parquet")
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    to_database({"orders": frame}, url)
    none_of_the_contract = f"sqlite:///{tmp_path / 'other.db'}"
    to_database({"orders": frame.drop(columns="amount")}, none_of_the_contract)
    for data, listed in [
        (tmp_path / "parquet", "Customer_ID, Ordered_At, amount"),
        (url, "Customer_ID, Ordered_At, amount"),
        (none_of_the_contract, "Customer_ID, Ordered_At"),  # once a crash: SELECT of no column
    ]:
        with pytest.raises(DataContractError) as raised:
            load_tables(data)
        problems = raised.value.problems
        assert {problem.column for problem in problems} >= {"customer_id", "ordered_at"}
        assert all(problem.message.endswith(f"; it has: {listed}") for problem in problems)


def test_a_sqlite_file_that_does_not_exist_is_not_created(tmp_path):
    path = tmp_path / "nonexist.db"
    with pytest.raises(ChurnError) as raised:
        load_tables(f"sqlite:///{path}")
    assert str(raised.value) == f"--data sqlite:///{path}: no such database file: {path}"
    assert not path.exists()


@pytest.mark.parametrize(
    ("scheme", "why"),
    [
        ("postgres", "SQLAlchemy does not know postgres://"),
        ("postgresql", "its driver psycopg2 is not installed"),
    ],
)
def test_postgres_urls_sqlalchemy_cannot_load_say_what_to_write(scheme, why):
    """The same advice where the CRM is read (--data) and where the scores are written (--sink)."""
    for option, use in (("--data", load_tables), ("--sink", check_sink)):
        with pytest.raises(ChurnError) as raised:
            use(f"{scheme}://churn:secret@127.0.0.1:9/crm")
        assert str(raised.value) == (
            f"{option} {scheme}://churn:***@127.0.0.1:9/crm: {why}; write "
            "postgresql+psycopg://churn:***@127.0.0.1:9/crm (the psycopg 3 driver, which is installed)"
        )


@pytest.mark.parametrize(
    ("url", "instead"),
    [
        (
            "postgresql+asyncpg://churn:secret@127.0.0.1:9/crm",
            "postgresql+psycopg://churn:***@127.0.0.1:9/crm",
        ),
        ("sqlite+aiosqlite:///{db}", "sqlite:///{db}"),
    ],
)
def test_asynchronous_drivers_are_refused_with_the_url_to_write(tmp_path, url, instead):
    """SQLAlchemy loads them (Prefect installs both), but a synchronous call on them fails deep inside
    with a greenlet error: say which URL works, where the CRM is read and where the scores go."""
    db = tmp_path / "crm.db"
    db.touch()  # an existing file, so the SQLite case reaches the driver
    url, instead = url.format(db=db), instead.format(db=db)
    driver = url.split("+", 1)[1].split(":", 1)[0]
    for option, use in (("--data", load_tables), ("--sink", check_sink)):
        with pytest.raises(ChurnError) as raised:
            use(url)
        assert str(raised.value) == (
            f"{option} {url_without_password(url)}: {driver} is an asynchronous driver, which churn "
            f"cannot use; write {instead}"
        )
