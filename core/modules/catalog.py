"""The catalog: installed modules as the plugin manager loaded them, with prices and dependencies."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.errors import ValidationFailed
from core.plugin_api.manifest import Billing, Manifest
from core.plugins.manager import PluginManager
from core.plugins.records import PluginStatus


@dataclass(frozen=True, slots=True)
class ModuleInfo:
    id: str
    title: str
    summary: str
    version: str
    price_ht: Decimal
    billing: Billing
    status: PluginStatus
    depends: tuple[str, ...]
    error: str = ""

    @property
    def orderable(self) -> bool:
        return self.status is PluginStatus.ok


class Catalog:
    def __init__(self, modules: list[ModuleInfo]) -> None:
        self.modules = {m.id: m for m in modules}

    @classmethod
    def of(cls, manager: PluginManager) -> Catalog:
        infos = []
        for record in manager.records:
            manifest = record.manifest or Manifest(id=record.id, title=record.id)
            infos.append(ModuleInfo(record.id, manifest.title, manifest.summary, record.version,
                                    manifest.price_ht, manifest.billing, record.status, manifest.depends,
                                    record.error))
        return cls(sorted(infos, key=lambda m: m.title.lower()))

    def all(self) -> list[ModuleInfo]:
        return list(self.modules.values())

    def orderable(self) -> list[ModuleInfo]:
        return [m for m in self.modules.values() if m.orderable]

    def get(self, module_id: str, field: str = "module") -> ModuleInfo:
        """An orderable module, or a French error naming `field`."""
        module = self.modules.get(module_id)
        if module is None:
            raise ValidationFailed.on(field, f"Module inconnu : « {module_id} ».")
        if not module.orderable:
            raise ValidationFailed.on(field, f"Le module « {module.title} » est indisponible ({module.status.label}).")
        return module

    def dependencies(self, module_id: str) -> list[str]:
        """Every module `module_id` needs, transitively, dependencies first."""
        seen: list[str] = []

        def visit(current: str) -> None:
            for dep in self.modules[current].depends if current in self.modules else ():
                if dep not in seen:
                    visit(dep)
                    seen.append(dep)

        visit(module_id)
        return seen

    def dependents(self, module_id: str) -> list[str]:
        """Every module that needs `module_id`, transitively."""
        return [m.id for m in self.modules.values() if module_id in self.dependencies(m.id)]
