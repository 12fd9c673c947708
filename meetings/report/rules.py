"""Who writes, compiles and reads a meeting's outcome report."""

import rules

from ascn_portal.accounts.rules import is_secretariat
from meetings.register.rules import may_read


@rules.predicate
def reads_its_register_entry(user, report):
    """A compiled report is read as its register entry's distribution says."""
    return (
        report is not None
        and report.registered_as is not None
        and may_read(user, report.registered_as)
    )


# The secretariat writes the introduction and conclusions and compiles versions.
rules.add_perm("meetings.compile_outcome_report", is_secretariat)
rules.add_perm("meetings.read_outcome_report", is_secretariat | reads_its_register_entry)
