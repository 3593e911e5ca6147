"""The `gateway` fixture: one adapter under contract, opened on its sandbox (gateways.py)."""

import pytest

from skinspire.gateways.tests.contract.gateways import open_gateway


@pytest.fixture
def gateway(request, hospital):
    return open_gateway(request.param, hospital=hospital)
