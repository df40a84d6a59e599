"""French email templates: `notify/<name>.txt` (required) and `notify/<name>.html` (optional).

The core's live in /templates/notify/. A module's live in its own template folder, under `notify/`
(`plugins/<id>/templates/<id>/notify/<name>.txt`), registered when the plugin loads, and are named
`<plugin id>/<name>` so they never shadow each other or the core's.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

CORE_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
_dirs: list[Path] = [CORE_TEMPLATES]
_plugin_dirs: dict[str, Path] = {}
_environment: jinja2.Environment | None = None


def add_template_dir(path: Path | str) -> None:
    global _environment
    if Path(path) not in _dirs:
        _dirs.append(Path(path))
        _environment = None


def add_plugin_templates(plugin_id: str, folder: Path) -> None:
    """Make `<folder>/notify/<name>.txt|.html` available as the email template `<plugin_id>/<name>`."""
    global _environment
    if _plugin_dirs.get(plugin_id) != folder:
        _plugin_dirs[plugin_id] = folder
        _environment = None


def environment() -> jinja2.Environment:
    global _environment
    if _environment is None:
        _environment = jinja2.Environment(
            loader=jinja2.ChoiceLoader([
                jinja2.FileSystemLoader([str(d) for d in _dirs]),
                jinja2.PrefixLoader({pid: jinja2.FileSystemLoader(str(d)) for pid, d in _plugin_dirs.items()}),
            ]),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=jinja2.StrictUndefined,  # a missing variable fails at enqueue, not in the citizen's inbox
            keep_trailing_newline=True,
            auto_reload=False,  # compiled once per process: no stat of the files on every email (one per booking)
        )
    return _environment


def _path(template: str) -> str:
    plugin_id, _, name = template.rpartition("/")
    return f"{plugin_id}/notify/{name}" if plugin_id in _plugin_dirs else f"notify/{template}"


def render_email(template: str, context: Mapping[str, Any]) -> tuple[str, str | None]:
    """(text, html or None) of the core's `notify/<template>` or a plugin's `<plugin id>/<name>`."""
    env = environment()
    path = _path(template)
    text = env.get_template(f"{path}.txt").render(context)
    try:
        html_template = env.get_template(f"{path}.html")
    except jinja2.TemplateNotFound:
        return text, None
    return text, html_template.render(context)
