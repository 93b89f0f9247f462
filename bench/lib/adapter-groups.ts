/** One framework's apps in the adapter benches: its bare route, its crypto floor, our adapters on it. */
export interface AdapterGroup {
  bare: string;
  floor: string;
  adapters: string[];
  others?: string[];
}

const allGroups: AdapterGroup[] = [
  {
    bare: 'express bare',
    floor: 'express + crypto floor',
    adapters: ['express + @caleida/express-middleware', 'express + @caleida/express-middleware (dispatch)'],
    others: ['express + standardwebhooks', 'express.raw() + @caleida/express-middleware'],
  },
  {
    bare: 'express 4 bare',
    floor: 'express 4 + crypto floor',
    adapters: [
      'express 4 + @caleida/express-middleware',
      'express 4 + @caleida/express-middleware (dispatch)',
    ],
  },
  {
    bare: 'koa bare',
    floor: 'koa + crypto floor',
    adapters: ['koa + @caleida/koa-middleware', 'koa + @caleida/koa-middleware (dispatch)'],
  },
  {
    bare: 'fastify bare',
    floor: 'fastify + crypto floor',
    adapters: ['fastify + @caleida/fastify-plugin', 'fastify + @caleida/fastify-plugin (dispatch)'],
  },
  { bare: 'fetch bare', floor: 'fetch + crypto floor', adapters: ['fetch + createFetchHandler'] },
];

/**
 * The groups named by `--only koa,fetch` (or BENCH_ADAPTERS=koa,fetch; "express" alone means
 * Express 5), or every group without it. Exits with a clear message on an unknown name.
 *
 * @example
 * for (const { floor, adapters } of selectAdapterGroups(process.argv)) console.log(floor, adapters);
 */
export function selectAdapterGroups(argv: readonly string[]): AdapterGroup[] {
  const onlyFlag = argv.indexOf('--only');
  const only = (onlyFlag >= 0 ? argv[onlyFlag + 1] : process.env.BENCH_ADAPTERS)?.split(',');
  const knownGroups = allGroups.map(({ bare }) => bare.replace(/ bare$/, ''));
  const unknownGroup = only?.find((name) => !knownGroups.includes(name));
  if (unknownGroup !== undefined) {
    console.error(`Unknown group "${unknownGroup}" for --only; pick from: ${knownGroups.join(', ')}.`);
    process.exit(2);
  }
  return allGroups.filter(
    ({ bare }) => !only || only.some((name) => bare === `${name} bare` || bare.startsWith(`${name} `)),
  );
}
