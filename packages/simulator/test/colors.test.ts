import { spawn } from 'node:child_process';
import { generateSecret } from '@caleida/verify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, buildBin } from './helpers/build-bin.js';
import { type BinResult, runBin } from './helpers/run-bin.js';
import { startCoreReceiver, type TestReceiver } from './helpers/start-receivers.js';

const secret = generateSecret();
const GREEN = '\u001b[32m';
let receiver: TestReceiver | undefined;

beforeAll(buildBin, 120_000);
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/** Runs the bin on a real terminal (a pseudo-terminal from util-linux `script`), as a user would. */
function runBinOnTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, BIN, ...args].map(quote).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: {
        ...process.env,
        CALEIDA_WEBHOOK_SECRET: '',
        NO_COLOR: '',
        FORCE_COLOR: '',
        TERM: 'xterm-256color',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

describe('colour: a terminal, NO_COLOR and FORCE_COLOR', () => {
  it('colours on a terminal, and NO_COLOR=1 or FORCE_COLOR=0 turn it off there', async () => {
    receiver = await startCoreReceiver(secret);
    const args = ['send', 'message', '--url', receiver.url, '--secret', secret];
    const [plain, noColor, forcedOff] = await Promise.all([
      runBinOnTerminal(args, {}),
      runBinOnTerminal(args, { NO_COLOR: '1' }),
      runBinOnTerminal(args, { FORCE_COLOR: '0' }),
    ]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(`${GREEN}200`);
    expect(noColor.code).toBe(0);
    expect(noColor.stdout).toContain('200');
    expect(noColor.stdout).not.toContain('\u001b[');
    expect(forcedOff.stdout).not.toContain('\u001b[');
  }, 30_000);

  it('FORCE_COLOR=1 colours into a pipe, wins over NO_COLOR without a Node warning, and never colours --json', async () => {
    receiver = await startCoreReceiver(secret);
    const args = ['send', 'message', '--url', receiver.url, '--secret', secret];
    const [piped, forced, both, json] = await Promise.all([
      runBin(args, { NO_COLOR: '' }),
      runBin(args, { NO_COLOR: '', FORCE_COLOR: '1' }),
      runBin(args, { NO_COLOR: '1', FORCE_COLOR: '1' }),
      runBin([...args, '--json'], { NO_COLOR: '', FORCE_COLOR: '1' }),
    ]);
    expect(piped.stdout).not.toContain('\u001b[');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`${GREEN}200`);
    expect(both.stdout).toContain(`${GREEN}200`);
    expect(both.stderr).toBe('');
    expect(json.stdout).not.toContain('\u001b[');
    expect(() => JSON.parse(json.stdout.trim().split('\n')[0] ?? '')).not.toThrow();
  }, 30_000);
});
