import type { FleetNode } from "../fleet-input/types";
import { phrase } from "./html";
import { nodeCard } from "./node-card";
import { sharePage } from "./page-layout";
import type { Lang } from "./words/languages";
import { pageWords } from "./words/page-words";

/**
 * The page handed to people: only its own slice of nodes, numbered "Server 1, 2", with no node
 * names, providers, regions or volunteers (a seized phone reveals only the slice).
 */
export function batchPage(nodes: readonly FleetNode[], defaultLang: Lang): string {
  const cards = nodes.map((node, i) => nodeCard(node, `${phrase(pageWords.server)} ${i + 1}`));
  return sharePage({ defaultLang, body: cards.join(""), nodes });
}
