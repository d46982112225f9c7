// Which SSH host a push goes to: `pod.ssh` of the document (wl-pod create wrote it), else
// `compute.ssh` of the resolved config (direct mode). The key comes from the same place, else the
// config's RunPod key, else the SSH agent.
import { type Config, type RunDoc, WlError } from "@wl/core";
import { z } from "zod";

/** A host to push to, with how to authenticate and move files. */
export interface PushHost {
  host: string;
  port: number;
  user: string;
  mode: "direct" | "gateway";
  /** Run gateway transfers under a PTY (gateways that insist). */
  pty: boolean;
  /** Private key file; undefined: the SSH agent. */
  key?: string;
}

/** `pod.ssh` as wl-pod create writes it; parsed here, at the boundary. */
const podSshSchema = z.looseObject({
  host: z.string().min(1),
  port: z.int().min(1).max(65535).default(22),
  user: z.string().min(1).default("root"),
  mode: z.enum(["direct", "gateway"]).default("direct"),
  pty: z.boolean().default(false),
  key: z.string().min(1).optional(),
});

/** The host of `doc`; one clear error when there is none. */
export function pushHost(doc: RunDoc, config: Config): PushHost {
  const fallbackKey = config.compute.ssh?.key ?? config.compute.runpod?.ssh_key;
  const podSsh = (doc.pod as { ssh?: unknown } | undefined)?.ssh;
  if (podSsh !== undefined) {
    const parsed = podSshSchema.safeParse(podSsh);
    if (!parsed.success) {
      throw new WlError(
        "push.pod_ssh_invalid",
        `pod.ssh in the run document is not a host: ${z.prettifyError(parsed.error).replaceAll("\n", " ")}`,
        "pipe in the document wl-pod create wrote, or remove pod.ssh to use compute.ssh of the config",
      );
    }
    const { host, port, user, mode, pty, key } = parsed.data;
    const chosen = key ?? fallbackKey;
    return { host, port, user, mode, pty, ...(chosen ? { key: chosen } : {}) };
  }
  const ssh = config.compute.ssh;
  if (ssh === undefined) {
    throw new WlError(
      "push.no_host",
      "no SSH host to push to: the run document has no pod.ssh and the config no compute.ssh",
      "set compute.ssh: {host, user, key} in the config, or pipe in wl-pod create's document",
    );
  }
  return {
    host: ssh.host,
    port: ssh.port,
    user: ssh.user,
    mode: "direct",
    pty: false,
    ...(ssh.key ? { key: ssh.key } : {}),
  };
}
