"""What a module implementing `register_exam_providers` (see hookspecs.py) uses: the `ExamProvider` protocol,
its data classes, `ExamProviderError` (French message for the school) and `ExamProviderEntry`. Versioned with
`EXAM_HOOKS_VERSION`: within 1.x names are only added."""

from plugins.passerelle_examens.hookspecs import EXAM_HOOKS_VERSION
from plugins.passerelle_examens.providers.base import (
    AllocatedPlace,
    Booking,
    Capability,
    Centre,
    ExamProvider,
    ExamProviderEntry,
    ExamProviderError,
    ExamType,
    Mandate,
    Slot,
)

__all__ = ["EXAM_HOOKS_VERSION", "AllocatedPlace", "Booking", "Capability", "Centre", "ExamProvider",
           "ExamProviderEntry", "ExamProviderError", "ExamType", "Mandate", "Slot"]
