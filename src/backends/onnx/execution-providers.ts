import * as ort from 'onnxruntime-node';
import { ExecutionProviderError } from '../../core/errors.ts';
import type { ExecutionProviderChoice } from '../../core/transformer-backend.ts';

/** What a session runs on when neither the model folder, the run config nor `--device` says. */
export const DEFAULT_EXECUTION_PROVIDERS: readonly ExecutionProviderChoice[] = ['cpu'];

export interface AvailableProvider {
  readonly name: string;
  /** False: this build knows the provider, but its libraries are installed separately (CUDA, TensorRT). */
  readonly bundled: boolean;
}

/** The providers this onnxruntime-node build supports (`listSupportedBackends`). */
export function availableExecutionProviders(): readonly AvailableProvider[] {
  return ort.listSupportedBackends().map(({ name, bundled }) => ({ name, bundled }));
}

export function providerName(choice: ExecutionProviderChoice): string {
  return typeof choice === 'string' ? choice : choice.name;
}

function describeAvailable(available: readonly AvailableProvider[]): string {
  return available.map(({ name, bundled }) => (bundled ? name : `${name} (its libraries are installed separately)`)).join(', ');
}

/** Refuses, before any session is created, a provider this build does not have, naming the ones it has. */
export function checkExecutionProviders(choices: readonly ExecutionProviderChoice[],
  available: readonly AvailableProvider[] = availableExecutionProviders()): void {
  const names = available.map(({ name }) => name);
  for (const choice of choices) {
    const name = providerName(choice);
    if (!names.includes(name)) {
      throw new ExecutionProviderError(name, names,
        `execution provider "${name}" is not available in this onnxruntime-node build (${ort.env.versions.node ?? 'unknown version'}); `
        + `available: ${describeAvailable(available)}`);
    }
  }
}

/**
 * A session that failed to start because of a listed provider (libraries missing, no device): the
 * runtime's message names the provider (e.g. "...AppendExecutionProvider_Cuda: Failed to load shared
 * library"). Undefined when the failure is about something else (the model file).
 */
export function providerStartFailure(error: unknown, choices: readonly ExecutionProviderChoice[]): ExecutionProviderError | undefined {
  const reason = error instanceof Error ? error.message : String(error);
  const lower = reason.toLowerCase();
  const culprit = choices.map(providerName).find((name) => name !== 'cpu' && lower.includes(name.toLowerCase()));
  if (culprit === undefined) return undefined;
  const available = availableExecutionProviders();
  const failure = new ExecutionProviderError(culprit, available.map(({ name }) => name),
    `execution provider "${culprit}" could not start: ${reason.split('\n')[0] ?? reason}; available in this build: ${describeAvailable(available)}`);
  failure.cause = error;
  return failure;
}
