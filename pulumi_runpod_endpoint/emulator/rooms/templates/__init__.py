"""Templates: for now only their state, which endpoint creates from ``templateId`` read.

The templates room proper (``/v2/templates`` and GraphQL ``saveTemplate``, issue 17) adds its
``rest_v2.py`` / ``graphql.py`` and a ``TemplatesRoom`` here, around this same store. Until
then tests seed templates through the control API: ``POST /_emulator/templates``.
"""

from .state import Template, TemplateStore

__all__ = ["Template", "TemplateStore"]
