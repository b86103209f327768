import { priceTableChecked } from "../catalog/prices";

export const priceTableMaxAgeDays = 90;

/** Days between two YYYY-MM-DD dates (negative when `to` is earlier). */
export function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A warning when the price table is older than 90 days on `today` (YYYY-MM-DD); prices move. */
export function priceAgeWarning(today: string, checked: string = priceTableChecked): string | undefined {
  const age = daysFrom(checked, today);
  if (age <= priceTableMaxAgeDays) return undefined;
  return (
    `warning: the price table was checked on ${checked}, ${age} days ago (more than ${priceTableMaxAgeDays}): ` +
    "costs may be off. Check the prices on the pages listed in src/catalog/prices.ts and update it."
  );
}
