/**
 * Outputs as files a CI keeps: GitLab's dotenv report (`CANARY_DOTENV`), and the markdown and HTML
 * renderings of the JSON report (`CANARY_MARKDOWN_REPORT`, `CANARY_HTML_REPORT`). The CLI writes them
 * whenever those variables name a path; the GitLab component sets all three.
 */
import { renderHtml } from '../report/html.ts';
import { renderMarkdown } from '../report/markdown.ts';
import type { RenderableReport, ReportLinks } from '../report/view.ts';
import { redactStrings } from '../util/redact.ts';
import { writeArtifact } from './artifacts.ts';
import { formatDotenv } from './outputs.ts';
import type { Platform } from './types.ts';

/** A platform that also records every output it is given (last value wins). */
export function recordingOutputs(platform: Platform): {
  platform: Platform;
  outputs: Record<string, string>;
} {
  const outputs: Record<string, string> = {};
  return {
    outputs,
    platform: {
      ...platform,
      setOutput: (name, value) => {
        const redacted = platform.redact(value);
        outputs[name] = redacted;
        platform.setOutput(name, redacted);
      },
    },
  };
}

/** Multi-line values (tags) become lists, which the dotenv writer joins with commas. */
const dotenvOutputs = (outputs: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(outputs).map(([name, value]) => {
      const lines = value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '');
      return [name, lines.length > 1 ? lines : (lines[0] ?? '')];
    }),
  );

/**
 * The dotenv file, and the report's renderings when the command wrote its JSON report (output `report`).
 * They are written after the command decided: a file that cannot be written is a warning, never a
 * different exit code (the paths were checked before the command started, src/platform/output-paths.ts).
 */
export async function writeCiArtifacts(options: {
  outputs: Record<string, string>;
  report?: RenderableReport;
  env: NodeJS.ProcessEnv;
  platform: Platform;
  links?: ReportLinks;
}): Promise<void> {
  const { outputs, env, platform } = options;
  const write = async (name: string, file: string, text: () => string) => {
    try {
      await writeArtifact(platform, file, text());
      return true;
    } catch (error) {
      platform.warning(`could not write ${name} ${file}: ${(error as Error).message}`);
      return false;
    }
  };
  if (
    env.CANARY_DOTENV &&
    (await write('CANARY_DOTENV', env.CANARY_DOTENV, () => formatDotenv(dotenvOutputs(outputs))))
  )
    platform.info(`outputs written to ${env.CANARY_DOTENV}`);
  if (!outputs.report || !options.report) return;
  // Redacted before rendering: the renderings escape what they quote, which the text redaction would miss.
  const report = redactStrings(options.report, platform.redact);
  const links: ReportLinks = { ...options.links, ...(outputs.report ? { reportPath: outputs.report } : {}) };
  if (env.CANARY_MARKDOWN_REPORT)
    await write('CANARY_MARKDOWN_REPORT', env.CANARY_MARKDOWN_REPORT, () => renderMarkdown(report, links));
  if (env.CANARY_HTML_REPORT)
    await write('CANARY_HTML_REPORT', env.CANARY_HTML_REPORT, () => renderHtml(report, links));
}
