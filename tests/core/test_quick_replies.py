"""QuickReplyIndex: ranking tiers, pinyin, stable order, groups and updates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.quick_replies import Match, MatchTier, QuickReplyIndex
from desktop.protocol.objects import QuickReply
from tests.core.builders import quick_reply

REPLIES = [
    quick_reply("t1", "退款已经提交，预计1-3个工作日原路退回", group="售后", shortcut="tk"),
    quick_reply("t2", "亲，您好，很高兴为您服务", group="欢迎语", shortcut="hy"),
    quick_reply("t3", "物流显示已到达您所在城市的转运中心", group="物流"),
    quick_reply("t4", "这边帮您查询一下银行退款进度，请稍等", group="售后", shortcut="cx"),
    quick_reply("t5", "亲，这款目前有现货哦", group="欢迎语", shortcut="TKX"),
    quick_reply(
        "p1",
        "亲爱的{customer.nickname}，这款M码适合身高160-165cm",
        group="尺码",
        shortcut="cm",
        scope="personal",
    ),
    quick_reply("p2", "亲，退款申请已收到，马上处理", group="售后", shortcut="tkk", scope="personal"),
]


@pytest.fixture(scope="module")
def index() -> QuickReplyIndex:
    return QuickReplyIndex(REPLIES)


def found(matches: list[Match]) -> list[tuple[str, str]]:
    return [(match.reply.id, match.tier.name) for match in matches]


def test_shortcuts_come_first(index: QuickReplyIndex) -> None:
    assert found(index.search("tk")) == [
        ("t1", "SHORTCUT_EXACT"),
        ("p2", "SHORTCUT_PREFIX"),  # personal before team on ties
        ("t5", "SHORTCUT_PREFIX"),  # shortcut "TKX": case-insensitive
    ]
    assert found(index.search("TK"))[0] == ("t1", "SHORTCUT_EXACT")
    assert found(index.search("ｔｋ"))[0] == ("t1", "SHORTCUT_EXACT")  # full-width


def test_pinyin_initials_of_the_text(index: QuickReplyIndex) -> None:
    assert found(index.search("wlxs")) == [("t3", "INITIALS_PREFIX")]
    match = index.search("wlxs")[0]
    assert match.highlight == (0, 4)
    assert match.reply.text[slice(*match.highlight)] == "物流显示"


def test_group_initials(index: QuickReplyIndex) -> None:
    assert found(index.search("hyy")) == [("t2", "GROUP_INITIALS_PREFIX"), ("t5", "GROUP_INITIALS_PREFIX")]


def test_full_pinyin(index: QuickReplyIndex) -> None:
    matches = index.search("tuikuan")
    assert found(matches) == [("t1", "PINYIN_PREFIX"), ("p2", "PINYIN_SUBSTRING"), ("t4", "PINYIN_SUBSTRING")]
    assert [m.reply.text[slice(*m.highlight)] for m in matches if m.highlight] == ["退款", "退款", "退款"]
    tuik = index.search("tuik")  # ends mid-syllable: still matches while typing
    assert [m.reply.id for m in tuik] == ["t1", "p2", "t4"]
    assert index.search("uikuan") == []  # a match starts on a syllable


def test_polyphones(index: QuickReplyIndex) -> None:
    assert [m.reply.id for m in index.search("yinhang")] == ["t4"]  # pypinyin's reading in context
    assert [m.reply.id for m in index.search("yinxing")] == ["t4"]  # the other reading, indexed too


def test_chinese_substring(index: QuickReplyIndex) -> None:
    matches = index.search("退款")
    assert found(matches) == [("p2", "TEXT_SUBSTRING"), ("t1", "TEXT_SUBSTRING"), ("t4", "TEXT_SUBSTRING")]
    assert [m.highlight for m in matches] == [(2, 4), (0, 2), (10, 12)]
    assert found(index.search("m码")) == [("p1", "TEXT_SUBSTRING")]
    assert found(index.search("Ｍ码")) == [("p1", "TEXT_SUBSTRING")]


def test_group_substring_and_shortcut_substring(index: QuickReplyIndex) -> None:
    assert found(index.search("售后")) == [
        ("p2", "GROUP_SUBSTRING"), ("t1", "GROUP_SUBSTRING"), ("t4", "GROUP_SUBSTRING"),
    ]  # fmt: skip
    assert ("p2", "SHORTCUT_SUBSTRING") in found(index.search("kk"))


def test_placeholders_are_not_searched(index: QuickReplyIndex) -> None:
    assert index.search("nickname") == []
    assert index.search("customer") == []
    assert found(index.search("cm")) == [("p1", "SHORTCUT_EXACT")]


def test_empty_query_returns_everything_in_stable_order(index: QuickReplyIndex) -> None:
    assert [m.reply.id for m in index.search("")] == ["p1", "p2", "t1", "t4", "t2", "t5", "t3"]
    assert {m.tier for m in index.search("  ")} == {MatchTier.ALL}
    assert len(index.search("", limit=2)) == len(REPLIES)  # all, whatever the limit


def test_limit(index: QuickReplyIndex) -> None:
    assert len(index.search("q", limit=2)) == 2
    assert len(index.search("q", limit=None)) > 2


def test_groups(index: QuickReplyIndex) -> None:
    groups = index.groups()
    assert [(g.scope, g.name, [r.id for r in g.replies]) for g in groups] == [
        ("personal", "尺码", ["p1"]),
        ("personal", "售后", ["p2"]),
        ("team", "售后", ["t1", "t4"]),
        ("team", "欢迎语", ["t2", "t5"]),
        ("team", "物流", ["t3"]),
    ]
    assert [g.name for g in index.groups("team")] == ["售后", "欢迎语", "物流"]


def test_updates() -> None:
    index = QuickReplyIndex(REPLIES[:2])
    assert len(index) == 2
    index.upsert(quick_reply("t1", "发货时间：48小时内", group="物流", shortcut="fh"))
    assert [m.reply.id for m in index.search("fh")] == ["t1"]
    assert index.search("tk") == []
    assert [g.name for g in index.groups()] == ["物流", "欢迎语"]  # t1 kept its place, in its new group
    index.upsert(quick_reply("n1", "新的短语", group="新分组", shortcut="xd"))
    assert index.get("n1") is not None
    assert index.remove("n1")
    assert not index.remove("n1")
    assert index.get("n1") is None
    index.replace(REPLIES)
    assert len(index) == len(REPLIES)
    assert [m.reply.id for m in index.search("tk")][:1] == ["t1"]
    assert [m.reply.id for m in index.search("物流")] == ["t3"]  # the old group "物流" of t1 is gone


chinese = st.text(alphabet="退款物流发货亲您好银行长度重新快递，。！ MmTk123", min_size=1, max_size=30)
replies = st.lists(
    st.builds(
        lambda n, text, group, shortcut, scope: quick_reply(
            f"r{n}", text, group=group, shortcut=shortcut, scope=scope
        ),
        st.integers(0, 10_000),
        chinese,
        st.sampled_from(["售后", "物流", "欢迎语"]),
        st.text(alphabet="tkwlfh", max_size=3),
        st.sampled_from(["team", "personal"]),
    ),
    max_size=20,
    unique_by=lambda reply: reply.id,
)


@given(replies, st.text(alphabet="tkwlfhuai退款物 ", max_size=6))
def test_search_is_ranked_and_consistent(items: list[QuickReply], query: str) -> None:
    index = QuickReplyIndex(items)
    matches = index.search(query, limit=None)
    assert len({m.reply.id for m in matches}) == len(matches)
    if not query.strip():
        assert len(matches) == len(items)
        return
    tiers = [m.tier for m in matches]
    assert tiers == sorted(tiers)
    for m in matches:
        if m.highlight is not None:
            start, end = m.highlight
            assert 0 <= start < end <= len(m.reply.text)
    # Typing on narrows the search to what the shorter query found: same answer as a fresh index gives.
    for more in ("k", "u", "款", " k"):
        narrowed = index.search(query + more, limit=None)
        assert narrowed == QuickReplyIndex(items).search(query + more, limit=None)
        assert {m.reply.id for m in narrowed} <= {m.reply.id for m in matches}
        index.search(query, limit=None)
