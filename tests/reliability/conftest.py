"""The reliability suite prints its fault table (cases, passed, leaks) at the end of the run."""

from __future__ import annotations

import pytest

from tests.reliability.table import TABLE


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = TABLE.lines()
    if lines:
        terminalreporter.section("fault matrix: operation x fault (passed/cases over every request position)")
        for line in lines:
            terminalreporter.write_line(line)
    if TABLE.notes:
        terminalreporter.section("reliability figures")
        for line in TABLE.notes:
            terminalreporter.write_line(line)
