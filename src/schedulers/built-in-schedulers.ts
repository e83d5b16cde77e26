import type { SchedulerDefinition } from '../core/scheduler.ts';
import { autoregressiveDefinition } from './autoregressive-scheduler.ts';
import { maskgitDefinition } from './maskgit-scheduler.ts';

export const BUILT_IN_SCHEDULERS: readonly SchedulerDefinition[] = [autoregressiveDefinition, maskgitDefinition];
