// Two projects: fast pure unit tests beside the code, and e2e tests that boot the real app
// against real PostgreSQL + MQTT (TEST_DATABASE_URL / TEST_MQTT_URL) or the embedded defaults.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
};
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform,
      testTimeout: 60000,
      slowTestThreshold: 30,
    },
  ],
};
