"""Sakpore Bot's test double of Telegram: the in-memory Bot API (`simulator`), the same over
HTTP for process-level tests (`sim_server`), the harness that drives the real Application on
it (`harness`, for tests and benchmarks) and the terminal chat (`chat`).

Production code (bot/, handlers/) never imports this package; the one exception is the CLI,
whose `chat` command (and `run` without a token) starts the chat simulator. The package ships
in the wheel for that reason. tests/test_import_graph.py keeps it so.
"""
