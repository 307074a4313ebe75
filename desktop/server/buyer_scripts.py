"""What simulated buyers say: an opening line, a few follow-ups, nagging when nobody answers, a rating.

Pure functions over a :class:`BuyerScript` (the one piece of mutable state, owned by the simulator); all
randomness comes from the ``random.Random`` passed in. A conversation goes::

    script = start_conversation(rng, shop, buyer)       # send script.opening
    while (line := next_line(script, rng, reply)) is not None:
        ...                                              # send line; reply: the agent's text, None on timeout
    score = wants_to_rate(rng, script)                   # None: the buyer does not rate

``reply`` is the agent's latest text (several messages may be joined), or ``None`` when no reply came in time,
which makes the buyer nag (在吗？/人呢？) and, past their patience, give up. A script says at most
:data:`MAX_BUYER_LINES` lines, opening included. ``script.product_id`` / ``script.order_id`` name what the
buyer talks about, so a simulator may also send a product or order card.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Final

from desktop.server.demo_seed import (
    DemoBuyer,
    DemoOrder,
    DemoProduct,
    DemoShop,
    random_address,
    random_phone,
    random_tracking_no,
)


class Scenario(enum.StrEnum):
    SIZE = "size"  # 尺码
    STOCK = "stock"  # 有货吗 / 什么时候补货
    SHIPPING = "shipping"  # 什么时候发货 / 到哪了
    ADDRESS = "address"  # 改地址
    REFUND = "refund"  # 退款 / 退货
    EXCHANGE = "exchange"  # 换货
    HAGGLE = "haggle"  # 能便宜点吗 / 有优惠券吗
    ANGRY = "angry"  # 投诉
    GREETING = "greeting"  # 在吗 / 其他


#: How often each scenario starts (out of 100): angry buyers are 6 %.
SCENARIO_WEIGHTS: Final[Mapping[Scenario, int]] = {
    Scenario.SIZE: 16,
    Scenario.STOCK: 10,
    Scenario.SHIPPING: 18,
    Scenario.ADDRESS: 7,
    Scenario.REFUND: 10,
    Scenario.EXCHANGE: 8,
    Scenario.HAGGLE: 12,
    Scenario.ANGRY: 6,
    Scenario.GREETING: 13,
}
#: Upper bound on the lines of one script: opening + 3 follow-ups + 1 answer + 3 nags + goodbye, rounded up.
MAX_BUYER_LINES: Final = 10
MAX_FOLLOWUPS: Final = 3

_CHINA = timezone(timedelta(hours=8))
_DAY_MS: Final = 86_400_000

# Words in an agent's reply that the buyer reacts to.
_POSITIVE: Final = (
    "可以",
    "好的",
    "没问题",
    "已经",
    "马上",
    "帮您",
    "为您",
    "安排",
    "送您",
    "补发",
    "补偿",
    "同意",
    "优惠券",
    "包邮",
    "有货",
    "现货",
    "退款",
    "放心",
)
_NEGATIVE: Final = ("不能", "无法", "没办法", "不支持", "不可以", "缺货", "没货", "不议价", "改不了")
_APOLOGY: Final = ("抱歉", "对不起", "不好意思", "见谅")


@dataclass
class BuyerScript:
    """One buyer's conversation plan and progress. Owned by one simulated buyer; not thread-safe."""

    scenario: Scenario
    buyer_id: str
    opening: str
    product_id: str | None
    order_id: str | None
    followups: list[str]  # questions still to ask, in order
    answers: list[str]  # details given when the agent asks for them (height and weight, new address, ...)
    answer_triggers: tuple[str, ...]  # words in a reply that ask for those details
    closing_ok: str  # the goodbye after a helpful last reply
    closing_no: str  # the goodbye after a refusal
    patience: int  # nags before giving up
    lines: list[str] = field(default_factory=list)  # everything said so far, opening first
    nags: int = 0
    replies: int = 0
    done: bool = False
    gave_up: bool = False
    pleased: bool = False
    displeased: bool = False


@dataclass(frozen=True)
class _Plan:
    opening: tuple[str, ...]  # templates, one is picked
    followups: tuple[str, ...]  # pool, kept in this order
    answers: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    closing_ok: str = "好的，谢谢亲～"
    closing_no: str = "好吧，那我再看看"
    min_followups: int = 0


# --- small helpers -----------------------------------------------------------------------------------------


def _yuan(cents: int) -> str:
    if cents % 100 == 0:
        return f"{cents // 100}元"
    return f"{cents / 100:.2f}".rstrip("0").rstrip(".") + "元"


def _short(product: DemoProduct) -> str:
    return product.title.split(" ")[0]


def _city(address_masked: str) -> str:
    region = address_masked.rstrip("*")
    for marker in ("自治区", "省"):
        if marker in region:
            region = region.split(marker, 1)[1]
            break
    return region.split("市", 1)[0] if "市" in region else region or "我们这边"


def _when(now_ms: int, at_ms: int) -> str:
    days = max(0, (now_ms - at_ms) // _DAY_MS)
    if days < 3:
        return ("今天", "昨天", "前天")[days]
    if days < 7:
        return f"{days}天前"
    day = datetime.fromtimestamp(at_ms / 1000, tz=UTC).astimezone(_CHINA)
    return f"{day.month}月{day.day}号"


_LETTERS: Final = ("S", "M", "L", "XL", "XXL", "3XL")


def _size_kind(product: DemoProduct) -> str:
    sizes = product.sizes
    if not sizes:
        return "none"
    if all(s in _LETTERS for s in sizes):
        return "letter"
    if all(s.isdigit() for s in sizes):
        return "waist" if max(int(s) for s in sizes) <= 40 else "kid"
    if all("-" in s for s in sizes):
        return "shoe"
    return "dims"


def _nearest(sizes: Sequence[str], wanted: str) -> str:
    if wanted in sizes:
        return wanted
    index = _LETTERS.index(wanted)
    return min(sizes, key=lambda s: abs(_LETTERS.index(s) - index) if s in _LETTERS else 99)


def _product_context(rng: random.Random, product: DemoProduct, ctx: dict[str, str]) -> None:
    """Fill ``ctx`` with what a buyer would say about ``product`` (size, colour, price, body measures)."""
    colors = product.colors or ("默认",)
    color = rng.choice(colors)
    others = [c for c in colors if c != color]
    ctx.update(
        short=_short(product),
        title=product.title,
        color=color,
        other_color=rng.choice(others) if others else color,
        price=_yuan(product.price_cents),
        lower=_yuan(product.price_cents * rng.choice((7, 8)) // 1000 * 100),
        h=str(height := rng.randint(150, 185)),
        size="",
        spec=color,
    )
    kind = _size_kind(product)
    if kind == "letter":
        weight = max(80, 2 * (height - 105) + rng.randint(-16, 30))  # in 斤 (half kilograms)
        size = _nearest(product.sizes, _LETTERS[min(5, max(0, (weight - 85) // 17))])
        start = max(0, min(product.sizes.index(size), len(product.sizes) - 2))
        pair = product.sizes[start : start + 2]  # the size and the next one up (or down, for the largest)
        ctx.update(w=str(weight), size=size, pair="还是".join(pair), spec=f"{color}{size}码")
    elif kind == "waist":
        ctx.update(size=rng.choice(product.sizes), waist=str(rng.randint(62, 80)))
        ctx.update(hip=str(rng.randint(86, 104)), spec=f"{color}{ctx['size']}码")
    elif kind == "kid":
        baby = max(int(s) for s in product.sizes) <= 90
        kid_h = rng.randint(58, 88) if baby else rng.randint(95, 140)
        ctx.update(
            kid_h=str(kid_h),
            kid_w=str(rng.randint(10, 24) if baby else rng.randint(28, 70)),
            age=f"{rng.randint(3, 18)}个月" if baby else f"{rng.randint(3, 9)}岁",
            size=next((s for s in product.sizes if int(s) >= kid_h), product.sizes[-1]),
        )
        ctx["spec"] = f"{color}{ctx['size']}码"
    elif kind == "shoe":
        shoe = rng.randint(35, 43)
        size = next((s for s in product.sizes if shoe <= int(s.split("-")[1])), product.sizes[-1])
        ctx.update(shoe=str(shoe), size=size, spec=f"{color}{size}码")
    elif kind == "dims":
        ctx.update(size=rng.choice(product.sizes))
        ctx["spec"] = f"{color}{ctx['size']}的"


def _pick_order(rng: random.Random, orders: Sequence[DemoOrder], statuses: Sequence[str]) -> DemoOrder | None:
    fitting = [o for o in orders if o.status in statuses]
    return rng.choice(fitting) if fitting else None


# --- what buyers say, per scenario -------------------------------------------------------------------------

_SIZE_PLANS: Final[dict[str, _Plan]] = {
    "letter": _Plan(
        opening=(
            "你好，这款{short}我身高{h}，体重{w}斤，穿什么码合适？",
            "亲，{title}偏大还是偏小呀？",
            "请问{short}有尺码表吗？我{h}cm，{w}斤",
            "{short}，{h}/{w}斤选{pair}？",
            "这个{short}是正码吗？平时穿{size}",
        ),
        followups=(
            "是宽松版型吗？想穿得宽松一点",
            "洗了会缩水吗？",
            "长度大概多少？我个子不高怕太长",
            "我比较壮，穿着会不会紧？",
            "那我拍{size}了哈，不合适能换吗？",
        ),
        answers=("身高{h}，体重{w}斤，平时穿{size}",),
        triggers=("身高", "体重", "平时穿"),
        closing_ok="好的，那我拍{size}了，谢谢～",
    ),
    "waist": _Plan(
        opening=("这款{short}腰围{waist}cm穿几码？", "我平时穿{size}码的裤子，{short}会不会偏小？"),
        followups=("裤长会不会太长？我身高{h}", "有弹力吗？", "那我拍{size}码吧"),
        answers=("腰围{waist}cm，臀围{hip}cm，身高{h}",),
        triggers=("腰围", "臀围", "身高"),
        closing_ok="好的，那我拍{size}码，谢谢～",
    ),
    "kid": _Plan(
        opening=("宝宝{kid_h}cm，{kid_w}斤，{short}选哪个码？", "给{age}的宝宝买，{short}穿多大的？"),
        followups=("是A类面料吗？宝宝皮肤敏感", "会不会缩水？要不要买大一码", "那就拍{size}吧"),
        answers=("宝宝{kid_h}cm，{kid_w}斤",),
        triggers=("身高", "体重", "多高", "多重"),
        closing_ok="好的，那拍{size}，谢谢亲～",
    ),
    "shoe": _Plan(
        opening=("平时穿{shoe}码的鞋，{short}选哪个码？", "{short}偏大还是偏小？我{shoe}码的脚"),
        followups=("脚背比较高，会不会挤脚？", "冬天穿袜子也能穿吗？", "那就拍{size}吧"),
        answers=("平时穿{shoe}码",),
        triggers=("多大", "几码", "平时穿"),
        closing_ok="好的，那我拍{size}，谢谢～",
    ),
    "dims": _Plan(
        opening=("{short}选{size}的合适吗？不太确定尺寸", "请问{short}的尺寸准吗？想买{size}的"),
        followups=("尺寸会有误差吗？", "可以定做别的尺寸吗？", "那我拍{size}的"),
        closing_ok="好的，那我拍{size}的，谢谢～",
    ),
}

_PLANS: Final[dict[str, _Plan]] = {
    "stock_out": _Plan(
        opening=(
            "{short}的{color}什么时候补货呀？一直显示没货",
            "亲，{title}还会补货吗？",
            "{short}怎么拍不了了？还有吗？",
        ),
        followups=("大概要等几天？", "补货了能提醒我一下吗？", "有类似的款推荐吗？"),
        closing_ok="好的，那我先收藏了，到货了叫我哈",
        closing_no="好吧，那我去看看别的",
    ),
    "stock_in": _Plan(
        opening=(
            "{short}{spec}还有货吗？",
            "这个{short}现在拍有现货吗？还是预售？",
            "{short}{color}的还有吗？",
        ),
        followups=("我要两件，库存够吗？", "那{other_color}也有吗？", "现在拍今天能发吗？"),
        closing_ok="好的，那我现在拍",
    ),
    "ship_paid": _Plan(
        opening=(
            "我{when}拍的订单{order}怎么还没发货？",
            "亲，订单{order}什么时候能发货呀？着急用",
            "请问{order}这单发了吗？",
        ),
        followups=(
            "能加急吗？周末要出门",
            "发什么快递呀？能发顺丰吗？",
            "今天能发出去吗？",
            "发货了跟我说一声哈",
        ),
        closing_ok="好的，麻烦尽快哈，谢谢",
        closing_no="啊，那好吧，尽快吧",
    ),
    "ship_shipped": _Plan(
        opening=(
            "我的快递到哪了？单号{tracking}好几天没动了",
            "订单{order}物流一直没更新，是不是丢件了？",
            "亲，帮我查一下{order}到哪了，{when}拍的还没到",
        ),
        followups=(
            "能帮我催一下快递吗？",
            "大概什么时候能到{city}？",
            "快递员电话能给我一下吗？",
            "要是丢了怎么办？",
        ),
        closing_ok="好的，那我再等等，谢谢～",
    ),
    "ship_none": _Plan(
        opening=("今天下单什么时候能发货呀？", "{short}拍了几天能到{city}？", "发什么快递？能发顺丰吗？"),
        followups=("能指定快递吗？", "下午四点前拍今天能发吗？", "{city}包邮吗？"),
        closing_ok="好的，那我现在拍",
    ),
    "address_open": _Plan(
        opening=(
            "订单{order}地址填错了，能帮我改一下吗？",
            "亲，我刚拍的{order}还没发货吧？想改个地址",
            "能帮我把订单{order}的收货地址改一下吗？搬家了",
        ),
        followups=("改好了吗？", "电话也改一下，换成{phone}", "改好了麻烦跟我说一声"),
        answers=("改成{new_address}，收件人不变",),
        triggers=("地址", "发给我", "发我", "新的"),
        closing_ok="好的，谢谢亲～辛苦了",
        closing_no="啊？那怎么办呀",
    ),
    "address_shipped": _Plan(
        opening=("订单{order}已经发货了，地址还能改吗？我填成老地址了", "{order}这单能改地址吗？写错了"),
        followups=("那能联系快递转寄吗？", "拒收的话运费谁出？"),
        answers=("新地址是{new_address}",),
        triggers=("地址", "发给我", "发我"),
        closing_ok="好的，那我联系快递试试",
        closing_no="好吧，那我自己联系快递",
    ),
    "address_none": _Plan(
        opening=("下单之后还能改地址吗？", "我想寄到公司，下单的时候备注地址可以吗？"),
        followups=("发货前都能改吗？", "能寄到快递驿站吗？"),
        closing_ok="好的，知道了，谢谢",
    ),
    "refund_delivered": _Plan(
        opening=(
            "订单{order}我想退货，衣服不太合适",
            "收到了，{short}颜色和图片差太多了，能退吗？",
            "{short}用着不舒服，能退货退款吗？",
        ),
        followups=("退货运费谁出呀？", "有运费险吗？", "退货地址发我一下", "寄回去以后多久能退款？"),
        answers=("照片发你了，你看一下", "就是不太合适，不影响二次销售的"),
        triggers=("照片", "图片", "拍", "原因"),
        closing_ok="好的，那我今天寄回去",
        closing_no="啊？那我要的话怎么办",
    ),
    "refund_shipped": _Plan(
        opening=("订单{order}还没收到，不想要了，能退款吗？", "还在路上的{order}能拦截吗？不想要了"),
        followups=("要我拒收吗？", "拒收以后多久退款？"),
        closing_ok="好的，那我拒收",
    ),
    "refund_paid": _Plan(
        opening=("刚拍的{order}不想要了，能取消吗？还没发货吧", "拍错了，订单{order}帮我取消一下"),
        followups=("退款多久到账？", "我重新拍一单可以吗？"),
        closing_ok="好的，谢谢～",
    ),
    "refund_refunding": _Plan(
        opening=("我的退款申请怎么还没处理？订单{order}", "订单{order}退货已经寄回去了，什么时候退款？"),
        followups=("退货单号{return_tracking}，你们查一下", "已经好几天了", "今天能处理吗？"),
        closing_ok="好的，尽快哈",
        closing_no="那要等到什么时候？",
    ),
    "refund_refunded": _Plan(
        opening=("订单{order}显示退款成功了，钱怎么还没到账？", "{order}的退款退到哪里了？没看到钱"),
        followups=("我支付宝没看到", "要几个工作日？"),
        closing_ok="好的，那我再等等",
    ),
    "refund_none": _Plan(
        opening=("你们支持七天无理由退货吗？", "买了不合适能退吗？"),
        followups=("退货运费谁出？", "贴身的东西能退吗？"),
        closing_ok="好的，知道了",
    ),
    "exchange_delivered": _Plan(
        opening=(
            "订单{order}收到的{short}小了，能换大一码吗？",
            "{short}能换个颜色吗？想换{other_color}",
            "收到的{short}尺码不合适，想换个码",
        ),
        followups=(
            "换货运费怎么算？",
            "寄回的时候要写什么吗？",
            "换的那件什么时候能发出？",
            "{other_color}还有货吧？",
        ),
        answers=("想换{other_color}的", "照片发你了"),
        triggers=("颜色", "尺码", "哪个码", "照片", "拍"),
        closing_ok="好的，那我明天寄回",
        closing_no="啊，那只能退了吗？",
    ),
    "exchange_faulty": _Plan(
        opening=(
            "订单{order}收到的{short}有点瑕疵，能换个新的吗？",
            "{short}收到有点问题，不想退，能换一个吗？",
        ),
        followups=("换货运费谁出？", "寄回的时候要写什么吗？", "新的什么时候能发出？"),
        answers=("照片发你了，你看一下",),
        triggers=("照片", "图片", "拍"),
        closing_ok="好的，那我明天寄回",
        closing_no="啊，那只能退了吗？",
    ),
    "exchange_none": _Plan(
        opening=("{short}买了不合适可以换吗？", "如果尺码不合适，能换吗？"),
        followups=("换货要自己出运费吗？", "换货要多久？"),
        closing_ok="好的，那我放心拍了",
    ),
    "haggle": _Plan(
        opening=(
            "{short}能便宜点吗？",
            "有没有优惠券呀？想买{short}",
            "{short}买两件能打折吗？",
            "老客户了，{short}能送点小礼物吗？",
            "{short}{price}有点贵，{lower}卖不卖？",
        ),
        followups=("包邮吗？", "那送个运费险吧", "别家才卖{lower}", "能再少点吗？真心想要", "会员有折扣吗？"),
        closing_ok="好的，那我去领券下单了",
        closing_no="好吧，那我再考虑考虑",
    ),
    "angry_delivered": _Plan(
        opening=(
            "订单{order}收到的东西质量太差了！线头到处都是",
            "你们发错货了！订单{order}我买的{color}，给我发的{other_color}",
            "订单{order}少发了一件，怎么回事？",
            "{short}洗一次就掉色，还把别的衣服染了，什么质量！",
            "收到的{short}有个洞，你们发货前不检查的吗？",
        ),
        followups=(
            "我要求全额退款",
            "再不处理我就投诉到平台了",
            "你们必须给我个说法",
            "这种质量还卖这么贵？",
        ),
        answers=("照片发你了，自己看！",),
        triggers=("照片", "图片", "拍"),
        closing_ok="行吧，尽快处理，我等着",
        closing_no="那我只能给差评了",
        min_followups=1,
    ),
    "angry_shipped": _Plan(
        opening=(
            "快递一个星期都没动，你们到底发没发？订单{order}",
            "订单{order}催了几次了还没到，再不处理我就投诉了",
        ),
        followups=("每次都说在催，有用吗？", "今天必须给我个准信", "不行就退款"),
        closing_ok="行吧，我再等两天",
        closing_no="那我直接申请退款了",
        min_followups=1,
    ),
    "angry_refunding": _Plan(
        opening=(
            "退款申请好几天了都没人处理，再不处理我就投诉了！订单{order}",
            "退货都寄回去了，钱呢？？订单{order}",
        ),
        followups=("每次都让我等", "今天不退款我就找平台介入", "你们就是拖着不处理"),
        closing_ok="行，今天必须到账",
        closing_no="那我找平台介入了",
        min_followups=1,
    ),
    "angry_none": _Plan(
        opening=("问了半天都没人理，什么服务态度", "你们家东西跟图片完全不一样，太坑了"),
        followups=("我要投诉", "你们就是这么做生意的？", "别跟我说抱歉，说怎么处理"),
        closing_ok="算了，这次就这样吧",
        closing_no="以后再也不来了",
        min_followups=1,
    ),
    "greeting_hello": _Plan(
        opening=("在吗？", "你好", "亲在吗", "有人吗？"),
        followups=("我想问下{short}是纯棉的吗？", "{short}还有货吗？", "{short}会起球吗？"),
        closing_ok="好的，谢谢～",
        min_followups=1,
    ),
    "greeting_other": _Plan(
        opening=(
            "可以开发票吗？",
            "能帮我包装成礼物吗？送人的",
            "你们有实体店吗？",
            "新品什么时候上呀？",
            "{short}是什么面料的？会起球吗？",
            "{short}可以机洗吗？",
        ),
        followups=("还有一个问题，{short}会掉色吗？", "能开公司抬头吗？"),
        closing_ok="好的，谢谢亲～",
    ),
}

_NAGS_MILD: Final = ("在吗？", "人呢？", "有人吗？", "亲，还在吗？", "客服在吗", "回一下呀")
_NAGS_IMPATIENT: Final = ("？？？", "怎么不说话了？", "人呢？？", "还有人吗，等好久了", "能不能回一下")
_NAGS_ANGRY: Final = ("人呢？？？", "装死是吧？", "再不回复我就投诉了！", "到底有没有人管？")
_GIVE_UP: Final = ("算了，不问了", "等半天没人回，算了", "算了，我去别家看看")
_GIVE_UP_ANGRY: Final = ("行，我直接找平台投诉了", "不回是吧，等着差评吧")
_THANKS: Final = ("好的，谢谢亲！", "好嘞，麻烦了～", "谢谢，辛苦了", "好的好的，谢谢～", "明白了，谢谢")
_SHRUG: Final = ("嗯嗯，知道了", "好的", "行", "哦哦，好的")
_ACK: Final = ("好的，", "嗯嗯，", "哦哦，", "好，")
_DOUBT: Final = ("啊，", "这样啊，", "啊？", "额，")
_SCOLD: Final = ("道歉有什么用，", "别光说抱歉，", "")


def _plan_key(
    rng: random.Random, scenario: Scenario, orders: Sequence[DemoOrder]
) -> tuple[str, DemoOrder | None]:
    """Which plan fits this buyer's orders, and the order it is about (None: a question without an order)."""

    def pick(*statuses: str) -> DemoOrder | None:
        return _pick_order(rng, orders, statuses)

    if scenario is Scenario.SHIPPING:
        for key, status in (("ship_paid", "paid"), ("ship_shipped", "shipped")):
            order = pick(status)
            if order is not None and rng.random() < 0.8:
                return key, order
        return "ship_none", None
    if scenario is Scenario.ADDRESS:
        if (order := pick("unpaid", "paid")) is not None:
            return "address_open", order
        if (order := pick("shipped")) is not None and rng.random() < 0.6:
            return "address_shipped", order
        return "address_none", None
    if scenario is Scenario.REFUND:
        order = pick("delivered", "shipped", "paid", "refunding", "refunded")
        return ("refund_none", None) if order is None else (f"refund_{order.status}", order)
    if scenario is Scenario.EXCHANGE:
        order = pick("delivered")
        return ("exchange_none", None) if order is None else ("exchange_delivered", order)
    if scenario is Scenario.ANGRY:
        order = pick("delivered", "shipped", "refunding")
        return ("angry_none", None) if order is None else (f"angry_{order.status}", order)
    if scenario is Scenario.GREETING:
        return rng.choice(("greeting_hello", "greeting_other")), None
    if scenario is Scenario.HAGGLE:
        return "haggle", None
    return "stock", None  # SIZE and STOCK are resolved by the caller from the product


def _fill(template: str, ctx: Mapping[str, str]) -> str:
    return template.format_map(ctx)


def start_conversation(
    rng: random.Random, shop: DemoShop, buyer: DemoBuyer, scenario: Scenario | None = None
) -> BuyerScript:
    """A new conversation for ``buyer``: the scenario is drawn by :data:`SCENARIO_WEIGHTS` unless given."""
    if scenario is None:
        scenario = rng.choices(list(SCENARIO_WEIGHTS), weights=list(SCENARIO_WEIGHTS.values()))[0]
    orders = shop.orders_of(buyer.id)
    key, order = _plan_key(rng, scenario, orders)

    product: DemoProduct | None = None
    if order is not None:
        bought = [p for p in (shop.product(i.product_id) for i in order.items) if p is not None]
        if scenario is Scenario.EXCHANGE:  # rather the item that has a size to change
            bought.sort(key=lambda p: _size_kind(p) in ("none", "dims"))
        product = bought[0] if bought else None
    if scenario is Scenario.SIZE:
        product = rng.choice([p for p in shop.products if p.sizes] or list(shop.products))
        plan = _SIZE_PLANS.get(_size_kind(product), _SIZE_PLANS["dims"])
    else:
        if product is None:
            product = rng.choice(shop.products)
        if scenario is Scenario.STOCK:
            key = "stock_out" if product.stock == 0 or rng.random() < 0.25 else "stock_in"
        if key == "exchange_delivered" and _size_kind(product) in ("none", "dims"):
            key = "exchange_faulty"  # nothing to change the size of: a new one instead
        plan = _PLANS[key]

    ctx: dict[str, str] = {"city": _city(buyer.address_masked), "phone": random_phone(rng)[0]}
    _product_context(rng, product, ctx)
    new_address, _ = random_address(rng)
    ctx.update(new_address=new_address, return_tracking=random_tracking_no(rng))
    if order is not None:
        ctx.update(
            order=order.id,
            when=_when(shop.now_ms, order.created_at),
            tracking=order.tracking_no or order.id,
        )

    count = rng.randint(min(plan.min_followups, len(plan.followups)), min(MAX_FOLLOWUPS, len(plan.followups)))
    chosen = sorted(rng.sample(range(len(plan.followups)), count))
    script = BuyerScript(
        scenario=scenario,
        buyer_id=buyer.id,
        opening=_fill(rng.choice(plan.opening), ctx),
        product_id=product.id,
        order_id=order.id if order is not None else None,
        followups=[_fill(plan.followups[i], ctx) for i in chosen],
        answers=[_fill(rng.choice(plan.answers), ctx)] if plan.answers else [],
        answer_triggers=plan.triggers,
        closing_ok=_fill(plan.closing_ok, ctx),
        closing_no=_fill(plan.closing_no, ctx),
        patience=rng.randint(1, 2) if scenario is Scenario.ANGRY else rng.randint(2, 3),
    )
    script.lines.append(script.opening)
    return script


def _say(script: BuyerScript, line: str) -> str:
    script.lines.append(line)
    return line


def _finish(script: BuyerScript, line: str | None) -> str | None:
    script.done = True
    return None if line is None else _say(script, line)


def next_line(script: BuyerScript, rng: random.Random, agent_reply_text: str | None) -> str | None:
    """The buyer's next line after the agent's reply (``None``: no reply in time), or None when done."""
    if script.done:
        return None
    angry = script.scenario is Scenario.ANGRY
    if len(script.lines) >= MAX_BUYER_LINES:
        return _finish(script, None)

    if agent_reply_text is None:
        if script.nags >= script.patience:
            script.gave_up = True
            return _finish(script, rng.choice(_GIVE_UP_ANGRY if angry else _GIVE_UP))
        script.nags += 1
        pool = _NAGS_ANGRY if angry else _NAGS_MILD if script.nags == 1 else _NAGS_IMPATIENT
        return _say(script, rng.choice(pool))

    script.replies += 1
    reply = agent_reply_text
    negative = any(word in reply for word in _NEGATIVE)
    positive = not negative and any(word in reply for word in _POSITIVE)
    apology = any(word in reply for word in _APOLOGY)

    if script.answers and any(word in reply for word in script.answer_triggers):
        return _say(script, script.answers.pop(0))

    if script.followups:
        line = script.followups.pop(0)
        if angry and apology and rng.random() < 0.5:
            line = rng.choice(_SCOLD) + line
        elif not angry and positive and rng.random() < 0.4:
            line = rng.choice(_ACK) + line
        elif not angry and negative and rng.random() < 0.5:
            line = rng.choice(_DOUBT) + line
        return _say(script, line)

    # Nothing left to ask: say goodbye (or just leave).
    if negative:
        script.displeased = True
        return _finish(script, script.closing_no)
    if positive or (angry and apology):
        script.pleased = True
        closing = script.closing_ok if angry or rng.random() < 0.6 else rng.choice(_THANKS)
        return _finish(script, closing)
    if angry:
        return _finish(script, "你们看着办吧")
    return _finish(script, None if rng.random() < 0.2 else rng.choice(_SHRUG))


_SCORE_WEIGHTS_ANGRY: Final = (40, 30, 18, 8, 4)
_SCORE_WEIGHTS_CALM: Final = (2, 3, 10, 25, 60)


def wants_to_rate(rng: random.Random, script: BuyerScript) -> int | None:
    """A satisfaction score 1..5 if the buyer rates the conversation, else None.

    Angry buyers and those who gave up rate more often and lower; nagging and refusals pull the score down.
    """
    angry = script.scenario is Scenario.ANGRY
    if rng.random() >= (0.8 if angry or script.gave_up else 0.55):
        return None
    weights = _SCORE_WEIGHTS_ANGRY if angry else _SCORE_WEIGHTS_CALM
    score = rng.choices((1, 2, 3, 4, 5), weights=weights)[0]
    score -= script.nags // 2
    if script.displeased:
        score -= 1
    if script.pleased and rng.random() < 0.3:
        score += 1
    if script.gave_up:
        score = min(score, rng.choice((1, 2)))
    return max(1, min(5, score))
