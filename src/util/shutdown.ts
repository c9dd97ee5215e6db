/**
 * What a forced exit (a third SIGINT/SIGTERM) would leave in the cluster: kept current by the release
 * while it has changed something, read by the signal handler of the entry point.
 */
let leftover: string | undefined;

export function setLeftover(what: string | undefined): void {
  leftover = what;
}

export function currentLeftover(): string | undefined {
  return leftover;
}
