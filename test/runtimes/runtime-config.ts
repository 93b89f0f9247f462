/** What the test process passes to a runtime, as one JSON environment variable or binding. */
export interface RuntimeConfig {
  secret: string;
  maxBodyBytes: number;
  /** The test process's bridge (route spy and logger), e.g. http://127.0.0.1:40123. */
  testProcessUrl: string;
}

/** Reads the config, failing with a message that says what is missing. */
export function runtimeConfig(json: string | undefined): RuntimeConfig {
  if (!json)
    throw new Error('CALEIDA_RUNTIME_CONFIG is not set; start this script through start-runtime.ts.');
  return JSON.parse(json) as RuntimeConfig;
}
