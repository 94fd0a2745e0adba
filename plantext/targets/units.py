"""Rule *units*: the unit lexicon (``resources/units.tsv``) and the words a unit character
starts without being a unit (三部分, 十分重要, 一名师)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from ..lexicons import loader

__all__ = ["Unit", "units", "lines", "is_unit_word"]


@dataclass(frozen=True, slots=True)
class Unit:
    written: str
    canon: str
    factor: float
    kind: str


def lines(name: str) -> list[str]:
    """The non-comment lines of a package resource file."""
    text = resources.files("plantext").joinpath("resources", name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@loader
def units() -> dict[str, Unit]:
    """The unit lexicon ``resources/units.tsv``: written form -> :class:`Unit` (read once, immutable)."""
    out = {}
    for ln in lines("units.tsv"):
        written, canon, factor, kind = ln.split("\t")
        out[written] = Unit(written, canon, float(factor), kind)
    return out


# unit + next character(s) that form a word: 三部分, 十分重要, 一名师 are not quantities
UNIT_WORDS = frozenset(
    """部分 名师 名优 名单 名称 名额 人员 人才 人口 人民 人数 人人 次要 期间 期末 期中 期刊 期望
个人 个性 个别 个体 项目 场所 场地 课程 课堂 课题 课件 节日 节约 节点 份额 门户 家长 家庭 位置 处理 所有 所以
所在 校长 校本 校园 校区 台阶 支持 支部 天网 天地 周年 周边 周期 本学期 本人 本校 本着 本地 本身
本计划 本项目 本方案 本次 本单位 本部门 本届 本职 本领 本质 种类 类型 条件
字数 课例 张贴 户外 户口 户籍 间隙 分钟 分析 分工 分类 分层 分别 分享 分配 分管 分组 届时 批次 批评 套餐 件事 册子
例如 例子 例会 例行 例外 例题 例证""".split()
)


def is_unit_word(written: str, after: str) -> bool:
    """Is the unit as written, with the one or two characters after it, a word of its own?"""
    word = written + after[:2]
    return any(word[: len(written) + k] in UNIT_WORDS for k in (1, 2) if len(word) >= len(written) + k)
