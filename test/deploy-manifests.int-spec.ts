// The Kubernetes manifests and the Dockerfile agree with the service: probe paths, port, variables, selectors.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const dir = resolve(__dirname, '../deploy/k8s');
const load = (file: string) => parse(readFileSync(resolve(dir, file), 'utf8')) as Record<string, any>;

describe('deploy/k8s', () => {
  const deployment = load('deployment.yaml');
  const configMap = load('configmap.yaml');
  const secret = load('secret.example.yaml');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('runs two replicas with liveness and readiness on the health endpoints, and resource requests', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toBeDefined();
    expect(container.ports[0].containerPort).toBe(Number(configMap.data.PORT));
    expect(configMap.data.NODE_ENV).toBe('production');
  });

  it('serves probes and metrics on OPS_PORT, which the Service does not expose', () => {
    const opsPort = Number(configMap.data.OPS_PORT);
    const portNamed = (name: string) => container.ports.find((port: { name: string }) => port.name === name)?.containerPort;
    expect(portNamed('ops')).toBe(opsPort);
    expect(portNamed('http')).toBe(Number(configMap.data.PORT));
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) expect(probe.httpGet.port).toBe('ops');
    expect(deployment.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(opsPort));
    expect(load('service.yaml').spec.ports.map((port: { targetPort: string }) => port.targetPort)).toEqual(['http']);
  });

  it('trusts X-Forwarded-For only from a narrow range (the ingress), never a whole cluster network', () => {
    // It decides the Paystack source allowlist and the rate-limit keys: any pod in a trusted range can choose them.
    for (const entry of String(configMap.data.TRUST_PROXY).split(',').map((part) => part.trim())) {
      const [, prefix = '32'] = entry.split('/');
      expect([entry, Number(prefix) >= 24]).toEqual([entry, true]);
    }
  });

  it('selects the same pods from the Service and the PodDisruptionBudget', () => {
    const labels = deployment.spec.template.metadata.labels;
    expect(load('service.yaml').spec.selector).toEqual(labels);
    const pdb = load('pdb.yaml');
    expect(pdb.spec.selector.matchLabels).toEqual(labels);
    expect(pdb.spec.minAvailable).toBe(1);
    expect(load('kustomization.yaml').resources.sort()).toEqual(['configmap.yaml', 'deployment.yaml', 'pdb.yaml', 'service.yaml']);
  });

  it('sets only variables the service documents', () => {
    // The README is a map; the variables are documented in docs/ (operations.md and each integration's page).
    const docsDir = resolve(__dirname, '../docs');
    const documented = [resolve(__dirname, '../README.md'), ...readdirSync(docsDir).filter((name) => name.endsWith('.md')).map((name) => resolve(docsDir, name))]
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n');
    const example = readFileSync(resolve(__dirname, '../config/example.env'), 'utf8');
    for (const name of [...Object.keys(configMap.data), ...Object.keys(secret.stringData)]) {
      expect([name, documented.includes(`\`${name}\``), new RegExp(`^#? ?${name}=`, 'm').test(example)]).toEqual([name, true, true]);
    }
  });
});

describe('Dockerfile', () => {
  /** The HEALTHCHECK's own command, run as Docker runs it, with `env`: its exit code. */
  async function healthcheckExit(env: Record<string, string>): Promise<number | null> {
    const dockerfile = readFileSync(resolve(__dirname, '../Dockerfile'), 'utf8');
    const command = JSON.parse(/HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile)![1]!) as string[];
    const child = spawn(command[0] === 'node' ? process.execPath : command[0]!, command.slice(1), { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
    return new Promise((resolveExit) => child.once('exit', resolveExit));
  }

  it('probes readiness on OPS_PORT when it is set, since PORT then answers 404 for it', async () => {
    const answering = (status: number) =>
      new Promise<Server>((ready) => {
        const server = createServer((_request, response) => response.writeHead(status).end()).listen(0, '127.0.0.1', () => ready(server));
      });
    const [publicPort, opsPort] = await Promise.all([answering(404), answering(200)]);
    const port = (server: Server) => String((server.address() as AddressInfo).port);
    try {
      await expect(healthcheckExit({ PORT: port(publicPort), OPS_PORT: port(opsPort) })).resolves.toBe(0);
      await expect(healthcheckExit({ PORT: port(publicPort) })).resolves.toBe(1);
      await expect(healthcheckExit({ PORT: port(opsPort) })).resolves.toBe(0);
    } finally {
      publicPort.close();
      opsPort.close();
    }
  });
});
