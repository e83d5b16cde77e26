import type { ChatOptions } from '../pipeline/chat-options.ts';
import type { ChatPart, ChatRun } from '../pipeline/chat-result.ts';
import type { OmnidecodePipeline } from '../pipeline/omnidecode-pipeline.ts';
import type { GrayImage } from '../tokenizers/png-image.ts';
import { answerClass } from './answer-class.ts';
import type { EvaluationClassifier } from './evaluation-classifier.ts';
import { classPrompt } from './model-evaluations.ts';

/** Decoders and seed shared by every chat of one evaluation; chat i runs with seed + i. */
export interface ChatEvaluationOptions {
  readonly seed: number;
  readonly imageScheduler?: ChatOptions['imageScheduler'];
  readonly textScheduler?: ChatOptions['textScheduler'];
}

export interface ChatCost {
  readonly forwardPassesPerChat: number;
  readonly wallMsPerChat: number;
}

export interface DrawThenSayReport extends ChatCost {
  readonly prompts: number;
  /** Answers that opened exactly one image. */
  readonly oneImage: number;
  /** The classifier reads the drawn image as the asked class. */
  readonly imageClass: number;
  /** The class the caption names is the classifier's class of the drawn image. */
  readonly captionAgrees: number;
  readonly examples: readonly string[];
}

export interface SeveralItemsReport extends ChatCost {
  readonly prompts: number;
  /** Answers that opened exactly as many images as items asked. */
  readonly exactCount: number;
  /** Asked items whose image (the j-th opened for the j-th asked) the classifier reads as the asked class. */
  readonly itemClass: number;
  readonly items: number;
  /** Answers with one run of words per asked item, the j-th naming the j-th asked class (a model that names what it draws). */
  readonly namedInOrder: number;
  readonly byItemCount: Readonly<Record<string, { readonly prompts: number; readonly exactCount: number; readonly itemClass: number }>>;
  /** Item class by place in the prompt: [first items, second items, third items]. */
  readonly byItemPosition: ReadonlyArray<{ readonly items: number; readonly itemClass: number }>;
  readonly examples: readonly string[];
}

export function imagesOf(parts: readonly ChatPart[]): GrayImage[] {
  return parts.flatMap((part) => (part.kind === 'image' ? [part.image] : []));
}

export function textOf(parts: readonly ChatPart[]): string {
  return parts.flatMap((part) => (part.kind === 'text' ? [part.text] : [])).join(' ').trim();
}

export function chatOptions(options: ChatEvaluationOptions, index: number): ChatOptions {
  return {
    seed: (options.seed + index) % 2 ** 32,
    ...(options.imageScheduler ? { imageScheduler: options.imageScheduler } : {}),
    ...(options.textScheduler ? { textScheduler: options.textScheduler } : {}),
  };
}

export function cost(runs: readonly ChatRun[], wallMs: number): ChatCost {
  return {
    forwardPassesPerChat: runs.reduce((sum, run) => sum + run.forwardPasses, 0) / runs.length,
    wallMsPerChat: wallMs / runs.length,
  };
}

/** "draw a sandal and tell me what it is", perClass prompts per class (both phrasings, alternating). */
export async function evaluateDrawThenSay(
  pipeline: OmnidecodePipeline, classifier: EvaluationClassifier, perClass: number, options: ChatEvaluationOptions,
): Promise<DrawThenSayReport> {
  const names = pipeline.config.prompts.classNames;
  const runs: ChatRun[] = [];
  const asked: number[] = [];
  const started = performance.now();
  for (let i = 0; i < perClass * names.length; i++) {
    const label = i % names.length;
    const phrasing = Math.floor(i / names.length) % 2 === 0 ? 'tell me' : 'say';
    const prompt = `draw ${classPrompt(names[label] as string)} and ${phrasing} what it is`;
    runs.push(await pipeline.chat(prompt, chatOptions(options, i)));
    asked.push(label);
  }
  const wallMs = performance.now() - started;
  const first = runs.map((run) => imagesOf(run.turns[0]?.parts ?? [])[0]);
  const drawn = first.filter((image): image is GrayImage => image !== undefined);
  const judged = drawn.length === 0 ? [] : (await classifier.classify(drawn)).labels;
  let oneImage = 0;
  let imageClass = 0;
  let captionAgrees = 0;
  let at = 0;
  const examples: string[] = [];
  runs.forEach((run, index) => {
    const parts = run.turns[0]?.parts ?? [];
    if (imagesOf(parts).length === 1) oneImage += 1;
    if (first[index] === undefined) return;
    const seen = judged[at++] as number;
    const caption = textOf(parts);
    if (seen === asked[index]) imageClass += 1;
    if (answerClass(caption, names) === seen) captionAgrees += 1;
    if (examples.length < 5) examples.push(`${run.turns[0]?.user} -> [image: ${names[seen]}] ${caption}`);
  });
  const n = runs.length;
  return { prompts: n, oneImage: oneImage / n, imageClass: imageClass / n, captionAgrees: captionAgrees / n, examples, ...cost(runs, wallMs) };
}

/** The asked classes of prompt i: 2 or 3 items (alternating), spread over the classes. */
export function itemsAsked(i: number, classes: number): number[] {
  const count = i % 2 === 0 ? 2 : 3;
  return Array.from({ length: count }, (_, j) => (i + j * (3 + (i % 4))) % classes);
}

/** "draw a sneaker then a bag [then a coat]": the images opened, in order, against the items asked. */
export async function evaluateSeveralItems(
  pipeline: OmnidecodePipeline, classifier: EvaluationClassifier, prompts: number, options: ChatEvaluationOptions,
): Promise<SeveralItemsReport> {
  const names = pipeline.config.prompts.classNames;
  const runs: ChatRun[] = [];
  const asked: number[][] = [];
  const started = performance.now();
  for (let i = 0; i < prompts; i++) {
    const labels = itemsAsked(i, names.length);
    const phrases = labels.map((label) => classPrompt(names[label] as string));
    runs.push(await pipeline.chat(`draw ${phrases.join(' then ')}`, chatOptions(options, i)));
    asked.push(labels);
  }
  const wallMs = performance.now() - started;
  const byCount = new Map<number, { prompts: number; exact: number; hits: number; items: number }>();
  let exact = 0;
  let hits = 0;
  let items = 0;
  let named = 0;
  const byPosition: Array<{ items: number; hits: number }> = [];
  const examples: string[] = [];
  for (const [index, run] of runs.entries()) {
    const want = asked[index] as number[];
    const parts = run.turns[0]?.parts ?? [];
    const images = imagesOf(parts);
    const words = parts.flatMap((part) => (part.kind === 'text' ? [part.text.trim()] : []));
    if (words.length === want.length && want.every((label, j) => answerClass(words[j] as string, names) === label)) named += 1;
    if (examples.length < 4) examples.push(`${run.turns[0]?.user ?? ''} -> ${parts.map((part) => (part.kind === 'text' ? part.text.trim() : '[image]')).join(' ')}`);
    const judged = images.length === 0 ? [] : (await classifier.classify(images)).labels;
    const rowHits = want.filter((label, j) => judged[j] === label).length;
    want.forEach((label, j) => {
      const place = byPosition[j] ?? { items: 0, hits: 0 };
      byPosition[j] = { items: place.items + 1, hits: place.hits + (judged[j] === label ? 1 : 0) };
    });
    const ok = images.length === want.length ? 1 : 0;
    exact += ok;
    hits += rowHits;
    items += want.length;
    const entry = byCount.get(want.length) ?? { prompts: 0, exact: 0, hits: 0, items: 0 };
    byCount.set(want.length, { prompts: entry.prompts + 1, exact: entry.exact + ok, hits: entry.hits + rowHits, items: entry.items + want.length });
  }
  const byItemCount: Record<string, { prompts: number; exactCount: number; itemClass: number }> = {};
  for (const [count, entry] of [...byCount.entries()].sort((a, b) => a[0] - b[0])) {
    byItemCount[String(count)] = { prompts: entry.prompts, exactCount: entry.exact / entry.prompts, itemClass: entry.hits / entry.items };
  }
  return {
    prompts: runs.length, exactCount: exact / runs.length, itemClass: hits / items, items, namedInOrder: named / runs.length,
    byItemCount, byItemPosition: byPosition.map((place) => ({ items: place.items, itemClass: place.hits / place.items })), examples, ...cost(runs, wallMs),
  };
}
