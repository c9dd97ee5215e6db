/**
 * Structure figures of src/, reproducible: lines per folder, type assertions (`x as T`, `as const`
 * counted apart), and every function longer than 60 lines. `tsx scripts/structure-figures.ts [--json]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = 'src';
const LONG_FUNCTION = 60;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

interface FileFigures {
  file: string;
  lines: number;
  casts: number;
  constAssertions: number;
  longFunctions: Array<{ name: string; lines: number }>;
}

function functionName(node: ts.Node): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name)
    return node.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText();
  return '(anonymous)';
}

function measure(file: string): FileFigures {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const figures: FileFigures = {
    file,
    lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0),
    casts: 0,
    constAssertions: 0,
    longFunctions: [],
  };
  const visit = (node: ts.Node) => {
    if (ts.isAsExpression(node)) {
      const isConst = ts.isTypeReferenceNode(node.type) && node.type.typeName.getText() === 'const';
      if (isConst) figures.constAssertions += 1;
      else figures.casts += 1;
    }
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > LONG_FUNCTION) figures.longFunctions.push({ name: functionName(node), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return figures;
}

const files = sourceFiles(ROOT).sort().map(measure);
const folders = new Map<string, number>();
for (const { file, lines } of files) {
  const folder = path.relative(ROOT, path.dirname(file)) || '.';
  folders.set(folder, (folders.get(folder) ?? 0) + lines);
}
const total = {
  files: files.length,
  lines: files.reduce((sum, f) => sum + f.lines, 0),
  casts: files.reduce((sum, f) => sum + f.casts, 0),
  constAssertions: files.reduce((sum, f) => sum + f.constAssertions, 0),
  longFunctions: files.flatMap((f) => f.longFunctions.map((fn) => ({ file: f.file, ...fn }))),
  largestFile: files.reduce((a, b) => (b.lines > a.lines ? b : a)),
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ folders: Object.fromEntries(folders), ...total }, null, 2));
} else {
  console.log('lines per folder of src/:');
  for (const [folder, lines] of [...folders].sort((a, b) => b[1] - a[1]))
    console.log(`  ${folder.padEnd(14)} ${String(lines).padStart(6)}`);
  console.log(`files ${total.files}, lines ${total.lines}`);
  console.log(`casts (x as T) ${total.casts}; as const ${total.constAssertions}`);
  console.log(`largest file ${total.largestFile.file} (${total.largestFile.lines} lines)`);
  console.log(`functions over ${LONG_FUNCTION} lines: ${total.longFunctions.length}`);
  for (const fn of total.longFunctions) console.log(`  ${fn.file}: ${fn.name} (${fn.lines} lines)`);
}
