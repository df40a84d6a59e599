"""The app factory: `create_app(settings)` builds the whole Litestar application."""

from __future__ import annotations

import hashlib
import importlib
import logging
from collections.abc import Collection
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.logging.config import LoggingConfig
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.middleware.session.client_side import CookieBackendConfig
from litestar.plugins.flash import get_flashes
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from core import db, events, french
from core.auth.guards import provide_actor
from core.auth.sessions import SESSION_LIFETIME
from core.config import Settings
from core.jobs import BackgroundWorker
from core.notify.routes import notifications_menu
from core.ops.health import Readiness
from core.ops.logs import RequestIdMiddleware
from core.ops.metrics import request_metrics_middleware
from core.tenancy.roles import Role
from core.validation import TYPE_DECODERS
from core.web.errors import EXCEPTION_HANDLERS
from core.web.openapi import IsoDatesSchema, declare_errors, openapi_config
from core.web.security import SecurityHeaders, csp_nonce

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"

# Litestar searches these regular expressions anywhere in the path: anchored, or a page such as
# `/offices/1/m/x/api-keys` would lose its CSRF check. `/api/` authenticates by bearer token only: its routers
# are kept out of the pages' routers (`_App.register`), which alone carry the session and CSRF middlewares, so an
# API request runs through no route middleware at all (Litestar then adds no inner exception layer either);
# the patterns still hold for an /api path served from the pages' side.
UNSESSIONED_PATHS = ["^/api/", "^/static/", "^/schema"]
UNPROTECTED_PATHS = ["^/api/", "^/schema"]

# Each capability's routes module exposes ROUTES (controllers and handlers).
ROUTE_MODULES = [
    "core.web.routes",
    "core.auth.routes",
    "core.tenancy.routes",
    "core.notify.routes",
    "core.modules.routes",
    "core.calendar.routes",
    "core.providers.routes",
    "core.plugins.health_routes",
    "core.accounts.routes",
    "core.accounts.pages",
    "core.documents.routes",
    "core.ops.routes",
    "core.operators.routes",
    "core.grants.routes",
]


def _session_secret(settings: Settings) -> bytes:
    return hashlib.sha256(("session:" + settings.secret_key).encode()).digest()


def _under_api(item: Any) -> bool:
    """A router or handler whose every path is under /api/."""
    paths = [item.path] if isinstance(item, Router) else list(getattr(item, "paths", ()))
    return bool(paths) and all(path.startswith("/api/") for path in paths)


class _SharedMiddleware(DefineMiddleware):
    """A middleware definition that Litestar's deep copy of a registered router keeps as it is (the session
    backend holds a cipher, which cannot be copied)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _SharedMiddleware:
        return self


class _App(Litestar):
    """Litestar that puts every route outside /api/ (pages, public pages, static files, the OpenAPI page),
    registered at creation or later, under the pages' middlewares (session, CSRF): nothing registered can
    miss the CSRF check, and an /api route runs through none of them."""

    def __init__(self, route_handlers: list[Any], page_middleware: list[DefineMiddleware], **kwargs: Any) -> None:
        self._page_middleware = page_middleware
        pages = Router("/", route_handlers=[h for h in route_handlers if not _under_api(h)], middleware=page_middleware)
        self._pages = pages
        super().__init__(route_handlers=[*[h for h in route_handlers if _under_api(h)], pages], **kwargs)

    def register(self, value: Any) -> None:
        if value is not self._pages and not _under_api(value):  # one router at creation (a path's GET and POST
            value = Router("/", route_handlers=[value], middleware=self._page_middleware)  # share its OPTIONS)
        super().register(value)


def create_app(settings: Settings, *, manage_database: bool = True, plugins: Collection[str] | None = None) -> Litestar:
    """Build the application. With `manage_database`, the app opens and closes the engine pools.
    `plugins` restricts the loaded `socle.plugins` entry points to these ids (None: all installed)."""
    from core.accounts.mount import account_routers
    from core.documents import bind_storage, storage_for
    from core.plugin_settings import routes as plugin_settings
    from core.plugins import PluginManager, mount
    from core.plugins.health_routes import dashboard_provider as health_dashboard
    from core.plugins.jobs import registry_with_plugin_jobs
    from core.providers.routes import providers_menu

    logging.getLogger("socle").setLevel(logging.DEBUG if settings.debug else logging.INFO)
    access = logging.getLogger("socle.access")
    if access.level == logging.NOTSET:  # off unless `socle serve --access-log` asked (a record per request costs)
        access.setLevel(logging.WARNING)
    manager = PluginManager(settings).load(plugins)
    events.bind(manager.emit)  # domain events of core services (bookings…) reach the plugins' on_event
    events.bind_validator(manager.validate)  # … and plugins may refuse a booking or an order before it commits
    jobs = registry_with_plugin_jobs(manager)
    configs = db.app_configs(manager.app_modules())
    engine = db.create_engine(settings.database_url)
    db.bind(engine, db.all_tables(configs))

    environment = Environment(loader=manager.template_loader(FileSystemLoader(TEMPLATES_DIR)), autoescape=True)
    environment.globals["csp_nonce"] = csp_nonce
    environment.filters["de"] = french.de  # « l'espace {{ name | de }} »: article and elision
    environment.globals["Role"] = Role  # pages test roles with `Role.admin`; the layout's own data is `shell`
    manager.env = environment
    template_config = TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment))
    route_handlers: list[Any] = [create_static_files_router(path="/static", directories=[STATIC_DIR])]
    for name in ROUTE_MODULES:
        route_handlers.extend(importlib.import_module(name).ROUTES)
    route_handlers.extend(mount.plugin_routers(manager))
    route_handlers.extend(mount.static_routers(manager))
    route_handlers.extend(plugin_settings.settings_routers(manager))
    route_handlers.extend(account_routers(manager))
    bind_storage(storage_for(settings))

    worker = BackgroundWorker(settings, jobs) if settings.run_worker else None
    https = settings.base_url.startswith("https://")  # cookies marked Secure behind HTTPS

    async def start() -> None:
        await db.start(engine)
        await manager.check_migrations()
        if worker is not None:
            worker.start()

    async def stop() -> None:
        if worker is not None:
            await worker.stop()
        await db.stop(engine)

    session = CookieBackendConfig(secret=_session_secret(settings), httponly=True, samesite="lax", secure=https,
                                  max_age=int(SESSION_LIFETIME.total_seconds()), key="socle_session",
                                  exclude=UNSESSIONED_PATHS).middleware
    session = _SharedMiddleware(session.middleware, *session.args, **session.kwargs)
    csrf = _SharedMiddleware(CSRFMiddleware, config=CSRFConfig(
        secret=settings.secret_key, exclude=UNPROTECTED_PATHS, cookie_name="socle_csrf", cookie_httponly=False,
        cookie_secure=https))
    # what Litestar's FlashPlugin registers (it insists on an app-level session middleware; ours is the pages')
    template_config.engine_instance.register_template_callable("get_flashes", get_flashes)
    app = _App(
        route_handlers=route_handlers,
        page_middleware=[session, csrf],
        dependencies={"actor": Provide(provide_actor)},
        middleware=request_metrics_middleware(settings),
        template_config=template_config,
        plugins=[IsoDatesSchema()],
        type_decoders=TYPE_DECODERS,
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi_config(),
        on_startup=[start] if manage_database else [],
        on_shutdown=[stop] if manage_database else [],
        state=State({"settings": settings, "plugins": manager, "jobs": jobs,
                     "menu_providers": [mount.menu_provider(manager), plugin_settings.menu_provider(manager),
                                        notifications_menu, providers_menu],
                     "dashboard_providers": [mount.dashboard_provider(manager), health_dashboard(manager)],
                     "office_modules": mount.office_modules(manager),
                     "offices_with_modules": mount.offices_with_modules(manager),
                     "readiness": Readiness(manager.app_modules(), lambda: manager.records)}),
        logging_config=LoggingConfig(configure_root_logger=False, log_exceptions="never"),
        debug=False,
    )
    declare_errors(app)
    # around routing too: unknown paths get an id, and every response (404 before routing, error pages, plugin
    # routes, static files) the security headers
    app.asgi_handler = RequestIdMiddleware(app.asgi_handler, SecurityHeaders(https).headers_for)
    return app
