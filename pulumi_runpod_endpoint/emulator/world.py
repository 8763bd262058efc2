"""What every room shares: the clock, the settings, RunPod's catalog, the account, one lock."""

from __future__ import annotations

import random
import string
import threading

from .catalog import Catalog
from .clock import Clock, SystemClock
from .settings import EmulatorSettings

__all__ = ["World"]

_ALPHABET = string.ascii_lowercase + string.digits


class World:
    def __init__(
        self,
        clock: Clock | None = None,
        settings: EmulatorSettings | None = None,
        catalog: Catalog | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.settings = settings or EmulatorSettings()
        self.startup_settings = self.settings.copy()
        self.catalog = catalog or Catalog.shipped()
        self.rng = rng or random.SystemRandom()
        self.lock = threading.RLock()
        self.user_id = "user_" + self.new_id(24)

    def new_id(self, length: int = 14) -> str:
        return "".join(self.rng.choice(_ALPHABET) for _ in range(length))

    def restore_settings(self) -> None:
        """Back to the settings the emulator started with (the command line's), same object."""
        self.settings.__dict__.update(self.startup_settings.copy().__dict__)
