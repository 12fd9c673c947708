from django.urls import path

from meetings.report import views

urlpatterns = [
    path("<int:number>/report/", views.outcome_report, name="outcome_report"),
]
