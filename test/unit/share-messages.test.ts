import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MessageTooLongError, requestAnswerText, telegramPost } from "../../src/share/message-text";
import { shareFiles } from "../../src/share/share-files";
import { languages } from "../../src/share/words/languages";
import { useExampleFleet, fixedShareKey } from "./support/share-fixtures";
import { syntheticFleet, syntheticNode } from "./support/share-nodes";

const exampleFleet = useExampleFleet();

/** Telegram's documented limit for one message, in UTF-16 units (shared/facts.md). */
const telegramMessageLimit = 4096;

describe("Telegram posts and answers", () => {
  it("carry every t.me link of their nodes and never a tg:// one", () => {
    for (const lang of languages) {
      const post = telegramPost(exampleFleet().nodes.slice(0, 2), lang, "post");
      for (const relay of exampleFleet().nodes.slice(0, 2).flatMap((n) => n.relays)) {
        if (relay.kind === "mtproto" || relay.kind === "socks5") expect(post).toContain(relay.telegramWeb);
        if (relay.kind === "shadowsocks") expect(post).toContain(relay.accessKey);
        if (relay.kind === "http") expect(post).toContain(relay.password);
      }
      expect(post).not.toContain("tg://");
    }
  });

  it("fit Telegram's 4096-unit limit for every batch the example stacks make", () => {
    const { files } = shareFiles(exampleFleet(), { batches: 7, perPage: 3, lang: "kk", key: fixedShareKey, reservedShare: 0.2 });
    const posts = files.filter((f) => f.name.startsWith("telegram-"));
    expect(posts).toHaveLength(7);
    for (const post of posts) expect(post.content.trimEnd().length).toBeLessThanOrEqual(telegramMessageLimit);
  });

  it("either fit in 4096 UTF-16 units or are refused, for any number of nodes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.constantFrom(...languages), (n, lang) => {
        try {
          expect(telegramPost(syntheticFleet(n), lang, "post").trimEnd().length).toBeLessThanOrEqual(telegramMessageLimit);
        } catch (error) {
          expect(error).toBeInstanceOf(MessageTooLongError);
          expect(Number(/would be (\d+) characters/.exec((error as Error).message)![1])).toBeGreaterThan(telegramMessageLimit);
        }
      }),
    );
  });

  it("count UTF-16 units, as Telegram does: characters outside the BMP count twice", () => {
    const node = syntheticNode(0);
    const rest = telegramPost([node], "en", "post").trimEnd().length - node.address.length;
    // A host of emoji: exactly the limit in code points, far over it in UTF-16 units.
    const fill = telegramMessageLimit - rest;
    const wide = { ...node, relays: node.relays.map((r) => (r.kind === "http" ? { ...r, host: `${"😀".repeat(fill)}` } : r)) };
    expect(() => telegramPost([wide], "en", "telegram-07.txt")).toThrow(
      /^telegram-07\.txt would be \d+ characters, over Telegram's limit of 4096: use fewer nodes a page \(--per-page\)$/,
    );
  });

  it("answer a request in the language asked, within the limit", () => {
    const nodes = exampleFleet().nodes.slice(0, 2);
    expect(requestAnswerText(nodes, "ru")).toMatch(/^Ваши прокси на эту неделю/);
    expect(requestAnswerText(nodes, "kk")).toMatch(/^Осы аптаға арналған прокси/);
    expect(requestAnswerText(nodes, "en")).toMatch(/^Your proxies for this week/);
    expect(requestAnswerText(nodes, "ru").length).toBeLessThanOrEqual(telegramMessageLimit);
  });
});
