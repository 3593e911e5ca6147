import os

from django.core.wsgi import get_wsgi_application

from skinspire.core import request_content_type

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skinspire.settings.local")
application = request_content_type.wsgi_application(get_wsgi_application())
