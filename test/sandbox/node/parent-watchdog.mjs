// Preloaded (node --import) into every process that plays a pod: a container dies with its node, so
// when the sandbox process that started this one is gone (even killed with SIGKILL, when no exit
// handler runs), the pod process exits too instead of living on as an orphan.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(137);
}, 250).unref();
