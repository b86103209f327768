import type { RelayContext, RelaySecretSpec } from "./types";

/** A generated user name and password, for relays that check both (SOCKS5, HTTP). */
export const userPasswordSecrets: readonly RelaySecretSpec[] = [
  { name: "username", form: "lowercase", length: 10 },
  { name: "password", form: "alphanumeric", length: 24 },
];

export function userPassword(kind: string, ctx: RelayContext<unknown>): { user: string; pass: string } {
  const user = ctx.secrets["username"];
  const pass = ctx.secrets["password"];
  if (user === undefined || pass === undefined) throw new Error(`${kind} relay needs its generated secrets \`username\` and \`password\``);
  return { user, pass };
}
