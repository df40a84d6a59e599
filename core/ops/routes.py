"""/healthz (the process answers), /readyz (it can serve: database, migrations, plugins) and /metrics."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from core.ops.metrics import NO_METRICS, metrics_response

NOT_READY = "Ce processus n'est pas prêt à servir."
# No session cookie, no CSRF cookie, not counted in the request metrics.
OPS = {"skip_session": True, "exclude_from_csrf": True, NO_METRICS: True}


@get("/healthz", include_in_schema=False, sync_to_thread=False, opt=OPS)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/readyz", include_in_schema=False, opt=OPS)
async def readyz(request: Request[Any, Any, Any]) -> Response[Any]:
    problems = await request.app.state.readiness.problems()
    if problems:
        body = {"detail": NOT_READY, "errors": [{"field": p.field, "message": p.message} for p in problems]}
        return Response(body, status_code=503, headers={"Cache-Control": "no-store"})
    return Response({"status": "ok"}, headers={"Cache-Control": "no-store"})


@get("/metrics", include_in_schema=False, opt=OPS)
async def metrics(request: Request[Any, Any, Any]) -> Response[Any]:
    return await metrics_response(request)


ROUTES = [healthz, readyz, metrics]
