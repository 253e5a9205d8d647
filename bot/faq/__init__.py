"""The knowledge base: loading, normalisation, matching, the totals calculator."""
