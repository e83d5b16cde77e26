import { resolve } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import type { OmnidecodeConfig } from '../core/config/omnidecode-config.ts';
import { SourcedOptions } from '../core/config/sourced-options.ts';
import type { Modality } from '../core/request.ts';
import { readConfigFile } from '../node/config-file.ts';
import { createNodeSchedulerContainer } from '../node/node-scheduler-container.ts';
import { loadPluginsOrThrow } from '../node/plugin-loader.ts';
import { isJanusFolder } from '../pipeline/janus/janus-model-folder.ts';
import type { JanusPipelineOptions } from '../pipeline/janus/janus-prompts.ts';
import type { UnknownWords } from '../tokenizers/text-tokenizer.ts';
import type { PngReadOptions } from '../tokenizers/png-read.ts';
import { applySet, integerFlag, numberFlag, readFlagSettings, type CommonFlags } from './run-settings.ts';

/** What a command needs to run a Janus folder: the same flags and config fields as any model, checked before it loads. */
export interface JanusRunSettings {
  readonly config: OmnidecodeConfig | null;
  readonly model: string;
  readonly seed: number;
  readonly unknownWords: UnknownWords;
  /** What JanusPrompts.open / JanusPipeline.load take: the folder, schedulers, unknown words and session options. */
  readonly pipeline: JanusPipelineOptions;
  readonly read: PngReadOptions;
  /** The generated segment's scheduler (autoregressive unless chosen) and its options, validated. */
  readonly scheduler: { readonly name: string; readonly options: Readonly<Record<string, unknown>> };
  /** Schedulers with the config's and the flags' plugins loaded. */
  readonly container: DependencyContainer;
}

/** The Janus folder a command's --model (or its config's model) names, when it is one (docs/model-format.md, "Janus-layout folders"). */
export async function janusFolderOf(flags: { readonly model?: string; readonly config?: string }): Promise<string | undefined> {
  const model = flags.model ?? (flags.config === undefined ? undefined : (await readConfigFile(flags.config)).model ?? undefined);
  return model !== undefined && isJanusFolder(resolve(model)) ? resolve(model) : undefined;
}

/**
 * Flags over the config file, as loadRunSettings reads them for other folders. Janus has no
 * scheduler defaults in its folder: autoregressive (what it was trained for), greedy for text;
 * any registered scheduler may decode either segment.
 */
export async function loadJanusRunSettings(model: string, flags: CommonFlags, modality: Modality): Promise<JanusRunSettings> {
  const config = flags.config ? await readConfigFile(flags.config) : null;
  const { seed, unknownWords, threads, executionProviders, allowSpinning, read } = readFlagSettings(flags, config);
  const fromFile = config?.schedulers[modality];
  const steps = integerFlag(flags.steps, '--steps', 1);
  const guidance = numberFlag(flags.guidance, '--guidance');
  applySet(flags.set, new SourcedOptions());

  const { container, schedulers } = createNodeSchedulerContainer();
  await loadPluginsOrThrow([...(config?.plugins ?? [])], container, config?.baseDir);
  await loadPluginsOrThrow(flags.plugin, container);
  const name = flags.scheduler ?? fromFile?.name ?? 'autoregressive';
  const nameSource = flags.scheduler !== undefined ? '--scheduler' : fromFile !== undefined ? `schedulers.${modality}.name` : 'the Janus default (autoregressive)';
  const sourced = new SourcedOptions();
  // Text answers are greedy unless the user says otherwise, as the other folders' are.
  if (modality === 'text' && 'sampler' in schedulers.get(name).parameters.shape) sourced.set('sampler', { draw: 'greedy' }, 'the text default');
  sourced.setAll(fromFile?.options ?? {}, `schedulers.${modality}`);
  if (steps !== undefined) sourced.set('steps', steps, '--steps');
  if (guidance !== undefined) sourced.set('guidance', guidance, '--guidance');
  if (flags.schedule !== undefined) sourced.set('schedule', flags.schedule, '--schedule');
  applySet(flags.set, sourced);
  sourced.validate(schedulers, name, modality, nameSource);
  return {
    config, model, seed, unknownWords, container,
    pipeline: {
      model, container, unknownWords,
      ...(threads === undefined ? {} : { threads }),
      ...(executionProviders === undefined ? {} : { executionProviders }),
      ...(allowSpinning === undefined ? {} : { allowSpinning }),
    },
    read,
    scheduler: { name, options: sourced.options },
  };
}
