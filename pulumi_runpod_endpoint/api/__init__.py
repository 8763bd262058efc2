"""RunPod / Tensor One Serverless endpoint API clients. No Pulumi imports here."""

from .enums import Backend, ComputeType, ScalerType
from .errors import (
    ApiError,
    NotFound,
    RateLimited,
    RunPodError,
    ServerError,
    TransportError,
    Unauthorized,
    ValidationFailed,
)
from .graphql import GraphQLClient
from .models import Endpoint, EndpointSpec
from .rest import RestClient
from .service import EndpointService
from .transport import RetryPolicy, Transport

__all__ = [
    "ApiError",
    "Backend",
    "ComputeType",
    "Endpoint",
    "EndpointService",
    "EndpointSpec",
    "GraphQLClient",
    "NotFound",
    "RateLimited",
    "RestClient",
    "RetryPolicy",
    "RunPodError",
    "ScalerType",
    "ServerError",
    "Transport",
    "TransportError",
    "Unauthorized",
    "ValidationFailed",
]
