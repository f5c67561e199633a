"""flowsync: the flows of a dev Langflow IDE exported into the repository's flows/, normalised for
review, refusing any flow that holds a secret (docs/flows.md)."""
