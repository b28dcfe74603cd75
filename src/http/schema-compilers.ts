/**
 * Fastify's own schema compilers (Ajv for requests, fast-json-stringify for responses), with what
 * they compile kept for the life of the process. Building the app compiles a validator and a
 * serializer for every route: about 2 s of CPU, nine tenths of it in those two libraries. One
 * server builds one app, so this changes nothing for it; a process that builds many (the test
 * suite builds one per HTTP test) compiles each schema once instead of once per app: measured, the
 * second and later builds went from 1.9 s to 0.2 s of CPU (docs/decisions.md, "Compiled schemas").
 *
 * A compiled function depends only on the schema, the part of the request it checks (or the
 * response's status and content type), the compiler's options and the shared schemas it may
 * reference, so those, as JSON, are the key: the same route schemas in another app, or with other
 * options, never get a function compiled for different ones.
 *
 * Each function is compiled when a request first needs it, not when the app is built: a server
 * (and a test process) pays only for the routes it serves. Starting `sprout serve` cost about
 * 2.5 s of CPU in these compilers, paid again by every server process the tests and the browser
 * tests start, most of whose routes are never asked; compiling one route's schema on its first
 * request costs a few milliseconds. test/http/api-schema.test.ts compiles every route's schemas,
 * so a schema that does not compile still fails the suite (docs/decisions.md, "Compiled schemas").
 */
import AjvCompiler, { type RouteDefinition as ValidatedRoute, type ValidatorFactory } from '@fastify/ajv-compiler';
import { SerializerSelector, type RouteDefinition as SerializedRoute, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';
import { invariant } from '../errors.js';

/**
 * What Fastify calls the compiler pool with and what the compiler it returns is given. The
 * package's own declaration says the compiler takes a bare schema; its code (and Fastify) pass the
 * route definition, which is what the cache keys on.
 */
type ValidatorPool = (externalSchemas: unknown, options: unknown) => (route: ValidatedRoute) => unknown;
/** Fastify also passes the response's content type, which the package's declaration leaves out. */
type SerializedRouteWithType = SerializedRoute & { readonly contentType?: string };

const validators = new Map<string, AjvValidate>();
const serializers = new Map<string, (data: unknown) => string>();

const ajvFromPool = AjvCompiler();
const serializerFactory = SerializerSelector();

/**
 * Each schema object's JSON, made once per object. Fastify asks for a compiler once per route and
 * part with every shared schema (about 500 times and 2.6 MB of JSON per app built: 100–170 ms of
 * CPU per test app, measured), and the schemas are the same objects every time: module constants,
 * or parts of them. A schema is not changed once a route uses it (Fastify too compiles each once
 * and keeps the function), so its JSON, read once, stays its JSON.
 */
const jsonOfObject = new WeakMap<object, string>();

function jsonOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'undefined';
  let json = jsonOfObject.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    jsonOfObject.set(value, json);
  }
  return json;
}

/** Each distinct setting (shared schemas and compiler options, as JSON) by a short number, so that keys stay short. */
const settingNumbers = new Map<string, number>();

/** The last setting numbered for each compiler: Fastify asks with the same shared schemas and options route after route. */
const lastSettings = new Map<'validator' | 'serializer', { readonly entries: readonly [string, unknown][]; readonly options: unknown; readonly number: number }>();

/** The number of a compiler setting: the shared schemas Fastify passes (a new object each time, of the same schema objects) and the options. */
function settingOf(compiler: 'validator' | 'serializer', externalSchemas: unknown, options: unknown): number {
  const entries = typeof externalSchemas === 'object' && externalSchemas !== null ? Object.entries(externalSchemas) : [];
  const lastSetting = lastSettings.get(compiler);
  if (
    lastSetting !== undefined && typeof externalSchemas === 'object' && externalSchemas !== null && options === lastSetting.options &&
    entries.length === lastSetting.entries.length && entries.every(([id, schema], i) => lastSetting.entries[i]![0] === id && lastSetting.entries[i]![1] === schema)
  ) {
    return lastSetting.number;
  }
  const shared = typeof externalSchemas === 'object' && externalSchemas !== null
    ? `{${entries.map(([id, schema]) => `${JSON.stringify(id)}:${jsonOf(schema)}`).join(',')}}`
    : jsonOf(externalSchemas);
  const setting = `${shared}\u0000${jsonOf(options)}`;
  let number = settingNumbers.get(setting);
  if (number === undefined) {
    number = settingNumbers.size;
    settingNumbers.set(setting, number);
  }
  if (typeof externalSchemas === 'object' && externalSchemas !== null) lastSettings.set(compiler, { entries, options, number });
  return number;
}

/** The key of one compiled function: what it was compiled from (the setting's number stands for its JSON). */
function keyOf(setting: number, route: string, schema: unknown): string {
  return `${setting}\u0000${route}\u0000${jsonOf(schema)}`;
}

/** An Ajv validator as Fastify calls it: with the value's parent (so Ajv may set defaults), and its errors read after a failure. */
interface AjvValidate {
  (data: unknown, context?: unknown): unknown;
  errors?: unknown;
  schemaEnv?: unknown;
}

/** Each handed-out function's compilation, for {@link compileEverySchema}. */
const compilations: (() => unknown)[] = [];

/**
 * Each handed-out function's compilation ahead of a burst, by the function, and by the routes it was
 * handed out for, for {@link compileRouteSchemas}: a validator's is its compilation; a serializer's
 * also compiles its unions' validators (see {@link buildSerializer}).
 */
const compilationOf = new WeakMap<object, () => unknown>();
const compilationsByRoute = new Map<string, Set<() => unknown>>();

/**
 * Notes that `compiled` was handed out for `route`, by its method and URL as registered (`GET
 * /v1/loans`). One function may serve several routes, of this app or another: the key is the schema.
 */
function handedOut<F extends object>(route: { readonly method?: unknown; readonly url?: unknown }, compiled: F): F {
  const name = `${Array.isArray(route.method) ? route.method.join(',') : String(route.method)} ${String(route.url)}`;
  const compileOnce = compilationOf.get(compiled);
  invariant(compileOnce !== undefined, `a schema function handed out for ${name} without its compilation`);
  let ofRoute = compilationsByRoute.get(name);
  if (ofRoute === undefined) compilationsByRoute.set(name, (ofRoute = new Set()));
  ofRoute.add(compileOnce);
  return compiled;
}

/**
 * A validator that compiles `compile()`'s on its first call and is that validator from then on.
 * Fastify reads `schemaEnv` (Ajv's mark) to pass the value's parent, and `errors` after a false.
 */
function validatorOnFirstUse(compile: () => AjvValidate): AjvValidate {
  let compiled: AjvValidate | undefined;
  const compileOnce = () => (compiled ??= compile());
  const validate: AjvValidate = (data, context) => {
    const inner = compileOnce();
    const valid = inner.schemaEnv ? inner(data, context) : inner(data);
    validate.errors = inner.errors;
    return valid;
  };
  validate.schemaEnv = true;
  compilations.push(compileOnce);
  compilationOf.set(validate, compileOnce);
  return validate;
}

/**
 * A serializer that compiles `compile()`'s on its first call, or `ahead()`'s when
 * {@link compileRouteSchemas} asks for it before then.
 */
function serializerOnFirstUse(compile: () => (data: unknown) => string, ahead: () => (data: unknown) => string): (data: unknown) => string {
  let compiled: ((data: unknown) => string) | undefined;
  const compileOnce = () => (compiled ??= compile());
  compilations.push(compileOnce);
  const serialize = (data: unknown) => compileOnce()(data);
  compilationOf.set(serialize, () => (compiled ??= ahead()));
  return serialize;
}

/** Ajv validators, each compiled once per schema, part and setting in the process, on its first use. */
const buildValidator: ValidatorFactory = ((externalSchemas: unknown, options: { customOptions?: unknown }) => {
  // The pool (which keys its Ajv instances by the same JSON again) is asked only when a validator is compiled.
  const compile = (route: ValidatedRoute) => (ajvFromPool as ValidatorPool)(externalSchemas, options)(route);
  const setting = settingOf('validator', externalSchemas, options);
  return (route: ValidatedRoute) => {
    const key = keyOf(setting, route.httpPart ?? '', route.schema);
    let validate = validators.get(key);
    if (validate === undefined) {
      validate = validatorOnFirstUse(() => compile(route) as AjvValidate);
      validators.set(key, validate);
    }
    return handedOut(route, validate);
  };
}) as ValidatorFactory;

/**
 * fast-json-stringify serializers, each compiled once per schema, status and setting in the process, on its first use.
 *
 * A serializer of a schema with a union (`anyOf`, `oneOf`: every nullable field, `Type.Union`)
 * picks the branch with an Ajv validator, which fast-json-stringify by default compiles on the first
 * answer that reaches the union, not with the serializer. So the month-end routes' serializers,
 * compiled before a server listens, still compiled their validators in the burst: 61 ms of the
 * server's loop in Ajv in the burst's first 150 ms, while the first answers of the three read pages
 * were serialized, and each of those reads took over 100 ms (a CPU profile of `bench servicing`,
 * docs/benchmarks.md, session 23, s23e). Compiled ahead ({@link compileRouteSchemas}), a serializer
 * compiles them with itself (`compileValidators`; for month end's routes 200–230 ms more CPU at
 * start-up); compiled on its first use, as before, each union's when an answer first reaches it.
 */
const buildSerializer: SerializerFactory = (externalSchemas, serializerOptions) => {
  const compile = serializerFactory(externalSchemas, serializerOptions);
  const compileAhead = serializerFactory(externalSchemas, { ...serializerOptions, compileValidators: true });
  const setting = settingOf('serializer', externalSchemas, serializerOptions ?? null);
  return (route: SerializedRouteWithType) => {
    const key = keyOf(setting, `${route.httpStatus} ${route.contentType ?? ''}`, route.schema);
    let serialize = serializers.get(key);
    if (serialize === undefined) {
      serialize = serializerOnFirstUse(() => compile(route), () => compileAhead(route));
      serializers.set(key, serialize);
    }
    return handedOut(route, serialize);
  };
};

/**
 * Compiles every validator and serializer handed out so far in this process (those already
 * compiled are not compiled again) and returns how many there are; throws what a compiler threw.
 * A test's way to know that every route's schemas compile, now that a server compiles them lazily.
 */
export function compileEverySchema(): number {
  for (const compileOnce of compilations) compileOnce();
  return compilations.length;
}

/**
 * The routes every request of month end's burst goes through (`sprout bench servicing`: 2,800
 * borrowers log in and repay, some draw, while the loans page, the review queue and the dashboard
 * are read). Compiled on their first request, they were compiled in the burst's first second, each
 * a turn of the event loop of 2–70 ms that every request waited behind (the dashboard's serializer
 * 68 ms, the token route's validator 45 ms; docs/benchmarks.md, session 21, s21ac), and the first
 * read of each page paid its own.
 */
export const MONTH_END_ROUTES = [
  'POST /v1/auth/token',
  'POST /v1/loans/:id/repayments',
  'POST /v1/lines/:id/drawdowns',
  'GET /v1/lines/:id',
  'GET /v1/loans',
  'GET /v1/book/applications',
  'GET /v1/reports/portfolio',
] as const;

/**
 * Compiles every validator and serializer handed out so far for `routes` (each `METHOD /url` as
 * registered, every part and status), each serializer with its unions' validators, and returns how many there are. A server calls it with
 * {@link MONTH_END_ROUTES} before it listens: a few hundred milliseconds of CPU at start-up, so that
 * no request of a burst waits behind a compiler. A route that has no schema handed out throws: a
 * renamed route must not silently go back to compiling in the burst.
 *
 * @example
 * await app.ready();
 * compileRouteSchemas(MONTH_END_ROUTES);
 */
export function compileRouteSchemas(routes: readonly string[]): number {
  let compiled = 0;
  for (const route of routes) {
    const ofRoute = compilationsByRoute.get(route);
    if (ofRoute === undefined) throw new Error(`no schema of route ${route} to compile (is it registered, and the app ready?)`);
    for (const compileOnce of ofRoute) compileOnce();
    compiled += ofRoute.size;
  }
  return compiled;
}

/** For `Fastify({ schemaController: { compilersFactory: SCHEMA_COMPILERS } })`. */
export const SCHEMA_COMPILERS = { buildValidator, buildSerializer } as const;
