"""plantext index export: the library back out as JSONL or as a folder of texts with a manifest,
never over existing files without --force, and one clear line when -o cannot be used."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from plantext.cli import app

PLANS = {
    "east/2024/城南小学教研计划.txt": """城南小学2024年教研工作计划

一、指导思想
以课堂教学改革为中心，扎实开展校本教研活动，提高教师专业水平。

二、主要工作
1. 每两周开展一次集体备课，每位教师每学期上公开课不少于1节。
2. 组织青年教师参加基本功比赛，6月底前完成评比。
""",
    "west/2023/河畔幼儿园保育计划.txt": """河畔幼儿园2023学年保育工作计划

一、工作目标
幼儿体检率达到100%，晨检每日进行，保育员培训全年不少于24学时。

二、具体措施
落实一日生活常规，每月检查一次班级卫生，发现问题及时整改。
""",
}


@pytest.fixture
def library(tmp_path):
    for rel, text in PLANS.items():
        f = tmp_path / "in" / rel
        f.parent.mkdir(parents=True)
        f.write_text(text, encoding="utf-8")
    db = tmp_path / "lib.db"
    r = CliRunner().invoke(
        app, ["index", "add", str(tmp_path / "in"), "--db", str(db), "--meta-from-path", "{region}/{year}/*"]
    )
    assert r.exit_code == 0, r.output
    return db


def test_export_jsonl_carries_text_spans_and_meta(tmp_path, library):
    out = tmp_path / "plans.jsonl"
    r = CliRunner().invoke(app, ["index", "export", "--db", str(library), "-o", str(out)])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_title = {row["title"]: row for row in rows}
    assert set(by_title) == {"城南小学2024年教研工作计划", "河畔幼儿园2023学年保育工作计划"}
    east = by_title["城南小学2024年教研工作计划"]
    assert east["meta"] == {"region": "east", "year": 2024}
    full = PLANS["east/2024/城南小学教研计划.txt"]
    assert east["text"] == full[east["start"] : east["end"]] and east["text"].startswith("城南小学2024年")


def test_export_folder_writes_texts_and_manifest(tmp_path, library):
    out = tmp_path / "backup"
    r = CliRunner().invoke(app, ["index", "export", "--db", str(library), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["manifest.csv", "城南小学教研计划.txt", "河畔幼儿园保育计划.txt"]
    assert (out / "河畔幼儿园保育计划.txt").read_text(encoding="utf-8") == PLANS["west/2023/河畔幼儿园保育计划.txt"]
    with open(out / "manifest.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {(r["path"], r["region"], r["year"]) for r in rows} == {
        ("城南小学教研计划.txt", "east", "2024"),
        ("河畔幼儿园保育计划.txt", "west", "2023"),
    }


def test_export_refuses_existing_outputs_before_reading(tmp_path, library, monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")
    run = lambda *a: CliRunner().invoke(app, ["index", "export", "--db", str(library), *map(str, a)])  # noqa: E731
    jl = tmp_path / "old.jsonl"
    jl.write_text("keep", encoding="utf-8")
    r = run("-o", jl)
    assert r.exit_code == 2 and r.stderr == f"plantext: {jl}: already exists (use --force to overwrite)\n"
    assert jl.read_text(encoding="utf-8") == "keep"
    assert run("-o", jl, "--force").exit_code == 0 and jl.read_text(encoding="utf-8").count("\n") == 2

    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep", encoding="utf-8")
    r = run("-o", a_file, "--force")
    assert r.exit_code == 2 and r.stderr == f"plantext: {a_file}: exists and is not a folder\n"

    folder = tmp_path / "full"
    folder.mkdir()
    (folder / "other.txt").write_text("keep", encoding="utf-8")
    r = run("-o", folder)
    assert r.exit_code == 2 and "folder is not empty" in r.stderr
    assert run("-o", folder, "--force").exit_code == 0
    assert (folder / "other.txt").read_text(encoding="utf-8") == "keep" and (folder / "manifest.csv").exists()
