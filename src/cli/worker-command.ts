import { hostname } from 'node:os';
import type { Command } from 'commander';
import { ConfigError } from '../core/errors.ts';
import {
  DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_LOCK_SETTINGS, LOCK_LIMITS, MAX_CONNECT_TIMEOUT_MS, defaultWorkerName,
} from '../sweeps/queue/queue-settings.ts';
import { parseRedisUrl } from '../sweeps/queue/redis-url.ts';
import { collect } from './command-options.ts';
import { abortOnSignals } from './interrupts.ts';
import { integerFlag } from './run-settings.ts';

interface WorkerFlags {
  queue: string;
  model?: string;
  plugin: string[];
  concurrency?: string;
  threads?: string;
  name?: string;
  lockDuration?: string;
  stalledInterval?: string;
  connectTimeout?: string;
}

const WORKER_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * `omnidecode worker --queue redis://host:port`: loads the model once, then runs sweep jobs from the
 * queue until SIGINT/SIGTERM, which stops it after the running job (a second signal stops at once;
 * the job's lock then runs out and another worker takes it).
 */
export function registerWorkerCommand(program: Command): void {
  program.command('worker')
    .description('Run sweep jobs from a BullMQ queue on Redis (`omnidecode sweep --queue` puts them there) until stopped.')
    .requiredOption('--queue <url>', 'the queue\'s Redis: redis://host:port')
    .option('--model <dir>', 'model folder (default: the embedded model); must be the sweep\'s model')
    .option('--plugin <name|path>', 'load a plugin the sweep\'s schedulers need (repeatable)', collect, [])
    .option('--concurrency <n>', `jobs run at once, from 1 to ${LOCK_LIMITS.maxConcurrency} (default 1)`)
    .option('--threads <n>', 'onnxruntime intra-op threads (default: the machine\'s cores)')
    .option('--name <name>', 'this worker\'s name in results and logs (default: host-pid)')
    .option('--lock-duration <ms>', `how long a job's lock lasts without renewal: a killed worker's job waits this long before another worker takes it (default ${DEFAULT_LOCK_SETTINGS.lockDurationMs})`)
    .option('--stalled-interval <ms>', `how often this worker looks for jobs whose worker died (default ${DEFAULT_LOCK_SETTINGS.stalledIntervalMs})`)
    .option('--connect-timeout <ms>', `how long to wait for Redis to answer (default ${DEFAULT_CONNECT_TIMEOUT_MS})`)
    .action(async (flags: WorkerFlags) => {
      // Every flag is checked before the model loads.
      const queue = flags.queue;
      const address = parseRedisUrl(queue);
      const concurrency = integerFlag(flags.concurrency, '--concurrency', 1, LOCK_LIMITS.maxConcurrency) ?? 1;
      const threads = integerFlag(flags.threads, '--threads', 1, 1024);
      const lockDurationMs = integerFlag(flags.lockDuration, '--lock-duration', LOCK_LIMITS.minMs, LOCK_LIMITS.maxMs) ?? DEFAULT_LOCK_SETTINGS.lockDurationMs;
      const stalledIntervalMs = integerFlag(flags.stalledInterval, '--stalled-interval', LOCK_LIMITS.minMs, LOCK_LIMITS.maxMs) ?? DEFAULT_LOCK_SETTINGS.stalledIntervalMs;
      const connectTimeoutMs = integerFlag(flags.connectTimeout, '--connect-timeout', 1, MAX_CONNECT_TIMEOUT_MS) ?? DEFAULT_CONNECT_TIMEOUT_MS;
      const name = flags.name ?? defaultWorkerName(hostname(), process.pid);
      if (!WORKER_NAME.test(name)) throw new ConfigError('--name', name, 'letters, digits, ".", "_" or "-", at most 100 characters');
      const log = (line: string): void => { process.stderr.write(`${line}\n`); };

      // Imported here: BullMQ and the model code load only for this command.
      const [{ SweepJobRunner }, { startQueueWorker }, { checkRedisReachable }] = await Promise.all([
        import('../sweeps/job-runner.ts'), import('../sweeps/queue/queue-worker.ts'), import('../sweeps/queue/redis-connection.ts'),
      ]);
      // An unreachable Redis is reported before the model loads.
      await checkRedisReachable(address, connectTimeoutMs);
      const stop = abortOnSignals();
      const runner = await SweepJobRunner.load({
        ...(flags.model !== undefined ? { model: flags.model } : {}),
        plugins: flags.plugin,
        ...(threads !== undefined ? { threads } : {}),
        onWarning: (warning) => log(`omnidecode: ${warning}`),
      }, name);
      try {
        if (stop.signal.aborted) return;
        const worker = await startQueueWorker(queue, {
          runner, name, concurrency, connectTimeoutMs, log,
          lock: { lockDurationMs, stalledIntervalMs, maxStalledCount: DEFAULT_LOCK_SETTINGS.maxStalledCount },
        });
        await new Promise<void>((resolve) => {
          if (stop.signal.aborted) resolve();
          else stop.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        log(`worker ${name}: stopping after the running job (a second signal stops at once; another worker then takes the job)`);
        await worker.close();
        log(`worker ${name}: stopped`);
      } finally {
        await runner.dispose();
      }
    });
}
