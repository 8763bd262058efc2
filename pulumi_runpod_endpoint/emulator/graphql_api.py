"""``POST /graphql``: operations parsed and validated by graphql-core against the
(reconstructed, completed) schema of the flavor, then resolved by the rooms' GraphQL translations.

HTTP status as RunPod answers (graphql-behaviour evidence): a document the schema refuses, or
variables that do not coerce to their types (an unknown input field, even one sent as null), is a
400 -- runpod-plugins-official issue 56 saw a 400 for exactly that -- with graphql-js's wording
(``graphql_errors``); a resolver's refusal ("No AiApi found", "You can only provide one of
templateId or template.") is a 200 with ``errors`` and whatever ``data`` graphql leaves.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    execute,
    parse,
    validate,
)

from . import documents
from .graphql_errors import js_error
from .routing import Call, Operation, Reply
from .validation import parse_json
from .world import World

__all__ = ["GraphQLApi", "schema_for"]


@cache
def schema_for(flavor: str) -> GraphQLSchema:
    return build_schema(documents.graphql_sdl(flavor))


class _Root(dict[str, Any]):
    """Root value whose callables graphql-core's default resolver calls with (info, **args)."""


class GraphQLApi:
    def __init__(
        self,
        world: World,
        flavor: str,
        mutations: dict[str, Callable[..., Any]],
        myself: dict[str, Callable[..., Any]],
    ) -> None:
        self.world = world
        self.schema = schema_for(flavor)
        self.mutations = mutations
        self.myself = myself

    def operation(self) -> Operation:
        return Operation("POST", "/graphql", "graphql", self.handle, api="graphql", identify=self.identify)

    def identify(self, call: Call) -> str:
        """The journal's and the faults' name for a request: its root fields, comma-joined."""
        try:
            body = parse_json(call.raw_body)
            document = parse(body["query"])
        except Exception:
            return "invalid"
        fields = [
            selection.name.value
            for definition in document.definitions
            if isinstance(definition, OperationDefinitionNode)
            for selection in definition.selection_set.selections
            if isinstance(selection, FieldNode)
        ]
        return ",".join(fields) or "invalid"

    def handle(self, call: Call) -> Reply:
        try:
            body = parse_json(call.raw_body)
        except Exception:
            body = None
        if not isinstance(body, dict):
            return Reply(400, {"errors": [{"message": "POST body must be JSON"}]})
        query = body.get("query")
        if not isinstance(query, str) or not query.strip():
            return Reply(400, {"errors": [{"message": "Must provide query string."}]})
        variables = body.get("variables")
        variables = variables if isinstance(variables, dict) else None
        try:
            document = parse(query)
        except GraphQLError as error:
            return Reply(400, {"errors": [js_error(error, self.schema, variables)]})
        errors = validate(self.schema, document)
        if errors:
            return Reply(400, {"errors": [js_error(error, self.schema, variables) for error in errors]})
        has_user = call.key not in self.world.settings.keys_without_user
        root = _Root(
            myself=(lambda _info: self._myself()) if has_user else (lambda _info: None),
            **self.mutations,
        )
        result = execute(
            self.schema,
            document,
            root_value=root,
            variable_values=variables,
            operation_name=body.get("operationName"),
        )
        assert isinstance(result, ExecutionResult)
        if result.errors and result.data is None and all(error.path is None for error in result.errors):
            # No field ran: the variables or the operation choice were refused before execution.
            return Reply(400, {"errors": [js_error(error, self.schema, variables) for error in result.errors]})
        return Reply(body=result.formatted)

    def _myself(self) -> dict[str, Any]:
        return {"id": self.world.user_id, **self.myself}
