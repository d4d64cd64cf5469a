// Checks that refuse a request from its headers, then from its raw bytes, before its body is parsed.
import { CanActivate, ExecutionContext, Type } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';

/**
 * A route's credentials check. Nest guards run after Fastify has read, parsed and walked the body,
 * so an unauthenticated 1 MiB body would cost its parse before its 401; a gate refuses first.
 */
export abstract class RequestGate {
  /** Runs before the body is read: throws or rejects (a Problem or DomainError) to refuse on headers alone. */
  abstract checkHeaders(request: FastifyRequest): void | Promise<void>;

  /** Runs on the exact bytes before they are parsed, for credentials that sign the body. */
  checkRawBody?(request: FastifyRequest, raw: Buffer): void | Promise<void>;
}

/**
 * A gate that is also its route's guard (`GatedBy(X)` and `UseGuards(X)`), with a synchronous
 * header check: as the guard it checks the headers only where a gate of its kind has not already
 * let the request through, so that a key is not hashed twice per request.
 */
export abstract class GuardingGate extends RequestGate implements CanActivate {
  abstract override checkHeaders(request: FastifyRequest): void;

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!headersPassedGate(request, this)) this.checkHeaders(request);
    return true;
  }
}

interface GatedRouteConfig {
  readonly gate?: Type<RequestGate>;
  readonly bodyLimit?: number;
  /** The route reads a multipart/form-data body itself (a file upload); every other route refuses one. */
  readonly multipart?: boolean;
  /**
   * A valid JSON document PostgreSQL cannot hold (a NUL, a lone surrogate, too deep) reaches the
   * handler marked `request.unstorableJson` instead of being refused: a verified webhook is kept whatever it holds.
   */
  readonly keepsUnstorableJson?: boolean;
}

/**
 * Puts `gate` in front of the route's body. A route keeps its own guard as well: the gate is an
 * early refusal, the guard is what the route's handler can rely on whoever mounts it.
 */
export function GatedBy(gate: Type<RequestGate>, options: { bodyLimit?: number; multipart?: boolean; keepsUnstorableJson?: boolean } = {}): MethodDecorator {
  return MergedRouteConfig({ gate, ...options } satisfies GatedRouteConfig);
}

/** Like RouteConfig, but keeps what other decorators put in the route's config (RouteConfig replaces it). */
export function MergedRouteConfig(config: Record<string, unknown>): MethodDecorator {
  return (target, key, descriptor) => {
    const existing = (Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, descriptor.value as object) ?? {}) as Record<string, unknown>;
    return RouteConfig({ ...existing, ...config })(target, key, descriptor);
  };
}

const gateOfRequest = new WeakMap<FastifyRequest, RequestGate>();
const headersPassed = new WeakSet<FastifyRequest>();
const rawBodyPassed = new WeakSet<FastifyRequest>();

/**
 * Whether a gate of `guard`'s own kind already checked the request's headers and let it through:
 * a guard that is also the route's gate may skip repeating the check (a key's hash, a token's
 * verification) on every request then.
 */
export function headersPassedGate(request: FastifyRequest, guard: RequestGate): boolean {
  return headersPassed.has(request) && gateOfRequest.get(request)?.constructor === guard.constructor;
}

/**
 * Whether the request's gate checked its raw body and let it through: a handler that checks the
 * signature again, so as not to depend on how it is mounted, may skip the second check then.
 */
export function rawBodyPassedGate(request: FastifyRequest): boolean {
  return rawBodyPassed.has(request);
}

/**
 * Call before any route is registered. `resolve` finds a gate's instance (app.get) on first use:
 * routes are registered while the module graph is still being initialised.
 */
export function registerRequestGates(fastify: FastifyInstance, resolve: (gate: Type<RequestGate>) => RequestGate): void {
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as GatedRouteConfig;
    if (config.bodyLimit !== undefined) route.bodyLimit ??= config.bodyLimit;
    const type = config.gate;
    if (type === undefined) return;
    let gate: RequestGate | undefined;
    // preParsing rather than onRequest: after the rate limiter (an onRequest hook), before the body is read.
    const check = (request: FastifyRequest, _reply: unknown, payload: unknown, done: (error: Error | null, payload?: unknown) => void) => {
      gate ??= resolve(type);
      gateOfRequest.set(request, gate);
      let checked: void | Promise<void>;
      try {
        checked = gate.checkHeaders(request);
      } catch (error) {
        return done(error as Error);
      }
      const passed = () => {
        headersPassed.add(request);
        done(null, payload);
      };
      if (checked instanceof Promise) checked.then(passed, (error: Error) => done(error));
      else passed();
    };
    route.preParsing = [...hooksOf(route.preParsing), check] as RouteOptions['preParsing'];
  });
}

/** The raw-body check of the request's gate, for the body parser to run before it parses. */
export function rawBodyCheckOf(request: FastifyRequest): ((raw: Buffer) => void | Promise<void>) | undefined {
  const gate = gateOfRequest.get(request);
  if (!gate?.checkRawBody) return undefined;
  return (raw) => {
    const checked = gate.checkRawBody!(request, raw);
    if (checked instanceof Promise) return checked.then(() => void rawBodyPassed.add(request));
    rawBodyPassed.add(request);
  };
}

function hooksOf<T>(hooks: T | T[] | undefined): T[] {
  return hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];
}

/** True on a route declared with GatedBy(..., { multipart: true }). */
export function acceptsMultipart(request: FastifyRequest): boolean {
  return (request.routeOptions.config as GatedRouteConfig | undefined)?.multipart === true;
}

/** True on a route declared with GatedBy(..., { keepsUnstorableJson: true }). */
export function keepsUnstorableJson(request: FastifyRequest): boolean {
  return (request.routeOptions.config as GatedRouteConfig | undefined)?.keepsUnstorableJson === true;
}
