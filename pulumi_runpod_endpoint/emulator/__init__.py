"""A RunPod-compatible API emulator: REST v2 and GraphQL (RunPod's and Tensor One's flavor).

An independent oracle: built from the documents in ``specs/`` (RunPod's v2 OpenAPI, the GraphQL
schema, QUIRKS.md...) and RunPod's catalog (``pulumi_runpod_endpoint/data/catalog.json``); it
imports nothing from the client, the provider or the resources, so tests that pass against it
say something about the real API.

Layout -- the pattern every resource follows::

    app.py            composes rooms + pipeline + GraphQL + control API into one ASGI app
    middleware.py     the path of every API request: request id, latency, auth, faults,
                      rate limit, 403, handler, lost response, headers, journal
    routing.py        Operation (method, path, operationId, handler), Call, Reply
    problems.py       RFC 9457 errors (ApiError and friends -> application/problem+json)
    validation.py     request bodies against the spec's own schemas (JSON Schema 2020-12)
    documents.py      the spec files and the catalog, loaded once
    catalog.py        the catalog as data the rules consult
    clock.py          SystemClock / ManualClock: all time goes through one of them
    settings.py       the knobs (drain, rollout, quota, rate limits, keys...)
    ratelimit.py      the imposed rate limit and its RateLimit headers
    faults.py journal.py control.py transport.py process.py __main__.py
    graphql_api.py    /graphql: parse, validate, execute with the rooms' resolvers
    rooms/<resource>/ one room per RunPod resource:
        state (store.py / state.py)  canonical records and the platform's rules; no HTTP, no wire
                                     names (the moto way); time only through world.clock
        rest_v2.py                   the v2 wire: validate the body against the spec's schema,
                                     apply the front door's prose rules, translate to and from
                                     the canonical record, list the room's Operations
        graphql.py                   the GraphQL wire, when the resource has one
        __init__.py                  the Room: operations(), graphql_mutations(),
                                     graphql_myself(), reset() -- a REST-only room
                                     subclasses rooms.RestRoom and sets rest and store

    rooms/pods/       pods declared by tests (control API), listed and read on /v2/pods

Rooms served: endpoints (``/v2/serverless``), templates (``/v2/templates``), network volumes
(``/v2/network-volumes``), registries (``/v2/registries``), catalog (``/v2/catalog/*``), pods
(``GET /v2/pods``, ``GET /v2/pods/{id}``: the declared pods, read-only). Rules
that span rooms are wired in ``app.py`` with callbacks: a template's delete asks which endpoints
are bound to it, a registry credential's delete drops it from templates and endpoints; besides,
a v2 endpoint delete takes its bound template along, and templates and credentials consult the
declared pods.

To add a resource: create ``rooms/<resource>/`` with those files, add the room to
``Emulator.rooms`` in ``app.py``, and add its tests under ``tests/emulator/``. The pipeline,
journal, faults, rate limit, problem+json and the conformance run then apply to it without
further work (an operation with write-only body fields lists them in ``journal_redacts``).

Control API (``/_emulator``; no key, never journaled, errors are problem+json too):

    GET|DELETE  /journal                     the requests served, in order (credentials redacted)
    GET|POST|DELETE /faults                  injected faults (``?append=true`` to add)
    POST        /reset                       empty every room; startup settings back
    GET|POST    /settings                    the knobs in ``settings.py``
    GET|POST    /clock                       read; ``{"advance": s}`` / ``{"set": t}`` (manual clock)
    POST        /endpoints/{id}/workers      put workers in a status: ``{"status", "count", "version"}``
    POST        /endpoints/{id}/template     bind an endpoint to a template as GraphQL or the console
                                             does: ``{"templateId"}`` (its settings are not changed)
    GET|POST    /templates                   seed one as given (no rules; ``"catalog": true`` for a
                                             public catalog template of another user), or list all
                                             with ``boundEndpoints`` and ``pods``
    GET|POST    /network-volumes             seed one (an ``id`` may be given; v2 schema and rules)
                                             or list them
    GET|POST    /registries                  seed one (an ``id`` may be given; v2 schema and rules)
                                             or list them with the ``pods`` pulling with each
    POST        /registries/{id}/verify      ``{"username", "password"}`` -> ``{"matches": bool}``:
                                             check what was stored; nothing hands a credential back
    GET|POST    /pods                        declare a pod: ``{"name"?, "templateId"?, "registry"?,
                                             "networkVolumeId"?, "seconds"?}`` -- it blocks that
                                             template's and that credential's delete (400) for
                                             ``seconds`` on the emulator clock, or until deleted, and
                                             ``GET /v2/pods`` lists it meanwhile; or list live pods
    DELETE      /pods/{id}                   the pod is gone
"""

from .app import Emulator
from .clock import Clock, ManualClock, SystemClock
from .faults import Fault, FaultPlan
from .journal import Journal, JournalEntry
from .middleware import DroppedConnection
from .process import EmulatorProcess
from .settings import EmulatorSettings
from .transport import EmulatorTransport

__all__ = [
    "Clock",
    "DroppedConnection",
    "Emulator",
    "EmulatorProcess",
    "EmulatorSettings",
    "EmulatorTransport",
    "Fault",
    "FaultPlan",
    "Journal",
    "JournalEntry",
    "ManualClock",
    "SystemClock",
]
