// Authenticates compliance analysts by bearer credential and holds each route to the role it requires.
import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AnalystRole, hasRole, Principal } from '../../domain/analyst-role';
import { AnalystAuthenticator } from './analyst-authenticator';
import { Problem } from './problem-details';
import { RequestGate } from './request-gate';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated analyst, set by AnalystAuthGuard (or its gate, before the body is read). */
    principal?: Principal;
    /** The authenticated analyst's name: `principal.name`. */
    analyst?: string;
  }
}

export const ANALYST_BEARER_SCHEME = 'analyst-bearer';

const REQUIRED_ROLE = 'analyst-auth:required-role';

/**
 * The least role a route (or every route of a controller) needs. Without it, reading (GET, HEAD)
 * needs `viewer` and anything else `analyst`; a route for supervisors or admins says so.
 */
export const RequiresRole = (role: AnalystRole): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLE, role);

/** The role a request needs when its route declares none. */
export function defaultRoleFor(method: string): AnalystRole {
  return method === 'GET' || method === 'HEAD' ? 'viewer' : 'analyst';
}

export class ForbiddenProblem extends Problem {
  constructor(principal: Principal, required: AnalystRole) {
    super(403, 'forbidden', 'Forbidden', `This needs the ${required} role; ${principal.name} is ${principal.role === 'admin' ? 'an' : 'a'} ${principal.role}`);
  }
}

@Injectable()
export class AnalystAuthGuard extends RequestGate implements CanActivate {
  constructor(
    private readonly authenticator: AnalystAuthenticator,
    private readonly reflector: Reflector,
  ) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await this.checkHeaders(request);
    const required = this.reflector.getAllAndOverride<AnalystRole | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]) ?? defaultRoleFor(request.method);
    if (!hasRole(request.principal!.role, required)) throw new ForbiddenProblem(request.principal!, required);
    return true;
  }

  /** Authentication only (the role needs the route's metadata, which the guard reads): a gate already run is not repeated. */
  async checkHeaders(request: FastifyRequest): Promise<void> {
    if (request.principal !== undefined) return;
    const principal = await this.authenticator.authenticate(request.headers.authorization);
    request.principal = principal;
    request.analyst = principal.name;
  }
}

function principalOf(context: ExecutionContext): Principal {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (principal === undefined) throw new Error('used on a route without AnalystAuthGuard');
  return principal;
}

/** The authenticated analyst's name, in a handler behind AnalystAuthGuard. */
export const Analyst = createParamDecorator((_data: unknown, context: ExecutionContext): string => principalOf(context).name);

/** The authenticated analyst, `{ name, role }`, in a handler behind AnalystAuthGuard. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => principalOf(context));
