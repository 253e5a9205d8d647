"""Sakpore Bot: Telegram outreach for Program Pekalongan Sakpore."""

__version__ = "0.1.0"
