"""Synthetic people and complaint texts for demo data: pure functions of a `random.Random` (stdlib only).

Names are drawn from common surnames and given-name characters, never from the regulation texts; ID numbers
have a real birth date and a correct GB 11643 check digit; complaint texts are built from phrases typical of
信访 matters (征地拆迁补偿, 拖欠农民工工资, …) with details and a demand.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from datetime import date

# Common surnames with rough relative frequencies (a Zipf-like head of the 百家姓 usage).
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石"
    "廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_SURNAME_WEIGHTS = tuple(1.0 / (i + 8) for i in range(len(_SURNAMES)))
_SURNAME_CUM = tuple(itertools.accumulate(_SURNAME_WEIGHTS))
_MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林文建国志海峰东新春生德成祥福荣"
_FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲桂英萍红燕琴云莲洁梅琳素雪兰凤慧珍婷颖倩佳蓉月玉美丹"
_MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def person_name(rng: random.Random, male: bool) -> str:
    """A surname (frequency-weighted) and one or two given characters; about 30% are two-character names."""
    surname = _SURNAMES[bisect.bisect(_SURNAME_CUM, rng.random() * _SURNAME_CUM[-1])]
    pool = _MALE_CHARS if male else _FEMALE_CHARS
    if rng.random() < 0.3:
        return surname + rng.choice(pool)
    return surname + rng.choice(pool) + rng.choice(pool)


def id_check_digit(first17: str) -> str:
    """The GB 11643 MOD 11-2 check character of the first 17 digits."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number(rng: random.Random, region_code: str, birth: date, male: bool) -> str:
    """An 18-digit resident ID number: region, birth date, sequence (odd for men), check digit."""
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{region_code}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def mobile_number(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


@dataclass(frozen=True, slots=True)
class Topic:
    """A kind of complaint: its category, who handles it, and the phrases its texts are built from.

    `unit` is the responsible county department (name without the county prefix), or None when the township
    government of the place handles it. Templates use {village} {township} {county} {year} {month} {amount}
    {count} {company} {project} {months}.
    """

    key: str
    category: str
    unit: str | None
    weight: float
    purposes: tuple[tuple[str, float], ...]
    issues: tuple[str, ...]
    details: tuple[str, ...]
    demands: tuple[str, ...]


_REQ = (("request", 0.85), ("appeal", 0.1), ("suggestion", 0.05))
_ACC = (("accusation", 0.8), ("request", 0.15), ("other", 0.05))
_SUG = (("suggestion", 0.6), ("request", 0.3), ("other", 0.1))

TOPICS: tuple[Topic, ...] = (
    Topic(
        "land_acquisition",
        "010102",
        "自然资源和规划局",
        9,
        _REQ,
        (
            "{year}年{month}月{project}建设征收我村集体土地，征地拆迁补偿标准明显偏低，至今仍有{amount}元补偿款未发放到户",
            "我户房屋在{project}征地拆迁范围内，征地拆迁补偿安置方案未公示，评估价格远低于周边市场价格",
            "{township}{village}因{project}被征用土地{count}亩，征地拆迁补偿款被村里截留挪用",
        ),
        (
            "多次找{township}和村委会协商均无结果",
            "安置房至今没有落实，一家人只能租房居住",
            "补偿款分配方案未经村民代表大会讨论",
            "被征地农民的社保安置也没有办理",
            "评估报告从未送达本人",
            "同组其他农户的补偿标准比我家高出一倍",
        ),
        ("请求依法核实并足额发放征地拆迁补偿款", "要求公开补偿安置方案和资金去向", "请求重新评估并按市场价补偿"),
    ),
    Topic(
        "forced_demolition",
        "010103",
        "综合行政执法局",
        3,
        _REQ,
        (
            "{year}年{month}月，在未达成补偿协议的情况下，我家位于{village}的房屋被强行拆除",
            "有关部门以违法建筑为由拆除我家养殖用房，事先没有送达任何书面决定",
        ),
        ("屋内家具家电全部损毁", "拆除时有人员受伤", "事后找{township}反映被推诿"),
        ("请求依法赔偿损失并追究相关人员责任", "要求出示拆除的法律依据"),
    ),
    Topic(
        "migrant_wages",
        "030101",
        "人力资源和社会保障局",
        10,
        _REQ,
        (
            "我们{count}名农民工在{company}承建的{project}项目务工，被拖欠农民工工资共计{amount}元",
            "本人在{company}工地做工{months}个月，包工头以工程款未到位为由拖欠农民工工资{amount}元",
            "{company}拖欠农民工工资已近{months}个月，老板现已联系不上",
        ),
        (
            "多次到工地讨要无果",
            "劳动监察部门已立案但迟迟没有结果",
            "家中老人看病急需用钱",
            "总包单位称已将工资拨付给劳务分包",
            "工友们春节前都没有拿到工资",
            "有考勤记录和工资欠条为证",
        ),
        (
            "请求责令{company}尽快支付拖欠的工资",
            "请求政府协调用工单位支付拖欠农民工工资",
            "要求依法追究恶意欠薪者的责任",
        ),
    ),
    Topic(
        "staff_wages",
        "030102",
        "人力资源和社会保障局",
        3,
        _REQ,
        ("本人原在{company}工作，单位停产后拖欠职工工资{months}个月共{amount}元",),
        ("单位以经营困难为由一拖再拖", "劳动仲裁裁决后单位仍不履行"),
        ("请求督促单位支付工资和经济补偿",),
    ),
    Topic(
        "social_insurance",
        "030201",
        "人力资源和社会保障局",
        7,
        _REQ,
        (
            "本人{year}年退休，社保待遇核定时缴费年限少算了{count}年，养老金明显偏低",
            "我是被征地农民，按政策应纳入养老保险，但社保待遇一直没有落实",
            "原单位未足额为我缴纳社会保险，导致社保待遇受影响",
        ),
        (
            "社保经办机构答复需原单位出具证明",
            "原单位已改制无人负责",
            "档案中有当年的缴费记录",
            "同批退休的同事都已调整待遇",
        ),
        ("请求重新核定社保待遇", "请求补缴社会保险并补发差额", "要求给出书面答复"),
    ),
    Topic(
        "work_injury",
        "030203",
        "人力资源和社会保障局",
        2,
        _REQ,
        ("本人在{company}工作期间受伤，单位拒不申报工伤认定",),
        ("医疗费用已花去{amount}元", "单位称本人是临时工不予认可"),
        ("请求依法认定工伤并落实工伤待遇",),
    ),
    Topic(
        "property_dispute",
        "010303",
        "住房和城乡建设局",
        6,
        _REQ,
        (
            "我们是{county}某小区业主，物业纠纷长期得不到解决，物业公司擅自提高收费标准",
            "小区物业公司服务不到位，电梯经常故障，业主与物业纠纷不断",
            "开发商遗留问题未解决，物业纠纷引发业主与物业公司多次冲突",
        ),
        ("公共收益去向不明", "业主委员会选举受到物业阻挠", "地下车库长期积水无人处理", "小区监控设施形同虚设"),
        ("请求主管部门依法查处物业公司违规收费", "要求公开小区公共收益账目", "请求协调更换物业公司"),
    ),
    Topic(
        "housing_delay",
        "010302",
        "住房和城乡建设局",
        3,
        _REQ,
        ("我们购买的商品房逾期交房已超过{months}个月，开发商拒不支付违约金", "购房多年仍无法办理不动产权证"),
        ("开发商资金链断裂", "涉及业主{count}户"),
        ("请求督促开发商尽快交房办证", "要求依法保障购房者合法权益"),
    ),
    Topic(
        "pollution",
        "090201",
        "生态环境",
        6,
        _REQ,
        (
            "{village}附近的{company}长期偷排污水，造成环境污染，河水发黑发臭",
            "{company}夜间排放刺鼻废气，环境污染严重影响周边村民生活",
            "村旁养殖场粪污直排，环境污染导致农田减产",
        ),
        (
            "多次向有关部门举报后问题反复出现",
            "村里不少老人小孩出现咳嗽症状",
            "下游鱼塘出现大量死鱼",
            "企业只在检查时停产",
        ),
        ("请求依法查处并责令整改", "要求对污染造成的损失进行赔偿", "请求关停违法排污企业"),
    ),
    Topic(
        "noise",
        "0903",
        "生态环境",
        2,
        _REQ,
        ("{village}旁的工地夜间施工噪声扰民", "某厂房机器噪声昼夜不停"),
        ("老人小孩无法正常休息", "投诉后仅停工一两天"),
        ("请求依法查处夜间违规施工",),
    ),
    Topic(
        "minimum_living",
        "080101",
        None,
        6,
        _REQ,
        (
            "本人家庭困难，申请低保评定未获通过，而村里条件较好的人家却享受低保",
            "村里低保评定不公开、不公平，存在优亲厚友现象",
            "本人因病致贫，低保被无故取消",
        ),
        ("评议过程没有张榜公示", "村干部亲属名列其中", "本人患慢性病常年服药", "家中无劳动力"),
        ("请求重新核查低保评定", "要求公开低保对象名单和评定过程", "请求恢复本人低保待遇"),
    ),
    Topic(
        "homestead",
        "020101",
        None,
        6,
        _REQ,
        (
            "本人与邻居因宅基地纠纷多年未解决，对方在我家宅基地上建房",
            "{village}村委会重新规划时占用我家宅基地，宅基地纠纷至今未处理",
            "兄弟之间宅基地纠纷经调解未果",
        ),
        ("有{year}年的宅基地使用证为证", "{township}调解过两次没有结果", "对方至今仍在施工"),
        ("请求依法确权并制止侵占行为", "请求组织调解处理宅基地纠纷"),
    ),
    Topic(
        "medical_dispute",
        "050101",
        "卫生健康局",
        4,
        _REQ,
        (
            "家属在{county}某医院手术后出现严重并发症，医疗纠纷协商无果",
            "本人在镇卫生院就诊时被误诊，延误治疗，医疗纠纷长期未处理",
        ),
        ("医院拒绝提供完整病历", "后续治疗已花费{amount}元", "医疗事故鉴定迟迟未启动"),
        ("请求组织医疗事故鉴定并依法赔偿", "要求卫生健康部门调查处理"),
    ),
    Topic(
        "medical_insurance",
        "050201",
        "医疗保障局",
        2,
        _REQ,
        ("本人异地就医费用医疗保险报销比例过低", "医保报销手续繁琐，材料被多次退回"),
        ("医疗费用共计{amount}元", "经办窗口说法前后不一"),
        ("请求按政策予以报销", "请求简化报销流程"),
    ),
    Topic(
        "school",
        "060101",
        "教育局",
        3,
        _SUG,
        ("孩子按学区应就近入学，却被安排到较远的学校", "学校违规收取各类费用"),
        ("家长多次反映无果", "涉及学生{count}名"),
        ("请求教育部门依法处理", "建议公开入学招生政策"),
    ),
    Topic(
        "veteran",
        "080201",
        "退役军人事务局",
        2,
        _REQ,
        ("本人系退役军人，应享受的退役军人待遇至今没有落实", "本人参战退役后生活困难，抚恤补助标准偏低"),
        ("有当年入伍和退役证明", "多次到相关部门询问没有答复"),
        ("请求落实退役军人待遇",),
    ),
    Topic(
        "contract_land",
        "040102",
        None,
        4,
        _REQ,
        ("村里土地流转合同未经本人同意，承包地被流转给{company}", "二轮延包时我家承包地被减少{count}亩"),
        ("流转租金已拖欠{months}个月", "土地承包经营权证被村里收走"),
        ("请求依法恢复承包经营权", "请求督促支付土地流转租金"),
    ),
    Topic(
        "village_finance",
        "040201",
        None,
        4,
        _ACC,
        (
            "{village}村务公开不及时，集体资产处置不透明，村干部涉嫌侵占集体资金",
            "村里集体土地出租收入{amount}元去向不明",
        ),
        ("村民多次要求查账被拒", "涉及村民{count}户", "村委会以各种理由推脱"),
        ("请求对村级财务进行审计", "要求依法查处侵占集体资产的行为"),
    ),
    Topic(
        "discipline",
        "120201",
        "纪委",
        3,
        _ACC,
        ("反映{township}某干部在项目审批中以权谋私、优亲厚友", "举报{village}村干部在惠农补贴发放中侵害群众利益"),
        ("有相关材料可以提供", "群众对此意见很大"),
        ("请求纪检监察机关调查处理", "要求严肃追究相关人员责任"),
    ),
    Topic(
        "inaction",
        "120301",
        None,
        2,
        _ACC,
        ("本人多次到{township}办事，工作人员不作为慢作为，事情一拖再拖",),
        ("前后跑了{count}次", "每次都让回去等通知"),
        ("请求督促相关部门依法履职",),
    ),
    Topic(
        "traffic_accident",
        "070103",
        "公安局",
        2,
        _REQ,
        ("{year}年{month}月本人家属发生交通事故，事故责任认定不公", "肇事车辆逃逸后案件迟迟未破"),
        ("对方至今未赔偿", "医疗费已花去{amount}元"),
        ("请求重新调查事故责任", "请求依法追究肇事者责任"),
    ),
    Topic(
        "court_enforcement",
        "070301",
        "人民法院",
        2,
        (("appeal", 0.7), ("request", 0.3)),
        ("本人胜诉的判决已生效{months}个月，诉讼执行至今没有进展",),
        ("被执行人有财产却未被执行", "执行款{amount}元分文未得"),
        ("请求法院加大执行力度",),
    ),
    Topic(
        "road",
        "040501",
        "交通运输局",
        3,
        _SUG,
        ("{village}村道年久失修，雨天无法通行", "公路建设占用我家承包地，公路征地补偿未到位"),
        ("学生上学和村民出行十分不便", "涉及农户{count}户"),
        ("建议尽快安排资金修缮道路", "请求落实公路征地补偿"),
    ),
    Topic(
        "enterprise_reform",
        "110101",
        "经济和信息化局",
        2,
        _REQ,
        ("原{company}改制时职工安置和身份置换补偿未按政策落实",),
        ("涉及下岗职工{count}人", "部分职工至今没有接续养老保险"),
        ("请求按政策补发身份置换补偿金",),
    ),
    Topic(
        "illegal_fundraising",
        "1401",
        "公安局",
        1,
        _REQ,
        ("本人被{company}以高息为诱饵非法集资，被骗{amount}元",),
        ("公司负责人已失联", "受害群众有{count}人"),
        ("请求公安机关立案侦查并追回损失",),
    ),
    Topic(
        "consumer",
        "130102",
        "市场监督管理局",
        2,
        _REQ,
        ("{company}在我县办理的预付卡突然停业，无法退费", "购买的商品存在严重质量问题，商家拒不退换"),
        ("涉及金额{amount}元", "商家电话无人接听"),
        ("请求市场监管部门依法处理并督促退款",),
    ),
    Topic(
        "suggestion",
        "1403",
        None,
        1,
        (("suggestion", 0.9), ("other", 0.1)),
        ("建议在{village}增设公交站点", "建议{township}加强农村人居环境整治"),
        ("群众出行和生活将更加便利",),
        ("希望政府予以采纳",),
    ),
)
TOPIC_CUM = tuple(itertools.accumulate(t.weight for t in TOPICS))

_COMPANIES = (
    "某建筑工程有限公司",
    "某劳务有限公司",
    "某化工有限公司",
    "某实业有限公司",
    "某房地产开发有限公司",
    "某食品有限公司",
    "某物业服务有限公司",
    "某农业开发有限公司",
    "某纺织有限公司",
    "某投资咨询有限公司",
)
_PROJECTS = ("工业园区", "高速公路", "安置小区", "物流园", "城市道路拓宽", "水库扩建", "旧城改造", "产业园")
_OPENINGS = (
    "本人系{township}{village}村民，",
    "我是{township}{village}居民，",
    "反映人称：",
    "",
    "我们是{township}{village}的村民，",
    "信访人反映：",
)
_BACKGROUND = (
    "该问题已持续多年，曾于{year}年向{township}反映过",
    "村委会答复称需要等上级政策",
    "相关部门答复称正在研究，此后再无下文",
    "我们也曾通过12345热线反映，但问题仍未解决",
    "此事涉及{count}户村民的切身利益",
    "由于问题长期得不到解决，群众意见很大",
    "本人年事已高，身体不好，实在拖不起",
    "有关材料和照片可以提供",
    "此前有关部门来调查过一次，但没有结论",
    "我们相信党和政府一定能公正处理",
)
_CLOSINGS = ("", "", "恳请领导重视。", "望尽快给予答复。", "特此反映。", "请领导帮助解决。")


def pick_topic(rng: random.Random) -> Topic:
    return TOPICS[bisect.bisect(TOPIC_CUM, rng.random() * TOPIC_CUM[-1])]


def pick_purpose(rng: random.Random, topic: Topic) -> str:
    x = rng.random()
    for purpose, weight in topic.purposes:
        x -= weight
        if x < 0:
            return purpose
    return topic.purposes[0][0]


def complaint_text(
    rng: random.Random, topic: Topic, *, county: str, township: str, village: str, year: int, group: bool
) -> str:
    """A complaint of 50–500 characters: opening, the issue, some details and a demand."""
    values = {
        "county": county,
        "township": township,
        "village": village,
        "year": year - rng.randrange(0, 4),
        "month": rng.randrange(1, 13),
        "amount": f"{rng.randrange(2, 800) * 100 if rng.random() < 0.7 else rng.randrange(1, 200) * 10000}",
        "count": rng.randrange(2, 60),
        "months": rng.randrange(2, 30),
        "company": rng.choice(_COMPANIES),
        "project": rng.choice(_PROJECTS),
    }
    opening = rng.choice(_OPENINGS)
    if group:
        opening = "我们{village}等地群众共{count}人联名反映，"
    parts = [opening, rng.choice(topic.issues), "。"]
    n_details = min(len(topic.details), 1 + int(rng.expovariate(0.6)))
    for detail in rng.sample(topic.details, n_details):
        parts.append(detail)
        parts.append("，" if rng.random() < 0.5 else "。")
    for background in rng.sample(_BACKGROUND, min(len(_BACKGROUND), int(rng.expovariate(0.8)))):
        parts.append(background)
        parts.append("，" if rng.random() < 0.5 else "。")
    parts[-1] = "。"
    parts.append(rng.choice(topic.demands))
    parts.append("。")
    parts.append(rng.choice(_CLOSINGS))
    text = "".join(parts).format_map(values)
    if rng.random() < 0.12:  # a long letter: the whole story once more in other words
        extra = "".join(d + "，" for d in topic.details).format_map(values)
        text = text + "具体情况是：" + extra[:-1] + "。" + rng.choice(topic.demands).format_map(values) + "。"
    if len(text) < 50:
        text += "此事已持续较长时间，" + topic.details[0].format_map(values) + "，群众反映强烈。"
    return text[:500]
