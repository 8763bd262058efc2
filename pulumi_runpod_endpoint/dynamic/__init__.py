"""The Pulumi side shared by every resource: the engine protocol's helpers and the base provider.

Kept apart from ``api/`` (which never imports Pulumi) and from the resource rooms (which hold only
what is specific to one resource).
"""
