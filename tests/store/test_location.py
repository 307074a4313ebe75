from __future__ import annotations

from pathlib import Path

from desktop import paths
from desktop.store import store_path


def test_default_is_under_the_data_dir(shopdesk_home: Path) -> None:
    path = store_path("wss://shop.example.cn", "xiaolu", "aqi")
    assert path.parent == paths.data_dir() == shopdesk_home / "data"
    assert path.suffix == ".sqlite3"


def test_name_is_readable_and_stable(tmp_path: Path) -> None:
    path = store_path("wss://shop.example.cn/ws", "xiaolu", "aqi", tmp_path)
    assert path.parent == tmp_path
    assert path.name.startswith("shop.example.cn-xiaolu-aqi-")
    assert path == store_path("wss://shop.example.cn/ws", "xiaolu", "aqi", tmp_path)


def test_one_file_per_server_shop_and_user(tmp_path: Path) -> None:
    names = {
        store_path(server, shop, user, tmp_path).name
        for server in ("wss://a.example.cn", "wss://b.example.cn", "ws://127.0.0.1:8765")
        for shop in ("xiaolu", "小鹿", "Xiaolu")
        for user in ("aqi", "阿琪", "aqi2")
    }
    assert len(names) == 27


def test_same_server_however_written(tmp_path: Path) -> None:
    a = store_path("wss://Shop.Example.CN/ws/", "xiaolu", "aqi", tmp_path)
    b = store_path("wss://shop.example.cn/ws", "xiaolu", "aqi", tmp_path)
    assert a == b


def test_hostile_names_stay_inside_the_folder(tmp_path: Path) -> None:
    for shop, user in (("../../etc", "passwd"), ("a/b\\c", "..\x00"), ("小鹿", "阿琪"), ("", "")):
        path = store_path("not a url", shop, user, tmp_path)
        assert path.parent == tmp_path
        assert path.name.endswith(".sqlite3")
        assert all(ch.isascii() and (ch.isalnum() or ch in "-._") for ch in path.name)
        assert len(path.name) < 100
