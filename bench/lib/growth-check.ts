/** A per-item cost that must not grow with the work: its value at the smallest and largest step. */
export interface GrowthCheck {
  /** What is compared, e.g. "claim + complete time, 1M ids vs 1k". */
  figure: string;
  smallest: number;
  largest: number;
  /** The largest ratio allowed (largest / smallest). */
  bound: number;
}

/** A checked growth: its ratio and whether it stayed within bound. */
export interface GrowthVerdict extends GrowthCheck {
  ratio: number;
  held: boolean;
}

/** Works out the ratio of a growth check and whether it held. */
export function checkGrowth(check: GrowthCheck): GrowthVerdict {
  const ratio = check.largest / check.smallest;
  return { ...check, ratio, held: Number.isFinite(ratio) && ratio <= check.bound };
}
