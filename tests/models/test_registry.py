"""Training runs in MLflow: recorded, registered, loaded back, gated; embedded store and a real server."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from features.build import build_training_set
from features.config import (
    REDEFINED_BEFORE_RECORDS,
    PipelineConfig,
    feature_definitions,
    load_feature_declarations,
    redefined_features,
    redefined_features_sentence,
)
from features.errors import ChurnError, TrainingDataError
from models.exit_reasons import stated_exit_reasons, training_weights
from models.reasons import explain_reasons
from models.registry import CHAMPION, NoChampionError, load_version, use_tracking
from models.split import OutOfTimeSplit, split_out_of_time
from models.train_run import TrainingInput, TrainingReport, register_and_gate, train_and_register
from models.training import LABEL, REFERENCE_ROWS, TrainedModels, train_models

AS_OF = "2025-12-31"
# Features all zeros on the synthetic CRM (its topics never chase an answer, change a manager, name
# faulty goods or tell of a personal tie).
NEVER_SAID = (
    "chasing_contacts_90d",
    "chasing_contacts_365d",
    "manager_change_contacts_365d",
    "quality_contacts_90d",
    "quality_contacts_365d",
    "personal_ties_contacts_365d",
)


@pytest.fixture(scope="module")
def tables():
    from features.synthetic import generate_crm

    crm = generate_crm(6_000, seed=21)
    return {n: f.assign(customer_id=f["customer_id"].astype(str)) for n, f in crm.tables.items()}


@pytest.fixture
def embedded_store(tmp_path, monkeypatch) -> PipelineConfig:
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    return PipelineConfig(output_dir=tmp_path / "out")


def default_split(tables, config: PipelineConfig) -> OutOfTimeSplit:
    churn = config.churn
    training_set = build_training_set(tables, AS_OF, churn.horizon_days, churn.training_cutoffs)
    return split_out_of_time(training_set, churn.horizon_days)


@dataclass(frozen=True)
class Trained:
    """One training on the default settings (without the exit-survey weights `churn train` adds). The
    gate's questions are about the champion's record, not its fit, so its tests register these same
    models as often as they need a version."""

    source: TrainingInput
    split: OutOfTimeSplit
    models: TrainedModels

    def register(self, config: PipelineConfig, **options) -> TrainingReport:
        return register_and_gate(self.source, AS_OF, config, self.split, self.models, **options)


@pytest.fixture(scope="module")
def trained(tables) -> Trained:
    split = default_split(tables, PipelineConfig())
    return Trained(TrainingInput.of(tables, AS_OF, 365), split, train_models(split, seed=0))


def shuffled(split: OutOfTimeSplit, seed: int) -> OutOfTimeSplit:
    """Train and validation labels shuffled: a model that learnt nothing. The test keeps the truth."""
    rng = np.random.default_rng(seed)
    return OutOfTimeSplit(
        train=split.train.assign(**{LABEL: rng.permutation(split.train[LABEL].to_numpy())}),
        validation=split.validation.assign(**{LABEL: rng.permutation(split.validation[LABEL].to_numpy())}),
        test=split.test,
    )


def test_a_run_is_recorded_registered_and_loads_back(tables, embedded_store):
    config = embedded_store
    report = train_and_register(tables, AS_OF, config)
    assert report.tracking_uri == f"sqlite:///{(config.output_dir / 'mlflow.db').resolve()}"
    assert report.champion_now and report.decision.reason == "first model: no champion yet"

    client = MlflowClient(report.tracking_uri)
    run = client.get_run(report.run_id)
    for model in ("xgboost", "logistic", "recency"):
        for metric in (
            "roc_auc",
            "pr_auc",
            "brier",
            "log_loss",
            "lift_top10",
            "recall_top10",
            "ece",
            "value_at_risk_top10_share",
        ):
            assert f"{model}.{metric}" in run.data.metrics
    assert run.data.params["churn.horizon_days"] == "90"
    assert run.data.metrics["xgboost.roc_auc"] > run.data.metrics["recency.roc_auc"] + 0.05
    artifacts = _artifact_paths(client, report.run_id)
    expected = {
        "charts/roc.png",
        "charts/precision_recall.png",
        "charts/calibration.png",
        "charts/lift.png",
        "charts/feature_importance.png",
        "charts/shap_by_reason.png",
        "shap_by_reason.csv",
        "shap_by_feature.csv",
        "feature_importance.csv",
        "model_card.md",
        "reasons.yaml",
        "input_fingerprint.json",
        "cutoffs.json",
        "calibration.json",
        "reason_reference.json",
        "stayer_medians.json",
        "model_comparison.csv",
    }
    assert expected <= artifacts
    version = client.get_model_version_by_alias("churn-risk", CHAMPION)
    assert str(version.version) == report.version and version.tags["gate.decision"] == "promoted"

    # The registered model (native booster + calibration) reproduces the run's test predictions.
    split = default_split(tables, config)
    _, loaded = load_version("churn-risk", report.version)
    # Trained as the run trains it: churners weighted by the exit reasons stated before the as-of date.
    weights = training_weights(split, stated_exit_reasons(tables, AS_OF))
    assert weights.weighted_row_count > 0
    assert run.data.params["exit_reasons.weighted_rows"] == str(weights.weighted_row_count)
    assert {
        key.removeprefix("exit_reasons.weight."): float(value)
        for key, value in run.data.params.items()
        if key.startswith("exit_reasons.weight.")
    } == pytest.approx(weights.by_reason, abs=1e-4)
    card = Path(client.download_artifacts(report.run_id, "model_card.md")).read_text(encoding="utf-8")
    assert f"({weights.answers:,} answers, {weights.weighted_row_count:,} rows)" in card
    assert f"competitor ×{weights.by_reason['competitor']:.2f}" in card
    stayers = min(REFERENCE_ROWS, int((split.train[LABEL] == 0).sum()))
    assert f"its mean over {stayers:,} training rows of customers who stayed" in card
    trained = train_models(split, seed=config.training.seed, booster_weights=weights.row_weights)
    np.testing.assert_array_equal(loaded.predict_proba(split.test), trained.xgboost.predict_proba(split.test))
    # ... and its reasons, measured against the same stayers' reference.
    np.testing.assert_allclose(loaded.reference_contributions, trained.xgboost.reference_contributions)
    assert np.abs(loaded.reference_contributions).max() > 0
    np.testing.assert_array_equal(loaded.stayer_medians, trained.xgboost.stayer_medians)  # NaN where no value
    assert np.isfinite(loaded.stayer_medians).sum() > len(loaded.feature_names) / 2
    assert "only on its declared side of those customers' median" in card.replace("\n", " ")
    pd.testing.assert_frame_equal(
        explain_reasons(loaded, split.test.head(2_000)),
        explain_reasons(trained.xgboost, split.test.head(2_000)),
    )


def test_models_registered_before_the_stayers_reference_or_medians_still_load(tables, embedded_store):
    """Versions registered before the reference was kept score against TreeSHAP's own baseline; those
    registered before the medians were kept (every champion of the week before) quote either side.
    A median no stayer had a value for is null in the file and NaN again when loaded."""
    import dataclasses
    import json

    import mlflow

    from models.reasons import outdated_reasons
    from models.registry import experiment_id, log_model_version

    split = default_split(tables, embedded_store)
    trained = train_models(split, seed=0).xgboost
    with_a_gap = trained.stayer_medians.copy()
    with_a_gap[3] = np.nan
    registered = {
        "neither": dataclasses.replace(trained, reference_contributions=None, stayer_medians=None),
        "reference only": dataclasses.replace(trained, stayer_medians=None),
        "both": dataclasses.replace(trained, stayer_medians=with_a_gap),
    }
    use_tracking(embedded_store.output_dir)
    for kind, model in registered.items():
        with mlflow.start_run(experiment_id=experiment_id("churn-risk", embedded_store.output_dir)) as run:
            version = log_model_version(model, split.test, "churn-risk", {"churn.horizon_days": "90"})
        _, loaded = load_version("churn-risk", version)
        np.testing.assert_array_equal(loaded.predict_proba(split.test), trained.predict_proba(split.test))
        outdated = outdated_reasons(loaded)  # what the nightly run tells whoever runs it
        if kind == "neither":
            assert loaded.reference_contributions is None and loaded.stayer_medians is None
            assert "before the stayers' reference was kept" in outdated and "`churn train`" in outdated
        elif kind == "reference only":
            np.testing.assert_allclose(loaded.reference_contributions, trained.reference_contributions)
            assert loaded.stayer_medians is None
            assert "before the stayers' medians were kept" in outdated and "`churn train`" in outdated
        else:
            assert outdated is None
            np.testing.assert_array_equal(loaded.stayer_medians, with_a_gap)
            assert np.isnan(loaded.stayer_medians).tolist() == [i == 3 for i in range(len(with_a_gap))]
            path = MlflowClient().download_artifacts(run.info.run_id, "stayer_medians.json")
            written = json.loads(Path(path).read_text(encoding="utf-8"), parse_constant=pytest.fail)
            assert written[trained.feature_names[3]] is None


def test_a_worse_model_is_not_promoted_unless_forced(trained, embedded_store):
    config, split = embedded_store, trained.split
    first = trained.register(config)

    worse = register_and_gate(trained.source, AS_OF, config, split, train_models(shuffled(split, 1), seed=0))
    assert not worse.champion_now
    assert "worse than the champion's" in worse.decision.reason
    client = MlflowClient(worse.tracking_uri)
    assert str(client.get_model_version_by_alias("churn-risk", CHAMPION).version) == first.version
    tags = client.get_model_version("churn-risk", worse.version).tags
    assert tags["gate.decision"] == "kept_champion" and tags["gate.champion_version"] == first.version
    assert str(client.get_model_version_by_alias("churn-risk", "challenger").version) == worse.version

    forced = register_and_gate(
        trained.source, AS_OF, config, split, train_models(shuffled(split, 2), seed=0), force_promote=True
    )
    assert forced.champion_now and forced.forced
    assert str(client.get_model_version_by_alias("churn-risk", CHAMPION).version) == forced.version
    tags = client.get_model_version("churn-risk", forced.version).tags
    assert tags["gate.decision"] == "forced" and "--force-promote" in tags["gate.reason"]


def test_a_version_is_promoted_by_hand_only_when_it_can_score(trained, embedded_store):
    """`churn promote`: a rollback moves the champion alias back and tags why; promoting the champion
    changes nothing; a version that is not registered, or whose files are gone, never becomes one."""
    import shutil

    from models.registry import promote_by_hand

    config = embedded_store
    first = trained.register(config)
    second = trained.register(config, force_promote=True)
    client = MlflowClient(second.tracking_uri)
    assert str(client.get_model_version_by_alias("churn-risk", CHAMPION).version) == second.version

    back = promote_by_hand("churn-risk", first.version)
    assert back.changed and back.previous == second.version
    assert back.predicts == back.previous_predicts == "90-day horizon, churn as inactivity"
    assert str(client.get_model_version_by_alias("churn-risk", CHAMPION).version) == first.version
    tags = client.get_model_version("churn-risk", first.version).tags
    assert tags["promote.previous_champion"] == second.version and tags["promote.at"].endswith("Z")
    assert not promote_by_hand("churn-risk", first.version).changed

    with pytest.raises(
        ChurnError, match=r"no version 9 of 'churn-risk' in the registry at .*; its versions: 1, 2$"
    ):
        promote_by_hand("churn-risk", "9")
    shutil.rmtree(config.output_dir / "mlartifacts")  # the store moved without its files
    with pytest.raises(ChurnError, match="cannot load 'churn-risk' version 2"):
        promote_by_hand("churn-risk", second.version)
    assert str(client.get_model_version_by_alias("churn-risk", CHAMPION).version) == first.version


def test_a_champion_whose_files_are_gone_blocks_no_retraining(trained, embedded_store, monkeypatch):
    """The registry outlived the champion's files (a store moved without its artifacts): a new model
    is registered and kept as challenger with the reason, --force-promote replaces the champion, and a
    failure while recording the decision never leaves a new champion without it."""
    import shutil

    config = embedded_store
    first = trained.register(config)
    shutil.rmtree(config.output_dir / "mlartifacts")
    second = trained.register(config)
    assert not second.champion_now
    assert (
        f"the champion (version {first.version}) cannot be compared on these rows: it cannot be loaded ("
        in (second.decision.reason)
    )
    client = MlflowClient(second.tracking_uri)
    assert str(client.get_model_version_by_alias("churn-risk", CHAMPION).version) == first.version

    real_tag = MlflowClient.set_model_version_tag

    def tag_fails(self, name, version, key, value):
        if key == "gate.reason":
            raise ConnectionError("the tracking server went away")
        return real_tag(self, name, version, key, value)

    with monkeypatch.context() as patched:
        patched.setattr(MlflowClient, "set_model_version_tag", tag_fails)
        with pytest.raises(ConnectionError):
            trained.register(config, force_promote=True)
    assert str(client.get_model_version_by_alias("churn-risk", CHAMPION).version) == first.version
    # Nor is the failed run's version the challenger: that stays the last version with a decision.
    assert str(client.get_model_version_by_alias("churn-risk", "challenger").version) == second.version
    failed = max(int(v.version) for v in client.search_model_versions("name = 'churn-risk'"))
    assert failed > int(second.version) and not client.get_model_version("churn-risk", str(failed)).aliases

    forced = trained.register(config, force_promote=True)
    assert forced.champion_now and forced.forced
    assert str(client.get_model_version_by_alias("churn-risk", CHAMPION).version) == forced.version


def test_a_champion_for_another_horizon_is_not_compared_on_these_rows(tables, trained, embedded_store):
    thirty_days = embedded_store.model_copy(
        update={"churn": embedded_store.churn.model_copy(update={"horizon_days": 30})}
    )
    first = train_and_register(tables, AS_OF, thirty_days)
    second = trained.register(embedded_store)  # the default 90 days
    assert not second.champion_now and second.decision.champion_metrics is None
    assert "cannot be compared on these rows: it predicts churn.horizon_days = 30, this model 90" in (
        second.decision.reason
    )
    client = MlflowClient(second.tracking_uri)
    assert str(client.get_model_version_by_alias("churn-risk", CHAMPION).version) == first.version
    assert client.get_model_version("churn-risk", first.version).tags["cutoffs.test"] == "2025-11-30"


def test_a_champion_that_does_not_say_what_it_predicts_is_not_compared(trained, embedded_store):
    """A version registered by hand (or before versions were tagged) may predict another definition or
    horizon: the gate cannot tell, so it does not compare; --force-promote replaces it."""
    first = trained.register(embedded_store)
    client = MlflowClient(first.tracking_uri)
    client.delete_model_version_tag("churn-risk", first.version, "churn.definition")
    second = trained.register(embedded_store)
    assert not second.champion_now and second.decision.champion_metrics is None
    assert "it does not say what it predicts (no churn.definition tag)" in second.decision.reason
    assert str(client.get_model_version_by_alias("churn-risk", CHAMPION).version) == first.version
    assert str(client.get_model_version_by_alias("churn-risk", "challenger").version) == second.version


def test_a_champion_that_learnt_a_feature_defined_differently_now_is_not_compared(trained, embedded_store):
    """An upgrade may change what a feature counts (open_complaints left price complaints out on
    2 December 2026). A champion that learnt the old meaning would read the new one as the old: the
    version keeps what each feature meant, the nightly sentence names the changed ones, and the gate
    does not compare on them; --force-promote replaces it. A champion registered before the record was
    kept may have learnt the features redefined before then the old way."""
    first = trained.register(embedded_store)
    client = MlflowClient(first.tracking_uri)
    _, loaded = load_version("churn-risk", first.version)
    assert loaded.feature_definitions == feature_definitions(loaded.feature_names)
    assert "price" in loaded.feature_definitions["open_complaints"]  # the definition's words, kept
    assert redefined_features(loaded.feature_definitions, loaded.feature_names) == []
    assert redefined_features(None, ["orders_90d"]) == []
    assert redefined_features_sentence(None, ["orders_90d"]) is None

    older = {**loaded.feature_definitions, "open_complaints": "complaints not resolved (any category)"}
    client.log_dict(
        client.get_model_version("churn-risk", first.version).run_id, older, "feature_definitions.json"
    )
    _, loaded = load_version("churn-risk", first.version)
    sentence = redefined_features_sentence(loaded.feature_definitions, loaded.feature_names)
    assert sentence.startswith("learnt open_complaints as they were defined when it was trained;")
    assert "`churn train --force-promote`" in sentence

    second = trained.register(embedded_store)
    assert not second.champion_now and second.decision.champion_metrics is None
    assert "it learnt features that are defined differently now (open_complaints)" in second.decision.reason
    assert str(client.get_model_version_by_alias("churn-risk", CHAMPION).version) == first.version

    run_id = client.get_model_version("churn-risk", first.version).run_id
    for record in (embedded_store.output_dir / "mlartifacts").rglob("feature_definitions.json"):
        if run_id in record.parts:  # as a version registered before records were kept has it: none
            record.unlink()
    _, loaded = load_version("churn-risk", first.version)
    assert loaded.feature_definitions is None
    assert REDEFINED_BEFORE_RECORDS <= set(load_feature_declarations())
    suspect = redefined_features(None, loaded.feature_names)
    assert (
        "open_complaints" in suspect and "competitor_contacts_90d" in suspect and "orders_90d" not in suspect
    )
    sentence = redefined_features_sentence(None, loaded.feature_names)
    assert sentence.startswith("keeps no record of what its features meant (models keep one since 2 December")
    assert "open_complaints" in sentence and "`churn train --force-promote`" in sentence
    third = trained.register(embedded_store)
    assert not third.champion_now and third.decision.champion_metrics is None
    assert len(suspect) > 5  # the gate's reason names five and says there are more
    assert (
        f"it keeps no record of what its features meant, and learnt some redefined since ({', '.join(suspect[:5])}, …)"
        in third.decision.reason
    )


def test_an_as_of_past_the_end_of_the_data_is_refused(tables, embedded_store):
    with pytest.raises(
        TrainingDataError, match=r"the orders end on 2025-12-31, more than 7 days before --as-of 2026-02-28"
    ):
        train_and_register(tables, "2026-02-28", embedded_store)


def test_an_unreachable_tracking_server_fails_at_once(tables, embedded_store, monkeypatch):
    from tests.conftest import _free_port

    url = f"http://127.0.0.1:{_free_port()}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", url)
    started = time.monotonic()
    with pytest.raises(ChurnError, match=rf"the MLflow tracking server at {url} does not answer"):
        train_and_register(tables, AS_OF, embedded_store)
    assert time.monotonic() - started < 30  # before any training, not after minutes of retries


def test_the_tracking_stores_password_is_never_shown(embedded_store, monkeypatch):
    """MLFLOW_TRACKING_URI may carry a password (a database-backed store, a server behind basic
    auth): messages, summaries and run tags show it hidden."""
    from features.sources import url_without_password
    from tests.conftest import _free_port

    assert (
        url_without_password("postgresql://mlflow:s3cret@db:5432/mlflow")
        == "postgresql://mlflow:***@db:5432/mlflow"
    )
    assert url_without_password("http://:s3cret@host:5000") == "http://:***@host:5000"
    for plain in ("sqlite:////tmp/mlflow.db", "http://mlflow@host:5000", "databricks", "file:///tmp/mlruns"):
        assert url_without_password(plain) == plain
    port = _free_port()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"http://churn:s3cret@127.0.0.1:{port}")
    with pytest.raises(ChurnError) as error:
        use_tracking(embedded_store.output_dir)
    assert f"http://churn:***@127.0.0.1:{port} does not answer" in str(error.value)
    assert "s3cret" not in str(error.value)


def test_a_tracking_server_behind_basic_auth_is_checked_with_the_uris_login():
    """`http://user:pass@host:port` (as MLflow's client accepts it): the health check logs in with it,
    on a real server on 127.0.0.1 that refuses requests without it, and never shows the password."""
    import base64
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from models.registry import _check_reachable

    expected = "Basic " + base64.b64encode(b"churn:s3cr@t").decode()

    class Health(BaseHTTPRequestHandler):
        def do_GET(self):
            status = 200 if self.path == "/health" and self.headers.get("Authorization") == expected else 401
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"OK")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        _check_reachable(f"http://churn:s3cr%40t@127.0.0.1:{port}")  # the login, percent-encoded
        with pytest.raises(ChurnError, match=rf"at http://churn:\*\*\*@127.0.0.1:{port} answered 401"):
            _check_reachable(f"http://churn:wrong@127.0.0.1:{port}")
        with pytest.raises(ChurnError, match=r"answered 401"):
            _check_reachable(f"http://127.0.0.1:{port}")
    finally:
        server.shutdown()
    with pytest.raises(ChurnError, match=r"is not a usable URL") as error:
        _check_reachable("http://churn:s3cret@127.0.0.1:port")
    assert "s3cret" not in str(error.value)


def test_no_champion_is_a_clear_error(embedded_store):
    use_tracking(embedded_store.output_dir)
    with pytest.raises(
        NoChampionError, match=r"no model 'churn-risk@champion' in the registry at sqlite:///"
    ):
        load_version("churn-risk", CHAMPION)


@pytest.fixture
def mlflow_server(tmp_path, monkeypatch):
    """A real `mlflow server` on 127.0.0.1 with its own SQLite store and artifact folder."""
    from tests.conftest import _free_port

    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "mlflow"),
            "server",
            "--backend-store-uri",
            f"sqlite:///{tmp_path / 'server.db'}",
            "--artifacts-destination",
            str(tmp_path / "server-artifacts"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("mlflow server did not start") from None
                time.sleep(0.5)
        monkeypatch.setenv("MLFLOW_TRACKING_URI", url)
        yield url, tmp_path / "server-artifacts"
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def test_a_run_on_a_real_tracking_server_is_recorded_registered_and_loads_back(
    trained, tmp_path, mlflow_server, monkeypatch
):
    """The module's models registered through a real `mlflow server` (training itself is tested on the
    embedded store above, and sends its run through the same calls)."""
    url, artifact_folder = mlflow_server
    config = PipelineConfig(output_dir=tmp_path / "out")
    report = trained.register(config)
    assert report.tracking_uri == url
    client = MlflowClient(url)
    assert client.get_run(report.run_id).data.metrics["xgboost.roc_auc"] > 0.7
    assert str(client.get_model_version_by_alias("churn-risk", CHAMPION).version) == report.version
    card = next(artifact_folder.rglob("model_card.md")).read_text(encoding="utf-8")  # in the server's store
    listed = ", ".join(f"`{name}`" for name in NEVER_SAID)
    assert f"Left out, for one value in every training row: {listed}." in card
    assert "can never name" not in card  # every survey reason has a feature on this CRM
    assert not (config.output_dir / "mlflow.db").exists()  # and nothing to the embedded one
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    _, loaded = load_version("churn-risk", CHAMPION)
    assert list(scratch.iterdir()) == []  # the model downloaded from the server is not left in /tmp
    assert report.left_out == NEVER_SAID  # no such topics
    assert loaded.feature_names == [
        name for name in load_feature_declarations() if name not in report.left_out
    ]
    assert loaded.reference_contributions.shape == (len(loaded.feature_names),)


def _artifact_paths(client: MlflowClient, run_id: str, path: str | None = None) -> set[str]:
    found = set()
    for item in client.list_artifacts(run_id, path):
        if item.is_dir:
            found |= _artifact_paths(client, run_id, item.path)
        else:
            found.add(item.path)
    return found


def test_each_run_in_one_process_uses_its_own_embedded_store(tmp_path, monkeypatch):
    """mlflow.set_tracking_uri exports the URI to the environment; it must not stick to later runs."""
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    first = use_tracking(tmp_path / "first")
    second = use_tracking(tmp_path / "second")
    assert first.endswith("first/mlflow.db") and second.endswith("second/mlflow.db")
    assert "MLFLOW_TRACKING_URI" not in os.environ  # child processes do not inherit either
