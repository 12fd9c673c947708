import rules

from ascn_portal.accounts.rules import is_secretariat

# Planning a meeting (its details, rooms and agenda) is the secretariat's job.
rules.add_perm("meetings.manage_meeting", is_secretariat)
