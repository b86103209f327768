import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { providerCatalogs } from "../../../src/catalog";

export interface RecordedResource {
  type: string;
  name: string;
  /** Inputs with secret wrappers removed. */
  inputs: Record<string, any>;
  /** Top-level input names that arrived as secrets. */
  secretInputs: string[];
  /** The id the mock gave a custom resource (undefined for components). */
  id?: string;
  /** Resource options as the SDK sent them to the engine. */
  options: RecordedOptions;
}

/** The resource options the engine acts on, read from the registration request itself. */
export interface RecordedOptions {
  deleteBeforeReplace: boolean;
  ignoreChanges: string[];
  /** URNs the resource waits for (dependsOn and the outputs it takes). */
  dependencies: string[];
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
}

/**
 * The mocks hand `newResource` only type, name and inputs; the options (deleteBeforeReplace,
 * ignoreChanges) travel in the request to the monitor, so the monitor is wrapped to read them.
 */
function captureOptions(into: Map<string, RecordedOptions>): void {
  const monitor = (pulumi.runtime as any).getMonitor() as { registerResource(req: RegisterRequest, cb: unknown): unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    into.set(`${req.getType()}::${req.getName()}`, {
      deleteBeforeReplace: req.getDeletebeforereplace(),
      ignoreChanges: req.getIgnorechangesList(),
      dependencies: req.getDependenciesList(),
    });
    return register(req, cb);
  };
}

// How the SDK marks a secret value when it serializes inputs for the engine.
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

function isSecretValue(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as any)["4dabf18193072939515e22adb298388d"] === secretSignature;
}

function unwrapSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

function digest(name: string): string {
  return createHash("sha256").update(name).digest("hex");
}

function alphanumeric(name: string, length: number, alphabet: string): string {
  const bytes = createHash("sha512").update(name).digest();
  return Array.from({ length }, (_, i) => alphabet[(bytes[i % bytes.length] as number) % alphabet.length]).join("");
}

/**
 * An address in the network-test range (198.18.0.0/15) that is the same for the same resource
 * name. 17 bits of the name's digest, so that a 50-node fleet's addresses do not collide (share
 * refuses two nodes with one address, as that means a stack was given twice).
 */
function address(name: string): string {
  const n = parseInt(digest(name).slice(0, 5), 16) % 0x20000;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

/** Droplet ids are numbers in DigitalOcean (a firewall takes them as numbers); others are strings. */
function mockId(type: string, name: string): string {
  const n = parseInt(digest(name).slice(0, 6), 16);
  return type === "digitalocean:index/droplet:Droplet" ? String(n) : `${name}-id-${n}`;
}

/** What each mocked cloud resource reports back; an unknown type fails the test. */
function mockState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const inputs = args.inputs as Record<string, any>;
  switch (args.type) {
    case "random:index/randomBytes:RandomBytes": {
      const hex = digest(args.name).slice(0, inputs.length * 2);
      return { ...inputs, hex, base64: Buffer.from(hex, "hex").toString("base64") };
    }
    case "random:index/randomPassword:RandomPassword": {
      const alphabet = inputs.upper === false ? "abcdefghijkmnpqrstuvwxyz23456789" : "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
      return { ...inputs, result: alphanumeric(args.name, inputs.length, alphabet) };
    }
    case "random:index/randomUuid:RandomUuid": {
      const h = digest(args.name);
      return { ...inputs, result: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}` };
    }
    case "digitalocean:index/reservedIp:ReservedIp":
      return { ...inputs, ipAddress: address(args.name) };
    case "digitalocean:index/sshKey:SshKey":
      // DigitalOcean's fingerprint is the MD5 of the key blob, colon-separated.
      return { ...inputs, fingerprint: createHash("md5").update(Buffer.from(String(inputs.publicKey).split(" ")[1] ?? "", "base64")).digest("hex").replace(/(..)(?!$)/g, "$1:") };
    case "aws:ec2/eip:Eip":
      return { ...inputs, publicIp: address(args.name), allocationId: `eipalloc-${digest(args.name).slice(0, 8)}` };
    // The share stack's storage and CDN, with the addresses the providers report.
    case "aws:s3/bucket:Bucket":
      return { ...inputs, arn: `arn:aws:s3:::${inputs.bucket}`, bucketRegionalDomainName: `${inputs.bucket}.s3.${inputs.region}.amazonaws.com` };
    case "aws:cloudfront/distribution:Distribution": {
      const host = `d${digest(args.name).slice(0, 13)}.cloudfront.net`;
      return { ...inputs, domainName: host, arn: `arn:aws:cloudfront::123456789012:distribution/E${digest(args.name).slice(0, 13).toUpperCase()}` };
    }
    case "aws:cloudfront/function:Function":
      return { ...inputs, arn: `arn:aws:cloudfront::123456789012:function/${inputs.name}` };
    case "digitalocean:index/spacesBucket:SpacesBucket":
      return { ...inputs, bucketDomainName: `${inputs.name}.${inputs.region}.digitaloceanspaces.com`, endpoint: `${inputs.region}.digitaloceanspaces.com` };
    case "digitalocean:index/cdn:Cdn":
      return { ...inputs, endpoint: String(inputs.origin).replace(".digitaloceanspaces.com", ".cdn.digitaloceanspaces.com") };
    case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
    case "aws:s3/bucketOwnershipControls:BucketOwnershipControls":
    case "aws:s3/bucketPolicy:BucketPolicy":
    case "aws:cloudfront/originAccessControl:OriginAccessControl":
    case "aws:cloudfront/cachePolicy:CachePolicy":
    case "digitalocean:index/droplet:Droplet":
    case "digitalocean:index/reservedIpAssignment:ReservedIpAssignment":
    case "digitalocean:index/firewall:Firewall":
    case "aws:ec2/securityGroup:SecurityGroup":
    case "aws:ec2/instance:Instance":
    case "aws:ec2/eipAssociation:EipAssociation":
      return { ...inputs };
    default:
      throw new Error(`unmocked resource type ${args.type}`);
  }
}

export interface MockAccount {
  /** DigitalOcean regions that take no new Droplets (`available: false`). */
  closedRegions?: string[];
  /** DigitalOcean region -> sizes it does not sell now. */
  unsoldSizes?: Record<string, string[]>;
  /** DigitalOcean sizes not available to the account. */
  unavailableSizes?: string[];
  /** AWS region -> instance types it does not offer. */
  notOffered?: Record<string, string[]>;
  /** AWS regions where the account has no default VPC (getVpc fails as the provider does). */
  noDefaultVpcIn?: string[];
  /** Filled, in order, with `<token> <region>` for every provider function the program calls and `register <type>` for every resource. */
  calls?: string[];
}

/** Installs mocks that record every resource; returns the list they fill. */
export async function installMocks(stack: string, fleet: unknown, account: MockAccount = {}): Promise<RecordedResource[]> {
  const recorded: RecordedResource[] = [];
  const options = new Map<string, RecordedOptions>();
  const optionsOf = (type: string, name: string) => options.get(`${type}::${name}`) ?? { deleteBeforeReplace: false, ignoreChanges: [], dependencies: [] };
  pulumi.runtime.setAllConfig({ "lifeline:fleet": JSON.stringify(fleet) });
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const secretInputs = Object.entries(args.inputs ?? {}).filter(([, v]) => isSecretValue(v)).map(([k]) => k);
        const inputs = unwrapSecrets(args.inputs ?? {}) as Record<string, any>;
        account.calls?.push(`register ${args.type}`);
        args = { ...args, inputs };
        if (args.custom === false) {
          recorded.push({ type: args.type, name: args.name, inputs, secretInputs, options: optionsOf(args.type, args.name) });
          return { id: undefined, state: {} };
        }
        const id = mockId(args.type, args.name);
        recorded.push({ type: args.type, name: args.name, inputs, secretInputs, id, options: optionsOf(args.type, args.name) });
        return { id, state: mockState(args) };
      },
      call(args) {
        account.calls?.push(`${args.token} ${String(args.inputs.region ?? "")}`.trim());
        if (args.token === "aws:ec2/getVpc:getVpc") {
          const region = String(args.inputs.region);
          // What the engine hands the SDK when the AWS provider finds no VPC (the SDK reads `details`).
          if (account.noDefaultVpcIn?.includes(region)) {
            const details = "invocation of aws:ec2/getVpc:getVpc returned an error: invoking aws:ec2/getVpc:getVpc: 1 error occurred:\n\t* no matching EC2 VPC found";
            throw Object.assign(new Error(details), { details });
          }
          return { id: `vpc-${digest(region).slice(0, 8)}`, default: true, cidrBlock: "172.31.0.0/16", region };
        }
        if (args.token === "digitalocean:index/getRegion:getRegion") {
          const slug = String(args.inputs.slug);
          const sizes = Object.keys(providerCatalogs.digitalocean.sizes).filter((s) => !account.unsoldSizes?.[slug]?.includes(s));
          return { id: slug, slug, name: slug, available: !account.closedRegions?.includes(slug), features: ["metadata"], sizes };
        }
        if (args.token === "digitalocean:index/getSizes:getSizes") {
          const wanted = (args.inputs.filters?.[0]?.values ?? []) as string[];
          const sizes = wanted
            .filter((slug) => providerCatalogs.digitalocean.sizes[slug] !== undefined)
            .map((slug) => ({ slug, available: !account.unavailableSizes?.includes(slug), regions: providerCatalogs.digitalocean.regions, vcpus: 1, memory: 1024, disk: 25, transfer: 1, priceHourly: 0, priceMonthly: 0, gpuInfos: [] }));
          return { id: "sizes", sizes, filters: args.inputs.filters };
        }
        if (args.token === "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings") {
          const region = String(args.inputs.region);
          const wanted = (args.inputs.filters?.[0]?.values ?? []) as string[];
          const instanceTypes = wanted.filter((t) => !account.notOffered?.[region]?.includes(t));
          return { id: region, region, instanceTypes, locationType: "region", locationTypes: instanceTypes.map(() => "region"), locations: instanceTypes.map(() => region) };
        }
        throw new Error(`unmocked call ${args.token}`);
      },
    },
    "lifeline",
    stack,
    false,
  );
  captureOptions(options);
  return recorded;
}

/** Resolves an Output in a test (mocks run with preview=false, so every value is known). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/**
 * Waits until the mocked program has registered every resource: registrations wait on
 * outputs (user data waits on secrets), so the list grows over several turns of the loop.
 */
export async function settled(recorded: RecordedResource[]): Promise<RecordedResource[]> {
  let stableTurns = 0;
  let last = -1;
  while (stableTurns < 20) {
    await new Promise((resolve) => setImmediate(resolve));
    stableTurns = recorded.length === last ? stableTurns + 1 : 0;
    last = recorded.length;
  }
  return recorded;
}
