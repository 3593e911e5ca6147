# Celery's autodiscovery finds only this module; the webhook inbox's tasks register here.
from skinspire.gateways.webhooks.tasks import *  # noqa: F403
