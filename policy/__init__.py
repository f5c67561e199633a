"""The project's invariants as policies: the same functions run under `pulumi preview --policy-pack policy/pack`
and offline over a plan.json (`python -m policy PLAN.json`).

Nothing here imports pulumi_policy: a policy is a plain function over the argument objects the Python policy
SDK passes (`model.py` says which attributes it reads), so the offline runner needs no SDK and the pack wraps
the very same functions."""
