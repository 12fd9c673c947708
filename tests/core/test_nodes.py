"""Web and worker nodes that share nothing but PostgreSQL, Redis and the object store.

Two gunicorn web nodes and one Celery worker run as separate processes, each in a
working directory of its own (no shared disk), as on separate machines.
"""

import re
import uuid

import pytest
import redis
import requests
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from ascn_portal.core.enums import DocumentStatus
from ascn_portal.core.models import GeneratedDocument
from tests.celery_worker import CeleryWorker, database_url, wait_until
from tests.conftest import require
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.meetings import MeetingFactory
from tests.nodes import BeatNode, WebNode, node_env, redis_url_with_db

pytestmark = pytest.mark.redis

LOGIN_URL = reverse("account_login")
TOO_MANY = "Too many failed login attempts. Try again in"


@pytest.fixture(scope="module")
def shared_services(django_db_setup, django_db_blocker, s3_server, tmp_path_factory):
    """URLs of the services every node shares: the test database, the broker, a Redis
    cache of its own (emptied first) and a fresh bucket."""
    import os

    from django.db import connection

    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        require("nodes need CELERY_BROKER_URL=redis://…")
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            require("nodes need the test database on PostgreSQL (DATABASE_URL)")
        database = database_url(connection.settings_dict)
    db = int(broker.rsplit("/", 1)[-1]) if re.search(r"/\d+$", broker) else 0
    cache = redis_url_with_db(broker, (db + 1) % 16)
    redis.Redis.from_url(cache).flushdb()
    bucket, storage = s3_server.new_bucket()
    return {
        "database_url": database,
        "broker_url": broker,
        "cache_url": cache,
        "storage_url": storage,
        "bucket": bucket,
        "root": tmp_path_factory.mktemp("nodes"),
    }


@pytest.fixture(scope="module")
def cluster(shared_services):
    services = {k: v for k, v in shared_services.items() if k.endswith("_url")}
    root = shared_services["root"]
    web_a = WebNode(name="web-a", env=node_env(**services, home=root / "a"), home=root / "a")
    web_b = WebNode(name="web-b", env=node_env(**services, home=root / "b"), home=root / "b")
    worker_home = root / "worker"
    worker_home.mkdir()
    worker = CeleryWorker(
        env=node_env(**services, home=worker_home), log_dir=worker_home, cwd=worker_home
    )
    from ascn_portal.celery import app

    app.conf.broker_url = services["broker_url"]
    app.control.purge()
    started = []
    try:
        for node in (web_a, web_b, worker):
            node.start()
            started.append(node)
        yield web_a, web_b, worker
    finally:
        for node in reversed(started):
            node.stop()


@pytest.fixture
def secretariat(transactional_db, settings):
    # The nodes check passwords with the portal's own hashers, not the tests' quick one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = UserFactory(role="secretariat")
    user.password = make_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def behind_one_address():
    """A browser session whose requests reach either node as through a load balancer:
    with the one public Host (here plain 127.0.0.1), whichever port answers."""
    session = requests.Session()
    session.headers["Host"] = "127.0.0.1"
    return session


def log_in(session, node, email, password):
    page = session.get(f"{node.url}{LOGIN_URL}", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        f"{node.url}{LOGIN_URL}",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{node.url}{LOGIN_URL}"},
        timeout=30,
    )


def test_document_asked_on_a_rendered_by_worker_downloaded_on_b(
    cluster, shared_services, secretariat, s3_server
):
    web_a, web_b, _worker = cluster
    meeting = MeetingFactory()
    browser = behind_one_address()
    assert log_in(browser, web_a, secretariat.email, PASSWORD).url.endswith("/dashboard/")

    asked = browser.post(
        f"{web_a.url}{reverse('delegations:participant_list_pdf', args=[meeting.number])}",
        headers={"X-CSRFToken": browser.cookies["csrftoken"]},
        timeout=30,
    )
    assert asked.status_code == 200
    document = GeneratedDocument.objects.get()
    wait_until(
        lambda: GeneratedDocument.objects.get(pk=document.pk).status != DocumentStatus.PENDING,
        timeout=60,
        message="the worker rendered the document",
    )
    download = browser.get(
        f"{web_b.url}{reverse('core:document_download', args=[document.pk])}",
        allow_redirects=False,
        timeout=30,
    )
    pdf = requests.get(download.headers["Location"], timeout=30)

    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    assert download.status_code == 302
    assert download.headers["Location"].startswith(s3_server.endpoint)
    assert pdf.content.startswith(b"%PDF")
    assert len(pdf.content) == document.size
    assert s3_server.keys(shared_services["bucket"]) == [document.file.name]
    # No node keeps the file on its own disk.
    assert list(shared_services["root"].glob("*/media/**/*.pdf")) == []


def test_login_on_a_is_valid_on_b(cluster, secretariat):
    web_a, web_b, _worker = cluster
    browser = behind_one_address()

    log_in(browser, web_a, secretariat.email, PASSWORD)
    home_on_b = browser.get(f"{web_b.url}{reverse('dashboards:home')}", timeout=30)

    assert home_on_b.status_code == 200
    assert home_on_b.url == f"{web_b.url}{reverse('dashboards:home')}"
    assert secretariat.full_name in home_on_b.text


def test_failed_logins_count_across_both_nodes(cluster, secretariat):
    web_a, web_b, _worker = cluster
    browser = behind_one_address()
    for node in (web_a, web_a, web_a, web_b, web_b):
        refused = log_in(browser, node, secretariat.email, "wrong-password-123")
        assert refused.url.endswith(LOGIN_URL)

    right_password_on_a = log_in(browser, web_a, secretariat.email, PASSWORD)

    assert TOO_MANY in right_password_on_a.text
    assert "sessionid" not in browser.cookies
    assert browser.get(f"{web_b.url}/dashboard/", timeout=30).url.startswith(
        f"{web_b.url}{LOGIN_URL}"
    )


def add_beat_entry(*, broker_url, prefix, name, every):
    """Put an entry in the schedule beat keeps in Redis, as an operator could."""
    from celery import Celery
    from celery.schedules import schedule
    from redbeat import RedBeatSchedulerEntry

    probe = Celery("probe", set_as_current=False)
    probe.conf.update(redbeat_redis_url=broker_url, redbeat_key_prefix=prefix)
    RedBeatSchedulerEntry(
        name, "ascn.core.sweep_outbox", schedule(run_every=every), app=probe
    ).save()


def test_two_beats_run_the_schedule_once(shared_services):
    services = {k: v for k, v in shared_services.items() if k.endswith("_url")}
    root = shared_services["root"]
    prefix = f"ascn-test:{uuid.uuid4().hex[:8]}:"
    # Every second, so that a second beat sending it too would show within seconds.
    add_beat_entry(broker_url=services["broker_url"], prefix=prefix, name="tick", every=1)
    beats = []
    for name in ("beat-1", "beat-2"):
        env = node_env(**services, home=root / name)
        env["ASCN_BEAT_KEY_PREFIX"] = prefix
        beats.append(BeatNode(name=name, env=env, home=root / name))
    first, second = beats
    sent = "Sending due task tick"
    try:
        first.start()
        wait_until(lambda: "beat: Acquired lock" in first.log(), timeout=60, message="beat-1")
        second.start()
        wait_until(lambda: first.log().count(sent) >= 5, timeout=60, message="5 ticks")

        # The second waits for the lock while the first runs the schedule.
        assert second.alive()
        assert "Acquired lock" not in second.log()
        assert sent not in second.log()

        # The first stops (a deploy, a machine taken down): the second takes over.
        first.stop()
        sent_by_first = first.log().count(sent)
        wait_until(lambda: sent in second.log(), timeout=30, message="beat-2 ticks")
        assert "beat: Releasing lock" in first.log()
        assert first.log().count(sent) == sent_by_first
    finally:
        for beat in beats:
            beat.stop()
        client = redis.Redis.from_url(services["broker_url"])
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)


# --- A web node restarted during the registration rush ------------------------------------

RUSH_DELEGATIONS, RUSH_INVITEES_EACH, RUSH_QUOTA = 3, 6, 5
FULL = "seats of the delegation are taken"


def rush_invitees():
    """Invitees of three delegations, each inviting a seat more than its quota, each
    already signed in (a session cookie); the registration form's address of each."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from delegations.models import Delegation, Participant

    meeting = MeetingFactory()
    invitees = []
    for d in range(RUSH_DELEGATIONS):
        delegation = Delegation.objects.create(
            meeting=meeting, name=f"Rush delegation {d}", quota=RUSH_QUOTA
        )
        for n in range(RUSH_INVITEES_EACH):
            user = UserFactory(role="delegate", language="en", email=f"rush{d}-{n}@ascn.example")
            participant = Participant.objects.create(
                delegation=delegation,
                user=user,
                full_name=user.full_name,
                email=user.email,
                status="invited",
            )
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            invitees.append(
                {
                    "participant": participant.pk,
                    "session": session.session_key,
                    "url": reverse("delegations:registration", args=[participant.pk]),
                }
            )
    return meeting, invitees


def register_retrying(invitee, nodes, *, start_after=0.0, attempts=40):
    """What a person does: open the form and send it, twice (a double click), trying
    again, on whichever node the balancer gives them, after an error page or a dropped
    connection. Their last clear answer: "accepted" or "refused"."""
    import time

    time.sleep(start_after)  # arrivals spread over a few seconds
    browser = behind_one_address()
    browser.cookies.set("sessionid", invitee["session"])
    answers = []
    for attempt in range(attempts):
        node = nodes[(invitee["participant"] + attempt) % len(nodes)]
        try:
            page = browser.get(node.url + invitee["url"], timeout=30)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            if page.status_code != 200 or token is None:
                raise requests.ConnectionError(f"{page.status_code}: no form")
            form = {
                "csrfmiddlewaretoken": token.group(1),
                "arrival_date": "2024-07-28",
                "departure_date": "2024-08-03",
                "emergency_contact": "+62 812 0000 0000",
                "consent_data_processing": "on",
            }
            for _click in range(2):
                sent = browser.post(
                    node.url + invitee["url"],
                    data=form,
                    headers={"Referer": node.url + invitee["url"]},
                    allow_redirects=False,
                    timeout=30,
                )
                if sent.status_code == 302:
                    answers.append("accepted")
                elif sent.status_code == 200 and FULL in sent.text:
                    answers.append("refused")
                else:
                    raise requests.ConnectionError(f"{sent.status_code} on sending")
            return answers[-1]
        except requests.RequestException:
            time.sleep(0.25)
    return "failed"


@pytest.mark.django_db(transaction=True)
def test_a_web_node_restarted_during_the_rush_loses_and_doubles_nothing(cluster):
    """Invitees register through both web nodes while one is killed (SIGKILL, as a
    crashed machine) and started again: everyone gets a clear answer by retrying, no
    delegation goes over its quota, and each accepted person has one registration."""
    import signal
    from concurrent.futures import ThreadPoolExecutor

    from django.db.models import Count, Q

    from delegations.models import Delegation, Participant, Registration

    web_a, web_b, _worker = cluster
    _meeting, invitees = rush_invitees()
    answers = {}
    with ThreadPoolExecutor(max_workers=len(invitees)) as pool:
        futures = {
            invitee["participant"]: pool.submit(
                register_retrying, invitee, (web_a, web_b), start_after=n * 0.3
            )
            for n, invitee in enumerate(invitees)
        }
        # Once some of the forms are saved, web A dies mid-rush and comes back.
        wait_until(
            lambda: Registration.objects.count() >= 3, timeout=120, message="a few registered"
        )
        registered_before_the_crash = Registration.objects.count()
        web_a.stop(sig=signal.SIGKILL)
        web_a.start()
        for participant, future in futures.items():
            answers[participant] = future.result(timeout=300)

    accepted = {p for p, answer in answers.items() if answer == "accepted"}
    refused = {p for p, answer in answers.items() if answer == "refused"}
    registered = set(Participant.objects.filter(status="registered").values_list("pk", flat=True))
    seats = Delegation.objects.annotate(
        registered=Count("participants", filter=Q(participants__status="registered"))
    ).values_list("registered", "quota")
    assert "failed" not in answers.values()
    assert accepted == registered
    assert len(accepted) == RUSH_DELEGATIONS * RUSH_QUOTA
    assert len(refused) == RUSH_DELEGATIONS * (RUSH_INVITEES_EACH - RUSH_QUOTA)
    assert all(count <= quota for count, quota in seats)
    assert sorted(Registration.objects.values_list("participant", flat=True)) == sorted(accepted)
    # The crash came mid-rush: some registered before it, others after A was back.
    assert registered_before_the_crash < len(accepted)
    assert web_a.log().count("Listening at") == 2
