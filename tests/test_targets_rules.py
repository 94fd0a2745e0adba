"""Each named rule of plantext.targets with a table of cases, on sentences written for these tests."""

import pytest

from plantext.clean import clean
from plantext.model import Plan, Source
from plantext.targets import comparators, numbers, rejected, targets


def plan_of(text: str) -> Plan:
    src = clean(Source(path="r.txt", text=text, format="txt"))
    return Plan(id="r.txt", source=src, plan=1, title="", start=0, end=len(text), noise=list(src.noise))


def rows(text: str):
    return targets(plan_of(text), nodes=[])


def brief(text: str):
    return [(r.text, r.value, r.value_max, r.unit) for r in rows(text)]


# -- numbers: values, ranges and approximations --------------------------------------------------


@pytest.mark.parametrize(
    "sentence,expected",
    [
        # one multiplier written on the upper end only applies to both ends while the range rises
        ("本项目申请经费一百二十到一百五十万元。", [("一百二十到一百五十万元", 1_200_000, 1_500_000, "元")]),
        ("全年预算一千到两千万元。", [("一千到两千万元", 10_000_000, 20_000_000, "元")]),
        ("每校补助3-5万元。", [("3-5万元", 30_000, 50_000, "元")]),
        ("单项奖励8000到1万元。", [("8000到1万元", 8000, 10_000, "元")]),
        ("购置资金5万元--8万元。", [("5万元--8万元", 50_000, 80_000, "元")]),
        # estimates between adjacent digits are ranges, never a two-digit number
        ("各组每月开展两三次集体备课。", [("两三次", 2, 3, "次")]),
        ("预计三四十名家长到校。", [("三四十名", 30, 40, "名")]),
        ("拟推荐二、三十位骨干参加，其中五、六位参加省培。", [("二、三十位", 20, 30, "位"), ("五、六位", 5, 6, "位")]),
        # approximations: bounds, or the base value with its qualifier
        ("共有十几名实习生参加。", [("十几名", 10, 20, "名")]),
        ("全县累计投入数十亿元。", [("数十亿元", 1e9, 1e10, "元")]),
        ("全市十余万人次参加了线上研修。", [("十余万人次", 100_000, None, "人次")]),
        ("已改造校舍2600多万平方米。", [("2600多万平方米", 26_000_000, None, "平方米")]),
        ("受益学生由3千多名增加到1万2千多名。", [("3千多名", 3000, None, "名"), ("1万2千多名", 12_000, None, "名")]),
        # elision and 零十
        ("年度经费三万五元，资料费两千六元。", [("三万五元", 35_000, None, "元"), ("两千六元", 2600, None, "元")]),
        ("累计培训一千零十人次。", [("一千零十人次", 1010, None, "人次")]),
        # shares
        ("合格率达到九成以上。", [("九成以上", 90, None, "%")]),
        ("完成率不低于百分之九十五。", [("百分之九十五", 95, None, "%")]),
        # currencies keep their currency
        ("引进外资12亿美元。", [("12亿美元", 1.2e9, None, "美元")]),
        ("报名费$25/人。", [("$25", 25, None, "美元")]),
        ("资料费¥300元。", [("¥300元", 300, None, "元")]),
        # durations
        ("实验课每周2h。", [("2h", 2, None, "小时")]),
        # financial (capital) numerals, and 陆 only inside one (陆续 is a word)
        (
            "陆续拨付经费壹万贰仟元，另有叁仟伍佰元。",
            [("壹万贰仟元", 12_000, None, "元"), ("叁仟伍佰元", 3500, None, "元")],
        ),
        # 千分之: a share of a thousand
        ("差错率控制在千分之三以内。", [("千分之三以内", 0.3, None, "%")]),
        ("集中研修两个星期。", [("两个星期", 2, None, "周")]),
    ],
)
def test_values(sentence, expected):
    assert brief(sentence) == expected


@pytest.mark.parametrize(
    "sentence,qualifier",
    [
        ("共有十几名实习生参加。", "几"),
        ("全市十余万人次参加了线上研修。", "余"),
        ("全县累计投入数十亿元。", "数"),
        ("受益学生3千多名。", "多"),
    ],
)
def test_approximation_is_a_qualifier(sentence, qualifier):
    assert [r.qualifier for r in rows(sentence)] == [qualifier]


# -- numbers: named rejections -------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence,span,rule",
    [
        ("认真学习党的十九届四中全会精神。", "十九届", "masked"),  # an ordinal without 第
        ("第十五届二次会议在礼堂召开。", "二次", "masked"),
        ("下午3时45分到会议室报到。", "45分", "masked"),  # a clock time
        ("这是十分重要的工作。", "十分", "score-word"),
        ("从三个层次推进。", "三个", "idea-count"),
        ("落实八项规定精神。", "八项", "idea-count"),
        ("回顾上一次活动的经验。", "一次", "article-one"),
        ("共有三部分内容。", "三部", "unit-in-word"),
        ("调研安排：\n1人事处负责统计\n2教务处负责汇总", "1人", "row-number"),
        ("两周内完成报名。", "两周", "time-limit"),
        ("制定学校三年规划。", "三年", "bare-years"),  # an amount of years nothing states
        ("档案编号 00601 日常类", "00601 日", "unit-apart"),  # a calendar word apart from its number
        ("全县安排专项资金3000万用于校舍改造。", "3000万", "no-unit"),  # a large number with no counted noun
        ("全区户籍人口45万。", "45万", "no-unit"),  # a population stated, not a change
        # quantities that describe rather than commit
        ("组织2023届毕业生填写去向表。", "2023届", "cohort"),
        ("欢迎1988届校友返校座谈。", "1988届", "cohort"),
        ("成绩在年级前30名的学生可以申请。", "30名", "rank"),
        ("对排名后五名的班级进行约谈。", "五名", "rank"),
        ("领取作业本时注意一捆是50本。", "50本", "composition"),
        ("一盒装24支粉笔，按盒领取。", "24支", "composition"),
        ("温馨提示：礼堂座位较少，每班最多带40人。", "40人", "reminder"),
        ("友情提醒：返程大巴可坐45人，请提前排队。", "45人", "reminder"),
        ("向每节课40分钟要质量。", "40分钟", "figure-of-speech"),
        ("下午3、4节课召开班主任会议。", "4节", "masked"),  # a lesson slot is a time
        ("周二下午三四节课开展教研活动。", "三四节", "masked"),
        ("本组有45岁以上教师6人。", "45岁", "masked"),  # an age is a condition
        ("获团体第二、三名的班级加分。", "三名", "masked"),  # ordinals listed after 第
        ("以上2、3、4项由教务处认定。", "4项", "masked"),  # items referred to by number
        ("第九届三次职代会通过了方案。", "三次", "masked"),
        ("申报书一式5份交教科室。", "5份", "masked"),  # copies of a paper
        ("请评委提前30分钟到场。", "30分钟", "masked"),  # an offset in time: when, not how much
        ("3.2本方案自发布之日起施行。", "3.2本", "unit-in-word"),  # 本方案: this plan
        ("推行三位一体的综合评价。", "三位", "figure-of-speech"),  # a set phrase the dictionary knows
        ("发放一次性交通补贴。", "一次", "figure-of-speech"),
        ("比如每天跳绳10分钟，贵在坚持。", "10分钟", "example"),
        ("语文试卷满分150分。", "150分", "masked"),  # what a paper is marked out of
        ("从设计一节课，研究一节课入手。", "一节", "article-one"),  # a lesson after a verb
    ],
)
def test_rejections_are_named(sentence, span, rule):
    p = plan_of(sentence)
    text = p.view("norm").text
    found = [(text[a:b], why) for a, b, why in rejected(p, [])]
    assert any(t.startswith(span) and why == rule for t, why in found), found
    assert rule in numbers.REJECTIONS
    assert not any(r.text.startswith(span) for r in targets(p, nodes=[]))


@pytest.mark.parametrize(
    "sentence,kept",
    [
        ("两岸教师交流活动", []),  # 两岸 is no count
        ("百分之六十百分位以上的学生", ["百分之六十"]),  # 六十, never 160
        ("开学后三人参加培训。\n3人参加竞赛。", ["三人", "3人"]),  # a count at a line start is no row number
    ],
)
def test_not_misread(sentence, kept):
    assert [r.text for r in rows(sentence)] == kept


def test_a_unit_is_never_across_a_line_or_a_cell():
    assert rows("获奖名单\n张华 101\n校长室颁奖") == []  # a class number, then the next line
    assert rows("时间\t地点\n16:30\t分会场") == []  # a clock time, then the next cell
    assert brief("每学期研修30 学时。") == [("30 学时", 30, None, "学时")]  # a space is still one quantity
    # a sentence wrapped by a PDF keeps its quantity across the break
    wrapped = "全体教师要认真参加区教师发展中心组织的各项培训，全年累计参加培训1200\n人次，并做好记录。"
    assert [(r.value, r.unit) for r in rows(wrapped)] == [(1200, "人次")]


@pytest.mark.parametrize(
    "sentence,kept",
    [
        # a count in 万/亿 with no unit is read in the unit of the noun it counts
        ("三年内帮助1200多万农村劳动人口转移就业。", [("1200多万", 12_000_000, "人")]),
        ("全省参训教师人次由90万增加到1亿2千多万。", [("90万", 900_000, "人次"), ("1亿2千多万", 120_000_000, "人次")]),
        ("山区贫困户数减少4万。", [("4万", 40_000, "户")]),
        ("分高一、高二两场进行。", []),  # never 22 场 (二两 is no numeral)
        ("加强教师队伍支撑体系建设。", []),  # 伍 alone is part of a word, never 5 支
    ],
)
def test_counted_noun_gives_the_unit(sentence, kept):
    assert [(r.text, r.value, r.unit) for r in rows(sentence)] == kept


@pytest.mark.parametrize(
    "sentence,kept",
    [
        ("辖区人均预期寿命达到80.5岁。", [("80.5岁", 80.5)]),  # an age statistic is the figure
        ("教师平均年龄降到38岁。", [("38岁", 38)]),
        ("本组有45岁以上教师6人。", [("6人", 6)]),
        ("今年计划招收2025届新生300名，其中一盒装不下的另行发放。", [("300名", 300)]),
        ("争取全市前三名的班级每班奖励2000元。", [("2000元", 2000)]),
        ("每学期读两本书，开设两门课。", [("两本", 2), ("两门", 2)]),  # counts, not set phrases
    ],
)
def test_descriptions_leave_the_targets(sentence, kept):
    assert [(r.text, r.value) for r in rows(sentence)] == kept


def test_a_title_restating_a_figure_is_one_row():
    text = "教师90学时研修方案\n全体教师本学年完成研修90学时，其中线上研修不少于30学时。\n"
    src = clean(Source(path="t.txt", text=text, format="txt"))
    end = text.index("\n")
    p = Plan(id="t.txt", source=src, plan=1, title=text[:end], start=0, end=len(text), title_start=0, title_end=end)
    got = targets(p, nodes=[])
    assert [(r.text, r.start) for r in got] == [("90学时", text.index("90学时", end)), ("30学时", text.index("30学时"))]
    norm = p.view("norm").text
    assert [(norm[a:b], why) for a, b, why in rejected(p, []) if why == "title-restated"] == [
        ("90学时", "title-restated")
    ]
    # a title figure the body does not state again stays a row
    text2 = "教师90学时研修方案\n全体教师本学年完成线上研修30学时。\n"
    p2 = Plan(
        id="t.txt",
        source=clean(Source(path="t.txt", text=text2, format="txt")),
        plan=1,
        title=text2[:end],
        start=0,
        end=len(text2),
        title_start=0,
        title_end=end,
    )
    assert [r.text for r in targets(p2, nodes=[])] == ["90学时", "30学时"]


def test_a_prose_sum_after_a_table_is_not_a_unitless_total():
    text = "经费预算如下\n序号 项目 预算\n1 资料费 20\n2 专家费 80\n每年专家劳务费20万元，五年共计100万。\n"
    got = [(r.text, r.value, r.unit) for r in rows(text)]
    assert ("100", 100.0, None) not in got and not any(r[2] is None for r in got)


# -- a bare 一: commitment or article, decided by rule ---------------------------------------------


@pytest.mark.parametrize(
    "sentence,kept",
    [
        ("本学期召开一次青年教师座谈会。", ["一次"]),  # a held event
        ("每位新教师开设一堂汇报课。", ["一堂"]),
        ("暑期举办骨干教师研修班一期。", ["一期"]),  # counted after the noun, at the clause end
        ("资料整理计划一天完成。", ["一天"]),  # the time a task takes
        ("他在上一节课提到这个问题。", []),  # 上一节课: the previous lesson
        ("这是一个方面的问题。", []),
        ("开展一次以上的主题班会。", ["一次以上"]),  # stated by a qualifier
    ],
)
def test_bare_one(sentence, kept):
    assert [r.text for r in rows(sentence)] == kept


# -- comparators -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence,cmp",
    [
        ("参训率大于等于95%。", ">="),
        ("缺课率小于或等于5%。", "<="),
        ("每次研修不少于校本课程12学时。", ">="),  # 4 characters between: still the number's comparator
        ("超过规定时间的教师须补学2学时。", "="),  # 10 characters and a new verb: not the number's
        ("请假不超过3天。", "<="),
        ("培训人数在30与50人之间。", "="),
    ],
)
def test_comparators(sentence, cmp):
    assert [r.comparator for r in rows(sentence)] == [cmp]


def test_comparator_distance_limit():
    """The comparator applies within MAX_GAP (6) characters, not beyond (kills the 6 -> 16 mutant)."""
    assert comparators.MAX_GAP == 6
    assert comparators.comparator("不少于一二三四五六") == (">=", "不少于")
    assert comparators.comparator("不少于一二三四五六七") == (None, None)
    assert comparators.comparator("不少于这学期每位老师都要参加的") == (None, None)


def test_range_between_words():
    (r,) = rows("培训人数在30与50人之间。")
    assert (r.value, r.value_max, r.unit) == (30, 50, "人")


# -- tables given as rows (TAB-separated cells, one line a row) -----------------------------------

TAB_TABLE = (
    "二、培训安排\n序号\t项目\t对象\t人数\t学时\n1\t班主任培训\t全体班主任\t120\t16\n"
    "2\t读书沙龙\t青年教师\t60\t8\n3\t远程研修\t全体教师\t{third}\t24\n合计\t\t\t{total}\t48\n三、保障措施\n"
)


@pytest.mark.parametrize(
    "third,total,flags",
    [
        (240, 420, []),  # the column adds up to its 合计
        (240, 400, ["total-mismatch"]),  # it does not
    ],
)
def test_column_total_against_its_own_table(third, total, flags):
    found = rows(TAB_TABLE.format(third=third, total=total))
    by_text = {r.text: r for r in found}
    assert (by_text[str(total)].unit, by_text[str(total)].flags) == ("人", flags)
    assert (by_text["48"].unit, by_text["48"].flags) == ("学时", [])  # 16 + 8 + 24


def test_table_rows_are_not_one_sentence():
    text = (
        "课程\t学分\t学时\t说明\n教育学\t2\t32\t共32学时，其中讲授16学时、实践16学时\n"
        "心理学\t3\t48\t每周3学时，共16周\n合计\t5\t80\t\n"
    )
    found = rows(text)
    assert not any("total-mismatch" in r.flags for r in found)  # every total adds up, row by row
    weekly = next(r for r in found if r.text == "3学时")
    assert weekly.per == "每周"
    # the row is read with its column headers as context, never with the other rows
    assert weekly.sentence == "课程\t学分\t学时\t说明\n心理学\t3\t48\t每周3学时，共16周"


def test_a_total_without_a_table_is_not_checked():
    found = rows("合计\t120\n说明：以上为预估人数。")
    assert not any("total-mismatch" in r.flags for r in found)


# -- long single lines: a window of context, cut and flagged ----------------------------------------


def test_long_sentence_is_read_in_a_window():
    filler = "各校要认真组织教师参加研修活动并做好记录" * 200  # 4,000 characters without a sentence end
    found = rows(filler + "每位教师不少于24学时" + filler)
    (r,) = found
    assert (r.value, r.comparator, r.unit) == (24, ">=", "学时")
    assert r.flags == ["sentence-cut"]
    assert r.sentence.startswith("…") and r.sentence.endswith("…") and len(r.sentence) < 32_767
    assert "每位教师不少于24学时" in r.sentence


def test_a_long_table_header_is_cut_to_fit_a_cell():
    header = "\t".join(f"第{i}列说明文字" for i in range(6000))  # a header line longer than a cell holds
    found = rows(header + "\n项目\t培训人数不少于30人\n项目\t培训人数不少于40人\n")
    assert [r.text for r in found] == ["30人", "40人"]
    assert all(len(r.sentence) <= 32_767 and "…" in r.sentence and "sentence-cut" in r.flags for r in found)
    assert all(r.sentence.endswith(f"培训人数不少于{r.text}") for r in found)


def test_every_rejection_is_named_and_listed():
    """Whatever turns a candidate away says which rule did, from the registered list."""
    text = (
        "组织2023届毕业生参加十九届四中全会精神学习，下午3时45分开会。这是十分重要的工作。从三个层次推进，"
        "回顾上一次活动。共有三部分内容。两周内完成报名。例如每天读书30分钟。温馨提示：每班带40人。"
        "年级前30名可以申请。一盒装24支粉笔。向每节课40分钟要质量。制定学校三年规划。全县资金3000万。"
        "档案编号 00601 日常类\n调研安排：\n1人事处负责统计\n"
    )
    p = plan_of(text)
    rules = {why for _, _, why in rejected(p, [])}
    assert rules <= set(numbers.REJECTIONS), rules - set(numbers.REJECTIONS)
    assert {
        "cohort",
        "rank",
        "composition",
        "reminder",
        "example",
        "figure-of-speech",
        "bare-years",
        "no-unit",
        "unit-apart",
        "row-number",
        "masked",
        "time-limit",
    } <= rules
