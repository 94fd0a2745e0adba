"""A generator of realistic synthetic plans with planted near-duplicates, for benchmarks.

Every plan is built from a bank of sentence templates per section kind (written for this
project), with varied schools, years, numbers and wording, in the usual layout (title,
opening, 一、指导思想 ... 六、时间安排). A share of the plans (``dup_rate``) are copies of another
plan under a disguise::

    exact        the same text
    retitled     another school's name and title over the same body
    traditional  converted to traditional script (OpenCC s2t)
    halfwidth    every full-width comma, colon, semicolon and bracket made half width
    synonyms     about 10% of the words swapped for synonyms
    truncated    cut to about half its length (a containment pair)
    reordered    the paragraphs of each section in another order

Usage from another benchmark::

    from corpus import generate, write_corpus
    docs, planted = generate(4000, seed=0)          # [(name, text)], {(name_a, name_b)}
    write_corpus("/tmp/plans", 4000)                # the same as .txt files

``planted`` holds every pair inside a group of copies (the original and all its copies),
each pair sorted by name. Unrelated plans share stock paragraphs (指导思想, 保障措施) and
template sentences, as real plans do, but never a planted share of their text.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
from itertools import combinations
from pathlib import Path

DISGUISES = ("exact", "retitled", "traditional", "halfwidth", "synonyms", "truncated", "reordered")

PLACES = (
    "东城",
    "西湖",
    "南山",
    "北塘",
    "青山",
    "清河",
    "长宁",
    "永安",
    "兴华",
    "新民",
    "龙泉",
    "凤凰",
    "白云",
    "红旗",
    "阳光",
    "实验",
    "育才",
    "明德",
    "启明",
    "光明",
    "胜利",
    "和平",
    "朝阳",
    "春晖",
    "文昌",
    "崇文",
    "博雅",
    "星海",
    "金桥",
    "银河",
    "桃源",
    "梅林",
    "松江",
    "柳城",
    "石桥",
    "沙河",
)
COUNTIES = ("临江", "安平", "宁远", "定南", "平阳", "嘉禾", "永和", "泰宁", "德化", "长兴", "海宁", "宜川")
KINDS = (
    "小学",
    "中学",
    "初级中学",
    "第一中学",
    "第二小学",
    "中心小学",
    "实验学校",
    "幼儿园",
    "职业中学",
    "九年一贯制学校",
)
TOPICS = (
    "教师继续教育",
    "校本培训",
    "教师培训",
    "新教师培训",
    "骨干教师培养",
    "教研",
    "师德师风建设",
    "信息技术应用能力提升",
    "班主任培训",
    "课堂教学改革",
    "教师专业发展",
    "青年教师培养",
)
DOCS = ("工作计划", "实施方案", "培训计划", "工作方案", "年度计划", "学期计划")
SUBJECTS = (
    "语文",
    "数学",
    "英语",
    "物理",
    "化学",
    "生物",
    "历史",
    "地理",
    "道德与法治",
    "科学",
    "音乐",
    "美术",
    "体育",
    "信息技术",
    "劳动",
)
PEOPLE = ("教务处", "教科室", "德育处", "校长室", "办公室", "各教研组", "各年级组", "总务处", "工会")
POLICIES = (
    "《中小学教师继续教育规定》",
    "上级教育行政部门的工作要点",
    "县教育局本年度师训工作安排",
    "《教师专业标准》",
    "市教育局关于加强教师队伍建设的意见",
    "学校三年发展规划",
    "区教师发展中心的年度部署",
    "《新时代中小学教师职业行为十项准则》",
)

# Stock paragraphs: every real plan carries one of a few, word for word.
STOCK = {
    "guide": (
        "以立德树人为根本任务，以提高教师队伍整体素质为核心，以校本研修为主要途径，坚持按需施训、"
        "学用结合、注重实效的原则，努力建设一支师德高尚、业务精湛、结构合理、充满活力的教师队伍。",
        "坚持以人为本，面向全体教师，把促进教师专业成长作为学校发展的第一资源，立足课堂、聚焦问题、"
        "突出实践，推动教师由经验型向研究型转变，为办人民满意的教育提供坚实的人才保障。",
        "深入贯彻全国教育大会精神，落实新时代教师队伍建设改革的各项要求，以提升教育教学质量为中心，"
        "以信息技术与学科教学深度融合为抓手，全面提高教师的师德修养、专业能力和育人水平。",
    ),
    "support": (
        "成立由校长任组长、分管副校长任副组长、各处室负责人为成员的工作领导小组，明确职责，分工协作，"
        "把各项工作纳入学校年度考核，确保责任到人、落实到位。",
        "学校每年按照公用经费的一定比例安排培训专项经费，专款专用，保障教师外出学习、专家讲座和资料购置"
        "的需要，并为教师参加学历提升提供必要的时间和条件。",
        "建立健全培训档案，如实记录每位教师的学习时数和研修成果，考核结果与评优评先、职称评聘和绩效工资"
        "挂钩，对表现突出的个人和教研组给予表彰。",
    ),
}

# Sentence templates per section kind. [a|b] picks one alternative, {slot} is filled per plan
# or per sentence (numbers vary every time).
BANK = {
    "open": (
        "为[进一步|切实|全面]加强{topic}工作，[提高|提升]教师的[专业素养|业务能力|综合素质]，根据{policy}，结合{school}实际，特制定本{doc}。",
        "新[学期|学年]已经开始，为使{topic}工作[有序|扎实|有计划地]开展，{school}在总结上一年经验的基础上，制定{year}年{topic}{doc}如下。",
        "根据{policy}的[要求|部署|精神]，围绕{school}{year}年[中心工作|发展目标|工作重点]，现就本年度{topic}工作作如下安排。",
        "为[落实|贯彻]{policy}，[推动|促进]教师队伍[专业化|高素质]发展，经校务会议研究，制定{school}{topic}{doc}。",
    ),
    "guide": (
        "本[学期|年度]{topic}工作以[课堂教学|校本研修|课题研究]为[抓手|载体|突破口]，[着力|重点]解决教师在{subject}教学中遇到的实际问题。",
        "[坚持|注重]理论学习与教学实践相结合，集中培训与分散自学相结合，校内研修与校外学习相结合。",
        "[紧紧围绕|始终聚焦]{school}“{motto}”的办学理念，[把|将]{topic}[作为|当作]提升办学品质的[关键|重要]环节来抓。",
        "力争通过{n}年[努力|时间]，使{school}教师队伍的整体水平[有明显提高|再上一个台阶|迈上新台阶]。",
    ),
    "goal": (
        "全体教师参加各级各类培训的学时每年不少于{hours}学时，其中校本研修不少于{hours2}学时。",
        "骨干教师比例达到教师总数的{pct}%以上，培养[县级|市级|区级]学科带头人{n}名、教学能手{n2}名。",
        "{subject}学科[优质课|公开课|示范课]获奖人数比上一年增加{n}人次，教学质量[稳步提升|明显提高]。",
        "[四十五|五十|五十五]周岁以下教师信息技术应用能力[达标率|合格率]达到{pct}%，能熟练运用[智慧课堂|多媒体|网络平台]开展教学。",
        "新入职教师[一年内|两年内]站稳讲台，三年内成为[合格|优秀]教师，五年内成长为校级骨干。",
        "每位教师每学期听课不少于{n3}节，撰写教学反思不少于{n}篇，读教育专著不少于{n4}本。",
        "组织[课题|小课题|微课题]研究{n}项，力争[立项|结题]{n2}项[省级|市级|县级]课题。",
        "全年组织[专家讲座|专题培训|外出学习]{n}次，参训教师达到{people}人次。",
        "教师学历提升[稳步推进|取得进展]，[研究生|本科]学历教师占比提高到{pct}%。",
        "家长对教师工作的满意率保持在{pct}%以上，无[违反师德|有偿家教|体罚学生]的情况发生。",
    ),
    "task_head": (
        "加强师德师风建设",
        "抓实校本研修",
        "推进课堂教学改革",
        "开展青年教师培养",
        "深化课题研究",
        "提升信息技术应用能力",
        "加强班主任队伍建设",
        "做好新教师入职培训",
        "完善教研组建设",
        "推动读书学习活动",
        "加强骨干教师引领",
        "规范继续教育学分管理",
    ),
    "task": (
        "[每月|每两周|每周]组织一次[集体备课|教研活动|专题学习]，由{people_org}负责[安排|组织]，[做到|坚持]定时间、定地点、定内容、定主讲人。",
        "[开展|组织]“{act}”活动，每位教师[至少|不少于]上一节{subject}[研讨课|展示课|汇报课]，课后进行[说课|评课|反思交流]。",
        "[实行|落实]“[青蓝工程|师徒结对|一带一]”，为{n}名青年教师配备指导教师，签订[结对协议|帮扶协议]，明确双方职责。",
        "[充分利用|依托]国家中小学智慧教育平台和[县|区|市]研修网，组织教师[在线学习|网络研修]，每人完成{hours2}学时的线上课程。",
        "[围绕|针对]{subject}[作业设计|大单元教学|课堂提问|学生评价]开展专题研究，形成[案例集|成果汇编|教学设计集]。",
        "[选派|推荐]{n}名教师参加[省级|市级|国培]项目培训，回校后[做|开展]二次培训，[实现|做到]资源共享。",
        "[邀请|聘请]{expert}来校[做专题讲座|指导教学|开展示范教学]，全年[不少于|安排]{n}次。",
        "[组织|举办]教师[基本功|粉笔字|课件制作|说课]比赛，评出一、二、三等奖，[并将结果|结果]计入[教师业务档案|年度考核]。",
        "[建立|完善]教师成长档案，记录[听课评课|培训学习|获奖成果|教学反思]等情况，每学期检查{n}次。",
        "开展[师德师风|廉洁从教|依法执教]主题教育，组织教师学习[相关法规|准则|典型案例]，签订师德承诺书。",
        "[各教研组|各备课组]每学期确定一个[研究主题|研究专题]，以[问题|课例]为[载体|导向]，开展[课例研究|同课异构|一课多磨]。",
        "[鼓励|支持]教师[撰写|发表]教育教学论文，全年[力争|争取]在[县级以上|市级以上]刊物发表{n}篇。",
        "[开展|推进]“{act}”读书活动，教师每学期[精读|研读]一本教育专著，[撰写|交流]读书心得。",
        "[加强|做好]新教师[岗前培训|入职培训]，内容包括[教学常规|班级管理|师德规范|课堂技能]，时间不少于{hours2}学时。",
        "[组织|安排]班主任[学习|交流]班级管理经验，每学期召开{n}次班主任[经验交流会|工作研讨会|论坛]。",
        "[借助|利用]录播教室[开展|进行]课堂[诊断|观察]，教师观看自己的课堂录像，[查找|分析]不足，[改进|优化]教学。",
    ),
    "measure": (
        "[严格|认真]执行[培训考勤|学习签到|请假]制度，无故缺席[一次|两次]的，[取消|不予]当年评优资格。",
        "[每学期|每学年]末对培训效果进行[问卷调查|评估|考核]，[根据|依据]反馈[调整|改进]下一阶段的培训内容。",
        "[注重|加强]过程管理，{people_org}[定期|每月]检查[教案|听课记录|学习笔记]，并在教师会上[通报|反馈]。",
        "[把|将]教师参加培训的情况[纳入|列入]教师[绩效考核|年度考核|职称评聘]，[作为|当作]评先评优的重要依据。",
        "[发挥|利用]{school}[名师工作室|骨干教师|学科带头人]的[辐射|示范|引领]作用，[带动|促进]全体教师共同成长。",
        "[完善|健全]校本研修[激励|评价]机制，对[成绩突出|表现优秀]的教研组和个人给予[表彰|奖励]。",
        "[加强|密切]与[兄弟学校|城区学校|教研室]的交流合作，[开展|组织][送教下乡|联片教研|校际交流]活动{n}次。",
        "[培训|研修]内容[做到|坚持]因人而异、分层施训，[新教师|青年教师]重在规范，骨干教师重在提升。",
    ),
    "schedule": (
        "{m}月：[制定|讨论]本年度{topic}{doc}，[召开|组织]动员会，[布置|部署]各项任务。",
        "{m}月：[开展|组织]新教师[岗前培训|入职培训]和师徒结对仪式。",
        "{m}月：[举行|组织]青年教师[汇报课|优质课]评比，[开展|进行]{subject}学科[教研周|研讨]活动。",
        "{m}月：[组织|安排]教师参加[寒假|暑期]集中培训，[完成|落实]继续教育学分[登记|认定]。",
        "{m}月：[检查|查阅]教师[读书笔记|听课记录|教学反思]，[评选|表彰]优秀[读书心得|教学案例]。",
        "{m}月：[开展|举办]教师[基本功|课件制作|说课]比赛，[评选|推荐]优秀选手参加[县|区|市]赛。",
        "{m}月：[召开|组织]课题[开题|中期|结题][论证会|汇报会]，[整理|汇编]研究成果。",
        "{m}月：[总结|回顾]本年度培训工作，[评选|表彰]先进[教研组|个人]，[整理|归档]培训资料。",
    ),
}

HEADS = {
    "guide": ("指导思想", "总体思路", "工作思路"),
    "goal": ("工作目标", "培训目标", "目标任务"),
    "task": ("主要任务", "工作内容", "重点工作", "主要措施"),
    "measure": ("具体措施", "工作措施", "实施办法"),
    "support": ("保障措施", "组织保障", "工作保障"),
    "schedule": ("时间安排", "工作安排", "月份安排", "活动安排"),
}
MOTTOS = (
    "让每一个孩子都得到发展",
    "厚德博学",
    "以人为本，和谐发展",
    "尚美求真",
    "崇德尚学",
    "自主合作",
    "快乐学习，健康成长",
    "立德树人，追求卓越",
    "为学生终身发展奠基",
)
ACTS = (
    "人人上好一节课",
    "书香校园",
    "教学开放周",
    "同课异构",
    "青年教师成长营",
    "名师引领",
    "一师一优课",
    "课堂大练兵",
    "每周一研",
    "读书润师心",
)
EXPERTS = ("市教研室专家", "师范大学的教授", "县教师发展中心的教研员", "省特级教师", "兄弟学校的名师")
NUMERALS = "一二三四五六七八九十"

# Content words for the detail clauses that make each plan's wording its own, as in real
# plans: many combinations, so only the frame of a sentence is shared across plans.
NOUNS = tuple(
    """课程标准 学科素养 作业设计 课堂评价 单元整合 教学目标 学情分析 分层教学 小组合作 项目学习
跨学科主题 实验教学 阅读指导 写作训练 口语交际 计算能力 思维品质 审美体验 劳动实践 心理健康 家校沟通
班级文化 安全教育 课后服务 社团活动 校园文化 评价改革 教学常规 教案编写 说课评课 听课记录 教学反思 案例分析
课例研究 命题能力 试卷分析 质量监测 数据分析 信息素养 网络研修 智慧课堂 微课制作 课件设计 资源建设
教研氛围 备课质量 导学案 学习任务单 课堂提问 板书设计 习惯养成 学困生转化 培优补差 特长培养 个别辅导
德育渗透 师生关系 职业认同 职业倦怠 教育情怀 教育科研 课题管理 成果推广 经验总结 学术交流 名师示范
青年教师 骨干力量 教研组长 备课组长 班主任队伍 后备干部 新任教师 学科教师 音体美教师 乡村教师
教学设计 教学评价 教学管理 教学质量 教育理念 育人方式 学习方式 教学方法 课程资源 课程体系 校本课程
研修主题 研修方式 研修成果 研修档案 培训课程 培训需求 培训内容 培训形式 培训效果 考核评价 激励机制
读书分享 经典诵读 书法练习 朗读比赛 演讲比赛 实验操作 信息技术 人工智能 编程教育 科技创新 综合实践
体质健康 眼睛保护 午间管理 作业管理 睡眠管理 手机管理 读物管理 家庭教育 社区资源 研学旅行""".split()
)
VERBS = tuple(
    """梳理 研读 细化 落实 打磨 改进 优化 规范 提炼 推广 总结 诊断 跟进 指导 示范 引领 带动 展示
交流 分享 反思 评估 监测 记录 整理 汇编 构建 完善 健全 深化 拓展 整合 融合 创新 探索 实践 研究 破解 突破
夯实 巩固 提升 强化 激发 唤醒 培育 涵养 锤炼 磨砺""".split()
)
CLAUSES = (
    "，重点{v}{n}与{n2}",
    "，着力解决{n}中的{n2}问题",
    "，把{n}的{v}落到实处",
    "，形成以{n}为核心、{n2}为支撑的工作格局",
    "，在{n}、{n2}等方面取得实效",
    "，推动{n}和{n2}协同发展",
    "，围绕{n}{v}{n2}",
    "，通过{n}{v}{n2}",
    "，逐步{v}{n}，{v2}{n2}",
    "，切实做好{n}的{v}工作",
    "，使{n}与{n2}有机结合",
    "，注重{n}，兼顾{n2}",
)


def _detail(rng: random.Random) -> str:
    n, n2 = rng.sample(NOUNS, 2)
    v, v2 = rng.sample(VERBS, 2)
    return rng.choice(CLAUSES).format(n=n, n2=n2, v=v, v2=v2)


# Synonyms the generator swaps (both directions): words that occur in the bank.
SYNONYMS = {
    "加强": "强化",
    "提高": "增强",
    "提升": "改进",
    "开展": "进行",
    "组织": "安排",
    "教师": "老师",
    "学习": "研习",
    "培训": "研训",
    "活动": "工作",
    "全体": "全部",
    "积极": "主动",
    "认真": "切实",
    "每学期": "每个学期",
    "进一步": "更进一步",
    "推进": "推动",
    "建立": "建成",
    "完善": "健全",
    "明确": "厘清",
    "有效": "切实",
    "实际": "现实",
    "不少于": "至少",
    "检查": "督查",
    "记录": "登记",
    "负责": "主管",
    "教学": "授课",
    "研究": "探究",
    "发展": "进步",
    "成果": "成效",
    "资料": "材料",
    "评选": "评比",
    "总结": "归纳",
    "要求": "规定",
    "制度": "机制",
    "质量": "水平",
}


def _slots(rng: random.Random, plan: dict) -> dict:
    return plan | {
        "n": rng.randint(2, 9),
        "n2": rng.randint(1, 6),
        "n3": rng.choice((10, 12, 15, 16, 20, 24)),
        "n4": rng.randint(1, 4),
        "hours": rng.choice((48, 60, 72, 90, 120, 144)),
        "hours2": rng.choice((12, 16, 20, 24, 30, 36, 40)),
        "pct": rng.choice((60, 70, 75, 80, 85, 90, 95, 98)),
        "people": rng.randint(30, 900),
        "subject": rng.choice(SUBJECTS),
        "act": rng.choice(ACTS),
        "expert": rng.choice(EXPERTS),
        "people_org": rng.choice(PEOPLE),
        "m": rng.randint(1, 12),
    }


_ALT_RE = re.compile(r"\[([^\]]+)\]")


def _fill(template: str, rng: random.Random, plan: dict, detail: float = 0.8) -> str:
    s = _ALT_RE.sub(lambda m: rng.choice(m.group(1).split("|")), template)
    s = s.format(**_slots(rng, plan))
    if rng.random() < detail and s.endswith("。"):
        s = s[:-1] + _detail(rng) + "。"
    return s


def _plan_context(rng: random.Random) -> dict:
    school = rng.choice(COUNTIES) + ("县" if rng.random() < 0.5 else "市") + rng.choice(PLACES) + rng.choice(KINDS)
    return {
        "school": school,
        "year": rng.randint(2015, 2025),
        "topic": rng.choice(TOPICS),
        "doc": rng.choice(DOCS),
        "policy": rng.choice(POLICIES),
        "motto": rng.choice(MOTTOS),
    }


def make_plan(rng: random.Random, target_chars: int = 1750) -> str:
    """One plan of roughly ``target_chars`` characters, as the text of a .txt file."""
    ctx = _plan_context(rng)
    paras: list[list[str]] = []  # per section: its paragraphs (the first is the heading)
    title = f"{ctx['school']}{ctx['year']}年{ctx['topic']}{ctx['doc']}"
    opening = _fill(rng.choice(BANK["open"]), rng, ctx)
    kinds = ["guide", "goal", "task", "measure", "support", "schedule"]
    if rng.random() < 0.3:
        kinds.remove("measure")
    body_len = len(title) + len(opening)
    share = {"guide": 0.12, "goal": 0.17, "task": 0.38, "measure": 0.12, "support": 0.11, "schedule": 0.10}
    for k, kind in enumerate(kinds):
        sec = [f"{NUMERALS[k]}、{rng.choice(HEADS[kind])}"]
        budget = target_chars * share[kind]
        used = 0
        if kind in ("guide", "support"):
            stock = list(STOCK[kind])
            rng.shuffle(stock)
            sec.append(stock[0])
            used = len(stock[0])
            if kind == "support" and rng.random() < 0.5:
                sec.append(stock[1])
                used += len(stock[1])
        if kind == "goal" or kind == "measure":
            items = rng.sample(BANK[kind], len(BANK[kind]))
            i = 0
            while used < budget and i < len(items):
                line = f"{i + 1}、{_fill(items[i], rng, ctx)}"
                sec.append(line)
                used += len(line)
                i += 1
        elif kind == "task":
            heads = rng.sample(BANK["task_head"], 3)
            items = rng.sample(BANK["task"], len(BANK["task"]))
            per = max(1, int(budget / 3))
            for h, head in enumerate(heads):
                sec.append(f"（{NUMERALS[h]}）{head}")
                got = 0
                while got < per and items:
                    s = _fill(items.pop(), rng, ctx)
                    sec.append(s)
                    got += len(s)
        elif kind == "schedule":
            items = rng.sample(BANK["schedule"], len(BANK["schedule"]))
            months = sorted(rng.sample(range(1, 13), len(items)))
            i = 0
            while used < budget and i < len(items):
                line = _fill(items[i], rng, ctx | {}).split("：", 1)[1]
                line = f"{months[i]}月：{line}"
                sec.append(line)
                used += len(line)
                i += 1
        elif kind == "guide":
            for t in rng.sample(BANK["guide"], 2):
                sec.append(_fill(t, rng, ctx))
        paras.append(sec)
        body_len += sum(len(p) for p in sec)
    lines = [title, "", opening]
    for sec in paras:
        lines.extend(sec)
    lines.append(f"{ctx['school']}")
    lines.append(f"{ctx['year']}年{rng.randint(1, 12)}月")
    return "\n".join(lines) + "\n"


# -- disguises ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _opencc_s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _s2t(text: str) -> str:
    return _opencc_s2t().convert(text)


_HALF = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})


def disguise(text: str, how: str, rng: random.Random) -> str:
    """``text`` copied under the disguise ``how`` (one of DISGUISES)."""
    lines = text.split("\n")
    if how == "exact":
        return text
    if how == "retitled":
        ctx = _plan_context(rng)
        old_school = re.match(r"(.+?(?:小学|中学|学校|幼儿园))", lines[0])
        body = "\n".join(lines[1:])
        if old_school:
            body = body.replace(old_school.group(1), ctx["school"])
        return f"{ctx['school']}{ctx['year']}年{ctx['topic']}{ctx['doc']}\n" + body
    if how == "traditional":
        return _s2t(text)
    if how == "halfwidth":
        return text.translate(_HALF)
    if how == "synonyms":
        return swap_synonyms(text, 0.10, rng)
    if how == "truncated":
        cut = text.find("\n", len(text) // 2)
        return text[: cut if cut > 0 else len(text) // 2] + "\n"
    if how == "reordered":
        out, block = [], []
        for line in lines:
            if re.match(r"^[一二三四五六七八九十]、|^（[一二三四五六七八九十]）", line) or not line:
                rng.shuffle(block)
                out.extend(block)
                block = []
                out.append(line)
            else:
                block.append(line)
        rng.shuffle(block)
        out.extend(block)
        return "\n".join(out)
    raise ValueError(f"unknown disguise {how!r}")


_SYN_RE = re.compile("|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)))


def swap_synonyms(text: str, share: float, rng: random.Random) -> str:
    """Swap about ``share`` of the words (a Chinese word is ~1.7 characters) for synonyms."""
    hits = list(_SYN_RE.finditer(text))
    want = min(len(hits), round(share * len(text) / 1.7))
    chosen = sorted(rng.sample(hits, want), key=lambda m: m.start())
    out, pos = [], 0
    for m in chosen:
        out.append(text[pos : m.start()])
        out.append(SYNONYMS[m.group()])
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def generate(
    n_plans: int, seed: int = 0, dup_rate: float = 0.1, target_chars: int = 1600, disguises: tuple[str, ...] = DISGUISES
):
    """``(docs, planted)``: ``n_plans`` plans as ``(name, text)`` and the planted pairs.

    About ``dup_rate * n_plans`` plans are disguised copies of an earlier original (an original
    may have several copies); ``planted`` is every pair within each group of copies.
    """
    docs, kinds = generate_kinds(n_plans, seed, dup_rate, target_chars, disguises)
    return docs, set(kinds)


def generate_kinds(
    n_plans: int, seed: int = 0, dup_rate: float = 0.1, target_chars: int = 1600, disguises: tuple[str, ...] = DISGUISES
):
    """Like :func:`generate`, with the disguise of each planted pair: ``{pair: kind}``, kind
    one of DISGUISES for an original and its copy, ``"a+b"`` for two copies of one original."""
    rng = random.Random(seed)
    n_dup = int(round(n_plans * dup_rate))
    n_orig = n_plans - n_dup
    width = max(5, len(str(n_plans)))
    texts = [make_plan(rng, target_chars) for _ in range(n_orig)]
    how = ["original"] * n_orig
    groups: dict[int, list[int]] = {}
    for _ in range(n_dup):
        src = rng.randrange(n_orig)
        kind = disguises[len(texts) % len(disguises)]
        texts.append(disguise(texts[src], kind, rng))
        how.append(kind)
        groups.setdefault(src, [src]).append(len(texts) - 1)
    order = list(range(n_plans))
    rng.shuffle(order)  # copies are not next to their originals
    names = [""] * n_plans
    for pos, i in enumerate(order):
        names[i] = f"plan_{pos:0{width}d}"
    docs = sorted(((names[i], texts[i]) for i in range(n_plans)), key=lambda d: d[0])
    kinds = {}
    for g in groups.values():
        for a, b in combinations(g, 2):
            kind = how[b] if how[a] == "original" else "+".join(sorted((how[a], how[b])))
            kinds[tuple(sorted((names[a], names[b])))] = kind
    return docs, kinds


def write_corpus(directory, n_plans: int, seed: int = 0, dup_rate: float = 0.1, **kw):
    """Write ``generate(...)`` as ``DIR/NAME.txt`` files; returns ``(paths, planted)`` where the
    planted pairs name the files' paths."""
    paths, kinds = write_corpus_kinds(directory, n_plans, seed, dup_rate, **kw)
    return paths, set(kinds)


def write_corpus_kinds(directory, n_plans: int, seed: int = 0, dup_rate: float = 0.1, **kw):
    """:func:`write_corpus` with the disguise of each planted pair (see :func:`generate_kinds`)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    docs, kinds = generate_kinds(n_plans, seed, dup_rate, **kw)
    path = {name: str(d / f"{name}.txt") for name, _ in docs}
    for name, text in docs:
        Path(path[name]).write_text(text, encoding="utf-8")
    return [path[n] for n, _ in docs], {(path[a], path[b]): k for (a, b), k in kinds.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description="Write a synthetic corpus of plans with planted near-duplicates.")
    ap.add_argument("dir")
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dup-rate", type=float, default=0.1)
    a = ap.parse_args()
    paths, planted = write_corpus(a.dir, a.n, a.seed, a.dup_rate)
    size = sum(Path(p).stat().st_size for p in paths)
    print(f"wrote {len(paths)} plans ({size / 1e6:.1f} MB) to {a.dir}; {len(planted)} planted pairs")


if __name__ == "__main__":
    main()
