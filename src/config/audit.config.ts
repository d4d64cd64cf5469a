// The `audit` namespace: how large a file an analyst may attach to a case.
import { EnvSection } from './env-section';
import { WholeNumber } from './env-rules';
import { defineNamespace } from './namespace';

const MiB = 1024 * 1024;

export class AuditEnv extends EnvSection {
  /** The largest file an analyst may attach to a case; files are kept in PostgreSQL. */
  @WholeNumber(1, 100 * MiB)
  ATTACHMENT_MAX_BYTES = String(10 * MiB);
}

export const auditConfig = defineNamespace('audit', AuditEnv, (env) => ({
  attachmentMaxBytes: Number(env.ATTACHMENT_MAX_BYTES),
}));
