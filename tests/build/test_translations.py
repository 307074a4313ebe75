"""build/translations.py: the committed English is complete and compiled, and the check catches what is not.

The first test is the one CI relies on: a string added to the code without an English translation (or a
.qm not rebuilt after the .ts changed) fails it, with the list of what is missing.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "build" / "translations.py"
TS = ROOT / "resources" / "translations" / "shopdesk_en.ts"
QM = ROOT / "resources" / "translations" / "shopdesk_en.qm"
ADDED = (  # a widget someone just added to desktop/ (its string is on line 5)
    "from PySide6.QtWidgets import QWidget\n\n"
    "class Added(QWidget):\n    def f({args}):\n        return {call}\n"
)


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shopdesk_build_translations", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def translations() -> ModuleType:
    return load_script()


@pytest.fixture
def workdir(translations: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the committed .ts and .qm that the script updates and checks instead of the real ones."""
    shutil.copyfile(TS, tmp_path / TS.name)
    shutil.copyfile(QM, tmp_path / QM.name)
    monkeypatch.setattr(translations, "TRANSLATIONS", tmp_path)
    return tmp_path


def with_extra_source(
    translations: ModuleType, monkeypatch: pytest.MonkeyPatch, folder: Path, code: str
) -> None:
    """Make the script see one more source file, as if someone had just added it to desktop/."""
    extra = folder / "added_widget.py"
    extra.write_text(code, encoding="utf-8")
    real = translations.python_sources
    monkeypatch.setattr(translations, "python_sources", lambda: [*real(), str(extra)])


def write_ts(path: Path, messages: str) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        f'<TS version="2.1" language="en" sourcelanguage="zh_CN">\n<context>\n<name>Demo</name>\n{messages}'
        "</context>\n</TS>\n",
        encoding="utf-8",
    )
    return path


# ------------------------------------------------------------------------------------------- the real files


def test_committed_translations_are_complete_and_compiled() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "complete and up to date" in result.stdout


def test_usage_is_documented_in_the_script() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "--check" in result.stdout
    doc = load_script().__doc__ or ""
    assert "python build/translations.py --check" in doc


# --------------------------------------------------------------------------------------------- the check


def test_reading_a_ts_finds_what_is_missing(translations: ModuleType, tmp_path: Path) -> None:
    ts = write_ts(
        tmp_path / "shopdesk_en.ts",
        """
<message><source>好</source><translation>Good</translation></message>
<message><source>新的</source><translation type="unfinished"></translation></message>
<message><source>空的</source><translation></translation></message>
<message><source>已删除</source><translation type="vanished">Gone</translation></message>
<message><source>共 %1 条，{0}</source><translation>%1 in all</translation></message>
<message><source>%n 条</source><translation>%n items</translation></message>
<message numerus="yes"><source>%n 个</source><translation>
  <numerusform>%n one</numerusform><numerusform></numerusform></translation></message>
<message numerus="yes"><source>%n 件</source><translation>
  <numerusform>%n item</numerusform><numerusform>%n items</numerusform></translation></message>
""",
    )
    found = {problem.source: problem.why for problem in translations.problems(ts)}
    assert set(found) == {"新的", "空的", "共 %1 条，{0}", "%n 条", "%n 个"}
    assert found["新的"] == found["空的"] == found["%n 个"] == "no finished translation"
    assert "missing ['{0}']" in found["共 %1 条，{0}"]
    assert "not a plural" in found["%n 条"]


def test_a_new_string_in_the_code_fails_the_check(
    translations: ModuleType, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    code = ADDED.format(args="self", call='self.tr("新增的按钮")')
    with_extra_source(translations, monkeypatch, tmp_path, code)
    capsys.readouterr()
    assert translations.check(["en"]) == 1
    out = capsys.readouterr().out
    assert "added_widget.py:5: [Added] '新增的按钮': no finished translation" in out
    assert (workdir / TS.name).read_bytes() == TS.read_bytes()  # the check changes nothing


def test_a_stale_or_missing_qm_fails_the_check(translations: ModuleType, workdir: Path, capsys) -> None:
    (workdir / QM.name).write_bytes(QM.read_bytes()[:-4])
    assert translations.check(["en"]) == 1
    assert "shopdesk_en.qm is not what lrelease makes" in capsys.readouterr().out
    (workdir / QM.name).unlink()
    assert translations.check(["en"]) == 1
    assert "shopdesk_en.qm is missing" in capsys.readouterr().out


# -------------------------------------------------------------------------------------------- the update


def test_updating_keeps_translations_adds_new_strings_and_can_run_again(
    translations: ModuleType, workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ts, qm = workdir / TS.name, workdir / QM.name
    assert translations.update(["en"]) == 0
    first = ts.read_bytes(), qm.read_bytes()
    assert translations.update(["en"]) == 0
    assert (ts.read_bytes(), qm.read_bytes()) == first  # nothing changed in the code: nothing changes
    code = ADDED.format(args="self, n", call='self.tr("%n 个新买家", "", n)')
    with_extra_source(translations, monkeypatch, tmp_path, code)
    assert translations.update(["en"]) == 0
    todo = [(p.context, p.source, p.why) for p in translations.problems(ts)]
    assert ("Added", "%n 个新买家", "no finished translation") in todo
    kept = {m.source: m.forms for m in translations.messages(ts) if m.context == "LoginDialog"}
    assert kept["登录"] == ("Log in",)


def test_unmarked_lists_chinese_outside_tr(translations: ModuleType, tmp_path: Path) -> None:
    source = tmp_path / "widget.py"
    source.write_text(
        '"""文档字符串不算。"""\n'
        "import logging\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "log = logging.getLogger(__name__)\n"
        "def f(self, name, n):\n"
        '    log.info("日志不算")\n'
        '    ok = self.tr("已翻译")\n'
        '    bad = f"你好 {name}"\n'
        '    count = QCoreApplication.translate("Ctx", "%n 条", "", n)\n'
        "    return ok, bad, count\n",
        encoding="utf-8",
    )
    assert sorted(translations.unmarked([source])) == [
        f"{source}:8: '你好 '",
        f"{source}:9: translate() with a count: use SomeClass.tr(text, '', n)",
    ]
