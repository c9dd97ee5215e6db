import assert from 'node:assert/strict';

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const POD_STATUS_FIELDS = [
  'phase',
  'conditions',
  'hostIP',
  'hostIPs',
  'podIP',
  'podIPs',
  'startTime',
  'containerStatuses',
  'qosClass',
];
const CONTAINER_STATUS_FIELDS = [
  'name',
  'image',
  'imageID',
  'containerID',
  'ready',
  'started',
  'restartCount',
  'state',
  'lastState',
];

function assertState(
  state: Record<string, Record<string, unknown>>,
  allowEmpty: boolean,
  where: string,
): void {
  const keys = Object.keys(state);
  assert.ok(
    keys.length === 1 || (allowEmpty && keys.length === 0),
    `${where}: one of waiting/running/terminated`,
  );
  if (state.waiting) assert.equal(typeof state.waiting.reason, 'string', `${where}.waiting.reason`);
  if (state.running) assert.match(String(state.running.startedAt), TIME, `${where}.running.startedAt`);
  if (state.terminated) {
    const terminated = state.terminated;
    assert.ok(Number.isInteger(terminated.exitCode), `${where}.terminated.exitCode`);
    assert.ok(['Completed', 'Error'].includes(String(terminated.reason)), `${where}.terminated.reason`);
    assert.match(String(terminated.startedAt), TIME);
    assert.match(String(terminated.finishedAt), TIME);
  }
}

/**
 * Checks a PodStatus against the v1 API's field names, types and required fields (core/v1 PodStatus,
 * PodCondition, ContainerStatus, ContainerState), with no field the API does not define.
 */
export function assertValidPodStatus(status: Record<string, unknown>): void {
  for (const key of Object.keys(status))
    assert.ok(POD_STATUS_FIELDS.includes(key), `unknown PodStatus field ${key}`);
  assert.ok(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'].includes(String(status.phase)));
  assert.ok(['Guaranteed', 'Burstable', 'BestEffort'].includes(String(status.qosClass)));
  assert.match(String(status.startTime), TIME);
  for (const field of ['hostIP', 'podIP']) assert.match(String(status[field]), /^127\.\d+\.\d+\.\d+$/);
  assert.deepEqual(status.podIPs, [{ ip: status.podIP }]);
  assert.deepEqual(status.hostIPs, [{ ip: status.hostIP }]);
  const conditions = status.conditions as Array<Record<string, unknown>>;
  assert.deepEqual(conditions.map((c) => c.type).sort(), [
    'ContainersReady',
    'Initialized',
    'PodScheduled',
    'Ready',
  ]);
  for (const condition of conditions) {
    assert.ok(['True', 'False', 'Unknown'].includes(String(condition.status)));
    assert.match(String(condition.lastTransitionTime), TIME);
  }
  const containers = status.containerStatuses as Array<Record<string, unknown>>;
  assert.ok(containers.length > 0);
  for (const container of containers) {
    for (const key of Object.keys(container))
      assert.ok(CONTAINER_STATUS_FIELDS.includes(key), `unknown field ${key}`);
    for (const field of ['name', 'image', 'imageID']) assert.equal(typeof container[field], 'string', field);
    assert.equal(typeof container.ready, 'boolean');
    assert.equal(typeof container.started, 'boolean');
    assert.ok(Number.isInteger(container.restartCount) && (container.restartCount as number) >= 0);
    if (container.containerID !== undefined)
      assert.match(String(container.containerID), /^containerd:\/\/[0-9a-f]{64}$/);
    assertState(container.state as Record<string, Record<string, unknown>>, false, `${container.name}.state`);
    assertState(
      container.lastState as Record<string, Record<string, unknown>>,
      true,
      `${container.name}.lastState`,
    );
  }
}
