"""Plugins' background jobs (`register_jobs`) handed to the worker's registry."""

from __future__ import annotations

from core.jobs import JobContext, Registry, default_registry
from core.jobs.registry import JOB_PREFIX
from core.plugin_api.types import JobSpec
from core.plugins.manager import PluginManager


def _adapter(spec: JobSpec):  # type: ignore[no-untyped-def]
    async def run(context: JobContext) -> None:
        await spec.handler(context.payload)

    run.__qualname__ = spec.name
    return run


def register_plugin_jobs(manager: PluginManager, registry: Registry = default_registry) -> list[str]:
    """Register every healthy plugin's jobs (periodic when `every_seconds` is set); returns their names.

    An app built again in the same process (tests) replaces the handlers the previous one registered."""
    names = []
    for spec in manager.jobs():
        names.append(spec.name)
        registry.handlers.pop(JOB_PREFIX + spec.name, None)
        registry.periodic.pop(spec.name, None)
        if spec.every_seconds:
            registry.register_periodic(spec.name, spec.every_seconds, _adapter(spec))
        else:
            registry.register_job(spec.name, _adapter(spec))
    return names
