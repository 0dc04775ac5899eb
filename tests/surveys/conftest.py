"""The hand-computed survey of test_results, for the other survey tests too."""

from tests.surveys.test_results import seeded  # noqa: F401 - a fixture
