import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../src/plan/types";

/** What to do in a region that has no default VPC, in words a volunteer can follow. */
function noDefaultVpc(region: string): string {
  return (
    `AWS ${region}: this account has no default VPC there (accounts set up by Control Tower or an ` +
    `administrator often have none), and lifeline puts each node in its region's default VPC. Create one: ` +
    `VPC console in ${region} > Your VPCs > Actions > Create default VPC, or aws ec2 create-default-vpc --region ${region}; ` +
    `or move the nodes to another region.`
  );
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Looks up the default VPC of every AWS region the plan uses, before any resource is
 * registered: without one, the security group and the instance would fail half-way through
 * `pulumi up` with "VPCIdNotSpecified". Every failing region is reported in one plain
 * RunError (no stack trace), nothing created.
 */
export async function checkDefaultVpcs(plan: FleetPlan, stack: string): Promise<void> {
  const regions = [...new Set(plan.nodes.filter((n) => n.provider === "aws").map((n) => n.region))].sort();
  const results = await Promise.allSettled(regions.map((region) => aws.ec2.getVpc({ default: true, region })));
  const problems = results.flatMap((result, i) => {
    if (result.status === "fulfilled") return [];
    const region = regions[i]!;
    const reason = reasonOf(result.reason);
    // The AWS provider says "no matching EC2 VPC found" (older releases: "no matching VPC found").
    return [/no matching (EC2 )?VPC found/i.test(reason) ? noDefaultVpc(region) : `AWS ${region}: could not look up the default VPC: ${reason}`];
  });
  if (problems.length > 0) {
    throw new pulumi.RunError(
      [`stacks/Pulumi.${stack}.yaml: ${problems.length} AWS region${problems.length === 1 ? "" : "s"} not ready, nothing was created:`, ...problems.map((p) => `  - ${p}`)].join("\n"),
    );
  }
}
