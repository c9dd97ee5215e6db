/**
 * `canary-action build` end to end with the real buildah (vfs storage, chroot isolation, a private
 * storage root) and a real docker-registry on loopback: push, tags, digests, labels, skip, errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, REPO_ROOT, type CliResult } from '../../support/cli.ts';
import { startRegistry, type RunningRegistry } from '../../support/registry.ts';
import { freePort, makeTempDir } from '../../support/service.ts';

const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/build');
const REVISION = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const MANIFEST_ACCEPT =
  'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

interface Report {
  schemaVersion: number;
  image: string;
  digest: string;
  tags: string[];
  reference: string;
  skipped: boolean;
  pushed: boolean;
}

describe('build with buildah into a real registry', { concurrency: false }, () => {
  let registry: RunningRegistry;
  let dir: string;
  let env: Record<string, string>;

  before(async () => {
    registry = await startRegistry();
    dir = await makeTempDir('build-it');
    const storageConf = path.join(dir, 'storage.conf');
    await writeFile(
      storageConf,
      `[storage]\ndriver = "vfs"\ngraphroot = "${dir}/storage/root"\nrunroot = "${dir}/storage/run"\n`,
    );
    env = { CONTAINERS_STORAGE_CONF: storageConf };
  });

  after(async () => {
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function build(repository: string, extra: string[], context = 'scratch') {
    const reportFile = path.join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
    const result = await runCli(
      [
        'build',
        '--builder',
        'buildah',
        '--image',
        repository,
        '--context',
        path.join(FIXTURES, context),
        '--insecure-registry',
        '--revision',
        REVISION,
        '--branch',
        'feature/Login-Page',
        '--report',
        reportFile,
        ...extra,
      ],
      { env },
    );
    const report = await readFile(reportFile, 'utf8').then(
      (text) => JSON.parse(text) as Report,
      () => undefined,
    );
    return { result, report };
  }

  async function manifestDigest(
    repoPath: string,
    tag: string,
  ): Promise<{ status: number; digest: string | null; body: string }> {
    const response = await fetch(`${registry.url}/v2/${repoPath}/manifests/${tag}`, {
      headers: { Accept: MANIFEST_ACCEPT },
    });
    return {
      status: response.status,
      digest: response.headers.get('docker-content-digest'),
      body: await response.text(),
    };
  }

  const explain = (result: CliResult) =>
    `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;

  test('builds and pushes; both tags resolve to the reported digest; the image carries the revision label; a re-run skips; --rebuild builds', async () => {
    const repository = `${registry.host}/team/web`;
    const first = await build(repository, ['--build-arg', 'GREETING=bonjour', '--label', 'team=payments']);
    assert.equal(first.result.code, 0, explain(first.result));
    const report = first.report!;
    assert.equal(report.image, repository);
    assert.match(report.digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(report.reference, `${repository}@${report.digest}`);
    assert.equal(report.skipped, false);
    assert.deepEqual(report.tags, [`${repository}:${REVISION}`, `${repository}:feature-login-page-4b825dc`]);

    for (const tag of [REVISION, 'feature-login-page-4b825dc']) {
      const found = await manifestDigest('team/web', tag);
      assert.equal(found.status, 200, `tag ${tag}`);
      assert.equal(found.digest, report.digest, `tag ${tag}`);
    }
    const manifest = JSON.parse((await manifestDigest('team/web', report.digest)).body) as {
      config: { digest: string };
    };
    const config = (await (
      await fetch(`${registry.url}/v2/team/web/blobs/${manifest.config.digest}`)
    ).json()) as {
      config: { Labels: Record<string, string> };
    };
    assert.equal(config.config.Labels['org.opencontainers.image.revision'], REVISION);
    assert.equal(config.config.Labels['org.opencontainers.image.ref.name'], 'feature/Login-Page');
    assert.equal(config.config.Labels['test.greeting'], 'bonjour');
    assert.equal(config.config.Labels.team, 'payments');
    assert.match(
      config.config.Labels['org.opencontainers.image.created'] ?? '',
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );

    const again = await build(repository, []);
    assert.equal(again.result.code, 0, explain(again.result));
    assert.match(
      again.result.stdout,
      /Skipped the build: .* is already built for revision 4b825dc642cb6eb9a060e54bf8d69288fbee4904/,
    );
    assert.doesNotMatch(again.result.stdout, /\$ buildah build/);
    assert.equal(again.report?.skipped, true);
    assert.equal(again.report?.digest, report.digest);

    const rebuilt = await build(repository, ['--rebuild']);
    assert.equal(rebuilt.result.code, 0, explain(rebuilt.result));
    assert.match(rebuilt.result.stdout, /\$ buildah build/);
    assert.equal(rebuilt.report?.skipped, false);
    assert.equal((await manifestDigest('team/web', REVISION)).digest, rebuilt.report?.digest);
  });

  test('a skipped run adds a tag the existing image lacks (same revision, another branch)', async () => {
    const repository = `${registry.host}/team/retag`;
    const first = await build(repository, []);
    assert.equal(first.result.code, 0, explain(first.result));
    const second = await build(repository, ['--branch', 'release/2.0']);
    assert.equal(second.result.code, 0, explain(second.result));
    assert.equal(second.report?.skipped, true);
    assert.equal((await manifestDigest('team/retag', 'release-2.0-4b825dc')).digest, first.report?.digest);
  });

  test("a broken Containerfile fails with buildah's own error and exit 2, and pushes nothing", async () => {
    const { result, report } = await build(`${registry.host}/team/broken`, [], 'broken');
    assert.equal(result.code, 2, explain(result));
    assert.match(result.stderr, /--file: buildah build failed \(exit \d+\)/);
    assert.match(result.stderr, /Unknown instruction: "FROBNICATE"/);
    assert.equal(report, undefined);
    assert.equal((await manifestDigest('team/broken', REVISION)).status, 404);
  });

  test('an unreachable registry exits 4 and says which', async () => {
    const port = await freePort();
    const { result } = await build(`127.0.0.1:${port}/team/web`, []);
    assert.equal(result.code, 4, explain(result));
    assert.match(result.stderr, new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
  });

  test('--no-push builds locally and leaves the registry alone', async () => {
    const { result, report } = await build(`${registry.host}/team/local`, ['--no-push']);
    assert.equal(result.code, 0, explain(result));
    assert.equal(report?.pushed, false);
    assert.equal(report?.reference, `${registry.host}/team/local:${REVISION}`);
    assert.match(report?.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.doesNotMatch(result.stdout, /\$ buildah push/);
    assert.equal((await manifestDigest('team/local', REVISION)).status, 404);
  });

  test('builder none resolves a pushed tag to its digest', async () => {
    const repository = `${registry.host}/team/given`;
    const built = await build(repository, []);
    assert.equal(built.result.code, 0, explain(built.result));
    const reportFile = path.join(dir, 'none.json');
    const result = await runCli(
      [
        'build',
        '--builder',
        'none',
        '--image',
        `${repository}:${REVISION}`,
        '--insecure-registry',
        '--report',
        reportFile,
      ],
      { env },
    );
    assert.equal(result.code, 0, explain(result));
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
    assert.equal(report.reference, `${repository}@${built.report?.digest}`);
  });
});
