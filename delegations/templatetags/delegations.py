from django import template

register = template.Library()


@register.filter
def get_count(counts, status):
    """A count from a ``{status: count}`` mapping, 0 when absent."""
    return counts.get(status, 0)
