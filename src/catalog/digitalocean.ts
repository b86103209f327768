import type { ProviderCatalog } from "./types";

// Prices live in prices.ts (the same in every region).
export const digitalOceanCatalog: ProviderCatalog = {
  name: "digitalocean",
  namePrefix: "do",
  title: "DigitalOcean",
  regions: [
    "ams3", "atl1", "blr1", "fra1", "lon1", "nyc1", "nyc2", "nyc3",
    "sfo2", "sfo3", "sgp1", "syd1", "tor1",
  ],
  sizes: {
    "s-1vcpu-512mb-10gb": { arch: "amd64", vcpus: 1, memoryMiB: 512 },
    "s-1vcpu-1gb": { arch: "amd64", vcpus: 1, memoryMiB: 1024 },
    "s-1vcpu-2gb": { arch: "amd64", vcpus: 1, memoryMiB: 2048 },
    "s-2vcpu-2gb": { arch: "amd64", vcpus: 2, memoryMiB: 2048 },
    "s-2vcpu-4gb": { arch: "amd64", vcpus: 2, memoryMiB: 4096 },
  },
  defaultSize: "s-1vcpu-1gb",
  priceNote:
    "DigitalOcean list prices (the same in every region); each droplet adds its included transfer to the account's pool, " +
    "and transfer beyond the pool costs $0.01/GiB. s-1vcpu-512mb-10gb is sold only in some regions.",
  // Checked 2026-11: "By default, you can reserve three reserved IPs per account ... you can
  // request more through the control panel" (docs: Reserved IP limits). The Droplet limit of a
  // new account is not documented; new accounts were seen at 3 (2026), and DigitalOcean
  // raises it over time or on request from the account settings.
  quotas: [
    {
      key: "reservedIps",
      counts: "reserved IPs",
      scope: "account",
      perNode: "one",
      newAccountDefault: 3,
      duringUpdate: "address",
      howToRaise: "DigitalOcean control panel, Networking > Reserved IPs: request more (DigitalOcean reviews it)",
    },
    {
      key: "droplets",
      counts: "Droplets",
      scope: "account",
      perNode: "one",
      newAccountDefault: 3,
      duringUpdate: "vm",
      howToRaise: "DigitalOcean control panel, Settings > Team > Droplet limit: request an increase (cloud.digitalocean.com/account/team/droplet_limit_increase)",
    },
  ],
};
