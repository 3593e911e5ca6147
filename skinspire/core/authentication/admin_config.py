"""django.contrib.admin with our site as `admin.site` (listed in INSTALLED_APPS instead of it).

Kept out of core/apps.py: Django picks an app's config among the AppConfig classes in its
apps module, and AdminConfig there would be taken for core's.
"""

from django.contrib.admin.apps import AdminConfig


class SkinspireAdminConfig(AdminConfig):
    default_site = "skinspire.core.authentication.admin_site.SkinspireAdminSite"
