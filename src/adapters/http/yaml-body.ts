// YAML request bodies, taken as text by the one route that reads a rule set (POST /rules/versions) and refused everywhere else.
import { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { Problem } from './problem-details';
import { MergedRouteConfig } from './request-gate';

interface YamlRouteConfig {
  readonly yamlBody?: boolean;
}

/** The route takes `application/yaml` (or `text/yaml`, `application/x-yaml`) as well as JSON: its body is then the text. */
export const AcceptsYaml = (): MethodDecorator => MergedRouteConfig({ yamlBody: true } satisfies YamlRouteConfig);

/** Call with the JSON parser (registerJsonBodyParser removes Fastify's own parsers first), before any route is registered. */
export function registerYamlBodyParser(fastify: FastifyInstance): void {
  const yamlRoutes = new Set<string>();
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if ((route.config as YamlRouteConfig | undefined)?.yamlBody === true) for (const method of [route.method].flat()) yamlRoutes.add(`${method} ${route.url}`);
  });
  fastify.addContentTypeParser(
    /^(application|text)\/(x-)?yaml(\s*;.*)?$/i,
    { parseAs: 'string' },
    (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, value?: unknown) => void) => {
      if (!yamlRoutes.has(`${request.method} ${request.routeOptions.url ?? ''}`)) {
        return done(new Problem(415, 'unsupported-media-type', 'Unsupported Media Type', 'This route takes JSON (application/json)'));
      }
      const text = typeof body === 'string' ? body : body.toString('utf8');
      done(null, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    },
  );
}
