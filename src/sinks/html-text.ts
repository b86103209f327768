const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe in HTML element content and in quoted attributes. */
export function htmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c] as string);
}
