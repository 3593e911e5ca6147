"""Where a configuration sends its credentials: its provider, mode and two effective base
URLs. Moving a stored configuration to another destination clears every secret not typed
again (skinspire.gateways.rules), so credentials entered for one destination are never
sent to another. Base URLs are compared as the adapter would use them: an empty base URL
and the provider's official host are the same destination.
"""

from collections.abc import Mapping
from typing import Any

from skinspire.gateways.models import GatewayConfiguration

DESTINATION_FIELD_NAMES = ("provider", "mode", "base_url", "payout_base_url")


def _destination(values: Mapping[str, Any]) -> tuple[str, str, str, str]:
    probe = GatewayConfiguration(**{name: values[name] or "" for name in DESTINATION_FIELD_NAMES})
    return probe.provider, probe.mode, probe.effective_base_url, probe.effective_payout_base_url


def destination_moved(*, stored: GatewayConfiguration, fields: Mapping[str, Any]) -> bool:
    """Whether `fields` (a configuration's plain fields after a change) point the stored
    configuration's credentials somewhere else."""
    before = {name: getattr(stored, name) for name in DESTINATION_FIELD_NAMES}
    after = {**before, **{name: fields[name] for name in DESTINATION_FIELD_NAMES if name in fields}}
    return _destination(before) != _destination(after)
