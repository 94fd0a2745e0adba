"""Splitting pages into the plans a reader sees: the seed pages and our own sample pages."""

import json
from pathlib import Path

import pytest
from conftest import seed_path

from plantext.ingest import load
from plantext.model import Source
from plantext.split import split

DATA = Path(__file__).parent / "data" / "split"

# strings that only site furniture carries; none may survive in a plan's clean view
CHROME_WORDS = [
    "相关文章",
    "相关推荐",
    "相关资源",
    "相关搜索",
    "推荐度",
    "上一篇",
    "下一篇",
    "点击下载",
    "下载文档",
    "精选图文",
    "我要投稿",
    "更新时间",
    "发布时间",
    "小编",
    "上传人",
    "文档编号",
    "资源描述",
    "由会员分享",
    "展开阅读全文",
    "查看更多",
    "版权所有",
    "ICP备",
    "当前位置",
    "电脑版",
    "字數",
    "閱讀 ",
    "返回 下载",
    "_第",
]


def plans_of(path) -> list:
    return split(load(str(path)))


def assert_no_chrome(plans):
    for p in plans:
        view = p.view("clean").text
        for w in CHROME_WORDS:
            assert w not in view, (p.id, w)
        # chrome inside a plan's range is a drop span in plan.noise
        assert all(n.drop for n in p.noise if n.kind == "chrome")


def assert_body(p, first: str, last: str):
    """The first and last body sentences are inside the plan, in its clean view."""
    view = p.view("clean").text
    assert first in view and last in view, p.id
    assert view.rstrip().endswith(last), (p.id, view[-30:])
    # the plan begins at its title line, or at its body when the title came from the page
    lead = p.title if p.title_start >= 0 else first
    assert p.source.text[p.start :].startswith(lead), p.id


# -- the seed pages ---------------------------------------------------------------------------

SEEDS = {
    "000": [
        ("2022小学继续教育工作计划 篇1", "伴着新学期教学工作步入正轨", "育各项考试的组织与管理工作。", set()),
        ("2022小学继续教育工作计划 篇2", "为进一步做好我县中小学教师继", "个人共同承担成本的分担机制。", set()),
        ("2022小学继续教育工作计划 篇3", "为了进一步推进教师继续教育工", "置有关的图书资料、设备设施。", set()),
        ("2022小学继续教育工作计划 篇4", "伴着新学期教学工作步入正轨", "育各项考试的组织与管理工作。", set()),
        ("2022小学继续教育工作计划 篇5", "为了进一步推进教师继续教育工", "置有关的图书资料、设备设施。", set()),
        ("2022小学继续教育工作计划 篇6", "为进一步做好我县中小学教师继", "个人共同承担成本的分担机制。", set()),
        ("2022小学继续教育工作计划 篇7", "一、指导思想", "校本教研活动人员记20学时。", set()),
        ("2022小学继续教育工作计划 篇8", "一、 指导思想", "我校教育教学质量的不断提高。", set()),
        ("2022小学继续教育工作计划 篇9", "一、指导思想:", "重难点,自如地驾驭和处理教材", {"truncated"}),
    ],
    "001": [
        ("学校教师发展中心工作计划1", "一、持续深化课程改革,全面提", "全面提升专业引领的整体水平。", set()),
        ("学校教师发展中心工作计划2", "一、指导思想", "具体实施,为教师的发展助力。", set()),
        ("学校教师发展中心工作计划3", "一、指导思想", ",为他们提供更多的获奖平台。", set()),
    ],
    "002": [
        ("教师扶贫计划及扶贫方案篇一", "20-年我区将进一步围绕《区", "参加各项培训和活动进行记录。", {"placeholder"}),
        ("教师扶贫计划及扶贫方案篇二", "本学期，我园将根据《安海镇教", "加幼儿园教师基本功技能培训。", set()),
        ("教师扶贫计划及扶贫方案篇三", "以^v^理论和“三个代表”重", "发放一、四、五年级新购校服。", {"placeholder"}),
        ("教师扶贫计划及扶贫方案篇四", "以^v^理论和“三个代表”重", "3、“国培计划”远程培训", {"truncated"}),
        ("教师扶贫计划及扶贫方案篇五", "受梅州市五华县田家炳中学的派", "日志》，每天发布于个人博客。", set()),
        ("教师扶贫计划及扶贫方案篇六", "一、指导思想", "严格执行好学历提升奖励制度。", set()),
        ("教师扶贫计划及扶贫方案篇七", "为了提高本人的政治业务素质和", "好的思想政治素质和职业素养。", {"mojibake"}),
        ("教师扶贫计划及扶贫方案篇八", "指导思想：以^v^理论和“三", "地方性教师继续教育培训教材。", {"placeholder"}),
    ],
    "003": [
        ("邵东县2018年师训工作计划(讨论稿)", "2018年邵东县师训工作计划", "公室 2018年3月2日印", {"page-residue"}),
    ],
    "004": [
        ("小學校本培訓", "一、指導思想", "確保校本培訓年度經費的落實。", {"traditional-script"}),
        (
            "小學校本教研制度",
            "校本教研作為學校教學研究機制",
            "工作,既是新課程實踐的...",
            {"duplicate-title", "traditional-script", "truncated"},
        ),
        (
            "小學校本教研制度",
            "二 對話交流制度 1 通過集",
            "經常化。三 課題研究制...",
            {"duplicate-title", "traditional-script", "truncated"},
        ),
        (
            "小學校本教研制度",
            "2 教研組活動制度 教研組每",
            "學理論,做好筆記。教師...",
            {"duplicate-title", "traditional-script", "truncated"},
        ),
    ],
}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_pages_split_into_the_plans_a_reader_sees(seed):
    path = seed_path(seed)
    plans = plans_of(path)
    want = SEEDS[seed]
    assert [p.title for p in plans] == [w[0] for w in want]
    assert [p.id for p in plans] == (
        [str(path)] if len(want) == 1 else [f"{path}#{i}" for i in range(1, len(want) + 1)]
    )
    for p, (_title, first, last, flags) in zip(plans, want):
        assert_body(p, first, last)
        assert flags <= set(p.flags), (p.id, p.flags)
        assert "truncated" in p.flags or "truncated" not in flags
    assert_no_chrome(plans)
    ends = [(p.start, p.end) for p in plans]
    assert ends == sorted(ends) and all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))


def test_seed_collection_repeats_the_same_plan_under_two_numbers():
    plans = plans_of(seed_path("000"))
    body = [p.view("fold").text[len(p.view("fold").text.split("篇")[0]) + 2 :] for p in plans]
    assert body[0] == body[3] and body[2] == body[4]
    assert body[0] != body[1]
    assert [p.flags for p in plans].count(["truncated"]) == 1 and "truncated" in plans[8].flags


def test_seed_docshare_page_residue_is_dropped_and_the_cut_word_rejoined():
    (p,) = plans_of(seed_path("003"))
    res = [n for n in p.noise if n.kind == "page-residue"]
    assert len(res) >= 10 and all(n.drop for n in res)
    text = p.source.text
    cut = [n for n in res if text[n.start : n.end].startswith("\n")]
    assert cut and all(text[n.start : n.end].strip() == n.detail.split()[1] + "、" for n in cut)
    view = p.view("clean").text
    assert "打造培训品牌,形成培训特色" in view
    assert "形\n" not in view
    # the page title line and the upload header stay outside the plan
    assert p.start > text.index("资源描述") and p.title_start == -1


def test_seed_broken_lines_rejoined_in_the_view():
    plans = plans_of(seed_path("002"))
    views = "".join(p.view("clean").text for p in plans)
    for joined in ("全面深入推进我区中小学", "构建和谐校园重要思想", "实现安全无缝对接"):
        assert joined in views
    assert all("line-break" in p.flags for p in (plans[1], plans[2], plans[3], plans[7]))


def test_seed_chrome_outside_plans_in_header_and_footer():
    path = seed_path("001")
    plans = split(load(str(path)))
    src = plans[0].source  # the cleaned source
    text = src.text
    assert plans[0].start > text.index("相关推荐") and plans[-1].end < text.index("相关文章")
    assert src.meta["footer_start"] == text.rindex("\n", 0, text.index("相关文章")) + 1


# -- our own sample pages: exact spans ----------------------------------------------------------


def test_pian_page_exact_spans_and_flags():
    path = DATA / "pian_page.txt"
    text = path.read_text("utf-8")
    plans = plans_of(path)
    heads = [text.index(f"初中体育教研组工作计划篇{n}") for n in "一二三"]
    assert [p.start for p in plans] == heads
    assert [p.title for p in plans] == [f"初中体育教研组工作计划篇{n}" for n in "一二三"]
    assert [(p.title_start, p.title_end) for p in plans] == [(h, h + 13) for h in heads]
    e1 = text.index("每周训练三次。") + len("每周训练三次。")
    e2 = text.index("不少于600人次。") + len("不少于600人次。")
    e3 = text.index("踢毽子等项目") + len("踢毽子等项目")
    assert [p.end for p in plans] == [e1, e2, e3]
    assert [p.flags for p in plans] == [["placeholder"], ["chrome", "placeholder"], ["truncated"]]
    # the download button inside plan 2 is a drop span of that plan
    (c,) = [n for n in plans[1].noise if n.kind == "chrome"]
    assert text[c.start : c.end].strip() == "点击下载文档" and c.drop
    assert_no_chrome(plans)


def test_numbered_page_crlf_exact_spans():
    path = DATA / "numbered_page.txt"
    text = path.read_bytes().decode("utf-8")
    assert "\r\n" in text
    plans = plans_of(path)
    assert [p.title for p in plans] == ["社区志愿服务工作方案1", "社区志愿服务工作方案2"]
    assert [p.start for p in plans] == [text.index(p.title) for p in plans]
    assert plans[0].end == text.index("义诊和法律咨询。") + len("义诊和法律咨询。")
    assert plans[1].end == text.index("保险和表彰。") + len("保险和表彰。")
    assert "推荐度" in plans[1].text and "推荐度" not in plans[1].view("clean").text
    assert_no_chrome(plans)


def test_docshare_page_one_plan_titled_by_the_page():
    path = DATA / "docshare_page.txt"
    text = path.read_text("utf-8")
    (p,) = plans_of(path)
    assert p.id == str(path) and p.plan == 1
    assert p.title == "青山镇中心小学2023年安全工作计划" and p.title_start == -1
    assert p.start == text.index("青山镇中心小学2023年安全工作计划 一、")
    assert p.end == text.index("2023年8月28日") + len("2023年8月28日")
    assert p.flags == ["page-residue"]
    assert "防欺凌等专项教育" in p.view("clean").text
    assert_no_chrome([p])


def test_trad_page_preamble_plan_and_repeated_titles():
    path = DATA / "trad_page.txt"
    text = path.read_text("utf-8")
    plans = plans_of(path)
    assert [p.title for p in plans] == ["社區圖書館閱讀推廣方案", "社區圖書館管理制度", "社區圖書館管理制度"]
    assert plans[0].start == text.index("一、活動目標") and plans[0].title_start == -1
    assert plans[0].end == text.index("專款專用。") + len("專款專用。")
    second = text.index("社區圖書館管理制度")
    assert (plans[1].start, plans[1].title_start) == (second, second)
    assert plans[2].start == text.index("社區圖書館管理制度", second + 1)
    assert plans[2].end == len(text.rstrip())
    assert set(plans[0].flags) == {"mojibake", "traditional-script"}
    assert set(plans[1].flags) == {"duplicate-title", "traditional-script", "truncated"}
    assert set(plans[2].flags) == {"duplicate-title", "traditional-script", "truncated", "watermark"}


def test_single_plan_file_is_one_plan_from_its_title_line():
    path = DATA / "list_plan.txt"
    text = path.read_text("utf-8")
    (p,) = plans_of(path)
    assert (p.id, p.plan, p.start, p.title_start) == (str(path), 1, 0, 0)
    assert p.title == "实验中学图书馆2024年工作计划" and p.title_end == len(p.title)
    assert p.end == len(text.rstrip()) and p.flags == []


def test_plan_without_title_line_takes_the_file_name():
    src = Source(
        path="plans/学校计划.txt", text="  为做好本学期工作，特制定本计划。\n一、目标\n提高质量。\n", format="txt"
    )
    (p,) = split(src)
    assert p.title == "学校计划" and p.start == 2 and p.title_start == -1


@pytest.mark.parametrize(
    "header",
    [
        "【篇{n}】",
        "篇{n}：社区工作计划",
        "第{n}篇 社区工作计划",
        "社区工作计划（篇{n}）",
        "【范文{n}】社区工作计划",
        "范文{n}：社区工作计划",
        "社区工作计划范文{n}",
    ],
)
def test_pian_header_styles(header):
    body = "一、目标\n\n做好社区服务工作，提高居民满意度。\n\n二、措施\n\n每月走访一次。\n\n"
    text = "社区工作计划（精选2篇）\n\n" + "".join(header.format(n=n) + "\n\n" + body for n in ("一", "二"))
    plans = split(Source(path="p.txt", text=text, format="txt"))
    assert [p.title for p in plans] == [header.format(n=n) for n in ("一", "二")]
    assert plans[0].end == text.index("每月走访一次。") + len("每月走访一次。")


def test_split_cli_json(tmp_path):
    from typer.testing import CliRunner

    from plantext.cli import app

    path = str(DATA / "pian_page.txt")
    res = CliRunner().invoke(app, ["split", path, "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert [r["id"] for r in rows] == [f"{path}#{i}" for i in (1, 2, 3)]
    assert {"id", "source", "plan", "title", "start", "end"} <= set(rows[0])


def test_part_headings_of_a_long_plan_are_not_plans():
    text = (
        "某区教育发展规划\n\n第一篇 总体要求\n\n一、发展基础\n\n全区现有学校一百所，办学条件持续改善。\n\n"
        "第二篇 主要任务\n\n一、推进均衡发展\n\n新建学校十所，改扩建二十所。\n"
    )
    (p,) = split(Source(path="g.txt", text=text, format="txt"))
    assert (p.title, p.start, p.end) == ("某区教育发展规划", 0, len(text.rstrip()))


def test_package_level_split_and_clean_stay_callable_after_submodule_import():
    import plantext
    import plantext.clean
    import plantext.split

    src = plantext.load(str(DATA / "pian_page.txt"))
    cleaned = plantext.clean(src)
    assert cleaned is not src and cleaned.noise and src.noise == [] and not src.cleaned  # a result, not a mutation
    assert plantext.clean(cleaned) is cleaned
    assert [p.plan for p in plantext.split(src)] == [1, 2, 3]


def test_an_unrecognised_blurb_before_the_first_header_is_no_plan():
    blurb = (
        "计划是我们对未来一段时间工作的预先安排，有了计划，工作就有了明确的目标和具体的步骤，"
        "可以增强工作的主动性，减少盲目性，使工作有条不紊地进行。同时计划本身又是对工作进度和"
        "质量的考核标准，对大家有较强的约束和督促作用。一起来看看这几篇计划的写法吧。"
    )
    body = "一、目标\n\n做好社区服务工作，提高居民满意度。\n\n二、措施\n\n每月走访一次。\n\n"
    text = "社区工作计划\n\n" + blurb + "\n\n" + "".join(f"社区工作计划篇{n}\n\n{body}" for n in "一二")
    plans = split(Source(path="p.txt", text=text, format="txt"))
    assert [p.title for p in plans] == ["社区工作计划篇一", "社区工作计划篇二"]


def test_a_section_heading_repeated_inside_one_plan_does_not_split_it():
    part = "具体措施\n\n加强领导，明确分工，把各项工作落实到人，定期检查督促，确保按时完成任务。\n\n"
    text = "学校德育工作计划\n\n一、上学期\n\n" + part + "二、下学期\n\n" + part
    (p,) = split(Source(path="d.txt", text=text, format="txt"))
    assert (p.start, p.end) == (0, len(text.rstrip()))


def test_split_cli_noise(tmp_path):
    from typer.testing import CliRunner

    from plantext.cli import app

    path = str(DATA / "docshare_page.txt")
    res = CliRunner().invoke(app, ["split", path, "--format", "json", "--noise"])
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.stdout)
    text = (DATA / "docshare_page.txt").read_text("utf-8")
    assert [(n["kind"], text[n["start"] : n["end"]]) for n in row["noise"]] == [
        ("page-residue", "\n\n2、"),
        ("page-residue", "\n\n3、"),
    ]
    out = tmp_path / "noise.txt"
    res = CliRunner().invoke(app, ["split", path, "--format", "table", "--noise", "-o", str(out)])
    assert res.exit_code == 0, res.output
    table = out.read_text("utf-8")
    assert "upload" in table and "page 2" in table and "location" in table


def test_one_traditional_plan_late_in_a_simplified_page_is_flagged():
    simp = "一、目标\n\n组织全体教师参加校本培训，提高教师的专业水平和教学能力，全年培训不少于四十学时。\n\n" * 40
    trad = "一、目標\n\n組織全體教師參加校本培訓，提高教師的專業水平和教學能力，全年培訓不少於四十學時。\n\n" * 3
    text = f"学校培训计划篇一\n\n{simp}学校培训计划篇二\n\n{trad}"
    plans = split(Source(path="m.txt", text=text, format="txt"))
    assert ["traditional-script" in p.flags for p in plans] == [False, True]


def test_collection_page_of_distinct_titles():
    body = (
        "一、目标\n\n培养幼儿良好的生活习惯和学习习惯，促进幼儿身心和谐发展，全面提高保教质量。\n\n"
        "二、措施\n\n每周开展一次主题活动，每月召开一次家长会。\n\n"
    )
    text = (
        "幼儿园班级工作计划（精选3篇）\n\n"
        + "".join(f"{c}班工作计划\n\n{body}" for c in "小中大")
        + "相关文章：\n\n幼儿园教研计划03-01\n"
    )
    plans = split(Source(path="k.txt", text=text, format="txt"))
    assert [p.title for p in plans] == ["小班工作计划", "中班工作计划", "大班工作计划"]
    assert [p.start for p in plans] == [text.index(p.title) for p in plans]
    assert plans[-1].end == text.index("相关文章") - 2


def test_a_saved_copy_suffix_leaves_the_page_title():
    text = "学校安全工作计划-(1)\n\n上传人：ab****cd 文档编号：1\n\n一、目标\n\n全年无事故。\n"
    (p,) = split(Source(path="c.txt", text=text, format="txt"))
    assert p.title == "学校安全工作计划" and p.start == text.index("一、目标")


# -- any text: spans stay in bounds, plans in order, nothing raises --------------------------------

PIECES = [
    "\n",
    "\r\n",
    "\n\n",
    "  ",
    "。",
    "，",
    "：",
    "工作计划",
    "篇一",
    "篇2",
    "计划1",
    "计划2",
    "1、",
    "2、",
    "一、",
    "（一）",
    "相关文章：",
    "上一篇：",
    "推荐度：",
    "小编",
    "首页>范文>计划",
    "第1页 / 共3页",
    "上传人：a 文档编号：1",
    "20xx",
    "□",
    "^v^",
    "**",
    "\ufffd",
    "\u200b",
    "組織教師參加培訓",
    "学校",
    "教师培训",
    "- 3 -",
    "《",
    "》",
    "2024年3月",
    "x",
    "...",
    "锟斤拷",
    "(精选3篇)",
]


def test_split_any_text_keeps_its_invariants():
    pytest.importorskip("hypothesis")
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=80, deadline=None)
    @given(st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=60))
    def check(parts):
        text = "".join(parts)
        src = Source(path="h.txt", text=text, format="txt")
        plans = split(src)
        for n in src.noise:
            assert 0 <= n.start <= n.end <= len(text)
        last = 0
        for i, p in enumerate(plans, 1):
            assert last <= p.start <= p.end <= len(text)
            assert p.plan == i and p.id == ("h.txt" if len(plans) == 1 else f"h.txt#{i}")
            if p.title_start >= 0:
                assert text[p.title_start : p.title_end] == p.title
            p.view("clean")
            last = p.end

    check()


def test_titled_parts_of_one_file_without_collection_header_stay_one_plan():
    a = (
        "东湖小学2024年教师培训计划\n\n为提高教师专业素养，结合我校实际，制定本计划。\n\n一、培训目标\n\n"
        "全体教师参加校本培训不少于四十学时，骨干教师参加县级以上培训不少于一次，新教师完成岗前培训。\n\n"
        "二、培训措施\n\n每月组织一次专题讲座，每学期开展一次课堂教学比武，年底进行考核评比。\n\n"
        "三、保障\n\n学校安排培训专项经费，专款专用，并把培训情况纳入教师年度考核。\n"
    )
    b = (
        "西山中学校本研修实施方案（讨论稿）\n\n根据县教育局的工作要点，现就本学年校本研修工作安排如下。\n\n"
        "一、研修主题\n\n围绕课堂教学改革，开展单元整体教学设计的研究，每个教研组确定一个研究专题。\n\n"
        "二、组织实施\n\n教科室负责统筹，各教研组长具体落实，每两周开展一次集体研讨，期末展示成果。\n\n"
        "三、考核\n\n研修情况记入教师业务档案，作为评优评先和职称评聘的重要依据，学期末评选优秀教研组。\n"
    )
    text = a + "\n" + b
    (p,) = split(Source(path="two.txt", text=text, format="txt"))
    assert (p.title, p.start, p.end) == ("东湖小学2024年教师培训计划", 0, len(text.rstrip()))
    # the same two under a collection header are two plans
    page = "教师培训计划（通用2篇）\n\n" + text
    plans = split(Source(path="two.txt", text=page, format="txt"))
    assert [p.title for p in plans] == ["东湖小学2024年教师培训计划", "西山中学校本研修实施方案（讨论稿）"]
    assert plans[1].start == page.index("西山中学") and plans[1].end == len(page.rstrip())


def test_a_page_title_listing_two_documents_gives_the_first_plan_its_part():
    body = (
        "一、目标\n\n组织全体教师参加校本培训，每学期不少于二十学时，提高课堂教学能力。\n\n二、措施\n\n"
        "每周三下午集体备课，每月组织一次专题讲座，每学期开展一次课堂教学展示，学期末对参训情况进行考核，"
        "考核结果记入教师业务档案，并与评优评先挂钩。\n\n三、保障\n\n学校成立校本培训领导小组，"
        "校长任组长，安排专项经费，保证培训时间，为教师外出学习创造条件。\n\n"
    )
    rule = "学校教研制度\n\n一、教研组每周活动一次，由组长负责记录，学期末总结，评选优秀教研组。\n\n"
    text = "东风小学校本培训计划 教研制度\n\n2023-05-06 10:00:00 字数 900 阅读 30\n\n" + body + rule + rule
    plans = split(Source(path="t.txt", text=text, format="txt"))
    assert [p.title for p in plans] == ["东风小学校本培训计划", "学校教研制度", "学校教研制度"]
    # nothing left over, or too little: the page title stays whole
    text2 = "2023年 学校教研制度\n\n字数 900 阅读 30\n\n" + body + rule + rule
    assert split(Source(path="t.txt", text=text2, format="txt"))[0].title == "2023年 学校教研制度"


def test_a_one_line_text_is_its_own_plan():
    """A sentence pasted on its own keeps its only line, even when it looks like a title."""
    text = "3.1本项目总投资1200万元3.2本项目……"
    plans = split(Source(path="one.txt", text=text, format="txt"))
    assert [(p.start, p.end, p.title, p.flags) for p in plans] == [(0, len(text), "one", ["no-title", "truncated"])]
    # a page of several title-like lines (a credits page, a cover) still has no plan
    assert split(Source(path="c.txt", text="主编\n张明\n责任编辑\n赵丽\n", format="txt")) == []
