import type { DependencyContainer } from 'tsyringe';
import { ConfigError, DuplicateRegistrationError } from '../errors.ts';
import { LOGITS_PROCESSOR_DEFINITION } from '../injection-tokens.ts';
import type { LogitsProcessor } from './logits-processor.ts';
import type { LogitsProcessorDefinition } from './logits-processor-definition.ts';
import type { ProcessorSpec } from './sampler.ts';

/** Logits processors registered in a container under LOGITS_PROCESSOR_DEFINITION (built-ins and plugins). */
export class LogitsProcessorRegistry {
  constructor(private readonly container: DependencyContainer) {}

  register(definition: LogitsProcessorDefinition, source = 'built-in'): void {
    const existing = this.list().find((item) => item.name === definition.name);
    if (existing !== undefined) {
      throw new DuplicateRegistrationError('logits processor name', definition.name, 'a name not yet registered',
        `logits processor "${definition.name}" is already registered (by ${existing.source ?? 'built-in'})`);
    }
    definition.source ??= source;
    this.container.register(LOGITS_PROCESSOR_DEFINITION, { useValue: definition });
  }

  list(): LogitsProcessorDefinition[] {
    return this.container.isRegistered(LOGITS_PROCESSOR_DEFINITION, true) ? this.container.resolveAll(LOGITS_PROCESSOR_DEFINITION) : [];
  }

  names(): string[] {
    return this.list().map((definition) => definition.name);
  }

  /** Builds each named processor, validating its parameters (errors name `owner[i].field`). */
  create(specs: readonly ProcessorSpec[], owner: string): LogitsProcessor[] {
    return specs.map((spec, index) => {
      const { name, ...options } = spec;
      const definition = this.list().find((item) => item.name === name);
      if (definition === undefined) {
        throw new ConfigError(`${owner}[${index}].name`, name, `a registered logits processor (${this.names().join(', ')})`);
      }
      return definition.create(definition.parameters.parse(options, `${owner}[${index}]`));
    });
  }
}
