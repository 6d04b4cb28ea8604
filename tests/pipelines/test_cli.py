"""The `churn` command as a user meets it: help, exit codes, one-line errors, files written or not."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from features.config import load_feature_declarations, load_reasons
from models.scoring import export_columns
from pipelines.cli import app
from pipelines.interrupts import STOP_SIGNALS
from tests.conftest import write_csv_folder

CHURN = str(Path(sys.executable).parent / "churn")
# Ctrl+C as at a terminal, however pytest was started: a background job of a non-interactive shell
# inherits SIGINT ignored, and Python then never turns it into KeyboardInterrupt.
RESTORE_CTRL_C = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"
SUBCOMMANDS = ("generate", "validate", "features", "train", "promote", "score", "evaluate", "demo", "serve")


def churn(*args: str, cwd: Path | None = None, prefect_server: bool = True) -> subprocess.CompletedProcess:
    """Run the installed console script, as a user would.

    Its flows report to the session's Prefect server; with prefect_server=False they run as a user's
    first run does, on Prefect's temporary server (no PREFECT_API_URL).
    """
    env = {**os.environ, "COLUMNS": "200"}
    if not prefect_server:
        env.pop("PREFECT_API_URL")
    return subprocess.run([CHURN, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def churn_here(
    *args: str, cwd: Path | None = None, env: dict[str, str | None] | None = None
) -> subprocess.CompletedProcess:
    """`churn ARGS` run by the console script's own entry point (`pipelines.cli.main`) in this process.

    The same code and the same output as `churn`, without the seconds a new process spends importing
    pandas, MLflow, XGBoost and Prefect (9.9 s for `churn score` on this 2-core machine): for the
    variants of a command (its refusals, a second run) whose run as a process `churn` tests beside
    them. What only a process shows stays with `churn`: output written to the file descriptors
    directly, a traceback at exit, signals, Prefect's temporary server. `env`: variables to set, or
    to remove (None), for this run.
    """
    from pipelines import cli

    stdout, stderr = io.StringIO(), io.StringIO()
    handlers = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}  # main() sets its own
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(stdout), redirect_stderr(stderr):
        patch.setattr(sys, "argv", ["churn", *args])
        for console in (cli.out, cli.err):  # as wide as `churn` draws with COLUMNS=200
            patch.setattr(console, "width", 200)
        for name, value in (env or {}).items():
            patch.delenv(name, raising=False) if value is None else patch.setenv(name, value)
        if cwd is not None:
            patch.chdir(cwd)
        try:
            cli.main()
            returncode = 0
        except SystemExit as exit:
            returncode = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
        finally:
            for signum, handler in handlers.items():
                signal.signal(signum, handler)
    return subprocess.CompletedProcess(["churn", *args], returncode, stdout.getvalue(), stderr.getvalue())


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_help_with_an_example(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


def test_top_level_help_lists_the_commands():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    listed = re.findall(r"^│ (\w+) ", result.output, re.M)  # the rows of the Commands panel
    assert listed == list(SUBCOMMANDS)


def test_validate_good_data_prints_a_summary(tmp_path):
    folder = write_csv_folder(
        tmp_path, orders="customer_id,ordered_at,amount\nC1,2024-01-01,5\nC2,2024-02-01,7\n"
    )
    result = churn("validate", "--data", str(folder))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout
    assert "│ orders │    2 │         2 │ 2024-01-01 │ 2024-02-01 │" in result.stdout
    assert result.stderr.strip() == ""
    # Orders alone: the purchase features and a basket's change, and four reasons nothing evidences.
    assert "Features these tables can build: 19 of 58." in result.stdout
    assert (
        "A model trained on them can never name indifference, product_quality, personal_ties, "
        "moved_or_died: no feature of theirs can be learnt from this CRM" in result.stdout
    )
    assert "personal_ties — contacts.topic, customers.referred_by;" in result.stdout

    with_referrals = write_csv_folder(
        tmp_path / "referrals",
        orders="customer_id,ordered_at,amount\nC1,2024-01-01,5\nC2,2024-02-01,7\n",
        customers="customer_id,referred_by\nC1,\nC2,C1\n",
    )
    result = churn_here("validate", "--data", str(with_referrals))
    assert result.returncode == 0, result.stderr
    assert "Features these tables can build: 21 of 58." in result.stdout
    assert "never name indifference, product_quality, moved_or_died:" in result.stdout


def test_validate_bad_data_is_one_block_without_traceback(tmp_path):
    folder = write_csv_folder(tmp_path, orders="customer_id,ordered_at,amount\nC1,2024-01-01,-5\n")
    result = churn("validate", "--data", str(folder), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Invalid data: the CRM data breaks the contract (1 problem):",
        "  orders.amount: [non_negative_amount] negative amount on an order that is not marked returned — "
        "1 of 1 rows, e.g. row 1 (customer_id=C1, amount=-5)",
        "Nothing was written. Fix the data above (or set those rows aside: `churn validate --drop-invalid --output DIR` puts them in DIR/quarantine and the rest in DIR/valid, for --data).",
    ]
    assert not (tmp_path / "out").exists()


def test_debug_shows_the_traceback(tmp_path):
    folder = write_csv_folder(tmp_path, orders="customer_id,ordered_at,amount\nC1,2024-01-01,-5\n")
    result = churn("--debug", "validate", "--data", str(folder))
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "DataContractError" in result.stderr


def test_drop_invalid_writes_quarantine_and_clears_stale_files(tmp_path):
    folder = write_csv_folder(
        tmp_path / "crm",
        orders="customer_id,ordered_at,amount\nC1,2024-01-01,5\nC2,2024-01-02,oops\n",
    )
    stale = tmp_path / "out" / "quarantine" / "contacts.csv"
    stale.parent.mkdir(parents=True)
    stale.write_text("left from yesterday\n")
    result = churn("validate", "--data", str(folder), "--drop-invalid", "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "orders.amount [parseable_number]: 1 row" in result.stderr
    quarantined = pd.read_csv(tmp_path / "out" / "quarantine" / "orders.csv", dtype=str)
    assert quarantined.to_dict("records") == [
        {
            "source_row": "2",
            "broken_rules": "amount:parseable_number",
            "customer_id": "C2",
            "ordered_at": "2024-01-02",
            "amount": "oops",
        }
    ]
    assert not stale.exists()
    # The rows that pass make a CRM of their own, read with the same settings.
    assert "valid once 1 row set aside" in result.stdout
    valid = pd.read_csv(tmp_path / "out" / "valid" / "orders.csv", dtype=str)
    assert valid.to_dict("records") == [{"customer_id": "C1", "ordered_at": "2024-01-01", "amount": "5"}]
    again = churn_here("validate", "--data", str(tmp_path / "out" / "valid"))
    assert again.returncode == 0 and "CRM data in" in again.stdout and ": valid" in again.stdout
    # Without --drop-invalid the error says how to set the rows aside.
    refused = churn_here("validate", "--data", str(folder))
    assert refused.returncode == 1
    assert "`churn validate --drop-invalid --output DIR` puts them in DIR/quarantine" in (
        " ".join(refused.stderr.split())
    )
    # A CRM that cannot be validated at all leaves the earlier valid folder, and says whose it is.
    (folder / "orders.csv").write_text("customer_id,ordered_at\nC1,2024-01-01\n")
    before = (tmp_path / "out" / "valid" / "orders.csv").read_bytes()
    fatal = churn_here("validate", "--data", str(folder), "--drop-invalid", "--output", str(tmp_path / "out"))
    assert fatal.returncode == 1 and "orders.amount: [required_column]" in fatal.stderr
    assert (tmp_path / "out" / "valid" / "orders.csv").read_bytes() == before
    assert f"{tmp_path / 'out' / 'valid'} still holds the rows that passed an earlier run (written " in (
        " ".join(fatal.stderr.split())
    )


def test_the_rows_that_pass_are_a_crm_the_same_settings_read(tmp_path):
    """Parquet ids with gaps (read as floats), the CRM's own table name, and a customer whose referrer
    is set aside: the valid folder still validates with the same settings."""
    crm = tmp_path / "crm"
    crm.mkdir()
    pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "signed_up_at": ["2024-01-01", "2024-01-02", "someday", "2024-01-04"],
            "referred_by": [None, 3, None, 1],
        }
    ).to_parquet(crm / "customers.parquet")
    pd.DataFrame(
        {
            "customer_id": [1, 2, 4, 4],
            "ordered_at": pd.to_datetime(["2024-02-01"] * 4),
            "amount": [5.0, 6, 7, 8],
        }
    ).to_parquet(crm / "sales.parquet")
    config = tmp_path / "pipeline.yaml"
    config.write_text("source:\n  tables: {orders: sales}\n")
    out = tmp_path / "out"
    args = ("--config", str(config), "validate", "--drop-invalid", "--output", str(out), "--data")
    result = churn_here(*args, str(crm))
    assert result.returncode == 0, result.stderr
    assert "customers.signed_up_at [parseable_timestamp]: 1 row" in result.stderr
    assert "customers.referred_by [known_referrer]: 1 row" in result.stderr  # 2 was referred by 3
    assert "orders.customer_id [known_customer]: 1 row" in result.stderr  # 2's order
    kept = pd.read_csv(out / "valid" / "customers.csv", dtype=str, keep_default_na=False)
    assert kept["customer_id"].tolist() == ["1", "4"] and kept["referred_by"].tolist() == ["", "1"]
    assert (out / "valid" / "sales.csv").exists() and not (out / "valid" / "orders.csv").exists()
    again = churn_here("--config", str(config), "validate", "--data", str(out / "valid"))
    assert again.returncode == 0, again.stderr
    assert "valid once" not in again.stdout and re.search(r"│ orders +│ +3 │ +2 │", again.stdout)


def test_a_table_file_named_almost_right_is_pointed_out(tmp_path):
    """Files are found by their exact names: a misspelt optional table is not read, a misspelt orders
    table stops the run; both say which file it probably is."""
    folder = write_csv_folder(
        tmp_path / "crm",
        orders="customer_id,ordered_at,amount\nC1,2024-01-01,5\n",
        contacts="customer_id,contacted_at,direction\nC1,2024-01-02,inbound\n",
    )
    (folder / "contacts.csv").rename(folder / "Contact.csv")
    result = churn_here("validate", "--data", str(folder))
    assert result.returncode == 0, result.stderr
    assert (
        "Not read: Contact.csv. Is it the contacts table? Name it exactly contacts.csv or contacts.parquet."
        in (" ".join(result.stdout.split()))
    )
    (folder / "orders.csv").rename(folder / "order.csv")
    result = churn_here("validate", "--data", str(folder))
    assert result.returncode == 1
    assert "(order.csv is there: name it exactly orders.csv or orders.parquet)" in " ".join(
        result.stderr.split()
    )


def test_generate_writes_tables_and_truth_deterministically(tmp_path):
    for run in ("a", "b"):
        result = churn("generate", "--out", str(tmp_path / run), "--customers", "300", "--seed", "4")
        assert result.returncode == 0, result.stderr
    names = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert names == [
        "complaints.parquet",
        "contacts.parquet",
        "customers.parquet",
        "orders.parquet",
        "surveys.parquet",
        "truth.parquet",
    ]
    for name in names:
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "a" / name), pd.read_parquet(tmp_path / "b" / name)
        )
    assert "customers churn in the window; true reasons:" in result.stdout


def test_generate_as_csv_replaces_parquet_and_validates(tmp_path):
    assert churn_here("generate", "--out", str(tmp_path), "--customers", "200").returncode == 0
    result = churn_here("generate", "--out", str(tmp_path), "--customers", "200", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "orders.parquet").exists() and (tmp_path / "orders.csv").exists()
    assert churn_here("validate", "--data", str(tmp_path)).returncode == 0


def test_bad_option_values_are_one_line(tmp_path):
    result = churn_here("generate", "--out", str(tmp_path), "--start", "01/01/2023")
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: --start '01/01/2023': expected a date as YYYY-MM-DD"
    result = churn_here("generate", "--out", str(tmp_path), "--end", "2025-02-29")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: --end '2025-02-29': no such day in the calendar (day is out of range for month)"
    )
    for dates, message in (
        (("--start", "2025-01-01", "--end", "2024-01-01"), "the history must span more than 90 days"),
        (
            ("--end", "2099-12-31"),
            "a day not over yet; give one before today (validation refuses events later than now)",
        ),
        (
            ("--end", pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d")),
            "a day not over yet; give one before today (validation refuses events later than now)",
        ),
    ):
        result = churn_here("generate", "--out", str(tmp_path / "crm"), *dates)
        assert result.returncode == 1 and not (tmp_path / "crm").exists()
        assert result.stderr.strip().startswith("Error: --") and result.stderr.strip().endswith(message)
    config = tmp_path / "bad.yaml"
    config.write_text("source:\n  timezone: Mars/Olympus\n  colums: {}\n")
    result = churn_here("--config", str(config), "validate", "--data", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip().startswith(f"Error: config {config}: source.timezone: unknown time zone")
    assert "source.colums: unknown setting (did you mean columns?)" in result.stderr
    # --config after the command reads the same file, on every command that reads a CRM or a registry.
    crm, day = ("--data", str(tmp_path)), ("--as-of", "2025-09-30")
    commands = {
        "validate": crm,
        "features": (*crm, *day, "--out", str(tmp_path / "f.parquet")),
        "train": (*crm, *day),
        "score": (*crm, *day),
        "evaluate": ("--scores", str(tmp_path / "s.parquet"), *crm),
    }
    for command, args in commands.items():
        after = churn_here(command, *args, "--config", str(config))
        assert after.returncode == 1, command
        assert after.stderr.strip().startswith(f"Error: config {config}: source.timezone"), (
            command,
            after.stderr,
        )


def test_demo_runs_the_night_end_to_end(tmp_path, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    result = churn("demo", "--out", str(tmp_path / "demo"), "--customers", "500", prefect_server=False)
    assert result.returncode == 0, result.stderr
    assert "CRM data in" in result.stdout and "valid" in result.stdout
    assert (tmp_path / "demo" / "crm" / "orders.parquet").exists()
    features = pd.read_parquet(tmp_path / "demo" / "features.parquet")
    assert features.columns.tolist() == ["customer_id", "as_of", *load_feature_declarations()]
    assert "× 58 features (activity 18, indifference 12, product_quality 15, competitor 8" in result.stdout
    assert "Model churn-risk version 1 is now champion" in result.stdout
    assert (
        tmp_path / "demo" / "mlflow.db"
    ).exists() and "mlflow ui --backend-store-uri sqlite:///" in result.stdout
    export = pd.read_parquet(tmp_path / "demo" / "scores" / "churn_scores_2025-09-30.parquet")
    assert export.columns.tolist() == export_columns() and len(export) == len(features)
    assert (tmp_path / "demo" / "scores" / "churn_scores_2025-09-30.csv").exists()
    assert (
        "reason_1 against the true reason" in result.stdout
        and "balanced over the observable four" in result.stdout
    )
    assert "Out-of-time test: cutoff" in result.stdout  # the model's test metrics
    reports = [
        tmp_path / "demo" / "reports" / "training_churn-risk_v1.html",
        tmp_path / "demo" / "scores" / "churn_scores_2025-09-30_report.html",
    ]
    assert all(path.exists() for path in reports) and "Reports for a browser:" in result.stdout
    top = export.sort_values("value_at_risk", ascending=False, kind="stable").head(10)
    section = result.stdout.split("The ten customers with the most value at risk", 1)[1]
    assert re.findall(r"^│ (C\d+) ", section, re.M)[:10] == top["customer_id"].tolist()
    assert "Demo summary" in section and re.search(r"│ score +│ +\d+ │ [\d,]+ scored", section)
    # Prefect ran on its temporary server: not a line of its own, no error, no traceback, no warning.
    assert result.stderr.strip() == ""


def test_features_writes_one_row_per_customer_in_the_population(tmp_path):
    assert churn_here("generate", "--out", str(tmp_path / "crm"), "--customers", "300").returncode == 0
    result = churn(
        "features", "--data", str(tmp_path / "crm"), "--as-of", "2025-06-30", "--out", str(tmp_path / "f.csv")
    )
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(tmp_path / "f.csv")
    assert frame.columns[:2].tolist() == ["customer_id", "as_of"]
    assert frame["customer_id"].is_unique and len(frame) > 50
    assert (frame["as_of"] == "2025-06-30").all()
    assert "days_since_last_order" in frame and frame["days_since_last_order"].max() <= 365
    assert f"{len(frame):,} customers" in result.stdout
    # Past the data's end everyone would look silent; before its start no one is in the population.
    for as_of, message in (
        (
            "2027-09-30",
            "the orders end on 2025-12-31, more than 7 days before --as-of 2027-09-30: every customer",
        ),
        ("2020-01-01", "no customer bought in the 365 days up to 2020-01-01: no one is active then"),
    ):
        out = tmp_path / f"{as_of}.csv"
        result = churn_here("features", "--data", str(tmp_path / "crm"), "--as-of", as_of, "--out", str(out))
        assert result.returncode == 1 and not out.exists()
        assert result.stderr.startswith(f"Error: {message}") and "Traceback" not in result.stderr


def test_features_follow_the_config_and_the_tables_given(tmp_path):
    folder = write_csv_folder(
        tmp_path / "crm",
        orders="""
            customer_id,ordered_at,amount
            recent,2025-06-20,10
            older,2025-04-01,10
        """,
        contacts="""
            customer_id,contacted_at,direction,topic
            recent,2025-06-01,inbound,Ціна у конкурента
        """,
    )
    config = tmp_path / "pipeline.yaml"
    config.write_text("churn: {lookback_days: 30}\nfeatures: {topic_keywords: {competitor: [конкурент]}}\n")
    out_file = tmp_path / "f.parquet"
    result = churn_here(
        "--config",
        str(config),
        "features",
        "--data",
        str(folder),
        "--as-of",
        "2025-06-25",
        "--out",
        str(out_file),
    )
    assert result.returncode == 0, result.stderr
    frame = pd.read_parquet(out_file).set_index("customer_id")
    assert frame.index.tolist() == ["recent"]  # "older" last ordered 85 days before: outside 30 days
    assert frame.loc["recent", "competitor_contacts_90d"] == 1
    assert "complaints_90d" not in frame and "discounted_spend_share_90d" not in frame  # no such data


def test_train_registers_a_champion_then_gates_the_next(tmp_path):
    assert churn_here("generate", "--out", str(tmp_path / "crm"), "--customers", "4000").returncode == 0
    config = tmp_path / "pipeline.yaml"
    config.write_text(f"output_dir: {tmp_path / 'out'}\n")
    env_free = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
    args = ("train", "--data", str(tmp_path / "crm"), "--as-of", "2025-12-31", "--config", str(config))
    first = subprocess.run([CHURN, *args], capture_output=True, text=True, env={**env_free, "COLUMNS": "200"})
    assert first.returncode == 0, first.stderr
    assert "Model churn-risk version 1 is now champion: first model: no champion yet." in first.stdout
    assert re.search(r"│ xgboost +│ 0\.[78]\d\d │", first.stdout)
    assert (tmp_path / "out" / "mlflow.db").exists()
    assert first.stderr.strip() == "" and "View run" not in first.stdout
    second = churn_here(*args, env={"MLFLOW_TRACKING_URI": None})
    assert second.returncode == 0, second.stderr
    assert "│ champion v1 " in second.stdout  # re-scored on the same rows, shown beside the new model
    assert "Model churn-risk version 2 is now champion: test AUC" in second.stdout  # same data: a tie
    # A rollback by hand: the champion alias moves back to v1, tagged with the champion it replaced.
    back = churn_here("promote", "1", "--config", str(config), env={"MLFLOW_TRACKING_URI": None})
    assert back.returncode == 0, back.stderr
    store = f"sqlite:///{tmp_path / 'out' / 'mlflow.db'}"
    assert back.stdout.strip() == (
        f"churn-risk version 1 is now the champion at {store} (it was version 2); `churn score` uses it."
    )
    from mlflow import MlflowClient

    champion = MlflowClient(store).get_model_version_by_alias("churn-risk", "champion")
    assert str(champion.version) == "1" and champion.tags["promote.previous_champion"] == "2"


def test_train_with_too_little_history_says_so(tmp_path):
    folder = write_csv_folder(
        tmp_path / "crm",
        orders="customer_id,ordered_at,amount\nC1,2025-09-01,5\nC2,2025-10-01,7\nC1,2025-12-30,5\n",
    )
    result = churn_here("train", "--data", str(folder), "--as-of", "2025-12-31", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: too little history for a 90-day horizon:")
    assert "Traceback" not in result.stderr and not (tmp_path / "output" / "mlflow.db").exists()


def test_features_refuses_an_unknown_output_type_before_any_work(tmp_path):
    result = churn_here(
        "features", "--data", str(tmp_path), "--as-of", "2025-06-30", "--out", str(tmp_path / "f.xlsx")
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: --out {tmp_path / 'f.xlsx'}: use a .parquet or .csv file name"


@pytest.fixture(scope="module")
def trained_crm(tmp_path_factory):
    """A synthetic CRM and a settings file whose output folder holds a champion trained on it."""
    folder = tmp_path_factory.mktemp("scoring")
    assert churn_here("generate", "--out", str(folder / "crm"), "--customers", "3000").returncode == 0
    config = folder / "pipeline.yaml"
    config.write_text(f"output_dir: {folder / 'out'}\n")
    trained = churn("train", "--data", str(folder / "crm"), "--as-of", "2025-09-30", "--config", str(config))
    assert trained.returncode == 0, trained.stderr
    # The synthetic CRM's contact topics never chase an answer, change a manager, mention faulty goods
    # or a personal tie: training says what it left out.
    left_out = (
        "chasing_contacts_90d, chasing_contacts_365d, manager_change_contacts_365d, quality_contacts_90d, "
        "quality_contacts_365d, personal_ties_contacts_365d"
    )
    printed = " ".join(trained.stdout.split())  # the console wraps long lines
    assert f"with 52 features (left out, for one value in every training row: {left_out})" in printed
    # Its orders start on 2023-01-01: the first six of the 24 month ends have under a year behind them.
    assert (
        "6 of the cutoffs trained on (2023-07-31 to 2023-12-31) have less than the 365-day lookback"
        in printed
    )
    assert "month-end cutoffs (churn.training_cutoffs) have customers" not in printed
    return folder, config


def test_an_export_file_that_is_a_folder_is_refused_before_any_work(tmp_path):
    """The files are renamed into place after the sink commits; one that could not be is refused first."""
    folder = tmp_path / "scores.csv"
    folder.mkdir()
    database = tmp_path / "crm.db"
    args = ("score", "--data", str(tmp_path / "no-crm"), "--as-of", "2025-09-30", "--out", str(folder))
    result = churn_here(*args, "--sink", f"sqlite:///{database}")
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"Error: --out {folder}: is a folder; give a file name ending .csv or .parquet"
    )
    assert not database.exists() and list(folder.iterdir()) == []
    twice = churn_here(*args[:-1], str(tmp_path / "x.csv"), "--out", str(tmp_path / "sub" / ".." / "x.csv"))
    assert twice.returncode == 1
    assert twice.stderr.strip() == (
        f"Error: --out {tmp_path / 'sub' / '..' / 'x.csv'}: the same file as --out {tmp_path / 'x.csv'}; "
        "give each file once"
    )


def test_score_without_a_champion_is_one_clear_line(tmp_path):
    assert churn_here("generate", "--out", str(tmp_path / "crm"), "--customers", "300").returncode == 0
    config = tmp_path / "pipeline.yaml"
    config.write_text(f"output_dir: {tmp_path / 'out'}\n")
    args = ("score", "--data", str(tmp_path / "crm"), "--as-of", "2025-09-30", "--config", str(config))
    result = churn_here(*args)
    assert result.returncode == 1
    store = tmp_path / "out" / "mlflow.db"
    assert result.stderr.startswith(
        f"Error: no model 'churn-risk@champion': there is no registry at {store};"
    )
    assert not (tmp_path / "out").exists()  # not made only to be found empty
    # A registry with no champion in it.
    from mlflow import MlflowClient

    MlflowClient(f"sqlite:///{store}").search_experiments()
    result = churn_here(*args)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: no model 'churn-risk@champion' in the registry at sqlite:///")
    assert "train one first with `churn train`" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "scores").exists()


def _processes_below(pid: int) -> dict[int, str]:
    """{pid: command line} of every process descending from `pid`, read from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
            parents[int(entry.name)] = (parent, command)
    found, below = {}, [pid]
    while below:
        above = below.pop()
        for child, (parent, command) in parents.items():
            if parent == above:
                found[child] = command
                below.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and " Z " not in Path(f"/proc/{pid}/stat").read_text()


def _flow_running(port: str) -> bool:
    """Whether the temporary server at `port` has a flow run in the Running state."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/flow_runs/filter",
        data=b"{}",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return any(run["state_type"] == "RUNNING" for run in json.load(response))
    except OSError:
        return False  # not up yet


def _stopped_mid_run(
    args: list[str],
    when: Callable[[dict[int, str]], bool],
    send: Callable[[subprocess.Popen], None],
    temporary_server: bool = True,
):
    """`churn ARGS` started as at a terminal (a process group of its own, Ctrl+C raising
    KeyboardInterrupt), on Prefect's temporary server unless told to use the session's; `send` is
    called once `when` is true of the processes below it. Returns the finished process, its stderr and
    the processes seen below it."""
    env = dict(os.environ)
    if temporary_server:
        env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-c", RESTORE_CTRL_C, CHURN, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    seen: dict[int, str] = {}
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        seen |= _processes_below(process.pid)
        if when(seen):
            send(process)
            break
        time.sleep(0.1)
    _, stderr = process.communicate(timeout=300)
    return process, stderr, seen


def _server_port(seen: dict[int, str]) -> str | None:
    servers = [command.split("--port ")[1].split()[0] for command in seen.values() if "uvicorn" in command]
    return servers[0] if servers else None


@pytest.mark.parametrize(
    ("how", "status", "said"),
    [
        ("Ctrl+C", 130, ""),  # the whole foreground group hears it, as at a terminal
        ("SIGTERM", 143, "Stopped (SIGTERM)."),  # kill PID, to the churn process alone
    ],
)
def test_a_score_run_stopped_mid_flow_ends_at_once_and_leaves_no_server(trained_crm, how, status, said):
    """Ctrl+C had also stopped Prefect's temporary server, and the run then tried it for over a
    minute before failing on "Connection refused"; SIGTERM had ended the run at once and left the
    server running. Now both stop the run as Ctrl+C should: the previous export stays, and nothing of
    the run is left running."""
    folder, config = trained_crm
    export = folder / "stopped.csv"
    args = ["score", "--data", str(folder / "crm"), "--as-of", "2025-09-30", "--config", str(config)]
    export.write_text("customer_id,as_of\nC000001,2025-08-31\n", encoding="utf-8")  # an earlier night's
    before = export.read_bytes()

    def send(process):
        if how == "Ctrl+C":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)

    process, stderr, seen = _stopped_mid_run(
        [*args, "--out", str(export)],
        lambda seen: bool(_server_port(seen)) and _flow_running(_server_port(seen)),
        send,
    )
    assert process.returncode == status, stderr[-2000:]
    assert said in stderr and "Traceback" not in stderr and "Error" not in stderr, stderr[-2000:]
    assert export.read_bytes() == before
    time.sleep(1)
    assert [command for pid, command in seen.items() if _alive(pid)] == []


def test_an_error_raised_while_prefect_handles_a_stop_ends_as_that_stop():
    """During a flow Prefect takes SIGTERM with a handler of its own, and a task stopped mid-way can
    fail in a way of its own before the signal reaches ours: the run ends as stopped, not as a bug."""
    from prefect.exceptions import TerminationSignal

    from pipelines import cli

    try:
        try:
            raise TerminationSignal(signal.SIGTERM)
        finally:
            raise ValueError("Task run is not set")  # as a cleanup of Prefect's does
    except ValueError as error:
        assert cli._stop_behind(error) == signal.SIGTERM
    assert cli._stop_behind(ValueError("a bug")) is None


def test_ctrl_c_while_partition_workers_start_prints_no_traceback(trained_crm):
    """Ctrl+C reaches the whole group, the process importing the pipeline for the workers too (each
    worker printed a traceback of its own when each imported it). The fork server that imports it
    ignores Ctrl+C, as the workers it forks do; the run stops them, and the server, once its import
    is done, ends on its own: nothing is left."""
    folder, config = trained_crm
    args = ["score", "--data", str(folder / "crm"), "--as-of", "2025-09-30", "--config", str(config)]
    started: list[float] = []

    def server_importing(seen: dict[int, str]) -> bool:
        # The fork server started, and still importing the pipeline, which takes it seconds.
        if not any("multiprocessing.forkserver" in command for command in seen.values()):
            return False
        started.append(started[0] if started else time.monotonic())
        return time.monotonic() - started[0] > 0.5

    process, stderr, seen = _stopped_mid_run(
        [*args, "--partitions", "2", "--out", str(folder / "parts.csv")],
        server_importing,
        lambda process: os.killpg(process.pid, signal.SIGINT),
        temporary_server=False,  # the workers are under test; a temporary server takes 10-20 s to start
    )
    # stderr was read to its end: the server's too, which holds it until it ends.
    assert process.returncode == 130 and "Traceback" not in stderr, stderr[-3000:]
    time.sleep(1)
    assert [command for pid, command in seen.items() if _alive(pid)] == []


def test_score_writes_files_and_database_in_the_chosen_language(trained_crm):
    folder, config = trained_crm
    out_csv, database = folder / "export" / "scores.csv", folder / "crm.db"
    args = ("score", "--data", str(folder / "crm"), "--as-of", "2025-09-30", "--config", str(config))
    roundabout = folder / "export" / "detour" / ".." / "scores.csv"  # written as out_csv, no detour made
    sink = ("--out", str(roundabout), "--sink", f"sqlite:///{database}", "--lang", "ro")
    result = churn(*args, *sink)
    assert result.returncode == 0, result.stderr
    assert "customers scored as of 2025-09-30 by churn-risk v1 (90-day horizon)" in result.stdout
    # Priority is value at risk among the preventable, whatever the tier: the line says which tier.
    assert re.search(
        r"Call first: C\d+ — \d+% risk \((high|medium|low) tier\), [\d,]+ at risk, the most of any "
        r"preventable customer; ",
        " ".join(result.stdout.split()),
    )
    assert not (folder / "export" / "detour").exists()
    written = pd.read_csv(out_csv, dtype={"customer_id": str})
    assert f"Wrote {out_csv}" in result.stdout
    assert (
        f"Upserted {len(written):,} rows into table churn_scores at sqlite:///{database}\n" in result.stdout
    )
    assert written.columns.tolist() == export_columns()
    labels = {reason.code: reason.label["ro"] for reason in load_reasons()}
    given = written.dropna(subset=["reason_1"])
    assert (given["reason_1_label"] == given["reason_1"].map(labels)).all()
    assert churn_here(*args, *sink).returncode == 0  # the same night again: replaced, not duplicated
    stored = pd.read_sql("SELECT customer_id, as_of FROM churn_scores", f"sqlite:///{database}")
    assert len(stored) == len(written) and not stored.duplicated().any()

    default = churn_here(*args)  # no --out: both formats under output_dir/scores
    assert default.returncode == 0, default.stderr
    for suffix in ("csv", "parquet"):
        assert (folder / "out" / "scores" / f"churn_scores_2025-09-30.{suffix}").exists()

    evaluated = churn(
        "evaluate",
        "--scores",
        str(folder / "out" / "scores" / "churn_scores_2025-09-30.parquet"),
        "--truth",
        str(folder / "crm" / "truth.parquet"),
        "--data",
        str(folder / "crm"),
    )
    assert evaluated.returncode == 0, evaluated.stderr
    assert re.search(r"│ indifference +│ +\d+ │ +\d+% │", evaluated.stdout)
    assert re.search(r"\n  indifference \([\d,]+\): indifference [\d,]+", evaluated.stdout)
    assert "Exit surveys after the as-of date: reason_1 agrees with the stated reason for" in evaluated.stdout


def test_evaluate_counts_leavers_over_the_models_horizon_and_refuses_a_wrong_truth(trained_crm, tmp_path):
    folder, config = trained_crm
    scores = folder / "out" / "scores" / "churn_scores_2025-09-30.parquet"
    if not scores.exists():
        scored = churn_here(
            "score", "--data", str(folder / "crm"), "--as-of", "2025-09-30", "--config", str(config)
        )
        assert scored.returncode == 0, scored.stderr
    truth_file = folder / "crm" / "truth.parquet"
    # Settings that say 30 days, beside the registry of a model trained for 90: the model's horizon wins.
    thirty = tmp_path / "thirty.yaml"
    thirty.write_text(f"output_dir: {folder / 'out'}\nchurn:\n  horizon_days: 30\n")
    args = ("evaluate", "--scores", str(scores), "--truth")
    result = churn_here(*args, str(truth_file), "--config", str(thirty))
    assert result.returncode == 0, result.stderr
    assert "leavers within 90 days after 2025-09-30" in result.stdout
    # The mix's "of those named" column says what it counts (a caption under the table).
    explained = "of those named: among the customers given a survey reason only, as the survey counts"
    assert explained in " ".join(result.stdout.split())
    # Rows this registry did not score (another registry's churn-risk v1, scored days earlier): its
    # model of the same name and version says nothing about them.
    earlier = pd.read_parquet(scores)
    earlier["scored_at"] = pd.to_datetime(earlier["scored_at"], utc=True) - pd.Timedelta(days=3)
    earlier.to_parquet(tmp_path / "earlier.parquet")
    result = churn_here(
        "evaluate",
        "--scores",
        str(tmp_path / "earlier.parquet"),
        "--truth",
        str(truth_file),
        "--config",
        str(thirty),
    )
    assert result.returncode == 0, result.stderr
    assert "recorded no run that scored these rows" in " ".join(result.stdout.split())
    assert "leavers within 30 days after 2025-09-30" in result.stdout
    # No registry to ask: the settings' horizon, said out loud.
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text(f"output_dir: {tmp_path / 'none'}\nchurn:\n  horizon_days: 30\n")
    result = churn_here(*args, str(truth_file), "--config", str(elsewhere))
    assert result.returncode == 0, result.stderr
    assert "churn-risk v1 wrote the scores, but no registry at" in result.stdout
    assert "leavers within 30 days after 2025-09-30" in result.stdout
    assert not (tmp_path / "none").exists()

    truth = pd.read_parquet(truth_file).astype({"customer_id": str, "true_reason": object})
    truth["true_reason"] = truth["true_reason"].str.upper()  # codes in any case are read as the contract's
    truth.to_csv(tmp_path / "upper.csv", index=False)
    upper = churn_here(*args, str(tmp_path / "upper.csv"), "--config", str(thirty))
    assert upper.returncode == 0 and "The truth's last churned_at" not in upper.stdout
    # A truth that ends inside the window is used, and says what it cannot know.
    churned_at = pd.to_datetime(truth["churned_at"], utc=True)
    truth.assign(churned_at=churned_at.where(churned_at < "2025-11-01")).to_csv(
        tmp_path / "oct.csv", index=False
    )
    october = churn_here(*args, str(tmp_path / "oct.csv"), "--config", str(thirty))
    assert october.returncode == 0, october.stderr
    assert (
        "The truth's last churned_at is 2025-10-31, before the 90-day window after 2025-09-30 ends "
        "(2025-12-29): if it was written then, later leavers are missing."
    ) in " ".join(october.stdout.split())
    wrong = {
        "twice.csv": (
            pd.concat([truth, truth.head(2)]),
            r"customer_id \[unique\] 2 customers appear more than once, e.g. 'C0+1', 'C0+2'$",
        ),
        "soon.csv": (
            truth.assign(churned_at=truth["churned_at"].astype(str).where(truth.index != 3, "soon")),
            r"churned_at \[parseable_timestamp\] 1 rows are not dates, e.g. 'soon'$",
        ),
        "weather.csv": (
            truth.assign(true_reason=truth["true_reason"].where(truth.index != 5, "weather")),
            r"true_reason \[allowed_values\] 1 rows are not one of competitor, .*e.g. 'weather'$",
        ),
        "other_crm.csv": (
            truth.assign(customer_id="X" + truth["customer_id"]),
            r"none of the [\d,]+ scored customers is in it \(e.g. 'C\d+', .*are the scores and the truth of one CRM\?$",
        ),
        "written_that_night.csv": (  # a truth written on the as-of date knows no one who left after it
            truth.assign(churned_at=churned_at.where(churned_at < "2025-10-01")),
            r"none of the scored customers churns within 90 days after 2025-09-30 \(its last churned_at is "
            r"2025-09-(29|30)\): nothing to check the reasons against$",
        ),
    }
    for name, (frame, message) in wrong.items():
        frame.to_csv(tmp_path / name, index=False)
        result = churn_here(*args, str(tmp_path / name), "--config", str(thirty))
        assert result.returncode == 1, name
        assert re.match(
            rf"Error: --truth {re.escape(str(tmp_path / name))}: {message}", result.stderr.strip()
        ), result.stderr
        assert "Traceback" not in result.stderr


def test_a_failed_score_keeps_the_previous_export(trained_crm, monkeypatch):
    import models.scoring
    import pipelines.score_run
    from pipelines.export import ExportError

    folder, config = trained_crm
    out_file = folder / "kept.parquet"
    args = ["score", "--data", str(folder / "crm"), "--as-of", "2025-09-30", "--config", str(config)]
    args += ["--out", str(out_file)]
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    before = out_file.read_bytes()

    def broken(*positional, **keywords):
        rows = models.scoring.score_customers(*positional, **keywords)
        rows.loc[rows.index[:2], "churn_probability"] = float("nan")  # e.g. a model gone wrong
        return rows

    monkeypatch.setattr(pipelines.score_run, "score_customers", broken)
    second = CliRunner().invoke(app, args)
    assert isinstance(second.exception, ExportError)
    assert "churn_scores.churn_probability: [required] is empty — 2 of" in str(second.exception)
    assert out_file.read_bytes() == before


def test_a_minimum_reason_share_set_after_training_is_said_not_drift(trained_crm, tmp_path):
    """The champion's reason mix was named with scoring.min_reason_share 0; a night named with 0.01
    says its mix was not compared, rather than warning of drift it made itself."""
    folder, config = trained_crm
    stricter = tmp_path / "pipeline.yaml"
    stricter.write_text(config.read_text(encoding="utf-8") + "scoring:\n  min_reason_share: 0.01\n")
    args = ["score", "--data", str(folder / "crm"), "--as-of", "2025-09-30", "--config", str(stricter)]
    result = churn_here(*args, "--out", str(tmp_path / "scores.csv"))
    assert result.returncode == 0, result.stderr
    printed = " ".join(result.stdout.split())
    assert (
        "Monitoring: reason_1 mix not compared: the champion's reference named reasons with "
        "scoring.min_reason_share 0, tonight with 0.01 (retrain to compare again)." in printed
    )


def test_score_and_evaluate_refuse_bad_options_in_one_line(trained_crm, tmp_path):
    folder, config = trained_crm
    base = ("score", "--data", str(folder / "crm"), "--as-of", "2025-09-30", "--config", str(config))
    wrong_language = churn_here(*base, "--lang", "de")
    assert wrong_language.returncode == 1
    assert wrong_language.stderr.strip() == "Error: --lang de: choose one of en, uk, ru, ro, hr"
    wrong_file = churn_here(*base, "--out", str(tmp_path / "scores.xlsx"))
    assert (
        wrong_file.stderr.strip()
        == f"Error: --out {tmp_path / 'scores.xlsx'}: use a .csv or .parquet file name"
    )
    too_late = churn_here(
        "score", "--data", str(folder / "crm"), "--as-of", "2026-03-31", "--config", str(config)
    )
    assert too_late.returncode == 1
    assert (
        "Error: the orders end on 2025-12-31, more than 7 days before --as-of 2026-03-31" in too_late.stderr
    )
    # Before the first order (2023-01-01): nothing is known by then, and the date may be what is wrong.
    too_early = churn_here(
        "score", "--data", str(folder / "crm"), "--as-of", "2022-06-01", "--config", str(config)
    )
    assert too_early.returncode == 1 and "orders: [non_empty]" in too_early.stderr
    assert (
        "Only the rows known by the end of --as-of 2022-06-01 are read: if the CRM's orders start later, "
        "score a later date." in " ".join(too_early.stderr.split())
    )
    no_truth = churn_here("evaluate", "--scores", str(tmp_path / "x.csv"))
    assert (
        no_truth.stderr.strip()
        == "Error: give --truth (ground truth) or --data (a CRM with exit surveys), or both"
    )
    for command in (base, ("train", *base[1:])):
        wrong_engine = churn_here(*command, "--engine", "spark")
        assert wrong_engine.returncode == 1
        assert wrong_engine.stderr.strip() == "Error: --engine spark: choose one of local, dask"
    missing = churn_here("evaluate", "--scores", str(tmp_path / "x.csv"), "--truth", str(tmp_path / "t.csv"))
    assert (
        missing.returncode == 1
        and missing.stderr.strip() == f"Error: --scores {tmp_path / 'x.csv'}: no such file"
    )


def test_promote_by_hand_says_what_it_did_and_refuses_what_cannot_score(trained_crm, tmp_path):
    folder, config = trained_crm
    store = f"sqlite:///{folder / 'out' / 'mlflow.db'}"
    same = churn("promote", "1", "--config", str(config))
    assert same.returncode == 0, same.stderr
    assert (
        " ".join(same.stdout.split())
        == f"churn-risk version 1 is already the champion at {store}: nothing changed."
    )
    missing = churn_here("promote", "7", "--config", str(config))
    assert missing.returncode == 1
    assert " ".join(missing.stderr.split()) == (
        f"Error: no version 7 of 'churn-risk' in the registry at {store}; its versions: 1"
    )
    assert churn_here("promote", "v1", "--config", str(config)).stderr.strip() == (
        "Error: VERSION v1: a registered version number, e.g. 3"
    )
    empty = tmp_path / "pipeline.yaml"
    empty.write_text(f"output_dir: {tmp_path / 'nothing'}\n")
    nowhere = churn_here("promote", "1", "--config", str(empty))
    assert nowhere.returncode == 1 and "there is no registry at" in nowhere.stderr
    assert not (tmp_path / "nothing").exists()


def test_a_silent_tracking_server_fails_at_once_at_a_terminal(trained_crm):
    folder, config = trained_crm
    for command in ("score", "train"):
        result = churn_here(
            command,
            *("--data", str(folder / "crm"), "--as-of", "2025-09-30", "--config", str(config)),
            env={"MLFLOW_TRACKING_URI": "http://127.0.0.1:9"},
        )
        assert result.returncode == 1
        assert result.stderr.startswith(
            "Error: the MLflow tracking server at http://127.0.0.1:9 does not answer"
        )
        assert (
            "retry" not in result.stderr and "Traceback" not in result.stderr
        )  # checked once, before Prefect


def test_a_step_past_its_timeout_is_one_line(tmp_path, monkeypatch):
    import pipelines.flows

    def hang(data, source, known_before=None):
        time.sleep(60)

    monkeypatch.setattr(pipelines.flows, "read_crm", hang)  # in this process: hence churn_here
    config = tmp_path / "pipeline.yaml"
    config.write_text("orchestration:\n  retries: 0\n  timeouts:\n    read_crm: 1\n")
    args = ("--config", str(config), "features", "--data", str(tmp_path), "--as-of", "2025-06-30")
    result = churn_here(*args, "--out", str(tmp_path / "f.parquet"))
    assert result.returncode == 1
    assert (
        result.stderr.startswith("Error: a step was stopped: ") and "orchestration.timeouts" in result.stderr
    )
    assert "Traceback" not in result.stderr and not (tmp_path / "f.parquet").exists()
