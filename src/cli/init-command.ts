import { createInterface } from "node:readline";
import { providerNames } from "../catalog";
import { CliError } from "./cli-error";
import { checkedDescription, writeVolunteerStacks } from "./fleet-new-command";

export interface InitOptions {
  volunteer?: string;
  provider?: string;
  nodes?: string;
  budget?: string;
  expires?: string;
  openPorts?: string;
}

interface Question {
  key: keyof InitOptions;
  flag: string;
  ask: string;
  /** Taken when the answer is empty. */
  fallback?: string;
}

const questions: Question[] = [
  { key: "volunteer", flag: "--volunteer", ask: "Your name or handle, shown on your nodes' tags", fallback: "" },
  { key: "provider", flag: "--provider", ask: `Cloud (${providerNames.join(" or ")})`, fallback: "digitalocean" },
  { key: "nodes", flag: "--nodes", ask: "How many nodes", fallback: "2" },
  { key: "budget", flag: "--budget", ask: "Budget in US dollars a day" },
  { key: "expires", flag: "--expires", ask: "Last day the nodes serve (YYYY-MM-DD)" },
  { key: "openPorts", flag: "--open-ports", ask: "Open ports the organizers gave you, comma-separated (e.g. 443,8443,2053)" },
];

/** Asks for what the flags left out, on a terminal; elsewhere, names the flags missing. */
async function completed(options: InitOptions, interactive: boolean): Promise<Required<InitOptions>> {
  const missing = questions.filter((q) => options[q.key] === undefined && q.fallback === undefined);
  if (!interactive && missing.length > 0) {
    throw new CliError(`give ${missing.map((q) => q.flag).join(", ")} (or run lifeline init in a terminal to be asked)`);
  }
  const answers: Partial<Record<keyof InitOptions, string>> = { ...options };
  if (interactive) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    // The line iterator keeps lines typed (or pasted) ahead of their question; rl.question would drop them.
    const lines = rl[Symbol.asyncIterator]();
    try {
      for (const q of questions.filter((q) => options[q.key] === undefined)) {
        process.stderr.write(`${q.ask}${q.fallback ? ` [${q.fallback}]` : ""}: `);
        const next = await lines.next();
        if (next.done) throw new CliError(`no answer for "${q.ask}": give ${q.flag}`);
        const answer = String(next.value).trim();
        answers[q.key] = answer === "" ? q.fallback ?? "" : answer;
      }
    } finally {
      rl.close();
    }
  }
  for (const q of questions) answers[q.key] ??= q.fallback ?? "";
  return answers as Required<InitOptions>;
}

/**
 * `lifeline init <name>`: one volunteer's stack file, as `fleet new` writes them (spread over
 * regions, within a new account's limits with an update's headroom, checked as `plan` checks),
 * and the commands to run next. Asks for what the flags leave out when a terminal is attached.
 */
export async function runInit(name: string, options: InitOptions, env: { stacksDir: string; projectStacksDir: string; today: string; interactive: boolean }, print: (text: string) => void): Promise<void> {
  const a = await completed(options, env.interactive);
  const number = (flag: string, value: string) => (/^\d+(\.\d+)?$/.test(value) ? Number(value) : value);
  const description = checkedDescription(
    {
      volunteers: [{ name, ...(a.volunteer !== "" ? { volunteer: a.volunteer } : {}), provider: a.provider, nodes: number("--nodes", a.nodes) }],
      budgetPerDay: number("--budget", a.budget),
      expires: a.expires,
      openPorts: a.openPorts.split(",").map((p) => p.trim()).filter((p) => p !== "").map((p) => number("--open-ports", p)),
    },
    "lifeline init",
  );
  writeVolunteerStacks(description, env, print);
}
