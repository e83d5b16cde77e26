import { createSchedulerContainer } from '../omnidecode-container.ts';
import { registerNodeBackend } from './node-transformer-backend.ts';
import { shippedSchedulerProviders } from './shipped-plugins.ts';

/**
 * The scheduler container as the CLI and the Node pipeline use it: the built-ins, onnxruntime-node
 * as the TRANSFORMER_BACKEND, plus hints naming the shipped plugin behind each scheduler that is
 * not loaded yet (`--scheduler halton` says `--plugin halton`).
 */
export function createNodeSchedulerContainer(): ReturnType<typeof createSchedulerContainer> {
  const parts = createSchedulerContainer();
  registerNodeBackend(parts.container);
  parts.schedulers.addProviderHints(shippedSchedulerProviders());
  return parts;
}
