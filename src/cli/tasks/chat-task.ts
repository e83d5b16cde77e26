import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { SchedulerChoice } from '../../core/config/omnidecode-config.ts';
import { InputError } from '../../core/errors.ts';
import type { ChatTask } from '../../core/config/task-config.ts';
import type { StepEvent } from '../../core/step-event.ts';
import type { ChatRun } from '../../pipeline/chat-result.ts';
import { encodePng, readPng, upscaleNearest, type GrayImage } from '../../tokenizers/png-image.ts';
import { chatHtml, chatJson, chatMarkdown, limitNote, type ChatPageInfo } from '../chat-page.ts';
import { checkGridOutput } from '../output-file.ts';
import { checkOutputFolder, writeFolderAtomic, type FolderFile } from '../output-folder.ts';
import { TraceRecorder } from '../trace-image.ts';
import type { TaskContext } from './task-context.ts';

/** The files a chat writes; --force replaces a folder holding only these. */
const CHAT_FILE = /^(chat\.(md|html|json)|input\.png|(image|trace)-[1-9][0-9]*\.png)$/;

/**
 * A chat: decodes every turn, then writes OUT/ at once (chat.md, chat.html, chat.json,
 * image-N.png, input.png with --image, trace-N.png with --trace). The folder, the schedulers and the
 * trace size are checked before decoding; on any failure nothing is written.
 */
export async function runChatTask(task: ChatTask, context: TaskContext): Promise<void> {
  const { settings, force, scale, signal } = context;
  const { pipeline } = settings;
  const dir = checkOutputFolder(task.output, force, (name) => CHAT_FILE.test(name));
  // Resolved here only to refuse a bad choice (and size the trace) before decoding; the chat fills its own defaults.
  const image = pipeline.schedulerFor('image', settings.scheduler);
  const textScheduler = textChoice(context.textScheduler, settings.config?.schedulers.text);
  pipeline.schedulerFor('text', textScheduler);
  const side = pipeline.imageTokenizer.imageSize;
  if (task.trace) {
    // One trace row per step: `steps` for parallel schedulers, at most one per token otherwise.
    const rows = typeof image.options.steps === 'number' ? image.options.steps : pipeline.imageTokenizer.codesPerImage;
    checkGridOutput({ count: 2 * rows, cellWidth: side, cellHeight: side, scale, columns: 2, gap: 1, flags: '--steps and --scale' });
  }
  const traces = new Map<string, TraceRecorder>();
  const onStep = (event: StepEvent, turn: number): void => {
    if (event.image === undefined) return;
    const key = `${turn}:${event.image}`;
    let recorder = traces.get(key);
    if (recorder === undefined) traces.set(key, recorder = new TraceRecorder('stream-images', pipeline.vocabulary));
    recorder.onStep(event);
  };
  const source = task.image === null ? null : await readPng(task.image, { ...settings.read, channels: pipeline.config.vq.channels });
  const run = await pipeline.chat(task.turns, {
    seed: settings.seed, signal, imageScheduler: settings.scheduler, textScheduler, ...(source !== null ? { image: source } : {}),
    ...(task.maxImages !== null ? { maxImages: task.maxImages } : {}), ...(task.trace ? { onStep } : {}),
  }).catch((error: unknown) => { throw withFlagNames(error); });
  const png = (picture: GrayImage): Uint8Array => encodePng(scale > 1 ? upscaleNearest(picture, scale) : picture);
  const drawn = run.turns.flatMap((turn) => turn.parts.flatMap((part) => (part.kind === 'image' ? [part.image] : [])));
  const files: FolderFile[] = drawn.map((picture, index) => ({ name: `image-${index + 1}.png`, data: png(picture) }));
  const traceFiles: FolderFile[] = [];
  for (const recorder of traces.values()) traceFiles.push({ name: `trace-${traceFiles.length + 1}.png`, data: png(await recorder.render(pipeline.imageTokenizer)) });
  const input = task.image === null ? null : { name: 'input.png', data: await readFile(task.image) };
  const info: ChatPageInfo = {
    model: pipeline.config.name, seed: settings.seed, schedulers: run.schedulers, input: input?.name ?? null, width: side * scale,
    images: files.map((file) => file.name), traces: traceFiles.map((file) => file.name),
  };
  files.push(...traceFiles, ...(input ? [input] : []),
    { name: 'chat.md', data: chatMarkdown(run, info) }, { name: 'chat.html', data: chatHtml(run, info) }, { name: 'chat.json', data: chatJson(run, info) });
  writeFolderAtomic(dir, files, signal);
  printSummary(run, info, dir, context);
}

/** The pipeline names its options (maxImages, textScheduler); the user typed flags. */
function withFlagNames(error: unknown): unknown {
  if (!(error instanceof InputError)) return error;
  const flag = ({ maxImages: '--max-images', textScheduler: '--text-scheduler' } as Record<string, string>)[error.what];
  if (flag === undefined) return error;
  const named = new InputError(flag, error.got, error.expected, error.message.replace(error.what, `${flag} (${error.what})`));
  named.cause = error;
  return named;
}

/** --text-scheduler over the config's schedulers.text; the file's options stay only with the scheduler they were written for. */
function textChoice(flag: string | undefined, file: SchedulerChoice | undefined): Partial<SchedulerChoice> {
  if (flag === undefined) return file ?? {};
  return { name: flag, options: file?.name === flag ? file.options : {} };
}

/** The conversation on stdout (images as their paths), the folder on stderr. */
function printSummary(run: ChatRun, info: ChatPageInfo, dir: string, context: TaskContext): void {
  const shown = relative(process.cwd(), dir) || '.';
  let next = 0;
  for (const turn of run.turns) {
    context.print(`you: ${turn.user}`);
    const said = turn.parts.map((part) => (part.kind === 'text' ? part.text : `[${shown}/${info.images[next++] as string}]`));
    context.print(`model: ${said.length > 0 ? said.join(' ') : '(no answer)'}${turn.limit ? ` ${limitNote(turn.limit)}` : ''}`);
  }
  context.log(`wrote ${dir} (chat.md, chat.html, chat.json, ${info.images.length} image(s)${info.traces.length > 0 ? `, ${info.traces.length} trace(s)` : ''}; `
    + `${run.forwardPasses} forward passes, ${run.wallMs.toFixed(0)} ms)`);
}
