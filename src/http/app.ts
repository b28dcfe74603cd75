/**
 * The HTTP server: Fastify with TypeBox schemas, the OpenAPI document at `/openapi.json` and its
 * docs page at `/docs`, and the web app at `/` when `webRoot` is given. Routes are thin: they validate, check access, and call the domain.
 *
 * @example
 * const app = await buildApp({ db, backend: 'pglite', version: '0.1.0', now: () => new Date() });
 * const response = await app.inject({ method: 'GET', url: '/health' });
 */
import Fastify, { type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { installAccessControl, publicAccess } from './access.js';
import type { AppContext, TypedApp } from './app-context.js';
import { frameworkErrors, installErrorHandler } from './error-handler.js';
import { installInputGuards } from './hostile-input.js';
import { DEFAULT_RATE_LIMITS, installRateLimit } from './rate-limit.js';
import { fastifyTrustProxy, installSecurityHeaders } from './transport-security.js';
import { registrationRoutes } from './routes/registrations.js';
import { productRoutes } from './routes/products.js';
import { monitoringRoutes } from './routes/monitoring.js';
import { policyRoutes } from './routes/policies.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { ledgerRoutes } from './routes/ledger.js';
import { applicationRoutes } from './routes/applications.js';
import { DEFAULT_REVIEW_POLICY } from '../decision/review-application.js';
import { enterpriseRoutes } from './routes/enterprises.js';
import { prospectRoutes } from './routes/prospects.js';
import { bookRoutes } from './routes/book.js';
import { DEFAULT_PRESCREEN_POLICY } from '../prospects/prescreen.js';
import { approvalRoutes } from './routes/approvals.js';
import { simulatedProvider } from '../data/index.js';
import { DEFAULT_DECISION_CONFIG } from '../decision/decide.js';
import { defaultScorecard } from '../decision/default-model.js';
import { auditRoutes } from './routes/audit.js';
import { loanWorkoutRoutes } from './routes/loan-workout.js';
import { portalRoutes } from './routes/portal.js';
import { loanRequestRoutes } from './routes/loan-requests.js';
import { accountRoutes } from './routes/accounts.js';
import { enterpriseViewRoutes } from './routes/enterprise-views.js';
import { operationsRoutes } from './routes/operations.js';
import { backupRoutes } from './routes/backups.js';
import { notificationRoutes } from './routes/notifications.js';
import { documentRoutes } from './routes/documents.js';
import { reportRoutes } from './routes/reports.js';
import { collateralRoutes } from './routes/collateral.js';
import { regulatoryReportRoutes } from './routes/regulatory-reports.js';
import { collectionRoutes } from './routes/collections.js';
import { supplyChainRoutes } from './routes/supply-chain.js';
import { ecologyRoutes } from './routes/ecology.js';
import { scheduleRoutes } from './routes/schedules.js';
import { servicingRoutes } from './routes/servicing.js';
import { webAppRoutes } from './web-app.js';
import { claimRoutes } from './routes/claims.js';
import { modelRoutes } from './routes/models.js';
import { calendarRoutes } from './routes/calendar.js';
import { lprRoutes } from './routes/lpr.js';
import { SCHEMA_COMPILERS } from './schema-compilers.js';
import { registryIdentityCheck } from '../identity/identity-check.js';

/** The simulated data provider's seed; the demo and the default model use the same. */
export const SIMULATION_SEED = 2025;

/** Largest request body accepted: far above any legitimate request, far below a memory problem. */
const BODY_LIMIT_BYTES = 1024 * 1024;

export async function buildApp(context: AppContext, options: Pick<FastifyServerOptions, 'logger'> = {}): Promise<TypedApp> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Forwarded headers count only from the proxies the operator named (transport-security.ts).
    trustProxy: fastifyTrustProxy(context.trustProxy),
    // Bad URL encoding and over-long path parameters, answered in Sprout's error shape, not Fastify's.
    frameworkErrors,
    // Compiled once per process, not once per app (src/http/schema-compilers.ts).
    schemaController: { compilersFactory: SCHEMA_COMPILERS },
    ajv: {
      // Unknown fields are errors, not silently dropped; types are never coerced ("12" is not 12).
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandler(app);
  installSecurityHeaders(app);
  // First, so a flood is refused before it costs a token lookup or a password hash.
  if (context.rateLimits !== 'off') installRateLimit(app, context.rateLimits ?? DEFAULT_RATE_LIMITS, context.now, context.db);
  // Too deep, NUL, lone surrogates: refused, naming the field, before a schema, a route or the database sees them.
  installInputGuards(app);
  installAccessControl(app, context.db, context.now);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Sprout API',
        version: context.version,
        description: 'Lending for small and micro enterprises. Money is a decimal string in yuan ("305.00"); rates are percent per year ("4.35"); dates are YYYY-MM-DD. Errors are `{ "error": { "code", "message", "field"? } }`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    // Shared schemas (the error shape) appear under their $id in #/components/schemas.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { config: { access: publicAccess }, schema: { hide: true } }, async () => app.swagger());
  healthRoutes(app, context);
  authRoutes(app, context);
  registrationRoutes(app, context);
  scheduleRoutes(app);
  servicingRoutes(app, context);
  enterpriseRoutes(app, context);
  loanWorkoutRoutes(app, context);
  loanRequestRoutes(app, context);
  accountRoutes(app, context);
  portalRoutes(app, context);
  enterpriseViewRoutes(app, context);
  ledgerRoutes(app, context);
  approvalRoutes(app, context);
  productRoutes(app, context);
  auditRoutes(app, context);
  reportRoutes(app, context);
  regulatoryReportRoutes(app, context);
  collectionRoutes(app, context);
  lprRoutes(app, context);
  modelRoutes(app, context);
  calendarRoutes(app, context);
  supplyChainRoutes(app, context);
  // The built-in policy and the scorecard; an approved policy version in the database overrides the policy.
  const decisionConfig = context.decisionConfig ?? DEFAULT_DECISION_CONFIG(defaultScorecard());
  // Until a bank connects its own sources, data comes from the deterministic simulator.
  const provider = context.dataProvider ?? simulatedProvider({ seed: SIMULATION_SEED });
  prospectRoutes(app, context, { provider, policy: DEFAULT_PRESCREEN_POLICY });
  collateralRoutes(app, context, { provider });
  applicationRoutes(app, context, {
    provider,
    config: decisionConfig,
    review: context.reviewPolicy ?? DEFAULT_REVIEW_POLICY,
  });
  policyRoutes(app, context, { config: decisionConfig });
  monitoringRoutes(app, context, { provider });
  operationsRoutes(app, context, { provider });
  backupRoutes(app, context);
  notificationRoutes(app, context);
  documentRoutes(app, context);
  bookRoutes(app, context, { provider, config: decisionConfig, policy: DEFAULT_PRESCREEN_POLICY });
  // Claims are checked against the registry of the same provider decisions read, unless a bank plugs in its own check.
  claimRoutes(app, context, { identityCheck: context.identityCheck ?? registryIdentityCheck(provider) });
  ecologyRoutes(app, context, { config: decisionConfig });
  if (context.webRoot !== undefined) await webAppRoutes(app, { root: context.webRoot });

  await app.ready();
  return app;
}
