// ESC-introduced sequences (CSI "ESC [ ... final", OSC "ESC ] ... BEL/ST", two-byte escapes) go
// whole, so no half of one is left for the terminal to act on; the C1 CSI (0x9b) likewise.
const escapeSequence = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 and C1 controls, DEL, and the marks that reorder text (bidi embeddings, overrides, isolates).
const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from an outputs or stack file, made safe to print: escape sequences and control
 * characters removed, so it cannot move the cursor, retitle the window, hide a line or reorder
 * what the organizer reads. Line breaks and tabs stay (messages span lines).
 */
export function terminalText(text: string): string {
  return text.replace(escapeSequence, "").replace(controls, "");
}

/** One field on one line: line breaks and tabs go too. */
export function terminalField(text: string): string {
  return terminalText(text).replace(/[\n\t]/g, " ");
}

/** Whether text carries anything terminalText would remove (for validating input fields). */
export function hasControlCharacters(text: string): boolean {
  return new RegExp(controls.source).test(text);
}
