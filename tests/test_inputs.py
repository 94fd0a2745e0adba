from plantext.i18n import tr
from plantext.inputs import read_inputs

CHROME_ONLY = "首页>范文中心>计划范文\n\n相关推荐\n上一篇：学校安全工作计划\n下一篇：幼儿园工作总结\nCopyright © 2024 范文中心 版权所有\n"
PLAN = "某某小学2025年读书活动计划\n\n一、活动目标\n每位学生每学期阅读课外书籍不少于6本。\n\n二、活动安排\n每月举行一次读书交流会。\n"


def test_a_page_of_only_chrome_is_an_error_and_the_batch_goes_on(tmp_path):
    bad = tmp_path / "chrome.txt"
    good = tmp_path / "plan.txt"
    bad.write_text(CHROME_ONLY, encoding="utf-8")
    good.write_text(PLAN, encoding="gb18030")
    seen = []
    got = read_inputs([str(tmp_path)], on_error=seen.append)
    assert [p.id for p in got.plans] == [str(good)]
    assert [str(e) for e in got.errors] == [f"{bad}: {tr('ingest_docs.no_plan_chrome')}"]
    assert seen == got.errors
    assert got.plans[0].title == "某某小学2025年读书活动计划"


def test_a_pdf_missing_its_end_is_read_and_flagged_truncated(tmp_path):
    from pathlib import Path

    data = (Path(__file__).parent / "data" / "formats" / "plan.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: data.rindex(b"%%EOF")])
    got = read_inputs([str(cut)])
    assert not got.errors and got.plans
    assert "truncated" in got.sources[0].flags and "truncated" in got.plans[-1].flags
