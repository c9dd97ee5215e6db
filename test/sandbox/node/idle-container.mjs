// What a pod process runs for a container that declares no ports and sets no PORT (a sidecar such as a
// log shipper): the sandbox cannot run its real image, and the demo app would bind the pod's app port.
// In a real pod such a container binds only what its own program binds; this one binds nothing, logs
// that it started and exits on SIGTERM.
const name = process.env.HOSTNAME ?? 'pod';
console.log(
  `${new Date().toISOString()} sandbox: idle container in ${name} (no ports declared: binds nothing)`,
);
const keepAlive = setInterval(() => {}, 1 << 30);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    clearInterval(keepAlive);
    console.log(`${new Date().toISOString()} sandbox: idle container got ${signal}, exiting`);
    process.exit(0);
  });
}
