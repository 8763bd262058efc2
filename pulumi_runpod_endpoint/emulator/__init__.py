"""A RunPod-compatible API emulator (REST v1 + GraphQL, and Tensor One's GraphQL flavor).

Built from the API documents in ``specs/`` only -- it imports nothing from the client or the
provider -- so tests that pass against it say something about the real API.
"""

from .app import DroppedConnection, Emulator, EmulatorTransport
from .faults import Fault, FaultPlan, Journal, JournalEntry
from .state import EmulatorSettings, EmulatorState

__all__ = [
    "DroppedConnection",
    "Emulator",
    "EmulatorSettings",
    "EmulatorState",
    "EmulatorTransport",
    "Fault",
    "FaultPlan",
    "Journal",
    "JournalEntry",
]
