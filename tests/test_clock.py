"""`make test-dates` runs the date-sensitive tests again at the day's edges: the clock
fixture in conftest.py must really move the clock there."""

from datetime import UTC, datetime, time

import pytest
from django.utils import timezone

from tests.conftest import TEST_CLOCK


@pytest.mark.date_sensitive
def test_date_sensitive_tests_start_at_the_chosen_time_of_day():
    if not TEST_CLOCK:
        pytest.skip("ASCN_TEST_CLOCK is not set: the clock is the machine's")
    now = timezone.now()
    start = datetime.combine(datetime.now(UTC).date(), time.fromisoformat(TEST_CLOCK), tzinfo=UTC)

    assert start <= now < start.replace(second=59)
