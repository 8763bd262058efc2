"""The lookups on the in-process emulator's ``/v2/catalog``, which serves the catalog shipped with the
package (``pulumi_runpod_endpoint/data/catalog.json``): the expected values below are that file's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_runpod_endpoint.lookups import LiveCatalog
from tests.unit.emulated import REST_URL, Stack, new_stack


@pytest.fixture
def stack() -> Iterator[Stack]:
    made = new_stack()
    yield made
    made.close()


@pytest.fixture
def live(stack: Stack) -> LiveCatalog:
    return LiveCatalog(stack.session(), REST_URL)
