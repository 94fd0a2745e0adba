"""Web pages as they arrive: Word-exported pages, data tables as rows, titles (pages written here)."""

from __future__ import annotations

from plantext.ingest import load
from plantext.split import split

WORD_PAGE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<title>青山中学2024年教研工作计划--教科室-青山中学</title></head>
<body><div class=WordSection1>
<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:16pt'>青山中学2024年教研工作计划</span></b></p>
<p class=MsoNormal><span>一、指导思想</span><o:p></o:p></p>
<p class=MsoNormal style='text-indent:32pt'><span>以课堂教学改革为中心，全面提高教育教学质量，</span><span>促进教师专业成长。</span></p>
<p class=MsoNormal><span>二、工作安排&amp;nbsp;</span></p>
<p class=MsoNormal><span><o:p>
<table class=MsoNormalTable border=1>
<tr><td rowspan=2><p class=MsoNormal>月份</p></td><td colspan=2><p class=MsoNormal>活动</p></td><td><p class=MsoNormal>负责人</p></td></tr>
<tr><td><p class=MsoNormal>内容</p></td><td><p class=MsoNormal>对象</p></td><td></td></tr>
<tr><td rowspan=2><p class=MsoNormal>三月</p></td><td><p class=MsoNormal>公开课</p><p class=MsoNormal>（每组一节）</p></td><td>全体教师</td><td>王华</td></tr>
<tr><td>读书会</td><td>青年教师</td><td>李明</td></tr>
</table></o:p></span></p>
<p class=MsoNormal><span>三、保障措施</span></p>
<p class=MsoNormal><span>学校为每个教研组安排专项经费，保证各项活动按时开展。</span></p>
</div></body></html>
"""


def _page(tmp_path, html: str, name: str = "page.html") -> str:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return str(path)


def test_word_exported_page_keeps_paragraphs_and_table_rows(tmp_path):
    src = load(_page(tmp_path, WORD_PAGE))
    lines = src.text.split("\n")
    assert "以课堂教学改革为中心，全面提高教育教学质量，促进教师专业成长。" in lines
    assert "二、工作安排" in lines  # a literal &nbsp; from a twice-escaped page is decoded
    assert "&nbsp;" not in src.text
    rows = [src.text[p.start : p.end] for p in src.parts if p.kind == "table-row"]
    assert rows == [
        "月份\t活动\t\t负责人",
        "\t内容\t对象\t",
        "三月\t公开课 （每组一节）\t全体教师\t王华",
        "\t读书会\t青年教师\t李明",
    ]
    assert lines.index("三、保障措施") > lines.index("\t读书会\t青年教师\t李明")


def test_page_title_drops_the_site_and_the_plan_takes_it(tmp_path):
    src = load(_page(tmp_path, WORD_PAGE))
    assert src.meta["title"] == "青山中学2024年教研工作计划"
    (plan,) = split(src)
    assert plan.title == "青山中学2024年教研工作计划" and plan.start == 0


CRUMB_PAGE = """<html><head><title>青山小学 Green Hill Primary School</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/a">学校简介</a></div>
<ul class="location"><li>首页 &gt;</li><li>学校发展 &gt;</li><li>阅读推广</li></ul>
<div class="content"><p>书香润童心</p>
<p>本校为培养学生的阅读习惯，开展全校阅读推广活动，期望每一位学生都能爱上阅读，在阅读中成长，并养成终身阅读的好习惯。</p>
<p>一、每天晨读二十分钟，由班主任组织，语文老师指导，全体学生参加。</p>
<p>二、每月举办一次读书分享会，各班推荐两名学生参加学校的分享活动。</p></div>
</body></html>"""


def test_a_page_named_only_by_its_site_takes_the_breadcrumb(tmp_path):
    src = load(_page(tmp_path, CRUMB_PAGE))
    assert src.meta["title"] == "阅读推广"
    (plan,) = split(src)
    assert plan.title == "阅读推广"


LAYOUT_PAGE = """<html><head><title>通知</title></head><body><table><tr>
<td><ul><li><a href="/1">首页</a></li><li><a href="/2">新闻</a></li></ul></td>
<td><h2>青山中学安全工作方案</h2><p>为确保师生安全，学校成立安全工作领导小组，由校长任组长，分管副校长任副组长。</p>
<p>各班主任每周开展一次安全教育，每月组织一次疏散演练，做好记录并按时上报。</p></td></tr></table></body></html>"""


def test_a_layout_table_is_unwrapped_into_paragraphs(tmp_path):
    src = load(_page(tmp_path, LAYOUT_PAGE))
    lines = src.text.split("\n")
    assert "各班主任每周开展一次安全教育，每月组织一次疏散演练，做好记录并按时上报。" in lines
    assert not [p for p in src.parts if p.kind == "table-row"]


SEP_PAGE = """<html><head><title>读书节|书香满园&amp;nbsp;阅读成长：青山小学第三届读书节活动方案--德育处-青山小学</title></head>
<body><div class="article"><h2>读书节|书香满园 阅读成长：青山小学第三届读书节活动方案</h2>
<p>为营造书香校园，学校决定于四月举办第三届读书节，全体师生参加，各班级要精心组织，确保活动取得实效。</p>
<p>一、活动时间：四月一日至四月三十日，历时一个月，分三个阶段进行。</p></div></body></html>"""


def test_a_title_with_a_separator_of_its_own_is_kept_whole(tmp_path):
    src = load(_page(tmp_path, SEP_PAGE))
    assert src.meta["title"] == "读书节|书香满园 阅读成长：青山小学第三届读书节活动方案"


# a notice and the 实施细则 it refers to, each in its own <div class="content"> under an <h1> of
# its own, with the signatures between them: trafilatura alone keeps the densest block
BLOCKS_PAGE = """<html><head><meta charset="utf-8"><title>活动信息</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a></div>
<div class="main">
<h1>关于举办2024年青山县中学生科技节的通知</h1>
<div class="content"><p>各中学：</p>
<p>为激发学生学习科学的兴趣，培养学生的创新精神和实践能力，县教育局决定举办2024年中学生科技节。现将有关事项通知如下：</p>
<h2>一、活动时间</h2><p>2024年4月至2024年5月。</p>
<h2>二、参加对象</h2><p>全县各中学在校学生，以学校为单位组织报名参加。</p></div>
<div class="foot"><p>青山县教育局</p><p>2024年3月</p></div>
<h1>2024年青山县中学生科技节实施细则</h1>
<div class="content"><p>为做好本届科技节的组织工作，保证各项比赛公平公正、安全有序地进行，特制定本细则，请各校认真组织学生参加。</p>
<h2>一、比赛项目</h2><p>科技节设科技小论文、科学实验设计、创意模型制作三个比赛项目，每名学生限报一项。</p>
<h2>二、评审办法</h2><p>评审委员会由县教研室聘请的学科教师组成，按统一的评分标准打分，分数相同的作品并列名次。</p>
<h2>三、奖励办法</h2><p>每个项目设一等奖、二等奖和三等奖，获奖学生由县教育局颁发证书，并推荐参加市级比赛。</p></div>
<div class="foot"><p>青山县教育局</p><p>2024年3月</p></div>
</div>
<div class="footer">版权所有 青山县教育局</div>
</body></html>
"""


def test_an_article_printed_in_several_blocks_of_one_kind_is_read_whole(tmp_path):
    src = load(_page(tmp_path, BLOCKS_PAGE))
    lines = src.text.split("\n")
    for line in (
        "关于举办2024年青山县中学生科技节的通知",
        "二、参加对象",
        "2024年青山县中学生科技节实施细则",
        "三、奖励办法",
    ):
        assert line in lines
    assert lines.index("2024年3月") < lines.index("2024年青山县中学生科技节实施细则")
    assert "首页 新闻" not in src.text and "版权所有" not in src.text
    # the notice closes (signature, date) and the 实施细则 follows under its own title
    a, b = split(src)
    assert a.title == "关于举办2024年青山县中学生科技节的通知"
    assert (b.title, b.start) == (
        "2024年青山县中学生科技节实施细则",
        src.text.index("2024年青山县中学生科技节实施细则"),
    )
    assert a.end <= b.start and a.doc == b.doc == src.path
