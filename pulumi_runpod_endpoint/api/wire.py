"""The base of REST v2 wire models, and the one way an answer that does not fit becomes an error.

Pulumi-free. snake_case in Python, camelCase on the wire; fields the API adds later are ignored (a
read must not break because RunPod grew a field), but a missing required field or a wrong type is
an ``UnexpectedAnswer``: it is not RunPod's API answering, and must never be read as a record.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from .errors import UnexpectedAnswer

__all__ = ["V2Model", "parse"]


class V2Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    def wire(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: Any, what: str) -> M:
    """A v2 answer as its model; a shape that does not fit is not the API's answer.

    The message names where the shape broke, never the value there (a value may be a secret).
    """
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "(root)"
        raise UnexpectedAnswer(
            f"{what}: the answer does not fit RunPod's {model.__name__} shape ({where}: {first.get('msg')})"
        ) from None
