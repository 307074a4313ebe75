"""Build ShopDesk's interface translations: ``.ts`` sources from the code, compiled ``.qm`` catalogues.

The source strings in the code are Simplified Chinese, so Chinese needs no catalogue; every other language
has ``resources/translations/shopdesk_<code>.ts`` (edited by people) and ``shopdesk_<code>.qm`` (compiled,
committed, loaded by :mod:`desktop.ui.i18n`). Today that is English (``en``).

Usage, from the checkout (any working directory; paths are relative to this file)::

    python build/translations.py             # update the .ts from the code, then compile the .qm
    python build/translations.py --check     # change nothing; exit 1 when something is missing or stale
    python build/translations.py --unmarked [FILE ...]  # Chinese literals outside tr() (a hint; desktop/ui)
    python build/translations.py --language en          # only one language (every one by default)

Exit status: 0 done (or, with ``--check``, all complete); 1 ``--check`` found problems; 2 a Qt tool is
missing or failed. The tools are the ``lupdate``/``lrelease`` shipped inside the PySide6 package of the
running Python (the dev install: ``pip install -e ".[dev]"``), else ``pyside6-lupdate``/``pyside6-lrelease``.

Updating runs ``pyside6-lupdate -no-obsolete`` over ``desktop/**/*.py``: strings new in the code are added as
*unfinished* (empty), existing translations are kept, strings no longer in the code are dropped. Then
``pyside6-lrelease -nounfinished`` compiles the ``.qm`` (an unfinished string shows in Chinese). Re-running
is safe: nothing changes when nothing changed.

``--check`` (what CI and ``tests/build/test_translations.py`` run) updates a temporary copy of each ``.ts``
and exits 1, listing ``file:line: [context] text``, when

- a string in the code has no finished translation (new, unfinished, or empty);
- a translation lost or gained a placeholder (``%1``, ``%n``, ``{0}``, ``{name}``);
- a ``%n`` text is not a plural in the ``.ts`` (the call gave lupdate no count);
- the committed ``.qm`` is not byte for byte what lrelease makes from the committed ``.ts``.

To translate: run the update, open the ``.ts`` in Qt Linguist (``pyside6-linguist
resources/translations/shopdesk_en.ts``) or a text editor, fill each ``<translation type="unfinished">`` and
remove ``type="unfinished"`` (Linguist: mark it done), give both ``<numerusform>`` entries of a ``%n``
string (singular, plural), run the update again and commit the ``.ts`` and the ``.qm``. In the code, wrap
the literal itself: ``self.tr("共 %1 条").replace("%1", str(n))`` or ``self.tr("%n 条", "", n)``, never an
f-string or a variable, which lupdate cannot see. Counted texts (``%n``, one or several forms in English)
go through ``tr``: ``self.tr(text, "", n)`` in a class, ``SomeClass.tr(text, "", n)`` outside one; lupdate
does not take ``QCoreApplication.translate(context, text, "", n)`` as a plural, and drops the string
entirely when ``n`` is not a plain name (``--unmarked`` points such calls out). The context lupdate records
for ``self.tr`` is the class the call is written in, and PySide looks the text up under the class of the
object at run time: ``other_object.tr(...)`` or a ``self.tr`` inherited by a subclass finds nothing; write
``TheClass.tr(...)`` or ``QCoreApplication.translate("Context", ...)`` there.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "desktop"
TRANSLATIONS = ROOT / "resources" / "translations"
UI_SOURCES = SOURCES / "ui"
SOURCE_LANGUAGE = "zh_CN"
LANGUAGES = ("en",)  # every language but the source one
PREFIX = "shopdesk_"

PLACEHOLDER = re.compile(r"%L?\d+|%n|\{[A-Za-z_0-9]*\}")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
TRANSLATING_CALLS = frozenset({"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP", "QT_TRANSLATE_NOOP3"})


class ToolError(RuntimeError):
    """A Qt tool is missing or failed."""


@dataclass(frozen=True, slots=True)
class Problem:
    where: str  # "desktop/ui/x.py:12" (the first place the string is used)
    context: str
    source: str
    why: str

    def __str__(self) -> str:
        text = self.source.replace("\n", "\\n")
        return f"{self.where}: [{self.context}] {text!r}: {self.why}"


# ------------------------------------------------------------------------------------ the Qt tools


def qt_tool(name: str) -> str:
    """The path of Qt's ``lupdate``/``lrelease`` as shipped inside the PySide6 package (or on PATH)."""
    exe = name + (".exe" if os.name == "nt" else "")
    try:
        import PySide6  # the package only: no Qt library is loaded

        bundled = Path(PySide6.__file__).resolve().parent / exe
        if bundled.is_file():
            return str(bundled)
    except ImportError:
        pass
    for candidate in (Path(sys.executable).parent / f"pyside6-{name}", shutil.which(f"pyside6-{name}")):
        if candidate is not None and Path(candidate).is_file():
            return str(candidate)
    raise ToolError(f"cannot find {name}: install PySide6 (pip install -e '.[dev]')")


def run(tool: str, args: Sequence[str], *, quiet: bool) -> None:
    result = subprocess.run([qt_tool(tool), *args], cwd=ROOT, capture_output=True, text=True, check=False)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise ToolError(f"{tool} failed ({result.returncode}):\n{output}")
    if output and not quiet:
        print(output)


def python_sources() -> list[str]:
    """``desktop/**/*.py``, relative to the checkout, sorted (a stable order, a stable .ts)."""
    return sorted(path.relative_to(ROOT).as_posix() for path in SOURCES.rglob("*.py"))


def lupdate(ts: Path, *, quiet: bool = False) -> None:
    """Bring ``ts`` up to date with the code (created when missing): new strings unfinished, gone ones
    dropped."""
    code = ts.stem.removeprefix(PREFIX)
    run(
        "lupdate",
        [
            *(["-silent"] if quiet else []),
            "-no-obsolete",
            "-locations",
            "absolute",
            "-source-language",
            SOURCE_LANGUAGE,
            "-target-language",
            code,
            *python_sources(),
            "-ts",
            str(ts),
        ],
        quiet=quiet,
    )


def lrelease(ts: Path, qm: Path, *, quiet: bool = False) -> None:
    """Compile ``ts`` to ``qm``, leaving unfinished strings out (they show in the source language)."""
    run("lrelease", [*(["-silent"] if quiet else []), "-nounfinished", str(ts), "-qm", str(qm)], quiet=quiet)


def ts_path(code: str) -> Path:
    return TRANSLATIONS / f"{PREFIX}{code}.ts"


def qm_path(code: str) -> Path:
    return TRANSLATIONS / f"{PREFIX}{code}.qm"


# ------------------------------------------------------------------------------------ reading a .ts


@dataclass(frozen=True, slots=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    kind: str  # the translation's type attribute: "" (finished), "unfinished", "vanished", "obsolete"
    forms: tuple[str, ...]  # the translation, one entry per plural form (one for a plain string)
    where: str


def messages(ts: Path) -> Iterator[Message]:
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None:
                continue
            numerus = message.get("numerus") == "yes"
            forms = (
                tuple(form.text or "" for form in translation.iter("numerusform"))
                if numerus
                else (translation.text or "",)
            )
            yield Message(
                context=name,
                source=message.findtext("source") or "",
                comment=message.findtext("comment") or "",
                numerus=numerus,
                kind=translation.get("type", ""),
                forms=forms,
                where=_where(ts, message.find("location")),
            )


def shown(path: Path) -> str:
    """``path`` relative to the checkout when it is inside, for messages."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()


def _where(ts: Path, location: ET.Element | None) -> str:
    if location is None or not location.get("filename"):
        return shown(ts)
    path = Path(os.path.normpath(ts.parent / str(location.get("filename"))))
    return f"{shown(path)}:{location.get('line', '?')}"


def problems(ts: Path) -> list[Problem]:
    """What keeps the strings of ``ts`` from being shown translated, as they should."""
    found = []
    for m in messages(ts):
        if m.kind in ("vanished", "obsolete"):
            continue
        if "%n" in m.source and not m.numerus:
            why = 'has %n but is not a plural: call tr(text, "", n) (see build/translations.py)'
            found.append(Problem(m.where, m.context, m.source, why))
            continue
        if m.kind == "unfinished" or not all(form.strip() for form in m.forms):
            found.append(Problem(m.where, m.context, m.source, "no finished translation"))
            continue
        wanted = Counter(PLACEHOLDER.findall(m.source))
        for form in m.forms:
            got = Counter(PLACEHOLDER.findall(form))
            if got != wanted:
                missing, extra = sorted((wanted - got).elements()), sorted((got - wanted).elements())
                why = f"placeholders differ (missing {missing}, extra {extra}) in {form!r}"
                found.append(Problem(m.where, m.context, m.source, why))
                break
    return found


# ------------------------------------------------------------------------------------ the commands


def update(codes: Sequence[str]) -> int:
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for code in codes:
        ts, qm = ts_path(code), qm_path(code)
        lupdate(ts)
        lrelease(ts, qm)
        todo = problems(ts)
        if todo:
            print(f"{shown(ts)}: {len(todo)} string(s) still to translate:")
            for problem in todo:
                print(f"  {problem}")
    return 0


def check(codes: Sequence[str]) -> int:
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="shopdesk-translations-") as tmp:
        for code in codes:
            ts, qm = ts_path(code), qm_path(code)
            if not ts.is_file():
                failures.append(f"{shown(ts)} is missing: run python build/translations.py")
                continue
            fresh_ts = Path(tmp) / ts.name
            shutil.copyfile(ts, fresh_ts)
            lupdate(fresh_ts, quiet=True)  # the committed translations against the code as it is now
            failures += [str(problem) for problem in problems(fresh_ts)]
            fresh_qm = Path(tmp) / qm.name
            lrelease(ts, fresh_qm, quiet=True)
            if not qm.is_file():
                failures.append(f"{shown(qm)} is missing: run python build/translations.py")
            elif qm.read_bytes() != fresh_qm.read_bytes():
                failures.append(
                    f"{shown(qm)} is not what lrelease makes from {ts.name}: run python build/translations.py"
                )
    if failures:
        print(f"translations: {len(failures)} problem(s):")
        for failure in failures:
            print(f"  {failure}")
        print("Fix: python build/translations.py, translate what it lists in resources/translations/*.ts,")
        print("run it again and commit the .ts and .qm files (see the docstring of build/translations.py).")
        return 1
    print(f"translations: complete and up to date ({', '.join(codes)})")
    return 0


def unmarked(files: Sequence[Path]) -> list[str]:
    """Chinese string literals outside a translating call (docstrings and log calls skipped), and
    ``translate()`` calls with a count, which lupdate misreads: a hint for what may still need work;
    separators and data (sample text, word lists) show up too."""
    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        docstrings = {
            node.body[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        where = shown(path)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "translate"
                and len(node.args) + len(node.keywords) >= 4
                and isinstance(node.args[0], ast.Constant)
            ):
                found.append(
                    f"{where}:{node.lineno}: translate() with a count: use SomeClass.tr(text, '', n)"
                )
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or node in docstrings:
                continue
            if CJK.search(node.value) and not _inside_call(node, parents):
                found.append(f"{where}:{node.lineno}: {node.value!r}")
    return found


def _inside_call(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether ``node`` is (part of) an argument of tr()/translate()/QT_TRANSLATE_NOOP() or a log call."""
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Call) and child is not parent.func:
            func = parent.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            owner = func.value if isinstance(func, ast.Attribute) else None
            if name in TRANSLATING_CALLS:
                return True
            if isinstance(owner, ast.Name) and owner.id in ("log", "logger", "logging"):
                return True
        child, parent = parent, parents.get(parent)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python build/translations.py",
        description="Update resources/translations/*.ts from the code and compile the .qm files.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="change nothing; exit 1 on missing or stale work")
    mode.add_argument("--unmarked", nargs="*", metavar="FILE", help="list Chinese literals outside tr()")
    parser.add_argument("--language", action="append", choices=LANGUAGES, help="only this language")
    args = parser.parse_args(argv)
    codes = tuple(args.language or LANGUAGES)
    try:
        if args.check:
            return check(codes)
        if args.unmarked is not None:
            files = [Path(f).resolve() for f in args.unmarked] or sorted(UI_SOURCES.glob("*.py"))
            for line in unmarked(files):
                print(line)
            return 0
        return update(codes)
    except ToolError as exc:
        print(f"translations: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
