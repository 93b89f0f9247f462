import type { Colors } from '../output/create-colors.js';
import type { CheckReport } from './run-check.js';

const MARKS = { pass: '✓ pass', fail: '✗ FAIL', warn: '! warn', unverified: '? unverified' } as const;

/**
 * The report of `check` as text: a table (case, kind, expected, got, result), then one explanation
 * and fix per failure, the advisory notes, and what can and cannot be seen from outside.
 */
export function formatCheckReport(report: CheckReport, colors: Colors): string {
  const rows = report.cases.map((each) => [
    each.name,
    each.required ? 'required' : 'advisory',
    each.expected,
    each.got,
    MARKS[each.result],
  ]);
  const header = ['case', 'kind', 'expected', 'got', 'result'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  const paint = (result: keyof typeof MARKS, text: string) =>
    result === 'pass' ? colors.green(text) : result === 'fail' ? colors.red(text) : colors.yellow(text);

  const out: string[] = [
    colors.bold(line(header).trimEnd()),
    colors.dim(widths.map((width) => '─'.repeat(width)).join('  ')),
  ];
  for (const [index, row] of rows.entries()) {
    const result = report.cases[index]?.result ?? 'pass';
    out.push(`${line(row.slice(0, 4))}  ${paint(result, row[4] ?? '')}`);
  }

  const failures = report.cases.filter((each) => each.result === 'fail' || each.result === 'warn');
  if (failures.length > 0) {
    out.push('', colors.bold('What to fix:'));
    for (const each of failures) {
      out.push(
        `${paint(each.result, each.result === 'fail' ? '✗' : '!')} ${each.name} (${each.required ? 'required' : 'advisory'}): ${each.risk}.`,
        `  Fix: ${each.fix}.`,
      );
    }
  }
  const notes = report.cases.filter((each) => each.note && each.result !== 'fail' && each.result !== 'warn');
  if (notes.length > 0) {
    out.push('', colors.bold('Notes:'));
    for (const each of notes) out.push(`- ${each.name}: ${each.note}.`);
  }

  const requiredFailed = report.cases.filter((each) => each.result === 'fail').length;
  const warned = report.cases.filter((each) => each.result === 'warn').length;
  const passed = report.cases.filter((each) => each.result === 'pass' || each.result === 'unverified').length;
  out.push(
    '',
    colors.dim(
      'required: a forged, altered, stale or unsigned request must be refused (any 4xx), and a correct or repeated one accepted.',
    ),
    colors.dim(
      'advisory: exact status codes and input hygiene; any 4xx already keeps you safe. Only status codes and bodies are visible from outside: check cannot see whether a handler ran.',
    ),
    '',
    report.passed
      ? colors.green(
          `✓ ${passed}/${report.cases.length} cases passed${warned ? `, ${warned} advisory warning(s)` : ''}: the endpoint refuses what it must.`,
        )
      : colors.red(
          `✗ ${requiredFailed} required case(s) failed, ${warned} advisory warning(s). Missing protections: ${report.cases
            .filter((each) => each.result === 'fail')
            .map((each) => each.name)
            .join(', ')}.`,
        ),
  );
  return out.join('\n');
}
