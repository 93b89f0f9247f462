/** Run with: node --experimental-vm-modules node_modules/jest/bin/jest.js */
export default {
  testEnvironment: 'node',
  // Starts one Caleida mock server for the whole run, and stops it after the last test file.
  globalSetup: './mock-server.global-setup.js',
  globalTeardown: './mock-server.global-teardown.js',
};
