"""ASGI entry point: Django, with the live pages' streams answered beside it
(``public.live_stream``: a stream holds no thread)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupmanager.settings")
django_application = get_asgi_application()  # sets Django up before the import below

from public.live_stream import LiveStreams  # noqa: E402

application = LiveStreams(django_application)
