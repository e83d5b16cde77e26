/**
 * Bounds on a sweep file, checked before anything loads: they stop a typo (a 1e9 seed list, a grid
 * whose product explodes) from allocating or queueing without end. A real study that needs more
 * runs as several sweeps (their results folders are independent).
 */
export const SWEEP_LIMITS = {
  /** Jobs in one sweep: settings × seeds × imagesPerSetting (one job is one image). */
  jobs: 200_000,
  /** Scheduler settings after every grid entry's lists are expanded. */
  settings: 10_000,
  /** Entries in `grid`. */
  gridEntries: 1_000,
  /** Values in one parameter's list (`steps: [4, 8, ...]`). */
  listValues: 1_000,
  seeds: 1_000,
  prompts: 10_000,
  /** Bytes of the sweep file itself. */
  fileBytes: 1_048_576,
} as const;
