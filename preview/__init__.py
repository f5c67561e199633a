"""Offline preview: run the real program in-process under Pulumi's mocks and show
what `pulumi up` would create, with no Pulumi CLI, credentials or network."""
