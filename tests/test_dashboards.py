import pytest
from django.urls import reverse

from ascn_portal.accounts.enums import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = list(Role)
WRONG_ROLE_PAIRS = [(viewer, page) for viewer in ROLES for page in ROLES if viewer != page]


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_home_sends_each_role_to_its_dashboard(client, role):
    client.force_login(UserFactory(role=role))

    response = client.get(reverse("dashboards:home"))

    assert response.status_code == 302
    assert response.url == reverse(f"dashboards:{role}")


@pytest.mark.parametrize("role", ROLES)
def test_role_dashboard_shows_empty_states_to_its_role(client, role, django_assert_max_num_queries):
    client.force_login(UserFactory(role=role))

    # Session, user, meetings, the role's own section, coordination and action items.
    with django_assert_max_num_queries(8):
        response = client.get(reverse(f"dashboards:{role}"))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1>") == 1
    assert 'class="empty-state"' in content


@pytest.mark.parametrize(("viewer", "page"), WRONG_ROLE_PAIRS)
def test_role_dashboard_forbidden_to_other_roles(client, viewer, page):
    client.force_login(UserFactory(role=viewer))

    response = client.get(reverse(f"dashboards:{page}"))

    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


@pytest.mark.parametrize("page", [*ROLES, "home"])
def test_dashboards_send_anonymous_visitors_to_login(client, page):
    url = reverse(f"dashboards:{page}")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_account_without_role_sees_explanation(client):
    client.force_login(UserFactory(role=""))

    response = client.get(reverse("dashboards:home"))

    assert response.status_code == 200
    assert "Your account has no role in the network yet." in response.content.decode()


@pytest.mark.parametrize("meetings", [1, 8])
def test_nr_and_delegate_dashboards_show_their_own_delegation(
    client, meetings, django_assert_max_num_queries
):
    from tests.factories.delegations import DelegationFactory, ParticipantFactory
    from tests.factories.meetings import MeetingFactory

    nr = UserFactory(role="national_representative")
    delegate = UserFactory(role="delegate")
    for n in range(meetings):
        delegation = DelegationFactory(
            meeting=MeetingFactory(title=f"Meeting {n}"),
            name="Indonesia",
            quota=5,
            national_representative=nr,
        )
        ParticipantFactory(delegation=delegation, user=delegate, email=delegate.email)
        ParticipantFactory(delegation=delegation, status="registered")
    DelegationFactory(country=None, name="Somebody else's", national_representative=UserFactory())

    client.force_login(nr)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("dashboards:national_representative")).content.decode()
    assert page.count("2 of 5 seats taken, 1 registered") == meetings
    assert "Somebody else" not in page

    client.force_login(delegate)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("dashboards:delegate")).content.decode()
    assert page.count("My registration") == meetings
