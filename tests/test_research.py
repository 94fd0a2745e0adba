import json
import math
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from plantext.cli import app
from plantext.inputs import read_inputs
from plantext.meta import apply_meta
from plantext.outline import outline
from plantext.research import compare, corpus, corpus_terms, keep, keywords, log_odds, sections, term_table
from plantext.research.stage import group_fields, year_field

pytestmark = pytest.mark.usefixtures("english")  # asserts the English wording of messages

DATA = Path(__file__).parent / "data" / "research"
PLANS = DATA / "plans"
MANIFEST = DATA / "manifest.csv"
IT_TERMS = {"信息技术", "智慧课堂", "信息化"}
ETHICS_TERMS = {"师德", "师德师风", "职业道德"}

# The section kinds of every sample plan, read off its headings (一、指导思想 ...) with the
# section-kind lexicon: 主要措施 is 具体措施, 培训目标 is 工作目标, 培训方式 is 培训形式.
KINDS = {
    "东湖中学师德师风建设工作计划.txt": ["指导思想", "工作目标", "具体措施", "保障措施"],
    "东湖小学信息化教学培训计划.txt": ["指导思想", "工作目标", "具体措施", "保障措施"],
    "东湖小学智慧课堂建设实施方案.txt": ["指导思想", "工作目标", "主要任务", "时间安排", "保障措施"],
    "东湖中学师德建设工作计划.txt": ["指导思想", "工作目标", "具体措施"],
    "东湖幼儿园数字化教学培训计划.txt": ["工作目标", "具体措施", "保障措施"],
    "西林小学师德培训计划.txt": ["工作目标", "培训内容", "培训形式", "保障措施"],
    "西林中学信息技术应用能力提升培训计划.txt": ["工作目标", "培训内容", "培训形式", "考核评价"],
    "西林小学师德师风专项教育实施方案.txt": ["指导思想", "工作目标", "主要任务", "时间安排", "保障措施"],
    "西林中学教育信息化工作计划.txt": ["指导思想", "工作目标", "具体措施"],
    "西林幼儿园职业道德教育计划.txt": ["工作目标", "具体措施", "保障措施"],
}


def name(plan) -> str:
    return Path(plan.source.path).name


@pytest.fixture(scope="module")
def plans():
    ps = read_inputs([str(PLANS)]).plans
    apply_meta(ps, str(MANIFEST))
    return ps


@pytest.fixture(scope="module")
def nodes(plans):
    return [outline(p) for p in plans]


@pytest.fixture(scope="module")
def pts(plans, nodes):
    return corpus_terms(plans, nodes)


# -- terms ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, kept",
    [
        ("信息技术", True),
        ("师德师风", True),
        ("AI", True),
        ("信息技术2.0", True),  # dictionary word with digits
        ("2024", False),
        ("30%", False),
        ("，", False),
        ("——", False),
        ("的", False),
        ("加强", False),
        ("校", False),
        ("20xx年", False),
    ],
)
def test_term_filter(word, kept):
    assert keep(word) is kept


def test_heading_titles_and_placeholders_are_not_terms(tmp_path, nodes, pts, plans):
    # 一、指导思想 names a section kind: structure, not content; the word still counts in a body
    i = [name(p) for p in plans].index("东湖中学师德师风建设工作计划.txt")
    assert "指导思想" not in pts[i].terms and "保障措施" not in pts[i].terms
    f = tmp_path / "p.txt"
    f.write_text("20xx年培训计划\n一、工作目标\n完成□□学时的信息技术培训。\n", encoding="utf-8")
    p = read_inputs([str(f)]).plans[0]
    got = corpus_terms([p], [outline(p)])[0]
    assert got.terms[-2:] == ["信息技术", "培训"] and "工作目标" not in got.terms
    assert got.kinds[-2:] == ["工作目标", "工作目标"]


def test_terms_per_plan_carry_meta_and_rank_by_tfidf(pts, nodes):
    rows = term_table(pts, ("plan",), top=5)
    assert len(rows) == 50
    first = [r for r in rows if r["title"] == "东湖中学2022年师德师风建设工作计划"]
    assert [r["rank"] for r in first] == [1, 2, 3, 4, 5]
    assert first[0]["term"] == "师德" and first[0]["group"] == "师德" and first[0]["region"] == "城东区"
    assert first[0]["year"] == 2022
    assert all(a["tfidf"] >= b["tfidf"] for a, b in zip(first, first[1:]))
    # 教师 is in every plan: a stopword of this corpus (document frequency), not a term
    everything = term_table(pts, ("plan",), top=None)
    assert not any(r["term"] == "教师" for r in everything)
    # kept (max_df=None), 教师 (4 uses, in every plan) ranks below 职业道德 (3 uses, in 3 of 10): idf
    everything = term_table(corpus_terms([pt.plan for pt in pts], nodes, max_df=None), ("plan",), top=None)
    mine = {r["term"]: r for r in everything if r["title"] == "东湖中学2022年师德师风建设工作计划"}
    assert mine["教师"]["count"] > mine["职业道德"]["count"] and mine["教师"]["rank"] > mine["职业道德"]["rank"]
    assert mine["师德"]["share"] == pytest.approx(mine["师德"]["count"] / sum(r["count"] for r in mine.values()))


def test_terms_per_kind_use_only_words_of_that_kind(pts):
    timing = {r["term"] for r in term_table(pts, ("kind",), top=None, kind="时间安排")}
    support = {r["term"] for r in term_table(pts, ("kind",), top=None, kind="保障措施")}
    assert {"调试", "动员", "表彰"} <= timing  # 3月完成设备安装与调试; 动员学习阶段; 总结表彰
    assert "领导小组" in support and "领导小组" not in timing and "调试" not in support
    rows = term_table(pts, ("kind",), top=None)
    timing_rows = [r for r in rows if r["kind"] == "时间安排"]
    assert {r["term"] for r in timing_rows} == timing
    assert timing_rows[0]["n_plans"] == 2


def test_terms_per_group(pts):
    rows = term_table(pts, ("group",), top=3)
    assert [r["group"] for r in rows] == ["师德"] * 3 + ["信息化"] * 3  # groups in first-seen order
    assert rows[0]["term"] == "师德" and rows[0]["n_plans"] == 5
    assert {r["term"] for r in rows[3:]} <= IT_TERMS | {"教学", "数字资源"}


def test_textrank_keywords(pts):
    rows = keywords(pts, top=3, method="textrank")
    assert len(rows) == 30 and {r["method"] for r in rows} == {"textrank"}
    ethics = [r["term"] for r in rows if r["title"] == "东湖中学2022年师德师风建设工作计划"]
    assert ethics[0] in ETHICS_TERMS
    with pytest.raises(ValueError, match="lda"):
        keywords(pts, method="lda")


# -- compare --------------------------------------------------------------------------------


def test_log_odds_by_hand():
    # two groups, two terms; alpha0 = 4 -> prior counts a = (2, 2). For term 0 in group 0:
    # delta = log(4 / 2) - log(2 / 4) = 2 log 2, var = 1/4 + 1/2
    delta, z = log_odds([[2, 0], [0, 2]], alpha0=4)
    assert delta[0, 0] == pytest.approx(2 * math.log(2))
    assert z[0, 0] == pytest.approx(2 * math.log(2) / math.sqrt(0.75))
    assert z[1, 0] == pytest.approx(-z[0, 0]) and z[0, 1] == pytest.approx(-z[0, 0])
    d2, z2 = log_odds([[5, 5], [50, 50]])  # same rates in both groups: no difference
    assert abs(d2).max() < 1e-12 and abs(z2).max() < 1e-12


def test_compare_ranks_the_designed_terms_first(pts):
    groups, missing = compare(pts, "group", top=3)
    assert missing == []
    by = {g.group: g for g in groups}
    assert set(by) == {"信息化", "师德"} and by["信息化"].plans == 5 and by["师德"].plans == 5
    assert {t.term for t in by["信息化"].terms} == IT_TERMS
    assert {t.term for t in by["师德"].terms} == ETHICS_TERMS
    for g in groups:
        assert all(t.z > 1.96 for t in g.terms)
        assert [t.z for t in g.terms] == sorted((t.z for t in g.terms), reverse=True)
    assert by["师德"].terms[0].term == "师德" and by["师德"].terms[0].count == 45


def test_compare_other_direction_is_significantly_negative(pts):
    groups, _ = compare(pts, "group", top=None, min_count=0)
    it = {t.term: t for t in next(g for g in groups if g.group == "信息化").terms}
    for term in ETHICS_TERMS:
        assert it[term].count == 0 and it[term].z < -1.96
    # a stock word every plan uses is a stopword of the corpus (document frequency) ...
    assert "教师" not in it
    # ... and kept (max_df=None) it is not distinctive
    kept = corpus_terms([pt.plan for pt in pts], [outline(pt.plan) for pt in pts], max_df=None)
    groups, _ = compare(kept, "group", top=None, min_count=0)
    it = {t.term: t for t in next(g for g in groups if g.group == "信息化").terms}
    assert abs(it["教师"].z) < 1.96


def test_compare_needs_two_groups(pts, plans):
    with pytest.raises(ValueError, match=r"nothing.*0"):
        compare(pts, "nothing")


# -- sections -------------------------------------------------------------------------------


def test_section_matrix_is_exact(plans, nodes):
    rows = sections(plans, nodes)
    assert {name(r.plan): r.kinds for r in rows} == KINDS
    # common kinds (>= 6 of the 10 plans): 工作目标 10, 保障措施 8, 指导思想 6, 具体措施 6
    missing = {name(r.plan): r.missing for r in rows}
    assert missing["东湖中学师德建设工作计划.txt"] == ["保障措施"]
    assert missing["西林小学师德培训计划.txt"] == ["指导思想", "具体措施"]
    assert missing["西林中学信息技术应用能力提升培训计划.txt"] == ["保障措施", "指导思想", "具体措施"]
    assert missing["东湖小学信息化教学培训计划.txt"] == []


def test_section_lengths_count_fold_characters(plans, nodes):
    i = [name(p) for p in plans].index("东湖幼儿园数字化教学培训计划.txt")
    r = sections(plans, nodes)[i]
    text = plans[i].source.text
    tail = text[text.index("三、保障措施") :]  # the last section runs to the plan's end
    assert r.lengths["保障措施"] == len(re.sub(r"[\W_]", "", tail))
    assert r.chars == len(re.sub(r"[\W_]", "", text))
    assert sum(r.lengths.values()) < r.chars  # the title line is in no section


# -- metadata helpers -----------------------------------------------------------------------


def test_group_and_year_fields(plans):
    assert group_fields(plans) == ["group", "region", "year", "school_type"]
    assert year_field(plans) == "year"


# -- corpus for pandas ----------------------------------------------------------------------


def test_corpus_dataframes():
    pytest.importorskip("pandas")
    c = corpus(str(PLANS), meta_from_path="{region}/{year}/*")
    assert len(c) == 10 and c.errors == []
    df = c.plans()
    assert list(df.columns) == ["id", "source", "plan", "title", "region", "year", "start", "end", "chars", "flags"]
    assert sorted(df["year"].unique().tolist()) == [2022, 2023, 2024]
    sec = c.sections()
    assert list(sec.columns)[:12] == [
        "id",
        "source",
        "plan",
        "title",
        "depth",
        "marker",
        "ordinal",
        "section",
        "kind",
        "start",
        "end",
        "chars",
    ]
    assert {"region", "year"} <= set(sec.columns)
    assert sec[sec["depth"] == 1]["kind"].notna().all()
    cov = c.coverage()
    assert cov.loc[cov["title"] == "西林中学2024年教育信息化工作计划", "保障措施"].tolist() == [0]
    terms = c.terms(by=["region", "kind"], top=2)
    assert list(terms.columns)[:4] == ["region", "kind", "n_plans", "rank"] and set(terms["region"]) == {
        "城东区",
        "城西区",
    }
    cmp = c.compare("region", top=2)
    assert list(cmp.columns) == ["field", "group", "plans", "scored", "rank", "term", "count", "rest", "score", "z"]
    tg = c.targets()
    assert {"id", "value", "unit", "region", "year"} <= set(tg.columns) and len(tg) > 0
    assert set(c.missing()["missing"]) <= {"工作目标", "保障措施", "指导思想", "具体措施"}


def test_corpus_without_pandas(monkeypatch):
    import builtins

    real = builtins.__import__

    def no_pandas(name, *a, **k):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real(name, *a, **k)

    c = corpus(str(PLANS / "城东区" / "2022"))
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"pip install 'plantext\[pandas\]'"):
        c.plans()
    assert len(c.rows_plans()) == 2  # the records are there without pandas


# -- CLI ------------------------------------------------------------------------------------


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_cli_compare_json_contract():
    r = invoke("compare", PLANS, "--meta", MANIFEST, "--group-by", "group", "--format", "json", "--top", "3")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data) == ["groups"]
    for g in data["groups"]:
        assert list(g) == ["group", "plans", "scored", "terms"] and g["scored"] is True
        assert all(list(t) == ["term", "count", "score", "z"] for t in g["terms"])
    assert {t["term"] for t in data["groups"][0]["terms"]} == IT_TERMS


def test_cli_compare_needs_metadata_and_a_good_manifest(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")  # messages asserted in English
    r = invoke("compare", PLANS, "--group-by", "group", "--format", "json")
    assert r.exit_code == 2 and "needs metadata" in r.stderr
    bad = tmp_path / "m.csv"
    bad.write_text("file,group\na.txt,x\n", encoding="utf-8")
    r = invoke("compare", PLANS, "--meta", bad, "--group-by", "group", "--format", "json")
    assert r.exit_code == 2
    assert r.stderr.strip() == f"plantext: {bad}: no 'path' or 'id' column (columns: file, group)"


def test_cli_compare_goes_on_past_unreadable_files_and_plans_without_meta(tmp_path):
    man = tmp_path / "m.csv"
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    man.write_text("\n".join(lines[:-1]).replace("plans/", str(PLANS) + "/") + "\n", encoding="utf-8")
    r = invoke("compare", PLANS, tmp_path / "missing.txt", "--meta", man, "--group-by", "group", "--format", "json")
    assert r.exit_code == 1
    assert "missing.txt" in r.stderr and "1 plans have no 'group' and are left out" in r.stderr
    assert sum(g["plans"] for g in json.loads(r.stdout)["groups"]) == 9


def test_cli_sections_json():
    r = invoke("sections", PLANS, "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {Path(d["source"]).name: d["kinds"] for d in rows} == KINDS
    assert all(list(d)[:4] == ["id", "source", "plan", "title"] for d in rows)


def test_cli_sections_and_terms_to_files(tmp_path):
    out = tmp_path / "sections.xlsx"
    assert invoke("sections", PLANS, "--meta", MANIFEST, "-o", out).exit_code == 0
    from openpyxl import load_workbook

    wb = load_workbook(out)
    assert wb.sheetnames == ["matrix", "nodes", "missing"]
    head = [c.value for c in wb["matrix"][1]]
    assert head[:8] == ["id", "source", "plan", "title", "group", "region", "year", "school_type"]
    assert invoke("sections", PLANS, "-o", out).exit_code == 1  # exists: refused without --force
    csv_out = tmp_path / "terms.csv"
    r = invoke(
        "terms", PLANS, "--meta-from-path", "{region}/{year}/*", "--group-by", "year", "--top", "2", "-o", csv_out
    )
    assert r.exit_code == 0, r.output
    lines = csv_out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "year,n_plans,rank,term,count,share,plans,tfidf" and len(lines) == 7


def test_cli_terms_by_kind_name_and_bad_kind():
    r = invoke("terms", PLANS, "--by", "时间安排", "--top", "0", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {Path(x["source"]).name for x in rows} == {
        "东湖小学智慧课堂建设实施方案.txt",
        "西林小学师德师风专项教育实施方案.txt",
    }
    r = invoke("terms", PLANS, "--by", "结尾", "--format", "json")
    assert r.exit_code == 2 and "--by must be plan | kind | 指导思想" in r.stderr


def test_cli_plot_writes_png_and_svg(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANTEXT_LANG", "en")  # the CLI adds the flag from the error's hint
    out = tmp_path / "plots"
    r = invoke("plot", PLANS, "--meta", MANIFEST, "--group-by", "group", "-o", out)
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["compare-group.png", "compare-group.svg", "sections.png", "sections.svg", "trend.png", "trend.svg"]
    for p in out.glob("*.png"):
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10000
    for p in out.glob("*.svg"):
        assert "<svg" in p.read_text(encoding="utf-8")[:1000]
    r = invoke("plot", PLANS, "--meta", MANIFEST, "--group-by", "group", "-o", out)
    assert r.exit_code == 2 and "already exists (use --force" in r.stderr


def test_no_cjk_font_is_a_clear_error(monkeypatch):
    from plantext.research import plots

    with pytest.raises(plots.PlotError, match="font 'No Such Font' not found"):
        plots.cjk_font("No Such Font")
    monkeypatch.setattr(plots, "KNOWN_FONTS", ())
    with pytest.raises(plots.PlotError, match="no font with Chinese characters found"):
        plots.cjk_font.__wrapped__(None)


def test_run_writes_tables_and_plots(tmp_path):
    from openpyxl import load_workbook

    from plantext.pipeline import Artifacts, outline_all, research_tables
    from plantext.report.run_files import write_research

    man = tmp_path / "groups.csv"  # one grouping field only, to keep the test quick
    man.write_text(
        "".join(line.rsplit(",", 3)[0] + "\n" for line in MANIFEST.read_text("utf-8").splitlines()), encoding="utf-8"
    )
    inputs = read_inputs([str(PLANS)])
    apply_meta(inputs.plans, str(man))
    out = tmp_path / "out"
    out.mkdir()
    art = Artifacts(inputs)
    art.research = research_tables(inputs.plans, outline_all(inputs.plans))
    written = write_research(out, art)
    assert art.warnings == []
    assert written == [
        "terms.xlsx",
        "sections.xlsx",
        "sections.png",
        "sections.svg",
        "compare-group.png",
        "compare-group.svg",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(written)
    wb = load_workbook(out / "terms.xlsx")
    assert wb.sheetnames == ["keywords", "by kind", "compare group"]
    head = [c.value for c in wb["keywords"][1]]
    assert head[:6] == ["id", "source", "plan", "title", "group", "rank"]
    cmp = [[c.value for c in row] for row in wb["compare group"].iter_rows(min_row=2, max_row=4)]
    assert {r[5] for r in cmp} == IT_TERMS  # field, group, plans, scored, rank, term ...
    assert load_workbook(out / "sections.xlsx").sheetnames == ["matrix", "nodes", "missing"]


def test_parallel_segmentation_gives_the_same_terms(monkeypatch, plans, nodes, pts):
    from plantext.research import terms

    monkeypatch.setattr(terms, "PARALLEL_MIN", 1)
    par = terms.corpus_terms(plans, nodes, jobs=2)
    assert [(p.terms, p.kinds) for p in par] == [(p.terms, p.kinds) for p in pts]


def test_coverage_of_many_plans_is_drawn_per_group(tmp_path, plans, nodes):
    from plantext.research import plots

    rows = sections(plans, nodes)
    paths = plots.coverage(rows, tmp_path / "cov", max_plans=3, group="group")
    assert [p.name for p in paths] == ["cov.png", "cov.svg"] and all(p.stat().st_size > 5000 for p in paths)
    with pytest.raises(plots.PlotError) as e:
        plots.coverage(sections(plans, [[] for _ in plans]), tmp_path / "none")
    assert e.value.key == "research.no_kinds"


def test_plans_without_terms_give_empty_tables_not_errors():
    from plantext.model import Plan, Source
    from plantext.research.terms import PlanTerms

    src = Source(path="a.txt", text="的了", format="txt")
    ps = [Plan(id=f"a.txt#{i}", source=src, plan=i, title="", start=0, end=2, meta={"g": i}) for i in (1, 2)]
    pts = [PlanTerms(p, [], []) for p in ps]
    assert term_table(pts, ("plan",)) == [] and term_table(pts, ("kind",)) == [] and keywords(pts) == []
    groups, _ = compare(pts, "g")
    assert [g.terms for g in groups] == [[], []]
    pts[0].terms, pts[0].kinds = ["师德"], [None]  # a one-term vocabulary has no odds to compare
    groups, _ = compare(pts, "g", min_plans=1)
    assert [(t.term, t.score, t.z) for t in groups[0].terms] == [("师德", 0.0, 0.0)]


def test_general_idf_keywords_for_a_single_plan(plans, nodes):
    # alone, a plan gives no corpus idf: counts decide, and 学校 (5 uses) beats 智慧课堂 (4);
    # jieba's general-Chinese idf knows 学校 is an everyday word
    i = [name(p) for p in plans].index("东湖小学信息化教学培训计划.txt")
    one = corpus_terms([plans[i]], [nodes[i]])
    rank = {m: {r["term"]: r["rank"] for r in keywords(one, top=20, method=m)} for m in ("tfidf", "tfidf-jieba")}
    assert rank["tfidf"]["学校"] < rank["tfidf"]["智慧课堂"]
    assert rank["tfidf-jieba"]["智慧课堂"] < rank["tfidf-jieba"]["学校"]
    assert {"智慧课堂", "信息技术", "信息化"} <= {t for t, r in rank["tfidf-jieba"].items() if r <= 5}
