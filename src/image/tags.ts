/** Pure rules for image tags: branch slugs and tag templates (references: reference.ts). */
import { ConfigError } from '../util/errors.ts';
import { TAG_PATTERN } from './reference.ts';

export const MAX_TAG_LENGTH = 128;
export const SHORT_SHA_LENGTH = 7;
const TEMPLATE_VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const TEMPLATE_VARIABLES = ['sha', 'short_sha', 'branch'] as const;
export const DEFAULT_TAG_TEMPLATES = ['{{sha}}', '{{branch}}-{{short_sha}}'] as const;

/**
 * A branch name as a tag fragment: `refs/heads/` dropped, accents folded (`Ü` → `u`), lower-case, every
 * run of characters outside `[a-z0-9._-]` one `-`, no leading or trailing `.`/`-`, at most `maxLength`.
 * Empty when nothing usable is left.
 */
export function branchSlug(branch: string, maxLength = MAX_TAG_LENGTH): string {
  const folded = branch
    .replace(/^refs\/(heads|tags)\//, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
  const slug = folded.replace(/[^a-z0-9._-]+/gu, '-');
  return trimEdges(trimEdges(slug).slice(0, maxLength));
}

function trimEdges(text: string): string {
  return text.replace(/^[.-]+/, '').replace(/[.-]+$/, '');
}

export interface TagVariables {
  /** Full commit sha, lower-case hex. */
  sha: string;
  /** The raw branch name, or '' when unknown. */
  branch: string;
}

/**
 * Renders one `--tag` template. `{{branch}}` becomes the branch slug, shortened so the whole tag fits in
 * 128 characters. An unknown variable, a `{{branch}}` without a branch, or a result that is not a valid
 * tag is a ConfigError naming the template.
 */
export function renderTag(template: string, variables: TagVariables, field = '--tag'): string {
  const used = [...template.matchAll(TEMPLATE_VARIABLE)].map((match) => match[1] ?? '');
  const unknown = used.find((name) => !(TEMPLATE_VARIABLES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    throw new ConfigError(
      field,
      `unknown template variable {{${unknown}}} in ${JSON.stringify(template)}; expected {{sha}}, {{short_sha}} or {{branch}}`,
    );
  }
  const branchUses = used.filter((name) => name === 'branch').length;
  const fill = (branch: string) =>
    template.replace(TEMPLATE_VARIABLE, (_match, name: string) =>
      name === 'sha'
        ? variables.sha
        : name === 'short_sha'
          ? variables.sha.slice(0, SHORT_SHA_LENGTH)
          : branch,
    );
  let tag = fill('');
  if (branchUses > 0) {
    const room = Math.floor((MAX_TAG_LENGTH - tag.length) / branchUses);
    const slug = branchSlug(variables.branch, Math.max(0, room));
    if (!slug) {
      throw new ConfigError(
        field,
        `${JSON.stringify(template)} uses {{branch}} but the branch ${JSON.stringify(variables.branch)} gives no usable tag; pass --branch or change the template`,
      );
    }
    tag = fill(slug);
  }
  if (!TAG_PATTERN.test(tag)) {
    throw new ConfigError(
      field,
      `${JSON.stringify(template)} renders to ${JSON.stringify(tag)}, which is not a valid tag (expected [A-Za-z0-9_][A-Za-z0-9_.-]*, at most ${MAX_TAG_LENGTH} characters)`,
    );
  }
  return tag;
}

/** Tags for a build: the templates given, else `<sha>` and (when a branch is known) `<branch-slug>-<short sha>`. */
export function imageTags(templates: readonly string[], variables: TagVariables): string[] {
  const chosen =
    templates.length > 0
      ? templates
      : DEFAULT_TAG_TEMPLATES.filter((t) => !t.includes('{{branch}}') || branchSlug(variables.branch));
  return [...new Set(chosen.map((template) => renderTag(template, variables)))];
}
