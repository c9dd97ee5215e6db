import { createRequire as __canaryCreateRequire } from 'node:module'; const require = __canaryCreateRequire(import.meta.url);
import {
  BUILD_OPTIONS,
  parseFlags,
  settingsFromFlags
} from "./chunk-S6IFWXHN.js";
import {
  parseKeyValues,
  runBuild
} from "./chunk-ZJMD6HRB.js";
import {
  writeJsonArtifact
} from "./chunk-7R7F24LQ.js";
import "./chunk-23HQPC6F.js";
import "./chunk-NQDN36EP.js";
import {
  ConfigError,
  ExitCode
} from "./chunk-4WLXK7BF.js";
import "./chunk-CHZ5T6FE.js";

// src/cli/build.ts
async function execute(context) {
  const { options, reportFile } = buildOptions(context.settings, context.env);
  const result = await runBuild(options, context.platform, context.signal);
  const { platform } = context;
  platform.setOutput("image", result.image);
  platform.setOutput("digest", result.digest);
  platform.setOutput("tags", result.tags.join("\n"));
  platform.setOutput("reference", result.reference);
  platform.info(`image: ${result.reference}`);
  if (reportFile) await writeJsonArtifact(platform, reportFile, buildReport(result));
  return ExitCode.Ok;
}
function buildReport(result) {
  const { image, digest, tags, reference, skipped, pushed } = result;
  return { schemaVersion: 1, image, digest, tags, reference, skipped, pushed };
}
function parseBuildFlags({ argv, env }) {
  const { values, positionals } = parseFlags(argv, BUILD_OPTIONS);
  return buildOptions(settingsFromFlags("build", values, positionals), env);
}
function buildOptions(settings, env) {
  const { build } = settings;
  if (!settings.image)
    throw new ConfigError("--image", "is required: the repository to push to, e.g. ghcr.io/org/app");
  if (build.push && build.noPush) throw new ConfigError("--push", "and --no-push contradict each other");
  const optional = (key, value) => value === void 0 ? {} : { [key]: value };
  const options = {
    builder: build.builder ?? "buildah",
    image: settings.image,
    env,
    push: !build.noPush,
    insecureRegistry: build.insecureRegistry ?? false,
    rebuild: build.rebuild ?? false,
    buildArgs: parseKeyValues(build.buildArgs, "--build-arg"),
    labels: parseKeyValues(build.labels, "--label"),
    tags: build.tags,
    ...optional("context", build.context),
    ...optional("file", build.file),
    ...optional("target", build.target),
    ...optional("platform", build.platform),
    ...optional("registryUsername", build.registryUsername),
    ...optional("registryPassword", build.registryPassword),
    ...optional("revision", settings.revision),
    ...optional("branch", build.branch),
    settings: {
      ...build.cache ? { docker: { cache: build.cache } } : {},
      buildah: {
        ...optional("storageDriver", build.storageDriver),
        ...optional("isolation", build.isolation)
      }
    }
  };
  return { options, ...optional("reportFile", settings.report) };
}
export {
  buildOptions,
  buildReport,
  execute,
  parseBuildFlags
};
