"""`make load`: the portal under many people at once, on real processes on loopback.

Opening day: LOAD_USERS (300) logged-in delegates read the agenda page, their own
agenda, the .ics and the agenda booklet for LOAD_SECONDS (60), against gunicorn with
two workers, PostgreSQL, Redis (broker and cache), a Celery worker that rendered the
booklet, and an S3 server (moto) holding it. Locust runs headless; one JSON line per
page with its p50, p95, p99 and errors, then one for all pages together.

Registration rush: USERS invitees of ten delegations (more invited than seats) register
within LOAD_SECONDS while the secretariat publishes a new agenda version; then, from the
database: no delegation over its quota, every accepted registration stored once, every
change notice queued once.

The worker under a burst: 1,000 invitations and 20 participant-list PDFs queued in one
transaction; the time until the last message reached the SMTP sink and the last PDF
was stored, and the peak memory of each worker process (main and pool).

Needs DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://… (CACHE_URL defaults to
the next Redis database). Runs on a throw-away database and removes it afterwards.
"""

import csv
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
USERS = int(os.environ.get("LOAD_USERS", "300"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
SPAWN_RATE = int(os.environ.get("LOAD_SPAWN_RATE", "50"))
# gunicorn as the README advises: two worker processes of LOAD_WEB_THREADS threads.
WEB_WORKERS = int(os.environ.get("LOAD_WEB_WORKERS", "2"))
WEB_THREADS = int(os.environ.get("LOAD_WEB_THREADS", "4"))
# Seconds between one delegate's requests (Locust's between(1, 3)).
WAIT = os.environ.get("LOAD_WAIT", "1,3")
DELEGATIONS = 10


def emit(**fields):
    """One JSON line, with the machine's load average when it was printed: on a shared
    machine a figure means little without it."""
    load = [round(n, 2) for n in os.getloadavg()]
    print(json.dumps({**fields, "load_average": load}), flush=True)


def main():
    database = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not database.startswith(("postgres://", "postgresql://")) or not broker.startswith(
        "redis://"
    ):
        sys.exit("make load needs DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://…")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascn_portal.settings")
    scratch = Path(tempfile.mkdtemp(prefix="ascn-load-"))
    os.environ["ASCN_VAR_DIR"] = str(scratch / "var")

    from tests.nodes import WebNode, node_env, redis_url_with_db
    from tests.s3_server import S3Server

    s3 = S3Server(log_dir=scratch)
    s3.start()
    _bucket, storage_url = s3.new_bucket()
    os.environ["STORAGE_URL"] = storage_url
    db_index = int(broker.rsplit("/", 1)[-1]) if broker.rsplit("/", 1)[-1].isdigit() else 0
    cache_url = os.environ.get("CACHE_URL") or redis_url_with_db(broker, (db_index + 1) % 16)

    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.db import connection

    from tests.benchmarks.run import Sink
    from tests.celery_worker import CeleryWorker, database_url, free_port

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    services = {
        "database_url": database_url(connection.settings_dict),
        "broker_url": broker,
        "cache_url": cache_url,
        "storage_url": storage_url,
    }
    processes = []
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        worker_home = scratch / "worker"
        worker_home.mkdir()
        worker_env = node_env(**services, home=worker_home)
        worker_env.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port))
        worker = CeleryWorker(
            env=worker_env,
            log_dir=worker_home,
            cwd=worker_home,
            pool="prefork",
            concurrency=2,
        )
        worker.start()
        processes.append(worker)
        meeting, plan = seed(scratch)
        web_home = scratch / "web"
        # Database connections kept between requests, as in production.
        web_env = node_env(**services, home=web_home, conn_max_age=60)
        web = WebNode(
            name="web", env=web_env, home=web_home, workers=WEB_WORKERS, threads=WEB_THREADS
        )
        web.start()
        processes.append(web)
        request_cost(web, plan)
        opening_day(scratch, web, plan)
        registration_rush(scratch, web, meeting)
        burst(meeting, worker, sink)
    finally:
        for process in reversed(processes):
            process.stop()
        smtp.stop()
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        s3.stop()


def login_sessions(users):
    """A live login session per user, as if each had just logged in; their keys."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    keys = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)
    return keys


def seed(scratch):
    """A 300-session agenda, published and its booklet rendered by the worker; USERS
    registered delegates in ten delegations, each with a live login session."""
    from ascn_portal.accounts.models import User
    from ascn_portal.core.enums import DocumentStatus
    from ascn_portal.core.models import GeneratedDocument
    from delegations.models import Delegation, Participant
    from meetings.agenda import services
    from tests.benchmarks.run import agenda_meeting

    meeting = agenda_meeting()
    document_id = services.publish_agenda(meeting, actor=None).document_id
    delegations = Delegation.objects.bulk_create(
        Delegation(meeting=meeting, name=f"Delegation {n + 1}") for n in range(DELEGATIONS)
    )
    users = User.objects.bulk_create(
        User(
            email=f"delegate{n}@load.ascn.example",
            full_name=f"Delegate {n}",
            role="delegate",
            time_zone="Asia/Jakarta",
            password="!",
        )
        for n in range(USERS)
    )
    Participant.objects.bulk_create(
        Participant(
            delegation=delegations[n % DELEGATIONS],
            user=user,
            full_name=user.full_name,
            email=user.email,
            status="registered",
        )
        for n, user in enumerate(users)
    )
    sessions = login_sessions(users)
    deadline = time.monotonic() + 300
    while GeneratedDocument.objects.get(pk=document_id).status == DocumentStatus.PENDING:
        if time.monotonic() > deadline:
            raise TimeoutError("the worker did not render the agenda booklet")
        time.sleep(0.2)
    assert GeneratedDocument.objects.get(pk=document_id).status == DocumentStatus.READY
    plan = {
        "sessions": sessions,
        "agenda": f"/meetings/{meeting.number}/agenda/",
        "my_agenda": f"/meetings/{meeting.number}/my-agenda/",
        "agenda_ics": f"/meetings/{meeting.number}/agenda.ics",
        "booklet": f"/documents/{document_id}/download/",
    }
    path = scratch / "plan.json"
    path.write_text(json.dumps(plan))
    return meeting, path


def opening_day(scratch, web, plan):
    prefix = scratch / "opening-day"
    started = time.monotonic()
    log = (scratch / "locust.log").open("w")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(BASE_DIR / "tests" / "load" / "locustfile.py"),
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            str(SPAWN_RATE),
            "--run-time",
            f"{SECONDS}s",
            "--stop-timeout",
            "5",
            "--host",
            web.url,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={**os.environ, "LOAD_PLAN": str(plan), "LOAD_WAIT": WAIT},
        check=False,
        timeout=SECONDS + 120,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            emit(
                metric="load_opening_day",
                page=row["Name"] if row["Name"] != "Aggregated" else "all",
                users=USERS,
                seconds=SECONDS,
                web_workers=WEB_WORKERS,
                web_threads=WEB_THREADS,
                wait_seconds=WAIT,
                requests=int(row["Request Count"]),
                errors=int(row["Failure Count"]),
                rps=round(float(row["Requests/s"]), 1),
                p50_ms=_ms(row["50%"]),
                p95_ms=_ms(row["95%"]),
                p99_ms=_ms(row["99%"]),
                max_ms=_ms(row["Max Response Time"]),
            )
    emit(metric="load_wall_seconds", value=round(time.monotonic() - started, 1))


def request_cost(web, plan, repeats=40):
    """What one request of each kind costs the server with nobody else asking: one
    client, one request at a time, after a warm-up; the median and p95 in ms. Two
    workers serve at most about 2000 / median requests a second on two free cores:
    the opening day asks for about USERS / 2 a second (a request every two seconds)."""
    import statistics

    import requests

    plan = json.loads(plan.read_text())
    with requests.Session() as client:
        client.cookies.set("sessionid", plan["sessions"][0])
        for page in ("agenda", "my_agenda", "agenda_ics", "booklet"):
            timings = []
            for n in range(repeats + 5):
                start = time.perf_counter()
                response = client.get(web.url + plan[page], allow_redirects=False)
                if n >= 5:
                    timings.append((time.perf_counter() - start) * 1000)
            timings.sort()
            emit(
                metric="load_request_cost",
                page=page,
                status=response.status_code,
                requests=repeats,
                median_ms=round(statistics.median(timings), 1),
                p95_ms=round(timings[int(len(timings) * 0.95) - 1], 1),
                note="one client, one request at a time, warm cache",
            )


def registration_rush(scratch, web, meeting):
    """USERS invitees of ten delegations register within SECONDS while the secretariat
    publishes a new agenda version. Each delegation invited RUSH_INVITED_SHARE more
    people than its quota has seats (the secretariat lowered it), so some must be told
    the delegation is full. Then checked from the database and printed: no delegation
    over its quota, every accepted registration stored once (and no refused one),
    every change notice queued once."""
    from django.db.models import Count, Q

    from ascn_portal.accounts.models import User
    from delegations.models import Delegation, Participant, Registration
    from meetings.agenda import queries
    from meetings.agenda import services as agenda
    from meetings.agenda.hats import people_at
    from meetings.models import AgendaSession

    per_delegation = USERS // DELEGATIONS
    quota = per_delegation * 5 // 6
    delegations = Delegation.objects.bulk_create(
        Delegation(meeting=meeting, name=f"Rush delegation {n + 1}", quota=quota)
        for n in range(DELEGATIONS)
    )
    users = User.objects.bulk_create(
        User(
            email=f"invitee{n}@rush.ascn.example",
            full_name=f"Invitee {n}",
            role="delegate",
            language="en",
            time_zone="Asia/Jakarta",
            password="!",
        )
        for n in range(per_delegation * DELEGATIONS)
    )
    participants = Participant.objects.bulk_create(
        Participant(
            delegation=delegations[n % DELEGATIONS],
            user=user,
            full_name=user.full_name,
            email=user.email,
            status="invited",
        )
        for n, user in enumerate(users)
    )
    plan = scratch / "rush-plan.json"
    plan.write_text(
        json.dumps(
            {
                "invitees": [
                    {
                        "participant": participant.pk,
                        "session": session,
                        "registration": f"/delegations/registration/{participant.pk}/",
                    }
                    for participant, session in zip(
                        participants, login_sessions(users), strict=True
                    )
                ]
            }
        )
    )
    outcomes_path = scratch / "rush-outcomes.json"
    secretariat = User.objects.create_user(
        "secretariat@rush.ascn.example", None, full_name="Rush Secretariat", role="secretariat"
    )
    prefix = scratch / "rush"
    log = (scratch / "locust-rush.log").open("w")
    started = time.monotonic()
    locust = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(BASE_DIR / "tests" / "load" / "rush.py"),
            "--headless",
            "--users",
            str(len(users)),
            # Everyone arrives within the first half of the window.
            "--spawn-rate",
            str(max(1, len(users) * 2 // SECONDS)),
            "--run-time",
            f"{SECONDS}s",
            "--stop-timeout",
            "10",
            "--host",
            web.url,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={**os.environ, "LOAD_PLAN": str(plan), "LOAD_OUTCOMES": str(outcomes_path)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # A third of the way in, the secretariat moves a session and publishes.
    time.sleep(SECONDS / 3)
    moved = AgendaSession.objects.filter(meeting=meeting).order_by("pk").first()
    moved.title = f"{moved.title} (moved to the Plenary Hall)"
    moved.save(update_fields=["title"])
    publish_started = time.perf_counter()
    version = agenda.publish_agenda(meeting, actor=secretariat)
    publish_seconds = time.perf_counter() - publish_started
    locust.wait(timeout=SECONDS + 120)
    log.close()

    outcomes = json.loads(outcomes_path.read_text())
    accepted, refused = set(outcomes["accepted"]), set(outcomes["refused"])
    registered = set(
        Participant.objects.filter(delegation__in=delegations, status="registered").values_list(
            "pk", flat=True
        )
    )
    over_quota = [
        row["name"]
        for row in Delegation.objects.filter(pk__in=[d.pk for d in delegations])
        .annotate(registered=Count("participants", filter=Q(participants__status="registered")))
        .values("name", "quota", "registered")
        if row["registered"] > row["quota"]
    ]
    stored = Registration.objects.filter(participant__delegation__in=delegations)
    notices = queries.change_notices(version)
    recipients = notices.values("to").distinct().count()
    with_hats = len(people_at(meeting))
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            emit(
                metric="load_registration_rush",
                page=row["Name"] if row["Name"] != "Aggregated" else "all",
                invitees=len(users),
                seconds=SECONDS,
                requests=int(row["Request Count"]),
                errors=int(row["Failure Count"]),
                p50_ms=_ms(row["50%"]),
                p95_ms=_ms(row["95%"]),
                p99_ms=_ms(row["99%"]),
            )
    emit(
        metric="load_registration_rush_check",
        invitees=len(users),
        delegations=DELEGATIONS,
        quota_each=quota,
        accepted=len(accepted),
        refused_full=len(refused),
        failed=len(outcomes["failed"]),
        delegations_over_quota=len(over_quota),
        accepted_stored_once=accepted == registered
        and stored.count() == len(accepted)
        and not stored.filter(participant__in=refused).exists(),
        agenda_version=version.number,
        publish_seconds=round(publish_seconds, 2),
        change_notices=notices.count(),
        change_notice_recipients=recipients,
        people_with_a_hat=with_hats,
        notices_queued_once=notices.count() == recipients == with_hats,
        wall_seconds=round(time.monotonic() - started, 1),
    )


def burst(meeting, worker, sink, invitations=1000, pdfs=20):
    from django.db import transaction

    from ascn_portal.core.enums import DocumentStatus
    from ascn_portal.core.models import GeneratedDocument
    from delegations import services
    from delegations.models import Delegation, Participant
    from tests.celery_worker import peak_rss_per_process

    delegation = Delegation.objects.create(meeting=meeting, name="Burst", quota=invitations)
    Participant.objects.bulk_create(
        Participant(delegation=delegation, full_name=f"Invitee {n}", email=f"i{n}@load.example")
        for n in range(invitations)
    )
    participants = list(delegation.participants.select_related("delegation__meeting__host_country"))
    sink.count = 0
    start = time.perf_counter()
    with transaction.atomic():
        services.invitations.invite(participants, actor=None)
        documents = [
            services.documents.request_participant_list(meeting, actor=None).pk
            for _n in range(pdfs)
        ]
    queued = time.perf_counter() - start
    pending = GeneratedDocument.objects.filter(pk__in=documents, status=DocumentStatus.PENDING)
    deadline = time.monotonic() + 900
    while sink.count < invitations or pending.exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the worker did not drain the burst within 15 minutes")
        time.sleep(0.1)
    drained = time.perf_counter() - start
    ready = GeneratedDocument.objects.filter(pk__in=documents, status=DocumentStatus.READY)
    emit(
        metric="load_worker_burst",
        invitations=invitations,
        pdfs=pdfs,
        pdfs_ready=ready.count(),
        queue_seconds=round(queued, 2),
        drain_seconds=round(drained, 2),
        pool="prefork",
        concurrency=2,
        peak_rss_mb=peak_rss_per_process(worker.process.pid),
    )


def _ms(value):
    return None if value in ("", "N/A") else round(float(value))


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    main()
