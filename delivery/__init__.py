"""Delivery through GitHub Actions: the pull request comments of plan diffs, the artifact
a fork's pull request hands to the job that may comment, and a stack's cloud for the
workflows' login step (.github/workflows/, docs/delivery.md)."""
