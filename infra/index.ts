import * as pulumi from "@pulumi/pulumi";
import { deployFleet } from "./fleet";
import { loadPlan } from "./load-plan";

// The Pulumi program: stack config -> plan -> one component per node -> links.
const stack = pulumi.getStack();
const fleet = deployFleet(loadPlan(stack, new Date().toISOString().slice(0, 10)), stack);

/** Per node: name, provider, region, size, address, and its links (secret). */
export const nodes = fleet.nodes;
/** Nodes per provider and region, and the estimated cost. */
export const summary = fleet.summary;
/** Stack-wide documents (secret): `shadowsocksSip008` is the SIP008 server list for Outline. */
export const documents = fleet.documents;
