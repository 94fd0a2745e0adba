"""Third hostile round: inputs and command lines a demanding user tries (one-line and repetitive
texts, outputs in odd places, odd option values), each found to fail before its fix."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantext.cli import app
from plantext.inputs import read_inputs

ROOT = Path(__file__).resolve().parent.parent

PLAN = """城东中学教师研修工作计划
一、指导思想
坚持以课堂为主阵地，把教师研修与学生发展结合起来，推动教学方式转变。
二、工作目标
1.全年开展校本研修活动不少于12次，每位教师研修学时不少于60学时。
2.新教师汇报课覆盖率达到100%，骨干教师每学期上示范课不少于2节。
三、保障措施
学校设立研修专项经费3万元，由教务处负责统筹安排。
"""


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click 8.2+: stderr is apart already
        return CliRunner()


def _plans(tmp_path: Path, text: str, name: str = "p.txt"):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    inputs = read_inputs([str(f)])
    assert not inputs.errors, inputs.errors
    return inputs.plans


# -- time and memory ------------------------------------------------------------------------------


def test_a_repetitive_plan_is_checked_in_bounded_memory(tmp_path):
    """One phrase said over and over (rare among plans, common in the plan) gave the word channel
    every pair of its sentences at once: 19 GB for 1 MB of such text. A bigram held by many
    reference sentences tells none apart and is not looked up."""
    from plantext.similarity.check import check

    text = "".join(f"第{i}项：组织教师参加师德专题学习，撰写心得体会并在组内交流研讨。" for i in range(900))
    plans = _plans(tmp_path, "师德学习计划\n" + text)
    tracemalloc.start()
    try:
        check(plans)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 60_000_000, f"{peak / 1e6:.0f} MB"


def test_targets_on_one_long_line_read_a_bounded_tail(tmp_path, monkeypatch):
    """A text that is one line (pasted from a PDF or a web page) handed the rest of the whole text
    to the responsible-tail rule for every target: time growing with the square of the length."""
    from plantext import targets as targets_fn
    from plantext.targets import subjects

    seen: list[int] = []
    real = subjects.tail_responsible
    monkeypatch.setattr(subjects, "tail_responsible", lambda t: seen.append(len(t)) or real(t))
    body = "".join(f"第{i}条，本学期组织读书分享活动不少于{i % 9 + 2}次，参与率达到9{i % 10}%。" for i in range(400))
    plans = _plans(tmp_path, "读书活动计划" + body)
    rows = targets_fn(plans[0])
    assert len(rows) >= 400
    assert seen and max(seen) < 5000  # the sentence and at most a few thousand characters after it


def test_a_tail_closing_its_line_still_names_who_is_responsible(tmp_path):
    from plantext import targets as targets_fn

    text = PLAN + "四、重点任务\n1.全市新建智慧教室200间，改造实验室50个。（市教育局牵头，市财政局配合）\n"
    rows = [r for r in targets_fn(_plans(tmp_path, text)[0]) if r.value == 200]
    assert rows and rows[0].responsible == "市教育局"
