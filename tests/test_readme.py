"""The README stays true to the code: its two commands, the contract and the validation rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

from features.config import load_feature_declarations, reason_codes
from features.contract import TABLES
from features.validation import RULE_MESSAGES
from models.scoring import EXPORT_SCHEMA

ROOT = Path(__file__).resolve().parents[1]
# The README and the pages under docs/, read once: {path: text}.
PAGES = {
    page: page.read_text(encoding="utf-8") for page in [ROOT / "README.md", *sorted(ROOT.glob("docs/*.md"))]
}
README = PAGES[ROOT / "README.md"]
SOURCE_RULES = ("required_table", "readable_file", "one_file_per_table", "one_column_per_name")


def test_opens_with_the_two_commands():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]


def test_every_contract_column_is_documented_under_its_table():
    for table in TABLES.values():
        after_heading = README.split(f"**`{table.name}`**", 1)[1]
        section = re.search(r"(?:^\|.*\n)+", after_heading, re.M).group(0)  # the table right below
        documented = re.findall(r"^\| \**`(\w+)`\** \|", section, re.M)
        assert documented == list(table.column_names), table.name
        required = re.findall(r"^\| \*\*`(\w+)`\*\* \|", section, re.M)
        assert required == [c.name for c in table.columns if c.required], table.name


def test_every_validation_rule_is_documented():
    rules_table = README.split("The exit code is 1 and nothing downstream is written. The rules:", 1)[1]
    for rule in (*RULE_MESSAGES, *SOURCE_RULES):
        assert f"`{rule}`" in rules_table, rule


def test_every_declared_feature_is_documented_with_its_reason():
    section = README.split("## Features: what each one evidences", 1)[1].split("\n## ", 1)[0]
    documented = dict(re.findall(r"^\| `(\w+)` \| (\w+) \|", section, re.M))
    declared = {name: feature.reason for name, feature in load_feature_declarations().items()}
    assert documented == declared


def test_the_export_table_is_the_json_schema():
    schema = json.loads(EXPORT_SCHEMA.read_text(encoding="utf-8"))
    section = README.split("### The export, column by column", 1)[1]
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| (.+) \|$", section.split("###", 1)[0], re.M)
    assert [name for name, _ in rows] == list(schema["properties"])
    assert [meaning for _, meaning in rows] == [rule["description"] for rule in schema["properties"].values()]
    assert f"Schema version {schema['properties']['schema_version']['const']}" in section


def test_the_schema_names_the_declared_reason_codes():
    schema = json.loads(EXPORT_SCHEMA.read_text(encoding="utf-8"))
    for rank in (1, 2, 3):
        assert schema["properties"][f"reason_{rank}"]["enum"] == [*reason_codes(), None]


def _commands_shown() -> list[list[str]]:
    """Every `churn …` command line the README and docs/ show (code spans and code blocks), as tokens."""
    pages = "\n".join(PAGES.values())
    texts = re.findall(r"`(churn [^`]+)`", pages)
    for block in re.findall(r"```\w*\n(.*?)```", pages, re.S):
        texts += [line.split("#")[0] for line in block.splitlines()]
    shown = []
    for text in texts:
        for match in re.finditer(r"(?:^|[\s=/])churn ((?:[^\s#]+ ?)+)", text):
            shown.append([token.strip("[]…|") for token in match.group(1).split()])
    return shown


def test_every_churn_command_in_the_readme_exists_with_its_options():
    from typer.main import get_command

    from pipelines.cli import app

    group = get_command(app)
    global_options = {opt for param in group.params for opt in param.opts}
    shown = _commands_shown()
    assert len(shown) > 30  # the regex still finds them
    for tokens in shown:
        while tokens and tokens[0] in global_options:  # `churn --config FILE validate …`
            tokens = tokens[2:] if tokens[0] == "--config" else tokens[1:]
        assert tokens and tokens[0] in group.commands, tokens
        command = group.commands[tokens[0]]
        known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)} | {"--help"}
        used = {token.split("=")[0] for token in tokens[1:] if token.startswith("--")}
        assert used <= known, (tokens[0], used - known)


def _settings_keys(model, prefix: str = ""):
    from pydantic import BaseModel

    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _settings_keys(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value


def test_the_configuration_reference_lists_every_setting_with_its_default():
    from features.config import PipelineConfig

    section = README.split("## Configuration reference", 1)[1].split("\n## ", 1)[0]
    documented = dict(re.findall(r"^\| `([\w.]+)` \| `([^`]*)` \|", section, re.M))
    settings = dict(_settings_keys(PipelineConfig()))
    assert list(documented) == list(settings)
    for key, value in settings.items():
        if isinstance(value, int | float | str) and not isinstance(value, bool):
            assert documented[key] == str(value), key


def _anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", re.sub(r"```.*?```", "", markdown, flags=re.S), re.M)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def test_every_link_between_the_readme_and_docs_leads_somewhere():
    for page, text in PAGES.items():
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):  # https:, mailto: - not this repository's
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            assert linked.exists(), (page.name, target)
            if anchor:
                assert anchor in _anchors(PAGES.get(linked) or linked.read_text(encoding="utf-8")), (
                    page.name,
                    target,
                )
