// @wl/ssh: wl's SSH layer over ssh2 — connect with pinned host keys, exec, reconnect with backoff,
// and file transfers checked by length and sha256 (sftp, or base64 over exec through a gateway).
export { type Auth, expandHome, loadAuth, readPrivateKey } from "./auth.ts";
export { type ConnectOptions, connect } from "./connect.ts";
export { SshConnection } from "./connection.ts";
export { connectError, connectionLost, isRetryable, RETRYABLE_CODES } from "./errors.ts";
export { type ExecOptions, type ExecResult, exec, execOk, succeeded } from "./exec.ts";
export { downloadGateway, type GatewayOptions, remoteProof, uploadGateway } from "./gateway.ts";
export { type FileProof, sha256File } from "./hash.ts";
export {
  checkHostKey,
  defaultKnownHostsFile,
  fingerprint,
  type HostKeyCheck,
  type KnownHost,
  keyTypeOf,
  parseKnownHosts,
  pinHostKey,
  readKnownHosts,
} from "./known-hosts.ts";
export { backoffDelay, type RetryOptions, retrying, withConnection } from "./retry.ts";
export { downloadSftp, uploadSftp } from "./sftp.ts";
export { shCommand, shellQuote } from "./shell-quote.ts";
export { describeTarget, knownHostsName, type SshTarget } from "./target.ts";
export { download, type TransferMode, type TransferOptions, upload } from "./transfer.ts";
