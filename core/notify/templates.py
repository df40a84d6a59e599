"""French email templates: `notify/<name>.txt` (required) and `notify/<name>.html` (optional).

The core's live in /templates/notify/; a module adds its folder with `add_template_dir` and names its
templates `<plugin id>/…` so they never shadow each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

CORE_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
_dirs: list[Path] = [CORE_TEMPLATES]
_environment: jinja2.Environment | None = None


def add_template_dir(path: Path | str) -> None:
    global _environment
    if Path(path) not in _dirs:
        _dirs.append(Path(path))
        _environment = None


def environment() -> jinja2.Environment:
    global _environment
    if _environment is None:
        _environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in _dirs]),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=jinja2.StrictUndefined,  # a missing variable fails at enqueue, not in the citizen's inbox
            keep_trailing_newline=True,
        )
    return _environment


def render_email(template: str, context: Mapping[str, Any]) -> tuple[str, str | None]:
    """(text, html or None) of `notify/<template>`."""
    env = environment()
    text = env.get_template(f"notify/{template}.txt").render(context)
    try:
        html_template = env.get_template(f"notify/{template}.html")
    except jinja2.TemplateNotFound:
        return text, None
    return text, html_template.render(context)
