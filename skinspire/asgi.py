import os

from django.core.asgi import get_asgi_application

from skinspire.core import request_content_type

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skinspire.settings.local")
application = request_content_type.asgi_application(get_asgi_application())
