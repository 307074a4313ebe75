from __future__ import annotations

import io
import json
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop import logs

TOKEN = "tk_9f8e7d6c5b4a"
PASSWORD = "Hunter2!密码"

log = logging.getLogger("desktop.client.session")


@pytest.fixture(autouse=True)
def clean_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    logs.reset_logging()
    logs.clear_secrets()
    root.setLevel(level)


def read_all_logs(log_file: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return "".join(p.read_text(encoding="utf-8") for p in sorted(log_file.parent.glob(log_file.name + "*")))


def assert_clean(text: str) -> None:
    assert TOKEN not in text
    assert PASSWORD not in text
    assert "Hunter2" not in text


# ----------------------------------------------------------------------------------- setup_logging


def test_log_file_lives_under_shopdesk_home_and_is_private(shopdesk_home: Path) -> None:
    log_file = logs.setup_logging(console=False)
    log.info("started")

    assert log_file == shopdesk_home / "logs" / "shopdesk.log"
    assert "INFO     desktop.client.session [MainThread] started" in read_all_logs(log_file)
    if os.name == "posix":
        assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(log_file.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_existing_open_log_file_is_made_private(tmp_path: Path) -> None:
    existing = tmp_path / "shopdesk.log"
    existing.write_text("old line\n", encoding="utf-8")
    existing.chmod(0o644)
    logs.setup_logging(console=False, log_dir=tmp_path)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
    assert existing.read_text(encoding="utf-8") == "old line\n"  # appended to, not truncated


def test_secrets_never_reach_the_file_or_the_console(capsys: pytest.CaptureFixture[str]) -> None:
    log_file = logs.setup_logging("DEBUG")
    logs.register_secret(TOKEN)

    log.info("login token=%s password=%s", TOKEN, PASSWORD)
    log.info("login payload %s", {"token": TOKEN, "password": PASSWORD, "agent": "小王"})
    log.info("frame %s", json.dumps({"access_token": TOKEN, "passwd": PASSWORD}, ensure_ascii=False))
    log.info("frame %r", json.dumps({"secret": PASSWORD}).encode())
    log.debug("GET /me Authorization: Bearer %s", TOKEN)
    log.debug("headers %s", {"Authorization": f"Bearer {TOKEN}"})
    log.warning("resending with %s after timeout", TOKEN)  # only the registered value gives it away
    log.info("%(who)s logged in with %(password)s", {"who": "agent-7", "password": PASSWORD})

    console = capsys.readouterr().err
    written = read_all_logs(log_file)
    for text in (written, console):
        assert_clean(text)
        assert "agent-7 logged in with ***" in text
        assert '{"access_token": "***", "passwd": "***"}' in text
        assert "{'token': '***', 'password': '***', 'agent': '小王'}" in text
        assert "GET /me Authorization: ***" in text
        assert "headers {'Authorization': '***'}" in text
        assert "resending with *** after timeout" in text
    assert written.count("\n") == 8
    assert console.count("\n") == 8


@pytest.mark.expected_log("^upload failed$")
def test_secrets_are_scrubbed_from_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    log_file = logs.setup_logging()
    logs.register_secret(TOKEN)

    def upload() -> None:
        raise PermissionError(f"401 for token {TOKEN} (password={PASSWORD})")

    try:
        upload()
    except PermissionError:
        log.exception("upload failed")

    console = capsys.readouterr().err
    written = read_all_logs(log_file)
    for text in (written, console):
        assert_clean(text)
        assert "Traceback (most recent call last):" in text
        assert "PermissionError: 401 for token *** (password=***)" in text


def test_stack_info_is_scrubbed(tmp_path: Path) -> None:
    log_file = logs.setup_logging(console=False, log_dir=tmp_path)

    def sign_in(token: str) -> None:
        log.info("signing in", stack_info=True)
        log.info("done with %s", token)

    logs.register_secret(TOKEN)
    sign_in(TOKEN)
    written = read_all_logs(log_file)
    assert "Stack (most recent call last):" in written
    assert_clean(written)


def test_calling_setup_twice_does_not_double_handlers(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    logs.setup_logging(log_dir=tmp_path)
    log_file = logs.setup_logging("WARNING", log_dir=tmp_path)
    ours = [h for h in root.handlers if h not in before]
    assert len(ours) == 2
    assert all(h.level == logging.WARNING for h in ours)
    assert root.level == logging.WARNING

    log.warning("once")
    assert read_all_logs(log_file).count("once") == 1

    logs.reset_logging()
    assert root.handlers == before


def test_console_can_be_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    logs.setup_logging(console=False, log_dir=tmp_path)
    log.warning("file only")
    assert capsys.readouterr().err == ""


def test_level_is_checked() -> None:
    logs.setup_logging("debug", console=False)
    assert logging.getLogger().level == logging.DEBUG
    with pytest.raises(ValueError, match="unknown log level 'LOUD'"):
        logs.setup_logging("LOUD")


def test_set_level_reaches_the_installed_handlers(tmp_path: Path) -> None:
    log_file = logs.setup_logging("INFO", console=False, log_dir=tmp_path)
    log.debug("not yet")
    logs.set_level("DEBUG")  # the settings' 日志详细程度 → 详细
    log.debug("now in the file")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "now in the file" in text and "not yet" not in text
    logs.set_level("WARNING")
    log.info("hidden again")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "hidden again" not in log_file.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="unknown log level"):
        logs.set_level("LOUD")


def test_log_file_rotates(tmp_path: Path) -> None:
    log_file = logs.setup_logging(console=False, log_dir=tmp_path, max_bytes=2_000, backup_count=2)
    for i in range(200):
        log.info("message %03d with some padding to fill the file %s", i, "x" * 40)
    for handler in logging.getLogger().handlers:
        handler.flush()

    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["shopdesk.log", "shopdesk.log.1", "shopdesk.log.2"]
    for name in files:
        assert (tmp_path / name).stat().st_size <= 2_000
        if os.name == "posix":
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert "message 199" in log_file.read_text(encoding="utf-8")
    assert "message 000" not in read_all_logs(log_file)  # the oldest were rotated away


# ------------------------------------------------------------------------- filter on a foreign handler


@pytest.mark.expected_log("^refresh failed$")
def test_redacting_filter_works_on_any_handler() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # a plain formatter: only the filter protects it
    handler.addFilter(logs.RedactingFilter())
    log.addHandler(handler)
    try:
        logs.register_secret(TOKEN)
        log.warning("retry with token=%s", "abc-plain")
        try:
            raise RuntimeError(f"server rejected {TOKEN}")
        except RuntimeError:
            log.error("refresh failed", exc_info=True)
    finally:
        log.removeHandler(handler)
    text = stream.getvalue()
    assert "retry with token=***" in text
    assert "RuntimeError: server rejected ***" in text
    assert "abc-plain" not in text
    assert TOKEN not in text


def test_the_filter_lets_a_broken_log_call_through_to_the_handler() -> None:
    # The handler's format() then reports it through Handler.handleError; the filter must not raise.
    record = log.makeRecord(log.name, logging.INFO, __file__, 1, "two args %s %s token=%s", ("one",), None)
    assert logs.RedactingFilter().filter(record) is True
    assert record.args == ("one",)


def test_the_filter_scrubs_secret_keys_of_mapping_args() -> None:
    record = log.makeRecord(
        log.name, logging.INFO, __file__, 1, "%(who)s / %(password)s", ({"who": "a", "password": "p"},), None
    )
    assert logs.RedactingFilter().filter(record) is True
    assert record.getMessage() == "a / ***"


# ------------------------------------------------------------------------------------------- redact()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"token": "abc", "user": "bob"}', '{"token": "***", "user": "bob"}'),
        ("{'password': 'p w', 'user': 'bob'}", "{'password': '***', 'user': 'bob'}"),
        ("wss://h/ws?token=abc&v=1", "wss://h/ws?token=***&v=1"),
        ("password=hunter2, user=bob", "password=***, user=bob"),
        ("passwd: hunter2", "passwd: ***"),
        ("Login(user='a', password=\"it's\")", "Login(user='a', password=\"***\")"),
        (
            '{"refresh_token":"r","client_secret":"s","api_key":"k"}',
            '{"refresh_token":"***","client_secret":"***","api_key":"***"}',
        ),
        ("Authorization: Bearer abc.def", "Authorization: ***"),
        ("authorization: Basic dXNlcjpwYXNz", "authorization: ***"),
        ("sent Bearer abc.def-1==", "sent Bearer ***"),
        ('{"frame": "{\\"token\\": \\"a\\\\\\"b\\"}"}', '{"frame": "{\\"token\\": \\"***\\"}"}'),
        # not credentials: left alone
        ("token expired, reconnecting", "token expired, reconnecting"),
        ('{"token_type": "bearer", "max_tokens": 5}', '{"token_type": "bearer", "max_tokens": 5}'),
        ("订单 123 已发货", "订单 123 已发货"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert logs.redact(text) == expected


def test_registered_secrets_in_escaped_forms() -> None:
    secret = 'p"a/ss 密'
    logs.register_secret(secret)
    text = " ".join(
        [
            secret,
            json.dumps(secret),
            json.dumps(secret, ensure_ascii=False),
            repr(secret),
            "p%22a%2Fss%20%E5%AF%86",
        ]
    )
    assert logs.redact(text) == '*** "***" "***" \'***\' ***'

    logs.unregister_secret(secret)
    assert logs.redact(secret) == secret


def test_blank_secrets_are_ignored() -> None:
    logs.register_secret("")
    logs.register_secret("   ")
    assert logs.redact("a   b") == "a   b"


secret_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="*"), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")


@given(secret=secret_text, before=st.text(max_size=30), after=st.text(max_size=30))
def test_a_registered_secret_never_survives(secret: str, before: str, after: str) -> None:
    logs.clear_secrets()
    logs.register_secret(secret)
    try:
        assert secret not in logs.redact(before + secret + after)
    finally:
        logs.clear_secrets()


@given(
    value=st.text(max_size=40), key=st.sampled_from(["token", "access_token", "password", "passwd", "secret"])
)
def test_any_json_or_repr_value_of_a_secret_key_is_replaced(value: str, key: str) -> None:
    assert logs.redact(json.dumps({key: value})) == json.dumps({key: "***"})
    assert logs.redact(json.dumps({key: value}, ensure_ascii=False)) == json.dumps({key: "***"})
    assert logs.redact(repr({key: value})) in (
        repr({key: "***"}),
        repr({key: "***"}).replace("'***'", '"***"'),
    )
