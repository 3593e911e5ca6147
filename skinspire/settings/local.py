"""Development: `make run`."""

from skinspire.settings.base import *  # noqa: F403
from skinspire.settings.env import env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
