"""Research (#16 item 8): corpus stopwords by document frequency, a plan repeated on one page
counted once, a numeric year axis, groups too small for a test, legends, one meaning of chars."""

import json

import pytest
from typer.testing import CliRunner

from plantext.cli import app
from plantext.inputs import read_inputs
from plantext.model import Plan, Source
from plantext.outline import outline
from plantext.research import compare, corpus, corpus_terms, keywords, sections
from plantext.research.corpus import Corpus
from plantext.research.dedupe import unique_plans
from plantext.research.terms import common_terms

TOPICS = ["书法", "围棋", "篮球", "合唱", "陶艺", "航模"]


def plan_file(tmp_path, name: str, topic: str, year: int | None = None):
    f = tmp_path / f"{name}.txt"
    f.write_text(
        f"{name}{topic}社团工作计划\n一、工作目标\n学校组织教师指导{topic}社团，教师每周开展训练两次，教师轮流值守，"
        f"教师记录考勤，教师评价作品，教师撰写总结。\n二、保障措施\n学校安排教师负责场地，教师负责器材。\n",
        encoding="utf-8",
    )
    return f


@pytest.fixture(scope="module")
def six(tmp_path_factory):
    d = tmp_path_factory.mktemp("six")
    files = [plan_file(d, f"第{i + 1}中学", t) for i, t in enumerate(TOPICS)]
    plans = read_inputs([str(f) for f in files]).plans
    return plans, [outline(p) for p in plans]


def test_terms_every_plan_carries_are_corpus_stopwords(six):
    plans, nodes = six
    pts = corpus_terms(plans, nodes)
    assert {"学校", "教师", "社团"} <= common_terms(corpus_terms(plans, nodes, max_df=None))
    assert not {"学校", "教师", "社团"} & {t for pt in pts for t in pt.terms}
    top = [r["term"] for r in keywords(pts, top=1)]
    assert top == TOPICS  # each plan's own topic, never 教师
    # kept, 教师 (8 uses in every plan) would be every plan's top keyword
    raw = [r["term"] for r in keywords(corpus_terms(plans, nodes, max_df=None), top=1)]
    assert raw == ["教师"] * 6
    # too few plans for document frequencies to mean anything: nothing is dropped
    assert common_terms(corpus_terms(plans[:4], nodes[:4], max_df=None)) == frozenset()


def two_plans_in_one_source(body_b: str | None = None):
    a = "甲方案\n一、目标\n每位教师完成三十学时培训。\n"
    b = "乙方案\n" + (body_b or "一、目标\n每位教师完成 三十学时培训！\n")  # same body, other layout
    text = a + b
    src = Source(path="page.html", text=text, format="html")
    pa = Plan(id="page.html#1", source=src, plan=1, title="甲方案", start=0, end=len(a), title_start=0, title_end=3)
    pb = Plan(
        id="page.html#2",
        source=src,
        plan=2,
        title="乙方案",
        start=len(a),
        end=len(text),
        title_start=len(a),
        title_end=len(a) + 3,
    )
    return pa, pb


def test_a_plan_repeated_on_one_page_counts_once():
    pa, pb = two_plans_in_one_source()
    kept, repeats = unique_plans([pa, pb])
    assert kept == [pa] and repeats == {"page.html#2": "page.html#1"}
    c = Corpus([pa, pb])
    assert len(c) == 1 and c.duplicates == {"page.html#2": "page.html#1"}
    # a different body is another plan
    pa, pb = two_plans_in_one_source("一、目标\n每位教师完成四十学时培训。\n")
    assert unique_plans([pa, pb])[1] == {}
    # the same text from another source is a finding (copying), never merged
    other = Source(path="school.txt", text=pa.source.text[: pa.end], format="txt")
    po = Plan(id="school.txt", source=other, plan=1, title="甲方案", start=0, end=pa.end, title_start=0, title_end=3)
    assert len(unique_plans([pa, po])[0]) == 2


def test_chars_has_one_meaning(tmp_path):
    f = tmp_path / "p.txt"
    f.write_text("读书计划\n一、目标\n每人读书 12 本。\n二、措施\n每月交流一次！\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["split", str(f), "--format", "json"])
    assert r.exit_code == 0, r.output
    split_chars = json.loads(r.stdout)[0]["chars"]
    plan = read_inputs([str(f)]).plans[0]
    # letters and digits only: no whitespace, punctuation or marker decoration
    assert plan.chars == len("读书计划一目标每人读书12本二措施每月交流一次") == split_chars
    c = corpus(str(f))
    assert [row["chars"] for row in c.rows_plans()] == [plan.chars]
    assert sections([plan], [outline(plan)])[0].chars == plan.chars
    assert sum(row["chars"] for row in c.rows_sections()) == plan.chars - len("读书计划")


def grouped_pts(sizes: dict[str, int]):
    plans = []
    for g, n in sizes.items():
        for i in range(n):
            text = f"{g}计划{i}\n教研活动围绕{'课堂' if g == 'a' else '作业'}展开，每周一次{g}组研讨。\n"
            src = Source(path=f"{g}{i}.txt", text=text, format="txt")
            plans.append(Plan(id=src.path, source=src, plan=1, title="", start=0, end=len(text), meta={"g": g}))
    return corpus_terms(plans, max_df=None)


def test_groups_too_small_for_a_test_are_marked_not_scored():
    groups, _ = compare(grouped_pts({"a": 4, "b": 1}), "g", top=5)
    a, b = groups
    assert (a.group, a.plans, a.scored) == ("a", 4, True) and all(t.z is not None for t in a.terms)
    assert (b.group, b.plans, b.scored) == ("b", 1, False)
    assert b.terms and all(t.z is None and t.score is None for t in b.terms)
    assert [t.count for t in b.terms] == sorted((t.count for t in b.terms), reverse=True)
    d = b.to_dict()
    assert d["scored"] is False and all(t["z"] is None for t in d["terms"])


@pytest.mark.parametrize(
    "value, year",
    [
        (2021, 2021),
        ("2021", 2021),
        ("2021年", 2021),
        ("2020-2021学年", 2020),
        ("二〇一九年", 2019),
        ("第一批", None),
        (3, None),
        (True, None),
    ],
)
def test_year_number(value, year):
    from plantext.research.plots import year_number

    assert year_number(value) == year


def test_trend_axis_is_numeric_in_years():
    from plantext.research.plots import trend_figure

    fig = trend_figure({"课堂": {2018: 3.0, 2021: 5.0, 2019: 4.0}, "作业": {2018: 1.0, 2021: 2.0}}, "year")
    ax = fig.axes[0]
    assert list(ax.lines[0].get_xdata()) == [2018, 2019, 2021]  # 2019 -> 2021 spans two years
    assert list(ax.lines[1].get_xdata()) == [2018, 2019, 2021]
    assert [int(t) for t in ax.get_xticks()] == [2018, 2019, 2020, 2021]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["课堂", "作业"]
    # values that are not years stay evenly spaced categories
    fig = trend_figure({"课堂": {"上学期": 1.0, "下学期": 2.0}}, "term")
    assert list(fig.axes[0].lines[0].get_xdata()) == ["上学期", "下学期"]


def test_every_plot_has_a_legend(six):
    from plantext.research.plots import coverage_figure, distinctive_figure

    plans, nodes = six
    rows = sections(plans, [n if i % 2 else n[:1] for i, n in enumerate(nodes)])  # some plans lack 保障措施
    fig = coverage_figure(rows)
    assert fig.legends and fig.legends[0].get_texts()[0].get_text() == "空白：缺少该部分"
    assert len(fig.axes) == 2  # the heatmap and its colour bar
    groups, _ = compare(grouped_pts({"a": 4, "b": 3, "c": 1}), "g", top=5)
    fig = distinctive_figure(groups, "g")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["z ≥ 1.96（p < 0.05）", "z < 1.96", "虚线：z = 1.96"]
    # the group of one plan has a panel that says it was not tested, and no bars
    small = fig.axes[2]
    assert not small.patches and "不做检验" in small.texts[0].get_text()
