// The folder Pulumi's file backend keeps stacks in, created before Pulumi needs it: the file
// backend stats the folder and fails when it is missing (pulumi/pulumi#15841), so the
// README's `pulumi stack init` would fail on a fresh machine. `npm ci` runs this file
// (postinstall) and `npm run plan` calls it too. Plain CommonJS: it runs before anything
// is compiled, and must never fail an install.
"use strict";
const { mkdirSync, readFileSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");

/**
 * The home Pulumi puts in place of `~`: Go's user.Current(), i.e. the user database entry,
 * or $HOME for a user without one (containers, CI).
 */
function pulumiHome() {
  try {
    return os.userInfo().homedir;
  } catch {
    return os.homedir();
  }
}

/**
 * The folder a backend URL stores state in, or undefined for backends that are not folders
 * (s3://, gs://, azblob://, https://api.pulumi.com...). Expands `~` as Pulumi does.
 * @param {string} backendUrl
 * @param {string} home
 * @param {string} projectDir where relative paths start (Pulumi resolves them from the working folder)
 * @returns {string | undefined}
 */
function stateFolderOf(backendUrl, home, projectDir) {
  if (!backendUrl.startsWith("file://")) return undefined;
  const rest = backendUrl.slice("file://".length).replace(/\?.*$/, "");
  if (rest === "~") return home;
  if (rest.startsWith("~/")) return path.join(home, rest.slice(2));
  return path.resolve(projectDir, rest);
}

/**
 * The backend this project uses: PULUMI_BACKEND_URL wins over Pulumi.yaml's `backend.url`,
 * as in the Pulumi CLI.
 * @param {string} projectDir the folder holding Pulumi.yaml
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | undefined}
 */
function backendUrlOf(projectDir, env) {
  if (env.PULUMI_BACKEND_URL) return env.PULUMI_BACKEND_URL;
  const { parse } = require("yaml");
  const project = parse(readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8"));
  return project?.backend?.url;
}

/**
 * Creates the state folder if the backend is a folder; returns it (undefined otherwise).
 * @param {string} projectDir
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | undefined}
 */
function ensureStateFolder(projectDir, env = process.env) {
  const url = backendUrlOf(projectDir, env);
  const folder = url === undefined ? undefined : stateFolderOf(url, pulumiHome(), projectDir);
  // 0700: the state holds every node's secrets (encrypted, but no one else needs to read it).
  if (folder !== undefined) mkdirSync(folder, { recursive: true, mode: 0o700 });
  return folder;
}

module.exports = { stateFolderOf, backendUrlOf, ensureStateFolder };

if (require.main === module) {
  const projectDir = path.join(__dirname, "..");
  try {
    const folder = ensureStateFolder(projectDir);
    if (folder !== undefined) process.stdout.write(`lifeline: Pulumi state folder ${folder} is ready\n`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`lifeline: could not create the Pulumi state folder (${reason}); create it before \`pulumi stack init\`, e.g. mkdir -p ~/.lifeline-state\n`);
  }
}
