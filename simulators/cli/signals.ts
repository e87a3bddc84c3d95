/** Waits for Ctrl-C (SIGINT) or SIGTERM; a second one exits at once. */
export function untilSignal(print: (line: string) => void, what = 'agents flush and say goodbye'): { promise: Promise<NodeJS.Signals>; dispose(): void } {
  let seen = false;
  let resolve!: (s: NodeJS.Signals) => void;
  const promise = new Promise<NodeJS.Signals>((r) => { resolve = r; });
  const onSignal = (sig: NodeJS.Signals) => {
    if (seen) {
      print(`${sig} again: exiting without a clean stop`);
      process.exit(130);
    }
    seen = true;
    print(`${sig}: stopping cleanly (${what}); ${sig} again to force`);
    resolve(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
