import re

import pytest

from plantext.numerals import NUMBER, PERCENT, is_chinese, parse_number


@pytest.mark.parametrize(
    "text,value",
    [
        ("48", 48),
        ("４８", 48),
        ("1,200", 1200),
        ("12.5", 12.5),
        ("1.5万", 15000),
        ("3千", 3000),
        ("2亿", 200_000_000),
        ("两万", 20000),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百二十", 120),
        ("一百零五", 105),
        ("一千零二十", 1020),
        ("三万五千", 35000),
        ("一亿二千万", 120_000_000),
        ("二〇一八", 2018),
        ("百分之八十", 80),
        ("百分之九十五", 95),
        ("百分之百", 100),
        # compound multipliers after Arabic digits, and 万万 / 万亿
        ("3.1千万", 31_000_000),
        ("5千万", 50_000_000),
        ("20万亿", 20_000_000_000_000),
        ("1,100万", 11_000_000),
        ("四万万", 400_000_000),
        ("两百万亿", 200_000_000_000_000),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


# decimal digits times a multiplier come out exact, not 220000000.00000003
@pytest.mark.parametrize(
    "text,value", [("2.2亿", 220_000_000), ("1.15亿", 115_000_000), ("4.35万", 43_500), ("0.07万", 700)]
)
def test_decimal_times_multiplier_is_exact(text, value):
    assert parse_number(text) == value
    assert repr(parse_number(text)) == repr(float(value))


@pytest.mark.parametrize(
    "text", ["", "万", "千万", "三四十", "abc", "x", "1.2.3", "两三", "十几", "一亿万", "三万亿万"]
)
def test_not_a_number(text):
    assert parse_number(text) is None


def test_number_pattern_leaves_words_alone():
    pat = re.compile(NUMBER)
    assert [m.group() for m in pat.finditer("千万要完成1.5万元和三十人")] == ["1.5万", "三十"]
    # place names that start with a numeral are names, not counts
    assert [m.group() for m in pat.finditer("四川省十堰市、九江市和三亚市共五个片区")] == ["五"]
    # words that start with 一 count nothing
    assert [m.group() for m in pat.finditer("一定要让一线教师一起参加一百学时的一系列培训")] == ["一百"]
    assert [m.group() for m in pat.finditer("三十人中一半以上")] == ["三十"]
    # 九点二十五分 is a clock time: no decimal 9.2 followed by 十五
    assert [m.group() for m in pat.finditer("九点二十五分开始，费用一点五万元")] == ["九", "二十五", "一点五万"]


@pytest.mark.parametrize(
    "text,value", [("一点五", 1.5), ("二点五万", 25_000), ("零点七亿", 70_000_000), ("三点一四", 3.14)]
)
def test_chinese_decimals_with_a_multiplier(text, value):
    assert parse_number(text) == value
    assert re.fullmatch(PERCENT, "百分之八十")


def test_is_chinese():
    assert is_chinese("十二") and not is_chinese("12") and not is_chinese("１２") and not is_chinese("1.5万")


from plantext.numerals import read_number  # noqa: E402


@pytest.mark.parametrize(
    "text,value",
    [
        ("一千零十", 1010),
        ("一万零十二", 10012),
        ("十万零五", 100_005),  # 零 then 十
        ("三万五", 35_000),
        ("两千六", 2600),
        ("一百二", 120),
        ("一万二千五", 12_500),  # elision
        ("1万6千", 16_000),
        ("3亿5000万", 350_000_000),
        ("1 万", 10_000),
        ("一点五", 1.5),
        ("一七二零点一", 1720.1),
        ("一一", 11),
    ],
)
def test_parse_more_forms(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text,lo,hi,approx",
    [
        ("两三", 2, 3, None),
        ("三五", 3, 5, None),
        ("三四十", 30, 40, None),
        ("十三四", 13, 14, None),
        ("两三万", 20_000, 30_000, None),
        ("一百七八十", 170, 180, None),
        ("十几", 10, 20, "几"),
        ("二十几万", 200_000, 300_000, "几"),
        ("几十", 10, 100, "几"),
        ("数十亿", 1e9, 1e10, "数"),
        ("数百", 100, 1000, "数"),
        ("十余万", 100_000, None, "余"),
        ("一百多万", 1_000_000, None, "多"),
        ("2600多万", 26_000_000, None, "多"),
        ("1亿3千多万", 130_000_000, None, "多"),
        ("2亿5百余万", 205_000_000, None, "余"),  # the groups after 亿 in 万
        ("一百零几万", 1_000_000, 1_100_000, "几"),  # 几 as the units digit after 零
        ("三千零几", 3000, 3010, "几"),
    ],
)
def test_estimates_are_ranges_or_qualified(text, lo, hi, approx):
    r = read_number(text)
    assert (r.value, r.value_max, r.approx) == (lo, hi, approx)
    assert parse_number(text) is None  # never one exact (and wrong) number


@pytest.mark.parametrize(
    "text", ["七十百", "十十", "百千", "几几", "两岸", "十点半", "二两", "三两"]
)  # 初二两次: 两 is no digit of a digit string (never 22)
def test_malformed_is_nothing(text):
    assert read_number(text) is None


def test_number_pattern_stops_before_a_bad_place():
    pat = re.compile(PERCENT)
    assert pat.match("百分之七十百分位").group() == "百分之七十"
    assert [m.group() for m in re.finditer(NUMBER, "两岸交流两个学校")] == ["两"]
