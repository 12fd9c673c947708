"""`make bench`: the portal's background work against floors measured in the same run.

Prints one JSON object per line. Each timed figure stands next to its floor (the same
work done by the bare library), so the ratio stays meaningful on a noisy machine:

- mail: 1,000 outbox messages delivered to a loopback SMTP sink by one Celery worker
  (in-process when no broker is configured), against the same 1,000 messages sent by
  bare smtplib over one connection;
- pdf: the agenda booklet of a 300-session meeting through the document pipeline
  (publish, render task, storage, hash), against bare WeasyPrint on the same HTML;
- the minutes PDF (Record of Meeting) of a coordination session with 30 agenda points
  and 60 action items, publish to ready, against bare WeasyPrint on the same HTML;
- the outcome report of that meeting (its 300 sessions, 30 published minutes versions,
  12 panels with objectives and outcome notes), compile to ready, against bare
  WeasyPrint on the same HTML;
- the agenda page and its .ics for that meeting: median server time of 50 requests,
  and the queries of the first and of a later one;
- growth: the agenda page, .ics and booklet again at 1,200 sessions, next to 300;
- invitations for 1,000 participants against bare smtplib, the roster page at 2,000
  participants and their streamed CSV export;
- the document register at 500 documents: the page and two text searches (median and
  queries), and a 50 MB upload's memory in a real gunicorn worker;
- the peak memory of each worker process (main and pool).

It runs on a throw-away database next to the configured one (PostgreSQL when
DATABASE_URL points at one, a SQLite file otherwise) and removes it afterwards.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

BASE_DIR = Path(__file__).resolve().parents[2]
MAIL_COUNT = 1000
SESSION_COUNT = 300
# Growth: the same agenda pages and booklet at four times the sessions.
GROWTH_SESSION_COUNT = 1200
MINUTES_POINTS = 30
BRIEF_SPEAKERS = 12
REPORT_MINUTES_VERSIONS = 30
REPORT_PANELS = 12
MINUTES_ITEMS = 60
TARGETS = {"mail_delivery": 1.5, "pdf_render": 1.25}


def emit(**fields):
    """One JSON line, with the machine's load average (1/5/15 minutes) when printed."""
    load = [round(n, 2) for n in os.getloadavg()]
    print(json.dumps({**fields, "load_average": load}), flush=True)


class Sink:
    """A loopback SMTP server that only counts what it accepts."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascn_portal.settings")
    scratch = Path(tempfile.mkdtemp(prefix="ascn-bench-"))
    os.environ.setdefault("ASCN_VAR_DIR", str(scratch / "var"))
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    import logging

    import django
    from aiosmtpd.controller import Controller

    from tests.celery_worker import free_port

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    os.environ.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(controller.port))

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "sqlite":
        settings.DATABASES["default"]["TEST"] = {"NAME": str(scratch / "bench.sqlite3")}
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    worker = None
    try:
        if settings.CELERY_BROKER_URL:
            worker = start_worker(scratch, connection.settings_dict, controller.port)
        if sys.argv[1:]:
            # `python -m tests.benchmarks.run brief outcome_report`: those figures alone,
            # each measured as in the whole run (e.g. three runs of one figure).
            from tests.benchmarks.register import bench_register

            alone = {
                "booklet": bench_pdf,
                "minutes": bench_minutes_pdf,
                "brief": bench_brief_pdf,
                "outcome_report": bench_outcome_report,
                "register": lambda _worker, _meeting: bench_register(
                    emit, _counting, bench_participant
                ),
            }
            meeting = agenda_meeting()
            for name in sys.argv[1:]:
                alone[name](worker, meeting)
            return
        bench_mail(sink, controller.port, worker)
        meeting = agenda_meeting()
        booklet = bench_pdf(worker, meeting)
        bench_minutes_pdf(worker, meeting)
        bench_brief_pdf(worker, meeting)
        bench_outcome_report(worker, meeting)
        pages = bench_pages(meeting)
        bench_delegations(meeting, sink, controller.port, worker)
        bench_logistics(worker, meeting)
        bench_growth(worker, pages, booklet)
        from tests.benchmarks.register import bench_register, bench_upload

        register = bench_register(emit, _counting, bench_participant)
        bench_upload(emit, register, scratch)
        if worker is not None:
            from tests.celery_worker import peak_rss_per_process

            # Each process on its own: a sum hides which one grew.
            for process, peak in peak_rss_per_process(worker.process.pid).items():
                emit(metric="worker_peak_rss_mb", process=process, value=peak, limit_mb=200)
        else:
            import resource

            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            emit(metric="in_process_peak_rss_mb", value=round(rss, 1), note="eager: no broker")
    finally:
        if worker is not None:
            worker.stop()
        controller.stop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def start_worker(scratch, settings_dict, smtp_port):
    from tests.celery_worker import CeleryWorker, database_url

    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(settings_dict),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        ASCN_VAR_DIR=str(scratch / "worker-var"),
    )
    # As docker-compose.yml runs it: the prefork pool with one process per core.
    worker = CeleryWorker(env=env, log_dir=scratch, pool="prefork", concurrency=2)
    worker.start()
    return worker


def wait_for(condition, timeout=600):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark step did not finish")
        time.sleep(0.005)


def bench_mail(sink, port, worker):
    import smtplib
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    from email.utils import make_msgid

    from django.db import transaction

    from ascn_portal.core import outbox
    from ascn_portal.core.enums import MailStatus
    from ascn_portal.core.models import OutgoingMail
    from tests.factories.core import mail_spec

    specs = [mail_spec(to=f"delegate{n}@ascn.example", ics=True) for n in range(MAIL_COUNT)]

    # Floor: the same messages built with the standard library's MIME classes (the
    # quickest way it offers, and the one Django uses) and sent over one bare smtplib
    # connection: the least any sender has to do.
    parts = []
    for spec in specs:
        subject, text, html = outbox.render_mail(spec.template, spec.context, language="en")
        parts.append((spec, subject, text, html))
    sink.count = 0
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for spec, subject, text, html in parts:
            body = MIMEMultipart("alternative")
            body.attach(MIMEText(text, "plain", "utf-8"))
            body.attach(MIMEText(html, "html", "utf-8"))
            message = MIMEMultipart("mixed")
            message.attach(body)
            for attachment in spec.attachments:
                part = MIMEText(attachment.content.decode(), "calendar", "utf-8")
                part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
                message.attach(part)
            message["Subject"] = subject
            message["From"] = "noreply@ascn-portal.example"
            message["To"] = spec.to[0]
            message["Message-ID"] = make_msgid()
            data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
            smtp.sendmail(message["From"], spec.to, data)
    floor = time.perf_counter() - start
    assert sink.count == MAIL_COUNT, sink.count

    # The portal: rows written, tasks enqueued on commit, the worker delivers.
    sink.count = 0
    start = time.perf_counter()
    with transaction.atomic():
        rows = outbox.queue_mails(specs)
    queued = time.perf_counter() - start
    wait_for(lambda: sink.count >= MAIL_COUNT)  # cheap to poll: no query competing
    wait_for(lambda: OutgoingMail.objects.filter(status=MailStatus.SENT).count() == MAIL_COUNT)
    delivered = time.perf_counter() - start - queued
    assert sink.count == MAIL_COUNT, sink.count
    assert len(rows) == MAIL_COUNT
    emit(
        metric="mail_delivery",
        messages=MAIL_COUNT,
        mode="worker" if worker else "eager",
        seconds=round(delivered, 3),
        floor_seconds=round(floor, 3),
        ratio=round(delivered / floor, 2),
        target_ratio=TARGETS["mail_delivery"],
        queue_seconds=round(queued, 3),
        note=(
            "seconds: from commit to all sent, one worker with the prefork pool of 2 "
            "processes; floor: one smtplib connection; queue_seconds: rendering and "
            "writing the rows"
        ),
    )


def agenda_meeting(count=SESSION_COUNT, number=900):
    """A meeting whose agenda has ``count`` sessions over five days in four rooms."""
    from datetime import date, datetime, timedelta

    from meetings.models import AgendaSession, Meeting, Room
    from pilots.models import Country

    laos = Country.objects.get(code="LA")
    meeting = Meeting.objects.create(
        number=number,
        title="7th ASCN Annual Meeting (benchmark)",
        host_city="Luang Prabang",
        host_country=laos,
        chair_country=laos,
        status="published",
        start_date=date(2024, 7, 29),
        end_date=date(2024, 8, 2),
        time_zone="Asia/Vientiane",
    )
    rooms = Room.objects.bulk_create(
        Room(meeting=meeting, name=name, capacity=200)
        for name in ("Plenary Hall", "Room Champa", "Room Mekong", "Room Phousi")
    )
    sessions = []
    for n in range(count):
        day, slot = divmod(n, count // 5)
        start = datetime(2024, 7, 29, 8, 0, tzinfo=meeting.zone) + timedelta(
            days=day, minutes=10 * (slot // 4)
        )
        sessions.append(
            AgendaSession(
                meeting=meeting,
                room=rooms[slot % 4],
                kind="plenary",
                title=f"Session {n + 1}: Smart solutions for urban issues in ASEAN cities",
                chair="Ministry of Home Affairs, Indonesia",
                visibility="participants",
                starts_at=start,
                ends_at=start + timedelta(minutes=10),
            )
        )
    AgendaSession.objects.bulk_create(sessions)
    return meeting


def time_document(worker, request, *, repeats=3, **fields):
    """Time ``request(repeat)`` (which asks for a document and returns its id) until
    the document is ready, against bare WeasyPrint on the same HTML; emit the medians."""
    from django.template.loader import render_to_string
    from django.utils import timezone
    from weasyprint import HTML

    from ascn_portal.core.enums import DocumentStatus
    from ascn_portal.core.models import GeneratedDocument
    from ascn_portal.core.pdf import PDF_VARIANT

    floors, pipeline = [], []
    for repeat in range(repeats):
        start = time.perf_counter()
        document_id = request(repeat)
        wait_for(
            lambda pk=document_id: (
                GeneratedDocument.objects.get(pk=pk).status != DocumentStatus.PENDING
            )
        )
        pipeline.append(time.perf_counter() - start)
        document = GeneratedDocument.objects.get(pk=document_id)
        assert document.status == DocumentStatus.READY, document.error

        # Floor: bare WeasyPrint making the same tagged PDF from the same HTML, static
        # files read straight from disk.
        html = render_to_string(
            document.template_name,
            {**document.context, "document": document, "generated_at": timezone.now()},
        ).replace('href="/static/', f'href="file://{BASE_DIR}/static/')
        start = time.perf_counter()
        HTML(string=html, base_url=f"file://{BASE_DIR}/").write_pdf(pdf_variant=PDF_VARIANT)
        floors.append(time.perf_counter() - start)

    seconds, floor = statistics.median(pipeline), statistics.median(floors)
    figures = dict(
        metric="pdf_render",
        **fields,
        mode="worker" if worker else "eager",
        pages=len(PdfReader(document.file.open("rb")).pages),
        seconds=round(seconds, 3),
        floor_seconds=round(floor, 3),
        ratio=round(seconds / floor, 2),
        target_ratio=TARGETS["pdf_render"],
        note=f"median of {repeats}; seconds: from the request (snapshot, version) to ready, "
        "through the render task, in the publisher's language (the other renders after it)",
    )
    emit(**figures)
    return {**figures, "document_id": document_id}


def rendering_peak_mb(worker, document_id):
    """The peak memory of the pool process that rendered ``document_id``, from the line
    it logs after the render: a process replaced for its size (max_memory_per_child)
    takes its own figure with it, so reading the pool's processes afterwards misses it."""
    import re

    found = re.search(
        rf"Rendered document {document_id}; process peak memory ([\d.]+) MiB", worker.logs()
    )
    return float(found.group(1)) if found else None


def bench_pdf(worker, meeting, sessions=SESSION_COUNT, repeats=3):
    from meetings.agenda import services
    from meetings.models import AgendaSession

    def publish(repeat):
        # Each publication needs a change; the timing covers publish, task and storage.
        first = AgendaSession.objects.filter(meeting=meeting).order_by("pk").first()
        first.title = f"Opening (run {repeat})"
        first.save(update_fields=["title"])
        return services.publish_agenda(meeting, actor=None).document_id

    return time_document(
        worker, publish, repeats=repeats, document="agenda booklet", sessions=sessions
    )


def minutes_session(meeting, points=MINUTES_POINTS, items=MINUTES_ITEMS, people=20):
    """A coordination session with a full record: points with discussion and decisions,
    attendance by organisation, action items for people and organisations."""
    from datetime import date, datetime, timedelta

    from ascn_portal.accounts.models import User
    from meetings.models import (
        ActionItem,
        AgendaPoint,
        Attendance,
        CoordinationSession,
        Minutes,
    )
    from pilots.models import Organisation

    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Benchmark organisation {n}", kind="city_government") for n in range(8)
    )
    owners = [
        User.objects.create_user(
            f"bench-owner{n}@ascn.example", "x", full_name=f"Bench Owner {n}", role="delegate"
        )
        for n in range(10)
    ]
    start = datetime(2024, 6, 24, 9, 0, tzinfo=meeting.zone)
    session = CoordinationSession.objects.create(
        meeting=meeting,
        title="Coordination meeting on facilitating Indonesia's ASCN membership (benchmark)",
        purpose="Prepare the delegation, the Conference and the pilot cities' reports.",
        starts_at=start,
        ends_at=start + timedelta(days=2, hours=7),
        time_zone="Asia/Jakarta",
        mode="hybrid",
        place="Ministry of Home Affairs, Jakarta",
        video_link="https://video.ascn.example/benchmark",
        convening_organisation=organisations[0],
        chair=owners[0],
    )
    Minutes.objects.create(session=session)
    created = AgendaPoint.objects.bulk_create(
        AgendaPoint(
            session=session,
            position=n + 1,
            title=f"Agenda point {n + 1}: pilot-city progress and partnership schemes",
            discussion=(
                "The Meeting noted the progress of the pilot cities and the partnership "
                "schemes supported by the dialogue partners.\n\n"
                "Delegations exchanged views on the challenges, opportunities and benefits "
                "of smart-city partnerships in ASEAN."
            ),
            decisions="The Meeting agreed to report at the Annual Meeting.\n"
            "The Shepherd follows up with the pilot cities.",
        )
        for n in range(points)
    )
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            name=f"Participant {n}",
            organisation=organisations[n % len(organisations)],
            status="in_person" if n % 3 else "online",
        )
        for n in range(people)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            session=session,
            agenda_point=created[n % points],
            title=f"Action {n + 1}: send the pilot city's update for the Shepherd's report",
            owner_person=owners[n % len(owners)] if n % 2 else None,
            owner_organisation=organisations[n % len(organisations)],
            due_date=date(2024, 7, 1) + timedelta(days=n % 30),
        )
        for n in range(items)
    )
    return session, owners[0]


def bench_minutes_pdf(worker, meeting):
    from meetings.coordination.services import minutes

    session, chair = minutes_session(meeting)

    def publish(repeat):
        if repeat:
            minutes.start_correction(session, note=f"Run {repeat}.", actor=chair)
        minutes.approve_minutes(session, actor=chair)
        return minutes.publish_minutes(session, actor=chair).document_id

    time_document(
        worker,
        publish,
        document="minutes (record of meeting)",
        agenda_points=MINUTES_POINTS,
        action_items=MINUTES_ITEMS,
    )


def bench_brief_pdf(worker, meeting, speakers=BRIEF_SPEAKERS):
    """A panel brief with BRIEF_SPEAKERS speakers, each with full points and questions."""
    from datetime import datetime, timedelta

    from django.db.models import Max

    from ascn_portal.accounts.services import create_account
    from meetings.models import AgendaSession
    from panels import services
    from panels.models import Conference, Panel, Segment, Speaker, TalkingPoints

    start = datetime(2024, 7, 31, 13, 30, tzinfo=meeting.zone)
    slot = AgendaSession.objects.create(
        meeting=meeting,
        title="Panel 3 (benchmark)",
        kind="conference_panel",
        starts_at=start,
        ends_at=start + timedelta(minutes=5 * speakers + 30),
    )
    # Run alone after the outcome report, the meeting has its conference and panels.
    conference = Conference.objects.get_or_create(
        meeting=meeting, defaults={"title": "ASCN Conference (benchmark)"}
    )[0]
    panel = Panel.objects.create(
        conference=conference,
        number=1 + (conference.panels.aggregate(last=Max("number"))["last"] or 0),
        title="Forging Partnerships",
        agenda_session=slot,
    )
    paragraph = "Partnership programmes need shared data and a running budget. " * 8
    for n in range(speakers):
        user = create_account(f"speaker{n}@bench.example", full_name=f"Speaker {n}", password=None)
        speaker = Speaker.objects.create(
            panel=panel,
            user=user,
            name=f"Speaker {n}",
            position=n + 1,
            minutes=5,
            bio_line="Works on smart-city partnerships in ASEAN.",
            questions="What worked?\nWhat would you change?\nWho should join next?",
        )
        TalkingPoints.objects.create(
            speaker=speaker,
            challenges=paragraph,
            opportunities=paragraph,
            benefits=paragraph,
            recommendations=paragraph,
        )
        Segment.objects.create(panel=panel, position=n + 1, title=f"Speaker {n}", minutes=5)

    time_document(
        worker,
        lambda repeat: services.save_brief_version(panel, actor=None).document_id,
        document="panel brief",
        speakers=speakers,
    )


def bench_outcome_report(worker, meeting):
    """The outcome report of the 300-session meeting with REPORT_MINUTES_VERSIONS
    published minutes versions (copies of the benchmark's record of meeting, each of its
    own session) and REPORT_PANELS panels with three objectives and an outcome note."""
    from meetings.agenda.services import publish_agenda
    from meetings.coordination.services import minutes
    from meetings.models import CoordinationSession, MinutesVersion
    from meetings.report import queries, services
    from panels.models import Conference, Objective, Panel

    # Run alone, the steps before it have not published an agenda and minutes yet.
    if not meeting.versions.exists():
        publish_agenda(meeting, actor=None)
    if not MinutesVersion.objects.filter(session__meeting=meeting).exists():
        session, chair = minutes_session(meeting)
        minutes.approve_minutes(session, actor=chair)
        minutes.publish_minutes(session, actor=chair)
    record = MinutesVersion.objects.filter(session__meeting=meeting).order_by("-pk").first()
    for n in range(REPORT_MINUTES_VERSIONS - meeting_minutes_versions(meeting)):
        session = CoordinationSession.objects.get(pk=record.session_id)
        session.pk = None
        session.minutes_registered_as = None  # each session's minutes have their own symbol
        session.title = f"Coordination session {n} (benchmark)"
        session.save()
        MinutesVersion.objects.create(session=session, number=1, content=record.content)
    conference = Conference.objects.get_or_create(
        meeting=meeting, defaults={"title": "ASCN Conference (benchmark)"}
    )[0]
    note = "The panel agreed on shared data and running budgets for pilot projects. " * 6
    for number in range(Panel.objects.filter(conference=conference).count() + 1, 1 + REPORT_PANELS):
        panel = Panel.objects.create(
            conference=conference, number=number, title=f"Panel {number} (benchmark)"
        )
        Objective.objects.bulk_create(
            Objective(panel=panel, position=p, text=f"Objective {p} of panel {number}.")
            for p in range(1, 4)
        )
    Panel.objects.filter(conference=conference).update(outcome_note=note)
    report = queries.report_of(meeting)
    report.introduction = "The meeting reviewed the network's pilot cities. " * 20
    report.conclusions = report.introduction
    report.save()
    time_document(
        worker,
        lambda repeat: services.compile_report(report, actor=None).document_id,
        document="outcome report",
        sessions=SESSION_COUNT,
        minutes_versions=REPORT_MINUTES_VERSIONS,
        panels=REPORT_PANELS,
    )


def meeting_minutes_versions(meeting):
    from meetings.models import MinutesVersion

    return MinutesVersion.objects.filter(session__meeting=meeting).count()


def bench_pages(meeting, requests=50, sessions=SESSION_COUNT):
    """Median server time of the agenda page and the .ics, through Django's handler,
    and the queries of the first (nothing cached) and of a later request."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from ascn_portal.accounts.models import User

    viewer = User.objects.create_user(
        f"bench-delegate-{meeting.number}@ascn.example",
        "x",
        full_name="Bench Delegate",
        role="delegate",
        time_zone="Asia/Jakarta",
    )
    # A participant of the meeting (a relation, not the role) reads what participants see.
    from delegations.models import Delegation, Participant

    Participant.objects.create(
        delegation=Delegation.objects.create(meeting=meeting, name="Bench delegation"),
        user=viewer,
        full_name=viewer.full_name,
        email=viewer.email,
        status="registered",
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(viewer)
    figures = {}
    for name, url, budget in (
        # Issue 18: near a cached response; the sessions are rendered once per version.
        ("agenda_page", f"/meetings/{meeting.number}/agenda/", 0.010),
        ("agenda_ics", f"/meetings/{meeting.number}/agenda.ics", 0.150),
    ):
        cache.clear()
        cold_queries, warm_queries = [], []
        with connection.execute_wrapper(_counting(cold_queries)):
            start = time.perf_counter()
            client.get(url)  # the first request, with nothing cached
            cold = time.perf_counter() - start
        with connection.execute_wrapper(_counting(warm_queries)):
            client.get(url)
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        figures[name] = {
            "metric": name,
            "sessions": sessions,
            "requests": requests,
            "median_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(sorted(times)[int(requests * 0.95) - 1] * 1000, 1),
            "budget_ms": round(budget * 1000),
            "cold_ms": round(cold * 1000, 1),
            "queries_cold": len(cold_queries),
            "queries_warm": len(warm_queries),
        }
        emit(**figures[name])
    return figures


def bench_participant(meeting):
    """A registered participant of ``meeting``: reads what participants see."""
    from ascn_portal.accounts.models import User
    from delegations.models import Delegation, Participant

    viewer = User.objects.create_user(
        f"bench-reader-{meeting.number}@ascn.example", "x", full_name="Bench Reader"
    )
    Participant.objects.create(
        delegation=Delegation.objects.create(meeting=meeting, name="Bench readers"),
        user=viewer,
        full_name=viewer.full_name,
        email=viewer.email,
        status="registered",
    )
    return viewer


def _counting(queries):
    """An execute wrapper noting each query (the connection's own log is emptied when
    a request closes it)."""

    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def bench_growth(worker, small_pages, small_booklet):
    """The agenda page, .ics and booklet at GROWTH_SESSION_COUNT sessions next to
    SESSION_COUNT: each time within 4x, and the same queries."""
    meeting = agenda_meeting(GROWTH_SESSION_COUNT, number=901)
    booklet = bench_pdf(worker, meeting, sessions=GROWTH_SESSION_COUNT, repeats=1)
    if worker is not None:
        emit(
            metric="booklet_render_peak_rss_mb",
            sessions=GROWTH_SESSION_COUNT,
            value=rendering_peak_mb(worker, booklet["document_id"]),
            limit_mb=200,
            note="the pool process that rendered it, as it logged after the render",
        )
    pages = bench_pages(meeting, sessions=GROWTH_SESSION_COUNT)
    for name, small in small_pages.items():
        large = pages[name]
        emit(
            metric="growth",
            what=name,
            sessions=[SESSION_COUNT, GROWTH_SESSION_COUNT],
            median_ms=[small["median_ms"], large["median_ms"]],
            ratio=round(large["median_ms"] / small["median_ms"], 2),
            cold_ms=[small["cold_ms"], large["cold_ms"]],
            same_queries=(small["queries_cold"], small["queries_warm"])
            == (large["queries_cold"], large["queries_warm"]),
            target_ratio=4,
        )
    emit(
        metric="growth",
        what="agenda booklet",
        sessions=[SESSION_COUNT, GROWTH_SESSION_COUNT],
        seconds=[small_booklet["seconds"], booklet["seconds"]],
        pages=[small_booklet["pages"], booklet["pages"]],
        ratio=round(booklet["seconds"] / small_booklet["seconds"], 2),
        target_ratio=4,
    )


def bench_delegations(meeting, sink, port, worker, count=2000, invited=1000):
    """Invitations for 1,000 participants; the roster page and CSV export at 2,000."""
    import smtplib

    from django.db import transaction
    from django.test import Client

    from ascn_portal.accounts.models import User
    from ascn_portal.core.enums import MailStatus
    from ascn_portal.core.models import OutgoingMail
    from delegations import services
    from delegations.models import Delegation, Participant

    delegation = Delegation.objects.create(meeting=meeting, name="Benchmark", quota=count)
    Participant.objects.bulk_create(
        Participant(delegation=delegation, full_name=f"Delegate {n}", email=f"d{n}@bench.example")
        for n in range(count)
    )
    participants = list(
        delegation.participants.select_related("delegation__meeting__host_country")[:invited]
    )
    OutgoingMail.objects.all().delete()
    sink.count = 0
    start = time.perf_counter()
    with transaction.atomic():
        services.invitations.invite(participants, actor=None)
    queued = time.perf_counter() - start
    wait_for(lambda: sink.count >= invited)
    wait_for(lambda: OutgoingMail.objects.filter(status=MailStatus.SENT).count() == invited)
    delivered = time.perf_counter() - start - queued

    # Floor: the very same messages, built by Django and sent over one bare connection.
    from django.core.mail import EmailMultiAlternatives

    messages = []
    for mail in OutgoingMail.objects.prefetch_related("attachments"):
        message = EmailMultiAlternatives(
            mail.subject, mail.body_text, "noreply@ascn.example", mail.to
        )
        message.attach_alternative(mail.body_html, "text/html")
        for attachment in mail.attachments.all():
            message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
        messages.append(message)
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for message in messages:
            smtp.sendmail(
                message.from_email, message.to, message.message().as_bytes(linesep="\r\n")
            )
    floor = time.perf_counter() - start
    emit(
        metric="invitation_delivery",
        invitations=invited,
        mode="worker" if worker else "eager",
        seconds=round(delivered, 3),
        floor_seconds=round(floor, 3),
        ratio=round(delivered / floor, 2),
        target_ratio=TARGETS["mail_delivery"],
        queue_seconds=round(queued, 3),
        note="seconds: from commit to all sent; floor: the same messages built and sent "
        "over one smtplib connection",
    )

    secretariat = User.objects.create_user(
        "bench-secretariat@ascn.example", "x", full_name="Bench Secretariat", role="secretariat"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(secretariat)
    url = f"/delegations/{delegation.pk}/"
    client.get(url)
    times = []
    for _ in range(50):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - start)
    emit(
        metric="roster_page",
        participants=count,
        requests=50,
        median_ms=round(statistics.median(times) * 1000, 1),
        budget_ms=150,
    )

    start = time.perf_counter()
    response = client.get(f"/delegations/{delegation.pk}/roster.csv")
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    emit(
        metric="roster_csv_export",
        participants=count,
        rows=lines - 1,
        seconds=round(time.perf_counter() - start, 3),
        budget_seconds=1.0,
    )


def bench_logistics(worker, meeting, count=2000):
    """The logistics report of 2,000 registered people: its streamed CSV, and its PDF
    through the pipeline against bare WeasyPrint."""
    from datetime import date

    from django.test import Client

    from ascn_portal.accounts.models import User
    from delegations import services
    from delegations.models import Delegation, Participant, Registration

    delegation = Delegation.objects.create(meeting=meeting, name="Logistics bench", quota=count)
    people = Participant.objects.bulk_create(
        Participant(
            delegation=delegation,
            full_name=f"Traveller {n}",
            email=f"t{n}@bench.example",
            status="registered",
        )
        for n in range(count)
    )
    Registration.objects.bulk_create(
        Registration(
            participant=person,
            arrival_date=date(2024, 7, 26 + n % 3),
            arrival_flight=f"QV {500 + n % 12}",
            departure_date=date(2024, 8, 2 + n % 2),
            departure_flight=f"QV {600 + n % 12}",
            accommodation=f"Hotel {n % 8}",
            dietary_needs=("Halal", "Vegetarian", "", "")[n % 4],
            accessibility_needs="Wheelchair access" if n % 50 == 0 else "",
            emergency_contact=f"Family of traveller {n}",
            consent_data_processing=True,
        )
        for n, person in enumerate(people)
    )
    secretariat = User.objects.create_user(
        "bench-logistics@ascn.example", "x", full_name="Bench Logistics", role="secretariat"
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(secretariat)
    start = time.perf_counter()
    response = client.get(f"/delegations/meeting/{meeting.number}/logistics.csv")
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    emit(
        metric="logistics_csv_export",
        participants=count,
        rows=lines - 1,
        seconds=round(time.perf_counter() - start, 3),
        budget_seconds=1.0,
    )

    def request(_repeat):
        return services.documents.request_logistics_report(
            meeting, with_emergency_contacts=True, actor=secretariat
        ).pk

    time_document(worker, request, document="logistics report", participants=count)


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    main()
