"""Two more CRMs written by authors who read only the contract: an office-supplies distributor
(Parquet and CSV) and an online pet shop (one SQLite database). Each is read and validated whole, and
its customers' words are read as meant: chasing an unanswered request is indifference evidence, and
a request for a price list is no competitor evidence.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from features.build import build_features
from features.config import load_pipeline_config
from features.timeline import cutoff_instant
from features.validation import load_crm

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2025-09-30"
# script, the database file in its output folder (none: files), a chaser in its customers' words.
CRMS = {
    "office": ("independent_crm_office.py", None, "nobody returned my call"),
    "petshop": ("independent_crm_petshop.py", "crm.db", "still waiting for a reply"),
}


@pytest.fixture(scope="module", params=sorted(CRMS))
def crm(request, tmp_path_factory) -> dict[str, pd.DataFrame]:
    script, database, _ = CRMS[request.param]
    folder = tmp_path_factory.mktemp(request.param)
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--out", str(folder), "--customers", "1500"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    data = f"sqlite:///{folder / database}" if database else str(folder)
    tables = load_crm(data, load_pipeline_config()).tables  # raises on any broken rule
    return {"name": request.param, "tables": tables}


def _inbound_last_year(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    contacts = tables["contacts"]
    cutoff = cutoff_instant(AS_OF)
    year = (contacts["contacted_at"] < cutoff) & (contacts["contacted_at"] >= cutoff - pd.Timedelta(days=365))
    return contacts[year & (contacts["direction"].astype(str) == "inbound")]


def test_customers_chasing_an_answer_are_counted(crm):
    tables = crm["tables"]
    keywords = load_pipeline_config().features.topic_keywords
    features = build_features(tables, AS_OF, topic_keywords=keywords)
    chaser = CRMS[crm["name"]][2]
    inbound = _inbound_last_year(tables)
    chased = inbound[inbound["topic"].str.lower().str.contains(chaser, regex=False, na=False)]
    stated = chased.groupby("customer_id").size()
    counted = features["chasing_contacts_365d"].reindex(stated.index).dropna()  # still in the population
    assert len(counted) >= 5 and (counted >= stated[counted.index]).all()


def test_a_request_for_a_price_list_is_no_competitor_evidence(crm):
    """Both CRMs' customers ask for price lists routinely; taking those requests out of the CRM
    changes no one's competitor contacts."""
    tables = crm["tables"]
    keywords = load_pipeline_config().features.topic_keywords
    contacts = tables["contacts"]
    price_list = contacts["topic"].str.lower().str.contains("price list", regex=False, na=False)
    assert (_inbound_last_year(tables)["topic"].str.lower().str.contains("price list", na=False)).sum() >= 5
    without = {**tables, "contacts": contacts[~price_list]}
    columns = ["competitor_contacts_90d", "competitor_contacts_365d"]
    full = build_features(tables, AS_OF, topic_keywords=keywords)[columns]
    pd.testing.assert_frame_equal(full, build_features(without, AS_OF, topic_keywords=keywords)[columns])
