// The `audit` namespace: how large an analyst's attachment may be, and the key that signs checkpoints of the chains.
import { Transform } from 'class-transformer';
import { createPrivateKey, KeyObject } from 'node:crypto';
import { EnvSection } from './env-section';
import { EnvRule, pemFromEnv, pemSecretLines, WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';
import { Secret } from './secrets';

const MiB = 1024 * 1024;

/** The Ed25519 private key in `pem`, or why it is not one. */
export function ed25519PrivateKey(pem: string): { key?: KeyObject; problem?: string } {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    return { problem: 'not a PEM private key (make one with: openssl genpkey -algorithm ed25519)' };
  }
  if (key.asymmetricKeyType !== 'ed25519') return { problem: `an ${key.asymmetricKeyType?.toUpperCase() ?? 'unknown'} key, not Ed25519 (make one with: openssl genpkey -algorithm ed25519)` };
  return { key };
}

export class AuditEnv extends EnvSection {
  /** The largest file an analyst may attach to a case; files are kept in PostgreSQL. */
  @WholeNumber(1, 100 * MiB)
  ATTACHMENT_MAX_BYTES = String(10 * MiB);

  /** Ed25519 private key (PEM) that signs checkpoints of the chains' heads; unset: no checkpoints. */
  @Transform(pemFromEnv)
  @EnvRule('ed25519PrivateKey', (pem) => (pem === undefined ? [] : [ed25519PrivateKey(pem).problem].filter((problem): problem is string => problem !== undefined)))
  @Secret(pemSecretLines)
  AUDIT_SIGNING_KEY?: string;

  /** How often a checkpoint is signed (one replica signs each time). */
  @WholeNumber(5, 86_400)
  AUDIT_CHECKPOINT_INTERVAL_SECONDS = '300';
}

export const auditConfig = defineNamespace('audit', AuditEnv, (env) => ({
  attachmentMaxBytes: Number(env.ATTACHMENT_MAX_BYTES),
  /** The key itself, parsed once; undefined when checkpoints are off. */
  signingKey: env.AUDIT_SIGNING_KEY === undefined ? undefined : ed25519PrivateKey(env.AUDIT_SIGNING_KEY).key,
  checkpointIntervalMs: Number(env.AUDIT_CHECKPOINT_INTERVAL_SECONDS) * 1000,
}));
