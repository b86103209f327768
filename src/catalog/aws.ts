import type { ProviderCatalog } from "./types";

// Prices live in prices.ts, per region.
export const awsCatalog: ProviderCatalog = {
  name: "aws",
  namePrefix: "aws",
  title: "AWS",
  regions: [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
    "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "eu-south-1",
    "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2",
    "me-central-1", "me-south-1", "il-central-1", "sa-east-1",
  ],
  sizes: {
    "t4g.nano": { arch: "arm64", vcpus: 2, memoryMiB: 512 },
    "t4g.micro": { arch: "arm64", vcpus: 2, memoryMiB: 1024 },
    "t4g.small": { arch: "arm64", vcpus: 2, memoryMiB: 2048 },
    "t3.nano": { arch: "amd64", vcpus: 2, memoryMiB: 512 },
    "t3.micro": { arch: "amd64", vcpus: 2, memoryMiB: 1024 },
    "t3.small": { arch: "amd64", vcpus: 2, memoryMiB: 2048 },
    "t3a.nano": { arch: "amd64", vcpus: 2, memoryMiB: 512 },
    "t3a.micro": { arch: "amd64", vcpus: 2, memoryMiB: 1024 },
    "t3a.small": { arch: "amd64", vcpus: 2, memoryMiB: 2048 },
  },
  defaultSize: "t4g.micro",
  priceNote:
    "AWS on-demand prices of each node's region, $0.005/h for its Elastic IP and its 8 GB gp3 disk. " +
    "Traffic is the main cost on AWS: after the account's free 100 GB a month, every GB out costs $0.09-0.15 (1 TB is about $81-135).",
  // Checked 2026-11: 5 Elastic IPs per region by default (AddressLimitExceeded on the 6th).
  // The vCPU quota of a new account varies (1, 5 and 32 have been reported); AWS's own
  // Service Quotas example shows 5 for L-1216C47A, so lifeline assumes 5.
  quotas: [
    {
      key: "elasticIpsPerRegion",
      counts: "Elastic IPs",
      scope: "region",
      perNode: "one",
      newAccountDefault: 5,
      duringUpdate: "address",
      howToRaise: 'AWS console in that region, Service Quotas > Amazon EC2 > "EC2-VPC Elastic IPs": request an increase',
    },
    {
      key: "vcpusPerRegion",
      counts: "vCPUs of on-demand T instances",
      scope: "region",
      perNode: "vcpus",
      newAccountDefault: 5,
      duringUpdate: "vm",
      howToRaise:
        'AWS console in that region, Service Quotas > Amazon EC2 > "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" (L-1216C47A, counted in vCPUs): check it, request more if needed',
    },
  ],
  // Regions launched after March 2019 are off until the account enables them.
  optIn: {
    regions: ["eu-central-2", "eu-south-1", "me-central-1", "me-south-1", "il-central-1"],
    howToEnable:
      "AWS console, account menu (top right) > Account > AWS Regions > Enable (takes minutes, sometimes hours), or aws account enable-region --region-name",
  },
};
