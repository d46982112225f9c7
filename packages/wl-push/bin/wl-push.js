#!/usr/bin/env node
// Thin launcher: TypeScript runs through tsx, resolved next to this file so it works from any cwd.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/bin.ts");
process.exitCode = await main();
