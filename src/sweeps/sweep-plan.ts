import { ConfigError, OmnidecodeError } from '../core/errors.ts';
import { classPrompt } from '../evaluation/model-evaluations.ts';
import type { OmnidecodePipeline } from '../pipeline/omnidecode-pipeline.ts';
import { textToImagePrompt } from '../pipeline/text-to-image-request.ts';
import { expandGrid } from './grid-expansion.ts';
import { jobId } from './job-id.ts';
import type { SweepFile } from './sweep-file.ts';
import type { SweepJob } from './sweep-job.ts';
import { resolveSettings, type SweepSetting } from './sweep-settings.ts';

export interface SweepPrompt {
  readonly text: string;
  /** The class it asks for: every prompt of the per-class set, and a listed prompt that is exactly a class prompt ("a sneaker"). */
  readonly classIndex: number | null;
}

/** A sweep ready to run: validated settings and prompts, and every job with its id. */
export interface SweepPlan {
  readonly settings: readonly SweepSetting[];
  readonly prompts: readonly SweepPrompt[];
  readonly seeds: readonly number[];
  readonly imagesPerSetting: number;
  /** Setting-major, then seed, then image index: a setting's jobs run together. */
  readonly jobs: readonly SweepJob[];
  readonly model: { readonly dir: string; readonly name: string; readonly hash: string };
  /** The model's class names (per-class accuracy is reported in this order). */
  readonly classNames: readonly string[];
}

/** The prompts the sweep decodes, each checked by the tokenizer and against the model's prompt length (errors name `prompts[i]`). */
export function resolvePrompts(file: SweepFile, pipeline: OmnidecodePipeline): SweepPrompt[] {
  const names = pipeline.config.prompts.classNames;
  const classPrompts = names.map((name) => classPrompt(name));
  if (file.prompts.kind === 'per-class') return classPrompts.map((text, classIndex) => ({ text, classIndex }));
  return file.prompts.prompts.map((text, index) => {
    try {
      textToImagePrompt(pipeline.encodeText(text), pipeline.vocabulary, pipeline.promptLayout);
    } catch (error) {
      if (!(error instanceof OmnidecodeError)) throw error;
      throw new ConfigError(`prompts[${index}]`, text, error.expected, `prompts[${index}]: ${error.message}`);
    }
    const classIndex = classPrompts.indexOf(text);
    return { text, classIndex: classIndex < 0 ? null : classIndex };
  });
}

/**
 * Validates the sweep against the loaded model and registry (plugins loaded) and lists its jobs.
 * Nothing runs: an unknown scheduler or parameter, a bad prompt or a repeated setting is refused
 * here, naming its path in the file.
 */
export function planSweep(file: SweepFile, pipeline: OmnidecodePipeline, modelHash: string): SweepPlan {
  const settings = resolveSettings(pipeline, expandGrid(file.grid));
  const prompts = resolvePrompts(file, pipeline);
  const jobs: SweepJob[] = [];
  for (const setting of settings) {
    for (const seed of file.seeds) {
      for (let imageIndex = 0; imageIndex < file.imagesPerSetting; imageIndex++) {
        const prompt = prompts[imageIndex % prompts.length] as SweepPrompt;
        const identity = { modelHash, scheduler: setting.scheduler, seed, prompt: prompt.text, imageIndex };
        jobs.push({
          ...identity, id: jobId(identity), setting: setting.index, settingLabel: setting.label, classIndex: prompt.classIndex,
        });
      }
    }
  }
  return {
    settings, prompts, seeds: file.seeds, imagesPerSetting: file.imagesPerSetting, jobs,
    model: { dir: pipeline.folder.dir, name: pipeline.config.name, hash: modelHash }, classNames: pipeline.config.prompts.classNames,
  };
}
