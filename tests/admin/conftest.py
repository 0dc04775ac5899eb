import pytest

from tests.staff.helpers import FreshContextClient


@pytest.fixture
def web(client):
    """The test client with an application context per request (see FreshContextClient)."""
    return FreshContextClient(client)
