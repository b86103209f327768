/** See state-folder.cjs. */
export function stateFolderOf(backendUrl: string, home: string, projectDir: string): string | undefined;
export function backendUrlOf(projectDir: string, env: NodeJS.ProcessEnv): string | undefined;
export function ensureStateFolder(projectDir: string, env?: NodeJS.ProcessEnv): string | undefined;
