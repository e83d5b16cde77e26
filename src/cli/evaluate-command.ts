import type { Command } from 'commander';

/** Registered once the evaluation set ships with the model. */
export function registerEvaluateCommand(_program: Command, _collect: (value: string, previous: string[]) => string[]): void {}
