/**
 * Outputs as files a CI keeps: GitLab's dotenv report (`CANARY_DOTENV`), and the markdown and HTML
 * renderings of the JSON report (`CANARY_MARKDOWN_REPORT`, `CANARY_HTML_REPORT`). The CLI writes them
 * whenever those variables name a path; the GitLab component sets all three.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { renderHtml } from '../report/html.ts';
import { renderMarkdown } from '../report/markdown.ts';
import type { RenderableReport, ReportLinks } from '../report/view.ts';
import { writeDotenv } from './outputs.ts';
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
        outputs[name] = value;
        platform.setOutput(name, value);
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

/** A release or analysis report (not a build report) that the renderers understand. */
export async function readRenderableReport(file: string | undefined): Promise<RenderableReport | undefined> {
  if (!file || !existsSync(file)) return undefined;
  const report = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  return typeof report.reason === 'string' ? (report as unknown as RenderableReport) : undefined;
}

export async function writeCiArtifacts(options: {
  outputs: Record<string, string>;
  env: NodeJS.ProcessEnv;
  platform: Platform;
  links?: ReportLinks;
}): Promise<void> {
  const { outputs, env, platform } = options;
  if (env.CANARY_DOTENV) {
    await writeDotenv(env.CANARY_DOTENV, dotenvOutputs(outputs));
    platform.info(`outputs written to ${env.CANARY_DOTENV}`);
  }
  const report = await readRenderableReport(outputs.report);
  if (!report) return;
  const links: ReportLinks = { ...options.links, ...(outputs.report ? { reportPath: outputs.report } : {}) };
  if (env.CANARY_MARKDOWN_REPORT) await writeFile(env.CANARY_MARKDOWN_REPORT, renderMarkdown(report, links));
  if (env.CANARY_HTML_REPORT) await writeFile(env.CANARY_HTML_REPORT, renderHtml(report, links));
}
