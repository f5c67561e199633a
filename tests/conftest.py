import pytest

from tests.plans import Plan, plan_for


@pytest.fixture(scope="session", params=["dev", "prod"])
def plan(request: pytest.FixtureRequest) -> Plan:
    """The plan of each shipped stack file."""
    return plan_for(request.param)


@pytest.fixture(scope="session")
def dev() -> Plan:
    return plan_for("dev")


@pytest.fixture(scope="session")
def prod() -> Plan:
    return plan_for("prod")
