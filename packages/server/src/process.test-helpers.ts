/** Waiting on other processes in tests: whether a pid still runs, and polling a condition. */

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `condition` every `everyMillis` until it holds; fails after `timeoutMillis` naming `what`. */
export async function until(
  what: string,
  condition: () => boolean,
  { timeoutMillis = 60_000, everyMillis = 100 }: { timeoutMillis?: number; everyMillis?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, everyMillis));
  }
}
