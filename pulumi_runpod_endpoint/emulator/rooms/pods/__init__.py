"""Pods, only as far as other rooms' rules need them (no ``/v2/pods`` is served yet).

Tests declare pods through the control API (``POST /_emulator/pods``): a pod that references a
template blocks the template's delete, a pod that pulls with a registry credential blocks the
credential's delete (spec: deleteTemplate, deleteRegistry).
"""

from .state import Pod, PodStore

__all__ = ["Pod", "PodStore"]
