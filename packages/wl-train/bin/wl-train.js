#!/usr/bin/env node
// Thin launcher: TypeScript runs through tsx, resolved next to this file so it works from any cwd.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/bin.ts");
const code = await main();
process.exitCode = code;
// Interrupted (or a follower stopped): the document is saved and written; stop the polling that
// may still be running once stdout drains. The trainer itself runs on in its own session.
if (code === 130) process.stdout.write("", () => process.exit(code));
