import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  parseKeyValues,
  runBuild
} from "./chunk-GCELOVMW.js";
import "./chunk-GY34PAH4.js";
import {
  parseFlags
} from "./chunk-XUJ662LO.js";
import "./chunk-CCEMYYKX.js";
import {
  BUILD_OPTIONS,
  ConfigError,
  ExitCode
} from "./chunk-TIITUB7H.js";
import "./chunk-CHZ5T6FE.js";

// src/cli/build.ts
import { writeFile } from "node:fs/promises";
async function execute(context) {
  const { options, reportFile } = parseBuildFlags(context);
  const result = await runBuild(options, context.platform, context.signal);
  const { platform } = context;
  platform.setOutput("image", result.image);
  platform.setOutput("digest", result.digest);
  platform.setOutput("tags", result.tags.join("\n"));
  platform.setOutput("reference", result.reference);
  platform.info(`image: ${result.reference}`);
  if (reportFile) await writeFile(reportFile, `${JSON.stringify(buildReport(result), null, 2)}
`);
  return ExitCode.Ok;
}
function buildReport(result) {
  const { image, digest, tags, reference, skipped, pushed } = result;
  return { schemaVersion: 1, image, digest, tags, reference, skipped, pushed };
}
function parseBuildFlags({ argv, env }) {
  const { values, positionals } = parseFlags(argv, BUILD_OPTIONS);
  if (positionals.length > 0) {
    throw new ConfigError("arguments", `unexpected argument ${JSON.stringify(positionals[0])}`);
  }
  if (!values.image)
    throw new ConfigError("--image", "is required: the repository to push to, e.g. ghcr.io/org/app");
  if (values.push && values["no-push"])
    throw new ConfigError("--push", "and --no-push contradict each other");
  const optional = (key, value) => value === void 0 ? {} : { [key]: value };
  const options = {
    builder: values.builder ?? "buildah",
    image: values.image,
    env,
    push: !values["no-push"],
    insecureRegistry: values["insecure-registry"] ?? false,
    rebuild: values.rebuild ?? false,
    buildArgs: parseKeyValues(values["build-arg"] ?? [], "--build-arg"),
    labels: parseKeyValues(values.label ?? [], "--label"),
    tags: values.tag ?? [],
    ...optional("context", values.context),
    ...optional("file", values.file),
    ...optional("target", values.target),
    ...optional("platform", values.platform),
    ...optional("registryUsername", values["registry-username"]),
    ...optional("registryPassword", values["registry-password"]),
    ...optional("revision", values.revision),
    ...optional("branch", values.branch),
    settings: {
      ...values.cache ? { docker: { cache: values.cache } } : {},
      buildah: {
        ...optional("storageDriver", values["storage-driver"]),
        ...optional("isolation", values.isolation)
      }
    }
  };
  return { options, ...optional("reportFile", values.report) };
}
export {
  buildReport,
  execute,
  parseBuildFlags
};
