"""A reviewer's folder written for these tests: five template pages (references) and three
submitted plans, each copying from references other than the first one, so a command that
took only the first path after ``--against`` would find nothing copied.

    refs/r1.txt ... refs/r5.txt   template pages (one plan each)
    subs/s1.txt                   copies two paragraphs of r2 and one of r3
    subs/s2.txt                   copies most of r4
    subs/s3.txt                   copies about half of r5, the rest its own
"""

from __future__ import annotations

import os
from pathlib import Path

R1 = """城关小学语文教研组工作计划

一、指导思想
以提高课堂教学质量为中心，扎实开展语文教研活动，引导教师钻研教材，改进识字与写字教学方法，培养学生良好的阅读习惯。

二、主要工作
每月开展一次主题教研，围绕低年级识字教学、中年级习作起步、高年级整本书阅读三个专题轮流研讨。
组织教师撰写教学反思，每学期每人不少于八篇，由教研组长批阅并在组内交流。

三、具体安排
九月制定计划并分工，十月举办青年教师朗读比赛，十一月开展古诗文诵读展示，十二月完成期末复习研讨。
"""

R2 = """河西中学信息技术应用能力提升工程实施方案

一、工作目标
通过两年的系统培训，使全体教师能够熟练运用交互式白板、学科软件和网络学习空间开展教学，信息化教学覆盖率达到百分之九十以上。

二、培训方式
采取线上自主研修与线下集中实操相结合的方式，线上课程由区电教馆统一提供，线下实操以学科组为单位每两周安排一次。
每位教师须提交一节融合信息技术的优质课例，学校组织专家评审并择优推荐参加区级展评。

三、考核评价
研修学时、课例成绩和校本应用考核三项合计，按优秀、合格、不合格三个等次记入教师业务档案。
"""

R3 = """实验小学安全教育工作计划

一、工作思路
牢固树立安全第一的意识，健全学校、家庭、社会三位一体的安全教育网络，确保师生在校期间人身安全。

二、重点工作
每学期组织两次消防疏散演练和一次防震演练，演练前由德育处制定预案，演练后召开总结会分析存在的问题。
开学第一周对校舍、围墙、电路和体育器材进行全面排查，发现隐患立即登记并限期整改到位。

三、宣传教育
利用国旗下讲话、主题班会和黑板报开展交通安全、防溺水和食品安全教育，每月评选一次安全文明班级。
"""

R4 = """东风幼儿园保育员培训计划

一、培训目标
帮助保育员掌握幼儿一日生活照料的基本规范，提高卫生消毒、膳食管理和常见病预防的实际操作能力。

二、培训内容
第一阶段学习幼儿园卫生保健制度和消毒隔离要求，由保健医生结合实物逐项讲解消毒液的配比和使用方法。
第二阶段学习幼儿进餐、午睡和盥洗环节的照料要点，安排保育员到示范班跟岗观摩并填写观察记录表。
第三阶段开展技能考核，内容包括铺床叠被、餐具消毒和幼儿意外伤害的初步处理，考核结果与绩效挂钩。

三、时间安排
培训从三月初开始，每周四下午集中学习两小时，六月底前完成全部考核并评选优秀保育员。
"""

R5 = """南湖初中班主任工作计划

一、班级现状
本班共有学生四十六人，其中住校生二十一人，学生整体学习态度端正，但部分学生自律意识不强，作业拖欠现象时有发生。

二、工作措施
建立班干部轮换制度，每月改选一次值日班长，让每位学生都有参与班级管理的机会。
每周召开一次小组长会议，汇总各组作业完成情况，对连续两周未按时交作业的学生进行个别谈话并联系家长。
开展“书香班级”创建活动，在教室后方设立图书角，鼓励学生每人捐赠两本课外书，每月举行一次读书分享会。

三、家校联系
每学期召开两次家长会，平时通过电话和家访保持联系，对学习困难学生建立成长档案。
"""

S1 = """向阳中学教师信息化教学能力培训方案

一、培训目标
通过两年的系统培训，使全体教师能够熟练运用交互式白板、学科软件和网络学习空间开展教学，信息化教学覆盖率达到百分之九十以上。

二、培训安排
采取线上自主研修与线下集中实操相结合的方式，线上课程由区电教馆统一提供，线下实操以学科组为单位每两周安排一次。
本校另行组织青年教师微课制作比赛，获奖作品在校园网展示并推荐到区里参评。

三、安全保障
开学第一周对校舍、围墙、电路和体育器材进行全面排查，发现隐患立即登记并限期整改到位。
"""

S2 = """红星幼儿园保育员岗位培训计划

一、培训目标
帮助保育员掌握幼儿一日生活照料的基本规范，提高卫生消毒、膳食管理和常见病预防的实际操作能力。

二、培训内容
第一阶段学习幼儿园卫生保健制度和消毒隔离要求，由保健医生结合实物逐项讲解消毒液的配比和使用方法。
第二阶段学习幼儿进餐、午睡和盥洗环节的照料要点，安排保育员到示范班跟岗观摩并填写观察记录表。
第三阶段开展技能考核，内容包括铺床叠被、餐具消毒和幼儿意外伤害的初步处理，考核结果与绩效挂钩。

三、时间安排
本园培训安排在每月第二周，由园长亲自督促落实。
"""

S3 = """北山初中八年级二班班主任工作计划

一、班级情况
本班学生四十二人，男生二十三人，女生十九人，多数学生来自附近三个村，家长外出务工的比例较高，留守学生需要格外关心。

二、工作措施
每周召开一次小组长会议，汇总各组作业完成情况，对连续两周未按时交作业的学生进行个别谈话并联系家长。
开展“书香班级”创建活动，在教室后方设立图书角，鼓励学生每人捐赠两本课外书，每月举行一次读书分享会。
针对留守学生较多的情况，每月安排一次视频通话活动，让学生与在外务工的父母交流学习和生活情况。
体育课后组织跳绳和踢毽子比赛，增强学生体质，也培养同学之间互相帮助的集体意识。
"""

REFS = {"r1.txt": R1, "r2.txt": R2, "r3.txt": R3, "r4.txt": R4, "r5.txt": R5}
SUBS = {"s1.txt": S1, "s2.txt": S2, "s3.txt": S3}
# which references each submission copied from (by file name)
COPIED_FROM = {"s1.txt": {"r2.txt", "r3.txt"}, "s2.txt": {"r4.txt"}, "s3.txt": {"r5.txt"}}


def write_case(root: Path) -> Path:
    """The folder ``root`` with ``refs/`` and ``subs/`` filled in; returns ``root``."""
    for folder, files in (("refs", REFS), ("subs", SUBS)):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (root / folder / name).write_text(text, encoding="utf-8")
    return root


def invoke(cwd: Path, *args: str, lang: str):
    """``plantext ARGS`` in ``cwd`` in ``lang`` (--lang sets PLANTEXT_LANG: put back afterwards)."""
    from typer.testing import CliRunner

    from plantext.cli import app

    old, env = os.getcwd(), os.environ.get("PLANTEXT_LANG")
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, [*args, "--lang", lang])
    finally:
        os.chdir(old)
        if env is None:
            os.environ.pop("PLANTEXT_LANG", None)
        else:
            os.environ["PLANTEXT_LANG"] = env


def paths(cwd: Path, folder: str) -> list[str]:
    """What the shell makes of ``folder/*.txt``."""
    return sorted(f"{folder}/{p.name}" for p in (cwd / folder).glob("*.txt"))
