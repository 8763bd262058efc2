"""validation.py: the shared words for bad inputs -- text rules, value display, pydantic errors per field."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, StrictInt, ValidationError, field_validator, model_validator

from pulumi_runpod_endpoint.validation import ID_PATTERN, INT32_MAX, FieldProblem, field_problems, show, text_problem


def test_int32_max() -> None:
    assert INT32_MAX == 2_147_483_647


@pytest.mark.parametrize("good", ["a", "abc123", "A_b-C", "x" * 128, "0lead"])
def test_id_pattern_accepts_api_ids(good: str) -> None:
    assert ID_PATTERN.match(good)


@pytest.mark.parametrize("bad", ["", "-lead", "_lead", "has space", "a/b", "a.b", "..", "x" * 129, "a\n", "é"])
def test_id_pattern_refuses_what_is_not_an_id(bad: str) -> None:
    assert not ID_PATTERN.match(bad)


def test_show_keeps_short_values() -> None:
    assert show("abc") == "'abc'"
    assert show(42) == "42"


def test_show_cuts_huge_values_and_says_how_long_they_were() -> None:
    shown = show("x" * 1_000_000)
    assert len(shown) <= 60 + 20
    assert shown.endswith("...(1000002 chars)")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("", "must not be empty or only whitespace"),
        ("   \t", "must not be empty or only whitespace"),
        ("a\x00b", "must not contain control characters"),
        ("a\nb", "must not contain control characters"),
        ("a\tb", "must not contain control characters"),
        ("a\x7fb", "must not contain control characters"),
        ("x" * 11, "is 11 characters long; at most 10 are allowed"),
        (" lead", "must not start or end with whitespace"),
        ("trail ", "must not start or end with whitespace"),
    ],
)
def test_text_problems_name_the_field_and_the_rule(value: str, words: str) -> None:
    problem = text_problem(value, what="name", max_length=10)
    assert problem is not None
    assert problem.startswith("name ")
    assert words in problem


def test_spaces_can_be_refused() -> None:
    assert text_problem("a b", what="id", max_length=10) is None
    assert text_problem("a b", what="id", max_length=10, allow_spaces=False) == "id must not contain spaces (got 'a b')"


def test_a_huge_hostile_text_is_judged_quickly_and_not_echoed_whole() -> None:
    problem = text_problem("\x00" + "x" * 1_000_000, what="name", max_length=10)
    assert problem is not None
    assert len(problem) < 200


@pytest.mark.parametrize("good", ["a", "my endpt", "ünïcødé-名前", "x" * 10])
def test_usable_text_has_no_problem(good: str) -> None:
    assert text_problem(good, what="name", max_length=10) is None


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    count: StrictInt = 1
    tags: list[str] = []
    low: int = 0
    high: int = 0

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        problem = text_problem(value, what="name", max_length=10)
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _order(self) -> Sample:
        if self.high < self.low:
            raise ValueError("high: must be at least low")
        return self


def problems(**values: Any) -> list[FieldProblem]:
    with pytest.raises(ValidationError) as caught:
        Sample(**values)
    return field_problems(caught.value, cross_fields=["high"])


def test_a_validator_message_is_used_as_is() -> None:
    assert problems(name=" x") == [FieldProblem("name", "name must not start or end with whitespace (got ' x')")]


def test_a_type_error_names_the_field_and_shows_the_value() -> None:
    (problem,) = problems(name="a", count=True)
    assert problem.field == "count"
    assert problem.message.startswith("count: ")
    assert problem.message.endswith("(got True)")


def test_a_nested_error_names_the_path() -> None:
    (problem,) = problems(name="a", tags=["ok", 3])
    assert problem.field == "tags"
    assert problem.message.startswith("tags[1]: ")


def test_an_unknown_input_is_named() -> None:
    assert problems(name="a", bogus=1) == [FieldProblem("bogus", "bogus is not an input of this resource")]


def test_a_missing_input_is_named_without_echoing_the_whole_input() -> None:
    (problem,) = problems()
    assert problem.field == "name"
    assert "got" not in problem.message


def test_a_cross_field_rule_is_attributed_to_its_field_and_marked() -> None:
    assert problems(name="a", low=5, high=1) == [FieldProblem("high", "high: must be at least low", cross_field=True)]


def test_one_problem_per_field() -> None:
    found = problems(name="", count="x", tags=[1, 2])
    assert [p.field for p in found] == ["name", "count", "tags"]


def test_a_huge_bad_value_is_shown_cut_short() -> None:
    (problem,) = problems(name="a", count="9" * 100_000)
    assert len(problem.message) < 200
