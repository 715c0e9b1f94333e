// Writes the comparison's results: bench/results/compare-<date>.json (everything measured) and
// .md (the table), and bench/results/latest.md (a copy of the newest table).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { describeMachine } from './machine.mjs';
import { postgresVersion } from './postgres.mjs';

const root = new URL('../../', import.meta.url).pathname;
const compareDir = new URL('./', import.meta.url).pathname;

/** The later targets of issue #13: Tessera's rate over a peer's, by the medians of the rounds. */
const goals = [
  { ours: 'tessera-sqlite', theirs: 'oidc-provider-memory', atLeast: 1.5 },
  { ours: 'tessera-sqlite', theirs: 'oidc-provider-sqlite', atLeast: 2 },
  { ours: 'tessera-postgres', theirs: 'oidc-provider-sqlite', atLeast: 1 },
];

export async function writeReport({ settings, names, runs, startedAt, versions, outDir }) {
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: commandLine(),
    settings,
    machine: describeMachine(),
    versions,
    summary: names.map((name) =>
      summarize(
        name,
        runs.filter((run) => run.target === name),
      ),
    ),
    ratios: ratios(runs),
    runs,
  };
  mkdirSync(outDir, { recursive: true });
  const stamp = startedAt.toISOString().slice(0, 16).replace(':', '-');
  const json = join(outDir, `compare-${stamp}Z.json`);
  const markdown = join(outDir, `compare-${stamp}Z.md`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, toMarkdown(report));
  copyFileSync(markdown, join(outDir, 'latest.md'));
  return [json, markdown, join(outDir, 'latest.md')];
}

const docsFile = join(root, 'docs/benchmarks.md');
const docsStart = '<!-- bench:compare latest start -->';
const docsEnd = '<!-- bench:compare latest end -->';

/** Puts the table of `markdownFile` into docs/benchmarks.md, between its markers, formatted by Biome. */
export function updateDocs(markdownFile) {
  const docs = readFileSync(docsFile, 'utf8');
  const start = docs.indexOf(docsStart);
  const end = docs.indexOf(docsEnd);
  if (start < 0 || end < start)
    throw new Error(`docs/benchmarks.md lacks the markers ${docsStart} … ${docsEnd}`);
  // The report's title becomes a line under the docs' own heading.
  const table = readFileSync(markdownFile, 'utf8').replace(
    /^# (.*)\n/,
    (_, title) => `**${title}** (\`${relative(root, markdownFile)}\`)\n`,
  );
  writeFileSync(docsFile, `${docs.slice(0, start + docsStart.length)}\n\n${table}\n${docs.slice(end)}`);
  execFileSync(join(root, 'node_modules/.bin/biome'), ['format', '--write', docsFile], { stdio: 'ignore' });
  return docsFile;
}

function commandLine() {
  const args = process.argv.slice(2).join(' ');
  return args ? `npm run bench:compare -- ${args}` : 'npm run bench:compare';
}

/** The versions of everything measured, read before the runs (a missing install fails early). */
export async function softwareVersions(names, pgUrl) {
  const fromCompare = createRequire(join(compareDir, 'package.json'));
  const fromServer = createRequire(join(root, 'packages/server/package.json'));
  const sqliteVersion = (require) => {
    const Database = require('better-sqlite3');
    const db = new Database(':memory:');
    try {
      return db.prepare('SELECT sqlite_version() AS v').get().v;
    } finally {
      db.close();
    }
  };
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    if (execFileSync('git', ['-C', root, 'status', '--porcelain', 'packages'], { encoding: 'utf8' }).trim()) {
      commit += ' (with uncommitted changes under packages/)';
    }
  } catch {}
  return {
    tessera: {
      commit,
      server: JSON.parse(readFileSync(join(root, 'packages/server/package.json'), 'utf8')).version,
    },
    tesseraBetterSqlite3: installedVersion(join(root, 'packages/server'), 'better-sqlite3'),
    tesseraSqlite: sqliteVersion(fromServer),
    oidcProvider: installedVersion(compareDir, 'oidc-provider'),
    betterAuth: installedVersion(compareDir, 'better-auth'),
    peersBetterSqlite3: installedVersion(compareDir, 'better-sqlite3'),
    peersSqlite: sqliteVersion(fromCompare),
    undici: installedVersion(compareDir, 'undici'),
    postgresql: names.includes('tessera-postgres') ? await postgresVersion(pgUrl) : null,
  };
}

/** The version of the package `name` that Node.js would load from `directory` (node_modules upwards). */
function installedVersion(directory, name) {
  for (let dir = directory; ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version;
    if (dir === dirname(dir)) throw new Error(`${name} is not installed (looked from ${directory})`);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summarize(name, runs) {
  return {
    target: name,
    work: runs[0]?.work,
    perSecond: runs.map((run) => run.perSecond),
    medianPerSecond: Math.round(median(runs.map((run) => run.perSecond))),
    p50Ms: runs.map((run) => run.p50Ms),
    p99Ms: runs.map((run) => run.p99Ms),
    halfRateP99Ms: runs.map((run) => run.halfRateP99Ms),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    serverCpuMsPerRequest: runs.map((run) => run.serverCpuMsPerRequest),
    databaseCpuMsPerRequest: runs.map((run) => run.databaseCpuMsPerRequest),
    serverRssMiB: runs.map((run) => run.serverRssMiB),
    generatorCpuPercent: runs.map((run) => run.generatorCpuPercent),
  };
}

/**
 * Each goal by the medians of the rounds: requests/s (ours over theirs), and server CPU per
 * request (theirs over ours; PostgreSQL's backends counted with Tessera), the steadier of the two
 * on a machine that other work shares.
 */
export function ratios(runs) {
  const medianOf = (name, figure) => {
    const values = runs.filter((run) => run.target === name).map(figure);
    return values.length ? median(values) : undefined;
  };
  const rate = (run) => run.perSecond;
  const cpu = (run) => run.serverCpuMsPerRequest + (run.databaseCpuMsPerRequest ?? 0);
  const round2 = (value) => Math.round(value * 100) / 100;
  return goals
    .filter((goal) => medianOf(goal.ours, rate) && medianOf(goal.theirs, rate))
    .map((goal) => {
      const ratio = round2(medianOf(goal.ours, rate) / medianOf(goal.theirs, rate));
      const cpuRatio = round2(medianOf(goal.theirs, cpu) / medianOf(goal.ours, cpu));
      return { ...goal, ratio, met: ratio >= goal.atLeast, cpuRatio };
    });
}

const number = (value) => value.toLocaleString('en-US');
const list = (values, format = number) => values.map((value) => format(value)).join(' / ');
const ms = (value) => value.toFixed(1);

export function toMarkdown(report) {
  const { settings, machine, versions: v } = report;
  const lines = [
    `# Tessera and its peers, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `\`${report.command}\`: ${settings.users} users, ${settings.connections} connections, ` +
      `${settings.warmupSeconds} s warm-up, ${settings.seconds} s measured, ${settings.rounds} round(s), ` +
      'the order reversed every other round; one load generator (Node.js + undici, closed loop) on the same machine.',
    '',
    `Machine: ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.distribution}, ` +
      `${machine.kernel}, Node.js ${machine.node}. Tessera ${v.tessera.commit} (SQLite ${v.tesseraSqlite} via ` +
      `better-sqlite3 ${v.tesseraBetterSqlite3}${v.postgresql ? `, PostgreSQL ${v.postgresql}` : ''}); ` +
      `oidc-provider ${v.oidcProvider}; better-auth ${v.betterAuth}; peers' better-sqlite3 ${v.peersBetterSqlite3} ` +
      `(SQLite ${v.peersSqlite}); undici ${v.undici}.`,
    '',
    'Values per round, in round order. Server CPU is the server process (all its threads) over the measured ' +
      'window, divided by the requests; for PostgreSQL the backends of its database are in brackets.',
    '',
    "p99 at half peak: the same connections paced at half of that round's requests/s, as long again.",
    '',
    '| target | requests/s | p50 ms | p99 ms | p99 ms at half peak | errors | server CPU ms/request | RSS MiB | generator CPU % |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: |',
  ];
  for (const row of report.summary) {
    const cpu = row.serverCpuMsPerRequest.map((value, i) => {
      const database = row.databaseCpuMsPerRequest[i];
      return database === null ? value.toFixed(2) : `${value.toFixed(2)} (+${database.toFixed(2)})`;
    });
    lines.push(
      `| ${row.target} | **${list(row.perSecond)}** | ${list(row.p50Ms, ms)} | ${list(row.p99Ms, ms)} | ` +
        `${list(row.halfRateP99Ms, ms)} | ` +
        `${row.errors} | ${cpu.join(' / ')} | ${list(row.serverRssMiB)} | ${list(row.generatorCpuPercent)} |`,
    );
  }
  lines.push('', 'What one request does:', '');
  for (const row of report.summary) lines.push(`- ${row.target}: ${row.work}`);
  if (report.ratios.length > 0) {
    lines.push(
      '',
      '| goal (issue #13), medians of the rounds | by requests/s | met | by server CPU per request |',
      '| --- | --: | --- | --: |',
    );
    for (const goal of report.ratios) {
      lines.push(
        `| ${goal.ours} ≥ ${goal.atLeast} × ${goal.theirs} | ${goal.ratio.toFixed(2)} | ${goal.met ? 'yes' : 'no'} | ` +
          `${goal.cpuRatio.toFixed(2)} |`,
      );
    }
    const busy = report.runs.filter((run) => !run.idleBefore.idle).length;
    if (busy > 0) {
      lines.push(
        '',
        `**The machine was not idle before ${busy} of ${report.runs.length} runs** (load averages below): ` +
          'other work shared the cores, so these figures say that the harness works, not how the targets compare.',
      );
    }
  }
  lines.push(
    '',
    `| round | target | idle before (load < ${settings.idleLoad}) | waited s | load average at the measured window's start | set-up s | superseded credential refused |`,
    '| --: | --- | --- | --: | --- | --: | --- |',
  );
  for (const run of report.runs) {
    const refused = run.staleRefused === null ? 'n/a (no rotation)' : run.staleRefused ? 'yes' : '**no**';
    lines.push(
      `| ${run.round} | ${run.target} | ${run.idleBefore.idle ? 'yes' : 'no'} | ${run.idleBefore.waitedSeconds} | ` +
        `${run.loadAverageBefore.join(' ')} | ${run.setupSeconds} | ${refused} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
