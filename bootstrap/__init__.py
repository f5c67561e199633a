"""The bootstrap program: who may deploy centaurops, and where its state and secrets live.

Run once per cloud account, project or subscription, with admin rights (docs/bootstrap.md).
"""
