import type { ShareFile } from "./share-files";

/**
 * Said on every preview file, in the pages' three languages: a preview page forwarded by
 * mistake must not send anyone looking for links that were never real.
 */
export const previewNotice = "PREVIEW — these links do not work";
const previewNoticeRu = "ПРЕДПРОСМОТР — эти ссылки не работают";
const previewNoticeKk = "АЛДЫН АЛА ҚАРАУ — бұл сілтемелер жұмыс істемейді";
const lines = [previewNotice, previewNoticeRu, previewNoticeKk];

const banner =
  `<p role="alert" style="margin:0;padding:.6em;background:#b00020;color:#fff;font-weight:bold;text-align:center">` +
  `${lines.join("<br>")}</p>`;

/** The same file, marked as a preview where a reader sees it first. */
function markFile(file: ShareFile): ShareFile {
  if (file.name.endsWith(".html")) {
    // Right before <main>: after the language anchors, as choosing a language scrolls to its
    // anchor and a banner above it would leave the screen; still a sibling before <main>, so the
    // language switch (`:target ~ main`) works.
    const at = file.content.indexOf("<main>");
    if (at === -1) throw new Error(`${file.name}: no <main> to put the preview notice before`);
    return { ...file, content: file.content.slice(0, at) + banner + file.content.slice(at) };
  }
  if (file.name.startsWith("sub/") && !file.name.includes(".")) {
    // A subscription stays base64 that apps decode: the notice goes inside, as comment lines.
    const links = Buffer.from(file.content, "base64").toString("utf8");
    return { ...file, content: Buffer.from(`${lines.map((l) => `# ${l}`).join("\n")}\n${links}`, "utf8").toString("base64") };
  }
  if (file.name.endsWith(".json")) return { ...file, content: `${JSON.stringify({ preview: previewNotice, ...JSON.parse(file.content) }, null, 2)}\n` };
  return { ...file, content: markText(file.content) };
}

/** A post or answer, with the notice on its first and last lines. */
export function markText(text: string): string {
  return `${lines.join("\n")}\n\n${text.trimEnd()}\n\n${previewNotice}\n`;
}

export function markPreview(files: readonly ShareFile[]): ShareFile[] {
  return files.map(markFile);
}
