"""The Spark engine (plantext.spark): the same pairs, scores and clusters as the default engine
on small generated corpora, components against scipy, the CLI, and a clear error without
pyspark. Runs on local[2] with one SparkSession for the whole module; skipped without pyspark
or Java."""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from plantext.errors import UsageError
from plantext.inputs import read_inputs
from plantext.similarity.similar import similar, to_json

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from corpus import generate  # noqa: E402  (the project's own plan generator)

pytestmark = pytest.mark.spark

# small corpora exercise the stock sample and count: stock is counted from 3 sources, on 30
OPTIONS = {"stock_sample": 30, "stock_min_df": 3}


def _have_spark() -> str | None:
    try:
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark not installed"
    if not shutil.which("java"):
        return "no Java"
    return None


@pytest.fixture(scope="module")
def spark():
    why = _have_spark()
    if why:
        pytest.skip(why)
    from plantext.spark import session

    s = session("local[2]", partitions=2)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """80 generated plans (a third are disguised copies), a page holding three plans, a tiny
    plan, a one-line plan and an empty file."""
    d = tmp_path_factory.mktemp("spark_corpus")
    docs, _ = generate(80, seed=5, dup_rate=0.3, target_chars=700)
    sub = d / "b"
    sub.mkdir()
    for k, (name, text) in enumerate(docs):
        (sub if k % 3 == 0 else d).joinpath(f"{name}.txt").write_text(text, encoding="utf-8")
    # one template page with three plans (two of them copies of generated ones)
    page = "\n\n".join(f"{t.splitlines()[0]}\n" + "\n".join(t.splitlines()[1:]) for _, t in docs[:3])
    (d / "page.txt").write_text(page, encoding="utf-8")
    (d / "tiny.txt").write_text("计划\n", encoding="utf-8")
    (d / "line.txt").write_text("二〇二四年工作计划：认真学习。\n", encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")
    return d


def _both(spark, paths: list[str], threshold: float, **options):
    from plantext.spark.similar import similar_paths

    errors: list[str] = []
    got, _ = similar_paths(spark, paths, threshold, on_error=errors.append, **options)
    inputs = read_inputs(paths)
    want = similar(inputs.plans, threshold, **options)
    titles = {p.id: p.title for p in inputs.plans}
    return to_json(got, titles), to_json(want, titles), errors, [str(e) for e in inputs.errors]


@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_similar_equals_default_engine(spark, corpus, threshold):
    got, want, errors, want_errors = _both(spark, [str(corpus)], threshold, **OPTIONS)
    assert want["pairs"], "the corpus has copies"
    assert got == want  # every pair, score, containment and cluster
    assert errors == want_errors and any("empty" in e for e in errors)


def test_all_stock_plans_and_fifty_copies(spark, tmp_path):
    # plans made only of stock phrases (each pair compared on its stock text as it is) ...
    lines = [
        x
        for x in (ROOT / "plantext/resources/stock_phrases.txt").read_text(encoding="utf-8").splitlines()
        if x.strip() and not x.startswith("#")
    ]
    rng = random.Random(2)
    for k in range(12):
        body = "，".join(rng.sample(lines, 6 if k % 4 else 12)) + "。"
        (tmp_path / f"stock{k:02d}.txt").write_text(f"学校工作计划\n{body}\n", encoding="utf-8")
    # ... and 50 copies of one plan among a few others
    docs, _ = generate(8, seed=9, dup_rate=0.0, target_chars=600)
    for k in range(50):
        (tmp_path / f"copy{k:02d}.txt").write_text(docs[0][1], encoding="utf-8")
    for name, text in docs[1:]:
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    got, want, _, _ = _both(spark, [str(tmp_path)], 0.5, **OPTIONS)
    assert len(want["clusters"][0]) >= 50 and len(want["pairs"]) >= 50 * 49 // 2
    assert got == want


def test_best_match_gives_clusters_and_one_edge_per_plan(spark, tmp_path):
    from plantext.spark.similar import similar_paths

    docs, _ = generate(6, seed=11, dup_rate=0.0, target_chars=600)
    for k in range(30):
        (tmp_path / f"copy{k:02d}.txt").write_text(docs[0][1] + ("" if k % 2 else "\n补充说明。"), encoding="utf-8")
    for name, text in docs[1:]:
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    # (30 copies would make every 5-gram of the plan stock in so small a corpus: count from 100 sources)
    full, _ = similar_paths(spark, [str(tmp_path)], 0.5, stock_min_df=100)
    star, _ = similar_paths(spark, [str(tmp_path)], 0.5, star=True, stock_min_df=100)
    assert star.clusters == full.clusters
    assert len(full.pairs) == 30 * 29 // 2
    # every plan of the cluster has its best match listed; far fewer than every pair
    assert {x for m in star.pairs for x in (m.a, m.b)} == set(full.clusters[0])
    assert len(star.pairs) < 30
    assert all(m.score >= 0.99 for m in star.pairs)


def test_fewer_than_two_plans(spark, tmp_path):
    from plantext.spark.similar import similar_paths

    (tmp_path / "one.txt").write_text(
        "学校教研工作计划\n一、指导思想\n认真做好本学期的教研工作，提高课堂教学质量。\n", encoding="utf-8"
    )
    got, _ = similar_paths(spark, [str(tmp_path)], 0.5)
    assert (got.pairs, got.clusters, got.stats["plans"]) == ([], [], 1)
    got, _ = similar_paths(spark, [], 0.5)
    assert (got.pairs, got.clusters) == ([], [])


def _scipy_roots(edges: list[tuple[int, int]]) -> dict[int, int]:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    nodes = sorted({x for e in edges for x in e})
    at = {v: k for k, v in enumerate(nodes)}
    i = [at[a] for a, _ in edges]
    j = [at[b] for _, b in edges]
    _, lab = connected_components(coo_matrix((np.ones(len(i)), (i, j)), shape=(len(nodes),) * 2), directed=False)
    low: dict[int, int] = {}
    for v, g in zip(nodes, lab):
        low[int(g)] = min(low.get(int(g), v), v)
    return {v: low[int(g)] for v, g in zip(nodes, lab)}


def test_components_match_scipy(spark):
    from plantext.spark.components import components, components_local

    rng = random.Random(4)
    path = [(k, k + 1) for k in range(40)]  # a long path: the slowest case for label propagation
    star = [(100, 100 + k) for k in range(1, 30)] + [(200 + k, 199) for k in range(1, 20)]
    rand = [(rng.randrange(300, 420), rng.randrange(300, 420)) for _ in range(90)]
    edges = [e for e in path + star + rand if e[0] != e[1]]
    df = spark.createDataFrame(edges, "a long, b long")
    got = {r.node: r.root for r in components(spark, df).collect()}
    want = _scipy_roots(edges)
    assert got == want
    assert components_local(edges) == want


def test_cli_engine_spark_prints_the_same_json(spark, corpus, tmp_path):
    from typer.testing import CliRunner

    from plantext.cli import app

    runner = CliRunner()
    args = ["similar", str(corpus), "-f", "json", "--threshold", "0.5"]
    default = runner.invoke(app, [*args, "-o", str(tmp_path / "d.json")])
    on_spark = runner.invoke(app, [*args, "--engine", "spark", "-o", str(tmp_path / "s.json")])
    assert default.exit_code == on_spark.exit_code == 1  # the empty file is an error line on both
    want = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == want and want["pairs"]


def test_missing_pyspark_is_a_clear_usage_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setenv("PLANTEXT_LANG", "zh")
    from plantext.spark import require

    with pytest.raises(UsageError) as e:
        require()
    assert "pip install 'plantext[spark]'" in str(e.value) and "Spark 引擎需要" in str(e.value)


def _library(tmp_path: Path, n_lib: int, n_sub: int):
    """A SQLite library of generated plans, its Parquet export, and submissions (a third of the
    generated plans are copies, some of library plans)."""
    from plantext.index import Library
    from plantext.model import Source
    from plantext.spark.library import export_parquet
    from plantext.split import split

    docs, _ = generate(n_lib + n_sub, seed=21, dup_rate=0.3, target_chars=800)

    def plans(items):
        return [p for n, t in items for p in split(Source(path=f"{n}.txt", text=t, format="txt"))]

    db = tmp_path / "lib.db"
    with Library(db, create=True) as lib:
        lib.add(plans(docs[:n_lib]))
        export_parquet(lib, tmp_path / "pq")
    return db, tmp_path / "pq", plans(docs[n_lib:])


def test_parquet_library_round_trip(tmp_path):
    pytest.importorskip("pyarrow")
    import sqlite3

    from plantext.spark.library import TABLES, import_parquet

    db, pq, _ = _library(tmp_path, 25, 0)
    counts = import_parquet(pq, tmp_path / "back.db")
    a, b = sqlite3.connect(db), sqlite3.connect(tmp_path / "back.db")
    assert counts["plans"] == a.execute("SELECT COUNT(*) FROM plans").fetchone()[0] > 20
    for t in TABLES:
        q = f"SELECT {'rowid, ' if t in ('sources', 'plans') else ''}* FROM {t} ORDER BY 1, 2"
        rows = a.execute(q).fetchall()
        assert rows and rows == b.execute(q).fetchall(), t
    with pytest.raises(Exception, match="已有计划|holds plans"):
        import_parquet(pq, tmp_path / "back.db")  # never into a library with plans


def test_check_on_parquet_library_equals_sqlite(spark, tmp_path):
    from plantext.index import Library, check_against
    from plantext.report.jsonout import dumps
    from plantext.spark.check import check_parquet

    db, pq, subs = _library(tmp_path, 40, 12)
    with Library(db) as lib:
        want = check_against(lib, subs)
    got = check_parquet(spark, str(pq), subs, batch=5)  # three batches
    assert sum(len(d.passages) for d in want) > 0
    assert dumps(got) == dumps(want)


def test_word_candidates_on_parquet_equal_sqlite(spark, tmp_path):
    """The word channel's candidates (stored plans sharing rare content words) found by joins
    are the SQLite library's, in the same order; few seed candidates leave room for them."""
    from plantext.index import Library, rare_limits
    from plantext.similarity.align import make_doc
    from plantext.spark.check import ParquetLibrary

    db, pq, subs = _library(tmp_path, 40, 12)
    plib = ParquetLibrary(spark, str(pq))
    docs = [make_doc(p) for p in subs]
    looks = plib.lookups(docs, 3)
    got = plib.word_candidates(docs, looks, 3, 5)
    with Library(db) as lib:
        want = [
            lib._word_candidates(
                d, rare_limits(k.n_plans, k.n_sources)[0], {*k.ranked[:4], k.own if k.own is not None else -1}, 5
            )
            for d, k in zip(docs, looks)
        ]
        assert [lib.lookups(d, 3) for d in docs] == looks
    assert got == want and sum(map(len, want)) >= len(subs)


def _table_rows(folder: Path, table: str) -> list:
    """A Parquet library table's rows (without the time they were added), sorted."""
    import pyarrow.parquet as pq

    from plantext.spark.library import table_files

    rows = [
        tuple((k, v) for k, v in r.items() if k not in ("added",))
        for f in table_files(folder, table)
        for r in pq.read_table(f).to_pylist()
    ]
    return sorted((r for r in rows if dict(r).get("key") != "created"), key=repr)


def test_index_add_on_spark_builds_the_sqlite_tables(spark, tmp_path):
    """``index add --engine spark`` twice (the second appends) gives the tables two SQLite
    ``index add`` give, row for row: rowids, dedupe by content, refused ids, counts of
    plans and sources per hash; ``check --index`` on it equals the SQLite check."""
    from typer.testing import CliRunner

    from plantext.cli import app

    docs, _ = generate(36, seed=33, dup_rate=0.3, target_chars=700)
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    for k, (name, text) in enumerate(docs[:30]):
        (a if k < 20 else b).joinpath(f"{name}.txt").write_text(text, encoding="utf-8")
    (b / "again.txt").write_text(docs[3][1], encoding="utf-8")  # stored already, under another name
    (b / "twice_1.txt").write_text(docs[25][1], encoding="utf-8")  # one content twice in one add
    (b / "twice_2.txt").write_text(docs[25][1], encoding="utf-8")
    page = "\n\n".join(t for _, t in docs[30:33])  # one source, three plans
    (b / "page.txt").write_text(page, encoding="utf-8")
    (b / "broken.pdf").write_bytes(b"no pdf here")
    runner = CliRunner()
    db, pq = tmp_path / "lib.db", tmp_path / "pq"
    said = {}
    for engine, where in (("default", db), ("spark", pq)):
        for folder in (a, b):
            r = runner.invoke(app, ["index", "add", str(folder), "--db", str(where), "--engine", engine])
            assert r.exit_code == (1 if folder == b else 0), r.output
            said[engine, folder.name] = r.output.replace(str(where), "LIB")
    assert said["spark", "b"] == said["default", "b"] and "跳过" in said["spark", "b"]
    assert said["spark", "a"] == said["default", "a"]

    ref = tmp_path / "ref"
    runner.invoke(app, ["index", "export", "--db", str(db), "--parquet", "-o", str(ref)])
    from plantext.spark.library import TABLES

    for t in TABLES:
        want = _table_rows(ref, t)
        assert want and _table_rows(pq, t) == want, t

    subs = tmp_path / "subs"
    subs.mkdir()
    for name, text in docs[30:]:
        (subs / f"s_{name}.txt").write_text(text, encoding="utf-8")
    (subs / "copy.txt").write_text(
        docs[5][1][:400] + "\n另外，我们将加强宣传。\n" + docs[12][1][200:600], encoding="utf-8"
    )
    out = {}
    for engine, where in (("default", db), ("spark", pq)):
        f = tmp_path / f"check_{engine}.json"
        r = runner.invoke(
            app, ["check", str(subs), "--index", str(where), "--engine", engine, "-f", "json", "-o", str(f)]
        )
        assert r.exit_code == 0, r.output
        out[engine] = json.loads(f.read_text(encoding="utf-8"))
    assert out["spark"] == out["default"] and any(d["passages"] for d in out["default"]["documents"])


def test_index_add_on_spark_refuses_other_fingerprint_settings(spark, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from plantext.errors import LibraryError
    from plantext.spark.add import add_parquet

    (tmp_path / "p.txt").write_text(generate(1, seed=2, target_chars=600)[0][0][1], encoding="utf-8")
    add_parquet(spark, str(tmp_path / "lib"), [str(tmp_path / "p.txt")])
    meta = tmp_path / "lib" / "meta.parquet"
    rows = [r for f in sorted(meta.glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    for f in meta.iterdir():
        f.unlink()
    rows = [{**r, "value": "9"} if r["key"] == "winnow" else r for r in rows]
    pq.write_table(pa.Table.from_pylist(rows), meta / "part-0.parquet")
    with pytest.raises(LibraryError, match="winnow 9"):
        add_parquet(spark, str(tmp_path / "lib"), [str(tmp_path / "p.txt")])
