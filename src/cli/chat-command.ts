import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { MAX_STREAM_IMAGES } from '../core/streams/stream-layout.ts';
import { commonOptions } from './command-options.ts';
import { integerFlag } from './run-settings.ts';
import { execute, required, taskFromFile, type Flags } from './task-commands.ts';

type ChatFlags = Flags & { image?: string; imageScheduler?: string; textScheduler?: string; maxImages?: string; trace?: boolean };

/** `omnidecode chat "draw a sandal and say what it is" ["now flip it" ...] -o OUT/`. */
export function registerChatCommand(program: Command): void {
  commonOptions(program.command('chat'), { scheduler: false })
    .description('Interleaved chat: each argument is one user turn; the model answers with words and images it decides to draw (writes OUT/chat.md, chat.html, chat.json and image-N.png).')
    .argument('[turns...]', 'user turns, e.g. "draw a sandal and say what it is" "now flip it" (or task.turns in the config)')
    .option('--image <in.png>', 'an image the chat starts from, e.g. to edit it over the turns (or task.image)')
    .option('-o, --output <folder>', 'the folder to write (must not exist, unless --force)')
    .option('--force', 'replace an existing output folder (one holding only chat outputs)')
    .addOption(new Option('--scale <k>', 'upscale the PNGs k× (nearest) for viewing').default('4'))
    .option('--image-scheduler <name>', 'decodes the images the model opens (default: the model\'s image scheduler); --steps, --guidance, --schedule, --set apply to it')
    .option('--text-scheduler <name>', 'decodes the words, left to right (default: autoregressive, greedy)')
    .option('--max-images <n>', `images one answer may open (default: the model's prompts.chat.maxImages, fitted to the positions left); refused when the positions cannot hold that many`)
    .option('--trace', 'also write trace-N.png per image: the x0 guess and the committed canvas at every step')
    .action(async (turns: string[], flags: ChatFlags) => {
      const maxImages = integerFlag(flags.maxImages, '--max-images', 0, MAX_STREAM_IMAGES);
      await execute({ ...flags, ...(flags.imageScheduler !== undefined ? { scheduler: flags.imageScheduler } : {}) }, 'chat', (settings) => {
        const file = taskFromFile(settings, 'chat');
        return {
          type: 'chat',
          turns: turns.length > 0 ? turns : required(file?.turns, 'turns', 'one or more user turns (the arguments, or task.turns in the config)'),
          image: flags.image !== undefined ? resolve(flags.image) : file?.image ?? null,
          output: required(flags.output !== undefined ? resolve(flags.output) : file?.output, '--output', 'a folder to write (-o OUT/, or task.output in the config)'),
          maxImages: maxImages ?? file?.maxImages ?? null,
          trace: flags.trace === true || file?.trace === true,
        };
      }, flags.textScheduler !== undefined ? { textScheduler: flags.textScheduler } : {});
    });
}
