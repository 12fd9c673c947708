import pytest
from django.urls import reverse

from ascn_portal.core.models import AuditEntry
from delegations.models import Delegation
from tests.factories import UserFactory
from tests.factories.delegations import DelegationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegation():
    return DelegationFactory(
        name="Indonesia", national_representative=UserFactory(role="national_representative")
    )


def status(delegation):
    return Delegation.objects.get(pk=delegation.pk).roster_status


def test_nr_approves_then_secretariat_returns_then_confirms(client, delegation):
    secretariat = UserFactory(role="secretariat")
    client.force_login(delegation.national_representative)
    client.post(reverse("delegations:roster_approve", args=[delegation.pk]))
    assert status(delegation) == "approved"

    client.force_login(secretariat)
    page = client.post(
        reverse("delegations:roster_return", args=[delegation.pk]),
        {"reason": "Please add the city representatives."},
        follow=True,
    )
    assert status(delegation) == "returned"
    assert "Please add the city representatives." in page.content.decode()

    client.force_login(delegation.national_representative)
    client.post(reverse("delegations:roster_approve", args=[delegation.pk]))
    client.force_login(secretariat)
    client.post(reverse("delegations:roster_confirm", args=[delegation.pk]))

    assert status(delegation) == "confirmed"
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "delegations.roster.approve",
        "delegations.roster.return",
        "delegations.roster.approve",
        "delegations.roster.confirm",
    ]


def test_nr_cannot_confirm_own_roster(client, delegation):
    Delegation.objects.filter(pk=delegation.pk).update(roster_status="approved")
    client.force_login(delegation.national_representative)

    response = client.post(reverse("delegations:roster_confirm", args=[delegation.pk]))

    assert response.status_code == 403
    assert status(delegation) == "approved"


def test_secretariat_cannot_confirm_a_draft(client, delegation):
    client.force_login(UserFactory(role="secretariat"))

    response = client.post(reverse("delegations:roster_confirm", args=[delegation.pk]), follow=True)

    assert "it cannot be changed that way now" in response.content.decode()
    assert status(delegation) == "draft"
    assert AuditEntry.objects.count() == 0


def test_return_needs_a_reason(client, delegation):
    Delegation.objects.filter(pk=delegation.pk).update(roster_status="approved")
    client.force_login(UserFactory(role="secretariat"))

    response = client.post(
        reverse("delegations:roster_return", args=[delegation.pk]), {"reason": ""}, follow=True
    )

    assert "Please give a reason." in response.content.decode()
    assert status(delegation) == "approved"
