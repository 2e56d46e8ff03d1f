// Four projects: fast pure unit tests beside the code; integration tests of repositories and
// services against a real database without HTTP or MQTT (test/integration); and e2e tests that
// boot the real app; and browser tests of the console in Chromium. The last three use real PostgreSQL + MQTT (TEST_DATABASE_URL /
// TEST_MQTT_URL) or the embedded defaults.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  // otplib's default plugins load ESM-only packages (@scure/base, @noble/hashes). Node >= 20.19
  // requires them natively; Jest (before Node 24) cannot, so compile just those to CommonJS.
  '^.+/node_modules/(.+/)?@(scure|noble)/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true }, diagnostics: false }],
};
const transformIgnorePatterns = ['/node_modules/(?!(.+/)?@(scure|noble)/)'];
module.exports = {
  // e2e tests wait on real brokers and databases; per-test waits stay far below this.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      // bench/: the arithmetic its summaries rest on (the bench itself runs with npm run bench).
      roots: ['<rootDir>/src', '<rootDir>/bench'],
      testMatch: ['**/*.spec.ts'],
      setupFiles: ['<rootDir>/test/support/quiet-logger.ts'],
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test/integration'],
      testMatch: ['**/*.int-spec.ts'],
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform,
      transformIgnorePatterns,
      slowTestThreshold: 30,
    },
    {
      // The built console driven in Debian's Chromium (docs/console.md); builds it first when stale.
      displayName: 'browser',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test/browser'],
      testMatch: ['**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/browser/support/build-console.ts',
      transform,
      transformIgnorePatterns,
      slowTestThreshold: 60,
    },
  ],
};
