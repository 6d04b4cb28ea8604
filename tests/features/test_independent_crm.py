"""A CRM written independently of this project (`benchmarks/independent_crm.py`) reads as meant.

Its author knew only the contract, and used its other spellings: timestamps with offsets, yes/no and
1/0 booleans, codes in any case and with spaces, returns booked as negative return records. The
whole CRM must pass validation, and what it says must survive the reading.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from benchmarks.independent_crm import COMP_TOPICS, PQ_TOPICS, generate
from features.build import build_features
from features.config import load_pipeline_config
from features.timeline import cutoff_instant
from features.validation import load_crm

AS_OF = "2025-09-30"


@pytest.fixture(scope="module")
def independent(tmp_path_factory) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """(the tables as written to CSV, the tables as validation types them)."""
    folder = tmp_path_factory.mktemp("independent_crm")
    written = generate(2_000, 3)
    for name, table in written.items():
        table.to_csv(folder / f"{name}.csv", index=False)
    return written, load_crm(str(folder), load_pipeline_config()).tables  # raises on a broken rule


def test_its_spellings_are_read_as_the_contract_means_them(independent):
    written, typed = independent
    # "2024-03-01T14:30:00+03:00" is 11:30 UTC.
    stated = pd.to_datetime(written["contacts"]["contacted_at"], utc=True, format="ISO8601")
    assert np.array_equal(np.sort(typed["contacts"]["contacted_at"].to_numpy()), np.sort(stated.to_numpy()))
    assert written["contacts"]["direction"].nunique() > 2  # "inbound", "Inbound", " INBOUND "…
    assert set(typed["contacts"]["direction"].astype(str)) == {"inbound", "outbound"}
    assert set(typed["complaints"]["category"].dropna().astype(str)) <= {
        "quality",
        "service",
        "price",
        "delivery",
        "other",
    }
    assert (
        typed["customers"]["loyalty_member"].sum() == (written["customers"]["loyalty_member"] == "yes").sum()
    )
    answered = written["contacts"]["answered"]  # "1", "0", or "" (outbound: an empty cell)
    assert typed["contacts"]["answered"].sum() == (answered == "1").sum()
    assert typed["contacts"]["answered"].isna().sum() == (answered == "").sum()


def test_features_find_its_return_records_and_competitor_and_quality_mentions(independent):
    written, typed = independent
    config = load_pipeline_config()
    features = build_features(typed, AS_OF, topic_keywords=config.features.topic_keywords)
    cutoff = cutoff_instant(AS_OF)

    orders = written["orders"].assign(at=pd.to_datetime(written["orders"]["ordered_at"], utc=True))
    recent_records = orders[
        (orders["amount"] < 0) & (orders["at"] < cutoff) & (orders["at"] >= cutoff - pd.Timedelta(days=365))
    ]
    share = features["returned_order_share_365d"].reindex(recent_records["customer_id"].unique()).dropna()
    assert len(share) > 10 and (share > 0).all()

    contacts = written["contacts"].assign(
        at=pd.to_datetime(written["contacts"]["contacted_at"], utc=True, format="ISO8601")
    )
    year = (contacts["at"] < cutoff) & (contacts["at"] >= cutoff - pd.Timedelta(days=365))
    # Its four phrasings of another offer and five of faulty goods each count (other topics may
    # mention prices or refunds too).
    for topics, feature in ((COMP_TOPICS, "competitor_contacts_365d"), (PQ_TOPICS, "quality_contacts_365d")):
        stated = contacts[contacts["topic"].isin(topics) & year].groupby("customer_id").size()
        counted = features[feature].reindex(stated.index)
        stated, counted = stated[counted.notna()], counted.dropna()  # those still in the population
        assert len(stated) >= 5 and (counted >= stated).all(), feature
