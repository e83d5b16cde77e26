import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';
import { availableExecutionProviders, DEFAULT_EXECUTION_PROVIDERS, providerName } from '../src/backends/onnx/execution-providers.ts';
import { DEFAULT_ALLOW_SPINNING } from '../src/backends/onnx/onnx-session.ts';

/** What every result records about where it was measured. */
export interface MachineInfo {
  /** Logical cores the process may use (os.availableParallelism()). */
  readonly cores: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly onnxruntime: string;
  /** The execution providers every bench session ran with (the backend's default; the bench sets none). Absent in older results. */
  readonly executionProviders?: readonly string[];
  /** What this onnxruntime-node build offers (listSupportedBackends). */
  readonly availableExecutionProviders?: readonly string[];
  /** Whether intra-op threads spun between runs (the backend's default). */
  readonly allowSpinning?: boolean;
  /** @huggingface/transformers, when installed. */
  readonly transformersJs: string | undefined;
  readonly tinybench: string | undefined;
  readonly platform: string;
  readonly memoryGiB: number;
  /** 1-minute load average when the run started: other work on the machine shows here. */
  readonly loadAverageAtStart: number;
  readonly commit: string | undefined;
  readonly date: string;
}

const require = createRequire(import.meta.url);

/** The installed version: the package.json next to the resolved entry point (exports maps may hide package.json). */
function packageVersion(name: string): string | undefined {
  try {
    let dir = dirname(require.resolve(name));
    while (dir !== dirname(dir)) {
      const manifest = join(dir, 'package.json');
      if (existsSync(manifest)) {
        const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown };
        if (json.name === name && typeof json.version === 'string') return json.version;
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return undefined;
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The 1-minute load average now (rounded), to show how busy the machine was around a section. */
export function currentLoad(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cores: availableParallelism(),
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    onnxruntime: ort.env.versions.node ?? packageVersion('onnxruntime-node') ?? 'unknown',
    executionProviders: DEFAULT_EXECUTION_PROVIDERS.map(providerName),
    availableExecutionProviders: availableExecutionProviders().map(({ name }) => name),
    allowSpinning: DEFAULT_ALLOW_SPINNING,
    transformersJs: packageVersion('@huggingface/transformers'),
    tinybench: packageVersion('tinybench'),
    platform: `${process.platform}-${process.arch}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: currentLoad(),
    commit: gitCommit(),
    date: new Date().toISOString(),
  };
}
