// The audit namespace: attachment size, and a signing key that must be an Ed25519 private key or stop the start.
import { generateKeyPairSync } from 'node:crypto';
import { loadConfiguration } from './configuration';
import { configProblemsOf as problemsOf } from '../../test/support/config-problems';

const pem = (type: 'ed25519' | 'rsa') =>
  (type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519')).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('audit configuration', () => {
  it('defaults to 10 MiB attachments, checkpoints every 5 minutes and no signing key', () => {
    const { audit } = loadConfiguration({});
    expect(audit).toEqual({ attachmentMaxBytes: 10 * 1024 * 1024, signingKey: undefined, checkpointIntervalMs: 300_000 });
  });

  it('takes an Ed25519 key, also written on one line with \\n, and masks it in logs', () => {
    const key = pem('ed25519');
    const config = loadConfiguration({ AUDIT_SIGNING_KEY: key.replace(/\n/g, '\\n') });
    expect(config.audit.signingKey?.asymmetricKeyType).toBe('ed25519');
    const base64Lines = key.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));
    for (const line of base64Lines) expect(config.secrets.values).toContain(line);
  });

  it('stops the start naming the variable for a key that is not PEM, or not Ed25519', () => {
    expect(problemsOf({ AUDIT_SIGNING_KEY: 'not a key' })).toEqual([expect.stringMatching(/^AUDIT_SIGNING_KEY: not a PEM private key/)]);
    expect(problemsOf({ AUDIT_SIGNING_KEY: pem('rsa') })).toEqual([expect.stringMatching(/^AUDIT_SIGNING_KEY: an RSA key, not Ed25519/)]);
    expect(problemsOf({ ATTACHMENT_MAX_BYTES: '0', AUDIT_CHECKPOINT_INTERVAL_SECONDS: '1' }).map((problem) => problem.split(':')[0]).sort()).toEqual(['ATTACHMENT_MAX_BYTES', 'AUDIT_CHECKPOINT_INTERVAL_SECONDS']);
  });
});
