// The hexagon's dependency rule, run by `npm test`: the domain depends on nothing but itself,
// use cases depend on the domain and their ports, and only adapters and modules know frameworks.
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-domain',
      comment: 'src/domain is pure TypeScript: no framework, no library, no Node built-in, nothing outside domain/.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: '^src/domain/' },
    },
    {
      name: 'application-imports-only-domain-and-application',
      comment: 'Use cases and ports speak domain types; adapters, config and frameworks stay outside.',
      severity: 'error',
      from: { path: '^src/application/' },
      to: { pathNot: ['^src/domain/', '^src/application/'] },
    },
    {
      name: 'inbound-http-receives-use-cases-not-ports',
      comment:
        'Controllers, guards and DTOs call use cases: they never reach a port or the database adapter directly. ' +
        'That is all of adapters/http, and every controller, guard and DTO elsewhere (payment webhooks, health, metrics, console).',
      severity: 'error',
      from: { path: ['^src/adapters/http/', '^src/adapters/.+\\.(controller|guard|dto)\\.ts$'] },
      to: { path: ['^src/application/ports/', '^src/adapters/persistence/'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
