"""App factories for the benchmarks (uvicorn --factory)."""

from litestar import Litestar, get

from core.config import Settings
from core.web import create_app


@get("/hello")
async def hello() -> dict[str, str]:
    return {"message": "bonjour"}


def hello_app() -> Litestar:
    return Litestar(route_handlers=[hello])


def socle_app() -> Litestar:
    return create_app(Settings.from_env())
