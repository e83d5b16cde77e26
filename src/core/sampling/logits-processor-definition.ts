import type { ParameterSchema, ParameterShape } from '../config/parameter-schema.ts';
import type { LogitsProcessor } from './logits-processor.ts';

/**
 * The extension point for plugins: a named, self-describing factory. A registry parses user
 * options with `parameters` and passes the result to `create`.
 */
export interface LogitsProcessorDefinition<O = unknown> {
  readonly name: string;
  readonly description: string;
  readonly parameters: ParameterSchema<ParameterShape>;
  create(options: O): LogitsProcessor;
  /** Where the definition came from (a plugin path, or 'built-in'); set by the loader. */
  source?: string;
}
