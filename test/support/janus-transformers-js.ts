import { AutoProcessor, env, MultiModalityCausalLM, RawImage, Tensor } from '@huggingface/transformers';
import { basename, dirname } from 'node:path';
import { JANUS_UNDERSTANDING_TOKENS } from '../../src/synthetic/janus/janus-spec.ts';

/**
 * transformers.js's MultiModalityCausalLM on a Janus-layout folder, loaded from the local folder
 * only (no remote models): greedy `generate` (text) and `generate_images`, each returning the new ids.
 */
async function load(folder: string): Promise<MultiModalityCausalLM> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${dirname(folder)}/`;
  return await MultiModalityCausalLM.from_pretrained(basename(folder), { dtype: 'fp32', local_files_only: true }) as MultiModalityCausalLM;
}

/** What VLChatProcessor gives for a prompt without images. */
function textInputs(prompt: readonly number[]): Record<string, Tensor> {
  const dims = [1, prompt.length];
  return {
    input_ids: new Tensor('int64', BigInt64Array.from(prompt, (id) => BigInt(id)), dims),
    attention_mask: new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), dims),
    images_seq_mask: new Tensor('bool', new Uint8Array(prompt.length), dims),
    images_emb_mask: new Tensor('bool', new Uint8Array(0), [1, 0, JANUS_UNDERSTANDING_TOKENS]),
  };
}

function newIds(output: unknown, promptLength: number): number[] {
  const sequences = output instanceof Tensor ? output : (output as { sequences?: unknown }).sequences;
  if (!(sequences instanceof Tensor)) throw new Error('transformers.js generate() returned no sequences tensor');
  return Array.from(sequences.data as BigInt64Array, (id) => Number(id)).slice(promptLength);
}

export interface JanusTextRun {
  readonly prompt: readonly number[];
  readonly maxNew: number;
  readonly guidance?: number;
}

export async function transformersJsJanusText(folder: string, run: JanusTextRun): Promise<number[]> {
  const model = await load(folder);
  try {
    const output = await model.generate({
      ...textInputs(run.prompt), max_new_tokens: run.maxNew, do_sample: false,
      ...(run.guidance === undefined ? {} : { guidance_scale: run.guidance }),
    });
    return newIds(output, run.prompt.length);
  } finally {
    await model.dispose();
  }
}

export interface JanusImageRun {
  readonly ids: number[];
  /** decoded_image mapped to 0..255 as transformers.js does, [height, width, 3] per image. */
  readonly pixels: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** generate_images with Janus's own settings: exactly `tokens` new ids (min = max), greedy. */
export async function transformersJsJanusImage(folder: string, prompt: readonly number[], tokens: number, guidance?: number): Promise<JanusImageRun> {
  const model = await load(folder);
  let ids: number[] = [];
  const inner = model.generate.bind(model);
  try {
    // generate_images keeps the ids to itself; record them on the way through super.generate.
    const images = await model.generate_images({
      ...textInputs(prompt), min_new_tokens: tokens, max_new_tokens: tokens, do_sample: false,
      ...(guidance === undefined ? {} : { guidance_scale: guidance }),
      streamer: { put: (value: bigint[][]) => { if (value.length === 1 && value[0]?.length === 1) ids.push(Number(value[0][0])); }, end: () => undefined },
    } as Parameters<typeof inner>[0]) as unknown as Array<{ data: Uint8Array; width: number; height: number }>;
    const image = images[0];
    if (image === undefined) throw new Error('generate_images returned no image');
    ids = ids.slice(-tokens);
    return { ids, pixels: image.data, width: image.width, height: image.height };
  } finally {
    await model.dispose();
  }
}

export interface JanusDescribeRun {
  /** VLChatProcessor's input_ids for the conversation. */
  readonly promptIds: number[];
  /** Its pixel_values, [1, 1, 3, S, S] flattened. */
  readonly pixelValues: Float32Array;
  /** generate's new ids (greedy). */
  readonly ids: number[];
}

/**
 * transformers.js's own understanding path, as its Janus example runs it: VLChatProcessor on
 * `{ role: '<|User|>', content: '<image_placeholder>\n' + question, images: [image] }`, then greedy
 * `generate` with the processor's inputs.
 */
export async function transformersJsJanusDescribe(
  folder: string, image: { readonly rgb: Uint8ClampedArray; readonly width: number; readonly height: number },
  question: string, maxNew: number, guidance?: number,
): Promise<JanusDescribeRun> {
  const model = await load(folder);
  try {
    const processor = await AutoProcessor.from_pretrained(basename(folder), { local_files_only: true });
    const raw = new RawImage(image.rgb, image.width, image.height, 3);
    const inputs = await processor([{ role: '<|User|>', content: `<image_placeholder>\n${question}`, images: [raw] }], { images: [raw] }) as Record<string, Tensor>;
    const promptIds = Array.from((inputs.input_ids as Tensor).data as BigInt64Array, (id) => Number(id));
    const output = await model.generate({
      ...inputs, max_new_tokens: maxNew, do_sample: false, ...(guidance === undefined ? {} : { guidance_scale: guidance }),
    });
    return { promptIds, pixelValues: (inputs.pixel_values as Tensor).data as Float32Array, ids: newIds(output, promptIds.length) };
  } finally {
    await model.dispose();
  }
}

/** VLChatProcessor's input_ids for one user message without images, with the folder's named chat template. */
export async function transformersJsJanusPromptIds(folder: string, content: string, template: 'default' | 'text_to_image'): Promise<number[]> {
  await load(folder).then((model) => model.dispose());
  const processor = await AutoProcessor.from_pretrained(basename(folder), { local_files_only: true });
  const inputs = await processor([{ role: '<|User|>', content }], { chat_template: template }) as Record<string, Tensor>;
  return Array.from((inputs.input_ids as Tensor).data as BigInt64Array, (id) => Number(id));
}
