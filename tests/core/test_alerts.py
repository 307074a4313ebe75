"""The attention rules: which events notify, how bursts coalesce, when the overdue reminder repeats."""

from __future__ import annotations

import pytest

from desktop.core.alerts import (
    COALESCE_MS,
    SETTING_KEYS,
    STALE_MS,
    AlertSettings,
    Notice,
    NoticePolicy,
    OverdueWatch,
    Preview,
    display_name,
    one_line,
    overdue_chats,
    preview_of,
    shorten,
)
from desktop.core.wait_timer import WaitThresholds
from desktop.protocol.objects import Conversation, Message, MessageKind, Party
from tests.core.builders import conversation, message

ME = "a-1"
NOW = 1_000_000


def mine(conv_id: str = "cv-1", **kwargs: object) -> Conversation:
    return conversation(conv_id, status="active", **kwargs)  # type: ignore[arg-type]


def buyer_says(msg_id: str, conv_id: str = "cv-1", text: str = "在吗", at: int = NOW) -> Message:
    return message(msg_id, conv_id, role="customer", at=at, text=text)


def took(policy: NoticePolicy, now: int = NOW) -> list[Notice]:
    return policy.take(now)


# ------------------------------------------------------------------------------------------------ settings


def test_settings_read_the_registry_keys_with_ini_strings_and_seconds() -> None:
    settings = AlertSettings.from_settings(
        {
            "notifications/enabled": "true",
            "notifications/new_message": "false",
            "notifications/preview": 0,
            "sounds/overdue": False,
            "reminders/overdue_repeat_s": "30",
            "wait/amber_s": 1,
            "wait/red_s": 2.5,
            "unrelated/key": "ignored",
        }
    )
    assert settings.notifications and not settings.notify_new_message and settings.notify_new_buyer
    assert not settings.preview and not settings.sound_overdue and settings.sound_new_buyer
    assert settings.overdue_repeat_s == 30
    assert settings.thresholds == WaitThresholds(amber_ms=1_000, red_ms=2_500)
    assert AlertSettings.from_settings({}) == AlertSettings()


def test_every_registry_key_round_trips() -> None:
    assert len(SETTING_KEYS) == 11
    changed = AlertSettings(
        notifications=False,
        notify_new_buyer=False,
        notify_new_message=False,
        preview=False,
        sounds=False,
        sound_new_buyer=False,
        sound_new_message=False,
        sound_overdue=False,
        overdue_repeat_s=15,
        thresholds=WaitThresholds(amber_ms=20_000, red_ms=60_000),
    )
    assert set(changed.to_settings()) == set(SETTING_KEYS)
    assert AlertSettings.from_settings(changed.to_settings()) == changed


@pytest.mark.parametrize(
    ("values", "names"),
    [
        ({"sounds/enabled": "maybe"}, "sounds/enabled"),
        ({"reminders/overdue_repeat_s": "soon"}, "reminders/overdue_repeat_s"),
        ({"wait/amber_s": True}, "wait/amber_s"),
        ({"wait/amber_s": 100, "wait/red_s": 50}, "wait/red_s"),
    ],
)
def test_bad_settings_name_their_key(values: dict[str, object], names: str) -> None:
    with pytest.raises(ValueError, match=names):
        AlertSettings.from_settings(values)


def test_master_switches_override_the_kinds() -> None:
    quiet = AlertSettings(notifications=False, sounds=False)
    assert not any(quiet.notifies(k) or quiet.sounds_for(k) for k in ("new_buyer", "new_message", "overdue"))
    picky = AlertSettings(notify_new_message=False, sound_new_buyer=False)
    assert picky.notifies("new_buyer") and not picky.notifies("new_message") and picky.notifies("overdue")
    assert not picky.sounds_for("new_buyer") and picky.sounds_for("new_message")
    with pytest.raises(ValueError):
        AlertSettings(overdue_repeat_s=-1)


# ------------------------------------------------------------------------------------------------- preview


def test_previews_are_one_plain_short_line() -> None:
    assert one_line("你好\n\t在吗\u202e反转\u2066隔离\u2069\x00") == "你好 在吗 反转隔离"
    assert shorten("一二三四五", 4) == "一二三…"
    assert shorten("一二三四", 4) == "一二三四"
    long = buyer_says("m1", text="<b>加粗</b>\n" + "很长" * 50)
    preview = preview_of(long)
    assert preview.kind == "text"
    assert preview.text.startswith("<b>加粗</b> 很长")  # markup stays text: the view never interprets it
    assert len(preview.text) == 60 and preview.text.endswith("…")


def test_previews_of_other_kinds_keep_the_kind_for_the_view_to_word() -> None:
    def msg(kind: MessageKind, body: dict[str, object]) -> Message:
        return Message(
            id="m",
            conversation_id="c",
            sender=Party(role="customer", id="u"),
            kind=kind,
            body=body,
            created_at=0,
        )

    image = msg("image", {"mime": "image/png", "data_b64": "AAAA", "width": 1, "height": 1})
    assert preview_of(image) == Preview("image", "")
    product = msg("product", {"product_id": "p1", "title": "北欧\n沙发", "price_cents": 100})
    assert preview_of(product) == Preview("product", "北欧 沙发")
    assert preview_of(msg("order", {"order_id": "o-9"})) == Preview("order", "o-9")


def test_display_name_falls_back_to_the_customer_id() -> None:
    assert display_name(mine(nickname="小鹿\n乱撞")) == "小鹿 乱撞"
    assert display_name(mine(nickname=None, customer_id="u-42")) == "u-42"
    assert display_name(mine(nickname="\u202e\n", customer_id="u-42")) == "u-42"


# ----------------------------------------------------------------------------------------- new messages


def test_a_buyer_message_in_a_chat_of_mine_not_in_front_notifies_with_a_sound() -> None:
    policy = NoticePolicy()
    conv = mine(nickname="小鹿")
    policy.on_messages(conv, [buyer_says("m1", text="有现货吗")], me_id=ME, in_front=False, now_ms=NOW)
    assert took(policy) == [
        Notice("new_message", "cv-1", "小鹿", count=1, preview=Preview("text", "有现货吗"), sound=True)
    ]
    assert took(policy) == []  # taken once


@pytest.mark.parametrize(
    ("conv", "role", "in_front"),
    [
        (mine(), "customer", True),  # the agent is looking at it
        (mine(), "agent", False),  # my own reply
        (mine(), "system", False),  # "chat transferred" and the like
        (conversation("cv-1", status="waiting"), "customer", False),  # queued, not mine yet
        (conversation("cv-1", status="closed"), "customer", False),
        (None, "customer", False),
    ],
)
def test_what_never_notifies(conv: Conversation | None, role: str, in_front: bool) -> None:
    policy = NoticePolicy()
    msg = message("m1", role=role, at=NOW)  # type: ignore[arg-type]
    policy.on_messages(conv, [msg], me_id=ME, in_front=in_front, now_ms=NOW)
    assert took(policy) == []


def test_a_colleagues_chat_does_not_notify() -> None:
    import msgspec

    theirs = msgspec.structs.replace(mine(), assignee_id="a-colleague")
    policy = NoticePolicy()
    policy.on_messages(theirs, [buyer_says("m1")], me_id=ME, in_front=False, now_ms=NOW)
    assert took(policy) == []


def test_a_catch_up_of_old_messages_does_not_notify() -> None:
    policy = NoticePolicy()
    old = buyer_says("m1", at=NOW - STALE_MS - 1)
    policy.on_messages(mine(), [old], me_id=ME, in_front=False, now_ms=NOW)
    assert took(policy) == []
    future = buyer_says("m2", at=NOW + 60_000)  # the server's clock runs ahead: still news
    policy.on_messages(mine(), [future], me_id=ME, in_front=False, now_ms=NOW)
    assert len(took(policy)) == 1


def test_a_burst_is_one_notification_with_the_latest_preview_and_a_count() -> None:
    policy = NoticePolicy()
    conv = mine(nickname="小鹿")
    policy.on_messages(conv, [buyer_says("m1", text="在吗")], me_id=ME, in_front=False, now_ms=NOW)
    policy.on_messages(conv, [buyer_says("m2", text="有人吗")], me_id=ME, in_front=False, now_ms=NOW)
    [first] = took(policy)
    assert (first.count, first.preview, first.sound, first.replaces) == (
        2,
        Preview("text", "有人吗"),
        True,
        False,
    )

    later = NOW + COALESCE_MS - 1
    policy.on_messages(conv, [buyer_says("m3", text="急", at=later)], me_id=ME, in_front=False, now_ms=later)
    [update] = took(policy, later)
    assert (update.count, update.preview, update.sound, update.replaces) == (
        3,
        Preview("text", "急"),
        False,
        True,
    )

    much_later = NOW + COALESCE_MS + 1  # the window counts from the last sound, not the last update
    policy.on_messages(conv, [buyer_says("m4", at=much_later)], me_id=ME, in_front=False, now_ms=much_later)
    [again] = took(policy, much_later)
    assert (again.count, again.sound, again.replaces) == (4, True, True)


def test_opening_the_chat_starts_over() -> None:
    policy = NoticePolicy()
    policy.on_messages(mine(), [buyer_says("m1")], me_id=ME, in_front=False, now_ms=NOW)
    took(policy)
    assert policy.shown("cv-1")
    policy.forget("cv-1")
    assert not policy.shown("cv-1")
    policy.on_messages(mine(), [buyer_says("m2")], me_id=ME, in_front=False, now_ms=NOW + 1)
    [notice] = took(policy, NOW + 1)
    assert (notice.count, notice.sound, notice.replaces) == (1, True, False)


def test_a_message_while_in_front_forgets_the_earlier_notification() -> None:
    policy = NoticePolicy()
    policy.on_messages(mine(), [buyer_says("m1")], me_id=ME, in_front=False, now_ms=NOW)
    took(policy)
    policy.on_messages(mine(), [buyer_says("m2")], me_id=ME, in_front=True, now_ms=NOW + 1)
    assert took(policy) == [] and not policy.shown("cv-1")


def test_chats_coalesce_separately() -> None:
    policy = NoticePolicy()
    for conv_id in ("cv-1", "cv-2"):
        conv = mine(conv_id)
        policy.on_messages(conv, [buyer_says("m", conv_id)], me_id=ME, in_front=False, now_ms=NOW)
    assert [(n.conversation_id, n.sound) for n in took(policy)] == [("cv-1", True), ("cv-2", True)]


# ------------------------------------------------------------------------------------------------ new buyers


def test_a_new_buyer_with_a_first_message_in_one_batch_is_one_new_buyer_notice() -> None:
    policy = NoticePolicy()
    conv = mine(nickname="新客", last_at=NOW, text="你好")
    policy.on_messages(conv, [buyer_says("m1", text="你好")], me_id=ME, in_front=False, now_ms=NOW)
    policy.on_assigned(conv, in_front=False, now_ms=NOW)
    assert took(policy) == [
        Notice("new_buyer", "cv-1", "新客", count=1, preview=Preview("text", "你好"), sound=True)
    ]


def test_a_new_buyer_without_a_message_yet_then_its_message_updates_silently() -> None:
    policy = NoticePolicy()
    conv = mine(nickname="新客")
    policy.on_assigned(conv, in_front=False, now_ms=NOW)
    [notice] = took(policy)
    assert (notice.kind, notice.count, notice.preview, notice.sound) == ("new_buyer", 0, None, True)
    policy.on_messages(conv, [buyer_says("m1", text="在吗")], me_id=ME, in_front=False, now_ms=NOW + 500)
    [update] = took(policy, NOW + 500)
    assert (update.kind, update.count, update.preview, update.sound, update.replaces) == (
        "new_buyer",
        1,
        Preview("text", "在吗"),
        False,
        True,
    )


def test_a_message_notice_upgraded_to_new_buyer_sounds_again() -> None:
    policy = NoticePolicy()
    conv = mine()
    policy.on_messages(conv, [buyer_says("m1")], me_id=ME, in_front=False, now_ms=NOW)
    took(policy)
    policy.on_assigned(conv, in_front=False, now_ms=NOW + 100)  # transferred to me after all
    [notice] = took(policy, NOW + 100)
    assert (notice.kind, notice.sound, notice.replaces) == ("new_buyer", True, True)


def test_a_buyer_accepted_while_in_front_does_not_notify() -> None:
    policy = NoticePolicy()
    policy.on_assigned(mine(), in_front=True, now_ms=NOW)
    policy.on_assigned(conversation("cv-2", status="closed"), in_front=False, now_ms=NOW)
    policy.on_assigned(None, in_front=False, now_ms=NOW)
    assert took(policy) == []


def test_a_new_buyer_preview_comes_from_the_buyers_last_message_only() -> None:
    policy = NoticePolicy()
    conv = mine(last_at=NOW, text="欢迎光临")
    import msgspec

    assert conv.last_message is not None
    by_agent = msgspec.structs.replace(conv.last_message, sender=Party(role="agent", id=ME))
    policy.on_assigned(msgspec.structs.replace(conv, last_message=by_agent), in_front=False, now_ms=NOW)
    assert took(policy)[0].preview is None
    policy.forget("cv-1")
    policy.on_assigned(conv, in_front=False, now_ms=NOW)
    assert took(policy)[0].preview == Preview("text", "欢迎光临")


# ---------------------------------------------------------------------------------------- settings applied


def test_previews_off_hide_the_text_but_keep_the_count() -> None:
    policy = NoticePolicy(AlertSettings(preview=False))
    policy.on_messages(mine(), [buyer_says("m1"), buyer_says("m2")], me_id=ME, in_front=False, now_ms=NOW)
    [notice] = took(policy)
    assert (notice.preview, notice.count) == (None, 2)


def test_switched_off_kinds_notify_or_sound_as_chosen() -> None:
    no_popups = NoticePolicy(AlertSettings(notifications=False))
    no_popups.on_messages(mine(), [buyer_says("m1")], me_id=ME, in_front=False, now_ms=NOW)
    [sound_only] = took(no_popups)
    assert (sound_only.notify, sound_only.sound) == (False, True)

    nothing = NoticePolicy(AlertSettings(notify_new_message=False, sound_new_message=False))
    nothing.on_messages(mine(), [buyer_says("m1")], me_id=ME, in_front=False, now_ms=NOW)
    nothing.on_assigned(mine("cv-2"), in_front=False, now_ms=NOW)
    assert [(n.kind, n.notify, n.sound) for n in took(nothing)] == [("new_buyer", True, True)]


# -------------------------------------------------------------------------------------------------- overdue

RED = WaitThresholds(amber_ms=1_000, red_ms=2_000)


def waiting(conv_id: str, since: int, **kwargs: object) -> Conversation:
    return mine(conv_id, waiting_since=since, last_at=since, **kwargs)


def test_overdue_chats_are_mine_past_red_longest_first() -> None:
    convs = [
        waiting("cv-a", NOW - 2_000, nickname="刚好"),  # exactly red
        waiting("cv-b", NOW - 9_000, nickname="最久", text="还在吗"),
        waiting("cv-c", NOW - 1_999),  # amber
        conversation("cv-q", status="waiting", waiting_since=NOW - 50_000),  # queued: not mine
        mine("cv-r"),  # answered
    ]
    chats = overdue_chats(convs, me_id=ME, now_ms=NOW, thresholds=RED)
    assert [(c.conversation_id, c.nickname, c.waited_ms) for c in chats] == [
        ("cv-b", "最久", 9_000),
        ("cv-a", "刚好", 2_000),
    ]
    assert chats[0].preview == Preview("text", "还在吗")
    assert overdue_chats(convs, me_id="a-other", now_ms=NOW, thresholds=RED) == []


def test_the_reminder_comes_when_a_chat_turns_red_repeats_and_stops() -> None:
    watch = OverdueWatch(AlertSettings(thresholds=RED, overdue_repeat_s=10))
    convs = [waiting("cv-1", NOW, nickname="小鹿")]

    def at(ms: int) -> Notice | None:
        return watch.check(convs, me_id=ME, now_ms=NOW + ms)[1]

    assert at(1_000) is None  # amber
    first = at(2_000)
    assert first is not None
    assert (first.kind, first.conversation_id, first.count, first.waited_ms) == ("overdue", "cv-1", 1, 2_000)
    assert (first.sound, first.notify, first.replaces, first.key) == (True, True, False, "overdue")
    assert at(3_000) is None and at(11_999) is None
    again = at(12_000)
    assert again is not None and again.replaces
    assert at(13_000) is None

    convs.append(waiting("cv-2", NOW + 5_000, nickname="又一个"))
    newly = at(7_000 + 8_000)  # cv-2 turns red: remind now, and count from here
    assert newly is not None and newly.count == 2 and newly.conversation_id == "cv-1"
    assert at(16_000) is None and at(25_000) is not None

    convs.clear()  # all answered
    chats, notice = watch.check(convs, me_id=ME, now_ms=NOW + 26_000)
    assert chats == [] and notice is None
    convs.append(waiting("cv-3", NOW + 20_000))
    back = at(22_000)
    assert back is not None and not back.replaces  # a new round


def test_no_repeats_with_a_zero_period_and_settings_followed() -> None:
    watch = OverdueWatch(
        AlertSettings(
            thresholds=RED, overdue_repeat_s=0, preview=False, sound_overdue=False, notifications=False
        )
    )
    convs = [waiting("cv-1", NOW)]
    _chats, first = watch.check(convs, me_id=ME, now_ms=NOW + 2_000)
    assert first is not None
    assert (first.preview, first.sound, first.notify) == (None, False, False)
    assert all(watch.check(convs, me_id=ME, now_ms=NOW + s * 1_000)[1] is None for s in range(3, 300, 7))
    watch.reset()
    assert watch.check(convs, me_id=ME, now_ms=NOW + 400_000)[1] is not None
