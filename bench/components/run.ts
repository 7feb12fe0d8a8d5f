/**
 * Runs every component benchmark in sequence, each in its own Node.js process so that its RSS
 * figures are its own, and prints one Markdown report: command, date, machine and figures.
 * Usage: `npx tsx bench/components/run.ts [--quick]`. Progress goes to standard error.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describeMachine } from '../machine';
import type { ComponentResult } from './measure';
import { RESULT_PREFIX, isQuick } from './measure';

const BENCHMARKS = [
  'client-memory',
  'simulator-streaming',
  'simulator-paging',
  'people-paging',
  'event-streaming',
];
const REPOSITORY = path.resolve(import.meta.dirname, '../..');
/** A benchmark still running after this long is killed and the run fails. */
const TIMEOUT_MS = 15 * 60 * 1000;

let running: ReturnType<typeof spawn> | undefined;

function note(message: string): void {
  console.error(`[bench:components ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Runs one benchmark file in a child process and returns the result line it printed. */
function runBenchmark(name: string, quick: boolean): Promise<ComponentResult> {
  const file = path.join(import.meta.dirname, `${name}.ts`);
  const args = ['--expose-gc', '--import', 'tsx', file, ...(quick ? ['--quick'] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPOSITORY,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    running = child;
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      stdout += text;
    });
    const timer = setTimeout(() => {
      note(`${name} timed out after ${TIMEOUT_MS / 60_000} minutes; killing process ${child.pid}`);
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      running = undefined;
      const line = stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        const ending = signal ? `signal ${signal}` : `exit code ${code}`;
        reject(new Error(`Benchmark ${name} failed with ${ending}; output:\n${stdout}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as ComponentResult);
    });
  });
}

/** Escapes the pipe character, which would end a Markdown table cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

async function formatReport(command: string, results: ComponentResult[]): Promise<string> {
  const machine = await describeMachine();
  const lines = [
    `Command: \`${command}\``,
    '',
    `Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} logical cores, ${machine.memoryGb} GiB, ` +
      `${machine.os}, Node.js ${machine.node}`,
    '',
    '| benchmark | workload | measure | value |',
    '| --- | --- | --- | ---: |',
  ];
  for (const result of results) {
    for (const [index, figure] of result.figures.entries()) {
      const name = index === 0 ? `\`${result.name}\`` : '';
      const workload = index === 0 ? cell(result.workload) : '';
      lines.push(`| ${name} | ${workload} | ${cell(figure.measure)} | ${cell(figure.value)} |`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const quick = isQuick();
  const onSignal = (signal: NodeJS.Signals) => {
    note(`received ${signal}; stopping the running benchmark`);
    running?.kill('SIGKILL');
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results: ComponentResult[] = [];
  for (const name of BENCHMARKS) {
    note(`running ${name}${quick ? ' (quick)' : ''}`);
    const started = performance.now();
    try {
      results.push(await runBenchmark(name, quick));
    } catch (error) {
      note((error as Error).message);
      return 1;
    }
    note(`${name} finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const command = `npx tsx bench/components/run.ts${quick ? ' --quick' : ''}`;
  console.log(await formatReport(command, results));
  return 0;
}

process.exitCode = await main();
