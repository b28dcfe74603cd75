/**
 * The outcome mix of the one-second decision over a simulated population, and how well the
 * cross-checks catch the firms the simulator makes inconsistent (over-declared revenue and staff,
 * or inflated invoices) — the measurement behind the tolerances in docs/features.md.
 *
 * Run: node --import tsx scripts/measure-outcomes.ts [size] [seed] [asOf]   (default 2000 firms, seed 2027, the simulation's anchor date)
 */
import { SIMULATION_ANCHOR, simulatedPopulation } from '../src/data/index.js';
import { DEFAULT_DECISION_CONFIG, decide, type DecisionInputs } from '../src/decision/decide.js';
import { defaultScorecard } from '../src/decision/default-model.js';
import { simulatedData } from '../src/decision/simulated-training-set.js';
import { extractFeatures, featureValues } from '../src/features/index.js';
import { CROSS_CHECK_TOLERANCES } from '../src/features/cross-check-tolerances.js';
import { rateToUnits } from '../src/pricing/rate-units.js';

const size = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? 2027);
const asOf = process.argv[4] ?? SIMULATION_ANCHOR;
const config = DEFAULT_DECISION_CONFIG(defaultScorecard());
const lprUnits = rateToUnits('3.00', 'lpr').toString();

for (const tolerances of CROSS_CHECK_TOLERANCES) {
  const outcomes: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  const flags: Record<string, number> = {};
  let inconsistent = 0;
  let caught = 0;
  let honest = 0;
  let honestFlagged = 0;
  for (const firm of simulatedPopulation({ seed, size })) {
    const data = await simulatedData(firm.creditCode, firm.industry, firm.seed, asOf);
    const set = extractFeatures({ industry: firm.industry, registeredOn: firm.registeredOn, revenue: firm.declared.revenue, employees: firm.declared.employees }, data, { tolerances });
    const flagged = set.crossChecks.filter((check) => check.flagged).map((check) => check.name);
    for (const name of flagged) flags[name] = (flags[name] ?? 0) + 1;
    const inputs: DecisionInputs = {
      date: data.asOf,
      features: { ...featureValues(set), cross_check_failed: flagged.length > 0 ? 1 : 0 },
      sizeClass: firm.sizeClass,
      product: { code: 'MICRO-LINE', minAmount: '10000', maxAmount: '300000000' },
      existingExposure: '0',
      lprUnits,
      repeatBorrower: false,
    };
    const decision = decide(inputs, config);
    outcomes[decision.outcome] = (outcomes[decision.outcome] ?? 0) + 1;
    for (const code of decision.reasonCodes) reasons[`${decision.outcome}:${code}`] = (reasons[`${decision.outcome}:${code}`] ?? 0) + 1;
    // The simulator's inconsistent firms: staff declared above the real headcount (with revenue), or inflated invoices.
    if (firm.declared.employees !== firm.employees || firm.invoiceInflation !== 1) {
      inconsistent++;
      if (flagged.length > 0) caught++;
    } else {
      honest++;
      if (flagged.length > 0) honestFlagged++;
    }
  }
  const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
  process.stdout.write(
    `${JSON.stringify({
      tolerances: tolerances.version,
      size,
      seed,
      asOf,
      outcomes: Object.fromEntries(Object.entries(outcomes).map(([k, v]) => [k, `${v} (${pct(v, size)})`])),
      reasons,
      flags,
      inconsistent: { firms: inconsistent, caught: `${caught} (${pct(caught, inconsistent)})` },
      honest: { firms: honest, flagged: `${honestFlagged} (${pct(honestFlagged, honest)})` },
    }, null, 1)}\n`,
  );
}
