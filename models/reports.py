"""Self-contained HTML reports of a training run and of a scoring run: one file, charts inlined as
PNG data, no script, no external asset, so it opens from a mail attachment or an MLflow artifact
view alike. Headings, column names and chart labels follow the run's language
(`configs/report_labels.yaml`); reason labels and actions come from `configs/reasons.yaml`.
"""

from __future__ import annotations

import base64
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import markdown
import pandas as pd
from jinja2 import Environment
from markupsafe import Markup

from features.config import ACTIVITY, load_feature_declarations, load_reasons, load_report_labels
from models.charts import draw_bars, draw_share_comparison
from models.monitoring import Monitoring
from models.reason_accuracy import ACTIVITY_ONLY, NO_REASON, first_reasons
from models.reasons import number_in

_PAGE = Environment(autoescape=True).from_string(
    """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #1d2329; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem;
border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
.meta { color: #57606a; } .lead { font-size: 1.05rem; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .9rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.number { text-align: right; font-variant-numeric: tabular-nums; }
.status-ok { color: #1a7f37; } .status-warn { color: #9a6700; font-weight: 600; }
.status-fail { color: #cf222e; font-weight: 700; }
.banner { padding: .6rem 1rem; border-radius: 6px; margin: 1rem 0; }
.banner.ok { background: #dafbe1; } .banner.warn { background: #fff8c5; }
.banner.fail { background: #ffebe9; }
figure { display: inline-block; margin: .5rem 1rem .5rem 0; } img { max-width: 100%; height: auto; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
</style></head>
<body>
<h1>{{ title }}</h1>
<p class="meta">{{ subtitle }}</p>
{% for section in sections %}
<section>
{% if section.title %}<h2>{{ section.title }}</h2>{% endif %}
{% if section.banner %}<div class="banner {{ section.banner[0] }}">{{ section.banner[1] }}</div>{% endif %}
{% for paragraph in section.paragraphs %}<p class="lead">{{ paragraph }}</p>{% endfor %}
{% for image in section.images %}
<figure><img src="{{ image.source }}" alt="{{ image.alt }}" width="{{ image.width }}"></figure>
{% endfor %}
{% for table in section.tables %}
<table>
{% if table.caption %}<caption>{{ table.caption }}</caption>{% endif %}
<thead><tr>{% for cell in table.header %}<th>{{ cell }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in table.rows %}<tr>{% for cell in row %}
<td{% if cell.css %} class="{{ cell.css }}"{% endif %}>{{ cell.text }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
{% endfor %}
{% if section.html %}{{ section.html }}{% endif %}
</section>
{% endfor %}
</body></html>
"""
)


@dataclass
class Cell:
    text: str
    css: str = ""


@dataclass
class HtmlTable:
    header: list[str]
    rows: list[list[Cell]]
    caption: str = ""


@dataclass
class Image:
    source: str  # a data: URI
    alt: str
    width: int = 520


@dataclass
class Section:
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    tables: list[HtmlTable] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    banner: tuple[str, str] | None = None  # (ok|warn|fail, text)
    html: Markup | None = None


def png_source(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def render_page(title: str, subtitle: str, sections: list[Section], lang: str) -> str:
    return _PAGE.render(title=title, subtitle=subtitle, sections=sections, lang=lang)


def _number(value: float | None, spec: str, lang: str) -> Cell:
    """A number as the page's language writes it: 4,711 in English is 4.711 in Croatian, where
    4,711 would read as four and a bit. None: an empty cell."""
    return Cell("" if value is None else number_in(value, spec, lang), "number")


def reason_label(code: str, lang: str) -> str:
    """A survey reason's label; `activity` (a feature's category, or reason_1's "activity alone")
    and `none` in the report's words."""
    labels = {reason.code: reason.label[lang] for reason in load_reasons()}
    words = load_report_labels(lang)
    return labels.get(code) or {ACTIVITY_ONLY: words["activity"], NO_REASON: words["no_reason"]}.get(
        code, code
    )


# --- training ------------------------------------------------------------------------------------------

METRIC_COLUMNS = {
    "roc_auc": "ROC AUC",
    "pr_auc": "PR AUC",
    "brier": "Brier",
    "ece": "ECE",
    "lift_top10": "lift@10%",
}


def training_report(
    *,
    lang: str,
    model_name: str,
    version: str,
    champion_now: bool,
    decision: str,
    test_cutoff: str,
    test_rows: int,
    metrics: dict[str, dict[str, float]],
    champion_version: str | None,
    champion_metrics: dict[str, float] | None,
    charts: dict[Path, str],
    shap_chart: Path,
    shap_by_feature: pd.Series,
    model_card_markdown: str,
    generated: pd.Timestamp,
) -> str:
    """The training run's page: gate decision, model comparison, evaluation charts, SHAP by survey
    reason with each reason's strongest features, and the model card."""
    words = load_report_labels(lang)
    verdict = words["now_champion"] if champion_now else words["stays_challenger"]
    header = [words["model"], *METRIC_COLUMNS.values(), words["value_top10"]]
    compared = dict(metrics)
    if champion_metrics:
        compared[words["champion_row"].format(version=champion_version)] = champion_metrics
    rows = [
        [
            Cell(name),
            *(_number(m[key], ".3f", lang) for key in METRIC_COLUMNS),
            _number(m["value_at_risk_top10_share"], ".1%", lang),
        ]
        for name, m in compared.items()
    ]
    rate = metrics["xgboost"]["churn_rate"]
    comparison = Section(
        words["model_comparison"],
        paragraphs=[
            words["test_rows"].format(
                cutoff=test_cutoff, rows=number_in(test_rows, ",", lang), rate=number_in(rate, ".1%", lang)
            )
        ],
        tables=[HtmlTable(header, rows)],
    )
    declared = load_feature_declarations()
    reason_of = shap_by_feature.index.map(lambda name: declared[name].reason)
    top_rows = []
    for code in [*(reason.code for reason in load_reasons()), ACTIVITY]:
        mine = shap_by_feature[reason_of == code].sort_values(ascending=False).head(3)
        label = reason_label(code, lang)
        for name, value in mine.items():
            top_rows.append([Cell(label), Cell(name), _number(value, ".4f", lang)])
    sections = [
        Section(
            words["decision"],
            banner=("ok" if champion_now else "warn", f"{model_name} v{version} {verdict}: {decision}"),
        ),
        comparison,
        Section(
            words["charts"],
            images=[Image(png_source(path), title) for path, title in charts.items()],
        ),
        Section(
            words["shap_by_reason"], images=[Image(png_source(shap_chart), words["shap_by_reason"], 640)]
        ),
        Section(
            words["top_features"],
            tables=[HtmlTable([words["reason"], words["feature"], words["mean_abs_shap"]], top_rows)],
        ),
        Section(words["model_card"], html=_card_html(model_card_markdown)),
    ]
    title = words["training_title"].format(model=model_name, version=version)
    return render_page(title, words["generated"].format(when=f"{generated:%Y-%m-%d %H:%M}"), sections, lang)


def _card_html(card: str) -> Markup:
    """The model card under the report's own heading: its title dropped, its sections one level down."""
    body = "\n".join(line for line in card.splitlines() if not line.startswith("# "))
    body = body.replace("\n## ", "\n### ")
    return Markup(markdown.markdown(body, extensions=["tables"]))  # noqa: S704 - our own card text


# --- scoring -------------------------------------------------------------------------------------------


def scoring_report(
    *,
    lang: str,
    as_of: pd.Timestamp,
    model_name: str,
    model_version: str,
    horizon_days: str,
    rows: pd.DataFrame | None,
    top: pd.DataFrame | None,
    monitoring: Monitoring,
    published: bool,
    generated: pd.Timestamp,
) -> str:
    """The scoring run's page: risk tiers, value at risk by reason, the reason mix against the exit
    survey, data checks and drift, and the customers to call first. `rows` holds at least
    customer_id, churn_probability, risk_tier, value_at_risk and reason_1 of every scored customer;
    a run stopped by monitoring has none, and its page shows the checks."""
    words = load_report_labels(lang)
    sections: list[Section] = []
    status = monitoring.status
    banner = monitoring.headline()
    if not published:
        banner = f"{words['not_published']}. {banner}"
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        if rows is not None and len(rows):
            sections.append(
                Section(
                    paragraphs=[
                        words["scored_by"].format(
                            customers=number_in(len(rows), ",", lang),
                            model=model_name,
                            version=model_version,
                            horizon=horizon_days,
                        )
                    ],
                    banner=(status, banner),
                )
            )
            sections += _risk_sections(rows, lang, words, here)
        else:
            sections.append(Section(banner=(status, banner)))
        sections.append(_monitoring_section(monitoring, lang, words, here))
        if top is not None and len(top):
            sections.append(_top_customers(top, words, lang))
        title = words["scoring_title"].format(as_of=f"{as_of:%Y-%m-%d}")
        return render_page(
            title, words["generated"].format(when=f"{generated:%Y-%m-%d %H:%M}"), sections, lang
        )


def _risk_sections(rows: pd.DataFrame, lang: str, words: dict[str, str], folder: Path) -> list[Section]:
    tier_rows, counts = [], {}
    for tier in ("high", "medium", "low"):
        mine = rows[rows["risk_tier"] == tier]
        counts[words[tier]] = len(mine)
        mean = mine["churn_probability"].mean() if len(mine) else None
        tier_rows.append(
            [
                Cell(words[tier]),
                _number(len(mine), ",", lang),
                _number(mean, ".1%", lang),
                _number(mine["value_at_risk"].sum(), ",.0f", lang),
            ]
        )
    tiers_chart = draw_bars(pd.Series(counts), words["risk_tiers"], folder / "tiers.png", sort=False)
    tiers = Section(
        words["risk_tiers"],
        tables=[
            HtmlTable(
                [words["risk_tier"], words["customers"], words["mean_probability"], words["value_at_risk"]],
                tier_rows,
            )
        ],
        images=[Image(png_source(tiers_chart), words["risk_tiers"])],
    )
    first = first_reasons(rows["reason_1"], rows["activity_share"])
    by_reason = rows["value_at_risk"].groupby(first).sum().sort_values(ascending=False)
    by_reason.index = [reason_label(code, lang) for code in by_reason.index]
    value_chart = draw_bars(by_reason, words["value_by_reason"], folder / "value_by_reason.png")
    value = Section(
        words["value_by_reason"],
        tables=[
            HtmlTable(
                [words["reason"], words["value_at_risk"]],
                [[Cell(label), _number(amount, ",.0f", lang)] for label, amount in by_reason.items()],
            )
        ],
        images=[Image(png_source(value_chart), words["value_by_reason"])],
    )
    # The survey asked people who left, so compare with whom we expect to leave: the high tier.
    high = first[rows["risk_tier"].to_numpy() == "high"]
    no_high_tier = len(high) == 0
    high = first if no_high_tier else high
    survey = {reason.code: reason.survey_share for reason in load_reasons()}
    named = high[high.isin(list(survey))]
    tonight = named.value_counts(normalize=True) if len(named) else pd.Series(dtype=float)
    mix = pd.DataFrame(
        {
            words["share_tonight"]: [float(tonight.get(code, 0.0)) for code in survey],
            words["survey_share"]: list(survey.values()),
        },
        index=[reason_label(code, lang) for code in survey],
    )
    # The survey's shares are of stated reasons: the customers with none are left out, and said so.
    caption = (
        ""
        if no_high_tier  # the table is then of every customer, which the caption's words are not about
        else words["reason_mix_named"].format(
            named=number_in(len(named), ",", lang),
            unnamed=number_in(len(high) - len(named), ",", lang),
            share=number_in((len(high) - len(named)) / len(high), ".0%", lang),
        )
    )
    mix_chart = draw_share_comparison(mix, words["reason_mix"], folder / "reason_mix.png")
    mix_section = Section(
        words["reason_mix"],
        tables=[_shares_table(mix, words["reason"], ".0%", lang, caption)],
        images=[Image(png_source(mix_chart), words["reason_mix"])],
    )
    return [tiers, value, mix_section]


def _shares_table(
    shares: pd.DataFrame, first_column: str, spec: str, lang: str, caption: str = ""
) -> HtmlTable:
    """One row per reason (the index), one share column per source, as percentages."""
    rows = [[Cell(label), *(_number(share, spec, lang) for share in row)] for label, row in shares.iterrows()]
    return HtmlTable([first_column, *shares.columns], rows, caption)


def _status(status: str, words: dict[str, str]) -> Cell:
    return Cell(words[status], f"status-{status}")


def _monitoring_section(monitoring: Monitoring, lang: str, words: dict[str, str], folder: Path) -> Section:
    feed = [
        [Cell(check.name), _status(check.status, words), Cell(check.detail)]
        for check in monitoring.checks
        if check.kind == "feed"
    ]
    declared = load_feature_declarations()
    # A check not compared tonight is said in the notes below the title, not as a passed row.
    drift = [check for check in monitoring.checks if check.kind == "drift" and check.compared]
    drift.sort(key=lambda check: -(check.value or 0))
    drift_rows = []
    for check in drift:
        name = check.name.removeprefix("feature.")
        reason = declared[name].reason if name in declared else ""
        reason = reason_label(reason, lang) if reason else ""
        drift_rows.append(
            [Cell(name), Cell(reason), _number(check.value, ".3f", lang), _status(check.status, words)]
        )
    tables = [
        HtmlTable([words["check"], words["status"], words["detail"]], feed, words["data_checks"]),
        HtmlTable([words["feature"], words["reason"], "PSI", words["status"]], drift_rows, words["drift"]),
    ]
    images = []
    if monitoring.reason_mix:
        shares = pd.DataFrame(
            {
                words["share_tonight"]: [tonight for tonight, _ in monitoring.reason_mix.values()],
                words["training_share"]: [reference for _, reference in monitoring.reason_mix.values()],
            },
            index=[reason_label(code, lang) for code in monitoring.reason_mix],
        )
        tables.append(_shares_table(shares, words["reason"], ".1%", lang, words["reason_mix_training"]))
    measured = [check for check in drift if check.value is not None][:15]
    top_psi = pd.Series({check.name.removeprefix("feature."): check.value for check in measured})
    if len(top_psi):
        chart = draw_bars(top_psi, "PSI", folder / "psi.png", top=15)
        images.append(Image(png_source(chart), "PSI"))
    # What was not compared tonight, and why (in English, as the checks' details are).
    notes = [f"{note}." for note in monitoring.uncompared]
    return Section(words["monitoring"], paragraphs=notes, tables=tables, images=images)


def _top_customers(top: pd.DataFrame, words: dict[str, str], lang: str) -> Section:
    rows = []
    for row in top.itertuples():
        why = (
            f"{row.reason_1_label}: {row.reason_1_detail}" if pd.notna(row.reason_1) else row.reason_1_detail
        )
        rank = None if pd.isna(row.priority_rank) else int(row.priority_rank)
        rows.append(
            [
                _number(rank, "d", lang),
                Cell(str(row.customer_id)),
                _number(row.churn_probability, ".0%", lang),
                _number(row.value_at_risk, ",.0f", lang),
                Cell(why),
                Cell(str(row.recommended_action)),
            ]
        )
    header = [
        words["rank"],
        words["customer"],
        words["risk"],
        words["value_at_risk"],
        words["why"],
        words["action"],
    ]
    return Section(words["top_customers"], tables=[HtmlTable(header, rows)])
