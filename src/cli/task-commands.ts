import type { Command } from 'commander';

/** generate / describe / edit / inpaint / evaluate: wired once the model pipeline lands. */
export function registerTaskCommands(_program: Command, _collect: (value: string, previous: string[]) => string[]): void {}
