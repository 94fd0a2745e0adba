import re

import pytest

from plantext.numerals import NUMBER, PERCENT, is_chinese, parse_number


@pytest.mark.parametrize("text,value", [
    ("48", 48), ("４８", 48), ("1,200", 1200), ("12.5", 12.5),
    ("1.5万", 15000), ("3千", 3000), ("2亿", 200_000_000), ("两万", 20000),
    ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("一百二十", 120), ("一百零五", 105),
    ("一千零二十", 1020), ("三万五千", 35000), ("一亿二千万", 120_000_000),
    ("二〇一八", 2018), ("百分之八十", 80), ("百分之九十五", 95), ("百分之百", 100),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "万", "千万", "三四十", "abc", "x", "1.2.3"])
def test_not_a_number(text):
    assert parse_number(text) is None


def test_number_pattern_leaves_words_alone():
    pat = re.compile(NUMBER)
    assert [m.group() for m in pat.finditer("千万要完成1.5万元和三十人")] == ["1.5万", "三十"]
    assert re.fullmatch(PERCENT, "百分之八十")


def test_is_chinese():
    assert is_chinese("十二") and not is_chinese("12") and not is_chinese("１２") and not is_chinese("1.5万")
