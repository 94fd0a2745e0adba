"""The Resources object: lexicons loaded on first use per set, overrides, workers, memos."""

import pickle
import threading

from plantext import lexicons
from plantext.clean import clean
from plantext.lexicons import Resources, use
from plantext.model import Plan, Source
from plantext.pipeline import parallel_map
from plantext.targets import targets
from plantext.targets.units import Unit, units


def plan_of(text: str) -> Plan:
    src = clean(Source(path="t.txt", text=text, format="txt"))
    return Plan(id="t.txt", source=src, plan=1, title="", start=0, end=len(text), noise=list(src.noise))


SENTENCE = "本学年每位教师参加校本研修不少于48学时，听课不少于20节。"


def quantities(text: str) -> list[tuple[float, str]]:
    return [(t.value, t.unit) for t in targets(plan_of(text), nodes=[])]


def test_a_fresh_set_loads_on_first_use_and_keeps_its_own():
    mine = Resources()
    assert units.name not in mine.loaded()
    with use(mine):
        first = units()
        assert units() is first  # loaded once, then kept
    assert units.name in mine.loaded()
    other = Resources()
    with use(other):
        assert units() is not first  # another set loads its own copy
    assert units() is not first  # outside the blocks: the default set
    assert lexicons.current() is lexicons.DEFAULT


def test_an_override_changes_what_the_stages_read_and_derived_patterns_follow():
    assert quantities(SENTENCE) == [(48.0, "学时"), (20.0, "节")]
    no_hours = {w: u for w, u in units().items() if u.canon != "学时"}
    with use(Resources(overrides={units: no_hours})):
        # the quantity pattern is compiled from the unit lexicon of the same set, so it follows
        assert quantities(SENTENCE) == [(20.0, "节")]
    extra = {**units(), "研修时": Unit("研修时", "研修时", 1.0, "count")}
    with use(Resources(overrides={units.name: extra})):
        assert quantities("每人完成36研修时。") == [(36.0, "研修时")]
    assert quantities("每人完成36研修时。") == []  # the default set was not touched


def _has_hours(_: int) -> bool:
    return "学时" in units()


def test_worker_processes_read_the_callers_set():
    no_hours = {w: u for w, u in units().items() if u.canon != "学时"}
    with use(Resources(overrides={units: no_hours})):
        assert parallel_map(_has_hours, list(range(16)), jobs=2) == [False] * 16
    assert parallel_map(_has_hours, list(range(16)), jobs=2) == [True] * 16


def test_pickling_keeps_the_overrides_only():
    res = Resources(overrides={units: {}})
    with use(res):
        from plantext.segment import stopwords

        stopwords()
    assert len(res.loaded()) == 2
    copy = pickle.loads(pickle.dumps(res))
    assert copy.loaded() == (units.name,)
    with use(copy):
        assert units() == {}


def test_concurrent_first_use_loads_once():
    calls = []

    @lexicons.loader
    def slow() -> list[int]:
        calls.append(1)
        threading.Event().wait(0.05)
        return [len(calls)]

    res = Resources()
    seen = []

    def ask() -> None:
        with use(res):
            seen.append(slow())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1] and all(v is seen[0] for v in seen)


def test_memos_are_kept_per_set():
    from plantext.targets import subjects

    seen = subjects.responsible("由教务处负责组织实施。")
    with use(Resources()) as fresh:
        assert subjects.responsible("由教务处负责组织实施。") == seen
    assert "plantext.targets.subjects.responsible" in fresh._memos


def test_an_unknown_key_is_refused():
    import pytest

    with pytest.raises(TypeError):
        Resources(overrides={len: 1})


def test_the_module_example_holds():
    import doctest

    assert doctest.testmod(lexicons).failed == 0
