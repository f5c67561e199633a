"""components/aws/node_pools.py: system and workload pools apart, tainted, IMDSv2."""

from tests.plans import Plan, plan_for

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"


def test_system_pool_is_tainted_for_critical_addons_only(plan: Plan):
    system = plan.one(NODE_GROUP, "-system")["inputs"]
    assert system["taints"] == [{"key": "CriticalAddonsOnly", "value": "true", "effect": "NO_SCHEDULE"}]
    assert system["labels"] == {"centaurops.io/pool": "system"}


def test_workload_pool_is_tainted_for_the_flow_platform(plan: Plan):
    workload = plan.one(NODE_GROUP, "-workload")["inputs"]
    assert workload["taints"] == [{"key": "centaurops.io/workload", "value": "true", "effect": "NO_SCHEDULE"}]
    assert workload["labels"] == {"centaurops.io/pool": "workload"}


def test_sizes_instance_types_and_capacity_from_config(dev: Plan, prod: Plan):
    assert dev.one(NODE_GROUP, "-workload")["inputs"]["capacityType"] == "SPOT"
    assert dev.one(NODE_GROUP, "-system")["inputs"]["capacityType"] == "ON_DEMAND"
    assert {g["inputs"]["capacityType"] for g in prod.of_type(NODE_GROUP)} == {"ON_DEMAND"}
    assert prod.one(NODE_GROUP, "-workload")["inputs"]["scalingConfig"] == {"minSize": 2, "desiredSize": 3, "maxSize": 10}
    assert prod.one(NODE_GROUP, "-system")["inputs"]["instanceTypes"] == ["m7i.large"]
    custom = plan_for(
        "dev",
        nodePools={"system": {"minSize": 2, "desiredSize": 3, "maxSize": 6}},
        aws={"region": "us-east-1", "nodePools": {"system": {"instanceTypes": ["c7i.large", "c6i.large"]}}},
    )
    system = custom.one(NODE_GROUP, "-system")["inputs"]
    assert system["scalingConfig"] == {"minSize": 2, "desiredSize": 3, "maxSize": 6}
    assert system["instanceTypes"] == ["c7i.large", "c6i.large"]


def test_nodes_require_imdsv2_out_of_reach_of_pods_and_encrypt_their_disks(plan: Plan):
    templates = plan.of_type(TEMPLATE)
    assert len(templates) == 2
    for template in templates:
        metadata = template["inputs"]["metadataOptions"]
        assert metadata["httpTokens"] == "required"
        assert metadata["httpPutResponseHopLimit"] == 1
        (volume,) = template["inputs"]["blockDeviceMappings"]
        assert volume["ebs"]["encrypted"] == "true"
        assert volume["ebs"]["volumeType"] == "gp3"
    for group in plan.of_type(NODE_GROUP):
        template_ids = {t["urn"] for t in templates}
        assert template_ids & set(group["dependencies"])


def test_nodes_run_in_private_subnets_only(plan: Plan):
    public = {s["urn"] for s in plan.of_type("aws:ec2/subnet:Subnet") if "-public-" in s["name"]}
    for group in plan.of_type(NODE_GROUP):
        assert not public & set(group["dependencies"])


def test_nodes_join_after_the_network_addons(plan: Plan):
    for group in plan.of_type(NODE_GROUP):
        waits_for = {plan.by_urn(u)["name"].rsplit("-", 1)[-1] for u in group["dependencies"]}
        assert {"cni", "proxy", "agent"} <= waits_for


def test_node_role_has_the_worker_policies(plan: Plan):
    policies = {
        a["inputs"]["policyArn"].rsplit("/", 1)[-1]
        for a in plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if "-node-" in a["name"]
    }
    assert policies == {"AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy"}


def test_instances_and_volumes_carry_the_standard_tags(plan: Plan):
    stack = plan.document["stack"]
    for template in plan.of_type(TEMPLATE):
        specs = {spec["resourceType"]: spec["tags"] for spec in template["inputs"]["tagSpecifications"]}
        assert set(specs) == {"instance", "volume", "network-interface"}
        for tags in specs.values():
            assert {k: tags[k] for k in ("project", "stack", "environment")} == {
                "project": "centaurops",
                "stack": stack,
                "environment": stack,
            }
