import { describe, expect, it } from "vitest";
import { stackFleet, withImagePins } from "./support/fixtures";
import { installMocks, settled, valueOf } from "./support/pulumi-mocks";
import { fleetOutputs } from "./support/fleet-outputs";

describe("the Pulumi program as the CLI runs it", () => {
  it("checks each AWS region's default VPC before registering any resource, then deploys and exports", async () => {
    const calls: string[] = [];
    const recorded = await installMocks("example-aws", withImagePins(stackFleet("example-aws")), { calls });
    const { default: program } = await import("../../infra/index");
    const outputs = fleetOutputs(await program());
    await settled(recorded);
    const vpcChecks = calls.filter((c) => c.startsWith("aws:ec2/getVpc:getVpc"));
    expect(vpcChecks.sort()).toEqual(["aws:ec2/getVpc:getVpc ap-south-1", "aws:ec2/getVpc:getVpc eu-central-1", "aws:ec2/getVpc:getVpc eu-north-1"]);
    const firstRegistration = calls.findIndex((c) => c.startsWith("register "));
    expect(firstRegistration).toBeGreaterThan(Math.max(...vpcChecks.map((c) => calls.indexOf(c))));
    expect(recorded.filter((r) => r.type === "aws:ec2/instance:Instance")).toHaveLength(3);
    expect(Object.keys(outputs).sort()).toEqual(["documents", "nodes", "summary"]);
    expect(outputs.summary.nodes).toBe(3);
    expect(await valueOf(outputs.nodes[0]!.address)).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });
});
