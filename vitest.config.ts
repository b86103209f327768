import { defineConfig } from "vitest/config";

// Two projects: `unit` runs anywhere Node runs (plus the cloud-init validator);
// `nodes` boots real Debian nodes and needs Linux, root and debootstrap.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "nodes",
          include: ["test/nodes/**/*.test.ts"],
          // Boots are slow and share one image cache: run files one at a time.
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 1_800_000,
        },
      },
    ],
  },
});
