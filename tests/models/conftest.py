"""The demo-sized CRM, trained once per test session: the issue's accuracy bars are set on it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from features.build import build_features, build_training_set
from features.synthetic import generate_crm
from models.exit_reasons import stated_exit_reasons, training_weights
from models.split import split_out_of_time
from models.training import train_models

DEMO_AS_OF = "2025-09-30"  # as `churn demo` plays it: the truth of the next 90 days is known


@pytest.fixture(scope="session")
def fifty_thousand_customers():
    """(crm, models with .split, features at the as-of date) for `churn demo`'s 50,000 customers."""
    crm = generate_crm(50_000, seed=42)
    tables = {n: f.assign(customer_id=f["customer_id"].astype(str)) for n, f in crm.tables.items()}
    split = split_out_of_time(build_training_set(tables, DEMO_AS_OF, 90, 24), horizon_days=90)
    # Weighted by the exit reasons stated before the as-of date, as `churn train` trains.
    weights = training_weights(split, stated_exit_reasons(tables, DEMO_AS_OF))
    trained = train_models(split, seed=0, booster_weights=weights.row_weights)
    models = SimpleNamespace(xgboost=trained.xgboost, recency=trained.recency, split=split)
    return crm, models, build_features(tables, DEMO_AS_OF)
