/* eslint-disable @typescript-eslint/no-explicit-any -- tests read loosely typed Kubernetes JSON */
/**
 * The istio router end to end: the CLI as a process against the sandbox, whose Service listener routes
 * mesh traffic by the VirtualService (as the client's sidecar would) and which plays istiod with its status
 * on, with a real Prometheus and steady traffic through the Service. The stable destination uses a
 * DestinationRule subset, so the canary and baseline get DestinationRules of their own carrying its policy.
 * The canary's share is measured at every step; the user's VirtualService, DestinationRule, Deployment and
 * Service end as they were.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadK8sSchemas, sample, waitFor } from '../integration/sandbox/helpers.ts';
import { sandboxOnly, startReleaseEnvironment, type ReleaseEnvironment } from './environment.ts';
import { assertShares, measure, show, weightedRuns } from './weighted-runs.ts';

const schemas = loadK8sSchemas();
const ISTIO = 'networking.istio.io/v1';
const ORIGINAL_SPEC = 'canary-action.dev/original-spec';

describe(
  'istio router (sandbox mesh + istiod status + Prometheus)',
  { skip: sandboxOnly('the sandbox mesh') },
  () => {
    let env: ReleaseEnvironment;
    let servicePort: number;
    let runs: ReturnType<typeof weightedRuns>;
    const ns = () => env.namespace;
    const vsPath = (name = '') =>
      `/apis/${ISTIO}/namespaces/${ns()}/virtualservices${name ? `/${name}` : ''}`;
    const drPath = (name = '') =>
      `/apis/${ISTIO}/namespaces/${ns()}/destinationrules${name ? `/${name}` : ''}`;
    const host = () => `web.${ns()}.svc.cluster.local`;
    const originalSpec = () => ({
      hosts: ['web'],
      http: [
        {
          name: 'primary',
          route: [{ destination: { host: host(), subset: 'stable', port: { number: 80 } } }],
        },
      ],
    });
    const userRule = () => ({
      host: 'web',
      trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 64 } } },
      subsets: [
        {
          name: 'stable',
          labels: { track: 'stable' },
          trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } },
        },
      ],
    });
    const vsSpec = async () => JSON.stringify((await env.get(vsPath('web'))).spec);
    /** What istiod's status says of the VirtualService's generation: undefined while it has not reported it. */
    const verdict = (vs: any): 'accepted' | 'rejected' | undefined => {
      if (vs.status?.observedGeneration !== String(vs.metadata.generation)) return undefined;
      if ((vs.status.validationMessages ?? []).some((m: any) => m.level === 'ERROR')) return 'rejected';
      const reconciled = vs.status.conditions?.find((c: any) => c.type === 'Reconciled');
      return reconciled?.status === 'True' ? 'accepted' : undefined;
    };
    /** The canary's weight in the primary route, once istiod reports the generation accepted (else undefined). */
    const liveWeight = async (): Promise<number | undefined> => {
      const vs = await env.get(vsPath('web'));
      const primary = vs.spec.http.find((r: any) => r.name === 'primary');
      const canary = primary.route.find(
        (d: any) => d.destination.host === `web-canary.${ns()}.svc.cluster.local`,
      );
      return canary && verdict(vs) === 'accepted' ? canary.weight : undefined;
    };

    before(async () => {
      env = await startReleaseEnvironment({ stableReplicas: 2, trafficPerSecond: 60, istioStatus: true });
      runs = weightedRuns(env);
      const rule = {
        apiVersion: ISTIO,
        kind: 'DestinationRule',
        metadata: { name: 'web', namespace: ns() },
        spec: userRule(),
      };
      const vs = {
        apiVersion: ISTIO,
        kind: 'VirtualService',
        metadata: { name: 'web', namespace: ns() },
        spec: originalSpec(),
      };
      assert.equal(schemas.destinationrule(rule), undefined);
      assert.equal(schemas.virtualservice(vs), undefined);
      await runs.admin('POST', drPath(), rule);
      await runs.admin('POST', vsPath(), vs);
      await runs.admin('POST', `/api/v1/namespaces/${ns()}/services`, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'other', namespace: ns() },
        spec: { selector: { app: 'other' }, ports: [{ port: 80, targetPort: 8080 }] },
      });
      servicePort = await waitFor('the web Service listener', () =>
        env.sandbox.listenerPort('service', ns(), 'web'),
      );
      await waitFor(
        'the VirtualService reconciled',
        async () => verdict(await env.get(vsPath('web'))) === 'accepted',
      );
    });
    after(async () => {
      await env?.stop();
    });

    /** At each step, once the route carries its weight: objects validated, the split measured, the stable untouched. */
    const checkSteps = async (steps: number[], before: { deployment: string; service: string }) => {
      const shares: Array<ReturnType<typeof assertShares>> = [];
      for (const weight of steps) {
        await waitFor(`the route at ${weight}%`, async () => (await liveWeight()) === weight, 120_000);
        shares.push(assertShares(weight, await measure(servicePort, weight, liveWeight)));
        const vs = await env.get(vsPath('web'));
        assert.equal(schemas.virtualservice(vs), undefined, 'the weighted VirtualService validates');
        for (const track of ['canary', 'baseline']) {
          assert.equal(
            schemas.service(await env.get(`/api/v1/namespaces/${ns()}/services/web-${track}`)),
            undefined,
          );
          const rule = await env.get(drPath(`web-${track}`));
          assert.equal(schemas.destinationrule(rule), undefined);
          assert.deepEqual(rule.spec, {
            host: `web-${track}.${ns()}.svc.cluster.local`,
            trafficPolicy: {
              connectionPool: { http: { http1MaxPendingRequests: 64 } },
              loadBalancer: { simple: 'LEAST_REQUEST' },
            },
          });
        }
        assert.deepEqual(
          await runs.stableVersions(),
          before,
          'the stable Deployment and Service are untouched',
        );
      }
      return shares;
    };

    test('a good release through 5 → 40 with a header match, held, then promoted from another command: measured shares follow each weight; everything ends as it was', async () => {
      const specBefore = await vsSpec();
      const ruleBefore = await env.get(drPath('web'));
      const before = await runs.stableVersions();
      const image = env.image('2.0.0');
      await runs.heldThenPromoted({
        name: 'istio-good',
        traffic:
          '{router: istio, route: virtualservice/web, steps: [5, 40], match: {header: x-canary, exact: always}}',
        image,
        steps: [5, 40],
        // The 5% step must stay live for its 845 requests, also on a busy runner.
        minDuration: '36s',
        check: () => checkSteps([5, 40], before),
        whileHeld: async () => {
          const header = await sample(servicePort, 100, { headers: { 'x-canary': 'always' } });
          assert.deepEqual(header.byTrack, { canary: 100 }, 'the header route sends to the canary only');
        },
      });
      assert.equal(await vsSpec(), specBefore, 'the VirtualService spec is byte-identical');
      assert.equal((await env.get(vsPath('web'))).metadata.annotations?.[ORIGINAL_SPEC], undefined);
      const ruleAfter = await env.get(drPath('web'));
      assert.deepEqual(
        [ruleAfter.spec, ruleAfter.metadata.generation],
        [ruleBefore.spec, ruleBefore.metadata.generation],
      );
      assert.equal(
        (await runs.stableVersions()).service,
        before.service,
        'the stable Service was never changed',
      );
      const stable = await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web`);
      assert.equal(stable.spec.template.spec.containers[0].image, image);
      for (const track of ['canary', 'baseline']) {
        assert.equal(await env.get(`/api/v1/namespaces/${ns()}/services/web-${track}`), undefined);
        assert.equal(await env.get(drPath(`web-${track}`)), undefined);
        assert.equal(await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web-${track}`), undefined);
      }
    });

    test('a bad release is rolled back: the spec byte-identical, the stable never modified, our objects gone', async () => {
      const specBefore = await vsSpec();
      const before = await runs.stableVersions();
      const { result } = await runs.run(
        'istio-bad',
        '{router: istio, route: virtualservice/web, steps: [25]}',
        env.image('3.0.0'),
        {
          appEnv: { DEMO_ERROR_RATE: '0.3' },
        },
      );
      const done = await result;
      assert.equal(done.code, 1, show(done));
      assert.match(done.stdout + done.stderr, /http-error-rate/);
      assert.equal(await vsSpec(), specBefore);
      assert.deepEqual(await runs.stableVersions(), before);
      assert.equal(await env.get(`/api/v1/namespaces/${ns()}/services/web-canary`), undefined);
      assert.equal(await env.get(drPath('web-canary')), undefined);
    });

    test('a weight reverted by a third party mid-analysis is re-asserted and counted in the report', async () => {
      await runs.revertMidAnalysis({
        name: 'istio-revert',
        traffic: '{router: istio, route: virtualservice/web, steps: [20]}',
        weight: 20,
        routePath: vsPath('web'),
        liveWeight,
      });
    });

    test("a VirtualService istiod's analysis reports an ERROR on (IST0101: a host that does not exist) ends in exit 4, rolled back", async () => {
      const clean = await env.get(vsPath('web'));
      const legacy = {
        name: 'legacy',
        match: [{ headers: { 'x-legacy': { exact: '1' } } }],
        route: [{ destination: { host: 'web-legacy' } }],
      };
      await runs.admin('PUT', vsPath('web'), {
        ...clean,
        spec: { ...clean.spec, http: [legacy, ...clean.spec.http] },
      });
      await waitFor('IST0101 reported', async () => verdict(await env.get(vsPath('web'))) === 'rejected');
      const specBefore = await vsSpec();
      const before = await runs.stableVersions();
      try {
        const { result } = await runs.run(
          'istio-rejected',
          '{router: istio, route: virtualservice/web, steps: [10]}',
          env.image('6.0.0'),
        );
        const done = await result;
        assert.equal(done.code, 4, show(done));
        assert.match(
          done.stdout + done.stderr,
          /virtualservice\/web is not accepted: istiod's analysis reports IST0101 \(ERROR, https:\/\/istio\.io\/latest\/docs\/reference\/config\/analysis\/ist0101\/\)/,
        );
        assert.equal(await vsSpec(), specBefore);
        assert.deepEqual(await runs.stableVersions(), before);
        assert.equal(await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web-canary`), undefined);
        assert.equal(await env.get(`/api/v1/namespaces/${ns()}/services/web-canary`), undefined);
        assert.equal(await env.get(drPath('web-canary')), undefined);
      } finally {
        const now = await env.get(vsPath('web'));
        await runs.admin('PUT', vsPath('web'), { ...now, spec: clean.spec });
      }
    });

    test('a step that is not a whole percent, or a route without the stable Service, is exit 2 before any change', async () => {
      const specBefore = await vsSpec();
      const image = env.image('7.0.0');
      // Both stop in preflight, before the lock: they run side by side.
      const started = [
        runs.run('istio-fraction', '{router: istio, route: virtualservice/web, steps: [2.5, 10]}', image),
        runs.run(
          'istio-other',
          '{router: istio, route: virtualservice/web, service: other, steps: [10]}',
          image,
        ),
      ];
      const [f, o] = await Promise.all(started.map(async (run) => (await run).result));
      assert.ok(f && o);
      assert.equal(f.code, 2, show(f));
      assert.match(
        f.stderr + f.stdout,
        /traffic\.steps: 2\.5% of the 100% that virtualservice\/web http\[0\] \(primary\) sends to web is 2\.5%: Istio weights are whole percents/,
      );
      assert.equal(o.code, 2, show(o));
      assert.match(
        o.stderr + o.stdout,
        /traffic\.route: virtualservice\/web has no http route with a destination to other/,
      );
      assert.equal(await vsSpec(), specBefore);
      assert.equal(await env.get(`/apis/apps/v1/namespaces/${ns()}/deployments/web-canary`), undefined);
    });
  },
);
