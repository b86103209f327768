import type { FleetNode } from "../fleet-input/types";
import { phrase } from "./html";
import { computerHeading, nodeCard } from "./node-card";
import { sharePage } from "./page-layout";
import { relaysByDevice } from "./relay-order";
import { subscriptionSection } from "./subscription-section";
import type { SubscriptionLinks } from "./subscriptions";
import type { Lang } from "./words/languages";
import { pageWords } from "./words/page-words";

/**
 * The page handed to people: only its own slice of nodes, numbered "Server 1, 2", with no node
 * names, providers, regions or volunteers (a seized phone reveals only the slice). Every card
 * that works on a phone comes first; the computer-only ones follow under their own heading.
 */
export function batchPage(nodes: readonly FleetNode[], defaultLang: Lang, subscription?: SubscriptionLinks): string {
  const split = nodes.map((node) => relaysByDevice(node.relays));
  const heading = (i: number) => `${phrase(pageWords.server)} ${i + 1}`;
  const phone = split.map(({ phone: relays }, i) => nodeCard({ heading: heading(i), number: i + 1, relays }));
  const computer = split.flatMap(({ computer: relays }, i) => (relays.length > 0 ? [nodeCard({ heading: heading(i), number: i + 1, relays })] : []));
  return sharePage({ defaultLang, body: (subscription ? subscriptionSection(subscription) : "") + phone.join("") + (computer.length > 0 ? computerHeading() + computer.join("") : ""), nodes });
}
