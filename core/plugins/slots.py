"""Named insertion points on core pages (plugin API 1.2): each page asks `fill_slot` for its slot, which calls
`render_slot` on the modules active in the page's office and turns their `SlotContent` into escaped HTML.

Nothing a module returns is trusted as HTML: text is escaped, templates are the module's own (autoescaped),
head links point into the module's own static folder. A module that raises or returns something else is
skipped (and recorded like any failing hook); the page still renders."""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request
from markupsafe import Markup, escape

from core.plugin_api.types import SLOT_NAMES, SlotContent
from core.plugins.manager import PluginManager

log = logging.getLogger("socle.plugins")

STATIC_PATH = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_./-]{0,199}$")


def static_path(plugin_id: str, path: str) -> str | None:
    """`/static/m/<id>/<path>` for a safe relative path inside the module's static folder, else None."""
    if not STATIC_PATH.match(path) or ".." in path.split("/") or "//" in path:
        return None
    return f"/static/m/{plugin_id}/{path}"


def render_item(manager: PluginManager, plugin_id: str, slot: str, item: Any) -> Markup:
    if not isinstance(item, SlotContent):
        log.warning("plugin %s: render_slot(%s) returned %r, not a SlotContent; ignored", plugin_id, slot, item)
        return Markup("")
    if slot == "public_head":
        links = []
        if item.stylesheet and (href := static_path(plugin_id, item.stylesheet)):
            links.append(Markup('<link rel="stylesheet" href="{}">').format(href))
        if item.script and (src := static_path(plugin_id, item.script)):
            links.append(Markup('<script src="{}" defer></script>').format(src))
        return Markup("").join(links)
    parts: list[Markup] = []
    if item.text:
        parts.append(Markup("<p>{}</p>").format(item.text))
    if item.template:
        if not item.template.startswith(f"{plugin_id}/"):
            log.warning("plugin %s: slot template %r is not the module's own; ignored", plugin_id, item.template)
        else:
            parts.append(Markup(manager.render_fragment(item.template, dict(item.context))))
    if not parts:
        return Markup("")
    return Markup('<div class="module-slot" data-module="{}">{}</div>').format(plugin_id, Markup("").join(parts))


async def fill_slot(request: Request[Any, Any, Any], office: Any, slot: str, **context: Any) -> Markup:
    """The HTML of `slot` for a page shown in `office` (an office row or info with `id`); empty without one."""
    assert slot in SLOT_NAMES, slot
    manager: PluginManager | None = request.app.state.get("plugins")
    if manager is None or office is None:
        return Markup("")
    results = await manager.call_for_office("render_slot", office.id, request=request, office=office, slot=slot,
                                            context=context)
    html = []
    for plugin_id, items in results:
        for item in items if isinstance(items, list | tuple) else [items]:
            try:
                html.append(render_item(manager, plugin_id, slot, item))
            except Exception:
                log.exception("plugin %s: slot %s content not rendered", plugin_id, slot)
    return escape("").join(html) if slot == "public_head" else Markup("\n").join(h for h in html if h)
