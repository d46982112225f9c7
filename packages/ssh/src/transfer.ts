// upload() / download(): one call for both modes. direct = sftp (hosts with a public sshd);
// gateway = base64 over exec (RunPod's ssh.runpod.io). Both check length and sha256 end to end.
import type { SshConnection } from "./connection.ts";
import { downloadGateway, type GatewayOptions, uploadGateway } from "./gateway.ts";
import type { FileProof } from "./hash.ts";
import { downloadSftp, uploadSftp } from "./sftp.ts";

/** How files travel: sftp, or exec alone through a gateway. */
export type TransferMode = "direct" | "gateway";

/** Options for upload and download. */
export interface TransferOptions extends GatewayOptions {
  mode: TransferMode;
}

/** Puts local `file` at `remotePath` (folders made, temp name, renamed when the sha256 matches). */
export function upload(
  connection: SshConnection,
  file: string,
  remotePath: string,
  options: TransferOptions,
): Promise<FileProof> {
  return options.mode === "direct"
    ? uploadSftp(connection, file, remotePath)
    : uploadGateway(connection, file, remotePath, options);
}

/** Brings `remotePath` to local `file` (temp name, renamed when the sha256 matches). */
export function download(
  connection: SshConnection,
  remotePath: string,
  file: string,
  options: TransferOptions,
): Promise<FileProof> {
  return options.mode === "direct"
    ? downloadSftp(connection, remotePath, file)
    : downloadGateway(connection, remotePath, file, options);
}
