/**
 * An application's decision record as a credit analyst reads it, in plain words: whose it is
 * (the enterprise's name and credit code), why (reasons, and the scorecard's main factors behind a
 * decline or referral), the policy rules with what each read, the cross-checks of declared against
 * observed figures, where the score lost points — every value with its unit, no rule ids, reason
 * codes, bins or version hashes.
 */
import type { Application, FeatureName } from '../api-portal';
import { featureValueText, mainFactorsText } from '../feature-values';
import { fill } from '../error-message';
import { fenText } from '../api-book';
import { CODE_TEXT_PREFIX } from '../code-texts';
import { yuan } from '../format';
import { MESSAGES, punctuationOf, useI18n, type I18n, type MessageKey } from '../i18n';
import { boundText, featureText, reasonText, ruleText } from '../portal-text';
import { DataTable } from './DataTable';

/** The cross-checks of the record: declared against observed, each a ratio feature. */
const CROSS_CHECK_FEATURES = ['declared_revenue_to_sales', 'sales_per_kwh_yoy_change', 'declared_employees_to_insured'] as const satisfies readonly FeatureName[];

/** The header: "审批记录：杭州绿芽茶叶有限公司" with the credit code. */
export function DecisionRecordHeader({ app }: { readonly app: Application }) {
  const i18n = useI18n();
  return (
    <h2 data-testid="decision-record-title">
      {fill(i18n.t('decisionFor'), { name: app.enterpriseName })}
      {app.creditCode && <span className="muted small mono"> {app.creditCode}</span>}
    </h2>
  );
}

/** Reasons in words, a decline's or referral's main factors, then the record's tables. */
export function DecisionRecordView({ app }: { readonly app: Application }) {
  const i18n = useI18n();
  const { t } = i18n;
  const record = app.record;
  const fired = record?.decision.policy.trace.filter((rule) => rule.fired) ?? [];
  const versions = record?.decision.versions as { readonly policySet?: number } | undefined;

  return (
    <div data-testid="decision-record">
      {(app.reasonCodes.length > 0 || app.mainFactors.length > 0) && (
        <div className="panel">
          <h3>{t('reasons')}</h3>
          <ul data-testid="reason-codes">
            {app.reasonCodes.map((code) => (
              <li key={code}>{reasonText(i18n, code)}</li>
            ))}
          </ul>
          {app.mainFactors.length > 0 && (
            <p data-testid="main-factors">{mainFactorsText(i18n, app.mainFactors)}</p>
          )}
        </div>
      )}
      {record && (
        <div className="panels two">
          <div className="panel">
            <h3>
              {t('rulesTrace')}{' '}
              <span className="muted small">{versions?.policySet === undefined ? t('builtInPolicy') : `${t('policyVersion')} ${versions.policySet}`}</span>
            </h3>
            <DataTable
              testId="rules-trace"
              rows={record.decision.policy.trace}
              rowKey={(rule) => rule.ruleId}
              rowClassName={(rule) => (rule.fired ? `fired ${rule.outcome}` : '')}
              columns={[
                { header: t('rule'), cell: (rule) => ruleText(i18n, rule.ruleId) },
                { header: t('reasonCode'), cell: (rule) => reasonText(i18n, rule.reasonCode) },
                { header: t('result'), cell: (rule) => (rule.fired ? t(rule.outcome === 'decline' ? 'firedDecline' : 'firedRefer') : t('passed')) },
                {
                  header: t('inputs'),
                  cellClassName: 'small wrap',
                  cell: (rule) =>
                    Object.entries(rule.inputs)
                      .map(([name, value]) => `${featureText(i18n, name as FeatureName)}${punctuationOf(i18n).colon}${featureValueText(i18n, name as FeatureName, value as never)}`)
                      .join(punctuationOf(i18n).semicolon),
                },
              ]}
            />
            <p className="muted small">
              {fired.length} {t('rulesFired')}
            </p>
          </div>
          <div className="panel">
            <h3>{t('crossChecks')}</h3>
            <div className="table-scroll">
              <table data-testid="cross-checks">
                <tbody>
                  {CROSS_CHECK_FEATURES.map((name) => (
                    <tr key={name}>
                      <td className="small">{featureText(i18n, name)}</td>
                      <td className="num">{featureValueText(i18n, name, record.inputs.features[name] as never)}</td>
                    </tr>
                  ))}
                  <tr className={record.inputs.features.cross_check_failed === true || record.inputs.features.cross_check_failed === 1 ? 'fired refer' : ''}>
                    <td className="small">{t('crossChecks')}</td>
                    <td className="num">{record.inputs.features.cross_check_failed === true || record.inputs.features.cross_check_failed === 1 ? t('crossCheckFailed') : t('crossCheckPassed')}</td>
                  </tr>
                </tbody>
              </table>
            </div>
            <h3 className="section-title">{t('scoreReasons')}</h3>
            <div className="table-scroll">
              <table data-testid="score-reasons">
                <thead>
                  <tr>
                    <th>{t('inputs')}</th>
                    <th className="num">{t('applicantValue')}</th>
                    <th className="num">{t('scoreContribution')}</th>
                  </tr>
                </thead>
                <tbody>
                  {record.decision.scoreReasons.map((reason) => (
                    <tr key={reason.variable}>
                      <td className="small">{featureText(i18n, reason.variable)}</td>
                      <td className="num">{featureValueText(i18n, reason.variable, record.inputs.features[reason.variable] as never)}</td>
                      <td className="num">
                        −{reason.pointsLost.toFixed(1)} {t('pointsUnit')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="muted small">
              {t('limitBoundBy')}: {boundText(i18n, record.decision.limit.boundBy)}
            </p>
            {record.decision.security && <SecurityBoundView security={record.decision.security} />}
          </div>
        </div>
      )}
    </div>
  );
}

type SecurityRecord = NonNullable<NonNullable<Application['record']>['decision']['security']>;

function codeText(i18n: I18n, family: keyof typeof CODE_TEXT_PREFIX, code: string): string {
  const key = `${CODE_TEXT_PREFIX[family]}${code}`;
  return key in MESSAGES.zh ? i18n.t(key as MessageKey) : code;
}

/** The security bound of a decision (src/collateral/security-limit.ts): which bound applied, and each guarantee with whether it counted and why. */
function SecurityBoundView({ security }: { readonly security: SecurityRecord }) {
  const i18n = useI18n();
  const { t } = i18n;
  const money = (fen: string) => yuan(fenText(BigInt(fen)));
  return (
    <div data-testid="decision-security">
      <h3 className="section-title">{t('decisionSecurity')}</h3>
      <dl>
        <dt>{t('securityBoundBy')}</dt>
        <dd data-testid="security-bound">{codeText(i18n, 'securityBound', security.boundBy)}</dd>
        <dt>{t('pureCreditRoom')}</dt>
        <dd>{money(security.pureCreditRoom)}</dd>
        <dt>{t('collateralCapacity')}</dt>
        <dd>{money(security.collateralCapacity)}</dd>
        <dt>{t('guaranteedCounted')}</dt>
        <dd data-testid="security-guaranteed">{money(security.guaranteed)}</dd>
        {security.securityNeeded !== '0' && (
          <>
            <dt>{t('securityNeeded')}</dt>
            <dd data-testid="security-needed">{money(security.securityNeeded)}</dd>
          </>
        )}
      </dl>
      {security.guarantees && security.guarantees.length > 0 && (
        <DataTable
          testId="decision-guarantees"
          rows={[...security.guarantees]}
          rowKey={(g) => g.guaranteeId}
          empty="—"
          columns={[
            { header: t('guarantorKind'), cell: (g) => codeText(i18n, 'guarantorKind', g.kind) },
            { header: t('guaranteeAmount'), className: 'num', cell: (g) => money(g.amount) },
            { header: t('guarantorCheck'), cell: (g) => `${codeText(i18n, 'guarantorStanding', g.standing)}${g.checkedOn ? ` · ${g.checkedOn}` : ''}` },
            { header: t('guaranteeCounted'), cell: (g) => (g.reason ? codeText(i18n, 'guaranteeCountReason', g.reason) : g.counted ? '✓' : '✗') },
          ]}
        />
      )}
    </div>
  );
}
