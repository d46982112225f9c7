// POSIX sh text that wl-train generates: quoted words and the `export` lines that carry the
// environment to the launcher.

/** Quotes a word for POSIX sh: it's → 'it'\''s'. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Variables a shell owns or keeps read-only: exporting them would fail or mislead. */
const SHELL_OWNED = new Set([
  "PWD",
  "OLDPWD",
  "SHLVL",
  "_",
  "PPID",
  "UID",
  "EUID",
  "SHELLOPTS",
  "BASHOPTS",
  "LINENO",
]);

/** `export NAME='value'` lines for every variable a shell can take, in a stable order. */
export function exportLines(env: NodeJS.ProcessEnv): string {
  return Object.entries(env)
    .filter(
      ([name, value]) =>
        value !== undefined &&
        NAME.test(name) &&
        !SHELL_OWNED.has(name) &&
        !name.startsWith("BASH_"),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `export ${name}=${shellQuote(value as string)}\n`)
    .join("");
}
