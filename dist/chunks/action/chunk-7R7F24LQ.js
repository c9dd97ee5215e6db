import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  redactStrings
} from "./chunk-4WLXK7BF.js";

// src/platform/artifacts.ts
import { writeFile } from "node:fs/promises";
async function writeArtifact(platform, file, text) {
  await writeFile(file, platform.redact(text));
}
async function writeJsonArtifact(platform, file, value) {
  await writeArtifact(platform, file, `${JSON.stringify(redactStrings(value, platform.redact), null, 2)}
`);
}

export {
  writeJsonArtifact
};
