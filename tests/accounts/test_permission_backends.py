"""Rights come from rules.py; the admin's model permissions count for staff only."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_model_permission_counts_for_staff_and_costs_a_delegate_no_query(
    django_assert_num_queries,
):
    change = Permission.objects.get(codename="change_meeting", content_type__app_label="meetings")
    delegate = UserFactory(role="delegate")
    delegate.user_permissions.add(change)
    staff = UserFactory(role="delegate", is_staff=True)
    staff.user_permissions.add(change)

    with django_assert_num_queries(0):
        assert not delegate.has_perm("meetings.change_meeting")
    assert staff.has_perm("meetings.change_meeting")
    assert UserFactory(role="secretariat").has_perm("meetings.manage_meeting")
