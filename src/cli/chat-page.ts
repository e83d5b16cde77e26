import type { SchedulerChoice } from '../core/config/omnidecode-config.ts';
import type { ChatLimit, ChatRun } from '../pipeline/chat-result.ts';

/** What the chat pages say besides the run: where its images are and how it was decoded. */
export interface ChatPageInfo {
  readonly model: string;
  readonly seed: number;
  readonly schedulers: { readonly image: SchedulerChoice; readonly text: SchedulerChoice };
  /** The input image's file in the folder, when the chat started from one. */
  readonly input: string | null;
  /** The displayed width of each image, in pixels (the PNGs are already upscaled to it). */
  readonly width: number;
  /** One name per image the model made, in order (image-1.png, ...). */
  readonly images: readonly string[];
  /** One name per image trace, in order, or [] without --trace. */
  readonly traces: readonly string[];
}

/** How a page says why an answer ended early. */
export function limitNote(limit: ChatLimit): string {
  return limit === 'max images' ? '(reached the image limit: max images)' : '(ran out of positions: max tokens)';
}

type Line = { readonly who: 'user' | 'model'; readonly text?: string; readonly image?: string };

/** The conversation in order: user turns, then the model's words and images as it wrote them. */
function conversation(run: ChatRun, images: readonly string[]): Line[][] {
  let next = 0;
  return run.turns.map((turn) => [
    { who: 'user', text: turn.user },
    ...turn.parts.map((part): Line => (part.kind === 'text' ? { who: 'model', text: part.text } : { who: 'model', image: images[next++] as string })),
    ...(turn.parts.length === 0 ? [{ who: 'model' as const, text: '(no answer)' }] : []),
    ...(turn.limit ? [{ who: 'model' as const, text: limitNote(turn.limit) }] : []),
  ]);
}

function describeScheduler(choice: SchedulerChoice): string {
  const options = Object.entries(choice.options).map(([key, value]) => `${key} ${JSON.stringify(value)}`);
  return options.length === 0 ? choice.name : `${choice.name} (${options.join(', ')})`;
}

function footer(run: ChatRun, info: ChatPageInfo): string {
  return `${info.model}, seed ${info.seed}; images by ${describeScheduler(info.schedulers.image)}, words by ${describeScheduler(info.schedulers.text)}; `
    + `${run.forwardPasses} forward passes, ${run.wallMs.toFixed(0)} ms.`;
}

/** chat.md: a Markdown page (images as links to the PNGs beside it). */
export function chatMarkdown(run: ChatRun, info: ChatPageInfo): string {
  const lines = ['# Chat', ''];
  if (info.input !== null) lines.push(`**you** (image): ![input](${info.input})`, '');
  for (const turn of conversation(run, info.images)) {
    for (const line of turn) {
      const who = line.who === 'user' ? '**you**' : '**model**';
      lines.push(line.image !== undefined ? `${who}: ![${line.image}](${line.image})` : `${who}: ${markdownText(line.text ?? '')}`, '');
    }
  }
  if (info.traces.length > 0) lines.push(`Traces: ${info.traces.map((name) => `[${name}](${name})`).join(', ')}`, '');
  lines.push(`<sub>${markdownText(footer(run, info))}</sub>`, '');
  return lines.join('\n');
}

/** chat.html: one page a browser opens, the turns in order with the images inline. */
export function chatHtml(run: ChatRun, info: ChatPageInfo): string {
  const image = (name: string): string => `<img src="${html(name)}" width="${info.width}" alt="${html(name)}">`;
  const body: string[] = [];
  if (info.input !== null) body.push(`<div class="user"><b>you</b> ${image(info.input)}</div>`);
  for (const turn of conversation(run, info.images)) {
    for (const line of turn) {
      const content = line.image !== undefined ? image(line.image) : html(line.text ?? '');
      body.push(`<div class="${line.who}"><b>${line.who === 'user' ? 'you' : 'model'}</b> ${content}</div>`);
    }
  }
  if (info.traces.length > 0) body.push(`<p class="note">Traces: ${info.traces.map((name) => `<a href="${html(name)}">${html(name)}</a>`).join(', ')}</p>`);
  body.push(`<p class="note">${html(footer(run, info))}</p>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>omnidecode chat</title>
<style>
body { font-family: sans-serif; max-width: 40em; margin: 2em auto; }
div { margin: 0.6em 0; padding: 0.5em 0.8em; border-radius: 0.5em; }
.user { background: #e8eefc; }
.model { background: #f1f1f1; }
img { image-rendering: pixelated; vertical-align: top; }
.note { color: #666; font-size: 0.85em; }
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

/** chat.json: the turns, their parts (images by file and codes) and every token, for tools to read back. */
export function chatJson(run: ChatRun, info: ChatPageInfo): string {
  let next = 0;
  return `${JSON.stringify({
    model: info.model, seed: info.seed, schedulers: info.schedulers, input: info.input,
    ...(run.source ? { inputCodes: Array.from(run.source) } : {}),
    turns: run.turns.map((turn) => ({
      user: turn.user,
      parts: turn.parts.map((part) => (part.kind === 'text'
        ? { kind: 'text', text: part.text, tokens: Array.from(part.tokens) }
        : { kind: 'image', file: info.images[next++], codes: Array.from(part.codes) })),
      tokens: Array.from(turn.tokens), start: turn.start, maxImages: turn.maxImages, ...(turn.limit ? { limit: turn.limit } : {}),
      forwardPasses: turn.result.stats.forwardPasses, wallMs: Math.round(turn.result.stats.wallMs),
    })),
    traces: info.traces, tokens: Array.from(run.tokens), forwardPasses: run.forwardPasses, wallMs: Math.round(run.wallMs),
  }, null, 2)}\n`;
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** User text in Markdown: characters that would start markup are escaped. */
function markdownText(text: string): string {
  return text.replace(/([\\`*_[\]<>#|!])/g, '\\$1');
}
