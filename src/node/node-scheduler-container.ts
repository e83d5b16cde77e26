import { createSchedulerContainer } from '../core/omnidecode-container.ts';
import { shippedSchedulerProviders } from './shipped-plugins.ts';

/**
 * The scheduler container as the CLI and the Node pipeline use it: the built-ins, plus hints naming
 * the shipped plugin behind each scheduler that is not loaded yet (`--scheduler halton` says
 * `--plugin halton`).
 */
export function createNodeSchedulerContainer(): ReturnType<typeof createSchedulerContainer> {
  const parts = createSchedulerContainer();
  parts.schedulers.addProviderHints(shippedSchedulerProviders());
  return parts;
}
