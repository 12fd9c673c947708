"""The meetings app's pages: its halves share one namespace, ``meetings``, so a
page's name says what it is (``meetings:agenda``, ``meetings:minutes_editor``) rather
than which module serves it."""

from meetings.agenda.urls import urlpatterns as agenda_urls
from meetings.coordination.urls import urlpatterns as coordination_urls
from meetings.register.urls import urlpatterns as register_urls
from meetings.report.urls import urlpatterns as report_urls

app_name = "meetings"

urlpatterns = [*agenda_urls, *coordination_urls, *register_urls, *report_urls]
