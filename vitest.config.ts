import { defineConfig } from 'vitest/config';

// 'omnidecode' imports (plugins, tests) resolve to src/ through the package's source condition.
const conditions = ['omnidecode-source', 'import', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['omnidecode-source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
