"""azure-native's type-history aliases, left off the foundation's own resources.

Every azure-native v3 resource class merges into its options one alias per type the
resource ever had in the provider's history: each explicit API version
(`azure-native:network/v20230201:VirtualNetwork`: 60 of them for a VirtualNetwork, 110 for
an AgentPool) and the v2 module it moved from (`azure-native:cache:RedisEnterprise`).
They let a stack that once used a versioned module move to the default type without a
replacement. The Python SDK turns each into a URN of its own, with several outputs, while
the resource is constructed (pulumi/pulumi#10010; the state then stores them all,
pulumi/pulumi-azure-native#1493). For this foundation that is most of the cost of running
the program: 1,761 aliases over 128 resources in `prod`, and 2.5 s against 1.1 s for a warm
`python -m preview prod --cloud azure` (bench/preview_cost.py measures the whole preview).

The foundation's resources were only ever created under the default types of
azure-native v3, so no prior state can be found by those aliases: the foundation drops
them for its descendants, and only them. An alias that renames, reparents or moves a
resource between stacks or projects (one a platform team writes) is kept.
"""

from __future__ import annotations

import copy

import pulumi

PROVIDER_PREFIX = "azure-native:"


def is_type_history(alias: object, resource_type: str) -> bool:
    """An alias azure-native adds by itself: another azure-native type, nothing else changed.

    `Alias` leaves every field it was not given as `...` (keep the current value): a type
    history alias gives only `type_`."""
    if not isinstance(alias, pulumi.Alias):
        return False
    unchanged = all(value is ... for value in (alias.name, alias.parent, alias.stack, alias.project))
    previous = alias.type_
    return unchanged and isinstance(previous, str) and previous.startswith(PROVIDER_PREFIX) and previous != resource_type


def without_type_history_aliases(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
    """A resource transformation: the resource's options without azure-native's type-history aliases."""
    aliases = args.opts.aliases
    if not aliases or not args.type_.startswith(PROVIDER_PREFIX):
        return None
    kept = [alias for alias in aliases if not is_type_history(alias, args.type_)]
    if len(kept) == len(aliases):
        return None
    opts = copy.copy(args.opts)
    opts.aliases = kept
    return pulumi.ResourceTransformationResult(args.props, opts)
