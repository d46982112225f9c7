// Credentials for what the config uses: a RunPod API key, a usable SSH key, W&B. Never printed.
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { CheckResult } from "@wl/core";
import { type CheckContext, fail, ok, warn } from "./check.ts";

/** One credential's verdict before it is folded into the check. */
type Finding = { status: "ok" | "warn" | "fail"; message: string; fix?: string };

/** Checks every credential the config needs; the worst finding decides the verdict. */
export async function checkCredentials(context: CheckContext): Promise<CheckResult> {
  const { compute, monitoring } = context.config;
  const findings: Finding[] = [];
  if (compute.backend === "runpod") {
    findings.push(await runpodKey(context));
    findings.push(await sshKey(compute.runpod?.ssh_key, context));
  }
  if (compute.backend === "ssh") findings.push(await sshKey(compute.ssh?.key, context));
  if (monitoring.report_to === "wandb") findings.push(await wandbKey(context));
  if (findings.length === 0) return ok("credentials", "none needed for a local run without W&B");
  const failed = findings.find((finding) => finding.status === "fail");
  const warned = findings.find((finding) => finding.status === "warn");
  const message = findings.map((finding) => finding.message).join("; ");
  if (failed) return fail("credentials", message, failed.fix ?? "");
  if (warned) return warn("credentials", message, warned.fix ?? "");
  return ok("credentials", message);
}

async function runpodKey({ env, home }: CheckContext): Promise<Finding> {
  if (env.RUNPOD_API_KEY) return { status: "ok", message: "RunPod API key from $RUNPOD_API_KEY" };
  const file = join(home, ".runpod", "config.toml");
  const text = await readFile(file, "utf8").catch(() => "");
  if (/^\s*api_key\s*=\s*["'][^"']+["']/m.test(text)) {
    return { status: "ok", message: `RunPod API key from ${file}` };
  }
  return {
    status: "fail",
    message: "no RunPod API key",
    fix: 'create one at https://www.runpod.io/console/user/settings (API Keys), then export RUNPOD_API_KEY=… or put api_key = "…" under [default] in ~/.runpod/config.toml',
  };
}

async function sshKey(keyPath: string | undefined, { env, home }: CheckContext): Promise<Finding> {
  const path = keyPath ?? (await defaultKey(home));
  if (!path) {
    return env.SSH_AUTH_SOCK
      ? { status: "ok", message: "SSH key from the agent ($SSH_AUTH_SOCK)" }
      : {
          status: "fail",
          message: "no SSH key: none configured, none in ~/.ssh, no agent",
          fix: "create one with ssh-keygen -t ed25519, add its .pub to the host (or your RunPod account), and set compute.ssh.key",
        };
  }
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    return {
      status: "fail",
      message: `SSH key ${path} not found`,
      fix: "fix the key path in the config, or create it with ssh-keygen -t ed25519",
    };
  }
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8);
    return {
      status: "fail",
      message: `SSH key ${path} is readable by others (mode ${mode}); ssh refuses such keys`,
      fix: `chmod 600 ${path}`,
    };
  }
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined)
    return {
      status: "fail",
      message: `SSH key ${path} is not readable`,
      fix: `check the owner of ${path}`,
    };
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    return {
      status: "fail",
      message: `${path} is not a private key`,
      fix: "point the config at the private key (not the .pub file)",
    };
  }
  if (/ENCRYPTED|Proc-Type: 4,ENCRYPTED/.test(text) || isEncryptedOpenSsh(text)) {
    return env.SSH_AUTH_SOCK
      ? { status: "ok", message: `SSH key ${path} (passphrase-protected; the agent is used)` }
      : {
          status: "warn",
          message: `SSH key ${path} is passphrase-protected and no agent runs`,
          fix: `eval "$(ssh-agent)" && ssh-add ${path}`,
        };
  }
  return { status: "ok", message: `SSH key ${path} (mode 600)` };
}

async function defaultKey(home: string): Promise<string | undefined> {
  for (const name of ["id_ed25519", "id_ecdsa", "id_rsa"]) {
    const path = join(home, ".ssh", name);
    if (
      await stat(path)
        .then((info) => info.isFile())
        .catch(() => false)
    )
      return path;
  }
  return undefined;
}

/** OpenSSH's own key format names its cipher inside the base64 body; "none" means unencrypted. */
function isEncryptedOpenSsh(text: string): boolean {
  const body = text.match(/-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END/)?.[1];
  if (!body) return false;
  const decoded = Buffer.from(body.replace(/\s+/g, ""), "base64")
    .subarray(15, 60)
    .toString("latin1");
  return !decoded.includes("none");
}

async function wandbKey({ config, env, home }: CheckContext): Promise<Finding> {
  if (config.monitoring.wandb_mode === "offline")
    return { status: "ok", message: "W&B offline: no account needed" };
  if (env.WANDB_API_KEY) return { status: "ok", message: "W&B key from $WANDB_API_KEY" };
  const netrc = await readFile(join(home, ".netrc"), "utf8").catch(() => "");
  if (/machine\s+api\.wandb\.ai/.test(netrc))
    return { status: "ok", message: "W&B key from ~/.netrc" };
  return {
    status: "fail",
    message: "report_to is wandb but no W&B key",
    fix: "export WANDB_API_KEY=… (https://wandb.ai/authorize), run wandb login, or set monitoring.wandb_mode: offline",
  };
}
