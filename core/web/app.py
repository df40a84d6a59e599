"""The app factory: `create_app(settings)` builds the whole Litestar application."""

from __future__ import annotations

import hashlib
import importlib
import logging
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.openapi import OpenAPIConfig
from litestar.plugins.flash import FlashConfig, FlashPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from core import db
from core.auth.guards import provide_actor
from core.config import Settings
from core.web.errors import EXCEPTION_HANDLERS

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"

# Each capability's routes module exposes ROUTES (controllers and handlers).
ROUTE_MODULES = [
    "core.web.routes",
    "core.auth.routes",
    "core.tenancy.routes",
    "core.calendar.routes",
]


def _session_secret(settings: Settings) -> bytes:
    return hashlib.sha256(("session:" + settings.secret_key).encode()).digest()


def create_app(settings: Settings, *, manage_database: bool = True) -> Litestar:
    """Build the application. With `manage_database`, the app opens and closes the engine pools."""
    logging.basicConfig(level=logging.DEBUG if settings.debug else logging.INFO)
    configs = db.app_configs()
    engine = db.create_engine(settings.database_url)
    db.bind(engine, db.all_tables(configs))

    template_config = TemplateConfig(directory=[TEMPLATES_DIR], engine=JinjaTemplateEngine)
    route_handlers: list[Any] = [create_static_files_router(path="/static", directories=[STATIC_DIR])]
    for name in ROUTE_MODULES:
        route_handlers.extend(importlib.import_module(name).ROUTES)

    async def start() -> None:
        await db.start(engine)

    async def stop() -> None:
        await db.stop(engine)

    return Litestar(
        route_handlers=route_handlers,
        dependencies={"actor": Provide(provide_actor)},
        middleware=[CookieBackendConfig(secret=_session_secret(settings), httponly=True, samesite="lax",
                                        max_age=12 * 3600, key="socle_session").middleware],
        csrf_config=CSRFConfig(secret=settings.secret_key, exclude=["/api", "/schema"],
                               cookie_name="socle_csrf", cookie_httponly=False),
        template_config=template_config,
        plugins=[FlashPlugin(config=FlashConfig(template_config=template_config))],
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(title="Socle", version="1", path="/schema"),
        on_startup=[start] if manage_database else [],
        on_shutdown=[stop] if manage_database else [],
        state=State({"settings": settings, "menu_providers": []}),
        debug=False,
    )
