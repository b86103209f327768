/**
 * The README's runnable blocks: ```sh blocks whose first line is the offline marker, split into
 * the commands a reader would type (continuation lines joined, here-documents kept whole).
 */
export const offlineMarker = "# offline: the tests run this block";

export interface ReadmeCommand {
  /** The command as bash runs it. */
  text: string;
  /** The exit code the README documents in a trailing `# exit N` comment, else 0. */
  exitCode: number;
  /** 1-based README line the command starts on, for failure messages. */
  line: number;
}

export interface ReadmeBlock {
  line: number;
  commands: ReadmeCommand[];
}

export function offlineBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split("\n");
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```sh\s*$/.exec(lines[i] ?? "");
    if (!fence) continue;
    const indent = fence[1]?.length ?? 0;
    const body: { text: string; line: number }[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j] ?? ""); j++) body.push({ text: (lines[j] ?? "").slice(indent), line: j + 1 });
    if (body[0]?.text.trim() === offlineMarker) blocks.push({ line: i + 1, commands: commandsOf(body.slice(1)) });
    i = j;
  }
  return blocks;
}

function commandsOf(body: { text: string; line: number }[]): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  for (let k = 0; k < body.length; k++) {
    const first = body[k]!;
    if (first.text.trim() === "" || first.text.trim().startsWith("#")) continue;
    const parts = [first.text];
    // A line ending in a backslash goes on; a here-document runs to its closing word.
    while (parts[parts.length - 1]!.endsWith("\\") && k + 1 < body.length) parts.push(body[++k]!.text);
    const heredoc = /<<-?\s*'?"?(\w+)'?"?/.exec(parts.join("\n"));
    if (heredoc) {
      while (k + 1 < body.length) {
        const next = body[++k]!.text;
        parts.push(next);
        if (next.trim() === heredoc[1]) break;
      }
    }
    const text = parts.join("\n");
    const documented = /#\s*exits?\s+(\d+)\b/.exec(parts[0]!);
    commands.push({ text, exitCode: documented ? Number(documented[1]) : 0, line: first.line });
  }
  return commands;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}
