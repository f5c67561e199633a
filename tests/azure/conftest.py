import pytest

from tests.azure.stacks import Built, azure


@pytest.fixture(scope="session", params=["dev", "prod"])
def built(request: pytest.FixtureRequest) -> Built:
    """The Azure foundation of each shipped stack file."""
    return azure(request.param)


@pytest.fixture(scope="session")
def dev() -> Built:
    return azure("dev")


@pytest.fixture(scope="session")
def prod() -> Built:
    return azure("prod")
