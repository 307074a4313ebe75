"""Masking: agents see the province/city/county of an address and 3+4 digits of a phone, nothing more."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.server.demo_seed import build_demo_shop
from desktop.server.views import mask_address, mask_phone


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("浙江省杭州市西湖区文三路90号", "浙江省杭州市西湖区****"),
        ("上海市徐汇区漕溪北路88号", "上海市徐汇区****"),
        ("新疆维吾尔自治区乌鲁木齐市天山区人民路5号", "新疆维吾尔自治区乌鲁木齐市天山区****"),
        ("广东省东莞市南城街道建设路943号翠苑一区4幢1单元3202室", "广东省东莞市****"),
        ("广东省深圳市南山区粤海街道和平小区3栋", "广东省深圳市南山区****"),
        ("某某路1号", "****"),
        ("", ""),
    ],
)
def test_address_keeps_administrative_levels_only(address: str, masked: str) -> None:
    assert mask_address(address) == masked


def test_no_demo_address_shows_more_than_its_county() -> None:
    for buyer in build_demo_shop(0).buyers:
        kept = mask_address(buyer.address_full).removesuffix("****")
        assert buyer.address_full.startswith(kept)
        assert not any(ch.isdigit() for ch in kept)
        assert not any(word in kept for word in ("路", "街", "号", "小区", "室", "幢", "栋"))


@pytest.mark.parametrize(
    ("phone", "masked"), [("13812345678", "138****5678"), ("+86 138-1234-5678", "138****5678"), ("12", "**")]
)
def test_phone_shows_three_and_four_digits(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_masked_phone_never_holds_the_middle_digits(phone: str) -> None:
    masked = mask_phone(phone)
    assert masked == phone[:3] + "****" + phone[-4:]
    assert phone not in masked
