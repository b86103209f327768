import type { FleetNode } from "../fleet-input/types";
import { escapeHtml, isolated } from "./html";
import { computerHeading, nodeCard } from "./node-card";
import { relaysByDevice } from "./relay-order";
import { sharePage } from "./page-layout";
import type { Lang } from "./words/languages";

export interface OrganizerView {
  /** The nodes handed out (pages, posts, answers), shown with their links. */
  nodes: readonly FleetNode[];
  /** Batch numbers (1-based) each node address is on. */
  batchesOf: ReadonlyMap<string, readonly number[]>;
  /** Nodes kept back, handed out by hand only: named here, their links never (`share --reserved`). */
  reserved: readonly FleetNode[];
  defaultLang: Lang;
}

function meta(node: FleetNode, view: OrganizerView): string {
  const batches = view.batchesOf.get(node.address) ?? [];
  const parts = [
    `${isolated(node.provider)} ${isolated(node.region)}`,
    isolated(node.address),
    batches.length > 0 ? `batches ${batches.join(", ")}` : "in no batch",
    "in request answers",
  ];
  return `<p class="meta">${parts.join(" · ")}</p>`;
}

/**
 * The organizers' page: every node of every stack, grouped by where it came from (a stack or
 * outputs file, often a volunteer's name), with its batches: when a page leaks, the organizers
 * see which nodes it burnt. Never hand it out.
 */
export function allPage(view: OrganizerView): string {
  const sources = [...new Set([...view.nodes, ...view.reserved].map((n) => n.source))];
  const body = sources.map((source) => {
    const own = view.nodes.filter((n) => n.source === source);
    const cards = own.map((node) => {
      // One number per node across the page, so no two buttons read the same; its computer-only
      // relays last, under their heading.
      const number = view.nodes.indexOf(node) + 1;
      const { phone, computer } = relaysByDevice(node.relays);
      const card = nodeCard({ heading: isolated(node.name), number, relays: phone, meta: meta(node, view) });
      return computer.length > 0 ? card + computerHeading() + nodeCard({ heading: isolated(node.name), number, relays: computer }) : card;
    });
    const kept = view.reserved.filter((n) => n.source === source);
    // A leaked all.html must not burn the reserve: reserved nodes are named, with no link.
    const keptList = kept.length === 0 ? "" : `<p class="meta"><b>reserved</b> (links: <code>share --reserved</code>): ${kept.map((n) => `${isolated(n.name)} ${isolated(n.address)}`).join(", ")}</p>`;
    return `<h1>${isolated(source)} <small>(${own.length + kept.length} node${own.length + kept.length === 1 ? "" : "s"})</small></h1>${keptList}${cards.join("")}`;
  });
  const header =
    `<p class="warn">For organizers only: this page lists the whole fleet. Never forward it.</p>` +
    `<p class="meta">${view.nodes.length + view.reserved.length} nodes from ${sources.length} source${sources.length === 1 ? "" : "s"}: ${sources.map(isolated).join(", ")}; ` +
    `${escapeHtml(String(view.reserved.length))} reserved, on no page, post, answer or outline.json: hand them out by hand (<code>share --reserved</code>).</p>`;
  return sharePage({ defaultLang: view.defaultLang, body: header + body.join(""), nodes: view.nodes });
}
