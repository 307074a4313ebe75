"""The demo shop: agents, buyers, products, orders and team quick replies, generated from a seed.

Pure data, no I/O, no clock, no global random: :func:`build_demo_shop` draws everything from
``random.Random(seed)`` and dates everything relative to the ``now_ms`` it is given, so the same
``(seed, now_ms)`` always gives an equal :class:`DemoShop`.

What the seed changes: buyers (nicknames, levels, tags, notes, phones, addresses, dates), product stock and
orders. What it does not: the shop, the agents (usernames, names, :data:`DEMO_PASSWORD`, capacities), the
product catalogue (ids, titles, prices, sizes, colours) and the team quick replies (groups, shortcuts, texts).

Full phone numbers and addresses (``phone_full``, ``address_full``) stay on the server; the converters to
protocol objects (:func:`to_protocol_customer`, :func:`to_protocol_order`) only ever use the masked ones.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, get_args

from desktop.protocol.objects import Customer, Order, OrderItem, OrderStatus, QuickReplyDraft

DEMO_SHOP_ID: Final = "demo"
DEMO_SHOP_NAME: Final = "小鹿家居旗舰店"
#: The one password of every demo agent (documented for demos; never use the demo shop in production).
DEMO_PASSWORD: Final = "demo123"
#: 2025-11-24 16:00:00 UTC, the default "now" so that a bare ``build_demo_shop()`` is reproducible.
DEFAULT_NOW_MS: Final = 1_764_000_000_000
BUYER_COUNT: Final = 200
MIN_ORDER_COUNT: Final = 300
#: The placeholders a quick reply may hold; the client fills them in before sending.
QUICK_REPLY_PLACEHOLDERS: Final = ("{customer.nickname}", "{order.id}", "{agent.name}")
#: Orders whose money the shop has (or holds): they count towards a buyer's spend. ``closed`` means closed
#: without payment (timed out or cancelled), ``refunded`` means the money went back.
SPEND_STATUSES: Final[frozenset[OrderStatus]] = frozenset({"paid", "shipped", "delivered", "refunding"})
ORDER_STATUSES: Final[tuple[OrderStatus, ...]] = get_args(OrderStatus)

_MINUTE: Final = 60_000
_HOUR: Final = 60 * _MINUTE
_DAY: Final = 24 * _HOUR


@dataclass(frozen=True)
class DemoAgent:
    username: str
    password: str
    name: str
    max_concurrent: int


@dataclass(frozen=True)
class DemoBuyer:
    id: str
    nickname: str
    level: str
    tags: tuple[str, ...]
    note: str
    phone_full: str
    phone_masked: str
    address_full: str
    address_masked: str
    first_seen: int
    last_seen: int


@dataclass(frozen=True)
class DemoProduct:
    id: str
    title: str
    price_cents: int
    stock: int
    sizes: tuple[str, ...]
    colors: tuple[str, ...]


@dataclass(frozen=True)
class DemoOrder:
    """An order; ``items`` is a list of protocol ``OrderItem``s (treat it as read-only)."""

    id: str
    customer_id: str
    status: OrderStatus
    items: list[OrderItem]
    total_cents: int
    created_at: int
    tracking_no: str | None


@dataclass(frozen=True)
class DemoQuickReply:
    group: str
    shortcut: str
    text: str


@dataclass(frozen=True)
class DemoShop:
    """The whole demo shop. ``orders`` is sorted oldest first; look-ups are indexed."""

    shop_id: str
    name: str
    now_ms: int
    agents: tuple[DemoAgent, ...]
    buyers: tuple[DemoBuyer, ...]
    products: tuple[DemoProduct, ...]
    orders: tuple[DemoOrder, ...]
    quick_replies: tuple[DemoQuickReply, ...]
    _buyers_by_id: dict[str, DemoBuyer] = field(init=False, repr=False, compare=False)
    _products_by_id: dict[str, DemoProduct] = field(init=False, repr=False, compare=False)
    _orders_by_id: dict[str, DemoOrder] = field(init=False, repr=False, compare=False)
    _orders_by_customer: dict[str, tuple[DemoOrder, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_customer: dict[str, list[DemoOrder]] = {}
        for order in self.orders:
            by_customer.setdefault(order.customer_id, []).append(order)
        object.__setattr__(self, "_buyers_by_id", {b.id: b for b in self.buyers})
        object.__setattr__(self, "_products_by_id", {p.id: p for p in self.products})
        object.__setattr__(self, "_orders_by_id", {o.id: o for o in self.orders})
        object.__setattr__(
            self,
            "_orders_by_customer",
            {cid: tuple(sorted(os, key=lambda o: (-o.created_at, o.id))) for cid, os in by_customer.items()},
        )

    def buyer(self, customer_id: str) -> DemoBuyer | None:
        return self._buyers_by_id.get(customer_id)

    def product(self, product_id: str) -> DemoProduct | None:
        return self._products_by_id.get(product_id)

    def order(self, order_id: str) -> DemoOrder | None:
        return self._orders_by_id.get(order_id)

    def agent(self, username: str) -> DemoAgent | None:
        return next((a for a in self.agents if a.username == username), None)

    def orders_of(self, customer_id: str) -> tuple[DemoOrder, ...]:
        """The buyer's orders, newest first (what ``orders.list`` returns)."""
        return self._orders_by_customer.get(customer_id, ())

    def orders_count(self, customer_id: str) -> int:
        """All of the buyer's orders, whatever their status."""
        return len(self.orders_of(customer_id))

    def total_spent_cents(self, customer_id: str) -> int:
        """Money of the buyer's paid-or-later orders, refunded and closed (unpaid) ones excluded."""
        return sum(o.total_cents for o in self.orders_of(customer_id) if o.status in SPEND_STATUSES)


# --- fixed parts: agents, catalogue, quick replies -------------------------------------------------------

AGENTS: Final = (
    DemoAgent("agent1", DEMO_PASSWORD, "客服小美", 6),
    DemoAgent("agent2", DEMO_PASSWORD, "客服阿杰", 8),
    DemoAgent("agent3", DEMO_PASSWORD, "客服糖糖", 5),
    DemoAgent("agent4", DEMO_PASSWORD, "客服小雨", 7),
    DemoAgent("agent5", DEMO_PASSWORD, "售后琳琳", 5),
)

_LETTER: Final = ("S", "M", "L", "XL", "XXL")
_LOUNGE: Final = ("M", "L", "XL", "XXL")
_WAIST: Final = ("25", "26", "27", "28", "29", "30")
_SLIPPER: Final = ("36-37", "38-39", "40-41", "42-43")

# (title, price in cents, sizes, colours)
_CATALOGUE: Final[tuple[tuple[str, int, tuple[str, ...], tuple[str, ...]], ...]] = (
    ("纯棉宽松短袖T恤 男女同款", 5900, _LETTER, ("白色", "黑色", "雾霾蓝", "燕麦色")),
    ("重磅纯棉圆领长袖T恤 打底衫", 7900, _LETTER, ("白色", "黑色", "灰色")),
    ("冰丝睡衣女夏季短袖套装 家居服", 12900, _LOUNGE, ("浅粉", "雾蓝", "杏色")),
    ("纯棉长袖睡衣女春秋款 可外穿家居服套装", 15900, _LOUNGE, ("奶白", "格纹蓝", "豆绿")),
    ("珊瑚绒睡袍男女加厚冬季浴袍", 13900, _LOUNGE, ("咖啡色", "粉色", "藏青")),
    ("法兰绒睡衣男士冬季加厚套装", 16900, ("L", "XL", "XXL", "3XL"), ("深灰", "藏青", "酒红")),
    ("莫代尔情侣家居服套装", 14900, _LETTER, ("浅灰", "米白", "雾蓝")),
    ("华夫格短袖开衫家居服", 9900, _LOUNGE, ("米白", "浅咖")),
    ("加绒连帽卫衣 宽松情侣款", 14900, _LETTER, ("黑色", "灰色", "燕麦色", "墨绿")),
    ("复古美式休闲运动裤 束脚卫裤", 8900, _LETTER, ("黑色", "灰色")),
    ("高腰阔腿牛仔裤女 显瘦直筒", 13900, _WAIST, ("浅蓝", "深蓝", "黑色")),
    ("冰丝阔腿裤女夏季垂感休闲裤", 7900, _LOUNGE, ("黑色", "卡其", "白色")),
    ("法式碎花连衣裙 收腰显瘦", 18900, ("S", "M", "L", "XL"), ("蓝色碎花", "黄色碎花")),
    ("针织开衫外套女 慵懒风", 15900, ("S", "M", "L"), ("燕麦色", "奶白", "浅紫")),
    ("羊毛混纺围巾 秋冬保暖", 6900, (), ("驼色", "酒红", "灰色", "格纹")),
    ("加厚羊羔绒外套 男女同款", 29900, _LETTER, ("奶白", "卡其")),
    ("轻薄羽绒服女短款 90白鸭绒", 39900, ("S", "M", "L", "XL"), ("黑色", "米白", "雾霾蓝")),
    ("速干运动短裤男 夏季", 4900, _LOUNGE, ("黑色", "藏青", "灰色")),
    ("纯棉中筒袜 5双装", 2990, (), ("黑白灰混装", "彩色混装")),
    ("软底居家拖鞋 防滑静音", 3590, _SLIPPER, ("米色", "灰色", "粉色")),
    ("毛绒棉拖鞋 冬季包跟", 4590, _SLIPPER, ("奶咖", "灰色", "粉色")),
    ("纯棉A类婴儿连体衣", 8900, ("59", "66", "73", "80", "90"), ("白色", "浅黄", "浅蓝")),
    ("儿童纯棉家居服套装", 9900, ("100", "110", "120", "130", "140"), ("小熊印花", "条纹")),
    ("全棉水洗棉四件套 简约床单被套", 29900, ("1.5m床", "1.8m床", "2.0m床"), ("奶白", "雾蓝", "浅灰")),
    ("纯棉纱布夏凉被 可机洗", 19900, ("150x200cm", "200x230cm"), ("白色", "浅粉", "浅蓝")),
    ("乳胶枕头 护颈枕 单只装", 12900, (), ("白色",)),
    ("加厚珊瑚绒毛毯 沙发盖毯", 8900, ("100x150cm", "150x200cm"), ("奶白", "灰色", "焦糖")),
    ("北欧风棉麻抱枕套 不含芯", 3990, ("45x45cm", "50x50cm"), ("米色", "灰色", "墨绿")),
    ("纯棉A类毛巾 3条装", 4990, (), ("白色", "浅灰", "雾蓝")),
    ("香薰蜡烛 无烟大豆蜡 礼盒装", 6900, (), ("白茶", "无花果", "雪松", "小苍兰")),
    ("无火香薰精油 卧室持久留香", 5900, (), ("白茶", "橙花", "檀香")),
    ("陶瓷马克杯 带盖带勺", 3900, (), ("奶白", "雾蓝", "豆绿")),
    ("日式棉麻桌布 茶几布", 4900, ("60x60cm", "90x140cm", "140x180cm"), ("米色格", "蓝色格")),
    ("可折叠布艺收纳箱 衣物整理箱 3个装", 7900, (), ("米色", "灰色")),
    ("硅藻泥浴室地垫 吸水速干", 5900, (), ("浅灰", "米白")),
    ("落地衣帽架 卧室简约", 12900, (), ("白色", "胡桃色")),
    ("纯棉浴巾 加大加厚", 7900, (), ("白色", "浅灰", "浅粉")),
    ("记忆棉坐垫 办公室久坐", 6900, (), ("灰色", "咖啡色")),
    ("遮光窗帘 卧室成品 挂钩款", 15900, ("宽1.5x高2.7m", "宽2.0x高2.7m", "宽3.0x高2.7m"), ("米白", "灰色")),
    ("竹纤维洗碗巾 10条装", 1990, (), ("混色",)),
    ("真丝眼罩 遮光睡眠", 3900, (), ("香槟", "黑色", "豆沙粉")),
    ("懒人沙发豆袋 可拆洗", 25900, (), ("米白", "灰色", "焦糖")),
)

_QUICK_REPLIES: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "问候": (
        (
            "hy",
            ("亲，您好！欢迎光临小鹿家居旗舰店，我是{agent.name}，很高兴为您服务～请问有什么可以帮您？"),
        ),
        ("zd", "在的亲，请问有什么可以帮您的呢？"),
        ("sd", "亲，请稍等一下，我这边帮您查询一下哦～"),
        ("xx", "不客气的亲，能为您服务很开心，有任何问题随时找{agent.name}哦～"),
        ("zj", "感谢您的光临，祝您生活愉快，期待您的再次光临～"),
        ("wa", "亲，时间不早了，早点休息哦，晚安～"),
        ("pj", "亲，如果对{agent.name}的服务满意的话，麻烦给个五星评价哦，谢谢您的支持！"),
        ("mq", "亲，现在咨询的人比较多，回复稍慢请您见谅，我会尽快回复您的～"),
        ("lk", "{customer.nickname}，欢迎回来！感谢您一直以来的支持，有什么需要随时跟我说哦～"),
    ),
    "售前": (
        ("cm", "亲，麻烦告诉我一下您的身高、体重和平时穿的尺码，我帮您推荐合适的尺码哦～"),
        ("cmb", "亲，每款商品详情页都有详细的尺码表，建议拿一件平时合身的衣服平铺测量后对照选择哦～"),
        ("ml", "亲，这款是100%纯棉面料，亲肤透气，洗后不易变形，请您放心选购～"),
        ("ss", "亲，纯棉面料初次洗涤会有1%–3%的正常缩水，建议冷水洗涤、不要暴晒哦～"),
        ("xh", "亲，页面能拍下的都是有现货的哦，下单后48小时内发货～"),
        ("bh", "亲，这个颜色尺码暂时缺货了，预计7–10天补货，您可以先收藏加购，到货后第一时间通知您～"),
        ("sc", "亲，我们的商品都是实物拍摄，但因为屏幕和光线不同，可能存在轻微色差，请以实物为准哦～"),
        ("zp", "亲，我们是品牌官方旗舰店，所有商品均为正品，请您放心购买～"),
        ("fp", "亲，可以开具电子发票的，确认收货后在订单详情页申请即可，抬头和税号填写正确就行～"),
        ("lw", "亲，可以的，下单时备注“礼物”，我们会帮您去掉价签并附上贺卡，送人更有心意哦～"),
        ("dp", "亲，这款搭配同系列的长裤效果更好哦，一起购买还能享受满减优惠～"),
    ),
    "优惠活动": (
        ("yh", "亲，目前店铺有满199减20、满299减40的活动，领券后下单更划算哦～"),
        ("yhq", "亲，店铺首页可以领取5元无门槛优惠券，下单时会自动抵扣的～"),
        ("kj", "亲，现在已经是活动价了，实在没办法再便宜了，不过可以送您一份运费险，您看可以吗？"),
        ("by", "亲，全店满69元包邮（新疆、西藏等偏远地区除外）哦～"),
        ("hyj", "{customer.nickname}，您是本店会员，下单可享受会员折扣，结算时会自动显示的哦～"),
        ("bj", "亲，本店支持15天价保，如果降价了可以联系客服退差价哦～"),
        ("dc", "亲，大促活动已经开始啦，全场低至五折，喜欢的宝贝可以先加购哦～"),
    ),
    "售中": (
        ("xd", "亲，您的订单{order.id}我们已经收到啦，仓库会尽快为您安排发货～"),
        ("hdz", "亲，麻烦您核对一下收货地址和电话是否正确，确认无误后我们就安排发货了～"),
        ("gdz", "亲，订单{order.id}还没有发货，可以修改地址的，麻烦把新的收货地址、姓名和电话发给我～"),
        ("ygd", "亲，地址已经帮您修改好了，请在订单详情里确认一下哦～"),
        (
            "bgd",
            ("亲，订单{order.id}已经发货了，没办法修改地址了，您可以联系快递员转寄，或者拒收后重新下单哦～"),
        ),
        ("bz", "亲，您的要求已经帮您备注好了，仓库发货时会按照备注处理的～"),
        ("qx", "亲，订单还没发货的话可以直接在订单页申请退款，我们这边会尽快为您处理～"),
        ("hb", "亲，您的几个订单我们会尽量合并发货，帮您节省等待时间～"),
        ("jj", "亲，已经帮您跟仓库备注加急了，会优先为您安排发货哦～"),
    ),
    "物流": (
        ("fh", "亲，我们是下单后48小时内发货的（预售商品以页面时间为准），请您耐心等待一下哦～"),
        ("kd", "亲，我们默认发中通或圆通快递，需要发顺丰的话补一下差价就可以哦～"),
        ("sf", "亲，可以发顺丰的，需要补12元运费差价，拍下补差链接并备注订单号即可～"),
        ("wl", "亲，订单{order.id}已经发货了，您可以在订单详情里查看物流信息，一般3–5天就能送达哦～"),
        ("wlm", "亲，非常抱歉让您久等了，最近快递量比较大，物流可能有延迟，我马上帮您联系快递催一下～"),
        ("cj", "亲，已经帮您联系快递催件了，有消息会第一时间通知您，请您再耐心等待一下哦～"),
        (
            "dj",
            (
                "亲，物流长时间没有更新，我们已经向快递公司提交核实了，"
                "确认丢件会为您补发或全额退款，请您放心～"
            ),
        ),
        ("ps", "亲，快递已经在派送中了，请您保持电话畅通哦～"),
        ("pyd", "亲，偏远地区运输时间会稍长一些，一般5–7天送达，请您谅解哦～"),
        ("qs", "亲，签收时请当面检查外包装，如有破损可以拒收，并第一时间联系我们哦～"),
    ),
    "催付": (
        ("cf", "亲，您在本店拍下的宝贝还没付款哦，库存有限，付款后我们会尽快为您发货～"),
        (
            "cfyh",
            (
                "{customer.nickname}，您的订单{order.id}还未付款，"
                "现在付款还能享受店铺满减优惠，过时就没有了哦～"
            ),
        ),
        ("cfkc", "亲，您看中的这款库存不多了，现在付款可以优先为您发货，别错过哦～"),
        ("cfgb", "亲，订单{order.id}将在24小时后自动关闭，如果还需要的话记得及时付款哦～"),
        ("fkwt", "亲，付款遇到问题了吗？可以换一种支付方式试试，或者把提示截图发我，我帮您看看～"),
        ("dfk", "亲，可以用亲友代付功能哦，在付款页面选择“找朋友帮忙付”就可以了～"),
    ),
    "售后": (
        ("sh", "亲，非常抱歉给您带来不好的体验，麻烦您拍几张商品问题的照片发给我，我马上帮您处理～"),
        ("zl", "亲，质量问题我们一定负责到底，您可以选择退货退款或者换新，来回运费都由我们承担～"),
        (
            "fc",
            (
                "亲，实在抱歉发错货了，是我们的失误，麻烦您拍照确认一下，"
                "我们马上为您补发，寄回的运费我们承担～"
            ),
        ),
        ("lf", "亲，非常抱歉，麻烦您提供一下外包装和收到商品的照片，核实后我们马上为您补发～"),
        ("bc", "亲，为了表示歉意，我们给您申请了10元无门槛优惠券作为补偿，希望您能谅解～"),
        ("dq", "{customer.nickname}，真的非常抱歉给您添麻烦了，您的问题{agent.name}一定跟进到底，请您放心～"),
        ("xy", "亲，建议冷水轻柔手洗，不可漂白，反面晾干，这样衣服能保持更久的版型和颜色哦～"),
        (
            "qq",
            (
                "亲，面料长时间摩擦可能会有轻微起球，可以用去球器处理；"
                "如果刚收到就严重起球，可以为您办理退换～"
            ),
        ),
        ("tscl", "亲，您反馈的问题我们非常重视，已经升级给售后主管处理，24小时内给您答复，请您放心～"),
    ),
    "退换货": (
        (
            "ty",
            (
                "亲，在订单详情页点击“申请售后”选择退货退款，"
                "填写原因后提交，审核通过后寄回商品并填写单号即可～"
            ),
        ),
        ("th", "亲，本店支持七天无理由退换货，商品吊牌完好、不影响二次销售就可以办理哦～"),
        (
            "hh",
            (
                "亲，可以换货的，麻烦在订单里申请换货并选好新的尺码颜色，"
                "收到退回的商品后我们第一时间给您寄出～"
            ),
        ),
        (
            "thdz",
            ("亲，退货地址：浙江省杭州市余杭区良睦路1399号 小鹿家居售后组，寄回时请备注订单号{order.id}～"),
        ),
        ("yfx", "亲，您的订单有运费险，退货时选择上门取件，运费会在退款完成后自动理赔到您的账户哦～"),
        ("tkdz", "亲，退款已经原路退回了，支付宝余额一般即时到账，银行卡1–3个工作日，请注意查收～"),
        ("tksh", "亲，我们收到退回的商品后会在48小时内审核并退款，请您耐心等待哦～"),
        ("tk", "亲，已经为您同意退款申请了，请留意账户到账情况～"),
        ("bzc", "亲，很抱歉，袜子、眼罩这类贴身用品拆封后不支持无理由退换，如有质量问题可以为您处理哦～"),
        ("hhfc", "亲，您的换货商品已经寄出了，新的快递单号可以在售后详情里查看～"),
        ("tkjd", "亲，订单{order.id}的退款正在处理中，我这边帮您催一下，请您再耐心等一下～"),
    ),
}

QUICK_REPLIES: Final = tuple(
    DemoQuickReply(group, shortcut, text) for group, rows in _QUICK_REPLIES.items() for shortcut, text in rows
)

# --- pools for buyers ----------------------------------------------------------------------------------

_ADJECTIVES: Final = (
    "爱吃草莓的",
    "不吃香菜的",
    "会飞的",
    "安静的",
    "快乐的",
    "想睡觉的",
    "熬夜的",
    "软萌",
    "慢吞吞的",
    "爱笑的",
    "想吃火锅的",
    "元气",
    "迷路的",
    "温柔的",
)
_NOUNS: Final = (
    "小熊",
    "猫咪",
    "兔子",
    "橘子",
    "芒果",
    "小鱼",
    "小鹿",
    "星星",
    "月亮",
    "西瓜",
    "柠檬",
    "小狗",
    "奶茶",
    "栗子",
    "团子",
    "饭团",
)
_GIVEN: Final = ("美", "雪", "琳", "杰", "涛", "婷", "敏", "静", "磊", "燕", "芳", "慧", "伟", "强")
_SUFFIXES: Final = ("酱", "呀", "同学", "本人", "宝宝", "大人", "")
_PINYIN: Final = (
    "xiaoyu",
    "linlin",
    "chenjie",
    "momo",
    "tiantian",
    "wangfang",
    "lele",
    "zhangwei",
    "yuanyuan",
    "xiaomi",
    "jiajia",
    "liuyang",
    "doudou",
    "huanhuan",
    "sisi",
    "haoran",
)
_ENGLISH: Final = ("Annie", "Coco", "Lily", "Kevin", "Vivian", "Jason", "Cherry", "Emma", "Leo", "Amy")
_SURNAMES: Final = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "林", "郑")
_LEVELS: Final = (  # (minimum spend in cents, level), highest first
    (150_000, "钻石会员"),
    (80_000, "金卡会员"),
    (20_000, "银卡会员"),
    (0, "普通会员"),
)
_TAG_POOL: Final = (
    "爱砍价",
    "大码",
    "学生",
    "宝妈",
    "敏感客户",
    "送礼",
    "偏爱纯棉",
    "小个子",
    "催发货",
    "企业采购",
)
_NOTES: Final = (
    "要求发顺丰，愿意补运费",
    "上次发错颜色，已补偿5元无门槛券",
    "喜欢宽松款，一般穿L码",
    "只能周末收货，工作日公司前台代收",
    "皮肤敏感，只买纯棉",
    "曾因物流慢给过中评，发货前主动告知",
    "送礼用，需要礼盒包装、去掉价签",
    "身高158，体重90斤，偏爱S码",
    "公司团购联系人，开专票",
)
_PHONE_PREFIXES: Final = (
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
    "158",
    "159",
    "166",
    "177",
    "180",
    "181",
    "185",
    "186",
    "187",
    "188",
    "189",
    "198",
    "199",
)
_REGIONS: Final = (
    "浙江省杭州市西湖区",
    "浙江省杭州市余杭区",
    "浙江省宁波市鄞州区",
    "浙江省温州市鹿城区",
    "江苏省南京市鼓楼区",
    "江苏省苏州市工业园区",
    "江苏省无锡市梁溪区",
    "上海市浦东新区",
    "上海市徐汇区",
    "上海市闵行区",
    "北京市朝阳区",
    "北京市海淀区",
    "广东省广州市天河区",
    "广东省深圳市南山区",
    "广东省东莞市南城街道",
    "福建省厦门市思明区",
    "四川省成都市武侯区",
    "重庆市渝北区",
    "湖北省武汉市洪山区",
    "湖南省长沙市岳麓区",
    "山东省青岛市市南区",
    "山东省济南市历下区",
    "河南省郑州市金水区",
    "陕西省西安市雁塔区",
    "安徽省合肥市蜀山区",
    "天津市南开区",
    "辽宁省沈阳市和平区",
    "云南省昆明市五华区",
    "江西省南昌市红谷滩区",
    "广西壮族自治区南宁市青秀区",
)
_STREETS: Final = (
    "文三路",
    "中山北路",
    "人民路",
    "解放路",
    "建设路",
    "滨江大道",
    "科技园路",
    "长江路",
    "学院路",
    "新华路",
    "友谊路",
    "金沙江路",
    "凤凰路",
    "望京街",
)
_COMPOUNDS: Final = (
    "阳光花园",
    "金色家园",
    "翠苑一区",
    "万科城",
    "桂花园",
    "幸福里",
    "锦绣华庭",
    "湖畔花园",
    "绿地新都会",
    "世纪名苑",
    "东方丽景",
    "和平小区",
)
_CARRIERS: Final = ("SF", "YT", "ZT", "JT", "YD")  # 顺丰, 圆通, 中通, 极兔, 韵达

# Order status: (relative weight, youngest age in hours, oldest age in hours).
_STATUS_PLAN: Final[dict[OrderStatus, tuple[int, int, int]]] = {
    "unpaid": (7, 0, 23),
    "paid": (10, 1, 72),
    "shipped": (14, 24, 7 * 24),
    "delivered": (42, 4 * 24, 730 * 24),
    "refunding": (7, 3 * 24, 30 * 24),
    "refunded": (8, 7 * 24, 730 * 24),
    "closed": (12, 24, 730 * 24),
}


# --- generation -----------------------------------------------------------------------------------------


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _nickname(rng: random.Random) -> str:
    kind = rng.randrange(7)
    if kind == 0:
        return rng.choice(_ADJECTIVES) + rng.choice(_NOUNS)
    if kind == 1:
        return rng.choice(_NOUNS) + rng.choice(_SUFFIXES) + rng.choice(("", "", "_" + _digits(rng, 2)))
    if kind == 2:
        return "tb" + _digits(rng, 10)
    if kind == 3:
        handle = rng.choice((str(rng.randint(1985, 2006)), _digits(rng, 4), "_" + _digits(rng, 2)))
        return rng.choice(_PINYIN) + handle
    if kind == 4:
        ending = rng.choice(("小姐", "宝贝", "_Z", "的小店", "酱", str(rng.randint(1, 99))))
        return rng.choice(_ENGLISH) + ending
    if kind == 5:
        return rng.choice(_SURNAMES) + rng.choice(("女士", "先生", "小姐姐", "同学", "老师", "大哥"))
    ending = rng.choice(("同学", "呀", "", "_" + _digits(rng, 3)))
    return rng.choice(("小", "阿", "大")) + rng.choice(_GIVEN) + ending


def random_phone(rng: random.Random) -> tuple[str, str]:
    """A mainland mobile number and its masked form (``138****5678``)."""
    full = rng.choice(_PHONE_PREFIXES) + _digits(rng, 8)
    return full, f"{full[:3]}****{full[-4:]}"


def random_address(rng: random.Random) -> tuple[str, str]:
    """A full delivery address and its masked form (the region followed by ``****``)."""
    region = rng.choice(_REGIONS)
    detail = (
        f"{rng.choice(_STREETS)}{rng.randint(1, 999)}号{rng.choice(_COMPOUNDS)}"
        f"{rng.randint(1, 30)}幢{rng.randint(1, 3)}单元{rng.randint(1, 33)}{rng.randint(1, 4):02d}室"
    )
    return region + detail, region + "****"


def random_tracking_no(rng: random.Random) -> str:
    """A courier tracking number such as ``SF1234567890123``."""
    return rng.choice(_CARRIERS) + _digits(rng, 13)


def _products(rng: random.Random) -> tuple[DemoProduct, ...]:
    products = []
    for i, (title, price, sizes, colors) in enumerate(_CATALOGUE, start=1):
        stock = 0 if rng.random() < 0.12 else rng.randint(3, 600)
        products.append(DemoProduct(f"p{i:03d}", title, price, stock, sizes, colors))
    return tuple(products)


def _order_item(rng: random.Random, product: DemoProduct) -> OrderItem:
    spec = [rng.choice(product.colors)] if product.colors else []
    if product.sizes:
        spec.append(rng.choice(product.sizes))
    title = f"{product.title}（{'，'.join(spec)}）" if spec else product.title
    qty = rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
    return OrderItem(product_id=product.id, title=title, qty=qty, price_cents=product.price_cents)


def _order(
    rng: random.Random,
    *,
    order_id: str,
    customer_id: str,
    status: OrderStatus,
    products: Sequence[DemoProduct],
    first_seen: int,
    now_ms: int,
) -> DemoOrder:
    _, youngest_h, oldest_h = _STATUS_PLAN[status]
    newest = now_ms - youngest_h * _HOUR - _MINUTE
    oldest = max(now_ms - oldest_h * _HOUR, first_seen)
    created_at = rng.randint(oldest, newest) if oldest < newest else newest - rng.randint(0, 12 * _HOUR)
    count = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
    items = [_order_item(rng, p) for p in rng.sample(list(products), count)]
    shipped = status in ("shipped", "delivered", "refunding", "refunded")
    tracking = random_tracking_no(rng) if shipped else None
    return DemoOrder(
        id=order_id,
        customer_id=customer_id,
        status=status,
        items=items,
        total_cents=sum(item.qty * item.price_cents for item in items),
        created_at=created_at,
        tracking_no=tracking,
    )


def _level(spent_cents: int) -> str:
    return next(level for minimum, level in _LEVELS if spent_cents >= minimum)


def build_demo_shop(seed: int = 0, now_ms: int = DEFAULT_NOW_MS) -> DemoShop:
    """Build the demo shop; equal ``(seed, now_ms)`` give equal shops (see the module docstring)."""
    rng = random.Random(seed)
    products = _products(rng)
    statuses = list(_STATUS_PLAN)
    status_weights = [plan[0] for plan in _STATUS_PLAN.values()]
    earliest = now_ms - 730 * _DAY

    nicknames: list[str] = []
    seen_names: set[str] = set()
    while len(nicknames) < BUYER_COUNT:
        name = _nickname(rng)
        if name not in seen_names:
            seen_names.add(name)
            nicknames.append(name)
    ids = [f"c{i:04d}" for i in range(1, BUYER_COUNT + 1)]
    first_seen = {cid: rng.randint(earliest, now_ms - 2 * _HOUR) for cid in ids}

    order_ids: set[str] = set()

    def new_order(customer_id: str, status: OrderStatus) -> DemoOrder:
        while True:
            order_id = "3" + _digits(rng, 18)  # Taobao-style 19-digit order number
            if order_id not in order_ids:
                order_ids.add(order_id)
                break
        return _order(
            rng,
            order_id=order_id,
            customer_id=customer_id,
            status=status,
            products=products,
            first_seen=first_seen[customer_id],
            now_ms=now_ms,
        )

    orders: list[DemoOrder] = []
    for cid in ids:
        if rng.random() < 0.2:
            continue  # a buyer who only ever asked questions
        count = rng.choices((1, 2, 3, 4, 5, 6, 8), weights=(28, 25, 18, 12, 8, 6, 3))[0]
        orders.extend(new_order(cid, rng.choices(statuses, weights=status_weights)[0]) for _ in range(count))
    # Make sure every status shows up and there are enough orders, whatever the seed.
    for status in statuses:
        if not any(o.status == status for o in orders):
            orders.append(new_order(rng.choice(ids), status))
    while len(orders) < MIN_ORDER_COUNT:
        orders.append(new_order(rng.choice(ids), rng.choices(statuses, weights=status_weights)[0]))
    orders.sort(key=lambda o: (o.created_at, o.id))

    by_customer: dict[str, list[DemoOrder]] = {}
    for order in orders:
        by_customer.setdefault(order.customer_id, []).append(order)

    buyers = []
    for cid, nickname in zip(ids, nicknames, strict=True):
        own = by_customer.get(cid, [])
        first = min([first_seen[cid], *(o.created_at - rng.randint(1, 30) * _MINUTE for o in own)])
        latest = max([first, *(o.created_at for o in own)])
        last = rng.randint(latest, now_ms)
        spent = sum(o.total_cents for o in own if o.status in SPEND_STATUSES)
        tags: list[str] = []
        if len(own) >= 4:
            tags.append("老客户")
        if sum(o.status in ("refunding", "refunded") for o in own) >= 2:
            tags.append("退货较多")
        extra = rng.choices((0, 1, 2, 3), weights=(40, 35, 18, 7))[0]
        tags.extend(t for t in rng.sample(_TAG_POOL, extra) if t not in tags)
        note = rng.choice(_NOTES) if rng.random() < 0.2 else ""
        phone_full, phone_masked = random_phone(rng)
        address_full, address_masked = random_address(rng)
        buyers.append(
            DemoBuyer(
                id=cid,
                nickname=nickname,
                level=_level(spent),
                tags=tuple(tags),
                note=note,
                phone_full=phone_full,
                phone_masked=phone_masked,
                address_full=address_full,
                address_masked=address_masked,
                first_seen=first,
                last_seen=last,
            )
        )

    return DemoShop(
        shop_id=DEMO_SHOP_ID,
        name=DEMO_SHOP_NAME,
        now_ms=now_ms,
        agents=AGENTS,
        buyers=tuple(buyers),
        products=products,
        orders=tuple(orders),
        quick_replies=QUICK_REPLIES,
    )


# --- to protocol objects (masked fields only) ------------------------------------------------------------


def to_protocol_customer(buyer: DemoBuyer, shop: DemoShop) -> Customer:
    """The buyer as agents see it: masked phone and address, order count and spend from ``shop``."""
    return Customer(
        id=buyer.id,
        nickname=buyer.nickname,
        level=buyer.level,
        tags=list(buyer.tags),
        note=buyer.note,
        phone_masked=buyer.phone_masked,
        address_masked=buyer.address_masked,
        orders_count=shop.orders_count(buyer.id),
        total_spent_cents=shop.total_spent_cents(buyer.id),
        first_seen=buyer.first_seen,
        last_seen=buyer.last_seen,
    )


def to_protocol_order(order: DemoOrder) -> Order:
    return Order(
        id=order.id,
        status=order.status,
        items=[
            OrderItem(product_id=i.product_id, title=i.title, qty=i.qty, price_cents=i.price_cents)
            for i in order.items
        ],
        total_cents=order.total_cents,
        created_at=order.created_at,
        tracking_no=order.tracking_no,
    )


def to_quick_reply_draft(reply: DemoQuickReply) -> QuickReplyDraft:
    """A team quick reply ready for the server's store (which gives it an ``id`` and ``updated_at``)."""
    return QuickReplyDraft(scope="team", group=reply.group, shortcut=reply.shortcut, text=reply.text)
