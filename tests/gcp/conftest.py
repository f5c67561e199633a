import pytest

from tests.gcp.plans import FoundationPlan, foundation_plan


@pytest.fixture(scope="session", params=["dev", "prod"])
def gplan(request: pytest.FixtureRequest) -> FoundationPlan:
    """The Google Cloud foundation of each shipped stack file."""
    return foundation_plan(request.param)


@pytest.fixture(scope="session")
def gdev() -> FoundationPlan:
    return foundation_plan("dev")


@pytest.fixture(scope="session")
def gprod() -> FoundationPlan:
    return foundation_plan("prod")
