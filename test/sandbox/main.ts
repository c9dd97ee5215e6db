import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './index.ts';

/** `npm run sandbox -- --dir DIR [--port N] [--time-scale X] [--istio-status]`: runs the sandbox until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      port: { type: 'string' },
      'time-scale': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'istio-status': { type: 'boolean', default: false },
    },
  });
  if (!values.dir) {
    console.error(
      'usage: npm run sandbox -- --dir DIR [--port N] [--time-scale X] [--istio-status] [--verbose]  (--dir: where kubeconfigs and state go)',
    );
    process.exit(2);
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    console.error(`--port: expected an integer 0-65535, got ${JSON.stringify(values.port)}`);
    process.exit(2);
  }
  const timeScale = values['time-scale'] === undefined ? undefined : Number(values['time-scale']);
  if (timeScale !== undefined && !(timeScale > 0)) {
    console.error(`--time-scale: expected a positive number, got ${JSON.stringify(values['time-scale'])}`);
    process.exit(2);
  }
  const sandbox = await startSandbox({
    dir: path.resolve(values.dir),
    ...(port !== undefined ? { port } : {}),
    ...(timeScale !== undefined ? { timeScale } : {}),
    ...(values.verbose ? { log: (line: string) => console.log(line) } : {}),
    ...(values['istio-status'] ? { istioStatus: true } : {}),
  });
  console.log(`sandbox ready: ${sandbox.url}`);
  console.log(`  admin:        KUBECONFIG=${sandbox.adminKubeconfig}`);
  console.log(`  ci (${sandbox.namespace}): KUBECONFIG=${sandbox.kubeconfig}`);
  console.log(`  prometheus file_sd targets: ${sandbox.targetsFile}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`sandbox stopping (${signal})`);
    sandbox.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('sandbox stop failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('sandbox failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
