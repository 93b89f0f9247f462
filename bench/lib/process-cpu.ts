import { readFileSync } from 'node:fs';

// Linux reports a process's CPU time in clock ticks, 100 per second on every kernel Node supports.
const MICROS_PER_TICK = 10_000;

/**
 * CPU time (user + system) a running process has used so far, every thread included, in µs, read
 * from /proc (Linux only): how the benches charge each process of a round for its share of the cores.
 *
 * @example
 * const before = processCpuMicros(child.pid);
 */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * MICROS_PER_TICK;
}
