import * as pulumi from "@pulumi/pulumi";
import { checkDefaultVpcs } from "./default-vpc-preflight";
import { deployFleet } from "./fleet";
import { loadPlan } from "./load-plan";
import { loadShareStackPlan } from "./load-share-plan";
import { checkOfferings } from "./offerings-preflight";
import { missingImagePinsMessage } from "../src/images/aws-image-pins";
import { deployShareStack } from "./share-stack";

/**
 * The Pulumi program: stack config -> plan -> account checks -> one component per node ->
 * links. An async function (Pulumi awaits it), so the checks that ask the cloud finish before
 * the first resource is registered: a stack that cannot work creates nothing. A share stack
 * (`lifeline:share`, no fleet) declares only the bucket and CDN that `share --publish` fills.
 */
export = async () => {
  const stack = pulumi.getStack();
  const share = loadShareStackPlan(stack);
  if (share) return { share: deployShareStack(share, stack) };
  const plan = loadPlan(stack, new Date().toISOString().slice(0, 10));
  const unpinned = missingImagePinsMessage(plan, stack);
  if (unpinned) throw new pulumi.RunError(unpinned);
  await checkOfferings(plan, stack);
  await checkDefaultVpcs(plan, stack);
  const fleet = deployFleet(plan, stack);
  return {
    /** Per node: name, provider, region, size, address, and its links (secret). */
    nodes: fleet.nodes,
    /** Nodes per provider and region, and the estimated cost. */
    summary: fleet.summary,
    /** Stack-wide documents (secret): `shadowsocksSip008` is the SIP008 server list for Outline. */
    documents: fleet.documents,
    // Only in stacks that declare a probe: its address, and the token `lifeline scan` needs (secret).
    ...(fleet.probe ? { probe: fleet.probe, probeToken: fleet.probeToken } : {}),
  };
};
