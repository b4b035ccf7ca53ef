from __future__ import annotations

import csv
import io
import json
import re

from typer.testing import CliRunner

from conftest import ROOT, SAMPLE
from extractor.cli import app

runner = CliRunner()


def test_extract_json_is_the_contract():
    result = runner.invoke(app, ["extract", str(SAMPLE), "--no-model"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"source", "agency", "year", "template", "metrics", "mentions", "checks", "conflicts"}
    assert data["metrics"]["applications.new.total"]["value"] == 8


def test_extract_csv_and_output_file(tmp_path):
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["extract", str(SAMPLE), "--format", "csv", "-o", str(out), "--no-model"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    by_key = {r["key"]: r for r in rows if r["kind"] == "metric"}
    assert float(by_key["applications.carried_over.total"]["value"]) == 1
    assert by_key["active.procurement.amount"]["unit"] == "万元"
    assert by_key["applications.new.total"]["origin"] == "table" and by_key["applications.new.total"]["text"] == "8"


def test_extract_table_view():
    result = runner.invoke(app, ["extract", str(SAMPLE), "--format", "table", "--no-model"])
    assert result.exit_code == 0
    assert "applications.balance" in result.stdout and "洛阳市生态环境局" in result.stdout


def test_several_files_give_a_list(tmp_path):
    result = runner.invoke(app, ["extract", str(SAMPLE), str(SAMPLE), "--no-model"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 2


def test_every_cli_command_is_documented_in_the_readme():
    import typer.main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    commands = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(cmd, "commands", None)
        commands += [f"{name} {s}" for s in sub] if sub else [name]
    assert commands
    for command in commands:
        assert re.search(rf"xxgk {re.escape(command)}\b", readme), f"README does not document `xxgk {command}`"
