// What the comparison bench knows about the machine and the processes it measures: load average,
// the wait for an idle machine, a process's CPU time and RSS from /proc, and the machine's
// description for the report.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds (user + system, all threads) a process has used so far. */
export function processCpuSeconds(pid) {
  // Fields after the command name: state is field 3, utime field 14, stime field 15 (1-based).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

export function processRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

export function loadAverage() {
  return os.loadavg().map((load) => Math.round(load * 100) / 100);
}

/**
 * Waits until the 1-minute load average is below `threshold`, checking every 2 s, for at most
 * `maxSeconds`. Answers whether the machine got idle, how long it waited and the load then.
 */
export async function waitForIdle({ threshold, maxSeconds, log }) {
  const started = Date.now();
  let announced = false;
  for (;;) {
    const load = loadAverage();
    const waited = Math.round((Date.now() - started) / 1000);
    if (load[0] < threshold) return { idle: true, waitedSeconds: waited, loadAverage: load };
    if (waited >= maxSeconds) {
      log(`  machine not idle after ${waited} s (load average ${load.join(' ')}): running anyway`);
      return { idle: false, waitedSeconds: waited, loadAverage: load };
    }
    if (!announced) {
      log(`  waiting for load average < ${threshold} (now ${load[0]}, at most ${maxSeconds} s)`);
      announced = true;
    }
    await sleep(2000);
  }
}

export function describeMachine() {
  const cpus = os.cpus();
  let distribution = 'unknown';
  try {
    distribution = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))[1];
  } catch {}
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    distribution,
    node: process.version,
  };
}
