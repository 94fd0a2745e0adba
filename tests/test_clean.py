"""Cleaning: chrome, page residue, placeholders, mojibake and watermarks as spans over the source."""

from pathlib import Path

import pytest

from plantext.clean import clean, drop_spans, is_chrome_line
from plantext.ingest import load
from plantext.model import Part, Source
from plantext.normalize import text_view

DATA = Path(__file__).parent / "data" / "split"


def src(text: str, **kw) -> Source:
    return clean(Source(path="t.txt", text=text, format="txt", **kw))


def spans(s: Source, kind: str) -> list[str]:
    return [s.text[n.start : n.end] for n in s.noise if n.kind == kind]


def clean_text(s: Source) -> str:
    return text_view(s.text, "clean", drop_spans(s.noise)).text


# -- placeholders ------------------------------------------------------------------------------


def test_placeholders_are_kept_spans_at_their_place():
    text = (
        "20xx年3月，201x学年，20__年秋季，20-年全区，XX市教育局，党的十x大，"
        "组长□□，以^v^理论为指导，現**念，***学校，姓名：____。"
    )
    s = src(text)
    got = spans(s, "placeholder")
    assert got == ["20xx", "201x", "20__", "20-", "XX", "x", "□□", "^v^", "**", "***", "____"]
    assert all(not n.drop for n in s.noise if n.kind == "placeholder")
    assert s.flags == ["placeholder"]
    assert clean_text(s) == text  # placeholders stay in every view: the author wrote them


@pytest.mark.parametrize(
    "text", ["使用Excel表格统计", "2019年至2023年", "长3×4米的展板", "xbox游戏机", "第2页共5页的报告。"]
)
def test_ordinary_text_has_no_placeholder(text):
    assert spans(src(text), "placeholder") == []


# -- watermarks -------------------------------------------------------------------------------


def test_zero_width_and_soft_hyphen_are_dropped():
    text = "加强\u200b师德\u200c\u200d建设，提高\u00ad教学质量。"
    s = src(text)
    assert spans(s, "watermark") == ["\u200b", "\u200c\u200d", "\u00ad"]
    assert clean_text(s) == "加强师德建设，提高教学质量。"
    assert "watermark" in s.flags


# -- mojibake ---------------------------------------------------------------------------------


def test_replacement_characters_and_latin1_runs_are_mojibake():
    garbled = "阅读计划".encode().decode("cp1252", errors="replace")
    text = f"组织教师\ufffd\ufffd学习，{garbled}，锟斤拷锟斤拷，按时完成。"
    s = src(text)
    got = spans(s, "mojibake")
    assert got == ["\ufffd\ufffd", garbled, "锟斤拷锟斤拷"]
    assert "mojibake" in s.flags


def test_private_use_runs_are_mojibake_but_a_symbol_font_bullet_is_not():
    s = src("\uf0b7\t加强师德建设。\n组织\ue3a1\ue3a2\ue3a3学习。")
    assert spans(s, "mojibake") == ["\ue3a1\ue3a2\ue3a3"]


def test_gbk_read_as_latin1_is_mojibake_but_chinese_punctuation_runs_are_not():
    garbled = "工作计划".encode("gbk").decode("latin-1")
    s = src(f"本学期{garbled}如下。他说：“……”——这是“好”·“很好”。")
    assert spans(s, "mojibake") == [garbled]


def test_utf8_read_as_gbk_is_a_run_of_rare_characters():
    plan = "各学校要认真组织教师参加培训，做好学习记录。"
    garbled = "教师培训计划安排".encode().decode("gbk", errors="ignore")
    s = src(plan + garbled + plan)
    (m,) = [n for n in s.noise if n.kind == "mojibake"]
    assert len(plan) <= m.start and m.end <= len(plan) + len(garbled)
    assert m.end - m.start >= len(garbled) // 2


def test_real_text_with_rare_names_is_not_mojibake():
    text = (
        "组长：娄继宏，副组长：魏晓馭。本学期驾驭课堂能力培训共四次，"
        "邀请桦甸、邵东两地的骨干教师授课，溯源课程标准，摒弃满堂灌。"
    )
    assert spans(src(text), "mojibake") == []


def test_big5_read_as_gbk_is_mojibake():
    garbled = "教師培訓計劃與實施".encode("big5").decode("gbk", errors="ignore")
    s = src("本校全體教師參加。" + garbled)
    assert spans(s, "mojibake"), garbled


# -- chrome -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "首页 > 范文大全 > 工作计划",
        "首页>学习资料>教案>语文教案",
        "当前位置：首页 > 小学教育 > 安全教育",
        "更新时间：",
        "发布时间：2024-01-02 08:00",
        "时间:2023-05-06 10:11:12 工作计划 我要投稿",
        "2022-10-03 14:29:04 字數 2210 閱讀 915",
        "字数 1200 阅读 33",
        "上一篇：幼儿园安全工作计划",
        "下一篇:学校德育工作计划",
        "推荐度：",
        "点击下载文档",
        "下载文档文档为doc格式",
        "返回 下载 相关 举报",
        "展开阅读全文",
        "点击查看更多>>",
        "上传人：ab****cd 文档编号：1234 上传时间：2020-01-01 格式：DOC 页数：3 大小：20KB",
        "第3页 / 共12页",
        "某校工作计划（定稿）_第2页",
        "资源描述",
        "《某校工作计划》由会员分享，可在线阅读，更多相关请在本站搜索。",
        "Copyright © 2020 某某范文网 版权所有",
        "经营许可证：京ICP备00000000号",
        "手机版 | 电脑版",
        "  • 相关推荐",
        "【幼儿园工作计划】相关文章：",
        "精选图文",
        "为您推荐：",
        "【扩展阅读】相关文档",
        "以下是小编为大家收集的安全工作计划，欢迎阅读。",
        "下面是为大家整理的教研工作计划，希望对你有帮助。",
        "责任编辑：王老师",
        "来源：网络",
        "文章来源：某某教育网",
        "浏览次数：1024",
        "本文已影响 3580 人",
        "标签：工作计划 教学计划",
        "【导语】新学期开始了，一起来看看这份计划。",
        "全文阅读已结束，下载本文需要使用 5 积分",
        "分享到：微信 QQ 微博",
        "关于我们 | 联系我们 | 网站地图 | 免责声明",
        "本文地址：某某网站/jihua/123.html",
        "转载请注明出处，如有侵权请联系删除。",
    ],
)
def test_chrome_lines(line):
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "时间：20xx年8月—20xx年12月",
        "培训时间：每周三下午",
        "阅读2本教育专著，撰写读书笔记。",
        "学生可在校园网下载学习资料。",
        "相关要求如下：",
        "一、指导思想",
        "组织教师学习新课标，转变教学方式。",
        "3、做好上一学期工作的总结",
        "学校 > 年级组 > 班级三级管理，层层落实。",
        "经费来源：学校公用经费和上级专项拨款。",
        "阅读量达到每生每学期不少于10万字。",
        "组织学生阅读《论语》等经典，撰写读书笔记。",
        "资料来源：各教研组上报的统计表",
    ],
)
def test_plan_lines_are_not_chrome(line):
    assert not is_chrome_line(line)


def test_chrome_lines_go_with_their_newline_and_crlf():
    text = "工作计划\r\n发布时间：2024-01-02\r\n一、目标\r\n提高质量。\r\n"
    s = src(text)
    (c,) = [n for n in s.noise if n.kind == "chrome"]
    assert s.text[c.start : c.end] == "发布时间：2024-01-02\r\n"
    assert c.drop and c.detail == "stamp"


def test_footer_block_starts_at_the_list_heading():
    body = "二、保障措施\n\n学校安排专项经费。\n\n1、加强领导\n\n2、落实责任\n"
    footer = "\n【安全工作计划】相关文章：\n\n学校安全工作总结05-12\n\n上一篇：教研计划\n\n班级工作计划...\n"
    s = src(body + footer)
    assert s.meta["footer_start"] == len(body) + 1
    assert clean_text(s).rstrip() == body.rstrip()


def test_no_footer_without_a_chrome_line():
    text = "一、目标\n\n提高质量。\n\n1、加强领导\n\n2、落实责任\n"
    s = src(text)
    assert s.meta["footer_start"] == len(text)
    assert s.noise == []


# -- page residue -----------------------------------------------------------------------------


def test_page_numbers_cutting_words_are_dropped_and_the_view_rejoins():
    s = clean(load(str(DATA / "docshare_page.txt")))
    res = [n for n in s.noise if n.kind == "page-residue"]
    t = s.text
    assert [t[n.start : n.end] for n in res] == ["1、 ", "\n\n2、", "\n\n3、"]
    assert all(n.drop for n in res)
    view = clean_text(s)
    assert "专项教育，邀请交警" in view and "安全设施的更新和维护" in view
    assert "2、育" not in view


def test_real_list_items_are_not_page_residue():
    s = clean(load(str(DATA / "list_plan.txt")))
    assert not [n for n in s.noise if n.kind == "page-residue"]
    short = "三、措施\n\n1、做好本学期的统计工作\n\n2、做好考试的组织工作\n\n3、做好资料归档工作\n"
    assert not [n for n in src(short).noise if n.kind == "page-residue"]


def test_pdf_page_furniture_becomes_page_residue():
    text = "加强教师培训，提高\n- 3 -\n教学质量。\n"
    i = text.index("- 3 -")
    s = src(text, parts=[Part(0, len(text), "page", 1), Part(i, i + 5, "page-furniture", 3)])
    (r,) = [n for n in s.noise if n.kind == "page-residue"]
    assert (r.start, r.end, r.drop) == (i, i + 6, True)
    assert clean_text(s) == "加强教师培训，提高\n教学质量。\n"


# -- flags ------------------------------------------------------------------------------------


def test_traditional_script_flag():
    assert "traditional-script" in src("學校將組織全體教師參加校本培訓，提高教師的專業水平和教學能力。").flags
    assert "traditional-script" not in src("学校将组织全体教师参加校本培训，提高教师的专业水平和教学能力。").flags


def test_clean_is_deterministic_and_leaves_its_input_alone():
    """Cleaning again from scratch (the flag reset) finds the same spans, and the input record
    is never changed: a rule that depended on earlier state or mutated it would show here."""
    from dataclasses import replace

    text = "首页 > 范文 > 计划\n20xx年工作计划\n一、目标\n全年培训不少于xx学时。\n\n点击下载文档\n"
    raw = Source(path="t.txt", text=text, format="txt")
    s = clean(raw)
    assert raw.noise == [] and raw.flags == [] and not raw.cleaned and "footer_start" not in raw.meta
    assert {n.kind for n in s.noise} >= {"chrome", "placeholder"}
    again = clean(replace(s, cleaned=False))
    assert again.noise == s.noise and again.flags == s.flags and again.meta == s.meta
    assert clean(s) is s


def test_a_download_button_above_a_plans_last_short_lines_does_not_start_the_footer():
    body = "三、安排\n\n九月份：开学准备\n\n点击下载文档\n\n十月份：秋季运动会\n\n十一月份：期中质量分析\n"
    footer = "\n【学校工作计划】相关文章：\n\n学校德育工作计划10-12\n\n上一篇：教研计划\n"
    s = src(body + footer)
    assert s.meta["footer_start"] == len(body) + 1
    (btn,) = [n for n in s.noise if n.detail == "download"]
    assert s.text[btn.start : btn.end] == "点击下载文档\n"
    assert "十一月份：期中质量分析" in clean_text(s)


def test_trailing_chrome_run_without_a_list_heading_is_footer():
    body = "一、目标\n\n提高质量。\n\n二、措施\n\n1、加强领导\n"
    tail = "\n展开阅读全文\n电脑版 | 某某文库版权所有\n"
    s = src(body + tail)
    assert s.meta["footer_start"] == len(body) + 1


def test_the_documents_last_page_number_glued_to_its_end_is_residue():
    text = (DATA / "docshare_page.txt").read_text("utf-8").replace("2023年8月28日\n", "2023年8月28日3\n")
    s = src(text)
    last = [n for n in s.noise if n.kind == "page-residue"][-1]
    assert (s.text[last.start : last.end], last.detail) == ("3", "page 3")
    assert s.text[last.start - 3 : last.start] == "28日"
    # a digit that is not the page count stays
    s = src(text.replace("28日3", "28日7"))
    assert [n.detail for n in s.noise if n.kind == "page-residue"] == ["page 1", "page 2", "page 3"]
    assert not any(s.text[n.start : n.end] == "7" for n in s.noise)


def test_run_writes_cleaning_csv(tmp_path):
    import csv

    from plantext.pipeline import Artifacts, read
    from plantext.report.run_files import write_cleaning

    assert write_cleaning(tmp_path, Artifacts(read([str(DATA / "pian_page.txt")]))) == ["cleaning.csv"]
    with open(tmp_path / "cleaning.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    text = (DATA / "pian_page.txt").read_text("utf-8")
    button = [r for r in rows if r["rule"] == "download"]
    assert [(r["plan"], text[int(r["start"]) : int(r["end"])]) for r in button] == [
        (str(DATA / "pian_page.txt") + "#2", "  点击下载文档\n")
    ]
    assert {r["kind"] for r in rows} == {"chrome", "placeholder"}


# -- broken lines -------------------------------------------------------------------------------


def test_a_sentence_cut_by_a_paragraph_break_is_rejoined():
    text = (
        "二、主要措施\n\n1、加强学习。组织全体教师认真学习课程标准，领会新课程的基本理念，不断更新教育\n\n"
        "观念，提高课堂教学水平。\n\n2、开展教研活动，每周三下午集体备课，\n说课评课，互相学习。\n"
    )
    s = src(text)
    breaks = [n for n in s.noise if n.kind == "line-break"]
    assert [s.text[n.start - 2 : n.end + 2] for n in breaks] == ["教育\n\n观念", "课，\n说课"]
    assert all(n.drop for n in breaks)
    assert "不断更新教育观念，提高" in clean_text(s)


@pytest.mark.parametrize(
    "text",
    [
        "二、加强师资队伍建设，提升教育教学质量\n\n学校将组织教师参加各级培训，全年不少于四十学时。",  # heading
        "培训对象：全体在职教师和新招聘的教师\n\n培训内容：师德教育、新课程理论和教学技能训练。",  # labels
        "学校教师发展中心工作计划\n\n日子过得很快，新的学期开始了，我们来写一写本学期的计划吧。",  # title
        "各学校要高度重视，认真组织，确保培训工作取得实效。\n\n各教研组要制定计划，按时开展活动。",  # full stop
        "组织教师学习新课标，转变教学观念，提高课堂效率\n\n1、每周集体备课一次。",  # a list follows
    ],
)
def test_breaks_that_end_no_sentence_stay(text):
    assert [n for n in src(text).noise if n.kind == "line-break"] == []


def test_a_cut_sentence_in_crlf_text():
    text = "1、加强学习。组织全体教师认真学习课程标准，领会新课程的基本理念，不断更新教育\r\n\r\n观念，提高课堂教学水平。\r\n"
    s = src(text)
    (n,) = [n for n in s.noise if n.kind == "line-break"]
    assert s.text[n.start : n.end] == "\r\n\r\n" and "更新教育观念" in clean_text(s)


def test_page_number_lines_of_a_converted_document():
    text = (
        "一、目标\n全体教师参加培训，提高\n- 3 -\n教学质量。\n二、措施\n每月检查一次。\n\n第4页\n\n"
        "三、保障\n经费专款专用。\n4/9\n"
    )
    s = src(text)
    res = [(s.text[n.start : n.end], n.detail) for n in s.noise if n.kind == "page-residue"]
    assert res == [("\n- 3 -\n", "page 3"), ("第4页\n", "page 4"), ("4/9\n", "page 4")]
    view = clean_text(s)
    assert "提高教学质量。" in view and "第4页" not in view and "4/9" not in view


@pytest.mark.parametrize("line", ["3/2", "- 共3项 -", "第3页的表格见附件。"])
def test_other_short_lines_are_no_page_numbers(line):
    assert not [n for n in src(f"一、目标\n{line}\n二、措施\n").noise if n.kind == "page-residue"]


@pytest.mark.parametrize(
    "line,chrome",
    [
        ("信息来源:本站原创 发布日期:2023-06-20 浏览次数:", True),
        ("时间:2023-03-18  作者:  点击:", True),
        ("浏览量:   时间:2021-01-17 09:45:19", True),
        ("时间:2023-06-27 来源:青山教育网", True),
        ("约2.5千字", True),
        ("约 12页", True),
        ("2024-01-29 发布于浙江", True),
        ("举报", True),
        ("<返回", True),
        ("您目前的位置: 首页» 教学管理» 关于做好期末考试工作的通知", True),
        ("您的当前位置:首页学校德育工作计划", True),
        ("时间：3月5日 地点：学校会议室", False),  # a plan's own schedule line
        ("时间：2023年，作者：张老师提出了三点要求", False),
        ("返回原文", False),
    ],
)
def test_article_stamps_and_page_buttons_are_chrome(line, chrome):
    from plantext.clean import is_chrome_line

    assert is_chrome_line(line) is chrome
