import { Option, type Command } from 'commander';
import { ConfigError } from '../core/errors.ts';

export type Collect = (value: string, previous: string[]) => string[];

export const collect: Collect = (value, previous) => [...previous, value];

/** Flags of every command that writes a PNG. */
export interface OutputFlags { output?: string; force?: boolean; scale: string }

/** Flags shared by every model command (settings; the task's own fields come from arguments). */
export function commonOptions(command: Command, { scheduler = true }: { readonly scheduler?: boolean } = {}): Command {
  command
    .option('--config <file>', 'JSON or YAML config (schedulers, seed, plugins, model, task); flags override it')
    .option('--model <dir>', 'model folder: an omnidecode folder or a Janus-layout ONNX folder (default: the embedded model)')
    .option('--plugin <name|path>', 'load a plugin: a shipped one by name (halton, ...), a path or a package (repeatable)', collect, [])
    .option('--seed <seed>', 'an integer in [0, 2^32); fixes every random draw');
  // A command that generates two kinds of segment (chat) names its schedulers with its own flags.
  if (scheduler) command.option('--scheduler <name>', 'scheduler for the generated segment (see `omnidecode schedulers --all`)');
  return command
    .option('--steps <n>', 'denoising steps (maskgit and friends)')
    .option('--guidance <w>', 'classifier-free guidance scale (0 = off)')
    .option('--schedule <name|expr>', 'mask schedule: cosine, linear, arccos, sigmoid, powK or an expression in t')
    .option('--set <key=value>', 'any other scheduler parameter (repeatable)', collect, [])
    .option('--threads <n>', 'onnxruntime intra-op threads')
    .option('--device <provider>', 'onnxruntime execution provider: cpu (default), cuda, webgpu, ... (an unavailable one is refused, naming the available ones)')
    .option('--spinning <on|off>', 'whether onnxruntime intra-op threads spin between runs (default off, chosen by measurement)')
    .option('--max-pixels <n>', 'largest input PNG to read, in pixels (default 16,777,216)')
    .addOption(new Option('--unknown-words <policy>', 'a prompt word the tokenizer does not know: refuse it, or map it to the unknown token').choices(['reject', 'unk']));
}

export function outputOptions(command: Command): Command {
  return command
    .option('-o, --output <file.png>', 'where to write the PNG')
    .option('--force', 'replace an existing output file')
    .addOption(new Option('--scale <k>', 'upscale the PNG k× (nearest) for viewing').default('4'));
}

export const MAX_SCALE = 32;

export function scaleOf(flags: Pick<OutputFlags, 'scale'>): number {
  const scale = flags.scale.trim() === '' ? Number.NaN : Number(flags.scale);
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) throw new ConfigError('--scale', flags.scale, `an integer in [1, ${MAX_SCALE}]`);
  return scale;
}
