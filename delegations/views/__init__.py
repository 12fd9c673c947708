"""The delegation pages, one module per concern; ``lookups`` fetches what they show."""
