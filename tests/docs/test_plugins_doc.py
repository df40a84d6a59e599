"""Every code block of docs/plugins.md runs, so the page cannot drift from the code:

* a block whose first line names a scaffold file (`# socle_centre_examen/routes.py`, `{# …/index.html #}`)
  is an excerpt of what `socle plugins new` writes — compared with it here, and run by the scaffold's own
  tests (tests/core/plugins/test_scaffold.py);
* a block of bare `def …` lines gives signatures, compared with the hookspecs or the Platform facade (names
  and annotations, or the exact Python signature with its defaults and `/`, `*` markers);
* any other Python block is executed, TOML parsed, Jinja compiled; the scaffold's tree lists real files;
* `sh` blocks: `socle …` lines are parsed by the real command line (the first `socle plugins new` is run
  for real to make the scaffold the excerpts are compared with); other lines are known tools.
"""

import inspect
import re
import shlex
import tomllib
from pathlib import Path

import pytest
from jinja2 import Environment

from core import cli
from core.plugin_api import hookspecs
from core.plugin_api.platform import Platform

pytestmark = pytest.mark.nodb

DOCS = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
MARKER = re.compile(r"^(?:# ([\w./-]+\.(?:py|toml|html))|\{# ([\w./-]+\.html) #\})$")
SIGNATURE = re.compile(r"^(?:async )?def (\w+)\((.*)\) -> (.+)$")
TOOLS = ("cd ", "pip ", "python -m pytest", "python -m build")


def blocks() -> list[tuple[int, str, str]]:
    text = DOCS.read_text()
    return [(text[:m.start()].count("\n") + 1, m.group(1), m.group(2)) for m in FENCE.finditer(text)]


def _where(line: int) -> str:
    return f"docs/plugins.md:{line}"


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module the tutorial's first `socle plugins new` line makes, run for real."""
    folder = tmp_path_factory.mktemp("doc")
    for _, lang, body in blocks():
        for line in body.splitlines() if lang == "sh" else []:
            if line.startswith("socle plugins new "):
                cli.main([*shlex.split(line)[1:], "--dir", str(folder)])
                return next(folder.iterdir())
    raise AssertionError("the tutorial never runs `socle plugins new`")


def published_hookspecs() -> dict[str, object]:
    """Hook name → the spec module of the shipped module publishing it (`MANIFEST.hookspecs`, API 1.3)."""
    import importlib

    from core.plugins.loader import entry_points, published_specs

    found: dict[str, object] = {}
    for ep in entry_points():
        manifest = getattr(ep.load(), "MANIFEST", None)
        if manifest is not None and manifest.hookspecs:
            module = importlib.import_module(manifest.hookspecs)
            found.update({name: module for name in published_specs(module)})
    return found


def _signature(name: str, owner: object) -> str:
    signature = inspect.signature(getattr(owner, name))
    params = []
    for p in signature.parameters.values():
        prefix = "**" if p.kind is p.VAR_KEYWORD else "*" if p.kind is p.VAR_POSITIONAL else ""
        params.append(f"{prefix}{p.name}: {p.annotation}" if p.annotation is not p.empty else p.name)
    return f"{name}({', '.join(params)}) -> {signature.return_annotation}"


def _exact_signature(name: str, owner: object) -> str:
    """The signature as written in Python: `/` and `*` markers and defaults (`name_prefix: str = ""`)."""
    signature = inspect.signature(getattr(owner, name))
    params: list[str] = []
    kinds = [p.kind for p in signature.parameters.values()]
    for i, p in enumerate(signature.parameters.values()):
        if p.kind is p.KEYWORD_ONLY and inspect.Parameter.VAR_POSITIONAL not in kinds and (
                i == 0 or kinds[i - 1] is not p.KEYWORD_ONLY):
            params.append("*")
        prefix = "**" if p.kind is p.VAR_KEYWORD else "*" if p.kind is p.VAR_POSITIONAL else ""
        text = f"{prefix}{p.name}: {p.annotation}" if p.annotation is not p.empty else f"{prefix}{p.name}"
        if p.default is not p.empty:
            text += f' = "{p.default}"' if isinstance(p.default, str) else f" = {p.default!r}"
        params.append(text)
        if p.kind is p.POSITIONAL_ONLY and (i + 1 == len(kinds) or kinds[i + 1] is not p.POSITIONAL_ONLY):
            params.append("/")
    return f"{name}({', '.join(params)}) -> {signature.return_annotation}"


def test_the_page_has_code_blocks_of_every_kind():
    kinds = {lang for _, lang, _ in blocks()}
    assert {"python", "toml", "sh", "jinja"} <= kinds
    assert len(blocks()) > 30


@pytest.mark.parametrize(("line", "lang", "body"), blocks(), ids=[_where(b[0]) for b in blocks()])
def test_code_block(line, lang, body, scaffold):
    first, _, rest = body.partition("\n")
    marker = MARKER.match(first)
    if marker and lang in ("python", "toml", "jinja"):
        path = scaffold / (marker.group(1) or marker.group(2))
        assert rest.strip() and path.exists(), f"{_where(line)}: {path.name} is not a file of the scaffold"
        assert rest in path.read_text(), f"{_where(line)}: this excerpt differs from the scaffold's {path.name}"
        return
    if lang == "python" and all(SIGNATURE.match(x) for x in body.splitlines()):
        for text in body.splitlines():
            name = SIGNATURE.match(text).group(1)  # type: ignore[union-attr]
            owner = hookspecs if hasattr(hookspecs, name) else published_hookspecs().get(name, Platform)
            written = text.split("def ", 1)[1]
            assert written in (_signature(name, owner), _exact_signature(name, owner)), (
                f"{_where(line)}: {name} signature")
        return
    if lang == "python":
        exec(compile(body, _where(line), "exec"), {"__name__": "docs_plugins"})
    elif lang == "toml":
        tomllib.loads(body)
    elif lang == "jinja":
        Environment().parse(body)
    elif lang == "sh":
        for text in filter(None, (x.split(" #")[0].strip() for x in body.splitlines())):
            if text.startswith("socle "):
                try:
                    cli.build_parser().parse_args(shlex.split(text)[1:])
                except SystemExit as error:
                    raise AssertionError(f"{_where(line)}: `{text}` is not a valid socle command") from error
            else:
                assert text.startswith(TOOLS), f"{_where(line)}: `{text}` (add a check for this command)"
    else:
        assert lang == "text", f"{_where(line)}: a ```{lang} block has no checker"
        if first.rstrip("/") == scaffold.name:  # the scaffold's tree: every file named is there
            names = {p.name for p in scaffold.rglob("*")}
            for name in re.findall(r"[\w-]+\.(?:py|toml|md|html)\b", body):
                assert name in names, f"{_where(line)}: the scaffold has no {name}"
