import type { CommandModule } from 'yargs';
import { formatCheckReport } from '../check/format-check-report.js';
import { runCheck } from '../check/run-check.js';
import {
  type GlobalArgs,
  resolveGlobals,
  type TargetArgs,
  targetOptions,
} from '../options/global-options.js';
import { parseUrl } from '../options/parse-url.js';
import { resolveSecret } from '../options/resolve-secret.js';

/** `caleida-sim check`: grades an endpoint against the receiver contract; exit 1 on a required failure. */
export const checkCommand: CommandModule<GlobalArgs, GlobalArgs & TargetArgs> = {
  command: 'check',
  describe:
    'Check that your endpoint accepts valid events and refuses forged, altered, stale and replayed ones',
  builder: (yargs) =>
    targetOptions(yargs)
      .example(
        '$0 check --url http://localhost:3000/webhooks/caleida --secret whsec_...',
        'grade your endpoint',
      )
      .example('$0 check --url $URL --json | jq -c "select(.result == \\"fail\\")"', 'in CI') as never,
  handler: async (argv) => {
    const { reporter, headers, timeoutMs } = resolveGlobals(argv);
    const url = parseUrl(argv.url, '--url');
    const secret = resolveSecret(argv.secret);
    const report = await runCheck({
      url,
      secret,
      headers,
      timeoutMs,
      ...(reporter.json ? { onCase: (graded) => reporter.record(graded, '') } : {}),
    });
    const failed = report.cases.filter((each) => each.result === 'fail').map((each) => each.name);
    const warned = report.cases.filter((each) => each.result === 'warn').map((each) => each.name);
    reporter.summary(
      { passed: report.passed, cases: report.cases.length, failed, warned },
      formatCheckReport(report, reporter.colors),
    );
    process.exitCode = report.passed ? 0 : 1;
  },
};
