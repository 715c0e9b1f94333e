import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ChildServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts `child-server.ts` under tsx with `env` and waits for its port. */
export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const script = fileURLToPath(new URL('./child-server.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
    env: { ...process.env, ...env, TESSERA_LOG_LEVEL: 'silent', TESSERA_DEMO: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`child server exited with ${code}`);
    }),
  ])) as [string];
  const { port } = JSON.parse(line) as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
