/**
 * The actions Sprout puts under maker-checker, by kind. Add one here to require a second person.
 */
import { formatMoney } from '../money/format-money.js';
import { writeOff } from '../servicing/write-off.js';
import { postManualEntry, type ManualEntryRequest } from '../ledger/manual-entry.js';
import { APPLICATION_APPROVE } from '../decision/review-application.js';
import type { CheckedAction } from './maker-checker.js';
import { applyProductChange, type ProductChange } from '../products/product-changes.js';
import { activatePolicy, type PolicyChange } from '../decision/policy-versions.js';
import { BINDING_VERIFY, CONTEST_UPHOLD } from '../enterprises/bindings.js';
import { COLLATERAL_RELEASE, GUARANTEE_RELEASE } from '../collateral/release.js';
import { REPORT_FILE } from '../reporting/report-runs.js';
import { WARNING_RULES_CHANGE } from '../monitoring/rule-versions.js';
import { WARNING_UNDO_ACTION } from '../monitoring/warnings.js';
import { ACCOUNT_CHANGE } from '../lines/settlement-accounts.js';
import { LPR_FIXING } from '../servicing/lpr-fixings.js';
import { SCORECARD_DEPLOY } from '../decision/deployed-models.js';
import { CALENDAR_LOAD } from '../system/holiday-calendar.js';
import { createProgramme, programmeJson, type ProgrammeRequest } from '../supply-chain/programmes.js';
import { applyProgrammeChange, type ProgrammeChangeRequest } from '../supply-chain/programme-changes.js';
import { getBusinessDate } from '../system/business-date.js';

export { BINDING_VERIFY, CONTEST_UPHOLD, REPORT_FILE, WARNING_RULES_CHANGE, WARNING_UNDO_ACTION };

/** Write-off (核销): requested by a risk officer, confirmed by another risk officer or an admin. */
export const WRITE_OFF: CheckedAction<{ loanId: string; reason: string }> = {
  kind: 'loan.write-off',
  makers: ['risk-officer', 'admin'],
  checkers: ['risk-officer', 'admin'],
  execute: async (trx, payload, maker, checker) => {
    const result = await writeOff(trx, payload, `${maker} (checked by ${checker})`);
    return {
      loanId: result.loanId,
      principal: formatMoney(result.principal),
      interest: formatMoney(result.interest),
      penalty: formatMoney(result.penalty),
      total: formatMoney(result.total),
      provisionUsed: formatMoney(result.provisionUsed),
      expense: formatMoney(result.expense),
    };
  },
};

/** Manual journal entries: made by an operator, confirmed by an administrator. */
export const MANUAL_ENTRY: CheckedAction<ManualEntryRequest> = {
  kind: 'ledger.manual-entry',
  makers: ['operator', 'admin'],
  checkers: ['admin'],
  execute: (trx, payload, maker, checker) => postManualEntry(trx, payload, `${maker} (checked by ${checker})`),
};

/** Creating or changing a product: proposed by a risk officer or an admin, confirmed by another. */
export const PRODUCT_CHANGE: CheckedAction<ProductChange> = {
  kind: 'product.change',
  makers: ['risk-officer', 'admin'],
  checkers: ['risk-officer', 'admin'],
  execute: (trx, payload, maker, checker) => applyProductChange(trx, payload, `${maker} (checked by ${checker})`),
};

/** A new decision policy version: proposed by a risk officer, confirmed by another or an admin. */
export const POLICY_CHANGE: CheckedAction<PolicyChange> = {
  kind: 'policy.change',
  makers: ['risk-officer'],
  checkers: ['risk-officer', 'admin'],
  execute: (trx, payload, maker, checker) => activatePolicy(trx, payload, maker, checker),
};

/** A core enterprise's supply-chain programme (its limit at the bank): proposed by a risk officer, confirmed by a credit approver or another risk officer. */
export const SCF_PROGRAMME: CheckedAction<ProgrammeRequest> = {
  kind: 'scf.programme',
  makers: ['risk-officer', 'admin'],
  checkers: ['credit-approver', 'risk-officer', 'admin'],
  execute: async (trx, payload, maker, checker) => programmeJson(await createProgramme(trx, payload, `${maker} (checked by ${checker})`)),
};

/** A change of a programme's terms going forward: made and checked by the same people as its creation. */
export const SCF_PROGRAMME_CHANGE: CheckedAction<ProgrammeChangeRequest> = {
  kind: 'scf.programme-change',
  makers: SCF_PROGRAMME.makers,
  checkers: SCF_PROGRAMME.checkers,
  execute: async (trx, payload, maker, checker) => applyProgrammeChange(trx, payload, await getBusinessDate(trx), `${maker} (checked by ${checker})`),
};

/** Every checked action by kind. */
export const CHECKED_ACTIONS: ReadonlyMap<string, CheckedAction<never>> = new Map([
  [WRITE_OFF.kind, WRITE_OFF as CheckedAction<never>],
  [MANUAL_ENTRY.kind, MANUAL_ENTRY as CheckedAction<never>],
  [APPLICATION_APPROVE.kind, APPLICATION_APPROVE as CheckedAction<never>],
  [PRODUCT_CHANGE.kind, PRODUCT_CHANGE as CheckedAction<never>],
  [POLICY_CHANGE.kind, POLICY_CHANGE as CheckedAction<never>],
  [BINDING_VERIFY.kind, BINDING_VERIFY as CheckedAction<never>],
  [CONTEST_UPHOLD.kind, CONTEST_UPHOLD as CheckedAction<never>],
  [COLLATERAL_RELEASE.kind, COLLATERAL_RELEASE as CheckedAction<never>],
  [GUARANTEE_RELEASE.kind, GUARANTEE_RELEASE as CheckedAction<never>],
  [REPORT_FILE.kind, REPORT_FILE as CheckedAction<never>],
  [WARNING_RULES_CHANGE.kind, WARNING_RULES_CHANGE as CheckedAction<never>],
  [WARNING_UNDO_ACTION.kind, WARNING_UNDO_ACTION as CheckedAction<never>],
  [ACCOUNT_CHANGE.kind, ACCOUNT_CHANGE as CheckedAction<never>],
  [LPR_FIXING.kind, LPR_FIXING as CheckedAction<never>],
  [SCF_PROGRAMME.kind, SCF_PROGRAMME as CheckedAction<never>],
  [SCF_PROGRAMME_CHANGE.kind, SCF_PROGRAMME_CHANGE as CheckedAction<never>],
  [SCORECARD_DEPLOY.kind, SCORECARD_DEPLOY as CheckedAction<never>],
  [CALENDAR_LOAD.kind, CALENDAR_LOAD as CheckedAction<never>],
]);
