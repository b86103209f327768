import { ensureStateFolder } from "../../scripts/state-folder.cjs";

/**
 * Makes Pulumi's state folder if the project's backend is a folder. A failure does not stop
 * the offline plan; it says what to create by hand before `pulumi stack init`.
 */
export function ensureStateFolderOrWarn(projectDir: string, warn: (text: string) => void): void {
  try {
    ensureStateFolder(projectDir);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    warn(`lifeline: could not create the Pulumi state folder (${reason}); create it before \`pulumi stack init\``);
  }
}
