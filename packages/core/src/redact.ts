// Secret redaction for everything wl prints or writes: known secret values from the environment
// and the shapes secrets take (RunPod and Hugging Face tokens, private keys, URL passwords).

const MASK = "***";
const SECRET_ENV_NAME = /(_KEY|_TOKEN|_SECRET|_PASSWORD|^RUNPOD_API_KEY|^WANDB_API_KEY|^HF_TOKEN)$/;
const MIN_SECRET_LENGTH = 8;

const SECRET_SHAPES: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\brpa_[A-Za-z0-9]{20,}\b/g,
  /\bhf_[A-Za-z0-9]{20,}\b/g,
];
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;

/** Secret values found in the environment, longest first so overlaps redact fully. */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(
      ([name, value]) => SECRET_ENV_NAME.test(name) && (value?.length ?? 0) >= MIN_SECRET_LENGTH,
    )
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
}

/** Replaces every secret in `text` with ***. */
export function redact(text: string, secrets: readonly string[] = secretsFromEnv()): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  for (const shape of SECRET_SHAPES) out = out.replace(shape, MASK);
  return out.replace(URL_PASSWORD, `$1${MASK}@`);
}
