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
 */
import AjvCompiler, { type RouteDefinition as ValidatedRoute, type ValidatorFactory } from '@fastify/ajv-compiler';
import { SerializerSelector, type RouteDefinition as SerializedRoute, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

/**
 * What Fastify calls the compiler pool with and what the compiler it returns is given. The
 * package's own declaration says the compiler takes a bare schema; its code (and Fastify) pass the
 * route definition, which is what the cache keys on.
 */
type ValidatorPool = (externalSchemas: unknown, options: unknown) => (route: ValidatedRoute) => unknown;
/** Fastify also passes the response's content type, which the package's declaration leaves out. */
type SerializedRouteWithType = SerializedRoute & { readonly contentType?: string };

const validators = new Map<string, unknown>();
const serializers = new Map<string, (data: unknown) => string>();

const ajvFromPool = AjvCompiler();
const serializerFactory = SerializerSelector();

/** The key of one compiled function: what it was compiled from, as JSON. */
function keyOf(setting: string, route: string, schema: unknown): string {
  return `${setting}\u0000${route}\u0000${JSON.stringify(schema)}`;
}

/** Ajv validators, each compiled once per schema, part and setting in the process. */
const buildValidator: ValidatorFactory = ((externalSchemas: unknown, options: { customOptions?: unknown }) => {
  const compile = (ajvFromPool as ValidatorPool)(externalSchemas, options);
  const setting = JSON.stringify([externalSchemas, options]);
  return (route: ValidatedRoute) => {
    const key = keyOf(setting, route.httpPart ?? '', route.schema);
    let validate = validators.get(key);
    if (validate === undefined) {
      validate = compile(route);
      validators.set(key, validate);
    }
    return validate;
  };
}) as ValidatorFactory;

/** fast-json-stringify serializers, each compiled once per schema, status and setting in the process. */
const buildSerializer: SerializerFactory = (externalSchemas, serializerOptions) => {
  const compile = serializerFactory(externalSchemas, serializerOptions);
  const setting = JSON.stringify([externalSchemas, serializerOptions ?? null]);
  return (route: SerializedRouteWithType) => {
    const key = keyOf(setting, `${route.httpStatus} ${route.contentType ?? ''}`, route.schema);
    let serialize = serializers.get(key);
    if (serialize === undefined) {
      serialize = compile(route);
      serializers.set(key, serialize);
    }
    return serialize;
  };
};

/** For `Fastify({ schemaController: { compilersFactory: SCHEMA_COMPILERS } })`. */
export const SCHEMA_COMPILERS = { buildValidator, buildSerializer } as const;
