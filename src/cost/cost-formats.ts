import { csvCell } from "../sinks/csv-cell";
import type { FleetCostReport, VolunteerCost } from "./fleet-costs";

type Row = Omit<VolunteerCost, "stacks" | "share" | "volunteer"> & { volunteer: string; stacks: string; share: number };

function rows(report: FleetCostReport): Row[] {
  return [
    ...report.volunteers.map((v) => ({ ...v, stacks: v.stacks.join(" ") })),
    { volunteer: "TOTAL", stacks: "", share: 1, ...report.total },
  ];
}

const usd = (n: number, digits = 2) => `$${n.toFixed(digits)}`;

/** Column headings and cells, shared by the table and the CSV so they cannot drift apart. */
function cells(report: FleetCostReport): string[][] {
  const head = ["VOLUNTEER", "STACKS", "NODES", "PER HOUR", "TRAFFIC GB/DAY", "TRAFFIC PER DAY", "PER DAY", `FOR ${report.days} DAYS`, "SHARE"];
  return [
    head,
    ...rows(report).map((r) => [
      r.volunteer,
      r.stacks,
      String(r.nodes),
      usd(r.fixedUsdPerHour, 4),
      r.trafficGBPerDay.toFixed(0),
      usd(r.trafficUsdPerDay),
      usd(r.usdPerDay),
      usd(r.usdForDays),
      `${(r.share * 100).toFixed(1)}%`,
    ]),
  ];
}

/** Right-aligned numbers, two spaces between columns; the last row is the total. */
export function costTable(report: FleetCostReport): string {
  const table = cells(report);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd();
  return [...table.slice(0, -1).map(line), widths.map((w) => "-".repeat(w)).join("  "), line(table.at(-1)!)].join("\n");
}

/** Plain numbers (no $ or %), for spreadsheets. */
export function costCsv(report: FleetCostReport): string {
  const head = ["volunteer", "stacks", "nodes", "usd_per_hour", "traffic_gb_per_day", "traffic_usd_per_day", "usd_per_day", `usd_for_${report.days}_days`, "share"];
  const body = rows(report).map((r) =>
    [r.volunteer, r.stacks, String(r.nodes), r.fixedUsdPerHour.toFixed(4), r.trafficGBPerDay.toFixed(2), r.trafficUsdPerDay.toFixed(2), r.usdPerDay.toFixed(2), r.usdForDays.toFixed(2), r.share.toFixed(4)]
      .map(csvCell)
      .join(","),
  );
  return `${[head.join(","), ...body].join("\n")}\n`;
}

export function costJson(report: FleetCostReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
