"""Repositories: one module per table family. Plain SQL lives only here and in migrations."""
